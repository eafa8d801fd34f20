#!/usr/bin/env python3
"""Whole-program tests of the command line: help and man page, usage errors, new-round,
batches, atomic outputs, SOURCE_DATE_EPOCH, outputs that two rounds or an input claim, two
processes building into one folder, shipped layouts by name, check's closing lines, and an
installed copy.  Usage: test_cli.py EXE SOURCE_DIR CASE"""
import fcntl
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile

EXE, SRC, CASE = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLE = os.path.join(SRC, "input", "kuva-2020-3.xml")
VALID = os.path.join(SRC, "tests", "data", "valid")
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1602504000")


def run(args, env=None, **kw):
    return subprocess.run([EXE] + args, capture_output=True, text=True, env=env or ENV, timeout=600,
                          **kw)


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def expect(cond, msg):
    if not cond:
        fail(msg)


def options_by_section(text, section_re, option_re):
    """Maps a section name to the set of option spellings found under it."""
    found, current = {}, None
    for line in text.splitlines():
        m = re.match(section_re, line)
        if m:
            current = m.group(1)
            found.setdefault(current, set())
            continue
        if current is None:
            continue
        for opt in re.findall(option_re, line):
            found[current].add(opt)
    return found


def case_help_man():
    help_text = run(["--help"]).stdout
    expect("Exit status" in help_text, "--help lacks the exit statuses")
    # --help: sections "build: …", options "  -o, --output DIR" / "      --pdfa"
    h = options_by_section(help_text,
                           r"^(build|check|new-round|form|import|Options of every command)[: ]",
                           r"^\s+(?:-\w, )?(--[a-z-]+)")
    h = {k: {o for o in v} for k, v in h.items()}
    man = open(os.path.join(SRC, "docs", "taseuranta.1"), encoding="utf-8").read()
    man = man.replace("\\-", "-")
    man = re.sub(r"\\f[BIRP]", "", man)
    m, current, after_tp = {}, None, False
    for line in man.splitlines():
        mm = re.match(r"^\.SS (.+)$", line)
        if mm:
            current = mm.group(1).strip()
            m.setdefault(current, set())
            continue
        if line.startswith(".SH"):
            current = None
        if line == ".TP":
            after_tp = True
            continue
        if after_tp and current:
            mo = re.match(r"^(?:-\w, )?(--[a-z-]+)", line)
            if mo:
                m[current].add(mo.group(1))
        after_tp = False
    for section in ("build", "check", "new-round", "form", "import",
                    "Options of every command"):
        expect(section in h, f"--help has no section {section}: {sorted(h)}")
        expect(section in m, f"the man page has no section {section}: {sorted(m)}")
        expect(h[section] == m[section],
               f"{section}: --help has {sorted(h[section])}, the man page {sorted(m[section])}")
    # every exit status of --help is in the man page
    for code in "0123":
        expect(re.search(r"^\.B " + code + "$", man, re.M), f"man page lacks exit status {code}")
    expect("--untagged" not in help_text, "the hidden benchmark option shows in --help")


def case_usage():
    for args in ([], ["frobnicate"], ["build"], ["check"], ["build", SAMPLE, "--nope"],
                 ["build", SAMPLE, "--format", "doc"], ["build", SAMPLE, "-j", "zero"],
                 ["new-round", SAMPLE], ["new-round", SAMPLE, "-o", "/tmp/x.xml", "--date", "2021-02-30"],
                 ["build", SAMPLE, "-o", ""]):
        r = run(args)
        expect(r.returncode == 2, f"{args}: exit {r.returncode}, wanted 2; stderr {r.stderr!r}")
        expect("--help" in r.stderr, f"{args}: no pointer to --help in {r.stderr!r}")
        expect(r.stdout == "", f"{args}: usage error printed to stdout")
    r = run(["--version"])
    expect(r.returncode == 0 and re.match(r"taseuranta \d+\.\d+", r.stdout), "--version")
    with tempfile.TemporaryDirectory() as d:
        r = run(["build", SAMPLE, "-o", ""], cwd=d)
        expect("empty" in r.stderr and "ioctl" not in r.stderr, f"-o '': {r.stderr!r}")
        expect(os.listdir(d) == [], f"-o '' wrote {os.listdir(d)}")


def forecasts(root):
    return [(m.get("id"), f.get("round")) for g in root.findall("goal")
            for m in g.findall("measure") for f in m.findall("forecast")]


def measures(root):
    return [m for g in root.findall("goal") for m in g.findall("measure")]


def inner(text, tag, after=""):
    """The raw text inside the first <tag> (after the text `after`), or None."""
    at = text.find(after)
    m = re.compile(r"<%s(?: [^>]*)?>(.*?)</%s>" % (tag, tag), re.S).search(text, max(at, 0))
    return m.group(1) if at >= 0 and m else None


def words(element):
    """An element's text as the reader folds it."""
    return ET.tostring(element, method="text", encoding="unicode").split()


def last_line(stderr):
    lines = [l for l in stderr.splitlines() if l]
    return lines[-1] if lines else ""


def case_new_round_year():
    """After round 3: round 1 of the next year, no forecasts, dates removed, each target's
    forecast text kept only as a comment marked 3/2020, the planner's own comments kept."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "kuva-2021-1.xml")
        r = run(["new-round", SAMPLE, "-o", out, "--date", "2021-02-15"])
        expect(r.returncode == 0, f"new-round failed: {r.stderr}")
        expect(r.stdout == "", "new-round printed on standard output")
        expect(re.match(re.escape(out) + r": written: round 1/2021, dated 2021-02-15, from .*"
                        r"kuva-2020-3\.xml \(5 measures\); 8 texts of 3/2020 kept as XML comments, "
                        r"5 dates and 15 forecasts removed$", last_line(r.stderr)),
               f"no line saying what was written: {r.stderr!r}")
        expect("<title> names the year 2020; the new round is of 2021" in r.stderr,
               f"the old year in the title is not pointed out: {r.stderr!r}")
        root = ET.parse(out).getroot()
        expect((root.get("year"), root.get("number"), root.get("date")) == ("2021", "1", "2021-02-15"),
               f"wrong round attributes {root.attrib}")
        expect(forecasts(root) == [], "round 1 of a new year still has forecasts")
        old = ET.parse(SAMPLE).getroot()
        expect(len(measures(root)) == len(measures(old)) == 5, "measures lost")
        for m, o in zip(measures(root), measures(old)):
            expect(m.find("date") is None, f"{m.get('id')}: the measure's date was carried forward")
            for tag in ("owner", "manager", "preparer", "link"):
                expect([(x.attrib, x.text) for x in m.findall(tag)] ==
                       [(x.attrib, x.text) for x in o.findall(tag)], f"{m.get('id')}: {tag} changed")
            expect([(t.get("status"), t.get("progress"), words(t.find("title"))) for t in m.iter("task")] ==
                   [(t.get("status"), t.get("progress"), words(t.find("title"))) for t in o.iter("task")],
                   f"{m.get('id')}: tasks changed")
            for tn, to in zip(m.findall("target"), o.findall("target")):
                f = tn.find("forecast")
                if to.find("forecast") is None:
                    expect(f is None, "a target forecast appeared")
                    continue
                expect(f is not None and len(f) == 0 and not (f.text or "").strip(),
                       f"{m.get('id')}: a target's forecast text was carried forward")
                risks = [words(x.find("risks") if x.find("risks") is not None else ET.Element("x"))
                         for x in (tn, to)]
                expect(risks[0] == risks[1], "a target's risks changed")
        new = open(out, encoding="utf-8").read()
        # the old text stands inside the emptied element, marked with its round
        f = inner(new, "forecast", '<target id="nuoret">')
        expect(f and re.match(r"\s*<!-- 3/2020: Tavoite ”Kaikissa nuorisotyöyksiköissä", f),
               f"the emptied forecast does not keep its text as a comment: {f!r}")
        expect("epävarma" in f, "the kept text is cut")
        # the planner's comments that belong to what stays are kept
        for kept in ("000 says \"Kestävän kasvun turvaaminen\"", "Seed 000, \"Erillisohjelma\"",
                     "The third forecast of 2020 of the Culture and Leisure Division"):
            expect(kept in new, f"a comment of the file was lost: {kept}")
        expect("\n    <goal" in new or "\n  <goal" in new, "no indentation")
        expect(max(len(l) for l in new.splitlines()) < 200, "lines are not wrapped")
        c = run(["check", out])
        expect(c.returncode == 0, f"check of the new round failed: {c.stderr}")
        expect("warning" in c.stderr and "current round" in c.stderr,
               "a missing current forecast should be a warning")
        expect(run(["check", "--strict", out]).returncode == 1, "--strict should refuse it")
        # the kept texts never reach an output
        b = run(["build", out, "-o", os.path.join(d, "out")])
        expect(b.returncode == 0, f"the new round does not build: {b.stderr}")
        pdf = os.path.join(d, "out", "kuva-2021-1.pdf")
        txt = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
        expect("nuorisotyöyksiköissä" in txt and "3/2020" not in txt and "maaliskuun jälkeen" not in txt,
               "a kept old text shows in the pack")


def round2_fixture(d):
    """A round 2 made from the sample: the third forecasts removed, a comment on one measure."""
    tree = ET.parse(SAMPLE)
    root = tree.getroot()
    root.set("number", "2")
    root.set("date", "2020-06-15")
    for m in measures(root):
        for f in m.findall("forecast"):
            if f.get("round") == "3":
                m.remove(f)
    first = measures(root)[0]
    comment = ET.Element("comment")
    p = ET.SubElement(comment, "p")
    p.text = "Kaikki "
    b = ET.SubElement(p, "b")
    b.text = "toimenpiteet"
    b.tail = " edistyvät -- ajallaan."
    ul = ET.SubElement(comment, "ul")
    ET.SubElement(ul, "li").text = "Ensimmäinen kohta"
    ET.SubElement(ul, "li").text = "Toinen kohta"
    pos = list(first).index(first.findall("forecast")[-1]) + 1
    first.insert(pos, comment)
    path = os.path.join(d, "kuva-2020-2.xml")
    tree.write(path, encoding="UTF-8", xml_declaration=True)
    expect(run(["check", path]).returncode == 0, "the round 2 fixture is not valid")
    return path, root


def case_new_round_history():
    """Round 2 -> 3: the forecast history kept, comments emptied into XML comments marked 2/2020;
    -> 1/2021 again: a comment nobody rewrote keeps its old note."""
    with tempfile.TemporaryDirectory() as d:
        r2, root = round2_fixture(d)
        out = os.path.join(d, "kuva-2020-3.xml")
        r = run(["new-round", r2, "-o", out, "--date", "2020-10-12"])
        expect(r.returncode == 0, f"new-round failed: {r.stderr}")
        new = ET.parse(out).getroot()
        expect((new.get("year"), new.get("number")) == ("2020", "3"), f"{new.attrib}")
        expect(forecasts(new) == forecasts(root), "forecast history not kept")
        for m, o in zip(measures(new), measures(root)):
            for f, fo in zip(m.findall("forecast"), o.findall("forecast")):
                expect(words(f) == words(fo),
                       "an earlier forecast's text changed")
            c = m.find("comment")
            if c is not None:
                expect(len(c) == 0 and not (c.text or "").strip(), "a comment was not emptied")
        text = open(out, encoding="utf-8").read()
        kept = inner(text, "comment")
        expect(kept is not None and "<!-- 2/2020: Kaikki toimenpiteet edistyvät - - ajallaan." in kept
               and "• Ensimmäinen kohta" in kept and "• Toinen kohta" in kept,
               f"the emptied comment does not keep its text: {kept!r}")
        expect(run(["check", out]).returncode == 0, "the new round 3 does not pass check")
        # the input is never overwritten, not even with --force
        for extra in ([], ["--force"]):
            r = run(["new-round", out, "-o", out] + extra)
            expect(r.returncode == 2, f"new-round onto its input: exit {r.returncode}")
            expect("this is the input file" in r.stderr, r.stderr)
        # nobody wrote a new comment: round 1/2021 keeps the 2/2020 note, adds none
        nxt = os.path.join(d, "kuva-2021-1.xml")
        r = run(["new-round", out, "-o", nxt, "--date", "2021-02-01"])
        expect(r.returncode == 0, r.stderr)
        kept = inner(open(nxt, encoding="utf-8").read(), "comment")
        expect(kept is not None and "2/2020: Kaikki" in kept and "3/2020" not in kept,
               f"the unchanged comment's note: {kept!r}")


def case_new_round_date():
    """Without --date: today, said in a note."""
    import datetime
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "next.xml")
        before = datetime.date.today().isoformat()
        r = run(["new-round", SAMPLE, "-o", out])
        after = datetime.date.today().isoformat()
        expect(r.returncode == 0, r.stderr)
        date = ET.parse(out).getroot().get("date")
        expect(date in (before, after), f"the round is dated {date}, not today")
        expect(f"no --date given: the new round is dated today, {date}" in r.stderr,
               f"no note about today's date: {r.stderr!r}")
        out2 = os.path.join(d, "next2.xml")
        r = run(["new-round", SAMPLE, "-o", out2, "--date", "2021-01-01"])
        expect("today" not in r.stderr, f"a note about today with --date: {r.stderr!r}")
        r = run(["new-round", SAMPLE, "-o", os.path.join(d, "x.xml"), "--date", "2020-01-01"])
        expect(r.returncode == 0 and "is before the date of the round it follows" in r.stderr,
               f"no note about a date before the old round's: {r.stderr!r}")
        # a round that cannot have a next one, and a refused round: nothing written
        last = os.path.join(d, "last.xml")
        with open(SAMPLE, encoding="utf-8") as f, open(last, "w", encoding="utf-8") as g:
            g.write(f.read().replace('year="2020"', 'year="2100"', 1))
        r = run(["new-round", last, "-o", os.path.join(d, "y.xml"), "--date", "2101-01-01"])
        expect(r.returncode == 1 and re.search(r"last\.xml:\d+:\d+: error: the next round would be "
                                               r"of the year 2101", r.stderr), r.stderr)
        bad = os.path.join(d, "bad.xml")
        with open(bad, "w") as f:
            f.write("<round>")
        r = run(["new-round", bad, "-o", os.path.join(d, "z.xml"), "--date", "2021-01-01"])
        expect(r.returncode == 1 and "bad.xml:" in r.stderr, r.stderr)
        expect(not os.path.exists(os.path.join(d, "y.xml")) and not os.path.exists(os.path.join(d, "z.xml")),
               "a refused round wrote a file")


def case_new_round_force():
    """An existing file (someone's edits) is replaced only with --force."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "kuva-2021-1.xml")
        with open(out, "w") as f:
            f.write("edits")
        r = run(["new-round", SAMPLE, "-o", out, "--date", "2021-02-15"])
        expect(r.returncode == 2, f"replaced an existing file: exit {r.returncode}")
        expect(re.match(re.escape(out) + r": error: the file exists; .*--force", r.stderr), r.stderr)
        expect(open(out).read() == "edits", "the existing file was changed")
        # a link at the name is refused too, and with --force replaced, never followed
        victim = os.path.join(d, "victim.txt")
        with open(victim, "w") as f:
            f.write("victim")
        link = os.path.join(d, "link.xml")
        os.symlink(victim, link)
        expect(run(["new-round", SAMPLE, "-o", link]).returncode == 2, "wrote through a link")
        r = run(["new-round", SAMPLE, "-o", link, "--force", "--date", "2021-02-15"])
        expect(r.returncode == 0, r.stderr)
        expect(open(victim).read() == "victim" and not os.path.islink(link),
               "the link's target was written")
        r = run(["new-round", SAMPLE, "-o", out, "--force", "--date", "2021-02-15"])
        expect(r.returncode == 0, f"--force: exit {r.returncode}: {r.stderr}")
        expect(ET.parse(out).getroot().get("year") == "2021", "not replaced with --force")
        expect(sorted(os.listdir(d)) == ["kuva-2021-1.xml", "link.xml", "victim.txt"],
               f"files left: {os.listdir(d)}")


def case_new_round_paths():
    """A path is a file name: no %XX decoding, no URL, no network (issue 13.2)."""
    import socket
    with tempfile.TemporaryDirectory() as d:
        work = os.path.join(d, "work")
        os.mkdir(work)
        for name in ("%2e%2e%2fescaped.xml", "report%20final.xml"):
            r = run(["new-round", SAMPLE, "-o", name, "--date", "2021-02-15"], cwd=work)
            expect(r.returncode == 0, f"{name}: {r.stderr}")
            expect(os.path.isfile(os.path.join(work, name)), f"{name} was not written as named")
        expect(sorted(os.listdir(work)) == ["%2e%2e%2fescaped.xml", "report%20final.xml"],
               f"other files: {os.listdir(work)}")
        expect(os.listdir(d) == ["work"], f"a file escaped the folder: {os.listdir(d)}")
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.bind(("127.0.0.1", 0))
        srv.listen(5)
        srv.setblocking(False)
        port = srv.getsockname()[1]
        url = f"http://127.0.0.1:{port}/next.xml"
        r = run(["new-round", SAMPLE, "-o", url, "--date", "2021-02-15"], cwd=work)
        expect(r.returncode == 3, f"{url}: exit {r.returncode}: {r.stderr}")
        expect(re.match(re.escape(url) + r": error: cannot write: the folder 'http:' does not exist$",
                        r.stderr.strip()), f"not a clean error: {r.stderr!r}")
        try:
            conn, _ = srv.accept()
            conn.close()
            fail("new-round connected to the network")
        except BlockingIOError:
            pass
        srv.close()
        expect(sorted(os.listdir(work)) == ["%2e%2e%2fescaped.xml", "report%20final.xml"],
               f"files left: {os.listdir(work)}")
        r = run(["new-round", SAMPLE, "-o", ""], cwd=work)
        expect(r.returncode == 2 and "--help" in r.stderr, f"-o '': {r.stderr!r}")


def case_new_round_temp():
    """The temporary file: created exclusively (a link planted at its name is never followed),
    under a name nobody can guess, beside the output (issue 13.3)."""
    strace = shutil.which("strace")
    with tempfile.TemporaryDirectory() as d:
        victim = os.path.join(d, "victim.txt")
        with open(victim, "w") as f:
            f.write("victim")
        out = os.path.join(d, "next.xml")
        if strace is None:
            print("strace not found: the temporary file's flags are not checked")
            return
        names = []
        for i in range(2):
            log = os.path.join(d, "strace.log")
            # the old scheme's names (OUT.PID.tmp) for the pids around, all planted as links
            for pid in range(os.getpid(), os.getpid() + 200):
                try:
                    os.symlink(victim, f"{out}.{pid}.tmp")
                except FileExistsError:
                    pass
            r = subprocess.run([strace, "-f", "-qq", "-e", "trace=openat,open,creat,rename,renameat2,link",
                                "-o", log, EXE, "new-round", SAMPLE, "-o", out, "--force",
                                "--date", "2021-02-15"], capture_output=True, text=True,
                               env=dict(ENV, ASAN_OPTIONS="detect_leaks=0"))  # no LeakSanitizer under ptrace
            expect(r.returncode == 0, r.stderr)
            opens = [l for l in open(log) if ".tmp" in l and ("openat(" in l or "open(" in l)]
            expect(len(opens) == 1, f"one temporary file, opened once: {opens}")
            m = re.search(r'"([^"]+\.tmp)", ([A-Z_|]+)', opens[0])
            expect(m, opens[0])
            flags = m.group(2).split("|")
            for flag in ("O_CREAT", "O_EXCL", "O_NOFOLLOW"):
                expect(flag in flags, f"the temporary file is opened without {flag}: {opens[0]}")
            expect(os.path.dirname(m.group(1)) == d, f"not beside the output: {m.group(1)}")
            names.append(os.path.basename(m.group(1)))
            pid = re.match(r"(\d+)", opens[0])
            expect(pid is None or pid.group(1) not in names[-1], f"the name holds the pid: {names[-1]}")
        expect(names[0] != names[1], f"the same temporary name twice: {names}")
        expect(open(victim).read() == "victim", "a planted link was followed")
        left = [f for f in os.listdir(d) if f.endswith(".tmp") and not os.path.islink(os.path.join(d, f))]
        expect(left == [], f"temporary files left: {left}")


def case_batch():
    with tempfile.TemporaryDirectory() as d:
        broken = os.path.join(d, "broken.xml")
        with open(broken, "w", encoding="utf-8") as f:
            f.write('<round format="1" year="2020" number="3" date="2020-10-12" xml:lang="fi">\n'
                    '  <organization><city>X</city><division short="Rikki">R</division></organization>\n'
                    '  <themes><theme id="t">T</theme></themes>\n'
                    '  <goal id="g" theme="nope"><statement>S</statement></goal>\n</round>\n')
        inputs = [SAMPLE, os.path.join(VALID, "sv-round.xml"), os.path.join(VALID, "en-round.xml")]
        out = os.path.join(d, "out")
        r = run(["build"] + inputs + [broken, "-o", out, "-j", "2"])
        expect(r.returncode == 1, f"exit {r.returncode}, wanted 1 (one input refused): {r.stderr}")
        files = sorted(os.listdir(out))
        expect(len(files) == 9, f"wanted nine files, got {files}")
        expect(not any(f.startswith("rikki") or f.endswith(".tmp") for f in files), f"{files}")
        expect(re.search(r"broken\.xml:4:\d+: error: .*nope", r.stderr), f"no located error: {r.stderr}")
        expect(re.search(r"3 of 4 rounds built, 1 failed", r.stderr), f"no summary: {r.stderr}")
        expect(len(re.findall(r": built ", r.stderr)) == 3, f"one plain line per file: {r.stderr}")


def case_atomic():
    with tempfile.TemporaryDirectory() as d:
        ro = os.path.join(d, "ro")
        os.mkdir(ro)
        os.chmod(ro, 0o555)
        if os.geteuid() != 0:  # root writes anywhere
            r = run(["build", SAMPLE, "-o", ro])
            expect(r.returncode == 3, f"unwritable folder: exit {r.returncode}")
            expect(os.listdir(ro) == [], "files left in an unwritable folder")
        # a file where the folder should be
        blocker = os.path.join(d, "file")
        open(blocker, "w").close()
        r = run(["build", SAMPLE, "-o", blocker])
        expect(r.returncode == 3, f"output folder is a file: exit {r.returncode}: {r.stderr}")
        # the output would overwrite the input
        inp = os.path.join(d, "kuva-2020-3.pdf")
        shutil.copy(SAMPLE, inp)
        r = run(["build", inp, "-o", d, "--format", "pdf"])
        expect(r.returncode != 0, "overwrote its input")
        expect(open(inp, encoding="utf-8").read() == open(SAMPLE, encoding="utf-8").read(),
               "the input was changed")
        expect([f for f in os.listdir(d) if f.endswith(".tmp")] == [], "temporary files left")
        # a refused round writes nothing
        bad = os.path.join(d, "bad.xml")
        with open(bad, "w") as f:
            f.write("<round>")
        out = os.path.join(d, "out")
        r = run(["build", bad, "-o", out])
        expect(r.returncode == 1 and os.listdir(out) == [], "a refused round left files")


def case_strict():
    with tempfile.TemporaryDirectory() as d:
        uni = os.path.join(VALID, "unicode.xml")
        r = run(["build", uni, "-o", d])
        expect(r.returncode == 0, f"without --strict the round builds: {r.stderr}")
        expect(re.search(r"unicode\.xml:\d+:\d+: warning: no font has the character", r.stderr),
               "no located warning for a character no font has")
        out = os.path.join(d, "strict")
        r = run(["build", uni, "-o", out, "--strict"])
        expect(r.returncode == 1, f"--strict with a warning while writing: exit {r.returncode}")
        expect(os.listdir(out) == [], f"--strict left files: {os.listdir(out)}")
        expect("refused under --strict" in r.stderr, r.stderr[-300:])


def case_install():
    with tempfile.TemporaryDirectory() as d:
        build_dir = os.path.dirname(os.path.dirname(EXE))
        prefix = os.path.join(d, "prefix")
        r = subprocess.run(["cmake", "--install", build_dir, "--prefix", prefix],
                           capture_output=True, text=True)
        expect(r.returncode == 0, f"install failed: {r.stderr}")
        exe = os.path.join(prefix, "bin", "taseuranta")
        for p in ("share/taseuranta/layouts/helsinki.xml", "share/taseuranta/layouts/labels/fi.xml",
                  "share/taseuranta/fonts/LiberationSans-Regular.ttf",
                  "share/taseuranta/input/round-1.xsd", "share/man/man1/taseuranta.1"):
            expect(os.path.exists(os.path.join(prefix, p)), f"not installed: {p}")
        work = os.path.join(d, "work")
        os.mkdir(work)
        shutil.copy(SAMPLE, work)
        env = {k: v for k, v in ENV.items() if k != "TASEURANTA_DATA"}
        r = subprocess.run([exe, "build", "kuva-2020-3.xml", "-o", "out"], cwd=work,
                           capture_output=True, text=True, env=env)
        expect(r.returncode == 0, f"installed copy failed: {r.stderr}")
        ref = os.path.join(d, "ref")
        r2 = run(["build", SAMPLE, "-o", ref])
        expect(r2.returncode == 0, f"build-tree copy failed: {r2.stderr}")
        for ext in ("pdf", "xlsx", "ods"):
            a = os.path.join(work, "out", f"kuva-2020-3.{ext}")
            b = os.path.join(ref, f"kuva-2020-3.{ext}")
            expect(filecmp.cmp(a, b, shallow=False), f"installed {ext} differs from the build tree's")


def zip_text(path, member):
    with zipfile.ZipFile(path) as z:
        return z.read(member).decode("utf-8")


def created_dates(folder, stem):
    """The creation date each of the three files states, as YYYY-MM-DDTHH:MM:SS."""
    info = subprocess.run(["pdfinfo", "-isodates", os.path.join(folder, stem + ".pdf")],
                          capture_output=True, text=True, check=True).stdout
    pdf = re.search(r"CreationDate:\s+(\S+?)(Z|[+-]\d\d:?\d\d)?$", info, re.M).group(1)
    core = zip_text(os.path.join(folder, stem + ".xlsx"), "docProps/core.xml")
    xlsx = re.search(r"<dcterms:created[^>]*>([^<Z]+)Z?<", core).group(1)
    meta = zip_text(os.path.join(folder, stem + ".ods"), "meta.xml")
    ods = re.search(r"<meta:creation-date>([^<Z]+)Z?<", meta).group(1)
    return {"pdf": pdf, "xlsx": xlsx, "ods": ods}


def case_epoch():
    """SOURCE_DATE_EPOCH: seconds from 0 to the end of 9999, anything else refused (exit 2)
    before any work, by every command."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "out")
        for value, words in (("9223372036854775807", "out of range"),
                             ("18446744073709551616", "out of range"),
                             ("253402300800", "out of range"),
                             ("1592222400000", "milliseconds.*1592222400\\b"),
                             ("-1", "not a whole number"), ("1e9", "not a whole number"),
                             (" 1592222400", "not a whole number"), ("abc", "not a whole number")):
            env = dict(ENV, SOURCE_DATE_EPOCH=value)
            for cmd in (["build", SAMPLE, "-o", out], ["check", SAMPLE],
                        ["new-round", SAMPLE, "-o", os.path.join(d, "next.xml")]):
                r = run(cmd, env=env)
                expect(r.returncode == 2, f"SOURCE_DATE_EPOCH={value!r} {cmd[0]}: exit "
                       f"{r.returncode}, wanted 2: {r.stderr[-500:]}")
                expect(re.search("SOURCE_DATE_EPOCH=.*" + words, r.stderr),
                       f"SOURCE_DATE_EPOCH={value!r}: the message does not say {words!r}: {r.stderr!r}")
                expect(os.listdir(d) == [], f"SOURCE_DATE_EPOCH={value!r} {cmd[0]} wrote {os.listdir(d)}")
        # The ends of the range, and an empty value, which stands for unset.
        for value, want in (("0", "1970-01-01T00:00:00"), ("253402300799", "9999-12-31T23:59:59"),
                            ("", "2020-10-12T12:00:00")):
            r = run(["build", SAMPLE, "-o", out], env=dict(ENV, SOURCE_DATE_EPOCH=value))
            expect(r.returncode == 0, f"SOURCE_DATE_EPOCH={value!r}: exit {r.returncode}: {r.stderr}")
            dates = created_dates(out, "kuva-2020-3")
            if value == "0":  # libxlsxwriter reads 0 as "now": the XLSX says the second after
                expect(dates["xlsx"] == "1970-01-01T00:00:01", f"XLSX created {dates['xlsx']}")
                dates["xlsx"] = want
            expect(set(dates.values()) == {want},
                   f"SOURCE_DATE_EPOCH={value!r}: the files say {dates}, wanted {want}")
            shutil.rmtree(out)


def same_named_round(folder, name, division):
    """The sample under another file name and division, with the same output names."""
    text = open(SAMPLE, encoding="utf-8").read()
    text = re.sub(r"(<division short=\"Kuva\">)[^<]*", lambda m: m.group(1) + division, text, count=1)
    expect(division in text, "the sample's division was not replaced")
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def case_same_stem():
    """Two rounds of a run that would write the same files: refused before anything is written,
    exit 2, naming both; in either order and with -j 2.  The same file given twice too."""
    with tempfile.TemporaryDirectory() as d:
        a = same_named_round(d, "a.xml", "Alfan toimiala")
        b = same_named_round(d, "b.xml", "Beetan toimiala")
        out = os.path.join(d, "out")
        for inputs, jobs in (([a, b], "1"), ([b, a], "1"), ([a, b], "2"), ([b, a], "2")):
            r = run(["build"] + inputs + ["-o", out, "-j", jobs])
            expect(r.returncode == 2, f"{inputs} -j {jobs}: exit {r.returncode}, wanted 2: {r.stderr}")
            expect(re.search(r"^\S*%s:\d+:\d+: error: .*%s.*kuva-2020-3\.pdf"
                             % (re.escape(os.path.basename(inputs[1])), re.escape(inputs[0])),
                             r.stderr, re.M),
                   f"the error does not name both rounds and the file: {r.stderr!r}")
            expect(" built " not in r.stderr, f"a round was reported built: {r.stderr!r}")
            expect(not os.path.exists(out), f"{inputs} -j {jobs}: the output folder was made")
        # Earlier outputs in the folder stay as they were.
        r = run(["build", a, "-o", out, "-q"])
        expect(r.returncode == 0, f"a alone: {r.stderr}")
        before = {f: open(os.path.join(out, f), "rb").read() for f in os.listdir(out)}
        r = run(["build", b, a, "-o", out, "-j", "2"])
        expect(r.returncode == 2, f"with earlier outputs: exit {r.returncode}")
        after = {f: open(os.path.join(out, f), "rb").read() for f in os.listdir(out)}
        expect(before == after, f"the earlier outputs changed: {sorted(before)} -> {sorted(after)}")
        # The same file twice, under two spellings.
        r = run(["build", a, os.path.join(d, ".", "a.xml"), "-o", os.path.join(d, "twice")])
        expect(r.returncode == 2 and "given twice" in r.stderr, f"twice: {r.returncode} {r.stderr!r}")
        # Two rounds without a short name write round-YYYY-N.*: the same refusal.
        m1 = os.path.join(VALID, "minimal.xml")
        m2 = os.path.join(d, "minimal-copy.xml")
        shutil.copy(m1, m2)
        r = run(["build", m1, m2, "-o", os.path.join(d, "m")])
        expect(r.returncode == 2 and "round-2021-1" in r.stderr, f"no short name: {r.stderr!r}")


def data_copy(d):
    """A copy of the program's data (layouts, labels, fonts) under d, for TASEURANTA_DATA."""
    data = os.path.join(d, "data")
    shutil.copytree(os.path.join(SRC, "layouts"), os.path.join(data, "layouts"))
    shutil.copytree(os.path.join(SRC, "fonts"), os.path.join(data, "fonts"))
    return data


def case_output_is_input():
    """An output path that is an input of the run (a round, the layout, a label file, a font,
    by a hard link or a symbolic link at the output's name): refused before anything is
    written, exit 2, naming both; the input is untouched."""
    with tempfile.TemporaryDirectory() as d:
        data = data_copy(d)
        env = dict(ENV, TASEURANTA_DATA=data)
        rnd = same_named_round(d, "round.xml", "Kulttuurin ja vapaa-ajan toimiala")
        layout = os.path.join(d, "my-layout.xml")
        shutil.copy(os.path.join(data, "layouts", "helsinki.xml"), layout)
        cases = (("the round file", rnd, "pdf", []),
                 ("the layout", layout, "xlsx", ["--layout", layout]),
                 ("the label file", os.path.join(data, "layouts", "labels", "fi.xml"), "ods", []),
                 ("a font of the layout", os.path.join(data, "fonts", "LiberationSans-Regular.ttf"),
                  "pdf", []))
        for what, victim, ext, extra in cases:
            for how in (os.link, os.symlink):
                out = os.path.join(d, "out")
                os.mkdir(out)
                target = os.path.join(out, "kuva-2020-3." + ext)
                how(victim, target)
                before = open(victim, "rb").read()
                r = run(["build", rnd, "-o", out] + extra, env=env)
                expect(r.returncode == 2, f"{what} at .{ext} ({how.__name__}): exit {r.returncode}: "
                       f"{r.stderr}")
                expect(re.search(r"round\.xml:\d+:\d+: error: .*kuva-2020-3\.%s is %s .*%s"
                                 % (ext, re.escape(what), re.escape(victim)), r.stderr),
                       f"{what}: the error does not name both: {r.stderr!r}")
                expect(open(victim, "rb").read() == before, f"{what} was changed")
                expect(os.listdir(out) == [os.path.basename(target)],
                       f"{what}: the folder holds {os.listdir(out)}")
                shutil.rmtree(out)


def authors(folder, stem):
    """The division each file of a set was built from (its author)."""
    info = subprocess.run(["pdfinfo", os.path.join(folder, stem + ".pdf")], capture_output=True,
                          text=True, check=True).stdout
    pdf = re.search(r"^Author:\s+(.*)$", info, re.M).group(1).strip()
    xlsx = re.search(r"<dc:creator>([^<]*)<", zip_text(os.path.join(folder, stem + ".xlsx"),
                                                          "docProps/core.xml")).group(1)
    ods = re.search(r"<(?:meta:initial-creator|dc:creator)>([^<]*)<",
                    zip_text(os.path.join(folder, stem + ".ods"), "meta.xml")).group(1)
    return pdf, xlsx, ods


def case_concurrent():
    """Two processes building rounds of the same name into one folder: each puts its set in
    place under the lock beside it, so the folder always holds one round's set."""
    with tempfile.TemporaryDirectory() as d:
        small = open(os.path.join(VALID, "minimal.xml"), encoding="utf-8").read()
        rounds = []
        for name in ("Alfa", "Beeta"):
            path = os.path.join(d, name + ".xml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(small.replace("<division>Kulttuurin ja vapaa-ajan toimiala",
                                      "<division>%s" % name))
            rounds.append(path)
        out = os.path.join(d, "out")
        os.mkdir(out)
        stem = "round-2021-1"
        # The lock is what a second process waits for: held here, a build writes its files and
        # waits; the earlier set stays until it is let go.
        r = run(["build", rounds[0], "-o", out, "-q"])
        expect(r.returncode == 0, r.stderr)
        old = {f: open(os.path.join(out, f), "rb").read() for f in os.listdir(out)}
        lock_path = os.path.join(out, "." + stem + ".lock")
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            p = subprocess.Popen([EXE, "build", rounds[1], "-o", out, "-q"], env=ENV,
                                 stderr=subprocess.PIPE, text=True)
            temps, stable_since, sizes = [], None, None
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                if p.poll() is not None:
                    fail("the build ended while another process held the lock: "
                         f"exit {p.returncode}, {p.stderr.read()!r}")
                temps = sorted(f for f in os.listdir(out) if f.endswith(".tmp"))
                now = [os.path.getsize(os.path.join(out, f)) for f in temps
                       if os.path.exists(os.path.join(out, f))]
                if len(temps) == 3 and all(now) and now == sizes:
                    if time.monotonic() - stable_since > 1.5:
                        break
                else:
                    sizes, stable_since = now, time.monotonic()
                time.sleep(0.1)
            expect(len(temps) == 3, f"the build did not write its files: {os.listdir(out)}")
            now = {f: open(os.path.join(out, f), "rb").read() for f in old}
            expect(now == old, "the set was replaced while another process held the lock")
            fcntl.flock(lock, fcntl.LOCK_UN)
        err = p.communicate(timeout=120)[1]
        expect(p.returncode == 0, f"after the lock was let go: exit {p.returncode}: {err}")
        expect(authors(out, stem) == ("Beeta",) * 3, f"the set is {authors(out, stem)}")
        expect(sorted(os.listdir(out)) == sorted(old), f"left {sorted(os.listdir(out))}")
        # Many builds of both at once, again and again: every time one round's set.
        for i in range(30):
            procs = [subprocess.Popen([EXE, "build", rounds[k % 2], "-o", out, "-q"], env=ENV,
                                      stderr=subprocess.PIPE, text=True) for k in range(4)]
            for q in procs:
                err = q.communicate(timeout=300)[1]
                expect(q.returncode == 0, f"iteration {i}: exit {q.returncode}: {err}")
            got = authors(out, stem)
            expect(len(set(got)) == 1, f"iteration {i}: a mixed set: pdf, xlsx, ods from {got}")
            expect(sorted(os.listdir(out)) == sorted(old), f"iteration {i}: left {os.listdir(out)}")


def case_layout_name():
    """--layout NAME takes a shipped layout from any folder; --help says where they are."""
    with tempfile.TemporaryDirectory() as d:
        shutil.copy(SAMPLE, d)
        r = run(["build", "kuva-2020-3.xml", "-o", "out", "--format", "pdf", "--layout",
                 "a4-landscape"], cwd=d)
        expect(r.returncode == 0, f"--layout a4-landscape: exit {r.returncode}: {r.stderr}")
        info = subprocess.run(["pdfinfo", os.path.join(d, "out", "kuva-2020-3.pdf")],
                              capture_output=True, text=True).stdout
        expect(re.search(r"Page size:\s+841\.\d+ x 595|Page size:\s+842 x 595", info),
               f"not an A4 page: {info}")
        r = run(["build", "kuva-2020-3.xml", "-o", "out2", "--layout", "a4-portrait"], cwd=d)
        expect(r.returncode == 2, f"an unknown layout name: exit {r.returncode}")
        expect("a4-landscape, helsinki" in r.stderr and "./a4-portrait" in r.stderr,
               f"the message does not list the shipped layouts: {r.stderr!r}")
        expect(not os.path.exists(os.path.join(d, "out2")), "an unknown layout name wrote files")
        # A path is still a path.
        shutil.copy(os.path.join(SRC, "layouts", "a4-landscape.xml"), os.path.join(d, "mine.xml"))
        r = run(["build", "kuva-2020-3.xml", "-o", "out3", "--format", "pdf", "--layout",
                 "mine.xml"], cwd=d)
        expect(r.returncode == 0, f"--layout mine.xml: {r.stderr}")
    h = run(["--help"]).stdout
    layouts = os.path.join(os.path.realpath(SRC), "layouts")
    expect("a4-landscape, helsinki" in h and (layouts in h or os.path.join(SRC, "layouts") in h),
           f"--help does not say which layouts are shipped and where: {h[-600:]}")


def case_check_line():
    """check ends with one line per file on standard error unless -q."""
    with tempfile.TemporaryDirectory() as d:
        r = run(["check", SAMPLE])
        expect(r.returncode == 0, r.stderr)
        measures = open(SAMPLE, encoding="utf-8").read().count("<measure ")
        expect(r.stderr.endswith(f"{SAMPLE}: ok, {measures} measures, no warnings\n"),
               f"no closing line: {r.stderr!r}")
        expect(r.stdout == "", "check printed on standard output")
        q = run(["check", "-q", SAMPLE])
        expect(q.returncode == 0 and q.stderr == "", f"-q: {q.stderr!r}")
        # Warnings counted; --strict refuses them; an error is counted.
        nxt = os.path.join(d, "next.xml")
        expect(run(["new-round", SAMPLE, "-o", nxt, "--date", "2021-02-15"]).returncode == 0,
               "new-round failed")
        r = run(["check", nxt])
        warnings = len(re.findall(r": warning: ", r.stderr))
        expect(warnings > 0 and r.stderr.endswith(f"{nxt}: ok, {measures} measures, {warnings} "
                                                  f"warning{'s' if warnings > 1 else ''}\n"),
               f"warnings not counted: {r.stderr[-300:]!r}")
        r = run(["check", "--strict", nxt, SAMPLE])
        expect(r.returncode == 1, f"--strict: exit {r.returncode}")
        expect(f"{nxt}: refused under --strict, {warnings} warning" in r.stderr and
               f"{SAMPLE}: ok, " in r.stderr, f"--strict lines: {r.stderr[-400:]!r}")
        bad = os.path.join(d, "bad.xml")
        with open(bad, "w") as f:
            f.write("<round>")
        r = run(["check", bad])
        expect(r.returncode == 1 and r.stderr.endswith(f"{bad}: refused, 1 error, no warnings\n"),
               f"a refused file: {r.stderr!r}")
        expect(run(["check", "-q", bad]).stderr.count("\n") == 1, "-q printed more than the error")


def case_reread():
    """A batch keeps what it read for building up to a budget (the hidden --keep-parsed MIB) and
    reads the rest again when its turn comes: the same files either way.  A file whose outputs'
    name changed in between is refused, so no check made before writing is bypassed."""
    with tempfile.TemporaryDirectory() as d:
        inputs = [SAMPLE, os.path.join(VALID, "sv-round.xml"), os.path.join(VALID, "minimal.xml")]
        kept, again = os.path.join(d, "kept"), os.path.join(d, "again")
        r = run(["build"] + inputs + ["-o", kept, "-q"])
        expect(r.returncode == 0, r.stderr)
        r = run(["build"] + inputs + ["-o", again, "-q", "--keep-parsed", "0", "-j", "2"])
        expect(r.returncode == 0, f"--keep-parsed 0: {r.stderr}")
        expect(sorted(os.listdir(kept)) == sorted(os.listdir(again)) and len(os.listdir(kept)) == 9,
               f"{os.listdir(kept)} / {os.listdir(again)}")
        for f in os.listdir(kept):
            expect(filecmp.cmp(os.path.join(kept, f), os.path.join(again, f), shallow=False),
                   f"{f} differs when its round was read again")
        # The second round is changed while the first (kept) is built.
        big = os.path.join(d, "big.xml")
        subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen-round"), "300", big],
                       check=True)
        second = os.path.join(d, "second.xml")
        shutil.copy(os.path.join(VALID, "sv-round.xml"), second)
        out = os.path.join(d, "out")
        os.mkdir(out)
        p = subprocess.Popen([EXE, "build", big, second, "-o", out, "-j", "1", "--keep-parsed", "0"],
                             env=ENV, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while not any(f.endswith(".tmp") for f in os.listdir(out)):
            expect(p.poll() is None and time.monotonic() < deadline,
                   "the first round's files never appeared")
            time.sleep(0.005)
        text = open(second, encoding="utf-8").read().replace('short="Kufr"', 'short="Annan"')
        with open(second, "w", encoding="utf-8") as f:
            f.write(text)
        err = p.communicate(timeout=300)[1]
        expect(p.returncode == 1, f"a file changed meanwhile: exit {p.returncode}: {err}")
        expect(re.search(r"second\.xml: error: the file changed", err), err)
        left = sorted(os.listdir(out))
        expect(left == ["kuva-2020-3.ods", "kuva-2020-3.pdf", "kuva-2020-3.xlsx"], f"left {left}")


globals()["case_" + CASE.replace("-", "_")]()
print("ok")
