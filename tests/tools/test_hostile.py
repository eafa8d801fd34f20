#!/usr/bin/python3
"""Hostile and extreme inputs through the whole `taseuranta build`, and outputs that appear whole
or not at all.  Each case runs the program with a time limit and (outside AddressSanitizer,
which reserves terabytes of address space) an address-space limit, and checks what it wrote.

usage: test_hostile.py TASEURANTA SOURCE_DIR CASE

Inputs are grown from tests/data/hostile/base.xml at test time (its MARK-... markers replaced).
Cases: doctype billion_laughs deep_nesting huge_file big_paragraph bad_bytes unicode long_id
many_tasks unwritable disk_full file_size_limit cell_too_long symlinks set_rollback signals
full_tmp"""
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

EXE, SRC, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
BASE = open(os.path.join(SRC, 'tests', 'data', 'hostile', 'base.xml'), encoding='utf-8').read()
ENV = dict(os.environ, SOURCE_DATE_EPOCH='1592222400')
ENV.pop('TASEURANTA_DATA', None)
# LeakSanitizer stops the world with ptrace, which a process already under strace cannot do.
TRACE_ENV = dict(ENV, ASAN_OPTIONS=(os.environ.get('ASAN_OPTIONS', '') + ':detect_leaks=0').lstrip(':'))
with open(EXE, 'rb') as _f:
    SANITIZED = b'__asan_init' in _f.read()
SLOW = 8 if SANITIZED else 1  # time limits stretch under the sanitizers
DIAG = re.compile(r'^(?P<file>[^:]+)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<sev>error|warning): ')
STEM = 'kuva-2020-2'
OUTPUTS = [STEM + '.pdf', STEM + '.xlsx', STEM + '.ods']


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def round_text(name='', text='', tasks=''):
    return (BASE.replace('MARK-NAME', name).replace('MARK-TEXT', text)
            .replace('MARK-TASKS', tasks))


def write(folder, name, data):
    path = os.path.join(folder, name)
    with open(path, 'wb') as f:
        f.write(data.encode('utf-8') if isinstance(data, str) else data)
    return path


def line_of(data, needle):
    """The 1-based line of the first occurrence of needle in data (bytes or str)."""
    i = data.index(needle)
    return data[:i].count(b'\n' if isinstance(data, bytes) else '\n') + 1


class Result:
    def __init__(self, p, seconds, peak_kb):
        self.rc = p.returncode
        self.err = p.stderr.decode('utf-8', 'replace')
        self.out = p.stdout.decode('utf-8', 'replace')
        self.seconds = seconds
        self.peak_kb = peak_kb


def run(args, timeout=60, mem_mb=1024, user=None, fsize=None, cwd=None, env=None):
    """Runs the program; mem_mb caps its address space (not under ASan), fsize its file size.
    Returns a Result with the wall time and the peak resident size of the child."""
    def limits():
        if not SANITIZED and mem_mb:
            resource.setrlimit(resource.RLIMIT_AS, (mem_mb << 20, mem_mb << 20))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    cmd = [EXE] + args
    if user is not None:
        cmd = ['setpriv', '--reuid=%d' % user, '--regid=%d' % user, '--clear-groups'] + cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, env=env or ENV, timeout=timeout * SLOW,
                           preexec_fn=limits, cwd=cwd)
    except subprocess.TimeoutExpired:
        fail('%s did not finish in %d s' % (' '.join(args)[:200], timeout * SLOW))
    seconds = time.monotonic() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    r = Result(p, seconds, peak if peak > before else None)
    expect(r.rc >= 0, '%s died of signal %d:\n%s' % (' '.join(args)[:200], -r.rc, r.err[-2000:]))
    expect(r.out == '', 'printed on standard output: %r' % r.out[:200])
    for line in r.err.splitlines():
        # Beside the diagnostics: a line per round, the batch's summary, and libxlsxwriter's
        # own "[ERROR] ..." lines, which it prints when a write fails (it cannot be
        # silenced without taking stderr from every thread).
        expect(DIAG.match(line) or re.match(r'^\S.*: (built|failed)( |$)', line) or
               re.match(r'^taseuranta: \d+ of \d+ rounds built', line) or
               line == 'taseuranta: nothing was written' or
               (r.rc == 3 and line.startswith('[ERROR]')),
               'a line of standard error is not FILE:LINE:COLUMN: error|warning: %r' % line[:300])
    return r


def listing(folder):
    return sorted(os.listdir(folder))


def expect_nothing_written(folder, r, what):
    expect(listing(folder) == [], '%s: exit %d and left %s' % (what, r.rc, listing(folder)))


def expect_refused(r, folder, what, message, line=None):
    expect(r.rc == 1, '%s: exit %d, not 1:\n%s' % (what, r.rc, r.err[-1500:]))
    errors = [m for m in map(DIAG.match, r.err.splitlines()) if m and m.group('sev') == 'error']
    expect(errors, '%s: no error message' % what)
    hit = [m for m in errors if re.search(message, m.string)]
    expect(hit, '%s: no error matching %r in:\n%s' % (what, message, r.err[-1500:]))
    if line is not None:
        expect(any(m.group('line') == str(line) for m in hit),
               '%s: the error is not at line %d:\n%s' % (what, line, r.err[-1500:]))
    expect_nothing_written(folder, r, what)


def expect_built(r, folder, what):
    expect(r.rc == 0, '%s: exit %d:\n%s' % (what, r.rc, r.err[-2000:]))
    expect(listing(folder) == sorted(OUTPUTS), '%s: wrote %s' % (what, listing(folder)))


def pdftotext(path):
    return subprocess.run(['pdftotext', '-enc', 'UTF-8', path, '-'], capture_output=True,
                          check=True).stdout.decode('utf-8')


def pdf_pages(path):
    info = subprocess.run(['pdfinfo', path], capture_output=True, check=True).stdout.decode()
    return int(re.search(r'Pages:\s+(\d+)', info).group(1))


def qpdf_clean(path):
    q = subprocess.run(['qpdf', '--check', path], capture_output=True)
    out = (q.stdout + q.stderr).decode('utf-8', 'replace')
    expect(q.returncode == 0 and 'WARNING' not in out, 'qpdf --check: %s' % out[-800:])


def zip_member(path, name):
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode('utf-8')


# ---- Hostile inputs -------------------------------------------------------------------------

def case_doctype(tmp):
    marker = write(tmp, 'secret.txt', 'MARKER-SECRET-4711\n')
    dtd = write(tmp, 'evil.dtd', '<!ENTITY x "MARKER-DTD-4711">\n')
    out = os.path.join(tmp, 'out')
    text = round_text().replace(
        '<round format', '<!DOCTYPE round SYSTEM "%s" [\n<!ENTITY s SYSTEM "file://%s">\n'
        '<!ENTITY %% p SYSTEM "%s"> %%p;\n]>\n<round format' % (dtd, marker, dtd), 1)
    text = text.replace('<city>Helsinki</city>', '<city>&s;&x;</city>')
    path = write(tmp, 'doctype.xml', text)
    cmd = ['build', path, '-o', out]
    if shutil.which('strace'):
        trace = os.path.join(tmp, 'trace')
        p = subprocess.run(['strace', '-f', '-qq', '-e', 'trace=open,openat,openat2,stat,newfstatat,'
                            'statx,access,readlink', '-o', trace, EXE] + cmd,
                           capture_output=True, env=TRACE_ENV, timeout=60 * SLOW)
        expect(p.returncode == 1, 'DOCTYPE under strace: exit %d' % p.returncode)
        seen = open(trace, encoding='utf-8', errors='replace').read()
        for f in (marker, dtd):
            expect(f not in seen, 'the program touched %s:\n%s' % (f, [l for l in seen.splitlines() if f in l]))
        shutil.rmtree(out, ignore_errors=True)
    r = run(cmd, timeout=20, mem_mb=512)
    expect_refused(r, out, 'DOCTYPE', r'DOCTYPE', line=line_of(text, '<!DOCTYPE'))
    expect('MARKER' not in r.err, 'an entity was expanded into a message')
    # the same in a layout given with --layout
    layout = open(os.path.join(SRC, 'layouts', 'helsinki.xml'), encoding='utf-8').read()
    layout = layout.replace('<layout ', '<!DOCTYPE layout [<!ENTITY s SYSTEM "file://%s">]>\n<layout ' % marker, 1)
    layout = layout.replace('</layout>', '&s;</layout>')
    lpath = write(tmp, 'layout.xml', layout)
    cmd = ['build', os.path.join(SRC, 'tests', 'data', 'valid', 'minimal.xml'), '-o', out,
           '--layout', lpath]
    if shutil.which('strace'):
        trace = os.path.join(tmp, 'trace2')
        subprocess.run(['strace', '-f', '-qq', '-e', 'trace=open,openat,openat2', '-o', trace, EXE] + cmd,
                       capture_output=True, env=TRACE_ENV, timeout=60 * SLOW)
        expect(marker not in open(trace, encoding='utf-8', errors='replace').read(),
               'the program opened the file an entity of the layout names')
        shutil.rmtree(out, ignore_errors=True)
    r = run(cmd, timeout=20, mem_mb=512)
    expect(r.rc == 1 and re.search(r'layout\.xml:\d+:\d+: error: .*DOCTYPE', r.err),
           'a layout with a DOCTYPE: exit %d:\n%s' % (r.rc, r.err))
    expect(not os.path.exists(out) or listing(out) == [], 'a refused layout left files')


def case_billion_laughs(tmp):
    ents = ['<!ENTITY l0 "ha">'] + ['<!ENTITY l%d "%s">' % (i, ('&l%d;' % (i - 1)) * 10)
                                   for i in range(1, 10)]
    text = round_text().replace('<round format', '<!DOCTYPE round [\n%s\n]>\n<round format'
                                % '\n'.join(ents), 1).replace('<city>Helsinki</city>', '<city>&l9;</city>')
    path = write(tmp, 'laughs.xml', text)
    out = os.path.join(tmp, 'out')
    r = run(['build', path, '-o', out], timeout=10, mem_mb=256)
    expect_refused(r, out, 'billion laughs', r'DOCTYPE')
    expect(r.seconds < 5 * SLOW, 'billion laughs took %.1f s' % r.seconds)


def case_deep_nesting(tmp):
    depth = 10000
    text = round_text(text='<p>' + '<b>' * depth + 'syvä' + '</b>' * depth + '</p>')
    path = write(tmp, 'deep.xml', text)
    out = os.path.join(tmp, 'out')
    r = run(['build', path, '-o', out], timeout=20, mem_mb=512)
    expect_refused(r, out, '10,000 levels', r'nested more than \d+ deep', line=line_of(text, '<b>'))


def case_huge_file(tmp):
    path = write(tmp, 'huge.xml', round_text())
    os.truncate(path, 100 * 1024 * 1024)  # sparse: the disk holds only the round
    out = os.path.join(tmp, 'out')
    r = run(['build', path, '-o', out], timeout=10, mem_mb=256)
    expect_refused(r, out, '100 MB file', r'the file is 104857600 bytes; the cap is 64 MiB')
    expect(r.seconds < 3 * SLOW, 'refusing a 100 MB file took %.1f s (was it read?)' % r.seconds)


def big_paragraph(words):
    return ' '.join('sana%d' % i for i in range(words))


def case_big_paragraph(tmp):
    para = big_paragraph(130000)[:1 << 20]
    para = para[:para.rindex(' ')]
    last = para.rsplit(' ', 1)[1]
    text = round_text(text='<p>' + para + '</p>')
    expect(len(text) > 1 << 20, 'the paragraph is not 1 MB')
    path = write(tmp, 'para.xml', text)
    # the PDF alone: the text continues over many slides, none of it lost
    out = os.path.join(tmp, 'pdf')
    r = run(['build', path, '-o', out, '--format', 'pdf'], timeout=120, mem_mb=2048)
    expect(r.rc == 0 and listing(out) == [STEM + '.pdf'], 'PDF of a 1 MB paragraph: exit %d, %s:\n%s'
           % (r.rc, listing(out), r.err[-1500:]))
    pdf = os.path.join(out, STEM + '.pdf')
    pages = pdf_pages(pdf)
    expect(pages > 100, 'a 1 MB paragraph on only %d slides' % pages)
    words = set(re.findall(r'sana\d+', pdftotext(pdf)))
    want = set(para.split(' '))
    expect(want <= words, '%d words of the paragraph are missing from the PDF, e.g. %s'
           % (len(want - words), sorted(want - words)[:5]))
    expect(last in words, 'the last word %s is missing' % last)
    qpdf_clean(pdf)
    print('1 MB paragraph: %d slides in %.1f s' % (pages, r.seconds))
    # every format: the cell is too long for a spreadsheet, so the run writes nothing
    out = os.path.join(tmp, 'all')
    r = run(['build', path, '-o', out], timeout=120, mem_mb=2048)
    expect_refused(r, out, '1 MB paragraph in a workbook', r'32,?767', line=line_of(text, '<text>'))


def case_bad_bytes(tmp):
    base = round_text().encode('utf-8')
    needle = b'<title>Nuoret</title>'
    line = line_of(base, needle)
    col = len(base[:base.index(needle)].rsplit(b'\n', 1)[1].decode()) + len('<title>Nuo') + 1
    for name, bad, message in (
            ('invalid UTF-8', b'\xff\xfe', r'not UTF-8'),
            ('overlong UTF-8', b'\xc0\xaf', r'not UTF-8'),
            ('a UTF-16 surrogate', b'\xed\xa0\x80', r'not UTF-8'),
            ('a NUL byte', b'\x00', r'NUL'),
            ('a control character', b'\x1b[2J', r'U\+001B'),
            ('a character reference to a control', b'&#x1;', r'(U\+0001|not allowed|invalid)'),
            ('U+FFFE', '\ufffe'.encode('utf-8'), r'U\+FFFE')):
        path = write(tmp, 'bad.xml', base.replace(needle, b'<title>Nuo' + bad + b'ret</title>'))
        out = os.path.join(tmp, 'out-' + str(len(os.listdir(tmp))))
        r = run(['build', path, '-o', out], timeout=20, mem_mb=512)
        expect_refused(r, out, name, message, line=line)
        m = [m for m in map(DIAG.match, r.err.splitlines()) if m and m.group('line') == str(line)]
        expect(any(col <= int(x.group('col')) <= col + len(bad) for x in m),
               '%s: not at column %d:\n%s' % (name, col, r.err))
        expect('\x1b' not in r.err, '%s: an escape character reached the terminal' % name)


def case_unicode(tmp):
    # Beyond the BMP (with and without a glyph), characters no font has, controls XML allows,
    # bidirectional controls and a private-use character.
    title = 'Nuoret 😀 𝔘𓀀 中文 x\u007fy\u0085z \u202eabc\u202c \ue000 end'
    no_font = ['\U0001D518', '\U00013000', '\u4e2d', '\u6587', '\ue000']
    text = round_text().replace('<title>Nuoret</title>', '<title>%s</title>' % title)
    line = line_of(text, '<title>Nuoret ')
    path = write(tmp, 'uni.xml', text)
    out = os.path.join(tmp, 'out')
    r = run(['build', path, '-o', out], timeout=60, mem_mb=1024)
    expect_built(r, out, 'characters beyond the BMP and without a glyph')
    warned = {}
    for m in map(DIAG.match, r.err.splitlines()):
        if m and m.group('sev') == 'warning':
            c = re.search(r'no font has the character U\+([0-9A-F]{4,6})', m.string)
            if c:
                warned[chr(int(c.group(1), 16))] = m
    for ch in no_font:
        expect(ch in warned, 'no warning for U+%04X:\n%s' % (ord(ch), r.err))
        expect(warned[ch].group('line') == str(line) and warned[ch].group('file').endswith('uni.xml'),
               'the warning for U+%04X is not at %s:%d: %s' % (ord(ch), path, line, warned[ch].string))
    pdf = os.path.join(out, STEM + '.pdf')
    shown = pdftotext(pdf)
    expect('\ufffd' in shown, 'no U+FFFD mark drawn for the missing characters')
    expect('Nuoret' in shown and 'end' in shown, 'the title is not in the PDF')
    import pikepdf
    actual = []
    with pikepdf.open(pdf) as doc:
        for obj in doc.objects:
            if isinstance(obj, pikepdf.Dictionary) and '/ActualText' in obj:
                actual.append(str(obj.ActualText))
    joined = ''.join(actual)
    for ch in no_font:
        expect(ch in joined, 'no /ActualText holds U+%04X (ActualTexts: %r)' % (ord(ch), actual[:10]))
    # the workbooks hold the text as it was written
    sheet = zip_member(os.path.join(out, STEM + '.xlsx'), 'xl/sharedStrings.xml')
    content = zip_member(os.path.join(out, STEM + '.ods'), 'content.xml')
    for ch in ['😀', '𝔘', '𓀀', '中文', '\u202eabc\u202c', '\ue000']:
        expect(ch in sheet, 'the XLSX lost %r' % ch)
        expect(ch in content, 'the ODS lost %r' % ch)
    expect('\x1b' not in r.err and '\u202e' not in r.err, 'a control character reached the terminal')


def case_long_id(tmp):
    long_id = ('i' * (10000 - 4)) + 'ÄÖ-x'
    expect(len(long_id) == 10000, 'the id is not 10,000 characters')
    text = round_text()
    for old in ('"uudistuvat"', '"liikkeelle"', '"mittari"', '"nuoret"', '"hyte"'):
        text = text.replace(old, '"%s%s"' % (long_id[:-len(old)], old.strip('"')))
    path = write(tmp, 'longid.xml', text)
    out = os.path.join(tmp, 'out')
    r = run(['build', path, '-o', out], timeout=60, mem_mb=1024)
    expect_built(r, out, 'ids of 10,000 characters')
    expect('Liikkumisohjelma' in pdftotext(os.path.join(out, STEM + '.pdf')), 'the PDF lost the measure')


def case_many_tasks(tmp):
    n = 10000
    statuses = ('todo', 'doing', 'done')
    tasks = ''.join('        <task status="%s" progress="%d"><title>Tehtävä %d</title>'
                    '<detail>Yksityiskohta %d</detail></task>\n'
                    % (statuses[i % 3], i % 101, i, i) for i in range(n - 1))
    path = write(tmp, 'tasks.xml', round_text(tasks=tasks))
    out = os.path.join(tmp, 'out')
    r = run(['build', path, '-o', out], timeout=120, mem_mb=2048)
    expect_built(r, out, '10,000 tasks in one target')
    expect(r.seconds < 60 * SLOW, '10,000 tasks took %.1f s' % r.seconds)
    pdf = os.path.join(out, STEM + '.pdf')
    shown = pdftotext(pdf)
    for i in (0, 1, n // 2, n - 2):
        expect('Tehtävä %d\n' % i in shown or 'Tehtävä %d ' % i in shown, 'task %d is not in the PDF' % i)
    qpdf_clean(pdf)
    strings = zip_member(os.path.join(out, STEM + '.xlsx'), 'xl/sharedStrings.xml')
    content = zip_member(os.path.join(out, STEM + '.ods'), 'content.xml')
    for i in (0, n - 2):
        expect('Tehtävä %d<' % i in strings, 'task %d is not in the XLSX' % i)
        expect('Tehtävä %d<' % i in content, 'task %d is not in the ODS' % i)
    peak = ', peak %d MB' % (r.peak_kb // 1024) if r.peak_kb else ''
    print('10,000 tasks: %d slides, all three files in %.1f s%s' % (pdf_pages(pdf), r.seconds, peak))


# ---- Outputs appear whole or not at all -----------------------------------------------------

def sample():
    return os.path.join(SRC, 'tests', 'data', 'valid', 'multi-measure.xml')


def sizes_of_a_build(tmp):
    out = os.path.join(tmp, 'reference')
    r = run(['build', sample(), '-o', out, '-q'])
    expect(r.rc == 0, 'the reference build failed:\n' + r.err)
    return {f: os.path.getsize(os.path.join(out, f)) for f in listing(out)}


def expect_whole_or_nothing(r, folder, names, what):
    left = listing(folder)
    if r.rc == 0:
        expect(left == sorted(names), '%s: exit 0 but the folder holds %s' % (what, left))
    else:
        expect(r.rc == 3, '%s: exit %d, not 3:\n%s' % (what, r.rc, r.err[-1500:]))
        expect(left == [], '%s: exit 3 and left %s' % (what, left))
        expect(re.search(r': error: ', r.err), '%s: no error message' % what)


def case_unwritable(tmp):
    out = os.path.join(tmp, 'ro')
    os.mkdir(out)
    os.chmod(out, 0o555)
    inp = os.path.join(tmp, 'round.xml')
    shutil.copy(sample(), inp)
    os.chmod(tmp, 0o755)
    os.chmod(inp, 0o644)
    user = None
    if os.geteuid() == 0:  # root writes anywhere: become nobody
        if not shutil.which('setpriv'):
            print('SKIP: root without setpriv')
            return
        user = 65534
    r = run(['build', inp, '-o', out], user=user)
    expect(r.rc == 3, 'unwritable folder: exit %d:\n%s' % (r.rc, r.err))
    expect(listing(out) == [], 'files left in an unwritable folder: %s' % listing(out))
    expect(re.search(r'(Permission denied|cannot write|cannot create)', r.err), r.err)
    # a folder that cannot be made
    r = run(['build', inp, '-o', os.path.join(out, 'sub')], user=user)
    expect(r.rc == 3 and not os.path.exists(os.path.join(out, 'sub')),
           'uncreatable folder: exit %d:\n%s' % (r.rc, r.err))


def case_disk_full(tmp):
    sizes = sizes_of_a_build(tmp)
    names = list(sizes)
    mnt = os.path.join(tmp, 'mnt')
    os.mkdir(mnt)
    probe = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt],
                           capture_output=True)
    if probe.returncode != 0:
        print('SKIP: cannot mount a tmpfs here (%s); file_size_limit covers a full disk'
              % probe.stderr.decode().strip())
        return
    subprocess.run(['umount', mnt], check=True)
    # Sizes around each file's end: the build fails in the first, the second, the third writer
    # or not at all.  tmpfs counts whole 4 KiB pages (and a little for the temporary names).
    page = 4096
    pages = {f: -(-s // page) for f, s in sizes.items()}
    order = [f for f in names if f.endswith('.pdf')] + [f for f in names if f.endswith('.xlsx')] + \
            [f for f in names if f.endswith('.ods')]
    budgets, acc = [4], 0
    for f in order:
        budgets += [acc + pages[f] - 1, acc + pages[f] + 1]
        acc += pages[f]
    budgets += [acc + 4, acc + 16]
    outcomes = []
    for b in sorted(set(budgets)):
        subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=%d' % (b * page), 'tmpfs', mnt],
                       check=True)
        try:
            r = run(['build', sample(), '-o', mnt])
            expect_whole_or_nothing(r, mnt, names, 'a disk of %d KiB' % (b * 4))
            outcomes.append(r.rc)
        finally:
            subprocess.run(['umount', mnt], check=True)
    expect(3 in outcomes and 0 in outcomes, 'the sizes tried never both failed and fit: %s' % outcomes)
    print('disk full: %d sizes tried, exits %s' % (len(outcomes), outcomes))


def case_file_size_limit(tmp):
    # ulimit -f: SIGXFSZ is ignored, so a write fails with EFBIG and the run cleans up.
    sizes = sizes_of_a_build(tmp)
    names = list(sizes)
    limits = sorted({1, 4096} | {s // 2 for s in sizes.values()} | {s - 1 for s in sizes.values()} |
                    {max(sizes.values()) + 1})
    outcomes = []
    for lim in limits:
        out = os.path.join(tmp, 'out-%d' % lim)
        os.mkdir(out)
        r = run(['build', sample(), '-o', out], fsize=lim)
        expect_whole_or_nothing(r, out, names, 'a file size limit of %d bytes' % lim)
        outcomes.append(r.rc)
    expect(outcomes[-1] == 0 and outcomes[0] == 3, 'file size limits %s gave %s' % (limits, outcomes))
    # one writer fails after another has succeeded: the first one's file goes too
    small = min(sizes, key=sizes.get)
    big = max(sizes, key=sizes.get)
    fmt = ','.join(f.rsplit('.', 1)[1] for f in (small, big))
    out = os.path.join(tmp, 'second')
    os.mkdir(out)
    r = run(['build', sample(), '-o', out, '--format', fmt], fsize=sizes[small] + 1)
    expect_whole_or_nothing(r, out, [small, big], 'the second writer past the limit')
    expect(r.rc == 3, 'the second writer past the file size limit: exit %d' % r.rc)


def case_cell_too_long(tmp):
    # A round that builds, and one whose cell is too long, in one batch: the good one is
    # written whole, the bad one not at all (not even its PDF, which was written first).
    good = os.path.join(tmp, 'good.xml')
    shutil.copy(sample(), good)
    text = round_text(text='<p>%s</p>' % big_paragraph(5000))
    bad = write(tmp, 'bad.xml', text)
    out = os.path.join(tmp, 'out')
    r = run(['build', good, bad, '-o', out, '-j', '2'], timeout=120)
    expect(r.rc == 1, 'a batch with a cell too long: exit %d:\n%s' % (r.rc, r.err[-1500:]))
    m = [m for m in map(DIAG.match, r.err.splitlines())
         if m and m.group('sev') == 'error' and m.group('file').endswith('bad.xml')]
    expect(m and m[0].group('line') == str(line_of(text, '<text>')) and re.search(r'32,?767', m[0].string),
           'no error at the <text> of bad.xml naming the 32,767 limit:\n' + r.err)
    left = listing(out)
    expect(not any(f.startswith(STEM) or f.startswith('.') for f in left),
           'the refused round left %s' % left)
    expect(len(left) == 3, 'the good round of the batch was not written: %s' % left)


def case_symlinks(tmp):
    # A link where an output goes is replaced, never followed: the file it points to stays.
    victim = write(tmp, 'victim.txt', 'VICTIM\n')
    out = os.path.join(tmp, 'out')
    os.mkdir(out)
    for name in ('kuva-2021-3.pdf', 'kuva-2021-3.xlsx', 'kuva-2021-3.ods'):
        os.symlink(victim, os.path.join(out, name))
    r = run(['build', sample(), '-o', out])
    expect(r.rc == 0, 'build beside links: exit %d:\n%s' % (r.rc, r.err))
    expect(open(victim).read() == 'VICTIM\n', 'a link was followed and its target overwritten')
    for name in listing(out):
        p = os.path.join(out, name)
        expect(not os.path.islink(p) and os.path.getsize(p) > 1000, '%s is still a link or empty' % name)
    expect(len(listing(out)) == 3, 'left %s' % listing(out))


# ---- A round's outputs are one set --------------------------------------------------------

def read_all(folder):
    return {f: open(os.path.join(folder, f), 'rb').read() for f in listing(folder)
            if os.path.isfile(os.path.join(folder, f))}


def expect_set_kept(r, out, before, what):
    """The run failed (exit 3, the final named), and the folder is as it was: every earlier file
    byte for byte, no temporary, backup or lock file."""
    expect(r.rc == 3, '%s: exit %d, not 3:\n%s' % (what, r.rc, r.err[-1500:]))
    expect(re.search(r'kuva-2020-2\.\w+: error: ', r.err), '%s: no error naming the file:\n%s'
           % (what, r.err))
    expect('.tmp' not in r.err, '%s: a message names a temporary file:\n%s' % (what, r.err))
    now = read_all(out)
    expect(sorted(now) == sorted(before), '%s: the folder holds %s, was %s'
           % (what, listing(out), sorted(before)))
    for f in before:
        expect(now[f] == before[f], '%s: %s changed' % (what, f))


def case_set_rollback(tmp):
    # The earlier set: built with another date, so that new files would differ from it.
    out = os.path.join(tmp, 'out')
    os.mkdir(out)
    os.chmod(out, 0o777)
    rnd = os.path.join(tmp, 'round.xml')
    write(tmp, 'round.xml', round_text())
    os.chmod(rnd, 0o644)
    expect_built(run(['build', rnd, '-o', out], env=dict(ENV, SOURCE_DATE_EPOCH='1000000000')),
                 out, 'the earlier set')
    before = read_all(out)
    # 1. A folder at the .xlsx name: the PDF is put in place first, the XLSX rename fails, and
    #    the earlier PDF comes back.
    xlsx = os.path.join(out, STEM + '.xlsx')
    saved_xlsx = before.pop(STEM + '.xlsx')
    os.remove(xlsx)
    os.makedirs(os.path.join(xlsx, 'inside'))
    r = run(['build', rnd, '-o', out])
    expect_set_kept(r, out, before, 'a folder at the .xlsx name')
    expect(os.path.isdir(os.path.join(xlsx, 'inside')), 'the folder at the .xlsx name changed')
    shutil.rmtree(xlsx)
    write(out, STEM + '.xlsx', saved_xlsx)
    before[STEM + '.xlsx'] = saved_xlsx
    # 2. An immutable .ods (when the file system has the attribute): it cannot be replaced.
    ods = os.path.join(out, STEM + '.ods')
    if shutil.which('chattr') and subprocess.run(['chattr', '+i', ods],
                                                 capture_output=True).returncode == 0:
        try:
            r = run(['build', rnd, '-o', out])
            expect_set_kept(r, out, before, 'an immutable .ods')
        finally:
            subprocess.run(['chattr', '-i', ods], check=True)
    else:
        print('SKIP: no immutable files here')
    # 3. A sticky shared folder whose files are another user's: EPERM for each of them.
    if os.geteuid() == 0 and shutil.which('setpriv'):
        os.chmod(out, 0o1777)
        r = run(['build', rnd, '-o', out], user=65534)
        expect_set_kept(r, out, before, 'a sticky folder of another user\'s files')
        expect('Operation not permitted' in r.err, r.err)
    else:
        print('SKIP: not root, so no other user to be')
    # And with nothing in the way the new set replaces the old one whole.
    os.chmod(out, 0o755)
    r = run(['build', rnd, '-o', out])
    expect_built(r, out, 'the set after the faults')
    expect(all(read_all(out)[f] != before[f] for f in before),
           'the new set did not replace the old one')


def big_round(tmp, name, measures):
    path = os.path.join(tmp, name)
    subprocess.run([sys.executable, os.path.join(SRC, 'bench', 'gen-round'), str(measures), path],
                   check=True)
    return path


def default_signals():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, signal.SIG_DFL)


def start_and_stop(args, out, sig, when_temps=1, ignore_hup=False):
    """Starts a build, sends sig once when_temps temporary files exist in out, and returns the
    process's exit status (negative: the signal that ended it) and its standard error."""
    def prepare():
        default_signals()
        if ignore_hup:
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
    p = subprocess.Popen([EXE] + args, env=ENV, stderr=subprocess.PIPE, preexec_fn=prepare)
    deadline = time.monotonic() + 120 * SLOW
    sent = False
    while p.poll() is None and time.monotonic() < deadline:
        if len([f for f in os.listdir(out) if f.endswith('.tmp')]) >= when_temps:
            time.sleep(0.05)
            p.send_signal(sig)
            sent = True
            break
        time.sleep(0.005)
    err = p.communicate(timeout=300 * SLOW)[1].decode('utf-8', 'replace')
    expect(sent, 'the build ended (exit %s) before its temporary files were seen:\n%s'
           % (p.returncode, err[-800:]))
    return p.returncode, err


def case_signals(tmp):
    big = big_round(tmp, 'big.xml', 400)
    stem = 'kuva-2020-3'
    out = os.path.join(tmp, 'out')
    os.mkdir(out)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        rc, err = start_and_stop(['build', big, '-o', out], out, sig, when_temps=3)
        expect(rc == -sig, '%s: exit %s, wanted the signal:\n%s' % (sig.name, rc, err[-800:]))
        expect(listing(out) == [], '%s left %s' % (sig.name, listing(out)))
    # An earlier set stays as it was, and a batch of two under -j 2 leaves no file of either.
    r = run(['build', big, '-o', out, '-q'], timeout=300)
    expect(r.rc == 0, r.err)
    before = read_all(out)
    other = big_round(tmp, 'other.xml', 300)
    text = open(other, encoding='utf-8').read().replace('short="Kuva"', 'short="Muu"', 1)
    write(tmp, 'other.xml', text)
    for sig in (signal.SIGTERM, signal.SIGINT):
        rc, err = start_and_stop(['build', big, other, '-o', out, '-j', '2'], out, sig,
                                 when_temps=6)
        expect(rc == -sig, '-j 2, %s: exit %s:\n%s' % (sig.name, rc, err[-800:]))
        expect(read_all(out) == before, '-j 2, %s: the folder holds %s' % (sig.name, listing(out)))
    # A signal the build was started with ignored (nohup) does not stop it.
    shutil.rmtree(out)
    os.mkdir(out)
    rc, err = start_and_stop(['build', big, '-o', out], out, signal.SIGHUP, ignore_hup=True)
    expect(rc == 0, 'an ignored SIGHUP stopped the build: exit %s:\n%s' % (rc, err[-800:]))
    expect(listing(out) == sorted([stem + '.ods', stem + '.pdf', stem + '.xlsx']),
           'after an ignored SIGHUP: %s' % listing(out))


def case_full_tmp(tmp):
    # /tmp full (a tmpfs of 8 KiB in a mount namespace of the build's own) and TMPDIR pointing
    # into it: the build's scratch lies beside its outputs, so it builds.
    if not shutil.which('unshare'):
        print('SKIP: no unshare')
        return
    probe = subprocess.run(['unshare', '-m', 'sh', '-c',
                            'mount -t tmpfs -o size=8k tmpfs /tmp'], capture_output=True)
    if probe.returncode != 0:
        print('SKIP: cannot make a mount namespace here (%s)' % probe.stderr.decode().strip())
        return
    work = tempfile.mkdtemp(dir=tmp)  # reached through the working folder once /tmp is covered
    os.chmod(work, 0o755)
    shutil.copy(sample(), os.path.join(work, 'round.xml'))
    script = ('cd "$1" && mount -t tmpfs -o size=8k tmpfs /tmp && '
              'head -c 8192 /dev/zero > /tmp/fill 2>/dev/null; mkdir -p /tmp/t 2>/dev/null; '
              'df -k /tmp | tail -1 >&2; '
              'TMPDIR="$2" exec "$3" build round.xml -o out')
    for tmpdir in ('/tmp', '/tmp/t'):
        p = subprocess.run(['unshare', '-m', 'sh', '-c', script, 'sh', work, tmpdir, EXE],
                           capture_output=True, env=ENV, timeout=120 * SLOW)
        err = p.stderr.decode('utf-8', 'replace')
        expect(p.returncode == 0, 'a full /tmp (TMPDIR=%s): exit %d:\n%s' % (tmpdir, p.returncode, err))
        out = os.path.join(work, 'out')
        names = listing(out)
        expect(len(names) == 3 and not any(n.startswith('.') or n.startswith('tmp') for n in names),
               'a full /tmp: the folder holds %s' % names)
        shutil.rmtree(out)


def main():
    fn = globals().get('case_' + CASE)
    if fn is None:
        fail('unknown case ' + CASE)
    with tempfile.TemporaryDirectory(prefix='hostile-') as tmp:
        os.chmod(tmp, 0o755)
        fn(tmp)
    print('ok:', CASE)


if __name__ == '__main__':
    main()
