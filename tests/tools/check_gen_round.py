#!/usr/bin/env python3
"""bench/gen-round: the same arguments give the same bytes, the round has the promised shape,
and taseuranta check --strict accepts it.

Usage: check_gen_round.py TASEURANTA_EXE GEN_ROUND [XSD]
With XSD (and xmllint on the PATH) each round is also validated against the schema.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def gen(script, out, n, *opts):
    subprocess.run([sys.executable, script, str(n), out, *opts], check=True)
    with open(out, "rb") as f:
        return f.read()


def shape(path, n, number):
    root = ET.parse(path).getroot()
    measures = root.findall("goal/measure")
    if len(measures) != n:
        fail(f"{path}: {len(measures)} measures, wanted {n}")
    for goal in root.findall("goal"):
        k = len(goal.findall("measure"))
        if not 1 <= k <= 3:
            fail(f"{path}: goal {goal.get('id')} has {k} measures")
    for m in measures:
        mid = m.get("id")
        if not m.findall("owner") or not m.findall("manager"):
            fail(f"{path}: {mid} lacks an owner or a manager")
        targets = m.findall("target")
        if not 2 <= len(targets) <= 4:
            fail(f"{path}: {mid} has {len(targets)} targets")
        for t in targets:
            tasks = t.findall("task")
            if not 2 <= len(tasks) <= 6:
                fail(f"{path}: {t.get('id')} has {len(tasks)} tasks")
            if t.find("forecast") is None:
                fail(f"{path}: {t.get('id')} has no forecast")
        rounds = [int(f.get("round")) for f in m.findall("forecast")]
        if rounds != list(range(1, number + 1)):
            fail(f"{path}: {mid} has forecasts for rounds {rounds}")
        for f in m.findall("forecast"):
            text = "".join(f.itertext()).strip()
            if text.count(".") < 2:
                fail(f"{path}: {mid} round {f.get('round')} forecast is not a few sentences")
    if n >= 12:
        for what in ("goal/measure/target/scale", "goal/measure/target/task[@progress]",
                     "goal/measure/note", "goal/measure/link", "goal/measure/comment",
                     "goal/measure/risks", "goal/measure/target/task/detail",
                     "summary/theme-actions/indicator[@binding='true']",
                     "summary/programme-actions"):
            if not root.findall(what):
                fail(f"{path}: no {what}")
        kinds = {p.get("kind") for p in root.findall("programmes/programme")}
        if kinds != {"city-project", "joint-theme", "separate-programme"}:
            fail(f"{path}: programme kinds {sorted(kinds)}")
        if len(root.findall("themes/theme")) < 4:
            fail(f"{path}: fewer than four themes")


def main():
    exe, script = sys.argv[1], sys.argv[2]
    xsd = sys.argv[3] if len(sys.argv) > 3 else None
    xmllint = shutil.which("xmllint") if xsd else None
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(1, "fi", 3), (12, "fi", 3), (40, "fi", 3), (12, "sv", 2), (12, "en", 1)]
        seen = {}
        for n, lang, number in cases:
            a = os.path.join(tmp, f"a-{n}-{lang}.xml")
            b = os.path.join(tmp, f"b-{n}-{lang}.xml")
            opts = ["--lang", lang, "--number", str(number)]
            first = gen(script, a, n, *opts)
            if first != gen(script, b, n, *opts):
                fail(f"gen-round {n} {' '.join(opts)} is not deterministic")
            if first in seen.values():
                fail(f"gen-round {n} {lang} repeats another case's file")
            seen[(n, lang)] = first
            root = ET.parse(a).getroot()
            if root.get("{http://www.w3.org/XML/1998/namespace}lang") != lang:
                fail(f"{a}: xml:lang is not {lang}")
            if root.get("number") != str(number):
                fail(f"{a}: number is not {number}")
            shape(a, n, number)
            rc = subprocess.run([exe, "check", "--strict", a]).returncode
            if rc != 0:
                fail(f"taseuranta check --strict refused {a} ({rc})")
            if xmllint:
                res = subprocess.run([xmllint, "--noout", "--nonet", "--schema", xsd, a],
                                     capture_output=True, text=True)
                if res.returncode != 0:
                    fail(f"{a} does not validate against {xsd}: {res.stderr[:500]}")
    if failures:
        return 1
    print("gen-round: all cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
