#!/usr/bin/python3
"""The workbook reader on workbooks from every writer we have, each cell checked.

usage: check_bookread.py DUMP TASEURANTA SOURCE_DIR WORK_DIR CASE

Cases:
  xlsx_features  an XLSX made by hand with what Excel and others write: shared and inline
                 rich strings, cell styles, number formats, every cell type, merges, cells
                 without r=, the strict namespace, _xHHHH_ escapes, phonetic runs, 1904 dates
  ods_features   an ODS made by hand with what LibreOffice writes: spans and paragraph styles,
                 text:s, tab and line breaks, repeated rows and columns, spans and covered
                 cells, data styles, value types, annotations, hidden tables
  writers        our own XLSX (libxlsxwriter) and ODS of the sample round read alike, and as
                 openpyxl reads the XLSX
  openpyxl       a workbook written by openpyxl, each cell as written
  libreoffice    the XLSX of the writers and of openpyxl, and our ODS, saved again by
                 LibreOffice headless as XLSX and ODS: read as the originals
  big            200,000 cells in a column, 16,384 in a row, 1,000,000 shared strings, a sheet
                 of 1,048,000 empty repeated rows: read in linear time (under the test's
                 timeout) and memory
"""
import os
import resource
import shutil
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bookread_make import (cell, features_ods, features_xlsx, ods_parts, read, runs_of,  # noqa: E402
                           sanitized, write_zip, xlsx_parts)

DUMP, EXE, SRC, WORK, CASE = sys.argv[1:6]
OPENPYXL_PY = '/usr/bin/python3'
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def eq(got, want, what):
    return check(got == want, '%s: got %r, want %r' % (what, got, want))


def fmt(cell):
    return cell.get('format') or {}


def ok_read(path, *flags, **kw):
    r = read(DUMP, path, '--lookups', *flags, **kw)
    check(r.rc == 0, '%s: exit %d: %s' % (path, r.rc, r.err.strip()))
    return r


# ---- XLSX made by hand ------------------------------------------------------------------------

def case_xlsx_features():
    path = features_xlsx(os.path.join(WORK, 'features.xlsx'))
    r = ok_read(path)
    if r.rc:
        return
    b = r.book
    eq(b['format'], 'xlsx', 'format')
    eq(b['date1904'], False, 'date1904')
    eq([(s['name'], s['hidden']) for s in b['sheets']],
       [('Tiedot', False), ('Piilo', True), ('Hyvin piilo', True)], 'sheets')
    c = r.cells('Tiedot')
    eq(runs_of(c['A1']), [('plain', '')], 'A1')
    eq(runs_of(c['B1']), [('plain', 'b')], 'B1: a shared string in a bold cell')
    eq(c['B1'].get('bold'), True, 'B1 bold')
    eq(runs_of(c['C1']), [('Bold statement\n', 'b'), ('and the rest.', '')], 'C1')
    eq(runs_of(c['D1']), [('inherits ', 'b'), ('italic', 'i')], 'D1: a run without rPr takes the cell\'s bold; one with rPr its own')
    eq(runs_of(c['E1']), [('line\nbreak and _x0041_ and A', '')], 'E1: _xHHHH_ escapes')
    eq(runs_of(c['A2']), [('kanji', '')], 'A2: phonetic runs are no text')
    eq(runs_of(c['B2']), [('not bold', '')], 'B2: <b val="0"/> in a bold cell')
    check('C2' not in c, 'C2: an empty shared string is no content')
    eq(runs_of(c['D2']), [('all bold still', 'b')], 'D2: neighbouring runs alike are one')
    eq(c['A3']['number'], 20, 'A3')
    eq((fmt(c['A3'])['kind'], fmt(c['A3'])['suffix'], fmt(c['A3'])['decimals']),
       ('number', ' kpl', 0), 'A3 format')
    eq((fmt(c['B3'])['kind'], fmt(c['B3'])['suffix'], fmt(c['B3'])['code'], fmt(c['B3'])['grouping']),
       ('percent', ' %', '#,##0\\ %', True), 'B3 format')
    eq((fmt(c['C3'])['kind'], fmt(c['C3'])['code'], c['C3'].get('italic')),
       ('percent', '0%', True), 'C3: built-in 9 and an italic font')
    eq((c['D3']['number'], fmt(c['D3'])['kind'], fmt(c['D3'])['code']),
       (44116, 'date', 'd\\.m\\.yyyy'), 'D3')
    eq((c['E3']['number'], fmt(c['E3'])['kind'], fmt(c['E3'])['code'], c['E3'].get('italic'),
        c['E3'].get('bold')), (44116.5, 'date', 'mm-dd-yy', True, None), 'E3: t="d" as a serial')
    eq((c['A4']['type'], c['A4']['number']), ('boolean', 1), 'A4')
    eq((c['B4']['type'], c['B4']['text']), ('error', '#DIV/0!'), 'B4')
    eq((c['C4']['type'], c['C4']['text'], c['C4'].get('formula')), ('string', 'plainx', True), 'C4')
    eq((c['D4']['type'], c['D4'].get('formula')), ('empty', True), 'D4: a formula with no value')
    eq((runs_of(c['E4']), fmt(c['E4'])['kind']), ([('inline', 'i'), (' rich', '')], 'text'), 'E4')
    eq(c['A6']['text'], 'A6', 'A6')
    eq(c['B6']['number'], 2, 'B6: after A6')
    eq((c['E6']['number'], c['F6']['number'], c['A7']['number']), (5, 6, 7), 'E6 F6 A7')
    check('A9' not in c and 'B9' not in c, 'A9, B9: no content, no cell')
    eq(c['C9']['number'], -0.0015, 'C9')
    eq(r.sheet('Tiedot')['merges'], ['A10:B11', 'C12:D13'], 'merges')
    eq((r.sheet('Tiedot')['rows'], r.sheet('Tiedot')['cols']), (13, 6), 'extent')
    eq([c['ref'] for c in r.sheet('Piilo')['cells']], ['A1', 'C1', 'B3'], 'sorted')
    eq(r.sheet('Hyvin piilo')['cells'], [], 'an empty sheet')

    # The same through bytes in memory (the fuzz target's way in): the same answer.
    rb = ok_read(path, '--bytes')
    eq(rb.book, r.book, 'read from bytes')

    # Strict OOXML, the workbook in another folder, a 1904 workbook, no root relationships.
    strict = write_zip(os.path.join(WORK, 'strict.xlsx'),
                       xlsx_parts([('S', '<sheetData><row r="2"><c r="B2" t="d"><v>2020-10-12'
                                    '</v></c><c r="C2"><v>1</v></c></row></sheetData>', None)],
                                  workbook_pr='<workbookPr date1904="1"/>', strict=True,
                                  folder='book', shared=[]))
    r = ok_read(strict)
    if r.rc == 0:
        eq(r.book['date1904'], True, 'strict: date1904')
        eq(r.cells('S')['B2']['number'], 44116 - 1462, 'strict: a 1904 date')
    plain = write_zip(os.path.join(WORK, 'norels.xlsx'),
                      xlsx_parts([('N', '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                                   '</sheetData>', None)], root_rels=False))
    r = ok_read(plain)
    if r.rc == 0:
        eq(r.cells('N')['A1']['number'], 1, 'no _rels/.rels: xl/workbook.xml')


# ---- ODS made by hand -------------------------------------------------------------------------

def case_ods_features():
    path = features_ods(os.path.join(WORK, 'features.ods'))
    r = ok_read(path)
    if r.rc:
        return
    eq(r.book['format'], 'ods', 'format')
    eq([(s['name'], s['hidden']) for s in r.book['sheets']], [('Tiedot', False), ('Piilo', True)],
       'sheets')
    c = r.cells('Tiedot')
    eq(runs_of(c['A1']), [('Bold statement\n', 'b'), ('and the rest.', '')], 'A1')
    eq(c['B1']['text'], 'a   b\tc\nd', 'B1: text:s, tab, line break')
    eq(runs_of(c['C1']), [('para ', 'b'), ('not', ''), (' ', 'b'), ('both', 'bi')], 'C1')
    eq(c['D1']['text'], 'collapsed spaces', 'D1: white space collapsed')
    eq(c['E1']['text'], 'seen', 'E1: an annotation is no text')
    eq(runs_of(c['F1']), [('link ', ''), ('bold', 'b')], 'F1: a link')
    eq((c['A2']['number'], fmt(c['A2'])['kind'], fmt(c['A2'])['suffix']), (20, 'number', ' kpl'),
       'A2')
    eq((c['B2']['number'], fmt(c['B2'])['kind'], fmt(c['B2'])['suffix'], c['B2'].get('italic')),
       (1, 'percent', ' %', True), 'B2')
    f = fmt(c['C2'])
    eq((c['C2']['number'], f['kind'], f['prefix'], f['suffix'], f['currency'], f['decimals']),
       (1234.5, 'currency', '', ' €', '€', 2), 'C2: the positive section of a currency style')
    eq((c['D2']['number'], fmt(c['D2'])['kind'], fmt(c['D2'])['code']), (44116, 'date', 'd"."m"."yyyy'),
       'D2')
    eq((round(c['E2']['number'], 12), fmt(c['E2'])['kind']), (round(12.5 / 24, 12), 'time'), 'E2')
    eq((c['F2']['type'], c['F2']['number']), ('boolean', 1), 'F2')
    eq((c['G2']['type'], c['G2']['text'], c['G2'].get('formula')), ('error', '#DIV/0!', True), 'G2')
    eq((c['H2']['type'], c['H2']['text']), ('string', 'from a formula'), 'H2: office:string-value')
    eq((c['I2']['number'], fmt(c['I2'])['kind']), (0.5, 'percent'), 'I2: a percentage, no style')
    eq((fmt(c['J2'])['kind'], fmt(c['J2'])['decimals']), ('percent', 1), 'J2: a common data style')
    eq((c['A3'].get('bold'), runs_of(c['A3'])), (True, [('heading', 'b')]), 'A3: a parent\'s bold')
    eq(c['B3'].get('bold'), None, 'B3: normal over a bold parent')
    eq(c['C3'].get('bold'), True, 'C3: the column\'s default cell style')
    for ref in ('A4', 'B4', 'C4', 'A5', 'B5', 'C5'):
        eq(c.get(ref, {}).get('text'), 'x', ref + ': repeated')
    eq((c['D4']['text'], c['D5']['text'], c['D4'].get('merge')), ('m', 'm', 'D4:E4'), 'D4 D5')
    check('E4' not in c, 'E4: a covered cell with nothing in it')
    eq((c['A6']['text'], c['A6'].get('merge'), c['F6']['text'], c['B7']['text']),
       ('tall', 'A6:A7', 'F', 'B7'), 'A6 F6 B7')
    s = r.sheet('Tiedot')
    eq(s['merges'], ['D4:E4', 'D5:E5', 'A6:A7'], 'merges')
    eq((s['rows'], s['cols']), (7, 10), 'extent: the empty tail is not counted')


# ---- The writers of this project --------------------------------------------------------------

def build_sample(out):
    env = dict(os.environ, SOURCE_DATE_EPOCH='1602504000')
    p = subprocess.run([EXE, 'build', os.path.join(SRC, 'input', 'kuva-2020-3.xml'), '-o', out,
                        '--format', 'xlsx,ods', '-q'], capture_output=True, env=env)
    check(p.returncode == 0, 'build: %s' % p.stderr.decode())
    return os.path.join(out, 'kuva-2020-3.xlsx'), os.path.join(out, 'kuva-2020-3.ods')


def same_reading(a, b, what, lo_saved=False):
    """Two readings of one table agree: sheets, cells, text, runs, numbers, format kinds and
    units, merges.  lo_saved: b was saved by LibreOffice, which gives a cell of rich text the
    font of its first run and turns booleans into formulas."""
    eq([s['name'] for s in b['sheets']], [s['name'] for s in a['sheets']], what + ': sheets')
    for sa, sb in zip(a['sheets'], b['sheets']):
        w = '%s: %s' % (what, sa['name'])
        eq(sb['merges'], sa['merges'], w + ': merges')
        eq((sb['rows'], sb['cols']), (sa['rows'], sa['cols']), w + ': extent')
        ca = {c['ref']: c for c in sa['cells']}
        cb = {c['ref']: c for c in sb['cells']}
        eq(sorted(cb), sorted(ca), w + ': cells')
        for ref in sorted(set(ca) & set(cb)):
            x, y = dict(ca[ref]), dict(cb[ref])
            fx, fy = x.pop('format', None) or {}, y.pop('format', None) or {}
            if lo_saved:
                for k in ('bold', 'italic', 'formula'):
                    if len(x.get('runs', [])) > 1 or k == 'formula':
                        x.pop(k, None)
                        y.pop(k, None)
                if x.get('type') == 'boolean':
                    x['type'] = y['type']
                # LibreOffice writes 15 significant digits to XLSX
                if 'number' in x and 'number' in y and \
                        abs(x['number'] - y['number']) <= 1e-14 * max(1, abs(x['number'])):
                    y['number'] = x['number']
            eq(y, x, '%s!%s' % (w, ref))
            eq((fy.get('kind'), fy.get('prefix'), fy.get('suffix'), fy.get('decimals')),
               (fx.get('kind'), fx.get('prefix'), fx.get('suffix'), fx.get('decimals')),
               '%s!%s: format' % (w, ref))


def openpyxl_view(path):
    """openpyxl's reading of an XLSX: {sheet: {ref: (value, bold)}} and merges."""
    code = ('import json,sys,openpyxl\n'
            'wb=openpyxl.load_workbook(sys.argv[1])\n'
            'out={}\n'
            'for ws in wb.worksheets:\n'
            '  cells={}\n'
            '  for row in ws.iter_rows():\n'
            '    for c in row:\n'
            '      if c.value is not None:\n'
            '        v=c.value if isinstance(c.value,(int,float,str,bool)) else str(c.value)\n'
            '        cells[c.coordinate]=[v,bool(c.font and c.font.b),c.number_format]\n'
            '  out[ws.title]={"cells":cells,"merges":sorted(str(m) for m in ws.merged_cells.ranges),'
            '"hidden":ws.sheet_state!="visible"}\n'
            'print(json.dumps(out))\n')
    p = subprocess.run([OPENPYXL_PY, '-c', code, path], capture_output=True)
    check(p.returncode == 0, 'openpyxl: %s' % p.stderr.decode()[-500:])
    import json
    return json.loads(p.stdout) if p.returncode == 0 else {}


def against_openpyxl(book, view, what):
    for s in book['sheets']:
        v = view.get(s['name'])
        if not check(v is not None, '%s: openpyxl has no sheet %s' % (what, s['name'])):
            continue
        eq(sorted(s['merges']), v['merges'], '%s: %s: merges' % (what, s['name']))
        eq(s['hidden'], v['hidden'], '%s: %s: hidden' % (what, s['name']))
        ours = {c['ref']: c for c in s['cells']}
        eq(sorted(ours), sorted(v['cells']), '%s: %s: the cells with content' % (what, s['name']))
        for ref, (value, bold, numfmt) in v['cells'].items():
            c = ours.get(ref)
            if c is None:
                continue
            w = '%s: %s!%s' % (what, s['name'], ref)
            if c['type'] == 'string':
                eq(c['text'], value, w)
                eq(bool(c.get('bold')), bold, w + ': bold')
            elif c['type'] == 'boolean':
                eq(bool(c['number']), value, w)
            elif c['type'] == 'number' and isinstance(value, (int, float)):
                eq(c['number'], value, w)
            eq((c.get('format') or {}).get('code', 'General'), numfmt, w + ': format code')


def case_writers():
    xlsx, ods = build_sample(os.path.join(WORK, 'sample'))
    rx, ro = ok_read(xlsx), ok_read(ods)
    if rx.rc or ro.rc:
        return
    same_reading(rx.book, ro.book, 'our XLSX and ODS')
    against_openpyxl(rx.book, openpyxl_view(xlsx), 'openpyxl on our XLSX')
    c = rx.cells(rx.book['sheets'][0]['name'])
    # the goal cell: its statement in bold, then the description (seed 003's shape)
    eq(runs_of(c['B2'])[0], ('Palveluja parannetaan asiakaskokemuksen perusteella\n', 'b'), 'B2')
    eq(c['A1'].get('bold'), True, 'A1: the head is bold')
    pct = [cc for s in rx.book['sheets'] for cc in s['cells']
           if (cc.get('format') or {}).get('kind') == 'percent']
    check(pct and all(p['type'] == 'number' for p in pct), 'our percentages read as numbers')


# ---- openpyxl ---------------------------------------------------------------------------------

OPENPYXL_WRITE = r'''
import datetime, sys, openpyxl
from openpyxl.styles import Font
wb = openpyxl.Workbook()
ws = wb.active
ws.title = 'Luvut'
rows = [(20, '0" kpl"'), (0.5, '0%'), (0.125, '0.0%'), (1234.5, '#,##0.00 "€"'),
        (99.99, '[$€-40B] #,##0.00'), (datetime.date(2020, 10, 12), 'd.m.yyyy'),
        (datetime.time(12, 30), 'h:mm'), (1.5, '[h]:mm:ss'), (7, 'General'), ('teksti', '@'),
        (12345.678, '0.00E+00'), (0.75, '# ?/?'), (-3, '0;[Red]-0'), (1e-7, '0.00000000')]
for i, (v, f) in enumerate(rows, 1):
    c = ws.cell(i, 1, v)
    c.number_format = f
ws['B1'] = True
ws['B2'] = False
ws['B3'] = '=A1*2'
ws['B4'] = '#N/A'
ws['B4'].data_type = 'e'
ws['C1'] = 'Lihava'
ws['C1'].font = Font(bold=True)
ws['C2'] = 'Kursiivi'
ws['C2'].font = Font(italic=True)
ws['C3'] = 'rivi 1\nrivi 2'
ws['C4'] = 'ääkköset € – “lainaus” 𝄞'
ws.merge_cells('D1:E3')
ws['D1'] = 'yhdistetty'
h = wb.create_sheet('Piilotettu')
h.sheet_state = 'hidden'
h['A1'] = 'salainen'
wb.save(sys.argv[1])
'''


def make_openpyxl(path):
    p = subprocess.run([OPENPYXL_PY, '-c', OPENPYXL_WRITE, path], capture_output=True)
    check(p.returncode == 0, 'openpyxl: %s' % p.stderr.decode()[-500:])
    return path


def case_openpyxl():
    path = make_openpyxl(os.path.join(WORK, 'openpyxl.xlsx'))
    r = ok_read(path)
    if r.rc:
        return
    c = r.cells('Luvut')
    want = {
        'A1': (20, 'number', '', ' kpl', 0), 'A2': (0.5, 'percent', '', '%', 0),
        'A3': (0.125, 'percent', '', '%', 1), 'A4': (1234.5, 'currency', '', ' €', 2),
        'A5': (99.99, 'currency', '€ ', '', 2), 'A6': (44116, 'date', '', '', 0),
        'A7': (12.5 / 24, 'time', '', '', 0), 'A8': (1.5, 'time', '', '', 0),
        'A11': (12345.678, 'scientific', '', '', 2), 'A12': (0.75, 'fraction', '', '', 0),
        'A13': (-3, 'number', '', '', 0), 'A14': (1e-7, 'number', '', '', 8),
    }
    for ref, (num, kind, prefix, suffix, dec) in want.items():
        f = fmt(c[ref])
        eq((c[ref]['number'], f.get('kind'), f.get('prefix'), f.get('suffix'), f.get('decimals')),
           (num, kind, prefix, suffix, dec), ref)
    eq((c['A9']['number'], 'format' in c['A9']), (7, False), 'A9: General is no format')
    eq((c['A10']['text'], fmt(c['A10'])['kind']), ('teksti', 'text'), 'A10')
    eq((c['B1']['type'], c['B1']['number'], c['B2']['number']), ('boolean', 1, 0), 'B1 B2')
    eq((c['B3']['type'], c['B3'].get('formula')), ('empty', True), 'B3: openpyxl computes nothing')
    eq((c['B4']['type'], c['B4']['text']), ('error', '#N/A'), 'B4')
    eq(runs_of(c['C1']), [('Lihava', 'b')], 'C1')
    eq(runs_of(c['C2']), [('Kursiivi', 'i')], 'C2')
    eq(c['C3']['text'], 'rivi 1\nrivi 2', 'C3')
    eq(c['C4']['text'], 'ääkköset € – “lainaus” 𝄞', 'C4')
    eq((c['D1']['text'], c['D1'].get('merge')), ('yhdistetty', 'D1:E3'), 'D1')
    eq(r.sheet('Luvut')['merges'], ['D1:E3'], 'merges')
    eq(r.sheet('Piilotettu')['hidden'], True, 'hidden')
    against_openpyxl(r.book, openpyxl_view(path), 'openpyxl on its own XLSX')


# ---- LibreOffice ------------------------------------------------------------------------------

def soffice(src, fmt_, outdir):
    os.makedirs(outdir, exist_ok=True)
    profile = 'file://' + os.path.join(WORK, 'lo-profile')
    filt = {'xlsx': 'xlsx:Calc MS Excel 2007 XML', 'ods': 'ods:calc8'}[fmt_]
    p = subprocess.run(['soffice', '-env:UserInstallation=' + profile, '--headless',
                        '--convert-to', filt, '--outdir', outdir, src],
                       capture_output=True, timeout=300)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + '.' + fmt_)
    check(p.returncode == 0 and os.path.exists(out),
          'soffice %s -> %s: %s' % (src, fmt_, p.stderr.decode()[-300:]))
    return out


def case_libreoffice():
    if shutil.which('soffice') is None:
        print('soffice is missing: LibreOffice is needed for this test')
        sys.exit(1)
    xlsx, ods = build_sample(os.path.join(WORK, 'sample'))
    opx = make_openpyxl(os.path.join(WORK, 'openpyxl.xlsx'))
    feat = features_xlsx(os.path.join(WORK, 'features.xlsx'))
    for src in (xlsx, ods, opx, feat):
        base = ok_read(src)
        if base.rc:
            continue
        for f in ('xlsx', 'ods'):
            if src == feat and f == 'xlsx':
                continue
            out = soffice(src, f, os.path.join(WORK, 'lo-%s-%s' % (os.path.basename(src), f)))
            if not os.path.exists(out):
                continue
            r = ok_read(out)
            if r.rc:
                continue
            want = base.book
            if src == feat:
                # LibreOffice decodes only the _xHHHH_ escapes of control characters (Excel
                # all of them), and computes the formula left without a value
                want = json_copy(want)
                got = r.book['sheets'][0]['cells']
                want['sheets'][0]['cells'] = [c for c in want['sheets'][0]['cells']
                                              if c['ref'] != 'E1']
                r.book['sheets'][0]['cells'] = [c for c in got if c['ref'] != 'E1']
                for cc in want['sheets'][0]['cells']:
                    if cc['ref'] == 'D4':
                        cc.update(type='number', number=2)
            if src == opx:
                # LibreOffice computes the formula openpyxl left without a value
                want = json_copy(want)
                for cc in want['sheets'][0]['cells']:
                    if cc['ref'] == 'B3':
                        cc.update(type='number', number=40)
            same_reading(want, r.book, 'LibreOffice\'s %s of %s' % (f, os.path.basename(src)),
                         lo_saved=True)
            if f == 'ods':
                # LibreOffice writes its tail of empty repeated rows and columns
                with zipfile.ZipFile(out) as z:
                    content = z.read('content.xml').decode()
                check('number-rows-repeated' in content or 'number-columns-repeated' in content,
                      '%s: no repetition to read' % out)


def json_copy(v):
    import json
    return json.loads(json.dumps(v))


# ---- Big workbooks ----------------------------------------------------------------------------

def limited():
    if not sanitized(DUMP):
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))


def case_big():
    n = 200000
    col = ''.join('<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, n + 1))
    wide = '<row r="1">' + ''.join('<c><v>%d</v></c>' % i for i in range(16384)) + '</row>'
    path = write_zip(os.path.join(WORK, 'big.xlsx'),
                     xlsx_parts([('Sarake', '<sheetData>%s</sheetData>' % col, None),
                                 ('Rivi', '<sheetData>%s</sheetData>' % wide, None)]))
    r = read(DUMP, path, preexec=limited, timeout=600)
    if check(r.rc == 0, 'big.xlsx: %s' % r.err[-300:]):
        s = r.sheet('Sarake')
        eq((len(s['cells']), s['rows'], s['cells'][-1]['number']), (n, n, n), 'a column of 200,000')
        s = r.sheet('Rivi')
        eq((len(s['cells']), s['cols'], s['cells'][-1]['ref']), (16384, 16384, 'XFD1'),
           'a row of 16,384')

    m = 1000000
    shared = ['<t>s%d</t>' % i for i in range(m)]
    cells = ''.join('<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (i + 1, i + 1, i * 997 % m)
                    for i in range(0, m, 50))
    path = write_zip(os.path.join(WORK, 'shared.xlsx'),
                     xlsx_parts([('S', '<sheetData>%s</sheetData>' % cells, None)], shared=shared))
    r = read(DUMP, path, preexec=limited, timeout=600)
    if check(r.rc == 0, 'shared.xlsx: %s' % r.err[-300:]):
        c = r.sheet('S')['cells']
        eq((len(c), c[1]['text'], c[-1]['text']), (m // 50, 's%d' % (50 * 997 % m),
                                                    's%d' % ((m - 50) * 997 % m)),
           'a million shared strings')

    rows = ('<table:table-row>%s</table:table-row>'
            '<table:table-row table:number-rows-repeated="1048000">'
            '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
            '<table:table-row>%s</table:table-row>'
            % (cell('<text:p>top</text:p>', office__value_type='string'),
               cell('<text:p>bottom</text:p>', office__value_type='string')))
    many = ''.join('<table:table table:name="T%d"><table:table-column '
                   'table:number-columns-repeated="16384"/>%s</table:table>' % (i, rows)
                   for i in range(50))
    path = write_zip(os.path.join(WORK, 'repeated.ods'), ods_parts([many]))
    r = read(DUMP, path, preexec=limited, timeout=600)
    if check(r.rc == 0, 'repeated.ods: %s' % r.err[-300:]):
        s = r.sheet('T49')
        eq([(c['ref'], c['text']) for c in s['cells']], [('A1', 'top'), ('A1048002', 'bottom')],
           'a million empty rows, fifty times')


CASES = {'xlsx_features': case_xlsx_features, 'ods_features': case_ods_features,
         'writers': case_writers, 'openpyxl': case_openpyxl, 'libreoffice': case_libreoffice,
         'big': case_big}


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    CASES[CASE]()
    for f in failures[:60]:
        print('FAIL', f)
    if len(failures) > 60:
        print('... and %d more' % (len(failures) - 60))
    if not failures:
        print('ok')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
