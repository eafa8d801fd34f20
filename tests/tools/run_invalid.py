#!/usr/bin/python3
"""Runs `taseuranta check` on every broken round file in a folder and checks what it says.

Each NAME.expect beside NAME.xml (or, with `generate: KIND`, a file this script writes) says:
    # what the file breaks
    xsd: invalid | valid | skip     what `xmllint --schema round-1.xsd` must say of it
    errors: N                       (optional) exactly N errors
    LINE:COL: error: TEXT           a diagnostic at that line and column containing TEXT
    LINE: error: TEXT               ... at that line (any column)
    -: error: TEXT                  ... about the whole file (no position)
The program must exit with status 1, print nothing on standard output, print every line of
standard error as FILE:LINE:COLUMN: error|warning: ..., and stay within time and memory.

usage: run_invalid.py TASEURANTA INVALID_DIR [XSD]"""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

GEN_DEPTH = 10000


def generate(kind, base, tmp):
    path = os.path.join(tmp, kind + '.xml')
    if kind == 'deep-nesting':
        text = ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- %d levels -->\n<round>' % GEN_DEPTH +
                '<p>' * GEN_DEPTH + '</p>' * GEN_DEPTH + '</round>\n')
    elif kind == 'huge-attribute':
        text = base.replace('<theme id="uudistuvat">', '<theme id="%s">' % ('x' * 70000))
        text = text.replace('theme="uudistuvat"', 'theme="kasvu"')
    elif kind == 'text-too-long':
        text = base.replace('<statement>Helsingissä', '<statement>' + 'sana ' * (9 * 1024 * 1024 // 5) + 'Helsingissä')
    elif kind == 'too-many-children':
        text = base.replace('<statement>Helsingissä', '<statement>' + '<b/>' * 1000001 + 'Helsingissä')
    elif kind == 'doctype-marker':
        marker = os.path.join(tmp, 'marker.txt')
        with open(marker, 'w') as f:
            f.write('MARKER-7f3a9\n')
        text = base.replace('<round format', '<!DOCTYPE round [<!ENTITY m SYSTEM "marker.txt">]>\n<round format')
        text = text.replace('<city>Helsinki</city>', '<city>&m;</city>')
    elif kind in ('attribute-flood-10k', 'attribute-flood-1m'):
        n = 10000 if kind.endswith('10k') else 1000000
        text = base.replace('<city>', '<city%s>' % ''.join(' a%d="x"' % i for i in range(n)))
    elif kind == 'unknown-attribute-on-every-theme':
        themes = ''.join('<theme id="t%d" colour="red">T</theme>' % i for i in range(10000))
        text = base.replace('<theme id="kasvu">', themes + '<theme id="kasvu">')
    elif kind == 'file-too-large':
        with open(path, 'w') as f:
            f.write(base)
        os.truncate(path, 64 * 1024 * 1024 + 1)
        return path
    else:
        raise SystemExit('unknown generator ' + kind)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)
    return path


def parse_expect(path):
    exp = {'xsd': 'skip', 'errors': None, 'generate': None, 'diags': []}
    for line in open(path, encoding='utf-8'):
        line = line.rstrip('\n')
        if not line or line.startswith('#'):
            continue
        m = re.match(r'^(xsd|errors|generate): (.*)$', line)
        if m:
            exp[m.group(1)] = int(m.group(2)) if m.group(1) == 'errors' else m.group(2)
            continue
        m = re.match(r'^(-|\d+)(?::(\d+))?: (error|warning): (.*)$', line)
        if not m:
            raise SystemExit('%s: cannot read expectation %r' % (path, line))
        exp['diags'].append((m.group(1), m.group(2), m.group(3), m.group(4)))
    return exp


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def main():
    exe, folder = sys.argv[1], sys.argv[2]
    xsd = sys.argv[3] if len(sys.argv) > 3 else None
    xmllint = shutil.which('xmllint')
    # AddressSanitizer reserves terabytes of address space: no address-space cap for it.
    with open(exe, 'rb') as f:
        sanitized = b'__asan_init' in f.read()
    base = open(os.path.join(folder, 'base.round'), encoding='utf-8').read()
    names = sorted(f[:-7] for f in os.listdir(folder) if f.endswith('.expect'))
    failures = []
    tmp = tempfile.mkdtemp(prefix='ts-invalid-')
    try:
        for name in names:
            exp = parse_expect(os.path.join(folder, name + '.expect'))
            path = generate(exp['generate'], base, tmp) if exp['generate'] else os.path.join(folder, name + '.xml')
            try:
                # -q: only diagnostics, without the closing line (tests/tools/test_cli.py)
                res = subprocess.run([exe, 'check', '-q', path], capture_output=True, timeout=60,
                                     preexec_fn=None if sanitized else limit_memory)
            except subprocess.TimeoutExpired:
                failures.append('%s: check did not finish in 60 s' % name)
                continue
            err = res.stderr.decode('utf-8', 'replace')
            problems = []
            if res.returncode != 1:
                problems.append('exit status %d, not 1' % res.returncode)
            if res.stdout:
                problems.append('standard output is not empty: %r' % res.stdout[:200])
            lines = [l for l in err.split('\n') if l]
            fmt = re.compile(re.escape(path) + r'(:\d+:\d+)?: (error|warning): .+$')
            for l in lines:
                if not fmt.match(l):
                    problems.append('not a FILE:LINE:COLUMN diagnostic: %r' % l[:300])
            for line, col, sev, text in exp['diags']:
                if line == '-':
                    prefix = '%s: %s: ' % (path, sev)
                elif col:
                    prefix = '%s:%s:%s: %s: ' % (path, line, col, sev)
                else:
                    prefix = None
                    pat = re.compile(re.escape(path) + ':' + line + r':\d+: ' + sev + ': ')
                found = any((l.startswith(prefix) if prefix else pat.match(l)) and text in l for l in lines)
                if not found:
                    problems.append('missing %s:%s: %s: ...%s...' % (line, col or '*', sev, text))
            n_err = sum(1 for l in lines if ': error: ' in l)
            if exp['errors'] is not None and n_err != exp['errors']:
                problems.append('%d errors, expected %d' % (n_err, exp['errors']))
            if exp['generate'] == 'doctype-marker' and 'MARKER-7f3a9' in err:
                problems.append('the content of the file named by the DOCTYPE leaked into the output')
            if xsd and xmllint and exp['xsd'] != 'skip':
                x = subprocess.run([xmllint, '--noout', '--nonet', '--schema', xsd, path],
                                   capture_output=True, timeout=60)
                if exp['xsd'] == 'invalid' and x.returncode == 0:
                    problems.append('the XSD accepts the file, the parser refuses it')
                if exp['xsd'] == 'valid' and x.returncode != 0:
                    problems.append('the XSD refuses what only the parser can check: %s'
                                    % x.stderr.decode('utf-8', 'replace')[:300])
            if problems:
                failures.append('%s:\n    %s\n  stderr was:\n%s' % (name, '\n    '.join(problems), err[:2000]))
            if exp['generate']:
                os.remove(path)
    finally:
        shutil.rmtree(tmp)
    for f in failures:
        print('FAIL', f)
    print('%d of %d invalid files refused as expected' % (len(names) - len(failures), len(names)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
