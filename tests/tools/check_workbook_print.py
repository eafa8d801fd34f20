#!/usr/bin/python3
"""Whole-output test: the workbooks print whole, as they are (outputs.md §2 "Printed whole").

  check_workbook_print.py TASEURANTA SOURCE_DIR WORKDIR ROUND.xml [--generated N]

Builds the round's XLSX and ODS (with --generated N, a round of N measures from bench/gen-round
instead of ROUND.xml) and checks:

- on paper: LibreOffice headless prints each file to PDF as it is (no setting changed, a private
  profile), and the text of every cell of every sheet is found on the printed pages: its words
  in order, unbroken (white space, soft hyphens and hyphens left out of the comparison, since a
  line may break anywhere).  LibreOffice does not draw the part of a cell's text that runs past
  its row or its page, so a row too low for its text, a row taller than a page, or Excel's
  409 pt cap on a row that needs more, each loses words here.  Numbers are found as shown, with
  either decimal mark.  The pages are A3 landscape, the measures sheet one page wide with its
  head on every page, and no word is drawn over another;
- openpyxl: every row has a height, none over Excel's 409 pt, each at least what its cells'
  text needs by an estimate made here from the text and the column width (a per-character width
  narrower than any real text, so the estimate never asks for more than the text needs), the
  text of a merged cell in its first row;
- a row that continues: a sheet row is a continuation when the column that every row of its
  sheet fills (a measure's Palautumismittari, a task's status, a summary line's first column) is
  empty there.  In a row with continuations each cell is either one cell merged down over all of
  them (or over more, a theme's or a goal's), or the pieces of a cut text, one a row from the
  top, the last merged down over the rest, with no border between two pieces;
- the ODS has the same row heights (kept, not LibreOffice's own fitting) and the same merges;
- Kehitys and Tilannekuva print as the other sheets do (a formula's cell as the value stored with
  it), and Tilannekuva's chart is printed with it: its title, axis title and legend on the page,
  and a block of each counted status's colour under the title (tools/wbchart.py).

The test that stood here before passed while the sample lost the end of two forecasts on paper:
it capped what a row needed at 409 pt, looked only for words drawn over others (a cut text is
not drawn at all), and its round kept every cell under 409 pt.
"""
import math
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

import wbchart

args = sys.argv[1:]
generated = 0
if "--generated" in args:
    i = args.index("--generated")
    generated = int(args[i + 1])
    del args[i:i + 2]
EXE, SRC, WORK = args[0], args[1], args[2]
ROUND = args[3] if len(args) > 3 else None
failures = []

# Head words of the measures sheet, per language: one that only that sheet has, and the first
# and last heads (a page showing both is a page as wide as the sheet).
HEADS = {
    "fi": ("Palautumismittari", "Kaupunkistrategian", "Kytkeytyminen"),
    "sv": ("Återhämtningsmätare", "Tema", "Koppling"),
    "en": ("Recovery", "City", "Links"),
}
A3_LANDSCAPE = (1190.55, 841.89)
MAX_ROW = 409.0

NS = {"style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
      "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
      "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
      "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
T = "{%s}" % NS["table"]


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)
    return cond


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)


def soffice_pdf(path, outdir, profile):
    os.makedirs(outdir, exist_ok=True)
    r = run(["soffice", "-env:UserInstallation=file://" + profile, "--headless",
             "--convert-to", "pdf", "--outdir", outdir, path])
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    check(os.path.exists(pdf), "%s: LibreOffice wrote no PDF (%s)" % (path, r.stderr.strip()))
    return pdf if os.path.exists(pdf) else None


# ---- The cells of both files ----------------------------------------------------------------

class Cell:
    """A cell as a sheet holds it: text (or a number and its format), how many rows it spans."""

    def __init__(self, text=None, number=None, fmt=None, span=1, covered=False, borders=(True, True)):
        self.text, self.number, self.fmt = text, number, fmt
        self.span, self.covered = span, covered
        self.top, self.bottom = borders


def xlsx_sheets(path):
    """Per sheet: its name, its cells (rows of Cell), its row heights.  A formula's cell is the
    value stored with it: what a reader that does not recalculate shows."""
    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        spans, covered = {}, set()
        for rng in ws.merged_cells.ranges:
            spans[(rng.min_row, rng.min_col)] = rng.max_row - rng.min_row + 1
            for r in range(rng.min_row + 1, rng.max_row + 1):
                covered.add((r, rng.min_col))
        rows = []
        for r in range(1, ws.max_row + 1):
            row = []
            for c in range(1, ws.max_column + 1):
                cell = ws.cell(r, c)
                if (r, c) in covered:
                    row.append(Cell(covered=True))
                    continue
                b = cell.border
                borders = (b.top is not None and b.top.style is not None,
                           b.bottom is not None and b.bottom.style is not None)
                v = cell.value
                if isinstance(v, (int, float)):
                    row.append(Cell(number=v, fmt=cell.number_format, span=spans.get((r, c), 1),
                                    borders=borders))
                else:
                    row.append(Cell(text=v if v else None, span=spans.get((r, c), 1), borders=borders))
            rows.append(row)
        heights = [ws.row_dimensions[r].height for r in range(1, ws.max_row + 1)]
        out.append((ws.title, rows, heights))
    return out


def ods_paragraph(p):
    parts = [p.text or ""]
    for child in p:
        tag = child.tag.split("}")[1]
        if tag == "s":
            parts.append(" " * int(child.get("{%s}c" % NS["text"], "1")))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        else:
            parts.append(ods_paragraph(child))
        parts.append(child.tail or "")
    return "".join(parts)


def ods_sheets(path):
    with zipfile.ZipFile(path) as z:
        content = ET.fromstring(z.read("content.xml"))
    styles = {}
    for st in content.iter("{%s}style" % NS["style"]):
        p = st.find("style:table-row-properties", NS)
        if p is not None:
            h = p.get("{%s}row-height" % NS["style"])
            styles[st.get("{%s}name" % NS["style"])] = (
                float(h[:-2]) if h and h.endswith("pt") else None,
                p.get("{%s}use-optimal-row-height" % NS["style"]) == "false")
    out = []
    for table in content.iter(T + "table"):
        rows, heights = [], []
        for row in table.iter(T + "table-row"):
            cells = []
            for cell in row:
                n = int(cell.get(T + "number-columns-repeated", "1"))
                if cell.tag == T + "covered-table-cell":
                    cells += [Cell(covered=True) for _ in range(n)]
                    continue
                text = "\n".join(ods_paragraph(p) for p in cell.findall("text:p", NS))
                vt = cell.get("{%s}value-type" % NS["office"])
                span = int(cell.get(T + "number-rows-spanned", "1"))
                if vt in ("float", "percentage"):
                    cells += [Cell(number=float(cell.get("{%s}value" % NS["office"])),
                                   fmt="%" if vt == "percentage" else "", span=span)
                              for _ in range(n)]
                else:
                    cells += [Cell(text=text or None, span=span) for _ in range(n)]
            reps = int(row.get(T + "number-rows-repeated", "1"))
            for _ in range(reps):
                rows.append(cells)
                heights.append(styles.get(row.get(T + "style-name"), (None, False)))
        # The rows under a sheet's cells down to its chart's frame hold nothing: the XLSX has
        # no rows there (its chart is anchored to the cell).
        while rows and not any(c.covered or c.text or c.number is not None for c in rows[-1]):
            rows.pop()
            heights.pop()
        out.append((table.get(T + "name"), rows, heights))
    return out


# ---- On paper -------------------------------------------------------------------------------

def squeeze(s):
    """What is compared: no white space (a line breaks anywhere), no soft or hard hyphen."""
    return re.sub(r"[\s\u00ad\-]+", "", s)


def printed(pdf):
    """The printed text in the order it is drawn (LibreOffice draws a cell's lines together),
    and per page its size and its words as (x0, y0, x1, y1, text)."""
    r = run(["pdftotext", "-raw", pdf, "-"])
    check(r.returncode == 0, "%s: pdftotext failed" % pdf)
    stream = squeeze(r.stdout)
    r = run(["pdftotext", "-bbox", pdf, "-"])
    root = ET.fromstring(r.stdout.replace("xmlns=\"http://www.w3.org/1999/xhtml\"", ""))
    pages = []
    for page in root.iter("page"):
        ws = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
               float(w.get("yMax")), w.text or "") for w in page.iter("word")]
        pages.append(((float(page.get("width")), float(page.get("height"))), ws))
    return stream, pages


def number_pattern(cell):
    """The number as a sheet shows it: its decimals (as many as the format has), either decimal
    mark, digits grouped or not, then its unit."""
    fmt = cell.fmt or ""
    percent = fmt.endswith("%")
    m = re.search(r"0\.(0+)", fmt)
    decimals = len(m.group(1)) if m else None
    value = cell.number * 100 if percent else cell.number
    if decimals is None:  # the ODS: as few decimals as the value needs, up to 3
        decimals = next(d for d in range(4) if abs(round(value, d) - value) < 1e-9 or d == 3)
    whole, _, frac = ("%.*f" % (decimals, value)).partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    pat = r"[.,]?".join(groups) + (r"[.,]" + frac if frac else "")
    unit = "%" if percent else ""
    u = re.search(r'" ([^"]+)"', fmt)
    if u:
        unit = u.group(1)
    return pat + re.escape(squeeze(unit))


def check_on_paper(name, sheets, stream):
    missing = 0
    for sheet, rows, _ in sheets:
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                if cell.covered:
                    continue
                where = "%s: %s!%s%d" % (name, sheet, openpyxl.utils.get_column_letter(c + 1), r)
                if cell.number is not None:
                    ok = re.search(number_pattern(cell), stream) is not None
                    if not ok:
                        missing += 1
                        check(missing > 10, "%s: the number %r is not on paper" % (where, cell.number))
                    continue
                if not cell.text:
                    continue
                want = squeeze(cell.text)
                if want in stream:
                    continue
                missing += 1
                # Say how much of it is there: the longest start of it that is.
                lo, hi = 0, len(want)
                while lo < hi:
                    mid = (lo + hi + 1) // 2
                    if want[:mid] in stream:
                        lo = mid
                    else:
                        hi = mid - 1
                if missing <= 10:
                    check(False, "%s: %d of its %d characters are not on paper after %r" %
                          (where, len(want) - lo, len(want), want[max(0, lo - 30):lo]))
    check(missing == 0, "%s: %d cells are not whole on paper" % (name, missing))


def overlaps(ws):
    """Pairs of word boxes that overlap, found on a sweep over y.  A box runs from the font's
    descent to its ascent, so the boxes of two lines of a cell touch; only the middle half of a
    box's height counts (a line drawn over another comes closer than that), and a hair of its
    width."""
    def core(w):
        q = (w[3] - w[1]) / 4
        return (w[0] + 0.2, w[1] + q, w[2] - 0.2, w[3] - q, w[4])

    order = sorted((core(w) for w in ws), key=lambda w: w[1])
    found = []
    active = []
    for w in order:
        active = [a for a in active if a[3] > w[1]]
        for a in active:
            if min(a[2], w[2]) > max(a[0], w[0]) and min(a[3], w[3]) > max(a[1], w[1]):
                found.append((a, w))
        active.append(w)
    return found


def check_pages(pages, name, lang):
    check(len(pages) > 0, "%s: no pages" % name)
    only, first, last = HEADS[lang]
    for i, (size, ws) in enumerate(pages, start=1):
        check(abs(size[0] - A3_LANDSCAPE[0]) < 1 and abs(size[1] - A3_LANDSCAPE[1]) < 1,
              "%s: page %d is %r, not A3 landscape" % (name, i, size))
        texts = [w[4] for w in ws]
        if only in texts:
            check(first in texts and last in texts,
                  "%s: page %d of the measures is not the sheet's whole width" % (name, i))
        bad = overlaps(ws)
        for a, b in bad[:5]:
            check(False, "%s: page %d: %r at (%.0f, %.0f) overlaps %r at (%.0f, %.0f)" %
                  (name, i, a[4], a[0], a[1], b[4], b[0], b[1]))
        if len(bad) > 5:
            check(False, "%s: page %d: %d more overlapping words" % (name, i, len(bad) - 5))
    # The head is repeated: every page up to the last one with the measures sheet's head has it.
    with_head = [i for i, (_, ws) in enumerate(pages, start=1) if only in [w[4] for w in ws]]
    check(len(with_head) > 0, "%s: no page shows the measures sheet's head" % name)
    if with_head:
        check(with_head == list(range(1, with_head[-1] + 1)),
              "%s: the measures sheet's head is missing on some of pages 1-%d (%r)" %
              (name, with_head[-1], with_head))


# ---- Rows, heights and merges ---------------------------------------------------------------

# 10 pt Arial averages well over 4.4 pt a character in running Finnish, Swedish or English text
# (bold more): an estimate at 4.4 pt never needs more lines than the text.
CHAR_PT = 4.4
LINE_PT = 12.0


def text_pt(width_chars):
    """What a column `width_chars` wide holds, in pt: Excel's 7 px a character and 5 px, less
    6 px of the cell's edges; 1 px = 0.75 pt."""
    return (math.floor(width_chars * 7 + 0.5) + 5 - 6) * 0.75


def lines_needed(text, width_chars):
    per_line = max(1, int(text_pt(width_chars) / CHAR_PT))
    lines = 0
    for para in text.split("\n"):
        n, used = 1, 0
        for word in para.split(" "):
            w = len(word)
            if used and used + 1 + w <= per_line:
                used += 1 + w
                continue
            if used:
                n, used = n + 1, 0
            while w > per_line:  # a word longer than the line is broken anywhere
                n, w = n + 1, w - per_line
            used = w
        lines += n
    return lines


def check_heights(name, xlsx):
    wb = openpyxl.load_workbook(xlsx)
    for ws, (sheet, rows, heights) in zip(wb.worksheets, xlsx_sheets(xlsx)):
        widths = {}
        for dim in ws.column_dimensions.values():
            for i in range(dim.min, dim.max + 1):
                widths[i] = dim.width
        for r, (row, h) in enumerate(zip(rows, heights), start=1):
            if not check(h is not None and 0 < h <= MAX_ROW,
                         "%s: %s row %d is %r pt high" % (name, sheet, r, h)):
                continue
            for c, cell in enumerate(row, start=1):
                if cell.covered or not cell.text:
                    continue
                want = lines_needed(cell.text, widths.get(c, 8.43)) * LINE_PT
                check(h >= want, "%s: %s!%s%d needs %.0f pt, its row is %.0f pt" %
                      (name, sheet, openpyxl.utils.get_column_letter(c), r, want, h))


# The column that every row of a sheet fills: the measures sheet's D (Palautumismittari), the
# tasks sheet's F (the status), the summary's A.
def anchor_of(sheet_index, n_sheets):
    return 3 if sheet_index == 0 else 5 if sheet_index == n_sheets - 1 else 0


def check_continuations(name, fmt, sheets):
    """The rows that continue and their merges; returns how many rows continue."""
    continued = 0
    for si, (sheet, rows, _) in enumerate(sheets):
        anchor = anchor_of(si, len(sheets))
        # The sheet's rows grouped into the round's: a row and its continuations.
        groups = []
        for r, row in enumerate(rows):
            filled = any(not c.covered and (c.text or c.number is not None) for c in row)
            a = row[anchor] if anchor < len(row) else Cell()
            if groups and a.covered and filled:
                groups[-1][1] += 1
            else:
                groups.append([r, 1])
        for top, n in groups:
            if n == 1:
                continue
            continued += n - 1
            where = "%s %s: %s row %d" % (name, fmt, sheet, top + 1)
            for c in range(len(rows[top])):
                col = openpyxl.utils.get_column_letter(c + 1)
                if rows[top][c].covered:
                    # Under a merge from above (a theme, a goal): it runs over all of them.
                    k = top
                    while k > 0 and rows[k][c].covered:
                        k -= 1
                    check(k + rows[k][c].span >= top + n,
                          "%s: %s%d's merge ends inside the row's continuations" % (where, col, k + 1))
                    continue
                # The pieces: one a row from the top, the last merged down over the rest.
                k = top
                while k < top + n and rows[k][c].span == 1 and k + 1 < top + n and \
                        not rows[k + 1][c].covered:
                    k += 1
                last = rows[k][c]
                check(k + last.span >= top + n,
                      "%s: column %s covers rows %d-%d of %d-%d" % (where, col, top + 1, k + last.span,
                                                                    top + 1, top + n))
                if k > top:
                    check(all(rows[p][c].text for p in range(top, k + 1)),
                          "%s: column %s has empty cells among its pieces in rows %d-%d" %
                          (where, col, top + 1, k + 1))
                if k > top and fmt == "xlsx":
                    for p in range(top, k + 1):
                        piece = rows[p][c]
                        check(piece.bottom == (p == k) and piece.top == (p == top),
                              "%s: %s%d is a piece with a border between it and the next" %
                              (where, col, p + 1))
    return continued


def check_same(name, xs, os_):
    for (xn, xrows, xh), (on, orows, oh) in zip(xs, os_):
        check(xn == on, "%s: sheets %r and %r" % (name, xn, on))
        check(len(xrows) == len(orows), "%s: %s has %d rows in the XLSX, %d in the ODS" %
              (name, xn, len(xrows), len(orows)))
        for r, ((h, kept), x) in enumerate(zip(oh, xh), start=1):
            check(kept and h is not None and x is not None and abs(h - x) < 0.01,
                  "%s: %s row %d is %r pt (kept: %r) in the ODS, %r pt in the XLSX" % (name, xn, r, h, kept, x))
        xm = [(r, c, cell.span) for r, row in enumerate(xrows) for c, cell in enumerate(row)
              if not cell.covered and cell.span > 1]
        om = [(r, c, cell.span) for r, row in enumerate(orows) for c, cell in enumerate(row)
              if not cell.covered and cell.span > 1]
        check(xm == om, "%s: %s merges differ: XLSX %r, ODS %r" % (name, xn, xm[:10], om[:10]))
        xt = [[c.text for c in row] for row in xrows]
        ot = [[c.text for c in row][:len(xrows[0]) if xrows else 0] for row in orows]
        check(xt == ot, "%s: %s holds other texts in the ODS" % (name, xn))


def picture_of(path):
    """What the status picture of a round shows: the chart's title and value axis' title, the
    status words in the picture's order, and the counts per status per round."""
    root = ET.parse(path).getroot()
    lang = root.get("{http://www.w3.org/XML/1998/namespace}lang") or "fi"
    lab = ET.parse(os.path.join(SRC, "layouts", "labels", lang + ".xml")).getroot()
    L = {l.get("key"): re.sub(r"\s+", " ", l.text or "").strip() for l in lab.iter("label")}
    number = int(root.get("number"))
    counts = {st: [0] * number for st in wbchart.STATUSES}
    for m in root.iter("measure"):
        fc = {int(f.get("round")): f.get("status") for f in m.findall("forecast")}
        for r in range(1, number + 1):
            counts[fc.get(r, "none")][r - 1] += 1
    title = L["picture.title"].replace("{year}", root.get("year"))
    return title, L["picture.axis"], [L["status." + st] for st in wbchart.STATUSES], counts


def round_lang(path):
    root = ET.parse(path).getroot()
    return root.get("{http://www.w3.org/XML/1998/namespace}lang") or "fi"


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    profile = os.path.join(WORK, "lo-profile")
    rnd = ROUND
    if generated:
        rnd = os.path.join(WORK, "generated.xml")
        r = run([sys.executable, os.path.join(SRC, "bench", "gen-round"), str(generated), rnd])
        check(r.returncode == 0, "gen-round failed: %s" % r.stderr)
    name = os.path.basename(rnd)
    out = os.path.join(WORK, "out")
    r = run([EXE, "build", rnd, "-o", out, "--format", "xlsx,ods", "-q"])
    check(r.returncode == 0, "%s: build failed: %s" % (name, r.stderr))
    files = sorted(os.listdir(out)) if os.path.isdir(out) else []
    xlsx = [os.path.join(out, f) for f in files if f.endswith(".xlsx")]
    ods = [os.path.join(out, f) for f in files if f.endswith(".ods")]
    if len(xlsx) != 1 or len(ods) != 1:
        check(False, "%s: want one XLSX and one ODS, have %r" % (name, files))
        return 1
    xs, os_ = xlsx_sheets(xlsx[0]), ods_sheets(ods[0])
    check_heights(name, xlsx[0])
    check_same(name, xs, os_)
    continued = check_continuations(name, "xlsx", xs)
    check_continuations(name, "ods", os_)
    lang = round_lang(rnd)
    for path, fmt, sheets in ((xlsx[0], "xlsx", xs), (ods[0], "ods", os_)):
        pdf = soffice_pdf(path, os.path.join(out, "pdf-" + fmt), profile)
        if pdf is None:
            continue
        stream, pages = printed(pdf)
        check_on_paper("%s (%s)" % (name, fmt), sheets, stream)
        check_pages(pages, "%s (%s)" % (name, fmt), lang)
        # Tilannekuva's chart is printed with it, drawn whole.
        title, axis, words, counts = picture_of(rnd)
        wbchart.check_chart_on_paper(check, "%s (%s)" % (name, fmt), pdf, title, words, axis,
                                     counts, wbchart.layout_colours(SRC), out)
        print("%s: %s prints on %d A3 pages, %d rows continue" % (name, fmt, len(pages), continued))
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("ok")
    return 0


sys.exit(main())
