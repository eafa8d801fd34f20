#!/usr/bin/env python3
"""Whole-program tests of the command line: help and man page, usage errors, new-round,
batches, atomic outputs, and an installed copy.  Usage: test_cli.py EXE SOURCE_DIR CASE"""
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

EXE, SRC, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLE = os.path.join(SRC, "input", "kuva-2020-3.xml")
VALID = os.path.join(SRC, "tests", "data", "valid")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1602504000")


def run(args, **kw):
    return subprocess.run([EXE] + args, capture_output=True, text=True, env=ENV, timeout=600, **kw)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def options_by_section(text, section_re, option_re):
    """Maps a section name to the set of option spellings found under it."""
    found, current = {}, None
    for line in text.splitlines():
        m = re.match(section_re, line)
        if m:
            current = m.group(1)
            found.setdefault(current, set())
            continue
        if current is None:
            continue
        for opt in re.findall(option_re, line):
            found[current].add(opt)
    return found


def case_help_man():
    help_text = run(["--help"]).stdout
    expect("Exit status" in help_text, "--help lacks the exit statuses")
    # --help: sections "build: …", options "  -o, --output DIR" / "      --pdfa"
    h = options_by_section(help_text, r"^(build|check|new-round|Options of every command)[: ]",
                           r"^\s+(?:-\w, )?(--[a-z-]+)")
    h = {k: {o for o in v} for k, v in h.items()}
    man = open(os.path.join(SRC, "docs", "taseuranta.1"), encoding="utf-8").read()
    man = man.replace("\\-", "-")
    man = re.sub(r"\\f[BIRP]", "", man)
    m, current, after_tp = {}, None, False
    for line in man.splitlines():
        mm = re.match(r"^\.SS (.+)$", line)
        if mm:
            current = mm.group(1).strip()
            m.setdefault(current, set())
            continue
        if line.startswith(".SH"):
            current = None
        if line == ".TP":
            after_tp = True
            continue
        if after_tp and current:
            mo = re.match(r"^(?:-\w, )?(--[a-z-]+)", line)
            if mo:
                m[current].add(mo.group(1))
        after_tp = False
    for section in ("build", "check", "new-round", "Options of every command"):
        expect(section in h, f"--help has no section {section}: {sorted(h)}")
        expect(section in m, f"the man page has no section {section}: {sorted(m)}")
        expect(h[section] == m[section],
               f"{section}: --help has {sorted(h[section])}, the man page {sorted(m[section])}")
    # every exit status of --help is in the man page
    for code in "0123":
        expect(re.search(r"^\.B " + code + "$", man, re.M), f"man page lacks exit status {code}")
    expect("--untagged" not in help_text, "the hidden benchmark option shows in --help")


def case_usage():
    for args in ([], ["frobnicate"], ["build"], ["check"], ["build", SAMPLE, "--nope"],
                 ["build", SAMPLE, "--format", "doc"], ["build", SAMPLE, "-j", "zero"],
                 ["new-round", SAMPLE], ["new-round", SAMPLE, "-o", "/tmp/x.xml", "--date", "2021-02-30"]):
        r = run(args)
        expect(r.returncode == 2, f"{args}: exit {r.returncode}, wanted 2; stderr {r.stderr!r}")
        expect("--help" in r.stderr, f"{args}: no pointer to --help in {r.stderr!r}")
        expect(r.stdout == "", f"{args}: usage error printed to stdout")
    r = run(["--version"])
    expect(r.returncode == 0 and re.match(r"taseuranta \d+\.\d+", r.stdout), "--version")


def forecasts(root):
    return [(m.get("id"), f.get("round")) for g in root.findall("goal")
            for m in g.findall("measure") for f in m.findall("forecast")]


def case_new_round_year():
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "kuva-2021-1.xml")
        r = run(["new-round", SAMPLE, "-o", out, "--date", "2021-02-15"])
        expect(r.returncode == 0, f"new-round failed: {r.stderr}")
        root = ET.parse(out).getroot()
        expect((root.get("year"), root.get("number"), root.get("date")) == ("2021", "1", "2021-02-15"),
               f"wrong round attributes {root.attrib}")
        expect(forecasts(root) == [], "round 1 of a new year still has forecasts")
        src = open(SAMPLE, encoding="utf-8").read()
        new = open(out, encoding="utf-8").read()
        expect(new.count("<measure ") == src.count("<measure "), "measures lost")
        expect(new.count("<task ") == src.count("<task "), "tasks lost")
        expect(new.count("<owner>") == src.count("<owner>"), "people lost")
        expect("<!--" in new and new.count("<!--") >= src.count("<!--") - 5, "XML comments lost")
        expect("\n    <goal" in new or "\n  <goal" in new, "indentation lost")
        c = run(["check", out])
        expect(c.returncode == 0, f"check of the new round failed: {c.stderr}")
        expect("warning" in c.stderr and "current round" in c.stderr,
               "a missing current forecast should be a warning")
        expect(run(["check", "--strict", out]).returncode == 1, "--strict should refuse it")


def case_new_round_history():
    with tempfile.TemporaryDirectory() as d:
        # A round 2 made from the sample: the third forecasts removed.
        tree = ET.parse(SAMPLE)
        root = tree.getroot()
        root.set("number", "2")
        for g in root.findall("goal"):
            for m in g.findall("measure"):
                for f in m.findall("forecast"):
                    if f.get("round") == "3":
                        m.remove(f)
        r2 = os.path.join(d, "kuva-2020-2.xml")
        tree.write(r2, encoding="UTF-8", xml_declaration=True)
        expect(run(["check", r2]).returncode == 0, "the round 2 fixture is not valid")
        out = os.path.join(d, "kuva-2020-3.xml")
        r = run(["new-round", r2, "-o", out, "--date", "2020-10-12"])
        expect(r.returncode == 0, f"new-round failed: {r.stderr}")
        new = ET.parse(out).getroot()
        expect((new.get("year"), new.get("number")) == ("2020", "3"), f"{new.attrib}")
        expect(forecasts(new) == forecasts(root), "forecast history not kept")
        for g in new.findall("goal"):
            for m in g.findall("measure"):
                for c in m.findall("comment"):
                    expect(len(c) == 0 and not (c.text or "").strip(), "a comment was not emptied")
        expect(run(["check", out]).returncode == 0, "the new round 3 does not pass check")
        # the input is never overwritten
        r = run(["new-round", out, "-o", out])
        expect(r.returncode == 2, f"new-round onto its input: exit {r.returncode}")


def case_batch():
    with tempfile.TemporaryDirectory() as d:
        broken = os.path.join(d, "broken.xml")
        with open(broken, "w", encoding="utf-8") as f:
            f.write('<round format="1" year="2020" number="3" date="2020-10-12" xml:lang="fi">\n'
                    '  <organization><city>X</city><division short="Rikki">R</division></organization>\n'
                    '  <themes><theme id="t">T</theme></themes>\n'
                    '  <goal id="g" theme="nope"><statement>S</statement></goal>\n</round>\n')
        inputs = [SAMPLE, os.path.join(VALID, "sv-round.xml"), os.path.join(VALID, "en-round.xml")]
        out = os.path.join(d, "out")
        r = run(["build"] + inputs + [broken, "-o", out, "-j", "2"])
        expect(r.returncode == 1, f"exit {r.returncode}, wanted 1 (one input refused): {r.stderr}")
        files = sorted(os.listdir(out))
        expect(len(files) == 9, f"wanted nine files, got {files}")
        expect(not any(f.startswith("rikki") or f.endswith(".tmp") for f in files), f"{files}")
        expect(re.search(r"broken\.xml:4:\d+: error: .*nope", r.stderr), f"no located error: {r.stderr}")
        expect(re.search(r"3 of 4 rounds built, 1 failed", r.stderr), f"no summary: {r.stderr}")
        expect(len(re.findall(r": built ", r.stderr)) == 3, f"one plain line per file: {r.stderr}")


def case_atomic():
    with tempfile.TemporaryDirectory() as d:
        ro = os.path.join(d, "ro")
        os.mkdir(ro)
        os.chmod(ro, 0o555)
        if os.geteuid() != 0:  # root writes anywhere
            r = run(["build", SAMPLE, "-o", ro])
            expect(r.returncode == 3, f"unwritable folder: exit {r.returncode}")
            expect(os.listdir(ro) == [], "files left in an unwritable folder")
        # a file where the folder should be
        blocker = os.path.join(d, "file")
        open(blocker, "w").close()
        r = run(["build", SAMPLE, "-o", blocker])
        expect(r.returncode == 3, f"output folder is a file: exit {r.returncode}: {r.stderr}")
        # the output would overwrite the input
        inp = os.path.join(d, "kuva-2020-3.pdf")
        shutil.copy(SAMPLE, inp)
        r = run(["build", inp, "-o", d, "--format", "pdf"])
        expect(r.returncode != 0, "overwrote its input")
        expect(open(inp, encoding="utf-8").read() == open(SAMPLE, encoding="utf-8").read(),
               "the input was changed")
        expect([f for f in os.listdir(d) if f.endswith(".tmp")] == [], "temporary files left")
        # a refused round writes nothing
        bad = os.path.join(d, "bad.xml")
        with open(bad, "w") as f:
            f.write("<round>")
        out = os.path.join(d, "out")
        r = run(["build", bad, "-o", out])
        expect(r.returncode == 1 and os.listdir(out) == [], "a refused round left files")


def case_strict():
    with tempfile.TemporaryDirectory() as d:
        uni = os.path.join(VALID, "unicode.xml")
        r = run(["build", uni, "-o", d])
        expect(r.returncode == 0, f"without --strict the round builds: {r.stderr}")
        expect(re.search(r"unicode\.xml:\d+:\d+: warning: no font has the character", r.stderr),
               "no located warning for a character no font has")
        out = os.path.join(d, "strict")
        r = run(["build", uni, "-o", out, "--strict"])
        expect(r.returncode == 1, f"--strict with a warning while writing: exit {r.returncode}")
        expect(os.listdir(out) == [], f"--strict left files: {os.listdir(out)}")
        expect("refused under --strict" in r.stderr, r.stderr[-300:])


def case_install():
    with tempfile.TemporaryDirectory() as d:
        build_dir = os.path.dirname(os.path.dirname(EXE))
        prefix = os.path.join(d, "prefix")
        r = subprocess.run(["cmake", "--install", build_dir, "--prefix", prefix],
                           capture_output=True, text=True)
        expect(r.returncode == 0, f"install failed: {r.stderr}")
        exe = os.path.join(prefix, "bin", "taseuranta")
        for p in ("share/taseuranta/layouts/helsinki.xml", "share/taseuranta/layouts/labels/fi.xml",
                  "share/taseuranta/fonts/LiberationSans-Regular.ttf",
                  "share/taseuranta/input/round-1.xsd", "share/man/man1/taseuranta.1"):
            expect(os.path.exists(os.path.join(prefix, p)), f"not installed: {p}")
        work = os.path.join(d, "work")
        os.mkdir(work)
        shutil.copy(SAMPLE, work)
        env = {k: v for k, v in ENV.items() if k != "TASEURANTA_DATA"}
        r = subprocess.run([exe, "build", "kuva-2020-3.xml", "-o", "out"], cwd=work,
                           capture_output=True, text=True, env=env)
        expect(r.returncode == 0, f"installed copy failed: {r.stderr}")
        ref = os.path.join(d, "ref")
        r2 = run(["build", SAMPLE, "-o", ref])
        expect(r2.returncode == 0, f"build-tree copy failed: {r2.stderr}")
        for ext in ("pdf", "xlsx", "ods"):
            a = os.path.join(work, "out", f"kuva-2020-3.{ext}")
            b = os.path.join(ref, f"kuva-2020-3.{ext}")
            expect(filecmp.cmp(a, b, shallow=False), f"installed {ext} differs from the build tree's")


globals()["case_" + CASE.replace("-", "_")]()
print("ok")
