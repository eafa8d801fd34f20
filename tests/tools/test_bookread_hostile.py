#!/usr/bin/python3
"""Hostile workbooks through the reader (workbook-form.md section 3): each refused with a located
message, exit status 1, nothing read, within a time limit and (outside AddressSanitizer) an
address-space limit.

usage: test_bookread_hostile.py DUMP WORK_DIR CASE

Cases: zip_bomb unpacked_total many_entries doctype billion_laughs external_entity
shared_index ref_beyond style_index overlapping_merges truncated lying_directory not_a_zip
empty special_files repeat_bomb spaces_bomb too_many_errors odd_zips broken_parts xml_limits
many_sheets style_lists"""
import os
import re
import resource
import shutil
import stat
import struct
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bookread_make import (read, sanitized, write_zip, xlsx_parts, ods_parts)  # noqa: E402

DUMP, WORK, CASE = sys.argv[1:4]
SANITIZED = sanitized(DUMP)
SLOW = 8 if SANITIZED else 1
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def limits(mem_mb):
    def set_limits():
        if not SANITIZED:
            resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))
    return set_limits


def refused(path, pattern, seconds=20, mem_mb=512, flags=(), count=None):
    """The reader refuses path with a message matching pattern (a regex over stderr, each line
    being FILE...: error: ...), exit 1, nothing on stdout, in time and memory."""
    t0 = time.time()
    cwd = None
    if os.path.dirname(path) == WORK:
        # messages name the file as it was given: run beside it
        cwd, path = WORK, os.path.basename(path)
    try:
        r = read(DUMP, path, *flags, timeout=seconds * SLOW * 3, preexec=limits(mem_mb), cwd=cwd)
    except subprocess.TimeoutExpired:
        failures.append('%s: still reading after %d s' % (path, seconds * SLOW * 3))
        return None
    took = time.time() - t0
    name = os.path.basename(path)
    check(r.rc == 1, '%s: exit %d, want 1; stderr: %s' % (name, r.rc, r.err.strip()[-600:]))
    check(r.out == '', '%s: something was read: %s' % (name, r.out[:200]))
    check(re.search(pattern, r.err, re.M) is not None,
          '%s: no message like %r in:\n%s' % (name, pattern, r.err.strip()[-1500:]))
    check(took < seconds * SLOW, '%s: took %.1f s (limit %d s)' % (name, took, seconds * SLOW))
    for line in r.err.strip().splitlines():
        check(re.match(r'^\S.*?: (error|warning): \S', line) is not None,
              '%s: a message without its place: %r' % (name, line))
    if count is not None:
        n = len(r.err.strip().splitlines())
        check(n == count, '%s: %d messages, want %d' % (name, n, count))
    return r


def path_of(name):
    return os.path.join(WORK, name)


def sheet_xml(cells):
    return '<sheetData>%s</sheetData>' % cells


# ---- A zip written byte by byte, so that it can lie -------------------------------------------

def raw_zip(path, entries, eocd_count=None, zip64=False, trailer=b''):
    """entries: dicts with name, data (the bytes as stored), method, crc, size (uncompressed);
    optional csize, lsize/lcrc/lmethod (what the local header says instead), flags."""
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e['name'].encode()
        off = len(out)
        csize = e.get('csize', len(e['data']))
        out += struct.pack('<IHHHHHIIIHH', 0x04034b50, 20, e.get('flags', 0),
                           e.get('lmethod', e['method']), 0, 0x5021, e.get('lcrc', e['crc']),
                           e.get('lcsize', csize), e.get('lsize', e['size']), len(name), 0)
        out += name + e['data']
        central += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014b50, 20, 20, e.get('flags', 0),
                               e['method'], 0, 0x5021, e['crc'], csize, e['size'], len(name), 0,
                               0, 0, 0, 0, off)
        central += name
    cd_off = len(out)
    out += central
    n = len(entries) if eocd_count is None else eocd_count
    if zip64:
        z64 = len(out)
        out += struct.pack('<IQHHIIQQQQ', 0x06064b50, 44, 45, 45, 0, 0, n, n, len(central), cd_off)
        out += struct.pack('<IIQI', 0x07064b50, 0, z64, 1)
        out += struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack('<IHHHHIIH', 0x06054b50, 0, 0, n, n, len(central), cd_off, 0)
    out += trailer
    with open(path, 'wb') as f:
        f.write(out)
    return path


def deflated(data):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def entry(name, text, method=8, **kw):
    data = text.encode() if isinstance(text, str) else text
    e = dict(name=name, data=deflated(data) if method == 8 else data, method=method,
             crc=zlib.crc32(data), size=len(data))
    e.update(kw)
    return e


def xlsx_entries(sheets, shared=None, styles=None):
    """xlsx_parts as raw entries (deflated)."""
    return [entry(n, d) for n, d in xlsx_parts(sheets, shared=shared, styles=styles)]


# ---- Cases ------------------------------------------------------------------------------------

def case_zip_bomb():
    """A sheet of 3.9 GB that deflates from about 4 MB: its head and then spaces, made of one
    deflate block of a megabyte of spaces repeated (each one starts afresh after a full flush)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main"><sheetData>').encode()
    tail = b'</sheetData></worksheet>'
    mib = b' ' * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    h = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(mib) + c.flush(zlib.Z_FULL_FLUSH)
    check(block == again, 'the repeated deflate block is not the same twice')
    end = c.compress(tail) + c.flush()
    n = 3900
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(mib, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + n * len(mib) + len(tail)
    bomb = dict(name='xl/worksheets/sheet1.xml', data=h + block * n + end, method=8, crc=crc,
                size=size)
    parts = [e for e in xlsx_entries([('Pommi', '', None)]) if e['name'] != bomb['name']]
    path = raw_zip(path_of('bomb.xlsx'), parts + [bomb])
    check(os.path.getsize(path) < 8 << 20, 'the bomb is %d bytes' % os.path.getsize(path))
    check(size > 3 << 30, 'the bomb unpacks to %d bytes' % size)
    refused(path, r'^bomb\.xlsx:xl/worksheets/sheet1\.xml: error: the workbook unpacks to more '
            r'than 64 MiB', count=1)
    # and from bytes in memory
    refused(path, r'unpacks to more than 64 MiB', flags=('--bytes',))


def case_unpacked_total():
    """Nine sheets of 8 MiB each: no part is too big, all of them are."""
    filler = ' ' * (8 << 20)
    sheets = [('S%d' % i, sheet_xml(filler), None) for i in range(9)]
    path = write_zip(path_of('total.xlsx'), xlsx_parts(sheets))
    refused(path, r'^total\.xlsx:xl/worksheets/sheet\d\.xml: error: the workbook unpacks to more '
            r'than 64 MiB')


def case_many_entries():
    base = xlsx_entries([('A', sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'), None)])
    empty = dict(data=b'', method=0, crc=0, size=0)
    many = base + [dict(empty, name='junk/%d' % i) for i in range(200000)]
    path = raw_zip(path_of('many.xlsx'), many, zip64=True)
    refused(path, r'^many\.xlsx: error: the zip says it holds 200\d+ entries; a workbook may '
            r'hold at most 100000', count=1)
    # 100,000 in all is still a workbook, and finding its parts among them costs nothing
    ok = base + [dict(empty, name='junk/%d' % i) for i in range(100000 - len(base))]
    path = raw_zip(path_of('limit.xlsx'), ok, zip64=True)
    t0 = time.time()
    r = read(DUMP, path, timeout=60 * SLOW)
    check(r.rc == 0, 'limit.xlsx: %s' % r.err)
    check(time.time() - t0 < 10 * SLOW, 'limit.xlsx: %.1f s' % (time.time() - t0))
    # a directory that says fewer entries than it holds: the others are not seen
    path = raw_zip(path_of('fewer.xlsx'), base, eocd_count=2)
    refused(path, r'^fewer\.xlsx: error: the workbook part xl/workbook\.xml is missing', count=1)


DOCTYPE = '<!DOCTYPE x [<!ENTITY e "boom">]>'


def with_doctype(xml, doctype=DOCTYPE):
    i = xml.index('?>') + 2
    return xml[:i] + doctype + xml[i:]


def case_doctype():
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    for part in ('xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml',
                 'xl/styles.xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels'):
        parts = [(n, with_doctype(d) if n == part else d)
                 for n, d in xlsx_parts([('A', sheet, None)], shared=['<t>x</t>'], styles='')]
        name = 'doctype-%s.xlsx' % part.replace('/', '_')
        path = write_zip(path_of(name), parts)
        refused(path, r'^%s:%s:1:\d+: error: a DOCTYPE is not allowed in a workbook'
                % (re.escape(name), re.escape(part)), count=1)
    for part in ('content.xml', 'styles.xml'):
        parts = [(n, with_doctype(d) if n == part else d) for n, d in ods_parts([])]
        name = 'doctype-%s.ods' % part
        refused(write_zip(path_of(name), parts),
                r'^%s:%s:1:\d+: error: a DOCTYPE is not allowed' % (re.escape(name), part),
                count=1)


def case_billion_laughs():
    lol = ''.join('<!ENTITY l%d "%s">' % (i, ('&l%d;' % (i - 1)) * 10) for i in range(1, 10))
    doctype = '<!DOCTYPE w [<!ENTITY l0 "lol">%s]>' % lol
    sheet = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&l9;</t></is></c></row>')
    parts = [(n, with_doctype(d, doctype) if n.endswith('sheet1.xml') else d)
             for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('laughs.xlsx'), parts),
            r'^laughs\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: a DOCTYPE is not allowed',
            seconds=5, mem_mb=256, count=1)


def opened_paths(path, log):
    """The paths the dump opens, stats or reads links of, under strace; None when strace
    cannot trace here."""
    strace = shutil.which('strace')
    if not strace:
        return None
    env = dict(os.environ, ASAN_OPTIONS=(os.environ.get('ASAN_OPTIONS', '') +
                                         ':detect_leaks=0').lstrip(':'))
    p = subprocess.run([strace, '-f', '-qq', '-e', 'trace=open,openat,openat2,creat,stat,'
                        'newfstatat,statx,access,readlink,connect', '-o', log, DUMP, path],
                       capture_output=True, timeout=60, env=env)
    if not os.path.exists(log) or 'ptrace' in p.stderr.decode():
        return None
    seen = []
    for line in open(log, encoding='utf-8', errors='replace'):
        if 'connect(' in line:
            seen.append('connect: ' + line.strip())
        m = re.search(r'"([^"]*)"', line)
        if m:
            seen.append(m.group(1))
    return seen


def case_external_entity():
    """A DOCTYPE naming a file beside the workbook and /etc/passwd, and an entity of each in a
    cell: refused, neither file opened (strace), nothing of them in any message."""
    marker = path_of('marker.txt')
    with open(marker, 'w') as f:
        f.write('MARKER-b00c\n')
    doctype = ('<!DOCTYPE worksheet SYSTEM "%s" [<!ENTITY m SYSTEM "file://%s">'
               '<!ENTITY p SYSTEM "file:///etc/passwd"><!ENTITY n SYSTEM '
               '"http://127.0.0.1:9/x">]>' % (marker, marker))
    sheet = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&m;&p;&n;</t></is></c></row>')
    cases = []
    for fmt in ('xlsx', 'ods'):
        if fmt == 'xlsx':
            parts = [(n, with_doctype(d, doctype) if n.endswith('sheet1.xml') else d)
                     for n, d in xlsx_parts([('A', sheet, None)])]
        else:
            table = ('<table:table table:name="A"><table:table-row><table:table-cell office:'
                     'value-type="string"><text:p>&m;&p;</text:p></table:table-cell>'
                     '</table:table-row></table:table>')
            parts = [(n, with_doctype(d, doctype) if n == 'content.xml' else d)
                     for n, d in ods_parts([table])]
        path = write_zip(path_of('external.' + fmt), parts)
        cases.append(path)
        r = refused(path, r'a DOCTYPE is not allowed', count=1)
        if r:
            check('MARKER' not in r.err and 'root:' not in r.err,
                  '%s: the content of another file leaked: %s' % (path, r.err))
    traced = 0
    for path in cases:
        seen = opened_paths(path, path + '.strace')
        if seen is None:
            continue
        traced += 1
        for p in seen:
            check('marker' not in p and 'passwd' not in p and not p.startswith('connect'),
                  '%s: the reader touched %s' % (path, p))
        check(any(os.path.abspath(p) == os.path.abspath(path) for p in seen),
              '%s: strace did not see the workbook opened; the trace is not trustworthy' % path)
    print('traced %d reads under strace' % traced if traced else
          'strace unavailable: checked the messages only')


def case_shared_index():
    cells = ('<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>2</v></c></row>'
             '<row r="7"><c r="C7" t="s"><v>4294967295</v></c><c r="D7" t="s"><v>x</v></c></row>')
    path = write_zip(path_of('shared.xlsx'),
                     xlsx_parts([('Tehtävät', sheet_xml(cells), None)], shared=['<t>a</t>',
                                                                                '<t>b</t>']))
    refused(path, r'^shared\.xlsx:Tehtävät!B1: error: the cell names shared string 2, but the '
            r'workbook has 2 \(numbered from 0\)')
    refused(path, r'^shared\.xlsx:Tehtävät!C7: error: the cell names shared string 4294967295')
    refused(path, r'^shared\.xlsx:Tehtävät!D7: error: the shared string index "x" is not a number',
            count=3)
    path = write_zip(path_of('noshared.xlsx'),
                     xlsx_parts([('A', sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
                                  None)]))
    refused(path, r'^noshared\.xlsx:A!A1: error: .*no shared strings part')


def case_ref_beyond():
    cells = ('<row r="1"><c r="XFD1"><v>1</v></c><c r="XFE1"><v>2</v></c></row>'
             '<row r="1048576"><c r="A1048576"><v>3</v></c><c r="B1048577"><v>4</v></c>'
             '<c r="ZZZZ9"><v>5</v></c></row>'
             '<row r="1048577"><c><v>6</v></c></row>')
    path = write_zip(path_of('beyond.xlsx'),
                     xlsx_parts([('S', sheet_xml(cells) +
                                  '<mergeCells><mergeCell ref="A2:XFE3"/></mergeCells>', None)]))
    refused(path, r'^beyond\.xlsx:S!XFE1: error: the cell lies beyond the sheet\'s last cell, '
            r'XFD1048576')
    refused(path, r'^beyond\.xlsx:S!B1048577: error: the cell lies beyond')
    refused(path, r'^beyond\.xlsx:S!ZZZZ9: error: the cell lies beyond')
    refused(path, r'^beyond\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: row 1048577 of sheet S '
            r'lies beyond the sheet\'s last row')
    refused(path, r'^beyond\.xlsx:S!XFE3: error: the cell lies beyond', count=5)
    # a row full to XFD and one more cell without r=
    wide = '<row r="1">' + '<c><v>1</v></c>' * 16385 + '</row>'
    path = write_zip(path_of('wide.xlsx'), xlsx_parts([('W', sheet_xml(wide), None)]))
    refused(path, r'^wide\.xlsx:W!XFD1: error: a cell after the sheet\'s last column', count=1)
    # ODS: content pushed past XFD by repeated columns, and a row past 1048576
    t = ('<table:table table:name="O"><table:table-row><table:table-cell table:number-columns-'
         'repeated="16384"/><table:table-cell office:value-type="float" office:value="1"/>'
         '</table:table-row><table:table-row table:number-rows-repeated="1048575"/>'
         '<table:table-row><table:table-cell office:value-type="float" office:value="2"/>'
         '</table:table-row></table:table>')
    path = write_zip(path_of('beyond.ods'), ods_parts([t]))
    refused(path, r'^beyond\.ods:O!XFD1: error: the cell lies beyond the sheet\'s last cell')
    refused(path, r'^beyond\.ods:O!A1048576: error: the cell lies beyond', count=2)


def case_style_index():
    styles = ('<fonts count="1"><font/></fonts><cellXfs count="2"><xf numFmtId="0" fontId="0"/>'
              '<xf numFmtId="9" fontId="3"/></cellXfs>')
    cells = '<row r="2"><c r="B2" s="2"><v>1</v></c><c r="C2" s="1"><v>1</v></c></row>'
    path = write_zip(path_of('style.xlsx'),
                     xlsx_parts([('S', sheet_xml(cells), None)], styles=styles))
    refused(path, r'^style\.xlsx:S!B2: error: the cell\'s style index 2 is out of range: the '
            r'workbook has 2 cell formats')
    refused(path, r'^style\.xlsx:xl/styles\.xml: error: cell format 1 names font 3, but the part '
            r'has 1 fonts', count=2)


def case_overlapping_merges():
    merges = ('<mergeCells><mergeCell ref="A1:B2"/><mergeCell ref="B2:C3"/>'
              '<mergeCell ref="E1:E9"/><mergeCell ref="D5:F5"/><mergeCell ref="H1:H2"/>'
              '<mergeCell ref="H3:I4"/></mergeCells>')
    path = write_zip(path_of('overlap.xlsx'), xlsx_parts([('S', '<sheetData/>' + merges, None)]))
    refused(path, r'^overlap\.xlsx:S!B2: error: the merged range B2:C3 overlaps the merged range '
            r'A1:B2')
    refused(path, r'^overlap\.xlsx:S!D5: error: the merged range D5:F5 overlaps the merged range '
            r'E1:E9', count=2)
    # ODS: a span over a cell that spans itself
    t = ('<table:table table:name="O"><table:table-row><table:table-cell table:number-rows-'
         'spanned="3"/></table:table-row><table:table-row><table:table-cell table:number-columns'
         '-spanned="2"/></table:table-row></table:table>')
    refused(write_zip(path_of('overlap.ods'), ods_parts([t])),
            r'^overlap\.ods:O!A2: error: the merged range A2:B2 overlaps the merged range A1:A3',
            count=1)
    # a million ranges in a row, none overlapping but the last: n log n
    many = ''.join('<mergeCell ref="%s%d:%s%d"/>' % ('A', r, 'B', r) for r in range(1, 300001))
    many += '<mergeCell ref="B7:C7"/>'
    path = write_zip(path_of('many-merges.xlsx'),
                     xlsx_parts([('M', '<sheetData/><mergeCells>%s</mergeCells>' % many, None)]))
    refused(path, r'^many-merges\.xlsx:M!B7: error: the merged range B7:C7 overlaps the merged '
            r'range A7:B7', count=1, seconds=20)


def good_xlsx(name='good.xlsx'):
    cells = ''.join('<row r="%d"><c r="A%d" t="inlineStr"><is><t>row %d with some text to '
                    'compress</t></is></c></row>' % (i, i, i) for i in range(1, 400))
    return write_zip(path_of(name), xlsx_parts([('A', sheet_xml(cells), None)]))


def case_truncated():
    good = good_xlsx()
    data = open(good, 'rb').read()
    for cut in (len(data) // 2, len(data) - 10, 30):
        p = path_of('cut-%d.xlsx' % cut)
        with open(p, 'wb') as f:
            f.write(data[:cut])
        refused(p, r'^cut-%d\.xlsx: error: the zip(\'s directory)? is damaged' % cut, count=1)
    # cut inside a part's data, the directory kept: the part cannot be inflated
    entries = xlsx_entries([('A', sheet_xml(''.join(
        '<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i) for i in range(1, 3000))), None)])
    for e in entries:
        if e['name'].endswith('sheet1.xml'):
            e['data'] = e['data'][:len(e['data']) // 2]
    refused(raw_zip(path_of('cut-part.xlsx'), entries),
            r'^cut-part\.xlsx:xl/worksheets/sheet1\.xml: error: the part cannot be inflated: its '
            r'data is cut short', count=1)


def case_lying_directory():
    sheet = sheet_xml(''.join('<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (i, i, i)
                              for i in range(1, 2000)))

    def variant(name, **lie):
        entries = xlsx_entries([('A', sheet, None)])
        for e in entries:
            if e['name'].endswith('sheet1.xml'):
                e.update(lie)
        return raw_zip(path_of(name), entries)

    # it says 100 bytes: 100 bytes are read, and the checksum does not match them
    refused(variant('small.xlsx', size=100, lsize=100),
            r'^small\.xlsx:xl/worksheets/sheet1\.xml: error: (the part is damaged|the part is not '
            r'well-formed)')
    # it says 1 GB: the part ends long before, and that is said
    refused(variant('large.xlsx', size=1 << 30, lsize=1 << 30),
            r'^large\.xlsx:xl/worksheets/sheet1\.xml: error: the zip\'s directory says the part '
            r'holds 1073741824 bytes, but it holds \d+', count=1)
    refused(variant('crc.xlsx', crc=1234, lcrc=1234),
            r'^crc\.xlsx:xl/worksheets/sheet1\.xml: error: the part is damaged: its checksum does '
            r'not match', count=1)
    refused(variant('method.xlsx', lmethod=0),
            r'^method\.xlsx:xl/worksheets/sheet1\.xml: error: the part cannot be opened', count=1)
    # the part's offset points elsewhere
    entries = xlsx_entries([('A', sheet, None)])
    path = raw_zip(path_of('offset.xlsx'), entries)
    data = bytearray(open(path, 'rb').read())
    i = data.rindex(b'xl/worksheets/sheet1.xml', 0, len(data) - 30)
    struct.pack_into('<I', data, i - 4, 3)  # the central header's local offset
    open(path, 'wb').write(bytes(data))
    refused(path, r'^offset\.xlsx:xl/worksheets/sheet1\.xml: error: the part cannot be opened',
            count=1)


def case_not_a_zip():
    samples = {
        'random.xlsx': os.urandom(5000),
        'text.xlsx': 'kenttä;arvo\nvuosi;2020\n'.encode(),
        'flat.ods': b'<?xml version="1.0"?><office:document/>',
        'old.xls': b'\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1' + b'\0' * 600,
        'doc.pdf': b'%PDF-1.7\n%\xe2\xe3\xcf\xd3\n',
    }
    want = {
        'random.xlsx': r'this is not a workbook: an XLSX or ODS workbook is a zip archive',
        'text.xlsx': r'this is not a workbook',
        'flat.ods': r'this is an XML file, not a workbook',
        'old.xls': r'this is an Excel 97-2003 workbook \(\.xls\) or a password-protected one',
        'doc.pdf': r'this is not a workbook',
    }
    for name, data in samples.items():
        p = path_of(name)
        open(p, 'wb').write(data)
        refused(p, r'^%s: error: %s' % (re.escape(name), want[name]), count=1)
    # zips that are no workbook
    p = write_zip(path_of('plain.zip'), [('readme.txt', 'hello')])
    refused(p, r'^plain\.zip: error: the zip is neither an XLSX workbook .* nor an ODS one', count=1)
    p = write_zip(path_of('text.odt'), [('mimetype', 'application/vnd.oasis.opendocument.text'),
                                        ('content.xml', '<x/>')])
    refused(p, r'^text\.odt: error: the zip\'s mimetype is "application/vnd\.oasis\.opendocument'
            r'\.text": not a spreadsheet', count=1)
    p = write_zip(path_of('binary.xlsb'), [('xl/workbook.bin', b'\0' * 10)])
    refused(p, r'^binary\.xlsb: error: this is an Excel binary workbook \(\.xlsb\)', count=1)


def case_empty():
    p = path_of('empty.xlsx')
    open(p, 'wb').close()
    refused(p, r'^empty\.xlsx: error: the file is empty', count=1)
    refused(p, r'^empty\.xlsx: error: the file is empty', count=1, flags=('--bytes',))
    p = write_zip(path_of('nothing.zip'), [])
    refused(p, r'^nothing\.zip: error: the zip is empty', count=1)


def case_special_files():
    fifo = path_of('pipe.xlsx')
    os.mkfifo(fifo)
    # nobody writes to the pipe: a reader that opened it for reading would wait for ever
    refused(fifo, r'^.*pipe\.xlsx: error: the workbook is a pipe \(FIFO\), not a regular file',
            seconds=5, count=1)
    folder = path_of('folder.xlsx')
    os.mkdir(folder)
    refused(folder, r'^.*folder\.xlsx: error: the workbook is a folder, not a regular file',
            count=1)
    refused('/dev/zero', r'^/dev/zero: error: the workbook is a device, not a regular file',
            seconds=5, count=1)
    refused(path_of('missing.xlsx'), r'^.*missing\.xlsx: error: cannot open the workbook: No such '
            r'file', count=1)
    # a symbolic link to a workbook is a path like any other
    good = good_xlsx()
    link = path_of('link.xlsx')
    os.symlink(good, link)
    r = read(DUMP, link)
    check(r.rc == 0, 'link.xlsx: %s' % r.err)
    check(stat.S_ISLNK(os.lstat(link).st_mode), 'link.xlsx is no link')


def ods_table(rows):
    return '<table:table table:name="T">%s</table:table>' % rows


def case_repeat_bomb():
    """One cell with content, repeated over 16,384 columns and a million rows: 17 billion
    cells from 400 bytes.  The cell limit stops it."""
    t = ods_table('<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
                  'table:number-columns-repeated="16384" office:value-type="float" '
                  'office:value="1"/></table:table-row>')
    refused(write_zip(path_of('repeat.ods'), ods_parts([t])),
            r'^repeat\.ods:T: error: the workbook has more than 2000000 cells with content and '
            r'merged ranges', count=1, mem_mb=1024)
    t = ods_table('<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
                  'table:number-columns-repeated="16384" table:number-columns-spanned="1" '
                  'table:number-rows-spanned="1"/><table:table-cell table:number-columns-spanned'
                  '="2"/></table:table-row>')
    refused(write_zip(path_of('spans.ods'), ods_parts([t])),
            r'^spans\.ods:T!XFD1: error: the cell lies beyond the sheet\'s last cell', mem_mb=1024)


def case_spaces_bomb():
    """<text:s text:c="N"/> makes N spaces from 20 bytes: they count as unpacked bytes."""
    def spaces(name, elements):
        t = ods_table('<table:table-row><table:table-cell office:value-type="string"><text:p>a%s'
                      '</text:p></table:table-cell></table:table-row>' % elements)
        return write_zip(path_of(name), ods_parts([t]))
    refused(spaces('spaces.ods', '<text:s text:c="4000000000"/>'),
            r'^spaces\.ods:content\.xml: error: the workbook unpacks to more than 64 MiB',
            count=1)
    refused(spaces('spaces2.ods', '<text:s text:c="1000000"/>' * 100),
            r'^spaces2\.ods:content\.xml: error: the workbook unpacks to more than 64 MiB',
            count=1, mem_mb=512)
    refused(spaces('spaces3.ods', '<text:s text:c="-1"/>'),
            r'^spaces3\.ods:content\.xml:1:\d+: error: text:c="-1" is not a number of spaces',
            count=1)


def case_too_many_errors():
    cells = ''.join('<row r="%d"><c r="A%d" t="b"><v>maybe</v></c></row>' % (i, i)
                    for i in range(1, 1001))
    path = write_zip(path_of('errors.xlsx'), xlsx_parts([('E', sheet_xml(cells), None)]))
    r = refused(path, r'^errors\.xlsx: error: more than 100 problems; the first 100 are shown',
                count=101)
    if r:
        check(r.err.count('"maybe" is not a boolean') == 100, 'errors.xlsx: not 100 cell errors')


def case_odd_zips():
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    # two entries of one name (or of one name but for case, as OPC names compare)
    entries = xlsx_entries([('A', sheet, None)])
    entries.append(entry('XL/Worksheets/Sheet1.xml', '<worksheet/>'))
    refused(raw_zip(path_of('twice.xlsx'), entries),
            r'^twice\.xlsx:xl/worksheets/sheet1\.xml: error: the zip holds two entries of this '
            r'name', count=1)
    entries = xlsx_entries([('A', sheet, None)])
    for e in entries:
        if e['name'].endswith('sheet1.xml'):
            e['flags'] = 1
    refused(raw_zip(path_of('encrypted.xlsx'), entries),
            r'^encrypted\.xlsx:xl/worksheets/sheet1\.xml: error: the part is encrypted', count=1)
    entries = xlsx_entries([('A', sheet, None)])
    for e in entries:
        if e['name'].endswith('sheet1.xml'):
            e['method'] = e['lmethod'] = 14
    refused(raw_zip(path_of('lzma.xlsx'), entries),
            r'^lzma\.xlsx:xl/worksheets/sheet1\.xml: error: the part is compressed with method 14',
            count=1)
    # a sheet the workbook names but the zip lacks, and a relationship that is not there
    parts = [p for p in xlsx_parts([('A', sheet, None)]) if not p[0].endswith('sheet1.xml')]
    refused(write_zip(path_of('nosheet.xlsx'), parts),
            r'^nosheet\.xlsx: error: the part xl/worksheets/sheet1\.xml of the sheet "A" is '
            r'missing', count=1)
    parts = [(n, d.replace('r:id="rId1"', 'r:id="rId9"') if n == 'xl/workbook.xml' else d)
             for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('norel.xlsx'), parts),
            r'^norel\.xlsx: error: the sheet "A" names the relationship rId9, which '
            r'xl/_rels/workbook\.xml\.rels does not hold', count=1)
    parts = [(n, d) for n, d in ods_parts([]) if n != 'content.xml']
    refused(write_zip(path_of('nocontent.ods'), parts),
            r'^nocontent\.ods: error: the part content\.xml is missing', count=1)
    parts = xlsx_parts([('Sama', sheet, None), ('SAMA', sheet, None)])
    refused(write_zip(path_of('samename.xlsx'), parts),
            r'^samename\.xlsx: error: two sheets are named "SAMA"', count=1)
    # a relationship that climbs out of the package names no part: the part is missing
    parts = [(n, d.replace('Target="worksheets/sheet1.xml"', 'Target="../../../../etc/passwd"')
              if n.endswith('workbook.xml.rels') else d) for n, d in xlsx_parts([('A', sheet,
                                                                                  None)])]
    refused(write_zip(path_of('climb.xlsx'), parts),
            r'^climb\.xlsx: error: the part etc/passwd of the sheet "A" is missing', count=1)


def case_broken_parts():
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    parts = [(n, d.replace('</sheetData>', '</sheetDat>') if n.endswith('sheet1.xml') else d)
             for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('broken.xlsx'), parts),
            r'^broken\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: the part is not well-formed '
            r'XML: ', count=1)
    parts = [(n, '' if n.endswith('sheet1.xml') else d)
             for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('emptypart.xlsx'), parts),
            r'^emptypart\.xlsx:xl/worksheets/sheet1\.xml: error: the part is empty', count=1)
    deep = '<a>' * 100000 + '</a>' * 100000
    parts = [(n, d.replace('<sheetData>', deep + '<sheetData>') if n.endswith('sheet1.xml') else d)
             for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('deep.xlsx'), parts),
            r'^deep\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: the part nests elements more '
            r'than 256 deep', count=1)
    parts = [(n, d.replace('<c r="A1">', '<c r="A1" x="%s">' % ('y' * (20 << 20)))
              if n.endswith('sheet1.xml') else d) for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('attr.xlsx'), parts), r'^attr\.xlsx:xl/worksheets/sheet1\.xml:',
            count=1)
    # not UTF-8
    parts = [(n, d.encode('utf-8').replace(b'<v>1</v>', b'<v>\xff</v>') if n.endswith('sheet1.xml')
              else d) for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('bytes.xlsx'), parts),
            r'^bytes\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: the part is not well-formed', count=1)
    # other encodings: read when they can be, refused (at the part, never on stderr) when not
    text = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>äö</t></is></c></row>')

    def encoded(name, f):
        return write_zip(path_of(name), [(n, f(d) if n.endswith('sheet1.xml') else d)
                                         for n, d in xlsx_parts([('A', text, None)])])
    for name, enc in (('latin1.xlsx', 'ISO-8859-1'), ('utf16.xlsx', 'UTF-16')):
        p = encoded(name, lambda d: d.replace('UTF-8', enc).encode(enc.lower()))
        r = read(DUMP, p)
        check(r.rc == 0 and r.book['sheets'][0]['cells'][0]['text'] == 'äö',
              '%s: %d %s %s' % (name, r.rc, r.err, r.out[:300]))
    refused(encoded('badutf16.xlsx', lambda d: d.replace('UTF-8', 'UTF-16').encode('utf-16') +
                    b'\x00\xd8\x41\x00'),
            r'^badutf16\.xlsx:xl/worksheets/sheet1\.xml: error: the part is not well-formed XML: '
            r'input conversion failed', count=1)
    refused(encoded('badutf8.xlsx', lambda d: d.encode().replace('äö'.encode(), b'\xc3\x28')),
            r'^badutf8\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: the part is not well-formed '
            r'XML: Input is not proper UTF-8', count=1)
    refused(encoded('unknown.xlsx', lambda d: d.replace('UTF-8', 'X-NOPE')),
            r'^unknown\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: the part is not well-formed '
            r'XML: Unsupported encoding X-NOPE', count=1)
    bad = ('<row r="1"><c r="A1" t="q"><v>1</v></c><c r="B1"><v>1,5</v></c>'
           '<c r="C1" t="d"><v>2020-02-30</v></c><c r="1A"><v>1</v></c></row>')
    path = write_zip(path_of('values.xlsx'), xlsx_parts([('V', sheet_xml(bad), None)]))
    refused(path, r'^values\.xlsx:V!A1: error: the cell type t="q" is unknown')
    refused(path, r'^values\.xlsx:V!B1: error: "1,5" is not a number')
    refused(path, r'^values\.xlsx:V!C1: error: "2020-02-30" is not a date')
    refused(path, r'^values\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: "1A" is not a cell '
            r'reference', count=4)
    twice = '<row r="2"><c r="B2"><v>1</v></c></row><row r="1"><c r="B2"><v>2</v></c></row>'
    refused(write_zip(path_of('twice.xlsx'), xlsx_parts([('T', sheet_xml(twice), None)])),
            r'^twice\.xlsx:T!B2: error: the cell is given twice in the sheet', count=1)
    t = ('<table:table table:name="V"><table:table-row>'
         '<table:table-cell office:value-type="float" office:value="1,5"/>'
         '<table:table-cell office:value-type="date" office:date-value="2020-02-30"/>'
         '<table:table-cell office:value-type="time" office:time-value="12:00"/>'
         '<table:table-cell office:value-type="boolean" office:boolean-value="maybe"/>'
         '<table:table-cell office:value-type="money" office:value="1"/>'
         '<table:table-cell table:number-columns-repeated="0"/>'
         '</table:table-row></table:table>')
    path = write_zip(path_of('values.ods'), ods_parts([t]))
    refused(path, r'^values\.ods:V!A1: error: office:value="1,5" is not a number')
    refused(path, r'^values\.ods:V!B1: error: office:date-value="2020-02-30" is not a date')
    refused(path, r'^values\.ods:V!C1: error: office:time-value="12:00" is not a time')
    refused(path, r'^values\.ods:V!D1: error: office:boolean-value="maybe" is not true or false')
    refused(path, r'^values\.ods:V!E1: error: office:value-type="money" is unknown')
    refused(path, r'^values\.ods:content\.xml:1:\d+: error: table:number-columns-repeated="0" is '
            r'not a positive number', count=6)


def case_xml_limits():
    """XML that costs libxml2 2.9 n² (attributes checked against each other, namespaces looked
    up through every declaration in scope): refused at a limit no workbook comes near, in time."""
    attrs = ' '.join('a%d=""' % i for i in range(300000))
    sheet = sheet_xml('<row r="1"><c r="A1" %s><v>1</v></c></row>' % attrs)
    path = write_zip(path_of('attributes.xlsx'), xlsx_parts([('A', sheet, None)]))
    check(os.path.getsize(path) < 1 << 20, 'attributes.xlsx is big')
    refused(path, r'^attributes\.xlsx:xl/worksheets/sheet1\.xml: error: an element of the part has '
            r'more than 256 attributes', count=1, seconds=5)
    # "=" in comments, CDATA and values is no attribute; 252 attributes are allowed
    many = ' '.join('a%d="x=y"' % i for i in range(250))
    sheet = sheet_xml('<!-- %s --><row r="1"><c r="A1" t="inlineStr" %s><is><t><![CDATA[%s]]>'
                      '</t></is></c></row>' % ('=' * 5000, many, '=' * 5000))
    r = read(DUMP, write_zip(path_of('fine.xlsx'), xlsx_parts([('A', sheet, None)])))
    check(r.rc == 0 and r.book['sheets'][0]['cells'][0]['text'] == '=' * 5000,
          'fine.xlsx: %d %s' % (r.rc, r.err))

    def decls(i):
        return ' '.join('xmlns:p%d_%d="urn:%d:%d"' % (i, j, i, j) for j in range(100))
    deep = ''.join('<p%d_0:x %s>' % (i, decls(i)) for i in range(200))
    body = deep + '<p0_0:e/>' * 1000000 + ''.join('</p%d_0:x>' % i for i in reversed(range(200)))
    path = write_zip(path_of('namespaces.xlsx'), xlsx_parts([('A', '<sheetData/>' + body, None)]))
    refused(path, r'^namespaces\.xlsx:xl/worksheets/sheet1\.xml:1:\d+: error: the part declares '
            r'more than 128 namespaces at once', count=1, seconds=5)


def case_many_sheets():
    """Sheets cost memory even when empty: more than LibreOffice's 10,000 are refused."""
    t = ''.join('<table:table table:name="T%d"/>' % i for i in range(300000))
    refused(write_zip(path_of('tables.ods'), ods_parts([t])),
            r'^tables\.ods:content\.xml: error: the workbook has more than 10000 sheets', count=1)
    sheets = ''.join('<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (i, i) for i in range(20000))
    parts = [(n, d.replace('<sheet name="A" sheetId="1" r:id="rId1"/>', sheets)
              if n == 'xl/workbook.xml' else d)
             for n, d in xlsx_parts([('A', sheet_xml(''), None)])]
    refused(write_zip(path_of('sheets.xlsx'), parts),
            r'^sheets\.xlsx:xl/workbook\.xml: error: the workbook has more than 10000 sheets',
            count=1)
    # 10,000 sheets, all of one part, are read (and the names are checked in linear time)
    sheets = ''.join('<sheet name="S%d" sheetId="%d" r:id="rId1"/>' % (i, i) for i in range(10000))
    parts = [(n, d.replace('<sheet name="A" sheetId="1" r:id="rId1"/>', sheets)
              if n == 'xl/workbook.xml' else d)
             for n, d in xlsx_parts([('A', sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'),
                                      None)])]
    t0 = time.time()
    r = read(DUMP, write_zip(path_of('limit.xlsx'), parts), timeout=120 * SLOW)
    check(r.rc == 0 and len(r.book['sheets']) == 10000, 'limit.xlsx: %d %s' % (r.rc, r.err))
    check(time.time() - t0 < 20 * SLOW, 'limit.xlsx: %.1f s' % (time.time() - t0))


def case_style_lists():
    """Styles cost memory out of proportion to their bytes ("<xf/>" is five): lists longer than
    any office program writes are refused."""
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    for what, styles in (('cell formats', '<cellXfs>%s</cellXfs>' % ('<xf/>' * 200000)),
                         ('fonts', '<fonts>%s</fonts>' % ('<font/>' * 200000)),
                         ('number formats', '<numFmts>%s</numFmts>' % ''.join(
                             '<numFmt numFmtId="%d" formatCode="0"/>' % i for i in range(200000)))):
        name = what.replace(' ', '-') + '.xlsx'
        refused(write_zip(path_of(name), xlsx_parts([('A', sheet, None)], styles=styles)),
                r'^%s:xl/styles\.xml:\d+:\d+: error: the part has more than 65536 %s'
                % (re.escape(name), what), count=1)
    rels = ''.join('<Relationship Id="x%d" Type="%sworksheet" Target="worksheets/sheet1.xml"/>'
                   % (i, 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/')
                   for i in range(150000))
    parts = [(n, d.replace('</Relationships>', rels + '</Relationships>')
              if n == 'xl/_rels/workbook.xml.rels' else d)
             for n, d in xlsx_parts([('A', sheet, None)])]
    refused(write_zip(path_of('rels.xlsx'), parts),
            r'^rels\.xlsx:xl/_rels/workbook\.xml\.rels:\d+:\d+: error: the part has more than '
            r'100000 relationships', count=1)
    styles = ''.join('<style:style style:name="s%d" style:family="table-cell"/>' % i
                     for i in range(150000))
    refused(write_zip(path_of('styles.ods'), ods_parts([], automatic=styles)),
            r'^styles\.ods:content\.xml:\d+:\d+: error: the part has more than 100000 styles',
            count=1)


CASES = {n[5:]: f for n, f in globals().items() if n.startswith('case_')}


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    CASES[CASE]()
    for f in failures[:40]:
        print('FAIL', f)
    if not failures:
        print('ok')
    shutil.rmtree(WORK, ignore_errors=True)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
