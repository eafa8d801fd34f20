#!/usr/bin/python3
"""Builds the slide pack of a round and checks the reading order of its structure tree, as
`pdfinfo -struct-text` prints it (what a screen reader follows):

- every content text of the round is under a structure element, and every word on the pages is
  either in the tree or decoration (slide numbers, the "(jatkuu)" of a continued title that is
  not a continued table's caption);
- in each deck: the cover's title before its owners; the binding goal's statement before the
  objective (or the goal's description); each task's title in the list that follows its
  column's state word (TEKEMÄTTÄ / TEKEILLÄ / TEHTY) and before its detail; the forecast slide's
  title before the risks heading; the measure's own risks under their own heading after the
  targets' risks (under the risks heading when no target has risks);
- the status picture: its title, then the chart (one Figure that holds the rounds' names, the
  counts and the legend, read once, through its /Alt), then the changes' heading, then the
  changes (a table for each slide they stand on, each headed by its column heads and, after the
  first, captioned with the continued title; each row the measure's name before its words) or
  the line that says there are none;
- no heading level is skipped (an H3 follows an H2 or an H3 ..., the first heading is an H1).

    check_reading_order.py --cli EXE --round ROUND.xml [--layout LAYOUT.xml]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_pdf  # noqa: E402  (content_texts, squash, find_text)

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


class Elem:
    def __init__(self, kind, title, parent):
        self.kind = kind
        self.title = title
        self.parent = parent
        self.children = []  # Elem or str, in order


def parse_struct(text):
    """The tree of `pdfinfo -struct-text`: two spaces of indent per level; an element line is
    its type (and "(block)", "(inline)", a title in quotes or ":" before attributes); attribute
    lines start with "/" or "Object"; text lines are quoted."""
    root = Elem("Root", None, None)
    stack = [(-1, root)]
    for line in text.splitlines():
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        while stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1]
        if body.startswith('"'):
            parent.children.append(body[1:-1] if body.endswith('"') else body[1:])
            continue
        if body.startswith("/") or body.startswith("Object "):
            continue
        # pdfinfo prints an element's /ID in angle brackets after its type: "TH <e38>:".
        m = re.match(r'^([A-Za-z0-9]+)(?: <[^>]*>)?(?::)?(?: "(.*)")?(?: \((?:block|inline)\):?)?$',
                     body)
        if not m:
            fail("cannot read the struct-text line %r" % line)
            continue
        e = Elem(m.group(1), m.group(2), parent)
        parent.children.append(e)
        stack.append((depth, e))
    return root


def decode_struct(data):
    """pdfinfo prints text as UTF-8, but an element's title with characters beyond Latin-1 as
    the first bytes of its UTF-16 (the byte order mark, up to the first zero byte)."""
    return data.decode("utf-8", errors="replace")


def walk(e):
    yield e
    for c in e.children:
        if isinstance(c, Elem):
            yield from walk(c)


def flat(e, ancestors=()):
    """(text piece, ancestor elements) in reading order."""
    for c in e.children:
        if isinstance(c, Elem):
            yield from flat(c, ancestors + (c,))
        else:
            yield c, ancestors


class Reading:
    """The squashed text of a subtree in reading order, with the elements each part is in."""

    def __init__(self, e):
        self.doc = ""
        self.spans = []  # (start, end, ancestors)
        for piece, anc in flat(e):
            s = check_pdf.squash(piece)
            self.spans.append((len(self.doc), len(self.doc) + len(s), anc))
            self.doc += s

    def find(self, text, start=0, inside=None):
        """The offset where text starts (its first 60 squashed characters), or -1; with inside,
        only where the piece it starts in is under an element of that type."""
        needle = check_pdf.squash(text)[:60]
        if not needle:
            return -1
        at = self.doc.find(needle, start)
        while at >= 0:
            if inside is None or any(a.kind == inside for a in self.ancestors(at)):
                return at
            at = self.doc.find(needle, at + 1)
        return -1

    def ancestors(self, offset):
        for s, e, anc in self.spans:
            if s <= offset < e:
                return anc
        return ()

    def heading_before(self, offset, kind):
        """The text of the last heading of the kind that ends before offset."""
        best = None
        for s, e, anc in self.spans:
            if s >= offset:
                break
            h = next((a for a in anc if a.kind == kind), None)
            if h is not None:
                best = h
        if best is None:
            return None
        return check_pdf.squash("".join(p for p, _ in flat(best)))


    def last_heading_before(self, offset):
        """The text of the last heading of any level that ends before offset."""
        best = None
        for s, e, anc in self.spans:
            if s >= offset:
                break
            h = next((a for a in reversed(anc) if re.match(r"^H[1-6]$", a.kind)), None)
            if h is not None:
                best = h
        if best is None:
            return None
        return check_pdf.squash("".join(p for p, _ in flat(best)))


def text_of(el):
    return check_pdf.inline_text(el) if el is not None else ""


def labels(lang):
    path = os.path.join(os.path.dirname(__file__), "..", "..", "layouts", "labels", lang + ".xml")
    return {l.get("key"): (l.text or "") for l in ET.parse(path).getroot().iter("label")}


def check_headings(root):
    last = 0
    for e in walk(root):
        m = re.match(r"^H([1-6])$", e.kind)
        if not m:
            continue
        level = int(m.group(1))
        if level > last + 1:
            words = check_pdf.squash("".join(p for p, _ in flat(e)))[:60]
            fail("heading level skipped: H%d after H%d (%r)" % (level, last, words))
        last = level


def kid_elems(e):
    return [c for c in e.children if isinstance(c, Elem)]


def check_picture(doc, lb, year):
    sect = next((c for c in kid_elems(doc) if c.kind == "Sect" and any(
        k.kind == "H2" and check_pdf.squash("".join(p for p, _ in flat(k)))
        == check_pdf.squash(lb["slide.picture"]) for k in kid_elems(c))), None)
    if sect is None:
        fail("no status picture section titled %r" % lb["slide.picture"])
        return
    kinds = [k.kind for k in kid_elems(sect)]
    # A long list of changes goes on over slides: a Table for each slide's part.
    if kinds[:3] != ["H2", "Figure", "H3"] or not (
            kinds[3:] == ["P"] or (kinds[3:] and all(k == "Table" for k in kinds[3:]))):
        fail("the status picture reads %r, not H2, Figure, H3, then Tables or a P" % kinds)
        return
    fig = kid_elems(sect)[1]
    inside = check_pdf.squash("".join(p for p, _ in flat(fig)))
    rounds = [lb["forecast.status"].replace("{year}", str(year)).replace("{round}", str(r))
              for r in (1, 2, 3)]
    if not any(check_pdf.squash(r) in inside for r in rounds):
        fail("the chart's rounds are not inside its Figure: %r" % inside[:200])
    outside = check_pdf.squash("".join(p for k in kid_elems(sect) if k is not fig
                                       for p, _ in flat(k)))
    for word in rounds + [lb["status." + s] for s in ("achieved", "none")]:
        if check_pdf.squash(word) in outside and check_pdf.squash(word) != "":
            if word in rounds or kinds[3] == "P":
                fail("%r of the chart is read again outside its Figure" % word)
    h3 = check_pdf.squash("".join(p for p, _ in flat(kid_elems(sect)[2])))
    if h3 != check_pdf.squash(lb["picture.changes"]):
        fail("the status picture's H3 is %r" % h3)
    last = kid_elems(sect)[3]
    if last.kind == "P":
        said = check_pdf.squash("".join(p for p, _ in flat(last)))
        if said not in (check_pdf.squash(lb["picture.no-changes"]),
                        check_pdf.squash(lb["picture.first"])):
            fail("the status picture's line is %r" % said)
        return
    title = check_pdf.squash(lb["slide.picture"])
    cont = check_pdf.squash(lb.get("continued", "(jatkuu)"))
    for i, table in enumerate(kid_elems(sect)[3:]):
        # Each part: the continued title as its Caption (after the first), the column heads,
        # then the rows.
        parts = kid_elems(table)
        if i > 0:
            said = check_pdf.squash("".join(p for p, _ in flat(parts[0]))) if parts else ""
            if not parts or parts[0].kind != "Caption" or said != title + cont:
                fail("part %d of the changes does not start with the Caption %r: %r"
                     % (i + 1, title + cont, [(c.kind, "".join(p for p, _ in flat(c)))
                                              for c in parts[:1]]))
        rows = [e for e in walk(table) if e.kind == "TR"]
        if not rows or [c.kind for c in kid_elems(rows[0])] != ["TH"] * 3:
            fail("part %d of the changes has no header row of three TH" % (i + 1))
        for tr in rows[1:]:
            cells = kid_elems(tr)
            if len(cells) != 3 or [c.kind for c in cells] != ["TH", "TD", "TD"]:
                fail("a change row is not TH, TD, TD: %r" % [c.kind for c in cells])


def check_deck(sect, m, lb):
    name = text_of(m.find("name"))
    rd = Reading(sect)
    # The cover: the title, then the people.
    title_at = rd.find(name, inside="H1")
    if title_at < 0:
        fail("%s: the deck's title is not an H1 of its section" % name)
    for tag in ("owner", "manager", "preparer"):
        for p in m.findall(tag):
            at = rd.find(text_of(p))
            if at < 0:
                fail("%s: the %s %r is not in the deck's structure" % (name, tag, text_of(p)))
            elif at < title_at:
                fail("%s: the %s %r is read before the deck's title" % (name, tag, text_of(p)))
    # The goal: the statement, then the objective or the goal's description.
    stmt = m.attrib.get("_statement")
    desc = m.attrib.get("_description")
    obj = [check_pdf.blocks(o) for o in m.findall("objective")]
    first = obj[0][0] if obj and obj[0] else desc
    st_at = rd.find(stmt)
    if st_at < 0:
        fail("%s: the goal's statement is not in the deck" % name)
    if first:
        ob_at = rd.find(first, max(st_at, 0))
        if ob_at < 0:
            fail("%s: the objective %r is not read after the goal's statement" % (name, first[:60]))
    # The tasks: in their column's list, then in the detail table after the columns.
    words = {"todo": lb["task.todo"], "doing": lb["task.doing"], "done": lb["task.done"]}
    progress_at = rd.find(lb["slide.progress"], inside="H2")
    for t in m.findall("target"):
        for task in t.findall("task"):
            title = text_of(task.find("title"))
            at = rd.find(title, max(progress_at, 0), inside="LBody")
            if at < 0:
                fail("%s: the task %r is not an item of a column's list" % (name, title[:60]))
                continue
            if not any(a.kind == "L" for a in rd.ancestors(at)):
                fail("%s: the task %r is not in a list" % (name, title[:60]))
            head = rd.heading_before(at, "H4")
            want = check_pdf.squash(words[task.get("status")])
            if head != want:
                fail("%s: the task %r (%s) is read under the column %r" % (
                    name, title[:60], task.get("status"), head))
            for d in task.findall("detail"):
                text = check_pdf.blocks(d)
                if not text:
                    continue
                d_at = rd.find(text[0], inside="TD")
                t_at = rd.find(title, inside="TH")
                if d_at < 0 or t_at < 0:
                    fail("%s: the task %r or its detail is not a cell of the detail table" % (
                        name, title[:60]))
                elif not t_at < d_at:
                    fail("%s: the detail of %r is read before the task" % (name, title[:60]))
    # The forecast slide's title, then the risks.
    has_risks = m.find("risks") is not None or any(
        t.find("risks") is not None for t in m.findall("target"))
    f_at = rd.find(lb["slide.forecast"], inside="H2")
    if f_at < 0:
        fail("%s: no forecast slide title (H2)" % name)
    if has_risks:
        r_at = rd.find(lb["slide.risks"], inside="H3")
        if r_at < 0 or r_at < f_at:
            fail("%s: the risks heading is not read after the forecast title" % name)
    # The measure's own risks never read as the last target's: after the targets' risks they
    # stand under their own heading, alone under the risks' heading itself.
    own = [b for el in m.findall("risks") for b in check_pdf.blocks(el)]
    by_target = any(check_pdf.blocks(el) for t in m.findall("target") for el in t.findall("risks"))
    if own:
        at = rd.find(own[0], max(f_at, 0))
        want = lb["risks.measure"] if by_target else lb["slide.risks"]
        head = rd.last_heading_before(at) if at >= 0 else None
        if head != check_pdf.squash(want):
            fail("%s: the measure's own risks are read under the heading %r, not %r" % (
                name, head, want))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--round", required=True)
    ap.add_argument("--layout")
    a = ap.parse_args()
    root = ET.parse(a.round).getroot()
    lang = root.get("{http://www.w3.org/XML/1998/namespace}lang", "fi")
    lb = labels(lang)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [a.cli, "build", "-q", "--format", "pdf", a.round, "-o", tmp]
        if a.layout:
            cmd += ["--layout", a.layout]
        p = subprocess.run(cmd, capture_output=True)
        if p.returncode != 0:
            fail("the build failed: %s" % p.stderr.decode(errors="replace")[:800])
            return 1
        check_pdf.MISSING.update(chr(int(h, 16)) for h in re.findall(
            r"no font has the character U\+([0-9A-F]{4,6})", p.stderr.decode(errors="replace")))
        pdf = [os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".pdf")][0]
        struct = decode_struct(subprocess.run(["pdfinfo", "-struct-text", pdf],
                                              capture_output=True).stdout)
        raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                             capture_output=True, text=True).stdout
    tree = parse_struct(struct)
    docs = [e for e in tree.children if isinstance(e, Elem) and e.kind == "Document"]
    if len(docs) != 1:
        fail("the structure tree has no single Document element")
        return 1
    doc = docs[0]
    whole = Reading(doc)

    # Everything the round says is in the tree ...
    texts = check_pdf.content_texts(a.round)[0]
    missing = [t for t in texts if not check_pdf.find_text(whole.doc, t)]
    for t in missing[:20]:
        fail("content text not under a structure element: %r" % t[:100])
    # ... and every word on the pages is in it, or decoration.
    cont = check_pdf.squash(lb.get("continued", "(jatkuu)"))
    outside = set()
    for w in raw.split():
        s = check_pdf.squash(w)
        if not s or s.isdigit() or s == cont or s in whole.doc:
            continue
        outside.add(w)
    for w in sorted(outside)[:20]:
        fail("a word on the pages is outside the structure tree: %r" % w)

    check_headings(doc)
    check_picture(doc, lb, int(root.get("year")))

    # A deck is the section whose H1 is the measure's name (pdfinfo cannot print a section's
    # title with characters beyond Latin-1: it stops at the first zero byte of its UTF-16).
    decks = {}
    for sct in doc.children:
        if isinstance(sct, Elem) and sct.kind == "Sect":
            h1 = next((c for c in sct.children if isinstance(c, Elem) and c.kind == "H1"), None)
            if h1 is not None:
                decks[check_pdf.squash("".join(p for p, _ in flat(h1)))] = sct
    n = 0
    for goal in root.iter("goal"):
        for m in goal.findall("measure"):
            m.attrib["_statement"] = text_of(goal.find("statement"))
            d = goal.find("description")
            m.attrib["_description"] = (check_pdf.blocks(d) or [""])[0] if d is not None else ""
            name = text_of(m.find("name"))
            sect = decks.get(check_pdf.squash(name))
            if sect is None:
                fail("no section titled %r" % name)
                continue
            check_deck(sect, m, lb)
            n += 1
    print("%d content texts, %d decks checked; %s" % (len(texts), n,
                                                       "FAILED" if FAILS else "ok"))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
