#!/usr/bin/python3
"""What the council asks first (issue 15), read back from real packs in fi, sv and en.

Builds rounds written here (changes both ways, an unchanged measure, a measure not reported in
between, one reported only now, a numeric forecast against its level, a level in another unit,
negative values; a round with no change; a round 1) and reads the packs with pdftotext and
pikepdf: the status picture slide's heading, its changed measures with both words and the change
word and no other measure, "no changes" and the round-1 line; the chart Figure's /Alt with every
count; the overview's ▲ / ▼ with the change word as its /ActualText; "14 / 20 kpl" in the
overview and on the forecast slide; the value chart's /Alt with every round's value and the
level.  A round of 30 changes: the list goes on over slides titled with the continuation mark,
each measure once and in order, linked to its deck, the chart on the first slide only, each
slide's part a Table of its own headed by a row of column heads (the continued ones captioned),
and the pack's reading order (check_reading_order.py).
Usage: check_council.py TASEURANTA SOURCE_DIR [--layout NAME] [--lang LANG] [--keep DIR]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import pikepdf

FAILS = []
NBSP = "\u00a0"


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def labels(src, lang):
    root = ET.parse(os.path.join(src, "layouts", "labels", lang + ".xml")).getroot()
    return {e.get("key"): (e.text or "") for e in root.iter("label")}


# Each measure: name, {round: (status, value or None, unit)}, level (value, unit) or None.
MEASURES = [
    ("Alfa palvelu", {1: ("on-track",), 2: ("at-risk",), 3: ("on-track",)}, None),
    ("Beeta hanke", {1: ("on-track",), 2: ("on-track",), 3: ("off-track",)}, None),
    ("Gamma ohjelma", {1: ("at-risk",), 2: ("at-risk",), 3: ("at-risk",)}, None),
    ("Delta kehitys", {1: ("at-risk",), 3: ("achieved",)}, None),
    ("Epsilon uusi", {3: ("on-track",)}, None),
    ("Zeeta kävijät", {1: ("on-track", 9, "kpl"), 2: ("on-track", 14, "kpl"),
                       3: ("on-track", 14, "kpl")}, (20, "kpl")),
    ("Eeta yksiköt", {2: ("on-track", 5, "kpl"), 3: ("on-track", 6, "kpl")}, (80, "%")),
    ("Theta tulos", {1: ("at-risk", -3, "%"), 2: ("at-risk", -1.5, "%"),
                     3: ("on-track", 2, "%")}, (5, "%")),
]
LANG_TAG = {"fi": "fi", "sv": "sv", "en": "en"}


def round_xml(lang, number, measures):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<round format="1" year="2024" number="%d" date="2024-%02d-15" xml:lang="%s">'
           % (number, 4 * number, lang),
           "<organization><city>Helsinki</city><division>Kulttuuri</division></organization>",
           '<themes><theme id="t">Teema</theme></themes>',
           '<goal id="g" theme="t"><statement>Tavoite</statement>']
    for i, (name, fc, level) in enumerate(measures):
        out.append('<measure id="m%d"><name>%s</name><text>Teksti.</text>'
                   "<owner>Omistaja</owner>" % (i, name))
        if level:
            out.append('<level value="%g" unit="%s"/>' % level)
        for rd in sorted(fc):
            if rd > number:
                continue
            f = fc[rd]
            attrs = 'round="%d" status="%s"' % (rd, f[0])
            if len(f) > 1:
                attrs += ' value="%g" unit="%s"' % (f[1], f[2])
            out.append("<forecast %s/>" % attrs)
        out.append("</measure>")
    out.append("</goal></round>")
    return "\n".join(out) + "\n"


def build(exe, path, outdir, layout):
    cmd = [exe, "build", path, "-o", outdir, "--format", "pdf"]
    if layout:
        cmd += ["--layout", layout]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        fail("build %s: %s" % (path, p.stderr))
        return None
    pdfs = [f for f in os.listdir(outdir) if f.endswith(".pdf")]
    return os.path.join(outdir, pdfs[0])


def page_texts(pdf):
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                         text=True).stdout
    return [p.replace(NBSP, " ") for p in out.split("\f")]


def squash(s):
    return re.sub(r"\s+", " ", s.replace(NBSP, " ").replace("\u00ad", ""))


def struct_elems(pdf):
    """(type, /Alt, /ActualText, page index) of every structure element, in tree order."""
    out = []
    with pikepdf.open(pdf) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}

        def walk(e):
            if isinstance(e, pikepdf.Array):
                for k in e:
                    walk(k)
                return
            if not isinstance(e, pikepdf.Dictionary) or "/S" not in e:
                return
            pg = pages.get(e.Pg.objgen) if "/Pg" in e else None
            out.append((str(e.S)[1:], str(e.get("/Alt", "")), str(e.get("/ActualText", "")), pg))
            if "/K" in e:
                walk(e.K)

        walk(doc.Root.StructTreeRoot.K)
    return out


def figure_alts(elems, page):
    return [alt for (s, alt, _, pg) in elems if s == "Figure" and pg == page]


def check_changes(exe, src, lang, tmp, layout):
    L = labels(src, lang)
    st = lambda k: L["status." + k]
    path = os.path.join(tmp, "muutos-%s.xml" % lang)
    open(path, "w").write(round_xml(LANG_TAG[lang], 3, MEASURES))
    pdf = build(exe, path, os.path.join(tmp, "out-" + lang), layout)
    if pdf is None:
        return
    pages = page_texts(pdf)
    pic = squash(pages[1])
    where = "%s status picture" % lang
    for key in ("slide.picture", "picture.changes"):
        if L[key] not in pic:
            fail("%s: no %r" % (where, L[key]))
    lines = [squash(l) for l in pages[1].splitlines()]

    def row(name):
        return next((l for l in lines if name in l), None)
    expect = {"Alfa palvelu": (st("at-risk") + " → " + st("on-track"), L["change.improved"]),
              "Beeta hanke": (st("on-track") + " → " + st("off-track"), L["change.worsened"]),
              "Delta kehitys": (st("at-risk") + " (1/2024) → " + st("achieved"),
                                L["change.improved"]),
              "Theta tulos": (st("at-risk") + " → " + st("on-track"), L["change.improved"])}
    for name, (words, change) in expect.items():
        r = row(name)
        if r is None:
            fail("%s: changed measure %r not listed" % (where, name))
        elif words not in r or change not in r:
            fail("%s: %r row lacks %r or %r: %r" % (where, name, words, change, r))
    for name in ("Gamma ohjelma", "Epsilon uusi", "Zeeta kävijät", "Eeta yksiköt"):
        if name in pic:
            fail("%s: unchanged measure %r listed" % (where, name))
    elems = struct_elems(pdf)
    alts = figure_alts(elems, 1)
    if len(alts) != 1:
        fail("%s: %d Figures, not one" % (where, len(alts)))
    else:
        alt = alts[0].replace(NBSP, " ")
        # Round 1: 4 on-track (Alfa Beeta Zeeta, and Theta at-risk...) - computed from MEASURES.
        for rd in (1, 2, 3):
            counts = {}
            for _, fc, _ in MEASURES:
                s = fc[rd][0] if rd in fc else "none"
                counts[s] = counts.get(s, 0) + 1
            head = L["forecast.status"].replace("{round}", str(rd)).replace("{year}", "2024")
            part = alt.split(head + ":")[1].split(";")[0] if head + ":" in alt else None
            if part is None:
                fail("%s: chart /Alt lacks %r: %r" % (where, head, alt))
                continue
            for s, n in counts.items():
                if "%d %s" % (n, st(s).lower()) not in part:
                    fail("%s: chart /Alt for %s lacks '%d %s': %r"
                         % (where, head, n, st(s).lower(), part))
    # The overview: the marks, read as the change's word.
    ov = pages[2]
    names = [m[0] for m in MEASURES]

    def ov_row(name):
        """The overview's text from the measure's name to the next measure's (its row, with a
        status word's second line)."""
        t = squash(ov)
        i = t.find(name)
        ends = [t.find(n, i + 1) for n in names if n != name and t.find(n, i + 1) > i]
        return t[i:min(ends)] if i >= 0 and ends else t[i:] if i >= 0 else ""
    for name, mark in (("Alfa palvelu", "▲"), ("Beeta hanke", "▼"), ("Delta kehitys", "▲")):
        r = ov_row(name)
        if mark not in r:
            fail("%s overview: no %s beside %r: %r" % (lang, mark, name, r))
    for name in ("Gamma ohjelma", "Epsilon uusi", "Zeeta kävijät"):
        r = ov_row(name)
        if "▲" in r or "▼" in r:
            fail("%s overview: a mark beside unchanged %r" % (lang, name))
    actual = [a for (s, _, a, pg) in elems if pg == 2 and a]
    for word, n in ((L["change.improved"], 3), (L["change.worsened"], 1)):
        if actual.count(word) != n:
            fail("%s overview: %d marks read %r, not %d (%r)" % (lang, actual.count(word),
                                                                 word, n, actual))
    if "14 / 20 kpl" not in squash(ov):
        fail("%s overview: no '14 / 20 kpl'" % lang)
    if "6 / 80" in squash(ov) or "6 kpl" not in squash(ov):
        fail("%s overview: a level in another unit is read against the value" % lang)
    # The decks: "14 / 20 kpl" and the value chart.
    zeeta = next((i for i, p in enumerate(pages)
                  if "14 / 20 kpl" in squash(p) and L["forecast.value"] in squash(p)), None)
    if zeeta is None:
        fail("%s: no forecast slide with '%s: 14 / 20 kpl'" % (lang, L["forecast.value"]))
    else:
        alts = [a.replace(NBSP, " ") for a in figure_alts(elems, zeeta)]
        level = L["trend.level"].lower()
        want = "1/2024: 9 kpl, 2/2024: 14 kpl, 3/2024: 14 kpl; %s 20 kpl" % level
        if want not in alts:
            fail("%s: value chart /Alt is not %r: %r" % (lang, want, alts))
        # The earlier rounds' values stand in their lines.
        hist = squash(" ".join(pages[zeeta:zeeta + 2]))
        if "9 kpl" not in hist:
            fail("%s: round 1's value 9 kpl dropped from the forecast slide" % lang)
    minus = "-" if lang == "en" else "\u2212"
    theta = [a.replace(NBSP, " ") for (s, a, _, pg) in elems if s == "Figure"]
    theta = [a for a in theta if "5 %" in a]
    want = "1/2024: %s3 %%, 2/2024: %s1%s5 %%, 3/2024: 2 %%; %s 5 %%" % (
        minus, minus, "." if lang == "en" else ",", L["trend.level"].lower())
    if want not in theta:
        fail("%s: negative values' chart /Alt is not %r: %r" % (lang, want, theta))
    eeta = [a for (s, a, _, pg) in elems if s == "Figure" and "6 kpl" in a.replace(NBSP, " ")]
    if not eeta or "80" in eeta[0]:
        fail("%s: a level in another unit in the value chart: %r" % (lang, eeta))


def check_quiet(exe, src, lang, tmp, layout):
    L = labels(src, lang)
    same = [(n, {1: fc.get(1, ("on-track",)), 2: fc.get(1, ("on-track",))}, lv)
            for n, fc, lv in MEASURES]
    for number, key, ms in ((2, "picture.no-changes", same), (1, "picture.first", MEASURES)):
        path = os.path.join(tmp, "quiet-%s-%d.xml" % (lang, number))
        open(path, "w").write(round_xml(LANG_TAG[lang], number, ms))
        pdf = build(exe, path, os.path.join(tmp, "q-%s-%d" % (lang, number)), layout)
        if pdf is None:
            continue
        pic = squash(page_texts(pdf)[1])
        if squash(L[key]) not in pic:
            fail("%s round %d: no %r on the status picture: %r" % (lang, number, L[key], pic))
        for name, _, _ in MEASURES:
            if name in pic:
                fail("%s round %d: %r listed as changed" % (lang, number, name))
        ov = squash(page_texts(pdf)[2])
        if "▲" in ov or "▼" in ov:
            fail("%s round %d: a change mark in the overview" % (lang, number))



# A long list: 30 changed measures (some names long enough to wrap in their cell, some changed
# against a round before the last), one unchanged among them.
LONG_CYCLE = ["on-track", "at-risk", "off-track", "achieved"]


def long_measures():
    out = []
    for i in range(30):
        was, now = LONG_CYCLE[i % 4], LONG_CYCLE[(i + 1) % 4]
        name = "Muutos %02d" % (i + 1)
        if i % 7 == 3:
            name += " kirjastojen, museoiden ja kulttuurikeskusten yhteisen asiakaspalvelun " \
                    "kehittäminen alueittain ja verkossa"
        fc = {1: (was,), 3: (now,)} if i % 5 == 2 else {1: (was,), 2: (was,), 3: (now,)}
        out.append((name, fc, None))
        if i == 14:
            out.append(("Ennallaan pysynyt", {1: ("at-risk",), 2: ("at-risk",),
                                               3: ("at-risk",)}, None))
    return out


def table_parts(pdf, first_page):
    """(page, [(role, page, /Scope) of the first row's cells], Caption's page or None) of every
    Table in the structure element that holds the Figure on first_page (the status picture's
    section)."""
    with pikepdf.open(pdf) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}

        def kids(e):
            k = e.get("/K")
            k = list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
            return [c for c in k if isinstance(c, pikepdf.Dictionary) and "/S" in c]

        def page_of(e):
            if "/Pg" in e:
                return pages.get(e.Pg.objgen)
            return next((p for p in (page_of(c) for c in kids(e)) if p is not None), None)

        def scope(e):
            a = e.get("/A")
            for d in (list(a) if isinstance(a, pikepdf.Array) else [a] if a is not None else []):
                if isinstance(d, pikepdf.Dictionary) and "/Scope" in d:
                    return str(d.Scope)
            return None

        def pages_under(e):
            out = {page_of(e)} if "/Pg" in e else set()
            for c in kids(e):
                out |= pages_under(c)
            return out

        def find_sect(e):
            for c in kids(e):
                if str(c.S) == "/Figure" and page_of(c) == first_page:
                    return e
                f = find_sect(c)
                if f is not None:
                    return f
            return None
        sect = find_sect(doc.Root.StructTreeRoot)
        out = []
        for t in (c for c in kids(sect) if str(c.S) == "/Table") if sect is not None else []:
            cap = next((c for c in kids(t) if str(c.S) == "/Caption"), None)
            rows = [c for c in kids(t) if str(c.S) == "/TR"]
            for g in (c for c in kids(t) if str(c.S) in ("/THead", "/TBody")):
                rows += [r for r in kids(g) if str(r.S) == "/TR"]
            head = [(str(c.S)[1:], page_of(c), scope(c)) for c in kids(rows[0])] if rows else []
            out.append((sorted(p for p in pages_under(t) if p is not None), head,
                        page_of(cap) if cap is not None else None))
        return out


def check_long_list(exe, src, lang, tmp, layout):
    L = labels(src, lang)
    ms = long_measures()
    path = os.path.join(tmp, "pitka-%s.xml" % lang)
    open(path, "w").write(round_xml(LANG_TAG[lang], 3, ms))
    pdf = build(exe, path, os.path.join(tmp, "long-" + lang), layout)
    if pdf is None:
        return
    where = "%s long list" % lang
    pages = page_texts(pdf)
    title, cont = L["slide.picture"], L["continued"]

    def first_line(p):
        return next((squash(l).strip() for l in p.splitlines() if l.strip()), "")
    # The status picture's slides: the second, and those after it titled as its continuation.
    pic = [1]
    while pic[-1] + 1 < len(pages) and first_line(pages[pic[-1] + 1]) == title + " " + cont:
        pic.append(pic[-1] + 1)
    if first_line(pages[1]) != title:
        fail("%s: the second slide's title is %r, not %r" % (where, first_line(pages[1]), title))
    if len(pic) < 2:
        fail("%s: the changes of 30 measures do not continue on a slide titled %r"
             % (where, title + " " + cont))
    names = [n for n, fc, _ in ms if n.startswith("Muutos")]
    # Every changed measure once, in file order; the unchanged one not at all.
    text = "\n".join(pages[i] for i in pic)
    seen = re.findall(r"Muutos (\d\d)", text)
    if seen != ["%02d" % (i + 1) for i in range(len(names))]:
        fail("%s: the changed measures are not each listed once in order: %r" % (where, seen))
    if "Ennallaan" in text:
        fail("%s: the unchanged measure is listed" % where)
    for nm in ("Muutos %02d" % k for k in (3, 8)):
        r = next((squash(l) for l in text.splitlines() if nm in l), "")
        if "(1/2024)" not in r:
            fail("%s: %r's row does not say its earlier round: %r" % (where, nm, r))
    # The chart and its legend on the first slide only.
    chart_words = [L["forecast.status"].replace("{round}", "1").replace("{year}", "2024"),
                   L["status.none"]]
    for i in pic[1:]:
        for w in chart_words:
            if w in squash(pages[i]):
                fail("%s: slide %d (a continuation) shows the chart's %r" % (where, i + 1, w))
    elems = struct_elems(pdf)
    figs = [pg for (sname, _, _, pg) in elems if sname == "Figure" and pg in pic]
    if figs != [1]:
        fail("%s: the status picture's Figures stand on slides %r, not the first only"
             % (where, [p + 1 for p in figs]))
    # A Table per slide, each headed by a row of column heads; each continued part captioned.
    parts = table_parts(pdf, 1)
    if [p for p, _, _ in parts] != [[i] for i in pic]:
        fail("%s: the changes' Tables stand on slides %r, not one on each of %r"
             % (where, [[x + 1 for x in p] for p, _, _ in parts], [i + 1 for i in pic]))
    for k, (pg, head, cap) in enumerate(parts):
        if [(r, s) for r, _, s in head] != [("TH", "/Column")] * 3:
            fail("%s: part %d's first row is not three column heads: %r" % (where, k + 1, head))
        if (cap is None) != (k == 0) or (cap is not None and cap != pg[0]):
            fail("%s: part %d's Caption is on slide %r" % (where, k + 1, cap))
    heads = [L["trend.measure"], L["picture.col.change"]]
    for i in pic:
        if not all(h in squash(pages[i]) for h in heads):
            fail("%s: slide %d does not show the column heads %r" % (where, i + 1, heads))
    # Each row links to its measure's deck.
    with pikepdf.open(pdf) as doc:
        index = {p.objgen: i for i, p in enumerate(doc.pages)}
        links = {}
        for i in pic:
            for a in doc.pages[i].get("/Annots", []):
                if a.get("/Subtype") == "/Link" and "/Dest" in a:
                    links[str(a.get("/Contents", ""))] = index.get(a.Dest[0].objgen)
    # Described as the overview's links are (link.deck, the name in it).
    for name in names:
        at = links.get(L["link.deck"].replace("{name}", name))
        if at is None or name.split(" kirjastojen")[0] not in pages[at]:
            fail("%s: %r does not link to its deck (slide %r)" % (where, name, at))
    # The reading order of the whole pack, the status picture's parts included.
    p = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__),
                                                     "check_reading_order.py"),
                        "--cli", exe, "--round", path]
                       + (["--layout", layout] if layout else []),
                       capture_output=True, text=True)
    if p.returncode != 0:
        fail("%s: reading order: %s" % (where, p.stderr.strip()[-800:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("exe")
    ap.add_argument("src")
    ap.add_argument("--layout")
    ap.add_argument("--lang", action="append")
    ap.add_argument("--keep")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = a.keep or tmp
        for lang in a.lang or ("fi", "sv", "en"):
            check_changes(a.exe, a.src, lang, tmp, a.layout)
            check_quiet(a.exe, a.src, lang, tmp, a.layout)
            check_long_list(a.exe, a.src, lang, tmp, a.layout)
    if FAILS:
        print("%d failures" % len(FAILS), file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
