"""Workbooks made by hand for the reader's tests: minimal XLSX and ODS packages around sheet XML
written here, so that each feature (and each hostile shape) is in the file exactly as a test
wants it.  Also runs the reader's dump tool and parses its JSON."""
import json
import os
import subprocess
import zipfile

NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
NS_STRICT = 'http://purl.oclc.org/ooxml/spreadsheetml/main'
NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
NS_R_STRICT = 'http://purl.oclc.org/ooxml/officeDocument/relationships'
REL_T = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships'

ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
          'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
          'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
          'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
          'xmlns:dc="http://purl.org/dc/elements/1.1/"')
ODS_MIME = 'application/vnd.oasis.opendocument.spreadsheet'


def write_zip(path, parts, stored=('mimetype',)):
    """parts: [(name, bytes or str)] in order; names in `stored` are not compressed."""
    with zipfile.ZipFile(path, 'w') as z:
        for name, data in parts:
            if isinstance(data, str):
                data = data.encode('utf-8')
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data,
                       compress_type=method)
    return path


def xlsx_parts(sheets, shared=None, styles=None, workbook_pr='', strict=False, folder='xl',
               root_rels=True, extra=()):
    """sheets: [(name, sheet XML body inside <worksheet>, state or None)];
    shared: list of <si> bodies; styles: the <styleSheet> body."""
    ns, nsr = (NS_STRICT, NS_R_STRICT) if strict else (NS_MAIN, NS_R)
    rel_t = 'http://purl.oclc.org/ooxml/officeDocument/relationships/' if strict else REL_T
    parts = [('[Content_Types].xml',
              '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxml'
              'formats.org/package/2006/content-types"><Default Extension="xml" ContentType='
              '"application/xml"/></Types>')]
    if root_rels:
        parts.append(('_rels/.rels',
                      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">'
                      '<Relationship Id="rId1" Type="%sofficeDocument" Target="/%s/workbook.xml"/>'
                      '</Relationships>' % (PKG_REL, rel_t, folder)))
    wb = ['<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" xmlns:r="%s">%s<sheets>'
          % (ns, nsr, workbook_pr)]
    rels = ['<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="%s">' % PKG_REL]
    for i, (name, body, state) in enumerate(sheets, 1):
        st = ' state="%s"' % state if state else ''
        wb.append('<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>' % (name, i, st, i))
        rels.append('<Relationship Id="rId%d" Type="%sworksheet" Target="worksheets/sheet%d.xml"/>'
                    % (i, rel_t, i))
        parts.append(('%s/worksheets/sheet%d.xml' % (folder, i),
                      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s" xmlns:r="%s">'
                      '%s</worksheet>' % (ns, nsr, body)))
    wb.append('</sheets></workbook>')
    n = len(sheets)
    if shared is not None:
        rels.append('<Relationship Id="rId%d" Type="%ssharedStrings" Target="sharedStrings.xml"/>'
                    % (n + 1, rel_t))
        parts.append(('%s/sharedStrings.xml' % folder,
                      '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="%s" count="%d" '
                      'uniqueCount="%d">%s</sst>'
                      % (ns, len(shared), len(shared), ''.join('<si>%s</si>' % s for s in shared))))
    if styles is not None:
        rels.append('<Relationship Id="rId%d" Type="%sstyles" Target="../%s/styles.xml"/>'
                    % (n + 2, rel_t, folder))
        parts.append(('%s/styles.xml' % folder,
                      '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="%s">%s</styleSheet>'
                      % (ns, styles)))
    rels.append('</Relationships>')
    parts.append(('%s/workbook.xml' % folder, ''.join(wb)))
    parts.append(('%s/_rels/workbook.xml.rels' % folder, ''.join(rels)))
    parts.extend(extra)
    return parts


def ods_parts(tables, automatic='', common='', mimetype=ODS_MIME):
    """tables: the <table:table> elements, as XML; automatic and common: styles."""
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content %s office:version='
               '"1.3"><office:automatic-styles>%s</office:automatic-styles><office:body>'
               '<office:spreadsheet>%s</office:spreadsheet></office:body>'
               '</office:document-content>' % (ODS_NS, automatic, ''.join(tables)))
    styles = ('<?xml version="1.0" encoding="UTF-8"?><office:document-styles %s office:version='
              '"1.3"><office:styles>%s</office:styles></office:document-styles>' % (ODS_NS, common))
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
                'oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="%s"/>'
                '</manifest:manifest>' % mimetype)
    return [('mimetype', mimetype), ('content.xml', content), ('styles.xml', styles),
            ('META-INF/manifest.xml', manifest)]


class Read:
    def __init__(self, p):
        self.rc = p.returncode
        self.out = p.stdout.decode('utf-8', 'replace')
        self.err = p.stderr.decode('utf-8', 'replace')
        self.book = json.loads(self.out) if self.rc == 0 and self.out.strip() else None

    def sheet(self, name):
        for s in self.book['sheets']:
            if s['name'] == name:
                return s
        raise KeyError(name)

    def cells(self, name):
        return {c['ref']: c for c in self.sheet(name)['cells']}


def read(dump, path, *flags, timeout=120, preexec=None, cwd=None):
    p = subprocess.run([dump] + list(flags) + [path], capture_output=True, timeout=timeout,
                       preexec_fn=preexec, cwd=cwd)
    return Read(p)


def sanitized(exe):
    with open(exe, 'rb') as f:
        return b'__asan_init' in f.read()


def runs_of(cell):
    """The runs as (text, 'b'/'i'/'bi'/'') tuples."""
    return [tuple(r) for r in cell.get('runs', [])]


def tmpdir_for(base, name):
    d = os.path.join(base, name)
    os.makedirs(d, exist_ok=True)
    return d
