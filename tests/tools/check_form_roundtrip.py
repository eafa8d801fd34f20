#!/usr/bin/python3
"""The form's round trip (workbook-form.md §1): a round and its form build the same files.

  check_form_roundtrip.py TASEURANTA SOURCE_DIR WORKDIR [--libreoffice] [--generated N] ROUND...

For each round R (and, with --generated N, rounds of N measures made by bench/gen-round in fi,
sv and en), and for each of XLSX and ODS: `form R`, then `build` of the form and `build` of the
round file that `import` reads from it make byte for byte the PDF, XLSX and ODS that `build R`
makes (SOURCE_DATE_EPOCH set).  With --libreoffice the form is first opened and saved unchanged
by LibreOffice headless (--convert-to xlsx / ods, a profile of its own), as a planner's
spreadsheet would.
"""
import filecmp
import os
import shutil
import subprocess
import sys

args = sys.argv[1:]
EXE, SRC, WORK = args[:3]
rest = args[3:]
LIBREOFFICE = "--libreoffice" in rest
rest = [a for a in rest if a != "--libreoffice"]
GENERATED = 0
if "--generated" in rest:
    i = rest.index("--generated")
    GENERATED = int(rest[i + 1])
    del rest[i:i + 2]
ROUNDS = rest
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
failures = []


def run(cmd, what):
    p = subprocess.run(cmd, capture_output=True, text=True, env=ENV)
    if p.returncode != 0:
        failures.append("%s: exit %d: %s" % (what, p.returncode, p.stderr.strip()[:2000]))
        return False
    return True


def same_files(a, b, what):
    names = sorted(os.listdir(a))
    if sorted(os.listdir(b)) != names:
        failures.append("%s: files %s, not %s" % (what, sorted(os.listdir(b)), names))
        return
    for n in names:
        if not filecmp.cmp(os.path.join(a, n), os.path.join(b, n), shallow=False):
            failures.append("%s: %s differs" % (what, n))


def resave(path, ext, work):
    outdir = os.path.join(work, "lo")
    os.makedirs(outdir, exist_ok=True)
    profile = "file://" + os.path.join(WORK, "lo-profile")
    subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to",
                    ext, "--outdir", outdir, path], capture_output=True, timeout=300)
    out = os.path.join(outdir, os.path.basename(path))
    return out if os.path.exists(out) else None


def round_trip(rnd):
    base = os.path.splitext(os.path.basename(rnd))[0]
    work = os.path.join(WORK, base)
    os.makedirs(work)
    want = os.path.join(work, "from-round")
    if not run([EXE, "build", rnd, "-o", want, "-q"], base + ": build"):
        return
    for ext in ("xlsx", "ods"):
        what = "%s.%s%s" % (base, ext, " re-saved by LibreOffice" if LIBREOFFICE else "")
        form = os.path.join(work, "form." + ext)
        if not run([EXE, "form", rnd, "-o", form], what + ": form"):
            continue
        if LIBREOFFICE:
            form = resave(form, ext, os.path.join(work, ext))
            if form is None:
                failures.append(what + ": LibreOffice wrote nothing")
                continue
        got = os.path.join(work, "from-form-" + ext)
        if run([EXE, "build", form, "-o", got, "-q"], what + ": build of the form"):
            same_files(want, got, what + ": build of the form")
        back = os.path.join(work, "imported-%s.xml" % ext)
        got = os.path.join(work, "from-import-" + ext)
        if run([EXE, "import", form, "-o", back], what + ": import") and \
                run([EXE, "build", back, "-o", got, "-q"], what + ": build of the import"):
            same_files(want, got, what + ": build of the imported round")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    rounds = list(ROUNDS)
    if GENERATED:
        for lang, number in (("fi", 3), ("sv", 2), ("en", 1)):
            out = os.path.join(WORK, "generated-%s.xml" % lang)
            subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen-round"),
                            str(GENERATED), out, "--lang", lang, "--number", str(number)],
                           check=True)
            rounds.append(out)
    for rnd in rounds:
        round_trip(rnd)
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    print("%d rounds: %s" % (len(rounds), "FAILED (%d)" % len(failures) if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
