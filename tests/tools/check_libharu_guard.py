#!/usr/bin/python3
"""Another libharu than 2.3.0 is refused, when CMake configures and when src/pdf/shim.c compiles.

    check_libharu_guard.py CMAKE CC SOURCE_DIR HPDF_INCLUDE_DIR WORK_DIR

Copies libharu's headers into WORK_DIR with the version made 2.4.1, then
- configures the project against them: CMake must stop, saying that 2.4.1 is not 2.3.0 and why;
- compiles src/pdf/shim.c against them: the compiler must stop at the shim's #error;
and, as a control, compiles shim.c against the real headers, which must pass.
"""
import glob
import os
import shutil
import subprocess
import sys


def main(argv):
    cmake, cc, source, hpdf_include, work = argv[1:6]
    shutil.rmtree(work, ignore_errors=True)
    fake = os.path.join(work, "include")
    os.makedirs(fake)
    for header in glob.glob(os.path.join(hpdf_include, "hpdf*.h")):
        shutil.copy(header, fake)
    version = os.path.join(fake, "hpdf_version.h")
    text = open(version).read()
    for old, new in (("MINOR_VERSION 3", "MINOR_VERSION 4"), ("BUGFIX_VERSION 0", "BUGFIX_VERSION 1"),
                     ('"2.3.0"', '"2.4.1"')):
        if old not in text:
            print(f"FAIL: {version} has no {old}: is it libharu 2.3.0's?")
            return 1
        text = text.replace(old, new)
    open(version, "w").write(text)
    bad = []

    conf = subprocess.run([cmake, "-S", source, "-B", os.path.join(work, "build"),
                           f"-DHPDF_INCLUDE_DIR={fake}"], capture_output=True, text=True)
    said = " ".join((conf.stdout + conf.stderr).split())
    if conf.returncode == 0:
        bad.append("CMake configured against libharu 2.4.1")
    elif "libharu 2.4.1" not in said or "is not the 2.3.0" not in said or "HPDF_FToA" not in said:
        bad.append("CMake stopped without saying why: " + said[-400:])

    shim = os.path.join(source, "src", "pdf", "shim.c")
    flags = ["-std=c11", "-fsyntax-only", "-I", os.path.join(source, "src")]
    comp = subprocess.run([cc] + flags + ["-I", fake, shim], capture_output=True, text=True)
    if comp.returncode == 0:
        bad.append("shim.c compiled against libharu 2.4.1")
    elif "written for libharu 2.3.0" not in comp.stderr:
        bad.append("shim.c failed against 2.4.1, but not at its #error: " + comp.stderr[-400:])
    ok = subprocess.run([cc] + flags + ["-I", hpdf_include, shim], capture_output=True, text=True)
    if ok.returncode != 0:
        bad.append("shim.c does not compile against the real headers: " + ok.stderr[-400:])

    for line in bad:
        print("FAIL:", line)
    if not bad:
        print("libharu 2.4.1 refused by CMake and by shim.c; 2.3.0 compiles")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
