// Reads a PDF with pdf.js, the reader Firefox hands to a screen reader, and prints what it
// gives assistive technology as JSON on stdout, page by page:
//
//   {"pages": [{"page": 1,
//               "tree": {"role": "Root", "children": [...]},   // page.getStructTree()
//               "annotations": [{"id", "subtype", "contents", "url", "dest", "rect"}],
//               "artifacts": [{"text", "box"}, ...],           // marked as artifacts
//               "unmarked": ["text", ...]}],                   // outside any marked content
//    "lang": "fi", "title": "..."}
//
// A structure element is {"role", "alt"?, "lang"?, "children"}; a marked-content child is
// {"mcid": "page31R_mcid5", "text": "...", "box": [x0, y0, x1, y1]} with the text pdf.js
// extracts for that id (getTextContent({includeMarkedContent: true})) and the box of its
// glyphs in PDF units (y upwards; null when it shows nothing); an annotation child is
// {"object": "60R"}.  Where pdf.js marks the end of a line the text has "\n"; where it finds a
// piece far from the one before on its line, " ".
//
//   node pdfjs_read.mjs FILE.pdf [PDFJS]
//
// PDFJS is pdf.js's pdf.js (the legacy, CommonJS build): by default $TASEURANTA_PDFJS, else
// Debian's libjs-pdf (/usr/share/nodejs/pdfjs-dist/build/pdf.js).
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
const [file, given] = process.argv.slice(2);
if (!file) {
  console.error("usage: node pdfjs_read.mjs FILE.pdf [PDFJS]");
  process.exit(2);
}
const where = given || process.env.TASEURANTA_PDFJS || "/usr/share/nodejs/pdfjs-dist/build/pdf.js";
if (!existsSync(where)) {
  console.error(`pdfjs_read: no pdf.js at ${where} (scripts/deps installs Debian's libjs-pdf)`);
  process.exit(2);
}
const pdfjs = require(where);

// The text of each marked-content id, the artifacts' text and the text outside marked content.
function merge(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

// The box of a text item's glyphs; null for white space, which shows nothing.
function itemBox(it) {
  if (it.str.trim() === "") return null;
  const [x, y] = [it.transform[4], it.transform[5]];
  return [x, y, x + it.width, y + it.height];
}

function markedText(items) {
  const byId = new Map();
  const artifacts = [];
  const unmarked = [];
  const stack = [];
  for (const it of items) {
    if (it.type === "beginMarkedContent" || it.type === "beginMarkedContentProps") {
      stack.push({ id: it.id || null, tag: it.tag || null, text: "", box: null });
      continue;
    }
    if (it.type === "endMarkedContent") {
      const top = stack.pop();
      if (top === undefined) continue;
      if (top.id !== null) {
        const had = byId.get(top.id);
        byId.set(top.id, had ? { text: had.text + top.text, box: had.box } : top);
      } else if (top.tag === "Artifact") {
        if (top.text.trim() !== "") artifacts.push({ text: top.text, box: top.box });
      } else if (stack.length > 0) {
        const up = stack[stack.length - 1];
        up.text += top.text;
        up.box = merge(up.box, top.box);
      } else unmarked.push(top.text);
      continue;
    }
    if (typeof it.str !== "string") continue;
    const piece = it.str + (it.hasEOL ? "\n" : "");
    if (stack.length > 0) {
      const top = stack[stack.length - 1];
      top.text += piece;
      top.box = merge(top.box, itemBox(it));
    } else if (piece.trim() !== "") unmarked.push(piece);
  }
  return { byId, artifacts, unmarked };
}

function resolve(node, byId) {
  if (node.type === "content") {
    const m = byId.get(node.id);
    return { mcid: node.id, text: m ? m.text : null, box: m ? m.box : null };
  }
  if (node.type === "object") return { object: node.id };
  const out = { role: node.role };
  if (node.alt !== undefined) out.alt = node.alt;
  if (node.lang !== undefined) out.lang = node.lang;
  out.children = (node.children || []).map((c) => resolve(c, byId));
  return out;
}

async function main() {
  const data = new Uint8Array(readFileSync(file));
  // verbosity 0: errors only; a warning of pdf.js would be noise on a test's output.
  const doc = await pdfjs.getDocument({ data, verbosity: 0, isEvalSupported: false }).promise;
  const meta = await doc.getMetadata();
  const out = {
    lang: meta.info?.Language ?? null,
    title: meta.info?.Title ?? null,
    pages: [],
  };
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent({ includeMarkedContent: true });
    const { byId, artifacts, unmarked } = markedText(content.items);
    const tree = await page.getStructTree();
    const annots = await page.getAnnotations();
    out.pages.push({
      page: n,
      tree: tree ? resolve(tree, byId) : null,
      annotations: annots.map((a) => ({
        id: a.id,
        subtype: a.subtype,
        contents: a.contentsObj?.str ?? a.contents ?? "",
        url: a.url ?? null,
        dest: a.dest === undefined ? null : a.dest,
        rect: a.rect,
      })),
      artifacts,
      unmarked,
    });
    page.cleanup();
  }
  await doc.destroy();
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(`pdfjs_read: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
