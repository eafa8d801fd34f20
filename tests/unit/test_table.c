/* The shared workbook walk: sheets, merges, the block-to-text rules, numbers, the cell limit. */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>

#include "book/table.h"
#include "text/text.h"
#include "core/utf8.h"
#include "wb_fixture.h"

static int setup(void **state)
{
    wb_fixture *f = calloc(1, sizeof *f);
    *state = f;
    return wb_setup(f, TS_LANG_FI);
}

static int teardown(void **state)
{
    wb_teardown(*state);
    free(*state);
    return 0;
}

static const ts_table *build(wb_fixture *f)
{
    const ts_table *t = NULL;
    ts_rc rc = ts_table_build(&f->ctx, f->a, &f->diags, &t);
    if (rc != TS_OK)
        ts_diags_print(&f->diags, stdout);
    assert_int_equal(rc, TS_OK);
    assert_non_null(t);
    return t;
}

static void assert_text(const ts_sheet *s, size_t row, size_t col, const char *want)
{
    const ts_cell *c = ts_sheet_cell(s, row, col);
    if (want == NULL) {
        if (c->kind != TS_CELL_EMPTY)
            fail_msg("%s row %zu col %zu: want empty, have \"%s\"", s->name, row, col,
                     c->text ? c->text : "(number)");
        return;
    }
    if (c->kind != TS_CELL_TEXT)
        fail_msg("%s row %zu col %zu: want \"%s\", have kind %d", s->name, row, col, want,
                 (int)c->kind);
    assert_string_equal(c->text, want);
    /* The runs are the text, cut by style. */
    size_t off = 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        assert_true(c->runs[i].len > 0);
        assert_memory_equal(c->runs[i].text, c->text + off, c->runs[i].len);
        if (i > 0)
            assert_int_not_equal(c->runs[i].style, c->runs[i - 1].style);
        off += c->runs[i].len;
    }
    assert_int_equal(off, c->len);
}

static void test_sheets_and_heads(void **state)
{
    wb_fixture *f = *state;
    const ts_table *t = build(f);
    assert_int_equal(t->n_sheets, 5);
    assert_string_equal(t->sheets[0].name, "Strategiamittarit");
    assert_string_equal(t->sheets[1].name, "Kehitys");
    assert_string_equal(t->sheets[2].name, "Tilannekuva");
    assert_string_equal(t->sheets[3].name, "Tiivistelmä");
    assert_string_equal(t->sheets[4].name, "Tehtävät");
    const ts_sheet *s = &t->sheets[0];
    assert_int_equal(s->n_cols, 10);
    assert_int_equal(s->n_rows, 5);
    assert_int_equal(s->header_rows, 1);
    assert_true(s->autofilter);
    static const char *const heads[10] = {
        "Kaupunkistrategian teema",
        "Sitova toiminnan tavoite",
        "Sitovan toiminnan tavoitteen mittarit",
        "Palautumismittari",
        "Ennuste 1/2020",
        "Ennuste 2/2020",
        "Ennuste 3/2020",
        "Kommentit",
        "Mittarin numeerinen ennuste",
        "Kytkeytyminen kaupunkiyhteisiin hankkeisiin ja yhteissuunnittelun teemoihin"};
    for (size_t c = 0; c < 10; c++) {
        assert_text(s, 0, c, heads[c]);
        assert_true(ts_sheet_cell(s, 0, c)->head);
        assert_false(ts_sheet_cell(s, 1, c)->head);
    }
    assert_true(s->widths[0] == 21 && s->widths[9] == 30);
}

static void test_merges(void **state)
{
    wb_fixture *f = *state;
    const ts_sheet *s = &build(f)->sheets[0];
    /* Theme 1 runs over goals 1 and 2 (rows 1..3); theme 2 is row 4 alone. */
    assert_text(s, 1, 0, "Maailman toimivin kaupunki");
    assert_int_equal(ts_sheet_cell(s, 1, 0)->row_span, 3);
    assert_true(ts_sheet_cell(s, 2, 0)->covered);
    assert_true(ts_sheet_cell(s, 3, 0)->covered);
    assert_int_equal(ts_sheet_cell(s, 3, 0)->kind, TS_CELL_EMPTY);
    assert_text(s, 4, 0, "Uudistuvat palvelut");
    assert_int_equal(ts_sheet_cell(s, 4, 0)->row_span, 1);
    assert_false(ts_sheet_cell(s, 4, 0)->covered);
    /* Goal 1 over its two measures; goal 2 alone. */
    assert_int_equal(ts_sheet_cell(s, 1, 1)->row_span, 2);
    assert_true(ts_sheet_cell(s, 2, 1)->covered);
    assert_int_equal(ts_sheet_cell(s, 3, 1)->row_span, 1);
    assert_false(ts_sheet_cell(s, 3, 1)->covered);
    /* Nothing else merges. */
    for (size_t r = 1; r < s->n_rows; r++)
        for (size_t c = 2; c < s->n_cols; c++) {
            assert_int_equal(ts_sheet_cell(s, r, c)->row_span, 1);
            assert_false(ts_sheet_cell(s, r, c)->covered);
        }
}

static void test_goal_cell_is_rich(void **state)
{
    wb_fixture *f = *state;
    const ts_sheet *s = &build(f)->sheets[0];
    assert_text(s, 1, 1, "Palveluja parannetaan\nToimiala käyttää yhteisiä välineitä.");
    const ts_cell *c = ts_sheet_cell(s, 1, 1);
    assert_int_equal(c->n_runs, 2);
    assert_int_equal(c->runs[0].style, TS_RUN_BOLD);
    assert_int_equal(c->runs[1].style, 0);
    assert_int_equal(c->pos.line, 19);
    /* A goal without a description is its statement alone, still bold. */
    assert_text(s, 3, 1, "Koko kaupunki on oppimisen paikka");
    assert_int_equal(ts_sheet_cell(s, 3, 1)->runs[0].style, TS_RUN_BOLD);
}

static void test_blocks_to_text(void **state)
{
    wb_fixture *f = *state;
    const ts_sheet *s = &build(f)->sheets[0];
    /* The measure's name in bold, then its text (here two lists). */
    assert_text(s, 2, 2, "Biennaali\n• eka\n  • alakohta\n• toka\n1. yksi\n2. kaksi");
    assert_int_equal(ts_sheet_cell(s, 2, 2)->runs[0].style, TS_RUN_BOLD);
    assert_memory_equal(ts_sheet_cell(s, 2, 2)->runs[0].text, "Biennaali\n", 10);
    const ts_cell *c = ts_sheet_cell(s, 2, 2);
    /* The nested item keeps its italic; its bullet and indent do not take it (the line break
     * after it does: a break takes the style before it, so it never splits a run). */
    bool italic_found = false;
    for (size_t i = 0; i < c->n_runs; i++) {
        if (c->runs[i].style == TS_RUN_ITALIC) {
            assert_int_equal(c->runs[i].len, strlen("alakohta\n"));
            assert_memory_equal(c->runs[i].text, "alakohta\n", c->runs[i].len);
            italic_found = true;
        }
    }
    assert_true(italic_found);
    assert_text(s, 1, 2, "Digitalisaatio\nMittari: toimenpiteet on tehty.");
    assert_int_equal(ts_sheet_cell(s, 1, 2)->n_runs, 2);
    assert_text(s, 1, 3, "Kyllä");
    assert_text(s, 2, 3, "Ei");
    assert_text(s, 1, 7, "Kaikki edistyy.");
    assert_text(s, 3, 7, NULL);
    /* Links one a line, in file order. */
    assert_text(s, 1, 9, "Hyvinvoinnin ja terveyden edistäminen\nLiikkumisohjelma");
    assert_text(s, 2, 9, NULL);
}

static void test_forecast_columns(void **state)
{
    wb_fixture *f = *state;
    const ts_sheet *s = &build(f)->sheets[0];
    /* A status word alone: bold, on the full status colour. */
    assert_text(s, 1, 4, "Toteutuu");
    assert_int_equal(ts_sheet_cell(s, 1, 4)->runs[0].style, TS_RUN_BOLD);
    assert_false(ts_sheet_cell(s, 1, 4)->tint);
    /* The word and a text after it: the word bold (its line break with it), the text's own
     * bold kept, on a tint of the status colour. */
    assert_text(s, 1, 5, "Epävarma\nToteutuminen on epävarma.");
    const ts_cell *c = ts_sheet_cell(s, 1, 5);
    assert_int_equal(c->n_runs, 4);
    assert_int_equal(c->runs[0].style, TS_RUN_BOLD);
    assert_int_equal(c->runs[0].len, strlen("Epävarma\n"));
    assert_int_equal(c->runs[1].style, 0);
    assert_int_equal(c->runs[2].style, TS_RUN_BOLD);
    assert_int_equal(c->fill, TS_FILL_STATUS);
    assert_int_equal(c->fill_index, TS_STATUS_AT_RISK);
    assert_true(c->tint);
    /* Round 3 is after round@number: empty, unfilled. */
    for (size_t r = 1; r < 5; r++) {
        assert_text(s, r, 6, NULL);
        assert_int_equal(ts_sheet_cell(s, r, 6)->fill, TS_FILL_NONE);
    }
    /* m1 has no forecast for round 2: "not reported", on the not-reported look. */
    assert_text(s, 2, 5, "Ei raportoitu");
    assert_int_equal(ts_sheet_cell(s, 2, 5)->fill, TS_FILL_STATUS);
    assert_int_equal(ts_sheet_cell(s, 2, 5)->fill_index, TS_STATUS_NONE);
    /* m2 has no forecast 1 although round 1 is past. */
    assert_text(s, 3, 4, "Ei raportoitu");
    assert_text(s, 3, 5, "Toteutunut");
    assert_text(s, 4, 5, "Ei toteudu");
    assert_int_equal(ts_sheet_cell(s, 4, 5)->fill_index, TS_STATUS_OFF_TRACK);
}

static void test_numbers(void **state)
{
    wb_fixture *f = *state;
    const ts_sheet *s = &build(f)->sheets[0];
    const ts_cell *c = ts_sheet_cell(s, 1, 8);
    assert_int_equal(c->kind, TS_CELL_NUMBER);
    assert_float_equal(c->number, 0.70, 1e-12);
    assert_string_equal(c->unit, "%");
    assert_int_equal(c->decimals, 0);
    assert_int_equal(ts_sheet_cell(s, 2, 8)->kind, TS_CELL_EMPTY); /* no current forecast */
    c = ts_sheet_cell(s, 3, 8);
    assert_int_equal(c->kind, TS_CELL_NUMBER);
    assert_float_equal(c->number, 20, 1e-12);
    assert_string_equal(c->unit, "kpl");
    c = ts_sheet_cell(s, 4, 8);
    assert_float_equal(c->number, 0.725, 1e-12);
    assert_int_equal(c->decimals, 1);
}

static void test_summary_sheet(void **state)
{
    wb_fixture *f = *state;
    const ts_sheet *s = &build(f)->sheets[3];
    assert_int_equal(s->n_cols, 3);
    assert_int_equal(s->header_rows, 0);
    assert_false(s->autofilter);
    /* Theme table (head + 1), empty row, city projects (head + 1), empty row, joint themes
     * (head + 1); no separate programme has actions, so that table is left out. */
    assert_int_equal(s->n_rows, 8);
    assert_text(s, 0, 0, "Kaupunkistrategian teemat");
    assert_text(s, 0, 1, "Toimenpiteet (1–3 keskeisintä toimenpidettä per teema)");
    assert_text(s, 0, 2, "Keskeisimmät toimialatason strategiamittarit");
    assert_text(s, 1, 0, "Maailman toimivin kaupunki");
    assert_text(s, 1, 1, "Hyödynnetään palautetta.\nJatketaan pikapalautetta.");
    assert_text(s, 1, 2, "Parannetaan toimintatapoja (sitova mittari)\nNPS-suositteluindeksi");
    assert_text(s, 2, 0, NULL);
    assert_text(s, 3, 0, "Kaupunkiyhteiset hankkeet");
    assert_true(ts_sheet_cell(s, 3, 0)->head);
    assert_text(s, 3, 1, "Toimenpiteet (1–3 keskeisintä toimenpidettä per hanke)");
    assert_text(s, 4, 0, "Liikkumisohjelma");
    assert_text(s, 4, 1, "Lisätään tietoisuutta.");
    assert_text(s, 6, 0, "Toimialojen yhteissuunnittelun teemat");
    assert_text(s, 7, 0, "Hyvinvoinnin ja terveyden edistäminen");
    assert_text(s, 7, 1, "Osallistutaan suunnitelmaan.");
}

static void test_tasks_sheet(void **state)
{
    wb_fixture *f = *state;
    const ts_sheet *s = &build(f)->sheets[4];
    assert_int_equal(s->n_cols, 8);
    assert_int_equal(s->n_rows, 3);
    assert_true(s->autofilter);
    /* Heads that cannot be taken for each other (outputs.md §2). */
    assert_text(s, 0, 6, "Edistyminen %");
    assert_text(s, 0, 7, "Tarkempi eteneminen");
    assert_text(s, 1, 0, "Maailman toimivin kaupunki");
    assert_text(s, 1, 1, "Palveluja parannetaan");
    assert_text(s, 1, 2, "Digitalisaatio");
    assert_text(s, 1, 3, "NUORET: yksi toimenpide");
    assert_text(s, 1, 4, "Toimenpide valittu");
    assert_text(s, 1, 5, "TEKEILLÄ");
    assert_int_equal(ts_sheet_cell(s, 1, 5)->fill, TS_FILL_TASK);
    assert_int_equal(ts_sheet_cell(s, 1, 5)->fill_index, TS_TASK_DOING);
    const ts_cell *p = ts_sheet_cell(s, 1, 6);
    assert_int_equal(p->kind, TS_CELL_NUMBER);
    assert_float_equal(p->number, 0.40, 1e-12);
    assert_string_equal(p->unit, "%");
    assert_text(s, 1, 7, NULL);
    assert_text(s, 2, 5, "TEHTY");
    assert_int_equal(ts_sheet_cell(s, 2, 6)->kind, TS_CELL_EMPTY);
    assert_text(s, 2, 7, "Saavutettu 30.4.2020.");
}

static void test_other_language(void **state)
{
    wb_fixture *f = *state;
    f->labels = ts_labels_load(TEST_SOURCE_DIR "/layouts/labels", TS_LANG_SV, f->a, &f->diags);
    f->ctx.labels = f->labels;
    const ts_table *t = build(f);
    assert_string_equal(t->sheets[0].name, "Strategimätare");
    assert_text(&t->sheets[0], 0, 5, "Prognos 2/2020");
    assert_text(&t->sheets[0], 2, 5, "Ej rapporterat");
    assert_text(&t->sheets[0], 1, 3, "Ja");
    assert_text(&t->sheets[3], 1, 2,
                "Parannetaan toimintatapoja (bindande mätare)\nNPS-suositteluindeksi");
}

static void test_no_summary_no_sheet(void **state)
{
    wb_fixture *f = *state;
    f->round->summary = NULL;
    const ts_table *t = build(f);
    assert_int_equal(t->n_sheets, 4);
    assert_string_equal(t->sheets[3].name, "Tehtävät");
}

/* The text engine over the layout's fonts, to measure independently of the walk. */
typedef struct fonts_fixture {
    ts_font_metrics *fm[2 * TS_FACE_COUNT];
    ts_text_engine *te;
} fonts_fixture;

static void fonts_open(fonts_fixture *ff, const ts_layout *l)
{
    ts_fonts fonts = {0};
    for (size_t i = 0; i < 2 * TS_FACE_COUNT; i++) {
        const char *path =
            i < TS_FACE_COUNT ? l->font_files[i] : l->fallback_files[i - TS_FACE_COUNT];
        ff->fm[i] = ts_fm_load(path, NULL);
        assert_non_null(ff->fm[i]);
        if (i < TS_FACE_COUNT)
            fonts.face[i] = ff->fm[i];
        else
            fonts.fallback[i - TS_FACE_COUNT] = ff->fm[i];
    }
    ff->te = ts_text_engine_new(&fonts, TS_LANG_EN, NULL, NULL, NULL);
    assert_non_null(ff->te);
}

static void fonts_close(fonts_fixture *ff)
{
    ts_text_engine_free(ff->te);
    for (size_t i = 0; i < 2 * TS_FACE_COUNT; i++)
        ts_fm_free(ff->fm[i]);
}

/* Excel's wrapped lines of 10 pt Arial are 12.75 pt apart. */
static double lines_pt(double lines)
{
    return lines * 12.75;
}

static void test_every_row_has_its_height(void **state)
{
    wb_fixture *f = *state;
    /* Three explicit lines in the comment, and a forecast of 600 characters in a 28-character
     * column (about 140 pt of text: some 20 lines). */
    static const char *const three = "yksi\nkaksi\nkolme";
    f->m[0]->comment = wb_p(f->a, three, 40);
    char text[601];
    for (size_t i = 0; i < 600; i++)
        text[i] = i % 8 == 7 ? ' ' : "abcdefgh"[i % 8];
    text[600] = '\0';
    ts_forecast *fc = (ts_forecast *)f->m[2]->by_round[2];
    assert_non_null(fc);
    fc->text = wb_p(f->a, text, 41);
    const ts_table *t = build(f);
    for (size_t si = 0; si < t->n_sheets; si++) {
        const ts_sheet *s = &t->sheets[si];
        assert_non_null(s->row_heights);
        for (size_t r = 0; r < s->n_rows; r++) {
            /* Whole points, at least one line. */
            assert_true(s->row_heights[r] >= lines_pt(1));
            assert_true(s->row_heights[r] == floor(s->row_heights[r]));
        }
    }
    const ts_sheet *s = &t->sheets[0];
    /* Row 1 (the first measure) holds the three lines of the comment: the row of the goal cell
     * (merged over two rows) counts its own cells only. */
    assert_true(s->row_heights[1] >= lines_pt(3));
    /* The long forecast: its text's width over the column's, plus a line for the status word
     * and at most one line per word for the ragged ends. */
    fonts_fixture ff = {0};
    fonts_open(&ff, f->layout);
    ts_text_style st = {.size = 10, .leading = 12};
    double width = ts_measure_plain(ff.te, text, &st), col = ts_column_text_width(28);
    fonts_close(&ff);
    double least = 1 + ceil(width / col);
    assert_true(col > 140 && col < 150); /* (7 * 28 + 5 - 6) px */
    assert_true(s->row_heights[3] >= lines_pt(least));
    assert_true(s->row_heights[3] <= lines_pt(least * 1.4) + 4);
    /* The head: as tall as its tallest cell, the links column's 4 lines in bold beside the
     * filter button ("Kytkeytyminen / kaupunkiyhteisiin hankkeisiin / ja yhteissuunnittelun /
     * teemoihin", as LibreOffice wraps it), and a line to spare for another wrapping. */
    assert_true(s->row_heights[0] >= lines_pt(4) && s->row_heights[0] <= lines_pt(5) + 4);
}

/* The cells of column `col` from `row` down that hold one text: the cell there and the pieces
 * that continue it.  Returns how many (at most `max`). */
static size_t pieces_of(const ts_sheet *s, size_t row, size_t col, const ts_cell **out, size_t max)
{
    size_t n = 0;
    for (size_t r = row; r < s->n_rows && n < max; r++) {
        const ts_cell *c = ts_sheet_cell(s, r, col);
        assert_false(c->covered);
        assert_int_equal(c->continued, n > 0);
        out[n++] = c;
        if (!c->continues)
            break;
    }
    return n;
}

/* The pieces' texts joined with `sep` between them. */
static char *joined(ts_arena *a, const ts_cell *const *pieces, size_t n, const char *sep)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += pieces[i]->len + strlen(sep);
    char *out = ts_arena_alloc(a, len + 1), *p = out;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            p += sprintf(p, "%s", sep);
        memcpy(p, pieces[i]->text, pieces[i]->len);
        p += pieces[i]->len;
    }
    *p = '\0';
    return out;
}

/* Every row within Excel's row limit, in whole points, at least a line high. */
static void assert_rows_fit(const ts_table *t)
{
    for (size_t si = 0; si < t->n_sheets; si++) {
        const ts_sheet *s = &t->sheets[si];
        for (size_t r = 0; r < s->n_rows; r++) {
            assert_true(s->row_heights[r] >= lines_pt(1));
            assert_true(s->row_heights[r] <= TS_XLSX_MAX_ROW_HEIGHT);
            assert_true(s->row_heights[r] == floor(s->row_heights[r]));
        }
    }
}

/* The cells of row `row` other than column `but` each span `span` rows, the rows under it
 * covered. */
static void assert_merged_over(const ts_sheet *s, size_t row, size_t first_col, size_t last_col,
                               size_t but, uint32_t span)
{
    for (size_t c = first_col; c <= last_col; c++) {
        if (c == but)
            continue;
        if (ts_sheet_cell(s, row, c)->row_span != span)
            fail_msg("column %zu of row %zu spans %u rows, want %u", c, row,
                     (unsigned)ts_sheet_cell(s, row, c)->row_span, (unsigned)span);
        for (size_t r = row + 1; r < row + span; r++)
            assert_true(ts_sheet_cell(s, r, c)->covered);
    }
}

/* Finnish-looking words, numbered so that every piece of a long text is told from the others. */
static char *words_text(ts_arena *a, size_t chars, const char *tag)
{
    static const char *const words[] = {"toimiala", "palvelujen",       "asiakaskokemus",
                                        "ja",       "kehitetään",       "vuoden",
                                        "aikana",   "liikkumisohjelma", "on",
                                        "tavoite",  "toteutuu",         "yhteistyössä"};
    char *s = ts_arena_alloc(a, chars + 64);
    size_t n = 0, k = 0;
    while (n < chars) {
        int w = k % 9 == 0 ? sprintf(s + n, "%s%zu", tag, k / 9)
                           : sprintf(s + n, "%s", words[(k * 7 + k / 5) % 12]);
        n += (size_t)w;
        s[n++] = ' ';
        k++;
    }
    n = chars;
    while (n > 0 && s[n - 1] == ' ')
        n--;
    s[n] = '\0';
    return s;
}

static void test_long_forecast_continues(void **state)
{
    wb_fixture *f = *state;
    /* Round 2 of the last measure: five paragraphs of 600 characters, some 3,000 in all, in a
     * 28-character column: about 110 lines, more than a 409 pt row holds. */
    ts_block *ps = ts_arena_calloc(f->a, 5, sizeof *ps);
    const char *texts[5];
    for (int i = 0; i < 5; i++) {
        char tag[8];
        snprintf(tag, sizeof tag, "K%d-", i);
        texts[i] = words_text(f->a, 600, tag);
        ps[i].kind = TS_BLOCK_P;
        ps[i].text = wb_inline(f->a, texts[i], 0, 97);
    }
    ts_forecast *fc = (ts_forecast *)f->m[3]->by_round[2];
    fc->text = wb_blocks(ps, 5, 97);
    const ts_table *t = build(f);
    assert_rows_fit(t);
    const ts_sheet *s = &t->sheets[0];
    /* The measure's row (4) continues in the rows below it: its forecast is cut between
     * paragraphs into pieces alike in length, and its other cells span those rows. */
    const ts_cell *pieces[16] = {0};
    size_t n = pieces_of(s, 4, 5, pieces, 16);
    assert_true(n >= 3 && n <= 5);
    assert_int_equal(s->n_rows, 4 + n);
    char want[4000];
    snprintf(want, sizeof want, "Ei toteudu\n%s\n%s\n%s\n%s\n%s", texts[0], texts[1], texts[2],
             texts[3], texts[4]);
    assert_string_equal(joined(f->a, pieces, n, "\n"), want);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(pieces[i]->fill, TS_FILL_STATUS);
        assert_true(pieces[i]->tint);
        assert_true(pieces[i]->len >= 600 && pieces[i]->len <= 1300);
        assert_int_equal(pieces[i]->row_span, 1); /* the tallest cell: a row per piece */
    }
    assert_merged_over(s, 4, 0, 9, 5, (uint32_t)n);
    /* The rows above are as they were. */
    assert_int_equal(ts_sheet_cell(s, 1, 0)->row_span, 3);
    assert_int_equal(ts_sheet_cell(s, 3, 5)->row_span, 1);
}

static void test_enormous_paragraph(void **state)
{
    wb_fixture *f = *state;
    /* One paragraph of 29,000 characters: cut between words, into pieces that each fit a row. */
    char *text = words_text(f->a, 29000, "S");
    ts_forecast *fc = (ts_forecast *)f->m[2]->by_round[2];
    fc->text = wb_p(f->a, text, 67);
    const ts_table *t = build(f);
    assert_rows_fit(t);
    const ts_sheet *s = &t->sheets[0];
    const ts_cell *pieces[128] = {0};
    size_t n = pieces_of(s, 3, 5, pieces, 128);
    /* Some 29,000 characters at 5 pt in a 146 pt column take a thousand lines: 31 a row. */
    assert_true(n >= 30 && n <= 45);
    char *want = ts_arena_printf(f->a, "Toteutunut\n%s", text);
    /* The first piece ends, and each later one starts, between two words. */
    assert_string_equal(joined(f->a, pieces, n, " "), want);
    for (size_t i = 0; i < n; i++) {
        assert_true(pieces[i]->text[0] != ' ' && pieces[i]->text[pieces[i]->len - 1] != ' ');
        assert_int_equal(pieces[i]->n_runs, i == 0 ? 2 : 1); /* the bold status word first */
    }
    /* The measure's other cells span every row; the goal's and theme's cells span them too. */
    assert_merged_over(s, 3, 2, 9, 5, (uint32_t)n);
    assert_int_equal(ts_sheet_cell(s, 3, 1)->row_span, n);
    assert_int_equal(ts_sheet_cell(s, 1, 0)->row_span, 2 + n);
    assert_int_equal(s->n_rows, 4 + n);
    /* The theme of the last goal starts under them. */
    assert_text(s, 3 + n, 0, "Uudistuvat palvelut");
}

static void test_task_detail_continues(void **state)
{
    wb_fixture *f = *state;
    /* A task's detail of six paragraphs of 1,000 characters, each some 20 lines of the
     * 50-character column: two do not fit a row together, and none is longer than a row, so
     * each piece is one whole paragraph. */
    ts_block *ps = ts_arena_calloc(f->a, 6, sizeof *ps);
    const char *texts[6];
    for (int i = 0; i < 6; i++) {
        char tag[8];
        snprintf(tag, sizeof tag, "D%d-", i);
        texts[i] = words_text(f->a, 1000, tag);
        ps[i].kind = TS_BLOCK_P;
        ps[i].text = wb_inline(f->a, texts[i], 0, 28);
    }
    ts_task *task = (ts_task *)&f->m[0]->targets[0].tasks[1];
    task->detail = wb_blocks(ps, 6, 28);
    const ts_table *t = build(f);
    assert_rows_fit(t);
    const ts_sheet *s = &t->sheets[4];
    const ts_cell *pieces[16] = {0};
    size_t n = pieces_of(s, 2, 7, pieces, 16);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(pieces[i]->text, texts[i]);
    assert_merged_over(s, 2, 0, 6, 99, 6);
    assert_int_equal(s->n_rows, 8);
}

static void test_pieces_keep_styles(void **state)
{
    wb_fixture *f = *state;
    /* An italic paragraph of 2,000 characters with a bold word in it, then a bold one of 3,000:
     * the cuts fall inside both runs, and each piece keeps the styles of its words. */
    ts_block *ps = ts_arena_calloc(f->a, 2, sizeof *ps);
    ps[0].kind = TS_BLOCK_P;
    ps[0].text = wb_runs(f->a, 97, words_text(f->a, 1000, "I"), TS_RUN_ITALIC, " lihavoitu ",
                         TS_RUN_BOLD | TS_RUN_ITALIC, words_text(f->a, 1000, "J"), TS_RUN_ITALIC);
    ps[1].kind = TS_BLOCK_P;
    ps[1].text = wb_inline(f->a, words_text(f->a, 3000, "B"), TS_RUN_BOLD, 98);
    f->m[3]->comment = wb_blocks(ps, 2, 97);
    const ts_table *t = build(f);
    const ts_sheet *s = &t->sheets[0];
    const ts_cell *pieces[32] = {0};
    size_t n = pieces_of(s, 4, 7, pieces, 32);
    assert_true(n >= 4);
    size_t italic = 0, bold = 0;
    for (size_t i = 0; i < n; i++) {
        /* Runs that are the piece's text, cut by style (assert_text's rules). */
        assert_text(s, 4 + i, 7, pieces[i]->text);
        for (size_t k = 0; k < pieces[i]->n_runs; k++) {
            italic += pieces[i]->runs[k].style & TS_RUN_ITALIC ? pieces[i]->runs[k].len : 0;
            bold += pieces[i]->runs[k].style == TS_RUN_BOLD ? pieces[i]->runs[k].len : 0;
        }
    }
    /* Every character keeps its style: only the spaces or the line break at a cut are gone. */
    assert_true(italic >= 2000 + strlen(" lihavoitu ") - n && italic <= 2011 + 1);
    assert_true(bold >= 3000 - n && bold <= 3000 + 1);
}

static void test_merged_goal_fits_its_first_row(void **state)
{
    wb_fixture *f = *state;
    const ts_table *t = build(f);
    double before[5];
    memcpy(before, t->sheets[0].row_heights, sizeof before);
    /* A goal text of 600 characters over two short measure rows: 40-character column, about 14
     * lines.  A page may break between the two rows, and neither application prints the part
     * of a merged cell's text that falls on the next page: the whole text fits the first. */
    char text[601];
    memset(text, 'a', 600);
    for (size_t i = 7; i < 600; i += 8)
        text[i] = ' ';
    text[600] = '\0';
    f->goals[0].description = wb_p(f->a, text, 21);
    t = build(f);
    const ts_sheet *s = &t->sheets[0];
    assert_int_equal(s->n_rows, 5);
    assert_true(s->row_heights[0] == before[0] && s->row_heights[2] == before[2] &&
                s->row_heights[3] == before[3] && s->row_heights[4] == before[4]);
    double need = lines_pt(1 + ceil(600 * 5.0 / ts_column_text_width(40)));
    assert_true(s->row_heights[1] >= need);
    assert_true(s->row_heights[1] < need * 1.3 + 20);
}

static void test_tall_goal_text_is_cut(void **state)
{
    wb_fixture *f = *state;
    /* A goal description of 6,000 characters over its two measures: cut into pieces in the
     * first measure's rows, the last piece merged down over the second measure's row too. */
    char *text = words_text(f->a, 6000, "G");
    f->goals[0].description = wb_p(f->a, text, 21);
    const ts_table *t = build(f);
    assert_rows_fit(t);
    const ts_sheet *s = &t->sheets[0];
    const ts_cell *pieces[16] = {0};
    size_t n = pieces_of(s, 1, 1, pieces, 16);
    assert_true(n >= 2);
    char *want = ts_arena_printf(f->a, "Palveluja parannetaan\n%s", text);
    assert_string_equal(joined(f->a, pieces, n, " "), want);
    assert_int_equal(pieces[0]->runs[0].style, TS_RUN_BOLD);
    assert_int_equal(pieces[n - 1]->row_span, 2);
    /* The first measure's cells span its n rows; the second measure's row follows. */
    assert_merged_over(s, 1, 2, 9, 99, (uint32_t)n);
    assert_text(s, 1 + n, 2, "Biennaali\n• eka\n  • alakohta\n• toka\n1. yksi\n2. kaksi");
    assert_int_equal(ts_sheet_cell(s, 1, 0)->row_span, n + 2);
}

static void test_rows_fit_the_page(void **state)
{
    wb_fixture *f = *state;
    /* At 44 pt the head grows to many lines, and a printed page holds less than Excel's 409 pt
     * beside it: rows are cut to what the page holds. */
    ((ts_layout *)f->layout)->workbook.font_size = 44;
    ts_forecast *fc = (ts_forecast *)f->m[3]->by_round[2];
    fc->text = wb_p(f->a, words_text(f->a, 3000, "P"), 97);
    const ts_table *t = build(f);
    const ts_sheet *s = &t->sheets[0];
    double sheet_w = 0;
    for (size_t c = 0; c < s->n_cols; c++)
        sheet_w += (floor(s->widths[c] * 7 + 0.5) + 5) * 0.75;
    double page_w = TS_PRINT_PAGE_W - 2 * TS_PRINT_MARGIN;
    double page_h = (TS_PRINT_PAGE_H - 2 * TS_PRINT_MARGIN) * sheet_w / page_w;
    assert_true(s->row_heights[0] > 300);
    size_t tallest = 0;
    for (size_t r = 1; r < s->n_rows; r++) {
        assert_true(s->row_heights[0] + s->row_heights[r] <= page_h);
        if (s->row_heights[r] > s->row_heights[tallest])
            tallest = r;
    }
    assert_true(s->row_heights[0] + s->row_heights[tallest] > page_h * 0.8);
    assert_true(s->n_rows > 6);
}

/* A light tint under black text for a status word with a text after it; the full colours
 * otherwise, as the layout gives them. */
static void test_tints(void **state)
{
    wb_fixture *f = *state;
    const ts_layout *l = f->layout;
    for (int i = 0; i < 5; i++) {
        ts_rgb fill, text;
        assert_true(ts_cell_colours(l, false, TS_FILL_STATUS, i, false, &fill, &text));
        assert_memory_equal(&fill, &l->status[i].fill, sizeof fill);
        assert_memory_equal(&text, &l->status[i].text, sizeof text);
        assert_true(ts_cell_colours(l, false, TS_FILL_STATUS, i, true, &fill, &text));
        assert_true(text.r == 0 && text.g == 0 && text.b == 0);
        /* Light (it prints as a pale grey) and of the status colour's hue: each channel between
         * the colour's and white, the lowest channel still the lowest. */
        double lum =
            0.2126 * pow(fill.r, 2.2) + 0.7152 * pow(fill.g, 2.2) + 0.0722 * pow(fill.b, 2.2);
        assert_true(lum >= 0.7);
        const ts_rgb full = l->status[i].fill;
        assert_true(fill.r >= full.r - 1e-9 && fill.g >= full.g - 1e-9 && fill.b >= full.b - 1e-9);
        if (full.r < full.g && full.r < full.b)
            assert_true(fill.r <= fill.g && fill.r <= fill.b);
    }
    ts_rgb fill, text;
    assert_false(ts_cell_colours(l, false, TS_FILL_NONE, 0, false, &fill, &text));
    assert_true(ts_cell_colours(l, true, TS_FILL_NONE, 0, false, &fill, &text));
    assert_memory_equal(&fill, &l->workbook.header_fill, sizeof fill);
}

/* Every word of every head fits its column in bold: a head never breaks inside a word. */
static void heads_fit(wb_fixture *f, ts_lang lang)
{
    f->labels = ts_labels_load(TEST_SOURCE_DIR "/layouts/labels", lang, f->a, &f->diags);
    assert_non_null(f->labels);
    f->ctx.labels = f->labels;
    const ts_table *t = build(f);
    fonts_fixture ff = {0};
    fonts_open(&ff, f->layout);
    ts_text_style bold = {.size = f->layout->workbook.font_size, .bold = true};
    int bad = 0;
    for (size_t si = 0; si < t->n_sheets; si++) {
        const ts_sheet *s = &t->sheets[si];
        for (size_t r = 0; r < s->n_rows; r++) {
            for (size_t c = 0; c < s->n_cols; c++) {
                const ts_cell *cell = ts_sheet_cell(s, r, c);
                if (!cell->head || cell->kind != TS_CELL_TEXT)
                    continue;
                char *words = ts_arena_strdup(f->a, cell->text), *save = NULL;
                for (char *w = strtok_r(words, " \n", &save); w != NULL;
                     w = strtok_r(NULL, " \n", &save)) {
                    double have = ts_cell_text_width(s, r, c);
                    double need = ts_measure_plain(ff.te, w, &bold);
                    if (need > have) {
                        printf("%s, column %zu: \"%s\" needs %.1f pt, the column has %.1f\n",
                               s->name, c, w, need, have);
                        bad++;
                    }
                }
            }
        }
    }
    fonts_close(&ff);
    assert_int_equal(bad, 0);
}

static void test_head_words_fit_fi(void **state)
{
    heads_fit(*state, TS_LANG_FI);
}

static void test_head_words_fit_sv(void **state)
{
    heads_fit(*state, TS_LANG_SV);
}

static void test_head_words_fit_en(void **state)
{
    heads_fit(*state, TS_LANG_EN);
}

static char *long_text(ts_arena *a, size_t chars)
{
    /* "ä" is two bytes but one character: the limit counts characters. */
    char *s = ts_arena_alloc(a, 2 * chars + 1);
    for (size_t i = 0; i < chars; i++)
        memcpy(s + 2 * i, "ä", 2);
    s[2 * chars] = '\0';
    return s;
}

static void test_cell_limit(void **state)
{
    wb_fixture *f = *state;
    /* Exactly the limit is accepted. */
    f->m[2]->comment = wb_p(f->a, long_text(f->a, 32767), 77);
    const ts_table *t = build(f);
    /* One word of 32,767 characters: cut anywhere into the pieces a row holds. */
    const ts_cell *pieces[64] = {0};
    size_t n = pieces_of(&t->sheets[0], 3, 7, pieces, 64);
    assert_true(n > 1);
    char *all = joined(f->a, pieces, n, "");
    assert_int_equal(ts_utf8_count(all, strlen(all)), 32767);
    /* One more is refused, at the element. */
    f->m[2]->comment = wb_p(f->a, long_text(f->a, 32768), 77);
    f->m[2]->comment.pos = (ts_pos){77, 9};
    const ts_table *none = NULL;
    assert_int_equal(ts_table_build(&f->ctx, f->a, &f->diags, &none), TS_INPUT_ERROR);
    assert_null(none);
    assert_int_equal(f->diags.errors, 1);
    const ts_diag *d = f->diags.list.items;
    assert_string_equal(d->file, "round.xml");
    assert_int_equal(d->pos.line, 77);
    assert_int_equal(d->pos.col, 9);
    assert_non_null(strstr(d->message, "32768 characters"));
    assert_non_null(strstr(d->message, "column H"));
    assert_non_null(strstr(d->message, "32767"));
}

static void test_cell_limit_counts_the_whole_cell(void **state)
{
    wb_fixture *f = *state;
    /* Status word + line break + forecast text: the cell, not the element, is measured. */
    ts_forecast *fc = (ts_forecast *)f->m[3]->by_round[2];
    fc->text = wb_p(f->a, long_text(f->a, 32767 - 10), 96);
    fc->pos = (ts_pos){96, 7};
    const ts_table *none = NULL;
    assert_int_equal(ts_table_build(&f->ctx, f->a, &f->diags, &none), TS_INPUT_ERROR);
    const ts_diag *d = f->diags.list.items;
    assert_int_equal(d->pos.line, 96);
    assert_int_equal(d->pos.col, 7);
    assert_non_null(strstr(d->message, "column F"));
}

/* Every allocation of the writers failing in turn: each run ends in TS_SYSTEM_ERROR with a
 * message and no file, or succeeds; none crashes or leaks (run under ASan and valgrind). */
static void test_out_of_memory(void **state)
{
    wb_fixture *f = *state;
    char path[] = "/tmp/ts-wb-fault-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ts_rc (*writers[2])(const ts_build_ctx *, const char *, ts_diags *) = {ts_write_xlsx,
                                                                           ts_write_ods};
    for (int wi = 0; wi < 2; wi++) {
        bool succeeded = false;
        long failed = 0;
        for (long n = 1; n < 5000 && !succeeded; n++) {
            ts_alloc_fault fault = {n, 0};
            f->ctx.fault = &fault;
            ts_diags d;
            assert_true(ts_diags_init(&d, NULL));
            remove(path);
            ts_rc rc = writers[wi](&f->ctx, path, &d);
            if (rc == TS_OK) {
                succeeded = true;
            } else {
                assert_int_equal(rc, TS_SYSTEM_ERROR);
                assert_true(d.errors > 0);
                assert_int_equal(access(path, F_OK), -1);
                failed++;
            }
            ts_diags_free(&d);
        }
        /* The hook counts the arenas' chunks: the writer's arena, then its first chunk. */
        assert_true(succeeded);
        assert_true(failed >= 2);
    }
    f->ctx.fault = NULL;
    remove(path);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    rewind(fp);
    char *buf = malloc(*len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, *len, fp), *len);
    fclose(fp);
    return buf;
}

/* ---- Kehitys and Tilannekuva ------------------------------------------------------------- */

static void assert_status_cell(const ts_sheet *s, size_t row, size_t col, const char *word,
                               ts_status status)
{
    assert_text(s, row, col, word);
    const ts_cell *c = ts_sheet_cell(s, row, col);
    assert_int_equal(c->fill, TS_FILL_STATUS);
    assert_int_equal(c->fill_index, (int)status);
    assert_false(c->tint); /* the word alone, on its full colour */
    assert_int_equal(c->n_runs, 1);
    assert_int_equal(c->runs[0].style, TS_RUN_BOLD);
}

static void assert_number(const ts_sheet *s, size_t row, size_t col, double value, const char *unit)
{
    const ts_cell *c = ts_sheet_cell(s, row, col);
    if (c->kind != TS_CELL_NUMBER)
        fail_msg("%s row %zu col %zu: want the number %g, have kind %d", s->name, row, col, value,
                 (int)c->kind);
    assert_true(fabs(c->number - value) < 1e-12);
    if (unit == NULL)
        assert_null(c->unit);
    else
        assert_string_equal(c->unit, unit);
}

/* Round 2 of the fixture: every round's status word and value, the level, the change word; the
 * theme and goal on every row (nothing merged), so that the sheet filters and sorts. */
static void test_trend_sheet(void **state)
{
    wb_fixture *f = *state;
    ts_level level = {80, "%", {25, 7}};
    f->m[0]->level = &level;
    const ts_table *t = build(f);
    const ts_sheet *s = &t->sheets[1];
    assert_int_equal(s->n_cols, 9);
    assert_int_equal(s->n_rows, 5);
    assert_int_equal(s->header_rows, 1);
    assert_true(s->autofilter);
    assert_null(s->chart);
    static const char *const heads[9] = {"Kaupunkistrategian teema",
                                         "Sitova toiminnan tavoite",
                                         "Mittari",
                                         "Ennuste 1/2020",
                                         "Arvo 1/2020",
                                         "Ennuste 2/2020",
                                         "Arvo 2/2020",
                                         "Tavoitetaso",
                                         "Muutos edellisestä ennusteesta"};
    for (size_t c = 0; c < 9; c++) {
        assert_text(s, 0, c, heads[c]);
        assert_true(ts_sheet_cell(s, 0, c)->head);
    }
    /* m0: on track, then at risk at 70 %: worse; its level 80 %. */
    assert_text(s, 1, 0, "Maailman toimivin kaupunki");
    assert_text(s, 1, 1, "Palveluja parannetaan");
    assert_text(s, 1, 2, "Digitalisaatio");
    assert_status_cell(s, 1, 3, "Toteutuu", TS_STATUS_ON_TRACK);
    assert_text(s, 1, 4, NULL);
    assert_status_cell(s, 1, 5, "Epävarma", TS_STATUS_AT_RISK);
    assert_number(s, 1, 6, 0.7, "%");
    assert_number(s, 1, 7, 0.8, "%");
    assert_text(s, 1, 8, "heikkeni");
    /* m1: not reported now: no change.  The theme and goal stand again. */
    assert_text(s, 2, 0, "Maailman toimivin kaupunki");
    assert_text(s, 2, 1, "Palveluja parannetaan");
    assert_status_cell(s, 2, 5, "Ei raportoitu", TS_STATUS_NONE);
    assert_number(s, 2, 7, 12, "kpl");
    assert_text(s, 2, 8, NULL);
    /* m2: reported only now: no change; 20 kpl, no level. */
    assert_status_cell(s, 3, 3, "Ei raportoitu", TS_STATUS_NONE);
    assert_status_cell(s, 3, 5, "Toteutunut", TS_STATUS_ACHIEVED);
    assert_number(s, 3, 6, 20, "kpl");
    assert_text(s, 3, 7, NULL);
    assert_text(s, 3, 8, NULL);
    assert_number(s, 4, 6, 0.725, "%");
    assert_int_equal(ts_sheet_cell(s, 4, 6)->decimals, 1);
    for (size_t r = 0; r < s->n_rows; r++)
        for (size_t c = 0; c < s->n_cols; c++) {
            assert_int_equal(ts_sheet_cell(s, r, c)->row_span, 1);
            assert_false(ts_sheet_cell(s, r, c)->covered);
        }
    /* Widths from the layout: the tasks sheet's theme, goal, measure and status, the measures
     * sheet's numeric forecast and recovery columns. */
    const ts_workbook_layout *wl = &f->layout->workbook;
    double want[9] = {wl->task_widths[0],    wl->task_widths[1],    wl->task_widths[2],
                      wl->task_widths[5],    wl->measure_widths[8], wl->task_widths[5],
                      wl->measure_widths[8], wl->measure_widths[8], wl->measure_widths[3]};
    for (size_t c = 0; c < 9; c++)
        assert_true(s->widths[c] == want[c]);
}

/* Better and the same, in each language's words. */
static void test_change_words(void **state)
{
    wb_fixture *f = *state;
    ts_forecast *m0r1 = (ts_forecast *)f->m[0]->by_round[1];
    ts_forecast m1r2 = {.round = 2, .status = TS_STATUS_ON_TRACK, .pos = {51, 7}};
    f->m[1]->by_round[2] = &m1r2;
    m0r1->status = TS_STATUS_OFF_TRACK; /* off track, then at risk: better */
    static const char *const words[3][2] = {
        {"parani", "ennallaan"}, {"förbättrades", "oförändrad"}, {"improved", "unchanged"}};
    for (int lang = 0; lang < 3; lang++) {
        f->ctx.labels =
            ts_labels_load(TEST_SOURCE_DIR "/layouts/labels", (ts_lang)lang, f->a, &f->diags);
        assert_non_null(f->ctx.labels);
        const ts_sheet *s = &build(f)->sheets[1];
        assert_text(s, 1, 8, words[lang][0]);
        assert_text(s, 2, 8, words[lang][1]);
    }
}

/* The counts per status and round, as COUNTIFs of Kehitys's status columns with the model's
 * counts stored, their sums, and the chart over them. */
static void test_picture_sheet(void **state)
{
    wb_fixture *f = *state;
    const ts_table *t = build(f);
    const ts_sheet *trend = &t->sheets[1], *s = &t->sheets[2];
    assert_int_equal(s->n_cols, 3);
    assert_int_equal(s->n_rows, 7);
    assert_false(s->autofilter);
    assert_text(s, 0, 0, "Tilanne");
    assert_text(s, 0, 1, "Ennuste 1/2020");
    assert_text(s, 0, 2, "Ennuste 2/2020");
    static const char *const words[5] = {"Toteutunut", "Toteutuu", "Epävarma", "Ei toteudu",
                                         "Ei raportoitu"};
    /* Round 1: m0 and m1 on track, m2 and m3 not reported; round 2: m0 at risk, m1 not
     * reported, m2 achieved, m3 off track. */
    static const double want[5][2] = {{0, 1}, {2, 0}, {0, 1}, {0, 1}, {2, 1}};
    for (size_t i = 0; i < 5; i++) {
        assert_status_cell(s, 1 + i, 0, words[i], ts_status_picture_order[i]);
        for (size_t k = 0; k < 2; k++) {
            const ts_cell *c = ts_sheet_cell(s, 1 + i, 1 + k);
            assert_number(s, 1 + i, 1 + k, want[i][k], NULL);
            assert_int_equal(c->decimals, 0);
            assert_non_null(c->formula);
            assert_int_equal(c->formula->fn, TS_FORMULA_COUNTIF);
            assert_string_equal(c->formula->sheet, "Kehitys");
            assert_int_equal(c->formula->col, 3 + 2 * k);
            assert_int_equal(c->formula->first_row, 1);
            assert_int_equal(c->formula->last_row, trend->n_rows - 1);
            assert_string_equal(c->formula->criterion, words[i]);
            /* What the formula counts is what is stored. */
            size_t n = 0;
            for (size_t r = c->formula->first_row; r <= c->formula->last_row; r++) {
                const ts_cell *tc = ts_sheet_cell(trend, r, c->formula->col);
                n += tc->kind == TS_CELL_TEXT && strcmp(tc->text, words[i]) == 0;
            }
            assert_int_equal(n, (size_t)want[i][k]);
        }
    }
    assert_text(s, 6, 0, "Yhteensä");
    for (size_t k = 0; k < 2; k++) {
        const ts_cell *c = ts_sheet_cell(s, 6, 1 + k);
        assert_number(s, 6, 1 + k, 4, NULL);
        assert_int_equal(c->formula->fn, TS_FORMULA_SUM);
        assert_null(c->formula->sheet);
        assert_int_equal(c->formula->col, 1 + k);
        assert_int_equal(c->formula->first_row, 1);
        assert_int_equal(c->formula->last_row, 5);
    }

    const ts_chart *ch = s->chart;
    assert_non_null(ch);
    assert_string_equal(ch->title, "Mittareiden tilanne ennusteittain 2020");
    assert_string_equal(ch->value_title, "Mittareita");
    assert_int_equal(ch->head_row, 0);
    assert_int_equal(ch->name_col, 0);
    assert_int_equal(ch->first_col, 1);
    assert_int_equal(ch->last_col, 2);
    assert_string_equal(ch->categories[0], "Ennuste 1/2020");
    assert_string_equal(ch->categories[1], "Ennuste 2/2020");
    assert_int_equal(ch->n_series, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(ch->series[i].row, 1 + i);
        assert_string_equal(ch->series[i].name, words[i]);
        assert_int_equal(ch->series[i].status, ts_status_picture_order[i]);
        for (size_t k = 0; k < 2; k++)
            assert_true(ch->series[i].values[k] == want[i][k]);
    }
    assert_true(ch->axis_max == 4 && ch->axis_step == 1);
    /* Below the rows, one empty row between. */
    assert_int_equal(ch->anchor_row, s->n_rows + 1);
    assert_int_equal(ch->anchor_col, 0);
    assert_true(ch->width > 0 && ch->height > 0);
    assert_string_equal(ch->description,
                        "Mittareiden tilanne ennusteittain 2020. Ennuste 1/2020: Toteutunut 0, "
                        "Toteutuu 2, Epävarma 0, Ei toteudu 0, Ei raportoitu 2. Ennuste 2/2020: "
                        "Toteutunut 1, Toteutuu 0, Epävarma 1, Ei toteudu 1, Ei raportoitu 1.");
}

/* A round 1: one round's columns, no change anywhere. */
static void test_round_one(void **state)
{
    wb_fixture *f = *state;
    f->round->number = 1;
    for (size_t i = 0; i < 4; i++)
        f->m[i]->by_round[2] = NULL;
    const ts_table *t = build(f);
    const ts_sheet *trend = &t->sheets[1], *s = &t->sheets[2];
    assert_int_equal(trend->n_cols, 7);
    assert_text(trend, 0, 3, "Ennuste 1/2020");
    assert_text(trend, 0, 5, "Tavoitetaso");
    for (size_t r = 1; r < trend->n_rows; r++)
        assert_text(trend, r, 6, NULL);
    assert_int_equal(s->n_cols, 2);
    assert_int_equal(s->chart->last_col, 1);
    assert_true(s->chart->series[1].values[0] == 2); /* on track: m0, m1 */
}

/* A Kehitys row that continues (its goal's statement taller than a page): the formulas count
 * down to the sheet's last row, where the status cells stand merged once. */
static void test_formulas_follow_continued_rows(void **state)
{
    wb_fixture *f = *state;
    f->goals[0].statement = wb_inline(f->a, words_text(f->a, 12000, "K"), 0, 20);
    const ts_table *t = build(f);
    assert_rows_fit(t);
    const ts_sheet *trend = &t->sheets[1], *s = &t->sheets[2];
    assert_true(trend->n_rows > 5 + 2);
    const ts_cell *c = ts_sheet_cell(s, 2, 1);
    assert_int_equal(c->formula->last_row, trend->n_rows - 1);
    size_t n = 0;
    for (size_t r = c->formula->first_row; r <= c->formula->last_row; r++) {
        const ts_cell *tc = ts_sheet_cell(trend, r, c->formula->col);
        n += tc->kind == TS_CELL_TEXT && strcmp(tc->text, "Toteutuu") == 0;
    }
    assert_int_equal(n, 2);
    assert_true(c->number == 2);
}

/* A value axis of at most ten lines, at 1, 2 or 5 times a power of ten. */
static void test_axis_steps(void **state)
{
    wb_fixture *f = *state;
    static const size_t measures[] = {1, 10, 11, 27, 120};
    static const double step[] = {1, 1, 2, 5, 20}, max[] = {1, 10, 12, 30, 120};
    for (size_t i = 0; i < sizeof measures / sizeof measures[0]; i++) {
        ts_measure *ms = ts_arena_calloc(f->a, measures[i], sizeof *ms);
        for (size_t k = 0; k < measures[i]; k++)
            ms[k] = *f->m[3];
        f->round->goals = &f->goals[2];
        f->round->n_goals = 1;
        f->goals[2].measures = ms;
        f->goals[2].n_measures = measures[i];
        f->round->n_measures = measures[i];
        f->round->summary = NULL;
        const ts_chart *c = build(f)->sheets[2].chart;
        if (c->axis_step != step[i] || c->axis_max != max[i])
            fail_msg("%zu measures: step %g to %g, want %g to %g", measures[i], c->axis_step,
                     c->axis_max, step[i], max[i]);
    }
}

/* A status word that COUNTIF would read as a pattern or a comparison is escaped in the
 * criterion, so that it counts only itself. */
static void test_criterion_escapes(void **state)
{
    wb_fixture *f = *state;
    char dir[] = "/tmp/ts-labels-XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t len;
    char *fi = slurp(TEST_SOURCE_DIR "/layouts/labels/fi.xml", &len);
    const char *old = ">Epävarma<";
    char *at = memmem(fi, len, old, strlen(old));
    assert_non_null(at);
    char *path = ts_arena_printf(f->a, "%s/fi.xml", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fwrite(fi, 1, (size_t)(at - fi), fp);
    fputs(">&lt;50 % *?~<", fp);
    fwrite(at + strlen(old), 1, len - (size_t)(at - fi) - strlen(old), fp);
    fclose(fp);
    free(fi);
    f->ctx.labels = ts_labels_load(dir, TS_LANG_FI, f->a, &f->diags);
    remove(path);
    rmdir(dir);
    if (f->ctx.labels == NULL)
        ts_diags_print(&f->diags, stdout);
    assert_non_null(f->ctx.labels);
    const ts_sheet *s = &build(f)->sheets[2];
    assert_text(s, 3, 0, "<50 % *?~");
    assert_string_equal(ts_sheet_cell(s, 3, 1)->formula->criterion, "=<50 % ~*~?~~");
    assert_string_equal(ts_sheet_cell(s, 2, 1)->formula->criterion, "Toteutuu");
}

/* A table handed in by the build (ctx->table) is the one written: the same table gives the
 * same file as a writer that builds its own, a table of one sheet a different file. */
static void test_shared_table(void **state)
{
    wb_fixture *f = *state;
    const ts_table *t = NULL;
    assert_int_equal(ts_table_build(&f->ctx, f->a, &f->diags, &t), TS_OK);
    assert_true(t->n_sheets > 1);
    ts_table first_sheet = *t;
    first_sheet.n_sheets = 1;
    const ts_table *given[3] = {NULL, t, &first_sheet};
    ts_rc (*writers[2])(const ts_build_ctx *, const char *, ts_diags *) = {ts_write_xlsx,
                                                                           ts_write_ods};
    for (int wi = 0; wi < 2; wi++) {
        char *bytes[3];
        size_t lens[3];
        for (int k = 0; k < 3; k++) {
            char path[] = "/tmp/ts-wb-shared-XXXXXX";
            int fd = mkstemp(path);
            assert_true(fd >= 0);
            close(fd);
            ts_build_ctx ctx = f->ctx;
            ctx.table = given[k];
            ts_diags d;
            assert_true(ts_diags_init(&d, NULL));
            assert_int_equal(writers[wi](&ctx, path, &d), TS_OK);
            ts_diags_free(&d);
            bytes[k] = slurp(path, &lens[k]);
            remove(path);
        }
        assert_int_equal(lens[0], lens[1]);
        assert_memory_equal(bytes[0], bytes[1], lens[0]);
        assert_true(lens[2] != lens[0] || memcmp(bytes[2], bytes[0], lens[0]) != 0);
        for (int k = 0; k < 3; k++)
            free(bytes[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sheets_and_heads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_goal_cell_is_rich, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocks_to_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forecast_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_summary_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tasks_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_summary_no_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_row_has_its_height, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merged_goal_fits_its_first_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_forecast_continues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enormous_paragraph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pieces_keep_styles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_task_detail_continues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tall_goal_text_is_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_fit_the_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_words_fit_fi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_words_fit_sv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_words_fit_en, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_limit_counts_the_whole_cell, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trend_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picture_sheet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formulas_follow_continued_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_axis_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_criterion_escapes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
