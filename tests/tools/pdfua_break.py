#!/usr/bin/python3
"""Proves that pdfua_check.py catches what it claims to: takes a good tagged PDF, breaks ONE rule
with pikepdf, and asserts that the checker then reports that rule's checkpoint.

Usage: pdfua_break.py GOOD.pdf RULE OUTDIR     (RULE "good": the untouched file must pass)
       pdfua_break.py --list
"""
import os
import re
import sys

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfua_check  # noqa: E402


def elements(pdf):
    """Every structure element, in reading order, with its parent."""
    out = []
    st = pdf.Root.StructTreeRoot
    stack = [(k, None) for k in reversed(pdfua_check.kids_of(st.get("/K")))]
    while stack:
        e, parent = stack.pop()
        if not pdfua_check.is_elem(e):
            continue
        out.append((e, parent))
        kids = [k for k in pdfua_check.kids_of(e.get("/K")) if pdfua_check.is_elem(k)]
        for k in reversed(kids):
            stack.append((k, e))
    return out


def first(pdf, typ, pred=lambda e: True):
    for e, parent in elements(pdf):
        if str(e.S) == "/" + typ and pred(e):
            return e, parent
    raise SystemExit(f"the good file has no {typ} element to break")


def parent_tree_nums(pdf):
    """Every (Nums array, index of the value) pair of the ParentTree."""
    out = []

    def walk(node):
        if "/Nums" in node:
            for i in range(1, len(node.Nums), 2):
                out.append((node.Nums, i))
        for k in node.get("/Kids", []):
            walk(k)

    walk(pdf.Root.StructTreeRoot.ParentTree)
    return out


def repoint_parent_tree(pdf, old, new):
    """Content that belonged to old now belongs to new."""
    for nums, i in parent_tree_nums(pdf):
        v = nums[i]
        if isinstance(v, Array):
            for j in range(len(v)):
                if isinstance(v[j], Dictionary) and v[j].objgen == old.objgen:
                    v[j] = new
        elif isinstance(v, Dictionary) and v.objgen == old.objgen:
            nums[i] = new


def move_content(pdf, src, dst):
    """Appends src's /K to dst's /K (as MCRs where the pages differ) and repoints the tree."""
    dst_k = dst.K if isinstance(dst.get("/K"), Array) else Array(pdfua_check.kids_of(dst.get("/K")))
    dst.K = dst_k
    for k in pdfua_check.kids_of(src.get("/K")):
        if isinstance(k, int) and src.get("/Pg") is not None and (
                dst.get("/Pg") is None or dst.Pg.objgen != src.Pg.objgen):
            dst_k.append(Dictionary(Type=Name.MCR, Pg=src.Pg, MCID=k))
        else:
            if pdfua_check.is_elem(k):
                k.P = dst
            dst_k.append(k)
    repoint_parent_tree(pdf, src, dst)


def remove_kid(parent, kid):
    k = parent.K
    for i in range(len(k)):
        if isinstance(k[i], Dictionary) and k[i].objgen == kid.objgen:
            del k[i]
            return
    raise SystemExit("kid not found")


def used_code(pdf):
    """A font and a 2-byte code shown on page 1."""
    page = pdf.pages[0]
    fonts = page.obj.Resources.Font
    cur = None
    for ins in pikepdf.parse_content_stream(page):
        op = str(ins.operator)
        if op == "Tf":
            cur = fonts[str(ins.operands[0])]
        elif op == "Tj" and cur is not None and str(cur.Subtype) == "/Type0":
            raw = bytes(ins.operands[0])
            if len(raw) >= 2:
                return cur, raw[0] << 8 | raw[1]
    raise SystemExit("no text on page 1")


# ---- the breaks ------------------------------------------------------------------------------

def paint_outside(pdf):
    pdf.pages[0].contents_add(Stream(pdf, b"0 0 m 10 10 l S\n"), prepend=False)


def mcid_parenttree(pdf):
    for nums, i in parent_tree_nums(pdf):
        v = nums[i]
        if isinstance(v, Array) and len(v) > 0:
            v[0] = None
            return
    raise SystemExit("no page array in the ParentTree")


def nonstandard_type(pdf):
    e, _ = first(pdf, "H1")
    e.S = Name("/Heading1")


def skipped_heading(pdf):
    e, _ = first(pdf, "H2")
    e.S = Name.H3


def th_no_scope(pdf):
    e, _ = first(pdf, "TH")
    del e["/A"]


def tr_short(pdf):
    tr, _ = first(pdf, "TR", lambda e: any(
        pdfua_check.is_elem(k) and str(k.S) == "/TD" for k in pdfua_check.kids_of(e.K)))
    cells = [k for k in tr.K if pdfua_check.is_elem(k)]
    last, prev = cells[-1], cells[-2]
    move_content(pdf, last, prev)
    remove_kid(tr, last)


def li_no_lbody(pdf):
    li, _ = first(pdf, "LI")
    body = [k for k in li.K if pdfua_check.is_elem(k) and str(k.S) == "/LBody"][0]
    # Its text moves into the Lbl: the item keeps its content and loses only the LBody.
    lbl = [k for k in li.K if pdfua_check.is_elem(k) and str(k.S) == "/Lbl"][0]
    move_content(pdf, body, lbl)
    remove_kid(li, body)


def figure_no_alt(pdf):
    e, _ = first(pdf, "Figure")
    del e["/Alt"]


def link_no_contents(pdf):
    for page in pdf.pages:
        for a in page.obj.get("/Annots", []):
            if a.Subtype == Name.Link:
                del a["/Contents"]
                return
    raise SystemExit("no link annotation")


def no_lang(pdf):
    del pdf.Root["/Lang"]


def displaydoctitle_false(pdf):
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def no_pdfuaid(pdf):
    md = pdf.Root.Metadata
    xmp = md.read_bytes()
    xmp2 = re.sub(rb"<rdf:Description[^>]*xmlns:pdfuaid=[^>]*>.*?</rdf:Description>\s*", b"",
                  xmp, flags=re.S)
    if xmp2 == xmp:
        raise SystemExit("no pdfuaid in the XMP")
    md.write(xmp2)


def wrong_width(pdf):
    font, code = used_code(pdf)
    desc = font.DescendantFonts[0]
    w = desc.W
    i = 0
    while i < len(w):
        start = int(w[i])
        if isinstance(w[i + 1], Array):
            if start <= code < start + len(w[i + 1]):
                w[i + 1][code - start] = int(w[i + 1][code - start]) + 100
                return
            i += 2
        else:
            i += 3
    w.append(code)
    w.append(Array([int(desc.get("/DW", 1000)) + 100]))


def cell_with_headers(pdf):
    e, _ = first(pdf, "TD", lambda e: pdfua_check.attr(e, "Table", "/Headers") is not None)
    return pdfua_check.attr(e, "Table", "/Headers")


def headers_dangling(pdf):
    heads = cell_with_headers(pdf)
    heads[len(heads) - 1] = pikepdf.String("nowhere")


def headers_not_th(pdf):
    """A cell names another TD (given an /ID in the IDTree) as its header."""
    heads = cell_with_headers(pdf)
    td, _ = first(pdf, "TD")
    td.ID = pikepdf.String("a-td")
    tree = pdf.Root.StructTreeRoot.IDTree
    leaf = tree
    while "/Names" not in leaf:
        leaf = leaf.Kids[0]
    leaf.Names = Array([pikepdf.String("a-td"), td] + list(leaf.Names))
    if "/Limits" in leaf:
        leaf.Limits[0] = pikepdf.String("a-td")
    heads[0] = pikepdf.String("a-td")


def headers_no_idtree(pdf):
    del pdf.Root.StructTreeRoot["/IDTree"]


def tounicode_zero(pdf):
    font, code = used_code(pdf)
    tu = font.ToUnicode
    data = tu.read_bytes()
    extra = b"1 beginbfchar\n<%04X> <0000>\nendbfchar\n" % code
    tu.write(data.replace(b"endcmap", extra + b"endcmap", 1))


BREAKS = {
    "paint_outside": ("01", paint_outside),
    "mcid_parenttree": ("01", mcid_parenttree),
    "nonstandard_type": ("09", nonstandard_type),
    "skipped_heading": ("14", skipped_heading),
    "th_no_scope": ("15", th_no_scope),
    "tr_short": ("15", tr_short),
    "li_no_lbody": ("09", li_no_lbody),
    "figure_no_alt": ("13", figure_no_alt),
    "link_no_contents": ("28", link_no_contents),
    "no_lang": ("11", no_lang),
    "displaydoctitle_false": ("07", displaydoctitle_false),
    "no_pdfuaid": ("06", no_pdfuaid),
    "wrong_width": ("31", wrong_width),
    "tounicode_zero": ("10", tounicode_zero),
    "headers_dangling": ("15", headers_dangling),
    "headers_not_th": ("15", headers_not_th),
    "headers_no_idtree": ("15", headers_no_idtree),
}


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(["good"] + list(BREAKS)))
        return 0
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    good, rule, outdir = argv[1:]
    if rule == "good":
        lines = pdfua_check.check(good)
        for line in lines:
            print(line)
        print(f"good file: {len(lines)} violations")
        return 0 if not lines else 1
    cp, fn = BREAKS[rule]
    out = os.path.join(outdir, f"broken-{rule}.pdf")
    with pikepdf.open(good) as pdf:
        fn(pdf)
        pdf.save(out)
    lines = pdfua_check.check(out)
    for line in lines:
        print(line)
    hits = [line for line in lines if line.startswith(cp + " ")]
    if not hits:
        print(f"FAIL: breaking {rule} was not reported as checkpoint {cp}")
        return 1
    print(f"ok: breaking {rule} is reported as checkpoint {cp}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
