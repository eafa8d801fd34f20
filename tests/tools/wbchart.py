"""The status picture of the workbooks (outputs.md §2 "Tilannekuva"), read back as the whole-output
tests read it: the XLSX's chart part and formulas, the ODS's chart object, and the chart as
LibreOffice prints it.  Imported by check_workbook.py, check_rounds.py and check_workbook_print.py.
"""
import os
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile

STATUSES = ["achieved", "on-track", "at-risk", "off-track", "none"]  # the picture's order

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "chart": "urn:oasis:names:tc:opendocument:xmlns:chart:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def layout_colours(src, layout="helsinki"):
    """Per status: (fill, text) as "#rrggbb", from the layout file."""
    root = ET.parse(os.path.join(src, "layouts", layout + ".xml")).getroot()
    named = {c.get("name"): c.get("value").lower() for c in root.iter("colour")}

    def value(v):
        return named.get(v, v).lower()

    out = {}
    for st in root.iter("status"):
        out[st.get("name")] = (value(st.get("fill")), value(st.get("text")))
    return out


def quoted(sheet):
    return "'%s'" % sheet.replace("'", "''")


def col_name(c):
    return chr(65 + c) if c < 26 else chr(64 + c // 26) + chr(65 + c % 26)


def recalc_profile(path):
    """A LibreOffice profile (for -env:UserInstallation) that recalculates every formula of an
    XLSX or ODS as it opens it, instead of showing the values stored with them."""
    os.makedirs(os.path.join(path, "user"), exist_ok=True)
    items = "".join(
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="%s" '
        'oor:op="fuse"><value>0</value></prop></item>' % name
        for name in ("OOXMLRecalcMode", "ODFRecalcMode"))
    with open(os.path.join(path, "user", "registrymodifications.xcu"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?><oor:items '
                'xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">%s</oor:items>' % items)
    return path


# ---- XLSX -----------------------------------------------------------------------------------

def xlsx_chart(path):
    """The first chart of the workbook: its type, title, series (name formula, category formula,
    value formula, fill, cached values) and the sheet whose drawing holds it."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        if "xl/charts/chart1.xml" not in names:
            return None
        root = ET.fromstring(z.read("xl/charts/chart1.xml"))
        # Which sheet's drawing points at the chart.
        holder = None
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
        for sh in wb.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"):
            part = "xl/" + target[sh.get(R + "id")]
            rel = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
            if rel in names and b"drawing" in z.read(rel):
                drawing = re.search(rb'Target="\.\./drawings/(drawing\d+\.xml)"', z.read(rel)).group(1)
                drel = "xl/drawings/_rels/%s.rels" % drawing.decode()
                if b"charts/chart1.xml" in z.read(drel):
                    holder = sh.get("name")
    bar = root.find(".//%sbarChart" % C)
    title = "".join(t.text or "" for t in root.find("%schart/%stitle" % (C, C)).iter(A + "t"))
    series = []
    for ser in bar.findall(C + "ser"):
        fill = ser.find("%sspPr/%ssolidFill/%ssrgbClr" % (C, A, A))
        series.append(dict(
            name=ser.find("%stx/%sstrRef/%sf" % (C, C, C)).text,
            cat=ser.find("%scat/%sstrRef/%sf" % (C, C, C)).text,
            val=ser.find("%sval/%snumRef/%sf" % (C, C, C)).text,
            fill="#" + fill.get("val").lower() if fill is not None else None,
            cache=[float(p.find(C + "v").text)
                   for p in ser.find("%sval/%snumRef" % (C, C)).iter(C + "pt")],
            labels=ser.find(C + "dLbls") is not None,
        ))
    legend = root.find(".//%slegend" % C)
    return dict(
        bar_dir=bar.find(C + "barDir").get("val"),
        grouping=bar.find(C + "grouping").get("val"),
        title=title,
        series=series,
        legend=legend is not None,
        holder=holder,
        axis_title="".join(t.text or "" for ax in root.iter(C + "valAx") for t in ax.iter(A + "t")),
    )


# ---- ODS ------------------------------------------------------------------------------------

def ods_chart(path):
    """The embedded chart object of the ODS, the frame that shows it and the manifest's word
    for it: class, stacked, title, legend, series (values and label addresses, fill), the sheet
    whose table holds the frame."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        manifest = ET.fromstring(z.read("META-INF/manifest.xml"))
        content = ET.fromstring(z.read("content.xml"))
        obj = z.read("Object 1/content.xml") if "Object 1/content.xml" in names else None
    M = "{%s}" % NS["manifest"]
    entries = {e.get(M + "full-path"): e.get(M + "media-type") for e in manifest}
    holder, frame = None, None
    for t in content.iter("{%s}table" % NS["table"]):
        for f in t.iter("{%s}frame" % NS["draw"]):
            o = f.find("draw:object", NS)
            if o is not None and o.get("{%s}href" % NS["xlink"]) == "./Object 1":
                holder, frame = t.get("{%s}name" % NS["table"]), f
    if obj is None:
        return dict(entries=entries, holder=holder, object=None)
    root = ET.fromstring(obj)
    styles = {s.get("{%s}name" % NS["style"]): s for s in root.iter("{%s}style" % NS["style"])}
    chart = root.find(".//chart:chart", NS)
    plot = chart.find("chart:plot-area", NS)
    CH = "{%s}" % NS["chart"]

    def style_prop(name, tag, prop):
        st = styles.get(name)
        p = st.find(tag, NS) if st is not None else None
        return p.get(prop) if p is not None else None

    series = []
    for s in plot.findall("chart:series", NS):
        series.append(dict(
            values=s.get(CH + "values-cell-range-address"),
            label=s.get(CH + "label-cell-address"),
            cls=s.get(CH + "class"),
            fill=style_prop(s.get(CH + "style-name"), "style:graphic-properties",
                            "{%s}fill-color" % NS["draw"]),
            labels=style_prop(s.get(CH + "style-name"), "style:chart-properties",
                              CH + "data-label-number"),
        ))
    title = chart.find("chart:title", NS)
    y = [a for a in plot.findall("chart:axis", NS) if a.get(CH + "dimension") == "y"]
    return dict(
        entries=entries,
        holder=holder,
        frame_desc=frame.find("svg:desc", NS).text if frame is not None and frame.find("svg:desc", NS) is not None else None,
        object=True,
        cls=chart.get(CH + "class"),
        stacked=style_prop(plot.get(CH + "style-name"), "style:chart-properties", CH + "stacked"),
        title="".join(title.itertext()) if title is not None else None,
        legend=chart.find("chart:legend", NS) is not None,
        series=series,
        categories=plot.find(".//chart:categories", NS).get("{%s}cell-range-address" % NS["table"]),
        axis_title="".join(y[0].find("chart:title", NS).itertext()) if y and y[0].find("chart:title", NS) is not None else None,
    )


def ods_formulas(path, sheet):
    """The formula and stored value of every cell of a sheet of the ODS that has one, by its
    A1 name."""
    with zipfile.ZipFile(path) as z:
        content = ET.fromstring(z.read("content.xml"))
    T, O = "{%s}" % NS["table"], "{%s}" % NS["office"]
    out = {}
    for t in content.iter(T + "table"):
        if t.get(T + "name") != sheet:
            continue
        for r, row in enumerate(t.findall("table:table-header-rows/table:table-row", NS) +
                                t.findall("table:table-row", NS)):
            c = 0
            for cell in row:
                if cell.get(T + "formula") is not None:
                    out["%s%d" % (col_name(c), r + 1)] = (cell.get(T + "formula"),
                                                          float(cell.get(O + "value")))
                c += int(cell.get(T + "number-columns-repeated", "1"))
    return out


# ---- On paper -------------------------------------------------------------------------------

def _ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # P6, width, height, maxval, then the pixels.
    parts = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(parts.group(1)), int(parts.group(2))
    return w, h, data[parts.end():]


def page_of(pdf, text):
    """The 1-based page of the PDF whose text has `text`, and its word boxes there."""
    r = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True,
                       timeout=120)
    root = ET.fromstring(r.stdout.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    for i, page in enumerate(root.iter("page"), start=1):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
                  float(w.get("yMax")), w.text or "") for w in page.iter("word")]
        joined = " ".join(w[4] for w in words)
        if text in joined:
            return i, words
    return None, []


def colour_pixels(pdf, page, below_pt, colours, workdir, dpi=100):
    """How many pixels of each colour ("#rrggbb") the page shows below `below_pt` (from the
    top), as pdftoppm draws it."""
    prefix = os.path.join(workdir, "chart-page")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), pdf, prefix],
                   check=True, timeout=120)
    ppm = [f for f in os.listdir(workdir) if f.startswith("chart-page") and f.endswith(".ppm")]
    w, h, px = _ppm(os.path.join(workdir, ppm[0]))
    for f in ppm:
        os.remove(os.path.join(workdir, f))
    # Inside a fill every pixel has the colour exactly; a pattern that straddled two pixels
    # would be an edge's blend, and these are rare enough not to count.
    region = px[max(0, int(below_pt * dpi / 72)) * w * 3:]
    counts = {c: region.count(bytes(int(c[i:i + 2], 16) for i in (1, 3, 5))) for c in colours}
    return counts


def check_chart_on_paper(check, tag, pdf, title, words, axis_title, counts, colours, workdir):
    """The chart is drawn on the page that has its title: the title, the axis title and the
    legend (each status word once more than the table has it); below the title each status
    with a count a block of its colour, and a status with none at most its legend key.
    counts: per status (STATUSES), per round."""
    page, boxes = page_of(pdf, title)
    if not check(page is not None, "%s: the chart's title %r is not on paper" % (tag, title)):
        return
    text = [b[4] for b in boxes]
    joined = " ".join(text)
    check(axis_title in text, "%s: the value axis' title %r is not on paper" % (tag, axis_title))
    for st, word in zip(STATUSES, words):
        n = joined.count(word)
        check(n >= 2, "%s: %r is %d time(s) on the chart's page: no legend?" % (tag, word, n))
    first = title.split()[0]
    top = min(b[1] for b in boxes if b[4] == first)
    found = colour_pixels(pdf, page, top, [colours[st][0] for st in STATUSES], workdir)
    # A count of one is a segment of at least (plot height / axis) x column width: thousands of
    # pixels at 100 dpi; a legend key is under a hundred.
    for st in STATUSES:
        have = found[colours[st][0]]
        if sum(counts[st]) > 0:
            check(have > 800, "%s: the chart shows %d pixels of %s (%s), counted %r" %
                  (tag, have, st, colours[st][0], counts[st]))
        else:
            check(have < 400, "%s: the chart shows %d pixels of %s, which no measure has" %
                  (tag, have, st))
    return found
