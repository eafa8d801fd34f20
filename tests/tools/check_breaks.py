#!/usr/bin/python3
"""How real packs break across slides (the fit policy of src/slides/stack.h), read from the
PDF with pdftotext, slide by slide.  Each case writes a round built to break at a known place,
builds its pack with the program and checks where its words landed:

  widows      a target's forecast paragraph two lines longer than its slide holds under the
              target's heading: three lines go to the next slide (not two), which carries
              the title with "(jatkuu)";
  heading     a target's heading that fits at a slide's foot but not with the first lines of
              its text goes to the next slide with them;
  tall-row    a row of the strategy-measure table taller than a slide starts on a slide of its
              own (rows stand above it), is split across slides in order, each one with the
              title marked "(jatkuu)" and the column heads, and leaves no widow;
  whole-row   a row that does not fit under the row above it but fits a slide moves whole.

The text is made of tokens of one width ("r001", "c01"), so that a line holds the same number
of them wherever it stands.  Where a case needs to know how much a slide holds it first builds
a probe round and reads that from its pack, so the cases hold for any layout given.

    check_breaks.py --cli EXE --case CASE [--layout NAME]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


HEAD = """<?xml version="1.0" encoding="UTF-8"?>
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
"""
TAIL = """  </goal>
</round>
"""


def measure(mid, name, forecast="", targets="", comment=""):
    return f"""    <measure id="{mid}">
      <name>{name}</name>
      <text>Projektissa määritellyt toimenpiteet on tehty.</text>
      <owner>Tarja Loikkanen</owner>
{targets}      <forecast round="1" status="on-track">{forecast}</forecast>
{comment}    </measure>
"""


def target(tid, title, forecast):
    return f"""      <target id="{tid}">
        <title>{title}</title>
        <task status="doing"><title>Tehtävä</title></task>
        <forecast><p>{forecast}</p></forecast>
      </target>
"""


def tokens(prefix, first, n, width=3):
    return " ".join(f"{prefix}{i:0{width}d}" for i in range(first, first + n))


class Pack:
    """The pages of a built pack, as pdftotext reads them one by one."""

    def __init__(self, exe, layout, work, name, xml):
        path = os.path.join(work, name + ".xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(xml)
        out = os.path.join(work, name)
        os.makedirs(out, exist_ok=True)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1600000000")
        args = [exe, "build", path, "-o", out, "--format", "pdf", "-q"]
        if layout:
            args += ["--layout", layout]
        r = subprocess.run(args, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise SystemExit(f"{name}: the build failed ({r.returncode}):\n{r.stderr}")
        pdfs = [f for f in os.listdir(out) if f.endswith(".pdf")]
        if len(pdfs) != 1:
            raise SystemExit(f"{name}: the build wrote {pdfs}, not one PDF")
        pdf = os.path.join(out, pdfs[0])
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True)
        n = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
        self.pages = []
        for p in range(1, n + 1):
            t = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-enc", "UTF-8", pdf,
                                "-"], capture_output=True, text=True, check=True).stdout
            self.pages.append(t)

    def lines_of(self, page, pattern):
        """The lines of a page that hold a token of pattern, each as its list of tokens."""
        found = []
        for line in self.pages[page].splitlines():
            toks = re.findall(pattern, line)
            if toks:
                found.append(toks)
        return found

    def where(self, word):
        """The pages (0-based) on which word stands."""
        return [i for i, t in enumerate(self.pages) if re.search(r"\b" + re.escape(word) + r"\b",
                                                                 t)]

    def titled(self, title):
        """The pages whose text holds the slide title (on as many lines as it takes)."""
        return [i for i, t in enumerate(self.pages) if title in " ".join(t.split())]


FORECAST = "Ennuste tavoitteiden toteutumisesta ja riskit"
TABLE = "Strategiamittarit"
CONTINUED = "(jatkuu)"


def forecast_probe(exe, layout, work):
    """How many tokens a line of the forecast's body holds, and how many lines of a paragraph
    the first forecast slide holds under the status line."""
    xml = HEAD + measure("m", "Liikkumisohjelma", forecast=tokens("r", 1, 600)) + TAIL
    pack = Pack(exe, layout, work, "probe", xml)
    first = pack.titled(FORECAST)[0]
    lines = pack.lines_of(first, r"\br\d{3}\b")
    per_line = len(lines[0])
    if len(lines) < 4 or any(len(l) != per_line for l in lines[:-1]):
        raise SystemExit(f"probe: unexpected lines on the forecast slide: {lines}")
    return per_line, len(lines)


def target_probe(exe, layout, work):
    """How many tokens a line of a target's forecast holds, and how many lines of its paragraph
    the first forecast slide holds under the target's heading (the measure's own forecast says
    nothing)."""
    xml = HEAD + measure("m", "Liikkumisohjelma",
                         targets=target("tg", "Kohde", tokens("q", 1, 600))) + TAIL
    pack = Pack(exe, layout, work, "target-probe", xml)
    first = pack.titled(FORECAST)[0]
    lines = pack.lines_of(first, r"\bq\d{3}\b")
    if len(lines) < 4 or any(len(l) != len(lines[0]) for l in lines[:-1]):
        raise SystemExit(f"probe: unexpected lines on the forecast slide: {lines}")
    return len(lines[0]), len(lines)


def case_widows(exe, layout, work):
    per_line, k = target_probe(exe, layout, work)
    # A paragraph of k + 2 full lines: k fit, two would be left for the next slide.
    n = per_line * (k + 2)
    xml = HEAD + measure("m", "Liikkumisohjelma",
                         targets=target("tg", "Kohde", tokens("q", 1, n))) + TAIL
    pack = Pack(exe, layout, work, "widows", xml)
    pages = pack.titled(FORECAST)
    if len(pages) != 2:
        fail(f"widows: the forecast takes {len(pages)} slides, not 2")
        return
    a, b = pages
    on_a, on_b = pack.lines_of(a, r"\bq\d{3}\b"), pack.lines_of(b, r"\bq\d{3}\b")
    if len(on_b) != 3 or len(on_a) != k - 1:
        fail(f"widows: {len(on_a)} lines stay and {len(on_b)} go on; want {k - 1} and 3")
    if CONTINUED not in pack.pages[b] or CONTINUED in pack.pages[a]:
        fail("widows: the second slide's title is not marked continued (or the first's is)")
    order = [t for line in on_a + on_b for t in line]
    if order != tokens("q", 1, n).split():
        fail("widows: the paragraph's words are not all there, once and in order")


def case_heading(exe, layout, work):
    per_line, k = forecast_probe(exe, layout, work)
    # The measure's own forecast fills the slide but for two lines: the target's heading (a
    # line and its spaces) fits there, but not with the first lines of its text.
    before = tokens("r", 1, per_line * (k - 2))
    after = tokens("q", 1, per_line * 6)
    xml = HEAD + measure("m", "Liikkumisohjelma", forecast=before,
                         targets=target("tg", "Otsikkokohde kalvon alareunassa", after)) + TAIL
    pack = Pack(exe, layout, work, "heading", xml)
    pages = pack.titled(FORECAST)
    heading = [p for p in pack.where("Otsikkokohde") if p in pages]
    text = [p for p in pack.where("q001") if p in pages]
    last_r = pack.where("r%03d" % (per_line * (k - 2)))
    if not heading or not text or not last_r:
        fail(f"heading: not found (heading on {heading}, text on {text})")
        return
    if heading[0] != text[0]:
        fail(f"heading: the heading stands on slide {heading[0] + 1}, its text starts on "
             f"{text[0] + 1}")
    if heading[0] == last_r[0]:
        fail("heading: the heading stayed at the foot of the slide before (the case did not "
             "break where it was built to)")


def table_probe(exe, layout, work):
    """How many one-line comment paragraphs a row of the strategy-measure table shows on the
    table's first slide."""
    comment = "<comment>" + "".join(f"<p>c{i:02d}</p>" for i in range(1, 99)) + "</comment>\n"
    xml = HEAD + measure("m", "Liikkumisohjelma", comment=comment) + TAIL
    pack = Pack(exe, layout, work, "table-probe", xml)
    first = pack.titled(TABLE)[0]
    return len(pack.lines_of(first, r"\bc\d{2}\b"))


def comment_of(prefix, n):
    return "<comment>" + "".join(f"<p>{prefix}{i:02d}</p>" for i in range(1, n + 1)) + \
        "</comment>\n"


def case_tall_row(exe, layout, work):
    c = table_probe(exe, layout, work)
    n = 2 * c + 5  # taller than any slide
    xml = HEAD + measure("m1", "Lyhyt mittari", comment=comment_of("a", 2)) + \
        measure("m2", "Pitkä mittari", comment=comment_of("c", n)) + TAIL
    pack = Pack(exe, layout, work, "tall-row", xml)
    pages = pack.titled(TABLE)
    first_a = [p for p in pack.where("a01") if p in pages]
    parts = [(p, pack.lines_of(p, r"\bc\d{2}\b")) for p in pages]
    parts = [(p, l) for p, l in parts if l]
    if not first_a or len(parts) < 2:
        fail(f"tall-row: the long row is on {len(parts)} slides; want several")
        return
    if parts[0][0] == first_a[0]:
        fail("tall-row: the row taller than a slide starts under the row above it, not on a "
             "slide of its own")
    for p, _ in parts:
        if CONTINUED not in pack.pages[p]:
            fail(f"tall-row: slide {p + 1} continues the table without \"(jatkuu)\"")
        if "Kommentit" not in pack.pages[p]:
            fail(f"tall-row: slide {p + 1} continues the table without its column heads")
    if len(parts[-1][1]) < 3:
        fail(f"tall-row: the row's last part is {len(parts[-1][1])} line(s), a widow")
    order = [t for _, lines in parts for line in lines for t in line]
    if order != [f"c{i:02d}" for i in range(1, n + 1)]:
        fail("tall-row: the row's paragraphs are not all there, once and in order")


def case_whole_row(exe, layout, work):
    c = table_probe(exe, layout, work)
    # The first row leaves a few lines; the second is taller than those and shorter than a
    # slide.
    xml = HEAD + measure("m1", "Ensimmäinen mittari", comment=comment_of("a", c - 4)) + \
        measure("m2", "Toinen mittari", comment=comment_of("b", 12)) + TAIL
    pack = Pack(exe, layout, work, "whole-row", xml)
    pages = pack.titled(TABLE)
    a = [p for p in pages if pack.lines_of(p, r"\ba\d{2}\b")]
    b = [p for p in pages if pack.lines_of(p, r"\bb\d{2}\b")]
    if len(a) != 1:
        fail(f"whole-row: the first row is on slides {a}, want one (the case was built wrong)")
    if len(b) != 1:
        fail(f"whole-row: the second row is split over slides {[p + 1 for p in b]}; it fits "
             "one, so it moves whole")
    elif a and b[0] == a[0]:
        fail("whole-row: the second row fit under the first (the case was built wrong)")


CASES = {"widows": case_widows, "heading": case_heading, "tall-row": case_tall_row,
         "whole-row": case_whole_row}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--case", required=True, choices=sorted(CASES))
    ap.add_argument("--layout")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="check-breaks-") as work:
        CASES[args.case](args.cli, args.layout, work)
    if FAILS:
        print(f"{len(FAILS)} failure(s)", file=sys.stderr)
        return 1
    print(f"{args.case}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
