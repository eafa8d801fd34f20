#!/usr/bin/python3
"""The pack's numbers and line breaks, read back with pdftotext (outputs.md §1 "Text").

Builds a small round in each language whose texts put numbers at every place of a line (so that
some of them fall where a line would break), and reads the pack with `pdftotext -bbox`:

- a number's groups of digits ("1 130", "12 000 000") and the space before its unit or % do
  not break: every such pair of words stands on one line;
- fi and sv write a negative value with the minus sign U+2212 ("−9,5 %"), in the value the
  program formats (the forecast's) and for a hyphen-minus typed before a number; en keeps
  "-9.5 %"; a hyphen that is no sign ("2020-2021", "ja -seloste") stays as typed;
- a forecast value of five digits or more is grouped ("12 000,5" in fi and sv, "12,000.5" in en).

    check_typography.py --cli EXE
"""
import argparse
import html
import os
import re
import subprocess
import sys
import tempfile

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


MINUS = "\u2212"

# Per language: the status words are not needed; the text is what gets checked.
LANGS = {
    "fi": {"count": "hakemusta", "sentence": "Muutos oli -9,5 % ja hakemuksia tuli 1 130 "
                                              "hakemusta, budjetti 12 000 000 € ja 20 kpl."},
    "sv": {"count": "ansökningar", "sentence": "Förändringen var -9,5 % och det kom 1 130 "
                                                "ansökningar, budgeten 12 000 000 € och 20 st."},
    "en": {"count": "applications", "sentence": "The change was -9.5 % and 1 130 applications "
                                                 "came, a budget of 12 000 000 € and 20 pcs."},
}


def round_xml(lang, value, unit):
    """A round whose target forecast repeats the sentence behind prefixes of every length, so
    that its numbers meet the line's end at every place."""
    sentence = LANGS[lang]["sentence"]
    prefixes = ["a" * j + " " + "b " * i for i in range(46) for j in (1, 2)]
    paras = "".join("<p>%s%s</p>" % (p, sentence) for p in prefixes)
    # Letters, digits, spaces, full stops and commas only: the line breaker's fast path.
    plain = "1 130 %s, 12 000 000." % LANGS[lang]["count"]
    paras += "".join("<p>%s%s</p>" % (p, plain) for p in prefixes)
    return """<?xml version="1.0" encoding="UTF-8"?>
<round format="1" year="2021" number="1" date="2021-03-15" xml:lang="%s">
  <organization><city>Helsinki</city><division short="typo">Division</division></organization>
  <themes><theme id="t">Theme</theme></themes>
  <goal id="g" theme="t">
    <statement>Statement</statement>
    <measure id="m">
      <name>Measure</name>
      <text>Text of the measure, talvi 2020-2021, auditointi ja -seloste.</text>
      <owner>Owner</owner>
      <target>
        <title>Target</title>
        <task status="doing"><title>Task</title></task>
        <forecast>%s</forecast>
      </target>
      <forecast round="1" status="on-track" value="%s" unit="%s"/>
    </measure>
  </goal>
</round>
""" % (lang, paras, value, unit)


def words(pdf):
    """(page, yMin, word) of every word, in reading order."""
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    got = []
    for n, body in enumerate(re.findall(r"<page[^>]*>(.*?)</page>", out, re.S), 1):
        for m in re.finditer(r'<word xMin="[\d.-]+" yMin="([\d.-]+)" xMax="[\d.-]+" '
                             r'yMax="[\d.-]+">(.*?)</word>', body):
            got.append((n, float(m.group(1)), html.unescape(m.group(2))))
    return got


def check_together(ws, first, second, what):
    """Every word `second` right after a word matching `first` is on the same line; returns how
    many pairs there were."""
    pairs = 0
    for a, b in zip(ws, ws[1:]):
        if re.fullmatch(first, a[2]) and b[2] == second:
            pairs += 1
            if a[0] != b[0] or abs(a[1] - b[1]) > 1:
                fail("%s: %r and %r are on different lines" % (what, a[2], b[2]))
    if pairs == 0:
        fail("%s: no %r after %r found" % (what, second, first))
    return pairs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("fi", "sv", "en"):
            src = os.path.join(tmp, "typo-%s.xml" % lang)
            with open(src, "w", encoding="utf-8") as f:
                f.write(round_xml(lang, "-9.5", "%"))
            out = os.path.join(tmp, lang)
            p = subprocess.run([a.cli, "build", src, "-o", out, "--format", "pdf", "-q"],
                               capture_output=True, text=True)
            if p.returncode != 0:
                fail("%s: the build failed: %s" % (lang, p.stderr[:500]))
                continue
            pdf = os.path.join(out, "typo-2021-1.pdf")
            ws = words(pdf)
            text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                                  capture_output=True, text=True).stdout
            n = check_together(ws, r"1", "130", lang + " digit groups")
            n += check_together(ws, r"12", "000", lang + " digit groups")
            n += check_together(ws, r"000", "000", lang + " digit groups")
            n += check_together(ws, r"000", "€", lang + " a unit")
            n += check_together(ws, r".*9[,.]5", "%", lang + " a unit")
            n += check_together(ws, r"20", {"fi": "kpl.", "sv": "st.", "en": "pcs."}[lang],
                                lang + " a unit")
            sign = "-" if lang == "en" else MINUS
            dec = "." if lang == "en" else ","
            typed = text.count(sign + "9" + dec + "5")
            if typed < 92:
                fail("%s: the typed negative number is not written %r (%d times)"
                     % (lang, sign + "9" + dec + "5", typed))
            if lang != "en" and "-9,5" in text:
                fail("%s: a hyphen-minus is left before a number" % lang)
            # The forecast's value as the program formats it: the forecast slide and the
            # overview.
            value = sign + "9" + dec + "5\u00a0%"
            if text.count(value) < 2 and text.count(value.replace("\u00a0", " ")) < 2:
                fail("%s: the forecast value is not written %r on the forecast slide and the "
                     "overview" % (lang, value))
            for kept in ("2020-2021", "-seloste"):
                if kept not in text:
                    fail("%s: %r is not kept as typed" % (lang, kept))
            print("%s: %d pairs of number parts checked" % (lang, n))

            # A large value: grouped, with the language's decimal mark.
            with open(src, "w", encoding="utf-8") as f:
                f.write(round_xml(lang, "12000.5", "kpl"))
            p = subprocess.run([a.cli, "build", src, "-o", out, "--format", "pdf", "-q"],
                               capture_output=True, text=True)
            text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"],
                                  capture_output=True, text=True).stdout
            big = "12,000.5" if lang == "en" else "12\u00a0000,5"
            if p.returncode != 0 or (big not in text and big.replace("\u00a0", " ") not in text):
                fail("%s: the value 12000.5 is not written %r" % (lang, big))
    print("FAILED" if FAILS else "ok")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
