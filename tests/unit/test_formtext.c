/* Text in a form's cell (src/book/form_text.h): literal cells for each convention, and every
 * text of the valid rounds written into a cell and read back to the same model text. */
#define _GNU_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "book/form_text.h"
#include "round/model.h"
#include "round/parser.h"

static ts_round *parse_text(const char *text)
{
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_round *r = ts_parse_memory(text, strlen(text), "t.xml", NULL, &d);
    if (r == NULL)
        ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    assert_non_null(r);
    return r;
}

static ts_round *parse_file(const char *path)
{
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_round *r = ts_parse_file(path, NULL, NULL, &d);
    if (r == NULL)
        ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    assert_non_null(r);
    return r;
}

/* A round whose one measure's comment is `blocks` (XML). */
static ts_round *with_comment(const char *blocks)
{
    static const char head[] =
        "<round format='1' year='2024' number='1' date='2024-01-31' xml:lang='fi'>"
        "<organization><city>H</city><division>D</division></organization>"
        "<themes><theme id='t'>T</theme></themes>"
        "<goal id='g' theme='t'><statement>S</statement><measure id='m'><name>N</name>"
        "<text>X</text><comment>";
    static const char tail[] = "</comment></measure></goal></round>";
    char *xml;
    assert_true(asprintf(&xml, "%s%s%s", head, blocks, tail) > 0);
    ts_round *r = parse_text(xml);
    free(xml);
    return r;
}

/* The cell's text with each run marked: "*bold*", "_italic_". */
static char *shown(ts_arena *a, const ts_cell *c)
{
    if (c->kind != TS_CELL_TEXT)
        return ts_arena_strdup(a, "");
    size_t n = 1;
    for (size_t i = 0; i < c->n_runs; i++)
        n += c->runs[i].len + 4;
    char *s = ts_arena_alloc(a, n), *w = s;
    for (size_t i = 0; i < c->n_runs; i++) {
        const ts_cell_run *r = &c->runs[i];
        if (r->style & TS_RUN_BOLD)
            *w++ = '*';
        if (r->style & TS_RUN_ITALIC)
            *w++ = '_';
        memcpy(w, r->text, r->len);
        w += r->len;
        if (r->style & TS_RUN_ITALIC)
            *w++ = '_';
        if (r->style & TS_RUN_BOLD)
            *w++ = '*';
    }
    *w = '\0';
    return s;
}

static ts_cell cell_of_blocks(ts_arena *a, const ts_blocks *bl)
{
    ts_ftext t = {.a = a};
    ts_ftext_blocks(&t, bl);
    ts_cell c = {0};
    assert_true(ts_ftext_finish(&t, &c) != (size_t)-1);
    return c;
}

/* ---- Comparing model texts --------------------------------------------------------------- */

static void same_inline(const ts_inline *x, const ts_inline *y, const char *where)
{
    if (x->n_runs != y->n_runs)
        fail_msg("%s: %zu runs, read back %zu", where, x->n_runs, y->n_runs);
    for (size_t i = 0; i < x->n_runs; i++) {
        const ts_run *a = &x->runs[i], *b = &y->runs[i];
        if (a->len != b->len || memcmp(a->text, b->text, a->len) != 0)
            fail_msg("%s: run %zu \"%.*s\" read back \"%.*s\"", where, i, (int)a->len, a->text,
                     (int)b->len, b->text);
        if (a->style != b->style)
            fail_msg("%s: run %zu \"%.*s\" style %u read back %u", where, i, (int)a->len, a->text,
                     a->style, b->style);
        if ((a->href == NULL) != (b->href == NULL) || (a->href && strcmp(a->href, b->href) != 0))
            fail_msg("%s: run %zu link %s read back %s", where, i, a->href ? a->href : "none",
                     b->href ? b->href : "none");
    }
}

static void same_block(const ts_block *x, const ts_block *y, const char *where)
{
    if (x->kind != y->kind)
        fail_msg("%s: block kind %d read back %d", where, x->kind, y->kind);
    if (x->kind == TS_BLOCK_P) {
        same_inline(&x->text, &y->text, where);
        return;
    }
    if (x->n_items != y->n_items)
        fail_msg("%s: %zu items read back %zu", where, x->n_items, y->n_items);
    for (size_t i = 0; i < x->n_items; i++) {
        same_inline(&x->items[i].text, &y->items[i].text, where);
        if ((x->items[i].sublist == NULL) != (y->items[i].sublist == NULL))
            fail_msg("%s: item %zu's nested list lost or made", where, i);
        if (x->items[i].sublist)
            same_block(x->items[i].sublist, y->items[i].sublist, where);
    }
}

static void same_blocks(const ts_blocks *x, const ts_blocks *y, const char *where)
{
    if (x->n != y->n)
        fail_msg("%s: %zu blocks read back %zu", where, x->n, y->n);
    for (size_t i = 0; i < x->n; i++)
        same_block(&x->blocks[i], &y->blocks[i], where);
}

static void round_trip_blocks(ts_arena *a, const ts_blocks *bl, const char *where)
{
    if (!bl->present)
        return;
    ts_cell c = cell_of_blocks(a, bl);
    ts_blocks back;
    ts_ftext_problem p;
    bool ok = ts_ftext_read_blocks(c.runs, c.kind == TS_CELL_TEXT ? c.n_runs : 0, (ts_pos){1, 1}, a,
                                   &back, &p);
    if (!ok)
        fail_msg("%s: not read back: %s", where, p.message ? p.message : "out of memory");
    same_blocks(bl, &back, where);
}

static void round_trip_inline(ts_arena *a, const ts_inline *in, const char *where)
{
    ts_ftext t = {.a = a};
    ts_ftext_inline(&t, in);
    ts_cell c = {0};
    assert_true(ts_ftext_finish(&t, &c) != (size_t)-1);
    ts_inline back;
    ts_ftext_problem p;
    bool ok = ts_ftext_read_inline(c.runs, c.kind == TS_CELL_TEXT ? c.n_runs : 0, (ts_pos){1, 1}, a,
                                   &back, &p);
    if (!ok)
        fail_msg("%s: not read back: %s", where, p.message ? p.message : "out of memory");
    same_inline(in, &back, where);
}

/* ---- Literal cells ----------------------------------------------------------------------- */

static void expect_cell(const char *blocks, const char *want)
{
    ts_round *r = with_comment(blocks);
    const ts_measure *m = ts_round_measure(r, 0);
    ts_cell c = cell_of_blocks(r->arena, &m->comment);
    const char *got = shown(r->arena, &c);
    if (strcmp(got, want) != 0)
        fail_msg("%s\n  written: \"%s\"\n  wanted:  \"%s\"", blocks, got, want);
    round_trip_blocks(r->arena, &m->comment, blocks);
    ts_round_free(r);
}

static void test_conventions(void **state)
{
    (void)state;
    expect_cell("Yksi kappale.", "Yksi kappale.");
    expect_cell("<p>Yksi.</p><p>Kaksi.</p>", "Yksi.\nKaksi.");
    expect_cell("<ul><li>a</li><li>b<ol><li>c</li></ol></li></ul><p>d</p>",
                "\xE2\x80\xA2 a\n\xE2\x80\xA2 b\n\xC2\xA0\xC2\xA0"
                "1. c\nd");
    /* a paragraph that starts with no-break spaces keeps them, and one that would read as an
     * indented item is escaped */
    expect_cell("<p>&#160;alku</p><p>&#160;&#160;- x</p>", "\xC2\xA0"
                                                           "alku\n\\\xC2\xA0\xC2\xA0"
                                                           "- x");
    /* two lists in a row stay two: the bullet changes, the numbering starts over */
    expect_cell("<ul><li>a</li></ul><ul><li>b</li></ul>", "\xE2\x80\xA2 a\n- b");
    expect_cell("<ol><li>a</li></ol><ol><li>b</li></ol>", "1. a\n1. b");
    /* lines that would read as items, or as escaped, are escaped */
    expect_cell("<p>- ei kohta</p><p>2020. vuosi</p><p>\\tausta</p><p>\xE2\x80\xA2</p>",
                "\\- ei kohta\n\\2020. vuosi\n\\\\tausta\n\\\xE2\x80\xA2");
    /* empty paragraphs and items are kept */
    expect_cell("<p>a</p><p></p><p>b</p>", "a\n\\\nb");
    expect_cell("<ul><li></li><li>x</li></ul>", "\xE2\x80\xA2 \n\xE2\x80\xA2 x");
    /* styles are the runs' own; a link keeps its bold text */
    expect_cell("<p>Tavoite on <b>saavutettu</b> ja <i>ajallaan</i>.</p>",
                "Tavoite on *saavutettu* ja _ajallaan_.");
    expect_cell("Katso <a href='https://example.org/a(b)'><b>tämä</b> ja</a> se.",
                "Katso *[tämä* ja](https://example.org/a(b)) se.");
    expect_cell("<a href='a b'>x</a>", "[x](<a b>)");
    /* brackets of the text that could read as a link, and backslashes before them */
    expect_cell("[1](2) ja \\[", "\\\\[1](2) ja \\\\[");
    expect_cell("<a href='u'>[x]</a>", "[\\[x\\]](u)");
    expect_cell("<p>[a](b)</p>", "\\\\[a](b)");
}

static void test_reading_what_people_type(void **state)
{
    (void)state;
    ts_arena *a = ts_arena_new(NULL);
    ts_cell_run runs[] = {{"  Eka   kappale \n\n- kohta\n-\tkaksi\n   1. alakohta ", 0, 0},
                          {"lihava", 6, TS_RUN_BOLD}};
    runs[0].len = strlen(runs[0].text);
    ts_blocks bl;
    ts_ftext_problem p;
    assert_true(ts_ftext_read_blocks(runs, 2, (ts_pos){3, 2}, a, &bl, &p));
    assert_int_equal(bl.n, 2);
    assert_int_equal(bl.blocks[0].kind, TS_BLOCK_P);
    assert_int_equal(bl.blocks[0].text.n_runs, 1);
    assert_string_equal(bl.blocks[0].text.runs[0].text, "Eka kappale");
    assert_int_equal(bl.blocks[1].kind, TS_BLOCK_UL);
    assert_int_equal(bl.blocks[1].n_items, 2);
    assert_string_equal(bl.blocks[1].items[1].text.runs[0].text, "kaksi");
    const ts_block *sub = bl.blocks[1].items[1].sublist;
    assert_non_null(sub);
    assert_int_equal(sub->kind, TS_BLOCK_OL);
    assert_int_equal(sub->items[0].text.n_runs, 2);
    assert_string_equal(sub->items[0].text.runs[1].text, "lihava");
    assert_int_equal(sub->items[0].text.runs[1].style, TS_RUN_BOLD);

    /* two nested lists under one item */
    ts_cell_run two[] = {{"• a\n  • b\n  1. c", 0, 0}};
    two[0].len = strlen(two[0].text);
    assert_false(ts_ftext_read_blocks(two, 1, (ts_pos){1, 1}, a, &bl, &p));
    assert_non_null(p.message);
    assert_int_equal(p.line, 3);

    /* an inline cell of two lines; one line with empty lines around it is one line */
    ts_inline in;
    ts_cell_run lines[] = {{"Otsikko\nToinen", 0, 0}};
    lines[0].len = strlen(lines[0].text);
    assert_false(ts_ftext_read_inline(lines, 1, (ts_pos){1, 1}, a, &in, &p));
    assert_int_equal(p.line, 2);
    ts_cell_run one[] = {{"\n Otsikko \n\n", 0, 0}};
    one[0].len = strlen(one[0].text);
    assert_true(ts_ftext_read_inline(one, 1, (ts_pos){1, 1}, a, &in, &p));
    assert_int_equal(in.n_runs, 1);
    assert_string_equal(in.runs[0].text, "Otsikko");
    ts_arena_free(a);
}

/* ---- Every text of the valid rounds ----------------------------------------------------- */

static void round_trip_file(const char *path)
{
    ts_round *r = parse_file(path);
    ts_arena *a = r->arena;
    char where[512];
    round_trip_inline(a, &r->title, "title");
    round_trip_inline(a, &r->subtitle, "subtitle");
    for (size_t i = 0; i < r->n_themes; i++)
        round_trip_inline(a, &r->themes[i].name, "theme");
    for (size_t i = 0; i < r->n_programmes; i++)
        round_trip_inline(a, &r->programmes[i].name, "programme");
    for (size_t g = 0; g < r->n_goals; g++) {
        const ts_goal *goal = &r->goals[g];
        snprintf(where, sizeof where, "%s: goal %s", path, goal->id);
        round_trip_inline(a, &goal->statement, where);
        round_trip_blocks(a, &goal->description, where);
        for (size_t k = 0; k < goal->n_measures; k++) {
            const ts_measure *m = &goal->measures[k];
            snprintf(where, sizeof where, "%s: measure %s", path, m->id);
            round_trip_inline(a, &m->name, where);
            const ts_blocks *bls[] = {&m->text, &m->objective, &m->comment, &m->risks};
            for (size_t i = 0; i < 4; i++)
                round_trip_blocks(a, bls[i], where);
            for (size_t i = 0; i < m->n_notes; i++)
                round_trip_blocks(a, &m->notes[i], where);
            for (size_t i = 0; i < m->n_forecasts; i++)
                round_trip_blocks(a, &m->forecasts[i].text, where);
            for (size_t t = 0; t < m->n_targets; t++) {
                const ts_target *tg = &m->targets[t];
                round_trip_inline(a, &tg->title, where);
                round_trip_blocks(a, &tg->forecast, where);
                round_trip_blocks(a, &tg->risks, where);
                for (size_t i = 0; tg->scale && i < tg->scale->n_phases; i++)
                    round_trip_inline(a, &tg->scale->phases[i].label, where);
                for (size_t i = 0; i < tg->n_tasks; i++) {
                    round_trip_inline(a, &tg->tasks[i].title, where);
                    round_trip_blocks(a, &tg->tasks[i].detail, where);
                }
            }
        }
    }
    for (size_t i = 0; r->summary && i < r->summary->n_theme_actions; i++) {
        const ts_theme_actions *ta = &r->summary->theme_actions[i];
        for (size_t k = 0; k < ta->n_actions; k++)
            round_trip_blocks(a, &ta->actions[k], "action");
        for (size_t k = 0; k < ta->n_indicators; k++)
            round_trip_blocks(a, &ta->indicators[k].text, "indicator");
    }
    ts_round_free(r);
}

static void test_valid_rounds(void **state)
{
    (void)state;
    static const char *const files[] = {
        "valid/en-round.xml",      "valid/long-forecast.xml", "valid/minimal.xml",
        "valid/multi-measure.xml", "valid/parser-en.xml",     "valid/parser-fi.xml",
        "valid/parser-sv.xml",     "valid/parser-writer.xml", "valid/sv-round.xml",
        "valid/unicode.xml",
    };
    char path[1024];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", TEST_DATA_DIR, files[i]);
        round_trip_file(path);
    }
    snprintf(path, sizeof path, "%s/input/kuva-2020-3.xml", TEST_SOURCE_DIR);
    round_trip_file(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conventions),
        cmocka_unit_test(test_reading_what_people_type),
        cmocka_unit_test(test_valid_rounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
