#!/usr/bin/python3
"""Every round file in the folder is accepted by `taseuranta check` and by the XSD.

The parser's own files (parser-*.xml) must pass `check --strict` with nothing on standard
error; the other helpers' files must pass `check` (they may carry lint warnings).

usage: run_valid.py TASEURANTA VALID_DIR XSD"""
import os
import shutil
import subprocess
import sys


def main():
    exe, folder, xsd = sys.argv[1:4]
    xmllint = shutil.which('xmllint')
    files = sorted(f for f in os.listdir(folder) if f.endswith('.xml'))
    failures = []
    if not any(f.startswith('parser-') for f in files):
        failures.append('no parser-*.xml in ' + folder)
    for name in files:
        path = os.path.join(folder, name)
        strict = name.startswith('parser-')
        # -q: only diagnostics, without the closing line per file (tests/tools/test_cli.py)
        res = subprocess.run([exe, 'check', '-q'] + (['--strict'] if strict else []) + [path],
                             capture_output=True, timeout=60)
        if res.returncode != 0:
            failures.append('%s: check exits %d: %s' % (name, res.returncode, res.stderr.decode()[:1000]))
        if res.stdout:
            failures.append('%s: check printed on standard output' % name)
        if strict and res.stderr:
            failures.append('%s: check --strict printed %s' % (name, res.stderr.decode()[:1000]))
        for line in res.stderr.decode().splitlines():
            if not line.startswith(path + ':') or ': warning: ' not in line:
                failures.append('%s: unexpected diagnostic %r' % (name, line))
        if xmllint:
            x = subprocess.run([xmllint, '--noout', '--nonet', '--schema', xsd, path],
                               capture_output=True, timeout=60)
            if x.returncode != 0:
                failures.append('%s: the parser accepts it, the XSD refuses it: %s'
                                % (name, x.stderr.decode()[:1000]))
    for f in failures:
        print('FAIL', f)
    print('%d valid files checked, %d failures' % (len(files), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
