#!/usr/bin/python3
"""Whole-output test: the workbooks print as they are, every row as tall as its text.

  check_workbook_print.py TASEURANTA SOURCE_DIR WORKDIR ROUND.xml... [--generated N]

For each round (and, with --generated N, a round of N measures from bench/gen-round), builds the
XLSX and the ODS and checks:

- openpyxl: every row of the measures sheet has a height, at least the lines its tallest cell
  needs x 12 pt, and the rows under a merged cell together at least its lines; the lines are
  worked out here from the text and the column width with a per-character estimate (narrower
  than any real text, so that the estimate never asks for more than the text needs), capped at
  Excel's 409 pt;
- the ODS's rows keep the same heights (not LibreOffice's optimal fitting, which ignores merged
  cells and can fit a line on screen that wraps once more on paper);
- LibreOffice headless prints both files to PDF (a private profile, a timeout): A3 landscape, the
  measures sheet one page wide with its head on every page; and in `pdftotext -bbox` no word box
  overlaps another.  A row lower than its text lets the text run over the next row's (it is
  drawn, not clipped), so overlapping words are what a too-low row looks like on paper.
"""
import math
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

args = sys.argv[1:]
generated = 0
if "--generated" in args:
    i = args.index("--generated")
    generated = int(args[i + 1])
    del args[i:i + 2]
EXE, SRC, WORK = args[0], args[1], args[2]
ROUNDS = args[3:]
failures = []

# Head words of the measures sheet, per language: one that only that sheet has, and the first
# and last heads (a page showing both is a page as wide as the sheet).
HEADS = {
    "fi": ("Palautumismittari", "Kaupunkistrategian", "Kytkeytyminen"),
    "sv": ("Återhämtningsmätare", "Tema", "Koppling"),
    "en": ("Recovery", "City", "Links"),
}
A3_LANDSCAPE = (1190.55, 841.89)


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def soffice_pdf(path, outdir, profile):
    os.makedirs(outdir, exist_ok=True)
    r = run(["soffice", "-env:UserInstallation=file://" + profile, "--headless",
             "--convert-to", "pdf", "--outdir", outdir, path])
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    check(os.path.exists(pdf), "%s: LibreOffice wrote no PDF (%s)" % (path, r.stderr.strip()))
    return pdf if os.path.exists(pdf) else None


# ---- Row heights --------------------------------------------------------------------------

# 10 pt Arial averages well over 4.4 pt a character in running Finnish, Swedish or English text
# (bold more): an estimate at 4.4 pt never needs more lines than the text.
CHAR_PT = 4.4
LINE_PT = 12.0


def text_pt(width_chars):
    """What a column `width_chars` wide holds, in pt: Excel's 7 px a character and 5 px, less
    6 px of the cell's edges; 1 px = 0.75 pt."""
    return (math.floor(width_chars * 7 + 0.5) + 5 - 6) * 0.75


def lines_needed(text, width_chars):
    if text is None:
        return 0
    if not isinstance(text, str):
        return 1
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


def check_heights(xlsx, name):
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.worksheets[0]
    widths = {}
    for dim in ws.column_dimensions.values():
        for i in range(dim.min, dim.max + 1):
            widths[i] = dim.width
    merged = {}
    covered = set()
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = rng.max_row
        for r in range(rng.min_row, rng.max_row + 1):
            covered.add((r, rng.min_col))

    def height(r):
        return ws.row_dimensions[r].height

    for r in range(1, ws.max_row + 1):
        h = height(r)
        check(h is not None and h > 0, "%s: row %d of %r has no height" % (name, r, ws.title))
        if h is None:
            continue
        for c in range(1, ws.max_column + 1):
            if (r, c) in covered and (r, c) not in merged:
                continue
            lines = lines_needed(ws.cell(r, c).value, widths.get(c, 8.43))
            last = merged.get((r, c), r)
            have = sum(height(k) or 0 for k in range(r, last + 1))
            want = min(lines * LINE_PT, 409.0 * (last - r + 1))
            check(have >= want,
                  "%s: %s%d needs %d lines (%.0f pt) in rows %d-%d, they are %.0f pt" %
                  (name, openpyxl.utils.get_column_letter(c), r, lines, want, r, last, have))


# ---- The printed page ---------------------------------------------------------------------

def words(pdf):
    """Per page: its size and its words as (x0, y0, x1, y1, text)."""
    r = run(["pdftotext", "-bbox", pdf, "-"])
    check(r.returncode == 0, "%s: pdftotext -bbox failed" % pdf)
    root = ET.fromstring(r.stdout.replace("xmlns=\"http://www.w3.org/1999/xhtml\"", ""))
    pages = []
    for page in root.iter("page"):
        ws = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
               float(w.get("yMax")), w.text or "") for w in page.iter("word")]
        pages.append(((float(page.get("width")), float(page.get("height"))), ws))
    return pages


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


def check_print(pdf, name, lang):
    pages = words(pdf)
    check(len(pages) > 0, "%s: no pages" % name)
    only, first, last = HEADS[lang]
    measure_pages = 0
    for i, (size, ws) in enumerate(pages, start=1):
        check(abs(size[0] - A3_LANDSCAPE[0]) < 1 and abs(size[1] - A3_LANDSCAPE[1]) < 1,
              "%s: page %d is %r, not A3 landscape" % (name, i, size))
        texts = [w[4] for w in ws]
        if only in texts:
            measure_pages += 1
            check(first in texts and last in texts,
                  "%s: page %d of the measures is not the sheet's whole width" % (name, i))
        bad = overlaps(ws)
        for a, b in bad[:5]:
            check(False, "%s: page %d: %r at (%.0f, %.0f) overlaps %r at (%.0f, %.0f)" %
                  (name, i, a[4], a[0], a[1], b[4], b[0], b[1]))
        if len(bad) > 5:
            check(False, "%s: page %d: %d more overlapping words" % (name, i, len(bad) - 5))
    check(measure_pages > 0, "%s: no page shows the measures sheet's head" % name)
    # The head is repeated: every page up to the last one with the measures sheet's head has it.
    pages_with_head = [i for i, (_, ws) in enumerate(pages, start=1) if only in [w[4] for w in ws]]
    if pages_with_head:
        check(pages_with_head == list(range(1, pages_with_head[-1] + 1)),
              "%s: the measures sheet's head is missing on some of pages 1-%d (%r)" %
              (name, pages_with_head[-1], pages_with_head))
    return len(pages)


def ods_heights(ods):
    """The first sheet's row heights in the ODS, in pt, and whether each is kept as given."""
    ns = {"style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
          "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    root = ET.fromstring(zipfile.ZipFile(ods).read("content.xml"))
    styles = {}
    for st in root.iter("{%s}style" % ns["style"]):
        p = st.find("style:table-row-properties", ns)
        if p is not None:
            h = p.get("{%s}row-height" % ns["style"])
            styles[st.get("{%s}name" % ns["style"])] = (
                float(h[:-2]) if h and h.endswith("pt") else None,
                p.get("{%s}use-optimal-row-height" % ns["style"]) == "false")
    table = root.find(".//table:table", ns)
    out = []
    for row in table.iter("{%s}table-row" % ns["table"]):
        n = int(row.get("{%s}number-rows-repeated" % ns["table"], "1"))
        out += [styles.get(row.get("{%s}style-name" % ns["table"]), (None, False))] * n
    return out


def check_same_heights(xlsx, ods, name):
    ws = openpyxl.load_workbook(xlsx).worksheets[0]
    rows = ods_heights(ods)
    check(len(rows) == ws.max_row, "%s: the ODS has %d rows, the XLSX %d" % (name, len(rows), ws.max_row))
    for r, (h, kept) in enumerate(rows, start=1):
        x = ws.row_dimensions[r].height
        check(kept and h is not None and x is not None and abs(min(h, 409.0) - x) < 0.01,
              "%s: row %d is %r pt (kept: %r) in the ODS, %r pt in the XLSX" % (name, r, h, kept, x))


def round_lang(path):
    root = ET.parse(path).getroot()
    return root.get("{http://www.w3.org/XML/1998/namespace}lang") or "fi"


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    profile = os.path.join(WORK, "lo-profile")
    rounds = list(ROUNDS)
    if generated:
        gen = os.path.join(WORK, "generated.xml")
        r = run([sys.executable, os.path.join(SRC, "bench", "gen-round"), str(generated), gen])
        check(r.returncode == 0, "gen-round failed: %s" % r.stderr)
        rounds.append(gen)
    for i, rnd in enumerate(rounds):
        name = os.path.basename(rnd)
        out = os.path.join(WORK, "r%d" % i)
        r = run([EXE, "build", rnd, "-o", out, "--format", "xlsx,ods", "-q"])
        check(r.returncode == 0, "%s: build failed: %s" % (name, r.stderr))
        files = sorted(os.listdir(out)) if os.path.isdir(out) else []
        xlsx = [os.path.join(out, f) for f in files if f.endswith(".xlsx")]
        ods = [os.path.join(out, f) for f in files if f.endswith(".ods")]
        if len(xlsx) != 1 or len(ods) != 1:
            check(False, "%s: want one XLSX and one ODS, have %r" % (name, files))
            continue
        check_heights(xlsx[0], name)
        check_same_heights(xlsx[0], ods[0], name)
        lang = round_lang(rnd)
        for path, fmt in ((xlsx[0], "xlsx"), (ods[0], "ods")):
            pdf = soffice_pdf(path, os.path.join(out, "pdf-" + fmt), profile)
            if pdf is not None:
                n = check_print(pdf, "%s (%s)" % (name, fmt), lang)
                print("%s: %s prints on %d A3 pages" % (name, fmt, n))
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)
    print("ok")


main()
