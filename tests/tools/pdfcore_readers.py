#!/usr/bin/python3
"""The test document of unit_tag read by real readers: poppler, qpdf and pikepdf.

Usage: pdfcore_readers.py DIR     (DIR holds tag.pdf, tag2.pdf, taga.pdf from test_tag)
Prints every failed check and exits 1 if there is one.
"""
import os
import re
import subprocess
import sys
import tempfile

import pikepdf

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def run(args, check_stderr=True):
    p = subprocess.run(args, capture_output=True)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    if check_stderr and err.strip():
        fail(f"{' '.join(args)} printed on stderr: {err.strip()[:300]}")
    return p.returncode, out


def struct_text(path):
    """pdfinfo -struct-text as (element type, text) pairs in reading order."""
    _, out = run(["pdfinfo", "-struct-text", path])
    pairs = []
    stack = []  # (indent, type)
    for line in out.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        s = line.strip()
        if not s:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        m = re.match(r'^"(.*)"$', s)
        if m:
            pairs.append((stack[-1][1] if stack else None, m.group(1)))
            continue
        m = re.match(r"^([A-Za-z0-9]+)\b", s)
        if m and not s.startswith("/"):
            stack.append((indent, m.group(1)))
    return pairs


def expect_in_order(pairs, expected, what):
    i = 0
    for typ, text in expected:
        while i < len(pairs) and not (pairs[i][0] == typ and text in pairs[i][1]):
            i += 1
        if i == len(pairs):
            fail(f"{what}: {typ} {text!r} not found in reading order after the previous one")
            return
        i += 1


def check_file(path, pdfa):
    name = os.path.basename(path)
    rc, info = run(["pdfinfo", path])
    if "Tagged:          yes" not in info:
        fail(f"{name}: pdfinfo does not say Tagged: yes")
    if not re.search(r"^PDF version: +1\.7$", info, re.M):
        fail(f"{name}: pdfinfo does not say PDF version 1.7")
    if "Kaupunkiraportti 2024 – saavutettavuuskoe <&>" not in info:
        fail(f"{name}: the title is not in the info dictionary as written")

    pairs = struct_text(path)
    expect_in_order(pairs, [
        ("H1", "Kaupunkiraportti 2024 – saavutettavuus"),
        ("P", "Tämä kappale sisältää lihavoidun jakson sekä ä ö å – € (Ä Ö Å)."),
        ("Lbl", "•"), ("LBody", "Asukaskysely keväällä"),
        ("Lbl", "1."), ("LBody", "Kallio"), ("Lbl", "2."), ("LBody", "Töölö"),
        ("Lbl", "•"), ("LBody", "Työpajat syksyllä"),
        ("TH", "Alue"), ("TH", "Vastaajat"), ("TH", "Tyytyväisiä"),
        ("TH", "Keskinen suurpiiri"), ("TD", "Kallio"), ("TD", "412"), ("TD", "78 %"),
        ("P", "Lisätietoja: "), ("Link", "www.hel.fi/raportit"),
        ("Link", "Siirry johtopäätöksiin"),
        ("Figure", "Kallio"),
        ("P", "Tämä kappale alkaa ensimmäiseltä sivulta ja "),
        ("P", "jatkuu toisella sivulla samassa osiossa."),
        ("H2", "Johtopäätökset"),
        ("P", "Palvelut koetaan pääosin hyviksi."),
    ], f"{name}: pdfinfo -struct-text")
    _, raw = run(["pdfinfo", "-struct-text", path])
    if "/Scope /Column" not in raw or "/ListNumbering /Decimal" not in raw or \
            "/ColSpan 3" not in raw or "/Headers [" not in raw:
        fail(f"{name}: the attributes are not in pdfinfo -struct-text")

    rc, out = run(["qpdf", "--check", path], check_stderr=True)
    if rc != 0 or "No syntax or stream encoding errors found" not in out:
        fail(f"{name}: qpdf --check: {out.strip()[-300:]}")

    _, fonts = run(["pdffonts", path])
    rows = fonts.splitlines()[2:]
    if len(rows) < 3:
        fail(f"{name}: pdffonts lists {len(rows)} fonts")
    for row in rows:
        cols = row.split()
        if cols[-5:-2] != ["yes", "yes", "yes"]:
            fail(f"{name}: pdffonts: not emb/sub/uni: {row}")

    _, text = run(["pdftotext", "-enc", "UTF-8", path, "-"])
    for s in ["Kaupunkiraportti 2024 – saavutettavuus", "lihavoidun jakson sekä ä ö å – € (Ä Ö Å)",
              "Tyytyväisiä", "www.hel.fi/raportit",
              "Tämä kappale alkaa ensimmäiseltä sivulta ja",
              "jatkuu toisella sivulla samassa osiossa.", "Johtopäätökset", "Sivu 1", "Sivu 2"]:
        if s not in text:
            fail(f"{name}: pdftotext lacks {s!r}")

    with tempfile.TemporaryDirectory() as d:
        run(["pdftoppm", "-r", "20", "-png", path, os.path.join(d, "p")])
        if len(os.listdir(d)) != 2:
            fail(f"{name}: pdftoppm rendered {len(os.listdir(d))} pages")

    with pikepdf.open(path) as pdf:
        root = pdf.Root
        # Outlines: titles in the right letters, each to its page.
        ol = root.Outlines
        top = ol.First
        if str(top.Title) != "Kansi – ääkköset 𝄞":
            fail(f"{name}: bookmark title {str(top.Title)!r}")
        kids = []
        k = top.get("/First")
        while k is not None:
            kids.append(k)
            k = k.get("/Next")
        pages = [p.obj.objgen for p in pdf.pages]
        got = [(str(k.Title), pages.index(k.Dest[0].objgen)) for k in kids]
        if got != [("Sivu yksi", 0), ("Sivu kaksi", 1)]:
            fail(f"{name}: bookmarks under the deck are {got}")
        # The link made before its target page existed goes to page 2.
        dests = [a.Dest[0].objgen for a in pdf.pages[0].obj.Annots if "/Dest" in a]
        if dests != [pages[1]]:
            fail(f"{name}: the internal link goes to {dests}, not page 2")
        uris = [str(a.A.URI) for a in pdf.pages[0].obj.Annots if "/A" in a]
        if uris != ["https://www.hel.fi/raportit"]:
            fail(f"{name}: web links {uris}")
        contents = sorted(str(a.Contents) for a in pdf.pages[0].obj.Annots)
        if contents != ["Siirry sivulle 2: Johtopäätökset",
                        "www.hel.fi/raportit (avautuu selaimeen)"]:
            fail(f"{name}: link /Contents {contents}")
        info = pdf.trailer.Info
        if str(info.CreationDate) != "D:20231114221320Z00'00'":
            fail(f"{name}: CreationDate {info.CreationDate}")
        if "/ID" not in pdf.trailer or len(bytes(pdf.trailer.ID[0])) != 16:
            fail(f"{name}: no 16-byte /ID")
        xmp = root.Metadata.read_bytes().decode("utf-8")
        if "/Filter" in root.Metadata:
            fail(f"{name}: the XMP stream is compressed")
        for s in ["<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>",
                  "Kaupunkiraportti 2024 – saavutettavuuskoe &lt;&amp;&gt;",
                  "<pdfuaid:part>1</pdfuaid:part>", "<rdf:li>fi</rdf:li>",
                  "<dc:creator><rdf:Seq><rdf:li>Kulttuurin ja vapaa-ajan toimiala"]:
            if s not in xmp:
                fail(f"{name}: XMP lacks {s!r}")
        has_pdfa = "<pdfaid:part>2</pdfaid:part>" in xmp and \
            "<pdfaid:conformance>A</pdfaid:conformance>" in xmp and \
            "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
        intents = root.get("/OutputIntents")
        if pdfa:
            if not has_pdfa:
                fail(f"{name}: XMP lacks pdfaid part 2 conformance A or the pdfuaid schema")
            if intents is None or len(intents) != 1:
                fail(f"{name}: no OutputIntent")
            else:
                oi = intents[0]
                prof = oi.get("/DestOutputProfile")
                if str(oi.S) != "/GTS_PDFA1" or prof is None or int(prof.N) != 3:
                    fail(f"{name}: OutputIntent is not GTS_PDFA1 with an N 3 profile")
                elif prof.read_bytes()[36:40] != b"acsp":
                    fail(f"{name}: the OutputIntent's profile is not an ICC profile")
            for p in pdf.pages:
                for a in p.obj.get("/Annots", []):
                    if int(a.get("/F", 0)) & 4 == 0:
                        fail(f"{name}: an annotation without the Print flag")
        else:
            if has_pdfa or intents is not None:
                fail(f"{name}: PDF/A parts in a file that is not PDF/A")


def main(argv):
    d = argv[1]
    check_file(os.path.join(d, "tag.pdf"), False)
    check_file(os.path.join(d, "taga.pdf"), True)
    a = open(os.path.join(d, "tag.pdf"), "rb").read()
    b = open(os.path.join(d, "tag2.pdf"), "rb").read()
    if a != b:
        fail("two builds of tag.pdf differ")
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
