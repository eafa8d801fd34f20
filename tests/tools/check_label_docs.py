#!/usr/bin/python3
"""docs/labels.md documents every label key, and only keys that exist: the keys of the three
label files (which must be the same) against the `key` names in the document, where
"`month.1` … `month.12`" stands for the keys between."""
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def label_keys(lang):
    path = os.path.join(ROOT, "layouts", "labels", lang + ".xml")
    return {l.get("key") for l in ET.parse(path).getroot().iter("label")}


def documented(text):
    keys = set()
    for a, b in re.findall(r"`([a-z][\w.-]*\.\d+)` … `([a-z][\w.-]*\.\d+)`", text):
        stem, lo = a.rsplit(".", 1)
        stem2, hi = b.rsplit(".", 1)
        if stem == stem2:
            keys |= {"%s.%d" % (stem, i) for i in range(int(lo), int(hi) + 1)}
    # Key names in the tables' first column.
    keys |= set(re.findall(r"^\| `([a-z][\w.-]*)` \|", text, re.M))
    return keys


def main():
    fails = []
    keys = label_keys("fi")
    for lang in ("sv", "en"):
        other = label_keys(lang)
        if other != keys:
            fails.append("%s.xml and fi.xml differ in keys: %s" % (lang, sorted(keys ^ other)))
    with open(os.path.join(ROOT, "docs", "labels.md"), encoding="utf-8") as f:
        doc = documented(f.read())
    for k in sorted(keys - doc):
        fails.append("docs/labels.md does not document the key %s" % k)
    for k in sorted(doc - keys):
        fails.append("docs/labels.md documents %s, which no label file has" % k)
    for m in fails:
        print("FAIL: " + m, file=sys.stderr)
    print("%d keys, %d documented; %s" % (len(keys), len(doc & keys), "FAILED" if fails else "ok"))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
