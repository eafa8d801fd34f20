#!/usr/bin/python3
"""The table import: a strategy-measure table read into a new round file that says what the table
says, field by field, and that taseuranta check accepts.

usage: check_table_import.py IMPORT TASEURANTA SOURCE_DIR WORK_DIR CASE

IMPORT is the program that imports a table: taseuranta itself (run as `taseuranta import BOOK -o
OUT.xml [OPTIONS]`), or the driver of the module (tests/tools/table_import.c, run as IMPORT
[OPTIONS] BOOK OUT.xml), which the torture case needs for its allocation hook.

Cases:
  own_xlsx, own_ods  our own workbook of rounds in fi, sv and en (the sample, rounds with values,
                     comments, recovery measures, links, long texts cut into rows): the round
                     imported from it says what the round it was built from says (themes,
                     goals, measures, names, forecast statuses and texts, comments, values,
                     links), with the options given and without
  seed2021           seed 003's table kept as an office keeps it (table_make.table_2021_fi)
  seed2021_ods       the same saved as ODS by LibreOffice
  seed2020           seed 002's table, forecasts told in words; one that names no status
  sv, en             tables with Swedish and English heads
  last_year          last year's table imported as the first round of the next year
  no_table           a workbook without a table: refused, the heads looked for named
  no_year            a table that says no year: refused, --year named; with --year, imported
  odd                every oddity of a hand-kept table (table_make.table_odd): said where it
                     is, and the round still valid
  torture            every allocation of the import failing in turn
  memcheck           valgrind on the import of the tables made here and our own workbook
  docs               docs/forms.md says every head and option of the table import
  form_city          --city over a form's city (the options are one set for forms and tables)
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openpyxl  # noqa: E402
import table_make  # noqa: E402
from table_make import round_view  # noqa: E402

IMPORT, EXE, SRC, WORK, CASE = sys.argv[1:6]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print('FAIL:', msg)
    return cond


def eq(got, want, what):
    return check(got == want, '%s: got %r, want %r' % (what, got, want))


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600,
                          **kw)


def import_args(book, out, *opts):
    if os.path.basename(IMPORT).startswith('taseuranta'):
        return [IMPORT, 'import', book, '-o', out, *opts]
    return [IMPORT, *opts, book, out]


def do_import(book, out, *opts, want_rc=0):
    if os.path.exists(out):
        os.remove(out)
    p = run(*import_args(book, out, *opts))
    check(p.returncode == want_rc, 'import %s %s: exit %d, want %d: %s'
          % (' '.join(opts), book, p.returncode, want_rc, p.stderr[-2000:]))
    if want_rc != 0:
        check(not os.path.exists(out), '%s written although the import was refused' % out)
    return p


def check_accepts(path):
    p = run(EXE, 'check', '-q', path)
    check(p.returncode == 0, 'taseuranta check %s: exit %d: %s' % (path, p.returncode,
                                                                    p.stderr[-2000:]))
    for line in p.stderr.splitlines():
        check(': warning: ' in line and ('has no <owner>' in line or 'no forecast for round'
                                         in line),
              'check %s says more than what the pack still needs: %s' % (path, line))
    return p


def comments_of(view):
    return [c.text for c in view['root'].iter() if not isinstance(c.tag, str)]


def measure_comment(view, mid):
    """The comments in a measure, their white space folded."""
    for m in view['root'].iter('measure'):
        if m.get('id') == mid:
            return ' '.join(' '.join(c.text.split()) for c in m if not isinstance(c.tag, str))
    return ''


# ---- Against what a table says ----------------------------------------------------------------

def against_expected(got, want, what):
    for k in ('year', 'number', 'lang', 'division', 'city', 'short', 'date'):
        if k in want:
            eq(got[k], want[k], '%s: %s' % (what, k))
    eq(len(got['goals']), len(want['goals']), '%s: goals' % what)
    for g, wg in zip(got['goals'], want['goals']):
        w = '%s: goal %r' % (what, wg['statement'][:30])
        for k in ('theme', 'statement', 'description'):
            eq(g[k], wg[k], '%s: %s' % (w, k))
        eq([m['name'] for m in g['measures']], [m['name'] for m in wg['measures']],
           '%s: measures' % w)
        for m, wm in zip(g['measures'], wg['measures']):
            wmw = '%s: measure %r' % (w, wm['name'])
            for k in ('text', 'recovery', 'forecasts', 'comment', 'links'):
                eq(m[k], wm[k], '%s: %s' % (wmw, k))
            eq(m['risks'], wm.get('risks', []), '%s: risks' % wmw)
            eq(m['value'], tuple(map(lambda x: float(x) if isinstance(x, (int, float)) else x,
                                     wm['value'])) if 'value' in wm else None,
               '%s: value' % wmw)
            eq(m['level'], (float(wm['level'][0]), wm['level'][1]) if 'level' in wm else None,
               '%s: level' % wmw)


# ---- Our own workbook -------------------------------------------------------------------------

OWN_ROUNDS = ['input/kuva-2020-3.xml', 'tests/data/valid/sv-round.xml',
              'tests/data/valid/en-round.xml', 'tests/data/valid/parser-writer.xml',
              'tests/data/valid/multi-measure.xml', 'tests/data/valid/long-forecast.xml',
              'tests/data/valid/unicode.xml', 'tests/data/valid/minimal.xml']


def long_round(path):
    """A round whose texts are too tall for a printed row, so that our workbook cuts them into
    cells one under another with the measure's other cells merged down (outputs.md §2): a goal's
    long description over a short measure, a measure's long text and list, a paragraph longer
    than a page (cut between words: its words are in lower case, so that the cut is inside a
    sentence), a long comment."""
    words = ('toimenpiteet etenevät suunnitellusti ja niiden vaikutuksia seurataan alueittain, '
             'kumppanien kanssa sovitaan yhteisistä käytännöistä, ')
    para = ('Toimiala kehittää uusia keinoja markkinoida palveluja ja tavoittaa nykyisten '
            'palvelujen ulkopuolella olevia kaupunkilaisia. Kokemuksia kerätään koko syksyn ajan '
            'ja niistä raportoidaan lautakunnalle kolmannen ennusteen yhteydessä.')

    def ps(n, tag='p'):
        return ''.join('<%s>Kohta %d: %s</%s>' % (tag, i, para, tag) for i in range(1, n + 1))
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<round format="1" year="2023" number="3" date="2023-10-12" xml:lang="fi">
  <organization><city>Helsinki</city>
    <division short="Kuva">Kulttuurin ja vapaa-ajan toimiala</division></organization>
  <themes><theme id="t1">Pitkät tekstit</theme><theme id="t2">Toinen teema</theme></themes>
  <programmes><programme id="p1" kind="city-project">Liikkumisohjelma</programme></programmes>
  <goal id="g1" theme="t1">
    <statement>Tavoite jonka kuvaus on pitkä</statement>
    <description>%(desc)s</description>
    <measure id="m1"><name>Lyhyt</name><text>Lyhyt mittari.</text>
      <forecast round="1" status="on-track"/><forecast round="2" status="at-risk">Viive.</forecast>
      <forecast round="3" status="achieved" value="5" unit="kpl"/><comment>Hyvä.</comment>
      <link ref="p1"/></measure>
    <measure id="m2" recovery="true"><name>Pitkä</name><text>%(text)s<ul>%(items)s</ul></text>
      <forecast round="1" status="on-track"/><forecast round="2" status="on-track"/>
      <forecast round="3" status="off-track" value="12.5" unit="%%"><p>%(long)s</p></forecast>
      <comment>%(comment)s</comment><link ref="p1"/></measure>
  </goal>
  <goal id="g2" theme="t2">
    <statement>Toinen tavoite</statement>
    <measure id="m3"><name>Kolmas</name><text>Kolmas mittari.</text>
      <forecast round="3" status="on-track"/></measure>
  </goal>
</round>
""" % {'desc': ps(30), 'text': ps(30), 'items': ps(10, 'li'), 'long': (words * 60).strip(' ,'),
       'comment': ps(25)}
    with open(path, 'w', encoding='utf-8') as f:
        f.write(xml)
    return path


# What the import of our own workbook may warn of: what no table says.
OWN_WARNINGS = [r': written: round \d/\d{4}, dated .* from the strategy-measure table',
                r'the round is dated \d{4}-12-31', r'does not name its city',
                r'does not name its division', r'the division has no short name',
                r'a table holds no people, targets or tasks',
                r"the table does not say what '.*' is: it is made a joint-planning theme"]


def summary_kinds(view):
    """The programmes a round's summary lists (our workbook's summary sheet names their kinds):
    name -> kind."""
    root = view['root']
    kinds = {}
    for pa in root.iter('programme-actions'):
        kind, name = view['programmes'][pa.get('ref')]
        kinds[name] = kind
    return kinds


def against_round(got, want, what):
    """The round imported from our own workbook of `want` against `want`."""
    for k in ('year', 'number', 'lang'):
        eq(got[k], want[k], '%s: %s' % (what, k))
    eq([g['statement'] for g in got['goals']], [g['statement'] for g in want['goals']],
       '%s: goals' % what)
    kinds = summary_kinds(want)
    for g, wg in zip(got['goals'], want['goals']):
        w = '%s: goal %r' % (what, wg['statement'][:30])
        eq(g['theme'], wg['theme'], '%s: theme' % w)
        eq(g['description'], wg['description'], '%s: description' % w)
        eq([m['name'] for m in g['measures']], [m['name'] for m in wg['measures']],
           '%s: measures' % w)
        for m, wm in zip(g['measures'], wg['measures']):
            wmw = '%s: measure %r' % (w, wm['name'])
            for k in ('text', 'recovery', 'comment', 'links', 'value'):
                eq(m[k], wm[k], '%s: %s' % (wmw, k))
            eq(m['forecasts'], {r: f for r, f in wm['forecasts'].items()
                                if r <= want['number']}, '%s: forecasts' % wmw)
            eq(m['link_kinds'], [kinds.get(n, 'joint-theme') for n in wm['links']],
               '%s: the kinds of its links' % wmw)


def case_own(fmt):
    for rel in OWN_ROUNDS + ['long']:
        src = os.path.join(SRC, rel) if rel != 'long' else long_round(
            os.path.join(WORK, 'long.xml'))
        name = os.path.splitext(os.path.basename(rel))[0]
        out_dir = os.path.join(WORK, name)
        os.makedirs(out_dir, exist_ok=True)
        p = run(EXE, 'build', src, '-o', out_dir, '--format', fmt)
        if not check(p.returncode == 0, 'build %s: %s' % (rel, p.stderr[-1000:])):
            continue
        book = [os.path.join(out_dir, f) for f in os.listdir(out_dir) if f.endswith('.' + fmt)][0]
        want = round_view(src, styles=True)
        # Without options: what the table does not say is a stated default.
        out = os.path.join(WORK, name + '-imported.xml')
        p = do_import(book, out)
        if p.returncode:
            continue
        got = round_view(out, styles=True)
        against_round(got, want, '%s (%s)' % (rel, fmt))
        eq(got['date'], '%d-12-31' % want['year'], '%s: the date by default' % rel)
        check('give its date with --date' in p.stderr, '%s: the default date is not warned'
              % rel)
        check('<city>' in p.stderr and '--division' in p.stderr and '--short' in p.stderr,
              '%s: the city, division and short name not warned: %s' % (rel, p.stderr))
        check(re.search(r"still need.*<owner>s, <target>s and their <task>s", p.stderr),
              '%s: no warning of what the pack still needs' % rel)
        for line in p.stderr.splitlines():
            check(any(re.search(w, line) for w in OWN_WARNINGS),
                  '%s: a warning our own workbook should not give: %s' % (rel, line))
        if rel == 'long' and fmt == 'xlsx':
            merged = [str(r) for r in openpyxl.load_workbook(book).worksheets[0].merged_cells]
            check(len(merged) > 5, "the long round's table is not cut into rows: %s" % merged)
        check_accepts(out)
        # With the options: they stand in the round.
        out2 = os.path.join(WORK, name + '-options.xml')
        opts = ['--date', want['date'], '--division', want['division'], '--city', want['city']]
        if want['short']:
            opts += ['--short', want['short']]
        p = do_import(book, out2, *opts)
        if p.returncode:
            continue
        got = round_view(out2, styles=True)
        for k in ('date', 'division', 'city', 'short'):
            eq(got[k], want[k], '%s: %s from the options' % (rel, k))
        check('--date' not in p.stderr and '--division' not in p.stderr,
              '%s: an option given is still warned: %s' % (rel, p.stderr))
        check_accepts(out2)
        # Built again, the imported round makes the same table.
        rebuilt = os.path.join(WORK, name + '-rebuilt')
        p = run(EXE, 'build', out2, '-o', rebuilt, '--format', fmt)
        check(p.returncode == 0, 'build of the imported %s: %s' % (rel, p.stderr[-1000:]))


# ---- Tables of the seeds ----------------------------------------------------------------------

def soffice(src, fmt, outdir):
    os.makedirs(outdir, exist_ok=True)
    profile = 'file://' + os.path.join(WORK, 'lo-profile')
    filt = {'xlsx': 'xlsx:Calc MS Excel 2007 XML', 'ods': 'ods:calc8'}[fmt]
    p = run('soffice', '-env:UserInstallation=' + profile, '--headless', '--convert-to', filt,
            '--outdir', outdir, src)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + '.' + fmt)
    check(p.returncode == 0 and os.path.exists(out), 'soffice %s -> %s: %s'
          % (src, fmt, p.stderr[-300:]))
    return out


def case_seed2021(ods=False):
    book = os.path.join(WORK, 'kuva-2021.xlsx')
    want = table_make.table_2021_fi(book)
    if ods:
        if shutil.which('soffice') is None:
            print('soffice is missing: LibreOffice is needed for this test')
            sys.exit(1)
        book = soffice(book, 'ods', os.path.join(WORK, 'ods'))
    out = os.path.join(WORK, 'kuva-2021.xml')
    p = do_import(book, out, '--short', 'Kuva', '--date', '2021-10-15', '--city', 'Helsinki')
    if p.returncode:
        return
    got = round_view(out)
    against_expected(got, dict(want, short='Kuva', date='2021-10-15', city='Helsinki'),
                     os.path.basename(book))
    err = p.stderr
    sheet = 'Sitovat tavoitteet 2021'
    place = "%s:%s!" % (book, sheet)
    check(place + "H3: warning: 'Vastuuhenkilö' is not a column" in err,
          'the unknown column is not said at its head: %s' % err)
    check(place + "C4: warning: the measure has no short name" in err and
          "'Tuotetaan ennen valtuustokauden päätymistä konkreettiset'" in err,
          'the name made from the first words is not warned at its cell: %s' % err)
    for name in ('Asukaskokemus ja asiakastyytyväisyys', 'Liikkumisohjelma'):
        check(re.search(r"warning: the table does not say what '%s' is: it is made a "
                        r"joint-planning theme" % name, err),
              'the programme %s made is not warned: %s' % (name, err))
    check('--division' not in err, 'the division named by the title is warned: %s' % err)
    # The comments mark what was inferred.
    texts = comments_of(got)
    check(any('from the title over the table (A1)' in c for c in texts),
          'no comment says the division came from the title: %s' % texts)
    check(any('The statement is the first sentence of B5' in c for c in texts),
          'no comment says the statement is the first sentence: %s' % texts)
    check(any('Its name is made of the first words of C4' in c for c in texts),
          'no comment says the name was made from the first words')
    check(any('The level is from "14 / 20 kpl" in J7' in c for c in texts),
          'no comment at the level: %s' % texts)
    check(any('joint-theme' in c and 'Merellinen strategia' in c for c in texts),
          'no comment lists the programmes whose kind is not known')
    check(any('Rows 8-9 of the sheet' in c for c in texts),
          'no comment says which rows a measure came from')
    check_accepts(out)
    check(re.search(r'%s: written: round 3/2021, dated 2021-10-15, from the strategy-measure '
                    r'table %s \(5 measures\)' % (re.escape(out), re.escape(book)), err),
          'import does not say what it wrote: %s' % err)
    # The pack builds from it.
    p = run(EXE, 'build', out, '-o', os.path.join(WORK, 'pack'))
    check(p.returncode == 0, 'build of the imported table: %s' % p.stderr[-1000:])
    if ods or not os.path.basename(IMPORT).startswith('taseuranta'):
        return
    # The command around the import: a table is no round to build or check, a round file is
    # not replaced without --force, a short name names files.
    for cmd in (['build', book, '-o', os.path.join(WORK, 'no')], ['check', book]):
        p = run(EXE, *cmd)
        check(p.returncode == 1 and '%s: error: this is a strategy-measure table, not a form: make '
              'a round file of it first (taseuranta import %s -o ROUND.xml)' % (book, book)
              in p.stderr, '%s of a table: exit %d: %s' % (cmd[0], p.returncode, p.stderr))
    before = open(out, 'rb').read()
    p = run(EXE, 'import', book, '-o', out)
    check(p.returncode == 2 and 'unless --force is given' in p.stderr and
          open(out, 'rb').read() == before, 'import over a file without --force: exit %d: %s'
          % (p.returncode, p.stderr))
    p = run(EXE, 'import', book, '-o', out, '--force', '--date', '2021-10-16')
    check(p.returncode == 0 and round_view(out)['date'] == '2021-10-16',
          'import --force: exit %d: %s' % (p.returncode, p.stderr[-500:]))
    p = run(EXE, 'import', book, '-o', os.path.join(WORK, 'x.xml'), '--short', 'K' * 41)
    check(p.returncode == 2 and '--short takes a short name of 1 to 40 characters' in p.stderr,
          'a short name too long: exit %d: %s' % (p.returncode, p.stderr))


def case_seed2020():
    book = os.path.join(WORK, 'kuva-2020.xlsx')
    want = table_make.table_2020_fi(book)
    out = os.path.join(WORK, 'kuva-2020.xml')
    p = do_import(book, out, '--short', 'Kuva', '--date', '2020-10-12')
    if p.returncode:
        return
    got = round_view(out)
    against_expected(got, want, 'seed 002')
    where, words = want['unknown']
    err = p.stderr
    check(re.search(r"%s: warning: the forecast 1/2020 names no status: it is left out .*start "
                    r"the cell with a status word: Toteutuu, Toteutunut, Epävarma, Ei toteudu, "
                    r"Ei raportoitu; Uppnås, .*On track" % re.escape(book + ':' + where), err),
          'the forecast without a status is not said at %s with the allowed words: %s'
          % (where, err))
    mc = measure_comment(got, got['goals'][2]['measures'][1]['id'])
    check('Ennuste 1/2020 (D5) was left out: it names no status' in mc and words in mc,
          'the text of the forecast left out is not kept in a comment: %r' % mc)
    check(re.search(r'warning: %d forecast statuses were read from the words of their texts'
                    % want['inferred'], err), 'the statuses read from words are not counted: %s'
          % err)
    texts = comments_of(got)
    check(sum('The status is read from the words' in c for c in texts) == want['inferred'],
          'not every status read from words is marked: %s' % texts)
    check(any('"pienellä varauksella" in D4' in c for c in texts),
          'the words a status was read from are not named')
    check(any('The statement is the first line of B2' in c for c in texts),
          'no comment says the statement is the first line')
    check_accepts(out)


def case_lang(lang):
    book = os.path.join(WORK, 'table-%s.xlsx' % lang)
    want = (table_make.table_sv if lang == 'sv' else table_make.table_en)(book)
    out = os.path.join(WORK, 'table-%s.xml' % lang)
    opts = []
    if lang == 'en':
        opts = ['--division', 'Culture and Leisure Division', '--short', 'Kuva', '--city',
                'Helsinki', '--date', '2022-04-30']
        want = dict(want, division='Culture and Leisure Division', short='Kuva', city='Helsinki',
                    date='2022-04-30')
    p = do_import(book, out, *opts)
    if p.returncode:
        return
    against_expected(round_view(out), want, lang)
    check_accepts(out)
    # --lang stands over the heads' language.
    out2 = os.path.join(WORK, 'table-%s-fi.xml' % lang)
    if do_import(book, out2, '--lang', 'fi', *opts).returncode == 0:
        eq(round_view(out2)['lang'], 'fi', '%s: --lang fi' % lang)


def case_last_year():
    book = os.path.join(WORK, 'kuva-2021.xlsx')
    table_make.table_2021_fi(book)
    out = os.path.join(WORK, 'kuva-2022-1.xml')
    p = do_import(book, out, '--year', '2022', '--date', '2022-02-15', '--short', 'Kuva')
    if p.returncode:
        return
    got = round_view(out)
    eq((got['year'], got['number'], got['date']), (2022, 1, '2022-02-15'), 'the new round')
    eq([m['name'] for g in got['goals'] for m in g['measures']],
       ['Tuotetaan ennen valtuustokauden päätymistä konkreettiset', 'Harrastaminen',
        'Ikäihmiset', 'Biennaali', 'Palvelutarjotin'], 'the measures carried over')
    for g in got['goals']:
        for m in g['measures']:
            eq((m['forecasts'], m['comment'], m['value']), ({}, [], None),
               'last year\'s forecasts, comment and value in %s' % m['name'])
    check(re.search(r"'Ennuste 1/2021' is a forecast of 2021, not of the round's year 2022", 
                    p.stderr), 'the columns of last year are not said: %s' % p.stderr)
    mc = measure_comment(got, got['goals'][0]['measures'][0]['id'])
    check('Kommentit of 2021 (I4): Palvelukokonaisuudet' in mc,
          'last year\'s comment is not kept in a comment: %r' % mc)
    check_accepts(out)


def case_no_table():
    book = os.path.join(WORK, 'yhteystiedot.xlsx')
    table_make.table_without(book, 'table')
    p = do_import(book, os.path.join(WORK, 'none.xml'), want_rc=1)
    check(re.search(r'%s: error: neither a form nor a strategy-measure table: a form has a sheet '
                    r'"Kierros" \(or "Omgång", "Round"\); for a table, looked for a head '
                    r"row in the first 20 rows of a sheet with the measures' column 'Sitovan "
                    r"toiminnan tavoitteen mittarit' \(sv 'Mätare för det bindande "
                    r"verksamhetsmålet', en 'Measures of the binding operational goal'\)"
                    % re.escape(book), p.stderr),
          'the refusal does not name the heads looked for: %s' % p.stderr)


def case_no_year():
    book = os.path.join(WORK, 'vuodeton.xlsx')
    table_make.table_without(book, 'year')
    p = do_import(book, os.path.join(WORK, 'none.xml'), want_rc=1)
    check(re.search(r"error: the table does not say its year: .*give the round's year with "
                    r"--year", p.stderr), 'the missing year is not said: %s' % p.stderr)
    out = os.path.join(WORK, 'vuodeton.xml')
    if do_import(book, out, '--year', '2021').returncode == 0:
        got = round_view(out)
        eq((got['year'], got['number']), (2021, 1), 'with --year')
        m = got['goals'][0]['measures'][0]
        eq((m['name'], m['recovery'], m['comment']), ('Biennaali', True, ['Hyvin menee.']),
           'its measure (under "Palautumis-\\nmittari" and "KOMMENTIT")')
        check_accepts(out)


def case_odd():
    book = os.path.join(WORK, 'odd.xlsx')
    h = table_make.table_odd(book)
    out = os.path.join(WORK, 'odd.xml')
    p = do_import(book, out, '--short', 'Kuva')
    if p.returncode:
        return
    got = round_view(out)
    err = p.stderr
    eq([(g['theme'], g['statement'], [m['name'] for m in g['measures']]) for g in got['goals']],
       [('Teema yksi', 'Tavoite yksi', ['Mittari %d' % (h + 1), '12345',
                                        'Yhdistetty']),
        ('Uusi teema', 'Uusi tavoite', ['Kolmas']), ('Uusi teema', 'Toinen tavoite', ['Neljäs'])],
       'the odd table\'s goals and measures')
    ms = [m for g in got['goals'] for m in g['measures']]
    eq(ms[0]['links'], ['Ohjelma A', 'Ohjelma B'], 'links named twice, with a control character')
    eq(ms[2]['forecasts'], {1: ('at-risk', ['Toteutuu'])}, 'a forecast of two rows')
    eq(ms[2]['comment'], ['Kommentti omalla rivillään.'], 'a comment on a row of its own')
    eq(ms[3]['forecasts'], {1: ('achieved', [])}, 'the measure under a goal on its own row')
    eq(ms[4]['forecasts'], {}, 'a forecast not reported, with a text')
    mc = measure_comment(got, ms[4]['id'])
    check('(E%d) was left out: not reported, with a text after it. It said: Ei raportoitu – '
          'tiedot puuttuvat' % (h + 11) in mc, 'its text is not kept: %r' % mc)
    place = "%s:Taulukko!" % book
    for cell, words in (('D%d' % (h + 1), "'kenties' is not a word of the recovery column"),
                        ('E%d' % (h + 1), 'the forecast 1/2024 names no status'),
                        ('G%d' % (h + 1), 'it is a date or a time, not a number'),
                        ('G%d' % (h + 3), "the numeric forecast 'noin 50' is left out"),
                        ('C%d' % (h + 6), 'this row has no measure of its own'),
                        ('B%d' % (h + 10), 'no measure stands under this goal'),
                        ('E%d' % (h + 11), 'the forecast is not reported, and the text after it '
                         'is left out')):
        check(re.search(re.escape(place + cell) + ': warning: .*' + re.escape(words), err),
              'not said at %s: %s: %s' % (cell, words, err))
    check("Vanha!C1: warning: this sheet holds a strategy-measure table too: only the sheet "
          "\"Taulukko\" is imported" in err, 'the hidden table is not said: %s' % err)
    check_accepts(out)
    # Past the 20th row, a head is no head.
    late = os.path.join(WORK, 'late.xlsx')
    table_make.table_odd(late, head_row=21)
    p = do_import(late, os.path.join(WORK, 'late.xml'), want_rc=0)
    check('only the sheet' not in p.stderr and 'Vanha' in open(os.path.join(
        WORK, 'late.xml'), encoding='utf-8').read(), 'a head in row 21 is taken: %s' % p.stderr)


def case_torture():
    """Every allocation of the import failing in turn, on a table of 200 measures (our own
    workbook of a generated round): each run fails with status 3 and says so, writes nothing,
    and (under the sanitizers) leaks nothing; past the last one, the import succeeds."""
    src = os.path.join(WORK, 'r200.xml')
    p = run(sys.executable, os.path.join(SRC, 'bench', 'gen-round'), '200', src)
    if not check(p.returncode == 0, 'gen-round: %s' % p.stderr):
        return
    p = run(EXE, 'build', src, '-o', os.path.join(WORK, 'book'), '--format', 'xlsx')
    if not check(p.returncode == 0, 'build: %s' % p.stderr):
        return
    book = os.path.join(WORK, 'book', [f for f in os.listdir(os.path.join(WORK, 'book'))][0])
    out = os.path.join(WORK, 'out.xml')
    for n in range(1, 100000):
        p = run(*import_args(book, out, '--fail-after', str(n)))
        if p.returncode == 0:
            check(n > 20, 'the import succeeded after %d allocations: the hook does not count'
                  % n)
            print('the import succeeds from the %d-th allocation on' % n)
            break
        if not check(p.returncode == 3 and 'out of memory while importing the table' in p.stderr
                     and not os.path.exists(out),
                     'allocation %d failing: exit %d: %s' % (n, p.returncode, p.stderr[-1500:])):
            break


def case_memcheck():
    """valgrind memcheck on the import of the tables made here and of our own workbook: no
    error, no leak."""
    if shutil.which('valgrind') is None:
        print('valgrind is missing')
        sys.exit(1)
    books = []
    for name, make in (('kuva-2021.xlsx', table_make.table_2021_fi),
                       ('kuva-2020.xlsx', table_make.table_2020_fi),
                       ('odd.xlsx', table_make.table_odd)):
        make(os.path.join(WORK, name))
        books.append(os.path.join(WORK, name))
    p = run(EXE, 'build', os.path.join(SRC, 'input', 'kuva-2020-3.xml'), '-o',
            os.path.join(WORK, 'own'), '--format', 'xlsx,ods')
    check(p.returncode == 0, 'build: %s' % p.stderr)
    books += [os.path.join(WORK, 'own', f) for f in sorted(os.listdir(os.path.join(WORK, 'own')))]
    for book in books:
        out = os.path.join(WORK, 'out.xml')
        if os.path.exists(out):
            os.remove(out)
        p = run('valgrind', '--quiet', '--error-exitcode=99', '--leak-check=full',
                '--errors-for-leak-kinds=definite,indirect,possible',
                *import_args(book, out))
        check(p.returncode == 0, 'valgrind on the import of %s: exit %d: %s'
              % (book, p.returncode, p.stderr[-3000:]))


def case_docs():
    """docs/forms.md's section on tables names every head the import knows (the label files' in
    Finnish and the other spellings it takes) and every option of import."""
    doc = open(os.path.join(SRC, 'docs', 'forms.md'), encoding='utf-8').read()
    start = doc.find("## Start from last year's table")
    if not check(start >= 0, "docs/forms.md has no section \"Start from last year's table\""):
        return
    section = doc[start:doc.find('\n## ', start + 1)]
    import xml.etree.ElementTree as ET
    fi = {e.get('key'): e.text for e in ET.parse(os.path.join(
        SRC, 'layouts', 'labels', 'fi.xml')).getroot()}
    for key in ('col.theme', 'col.goal', 'col.measure', 'col.recovery', 'col.comment',
                'col.value', 'status.on-track', 'status.achieved', 'status.at-risk',
                'status.off-track', 'status.none', 'bool.true', 'bool.false'):
        check(fi[key] in section, "the section lacks the head or word %r (%s)" % (fi[key], key))
    for words in ('Palautusmittari', 'Kytkeytyminen', 'Ennuste 1/2021', 'Riskit', 'Teema',
                  'Kommentti', 'Numeerinen ennuste', 'Sitova tavoite', '"on toteutumassa"',
                  '"pienellä varauksella"'):
        check(words in section, 'the section lacks %r' % words)
    help_text = run(EXE, 'import', '--help').stdout
    opts = set(re.findall(r'^\s+(?:-\w, )?(--[a-z]+)', help_text[help_text.find('\nimport:'):],
                          re.M)) - {'--output', '--force', '--help', '--version'}
    check(len(opts) >= 7, 'import --help lists %s' % sorted(opts))
    for o in sorted(opts):
        check('`%s`' % o in section, 'the section does not say what %s does' % o)


def case_form_city():
    """--city stands over a form's Kierros sheet too (import takes the same options for a form
    and a table); without it the form's city stays."""
    form = os.path.join(WORK, 'kuva.xlsx')
    p = run(EXE, 'form', os.path.join(SRC, 'input', 'kuva-2020-3.xml'), '-o', form)
    if not check(p.returncode == 0, 'form: %s' % p.stderr):
        return
    out = os.path.join(WORK, 'kuva.xml')
    if do_import(form, out, '--city', 'Espoo').returncode == 0:
        eq(round_view(out)['city'], 'Espoo', 'the form imported with --city')
        check(': written: round 3/2020, dated 2020-10-12, from the form' in run(
            EXE, 'import', form, '-o', os.path.join(WORK, 'again.xml')).stderr,
              'a form is not imported as a form')
    if do_import(form, out).returncode == 0:
        eq(round_view(out)['city'], 'Helsinki', 'the form imported without --city')


CASES = {
    'form_city': case_form_city,
    'docs': case_docs,
    'memcheck': case_memcheck,
    'torture': case_torture,
    'odd': case_odd,
    'own_xlsx': lambda: case_own('xlsx'),
    'own_ods': lambda: case_own('ods'),
    'seed2021': case_seed2021,
    'seed2021_ods': lambda: case_seed2021(ods=True),
    'seed2020': case_seed2020,
    'sv': lambda: case_lang('sv'),
    'en': lambda: case_lang('en'),
    'last_year': case_last_year,
    'no_table': case_no_table,
    'no_year': case_no_year,
}

if __name__ == '__main__':
    if os.path.isdir(WORK):
        shutil.rmtree(WORK)
    os.makedirs(WORK)
    CASES[CASE]()
    if failures:
        print('%d failure(s)' % len(failures))
        sys.exit(1)
    print('ok')
