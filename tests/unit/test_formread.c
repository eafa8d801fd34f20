/* The form reader (src/book/form_read.h) on the form writer's own cells, without a workbook file
 * between them: every valid round read back into a round that the round writer writes the same
 * (empty optional elements apart, which a form leaves empty and every output shows alike); and
 * each kind of wrong cell said at its SHEET!CELL. */
#define _GNU_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "book/form.h"
#include "book/form_read.h"
#include "writer/writer.h"
#include "layout/labels.h"
#include "layout/layout.h"
#include "round/parser.h"
#include "round/roundwrite.h"
#include "book/table.h"

typedef struct env {
    ts_arena *a;
    const ts_labels *labels[3];
    const ts_layout *layout;
} env;

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    e->a = ts_arena_new(NULL);
    ts_diags d;
    ts_diags_init(&d, NULL);
    for (int l = 0; l < 3; l++)
        e->labels[l] = ts_labels_load(TEST_SOURCE_DIR "/layouts/labels", (ts_lang)l, e->a, &d);
    e->layout = ts_layout_load(TEST_SOURCE_DIR "/layouts/helsinki.xml", TEST_SOURCE_DIR,
                               ts_slides_layout_needs(), e->a, &d);
    ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    *state = e;
    return e->layout && e->labels[0] && e->labels[1] && e->labels[2] ? 0 : -1;
}

static int teardown(void **state)
{
    env *e = *state;
    ts_arena_free(e->a);
    free(e);
    return 0;
}

/* The form's table of round r as the book the reader sees. */
static ts_fbook book_of(env *e, const ts_round *r, ts_lang lang, ts_arena *a)
{
    ts_build_ctx ctx = {.round = r, .layout = e->layout, .labels = e->labels[lang]};
    ts_diags d;
    ts_diags_init(&d, NULL);
    const ts_table *t = NULL;
    ts_rc rc = ts_form_table(r, lang, &ctx, a, &d, &t);
    ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    assert_int_equal(rc, TS_OK);
    ts_fsheet *sheets = ts_arena_calloc(a, t->n_sheets, sizeof *sheets);
    for (size_t si = 0; si < t->n_sheets; si++) {
        const ts_sheet *s = &t->sheets[si];
        ts_fcell *cells = ts_arena_calloc(a, s->n_rows * s->n_cols + 1, sizeof *cells);
        size_t n = 0;
        for (size_t r2 = 0; r2 < s->n_rows; r2++)
            for (size_t c = 0; c < s->n_cols; c++) {
                const ts_cell *cell = ts_sheet_cell(s, r2, c);
                if (cell->kind == TS_CELL_EMPTY)
                    continue;
                ts_fcell *f = &cells[n++];
                f->row = (uint32_t)r2;
                f->col = (uint32_t)c;
                if (cell->kind == TS_CELL_NUMBER) {
                    f->type = TS_FCELL_NUMBER;
                    f->number = cell->number;
                } else {
                    f->type = TS_FCELL_TEXT;
                    f->runs = cell->runs;
                    f->n_runs = cell->n_runs;
                }
            }
        sheets[si] = (ts_fsheet){s->name, cells, n};
    }
    return (ts_fbook){"form.xlsx", sheets, t->n_sheets, false};
}

/* An optional element present but empty is written as absent by a form (every output shows
 * the two alike): the model said so before it is compared. */
static void absent_if_empty(const ts_blocks *bl)
{
    ts_blocks *b = (ts_blocks *)bl;
    b->present = b->n > 0;
}

static void normalise_model(const ts_round *r)
{
    for (size_t g = 0; g < r->n_goals; g++) {
        absent_if_empty(&r->goals[g].description);
        for (size_t k = 0; k < r->goals[g].n_measures; k++) {
            const ts_measure *m = &r->goals[g].measures[k];
            absent_if_empty(&m->objective);
            absent_if_empty(&m->comment);
            absent_if_empty(&m->risks);
            for (size_t t = 0; t < m->n_targets; t++) {
                absent_if_empty(&m->targets[t].forecast);
                absent_if_empty(&m->targets[t].risks);
                for (size_t i = 0; i < m->targets[t].n_tasks; i++)
                    absent_if_empty(&m->targets[t].tasks[i].detail);
            }
        }
    }
}

/* The round file's text of r, its comments and empty optional elements left out. */
static char *normalised(const ts_round *r)
{
    normalise_model(r);
    ts_round copy = *r;
    copy.comments = NULL;
    copy.n_comments = 0;
    char *xml;
    size_t len;
    assert_int_equal(ts_round_xml(&copy, &xml, &len), TS_OK);
    return xml;
}

static ts_round *parse_file(const char *path)
{
    ts_diags d;
    ts_diags_init(&d, NULL);
    ts_round *r = ts_parse_file(path, NULL, NULL, &d);
    ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    assert_non_null(r);
    return r;
}

static void round_trip(env *e, const char *path)
{
    ts_round *r = parse_file(path);
    ts_arena *a = ts_arena_new(NULL);
    ts_fbook b = book_of(e, r, r->lang, a);
    ts_diags d;
    ts_diags_init(&d, NULL);
    ts_round *back = ts_form_read_book(&b, e->labels, NULL, false, &d);
    if (back == NULL || d.list.len > 0) {
        ts_diags_print(&d, stderr);
        fail_msg("%s: the form did not read back", path);
    }
    ts_diags_free(&d);
    char *want = normalised(r), *got = normalised(back);
    if (strcmp(want, got) != 0) {
        size_t i = 0;
        while (want[i] && want[i] == got[i])
            i++;
        size_t from = i > 200 ? i - 200 : 0;
        fail_msg("%s: read back differs at byte %zu:\n--- round\n%.400s\n--- form\n%.400s", path, i,
                 want + from, got + from);
    }
    free(want);
    free(got);
    ts_round_free(back);
    ts_arena_free(a);
    ts_round_free(r);
}

static void test_valid_rounds(void **state)
{
    env *e = *state;
    static const char *const files[] = {
        "valid/en-round.xml",      "valid/long-forecast.xml", "valid/minimal.xml",
        "valid/multi-measure.xml", "valid/parser-en.xml",     "valid/parser-fi.xml",
        "valid/parser-sv.xml",     "valid/parser-writer.xml", "valid/sv-round.xml",
        "valid/unicode.xml",       "form/every-element.xml",
    };
    char path[1024];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", TEST_DATA_DIR, files[i]);
        round_trip(e, path);
    }
    round_trip(e, TEST_SOURCE_DIR "/input/kuva-2020-3.xml");
    /* Rounds made for the run (bench/gen-round; tests/form.cmake), separated by ':'. */
    const char *more = getenv("FORMREAD_ROUNDS");
    while (more != NULL && *more) {
        size_t n = strcspn(more, ":");
        snprintf(path, sizeof path, "%.*s", (int)n, more);
        round_trip(e, path);
        more += n + (more[n] == ':');
    }
}

/* ---- Wrong cells ------------------------------------------------------------------------- */

/* The cell of sheet `sheet` (its name in fi) at row, col (0-based) of book b, made text. */
static void put(ts_fbook *b, ts_arena *a, const char *sheet, uint32_t row, uint32_t col,
                const char *text)
{
    for (size_t i = 0; i < b->n_sheets; i++) {
        ts_fsheet *s = (ts_fsheet *)&b->sheets[i];
        if (strcmp(s->name, sheet) != 0)
            continue;
        ts_cell_run *run = ts_arena_calloc(a, 1, sizeof *run);
        *run = (ts_cell_run){ts_arena_strdup(a, text), strlen(text), 0};
        ts_fcell cell = {row, col, TS_FCELL_TEXT, run, 1, 0, TS_FFMT_GENERAL};
        ts_fcell *cells = ts_arena_calloc(a, s->n_cells + 1, sizeof *cells);
        size_t k = 0, n = 0;
        for (; k < s->n_cells &&
               (s->cells[k].row < row || (s->cells[k].row == row && s->cells[k].col < col));
             k++)
            cells[n++] = s->cells[k];
        cells[n++] = cell;
        if (k < s->n_cells && s->cells[k].row == row && s->cells[k].col == col)
            k++;
        for (; k < s->n_cells; k++)
            cells[n++] = s->cells[k];
        s->cells = cells;
        s->n_cells = n;
        return;
    }
    fail_msg("no sheet %s", sheet);
}

/* The cell at row, col of sheet made a number (or a boolean) shown in `format`. */
static void put_number(ts_fbook *b, ts_arena *a, const char *sheet, uint32_t row, uint32_t col,
                       ts_fcell_type type, double v, ts_fcell_format format)
{
    put(b, a, sheet, row, col, "x");
    for (size_t i = 0; i < b->n_sheets; i++) {
        ts_fsheet *s = (ts_fsheet *)&b->sheets[i];
        for (size_t k = 0; strcmp(s->name, sheet) == 0 && k < s->n_cells; k++) {
            ts_fcell *c = (ts_fcell *)&s->cells[k];
            if (c->row == row && c->col == col)
                *c = (ts_fcell){row, col, type, NULL, 0, v, format};
        }
    }
}

/* Reading b gives the messages in `want` (each a substring of one printed line, in order). */
static void expect(env *e, ts_fbook *b, const char *const *want, size_t n)
{
    ts_diags d;
    ts_diags_init(&d, NULL);
    ts_round *r = ts_form_read_book(b, e->labels, NULL, false, &d);
    assert_null(r);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ts_diags_print(&d, f);
    fclose(f);
    if (getenv("FORMREAD_SHOW"))
        fputs(text, stderr);
    const char *p = text;
    for (size_t i = 0; i < n; i++) {
        const char *hit = strstr(p, want[i]);
        if (hit == NULL)
            fail_msg("missing \"%s\" in:\n%s", want[i], text);
        p = hit + strlen(want[i]);
    }
    free(text);
    ts_diags_free(&d);
}

static void test_wrong_cells(void **state)
{
    env *e = *state;
    ts_round *r = parse_file(TEST_SOURCE_DIR "/input/kuva-2020-3.xml");
    ts_arena *a = ts_arena_new(NULL);
    ts_fbook b = book_of(e, r, r->lang, a);
    put(&b, a, "Tavoitteet", 1, 1, "uudistuva");    /* a theme that does not exist */
    put(&b, a, "Mittarit", 2, 0, "digitalisaatio"); /* a second id */
    put(&b, a, "Ennusteet", 1, 2, "valmis");        /* not a status */
    put(&b, a, "Ennusteet", 2, 3, "seitsemän");     /* not a number */
    put(&b, a, "Tehtävät", 1, 3, "Tehdty");         /* near a task status */
    put(&b, a, "Mittarit", 1, 2, "Kaksi\nriviä");   /* two lines in an inline cell */
    put(&b, a, "Kierros", 1, 1, "1999");            /* a year out of range */
    static const char *const want[] = {
        "form.xlsx:Kierros!B2: error: 1999 is not a whole number 2000–2100",
        "form.xlsx:Tavoitteet!B2: error: \"uudistuva\" names no theme; themes in this form: ",
        "(did you mean 'uudistuvat'?)",
        "form.xlsx:Mittarit!C2: error: this cell holds one line of text, and it has more",
        "form.xlsx:Mittarit!A3: error: duplicate id 'digitalisaatio': already used by the "
        "measure at Mittarit!A2",
        "form.xlsx:Ennusteet!C2: error: \"valmis\" is not a forecast status; allowed: Toteutuu, "
        "Toteutunut, Epävarma, Ei toteudu",
        "form.xlsx:Ennusteet!D3: error: \"seitsemän\" is not a number",
        "form.xlsx:Tehtävät!D2: error: \"Tehdty\" is not a task status; allowed: Tekemättä, "
        "Tekeillä, Tehty (did you mean Tehty?)",
    };
    expect(e, &b, want, sizeof want / sizeof want[0]);
    ts_arena_free(a);
    ts_round_free(r);
}

static void test_missing_sheet_and_head(void **state)
{
    env *e = *state;
    ts_round *r = parse_file(TEST_DATA_DIR "/valid/minimal.xml");
    ts_arena *a = ts_arena_new(NULL);
    ts_fbook b = book_of(e, r, r->lang, a);
    /* Huomiot renamed, the head of Tehtävät's tila changed */
    for (size_t i = 0; i < b.n_sheets; i++)
        if (strcmp(b.sheets[i].name, "Huomiot") == 0)
            ((ts_fsheet *)&b.sheets[i])->name = "Muistiinpanot";
    put(&b, a, "Tehtävät", 0, 3, "tilanne");
    static const char *const want[] = {
        "form.xlsx: error: the form has no sheet \"Huomiot\"",
        "form.xlsx:Tehtävät!A1: error: the head row has no column \"tila\"",
        "form.xlsx:Tehtävät!D1: warning: the sheet has no column \"tilanne\"",
        "form.xlsx:Muistiinpanot: warning: the form has no sheet of this name",
    };
    expect(e, &b, want, sizeof want / sizeof want[0]);
    ts_arena_free(a);
    ts_round_free(r);
}

/* What a spreadsheet makes of what a planner types: a date cell, a percentage, TRUE, a decimal
 * comma, a Finnish date, a word in another case, the XML's own word. */
static void test_typed_values(void **state)
{
    env *e = *state;
    ts_round *r = parse_file(TEST_DATA_DIR "/valid/minimal.xml");
    ts_arena *a = ts_arena_new(NULL);
    ts_fbook b = book_of(e, r, r->lang, a);
    put_number(&b, a, "Kierros", 3, 1, TS_FCELL_NUMBER, 45443, TS_FFMT_DATE); /* 2024-05-31 */
    put_number(&b, a, "Mittarit", 1, 4, TS_FCELL_BOOLEAN, 1, TS_FFMT_GENERAL);
    put(&b, a, "Mittarit", 1, 5, "5.10.2020");
    put_number(&b, a, "Ennusteet", 1, 3, TS_FCELL_NUMBER, 0.725, TS_FFMT_PERCENT);
    put(&b, a, "Ennusteet", 1, 2, "EPÄVARMA");
    put(&b, a, "Mittarit", 1, 10, "12,5");
    put(&b, a, "Mittarit", 1, 11, "kpl");
    ts_diags d;
    ts_diags_init(&d, NULL);
    ts_round *back = ts_form_read_book(&b, e->labels, NULL, false, &d);
    ts_diags_print(&d, stderr);
    assert_non_null(back);
    assert_int_equal(back->date.year, 2024);
    assert_int_equal(back->date.month, 5);
    assert_int_equal(back->date.day, 31);
    const ts_measure *m = ts_round_measure(back, 0);
    assert_true(m->recovery);
    assert_true(m->has_date);
    assert_int_equal(m->date.day, 5);
    assert_int_equal(m->date.month, 10);
    assert_non_null(m->level);
    assert_true(m->level->value == 12.5);
    assert_int_equal(m->forecasts[0].status, TS_STATUS_AT_RISK);
    assert_true(m->forecasts[0].has_value);
    assert_true(m->forecasts[0].value == 72.5);
    ts_diags_free(&d);
    ts_round_free(back);
    ts_arena_free(a);
    ts_round_free(r);
}

/* A planner may put the columns in another order: they are found by their heads. */
static void test_columns_in_any_order(void **state)
{
    env *e = *state;
    ts_round *r = parse_file(TEST_SOURCE_DIR "/input/kuva-2020-3.xml");
    ts_arena *a = ts_arena_new(NULL);
    ts_fbook b = book_of(e, r, r->lang, a);
    for (size_t i = 0; i < b.n_sheets; i++) {
        ts_fsheet *s = (ts_fsheet *)&b.sheets[i];
        if (strcmp(s->name, "Mittarit") != 0)
            continue;
        /* the first and the third column change places; cells stay in row-major order */
        uint32_t rows = 0;
        for (size_t k = 0; k < s->n_cells; k++)
            if (s->cells[k].row + 1 > rows)
                rows = s->cells[k].row + 1;
        ts_fcell *cells = ts_arena_calloc(a, s->n_cells, sizeof *cells);
        size_t n = 0;
        for (uint32_t row = 0; row < rows; row++)
            for (uint32_t col = 0; col < 64; col++) {
                uint32_t from = col == 0 ? 2 : col == 2 ? 0 : col;
                for (size_t k = 0; k < s->n_cells; k++)
                    if (s->cells[k].row == row && s->cells[k].col == from) {
                        cells[n] = s->cells[k];
                        cells[n++].col = col;
                    }
            }
        assert_int_equal(n, s->n_cells);
        s->cells = cells;
    }
    ts_diags d;
    ts_diags_init(&d, NULL);
    ts_round *back = ts_form_read_book(&b, e->labels, NULL, false, &d);
    ts_diags_print(&d, stderr);
    assert_non_null(back);
    char *want = normalised(r), *got = normalised(back);
    assert_string_equal(want, got);
    free(want);
    free(got);
    ts_diags_free(&d);
    ts_round_free(back);
    ts_arena_free(a);
    ts_round_free(r);
}

/* The warnings of `check` come from a form too, at its cells, in a form's words. */
static void test_warnings(void **state)
{
    env *e = *state;
    ts_round *r = parse_file(TEST_DATA_DIR "/valid/minimal.xml");
    ts_arena *a = ts_arena_new(NULL);
    ts_fbook b = book_of(e, r, r->lang, a);
    put(&b, a, "Mittarit", 1, 6, " ");    /* no owner */
    put(&b, a, "Ennusteet", 1, 3, "120"); /* a percentage over 100 */
    put(&b, a, "Ennusteet", 1, 4, "%");
    ts_diags d;
    ts_diags_init(&d, NULL);
    ts_round *back = ts_form_read_book(&b, e->labels, NULL, true, &d);
    assert_non_null(back);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ts_diags_print(&d, f);
    fclose(f);
    if (strstr(text, "form.xlsx:Mittarit!A2: warning: measure 'm' has no owner\n") == NULL ||
        strstr(text, "form.xlsx:Ennusteet!D2: warning: a percentage over 100: 120 %\n") == NULL)
        fail_msg("the warnings:\n%s", text);
    free(text);
    ts_diags_free(&d);
    ts_round_free(back);
    ts_arena_free(a);
    ts_round_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_rounds),           cmocka_unit_test(test_wrong_cells),
        cmocka_unit_test(test_missing_sheet_and_head), cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_columns_in_any_order),   cmocka_unit_test(test_typed_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
