#!/usr/bin/python3
"""The slide pack as an independent reader gives it to assistive technology: pdf.js, the reader
in Firefox (tests/tools/pdfjs_read.mjs prints each page's structure tree, the text of each
marked-content sequence and the annotations), with pikepdf for what pdf.js does not expose (the
structure's attributes, font descriptors) and poppler for a second opinion on the text.

It builds the fi, sv and en packs (input/kuva-2020-3.xml, tests/data/valid/sv-round.xml,
en-round.xml), the fi pack on the A4 layout and a round whose forecasts changed
(tests/data/council/changes-fi.xml: the status picture's chart and change list, the overview's
change marks, value charts with a level), and runs the checks named with --check (all by
default), each on every pack:

  hyphens        no hyphen that the line breaker added is in the text a reader gets (pdf.js's
                 structure and artifacts, `pdftotext -raw`, `pdfinfo -struct-text`): a word
                 split at a line end reads as the word, "Palautumismittari", never
                 "Palautu-mismittari"; a hyphen of the source text stays ("vapaa-ajan").  At
                 least one split word must be found in the fi and sv packs, or it proves nothing.
                 (The pack draws such a hyphen as U+00AD.  poppler hands that on; pdf.js 2.14
                 drops it and gives "Palautu", a line end, "mismittari", which is accepted.)
  capheight      every FontDescriptor has /CapHeight, the font's own (OS/2 sCapHeight, else the
                 top of its 'H'), in the plain pack and with --pdfa.
  table-parts    each table part on a slide is a Table of its own, its first row a header row of
                 TH with text and /Scope /Column, and a part that continues a table (the slide
                 before ends in one with the same heads) says so ("(jatkuu)", "(forts.)",
                 "(continued)") in a Caption or heading; a table that starts on its slide has
                 no Caption that says it continues.
  row-heads      every row header (TH /Scope /Row) has text and begins with the name of its
                 row (a measure, a task behind its number, a theme, a programme); the part of
                 a row that goes on from the slide before begins with the name and the
                 continued label ("Liikkumisohjelma (jatkuu)"), no other row with the label.
  head-air       a look that pdf.js's boxes show: the last column's head ends at least twice
                 the cells' padding before the table's right edge (the layout's col* and pad
                 frames), where its fill ends ("stadsgemensamma" was 5 pt from it).  ctest runs
                 it on the Swedish round on A4 too (--pack sv-a4).
  band-rows      a row that is one cell across the table (the overview's theme and goal bands)
                 is one TH with /ColSpan over the columns, no empty cells beside it, and the rows
                 under it are tied to it (their cells' /Headers name its /ID, or the band and its
                 rows are a TBody of their own).
  link-text      a link's description (/Contents, its text, its /Alt) has no bare number the link
                 does not show ("Siirry mittarin 1 kalvoille" is wrong), a link to a deck
                 names what the link shows (the measure), and a web link is described as the
                 pack's label file says (link.web: "{name} (avautuu selaimeen)").
  reading-order  on the cover, the overview, a progress slide with three columns, one with a
                 scale, the forecast-and-risks slide and a continued table slide the text is read
                 in the order it is seen: never back up into a column already read; the scale's
                 phase labels (above the line) before its end labels (under it), each read once
                 and not again in the figure's alternative text; on a continued table slide
                 everything shown but the slide number is read.  On the council pack: the
                 overview with its change marks, the status picture and a forecast slide with
                 a value chart, each chart a Figure with alternative text, its words read inside
                 the Figure only.
  empty-column   an empty TEKEMÄTTÄ / TEKEILLÄ / TEHTY column says that it is empty (its heading
                 is followed by text before the next heading).

All are on in ctest (tests/a11y.cmake, a test each).  Each failed on the pack before the slide
code was changed to pass it: one Table over slides with an artifact head (table-parts), a
split row's later part with an empty row header or one in the middle of its text (row-heads), a band
of a TH and empty TD (band-rows), "Siirry mittarin 1 kalvoille" (link-text), the scale's end
labels before its phases and again in the alternative text, a continued table's head not read
(reading-order), an empty column's bare heading (empty-column).

    check_pdfjs.py --cli EXE [--check NAME ...] [--pack fi|sv|en|a4 ...] [--keep DIR]

The pdf.js used is Debian's libjs-pdf (scripts/deps installs it), or the file given with
--pdfjs or in $TASEURANTA_PDFJS; node is `node` on the PATH or --node.
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Array, Dictionary, Name

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import check_pdf  # noqa: E402  (inline_text, blocks)
from pdfua_check import TrueType  # noqa: E402

CHECKS = ["hyphens", "capheight", "table-parts", "row-heads", "head-air", "band-rows",
          "link-text", "reading-order", "empty-column"]

PACKS = {
    "fi": ("input/kuva-2020-3.xml", None),
    "sv": ("tests/data/valid/sv-round.xml", None),
    "en": ("tests/data/valid/en-round.xml", None),
    "a4": ("input/kuva-2020-3.xml", "layouts/a4-landscape.xml"),
    # The longest Swedish heads on A4's narrower columns (head-air).
    "sv-a4": ("tests/data/valid/sv-round.xml", "layouts/a4-landscape.xml"),
    # What the council asks first: a status picture with changes, change marks in the
    # overview, forecast slides with a value chart and a level (negative values too).
    "council": ("tests/data/council/changes-fi.xml", None),
}

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LETTERS = r"[^\W\d_]"
SHY = "\u00ad"


def ws(s):
    return " ".join(s.split())


def fold(s):
    """What is compared: case-folded, soft hyphens (invisible by definition) dropped, white
    space as single spaces."""
    return ws(s.replace(SHY, "")).casefold()


def squash(s):
    return re.sub(r"\s+", "", s.replace(SHY, "")).casefold()


# ---- pdf.js's view --------------------------------------------------------------------------

class Node:
    """A structure element of pdf.js's tree of one page."""

    def __init__(self, d, parent, page):
        self.role = d["role"]
        self.alt = d.get("alt")
        self.parent = parent
        self.page = page
        self.children = []
        for c in d.get("children", []):
            if "role" in c:
                self.children.append(Node(c, self, page))
            elif "mcid" in c:
                self.children.append(Content(c, self))
            else:
                self.children.append(c["object"])

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()

    def contents(self):
        for c in self.children:
            if isinstance(c, Node):
                yield from c.contents()
            elif isinstance(c, Content):
                yield c

    def text(self):
        return "".join(c.text for c in self.contents())

    def ancestors(self):
        p = self.parent
        while p is not None:
            yield p
            p = p.parent

    def walk_up(self):
        yield self
        yield from self.ancestors()


class Content:
    def __init__(self, d, parent):
        self.id = d["mcid"]
        self.text = d.get("text") or ""
        self.box = d.get("box")
        self.parent = parent


class Page:
    def __init__(self, d):
        self.number = d["page"]
        self.tree = Node(d["tree"], None, self) if d.get("tree") else None
        self.annotations = d["annotations"]
        self.artifacts = d["artifacts"]
        self.unmarked = d["unmarked"]

    def nodes(self):
        return list(self.tree.walk()) if self.tree else []

    def contents(self):
        """Marked content in reading order, with text."""
        return [c for c in (self.tree.contents() if self.tree else []) if c.text.strip()]


# ---- The structure as pikepdf reads it ------------------------------------------------------

def kids_of(k):
    if k is None:
        return []
    if isinstance(k, Array):
        return list(k)
    return [k]


class Elem:
    """A structure element with its attributes and where its content is."""

    def __init__(self, d, parent, pdf):
        self.d = d
        self.parent = parent
        self.role = str(d.get("/S", "/?"))[1:]
        self.children = []
        self.marks = []  # (page object number, mcid)
        self.objrs = 0
        pg = d.get("/Pg")
        for k in kids_of(d.get("/K")):
            if isinstance(k, int):
                if pg is not None:
                    self.marks.append((pg.objgen[0], int(k)))
            elif isinstance(k, Dictionary):
                t = k.get("/Type")
                if t == Name.MCR:
                    p = k.get("/Pg", pg)
                    if p is not None:
                        self.marks.append((p.objgen[0], int(k.MCID)))
                elif t == Name.OBJR:
                    self.objrs += 1
                elif "/S" in k:
                    self.children.append(Elem(k, self, pdf))

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def all_marks(self):
        out = list(self.marks)
        for c in self.children:
            out += c.all_marks()
        return out

    def empty(self):
        return not self.all_marks() and self.objrs == 0 and all(c.empty() for c in self.children)

    def attrs(self):
        """The attribute dictionaries' entries, merged (a later owner does not override)."""
        out = {}
        a = self.d.get("/A")
        for o in (list(a) if isinstance(a, Array) else [a] if a is not None else []):
            if isinstance(o, Dictionary):
                for k, v in o.items():
                    if k != "/O":
                        out.setdefault(k, v)
        return out

    def ident(self):
        i = self.d.get("/ID")
        return bytes(i) if i is not None else None


def struct_root(pdf):
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    return [Elem(k, None, pdf) for k in kids_of(root.get("/K")) if isinstance(k, Dictionary)]


# ---- A pack -----------------------------------------------------------------------------------

class Pack:
    def __init__(self, name, cli, node, pdfjs, tmp):
        self.name = name
        rel, layout = PACKS[name]
        self.round = os.path.join(ROOT, rel)
        self.layout = os.path.join(ROOT, layout) if layout else None
        self.root = ET.parse(self.round).getroot()
        self.lang = self.root.get(XML_LANG, "fi")
        path = os.path.join(ROOT, "layouts", "labels", self.lang + ".xml")
        self.labels = {l.get("key"): (l.text or "")
                       for l in ET.parse(path).getroot().iter("label")}
        self.cli = cli
        self.tmp = tmp
        self.pdf = self.build(False)
        self._pdfa = None
        self.node, self.pdfjs = node, pdfjs
        self._pages = None
        self.pike = pikepdf.open(self.pdf)
        self.page_obj = {p.objgen[0]: i + 1 for i, p in enumerate(self.pike.pages)}
        self.elems = struct_root(self.pike)

    @property
    def pages(self):
        """pdf.js's pages, read once when a check first asks."""
        if self._pages is None:
            js = subprocess.run([self.node, os.path.join(HERE, "pdfjs_read.mjs"), self.pdf,
                                 self.pdfjs], capture_output=True)
            if js.returncode != 0:
                raise RuntimeError("pdf.js could not read the %s pack: %s" % (
                    self.name, js.stderr.decode(errors="replace")[:800]))
            self._pages = [Page(p) for p in json.loads(js.stdout)["pages"]]
            self.texts = {}  # (page object number, mcid) -> text
            for pg in self._pages:
                for n in pg.nodes():
                    for c in n.children:
                        if isinstance(c, Content):
                            m = re.match(r"^page(\d+)R_mcid(\d+)$", c.id)
                            if m:
                                self.texts[(int(m.group(1)), int(m.group(2)))] = c.text
        return self._pages

    def build(self, pdfa):
        out = os.path.join(self.tmp, self.name + ("-pdfa" if pdfa else ""))
        os.makedirs(out, exist_ok=True)
        cmd = [self.cli, "build", "-q", "--format", "pdf", self.round, "-o", out]
        if self.layout:
            cmd += ["--layout", self.layout]
        if pdfa:
            cmd.append("--pdfa")
        p = subprocess.run(cmd, capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH=""))
        if p.returncode != 0:
            raise RuntimeError("the %s pack did not build: %s" % (
                self.name, p.stderr.decode(errors="replace")[:800]))
        return [os.path.join(out, f) for f in os.listdir(out) if f.endswith(".pdf")][0]

    def pdfa(self):
        if self._pdfa is None:
            self._pdfa = self.build(True)
        return self._pdfa

    def label(self, key):
        return self.labels.get(key, "")

    def elem_text(self, e):
        self.pages  # noqa: B018  (reads the texts)
        return "".join(self.texts.get(m, "") for m in e.all_marks())

    def elem_pages(self, e):
        return sorted({self.page_obj.get(pg, 0) for pg, _ in e.all_marks()})

    def source(self):
        """Everything the round and the labels say, folded: where a hyphen may come from."""
        parts = [t for t in self.root.itertext()]
        for el in self.root.iter():
            parts += list(el.attrib.values())
        parts += list(self.labels.values())
        return fold(" \n ".join(parts))


# ---- hyphens ----------------------------------------------------------------------------------

# A word, a hyphen and the next word (not taken, so that "a-b-c" is two matches).
HYPHENATED = re.compile(r"(?<!%s)(%s+)-([ \t\n]*)(?=(%s+))" % (LETTERS, LETTERS, LETTERS))


def added_hyphens(text, source):
    """The "a-b" of text that the source has neither as "a-b" nor as "a- b": hyphens the line
    breaker added.  Readers drop the space a line was broken at, so a line end may stand for
    one ("markkinointi- ja" broken after the hyphen reads "markkinointi-⏎ja")."""
    out = []
    for m in HYPHENATED.finditer(text.replace(SHY, "")):
        a, b = m.group(1).casefold(), m.group(3).casefold()
        if a + "-" + b not in source and a + "- " + b not in source:
            out.append((m.group(0) + m.group(3)).replace("\n", "⏎"))
    return out


def leaf_texts(page):
    """The text of each element that holds marked content, as pdf.js gives it."""
    for n in page.nodes():
        t = "".join(c.text for c in n.children if isinstance(c, Content))
        if t.strip():
            yield n.role, t


def check_hyphens(pack, fails, notes):
    source = pack.source()
    for pg in pack.pages:
        for role, t in leaf_texts(pg):
            for w in added_hyphens(t, source):
                fails.append("page %d: pdf.js reads %s %r: a hyphen the line breaker added" % (
                    pg.number, role, w))
        art = "\n".join(a["text"] for a in pg.artifacts)
        for w in added_hyphens(art, source):
            fails.append("page %d: pdf.js copies the artifact %r: a hyphen the line breaker "
                         "added" % (pg.number, w))
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pack.pdf, "-"],
                         capture_output=True, text=True).stdout
    for w in added_hyphens(raw, source):
        fails.append("pdftotext -raw reads %r: a hyphen the line breaker added" % w)
    st = subprocess.run(["pdfinfo", "-struct-text", pack.pdf], capture_output=True).stdout
    st = st.decode("utf-8", errors="replace")
    # Quoted text lines, joined per element: a line of the tree is one marked-content sequence.
    joined = "\n".join(re.sub(r'^\s*"(.*)"$', r"\1", l) for l in st.splitlines()
                       if l.strip().startswith('"'))
    for w in added_hyphens(joined, source):
        fails.append("pdfinfo -struct-text reads %r: a hyphen the line breaker added" % w)
    # The split words: lines that end in a soft hyphen (pdftotext keeps it), each of which must
    # read whole in pdf.js (its two parts with nothing but a line end between).
    lines = raw.splitlines()
    split = []
    for i, line in enumerate(lines[:-1]):
        m = re.search(r"(%s+)%s$" % (LETTERS, SHY), line)
        n = re.match(r"^(%s+)" % LETTERS, lines[i + 1])
        if m and n:
            split.append((m.group(1), n.group(1)))
    reads = "\n".join(t for pg in pack.pages for _, t in leaf_texts(pg))
    reads += "\n" + "\n".join(a["text"] for pg in pack.pages for a in pg.artifacts)
    reads = reads.replace(SHY, "")
    for a, b in split:
        if not re.search(re.escape(a) + r"\n?" + re.escape(b), reads):
            fails.append("%s%s: split at a line end, pdf.js does not read it as %r" % (
                a, b, a + b))
    notes.append("%d words split at a line end read whole" % len(split))
    return len(split)


# ---- capheight --------------------------------------------------------------------------------

def ps_name(tt):
    """The PostScript name (name ID 6) of a TrueType font."""
    name = tt.table("name")
    count, strings = struct.unpack(">HH", name[2:6])
    for i in range(count):
        pid, eid, _, nid, length, off = struct.unpack(">6H", name[6 + 12 * i:18 + 12 * i])
        if nid != 6:
            continue
        raw = name[strings + off:strings + off + length]
        return raw.decode("utf-16-be" if pid in (0, 3) else "latin-1", errors="replace")
    return None


def cmap_glyph(tt, cp):
    """The glyph of a BMP code point from the (3,1) format 4 subtable."""
    cmap = tt.table("cmap")
    n = struct.unpack(">H", cmap[2:4])[0]
    for i in range(n):
        pid, eid, off = struct.unpack(">HHI", cmap[4 + 8 * i:12 + 8 * i])
        if (pid, eid) != (3, 1) or struct.unpack(">H", cmap[off:off + 2])[0] != 4:
            continue
        t = cmap[off:]
        segs = struct.unpack(">H", t[6:8])[0] // 2
        ends = struct.unpack(">%dH" % segs, t[14:14 + 2 * segs])
        base = 16 + 2 * segs
        starts = struct.unpack(">%dH" % segs, t[base:base + 2 * segs])
        deltas = struct.unpack(">%dh" % segs, t[base + 2 * segs:base + 4 * segs])
        ro_at = base + 4 * segs
        ros = struct.unpack(">%dH" % segs, t[ro_at:ro_at + 2 * segs])
        for k in range(segs):
            if starts[k] <= cp <= ends[k]:
                if ros[k] == 0:
                    return (cp + deltas[k]) & 0xFFFF
                at = ro_at + 2 * k + ros[k] + 2 * (cp - starts[k])
                g = struct.unpack(">H", t[at:at + 2])[0]
                return (g + deltas[k]) & 0xFFFF if g else 0
        return 0
    return 0


def cap_height(tt):
    """What a careful writer puts in /CapHeight: OS/2 sCapHeight (version 2 on), else the top
    of 'H'; in 1/1000 em."""
    os2 = tt.table("OS/2")
    units = 0
    if len(os2) >= 90 and struct.unpack(">H", os2[0:2])[0] >= 2:
        units = struct.unpack(">h", os2[88:90])[0]
    if units <= 0:
        g = cmap_glyph(tt, ord("H"))
        longs = struct.unpack(">h", tt.table("head")[50:52])[0] == 1
        loca = tt.table("loca")
        if longs:
            at, end = struct.unpack(">II", loca[4 * g:4 * g + 8])
        else:
            at, end = (2 * v for v in struct.unpack(">HH", loca[2 * g:2 * g + 4]))
        if g and end > at:
            units = struct.unpack(">h", tt.table("glyf")[at + 8:at + 10])[0]
    return round(units * 1000 / tt.units_per_em) if units > 0 else None


def layout_fonts(pack):
    """PostScript name -> expected /CapHeight of every font file the pack's layout names."""
    path = pack.layout or os.path.join(ROOT, "layouts", "helsinki.xml")
    out = {}
    for f in ET.parse(path).getroot().iter("font"):
        for key in ("file", "fallback"):
            if f.get(key):
                with open(os.path.join(ROOT, f.get(key)), "rb") as fh:
                    tt = TrueType(fh.read())
                out[ps_name(tt)] = cap_height(tt)
    return out


def check_capheight(pack, fails, notes):
    want = layout_fonts(pack)
    seen = 0
    for label, path in (("plain", pack.pdf), ("--pdfa", pack.pdfa())):
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if not isinstance(obj, Dictionary) or obj.get("/Type") != Name.FontDescriptor:
                    continue
                seen += 1
                name = str(obj.get("/FontName", "/?"))[1:]
                base = name.split("+", 1)[-1].split(",", 1)[0]
                cap = obj.get("/CapHeight")
                if cap is None:
                    fails.append("%s: the FontDescriptor of %s has no /CapHeight" % (label, name))
                    continue
                exp = want.get(base)
                if exp is not None and abs(float(cap) - exp) > 1:
                    fails.append("%s: %s has /CapHeight %s; the font says %d" % (
                        label, name, cap, exp))
    notes.append("%d font descriptors" % seen)
    if seen == 0:
        fails.append("no FontDescriptor at all")


# ---- table-parts ------------------------------------------------------------------------------

def continued_words(pack):
    return [w for w in {pack.label("continued"), "(jatkuu)", "(forts.)", "(continued)"} if w]


def rows_of(table):
    """The TR elements of a Table (under THead/TBody/TFoot too), in order."""
    out = []
    for c in table.children:
        if isinstance(c, Node):
            if c.role == "TR":
                out.append(c)
            elif c.role in ("THead", "TBody", "TFoot"):
                out += [r for r in c.children if isinstance(r, Node) and r.role == "TR"]
    return out


def flat_order(page):
    """The page's elements that hold text, in reading order."""
    return [n for n in page.nodes() if any(isinstance(c, Content) and c.text.strip()
                                           for c in n.children)]


def in_table(n):
    return next((a for a in n.ancestors() if a.role == "Table"), None)


def is_heading(n):
    return re.match(r"^H[1-6]?$", n.role) is not None


def head_row(table):
    """The texts of a Table's first row (its column heads), folded."""
    rows = rows_of(table)
    return [squash(c.text()) for c in rows[0].children if isinstance(c, Node)] if rows else []


def continuations(pack):
    """(page, Table node, the Table node it continues) for each table part that continues one
    on the slide before: the slide before ends in a table with the same column heads and this
    one starts with one, nothing but a heading that says it continues (or none) before it.  A
    table with other heads is a new one, even at the top of a slide whose title continues."""
    words = [squash(w) for w in continued_words(pack)]
    out = []
    for prev, pg in zip(pack.pages, pack.pages[1:]):
        before, now = flat_order(prev), flat_order(pg)
        last = in_table(before[-1]) if before else None
        if not now or last is None:
            continue
        for n in now:
            t = in_table(n)
            if t is not None:
                if head_row(t) == head_row(last):
                    out.append((pg, t, last))
                break
            if not (is_heading(n) or n.role == "Caption") or \
                    not any(w in squash(n.text()) for w in words):
                break
    return out


def check_table_parts(pack, fails, notes):
    n_tables = 0
    for pg in pack.pages:
        for t in (n for n in pg.nodes() if n.role == "Table"):
            n_tables += 1
            rows = rows_of(t)
            first = rows[0] if rows else None
            cells = [c for c in first.children if isinstance(c, Node)] if first else []
            if not cells or any(c.role != "TH" or not c.text().strip() for c in cells):
                shown = ", ".join("%s %r" % (c.role, ws(c.text())[:30]) for c in cells[:6])
                fails.append("page %d: a table's first row is not a header row of TH with text "
                             "(pdf.js reads: %s)" % (pg.number, shown or "no row"))
    # Scope, and one slide per Table, from the structure itself.
    for top in pack.elems:
        for e in top.walk():
            if e.role != "Table":
                continue
            pages = pack.elem_pages(e)
            if len(pages) > 1:
                fails.append("one Table runs over slides %s: a slide's part is not a table of "
                             "its own" % ", ".join(map(str, pages)))
            rows = [r for r in e.walk() if r.role == "TR"]
            if rows:
                for c in rows[0].children:
                    if c.role == "TH" and str(c.attrs().get("/Scope", "")) != "/Column":
                        fails.append("slide %s: a column head %r has no /Scope /Column" % (
                            ",".join(map(str, pages)), ws(pack.elem_text(c))[:40]))
    words = [squash(w) for w in continued_words(pack)]
    n_cont = 0
    cont = continuations(pack)
    continuing = {id(t) for _, t, _ in cont}
    # A table that starts on a slide, even at the top of one whose title continues, is new
    # there: a caption that says it continues would send a reader back for a table that is
    # not there.
    for pg in pack.pages:
        for t in (n for n in pg.nodes() if n.role == "Table" and id(n) not in continuing):
            for c in t.children:
                if isinstance(c, Node) and c.role == "Caption" and \
                        any(w in squash(c.text()) for w in words):
                    fails.append("page %d: a table that starts here (its heads: %s) has the "
                                 "caption %r, which says it continues" % (
                                     pg.number, " | ".join(head_row(t))[:60], ws(c.text())))
    for pg, t, _ in cont:
        n_cont += 1
        says = [c for c in t.children if isinstance(c, Node) and c.role == "Caption"]
        sect = t.parent
        says += [n for n in (sect.walk() if sect else []) if is_heading(n)]
        if not any(w in squash(n.text()) for n in says for w in words):
            fails.append("page %d: a table continued from the slide before does not say so "
                         "(%s) in a Caption or heading" % (pg.number,
                                                            " / ".join(continued_words(pack))))
    notes.append("%d table parts, %d of them continued" % (n_tables, n_cont))


# ---- row-heads --------------------------------------------------------------------------------

def row_names(pack):
    """What names a row of the pack's tables, folded: a measure (the strategy-measure table,
    the overview, the changes), a task (the detailed table, behind its number), a theme or a
    programme (the summary)."""
    names = set()
    for m in pack.root.iter("measure"):
        names.add(m.find("name"))
    for t in pack.root.iter("task"):
        names.add(t.find("title"))
    names.update(pack.root.iter("theme"))
    names.update(pack.root.iter("programme"))
    return {squash("".join(e.itertext())) for e in names if e is not None} - {""}


def pike_table(pack, t):
    """The Table element (pikepdf's, where empty cells are kept: pdf.js leaves them out) of
    pdf.js's Table node t."""
    if not hasattr(pack, "_tables"):
        pack._tables = {}
        for top in pack.elems:
            for e in top.walk():
                if e.role == "Table":
                    for m in e.all_marks():
                        pack._tables[m] = e
    for c in t.contents():
        m = re.match(r"^page(\d+)R_mcid(\d+)$", c.id)
        if m and (int(m.group(1)), int(m.group(2))) in pack._tables:
            return pack._tables[(int(m.group(1)), int(m.group(2)))]
    return None


def body_rows(table):
    return [r for r in table.walk() if r.role == "TR"][1:]


def row_head(row):
    """A body row's row header (its TH /Scope /Row); None for a band (one cell across) or a
    row without one."""
    cells = cells_of(row)
    if len(cells) < 2:
        return None
    return next((c for c in cells if c.role == "TH" and
                 str(c.attrs().get("/Scope", "")) == "/Row"), None)


def row_name(text, names):
    """The longest name the row header's text begins with (a task's behind its number)."""
    text = re.sub(r"^\d+\.", "", text)
    return max((n for n in names if text.startswith(n)), key=len, default=None)


def check_row_heads(pack, fails, notes):
    """Every row header of a table part names its row; the part of a row that goes on from
    the slide before says whose row it is and that it goes on."""
    names = row_names(pack)
    words = [squash(w) for w in continued_words(pack)]
    goes_on = {}  # id(first body row of a part) -> the name of the row it may continue
    for pg, t, last in continuations(pack):
        rows, before = body_rows(pike_table(pack, t)), body_rows(pike_table(pack, last))
        hb = row_head(before[-1]) if rows and before else None
        if hb is not None:
            goes_on[id(rows[0])] = row_name(squash(pack.elem_text(hb)), names)
    n_rows = n_split = 0
    for top in pack.elems:
        for table in (e for e in top.walk() if e.role == "Table"):
            where = "slide %s" % ",".join(map(str, pack.elem_pages(table)))
            for r in body_rows(table):
                h = row_head(r)
                if h is None:
                    continue
                n_rows += 1
                text = squash(pack.elem_text(h))
                shown = ws(pack.elem_text(h))[:50]
                if not text:
                    fails.append("%s: a row whose header is empty (its row reads %r: whose "
                                 "row is it?)" % (where, ws(pack.elem_text(r))[:50]))
                    continue
                name = row_name(text, names)
                if name is None:
                    fails.append("%s: the row header %r does not begin with the name of its "
                                 "row" % (where, shown))
                    continue
                rest = re.sub(r"^\d+\.", "", text)[len(name):]
                marked = any(rest.startswith(w) for w in words)
                if goes_on.get(id(r)) == name:
                    n_split += 1
                    if not marked:
                        fails.append("%s: the row %r goes on from the slide before and its "
                                     "header does not say so (%s after the name)" % (
                                         where, shown, " / ".join(continued_words(pack))))
                elif marked:
                    fails.append("%s: the row header %r says it goes on; the row starts "
                                 "here" % (where, shown))
    notes.append("%d rows, %d of them going on from the slide before" % (n_rows, n_split))


# ---- head-air ---------------------------------------------------------------------------------

def table_edges(pack):
    """The right edge of the tables of each slide kind that has them (its col* frames' right
    end) with the kind's cell padding (the pad frame's x), from the pack's layout."""
    path = pack.layout or os.path.join(ROOT, "layouts", "helsinki.xml")
    out = []
    for kind in ET.parse(path).getroot().iter("slide"):
        frames = {f.get("name"): f for f in kind.iter("frame")}
        cols = [f for n, f in frames.items() if n.startswith("col")]
        if cols and "pad" in frames:
            out.append((max(float(f.get("x")) + float(f.get("w")) for f in cols),
                        float(frames["pad"].get("x"))))
    return out


def check_head_air(pack, fails, notes):
    """The last column's head stands in the head's fill, which ends at the table's right edge
    a pad after the text may: its words leave that edge at least the room between two
    columns' texts (twice the pad), or the bold words look pressed against it."""
    edges = table_edges(pack)
    n = 0
    for pg in pack.pages:
        for t in (n for n in pg.nodes() if n.role == "Table"):
            rows = rows_of(t)
            heads = [c for c in rows[0].children if isinstance(c, Node)] if rows else []
            boxes = [c.box for c in heads[-1].contents() if c.box] if heads else []
            if not boxes:
                continue
            n += 1
            x1 = max(b[2] for b in boxes)
            edge = min((e for e in edges if e[0] >= x1 - 0.5), default=None)
            if edge is None:
                fails.append("page %d: the head %r runs past every table's right edge" % (
                    pg.number, ws(heads[-1].text())[:40]))
            elif edge[0] - x1 < 2 * edge[1] - 0.5:
                fails.append("page %d: the last column's head %r ends %.1f pt before the "
                             "table's right edge (at least %g wanted)" % (
                                 pg.number, ws(heads[-1].text())[:60], edge[0] - x1,
                                 2 * edge[1]))
    notes.append("%d last column heads" % n)


# ---- band-rows --------------------------------------------------------------------------------

def cells_of(tr):
    return [c for c in tr.children if c.role in ("TH", "TD")]


def span(c, key):
    v = c.attrs().get(key)
    try:
        return int(v) if v is not None else 1
    except (TypeError, ValueError):
        return 1


def check_band_rows(pack, fails, notes):
    bands = 0
    for top in pack.elems:
        for table in (e for e in top.walk() if e.role == "Table"):
            groups = [table] + [g for g in table.children if g.role in ("THead", "TBody", "TFoot")]
            rows = [(g, r) for g in groups for r in g.children if r.role == "TR"]
            width = max((sum(span(c, "/ColSpan") for c in cells_of(r)) for _, r in rows),
                        default=0)
            if width < 2:
                continue
            current = None  # (band TH, its group)
            for g, r in rows:
                cells = cells_of(r)
                full = [c for c in cells if not c.empty()]
                where = "slide %s" % ",".join(map(str, pack.elem_pages(r)))
                if len(full) == 1 and full[0].role == "TH" and len(cells) > 1 and \
                        cells[0] is full[0] and span(full[0], "/ColSpan") < width:
                    bands += 1
                    fails.append("%s: the band row %r is a TH and %d empty cells, without "
                                 "/ColSpan" % (where, ws(pack.elem_text(full[0]))[:50],
                                               len(cells) - 1))
                    current = (full[0], g)
                    continue
                if len(cells) == 1 and cells[0].role == "TH" and \
                        span(cells[0], "/ColSpan") == width:
                    bands += 1
                    current = (cells[0], g)
                    continue
                if current is None:
                    continue
                band, group = current
                bid = band.ident()
                tied = group is not table and g is group and \
                    next((x for x in group.children if x.role == "TR"), None) is band.parent
                for c in cells:
                    heads = c.attrs().get("/Headers")
                    names = [bytes(h) for h in heads] if isinstance(heads, Array) else []
                    if not tied and (bid is None or bid not in names):
                        fails.append("%s: the cell %r is not tied to its band %r (no /Headers "
                                     "naming its /ID, no TBody of its own)" % (
                                         where, ws(pack.elem_text(c))[:40],
                                         ws(pack.elem_text(band))[:40]))
                        break
    notes.append("%d band rows" % bands)


# ---- link-text --------------------------------------------------------------------------------

def bare_numbers(s):
    return [t for t in (w.strip(".,;:()[]\"'!?") for w in s.split()) if t.isdigit()]


def check_link_text(pack, fails, notes):
    n = n_web = 0
    for pg in pack.pages:
        links = [l for l in pg.nodes() if l.role == "Link"]
        by_annot = {}
        for l in links:
            for c in l.children:
                if isinstance(c, str):
                    by_annot[c] = l
        for a in pg.annotations:
            if a["subtype"] != "Link":
                continue
            n += 1
            el = by_annot.get(a["id"])
            shown = ws(el.text()) if el is not None else ""
            contents = a["contents"] or ""
            for what, text in (("/Contents", contents),
                               ("/Alt", el.alt if el is not None and el.alt else "")):
                extra = [x for x in bare_numbers(text) if x not in bare_numbers(shown)]
                if extra:
                    fails.append("page %d: the link %r says %r: %s %s not shown on the link" % (
                        pg.number, shown[:40], text, " ".join(extra),
                        "is" if len(extra) == 1 else "are"))
            if a["dest"] is not None and shown and squash(shown) not in squash(contents):
                fails.append("page %d: the link %r is described as %r, which does not name "
                             "it" % (pg.number, shown[:40], contents))
            if a.get("url"):
                n_web += 1
                # A web link says where it goes and that it leaves the pack, in the words of
                # the pack's label file (link.web, {name} the address shown).
                address = re.sub(r"^(https?://|mailto:)", "", a["url"])
                want = pack.label("link.web").replace("{name}", address)
                if ws(contents) != ws(want):
                    fails.append("page %d: the web link %r is described as %r, not as the "
                                 "label link.web says (%r)" % (pg.number, a["url"], contents,
                                                               want))
    notes.append("%d links, %d of them to the web" % (n, n_web))


# ---- reading-order ----------------------------------------------------------------------------

TOL = 2.0


def backs_up(a, b):
    """Whether reading b right after a goes back up into what was read: b lies wholly above a
    and does not start to its right (a new column)."""
    if a.box is None or b.box is None:
        return False
    return b.box[1] > a.box[3] + TOL and b.box[0] <= a.box[0] + TOL


def order_fails(pg, what):
    out = []
    seq = [c for c in pg.contents() if c.box is not None]
    for a, b in zip(seq, seq[1:]):
        if backs_up(a, b):
            out.append("page %d (%s): %r is read after %r, which is below it" % (
                pg.number, what, ws(b.text)[:50], ws(a.text)[:50]))
    return out


def first_page(pack, pred):
    return next((pg for pg in pack.pages if pred(pg)), None)


def headings(pg, role):
    return [n for n in pg.nodes() if n.role == role]


def state_words(pack):
    return {squash(pack.label(k)) for k in ("task.todo", "task.doing", "task.done")}


def column_heads(pack, pg):
    words = state_words(pack)
    return [h for h in pg.nodes() if is_heading(h) and squash(h.text()) in words]


def scale_of(pack, pg):
    """The round's scale that a page shows: (end labels, phase labels), or None."""
    text = squash("".join(c.text for c in pg.contents()))
    for sc in pack.root.iter("scale"):
        ends = [sc.get("from") or "", sc.get("to") or ""]
        if all(squash(e) in text for e in ends if e):
            return ends, [check_pdf.inline_text(p) for p in sc.findall("phase")]
    return None


def check_scale(pack, pg, fails):
    found = scale_of(pack, pg)
    if found is None:
        fails.append("page %d: the scale's labels are not read" % pg.number)
        return
    ends, phases = found
    # The task lists (with their progress bars' "100 %") are not the scale.
    pieces = [squash(c.text) for c in pg.contents()
              if not any(a.role in ("L", "Figure", "Table") for a in c.parent.walk_up())]
    order = "".join(pieces)
    alts = [fold(n.alt or "") for n in pg.nodes() if n.role == "Figure"]
    for lab in ends + phases:
        s = squash(lab)
        if not s:
            continue
        # A label is one piece of text, or (wrapped) a run of them: "0 %" must not be counted
        # inside "100 %".
        times = pieces.count(s) or order.count(s)
        if times != 1:
            fails.append("page %d: the scale label %r is read %d times" % (pg.number, lab, times))
        # A label of words, that is: "0 %" is also a task's progress in the summary.
        said = re.compile(r"(?<!\w)%s(?!\w)" % re.escape(fold(lab)))
        if re.search(LETTERS, lab) and any(said.search(a) for a in alts):
            fails.append("page %d: the scale label %r is read again in the figure's "
                         "alternative text" % (pg.number, lab))
    first_end = min((order.find(squash(e)) for e in ends if e and squash(e) in order),
                    default=-1)
    for p in phases:
        at = order.find(squash(p))
        if at >= 0 and first_end >= 0 and at > first_end:
            fails.append("page %d: the phase label %r (above the line) is read after the end "
                         "labels (under it)" % (pg.number, p))


def check_charts(pack, fails, notes):
    """The council pack: its slides read in order, and each chart one Figure with alternative
    text that holds the numbers it draws, none of its words read outside it."""
    lb = pack.label
    picks = [("overview", first_page(pack, lambda pg: any(
        squash(h.text()) == squash(lb("slide.overview")) for h in headings(pg, "H2")))),
        ("status picture", first_page(pack, lambda pg: any(
            squash(h.text()) == squash(lb("slide.picture")) for h in headings(pg, "H2")))),
        ("forecast with a value chart", first_page(pack, lambda pg: any(
            squash(h.text()) == squash(lb("slide.forecast")) for h in headings(pg, "H2")) and any(
            n.role == "Figure" for n in pg.nodes())))]
    for what, pg in picks:
        if pg is None:
            fails.append("no %s slide found" % what)
            continue
        fails += order_fails(pg, what)
        if what == "overview":
            marks = [c for c in pg.contents() if "\u25b2" in c.text or "\u25bc" in c.text]
            if not marks:
                fails.append("page %d: no change mark read on the overview" % pg.number)
            continue
        figures = [n for n in pg.nodes() if n.role == "Figure"]
        if not figures:
            fails.append("page %d (%s): no Figure" % (pg.number, what))
        inside = set()
        for f in figures:
            alt = f.alt or ""
            digits = set(re.findall(r"\d+", ws(f.text())))
            missing = sorted(d for d in digits if d not in set(re.findall(r"\d+", alt)))
            if not alt.strip():
                fails.append("page %d (%s): a Figure without alternative text" % (pg.number, what))
            elif what == "status picture" and missing:
                fails.append("page %d (%s): the chart draws %s, its /Alt %r does not say" % (
                    pg.number, what, " ".join(missing), alt))
            inside |= {id(c) for c in f.contents()}
        if what == "status picture":
            words = [squash(lb(k)) for k in ("status.achieved", "status.on-track")]
            outside = [c for c in pg.contents() if id(c) not in inside and
                       squash(c.text) in words]
            if outside:
                fails.append("page %d (%s): the legend's words are read outside the Figure: "
                             "%s" % (pg.number, what, "; ".join(ws(c.text) for c in outside)))
    notes.append("slides " + ", ".join("%s p%d" % (w, pg.number) for w, pg in picks if pg))


def check_reading_order(pack, fails, notes):
    if pack.name == "council":
        check_charts(pack, fails, notes)
        return
    lb = pack.label
    picks = []
    picks.append(("cover", pack.pages[0] if pack.pages else None))
    picks.append(("overview", first_page(pack, lambda pg: any(
        squash(h.text()) == squash(lb("slide.overview")) for h in headings(pg, "H2")))))
    figs = lambda pg: any(n.role == "Figure" for n in pg.nodes())  # noqa: E731
    progress = lambda pg: len(column_heads(pack, pg)) >= 3  # noqa: E731
    picks.append(("progress in three columns",
                  first_page(pack, lambda pg: progress(pg) and not figs(pg))))
    scale_page = first_page(pack, lambda pg: progress(pg) and figs(pg) and
                            scale_of(pack, pg) is not None and scale_of(pack, pg)[1])
    if scale_page is None:
        scale_page = first_page(pack, lambda pg: progress(pg) and figs(pg))
    picks.append(("progress on a scale", scale_page))
    picks.append(("forecast and risks", first_page(pack, lambda pg: any(
        squash(h.text()) == squash(lb("slide.risks")) for h in headings(pg, "H3")))))
    cont = continuations(pack)
    picks.append(("continued table", cont[0][0] if cont else None))
    for what, pg in picks:
        if pg is None:
            if what != "continued table" or pack.name == "fi":
                fails.append("no %s slide found" % what)
            continue
        fails += order_fails(pg, what)
        if what == "progress on a scale":
            check_scale(pack, pg, fails)
        if what == "continued table":
            unread = [a["text"] for a in pg.artifacts if not ws(a["text"]).isdigit()]
            if unread:
                fails.append("page %d (continued table): shown and not read: %s" % (
                    pg.number, "; ".join(repr(ws(t)) for t in unread[:8])))
        if what.startswith("progress"):
            boxes = [c.box for h in column_heads(pack, pg) for c in h.contents() if c.box]
            xs = [b[0] for b in boxes]
            if xs != sorted(xs):
                fails.append("page %d (%s): the columns are not read left to right" % (
                    pg.number, what))
    notes.append("slides " + ", ".join("%s p%d" % (w, pg.number) for w, pg in picks if pg))


# ---- empty-column -----------------------------------------------------------------------------

def check_empty_column(pack, fails, notes):
    words = state_words(pack)
    seen = 0
    for pg in pack.pages:
        order = flat_order(pg)
        for i, n in enumerate(order):
            if not is_heading(n) or squash(n.text()) not in words:
                continue
            seen += 1
            nxt = order[i + 1] if i + 1 < len(order) else None
            if nxt is None or is_heading(nxt):
                fails.append("page %d: the column %r is a heading with nothing after it (say "
                             "that it is empty)" % (pg.number, ws(n.text())))
    notes.append("%d column headings" % seen)


RUN = {
    "hyphens": check_hyphens,
    "capheight": check_capheight,
    "table-parts": check_table_parts,
    "row-heads": check_row_heads,
    "head-air": check_head_air,
    "band-rows": check_band_rows,
    "link-text": check_link_text,
    "reading-order": check_reading_order,
    "empty-column": check_empty_column,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True, help="the taseuranta program")
    ap.add_argument("--check", action="append", choices=CHECKS,
                    help="a check to run (repeatable; all by default)")
    ap.add_argument("--pack", action="append", choices=sorted(PACKS),
                    help="a pack to build and read (repeatable; all by default)")
    ap.add_argument("--node", default="node")
    ap.add_argument("--pdfjs", default=os.environ.get(
        "TASEURANTA_PDFJS", "/usr/share/nodejs/pdfjs-dist/build/pdf.js"))
    ap.add_argument("--keep", help="build the packs in this folder and leave them there")
    a = ap.parse_args()
    checks = a.check or CHECKS
    packs = a.pack or ["fi", "sv", "en", "a4"]
    if not os.path.exists(a.pdfjs):
        print("FAIL: no pdf.js at %s (scripts/deps installs Debian's libjs-pdf)" % a.pdfjs,
              file=sys.stderr)
        return 1
    failed = 0
    split_words = 0
    with tempfile.TemporaryDirectory() as tmp:
        where = a.keep or tmp
        for name in packs:
            try:
                pack = Pack(name, a.cli, a.node, a.pdfjs, where)
            except RuntimeError as e:
                print("FAIL: %s" % e, file=sys.stderr)
                failed += 1
                continue
            for c in checks:
                fails, notes = [], []
                try:
                    got = RUN[c](pack, fails, notes)
                except RuntimeError as e:
                    fails.append(str(e))
                    got = 0
                if c == "hyphens":
                    split_words += got
                for f in fails[:25]:
                    print("FAIL %s %s: %s" % (c, name, f), file=sys.stderr)
                if len(fails) > 25:
                    print("FAIL %s %s: ... and %d more" % (c, name, len(fails) - 25),
                          file=sys.stderr)
                print("%s %s: %s (%s)" % (c, name, "FAILED" if fails else "ok",
                                          "; ".join(notes)))
                failed += bool(fails)
            pack.pike.close()
    if "hyphens" in checks and split_words == 0 and {"fi", "sv"} & set(packs):
        print("FAIL hyphens: no word is split at a line end in any pack: the check proves "
              "nothing", file=sys.stderr)
        failed += 1
    print("%d check%s failed" % (failed, "" if failed == 1 else "s") if failed else "all ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
