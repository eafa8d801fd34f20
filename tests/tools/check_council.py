#!/usr/bin/python3
"""What the council asks first (issue 15), read back from real packs in fi, sv and en.

Builds rounds written here (changes both ways, an unchanged measure, a measure not reported in
between, one reported only now, a numeric forecast against its level, a level in another unit,
negative values; a round with no change; a round 1) and reads the packs with pdftotext and
pikepdf: the status picture slide's heading, its changed measures with both words and the change
word and no other measure, "no changes" and the round-1 line; the chart Figure's /Alt with every
count; the overview's ▲ / ▼ with the change word as its /ActualText; "14 / 20 kpl" in the
overview and on the forecast slide; the value chart's /Alt with every round's value and the
level.  Usage: check_council.py TASEURANTA SOURCE_DIR [--layout NAME] [--keep DIR]
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
    if FAILS:
        print("%d failures" % len(FAILS), file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
