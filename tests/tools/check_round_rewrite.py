#!/usr/bin/python3
"""The round writer keeps a round: for every round R given, R read and written again by the round
writer (tests/tools/round_rewrite.c) is a file W that

- builds byte-identical PDF, XLSX and ODS to R's (SOURCE_DATE_EPOCH set),
- passes `taseuranta check --strict` when R does, and the XSD,
- keeps every XML comment of R,
- is written again unchanged (the writer's layout is its own fixed point).

usage: check_round_rewrite.py TASEURANTA ROUND_REWRITE XSD WORK_DIR ROUND..."""
import filecmp
import os
import shutil
import subprocess
import sys

ENV = dict(os.environ, SOURCE_DATE_EPOCH="1602504000")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=600, **kw)


def main():
    exe, rewrite, xsd, work = sys.argv[1:5]
    rounds = sys.argv[5:]
    xmllint = shutil.which("xmllint")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    failures = []
    for src in rounds:
        stem = os.path.splitext(os.path.basename(src))[0]
        problems = []
        d = os.path.join(work, stem)
        orig_dir, back_dir = os.path.join(d, "original"), os.path.join(d, "written")
        os.makedirs(orig_dir)
        os.makedirs(back_dir)
        # The same file name in both folders: a round is named by its path in messages.
        orig = os.path.join(orig_dir, "round.xml")
        written = os.path.join(back_dir, "round.xml")
        shutil.copy(src, orig)
        r = run([rewrite, orig, written])
        if r.returncode != 0:
            failures.append("%s: round_rewrite exits %d: %s" % (stem, r.returncode, r.stderr))
            continue
        again = os.path.join(d, "again.xml")
        r = run([rewrite, written, again])
        if r.returncode != 0 or not filecmp.cmp(written, again, shallow=False):
            problems.append("written again, the file changes (exit %d)" % r.returncode)
        strict = run([exe, "check", "--strict", orig]).returncode == 0
        c = run([exe, "check"] + (["--strict"] if strict else []) + [written])
        if c.returncode != 0:
            problems.append("check%s refuses the written file: %s"
                            % (" --strict" if strict else "", c.stderr[:2000]))
        if xmllint:
            x = run([xmllint, "--noout", "--nonet", "--schema", xsd, written])
            if x.returncode != 0:
                problems.append("the XSD refuses the written file: %s" % x.stderr[:2000])
        n_orig = open(orig, encoding="utf-8").read().count("<!--")
        n_back = open(written, encoding="utf-8").read().count("<!--")
        if n_orig != n_back:
            problems.append("%d XML comments, the original has %d" % (n_back, n_orig))
        outs = []
        for folder, path in ((orig_dir, orig), (back_dir, written)):
            b = run([exe, "build", path, "-o", folder, "-q"])
            if b.returncode != 0:
                problems.append("build of %s exits %d: %s" % (path, b.returncode, b.stderr[:2000]))
            outs.append(sorted(f for f in os.listdir(folder) if f != "round.xml"))
        if not problems:
            if outs[0] != outs[1] or len(outs[0]) != 3:
                problems.append("different outputs: %s and %s" % (outs[0], outs[1]))
            for name in outs[0]:
                if not filecmp.cmp(os.path.join(orig_dir, name), os.path.join(back_dir, name),
                                   shallow=False):
                    problems.append("%s differs" % name)
        if problems:
            failures.append("%s:\n    %s" % (stem, "\n    ".join(problems)))
    for f in failures:
        print("FAIL", f)
    print("%d of %d rounds written back unchanged" % (len(rounds) - len(failures), len(rounds)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
