/* The parser and the model it builds: folding, runs, blocks, lists, references, by_round,
 * positions, each lint, the caps, allocation failure and parsing in several threads. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "round/model.h"
#include "round/parser.h"

/* ---- Helpers ----------------------------------------------------------------------------- */

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* A whole round around the given measure body (inside <measure id="m">). */
static char *round_with(const char *round_attrs, const char *measure_body)
{
    buf b = {0};
    buf_add(&b,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<round format=\"1\" year=\"2020\" number=\"2\" date=\"2020-06-15\" "
            "xml:lang=\"fi\"%s>\n"
            "  <organization><city>Helsinki</city><division>Kuva</division></organization>\n"
            "  <themes><theme id=\"t\">Teema</theme></themes>\n"
            "  <programmes><programme id=\"p1\" kind=\"city-project\">P1</programme>"
            "<programme id=\"p2\" kind=\"joint-theme\">P2</programme></programmes>\n"
            "  <goal id=\"g\" theme=\"t\">\n"
            "    <statement>Tavoite</statement>\n"
            "    <measure id=\"m\">\n%s\n    </measure>\n"
            "  </goal>\n"
            "</round>\n",
            round_attrs, measure_body);
    return b.s;
}

#define MINIMAL_MEASURE                                                                            \
    "<name>N</name><text>T</text><owner>O</owner><forecast round=\"2\" status=\"on-track\"/>"

typedef struct parsed {
    ts_diags diags;
    ts_round *round;
    char *text;
} parsed;

static void parse_text(parsed *p, char *text, bool lint)
{
    assert_true(ts_diags_init(&p->diags, NULL));
    ts_parse_options o;
    ts_parse_options_default(&o);
    o.lint = lint;
    p->text = text;
    p->round = ts_parse_memory(text, strlen(text), "t.xml", &o, &p->diags);
}

static void parsed_free(parsed *p)
{
    ts_round_free(p->round);
    ts_diags_free(&p->diags);
    free(p->text);
}

static void print_diags(parsed *p)
{
    const ts_diag *d = p->diags.list.items;
    for (size_t i = 0; i < p->diags.list.len; i++)
        fprintf(stderr, "  %u:%u %s\n", d[i].pos.line, d[i].pos.col, d[i].message);
}

/* The diagnostic whose message contains `text`, or NULL. */
static const ts_diag *find_diag(parsed *p, ts_severity sev, const char *text)
{
    const ts_diag *d = p->diags.list.items;
    for (size_t i = 0; i < p->diags.list.len; i++)
        if (d[i].severity == sev && strstr(d[i].message, text))
            return &d[i];
    return NULL;
}

static const ts_measure *only_measure(parsed *p)
{
    if (p->round == NULL)
        print_diags(p);
    assert_non_null(p->round);
    assert_int_equal(p->round->n_measures, 1);
    return ts_round_measure(p->round, 0);
}

static void assert_run(const ts_run *r, const char *text, unsigned style, const char *href)
{
    assert_string_equal(r->text, text);
    assert_int_equal(r->len, strlen(text));
    assert_int_equal(r->style, style);
    if (href)
        assert_string_equal(r->href, href);
    else
        assert_null(r->href);
}

/* ---- Text -------------------------------------------------------------------------------- */

static void folding_and_runs(void **state)
{
    parsed p;
    parse_text(&p,
               round_with("", "<name>  a  <b> b\n\t c </b> <i>d</i>e  </name><text>T</text>"
                              "<owner>O</owner><forecast round=\"2\" status=\"on-track\"/>"),
               false);
    const ts_measure *m = only_measure(&p);
    assert_int_equal(m->name.n_runs, 4);
    assert_run(&m->name.runs[0], "a ", 0, NULL);
    assert_run(&m->name.runs[1], "b c ", TS_RUN_BOLD, NULL);
    assert_run(&m->name.runs[2], "d", TS_RUN_ITALIC, NULL);
    assert_run(&m->name.runs[3], "e", 0, NULL);
    char *all = ts_inline_text(p.round->arena, &m->name);
    assert_string_equal(all, "a b c de");
    parsed_free(&p);
}

static void nested_styles_and_links(void **state)
{
    parsed p;
    parse_text(&p,
               round_with("", "<name><b>x<i>y<a href=\"https://e.fi/\">z</a></i></b>"
                              "<b>w</b><b>v</b> &amp; &#x20AC;<![CDATA[<c>]]></name>"
                              "<text>T</text><owner>O</owner>"
                              "<forecast round=\"2\" status=\"on-track\"/>"),
               false);
    const ts_measure *m = only_measure(&p);
    assert_int_equal(m->name.n_runs, 5);
    assert_run(&m->name.runs[0], "x", TS_RUN_BOLD, NULL);
    assert_run(&m->name.runs[1], "y", TS_RUN_BOLD | TS_RUN_ITALIC, NULL);
    assert_run(&m->name.runs[2], "z", TS_RUN_BOLD | TS_RUN_ITALIC, "https://e.fi/");
    /* adjacent runs of the same style merge */
    assert_run(&m->name.runs[3], "wv", TS_RUN_BOLD, NULL);
    assert_run(&m->name.runs[4], " & \xE2\x82\xAC<c>", 0, NULL);
    parsed_free(&p);
}

static void blocks_and_lists(void **state)
{
    parsed p;
    parse_text(&p,
               round_with("", "<name>N</name>"
                              "<text> Bare   text </text><owner>O</owner>"
                              "<objective><p>One</p>\n<ul><li>A<b>b</b>\n<ol><li>i</li><li>ii"
                              "<ul><li>deep</li></ul></li></ol></li><li>B</li></ul><p/></objective>"
                              "<forecast round=\"2\" status=\"on-track\"/>"
                              "<comment/>"),
               false);
    const ts_measure *m = only_measure(&p);
    assert_true(m->text.present);
    assert_int_equal(m->text.n, 1);
    assert_int_equal(m->text.blocks[0].kind, TS_BLOCK_P);
    assert_run(&m->text.blocks[0].text.runs[0], "Bare text", 0, NULL);

    const ts_blocks *o = &m->objective;
    assert_int_equal(o->n, 3);
    assert_int_equal(o->blocks[0].kind, TS_BLOCK_P);
    assert_int_equal(o->blocks[1].kind, TS_BLOCK_UL);
    assert_int_equal(o->blocks[2].kind, TS_BLOCK_P);
    assert_int_equal(o->blocks[2].text.n_runs, 0);
    const ts_block *ul = &o->blocks[1];
    assert_int_equal(ul->n_items, 2);
    assert_int_equal(ul->items[0].text.n_runs, 2);
    assert_run(&ul->items[0].text.runs[0], "A", 0, NULL);
    assert_run(&ul->items[0].text.runs[1], "b", TS_RUN_BOLD, NULL);
    const ts_block *ol = ul->items[0].sublist;
    assert_non_null(ol);
    assert_int_equal(ol->kind, TS_BLOCK_OL);
    assert_int_equal(ol->n_items, 2);
    assert_run(&ol->items[1].text.runs[0], "ii", 0, NULL);
    assert_non_null(ol->items[1].sublist);
    assert_run(&ol->items[1].sublist->items[0].text.runs[0], "deep", 0, NULL);
    assert_null(ul->items[1].sublist);

    /* present and empty versus absent */
    assert_true(m->comment.present);
    assert_int_equal(m->comment.n, 0);
    assert_false(m->risks.present);
    assert_int_equal(m->forecasts[0].text.n, 0);
    assert_true(m->forecasts[0].text.present);
    parsed_free(&p);
}

/* ---- The round --------------------------------------------------------------------------- */

static char *read_data(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/valid/%s", TEST_DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    buf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_add(&b, "%.*s", (int)n, chunk);
    }
    fclose(f);
    return b.s;
}

static void whole_round(void **state)
{
    parsed p;
    parse_text(&p, read_data("parser-fi.xml"), true);
    if (p.round == NULL || p.diags.list.len)
        print_diags(&p);
    assert_non_null(p.round);
    assert_int_equal(p.diags.list.len, 0);
    const ts_round *r = p.round;
    assert_string_equal(r->file, "t.xml");
    assert_int_equal(r->year, 2020);
    assert_int_equal(r->number, 3);
    assert_int_equal(r->date.year, 2020);
    assert_int_equal(r->date.month, 10);
    assert_int_equal(r->date.day, 12);
    assert_int_equal(r->lang, TS_LANG_FI);
    assert_string_equal(r->city, "Helsinki");
    assert_string_equal(r->division, "Kulttuurin ja vapaa-ajan toimiala");
    assert_string_equal(r->division_short, "Kuva");
    assert_int_equal(r->subtitle.n_runs, 3);
    assert_int_equal(r->n_themes, 2);
    assert_int_equal(r->n_programmes, 3);
    assert_int_equal(r->programmes[2].kind, TS_PROGRAMME_SEPARATE);
    assert_int_equal(r->n_goals, 2);
    assert_int_equal(r->n_measures, 3);
    assert_ptr_equal(r->goals[1].theme, &r->themes[1]);

    const ts_measure *m = ts_round_measure(r, 0);
    assert_string_equal(m->id, "liikkumisohjelma-mittari");
    assert_true(m->recovery);
    assert_true(m->has_date);
    assert_int_equal(m->date.month, 10);
    assert_int_equal(m->date.day, 0);
    assert_int_equal(m->n_owners, 2);
    assert_string_equal(m->owners[1].name, "Kirsti Laine-Hendolin");
    assert_int_equal(m->n_managers, 1);
    assert_int_equal(m->n_preparers, 1);
    assert_ptr_equal(m->goal, &r->goals[0]);
    assert_int_equal(m->index, 0);
    assert_int_equal(m->n_targets, 1);
    const ts_target *t = &m->targets[0];
    assert_string_equal(t->id, "nuoret");
    assert_non_null(t->scale);
    assert_int_equal(t->scale->n_phases, 2);
    assert_true(t->scale->phases[1].at == 62.5);
    assert_run(&t->scale->from.runs[0], "EI MUUTOSTA / 0 KPL", 0, NULL);
    assert_int_equal(t->n_tasks, 3);
    assert_int_equal(t->tasks[0].status, TS_TASK_DOING);
    assert_int_equal(t->tasks[0].progress, 40);
    assert_int_equal(t->tasks[2].progress, -1);
    assert_true(t->tasks[1].detail.present);
    assert_false(t->tasks[0].detail.present);
    assert_true(t->forecast.present);
    assert_true(t->risks.present);

    /* the forecast history */
    assert_int_equal(m->n_forecasts, 3);
    for (int k = 1; k <= 3; k++) {
        assert_non_null(m->by_round[k]);
        assert_int_equal(m->by_round[k]->round, k);
    }
    assert_null(m->by_round[0]);
    const ts_forecast *cur = ts_measure_current(r, m);
    assert_ptr_equal(cur, &m->forecasts[2]);
    assert_int_equal(cur->status, TS_STATUS_AT_RISK);
    assert_true(cur->has_value);
    assert_true(cur->value == 70);
    assert_string_equal(cur->unit, "%");
    assert_false(m->forecasts[0].has_value);
    assert_run(&m->forecasts[1].text.blocks[0].text.runs[0],
               "Palvelutorien valmistelut ovat \"jäissä\" & odottavat.", 0, NULL);
    /* the comment's link and emoji */
    assert_int_equal(m->comment.blocks[0].text.n_runs, 3);
    assert_run(&m->comment.blocks[0].text.runs[1], "toimenpiteet", 0, "https://www.hel.fi/");
    assert_run(&m->comment.blocks[0].text.runs[2], " edistyvät ajallaan. \xF0\x9F\x9A\xB2", 0,
               NULL);
    assert_run(&m->risks.blocks[0].text.runs[0], "Riskinä on <aikataulu> ja rahoitus.", 0, NULL);
    assert_int_equal(m->n_notes, 1);
    assert_int_equal(m->n_links, 2);
    assert_ptr_equal(m->links[0], &r->programmes[0]);
    assert_ptr_equal(m->links[1], &r->programmes[1]);

    const ts_measure *m2 = ts_round_measure(r, 1);
    assert_string_equal(m2->id, "biennaali");
    assert_false(m2->recovery);
    assert_int_equal(m2->date.day, 30);
    assert_null(m2->by_round[1]);
    assert_int_equal(ts_measure_current(r, m2)->status, TS_STATUS_OFF_TRACK);
    const ts_measure *m3 = ts_round_measure(r, 2);
    assert_ptr_equal(m3->goal, &r->goals[1]);
    assert_int_equal(m3->index, 2);
    assert_int_equal(m3->text.blocks[0].kind, TS_BLOCK_OL);
    assert_null(ts_round_measure(r, 3));

    assert_non_null(r->summary);
    assert_int_equal(r->summary->n_theme_actions, 1);
    const ts_theme_actions *ta = &r->summary->theme_actions[0];
    assert_ptr_equal(ta->theme, &r->themes[0]);
    assert_int_equal(ta->n_actions, 2);
    assert_int_equal(ta->n_indicators, 2);
    assert_true(ta->indicators[0].binding);
    assert_false(ta->indicators[1].binding);
    assert_int_equal(r->summary->n_programme_actions, 1);
    assert_ptr_equal(r->summary->programme_actions[0].programme, &r->programmes[1]);

    char *stem = ts_round_stem(r->arena, r);
    assert_string_equal(stem, "kuva-2020-3");
    parsed_free(&p);
}

/* ---- Positions --------------------------------------------------------------------------- */

static void positions(void **state)
{
    parsed p;
    parse_text(&p, read_data("parser-fi.xml"), false);
    assert_non_null(p.round);
    const ts_round *r = p.round;
    assert_int_equal(r->pos.line, 3);
    assert_int_equal(r->pos.col, 1);
    const ts_measure *m = ts_round_measure(r, 0);
    assert_int_equal(m->pos.line, 23);
    assert_int_equal(m->pos.col, 5);
    assert_int_equal(m->name.pos.line, 24);
    assert_int_equal(m->name.pos.col, 7);
    /* a run starts at its text, or at its element */
    const ts_goal *g = &r->goals[0];
    assert_int_equal(g->statement.runs[0].pos.line, 21);
    assert_int_equal(g->statement.runs[0].pos.col, 16);
    assert_int_equal(g->statement.runs[1].pos.line, 21);
    assert_int_equal(g->statement.runs[1].pos.col, 34);
    assert_int_equal(m->targets[0].tasks[1].pos.line, 39);
    assert_int_equal(m->targets[0].tasks[1].pos.col, 9);
    assert_int_equal(m->forecasts[2].pos.line, 46);
    parsed_free(&p);
}

static void columns_count_characters(void **state)
{
    /* "ä" is two bytes, "🚲" four; the column counts characters; CRLF and a BOM do not shift it */
    char *text = round_with("", "<name>N</name><text>T</text><owner>O</owner>\r\n"
                                "<!-- ääää --><forecast round=\"2\" status=\"on-track\"/>"
                                "<comment>ä🚲</comment><forcast/>");
    size_t n = strlen(text);
    char *with_bom = malloc(n + 4);
    memcpy(with_bom, "\xEF\xBB\xBF", 3);
    memcpy(with_bom + 3, text, n + 1);
    free(text);
    parsed p;
    parse_text(&p, with_bom, false);
    assert_null(p.round);
    const ts_diag *d = find_diag(&p, TS_ERROR, "unknown element <forcast>");
    assert_non_null(d);
    assert_int_equal(d->pos.line, 10);
    /* <!-- ääää --> is 13 characters, the forecast 39, <comment>ä🚲</comment> 21 */
    assert_int_equal(d->pos.col, 1 + 13 + 39 + 21);
    assert_non_null(strstr(d->message, "did you mean <forecast>?"));
    parsed_free(&p);
}

static void lines_past_65535(void **state)
{
    buf b = {0};
    buf_add(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<round format=\"1\" year=\"2020\" "
                "number=\"2\" date=\"2020-06-15\" xml:lang=\"fi\">\n");
    for (int i = 0; i < 70000; i++)
        buf_add(&b, "\n");
    buf_add(&b, "<bogus/></round>\n");
    parsed p;
    parse_text(&p, b.s, false);
    const ts_diag *d = find_diag(&p, TS_ERROR, "unknown element <bogus>");
    assert_non_null(d);
    assert_int_equal(d->pos.line, 70003);
    assert_int_equal(d->pos.col, 1);
    parsed_free(&p);
}

/* ---- References and checks --------------------------------------------------------------- */

static void references(void **state)
{
    parsed p;
    parse_text(&p,
               round_with("", MINIMAL_MEASURE "<link ref=\"p2\"/><link ref=\"t\"/>"
                                              "<link ref=\"p9\"/>"),
               false);
    assert_null(p.round);
    const ts_diag *d = find_diag(&p, TS_ERROR, "ref=\"t\" names a theme, not a programme");
    assert_non_null(d);
    assert_int_equal(d->pos.line, 9);
    d = find_diag(&p, TS_ERROR,
                  "ref=\"p9\" names no programme; programmes in this file: 'p1', "
                  "'p2'");
    assert_non_null(d);
    assert_int_equal(p.diags.errors, 2);
    parsed_free(&p);
}

static void all_problems_reported(void **state)
{
    parsed p;
    parse_text(&p,
               round_with(" bogus=\"1\"",
                          "<name>N</name><text>T <p>x</p></text><date>2021-02-29</date>"
                          "<owner>O</owner><target><title>t</title><task status=\"done\" "
                          "progress=\"-1\"><title>x</title></task></target>"
                          "<forecast round=\"2\" status=\"on-track\"/>"
                          "<forecast round=\"2\" status=\"late\" value=\"1e3\"/>"),
               false);
    assert_null(p.round);
    assert_non_null(find_diag(&p, TS_ERROR, "unknown attribute 'bogus' on <round>"));
    assert_non_null(find_diag(&p, TS_ERROR, "text beside a <p>"));
    assert_non_null(find_diag(&p, TS_ERROR, "2021-02 has 28 days"));
    assert_non_null(find_diag(&p, TS_ERROR, "progress=\"-1\" on <task> is not a whole number"));
    assert_non_null(find_diag(&p, TS_ERROR, "a second forecast for round 2"));
    assert_non_null(find_diag(&p, TS_ERROR, "status=\"late\""));
    assert_non_null(find_diag(&p, TS_ERROR, "value=\"1e3\" on <forecast> is not a decimal"));
    assert_int_equal(p.diags.errors, 7);
    parsed_free(&p);
}

/* ---- Lints ------------------------------------------------------------------------------- */

static void lint_case(const char *body, const char *warning, bool expect)
{
    for (int lint = 0; lint <= 1; lint++) {
        parsed p;
        parse_text(&p, round_with("", body), lint);
        if (p.round == NULL)
            print_diags(&p);
        assert_non_null(p.round);
        const ts_diag *d = find_diag(&p, TS_WARNING, warning);
        if (lint && expect) {
            assert_non_null(d);
            assert_true(d->pos.line > 0);
        } else {
            assert_null(d);
        }
        if (!lint)
            assert_int_equal(p.diags.warnings, 0);
        parsed_free(&p);
    }
}

static void lints(void **state)
{
    lint_case("<name>N</name><text>T</text><owner>O</owner>"
              "<forecast round=\"1\" status=\"on-track\"/>",
              "has no forecast for round 2, the current round", true);
    lint_case(MINIMAL_MEASURE, "has no forecast", false);
    lint_case("<name>N</name><text>T</text><forecast round=\"2\" status=\"on-track\"/>",
              "measure 'm' has no <owner>", true);
    lint_case(MINIMAL_MEASURE, "has no <owner>", false);
    lint_case("<name>N</name><text>T</text><owner>O</owner><target><title>x</title></target>"
              "<forecast round=\"2\" status=\"on-track\"/>",
              "an empty target", true);
    lint_case("<name>N</name><text>T</text><owner>O</owner>"
              "<forecast round=\"2\" status=\"on-track\" value=\"120\" unit=\"%\"/>",
              "a percentage over 100", true);
    lint_case("<name>N</name><text>T</text><owner>O</owner>"
              "<forecast round=\"2\" status=\"on-track\" value=\"120\" unit=\"kpl\"/>",
              "a percentage over 100", false);

    /* texts a spreadsheet cell cannot hold: 40,000 characters, and exactly 32,767 */
    buf b = {0};
    buf_add(&b, "<name>N</name><text>");
    for (int i = 0; i < 4000; i++)
        buf_add(&b, "kymmenen. ");
    buf_add(&b, "</text><owner>O</owner><forecast round=\"2\" status=\"on-track\"/>");
    lint_case(b.s, "the measure's text is 39999 characters long", true);
    free(b.s);
    b = (buf){0};
    buf_add(&b, "<name>N</name><text>T</text><owner>O</owner>"
                "<forecast round=\"2\" status=\"on-track\"/><comment>");
    for (int i = 0; i < 32767; i++)
        buf_add(&b, "\xC3\xA4");
    buf_add(&b, "</comment>");
    lint_case(b.s, "spreadsheet cell", false);
    b.len -= strlen("</comment>");
    buf_add(&b, "x</comment>");
    lint_case(b.s, "the comment is 32768 characters long", true);
    free(b.s);
}

/* ---- Texts that must hold text ----------------------------------------------------------- */

static void empty_required_texts(void **state)
{
    parsed p;
    parse_text(&p,
               round_with("", "<name> <b> </b>\n</name><text>T</text><owner>O</owner>"
                              "<manager>\n\t</manager><preparer><![CDATA[ ]]></preparer>"
                              "<target><title/><task status=\"todo\"><title>x</title></task>"
                              "</target><forecast round=\"2\" status=\"on-track\"/>"),
               false);
    assert_null(p.round);
    const ts_diag *d = find_diag(&p, TS_ERROR, "<name> holds no text");
    assert_non_null(d);
    assert_int_equal(d->pos.line, 9);
    assert_int_equal(d->pos.col, 1);
    assert_non_null(find_diag(&p, TS_ERROR, "<manager> holds no text"));
    assert_non_null(find_diag(&p, TS_ERROR, "<preparer> holds no text"));
    assert_non_null(find_diag(&p, TS_ERROR, "<title> holds no text: write the target's title"));
    assert_int_equal(p.diags.errors, 4);
    parsed_free(&p);

    /* A text whose markup is refused is not also called empty; one character is enough. */
    parse_text(&p,
               round_with("", "<name><p>N</p></name><text>T</text><owner>x</owner>"
                              "<forecast round=\"2\" status=\"on-track\"/>"),
               false);
    assert_non_null(find_diag(&p, TS_ERROR, "<p> is not allowed in <name>"));
    assert_null(find_diag(&p, TS_ERROR, "holds no text"));
    assert_int_equal(p.diags.errors, 1);
    parsed_free(&p);
    parse_text(&p,
               round_with("", "<name><i>\xE2\x80\x93</i></name><text>T</text><owner>x</owner>"
                              "<forecast round=\"2\" status=\"on-track\"/>"),
               false);
    assert_non_null(p.round);
    parsed_free(&p);
}

/* ---- Levels ------------------------------------------------------------------------------ */

static void levels(void **state)
{
    parsed p;
    parse_text(&p,
               round_with("", "<name>N</name><text>T</text><owner>O</owner>"
                              "<objective>o</objective><level value=\" -12.50 \" unit=\"kpl\"/>"
                              "<forecast round=\"2\" status=\"on-track\"/>"),
               true);
    const ts_measure *m = only_measure(&p);
    assert_non_null(m->level);
    assert_true(m->level->value == -12.5);
    assert_string_equal(m->level->unit, "kpl");
    assert_int_equal(m->level->pos.line, 9);
    assert_int_equal(m->level->pos.col, 69);
    parsed_free(&p);

    parse_text(&p, round_with("", MINIMAL_MEASURE), true);
    assert_null(only_measure(&p)->level);
    parsed_free(&p);

    parse_text(&p,
               round_with("", "<name>N</name><text>T</text><owner>O</owner><level value=\"5\"/>"
                              "<forecast round=\"2\" status=\"on-track\"/>"),
               true);
    m = only_measure(&p);
    assert_true(m->level->value == 5);
    assert_null(m->level->unit);
    parsed_free(&p);
}

#define LEVELLED(level, value)                                                                     \
    "<name>N</name><text>T</text><owner>O</owner>" level                                           \
    "<forecast round=\"1\" status=\"on-track\"/><forecast round=\"2\" status=\"on-track\"" value   \
    "/>"

static void level_lints(void **state)
{
    const char *unused = "is used by no numeric forecast";
    lint_case(LEVELLED("<level value=\"20\" unit=\"kpl\"/>", " value=\"70\" unit=\"%\""), unused,
              true);
    lint_case(LEVELLED("<level value=\"20\" unit=\"kpl\"/>", " value=\"14\" unit=\"kpl\""), unused,
              false);
    /* no numeric forecast yet: nothing to compare */
    lint_case(LEVELLED("<level value=\"20\" unit=\"kpl\"/>", ""), unused, false);
    lint_case(LEVELLED("<level value=\"20\" unit=\"kpl\"/>", " unit=\"kpl\""), unused, false);
    lint_case(LEVELLED("<level value=\"20\" unit=\"%\"/>", " value=\"14\""), "(they have no unit)",
              true);
    lint_case(LEVELLED("<level value=\"20\"/>", " value=\"14\" unit=\"%\""),
              "the <level> has no unit", true);
    lint_case(LEVELLED("<level value=\"20\"/>", " value=\"14\""), "<level>", false);
    lint_case(LEVELLED("<level value=\"120\" unit=\"%\"/>", " value=\"90\" unit=\"%\""),
              "a percentage over 100: value=\"120\"", true);
    lint_case(LEVELLED("<level value=\"100\" unit=\"%\"/>", " value=\"90\" unit=\"%\""),
              "a percentage over 100", false);
}

/* ---- Comments ---------------------------------------------------------------------------- */

static const ts_comment *comment_with(const ts_round *r, const char *text)
{
    for (size_t i = 0; i < r->n_comments; i++)
        if (strstr(r->comments[i].text, text))
            return &r->comments[i];
    return NULL;
}

static void expect_comment(const ts_round *r, const char *text, const void *element,
                           ts_comment_place place)
{
    const ts_comment *c = comment_with(r, text);
    if (c == NULL)
        fprintf(stderr, "no comment '%s'\n", text);
    assert_non_null(c);
    assert_ptr_equal(c->element, element);
    assert_int_equal(c->place, place);
}

static void comments(void **state)
{
    const char *text =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- prolog -->\n"
        "<round format=\"1\" year=\"2020\" number=\"1\" date=\"2020-02-01\" xml:lang=\"fi\">\n"
        "<!-- first -->\n"
        "<organization><!-- org --><city>C</city><division>D</division><!-- org end -->"
        "</organization>\n<!-- before themes --><themes><theme id=\"t\">T</theme></themes>\n"
        "<programmes><!-- none yet --></programmes>\n"
        "<goal id=\"g\" theme=\"t\"><statement>S<!-- in text --><b>b<!-- in bold --></b>"
        "</statement><measure id=\"m\"><name>N</name>"
        "<text><p>a</p><!-- between --><ul><li>x<!-- in li --></li><!-- after li --></ul></text>"
        "<!-- no date --><owner>O</owner><forecast round=\"1\" status=\"on-track\"/>"
        "<comment><!-- old text --></comment><link ref=\"p\"/></measure>\n"
        "<!-- after the measure --></goal>\n</round>\n<!-- epilogue -->\n";
    /* the link needs a programme: one after the comment */
    char *t = strdup(text);
    assert_non_null(t);
    buf b = {0};
    const char *at = strstr(t, "<!-- none yet -->");
    buf_add(&b, "%.*s<!-- none yet --><programme id=\"p\" kind=\"joint-theme\">P</programme>%s",
            (int)(at - t), t, at + strlen("<!-- none yet -->"));
    free(t);
    for (int keep = 0; keep <= 1; keep++) {
        parsed p;
        assert_true(ts_diags_init(&p.diags, NULL));
        ts_parse_options o;
        ts_parse_options_default(&o);
        o.keep_comments = keep;
        p.text = strdup(b.s);
        p.round = ts_parse_memory(p.text, strlen(p.text), "t.xml", &o, &p.diags);
        if (p.round == NULL)
            print_diags(&p);
        const ts_round *r = p.round;
        assert_non_null(r);
        if (!keep) {
            assert_int_equal(r->n_comments, 0);
            parsed_free(&p);
            continue;
        }
        const ts_measure *m = ts_round_measure(r, 0);
        const ts_block *ul = &m->text.blocks[1];
        expect_comment(r, "prolog", r, TS_COMMENT_BEFORE);
        expect_comment(r, "first", r, TS_COMMENT_INSIDE);
        expect_comment(r, "org end", &r->division, TS_COMMENT_AFTER);
        expect_comment(r, " org ", &r->city, TS_COMMENT_BEFORE);
        expect_comment(r, "before themes", &r->themes, TS_COMMENT_BEFORE);
        expect_comment(r, "none yet", &r->programmes[0], TS_COMMENT_BEFORE);
        expect_comment(r, "in text", &r->goals[0].statement, TS_COMMENT_INSIDE);
        expect_comment(r, "in bold", &r->goals[0].statement, TS_COMMENT_INSIDE);
        expect_comment(r, "between", ul, TS_COMMENT_BEFORE);
        expect_comment(r, "in li", &ul->items[0], TS_COMMENT_INSIDE);
        expect_comment(r, "after li", &ul->items[0], TS_COMMENT_AFTER);
        expect_comment(r, "no date", &m->owners[0], TS_COMMENT_BEFORE);
        expect_comment(r, "old text", &m->comment, TS_COMMENT_INSIDE);
        expect_comment(r, "after the measure", m, TS_COMMENT_AFTER);
        expect_comment(r, "epilogue", r, TS_COMMENT_AFTER);
        assert_int_equal(r->n_comments, 15);
        /* in file order, text as it stands */
        assert_string_equal(r->comments[0].text, " prolog ");
        assert_string_equal(r->comments[14].text, " epilogue ");
        parsed_free(&p);
    }
    free(b.s);
}

/* ---- Limits ------------------------------------------------------------------------------ */

static void accepted_limits(void **state)
{
    /* nesting 64 deep, an id of 10,000 characters, 10,000 tasks, a text of 1 MiB */
    buf b = {0};
    buf_add(&b, "<name>N</name><text>");
    for (int i = 0; i < 29; i++)
        buf_add(&b, "<ul><li>x");
    for (int i = 0; i < 29; i++)
        buf_add(&b, "</li></ul>");
    buf_add(&b, "</text><owner>O</owner><target id=\"");
    for (int i = 0; i < 10000; i++)
        buf_add(&b, "i");
    buf_add(&b, "\"><title>t</title>");
    for (int i = 0; i < 10000; i++)
        buf_add(&b, "<task status=\"todo\"><title>%d</title></task>\n", i);
    buf_add(&b, "</target><forecast round=\"2\" status=\"on-track\"/><comment><p>");
    for (int i = 0; i < 1024 * 1024 / 8; i++)
        buf_add(&b, "abcdefg ");
    buf_add(&b, "</p></comment>");
    parsed p;
    parse_text(&p, round_with("", b.s), false);
    free(b.s);
    const ts_measure *m = only_measure(&p);
    assert_int_equal(strlen(m->targets[0].id), 10000);
    assert_int_equal(m->targets[0].n_tasks, 10000);
    assert_string_equal(m->targets[0].tasks[9999].title.runs[0].text, "9999");
    assert_int_equal(m->comment.blocks[0].text.runs[0].len, 1024 * 1024 - 1);
    const ts_block *bl = &m->text.blocks[0];
    int depth = 1;
    while (bl->items[0].sublist) {
        bl = bl->items[0].sublist;
        depth++;
    }
    assert_int_equal(depth, 29);
    parsed_free(&p);
}

static void refuse_with(const char *body, void (*tweak)(ts_parse_limits *), const char *message)
{
    ts_parse_options o;
    ts_parse_options_default(&o);
    tweak(&o.limits);
    char *text = round_with("", body);
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_round *r = ts_parse_memory(text, strlen(text), "t.xml", &o, &d);
    assert_null(r);
    bool found = false;
    const ts_diag *list = d.list.items;
    for (size_t i = 0; i < d.list.len; i++) {
        found |= strstr(list[i].message, message) != NULL;
        if (!found)
            fprintf(stderr, "  %s\n", list[i].message);
    }
    assert_true(found);
    ts_diags_free(&d);
    free(text);
}

static void small_depth(ts_parse_limits *l)
{
    l->max_depth = 8;
}
static void small_items(ts_parse_limits *l)
{
    l->max_list_items = 3;
}
static void small_text(ts_parse_limits *l)
{
    l->max_text_bytes = 16;
}
static void small_id(ts_parse_limits *l)
{
    l->max_id_bytes = 4;
}
static void small_attr(ts_parse_limits *l)
{
    l->max_attr_bytes = 12;
}
static void small_file(ts_parse_limits *l)
{
    l->max_file_bytes = 100;
}

static void caps(void **state)
{
    refuse_with(MINIMAL_MEASURE "<comment><ul><li><ul><li><ul><li>x</li></ul></li></ul></li></ul>"
                                "</comment>",
                small_depth, "elements nested more than 8 deep, the cap");
    refuse_with(MINIMAL_MEASURE "<note>1</note><note>2</note><note>3</note><note>4</note>",
                small_items, "more than 3 elements in one element, the cap");
    refuse_with(MINIMAL_MEASURE "<comment>12345678901234567</comment>", small_text,
                "a text longer than 16 bytes, the cap");
    /* the cap holds for one text split by markup too */
    refuse_with(MINIMAL_MEASURE "<comment>1234567890<b/>1234567</comment>", small_text,
                "the text of <comment> is longer than 16 bytes, the cap");
    refuse_with(MINIMAL_MEASURE "<target id=\"abcde\"><title>t</title></target>", small_id,
                "attribute id of <target> is 5 bytes long; the cap is 4 bytes");
    refuse_with(MINIMAL_MEASURE "<link ref=\"p123456789abc\"/>", small_attr,
                "attribute ref of <link> is 13 bytes long; the cap is 12 bytes");
    refuse_with(MINIMAL_MEASURE, small_file, "the cap is 100 bytes");
}

static void file_errors(void **state)
{
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    assert_null(ts_parse_file("/nonexistent/round.xml", "shown.xml", NULL, &d));
    assert_int_equal(d.errors, 1);
    const ts_diag *list = d.list.items;
    assert_string_equal(list[0].file, "shown.xml");
    assert_int_equal(list[0].pos.line, 0);
    assert_string_equal(list[0].message, "cannot read: No such file or directory");
    assert_null(ts_parse_file(TEST_DATA_DIR, NULL, NULL, &d));
    assert_int_equal(d.errors, 2);
    list = d.list.items;
    assert_string_equal(list[1].message, "cannot read: Is a directory");
    char path[1024];
    snprintf(path, sizeof path, "%s/valid/parser-sv.xml", TEST_DATA_DIR);
    ts_round *r = ts_parse_file(path, NULL, NULL, &d);
    assert_non_null(r);
    assert_int_equal(r->lang, TS_LANG_SV);
    assert_string_equal(r->file, path);
    ts_round_free(r);
    ts_diags_free(&d);
}

/* ---- Allocation failure ------------------------------------------------------------------ */

static void allocation_failure_in(const char *file, bool keep_comments)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/valid/%s", TEST_DATA_DIR, file);
    bool succeeded = false;
    for (long k = 1; k < 100000 && !succeeded; k++) {
        ts_alloc_fault fault = {k, 0};
        ts_parse_options o;
        ts_parse_options_default(&o);
        o.lint = true;
        o.keep_comments = keep_comments;
        o.fault = &fault;
        ts_diags d;
        assert_true(ts_diags_init(&d, NULL));
        ts_round *r = ts_parse_file(path, NULL, &o, &d);
        if (r != NULL) {
            succeeded = true;
            assert_int_equal(d.errors, 0);
            ts_round_free(r);
        } else {
            const ts_diag *list = d.list.items;
            assert_int_equal(d.errors, 1);
            assert_string_equal(list[0].message, "out of memory");
        }
        ts_diags_free(&d);
    }
    assert_true(succeeded);
}

static void allocation_failure(void **state)
{
    allocation_failure_in("parser-fi.xml", false);
    allocation_failure_in("parser-writer.xml", true);
}

/* ---- Threads ----------------------------------------------------------------------------- */

static void *parse_many(void *arg)
{
    const char *text = arg;
    for (int i = 0; i < 20; i++) {
        ts_diags d;
        if (!ts_diags_init(&d, NULL))
            return (void *)1;
        ts_round *r = ts_parse_memory(text, strlen(text), "t.xml", NULL, &d);
        bool ok = r != NULL && r->n_measures == 3 && d.errors == 0;
        ts_round_free(r);
        ts_diags_free(&d);
        if (!ok)
            return (void *)1;
    }
    return NULL;
}

static void threads(void **state)
{
    char *text = read_data("parser-fi.xml");
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, parse_many, text), 0);
    for (int i = 0; i < 4; i++) {
        void *res;
        pthread_join(t[i], &res);
        assert_null(res);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folding_and_runs),
        cmocka_unit_test(nested_styles_and_links),
        cmocka_unit_test(blocks_and_lists),
        cmocka_unit_test(whole_round),
        cmocka_unit_test(positions),
        cmocka_unit_test(columns_count_characters),
        cmocka_unit_test(lines_past_65535),
        cmocka_unit_test(references),
        cmocka_unit_test(all_problems_reported),
        cmocka_unit_test(lints),
        cmocka_unit_test(empty_required_texts),
        cmocka_unit_test(levels),
        cmocka_unit_test(level_lints),
        cmocka_unit_test(comments),
        cmocka_unit_test(accepted_limits),
        cmocka_unit_test(caps),
        cmocka_unit_test(file_errors),
        cmocka_unit_test(allocation_failure),
        cmocka_unit_test(threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
