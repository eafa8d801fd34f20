#!/usr/bin/python3
"""Whole-output test of the workbook writers: writes the XLSX and the ODS twice, and reads them
back with real clients.

  check_workbook.py DRIVER LANG WORKDIR

DRIVER is tests/tools/wb_driver (the in-memory round of the unit tests, see wb_fixture.h).
Checks: byte-identical rebuilds; LibreOffice headless opens both files and every sheet's cells are
what the round says (the same in both formats); openpyxl confirms the XLSX's merges, number
formats, wrapping, alignment, fills, freeze, autofilter, print setup and properties, and the rich
text; the ODS package follows ODF packaging (mimetype first and stored, manifest) and its XML has
the merges, styles, header rows, print ranges, filter and frozen header; LibreOffice reading the
ODS sees the same merges, number formats and print setup (checked on its XLSX export).

The status picture (issue 15): Kehitys holds every round's word and value, the level and the
change word; Tilannekuva's counts are COUNTIF and SUM formulas (openpyxl reads them and their
stored values; the ODS's table:formula and office:value), and LibreOffice recalculating every
formula as it opens the file finds the same counts; the XLSX has xl/charts/chart1.xml, a stacked
column chart on Tilannekuva whose series point at its cells, in the status colours, with the
counts as its cache; the ODS has the chart object (Object 1) in its manifest and a frame on
Tilannekuva; LibreOffice prints both files with the chart drawn (its title, axis title and legend
on the page, and a block of each counted status's colour under the title).
"""
import csv
import glob
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

import wbchart

DRIVER, LANG, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}

# What the in-memory round says, per language: sheet names, heads, and the cells that carry the
# rules (merges, not reported, numbers, lists, links, summary marks).
WORDS = {
    "fi": dict(sheets=["Strategiamittarit", "Kehitys", "Tilannekuva", "Tiivistelmä", "Tehtävät"],
               trend=["Kaupunkistrategian teema", "Sitova toiminnan tavoite", "Mittari",
                      "Ennuste 1/2020", "Arvo 1/2020", "Ennuste 2/2020", "Arvo 2/2020",
                      "Tavoitetaso", "Muutos edellisestä ennusteesta"],
               worse="heikkeni", status_head="Tilanne", total="Yhteensä",
               chart="Mittareiden tilanne ennusteittain 2020", axis="Mittareita",
               yes="Kyllä", no="Ei",
               on="Toteutuu", risk="Epävarma", none="Ei raportoitu", achieved="Toteutunut",
               off="Ei toteudu", forecast="Ennuste {}/2020", doing="TEKEILLÄ", done="TEHTY",
               binding="(sitova mittari)", title="Sitovat TA-tavoitteet 2020",
               theme_head="Kaupunkistrategian teema", city="Kaupunkiyhteiset hankkeet"),
    "sv": dict(sheets=["Strategimätare", "Utveckling", "Lägesbild", "Sammanfattning", "Uppgifter"],
               trend=["Tema i stadsstrategin", "Bindande verksamhetsmål", "Mätare",
                      "Prognos 1/2020", "Värde 1/2020", "Prognos 2/2020", "Värde 2/2020",
                      "Målnivå", "Förändring sedan föregående prognos"],
               worse="försämrades", status_head="Läge", total="Totalt",
               chart="Mätarnas läge per prognos 2020", axis="Mätare",
               yes="Ja", no="Nej",
               on="Uppnås", risk="Osäkert", none="Ej rapporterat", achieved="Uppnått",
               off="Uppnås inte", forecast="Prognos {}/2020", doing="PÅGÅR", done="KLART",
               binding="(bindande mätare)", title="Bindande budgetmål 2020",
               theme_head="Tema i stadsstrategin", city="Stadsgemensamma projekt"),
    "en": dict(sheets=["Strategy measures", "Trend", "Status picture", "Summary", "Tasks"],
               trend=["City strategy theme", "Binding operational goal", "Measure",
                      "Forecast 1/2020", "Value 1/2020", "Forecast 2/2020", "Value 2/2020",
                      "Target level", "Change since the previous forecast"],
               worse="worsened", status_head="Status", total="Total",
               chart="Measures by status in each forecast of 2020", axis="Measures",
               yes="Yes", no="No",
               on="On track", risk="At risk", none="Not reported", achieved="Achieved",
               off="Not met", forecast="Forecast {}/2020", doing="IN PROGRESS", done="DONE",
               binding="(binding indicator)", title="Binding budget goals 2020",
               theme_head="City strategy theme", city="City-wide projects"),
}[LANG]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def expected_measures():
    w = WORDS
    return [
        [w["theme_head"], None, None, None, w["forecast"].format(1), w["forecast"].format(2),
         w["forecast"].format(3), None, None, None],
        ["Maailman toimivin kaupunki",
         "Palveluja parannetaan\nToimiala käyttää yhteisiä välineitä.",
         "Digitalisaatio\nMittari: toimenpiteet on tehty.", w["yes"], w["on"],
         w["risk"] + "\nToteutuminen on epävarma.", "", "Kaikki edistyy.", "0.7",
         "Hyvinvoinnin ja terveyden edistäminen\nLiikkumisohjelma"],
        ["", "", "Biennaali\n• eka\n  • alakohta\n• toka\n1. yksi\n2. kaksi", w["no"], w["on"],
         w["none"], "", "", "", ""],
        ["", "Koko kaupunki on oppimisen paikka", "Kulttuurikeskukset\nKävijät.", w["no"], w["none"],
         w["achieved"], "", "", "20", ""],
        ["Uudistuvat palvelut", "Liikkeelle", "Liikkumisohjelma\nLiikkuminen lisääntyy.", w["no"], w["none"],
         w["off"], "", "", "0.725", ""],
    ]


def expected_trend():
    """Kehitys of the fixture's round 2: every round's word and value, the level, the change."""
    w = WORDS
    return [
        w["trend"],
        ["Maailman toimivin kaupunki", "Palveluja parannetaan", "Digitalisaatio", w["on"], "",
         w["risk"], "0.7", "", w["worse"]],
        ["Maailman toimivin kaupunki", "Palveluja parannetaan", "Biennaali", w["on"], "",
         w["none"], "", "12", ""],
        ["Maailman toimivin kaupunki", "Koko kaupunki on oppimisen paikka", "Kulttuurikeskukset",
         w["none"], "", w["achieved"], "20", "", ""],
        ["Uudistuvat palvelut", "Liikkeelle", "Liikkumisohjelma", w["none"], "", w["off"], "0.725",
         "", ""],
    ]


# The fixture's counts: round 1 m0 and m1 on track, m2 and m3 not reported; round 2 m0 at risk,
# m1 not reported, m2 achieved, m3 off track.  Per status in the picture's order, per round.
COUNTS = {"achieved": [0, 1], "on-track": [2, 0], "at-risk": [0, 1], "off-track": [0, 1],
          "none": [2, 1]}


def status_words():
    w = WORDS
    return [w["achieved"], w["on"], w["risk"], w["off"], w["none"]]


def expected_picture():
    w = WORDS
    rows = [[w["status_head"], w["forecast"].format(1), w["forecast"].format(2)]]
    for st, word in zip(wbchart.STATUSES, status_words()):
        rows.append([word] + [str(n) for n in COUNTS[st]])
    rows.append([w["total"], "4", "4"])
    return rows


def compare_rows(fmt, name, have, want):
    check(len(have) == len(want), "%s: %s has %d rows, want %d" % (fmt, name, len(have), len(want)))
    for r, (hrow, wrow) in enumerate(zip(have, want)):
        for c, wv in enumerate(wrow):
            hv = hrow[c] if c < len(hrow) else ""
            ok = number_equal(hv, wv) if re.fullmatch(r"[0-9.]+", wv) else hv == wv
            check(ok, "%s: %s %s%d is %r, want %r" % (fmt, name, chr(65 + c), r + 1, hv, wv))


def run_driver(xlsx, ods, flag="--fixture"):
    return subprocess.run([DRIVER, flag, LANG, xlsx, ods], capture_output=True, text=True,
                          timeout=120)


def soffice(args, profile):
    cmd = ["soffice", "-env:UserInstallation=file://" + profile, "--headless"] + args
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return r


def lo_csv(path, outdir, profile):
    os.makedirs(outdir, exist_ok=True)
    # Sheet -1: every sheet to its own file; values, not formatted text ("as shown" off), so
    # that numbers come out as numbers.
    soffice(["--convert-to",
             'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1',
             "--outdir", outdir, path], profile)
    stem = os.path.splitext(os.path.basename(path))[0]
    sheets = {}
    for name in WORDS["sheets"]:
        f = os.path.join(outdir, "%s-%s.csv" % (stem, name))
        check(os.path.exists(f), "LibreOffice wrote no sheet %r for %s" % (name, path))
        if os.path.exists(f):
            with open(f, encoding="utf-8", newline="") as fh:
                sheets[name] = list(csv.reader(fh))
    return sheets


def number_equal(have, want):
    try:
        return abs(float(have.rstrip("%")) / (100 if have.endswith("%") else 1) - float(want)) < 1e-9
    except ValueError:
        return False


def check_cells(sheets, fmt):
    rows = sheets.get(WORDS["sheets"][0], [])
    want = expected_measures()
    check(len(rows) == len(want), "%s: %d rows in the measures sheet, want %d" % (fmt, len(rows), len(want)))
    for r, wrow in enumerate(want):
        for c, wv in enumerate(wrow):
            if wv is None or r >= len(rows):
                continue
            have = rows[r][c] if c < len(rows[r]) else ""
            if c == 8 and r > 0 and wv:
                check(number_equal(have, wv), "%s: measures %s%d is %r, want %s" % (fmt, "ABCDEFGHIJ"[c], r + 1, have, wv))
            else:
                check(have == wv, "%s: measures %s%d is %r, want %r" % (fmt, "ABCDEFGHIJ"[c], r + 1, have, wv))
    summary = sheets.get(WORDS["sheets"][3], [])
    check(len(summary) == 8, "%s: summary has %d rows, want 8" % (fmt, len(summary)))
    if len(summary) == 8:
        check(summary[1][2] == "Parannetaan toimintatapoja %s\nNPS-suositteluindeksi" % WORDS["binding"],
              "%s: summary C2 is %r" % (fmt, summary[1][2]))
        check(summary[3][0] == WORDS["city"], "%s: summary A4 is %r" % (fmt, summary[3][0]))
        check(summary[4][:2] == ["Liikkumisohjelma", "Lisätään tietoisuutta."], "%s: summary row 5 %r" % (fmt, summary[4]))
        check(summary[7][:2] == ["Hyvinvoinnin ja terveyden edistäminen", "Osallistutaan suunnitelmaan."],
              "%s: summary row 8 %r" % (fmt, summary[7]))
    compare_rows(fmt, "trend", sheets.get(WORDS["sheets"][1], []), expected_trend())
    compare_rows(fmt, "picture", sheets.get(WORDS["sheets"][2], []), expected_picture())
    tasks = sheets.get(WORDS["sheets"][4], [])
    check(len(tasks) == 3, "%s: tasks has %d rows, want 3" % (fmt, len(tasks)))
    if len(tasks) == 3:
        check(tasks[1][4:6] == ["Toimenpide valittu", WORDS["doing"]], "%s: task row 2 %r" % (fmt, tasks[1]))
        check(number_equal(tasks[1][6], "0.4"), "%s: task progress %r" % (fmt, tasks[1][6]))
        check(tasks[2][5:] == [WORDS["done"], "", "Saavutettu 30.4.2020."], "%s: task row 3 %r" % (fmt, tasks[2]))


def check_xlsx(path):
    wb = openpyxl.load_workbook(path)
    check(wb.sheetnames == WORDS["sheets"], "xlsx sheets %r" % wb.sheetnames)
    p = wb.properties
    check(p.title == WORDS["title"], "xlsx title %r" % p.title)
    check(p.creator == "Kulttuurin ja vapaa-ajan toimiala", "xlsx author %r" % p.creator)
    check(str(p.created) == "2020-10-12 12:00:00", "xlsx created %r" % p.created)
    check(p.subject and "2020" in p.subject and p.keywords and "2020" in p.keywords,
          "xlsx subject/keywords %r %r" % (p.subject, p.keywords))
    with zipfile.ZipFile(path) as z:
        app = z.read("docProps/app.xml").decode()
        sst = z.read("xl/sharedStrings.xml").decode()
    check("<Company>Helsinki</Company>" in app, "xlsx company missing")
    # The goal statement is a bold run of a rich string, its description a plain one.
    check(re.search(r"<r><rPr><b/>[^<]*(<[^/][^>]*/>)*</rPr><t[^>]*>Palveluja parannetaan\n</t></r>"
                    r"<r><rPr>(?:(?!<b/>).)*?</rPr><t>Toimiala", sst, re.S) is not None,
          "xlsx goal cell is not bold statement + plain description")
    check(re.search(r"<rPr><b/>.*?<t>epävarma</t>", sst, re.S) is not None,
          "xlsx forecast text lost its bold run")
    # The measure column: the measure's name in bold, then its text (outputs.md §2, column C).
    check(re.search(r"<r><rPr><b/>[^<]*(<[^/][^>]*/>)*</rPr><t[^>]*>Digitalisaatio\n</t></r>"
                    r"<r><rPr>(?:(?!<b/>).)*?</rPr><t>Mittari: toimenpiteet", sst, re.S) is not None,
          "xlsx measure cell is not bold name + plain text")
    # A status word is bold, alone or before its text.
    check(re.search(r"<r><rPr><b/>[^<]*(<[^/][^>]*/>)*</rPr><t[^>]*>%s\n</t></r>" % re.escape(WORDS["risk"]),
                    sst, re.S) is not None, "xlsx status word before a text is not bold")

    ws = wb[WORDS["sheets"][0]]
    merges = sorted(str(m) for m in ws.merged_cells.ranges)
    check(merges == ["A2:A4", "B2:B3"], "xlsx merges %r" % merges)
    check(ws.freeze_panes == "A2", "xlsx freeze %r" % ws.freeze_panes)
    check(ws.auto_filter.ref == "A1:J5", "xlsx autofilter %r" % ws.auto_filter.ref)
    check(ws.print_title_rows == "$1:$1", "xlsx print titles %r" % ws.print_title_rows)
    ps = ws.page_setup
    check(ps.orientation == "landscape", "xlsx orientation %r" % ps.orientation)
    check(str(ps.paperSize) == "8", "xlsx paper %r" % ps.paperSize)
    # fitToWidth is 1 when absent (OOXML's default); fitToHeight 0 is "as many as needed".
    check(ps.fitToWidth in (None, 1, "1") and str(ps.fitToHeight) == "0"
          and ws.sheet_properties.pageSetUpPr.fitToPage, "xlsx fit to one page wide")
    check(ws["I2"].number_format == "#,##0\\ %" and ws["I2"].value == 0.7, "xlsx I2 %r %r" % (ws["I2"].value, ws["I2"].number_format))
    check(ws["I4"].number_format == '#,##0" kpl"' and ws["I4"].value == 20, "xlsx I4 %r" % ws["I4"].number_format)
    check(ws["I5"].number_format == "#,##0.0\\ %" and abs(ws["I5"].value - 0.725) < 1e-12, "xlsx I5")
    for row in ws.iter_rows(min_row=1, max_row=5, max_col=10):
        for c in row:
            if type(c).__name__ == "MergedCell":
                continue
            check(c.alignment.wrap_text and c.alignment.vertical == "top",
                  "xlsx %s not wrapped and top-aligned" % c.coordinate)
    for c in ws[1]:
        check(c.font.b and c.fill.fgColor.rgb == "FF0072C6" and c.font.color.rgb == "FFFFFFFF",
              "xlsx head %s not bold white on the header colour" % c.coordinate)
    # A status word alone on its full colour; a word with a text after it on a light tint of it,
    # in black (a quarter of the layout's #ffda07 over white).
    check(ws["E2"].fill.fgColor.rgb == "FF007A64", "xlsx on-track fill %r" % ws["E2"].fill.fgColor.rgb)
    check(ws["E2"].font.b, "xlsx status word alone not bold")
    check(ws["F3"].fill.fgColor.rgb == "FFE6E6E6", "xlsx not-reported fill %r" % ws["F3"].fill.fgColor.rgb)
    check(ws["F2"].fill.fgColor.rgb == "FFFFF6C1" and ws["F2"].font.color.rgb == "FF000000",
          "xlsx at-risk word with text: fill %r text %r" % (ws["F2"].fill.fgColor.rgb, ws["F2"].font.color.rgb))
    check(ws["G2"].fill.fill_type in (None, "none"), "xlsx round 3 should not be filled")
    widths = {}
    for key, dim in ws.column_dimensions.items():
        for i in range(dim.min, dim.max + 1):
            widths[i] = dim.width
    want = [21, 40, 45, 23, 28, 28, 28, 40, 14, 30]
    for i, w in enumerate(want, start=1):
        check(abs(widths.get(i, 0) - w) < 1.0, "xlsx column %d width %r, want %d" % (i, widths.get(i), w))
    tasks = wb[WORDS["sheets"][4]]
    check(tasks["G2"].value == 0.4 and tasks["G2"].number_format == "#,##0\\ %", "xlsx task progress")
    check(tasks.auto_filter.ref == "A1:H3", "xlsx tasks autofilter %r" % tasks.auto_filter.ref)
    summary = wb[WORDS["sheets"][3]]
    check(summary["A4"].font.b and summary["A4"].fill.fgColor.rgb == "FF0072C6", "xlsx summary head A4")


def check_xlsx_picture(path):
    """Kehitys's look and numbers; Tilannekuva's formulas, their stored values and the chart
    part, whose series point at Tilannekuva's cells."""
    tname, pname = WORDS["sheets"][1], WORDS["sheets"][2]
    colours = wbchart.layout_colours(SRC)
    wb = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    ts = wb[tname]
    check(ts.freeze_panes == "A2", "xlsx trend freeze %r" % ts.freeze_panes)
    check(ts.auto_filter.ref == "A1:I5", "xlsx trend autofilter %r" % ts.auto_filter.ref)
    check(ts.merged_cells.ranges == [] or not list(ts.merged_cells.ranges), "xlsx trend merges")
    check(ts["D2"].fill.fgColor.rgb == "FF" + colours["on-track"][0][1:].upper() and ts["D2"].font.b,
          "xlsx trend D2 not bold on the on-track fill: %r" % ts["D2"].fill.fgColor.rgb)
    check(ts["F5"].fill.fgColor.rgb == "FF" + colours["off-track"][0][1:].upper(),
          "xlsx trend F5 fill %r" % ts["F5"].fill.fgColor.rgb)
    check(ts["G2"].value == 0.7 and ts["G2"].number_format == "#,##0\\ %",
          "xlsx trend G2 %r %r" % (ts["G2"].value, ts["G2"].number_format))
    check(ts["H3"].value == 12 and ts["H3"].number_format == '#,##0" kpl"',
          "xlsx trend H3 (the level) %r %r" % (ts["H3"].value, ts["H3"].number_format))
    check(ts["G5"].number_format == "#,##0.0\\ %", "xlsx trend G5 %r" % ts["G5"].number_format)
    ws, vs = wb[pname], values[pname]
    q = wbchart.quoted(tname)
    for i, (st, word) in enumerate(zip(wbchart.STATUSES, status_words())):
        r = 2 + i
        check(ws.cell(r, 1).value == word and
              ws.cell(r, 1).fill.fgColor.rgb == "FF" + colours[st][0][1:].upper(),
              "xlsx picture A%d %r %r" % (r, ws.cell(r, 1).value, ws.cell(r, 1).fill.fgColor.rgb))
        for k, col in enumerate("DF"):
            want = '=COUNTIF(%s!$%s$2:$%s$5,"%s")' % (q, col, col, word)
            cell = ws.cell(r, 2 + k)
            check(cell.value == want, "xlsx picture %s is %r, want %r" % (cell.coordinate, cell.value, want))
            check(vs.cell(r, 2 + k).value == COUNTS[st][k],
                  "xlsx picture %s stores %r, want %d" % (cell.coordinate, vs.cell(r, 2 + k).value,
                                                          COUNTS[st][k]))
    for k, col in enumerate("BC"):
        check(ws.cell(7, 2 + k).value == "=SUM($%s$2:$%s$6)" % (col, col) and vs.cell(7, 2 + k).value == 4,
              "xlsx picture total %r %r" % (ws.cell(7, 2 + k).value, vs.cell(7, 2 + k).value))
    c = wbchart.xlsx_chart(path)
    check(c is not None, "xlsx: no xl/charts/chart1.xml")
    if c is None:
        return
    check(c["bar_dir"] == "col" and c["grouping"] == "stacked", "xlsx chart %s %s" % (c["bar_dir"], c["grouping"]))
    check(c["holder"] == pname, "xlsx chart is on %r" % c["holder"])
    check(c["title"] == WORDS["chart"], "xlsx chart title %r" % c["title"])
    check(c["axis_title"] == WORDS["axis"], "xlsx chart axis title %r" % c["axis_title"])
    check(c["legend"], "xlsx chart has no legend")
    check(len(c["series"]) == 5, "xlsx chart has %d series" % len(c["series"]))
    def ref(f):  # the sheet's quotes are Excel's choice for a name of letters
        sheet, _, cells = f.rpartition("!")
        return (sheet[1:-1] if sheet.startswith("'") else sheet), cells

    for i, (st, ser) in enumerate(zip(wbchart.STATUSES, c["series"])):
        r = 2 + i
        check(ref(ser["name"]) == (pname, "$A$%d" % r), "xlsx series %d name %r" % (i, ser["name"]))
        check(ref(ser["cat"]) == (pname, "$B$1:$C$1"), "xlsx series %d categories %r" % (i, ser["cat"]))
        check(ref(ser["val"]) == (pname, "$B$%d:$C$%d" % (r, r)),
              "xlsx series %d values %r" % (i, ser["val"]))
        check(ser["fill"] == colours[st][0], "xlsx series %d fill %r" % (i, ser["fill"]))
        check(ser["cache"] == [float(n) for n in COUNTS[st]], "xlsx series %d cache %r" % (i, ser["cache"]))
        check(ser["labels"], "xlsx series %d has no counts on it" % i)


def check_ods_picture(path):
    """The chart object, its frame on Tilannekuva and its manifest entries; the formulas with
    their values; COUNTIF read as Excel reads it."""
    tname, pname = WORDS["sheets"][1], WORDS["sheets"][2]
    colours = wbchart.layout_colours(SRC)
    c = wbchart.ods_chart(path)
    e = c["entries"]
    check(e.get("Object 1/") == "application/vnd.oasis.opendocument.chart"
          and e.get("Object 1/content.xml") == "text/xml" and e.get("Object 1/styles.xml") == "text/xml",
          "ods manifest lacks the chart object: %r" % e)
    check(c["object"] is not None, "ods: no Object 1/content.xml")
    check(c["holder"] == pname, "ods chart frame is on %r" % c["holder"])
    if not c["object"]:
        return
    check(c["cls"] == "chart:bar" and c["stacked"] == "true", "ods chart %r stacked %r" % (c["cls"], c["stacked"]))
    check(c["title"] == WORDS["chart"], "ods chart title %r" % c["title"])
    check(c["axis_title"] == WORDS["axis"], "ods chart axis title %r" % c["axis_title"])
    check(c["legend"], "ods chart has no legend")
    q = wbchart.quoted(pname)
    check(c["categories"] == "%s.B1:%s.C1" % (q, q), "ods chart categories %r" % c["categories"])
    check(len(c["series"]) == 5, "ods chart has %d series" % len(c["series"]))
    for i, (st, ser) in enumerate(zip(wbchart.STATUSES, c["series"])):
        r = 2 + i
        check(ser["values"] == "%s.B%d:%s.C%d" % (q, r, q, r), "ods series %d values %r" % (i, ser["values"]))
        check(ser["label"] == "%s.A%d:%s.A%d" % (q, r, q, r), "ods series %d label %r" % (i, ser["label"]))
        check(ser["fill"] == colours[st][0], "ods series %d fill %r" % (i, ser["fill"]))
        check(ser["labels"] == "value", "ods series %d has no counts on it" % i)
    desc = c["frame_desc"] or ""
    check(desc.startswith(WORDS["chart"]) and "%s: %s 0, %s 2" % (WORDS["forecast"].format(1),
                                                                   WORDS["achieved"], WORDS["on"]) in desc,
          "ods chart description %r" % desc)
    f = wbchart.ods_formulas(path, pname)
    qt = wbchart.quoted(tname)
    for i, (st, word) in enumerate(zip(wbchart.STATUSES, status_words())):
        for k, col in enumerate("DF"):
            cell = "%s%d" % ("BC"[k], 2 + i)
            want = ('of:=COUNTIF([$%s.$%s$2:.$%s$5];"%s")' % (qt, col, col, word), float(COUNTS[st][k]))
            check(f.get(cell) == want, "ods picture %s is %r, want %r" % (cell, f.get(cell), want))
    for k, col in enumerate("BC"):
        cell = "%s7" % col
        want = ("of:=SUM([.$%s$2:.$%s$6])" % (col, col), 4.0)
        check(f.get(cell) == want, "ods picture %s is %r, want %r" % (cell, f.get(cell), want))
    with zipfile.ZipFile(path) as z:
        content = z.read("content.xml").decode()
    check('<table:calculation-settings table:case-sensitive="false" '
          'table:use-regular-expressions="false" table:use-wildcards="true"/>' in content,
          "ods: COUNTIF is not read as Excel reads it")


def check_on_paper(path, outdir, profile):
    """LibreOffice prints the file with the chart drawn: its title, axis title and legend, and a
    block of each counted status's colour under the title."""
    os.makedirs(outdir, exist_ok=True)
    soffice(["--convert-to", "pdf", "--outdir", outdir, path], profile)
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    if check(os.path.exists(pdf), "LibreOffice printed no PDF of %s" % path):
        wbchart.check_chart_on_paper(check, os.path.basename(path), pdf, WORDS["chart"],
                                     status_words(), WORDS["axis"], COUNTS,
                                     wbchart.layout_colours(SRC), outdir)


def check_ods_package(path):
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        check(infos[0].filename == "mimetype", "ods: mimetype is not the first entry")
        check(infos[0].compress_type == zipfile.ZIP_STORED, "ods: mimetype is compressed")
        check(infos[0].extra == b"", "ods: mimetype has an extra field")
        check(z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet", "ods: mimetype")
        with open(path, "rb") as fh:
            head = fh.read(80)
        check(head[30:38] == b"mimetype" and head[38:84].startswith(b"application/vnd.oasis"),
              "ods: mimetype not at byte 38")
        names = [i.filename for i in infos]
        for part in ["content.xml", "styles.xml", "meta.xml", "settings.xml", "META-INF/manifest.xml"]:
            check(part in names, "ods: %s missing" % part)
        for i in infos[1:]:
            check(i.compress_type == zipfile.ZIP_DEFLATED, "ods: %s not deflated" % i.filename)
            check(i.date_time == (2020, 10, 12, 12, 0, 0), "ods: %s time %r" % (i.filename, i.date_time))
        manifest = ET.fromstring(z.read("META-INF/manifest.xml"))
        entries = {e.get("{%s}full-path" % NS["manifest"]): e.get("{%s}media-type" % NS["manifest"])
                   for e in manifest}
        check(entries.get("/") == "application/vnd.oasis.opendocument.spreadsheet", "ods manifest root")
        for part in ["content.xml", "styles.xml", "meta.xml", "settings.xml"]:
            check(entries.get(part) == "text/xml", "ods manifest lacks %s" % part)
        content = ET.fromstring(z.read("content.xml"))
        styles = ET.fromstring(z.read("styles.xml"))
        meta = ET.fromstring(z.read("meta.xml"))
        settings = z.read("settings.xml").decode()

    T = "{%s}" % NS["table"]
    tables = content.findall(".//table:table", NS)
    check([t.get(T + "name") for t in tables] == WORDS["sheets"], "ods sheets")
    t0 = tables[0]
    name = WORDS["sheets"][0]
    check(t0.get(T + "print-ranges") == "'%s'.A1:'%s'.J5" % (name, name), "ods print range %r" % t0.get(T + "print-ranges"))
    hdr = t0.find("table:table-header-rows", NS)
    check(hdr is not None and len(hdr.findall("table:table-row", NS)) == 1, "ods header row not repeated")
    rows = t0.findall(".//table:table-row", NS)
    check(len(rows) == 5, "ods: %d rows" % len(rows))
    a2 = rows[1][0]
    check(a2.get(T + "number-rows-spanned") == "3", "ods A2 spans %r" % a2.get(T + "number-rows-spanned"))
    check(rows[1][1].get(T + "number-rows-spanned") == "2", "ods B2 span")
    check(rows[2][0].tag == T + "covered-table-cell" and rows[3][0].tag == T + "covered-table-cell"
          and rows[2][1].tag == T + "covered-table-cell", "ods covered cells")
    check(rows[3][1].tag == T + "table-cell" and rows[3][1].get(T + "number-rows-spanned") is None,
          "ods B4 is not a merge")
    i2 = rows[1][8]
    O = "{%s}" % NS["office"]
    check(i2.get(O + "value-type") == "percentage" and i2.get(O + "value") == "0.7", "ods I2 value")
    i4 = rows[3][8]
    check(i4.get(O + "value-type") == "float" and i4.get(O + "value") == "20", "ods I4 value")
    # Goal cell: a bold span (T1) then a second paragraph.
    ps = rows[1][1].findall("text:p", NS)
    check(len(ps) == 2 and ps[0][0].get("{%s}style-name" % NS["text"]) == "T1"
          and ps[0][0].text == "Palveluja parannetaan", "ods goal cell rich text")
    # The list keeps its indent as <text:s text:c="2"/>.
    # The measure's name (a bold span) as the first line of its cell.
    ps = rows[2][2].findall("text:p", NS)
    check(len(ps) == 6 and ps[0][0].get("{%s}style-name" % NS["text"]) == "T1"
          and ps[0][0].text == "Biennaali", "ods measure cell: %d lines" % len(ps))
    if len(ps) == 6:
        s = ps[2].find("text:s", NS)
        check(s is not None and s.get("{%s}c" % NS["text"]) == "2", "ods nested item indent")
    # Styles: each cell's automatic style exists; number styles as promised.
    auto = {s.get("{%s}name" % NS["style"]): s for s in content.find("office:automatic-styles", NS)}
    st = auto.get(i2.get(T + "style-name"))
    check(st is not None, "ods I2 style missing")
    if st is not None:
        ds = auto.get(st.get("{%s}data-style-name" % NS["style"]))
        check(ds is not None and ds.tag == "{%s}percentage-style" % NS["number"], "ods percent style")
    st = auto.get(i4.get(T + "style-name"))
    if st is not None:
        ds = auto.get(st.get("{%s}data-style-name" % NS["style"]))
        check(ds is not None and ds.find("number:text", NS).text == " kpl", "ods unit style")
    head = auto.get(rows[0][0].get(T + "style-name"))
    F = "{%s}" % NS["fo"]
    check(head is not None and head.find("style:table-cell-properties", NS).get(F + "background-color") == "#0072c6"
          and head.find("style:text-properties", NS).get(F + "font-weight") == "bold", "ods head style")
    e2 = auto.get(rows[1][4].get(T + "style-name"))
    check(e2 is not None and e2.find("style:table-cell-properties", NS).get(F + "background-color") == "#007a64",
          "ods status fill")
    f2 = auto.get(rows[1][5].get(T + "style-name"))
    check(f2 is not None and f2.find("style:table-cell-properties", NS).get(F + "background-color") == "#fff6c1"
          and f2.find("style:text-properties", NS).get(F + "color") == "#000000", "ods status tint")
    for s in auto.values():
        if s.get("{%s}family" % NS["style"]) == "table-cell":
            p = s.find("style:table-cell-properties", NS)
            check(p.get(F + "wrap-option") == "wrap" and p.get("{%s}vertical-align" % NS["style"]) == "top",
                  "ods cell style not wrapped/top")
        if s.get("{%s}family" % NS["style"]) == "table-row":
            rp = s.find("style:table-row-properties", NS)
            check(rp.get("{%s}use-optimal-row-height" % NS["style"]) == "false"
                  and re.fullmatch(r"[0-9]+pt", rp.get("{%s}row-height" % NS["style"]) or ""),
                  "ods row style without its own height")
    dbs = content.findall(".//table:database-range", NS)
    check(len(dbs) == 3 and dbs[0].get(T + "display-filter-buttons") == "true", "ods autofilters")
    pl = styles.find(".//style:page-layout-properties", NS)
    S = "{%s}" % NS["style"]
    check(pl.get(S + "print-orientation") == "landscape" and pl.get(F + "page-width") == "42cm"
          and pl.get(S + "scale-to-X") == "1", "ods page layout")
    check(meta.find(".//dc:title", NS).text == WORDS["title"], "ods title")
    check(meta.find(".//meta:initial-creator", NS).text == "Kulttuurin ja vapaa-ajan toimiala", "ods creator")
    check(meta.find(".//meta:creation-date", NS).text == "2020-10-12T12:00:00Z", "ods creation date")
    check(re.search(r'config:name="%s">.*?VerticalSplitMode" config:type="short">2<.*?'
                    r'VerticalSplitPosition" config:type="int">1<' % re.escape(name), settings, re.S)
          is not None, "ods frozen header")


def check_lo_reads_ods(ods, outdir, profile):
    """LibreOffice's reading of our ODS, seen through its own XLSX export."""
    os.makedirs(outdir, exist_ok=True)
    soffice(["--convert-to", "xlsx", "--outdir", outdir, ods], profile)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(ods))[0] + ".xlsx")
    check(os.path.exists(out), "LibreOffice could not convert the ODS")
    if not os.path.exists(out):
        return
    wb = openpyxl.load_workbook(out)
    ws = wb[WORDS["sheets"][0]]
    check(sorted(str(m) for m in ws.merged_cells.ranges) == ["A2:A4", "B2:B3"], "LO/ods merges")
    check(ws.auto_filter.ref == "A1:J5", "LO/ods autofilter %r" % ws.auto_filter.ref)
    check(ws.print_title_rows == "$1:$1", "LO/ods print titles %r" % ws.print_title_rows)
    check(ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "8",
          "LO/ods page setup %r %r" % (ws.page_setup.orientation, ws.page_setup.paperSize))
    check(str(ws.page_setup.fitToWidth) in ("1", "None") and str(ws.page_setup.fitToHeight) == "0",
          "LO/ods fit to width")
    check(ws["I2"].value == 0.7 and "%" in ws["I2"].number_format, "LO/ods I2 %r" % ws["I2"].number_format)
    check(ws["I4"].value == 20 and "kpl" in ws["I4"].number_format, "LO/ods I4 %r" % ws["I4"].number_format)
    check(ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FF0072C6", "LO/ods head")
    check(ws["B2"].alignment.wrap_text and ws["B2"].alignment.vertical == "top", "LO/ods wrap")
    widths = {}
    for key, dim in ws.column_dimensions.items():
        for i in range(dim.min, dim.max + 1):
            widths[i] = dim.width
    check(abs(widths.get(3, 0) - 45) < 2.5, "LO/ods column C width %r" % widths.get(3))


def main():
    if os.path.isdir(WORK):
        shutil.rmtree(WORK)
    os.makedirs(WORK)
    profile = os.path.join(WORK, "profile")
    a_x, a_o = os.path.join(WORK, "a.xlsx"), os.path.join(WORK, "a.ods")
    b_x, b_o = os.path.join(WORK, "b.xlsx"), os.path.join(WORK, "b.ods")
    for x, o in ((a_x, a_o), (b_x, b_o)):
        r = run_driver(x, o)
        check(r.returncode == 0, "driver failed: %s" % r.stderr)
    if failures:
        return 1
    with open(a_x, "rb") as f1, open(b_x, "rb") as f2:
        check(f1.read() == f2.read(), "two XLSX builds differ")
    with open(a_o, "rb") as f1, open(b_o, "rb") as f2:
        check(f1.read() == f2.read(), "two ODS builds differ")

    sx = lo_csv(a_x, os.path.join(WORK, "csv-xlsx"), profile)
    so = lo_csv(a_o, os.path.join(WORK, "csv-ods"), profile)
    check_cells(sx, "xlsx")
    check_cells(so, "ods")
    check(sx == so, "LibreOffice reads different cells from the XLSX and the ODS")
    check_xlsx(a_x)
    check_ods_package(a_o)
    check_lo_reads_ods(a_o, os.path.join(WORK, "lo"), profile)
    check_xlsx_picture(a_x)
    check_ods_picture(a_o)
    # LibreOffice recalculating every formula as it opens the files finds the stored counts.
    recalc = wbchart.recalc_profile(os.path.join(WORK, "recalc"))
    for path, fmt in ((a_x, "xlsx"), (a_o, "ods")):
        sheets = lo_csv(path, os.path.join(WORK, "recalc-" + fmt), recalc)
        compare_rows(fmt + " recalculated", "picture", sheets.get(WORDS["sheets"][2], []),
                     expected_picture())
        check_on_paper(path, os.path.join(WORK, "pdf-" + fmt), profile)

    # A cell over 32,767 characters: both writers refuse at the element, nothing is written.
    l_x, l_o = os.path.join(WORK, "long.xlsx"), os.path.join(WORK, "long.ods")
    r = run_driver(l_x, l_o, "--fixture-long")
    check(r.returncode == 1, "too long a cell: exit %d" % r.returncode)
    lines = [l for l in r.stderr.splitlines() if l.startswith("round.xml:77:9: error:")]
    check(len(lines) == 2 and "32767" in lines[0], "too long a cell: %r" % r.stderr)
    check(not os.path.exists(l_x) and not os.path.exists(l_o), "too long a cell: a file was written")

    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


sys.exit(main())
