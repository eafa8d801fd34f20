#!/usr/bin/python3
"""Hostile fonts named by a layout, through the whole `taseuranta build`.

usage: test_fonts.py TASEURANTA SOURCE_DIR CASE [VALGRIND SUPPRESSIONS]

Cases:
  hostile:KIND   the layout's regular face is a shipped font with one defect (hostile_fonts.py
                 makes it; KIND is one of its KINDS); a build of three rounds must refuse it
                 once, at the <font> element's file= attribute, with exit 1, writing nothing
  fifo           the fallback font is a FIFO: refused at once (opening it must not block)
  not_regular    a font path that is a folder, and one that is a device
  same_name      two files with one name and other glyphs are refused at the second; the same
                 bytes under two paths build, with the font embedded once
  valgrind       memcheck over builds refused for the worst of the hostile fonts: no error, no
                 leak (needs VALGRIND and SUPPRESSIONS)
  replay         the font fuzz target's path (fuzz_font_replay, the 4th argument) over the
                 shipped fonts and every hostile one: no finding, no crash"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_fonts  # noqa: E402

EXE, SRC, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
ENV = dict(os.environ, SOURCE_DATE_EPOCH='1592222400')
ENV.pop('TASEURANTA_DATA', None)
ROUNDS = [os.path.join(SRC, 'input', 'kuva-2020-3.xml'),
          os.path.join(SRC, 'tests', 'data', 'valid', 'minimal.xml'),
          os.path.join(SRC, 'tests', 'data', 'valid', 'en-round.xml')]
LAYOUT = open(os.path.join(SRC, 'layouts', 'helsinki.xml'), encoding='utf-8').read()
with open(EXE, 'rb') as _f:
    SANITIZED = b'__asan_init' in _f.read()
TIMEOUT = 120 if SANITIZED else 30

# What the message says of each defect (after "font file PATH ").
EXPECT = {
    'hhea_metrics': "cannot be used: its 'hhea' table claims 65535 horizontal metrics for 2620 "
                    "glyphs (maxp)",
    'truncated': "cannot be used: it is truncated or damaged: its '",
    'table_past_eof': "cannot be used: it is truncated or damaged: its 'post' table (27021 bytes "
                      "at byte 414808) runs past the end of the file (410712 bytes)",
    'table_overflow': "cannot be used: it is truncated or damaged: its 'post' table",
    'bad_loca': "cannot be used: its 'loca' table goes backwards at glyph 11",
    'loca_past_glyf': "cannot be used: its 'loca' table puts glyph 2620 at byte",
    'bad_loca_format': "cannot be used: its indexToLocFormat is 7",
    'bad_name': "cannot be used: its name record 6 (name ID 6) lies outside the 'name' table",
    'name_count': "cannot be used: its 'name' table claims 65535 records",
    'units_per_em_16': "cannot be used: glyph 0 is 96.0 em wide (advance 1536 at unitsPerEm 16)",
    'units_per_em_0': "cannot be used: its unitsPerEm is 0; TrueType allows 16 to 16384",
    'no_glyphs': "cannot be used: its 'maxp' table says it has no glyphs",
    'hmtx_short': "cannot be used: its 'hmtx' table is 5240 bytes long",
    'missing_os2': "cannot be used: it lacks the 'OS/2' table",
    'cmap_outside': "cannot be used: its cmap subtable 0 lies outside the 'cmap' table",
    'cmap_no_end': "cannot be used: its format 4 cmap does not end with the segment of U+FFFF",
    'cmap_glyph_range': "cannot be used: its cmap maps U+0047 to glyph 2620; it has 2620",
    'no_embedding': "cannot be used: its licence forbids embedding it in a PDF (OS/2 fsType "
                    "0x0002)",
    'too_many_tables': "cannot be used: its table directory claims 65535 tables",
    'not_truetype': "is not a TrueType font (glyf outlines): it has CFF (PostScript) outlines",
}
# The defects behind issue 13's reports (heap overflow, exit 3 at the wrong place, the leak).
WORST = ['hhea_metrics', 'truncated', 'table_past_eof', 'bad_loca', 'bad_name', 'units_per_em_16',
         'cmap_glyph_range']


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def run(args, prefix=(), timeout=TIMEOUT):
    try:
        p = subprocess.run(list(prefix) + [EXE] + args, env=ENV, capture_output=True,
                           timeout=timeout)
    except subprocess.TimeoutExpired:
        fail('%s did not finish in %d s' % (' '.join(args), timeout))
    return p.returncode, p.stderr.decode('utf-8', 'replace')


def position(layout, face, attr):
    """FILE:LINE:COLUMN's line and column of attr in the <font> element of face."""
    for no, line in enumerate(layout.split('\n'), 1):
        if '<font face="%s"' % face in line:
            return no, line.index(attr + '=') + 1
    fail('no <font face="%s"> in the layout' % face)


def layout_with(tmp, name, face, attr, path):
    """The shipped layout with one face's file or fallback replaced by path."""
    text = LAYOUT
    pattern = r'(<font face="%s"[^>]*\s%s=")[^"]*(")' % (face, attr)
    text, n = re.subn(pattern, lambda m: m.group(1) + path + m.group(2), text)
    expect(n == 1, 'no %s= in the %s <font>' % (attr, face))
    out = os.path.join(tmp, name)
    with open(out, 'w', encoding='utf-8') as f:
        f.write(text)
    return out, text


def expect_refused_once(rc, err, layout_path, layout, face, attr, fragment, out_dir):
    line, col = position(layout, face, attr)
    errors = [x for x in err.splitlines() if ': error: ' in x]
    expect(rc == 1, 'exit status %d, not 1:\n%s' % (rc, err))
    expect(len(errors) == 1, 'not one error for the run (three rounds):\n%s' % err)
    where = '%s:%d:%d: error: font file ' % (layout_path, line, col)
    expect(errors[0].startswith(where), 'not at the <font> %s= attribute (%s):\n%s'
           % (attr, where, err))
    expect(fragment in errors[0], 'message lacks "%s":\n%s' % (fragment, err))
    expect(os.listdir(out_dir) == [], 'something was written: %s' % os.listdir(out_dir))


def build(tmp, layout_path, rounds=ROUNDS, prefix=(), extra=()):
    out = os.path.join(tmp, 'out')
    shutil.rmtree(out, ignore_errors=True)
    os.mkdir(out)
    rc, err = run(['build'] + rounds + ['--layout', layout_path, '-o', out, '-q'] + list(extra),
                  prefix=prefix)
    return rc, err, out


def case_hostile(tmp, kind):
    src = open(os.path.join(SRC, 'fonts', 'LiberationSans-Regular.ttf'), 'rb').read()
    font = os.path.join(tmp, kind + '.ttf')
    with open(font, 'wb') as f:
        f.write(hostile_fonts.make(src, kind))
    layout_path, layout = layout_with(tmp, 'layout.xml', 'regular', 'file', font)
    rc, err, out = build(tmp, layout_path)
    expect_refused_once(rc, err, layout_path, layout, 'regular', 'file', EXPECT[kind], out)


def case_fifo(tmp):
    fifo = os.path.join(tmp, 'fallback.ttf')
    os.mkfifo(fifo)
    layout_path, layout = layout_with(tmp, 'layout.xml', 'bold', 'fallback', fifo)
    rc, err, out = build(tmp, layout_path)
    expect_refused_once(rc, err, layout_path, layout, 'bold', 'fallback',
                        'cannot be read: it is a FIFO, not a regular file', out)


def case_not_regular(tmp):
    for path, what in ((tmp, 'a folder'), ('/dev/zero', 'a device')):
        layout_path, layout = layout_with(tmp, 'layout.xml', 'italic', 'file', path)
        rc, err, out = build(tmp, layout_path)
        expect_refused_once(rc, err, layout_path, layout, 'italic', 'file',
                            'cannot be read: it is %s, not a regular file' % what, out)


def case_same_name(tmp):
    dejavu = open(os.path.join(SRC, 'fonts', 'DejaVuSans.ttf'), 'rb').read()
    copy = os.path.join(tmp, 'copy.ttf')
    with open(copy, 'wb') as f:
        f.write(dejavu)
    # The same bytes under another path: one font to libharu, and embedded once.
    layout_path, _ = layout_with(tmp, 'same.xml', 'italic', 'fallback', copy)
    rc, err, out = build(tmp, layout_path, rounds=[os.path.join(SRC, 'tests', 'data', 'valid',
                                                                'unicode.xml')],
                         extra=['--format', 'pdf'])
    expect(rc == 0, 'the same font under two paths is refused (%d):\n%s' % (rc, err))
    pdfs = [os.path.join(out, x) for x in os.listdir(out)]
    fonts = subprocess.run(['pdffonts', pdfs[0]], capture_output=True, text=True).stdout
    dv = [x for x in fonts.splitlines() if '+DejaVuSans,Book ' in x]
    expect(len(dv) == 1, 'DejaVu Sans is not embedded once:\n%s' % fonts)
    # Other glyphs under the same name: refused where the second file is named.
    other = bytearray(dejavu)
    off, _ = hostile_fonts.table(other, 'hmtx')
    hostile_fonts.put16(other, off + 4, hostile_fonts.get16(other, off + 4) + 100)
    with open(copy, 'wb') as f:
        f.write(other)
    rc, err, out = build(tmp, layout_path)
    with open(layout_path, encoding='utf-8') as f:
        layout = f.read()
    expect_refused_once(rc, err, layout_path, layout, 'italic', 'fallback',
                        'is named DejaVuSans,Book, as %s is, but is another font'
                        % os.path.join(SRC, 'fonts', 'DejaVuSans.ttf'), out)


def case_valgrind(tmp):
    if len(sys.argv) < 6:
        fail('usage: test_fonts.py EXE SRC valgrind VALGRIND SUPPRESSIONS')
    prefix = [sys.argv[4], '--quiet', '--error-exitcode=99', '--leak-check=full',
              '--show-leak-kinds=definite,indirect,possible',
              '--errors-for-leak-kinds=definite,indirect,possible',
              '--suppressions=' + sys.argv[5]]
    src = open(os.path.join(SRC, 'fonts', 'LiberationSans-Regular.ttf'), 'rb').read()
    for kind in WORST:
        font = os.path.join(tmp, kind + '.ttf')
        with open(font, 'wb') as f:
            f.write(hostile_fonts.make(src, kind))
        layout_path, layout = layout_with(tmp, 'layout.xml', 'regular', 'file', font)
        rc, err, out = build(tmp, layout_path, rounds=ROUNDS[:1], prefix=prefix)
        expect(rc == 1, '%s: valgrind or the program says %d:\n%s' % (kind, rc, err))
        expect('==' not in err, '%s: valgrind reports:\n%s' % (kind, err))
        expect(EXPECT[kind] in err, '%s: not refused for its defect:\n%s' % (kind, err))


def case_replay(tmp):
    if len(sys.argv) < 5:
        fail('usage: test_fonts.py EXE SRC replay FUZZ_FONT_REPLAY')
    fonts = os.path.join(SRC, 'fonts')
    files = [os.path.join(fonts, x) for x in sorted(os.listdir(fonts)) if x.endswith('.ttf')]
    src = open(files[0], 'rb').read()
    for kind in sorted(hostile_fonts.KINDS):
        path = os.path.join(tmp, kind + '.ttf')
        with open(path, 'wb') as f:
            f.write(hostile_fonts.make(src, kind))
        files.append(path)
    p = subprocess.run([sys.argv[4]] + files, capture_output=True, text=True,
                       timeout=TIMEOUT * 4)
    expect(p.returncode == 0, 'fuzz_font_replay: %d\n%s' % (p.returncode, p.stderr[-3000:]))


def main():
    tmp = tempfile.mkdtemp(prefix='ts-fonts-')
    try:
        if CASE.startswith('hostile:'):
            case_hostile(tmp, CASE.split(':', 1)[1])
        elif CASE in ('fifo', 'not_regular', 'same_name', 'valgrind', 'replay'):
            globals()['case_' + CASE](tmp)
        else:
            fail('unknown case ' + CASE)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print('ok:', CASE)


if __name__ == '__main__':
    main()
