#!/usr/bin/python3
"""Whole-output tests of `taseuranta form` (workbook-form.md §1).

  check_form.py TASEURANTA SOURCE_DIR WORKDIR CASE [ROUND.xml...]

Cases:
  write ROUND...  each round's form as XLSX and ODS, written twice (byte-identical): the sheets
                  and heads in the round's language (from its label file), a note on every head,
                  the head frozen with an autofilter, a drop-down list on every word and id
                  column (words from the labels, ids a range of the defining sheet), every cell
                  wrapped and top-aligned, one row per element in file order with what the XML
                  says (ids, references, status words, people, numbers); the ODS has the same
                  sheets, content validations referenced by the cells and an annotation per head
  blank           `form --blank --lang L` for fi, sv, en: the heads, the Kierros fields, no rows
  cli             refusals: an existing file without --force (left as it was), the input as the
                  output, an extension that is not .xlsx or .ods, --lang with a round, no -o; a
                  refused round writes nothing and leaves no temporary file; --force replaces
  look ROUND      LibreOffice opens both forms and prints them: every sheet, head and id shows
  docs            docs/forms.md agrees with the guide sheet: every sheet, column head, field and
                  list word of the Finnish form, and every text convention, is in it
"""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

EXE, SRC, WORK, CASE = sys.argv[1:5]
ROUNDS = sys.argv[5:]
XMLNS = "{http://www.w3.org/XML/1998/namespace}"
failures = []

SHEETS = ["guide", "round", "themes", "programmes", "goals", "measures", "forecasts", "targets",
          "phases", "tasks", "notes", "summary"]
COLUMNS = {
    "themes": ["id", "name"],
    "programmes": ["id", "kind", "name"],
    "goals": ["id", "theme", "statement", "description"],
    "measures": ["id", "goal", "name", "text", "recovery", "date", "owners", "managers",
                 "preparers", "objective", "level", "unit", "comment", "risks", "links"],
    "forecasts": ["measure", "round", "status", "value", "unit", "text"],
    "targets": ["measure", "number", "id", "title", "from", "to", "forecast", "risks"],
    "phases": ["measure", "target", "at", "label"],
    "tasks": ["measure", "target", "title", "status", "progress", "detail"],
    "notes": ["measure", "text"],
    "summary": ["subject", "row", "text"],
}
ROUND_FIELDS = ["year", "number", "date", "lang", "city", "division", "short", "title", "subtitle"]
# Columns offered a list: words (the label keys of the words) or the sheet whose ids they name.
WORDS = {
    ("programmes", "kind"): ["form.kind.city-project", "form.kind.joint-theme",
                             "form.kind.separate-programme"],
    ("measures", "recovery"): ["bool.true", "bool.false"],
    ("forecasts", "status"): ["status.on-track", "status.achieved", "status.at-risk",
                              "status.off-track"],
    ("tasks", "status"): ["form.task.todo", "form.task.doing", "form.task.done"],
    ("summary", "row"): ["form.summary.action", "form.summary.indicator", "form.summary.binding"],
}
REFS = {
    ("goals", "theme"): "themes", ("measures", "goal"): "goals",
    ("measures", "links"): "programmes", ("forecasts", "measure"): "measures",
    ("targets", "measure"): "measures", ("phases", "measure"): "measures",
    ("tasks", "measure"): "measures", ("notes", "measure"): "measures",
}


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def labels(lang):
    path = os.path.join(SRC, "layouts", "labels", lang + ".xml")
    return {l.get("key"): " ".join((l.text or "").split())
            for l in ET.parse(path).getroot().iter("label")}


def run(args, env_extra=None):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    env.pop("TASEURANTA_DATA", None)
    if env_extra:
        env.update(env_extra)
    return subprocess.run([EXE] + args, capture_output=True, text=True, env=env)


def folded(s):
    return " ".join((s or "").split())


def text_of(el):
    return folded("".join(el.itertext())) if el is not None else ""


def expected_rows(root):
    """The rows each sheet should have, from the XML: a few columns each."""
    rows = {k: [] for k in COLUMNS}
    for t in root.find("themes").findall("theme"):
        rows["themes"].append({"id": t.get("id"), "name": text_of(t)})
    progs = root.find("programmes")
    for p in (progs.findall("programme") if progs is not None else []):
        rows["programmes"].append({"id": p.get("id"), "kind": p.get("kind")})
    for g in root.findall("goal"):
        rows["goals"].append({"id": g.get("id"), "theme": g.get("theme")})
        for m in g.findall("measure"):
            rows["measures"].append({
                "id": m.get("id"), "goal": g.get("id"),
                "recovery": m.get("recovery", "false").strip(),
                "owners": [folded(o.text) for o in m.findall("owner")],
                "links": [l.get("ref") for l in m.findall("link")],
                "level": m.find("level").get("value") if m.find("level") is not None else None,
            })
            for f in m.findall("forecast"):
                rows["forecasts"].append({"measure": m.get("id"), "round": int(f.get("round")),
                                          "status": f.get("status"), "value": f.get("value")})
            for n, t in enumerate(m.findall("target"), 1):
                rows["targets"].append({"measure": m.get("id"), "number": n})
                sc = t.find("scale")
                for ph in (sc.findall("phase") if sc is not None else []):
                    rows["phases"].append({"measure": m.get("id"), "target": n,
                                           "at": float(ph.get("at"))})
                for k in t.findall("task"):
                    rows["tasks"].append({"measure": m.get("id"), "target": n,
                                          "status": k.get("status"),
                                          "progress": k.get("progress")})
            for _ in m.findall("note"):
                rows["notes"].append({"measure": m.get("id")})
    summ = root.find("summary")
    if summ is not None:
        for ta in summ.findall("theme-actions"):
            for _ in ta.findall("action"):
                rows["summary"].append({"subject": ta.get("theme"), "row": "action"})
            for ind in ta.findall("indicator"):
                binding = ind.get("binding", "false").strip() == "true"
                rows["summary"].append({"subject": ta.get("theme"),
                                        "row": "binding" if binding else "indicator"})
        for pa in summ.findall("programme-actions"):
            for _ in pa.findall("action"):
                rows["summary"].append({"subject": pa.get("ref"), "row": "action"})
    return rows


def check_heads(wb, lb, name):
    """Sheets in order, heads, notes, freeze, filter, lists."""
    names = [lb["form.sheet." + s] for s in SHEETS]
    check(wb.sheetnames == names, "%s: sheets %s, not %s" % (name, wb.sheetnames, names))
    for key in SHEETS[2:]:
        ws = wb[lb["form.sheet." + key]]
        heads = [c.value for c in ws[1]][:len(COLUMNS[key])]
        want = [lb["form.%s.%s" % (key, c)] for c in COLUMNS[key]]
        check(heads == want, "%s: %s heads %s, not %s" % (name, key, heads, want))
        for i, c in enumerate(ws[1][:len(want)]):
            help_ = lb["form.%s.%s.help" % (key, COLUMNS[key][i])]
            check(c.comment is not None and help_ in c.comment.text,
                  "%s: %s!%s has no note with its help" % (name, ws.title, c.coordinate))
            check(c.font.b, "%s: %s!%s head not bold" % (name, ws.title, c.coordinate))
        check(ws.freeze_panes == "A2", "%s: %s frozen at %s" % (name, ws.title, ws.freeze_panes))
        check(bool(ws.auto_filter.ref), "%s: %s has no autofilter" % (name, ws.title))
        lists = {}
        for dv in ws.data_validations.dataValidation:
            for rng in str(dv.sqref).split():
                col = re.match(r"[A-Z]+", rng).group(0)
                lists[col] = (dv.type, dv.formula1 or "", str(dv.sqref))
        for i, col in enumerate(COLUMNS[key]):
            letter = openpyxl.utils.get_column_letter(i + 1)
            if (key, col) in WORDS:
                words = [lb[k] for k in WORDS[(key, col)]]
                got = lists.get(letter)
                check(got is not None and got[0] == "list" and
                      got[1] == '"%s"' % ",".join(words) and got[2].endswith("1048576"),
                      "%s: %s column %s list %s, not the words %s" % (name, key, col, got, words))
            elif (key, col) in REFS:
                other = lb["form.sheet." + REFS[(key, col)]]
                got = lists.get(letter)
                check(got is not None and got[0] == "list" and
                      got[1] == "'%s'!$A$2:$A$1048576" % other,
                      "%s: %s column %s list %s, not %s's ids" % (name, key, col, got, other))
            else:
                check(letter not in lists, "%s: %s column %s has a list" % (name, key, col))
    ws = wb[lb["form.sheet.round"]]
    fields = [ws.cell(row=i + 2, column=1).value for i in range(len(ROUND_FIELDS))]
    want = [lb["form.round." + f] for f in ROUND_FIELDS]
    check(fields == want, "%s: Kierros fields %s, not %s" % (name, fields, want))


def lines(v):
    return [] if v is None else [l for l in str(v).split("\n") if l.strip()]


def number(v):
    return None if v is None or v == "" else float(v)


def check_rows(wb, lb, root, name):
    rows = expected_rows(root)
    word = {
        "status": {s: lb["status." + s] for s in ("on-track", "achieved", "at-risk", "off-track")},
        "task": {s: lb["form.task." + s] for s in ("todo", "doing", "done")},
        "kind": {s: lb["form.kind." + s] for s in
                 ("city-project", "joint-theme", "separate-programme")},
        "row": {s: lb["form.summary." + s] for s in ("action", "indicator", "binding")},
    }
    for key, want in rows.items():
        ws = wb[lb["form.sheet." + key]]
        got = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
        got = [r for r in got if any(v not in (None, "") for v in r)]
        if not check(len(got) == len(want), "%s: %s has %d rows, the round %d" %
                     (name, key, len(got), len(want))):
            continue
        cols = COLUMNS[key]
        for i, (g, w) in enumerate(zip(got, want)):
            cell = dict(zip(cols, g))
            where = "%s: %s row %d" % (name, key, i + 2)
            for k, v in w.items():
                have = cell.get(k)
                if key == "forecasts" and k == "status":
                    check(have == word["status"][v], "%s: status %r, not %r" % (where, have, v))
                elif key == "tasks" and k == "status":
                    check(have == word["task"][v], "%s: status %r, not %r" % (where, have, v))
                elif key == "programmes" and k == "kind":
                    check(have == word["kind"][v], "%s: kind %r, not %r" % (where, have, v))
                elif key == "summary" and k == "row":
                    check(have == word["row"][v], "%s: row %r, not %r" % (where, have, v))
                elif k == "recovery":
                    check(have == lb["bool." + v], "%s: recovery %r, not %r" % (where, have, v))
                elif k in ("owners", "links"):
                    check(lines(have) == v, "%s: %s %r, not %r" % (where, k, lines(have), v))
                elif k in ("value", "level", "progress", "at", "round", "number", "target"):
                    check(number(have) == number(v), "%s: %s %r, not %r" % (where, k, have, v))
                    if v is not None and have is not None:
                        check(isinstance(have, (int, float)),
                              "%s: %s is text, not a number" % (where, k))
                else:
                    check(folded(have) == folded(v), "%s: %s %r, not %r" % (where, k, have, v))
        # Every cell of the rows wrapped and top-aligned.
        for r in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 6)):
            for c in r[:len(cols)]:
                check(c.alignment.wrap_text and c.alignment.vertical == "top",
                      "%s: %s!%s not wrapped and top-aligned" % (name, ws.title, c.coordinate))


def check_ods(path, lb, name):
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}
    with zipfile.ZipFile(path) as z:
        check(z.namelist()[0] == "mimetype", "%s: mimetype is not first" % name)
        root = ET.fromstring(z.read("content.xml"))
    tables = root.findall(".//table:table", ns)
    names = [t.get("{%s}name" % ns["table"]) for t in tables]
    check(names == [lb["form.sheet." + s] for s in SHEETS], "%s: ODS sheets %s" % (name, names))
    vals = {v.get("{%s}name" % ns["table"]) for v in root.findall(".//table:content-validation", ns)}
    n_lists = len(WORDS) + len(REFS)
    check(len(vals) == n_lists, "%s: %d content validations, not %d" % (name, len(vals), n_lists))
    used = {c.get("{%s}content-validation-name" % ns["table"])
            for c in root.iter("{%s}table-cell" % ns["table"])} - {None}
    check(used == vals, "%s: validations used %s, defined %s" % (name, sorted(used), sorted(vals)))
    notes = root.findall(".//office:annotation", ns)
    n_heads = 2 + sum(len(c) for c in COLUMNS.values())
    check(len(notes) == n_heads, "%s: %d annotations, not one per head (%d)" %
          (name, len(notes), n_heads))


def case_write():
    for rnd in ROUNDS:
        root = ET.parse(rnd).getroot()
        lang = root.get(XMLNS + "lang")
        lb = labels(lang)
        base = os.path.splitext(os.path.basename(rnd))[0]
        for ext in ("xlsx", "ods"):
            outs = []
            for k in range(2):
                out = os.path.join(WORK, "%s-%d.%s" % (base, k, ext))
                p = run(["form", rnd, "-o", out])
                if not check(p.returncode == 0, "%s: form -o .%s exit %d: %s" %
                             (base, ext, p.returncode, p.stderr)):
                    break
                outs.append(out)
            if len(outs) < 2:
                continue
            with open(outs[0], "rb") as a, open(outs[1], "rb") as b:
                check(a.read() == b.read(), "%s.%s: two runs differ" % (base, ext))
            if ext == "xlsx":
                wb = openpyxl.load_workbook(outs[0])
                check_heads(wb, lb, base)
                check_rows(wb, lb, root, base)
            else:
                check_ods(outs[0], lb, base)


def case_blank():
    for lang in ("fi", "sv", "en"):
        lb = labels(lang)
        out = os.path.join(WORK, "blank-%s.xlsx" % lang)
        p = run(["form", "--blank", "--lang", lang, "-o", out])
        if not check(p.returncode == 0, "blank %s: exit %d: %s" % (lang, p.returncode, p.stderr)):
            continue
        wb = openpyxl.load_workbook(out)
        check_heads(wb, lb, "blank-" + lang)
        for key in SHEETS[2:]:
            ws = wb[lb["form.sheet." + key]]
            rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(r)]
            check(rows == [], "blank %s: %s has rows %s" % (lang, key, rows[:2]))
        ws = wb[lb["form.sheet.round"]]
        values = {ws.cell(row=i + 2, column=1).value: ws.cell(row=i + 2, column=2).value
                  for i in range(len(ROUND_FIELDS))}
        check(values[lb["form.round.lang"]] == lang, "blank %s: kieli is %r" %
              (lang, values[lb["form.round.lang"]]))
        guide = wb[lb["form.sheet.guide"]]
        text = "\n".join(str(c.value) for r in guide.iter_rows() for c in r if c.value)
        for key in ("form.guide.title", "form.guide.text.list.help", "status.at-risk",
                    "form.measures.about"):
            check(lb[key] in folded(text), "blank %s: the guide lacks %r" % (lang, lb[key]))
        out = os.path.join(WORK, "blank-%s.ods" % lang)
        p = run(["form", "--blank", "--lang", lang, "-o", out])
        if check(p.returncode == 0, "blank %s ods: exit %d: %s" % (lang, p.returncode, p.stderr)):
            check_ods(out, lb, "blank-%s.ods" % lang)


def case_cli():
    rnd = os.path.join(SRC, "tests", "data", "valid", "minimal.xml")
    out = os.path.join(WORK, "form.xlsx")
    with open(out, "w") as f:
        f.write("someone's edits")
    p = run(["form", rnd, "-o", out])
    check(p.returncode == 2 and "--force" in p.stderr, "existing: exit %d: %s" %
          (p.returncode, p.stderr))
    check(open(out).read() == "someone's edits", "existing: the file was touched")
    p = run(["form", rnd, "-o", out, "--force"])
    check(p.returncode == 0 and zipfile.is_zipfile(out), "--force: exit %d: %s" %
          (p.returncode, p.stderr))
    copy = os.path.join(WORK, "in.xlsx")
    shutil.copy(out, copy)
    for args, what in (([rnd, "-o", os.path.join(WORK, "f.csv")], "a .csv output"),
                       ([rnd], "no -o"),
                       ([rnd, "--lang", "sv", "-o", os.path.join(WORK, "f.xlsx")],
                        "--lang with a round"),
                       (["--blank", "--lang", "de", "-o", os.path.join(WORK, "f.xlsx")],
                        "--lang de"),
                       (["--blank", rnd, "-o", os.path.join(WORK, "f.xlsx")],
                        "--blank with a round")):
        p = run(["form"] + args)
        check(p.returncode == 2 and "taseuranta --help" in p.stderr,
              "%s: exit %d: %s" % (what, p.returncode, p.stderr))
    bad = os.path.join(WORK, "bad.xml")
    with open(bad, "w") as f:
        f.write(open(rnd).read().replace('status="', 'status="x'))
    target = os.path.join(WORK, "bad.ods")
    p = run(["form", bad, "-o", target])
    check(p.returncode == 1 and re.search(r"bad\.xml:\d+:\d+: error:", p.stderr),
          "a refused round: exit %d: %s" % (p.returncode, p.stderr))
    check(not os.path.exists(target), "a refused round: the form was written")
    left = [n for n in os.listdir(WORK) if n.endswith(".tmp")]
    check(left == [], "temporary files left: %s" % left)
    # A build of a form never writes over it: a form named as its own output is refused.
    probe = os.path.join(WORK, "probe")
    p = run(["build", out, "-o", probe, "--format", "xlsx", "-q"])
    names = os.listdir(probe) if p.returncode == 0 else []
    if check(len(names) == 1, "the build of the form: %s %s" % (names, p.stderr)):
        named = os.path.join(WORK, names[0])
        shutil.copy(out, named)
        before = open(named, "rb").read()
        p = run(["build", named, "-o", WORK])
        check(p.returncode == 2 and "refusing to write over an input" in p.stderr and
              open(named, "rb").read() == before,
              "a build over its form: exit %d: %s" % (p.returncode, p.stderr))
    # The input as the output.
    same = os.path.join(WORK, "same.xlsx")
    shutil.copy(out, same)
    p = run(["form", same, "-o", same, "--force"])
    check(p.returncode != 0, "the input as the output: exit %d" % p.returncode)


def case_look():
    rnd = ROUNDS[0]
    root = ET.parse(rnd).getroot()
    lb = labels(root.get(XMLNS + "lang"))
    for ext in ("xlsx", "ods"):
        out = os.path.join(WORK, "look.%s" % ext)
        p = run(["form", rnd, "-o", out, "--force"])
        if not check(p.returncode == 0, "look %s: %s" % (ext, p.stderr)):
            continue
        profile = "file://" + os.path.join(WORK, "lo-profile")
        pdfdir = os.path.join(WORK, "pdf-" + ext)
        subprocess.run(["soffice", "-env:UserInstallation=" + profile, "--headless",
                        "--convert-to", "pdf", "--outdir", pdfdir, out],
                       capture_output=True, timeout=300)
        pdf = os.path.join(pdfdir, "look.pdf")
        if not check(os.path.exists(pdf), "look %s: LibreOffice made no PDF" % ext):
            continue
        text = folded(subprocess.run(["pdftotext", pdf, "-"], capture_output=True,
                                     text=True).stdout)
        for key in ["form.guide.title"] + ["form.%s.%s" % (s, c) for s in COLUMNS
                                           for c in COLUMNS[s][:2]]:
            check(lb[key] in text, "look %s: the printed form lacks %r" % (ext, lb[key]))
        for m in root.iter("measure"):
            check(m.get("id") in text, "look %s: the printed form lacks %s" % (ext, m.get("id")))


def case_docs():
    lb = labels("fi")
    doc = folded(open(os.path.join(SRC, "docs", "forms.md"), encoding="utf-8").read()).lower()
    keys = ["form.sheet." + s for s in SHEETS]
    keys += ["form.%s.%s" % (s, c) for s in COLUMNS for c in COLUMNS[s]]
    keys += ["form.round." + f for f in ROUND_FIELDS] + ["form.round.field", "form.round.value"]
    keys += [k for words in WORDS.values() for k in words]
    for key in keys:
        check(lb[key].lower() in doc, "docs/forms.md lacks %r (%s)" % (lb[key], key))
    for conv in ("• ", "- ", "1. ", "\\", "[text](https://"):
        check(conv.lower() in doc, "docs/forms.md lacks the convention %r" % conv)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    {"write": case_write, "blank": case_blank, "cli": case_cli, "look": case_look,
     "docs": case_docs}[CASE]()
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    print("%s: %s" % (CASE, "FAILED (%d)" % len(failures) if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
