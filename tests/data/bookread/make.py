#!/usr/bin/python3
"""Makes the reader's committed workbooks (README.md says what each is) and the fuzz target's
seed corpus from them (tests/fuzz/corpus_book).  Run by hand when a fixture should change:

    tests/data/bookread/make.py BUILD_DIR      (BUILD_DIR holds src/taseuranta)

It needs openpyxl (python3-openpyxl) and LibreOffice (soffice)."""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, os.path.join(SRC, 'tests', 'tools'))
from bookread_make import features_ods, features_xlsx  # noqa: E402

OPENPYXL = r'''
import datetime, sys, openpyxl
from openpyxl.styles import Font
wb = openpyxl.Workbook()
ws = wb.active
ws.title = 'Luvut'
for i, (v, f) in enumerate([(20, '0" kpl"'), (0.5, '0%'), (1234.5, '#,##0.00 "€"'),
                            (datetime.date(2020, 10, 12), 'd.m.yyyy'), (1.5, '[h]:mm:ss')], 1):
    ws.cell(i, 1, v).number_format = f
ws['B1'] = True
ws['B2'] = '=A1*2'
ws['C1'] = 'Lihava'
ws['C1'].font = Font(bold=True)
ws['C2'] = 'rivi 1\nrivi 2'
ws.merge_cells('D1:E3')
ws['D1'] = 'yhdistetty'
wb.create_sheet('Piilotettu').sheet_state = 'hidden'
wb.save(sys.argv[1])
'''

XLSX_PARTS = ['_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels',
              'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/styles.xml',
              'xl/worksheets/sheet2.xml', 'xl/worksheets/sheet3.xml']
ODS_PARTS = ['content.xml', 'styles.xml']


def soffice(src, fmt, outdir, profile):
    filt = {'xlsx': 'xlsx:Calc MS Excel 2007 XML', 'ods': 'ods:calc8'}[fmt]
    subprocess.run(['soffice', '-env:UserInstallation=file://' + profile, '--headless',
                    '--convert-to', filt, '--outdir', outdir, src], check=True,
                   capture_output=True)
    return os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + '.' + fmt)


def main():
    build = sys.argv[1]
    tmp = tempfile.mkdtemp()
    try:
        made = {}
        made['features.xlsx'] = features_xlsx(os.path.join(HERE, 'features.xlsx'))
        made['features.ods'] = features_ods(os.path.join(HERE, 'features.ods'))
        subprocess.run([os.path.join(build, 'src', 'taseuranta'), 'build',
                        os.path.join(SRC, 'tests', 'data', 'valid', 'multi-measure.xml'), '-o', tmp,
                        '--format', 'xlsx,ods', '-q'], check=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH='1602504000'))
        for ext in ('xlsx', 'ods'):
            dst = os.path.join(HERE, 'ours.' + ext)
            shutil.copy(os.path.join(tmp, [f for f in os.listdir(tmp) if f.endswith(ext)][0]), dst)
            made['ours.' + ext] = dst
        op = os.path.join(HERE, 'openpyxl.xlsx')
        subprocess.run(['/usr/bin/python3', '-c', OPENPYXL, op], check=True)
        made['openpyxl.xlsx'] = op
        profile = os.path.join(tmp, 'profile')
        for src, fmt in (('features.ods', 'xlsx'), ('features.xlsx', 'ods')):
            out = soffice(made[src], fmt, os.path.join(tmp, 'lo'), profile)
            dst = os.path.join(HERE, 'lo-' + os.path.splitext(src)[0] + '-from-' +
                               os.path.splitext(src)[1][1:] + '.' + fmt)
            shutil.copy(out, dst)
            made[os.path.basename(dst)] = dst

        corpus = os.path.join(SRC, 'tests', 'fuzz', 'corpus_book')
        shutil.rmtree(corpus, ignore_errors=True)
        os.makedirs(corpus)
        for name, path in sorted(made.items()):
            data = open(path, 'rb').read()
            open(os.path.join(corpus, 'file-' + name), 'wb').write(b'\0' + data)
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                ods = name.endswith('.ods')
                parts = [z.read(p) if p in names else b''
                         for p in (ODS_PARTS if ods else XLSX_PARTS)]
            seed = (b'\2' if ods else b'\1') + b'\1'.join(parts)
            if len(seed) <= 60000:
                open(os.path.join(corpus, 'parts-' + name), 'wb').write(seed)
        for f in sorted(os.listdir(corpus)):
            print('%-40s %7d' % (f, os.path.getsize(os.path.join(corpus, f))))
    finally:
        shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
