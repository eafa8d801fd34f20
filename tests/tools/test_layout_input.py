#!/usr/bin/python3
"""Hostile layouts, label files and options through the real program (`check` and `build`).

Each case writes its input from a shipped layout or label file with one change, runs the
program, and checks the exit status, where the messages point and that nothing was written.
Label files are read from a copy of the data folder (TASEURANTA_DATA); layouts are given with
--layout.  A case that hangs is stopped by its time limit (and the ctest TIMEOUT): no test
measures time.

usage: test_layout_input.py TASEURANTA SOURCE_DIR CASE
Cases: attr_flood message_cap first_byte big_lines namespaces numbers empty_colour
frame_sizes minimal_layout counts label_lengths sheet_names label_element empty_output
division_short temp_names"""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

EXE, SRC, CASE = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
LAYOUT = open(os.path.join(SRC, 'layouts', 'helsinki.xml'), encoding='utf-8').read()
LABELS = open(os.path.join(SRC, 'layouts', 'labels', 'fi.xml'), encoding='utf-8').read()
ROUND = os.path.join(SRC, 'input', 'kuva-2020-3.xml')
with open(EXE, 'rb') as _f:
    SANITIZED = b'__asan_init' in _f.read()
DIAG = re.compile(r'^(?P<file>[^:]+)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<sev>error|warning): '
                  r'(?P<msg>.*)$')
ENV = dict(os.environ, SOURCE_DATE_EPOCH='1600000000')
ENV.pop('TASEURANTA_DATA', None)


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


class Result:
    def __init__(self, p):
        self.rc = p.returncode
        self.err = p.stderr.decode('utf-8', 'replace')
        self.lines = [l for l in self.err.split('\n') if l]
        self.diags = [m for m in map(DIAG.match, self.lines) if m]


def run(args, env=None, timeout=120, fsize=None):
    def limits():
        if not SANITIZED:
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    if args[:1] == ['check']:
        args = ['check', '-q'] + args[1:]  # its problems only, not its closing line
    try:
        p = subprocess.run([EXE] + args, capture_output=True, env=env or ENV, preexec_fn=limits,
                           timeout=timeout * (8 if SANITIZED else 1))
    except subprocess.TimeoutExpired:
        fail('%s did not finish' % ' '.join(args)[:200])
    r = Result(p)
    expect(r.rc >= 0, '%s died of signal %d:\n%s' % (' '.join(args)[:200], -r.rc, r.err[-2000:]))
    expect(p.stdout == b'', 'printed on standard output: %r' % p.stdout[:200])
    return r


def line_of(text, needle):
    return text[:text.index(needle)].count('\n') + 1


def edited(text, old, new, count=1):
    expect(old in text, 'the shipped file lacks %r' % old)
    return text.replace(old, new, count)


class Work:
    """A scratch folder with an output folder and a data folder whose labels can be changed."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix='ts-layoutin-')
        self.out = os.path.join(self.dir, 'out')
        os.mkdir(self.out)
        self.data = os.path.join(self.dir, 'data')
        shutil.copytree(os.path.join(SRC, 'layouts'), os.path.join(self.data, 'layouts'))
        os.symlink(os.path.join(SRC, 'fonts'), os.path.join(self.data, 'fonts'))

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, 'wb') as f:
            f.write(text.encode('utf-8') if isinstance(text, str) else text)
        return path

    def labels(self, text):
        path = os.path.join(self.data, 'layouts', 'labels', 'fi.xml')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        return path

    def env(self):
        return dict(ENV, TASEURANTA_DATA=self.data)

    def build(self, extra=(), **kw):
        return run(['build', ROUND, '-o', self.out] + list(extra), **kw)

    def nothing_written(self, what):
        left = os.listdir(self.out)
        expect(left == [], '%s: left %s in the output folder' % (what, left))

    def close(self):
        shutil.rmtree(self.dir)


def refused(r, what, file, checks, max_lines=None):
    """r exited 1 and says each (line, col or None, words) of checks about file."""
    expect(r.rc == 1, '%s: exit %d, not 1:\n%s' % (what, r.rc, r.err[-2000:]))
    for l in r.lines:
        expect(DIAG.match(l) or re.match(r'^\S.*: (built|failed)$', l),
               '%s: not a FILE:LINE:COLUMN diagnostic: %r' % (what, l[:300]))
    if max_lines is not None:
        expect(len(r.lines) <= max_lines,
               '%s: %d lines of messages, more than %d' % (what, len(r.lines), max_lines))
    for line, col, words in checks:
        hit = [d for d in r.diags if d.group('file') == file and d.group('sev') == 'error' and
               words in d.group('msg') and (line is None or d.group('line') == str(line)) and
               (col is None or d.group('col') == str(col))]
        expect(hit, '%s: no error at %s:%s:%s saying %r in:\n%s' %
               (what, file, line, col, words, r.err[-3000:]))


def case_attr_flood():
    w = Work()
    for n in (10000, 1000000):
        attrs = ''.join(' a%d=""' % i for i in range(n))
        lay = w.write('flood-%d.xml' % n, edited(LAYOUT, '<layout name=', '<layout%s name=' % attrs))
        r = w.build(['--layout', lay])
        refused(r, 'a layout with %d attributes on <layout>' % n, lay,
                [(line_of(LAYOUT, '<layout name='), 1,
                  '<layout> has %d attributes; the cap is 64' % (n + 4))], max_lines=2)
        w.nothing_written('attribute flood')
        # In a label file too, read by check and by build.
        lab = w.labels(edited(LABELS, '<label key="task.done">',
                              '<label key="task.done"%s>' % attrs))
        for args in (['check', ROUND], ['build', ROUND, '-o', w.out]):
            r = run(args, env=w.env())
            refused(r, 'a label with %d attributes' % n, lab,
                    [(line_of(LABELS, '<label key="task.done">'), 3,
                      '<label> has %d attributes; the cap is 64' % (n + 1))], max_lines=2)
        w.nothing_written('attribute flood in the labels')
    w.close()


def case_message_cap():
    w = Work()
    # 5,000 faults in a layout and 10,000 in a label file: the first 100 and one line for the
    # rest.
    lay = w.write('many.xml', edited(LAYOUT, '<styles>', '<styles>' + '<bogus/>' * 5000))
    r = w.build(['--layout', lay])
    refused(r, '5,000 unknown elements', lay,
            [(line_of(LAYOUT, '<styles>'), 11, 'unknown element <bogus> in <styles>')],
            max_lines=102)
    expect(any(re.search(r'^.*: error: \d+ more errors in .*many\.xml are not shown', l)
               for l in r.lines), 'no closing line for the errors left out:\n' + r.err[-1500:])
    lab = w.labels(edited(LABELS, '</labels>',
                          ''.join('<label key="x%d">x</label>\n' % i for i in range(2000)) +
                          '</labels>'))
    r = run(['check', ROUND], env=w.env())
    refused(r, '2,000 unknown label keys', lab, [(None, None, 'unknown label key "x0"')],
            max_lines=101)
    expect(re.search(r': error: 1900 more errors in .*fi\.xml are not shown', r.err),
           'no closing line counting 1900 more errors:\n' + r.err[-1500:])
    w.close()


def case_first_byte():
    # A bad attribute of <layout> when '<layout' is the file's first byte: its place is found
    # without reading before the buffer (the ASan build of this test caught that read).
    w = Work()
    text = LAYOUT[LAYOUT.index('<layout'):]
    lay = w.write('first.xml', edited(text, '<layout name=', '<layout bogus="1" name='))
    r = w.build(['--layout', lay])
    refused(r, 'a bad attribute at the first byte', lay,
            [(1, 9, "unknown attribute 'bogus' on <layout>")])
    lay = w.write('first2.xml', edited(text, 'width="960"', 'width="wide"'))
    r = w.build(['--layout', lay])
    refused(r, 'a bad number on the first line', lay, [(1, 25, 'width="wide" is not a number')])
    w.nothing_written('first byte')
    w.close()


def case_big_lines():
    # libxml2 keeps 16-bit lines: faults past line 65,535 are reported at their own line.
    w = Work()
    text = edited(LAYOUT, '<colours>', '<colours>' + '\n' * 70000)
    text = edited(text, '<colour name="error" value="#b01038"/>',
                  '<colour name="error" value="#b01g38"/>')
    text = edited(text, '<frame name="date" x="72" y="460" w="816" h="24"/>',
                  '<frame name="date" x="72" y="460" w="816" h="2x"/>')
    text = edited(text, '<workbook font="Arial"', '<workbook bogus="1" font="Arial"')
    lay = w.write('long.xml', text)
    r = w.build(['--layout', lay])
    refused(r, 'faults past line 65,535', lay,
            [(line_of(text, 'value="#b01g38"'), 26, 'value="#b01g38" is not a colour'),
             (line_of(text, 'h="2x"'), 47, 'h="2x" is not a number'),
             (line_of(text, 'bogus="1"'), 13, "unknown attribute 'bogus' on <workbook>")])
    lab = w.labels(edited(edited(LABELS, '<labels xml:lang="fi">',
                                 '<labels xml:lang="fi">' + '\n' * 70000),
                          'key="task.done"', 'key="task.dnoe"'))
    r = run(['check', ROUND], env=w.env())
    refused(r, 'a label fault past line 65,535', lab,
            [(line_of(LABELS, 'key="task.done"') + 70000, 10, 'unknown label key "task.dnoe"')])
    w.close()


def case_namespaces():
    w = Work()
    for name, old, new, where, words in [
        ('default-ns.xml', '<layout name=', '<layout xmlns="urn:other" name=', '<layout name=',
         'is in the namespace "urn:other"'),
        ('font-ns.xml', '<font face="bold"', '<f:font xmlns:f="urn:fonts" face="bold"',
         '<font face="bold"', '<font> in <fonts> is in the namespace "urn:fonts"'),
        ('attr-ns.xml', '<style name="title" size="32"',
         '<style xmlns:x="urn:x" name="title" x:size="32" size="32"', '<style name="title"',
         "unknown attribute 'x:size' on <style>"),
    ]:
        lay = w.write(name, edited(LAYOUT, old, new))
        r = w.build(['--layout', lay])
        refused(r, name, lay, [(line_of(LAYOUT, where), None, words)])
        w.nothing_written(name)
    lab = w.labels(edited(LABELS, '<labels xml:lang="fi">',
                          '<labels xmlns="urn:other" xml:lang="fi">'))
    refused(run(['check', ROUND], env=w.env()), 'a label file in a namespace', lab,
            [(line_of(LABELS, '<labels'), 1, 'the root element must be <labels>, in no namespace')])
    w.close()


def case_numbers():
    w = Work()
    for bad in ('0x3c0', '1e3', ' 960', '960 ', 'inf', '+960', '960.', '.5', '9,6'):
        lay = w.write('num.xml', edited(LAYOUT, 'width="960"', 'width="%s"' % bad))
        r = w.build(['--layout', lay])
        refused(r, 'width="%s"' % bad, lay,
                [(line_of(LAYOUT, 'width="960"'), 25, 'width="%s" is not a number' % bad)])
    lay = w.write('widths.xml', edited(LAYOUT, 'summary-widths="30 60 60"',
                                       'summary-widths="30 0x3c 60"'))
    refused(w.build(['--layout', lay]), 'a hexadecimal column width', lay,
            [(None, None, 'summary-widths="30 0x3c 60" must be 3 column widths')])
    w.nothing_written('numbers')
    w.close()


def case_empty_colour():
    # An empty colour is an error, and the contrast check runs for every style.
    w = Work()
    for old, new, words in [
        ('name="cover-title" size="48" leading="54" bold="true" colour="white" background="bus"',
         'name="cover-title" size="48" leading="54" bold="true" colour="white" background=""',
         'background="" is empty'),
        ('name="kicker" size="18" leading="22" bold="true" colour="bus" background="white"',
         'name="kicker" size="18" leading="22" bold="true" colour="white" background="  "',
         'background="  " is empty'),
        ('<status name="on-track" fill="success" text="white"/>',
         '<status name="on-track" fill="" text="white"/>', 'fill="" is empty'),
        ('<slide kind="goal" background="white">', '<slide kind="goal" background=" ">',
         'background="" is empty'),
        ('<colour name="white" value="#ffffff"/>',
         '<colour name="white" value="#ffffff"/><colour name="" value="#ffffff"/>',
         'name="" is not a colour\'s name'),
        # white text on the second of two backgrounds, white
        ('colour="black-90" background="white black-5" space-after="4"',
         'colour="white" background="coat-of-arms white" space-after="4"',
         "style 'table-cell': text colour #ffffff on background #ffffff has contrast 1.00:1"),
    ]:
        lay = w.write('colour.xml', edited(LAYOUT, old, new))
        r = w.build(['--layout', lay])
        refused(r, new, lay, [(line_of(LAYOUT, old), None, words)])
        w.nothing_written('empty colour')
    w.close()


def case_frame_sizes():
    w = Work()
    for old, new, words in [
        ('<frame name="body" x="48" y="104" w="560" h="396"/>',
         '<frame name="body" x="48" y="104" w="0" h="0"/>',
         "frame 'body' of 'goal' is 0 pt wide; text of 22 pt (style 'goal') needs at least 220"),
        ('<frame name="body" x="48" y="104" w="560" h="396"/>',
         '<frame name="body" x="48" y="104" w="560" h="100"/>',
         "frame 'body' of 'goal' is 100 pt tall; it needs ten lines of text there: at least 280"),
        ('<frame name="col.recovery" x="428" y="100" w="114" h="400"/>',
         '<frame name="col.recovery" x="428" y="100" w="50" h="400"/>',
         "frame 'col.recovery' of 'table' is 40 pt wide inside its padding"),
        ('<frame name="title" x="48" y="36" w="864" h="40"/>',
         '<frame name="title" x="48" y="36" w="300" h="40"/>',
         "frame 'title' of 'status-picture' is 300 pt wide; text of 32 pt (style 'title') needs at "
         "least 512"),
        ('<frame name="pad" x="6" y="4" w="0" h="0"/>', '<frame name="pad" x="6" y="400" w="0" h="0"/>',
         "the padding 'pad' of 'status-picture' is 6 x 400 pt; at most 28 pt each"),
        ('<frame name="footer" x="48" y="506" w="864" h="18"/>',
         '<frame name="footer" x="48" y="506" w="864" h="18"/><frame name="foot" x="0" y="0" w="1" h="1"/>',
         'name="foot" is not a frame of \'status-picture\''),
    ]:
        lay = w.write('frames.xml', edited(LAYOUT, old, new))
        r = w.build(['--layout', lay])
        refused(r, new, lay, [(line_of(LAYOUT, old), None, words)])
        w.nothing_written('frame sizes')
    lay = w.write('styles.xml', edited(
        LAYOUT, '<style name="footer" size="14" leading="17"',
        '<style name="footer" size="14" leading="17" indent="50" space-after="40"'))
    refused(w.build(['--layout', lay]), 'spaces out of proportion', lay,
            [(None, None, "style 'footer' has indent=\"50\"; at most 42 pt"),
             (None, None, "style 'footer' has space-after=\"40\"; at most 34 pt")])
    w.close()


def case_lengths():
    # A slide kind's lengths: each required, known and in proportion to min-font-size, refused
    # at its element through the real program, with nothing written.
    w = Work()
    bar = '<length name="bar.height" value="8"/>'
    gap = '<length name="note.gap" value="16"/>'
    for name, old, new, where, words in [
        ('missing.xml', bar, '', '<slide kind="progress"',
         "slide kind 'progress' lacks the length 'bar.height'"),
        ('huge.xml', gap, '<length name="note.gap" value="900"/>', gap,
         "the length 'note.gap' of 'goal' is 900 pt; it is from 0 to 56 pt"),
        ('unknown.xml', bar, bar + '<length name="bar.width" value="8"/>', bar,
         'name="bar.width" is not a length of \'progress\''),
    ]:
        lay = w.write(name, edited(LAYOUT, old, new))
        refused(w.build(['--layout', lay]), name, lay, [(line_of(LAYOUT, where), None, words)])
        w.nothing_written(name)
    w.close()


# The smallest sizes of docs/layouts.md, by frame: (use, styles).
FRAME_USE = {
    'pack-cover': {'title': ('text', ['cover-title']), 'subtitle': ('text', ['cover-subtitle']),
                   'round': ('text', ['cover-text']), 'division': ('text', ['cover-text']),
                   'city': ('text', ['cover-text']), 'date': ('text', ['cover-text'])},
    'deck-cover': {'kicker': ('text', ['kicker']), 'title': ('text', ['deck-title']),
                   'roles': ('text', ['role']), 'date': ('text', ['role']),
                   'footer': ('text', ['footer'])},
}
TITLED = {'title': ('title', ['title']), 'footer': ('text', ['footer'])}
for kind, frames in {
        'overview': dict(body=('flow', ['overview-cell', 'overview-group']),
                         **{'col.measure': ('column', ['overview-cell', 'overview-head'])},
                         **{c: ('words', ['overview-cell', 'overview-head'])
                            for c in ('col.value', 'col.tasks')},
                         **{c: ('marked', ['overview-cell', 'overview-head'])
                            for c in ('col.round1', 'col.round2', 'col.round3')}),
        'goal': {'body': ('flow', ['body', 'goal', 'heading']),
                 'body-wide': ('flow', ['body', 'goal', 'heading']), 'notes': ('box', ['note'])},
        'progress': dict(target=('text', ['heading']), scale=('text', ['scale']),
                         **{c: ('box', ['task', 'column-head', 'percent'])
                            for c in ('col.todo', 'col.doing', 'col.done')}),
        'detail': dict(body=('flow', ['table-cell', 'heading']),
                       **{'col.status': ('words', ['table-cell', 'table-head'])},
                       **{c: ('column', ['table-cell', 'table-head'])
                          for c in ('col.task', 'col.detail')}),
        'forecast': {'status': ('text', ['status', 'body']), 'body': ('flow', ['body', 'heading']),
                     'body-continued': ('flow', ['body', 'heading']),
                     'body-chart': ('flow', ['body', 'heading'])},
        'status-picture': dict(changes=('flow', ['heading', 'body', 'table-cell']),
                               **{'body-continued': ('flow', ['table-head', 'table-cell'])},
                               **{'col.change': ('words', ['table-cell', 'table-head'])},
                               **{c: ('column', ['table-cell', 'table-head'])
                                  for c in ('col.measure', 'col.status')}),
        'notes': {'body': ('box', ['note'])},
        'table': dict(body=('flow', ['table-cell']),
                      **{'col.forecasts': ('marked', ['table-cell', 'table-head']),
                         'col.recovery': ('words', ['table-cell', 'table-head'])},
                      **{c: ('column', ['table-cell', 'table-head'])
                         for c in ('col.goal', 'col.measure', 'col.comment', 'col.links')}),
        'summary': dict(body=('flow', ['table-cell', 'heading']),
                        **{c: ('column', ['table-cell', 'table-head'])
                           for c in ('col3.a', 'col3.b', 'col3.c', 'col2.a', 'col2.b')}),
}.items():
    FRAME_USE[kind] = dict(TITLED, **frames)


def minimal_layout(text):
    """text with every frame that holds text at the smallest size docs/layouts.md allows."""
    styles = {m.group(1): (float(m.group(2)), float(m.group(3))) for m in re.finditer(
        r'<style name="([^"]+)" size="([\d.]+)" leading="([\d.]+)"', text)}

    def slide(m):
        kind = m.group(1)
        pad = re.search(r'<frame name="pad" x="([\d.]+)" y="([\d.]+)"', m.group(0))
        px, py = (float(pad.group(1)), float(pad.group(2))) if pad else (0, 0)

        def frame(f):
            use = FRAME_USE[kind].get(f.group(1))
            if use is None:
                return f.group(0)
            em = max(styles[s][0] for s in use[1])
            line = max(styles[s][1] for s in use[1])
            w, h = float(f.group(4)), float(f.group(5))
            w, h = {'text': (6 * em, line), 'title': (16 * em, line), 'flow': (10 * em, 10 * line),
                    'box': (8 * em + 2.5 * px + 2 * py, 10 * line + 2 * py),
                    'column': (5 * em + 2 * px, h), 'words': (3 * em + 2 * px, h),
                    'marked': (3 * em + 2 * px + 1.1 * styles[use[1][0]][0], h)}[use[0]]
            return '<frame name="%s" x="%s" y="%s" w="%.2f" h="%.2f"/>' % (
                f.group(1), f.group(2), f.group(3), w + 0.01, h + 0.01)
        return re.sub(r'<frame name="([^"]+)" x="([\d.]+)" y="([\d.]+)" w="([\d.]+)" h="([\d.]+)"/>',
                      frame, m.group(0))
    return re.sub(r'<slide kind="([^"]+)".*?</slide>', slide, text, flags=re.S)


def pages(path):
    info = subprocess.run(['pdfinfo', path], capture_output=True, check=True).stdout.decode()
    return int(re.search(r'Pages:\s+(\d+)', info).group(1))


def case_minimal_layout():
    # A layout with every frame at its smallest is accepted, builds, and makes a pack a few
    # times longer than the shipped layout's (frames of 0 x 0 made 300 times as many slides).
    w = Work()
    lay = w.write('minimal.xml', minimal_layout(LAYOUT))
    r = w.build(['--layout', lay, '--format', 'pdf', '-q'])
    expect(r.rc == 0, 'the minimal layout: exit %d:\n%s' % (r.rc, r.err[-2000:]))
    small = pages(os.path.join(w.out, 'kuva-2020-3.pdf'))
    os.remove(os.path.join(w.out, 'kuva-2020-3.pdf'))
    r = w.build(['--format', 'pdf', '-q'])
    expect(r.rc == 0, 'the default layout: exit %d:\n%s' % (r.rc, r.err[-2000:]))
    shipped = pages(os.path.join(w.out, 'kuva-2020-3.pdf'))
    expect(small <= 25 * shipped, 'the minimal layout makes %d slides, the shipped one %d' %
           (small, shipped))
    # One step below the smallest width is refused.
    lay = w.write('smaller.xml', edited(minimal_layout(LAYOUT),
                                        'name="body" x="48" y="104" w="220.01"',
                                        'name="body" x="48" y="104" w="219.99"'))
    refused(w.build(['--layout', lay]), 'below the minimum', lay,
            [(None, None, "frame 'body' of 'goal' is 219.99 pt wide")])
    w.close()


def case_counts():
    w = Work()
    colours = ''.join('<colour name="c%d" value="#000000"/>\n' % i for i in range(300))
    lay = w.write('colours.xml', edited(LAYOUT, '</colours>', colours + '</colours>'))
    refused(w.build(['--layout', lay]), '300 more colours', lay,
            [(line_of(LAYOUT, '</colours>') + 228, 1, 'more than 256 colours in <colours>, the cap')],
            max_lines=2)
    colours = ''.join('<colour name="c%d" value="#000000"/>\n' % i for i in range(100000))
    lay = w.write('colours2.xml', edited(LAYOUT, '<colours>', '<colours>\n' + colours))
    refused(w.build(['--layout', lay]), '100,000 more colours', lay,
            [(None, None, 'the layout holds more than 20000 elements, texts, attributes and '
              'comments, the cap')], max_lines=2)
    for old, new, words in [
        ('<style name="footer"', '<style name="fotter"', 'name="fotter" is not a style the slides use'),
        ('<workbook font="Arial"', '<workbook font="%s"' % ('A' * 32), 'longer than 31 characters'),
        ('<layout name="helsinki"', '<layout name="%s"' % ('h' * 65), 'must be 1 to 64 characters'),
        ('<colour name="bus"', '<colour name="b us"', 'name="b us" is not a colour\'s name'),
    ]:
        lay = w.write('names.xml', edited(LAYOUT, old, new))
        refused(w.build(['--layout', lay]), new[:60], lay, [(line_of(LAYOUT, old), None, words)])
    w.nothing_written('counts')
    w.close()


def case_label_lengths():
    w = Work()
    for key, old, new, words in [
        ('continued', '(jatkuu)', '(' + 'jatkuu ' * 200000 + ')',
         'label "continued" has 1400002 characters; the cap is 40'),
        ('status.at-risk', '>Epävarma<', '>' + 'E' * 400000 + '<',
         'label "status.at-risk" has 400000 characters; the cap is 40'),
        ('slide.goal', '>Tavoite<', '>' + 'Tavoite ' * 30 + '<',
         'label "slide.goal" has 239 characters; the cap is 200'),
    ]:
        lab = w.labels(edited(LABELS, old, new))
        for args in (['check', ROUND], ['build', ROUND, '-o', w.out]):
            r = run(args, env=w.env())
            refused(r, key, lab, [(line_of(LABELS, old), 3, words)], max_lines=2)
        w.nothing_written(key)
    w.close()


def case_sheet_names():
    # Found while the labels are read, at the label's line, by check and by build; never
    # reported against a temporary file, and no workbook with a bad sheet name is written.
    w = Work()
    for old, new, words in [
        ('>Tiivistelmä<', '>Tiivistelmä [1/2]<', "holds '[', which a sheet's name cannot hold"),
        ('>Tiivistelmä<', '>Tiivistelmä: kaikki<', "holds ':'"),
        ('>Tiivistelmä<', '>Tiivistelmä?<', "holds '?'"),
        ('>Tiivistelmä<', '>' + 'T' * 32 + '<', 'has 32 characters; a sheet\'s name has at most 31'),
        ('>Tiivistelmä<', '><', 'is empty'),
        ('>Tiivistelmä<', '>   <', 'is empty'),
        ('>Tiivistelmä<', ">'Tiivistelmä<", 'begins or ends with an apostrophe'),
        ('>Tiivistelmä<', '>history<', 'is "History"'),
        ('>Tiivistelmä<', '>Tiivistelmä {year}<', 'holds a placeholder'),
        ('"sheet.tasks">Tehtävät<', '"sheet.tasks">STRATEGIAMITTARIT<',
         'names the same sheet as "sheet.measures"'),
        ('"sheet.tasks">Tehtävät<', '"sheet.tasks">TIIVISTELMÄ<',
         'names the same sheet as "sheet.summary"'),
    ]:
        lab = w.labels(edited(LABELS, old, new))
        for args in (['check', ROUND], ['build', ROUND, '-o', w.out],
                     ['build', ROUND, '-o', w.out, '--format', 'ods']):
            r = run(args, env=w.env())
            refused(r, new, lab, [(line_of(LABELS, old), 3, words)])
            expect('.tmp' not in r.err, 'a message names a temporary file:\n' + r.err)
        w.nothing_written(new)
    w.close()


def case_label_element():
    # A label holding an element is refused for that, and is not also called missing.
    w = Work()
    lab = w.labels(edited(LABELS, '>(jatkuu)<', '>(jatkuu <b>x</b>)<'))
    r = run(['check', ROUND], env=w.env())
    refused(r, 'an element in a label', lab,
            [(line_of(LABELS, '(jatkuu)'), 3, 'label "continued" holds the element <b>')])
    expect('missing' not in r.err, 'the label is also called missing:\n' + r.err)
    expect(sum(1 for d in r.diags if d.group('sev') == 'error') == 1, 'more than one error:\n' + r.err)
    w.close()


def case_empty_output():
    w = Work()
    for args in (['build', ROUND, '-o', ''], ['build', ROUND, '--output='],
                 ['new-round', ROUND, '-o', '']):
        r = run(args)
        expect(r.rc == 2, '%s: exit %d, not 2' % (args, r.rc))
        expect('the output path given to \'--output\' is empty' in r.err,
               '%s does not say that the output path is empty:\n%s' % (args, r.err))
        expect('ioctl' not in r.err, r.err)
    r = run(['build', ROUND, '-o', w.out, '--layout', ''])
    expect(r.rc == 2 and "option '--layout' is given an empty value" in r.err, r.err)
    w.nothing_written('empty options')
    w.close()


def case_division_short():
    # A short name of 300 letters names files the system cannot make: refused while the round
    # is read, at its line, by check and by build.
    w = Work()
    text = open(ROUND, encoding='utf-8').read()
    rnd = w.write('long-short.xml', edited(text, '<division short="Kuva">',
                                           '<division short="%s">' % ('K' * 300)))
    for args in (['check', rnd], ['build', rnd, '-o', w.out]):
        r = run(args)
        refused(r, 'a long short name', rnd,
                [(line_of(text, '<division short='), 15,
                  'has 300 characters; the short name, which names the output files, has at '
                  'most 40')])
        expect('too long' not in r.err, r.err)
    w.nothing_written('long short name')
    w.close()


def case_temp_names():
    # A write that fails names the file the user will look for, not its temporary name.
    w = Work()
    r = w.build(fsize=64 * 1024)
    expect(r.rc == 3, 'exit %d, not 3:\n%s' % (r.rc, r.err[-2000:]))
    expect('.tmp' not in r.err, 'a message names a temporary file:\n' + r.err)
    expect(any(d.group('file') == os.path.join(w.out, 'kuva-2020-3.pdf') for d in r.diags),
           'no message names the PDF:\n' + r.err)
    w.nothing_written('a failed write')
    w.close()


globals()['case_' + CASE]()
print('ok:', CASE)
