#!/usr/bin/python3
"""The folders of src/ as docs/architecture.md draws them, held against the code.

    check_layers.py SRC_DIR HPDF_H

- every #include "FOLDER/..." of a file in src/F/ names F itself or a folder that F may see
  (FLOORS below: arrows go down only, so there is no circle between folders);
- a third-party header is included only in the folders that link its library (THIRD_PARTY);
- libharu's private headers (hpdf_*.h) are included only by src/pdf/shim.c, and every other
  file calls only the functions that libharu's public header (HPDF_H) exports, and reaches
  into none of libharu's structs (no `->` after a libharu handle's known fields).

Prints every breach as FILE:LINE: what, and exits 1 if there is one.
"""
import os
import re
import sys

# Who may include whom.  A folder sees the folders listed, and nothing above it.
SEES = {
    "core": set(),
    "round": {"core"},
    "font": {"core"},
    "layout": {"core", "round", "font"},
    "text": {"core", "round", "font", "layout"},
    "pdf": {"core", "round", "font", "layout", "text"},
    "writer": {"core", "round", "layout"},
    "slides": {"core", "round", "font", "layout", "text", "pdf", "writer"},
    "book": {"core", "round", "font", "layout", "text", "writer"},
    "cli": {"core", "round", "font", "layout", "text", "pdf", "writer", "slides", "book"},
}

# A header of a library (by the start of its path in <...>) and the folders that may include it.
THIRD_PARTY = [
    ("hpdf", {"pdf"}),
    ("libdeflate.h", {"pdf"}),
    ("xlsxwriter", {"book"}),
    ("zip.h", {"book"}),
    ("unzip.h", {"book"}),
    ("minizip/", {"book"}),
    ("linebreak", {"text"}),
    ("wordbreak", {"text"}),
    ("libvoikko/", {"text"}),
    ("hyphen.h", {"text"}),
    ("libxml/", {"core", "round", "layout", "book"}),
]

# Fields of libharu's structs that our own structs do not have: `->field` on one of them
# outside the shim is a reach into libharu.
LIBHARU_FIELDS = ["attr", "xref", "mmgr", "catalog", "root_pages", "cur_pages", "trailer",
                  "gstate", "fontdef", "obj_id", "write_fn", "after_write_fn",
                  "before_write_fn", "filter", "stream", "cmap_stream", "encrypt_on",
                  "pdf_version", "descriptor", "base_font", "cap_height", "text_matrix"]


def public_functions(hpdf_h):
    text = open(hpdf_h, encoding="latin-1").read()
    return set(re.findall(r"HPDF_EXPORT\([^)]*\)\s*(HPDF_\w+)\s*\(", text))


def strip_comments(text):
    # Keeps the line count: a comment's newlines stay.
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


def main(argv):
    src, hpdf_h = argv[1], argv[2]
    public = public_functions(hpdf_h)
    if len(public) < 200:
        print(f"{hpdf_h}: found only {len(public)} exported functions; is it libharu's hpdf.h?")
        return 1
    bad = []
    folders = sorted(d for d in os.listdir(src) if os.path.isdir(os.path.join(src, d)))
    for folder in folders:
        if folder not in SEES:
            bad.append(f"src/{folder}/: a folder that check_layers.py does not know: add it to "
                       "SEES and to docs/architecture.md")
            continue
        for name in sorted(os.listdir(os.path.join(src, folder))):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(src, folder, name)
            rel = f"src/{folder}/{name}"
            raw = open(path, encoding="utf-8").read()
            for no, line in enumerate(raw.splitlines(), 1):
                m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                if m:
                    inc = m.group(1)
                    if "/" not in inc:
                        bad.append(f"{rel}:{no}: #include \"{inc}\" does not name its folder")
                        continue
                    to = inc.split("/", 1)[0]
                    if to != folder and to not in SEES[folder]:
                        bad.append(f"{rel}:{no}: src/{folder}/ may not see src/{to}/ "
                                   f"(#include \"{inc}\")")
                m = re.match(r"\s*#\s*include\s+<([^>]+)>", line)
                if m:
                    inc = m.group(1)
                    for prefix, allowed in THIRD_PARTY:
                        if inc.startswith(prefix) and folder not in allowed:
                            bad.append(f"{rel}:{no}: <{inc}> belongs to "
                                       f"{', '.join(sorted('src/' + a + '/' for a in allowed))}")
                    if inc.startswith("hpdf") and inc != "hpdf.h" and rel != "src/pdf/shim.c":
                        bad.append(f"{rel}:{no}: <{inc}> is libharu's private header: only "
                                   "src/pdf/shim.c includes those")
            if folder != "pdf" or name == "shim.c":
                continue
            code = strip_comments(raw)
            for no, line in enumerate(code.splitlines(), 1):
                for m in re.finditer(r"\b(HPDF_\w+)\s*\(", line):
                    if m.group(1) not in public:
                        bad.append(f"{rel}:{no}: {m.group(1)} is not in libharu's public API: "
                                   "go through shim.h")
                for m in re.finditer(r"->\s*(\w+)", line):
                    if m.group(1) in LIBHARU_FIELDS:
                        bad.append(f"{rel}:{no}: ->{m.group(1)} reaches into a libharu struct: "
                                   "go through shim.h")
    for line in bad:
        print(line)
    print(f"{len(folders)} folders checked, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
