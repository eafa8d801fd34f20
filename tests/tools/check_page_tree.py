#!/usr/bin/python3
"""The page tree of PDFs past libharu's 32,767 pages, read back by qpdf, poppler and pikepdf.

    check_page_tree.py shapes TEST_PAGETREE OUT_DIR
        small documents of every shape from test_pagetree (tiny limits: regrouping, new
        branches, new levels on top), each page with the bookmark "Sivu N"
    check_page_tree.py pack TASEURANTA OUT_DIR GEN_ROUND MEASURES
        a round of MEASURES measures made by bench/gen-round, built by the program into more
        than 32,767 slides

Each file must pass qpdf --check, have the pages pdfinfo counts, and a tree whose nodes have
at most FANOUT kids (the catalog's up to FLAT while it holds the pages itself), every page at
one depth, every /Parent and /Count right; its bookmarks must go to their pages in order."""
import os
import subprocess
import sys

import pikepdf

FLAT, FANOUT = 32767, 64  # src/pdf/doc.c: FLAT_PAGES_MAX, PAGE_FANOUT


def fail(msg):
    print('FAIL:', msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def walk(node, parent, depth, out, limits):
    """Appends the pages under node to out (in order) as (objgen, depth); checks the nodes."""
    if parent is not None:
        expect(node.Parent.objgen == parent.objgen, 'a /Parent is wrong at depth %d' % depth)
    if node.Type == '/Page':
        out.append((node.objgen, depth))
        return 1
    kids = node.Kids
    flat, fanout = limits
    most = flat if parent is None and all(k.Type == '/Page' for k in kids) else fanout
    expect(0 < len(kids) <= most, 'a node at depth %d has %d kids (at most %d)'
           % (depth, len(kids), most))
    count = sum(walk(k, node, depth + 1, out, limits) for k in kids)
    expect(int(node.Count) == count, '/Count %d, %d pages below' % (int(node.Count), count))
    return count


def check(path, pages, limits):
    q = subprocess.run(['qpdf', '--check', path], capture_output=True, text=True)
    expect(q.returncode == 0 and 'No syntax or stream encoding errors' in q.stdout,
           'qpdf --check: ' + (q.stdout + q.stderr)[-500:])
    info = subprocess.run(['pdfinfo', path], capture_output=True, text=True)
    expect(info.returncode == 0 and info.stderr.strip() == '', 'pdfinfo: ' + info.stderr[-500:])
    counted = [int(x.split()[-1]) for x in info.stdout.splitlines() if x.startswith('Pages:')]
    expect(counted == [pages], 'pdfinfo counts %s pages, not %d' % (counted, pages))
    with pikepdf.open(path) as pdf:
        order = []
        walk(pdf.Root.Pages, None, 0, order, limits)
        expect(len(order) == pages, '%d pages in the tree, not %d' % (len(order), pages))
        depths = {d for _, d in order}
        expect(len(depths) == 1, 'pages at depths %s: the tree is not balanced' % sorted(depths))
        expect([p.objgen for p in pdf.pages] == [g for g, _ in order],
               'pikepdf reads the pages in another order')
        at = {g: i for i, (g, _) in enumerate(order)}
        marks = []
        item = pdf.Root.Outlines.get('/First')
        while item is not None:
            marks.append((str(item.Title), at[item.Dest[0].objgen]))
            item = item.get('/Next')
        return marks, depths.pop()


def shapes(exe, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for flat, fanout, pages in ((5, 2, 70), (5, 3, 250), (9, 4, 200), (1, 2, 33), (20, 5, 20),
                                (20, 5, 21)):
        path = os.path.join(out_dir, 'tree-%d-%d-%d.pdf' % (flat, fanout, pages))
        p = subprocess.run([exe, 'write', str(flat), str(fanout), str(pages), path],
                           capture_output=True, text=True)
        expect(p.returncode == 0, 'test_pagetree write: %d %s' % (p.returncode, p.stderr))
        marks, depth = check(path, pages, (flat, fanout))
        expect(marks == [('Sivu %d' % (i + 1), i) for i in range(pages)],
               '%s: the bookmarks do not go to their pages in order' % path)
        expect((depth == 1) == (pages <= flat), '%s: depth %d' % (path, depth))
        print('%s: %d pages, depth %d' % (os.path.basename(path), pages, depth))


def pack(exe, out_dir, gen_round, measures):
    os.makedirs(out_dir, exist_ok=True)
    src = os.path.join(out_dir, 'big-%s.xml' % measures)
    subprocess.run([sys.executable, gen_round, measures, src], check=True)
    out = os.path.join(out_dir, 'big-out')
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.unlink(os.path.join(out, f))
    env = dict(os.environ, SOURCE_DATE_EPOCH='1592222400')
    p = subprocess.run([exe, 'build', src, '-o', out, '--format', 'pdf', '-q'],
                       capture_output=True, text=True, env=env)
    expect(p.returncode == 0, 'build: %d\n%s' % (p.returncode, p.stderr[-2000:]))
    pdfs = [os.path.join(out, f) for f in os.listdir(out) if f.endswith('.pdf')]
    expect(len(pdfs) == 1, 'outputs: %s' % os.listdir(out))
    with pikepdf.open(pdfs[0]) as pdf:
        pages = len(pdf.pages)
    expect(pages > FLAT, 'only %d slides: the test does not pass libharu\'s limit' % pages)
    marks, depth = check(pdfs[0], pages, (FLAT, FANOUT))
    starts = [i for _, i in marks]
    expect(len(marks) > int(measures) and starts == sorted(starts),
           'the bookmarks do not go to their slides in order')
    last = subprocess.run(['pdftotext', '-f', str(pages), '-l', str(pages), pdfs[0], '-'],
                          capture_output=True, text=True)
    expect(last.returncode == 0 and last.stdout.strip() != '', 'poppler cannot read the last slide')
    print('%s: %d slides, depth %d, %d bookmarks' % (os.path.basename(pdfs[0]), pages, depth,
                                                      len(marks)))
    os.unlink(pdfs[0])  # some 130 MB


def main(argv):
    if len(argv) == 4 and argv[1] == 'shapes':
        shapes(argv[2], argv[3])
    elif len(argv) == 6 and argv[1] == 'pack':
        pack(argv[2], argv[3], argv[4], argv[5])
    else:
        fail(__doc__)


if __name__ == '__main__':
    main(sys.argv)
