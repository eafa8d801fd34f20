#!/usr/bin/python3
"""Runs the layout fuzz target's regression files (tests/data/regress-layout: plain layouts and
label files that once crashed or hung it) and its seed corpus (tests/fuzz/corpus-layout: fuzz
inputs, an option byte then the file) through the program and through the target's own code.

For each file: `build --layout FILE` of a small round, and, with the file as the label file of
each language (a copy of the data folder in TASEURANTA_DATA), `check` and `build` of a round in
that language.  Each must exit 0 or 1, never die of a signal, print only FILE:LINE:COLUMN
diagnostics, and leave the three outputs (status 0) or nothing (status 1).  Then
fuzz_layout_replay runs the corpus as it is and every file under every option byte
(--every-option); it must exit 0.

usage: run_regress_layout.py TASEURANTA FUZZ_LAYOUT_REPLAY SOURCE_DIR REGRESS_DIR CORPUS_DIR"""
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

DIAG = re.compile(r'^[^:]+(:\d+:\d+)?: (error|warning): ')
ROUNDS = {'fi': 'parser-fi.xml', 'sv': 'sv-round.xml', 'en': 'en-round.xml'}


def sanitized(exe):
    with open(exe, 'rb') as f:
        return b'__asan_init' in f.read()


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run(cmd, asan, env=None, timeout=300):
    env = dict(env or os.environ, SOURCE_DATE_EPOCH='1600000000')
    return subprocess.run(cmd, capture_output=True, timeout=timeout, env=env,
                          preexec_fn=None if asan else limit_memory)


def judge(name, label, p, out, failures):
    err = p.stderr.decode('utf-8', 'replace')
    if p.returncode < 0:
        failures.append('%s: %s died of %s' % (name, label, signal.Signals(-p.returncode).name))
        return
    if p.returncode not in (0, 1):
        failures.append('%s: %s exited %d:\n%s' % (name, label, p.returncode, err[-2000:]))
        return
    if p.returncode == 1 and ': error: ' not in err:
        failures.append('%s: %s exited 1 without an error message' % (name, label))
    for line in err.splitlines():
        if not DIAG.match(line):
            failures.append('%s: %s printed %r' % (name, label, line[:200]))
            break
    if out is not None:
        left = sorted(os.listdir(out))
        if (p.returncode == 0 and len(left) != 3) or (p.returncode == 1 and left):
            failures.append('%s: %s exited %d and left %s' % (name, label, p.returncode, left))


def main():
    exe, replay, src, regress, corpus = sys.argv[1:6]
    asan = sanitized(exe)
    work = tempfile.mkdtemp(prefix='ts-regress-layout-')
    failures = []
    try:
        plain = []
        for f in sorted(os.listdir(regress)):
            if f.endswith('.xml'):
                plain.append(os.path.join(regress, f))
        raw = sorted(os.path.join(corpus, f) for f in os.listdir(corpus))
        for path in raw:
            with open(path, 'rb') as f:
                data = f.read()[1:]
            stripped = os.path.join(work, 'corpus-' + os.path.basename(path) + '.xml')
            with open(stripped, 'wb') as f:
                f.write(data)
            plain.append(stripped)
        if not plain:
            raise SystemExit('no regression files in ' + regress)
        data = os.path.join(work, 'data')
        shutil.copytree(os.path.join(src, 'layouts'), os.path.join(data, 'layouts'))
        os.symlink(os.path.join(src, 'fonts'), os.path.join(data, 'fonts'))
        labels = os.path.join(data, 'layouts', 'labels')
        shipped = {lang: open(os.path.join(labels, lang + '.xml'), 'rb').read() for lang in ROUNDS}
        for path in plain:
            name = os.path.basename(path)
            rnd = os.path.join(src, 'tests', 'data', 'valid', ROUNDS['fi'])
            with tempfile.TemporaryDirectory(dir=work) as out:
                try:
                    p = run([exe, 'build', rnd, '-q', '-o', out, '--layout', path], asan)
                    judge(name, 'build --layout', p, out, failures)
                except subprocess.TimeoutExpired:
                    failures.append('%s: build --layout did not finish in 300 s' % name)
            for lang, rfile in ROUNDS.items():
                shutil.copyfile(path, os.path.join(labels, lang + '.xml'))
                env = dict(os.environ, TASEURANTA_DATA=data)
                rnd = os.path.join(src, 'tests', 'data', 'valid', rfile)
                for label, extra in (('check', None), ('build', [])):
                    with tempfile.TemporaryDirectory(dir=work) as out:
                        cmd = [exe, 'check', '-q', rnd] if extra is None else \
                            [exe, 'build', rnd, '-q', '-o', out]
                        try:
                            p = run(cmd, asan, env=env)
                            judge(name, '%s as %s.xml' % (label, lang), p,
                                  None if extra is None else out, failures)
                        except subprocess.TimeoutExpired:
                            failures.append('%s: %s as %s.xml did not finish in 300 s' %
                                            (name, label, lang))
                with open(os.path.join(labels, lang + '.xml'), 'wb') as f:
                    f.write(shipped[lang])
        for args in ([replay] + raw, [replay, '--every-option'] + plain):
            try:
                p = run(args, asan, timeout=800)
                if p.returncode != 0:
                    failures.append('%s exited %d:\n%s' % (' '.join(args[:2]), p.returncode,
                                                          p.stderr.decode('utf-8', 'replace')[-3000:]))
            except subprocess.TimeoutExpired:
                failures.append('fuzz_layout_replay did not finish in 800 s')
    finally:
        shutil.rmtree(work)
    for f in failures:
        print('FAIL:', f)
    print('%d files, %d failures' % (len(plain), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
