#!/usr/bin/python3
"""A pack big enough to split the ParentTree: test_tag synth writes PAGES pages, and the file must
pass qpdf --check and the PDF/UA rule checker, with a ParentTree of /Kids leaves of at most 1000
keys whose /Limits are right, and every page's link and bookmark resolved.

Usage: pdfcore_big.py TEST_TAG_EXE OUT.pdf PAGES
"""
import os
import subprocess
import sys

import pikepdf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pdfua_check  # noqa: E402


def main(argv):
    exe, out, pages = argv[1], argv[2], int(argv[3])
    p = subprocess.run([exe, "synth", str(pages), out], capture_output=True, text=True)
    print(p.stdout.strip())
    if p.returncode != 0 or p.stderr.strip():
        print("FAIL: synth:", p.returncode, p.stderr.strip()[:500])
        return 1
    bad = []
    q = subprocess.run(["qpdf", "--check", out], capture_output=True, text=True)
    if q.returncode != 0 or "No syntax or stream encoding errors" not in q.stdout:
        bad.append("qpdf --check: " + (q.stdout + q.stderr)[-300:])
    with pikepdf.open(out) as pdf:
        if len(pdf.pages) != pages:
            bad.append(f"{len(pdf.pages)} pages, not {pages}")
        pt = pdf.Root.StructTreeRoot.ParentTree
        if "/Kids" not in pt or "/Nums" in pt:
            bad.append("the ParentTree is not split into /Kids")
        else:
            prev = -1
            for leaf in pt.Kids:
                nums = leaf.Nums
                keys = [int(nums[i]) for i in range(0, len(nums), 2)]
                lo, hi = int(leaf.Limits[0]), int(leaf.Limits[1])
                if len(keys) > 1000 or keys != sorted(keys) or keys[0] != lo or keys[-1] != hi \
                        or lo <= prev:
                    bad.append(f"a ParentTree leaf is wrong: {len(keys)} keys, limits {lo} {hi}")
                prev = hi
            if prev + 1 != int(pdf.Root.StructTreeRoot.ParentTreeNextKey):
                bad.append("ParentTreeNextKey does not follow the last key")
        n_out = 0
        o = pdf.Root.Outlines.First
        while o is not None:
            n_out += 1
            o = o.get("/Next")
        if n_out != (pages + 9) // 10:
            bad.append(f"{n_out} deck bookmarks, not {(pages + 9) // 10}")
    lines = pdfua_check.check(out)
    bad += lines[:20]
    for b in bad:
        print("FAIL:", b)
    print(f"{len(bad)} failures")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
