#!/usr/bin/python3
"""Runs every file of tests/data/regress (inputs that once crashed the fuzz target, stored as
plain round files) through the program and through the fuzz target's own code.

For each FILE.xml: `check` and `build` (default layout; a4-landscape with --pdfa) must exit 0
or 1, never die of a signal, print only FILE:LINE:COLUMN diagnostics, finish in time, and leave
either the three files (status 0) or nothing at all (status 1) in the output folder.  Then
fuzz_replay --every-option runs them all under every option byte and must exit 0.

usage: run_regress.py TASEURANTA FUZZ_REPLAY REGRESS_DIR LAYOUTS_DIR"""
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile

DIAG = re.compile(r'^[^:]+(:\d+:\d+)?: (error|warning): ')


def sanitized(exe):
    with open(exe, 'rb') as f:
        return b'__asan_init' in f.read()


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run(cmd, asan, timeout=300):
    env = dict(os.environ, SOURCE_DATE_EPOCH='1600000000')
    return subprocess.run(cmd, capture_output=True, timeout=timeout, env=env,
                          preexec_fn=None if asan else limit_memory)


def main():
    exe, replay, folder, layouts = sys.argv[1:5]
    asan = sanitized(exe)
    files = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith('.xml'))
    if not files:
        raise SystemExit('no regression files in ' + folder)
    failures = []
    for path in files:
        name = os.path.basename(path)
        runs = [('check', [exe, 'check', '-q', path], None)]
        for extra in ([], ['--layout', os.path.join(layouts, 'a4-landscape.xml'), '--pdfa']):
            runs.append(('build ' + ' '.join(extra[-1:]), [exe, 'build', path, '-q'] + extra, True))
        for label, cmd, builds in runs:
            with tempfile.TemporaryDirectory() as out:
                if builds:
                    cmd = cmd + ['-o', out]
                try:
                    p = run(cmd, asan)
                except subprocess.TimeoutExpired:
                    failures.append('%s: %s did not finish in 300 s' % (name, label))
                    continue
                err = p.stderr.decode('utf-8', 'replace')
                if p.returncode < 0:
                    failures.append('%s: %s died of %s' % (name, label, signal.Signals(-p.returncode).name))
                    continue
                if p.returncode not in (0, 1):
                    failures.append('%s: %s exited %d:\n%s' % (name, label, p.returncode, err[-2000:]))
                    continue
                if p.returncode == 1 and ': error: ' not in err:
                    failures.append('%s: %s exited 1 without an error message' % (name, label))
                for line in err.splitlines():
                    if not DIAG.match(line):
                        failures.append('%s: %s printed %r' % (name, label, line[:200]))
                        break
                if builds:
                    left = sorted(os.listdir(out))
                    want = [] if p.returncode else sorted(
                        f for f in left if not f.startswith('.') and f.rsplit('.', 1)[-1] in ('pdf', 'xlsx', 'ods'))
                    if left != want or (p.returncode == 0 and len(left) != 3):
                        failures.append('%s: %s exited %d and left %s' % (name, label, p.returncode, left))
    try:
        p = run([replay, '--every-option'] + files, asan, timeout=800)
        if p.returncode != 0:
            failures.append('fuzz_replay exited %d:\n%s' % (p.returncode, p.stderr.decode('utf-8', 'replace')[-3000:]))
    except subprocess.TimeoutExpired:
        failures.append('fuzz_replay did not finish in 800 s')
    for f in failures:
        print('FAIL:', f)
    print('%d regression files, %d failures' % (len(files), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
