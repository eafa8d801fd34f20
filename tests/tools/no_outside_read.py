#!/usr/bin/python3
"""Nothing outside the round file is ever read: a DOCTYPE naming /etc/passwd or a file beside
the round (holding a marker) is refused, the marker never appears, and under strace the only
XML files the program opens are the input itself and the label files of its own data folder
(check reads the round's language's labels, as build does).

usage: no_outside_read.py TASEURANTA INVALID_DIR VALID_FILE"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The data folder of a build-tree program is the source tree.
LABELS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                      'layouts', 'labels')


def opened_paths(exe, path, tmp):
    """The paths the program tries to open, or None when strace cannot trace here."""
    strace = shutil.which('strace')
    if not strace:
        return None
    log = os.path.join(tmp, 'strace.log')
    res = subprocess.run([strace, '-f', '-qq', '-e', 'trace=open,openat,openat2,creat,stat,newfstatat,'
                          'statx,access,readlink', '-o', log, exe, 'check', path],
                         capture_output=True, timeout=60)
    if not os.path.exists(log) or 'ptrace' in res.stderr.decode():
        return None
    paths = []
    for line in open(log, encoding='utf-8', errors='replace'):
        m = re.search(r'"([^"]*)"', line)
        if m and re.search(r'\b(open|openat|openat2|creat|stat|newfstatat|statx|access|readlink)\(', line):
            paths.append(m.group(1))
    return paths


def main():
    exe, invalid, valid = sys.argv[1:4]
    failures = []
    tmp = tempfile.mkdtemp(prefix='ts-outside-')
    try:
        marker = os.path.join(tmp, 'marker.txt')
        with open(marker, 'w') as f:
            f.write('MARKER-51c0\n')
        base = open(os.path.join(invalid, 'base.round'), encoding='utf-8').read()
        beside = os.path.join(tmp, 'beside.xml')
        with open(beside, 'w', encoding='utf-8') as f:
            f.write(base.replace('<round format', '<!DOCTYPE round SYSTEM "marker.txt" [\n'
                                 '<!ENTITY m SYSTEM "marker.txt">]>\n<round format')
                        .replace('<city>Helsinki</city>', '<city>&m;</city>'))
        cases = [os.path.join(invalid, 'doctype-external.xml'), beside]
        for path in cases:
            res = subprocess.run([exe, 'check', path], capture_output=True, timeout=60)
            out = res.stdout.decode() + res.stderr.decode()
            if res.returncode != 1 or 'a DOCTYPE is not allowed' not in out:
                failures.append('%s: not refused as a DOCTYPE: %d %s' % (path, res.returncode, out))
            if 'MARKER-51c0' in out or 'root:' in out:
                failures.append('%s: the content of another file leaked: %s' % (path, out))
        traced = 0
        for path in cases + [valid]:
            paths = opened_paths(exe, path, tmp)
            if paths is None:
                continue
            traced += 1
            for p in paths:
                if 'passwd' in p or 'marker.txt' in p:
                    failures.append('%s: the program touched %s' % (path, p))
                if (p.endswith('.xml') and os.path.abspath(p) != os.path.abspath(path) and
                        os.path.dirname(os.path.abspath(p)) != LABELS):
                    failures.append('%s: the program opened another XML file %s' % (path, p))
            if not any(os.path.abspath(p) == os.path.abspath(path) for p in paths):
                failures.append('%s: strace did not see the input opened; the trace is not trustworthy' % path)
        print('traced %d runs under strace' % traced if traced else 'strace unavailable: checked the output only')
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print('FAIL', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
