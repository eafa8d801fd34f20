#!/usr/bin/python3
"""valgrind memcheck on the form's commands: `form` (XLSX and ODS) of the round with every
element, then `import` and `check` of each form and `build` of one: no error, no leak.

  form_memcheck.py VALGRIND TASEURANTA SOURCE_DIR WORKDIR
"""
import os
import shutil
import subprocess
import sys

VALGRIND, EXE, SRC, WORK = sys.argv[1:5]
ROUND = os.path.join(SRC, "tests", "data", "form", "every-element.xml")
SUPP = [os.path.join(SRC, "tests", "valgrind", n) for n in ("voikko.supp", "libxlsxwriter.supp")]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
failed = []
steps = []
for ext in ("xlsx", "ods"):
    form = os.path.join(WORK, "form." + ext)
    steps += [["form", ROUND, "-o", form],
              ["import", form, "-o", os.path.join(WORK, "back-%s.xml" % ext)],
              ["check", "-q", form]]
steps.append(["build", os.path.join(WORK, "form.ods"), "-o", os.path.join(WORK, "out"), "-q"])
for args in steps:
    cmd = [VALGRIND, "--quiet", "--error-exitcode=99", "--leak-check=full",
           "--show-leak-kinds=definite,indirect,possible",
           "--errors-for-leak-kinds=definite,indirect,possible"]
    cmd += ["--suppressions=" + s for s in SUPP] + [EXE] + args
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        failed.append("%s: exit %d\n%s" % (" ".join(args[:1]), p.returncode, p.stderr[-3000:]))
for f in failed:
    print("FAIL: " + f, file=sys.stderr)
print("memcheck of the form's commands: %s" % ("FAILED" if failed else "ok"))
sys.exit(1 if failed else 0)
