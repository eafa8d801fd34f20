#!/usr/bin/python3
"""The command line of outputs.md section 3: exit statuses, usage errors, --help, check.

usage: check_cli.py TASEURANTA DATA_DIR"""
import os
import re
import subprocess
import sys
import tempfile

failures = []


def run(exe, *args):
    r = subprocess.run([exe] + list(args), capture_output=True, timeout=60)
    return r.returncode, r.stdout.decode(), r.stderr.decode()


def expect(cond, what):
    if not cond:
        failures.append(what)


def main():
    exe, data = sys.argv[1:3]
    valid = os.path.join(data, 'valid', 'parser-fi.xml')
    invalid = os.path.join(data, 'invalid', 'progress-101.xml')

    rc, out, err = run(exe, '--help')
    expect(rc == 0 and err == '', '--help: exit %d, stderr %r' % (rc, err))
    for words in ['taseuranta build ROUND...', '-o, --output DIR', '--format LIST', '--layout FILE',
                  '--pdfa', '--strict', '-j, --jobs N', '-q, --quiet', 'taseuranta check',
                  'taseuranta new-round ROUND.xml -o FILE', '--date YYYY-MM-DD', '--version',
                  'taseuranta form ROUND -o FORM', 'taseuranta import BOOK',
                  'A ROUND is a round file (.xml) or a form (.xlsx, .ods)']:
        expect(words in out, '--help lacks %r' % words)
    expect('untagged' not in out, '--help shows the hidden --untagged')
    rc, out2, _ = run(exe, 'check', '--help')
    expect(rc == 0 and out2 == out, 'check --help differs from --help')

    rc, out, err = run(exe, '--version')
    expect(rc == 0 and out.startswith('taseuranta ') and out.strip() != 'taseuranta', '--version: %r' % out)

    for args, text in [((), 'no command given'), (('frobnicate',), "unknown command 'frobnicate'"),
                       (('check',), 'check needs at least one round file'),
                       (('check', '--pdfa', valid), "unknown option '--pdfa' for this command"),
                       (('build', '-x', valid), "unknown option '-x' for this command"),
                       (('build', '-j', 'many', valid), "-j takes a number of jobs from 1 to 256, not 'many'"),
                       (('build', '-j'), "option '--jobs' needs a value (N)"),
                       (('build', '--format', 'pdf,docx', valid), "not 'pdf,docx'"),
                       (('build', '--pdfa=yes', valid), "option '--pdfa' takes no value"),
                       (('new-round', valid), 'new-round needs -o NEXT.xml'),
                       (('new-round', valid, '-o', 'x.xml', '--date', '2021-02-29'), "--date takes a date as YYYY-MM-DD, not '2021-02-29'"),
                       (('new-round', valid, valid, '-o', 'x.xml'), 'new-round takes one round file'),
                       (('--bogus',), "unknown option '--bogus'")]:
        rc, out, err = run(exe, *args)
        expect(rc == 2, '%s: exit %d, not 2' % (' '.join(args), rc))
        expect(text in err, '%s: stderr %r lacks %r' % (' '.join(args), err, text))
        expect("try 'taseuranta --help'" in err, '%s: no hint to --help' % ' '.join(args))
        expect(out == '', '%s: printed on stdout' % ' '.join(args))

    rc, out, err = run(exe, 'check', valid)
    expect(rc == 0 and out == '' and re.fullmatch(re.escape(valid) + r': ok, \d+ measures?, no warnings\n', err),
           'check of a valid file: %d %r' % (rc, err))
    rc, out, err = run(exe, 'check', '-q', valid)
    expect(rc == 0 and out == '' and err == '', 'check -q of a valid file: %d %r' % (rc, err))
    rc, out, err = run(exe, 'check', '-q', valid, invalid)
    expect(rc == 1 and out == '', 'check with one broken file: exit %d' % rc)
    expect(err.startswith(invalid + ':24:30: error: progress="101"'), 'check: %r' % err)
    rc, out, err = run(exe, 'check', '-q', '--', '/nonexistent.xml')
    expect(rc == 1 and err == '/nonexistent.xml: error: cannot read: No such file or directory\n',
           'unreadable file: %d %r' % (rc, err))

    # warnings: exit 0 without --strict, 1 with it; diagnostics sorted by file and line
    with tempfile.TemporaryDirectory() as tmp:
        base = open(valid, encoding='utf-8').read()
        warn = os.path.join(tmp, 'b-warn.xml')
        with open(warn, 'w', encoding='utf-8') as f:
            f.write(base.replace('<owner>Pekka Pouta</owner>', '')
                        .replace('<forecast round="3" status="achieved"/>', ''))
        rc, out, err = run(exe, 'check', '-q', warn)
        lines = err.splitlines()
        expect(rc == 0 and len(lines) == 2 and all(': warning: ' in l for l in lines), 'warnings: %d %r' % (rc, err))
        rc, out, err = run(exe, 'check', '--strict', warn)
        expect(rc == 1, 'check --strict with warnings: exit %d' % rc)
        rc, out, err = run(exe, 'check', '-q', warn, invalid)
        lines = err.splitlines()
        expect(rc == 1 and len(lines) == 3, 'two files: %r' % err)
        # files in the order given, lines in order within a file; a path's sort order is no
        # part of it (CI's checkout sorts before /tmp, a developer's may sort after it)
        order = {warn: 0, invalid: 1}
        keys = [(order.get(l.split(':')[0], 2), int(l.split(':')[1])) for l in lines]
        expect(keys == sorted(keys) and 2 not in [k[0] for k in keys],
               'diagnostics not in file then line order: %r' % lines)

    for f in failures:
        print('FAIL', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
