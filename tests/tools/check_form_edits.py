#!/usr/bin/python3
"""A form as a planner edits it, through the binary (workbook-form.md §1, §3).

  check_form_edits.py TASEURANTA SOURCE_DIR WORKDIR CASE

Cases:
  edits    the sample's form changed with openpyxl (a forecast's status, a task moved to another
           target, a new measure with its forecast) imports to the round with those changes
  wrong    each kind of wrong cell (an unknown status word, an id that names nothing, a bad
           number, two lines in a one-line cell, a missing sheet, a missing head) is said at its
           FILE:SHEET!CELL by import, check and build, exit 1, nothing written
  options  import's options stand over the Kierros sheet (--year, --number, --date, --division,
           --short, --lang); the form of a form (XLSX to ODS) reads back the same round
  hostile  workbooks that are not what they say (a truncated zip, a DOCTYPE in a part, a zip
           bomb, more entries than a workbook may have, a shared string out of range) are
           refused by check, import and build with a message naming the file, exit 1, nothing
           written
"""
import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

EXE, SRC, WORK, CASE = sys.argv[1:5]
SAMPLE = os.path.join(SRC, "input", "kuva-2020-3.xml")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(args):
    return subprocess.run([EXE] + args, capture_output=True, text=True, env=ENV)


def make_form(name):
    path = os.path.join(WORK, name)
    p = run(["form", SAMPLE, "-o", path, "--force"])
    check(p.returncode == 0, "form: %s" % p.stderr)
    return path


def rows(ws):
    heads = [c.value for c in ws[1]]
    out = []
    for r in ws.iter_rows(min_row=2):
        if any(c.value not in (None, "") for c in r):
            out.append({h: c for h, c in zip(heads, r)})
    return out


def case_edits():
    form = make_form("edits.xlsx")
    wb = openpyxl.load_workbook(form)
    # 1. the current forecast of 'digitalisaatio' becomes achieved
    for r in rows(wb["Ennusteet"]):
        if r["mittari"].value == "digitalisaatio" and r["ennuste"].value == 3:
            r["tila"].value = "Toteutunut"
    # 2. the first task of a measure's first target moves to its second target
    tasks = rows(wb["Tehtävät"])
    targets = {}
    for r in rows(wb["Osatavoitteet"]):
        targets.setdefault(r["mittari"].value, []).append(r["nro"].value)
    mover = next(r for r in tasks if len(targets.get(r["mittari"].value, [])) > 1 and
                 r["osatavoite"].value == 1)
    moved_title = mover["tehtävä"].value
    moved_measure = mover["mittari"].value
    mover["osatavoite"].value = 2
    # 3. a new measure under the goal 'liikkeelle', with a forecast for round 3
    ws = wb["Mittarit"]
    heads = [c.value for c in ws[1]]
    new = {"tunniste": "uusi-mittari", "tavoite": "liikkeelle", "nimi": "Uusi mittari",
           "mittari": "Mitataan uutta.", "palautumismittari": "kyllä",
           "omistajat": "Olli Omistaja\nOona Omistaja", "päivämäärä": "2020-10",
           "tavoitetaso": 12.5, "yksikkö": "kpl"}
    ws.append([new.get(h) for h in heads])
    wf = wb["Ennusteet"]
    fheads = [c.value for c in wf[1]]
    wf.append([{"mittari": "uusi-mittari", "ennuste": 3, "tila": "at-risk", "arvo": "7,5",
                "yksikkö": "kpl", "teksti": "• eka\n• toka"}.get(h) for h in fheads])
    wb.save(form)

    out = os.path.join(WORK, "edited.xml")
    p = run(["import", form, "-o", out, "--force"])
    if not check(p.returncode == 0, "import of the edited form: %s" % p.stderr):
        return
    root = ET.parse(out).getroot()
    m = root.find(".//measure[@id='digitalisaatio']")
    f3 = m.find("forecast[@round='3']")
    check(f3 is not None and f3.get("status") == "achieved",
          "the changed status: %s" % (f3.attrib if f3 is not None else None))
    mm = root.find(".//measure[@id='%s']" % moved_measure)
    tg = mm.findall("target")
    titles = [["".join(t.find("title").itertext()) for t in x.findall("task")] for x in tg]
    # its row comes before the second target's own: it is now that target's first task
    check(moved_title not in titles[0] and titles[1][0] == moved_title,
          "the moved task %r: targets' tasks %s" % (moved_title, titles))
    goal = root.find("goal[@id='liikkeelle']")
    last = goal.findall("measure")[-1]
    check(last.get("id") == "uusi-mittari" and last.get("recovery") == "true",
          "the new measure: %s" % last.attrib)
    check([o.text for o in last.findall("owner")] == ["Olli Omistaja", "Oona Omistaja"],
          "the new measure's owners")
    check(last.find("date").text == "2020-10", "the new measure's date")
    lv = last.find("level")
    check(lv is not None and lv.get("value") == "12.5" and lv.get("unit") == "kpl",
          "the new measure's level")
    f = last.find("forecast")
    check(f is not None and f.get("status") == "at-risk" and f.get("value") == "7.5" and
          [li.text for li in f.iter("li")] == ["eka", "toka"],
          "the new measure's forecast: %s" % (ET.tostring(f, "unicode") if f is not None else None))
    # and the edited form builds
    p = run(["build", form, "-o", os.path.join(WORK, "edited-out"), "-q"])
    check(p.returncode == 0, "build of the edited form: %s" % p.stderr)


WRONG = [
    # (what, edit, the expected message's start)
    ("an unknown status word", lambda wb: wb["Ennusteet"].__setitem__("C2", "valmis"),
     'Ennusteet!C2: error: "valmis" is not a forecast status; allowed: Toteutuu, Toteutunut, '
     'Epävarma, Ei toteudu'),
    ("an id that names nothing", lambda wb: wb["Tavoitteet"].__setitem__("B2", "uudistuva"),
     'Tavoitteet!B2: error: "uudistuva" names no theme; themes in this form: '),
    ("a bad number", lambda wb: wb["Ennusteet"].__setitem__("D3", "paljon"),
     'Ennusteet!D3: error: "paljon" is not a number'),
    ("two lines in a one-line cell",
     lambda wb: wb["Mittarit"].__setitem__("C2", "Digitalisaatio\nja muuta"),
     "Mittarit!C2: error: this cell holds one line of text, and it has more"),
    ("a task status near a word", lambda wb: wb["Tehtävät"].__setitem__("D2", "tehy"),
     'Tehtävät!D2: error: "tehy" is not a task status; allowed: Tekemättä, Tekeillä, Tehty '
     '(did you mean Tehty?)'),
    ("a missing sheet", lambda wb: wb.remove(wb["Huomiot"]),
     ': error: the form has no sheet "Huomiot"'),
    ("a missing head", lambda wb: wb["Tehtävät"].__setitem__("D1", "tilanne"),
     'Tehtävät!A1: error: the head row has no column "tila"'),
]


def case_wrong():
    for i, (what, edit, want) in enumerate(WRONG):
        form = make_form("wrong-%d.xlsx" % i)
        wb = openpyxl.load_workbook(form)
        edit(wb)
        wb.save(form)
        out = os.path.join(WORK, "wrong-%d.xml" % i)
        outdir = os.path.join(WORK, "wrong-%d-out" % i)
        for cmd in (["import", form, "-o", out], ["check", form], ["build", form, "-o", outdir]):
            p = run(cmd)
            check(p.returncode == 1, "%s, %s: exit %d" % (what, cmd[0], p.returncode))
            check(form + ":" + want.split(":", 1)[0] in p.stderr and
                  want.split(":", 1)[1] in p.stderr,
                  "%s, %s: no %r in:\n%s" % (what, cmd[0], want, p.stderr))
        check(not os.path.exists(out), "%s: import wrote a file" % what)
        check(not os.path.exists(outdir) or not os.listdir(outdir),
              "%s: build wrote %s" % (what, os.listdir(outdir)))


def case_options():
    form = os.path.join(WORK, "options.xlsx")
    p = run(["form", os.path.join(SRC, "tests", "data", "valid", "minimal.xml"), "-o", form])
    check(p.returncode == 0, "form: %s" % p.stderr)
    plain = os.path.join(WORK, "plain.xml")
    p = run(["import", form, "-o", plain])
    check(p.returncode == 0, "import: %s" % p.stderr)
    out = os.path.join(WORK, "options.xml")
    p = run(["import", form, "-o", out, "--year", "2031", "--number", "3", "--date",
             "2031-02-28", "--division", "Kulttuuri & vapaa-aika", "--short", "Kuva2",
             "--lang", "sv"])
    if not check(p.returncode == 0, "import with options: %s" % p.stderr):
        return
    root = ET.parse(out).getroot()
    check((root.get("year"), root.get("number"), root.get("date")) ==
          ("2031", "3", "2031-02-28"), "the options' year, number, date: %s" % root.attrib)
    check(root.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv", "--lang")
    div = root.find("organization/division")
    check(div.text == "Kulttuuri & vapaa-aika" and div.get("short") == "Kuva2",
          "--division and --short: %r %r" % (div.text, div.get("short")))
    # the rules hold after the options: round 1 of the sample carries forecasts of round 3
    p = run(["import", make_form("sample.xlsx"), "-o", os.path.join(WORK, "one.xml"),
             "--number", "1"])
    check(p.returncode == 1 and "Ennusteet!B" in p.stderr and "a forecast for round 3 in round 1"
          in p.stderr, "--number 1 over a round 3: exit %d: %s" % (p.returncode, p.stderr[:400]))
    for bad, word in ((["--year", "1999"], "--year"), (["--number", "4"], "--number"),
                      (["--date", "2031-02-30"], "--date"), (["--lang", "de"], "--lang")):
        p = run(["import", form, "-o", os.path.join(WORK, "bad.xml")] + bad)
        check(p.returncode == 2 and word in p.stderr, "%s: exit %d: %s" %
              (bad, p.returncode, p.stderr))
    # the form of a form: XLSX to ODS, and back to the same round
    ods = os.path.join(WORK, "options.ods")
    p = run(["form", form, "-o", ods])
    check(p.returncode == 0, "form of a form: %s" % p.stderr)
    again = os.path.join(WORK, "again.xml")
    p = run(["import", ods, "-o", again])
    check(p.returncode == 0 and open(again, "rb").read() == open(plain, "rb").read(),
          "the form of a form reads back another round: %s" % p.stderr)


def rezip(src, dst, change):
    """dst: the zip src with its parts changed by change(name, bytes) -> bytes or None."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def case_hostile():
    form = make_form("good.xlsx")
    data = open(form, "rb").read()
    cases = {}
    p = os.path.join(WORK, "truncated.xlsx")
    open(p, "wb").write(data[: len(data) // 2])
    cases["truncated"] = p
    p = os.path.join(WORK, "doctype.xlsx")
    rezip(form, p, lambda n, b: b.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY e SYSTEM '
                                                b'"file:///etc/passwd">]>', 1)
          if n == "xl/workbook.xml" else b)
    cases["doctype"] = p
    p = os.path.join(WORK, "bomb.xlsx")
    rezip(form, p, lambda n, b: b + b" " * (80 << 20) if n == "xl/sharedStrings.xml" else b)
    cases["bomb"] = p
    p = os.path.join(WORK, "entries.xlsx")
    with zipfile.ZipFile(p, "w", zipfile.ZIP_STORED) as z:
        with zipfile.ZipFile(form) as zin:
            for info in zin.infolist():
                z.writestr(info.filename, zin.read(info.filename))
        for i in range(100001):
            z.writestr("x/%d" % i, b"")
    cases["entries"] = p
    p = os.path.join(WORK, "string-index.xlsx")
    rezip(form, p, lambda n, b: re.sub(rb'(<c r="A2"[^>]*t="s"[^>]*><v>)\d+', rb"\g<1>999999",
                                       b, count=1) if n == "xl/worksheets/sheet3.xml" else b)
    cases["string-index"] = p
    for what, path in cases.items():
        out = os.path.join(WORK, what + ".xml")
        outdir = os.path.join(WORK, what + "-out")
        for cmd in (["check", path], ["import", path, "-o", out],
                    ["build", path, "-o", outdir]):
            r = run(cmd)
            check(r.returncode == 1, "%s, %s: exit %d: %s" % (what, cmd[0], r.returncode,
                                                             r.stderr[:500]))
            check(re.search(re.escape(path) + r"(:[^:\n]+)*: error: ", r.stderr),
                  "%s, %s: no located error in: %s" % (what, cmd[0], r.stderr[:500]))
        check(not os.path.exists(out), "%s: import wrote a file" % what)
        check(not os.path.exists(outdir) or not os.listdir(outdir), "%s: build wrote" % what)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    {"edits": case_edits, "wrong": case_wrong, "options": case_options,
     "hostile": case_hostile}[CASE]()
    for f in failures:
        print("FAIL: " + f, file=sys.stderr)
    print("%s: %s" % (CASE, "FAILED (%d)" % len(failures) if failures else "ok"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
