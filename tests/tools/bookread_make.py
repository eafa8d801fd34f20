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
    ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml.'
    overrides = ['<Override PartName="/%s/workbook.xml" ContentType="%ssheet.main+xml"/>'
                 % (folder, ct)]
    overrides += ['<Override PartName="/%s/worksheets/sheet%d.xml" ContentType="%sworksheet+xml"/>'
                  % (folder, i, ct) for i in range(1, len(sheets) + 1)]
    if shared is not None:
        overrides.append('<Override PartName="/%s/sharedStrings.xml" ContentType="%ssharedStrings'
                         '+xml"/>' % (folder, ct))
    if styles is not None:
        overrides.append('<Override PartName="/%s/styles.xml" ContentType="%sstyles+xml"/>'
                         % (folder, ct))
    parts = [('[Content_Types].xml',
              '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxml'
              'formats.org/package/2006/content-types"><Default Extension="rels" ContentType='
              '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension='
              '"xml" ContentType="application/xml"/>%s</Types>' % ''.join(overrides))]
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
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type='
                '"text/xml"/><manifest:file-entry manifest:full-path="styles.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>' % mimetype)
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


# ---- The feature workbooks: what Excel, LibreOffice and others write, one of each ------------
# (check_bookread.py checks every cell of them; they seed the fuzz corpus too)

STYLES = ('<numFmts count="3"><numFmt numFmtId="164" formatCode="0&quot; kpl&quot;"/>'
          '<numFmt numFmtId="165" formatCode="#,##0\\ %"/>'
          '<numFmt numFmtId="166" formatCode="d\\.m\\.yyyy"/></numFmts>'
          '<fonts count="4"><font><sz val="11"/></font><font><b/><sz val="11"/></font>'
          '<font><i val="1"/></font><font><b val="0"/><i/></font></fonts>'
          '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="1"/></cellStyleXfs>'
          '<cellXfs count="8"><xf numFmtId="0" fontId="0"/><xf numFmtId="0" fontId="1"/>'
          '<xf numFmtId="164" fontId="0"/><xf numFmtId="165" fontId="0"/>'
          '<xf numFmtId="9" fontId="2"/><xf numFmtId="166" fontId="0"/>'
          '<xf numFmtId="14" fontId="3"/><xf numFmtId="49" fontId="0"/></cellXfs>'
          '<dxfs count="1"><dxf><font><b/></font></dxf></dxfs>')

SHARED = [
    '<t>plain</t>',
    '<r><rPr><b/><sz val="10"/></rPr><t xml:space="preserve">Bold statement\n</t></r>'
    '<r><rPr><sz val="10"/></rPr><t>and the rest.</t></r>',
    '<r><t>inherits </t></r><r><rPr><i/></rPr><t>italic</t></r>',
    '<t>line_x000D_\nbreak and _x005F_x0041_ and _x0041_</t>',
    '<t>kanji</t><rPh sb="0" eb="1"><t>KANA</t></rPh>',
    '<r><rPr><b val="0"/></rPr><t>not bold</t></r>',
    '<t></t>',
    '<r><rPr><b/></rPr><t>all bold</t></r><r><rPr><b/></rPr><t> still</t></r>',
]


def features_xlsx(path):
    sheet1 = (
        '<dimension ref="A1:E9"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>0</v></c>'
        '<c r="C1" t="s"><v>1</v></c><c r="D1" s="1" t="s"><v>2</v></c>'
        '<c r="E1" t="s"><v>3</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" s="1" t="s"><v>5</v></c>'
        '<c r="C2" t="s"><v>6</v></c><c r="D2" s="1" t="s"><v>7</v></c></row>'
        # numbers and formats
        '<row r="3"><c r="A3" s="2"><v>20</v></c><c r="B3" s="3"><v>1</v></c>'
        '<c r="C3" s="4" t="n"><v>0.25</v></c><c r="D3" s="5"><v>44116</v></c>'
        '<c r="E3" s="6" t="d"><v>2020-10-12T12:00:00</v></c></row>'
        # every type
        '<row r="4"><c r="A4" t="b"><v>1</v></c><c r="B4" t="e"><v>#DIV/0!</v></c>'
        '<c r="C4" t="str"><f>A1&amp;"x"</f><v>plainx</v></c><c r="D4"><f>1+1</f></c>'
        '<c r="E4" s="7" t="inlineStr"><is><r><rPr><i/></rPr><t>inline</t></r>'
        '<r><t xml:space="preserve"> rich</t></r></is></c></row>'
        # cells without r: the position follows the previous cell; a row without r follows
        # the previous row
        '<row r="6"><c t="inlineStr"><is><t>A6</t></is></c><c><v>2</v></c>'
        '<c r="E6"><v>5</v></c><c><v>6</v></c></row>'
        '<row><c><v>7</v></c></row>'
        # a formatted cell with nothing in it, and an empty shared string: no cells
        '<row r="9"><c r="A9" s="1"/><c r="B9" t="s"><v>6</v></c><c r="C9"><v>-1.5E-3</v></c>'
        '</row></sheetData>'
        '<mergeCells count="2"><mergeCell ref="A10:B11"/><mergeCell ref="D12:C13"/></mergeCells>')
    # cells out of order are sorted
    sheet2 = ('<sheetData><row r="3"><c r="B3"><v>3</v></c></row>'
              '<row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>0</v></c></row></sheetData>')
    return write_zip(path,
                     xlsx_parts([('Tiedot', sheet1, None), ('Piilo', sheet2, 'hidden'),
                                 ('Hyvin piilo', '<sheetData/>', 'veryHidden')],
                                shared=SHARED, styles=STYLES))


ODS_COMMON = (
    '<style:default-style style:family="table-cell"><style:text-properties fo:font-size="10pt"/>'
    '</style:default-style>'
    '<style:style style:name="Default" style:family="table-cell"/>'
    '<style:style style:name="Heading" style:family="table-cell" style:parent-style-name="Default">'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<number:percentage-style style:name="Ncommon"><number:number number:decimal-places="1" '
    'number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>')

ODS_AUTO = (
    '<style:style style:name="co1" style:family="table-column"/>'
    '<style:style style:name="ta1" style:family="table"><style:table-properties '
    'table:display="true"/></style:style>'
    '<style:style style:name="ta2" style:family="table"><style:table-properties '
    'table:display="false"/></style:style>'
    '<number:number-style style:name="N1"><number:number number:decimal-places="0" '
    'number:min-integer-digits="1"/><number:text> kpl</number:text></number:number-style>'
    '<number:percentage-style style:name="N2"><number:number number:decimal-places="0" '
    'number:min-integer-digits="1" number:grouping="true"/><number:text> %</number:text>'
    '</number:percentage-style>'
    '<number:currency-style style:name="N3P0" style:volatile="true"><number:number '
    'number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
    '<number:text> </number:text><number:currency-symbol number:language="fi" '
    'number:country="FI">€</number:currency-symbol></number:currency-style>'
    '<number:currency-style style:name="N3"><number:text>-</number:text><number:number '
    'number:decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>'
    '<number:text> </number:text><number:currency-symbol>€</number:currency-symbol>'
    '<style:map style:condition="value()&gt;=0" style:apply-style-name="N3P0"/>'
    '</number:currency-style>'
    '<number:date-style style:name="N4"><number:day/><number:text>.</number:text>'
    '<number:month/><number:text>.</number:text><number:year number:style="long"/>'
    '</number:date-style>'
    '<number:time-style style:name="N5"><number:hours number:style="long"/><number:text>:'
    '</number:text><number:minutes number:style="long"/></number:time-style>'
    '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Default" '
    'style:data-style-name="N1"/>'
    '<style:style style:name="ce2" style:family="table-cell" style:parent-style-name="Default" '
    'style:data-style-name="N2"><style:text-properties fo:font-style="italic"/></style:style>'
    '<style:style style:name="ce3" style:family="table-cell" style:data-style-name="N3"/>'
    '<style:style style:name="ce4" style:family="table-cell" style:data-style-name="N4"/>'
    '<style:style style:name="ce5" style:family="table-cell" style:data-style-name="N5"/>'
    '<style:style style:name="ce6" style:family="table-cell" style:parent-style-name="Heading"/>'
    '<style:style style:name="ce7" style:family="table-cell" style:parent-style-name="Heading">'
    '<style:text-properties fo:font-weight="normal"/></style:style>'
    '<style:style style:name="ce8" style:family="table-cell" '
    'style:data-style-name="Ncommon"/>'
    '<style:style style:name="T1" style:family="text"><style:text-properties '
    'fo:font-weight="bold"/></style:style>'
    '<style:style style:name="T2" style:family="text"><style:text-properties '
    'fo:font-style="italic"/></style:style>'
    '<style:style style:name="T3" style:family="text"><style:text-properties '
    'fo:font-weight="normal"/></style:style>'
    '<style:style style:name="P1" style:family="paragraph"><style:text-properties '
    'fo:font-weight="700"/></style:style>')


def cell(body, **attrs):
    a = ''.join(' %s="%s"' % (k.replace('__', ':').replace('_', '-'), v) for k, v in attrs.items())
    return '<table:table-cell%s>%s</table:table-cell>' % (a, body)


def features_ods(path):
    string = dict(office__value_type='string')
    rows = [
        # rich text: spans, nested spans, paragraphs, a paragraph style, text:s, tab, line-break
        '<table:table-row>' +
        cell('<text:p><text:span text:style-name="T1">Bold statement</text:span></text:p>'
             '<text:p>and the rest.</text:p>', **string) +
        cell('<text:p>a<text:s text:c="3"/>b<text:tab/>c<text:line-break/>d</text:p>', **string) +
        cell('<text:p text:style-name="P1">para <text:span text:style-name="T3">not</text:span>'
             ' <text:span text:style-name="T2">both</text:span></text:p>', **string) +
        cell('<text:p>  collapsed \n\t  spaces  </text:p>', **string) +
        cell('<office:annotation><dc:creator>x</dc:creator><text:p>NOTE</text:p>'
             '</office:annotation><text:p>seen</text:p>', **string) +
        cell('<text:p><text:a xlink:href="https://x" xmlns:xlink="http://www.w3.org/1999/xlink">'
             'link <text:span text:style-name="T1">bold</text:span></text:a></text:p>', **string) +
        '</table:table-row>',
        # value types and data styles
        '<table:table-row>' +
        cell('<text:p>20 kpl</text:p>', table__style_name='ce1', office__value_type='float',
             office__value='20') +
        cell('<text:p>100 %</text:p>', table__style_name='ce2',
             office__value_type='percentage', office__value='1') +
        cell('<text:p>1 234,50 €</text:p>', table__style_name='ce3',
             office__value_type='currency', office__currency='EUR', office__value='1234.5') +
        cell('<text:p>12.10.2020</text:p>', table__style_name='ce4', office__value_type='date',
             office__date_value='2020-10-12') +
        cell('<text:p>12:30</text:p>', table__style_name='ce5', office__value_type='time',
             office__time_value='PT12H30M00S') +
        cell('<text:p>TRUE</text:p>', office__value_type='boolean',
             office__boolean_value='true') +
        cell('<text:p>#DIV/0!</text:p>', table__formula='of:=1/0', office__value_type='float',
             office__value='0', calcext__value_type='error') +
        cell('', table__formula='of:=[.A1]', office__value_type='string',
             office__string_value='from a formula') +
        cell('<text:p>0,5</text:p>', office__value_type='percentage', office__value='0.5') +
        cell('<text:p>12.5%</text:p>', table__style_name='ce8', office__value_type='percentage',
             office__value='0.125') +
        '</table:table-row>',
        # styles: a named parent's bold, one that takes it back; a bold column's default
        '<table:table-row>' +
        cell('<text:p>heading</text:p>', table__style_name='ce6', **string) +
        cell('<text:p>normal</text:p>', table__style_name='ce7', **string) +
        cell('<text:p>column</text:p>', **string) +
        '</table:table-row>',
        # repeated rows and columns with content, spans with covered cells
        '<table:table-row table:number-rows-repeated="2">' +
        cell('<text:p>x</text:p>', table__number_columns_repeated='3', **string) +
        cell('<text:p>m</text:p>', table__number_columns_spanned='2', **string) +
        '<table:covered-table-cell/>' +
        '</table:table-row>',
        '<table:table-row>' +
        cell('<text:p>tall</text:p>', table__number_rows_spanned='2', **string) +
        cell('', table__number_columns_repeated='4') + cell('<text:p>F</text:p>', **string) +
        '</table:table-row>',
        '<table:table-row><table:covered-table-cell/>' +
        cell('<text:p>B7</text:p>', **string) + '</table:table-row>',
        # LibreOffice's tail: a million empty rows and columns cost nothing
        '<table:table-row table:number-rows-repeated="1048569">' +
        cell('', table__number_columns_repeated='16384') + '</table:table-row>',
    ]
    columns = ('<table:table-column table:style-name="co1" table:number-columns-repeated="2" '
               'table:default-cell-style-name="Default"/><table:table-column table:style-name='
               '"co1" table:default-cell-style-name="Heading"/><table:table-column table:style-'
               'name="co1" table:number-columns-repeated="16381" '
               'table:default-cell-style-name="Default"/>')
    t1 = ('<table:table table:name="Tiedot" table:style-name="ta1">%s'
          '<table:table-header-rows>%s</table:table-header-rows>%s</table:table>'
          % (columns, rows[0], ''.join(rows[1:])))
    t2 = ('<table:table table:name="Piilo" table:style-name="ta2"><table:table-column/>'
          '<table:table-row>%s</table:table-row></table:table>' % cell('<text:p>p</text:p>', **string))
    return write_zip(path,
                     ods_parts([t1, t2], automatic=ODS_AUTO, common=ODS_COMMON))
