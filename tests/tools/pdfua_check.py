#!/usr/bin/python3
"""A rule checker for the machine-checkable PDF/UA-1 rules that a taseuranta pack can break.

Usage: pdfua_check.py FILE.pdf
Prints one line per violation, "CHECKPOINT rule: where: what", and exits 1 if there is any
(0 when clean, 2 when the file cannot be read).  Checkpoints are the Matterhorn Protocol's:

  01  real content tagged: every painting operator inside marked content with an MCID or an
      Artifact; every MCID of the content in the tree and the ParentTree and the other way
      round, consistently; MarkInfo /Marked true
  06  metadata: XMP stream with dc:title and pdfuaid:part 1
  07  dictionary: ViewerPreferences /DisplayDocTitle true
  09  appropriate tags: standard structure types (or role-mapped to one); list and table
      nesting (L > LI|L|Caption, LI > Lbl|LBody, Table > TR|THead|TBody|TFoot|Caption, TR > TH|TD)
  10  character mappings: a ToUnicode value for every code shown, never U+0000/FEFF/FFFE
  11  natural language: /Lang in the catalog
  13  graphics: every Figure has /Alt (or /ActualText)
  14  headings: numbered headings start at H1 and skip no level
  15  tables: rows of equal width (ColSpan/RowSpan counted), every TH with a /Scope; a cell's
      /Headers names only /IDs that the StructTreeRoot's IDTree maps to a TH of the same Table
      (ISO 32000-1 14.7.2, 14.8.5.7), and no two elements have the same /ID
  17  mathematical expressions: every Formula has /Alt
  19  notes: every Note has a unique /ID
  28  annotations: Link annotations have /Contents and /StructParent, Link elements hold an
      OBJR, and pages with annotations have /Tabs /S
  31  fonts: embedded, every code shown has a glyph (CIDToGIDMap or identity: glyph id < numGlyphs
      and not 0), and its /W width equals the font program's advance (within 1 unit)
"""
import re
import struct
import sys
import xml.etree.ElementTree as ET

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference
BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form""".split())

PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do",
         "INLINE IMAGE", "EI"}


class Report:
    def __init__(self):
        self.lines = []

    def add(self, cp, rule, where, what):
        self.lines.append(f"{cp} {rule}: {where}: {what}")


def key(obj):
    """An identity for an object: (num, gen) when indirect, else the Python id."""
    try:
        og = obj.objgen
        if og != (0, 0):
            return og
    except Exception:
        pass
    return ("direct", id(obj))


def name_of(obj):
    return str(obj)[1:] if isinstance(obj, Name) else str(obj)


# ---- TrueType --------------------------------------------------------------------------------

class TrueType:
    def __init__(self, data):
        self.data = data
        n = struct.unpack(">H", data[4:6])[0]
        self.tables = {}
        for i in range(n):
            tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
            self.tables[tag.decode("latin-1")] = (off, length)
        head = self.table("head")
        self.units_per_em = struct.unpack(">H", head[18:20])[0]
        self.num_glyphs = struct.unpack(">H", self.table("maxp")[4:6])[0]
        n_hm = struct.unpack(">H", self.table("hhea")[34:36])[0]
        hmtx = self.table("hmtx")
        self.advances = [struct.unpack(">H", hmtx[4 * i:4 * i + 2])[0] for i in range(n_hm)]

    def table(self, tag):
        off, length = self.tables[tag]
        return self.data[off:off + length]

    def advance(self, gid):
        a = self.advances[gid] if gid < len(self.advances) else self.advances[-1]
        return a * 1000.0 / self.units_per_em


# ---- CMaps -----------------------------------------------------------------------------------

HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


def parse_tounicode(data):
    """code -> Unicode string; later definitions win, as in a reader."""
    out = {}
    for block in re.finditer(rb"beginbfchar(.*?)endbfchar|beginbfrange(.*?)endbfrange", data,
                             re.S):
        if block.group(1) is not None:
            vals = HEX.findall(block.group(1))
            for i in range(0, len(vals) - 1, 2):
                out[int(vals[i], 16)] = bytes.fromhex(vals[i + 1].decode())
        else:
            body = block.group(2)
            for m in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])",
                                 body):
                lo, hi = int(m.group(1), 16), int(m.group(2), 16)
                dst = m.group(3)
                if dst.startswith(b"["):
                    items = HEX.findall(dst)
                    for i, cp in enumerate(range(lo, hi + 1)):
                        if i < len(items):
                            out[cp] = bytes.fromhex(items[i].decode())
                else:
                    base = bytes.fromhex(dst[1:-1].decode())
                    for i, cp in enumerate(range(lo, hi + 1)):
                        v = bytearray(base)
                        if v:
                            last = v[-1] + i
                            v[-1] = last & 0xFF
                            if last > 0xFF and len(v) > 1:
                                v[-2] = (v[-2] + (last >> 8)) & 0xFF
                        out[cp] = bytes(v)
    return out


def parse_w(w):
    widths = {}
    items = list(w) if w is not None else []
    i = 0
    while i < len(items):
        first = int(items[i])
        if i + 1 < len(items) and isinstance(items[i + 1], Array):
            for k, v in enumerate(items[i + 1]):
                widths[first + k] = float(v)
            i += 2
        else:
            last, v = int(items[i + 1]), float(items[i + 2])
            for c in range(first, last + 1):
                widths[c] = v
            i += 3
    return widths


class FontInfo:
    """What the checks need of one font resource, computed once."""

    def __init__(self, font):
        self.font = font
        self.name = name_of(font.get("/BaseFont", "?"))
        self.subtype = name_of(font.get("/Subtype", "?"))
        self.two_byte = self.subtype == "Type0"
        self.desc = font.DescendantFonts[0] if self.two_byte else font
        fd = self.desc.get("/FontDescriptor")
        self.program = None
        self.embedded = False
        self.tt = None
        if fd is not None:
            for k in ("/FontFile", "/FontFile2", "/FontFile3"):
                if k in fd:
                    self.embedded = True
                    self.program = fd[k]
            if "/FontFile2" in fd:
                try:
                    self.tt = TrueType(fd.FontFile2.read_bytes())
                except Exception:
                    self.tt = None
        self.cid_to_gid = None
        m = self.desc.get("/CIDToGIDMap")
        if isinstance(m, Stream):
            self.cid_to_gid = m.read_bytes()
        self.widths = parse_w(self.desc.get("/W")) if self.two_byte else {}
        self.dw = float(self.desc.get("/DW", 1000))
        tu = font.get("/ToUnicode")
        self.tounicode = parse_tounicode(tu.read_bytes()) if isinstance(tu, Stream) else None
        self.seen = set()

    def gid(self, cid):
        if self.cid_to_gid is None:
            return cid
        if 2 * cid + 1 < len(self.cid_to_gid):
            return self.cid_to_gid[2 * cid] << 8 | self.cid_to_gid[2 * cid + 1]
        return 0

    def codes(self, raw):
        if self.two_byte:
            return [raw[i] << 8 | raw[i + 1] for i in range(0, len(raw) - 1, 2)]
        return list(raw)

    def check_code(self, code, rep, where):
        if code in self.seen:
            return
        self.seen.add(code)
        w = f"{where}: font {self.name} code {code:04X}"
        if self.tounicode is None:
            rep.add("10", "tounicode", w, "the font has no ToUnicode CMap")
        else:
            u = self.tounicode.get(code)
            if u is None or len(u) == 0:
                rep.add("10", "tounicode", w, "no Unicode value")
            elif u in (b"\x00\x00", b"\xfe\xff", b"\xff\xfe") or u[:2] in (b"\xfe\xff", b"\xff\xfe"):
                rep.add("10", "tounicode", w, f"maps to U+{u.hex().upper()}")
        if not self.two_byte or self.tt is None:
            return
        gid = self.gid(code)
        if gid == 0 or gid >= self.tt.num_glyphs:
            rep.add("31", "glyph", w, f"no glyph (glyph id {gid})")
            return
        pdf_w = self.widths.get(code, self.dw)
        adv = self.tt.advance(gid)
        if abs(pdf_w - adv) > 1.0:
            rep.add("31", "width", w, f"/W says {pdf_w:g}, the font program {adv:.1f}")


# ---- The checker -----------------------------------------------------------------------------

def kids_of(k):
    if k is None:
        return []
    if isinstance(k, Array):
        return list(k)
    return [k]


def is_elem(o):
    return isinstance(o, Dictionary) and ("/S" in o) and o.get("/Type") not in (Name.MCR, Name.OBJR)


def attr_objects(e):
    a = e.get("/A")
    if a is None:
        return []
    items = list(a) if isinstance(a, Array) else [a]
    return [x for x in items if isinstance(x, Dictionary)]


def attr(e, owner, k):
    for d in attr_objects(e):
        if d.get("/O") == Name("/" + owner) and k in d:
            return d[k]
    return None


def check(path):
    rep = Report()
    pdf = pikepdf.open(path)
    root = pdf.Root
    pages = list(pdf.pages)
    page_index = {key(p.obj): i for i, p in enumerate(pages)}

    # ---- catalog and metadata
    mi = root.get("/MarkInfo")
    if mi is None or not bool(mi.get("/Marked", False)):
        rep.add("01", "marked", "catalog", "MarkInfo /Marked is not true")
    if "/Lang" not in root or str(root.Lang).strip() == "":
        rep.add("11", "lang", "catalog", "no /Lang")
    vp = root.get("/ViewerPreferences")
    if vp is None or "/DisplayDocTitle" not in vp:
        rep.add("07", "displaydoctitle", "catalog", "ViewerPreferences has no /DisplayDocTitle")
    elif not bool(vp.DisplayDocTitle):
        rep.add("07", "displaydoctitle", "catalog", "/DisplayDocTitle is false")
    md = root.get("/Metadata")
    if md is None:
        rep.add("06", "xmp", "catalog", "no XMP metadata stream")
    else:
        xmp = md.read_bytes()
        try:
            tree = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", xmp).strip())
        except ET.ParseError as e:
            rep.add("06", "xmp", "metadata", f"XMP is not well-formed XML ({e})")
            tree = None
        if tree is not None:
            dc = "{http://purl.org/dc/elements/1.1/}"
            ua = "{http://www.aiim.org/pdfua/ns/id/}"
            titles = [t for t in tree.iter(dc + "title") if "".join(t.itertext()).strip()]
            if not titles:
                rep.add("06", "dctitle", "metadata", "no dc:title")
            parts = [p.text for p in tree.iter(ua + "part")]
            parts += [d.get(ua + "part") for d in tree.iter() if d.get(ua + "part")]
            if "1" not in [p.strip() if p else p for p in parts]:
                rep.add("06", "pdfuaid", "metadata", "no pdfuaid:part 1")

    # ---- the structure tree
    st = root.get("/StructTreeRoot")
    elems = []  # (elem, parent, depth) in reading order
    mcid_owner = {}  # (page key, mcid) -> elem key
    objr_owner = {}  # annot key -> elem key
    elem_by_key = {}
    rolemap = {}
    if st is None:
        rep.add("01", "tagged", "catalog", "no StructTreeRoot")
    else:
        rm = st.get("/RoleMap")
        if rm is not None:
            rolemap = {k[1:]: name_of(v) for k, v in rm.items()}
        stack = [(k, None, None) for k in reversed(kids_of(st.get("/K")))]
        visited = set()
        while stack:
            e, parent, inherited_pg = stack.pop()
            if not is_elem(e):
                continue
            ek = key(e)
            if ek in visited:
                rep.add("09", "tree", "structure", "an element is reached twice")
                continue
            visited.add(ek)
            elems.append((e, parent))
            elem_by_key[ek] = e
            pg = e.get("/Pg", inherited_pg)
            children = []
            for k in kids_of(e.get("/K")):
                if isinstance(k, int) or (hasattr(k, "is_integer") and False):
                    if pg is None:
                        rep.add("01", "mcid", f"{name_of(e.S)}", f"MCID {int(k)} without /Pg")
                    else:
                        mcid_owner[(key(pg), int(k))] = ek
                elif isinstance(k, Dictionary) and k.get("/Type") == Name.MCR:
                    kpg = k.get("/Pg", pg)
                    mcid_owner[(key(kpg), int(k.MCID))] = ek
                elif isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR:
                    objr_owner[key(k.Obj)] = ek
                elif is_elem(k):
                    children.append(k)
                else:
                    try:
                        mcid_owner[(key(pg), int(k))] = ek
                    except Exception:
                        pass
            for c in reversed(children):
                stack.append((c, e, pg))

    def std_type(e):
        t = name_of(e.S)
        seen = set()
        while t not in STANDARD and t in rolemap and t not in seen:
            seen.add(t)
            t = rolemap[t]
        return t

    # ---- types, nesting, headings, tables, figures, notes
    id_tree = read_id_tree(root.get("/StructTreeRoot"))
    seen_ids = set()
    for e, _ in elems:
        if "/ID" in e:
            if bytes(e.ID) in seen_ids:
                rep.add("15", "id", f"{name_of(e.S)} element", f"/ID {bytes(e.ID)!r} twice")
            seen_ids.add(bytes(e.ID))
    heading_prev = None
    note_ids = {}
    for e, parent in elems:
        t = std_type(e)
        raw = name_of(e.S)
        where = f"{raw} element"
        if t not in STANDARD:
            rep.add("09", "standard", where, f"/{raw} is not a standard type and not role-mapped")
            continue
        child_types = [std_type(k) for k in kids_of(e.get("/K")) if is_elem(k)]
        ptype = std_type(parent) if parent is not None else None
        if t == "L":
            for ct in child_types:
                if ct not in ("LI", "L", "Caption"):
                    rep.add("09", "list", where, f"L holds {ct}")
        if t == "LI":
            if ptype != "L":
                rep.add("09", "list", where, f"LI inside {ptype}")
            for ct in child_types:
                if ct not in ("Lbl", "LBody"):
                    rep.add("09", "list", where, f"LI holds {ct}")
            if "LBody" not in child_types:
                rep.add("09", "list", where, "LI without LBody")
        if t in ("Lbl", "LBody") and ptype != "LI":
            rep.add("09", "list", where, f"{t} inside {ptype}")
        if t == "Table":
            for ct in child_types:
                if ct not in ("TR", "THead", "TBody", "TFoot", "Caption"):
                    rep.add("09", "table", where, f"Table holds {ct}")
            check_table(e, std_type, rep)
            check_headers(e, std_type, id_tree, rep)
        if t in ("THead", "TBody", "TFoot"):
            for ct in child_types:
                if ct != "TR":
                    rep.add("09", "table", where, f"{t} holds {ct}")
        if t == "TR":
            for ct in child_types:
                if ct not in ("TH", "TD"):
                    rep.add("09", "table", where, f"TR holds {ct}")
        if t in ("TH", "TD") and ptype != "TR":
            rep.add("09", "table", where, f"{t} inside {ptype}")
        if t == "TH" and attr(e, "Table", "/Scope") is None:
            rep.add("15", "scope", where, "TH without /Scope")
        if t == "Figure" and "/Alt" not in e and "/ActualText" not in e:
            rep.add("13", "alt", where, "Figure without /Alt")
        if t == "Formula" and "/Alt" not in e:
            rep.add("17", "alt", where, "Formula without /Alt")
        if t == "Note":
            nid = e.get("/ID")
            if nid is None:
                rep.add("19", "id", where, "Note without /ID")
            elif bytes(nid) in note_ids:
                rep.add("19", "id", where, "two Notes with the same /ID")
            else:
                note_ids[bytes(nid)] = True
        if re.fullmatch(r"H[1-6]", t):
            level = int(t[1])
            if heading_prev is None and level != 1:
                rep.add("14", "first", where, f"the first numbered heading is {t}")
            elif heading_prev is not None and level > heading_prev + 1:
                rep.add("14", "skipped", where, f"H{heading_prev} is followed by {t}")
            heading_prev = level
        if t == "Link":
            has_objr = any(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
                           for k in kids_of(e.get("/K")))
            if not has_objr:
                rep.add("28", "objr", where, "Link without an OBJR")

    # ---- the ParentTree
    parent_tree = {}
    if st is not None:
        pt = st.get("/ParentTree")
        if pt is None:
            rep.add("01", "parenttree", "StructTreeRoot", "no ParentTree")
        else:
            def walk(node, depth=0):
                if depth > 32:
                    return
                if "/Nums" in node:
                    nums = node.Nums
                    for i in range(0, len(nums) - 1, 2):
                        parent_tree[int(nums[i])] = nums[i + 1]
                for kid in node.get("/Kids", []):
                    walk(kid, depth + 1)
            walk(pt)

    # ---- pages: content, annotations
    fonts = {}
    content_mcids = set()
    for pi, page in enumerate(pages):
        pk = key(page.obj)
        where = f"page {pi + 1}"
        sp = page.obj.get("/StructParents")
        pt_arr = parent_tree.get(int(sp)) if sp is not None else None
        res = page.obj.get("/Resources", Dictionary())
        font_res = res.get("/Font", Dictionary())
        stack = []
        cur_font = None
        try:
            ops = pikepdf.parse_content_stream(page)
        except Exception as e:
            rep.add("01", "content", where, f"content stream cannot be parsed ({e})")
            ops = []
        for ins in ops:
            op = str(ins.operator)
            operands = ins.operands if hasattr(ins, "operands") else []
            if op in ("BDC", "BMC"):
                tag = name_of(operands[0])
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                if isinstance(props, Name):
                    props = res.get("/Properties", Dictionary()).get(str(props))
                mcid = None
                if isinstance(props, Dictionary) and "/MCID" in props:
                    mcid = int(props.MCID)
                stack.append((tag, mcid))
                if mcid is not None:
                    content_mcids.add((pk, mcid))
                    if st is None:
                        continue
                    owner = mcid_owner.get((pk, mcid))
                    if owner is None:
                        rep.add("01", "mcid", where, f"MCID {mcid} is in no structure element")
                    if pt_arr is None:
                        rep.add("01", "parenttree", where,
                                f"MCID {mcid}: the page has no ParentTree entry")
                    else:
                        val = pt_arr[mcid] if mcid < len(pt_arr) else None
                        if not isinstance(val, Dictionary):
                            rep.add("01", "parenttree", where,
                                    f"MCID {mcid} is missing from the ParentTree")
                        elif owner is not None and key(val) != owner:
                            rep.add("01", "parenttree", where,
                                    f"MCID {mcid}: the ParentTree names another element")
            elif op == "EMC":
                if stack:
                    stack.pop()
                else:
                    rep.add("01", "nesting", where, "EMC without BDC/BMC")
            elif op == "Tf" and operands:
                f = font_res.get(str(operands[0]))
                if f is not None:
                    fk = key(f)
                    if fk not in fonts:
                        fonts[fk] = FontInfo(f)
                    cur_font = fonts[fk]
            if op in PAINT:
                if not any(t == "Artifact" or m is not None for t, m in stack):
                    rep.add("01", "untagged", where,
                            f"painting operator {op} outside marked content")
            if op in ("Tj", "'", '"', "TJ") and cur_font is not None:
                strings = []
                if op == "TJ":
                    strings = [bytes(x) for x in operands[0] if isinstance(x, pikepdf.String)]
                elif operands:
                    strings = [bytes(operands[-1])]
                for s in strings:
                    for code in cur_font.codes(s):
                        cur_font.check_code(code, rep, where)
        if stack:
            rep.add("01", "nesting", where, "marked content left open at the end of the page")

        annots = page.obj.get("/Annots", Array())
        if len(annots) > 0 and page.obj.get("/Tabs") != Name.S:
            rep.add("28", "tabs", where, "a page with annotations has no /Tabs /S")
        for a in annots:
            sub = name_of(a.get("/Subtype", "?"))
            if sub in ("Popup",):
                continue
            aw = f"{where}: {sub} annotation"
            if sub == "Link" and ("/Contents" not in a or str(a.Contents).strip() == ""):
                rep.add("28", "contents", aw, "no /Contents")
            if "/StructParent" not in a:
                rep.add("28", "structparent", aw, "no /StructParent")
            elif st is not None:
                val = parent_tree.get(int(a.StructParent))
                owner = objr_owner.get(key(a))
                if owner is None:
                    rep.add("28", "objr", aw, "no structure element holds its OBJR")
                elif not isinstance(val, Dictionary) or key(val) != owner:
                    rep.add("01", "parenttree", aw,
                            "its ParentTree entry is not the element that holds its OBJR")

    # ---- MCIDs of the tree that the content does not have
    for (pk, mcid), ek in mcid_owner.items():
        if (pk, mcid) not in content_mcids:
            pi = page_index.get(pk)
            rep.add("01", "mcid", f"page {pi + 1 if pi is not None else '?'}",
                    f"the tree names MCID {mcid}, which the content does not have")

    # ---- fonts: embedded
    for f in fonts.values():
        if not f.embedded:
            rep.add("31", "embedded", f"font {f.name}", "not embedded")
    return rep.lines


def check_table(table, std_type, rep):
    rows = []
    for k in kids_of(table.get("/K")):
        if not is_elem(k):
            continue
        t = std_type(k)
        if t == "TR":
            rows.append(k)
        elif t in ("THead", "TBody", "TFoot"):
            rows.extend(r for r in kids_of(k.get("/K")) if is_elem(r) and std_type(r) == "TR")
    occupied = {}  # (row, col)
    widths = []
    for r, row in enumerate(rows):
        col = 0
        for cell in kids_of(row.get("/K")):
            if not is_elem(cell) or std_type(cell) not in ("TH", "TD"):
                continue
            while (r, col) in occupied:
                col += 1
            cs = attr(cell, "Table", "/ColSpan")
            rs = attr(cell, "Table", "/RowSpan")
            cs = int(cs) if cs is not None else 1
            rs = int(rs) if rs is not None else 1
            for dr in range(rs):
                for dc in range(cs):
                    occupied[(r + dr, col + dc)] = True
            col += cs
        width = max([c + 1 for (rr, c) in occupied if rr == r], default=0)
        widths.append(width)
    if widths and len(set(widths)) > 1:
        rep.add("15", "rows", "Table element", f"rows of unequal width {widths}")


def read_id_tree(st):
    """The IDTree's names: ID bytes -> (object number, generation) of the element."""
    out = {}
    tree = st.get("/IDTree") if st is not None else None

    def walk(node, depth):
        if depth > 32 or not isinstance(node, Dictionary):
            return
        names = node.get("/Names")
        if isinstance(names, Array):
            items = list(names)
            for i in range(0, len(items) - 1, 2):
                out[bytes(items[i])] = items[i + 1].objgen
        for k in kids_of(node.get("/Kids")):
            walk(k, depth + 1)

    walk(tree, 0)
    return out


def check_headers(table, std_type, id_tree, rep):
    """Every /Headers entry of the table's cells names, through the IDTree, a TH of this
    table: what a reader follows from a cell to the header (a band) that Scope cannot say."""
    ths = set()
    cells = []
    stack = [table]
    while stack:
        e = stack.pop()
        for k in kids_of(e.get("/K")):
            if not is_elem(k):
                continue
            t = std_type(k)
            if t == "TH":
                ths.add(k.objgen)
            if t in ("TH", "TD"):
                cells.append(k)
            elif t != "Table":
                stack.append(k)
    for c in cells:
        heads = attr(c, "Table", "/Headers")
        if heads is None:
            continue
        for h in (list(heads) if isinstance(heads, Array) else [heads]):
            got = id_tree.get(bytes(h)) if isinstance(h, pikepdf.String) else None
            if got is None:
                rep.add("15", "headers", f"{std_type(c)} element",
                        f"/Headers names {bytes(h)!r}, which the IDTree does not have")
            elif got not in ths:
                rep.add("15", "headers", f"{std_type(c)} element",
                        f"/Headers names {bytes(h)!r}, which is not a TH of its table")


def main(argv):
    if len(argv) != 2:
        print("usage: pdfua_check.py FILE.pdf", file=sys.stderr)
        return 2
    try:
        lines = check(argv[1])
    except pikepdf.PdfError as e:
        print(f"{argv[1]}: cannot read: {e}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
