#!/usr/bin/python3
"""Whole-output test of the workbooks that `taseuranta build` writes for real round files.

  check_rounds.py TASEURANTA SOURCE_DIR WORKDIR ROUND.xml...

For each round: builds XLSX and ODS twice (byte-identical); LibreOffice headless opens both and
every cell of every sheet equals what the round says, worked out here independently from the
round's XML and the label file (the rules of outputs.md §2); openpyxl finds the merges the
round's themes and goals call for and the numeric forecasts as numbers with their formats; the
ODS is an ODF package (mimetype first and stored).

A row too tall to print whole continues in the rows below it (outputs.md §2 "Printed whole"): a
row is a continuation when the column that every row of its sheet fills (the measure's Palautus-
mittari, the task's status, the summary line's theme) is empty there.  The pieces of a cell,
one a row, must give the cell's text with only the line break or the spaces at each cut left
out, and the row's other cells must be merged down over its continuation rows.  Then a round with a comment of 32,768
characters is refused with exit status 1 at the comment's FILE:LINE and nothing is written.

Kehitys and Tilannekuva (issue 15) are worked out here too: every round's status word and value,
the level, the change from the previous reported round (by the order achieved > on-track >
at-risk > off-track), and the measures counted per status and round.  Tilannekuva's counts are
COUNTIF formulas of Kehitys's columns whose stored values are the counts, which LibreOffice finds
again when it recalculates every formula as it opens the files; both files have their chart.
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

import wbchart

EXE, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
ROUNDS = sys.argv[4:]
XML = "{http://www.w3.org/XML/1998/namespace}"
failures = []

TOO_LONG = """<?xml version="1.0" encoding="UTF-8"?>
<round format="1" year="2021" number="1" date="2021-03-15" xml:lang="fi">
  <organization>
    <city>Helsinki</city>
    <division>Kulttuurin ja vapaa-ajan toimiala</division>
  </organization>
  <themes>
    <theme id="t">Uudistuvat palvelut</theme>
  </themes>
  <goal id="g" theme="t">
    <statement>Helsingissä on helppoa lähteä liikkeelle</statement>
    <measure id="m">
      <name>Liikkumisohjelma</name>
      <text>Projektissa määritellyt toimenpiteet on tehty.</text>
      <owner>Tarja Loikkanen</owner>
      <forecast round="1" status="on-track"/>
      <comment>@COMMENT@</comment>
    </measure>
  </goal>
</round>
"""


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def fold(s):
    return re.sub(r"[ \t\r\n]+", " ", s).strip()


def inline(el):
    return fold("".join(el.itertext())) if el is not None else ""


def li_text(li):
    parts = [li.text or ""]
    for c in li:
        if c.tag in ("ul", "ol"):
            break
        parts.append("".join(c.itertext()))
        parts.append(c.tail or "")
    return fold("".join(parts))


def list_lines(lst, level):
    out = []
    for i, li in enumerate(lst.findall("li"), start=1):
        label = "%d. " % i if lst.tag == "ol" else "• "
        out.append("  " * level + label + li_text(li))
        for sub in li:
            if sub.tag in ("ul", "ol"):
                out += list_lines(sub, level + 1)
    return out


def block_lines(el):
    """outputs.md §2: paragraphs one a line, items behind "• " or "1. ", nested ones indented
    by two spaces, no empty lines."""
    if el is None:
        return []
    kids = [c for c in el if c.tag in ("p", "ul", "ol")]
    if not kids:
        t = inline(el)
        return [t] if t else []
    out = []
    for c in kids:
        if c.tag == "p":
            t = inline(c)
            if t:
                out.append(t)
        else:
            out += list_lines(c, 0)
    return out


def labels(lang):
    root = ET.parse(os.path.join(SRC, "layouts", "labels", lang + ".xml")).getroot()
    return {l.get("key"): fold(l.text or "") for l in root.findall("label")}


def expected(round_el):
    lang = round_el.get(XML + "lang")
    L = labels(lang)
    year, number = int(round_el.get("year")), int(round_el.get("number"))
    themes = {t.get("id"): inline(t) for t in round_el.find("themes")}
    progs = {}
    if round_el.find("programmes") is not None:
        progs = {p.get("id"): (p.get("kind"), inline(p)) for p in round_el.find("programmes")}
    status_key = {"on-track": "status.on-track", "achieved": "status.achieved",
                  "at-risk": "status.at-risk", "off-track": "status.off-track"}
    heads = [L["col.theme"], L["col.goal"], L["col.measure"], L["col.recovery"]] + \
        [L["col.forecast"].replace("{round}", str(r)).replace("{year}", str(year)) for r in (1, 2, 3)] + \
        [L["col.comment"], L["col.value"], L["col.links"]]
    measures = [heads]
    merges = []
    numbers = []  # (cell, value, unit)
    goals = round_el.findall("goal")
    prev_theme, theme_first = None, None
    row = 2
    for gi, g in enumerate(goals):
        ms = g.findall("measure")
        goal_text = "\n".join([inline(g.find("statement"))] + block_lines(g.find("description")))
        for mi, m in enumerate(ms):
            fc = {int(f.get("round")): f for f in m.findall("forecast")}
            cols = ["", "", "\n".join([inline(m.find("name"))] + block_lines(m.find("text"))),
                    L["bool.true"] if m.get("recovery") == "true" else L["bool.false"]]
            if mi == 0:
                cols[1] = goal_text
                if g.get("theme") != prev_theme:
                    cols[0] = themes[g.get("theme")]
            for r in (1, 2, 3):
                if r > number:
                    cols.append("")
                elif r in fc:
                    cols.append("\n".join([L[status_key[fc[r].get("status")]]] + block_lines(fc[r])))
                else:
                    cols.append(L["status.none"])
            cols.append("\n".join(block_lines(m.find("comment"))))
            cur = fc.get(number)
            if cur is not None and cur.get("value") is not None:
                v = float(cur.get("value"))
                unit = cur.get("unit")
                numbers.append(("I%d" % row, v / 100 if unit == "%" else v, unit))
                cols.append(v / 100 if unit == "%" else v)
            else:
                cols.append("")
            cols.append("\n".join(progs[l.get("ref")][1] for l in m.findall("link")))
            measures.append(cols)
            row += 1
        if len(ms) > 1:
            merges.append("B%d:B%d" % (row - len(ms), row - 1))
        if g.get("theme") != prev_theme:
            theme_first = row - len(ms)
        prev_theme = g.get("theme")
        nxt = goals[gi + 1].get("theme") if gi + 1 < len(goals) else None
        if nxt != prev_theme and row - 1 > theme_first:
            merges.append("A%d:A%d" % (theme_first, row - 1))

    sheets = {L["sheet.measures"]: measures}
    trend, picture, counts = expected_picture(round_el, L, themes)
    sheets[L["sheet.trend"]] = trend
    sheets[L["sheet.picture"]] = picture
    summary = round_el.find("summary")
    if summary is not None:
        rows = [[L["summary.themes"], L["summary.theme-actions"], L["summary.indicators"]]]
        for ta in summary.findall("theme-actions"):
            acts = sum((block_lines(a) for a in ta.findall("action")), [])
            inds = []
            for ind in ta.findall("indicator"):
                ls = block_lines(ind)
                if ind.get("binding") == "true":
                    if ls:
                        ls[-1] += " " + L["summary.binding"]
                    else:
                        ls = [L["summary.binding"]]
                inds += ls
            rows.append([themes[ta.get("theme")], "\n".join(acts), "\n".join(inds)])
        for kind, hk, ak in (("city-project", "summary.city-project", "summary.project-actions"),
                             ("separate-programme", "summary.separate-programme", "summary.actions"),
                             ("joint-theme", "summary.joint-theme", "summary.theme-actions-short")):
            pas = [pa for pa in summary.findall("programme-actions") if progs[pa.get("ref")][0] == kind]
            if not pas:
                continue
            rows.append(["", "", ""])
            rows.append([L[hk], L[ak], ""])
            for pa in pas:
                acts = sum((block_lines(a) for a in pa.findall("action")), [])
                rows.append([progs[pa.get("ref")][1], "\n".join(acts), ""])
        sheets[L["sheet.summary"]] = rows
    tasks = [[L[k] for k in ("tasks.theme", "tasks.goal", "tasks.measure", "tasks.target",
                             "tasks.task", "tasks.status", "tasks.progress", "tasks.detail")]]
    for g in goals:
        for m in g.findall("measure"):
            for t in m.findall("target"):
                for k in t.findall("task"):
                    p = k.get("progress")
                    tasks.append([themes[g.get("theme")], inline(g.find("statement")),
                                  inline(m.find("name")), inline(t.find("title")),
                                  inline(k.find("title")), L["task." + k.get("status")],
                                  int(p) / 100 if p is not None else "",
                                  "\n".join(block_lines(k.find("detail")))])
    sheets[L["sheet.tasks"]] = tasks
    return sheets, merges, numbers, counts


RANK = {"achieved": 0, "on-track": 1, "at-risk": 2, "off-track": 3}


def number_of(el):
    """A forecast's or a level's value as a sheet stores it (a percentage as a fraction)."""
    if el is None or el.get("value") is None:
        return ""
    v = float(el.get("value"))
    return v / 100 if el.get("unit") == "%" else v


def expected_picture(round_el, L, themes):
    """Kehitys (every round's status word and value, the level, the change from the previous
    reported round) and Tilannekuva (the measures per status and round, their total), worked out
    from the XML; and the counts per status (wbchart.STATUSES) per round."""
    year, number = int(round_el.get("year")), int(round_el.get("number"))
    word = {"none": L["status.none"]}
    word.update({st: L["status." + st] for st in RANK})

    def fmt(key, r):
        return L[key].replace("{round}", str(r)).replace("{year}", str(year))

    heads = [L["trend.theme"], L["trend.goal"], L["trend.measure"]]
    for r in range(1, number + 1):
        heads += [fmt("trend.round", r), fmt("trend.value", r)]
    trend = [heads + [L["trend.level"], L["trend.change"]]]
    counts = {st: [0] * number for st in wbchart.STATUSES}
    for g in round_el.findall("goal"):
        for m in g.findall("measure"):
            fc = {int(f.get("round")): f for f in m.findall("forecast")}
            row = [themes[g.get("theme")], inline(g.find("statement")), inline(m.find("name"))]
            for r in range(1, number + 1):
                st = fc[r].get("status") if r in fc else "none"
                counts[st][r - 1] += 1
                row += [word[st], number_of(fc.get(r))]
            row.append(number_of(m.find("level")))
            change = ""
            earlier = [r for r in range(1, number) if r in fc]
            if number in fc and earlier:
                now, before = RANK[fc[number].get("status")], RANK[fc[earlier[-1]].get("status")]
                change = L["change.same"] if now == before else \
                    L["change.improved"] if now < before else L["change.worsened"]
            trend.append(row + [change])
    picture = [[L["picture.status"]] + [fmt("trend.round", r) for r in range(1, number + 1)]]
    for st in wbchart.STATUSES:
        picture.append([word[st]] + [float(n) for n in counts[st]])
    picture.append([L["picture.total"]] + [float(len(trend) - 1)] * number)
    return trend, picture, counts


def check_picture(tag, xlsx, ods, want, counts, L, profile):
    """Tilannekuva's formulas count Kehitys's words: their stored values are the counts, and
    LibreOffice recalculating every formula finds them too; both files have their chart."""
    tname, pname = L["sheet.trend"], L["sheet.picture"]
    n_rounds = len(want[pname][0]) - 1
    wb = openpyxl.load_workbook(xlsx)
    vb = openpyxl.load_workbook(xlsx, data_only=True)
    ws, vs = wb[pname], vb[pname]
    last = wb[tname].max_row  # Kehitys's last row, that of its last measure's last piece
    for i, st in enumerate(wbchart.STATUSES):
        for k in range(n_rounds):
            col = wbchart.col_name(3 + 2 * k)
            f = ws.cell(2 + i, 2 + k).value
            check(f == '=COUNTIF(%s!$%s$2:$%s$%d,"%s")' % (wbchart.quoted(tname), col, col, last,
                                                          L["status." + st]),
                  "%s: Tilannekuva %s%d is %r" % (tag, wbchart.col_name(1 + k), 2 + i, f))
            check(vs.cell(2 + i, 2 + k).value == counts[st][k],
                  "%s: Tilannekuva %s%d stores %r, want %d" % (tag, wbchart.col_name(1 + k), 2 + i,
                                                               vs.cell(2 + i, 2 + k).value, counts[st][k]))
    c = wbchart.xlsx_chart(xlsx)
    check(c is not None and c["grouping"] == "stacked" and c["holder"] == pname and
          len(c["series"]) == 5 and all(s["cache"] == [float(n) for n in counts[st]]
                                        for s, st in zip(c["series"], wbchart.STATUSES)),
          "%s: the XLSX's chart %r" % (tag, c))
    o = wbchart.ods_chart(ods)
    check(o["object"] and o["holder"] == pname and o["stacked"] == "true" and len(o["series"]) == 5,
          "%s: the ODS's chart %r" % (tag, o))
    f = wbchart.ods_formulas(ods, pname)
    for i, st in enumerate(wbchart.STATUSES):
        for k in range(n_rounds):
            cell = "%s%d" % (wbchart.col_name(1 + k), 2 + i)
            check(cell in f and f[cell][1] == counts[st][k] and "COUNTIF" in f[cell][0],
                  "%s: the ODS's Tilannekuva %s is %r" % (tag, cell, f.get(cell)))
    for path, fmt in ((xlsx, "xlsx"), (ods, "ods")):
        have = lo_sheets(path, [pname], os.path.join(WORK, "%s-recalc-%s" % (tag, fmt)), profile)
        rows = have.get(pname, [])
        check(len(rows) == len(want[pname]), "%s %s recalculated: %d rows" % (tag, fmt, len(rows)))
        for r, (hrow, wrow) in enumerate(zip(rows, want[pname])):
            for c_, wv in enumerate(wrow):
                hv = hrow[c_] if c_ < len(hrow) else ""
                check(same_value(hv, wv), "%s %s recalculated: Tilannekuva %s%d is %r, want %r" %
                      (tag, fmt, wbchart.col_name(c_), r + 1, hv, wv))


def soffice(args, profile):
    return subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless"] + args,
                          capture_output=True, text=True, timeout=300)


def lo_sheets(path, names, outdir, profile):
    os.makedirs(outdir, exist_ok=True)
    soffice(["--convert-to",
             'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1',
             "--outdir", outdir, path], profile)
    stem = os.path.splitext(os.path.basename(path))[0]
    out = {}
    for n in names:
        f = os.path.join(outdir, "%s-%s.csv" % (stem, n))
        check(os.path.exists(f), "%s: LibreOffice wrote no sheet %r" % (path, n))
        if os.path.exists(f):
            with open(f, encoding="utf-8", newline="") as fh:
                out[n] = list(csv.reader(fh))
    return out


def same_value(have, want):
    if isinstance(want, float):
        try:
            pct = have.endswith("%")
            return abs(float(have.rstrip("%")) / (100 if pct else 1) - want) < 1e-9
        except ValueError:
            return False
    return have == want


def logical_rows(rows, anchor):
    """The sheet's rows as the round's rows: (first row, rows it takes, per column its pieces)."""
    out = []
    for i, row in enumerate(rows):
        filled = [v for v in row if v != ""]
        if out and anchor is not None and (row[anchor] if anchor < len(row) else "") == "" and filled:
            first, n, cols = out[-1]
            for c, v in enumerate(row):
                if v != "":
                    while len(cols) <= c:
                        cols.append([])
                    cols[c].append(v)
            out[-1] = (first, n + 1, cols)
        else:
            out.append((i, 1, [[v] if v != "" else [] for v in row]))
    return out


def pieces_give(pieces, want):
    """The pieces are `want` cut where it has a line break or spaces, those left out."""
    pos = 0
    for i, p in enumerate(pieces):
        if want[pos:pos + len(p)] != p:
            return False
        pos += len(p)
        if i + 1 < len(pieces):
            while pos < len(want) and want[pos] in " \n":
                pos += 1
    return pos == len(want)


def compare(tag, have_sheets, want_sheets, anchors):
    """Returns, per sheet, its logical rows (see logical_rows)."""
    check(list(have_sheets) == list(want_sheets), "%s: sheets %r" % (tag, list(have_sheets)))
    layout = {}
    for name, want in want_sheets.items():
        have = logical_rows(have_sheets.get(name, []), anchors.get(name))
        layout[name] = have
        check(len(have) == len(want), "%s/%s: %d rows, want %d" % (tag, name, len(have), len(want)))
        for r, ((first, n, hcols), wrow) in enumerate(zip(have, want)):
            for c, wv in enumerate(wrow):
                pieces = hcols[c] if c < len(hcols) else []
                if len(pieces) > 1:
                    check(isinstance(wv, str) and pieces_give(pieces, wv),
                          "%s/%s %s%d: %d pieces %r, want %r" % (tag, name, chr(65 + c), first + 1, len(pieces),
                                                                 [p[:40] for p in pieces], str(wv)[:200]))
                    continue
                hv = pieces[0] if pieces else ""
                check(same_value(hv, wv), "%s/%s %s%d: %r, want %r" % (tag, name, chr(65 + c), first + 1, hv[:200], str(wv)[:200]))
    return layout


def physical_merges(merges, rows):
    """The merges of the round's rows (merges, "B2:B3" in its rows) as they stand in a sheet whose
    rows continue (rows: logical_rows): a merge runs from its first row's first sheet row to its
    last row's last; in a row that continues, a cell that is not cut is merged over all of the
    row's sheet rows, and the last piece of a cut one over the rows left."""
    spans = {}
    for m in merges:
        a, b = m.split(":")
        spans[(ord(a[0]) - 65, int(a[1:]) - 1)] = int(b[1:]) - 1
    covered = set()
    for (c, r0), r1 in spans.items():
        for r in range(r0 + 1, r1 + 1):
            covered.add((c, r))
    out = []
    for r, (first, n, cols) in enumerate(rows):
        for c in range(len(cols)):
            if (c, r) in covered:
                continue
            last_row = spans.get((c, r), r)
            top = first + max(len(cols[c]), 1) - 1
            bottom = rows[last_row][0] + rows[last_row][1] - 1
            if bottom > top:
                out.append("%s%d:%s%d" % (chr(65 + c), top + 1, chr(65 + c), bottom + 1))
    return sorted(out)


def main():
    if os.path.isdir(WORK):
        shutil.rmtree(WORK)
    os.makedirs(WORK)
    profile = os.path.join(WORK, "profile")
    recalc = wbchart.recalc_profile(os.path.join(WORK, "recalc-profile"))
    for rnd in ROUNDS:
        root = ET.parse(rnd).getroot()
        want, merges, numbers, counts = expected(root)
        outs = []
        for i in (1, 2):
            d = os.path.join(WORK, "%s-%d" % (os.path.basename(rnd), i))
            r = subprocess.run([EXE, "build", rnd, "-o", d, "--format", "xlsx,ods", "-q"],
                               capture_output=True, text=True, timeout=300)
            check(r.returncode == 0, "%s: build failed: %s" % (rnd, r.stderr))
            files = sorted(f for f in os.listdir(d) if not f.startswith("."))
            check(len(files) == 2, "%s: wrote %r" % (rnd, files))
            outs.append([os.path.join(d, f) for f in files])
        if failures:
            continue
        for a, b in zip(*outs):
            with open(a, "rb") as fa, open(b, "rb") as fb:
                check(fa.read() == fb.read(), "%s: two builds of %s differ" % (rnd, os.path.basename(a)))
        ods, xlsx = outs[0]
        tag = os.path.basename(rnd)
        sx = lo_sheets(xlsx, list(want), os.path.join(WORK, tag + "-csvx"), profile)
        so = lo_sheets(ods, list(want), os.path.join(WORK, tag + "-csvo"), profile)
        names = list(want)
        # The column every row of a sheet fills: the measures' recovery, the tasks' status, the
        # first column of the others (Kehitys's theme, Tilannekuva's status, the summary's).
        anchors = {n: 0 for n in names}
        anchors[names[0]], anchors[names[-1]] = 3, 5
        rows_x = compare(tag + " xlsx", sx, want, anchors)
        rows_o = compare(tag + " ods", so, want, anchors)
        check([r[:2] for r in rows_x[names[0]]] == [r[:2] for r in rows_o[names[0]]],
              "%s: the XLSX and the ODS continue different rows" % tag)
        # Merges per sheet: the round's (themes, goals) on the measures sheet, and on every
        # sheet those of its rows that continue.
        merges = {n: physical_merges(merges if n == names[0] else [], rows_x[n]) for n in names}
        continued = sum(n - 1 for name in names for _, n, _ in rows_x[name])
        print("%s: %d continuation rows" % (tag, continued))
        # Numbers stand in the sheet's rows, not the round's.
        first_of = [first for first, _, _ in rows_x[names[0]]]
        numbers = [("I%d" % (first_of[int(cell[1:]) - 1] + 1), v, unit) for cell, v, unit in numbers]

        wb = openpyxl.load_workbook(xlsx)
        for n in names:
            have_merges = sorted(str(m) for m in wb[n].merged_cells.ranges)
            check(have_merges == merges[n], "%s/%s: merges %r, want %r" % (tag, n, have_merges, merges[n]))
        ws = wb[names[0]]
        for cell, v, unit in numbers:
            c = ws[cell]
            check(isinstance(c.value, (int, float)) and abs(c.value - v) < 1e-9,
                  "%s: %s is %r, want the number %r" % (tag, cell, c.value, v))
            if unit == "%":
                check(c.number_format.endswith("\\ %"), "%s: %s format %r" % (tag, cell, c.number_format))
            elif unit:
                check(c.number_format.endswith('" %s"' % unit), "%s: %s format %r" % (tag, cell, c.number_format))
        L = labels(root.get(XML + "lang"))
        check_picture(tag, xlsx, ods, want, counts, L, recalc)
        with zipfile.ZipFile(ods) as z:
            first = z.infolist()[0]
            check(first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED,
                  "%s: ODS mimetype not first and stored" % tag)
            content = z.read("content.xml").decode()
        tables = re.findall(r"<table:table .*?</table:table>", content, re.S)
        for n, table in zip(names, tables):
            spans = sorted(int(x) for x in re.findall(r'table:number-rows-spanned="(\d+)"', table))
            want_spans = sorted(int(m.split(":")[1][1:]) - int(m.split(":")[0][1:]) + 1 for m in merges[n])
            check(spans == want_spans, "%s/%s: ODS spans %r, want %r" % (tag, n, spans, want_spans))

    # A comment one character over the cell limit: refused at the element, nothing written.
    bad = TOO_LONG.replace("@COMMENT@", "ä" * 32768)
    bad_path = os.path.join(WORK, "too-long.xml")
    with open(bad_path, "w", encoding="utf-8") as fh:
        fh.write(bad)
    line = bad[:bad.index("<comment>")].count("\n") + 1
    col = len(bad[:bad.index("<comment>")].split("\n")[-1]) + 1
    out = os.path.join(WORK, "too-long")
    for fmt in ("xlsx", "ods"):
        r = subprocess.run([EXE, "build", bad_path, "-o", out, "--format", fmt, "-q"],
                           capture_output=True, text=True, timeout=300)
        check(r.returncode == 1, "too long a cell (%s): exit %d" % (fmt, r.returncode))
        check(re.search(r"^%s:%d:%d: error: .*32768 characters.*32767" % (re.escape(bad_path), line, col),
                        r.stderr, re.M) is not None, "too long a cell (%s): %r" % (fmt, r.stderr[:500]))
        written = os.listdir(out) if os.path.isdir(out) else []
        check(written == [], "too long a cell (%s): wrote %r" % (fmt, written))

    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


sys.exit(main())
