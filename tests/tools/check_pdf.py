#!/usr/bin/python3
"""Builds the slide pack of a round and reads it back with the real clients.

Checks: every content text of the round is in the PDF (pdftotext); every word lies inside its
page and no two words overlap (pdftotext -bbox); every font is embedded (pdffonts); qpdf --check
is clean and poppler prints nothing on stderr; the page size; one bookmark per deck, titled with
the measure's name; the overview links to each deck's first page and every <a href> of the round
is a URI link; with --twice two builds are byte-identical; with --continued the pack has
"(jatkuu)" (or the language's word) continuation slides.
"""
import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import pikepdf

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def run(cmd, check_stderr=True):
    p = subprocess.run(cmd, capture_output=True)
    if check_stderr and p.stderr.strip():
        fail("%s printed on stderr: %s" % (cmd[0], p.stderr.decode(errors="replace")[:500]))
    if p.returncode != 0:
        fail("%s exited %d" % (" ".join(cmd), p.returncode))
    return p.stdout.decode("utf-8", errors="replace")


# Characters that no shipped font has: the pack draws U+FFFD for each (with the original as
# /ActualText, which pdftotext does not read), and the build names each in a warning.
MISSING = set()
INVISIBLE = "\u200b\u200c\u200d\u2060\ufe0f"


def squash(s):
    """Case-folded, without white space, hyphens, soft hyphens and minus signs: what survives
    line breaking, hyphenation, the layout's capitals and a hyphen-minus drawn as the minus sign
    U+2212.  A character no font has stands as U+FFFD."""
    s = "".join("\ufffd" if c in MISSING else c for c in s if c not in INVISIBLE)
    s = s.casefold()
    return re.sub(r"[\s\u00ad\-\u2010\u2011\u2212]+", "", s)


# ---- What the round says ------------------------------------------------------------------

BLOCK_TAGS = {"p", "li"}


def inline_text(el):
    """The text of an element without its nested lists."""
    parts = [el.text or ""]
    for c in el:
        if c.tag in ("ul", "ol"):
            parts.append(c.tail or "")
            continue
        parts.append(inline_text(c))
        parts.append(c.tail or "")
    return " ".join("".join(parts).split())


def blocks(el):
    """The paragraphs and list items of a blocks element, each a string."""
    out = []
    if any(c.tag in ("p", "ul", "ol") for c in el):
        for c in el.iter():
            if c.tag in BLOCK_TAGS:
                t = inline_text(c)
                if t:
                    out.append(t)
    else:
        t = inline_text(el)
        if t:
            out.append(t)
    return out


def content_texts(path):
    root = ET.parse(path).getroot()
    texts = []
    progs = {p.get("id"): p for p in root.iter("programme")}
    used = set()
    for tag in ("city", "division", "statement", "name", "owner", "manager", "preparer"):
        for el in root.iter(tag):
            texts.append(inline_text(el))
    # A theme is printed where a goal or the summary stands under it.
    used_themes = {g.get("theme") for g in root.iter("goal")}
    used_themes |= {t.get("theme") for t in root.iter("theme-actions")}
    for el in root.iter("theme"):
        if el.get("id") in used_themes:
            texts.append(inline_text(el))
    for goal in root.iter("goal"):
        for el in goal.iter("description"):
            texts += blocks(el)
    for m in root.iter("measure"):
        for tag in ("text", "objective", "comment", "risks", "note"):
            for el in m.findall(tag):
                texts += blocks(el)
        # The forecast slide holds the current round's forecast; every round's text is in
        # the strategy-measure table's slides.
        for f in m.findall("forecast"):
            texts += blocks(f)
        for link in m.findall("link"):
            used.add(link.get("ref"))
        for t in m.findall("target"):
            texts.append(inline_text(t.find("title")))
            for tag in ("forecast", "risks"):
                for el in t.findall(tag):
                    texts += blocks(el)
            sc = t.find("scale")
            if sc is not None:
                texts += [sc.get("from"), sc.get("to")]
                texts += [inline_text(p) for p in sc.findall("phase")]
            for task in t.findall("task"):
                texts.append(inline_text(task.find("title")))
                for d in task.findall("detail"):
                    texts += blocks(d)
    summary = root.find("summary")
    if summary is not None:
        for pa in summary.findall("programme-actions"):
            used.add(pa.get("ref"))
        for el in summary.iter("action"):
            texts += blocks(el)
        for el in summary.iter("indicator"):
            texts += blocks(el)
    for ref in used:
        if ref in progs:
            texts.append(inline_text(progs[ref]))
    for tag in ("title", "subtitle"):
        el = root.find(tag)
        if el is not None:
            texts.append(inline_text(el))
    hrefs = [a.get("href") for a in root.iter("a")]
    names = [inline_text(m.find("name")) for m in root.iter("measure")]
    texts = [t for t in texts if t and t.strip()]
    return texts, hrefs, names, root


def find_text(doc, text):
    """True when text is in doc: whole, or word by word in order with small gaps (a paragraph
    split between slides has the slide's footer and title between its parts)."""
    s = squash(text)
    if not s or s in doc:
        return True
    words = [squash(w) for w in text.split()]
    words = [w for w in words if w]
    start = doc.find(words[0])
    while start >= 0:
        at = start + len(words[0])
        for w in words[1:]:
            i = doc.find(w, at)
            if i < 0 or i - at > 1500:
                break
            at = i + len(w)
        else:
            return True
        start = doc.find(words[0], start + 1)
    return False


# ---- Checks -------------------------------------------------------------------------------


def labels(lang):
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "layouts",
                        "labels", lang + ".xml")
    return {l.get("key"): (l.text or "") for l in ET.parse(path).getroot().iter("label")}


def slide_pages(raw, title):
    """The text of the pages whose slide title is title (one of their first lines, continued
    or not), each line squashed, lines kept apart (a number at a line's start is not taken for
    the end of the number before it)."""
    out = []
    for page in raw.split("\f"):
        lines = [l.strip() for l in page.splitlines() if l.strip()]
        if any(l == title or l.startswith(title + " (") for l in lines[:3]):
            out += [squash(l) for l in lines]
    return "\n".join(out)


# The seams of the compounds in the shipped labels' table heads: where a head that is wider
# than its column may break with a hyphen ("Återhämtnings-mätare").  A head broken anywhere
# else is a column too narrow for its words (issue 12: "Återhämt-ningsmä-tare", "Kommenta-rer").
HEAD_SEAMS = {
    ("kaupunki", "strategian"), ("palautumis", "mittari"), ("kaupunki", "yhteisiin"),
    ("yhteis", "suunnittelun"), ("toteutumis", "ennuste"),
    ("återhämtnings", "mätare"), ("verksamhets", "mål"), ("verksamhets", "målet"),
    ("stads", "strategin"), ("stads", "gemensamma"), ("sam", "planering"),
    ("läges", "beskrivning"), ("strategi", "mätare"),
}


def column_heads(struct):
    """The lines of every column head (TH /Scope /Column) in `pdfinfo -struct-text`."""
    heads = []
    lines = struct.splitlines()
    for i, line in enumerate(lines):
        if line.strip() != "TH:" or i + 1 >= len(lines) or lines[i + 1].strip() != "/Scope /Column":
            continue
        depth = len(line) - len(line.lstrip(" "))
        head = []
        for nxt in lines[i + 2:]:
            if len(nxt) - len(nxt.lstrip(" ")) <= depth:
                break
            t = nxt.strip()
            if t.startswith('"') and t.endswith('"') and len(t) >= 2:
                head.append(t[1:-1])
        heads.append(head)
    return heads


def check_heads_whole(struct, lb):
    """Table heads fit their columns: every line of a column head ends after a whole word of
    the labels (or a figure), at the label's own hyphen, or at the seam of a compound
    (HEAD_SEAMS), never inside a word."""
    text = " ".join(lb.values())

    def norm(w):
        return w.strip("()[],.:;").casefold()

    words = {norm(w) for w in text.split()}

    def whole(w):
        return norm(w) in words or not any(c.isalpha() for c in w)

    heads = column_heads(struct)
    for head in heads:
        for line, nxt in zip(head, head[1:]):
            if not line or line[-1].isspace():
                continue  # broken at a space
            last = line.split()[-1]
            first = nxt.split()[0] if nxt.split() else nxt
            if (norm(last).rstrip("-\u00ad"), norm(first).rstrip("-")) in HEAD_SEAMS:
                # a compound's seam; the hyphen the line breaker adds there is a soft hyphen,
                # which the structure's text leaves out
                continue
            if last.endswith("-"):
                if (last + first) in text:
                    continue  # the label's own hyphen ("joint-planning")
            elif whole(last) and whole(first):
                continue  # a line of its own in the head ("Ennuste 1/2020")
            fail("the table head %r breaks inside a word: %r | %r" % (" / ".join(head), line, nxt))
    return len(heads)


def check_task_numbers(raw, root, lb):
    """outputs.md §1 "Task numbers": every task keeps the number of its place among its
    target's tasks, on the progress slide's columns (where the tasks stand by status) and in
    the detailed table (where they stand in the file's order)."""
    progress = slide_pages(raw, lb["slide.progress"])
    detail = slide_pages(raw, lb["slide.detail"])
    checked = 0
    for m in root.iter("measure"):
        for t in m.findall("target"):
            tasks = t.findall("task")
            has_detail = any(blocks(d) for task in tasks for d in task.findall("detail"))
            for k, task in enumerate(tasks, 1):
                # The number and the title's first words (a card taller than its column
                # continues on the next slide; the whole title is checked with the content).
                words = inline_text(task.find("title")).split()[:3]
                needle = squash("%d. %s" % (k, " ".join(words)))
                want = re.compile(r"(?<![0-9])" + "\n?".join(re.escape(c) for c in needle))
                where = [("progress", progress)] + ([("detail", detail)] if has_detail else [])
                for slide, text in where:
                    checked += 1
                    if not want.search(text):
                        fail("the task %r is not numbered %d on the %s slides"
                             % (inline_text(task.find("title"))[:60], k, slide))
    return checked



def check_words(bbox_html, page_w, page_h):
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox_html, re.S)
    if not pages:
        fail("pdftotext -bbox found no pages")
    for n, (w, h, body) in enumerate(pages, 1):
        if abs(float(w) - page_w) > 0.5 or abs(float(h) - page_h) > 0.5:
            fail("page %d is %s x %s, not %g x %g" % (n, w, h, page_w, page_h))
        words = []
        for m in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                             r'yMax="([\d.-]+)">(.*?)</word>', body):
            x0, y0, x1, y1 = map(float, m.group(1, 2, 3, 4))
            word = html.unescape(m.group(5))
            words.append((x0, y0, x1, y1, word))
            if x0 < -0.5 or y0 < -0.5 or x1 > page_w + 0.5 or y1 > page_h + 0.5:
                fail("page %d: the word %r lies outside the page (%g,%g)-(%g,%g)"
                     % (n, word, x0, y0, x1, y1))
        for i in range(len(words)):
            a = words[i]
            for j in range(i + 1, len(words)):
                b = words[j]
                ix = min(a[2], b[2]) - max(a[0], b[0])
                iy = min(a[3], b[3]) - max(a[1], b[1])
                if ix <= 0.5 or iy <= 0.5:
                    continue
                small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                if ix * iy > 0.15 * small:
                    fail("page %d: the words %r and %r overlap" % (n, a[4], b[4]))
    return len(pages)


def outline_items(pdf):
    out = []
    with pdf.open_outline() as ol:
        for item in ol.root:
            out.append(item)
    return out


def page_index(pdf, dest):
    if isinstance(dest, pikepdf.Array) and len(dest) > 0:
        target = dest[0]
        for i, p in enumerate(pdf.pages):
            if p.objgen == target.objgen:
                return i
    return -1


def link_annots(pdf):
    """(page, kind, target) for every link annotation: kind "page" with a page index, or "uri"."""
    out = []
    for i, page in enumerate(pdf.pages):
        for a in page.obj.get("/Annots", []):
            if a.get("/Subtype") != "/Link":
                continue
            if "/Dest" in a:
                out.append((i, "page", page_index(pdf, a["/Dest"])))
            elif "/A" in a:
                act = a["/A"]
                if act.get("/S") == "/URI":
                    out.append((i, "uri", str(act["/URI"])))
                elif act.get("/S") == "/GoTo":
                    out.append((i, "page", page_index(pdf, act["/D"])))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", help="slides_pdf: ROUND OUT.pdf [LAYOUT]")
    ap.add_argument("--cli", help="the taseuranta program: build ROUND -o DIR --format pdf")
    ap.add_argument("--round", required=True)
    ap.add_argument("--layout")
    ap.add_argument("--page", default="960x540")
    ap.add_argument("--twice", action="store_true")
    ap.add_argument("--continued", action="store_true")
    ap.add_argument("--keep", help="copy the PDF here")
    a = ap.parse_args()
    page_w, page_h = map(float, a.page.split("x"))
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "pack.pdf")

        def build(dest):
            if a.cli:
                d = tempfile.mkdtemp(dir=tmp)
                cmd = [a.cli, "build", a.round, "-o", d, "--format", "pdf", "-q"]
                cmd += ["--layout", a.layout] if a.layout else []
                p = subprocess.run(cmd, capture_output=True, env=env)
                made = [f for f in os.listdir(d) if f.endswith(".pdf")]
                if made:
                    os.rename(os.path.join(d, made[0]), dest)
                return p
            cmd = [a.tool, a.round, dest] + ([a.layout] if a.layout else [])
            return subprocess.run(cmd, capture_output=True, env=env)

        p = build(out)
        if p.returncode != 0 or not os.path.exists(out):
            print(p.stderr.decode(errors="replace"), file=sys.stderr)
            fail("the build failed with status %d" % p.returncode)
            return 1
        if b"error" in p.stderr:
            fail("the build reported errors: %s" % p.stderr.decode(errors="replace")[:800])
        if a.keep:
            with open(out, "rb") as f, open(a.keep, "wb") as g:
                g.write(f.read())

        warnings = p.stderr.decode(errors="replace")
        MISSING.update(chr(int(h, 16)) for h in
                       re.findall(r"no font has the character U\+([0-9A-F]{4,6})", warnings))
        for line in warnings.splitlines():
            if ": warning:" in line and not re.match(r"^.+:\d+:\d+: warning: ", line):
                fail("a warning without its place (FILE:LINE:COLUMN): %s" % line)
        texts, hrefs, names, root = content_texts(a.round)
        raw = run(["pdftotext", "-raw", "-enc", "UTF-8", out, "-"])
        doc = squash(raw)
        missing = [t for t in texts if not find_text(doc, t)]
        for t in missing[:20]:
            fail("content text not in the PDF: %r" % t[:120])
        print("%d content texts checked, %d missing" % (len(texts), len(missing)))

        lang = root.get("{http://www.w3.org/XML/1998/namespace}lang", "fi")
        lb = labels(lang)
        print("%d task numbers checked" % check_task_numbers(raw, root, lb))
        struct = subprocess.run(["pdfinfo", "-struct-text", out], capture_output=True).stdout
        print("%d column heads checked" % check_heads_whole(struct.decode("utf-8", "replace"), lb))

        n_pages = check_words(run(["pdftotext", "-bbox", out, "-"]), page_w, page_h)

        fonts = run(["pdffonts", out]).splitlines()[2:]
        if not fonts:
            fail("pdffonts lists no font")
        for line in fonts:
            cols = line.split()
            # name type [encoding...] emb sub uni object ID: emb is 5th from the end
            if len(cols) >= 7 and cols[-5] != "yes":
                fail("font not embedded: %s" % line)

        q = subprocess.run(["qpdf", "--check", out], capture_output=True)
        qout = (q.stdout + q.stderr).decode(errors="replace")
        if (q.returncode != 0 or "WARNING" in qout
                or "No syntax or stream encoding errors found" not in qout):
            fail("qpdf --check: %s" % qout[-800:])
        info = run(["pdfinfo", out])
        if "Pages:" not in info or int(re.search(r"Pages:\s+(\d+)", info).group(1)) != n_pages:
            fail("pdfinfo disagrees on the page count")
        run(["pdftoppm", "-r", "10", "-png", out, os.path.join(tmp, "p")])

        ua = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pdfua_check.py")
        if os.path.exists(ua):
            u = subprocess.run([sys.executable, ua, out], capture_output=True, text=True)
            if u.returncode != 0:
                fail("PDF/UA rules broken:\n" + (u.stdout + u.stderr)[:1500])

        with pikepdf.open(out) as pdf:
            if "/StructTreeRoot" not in pdf.Root:
                fail("the PDF has no structure tree")
            if "/Lang" not in pdf.Root:
                fail("the PDF has no /Lang")
            items = outline_items(pdf)
            titles = [str(i.title) for i in items]
            for n in names:
                if titles.count(n) < 1:
                    fail("no bookmark for the deck %r (bookmarks: %s)" % (n, titles))
            deck_marks = [i for i in items if str(i.title) in names]
            if len(deck_marks) != len(names):
                fail("%d deck bookmarks for %d measures" % (len(deck_marks), len(names)))
            deck_pages = []
            for i in deck_marks:
                pg = page_index(pdf, i.destination) if i.destination is not None else -1
                deck_pages.append(pg)
                if not i.children:
                    fail("the deck bookmark %r has no slides under it" % str(i.title))
            links = link_annots(pdf)
            page_targets = {t for (_, k, t) in links if k == "page"}
            for n, pg in zip(names, deck_pages):
                if pg not in page_targets:
                    fail("no link goes to the deck %r (page %d)" % (n, pg + 1))
                else:
                    txt = run(["pdftotext", "-f", str(pg + 1), "-l", str(pg + 1), "-raw", out, "-"])
                    if squash(n) not in squash(txt):
                        fail("the deck %r does not start on page %d" % (n, pg + 1))
            uris = {t for (_, k, t) in links if k == "uri"}
            for h in hrefs:
                if h not in uris:
                    fail("no URI link to %s" % h)
            title = str(pdf.docinfo.get("/Title", ""))
            author = str(pdf.docinfo.get("/Author", ""))
            if not title or not author or "/Subject" not in pdf.docinfo:
                fail("document title, author or subject missing")

        if a.continued:
            lang = root.get("{http://www.w3.org/XML/1998/namespace}lang", "fi")
            word = {"fi": "(jatkuu)", "sv": "(forts.)", "en": "(continued)"}.get(lang, "(jatkuu)")
            n_cont = raw.count(word)
            if n_cont < 2:
                fail("expected several continuation slides marked %s, found %d" % (word, n_cont))

        if a.twice:
            out2 = os.path.join(tmp, "again.pdf")
            build(out2)
            with open(out, "rb") as f, open(out2, "rb") as g:
                if f.read() != g.read():
                    fail("two builds of the same round differ")

    print("%d pages; %s" % (n_pages, "FAILED" if FAILS else "ok"))
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
