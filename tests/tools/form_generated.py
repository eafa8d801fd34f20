#!/usr/bin/python3
"""Rounds made by bench/gen-round in fi, sv and en (every kind of element, texts of many
sentences) through the form and back (test_formread with FORMREAD_ROUNDS).

  form_generated.py TEST_FORMREAD SOURCE_DIR WORKDIR
"""
import os
import shutil
import subprocess
import sys

TEST, SRC, WORK = sys.argv[1:4]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
rounds = []
for lang, n, number in (("fi", 40, 3), ("sv", 12, 2), ("en", 12, 1)):
    out = os.path.join(WORK, "gen-%s.xml" % lang)
    subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen-round"), str(n), out,
                    "--lang", lang, "--number", str(number)], check=True)
    rounds.append(out)
p = subprocess.run([TEST], env=dict(os.environ, FORMREAD_ROUNDS=":".join(rounds),
                                    CMOCKA_MESSAGE_OUTPUT="stdout"))
sys.exit(p.returncode)
