/* The shared workbook walk: sheets, merges, the block-to-text rules, numbers, the cell limit. */
#define _POSIX_C_SOURCE 200809L
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

#include "table.h"
#include "text.h"
#include "utf8.h"
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
    assert_int_equal(t->n_sheets, 3);
    assert_string_equal(t->sheets[0].name, "Strategiamittarit");
    assert_string_equal(t->sheets[1].name, "Tiivistelmä");
    assert_string_equal(t->sheets[2].name, "Tehtävät");
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
    assert_text(s, 2, 2, "• eka\n  • alakohta\n• toka\n1. yksi\n2. kaksi");
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
    assert_text(s, 1, 2, "Mittari: toimenpiteet on tehty.");
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
    assert_text(s, 1, 4, "Toteutuu");
    assert_text(s, 1, 5, "Epävarma\nToteutuminen on epävarma.");
    const ts_cell *c = ts_sheet_cell(s, 1, 5);
    assert_int_equal(c->n_runs, 3);
    assert_int_equal(c->runs[1].style, TS_RUN_BOLD);
    assert_int_equal(c->fill, TS_FILL_STATUS);
    assert_int_equal(c->fill_index, TS_STATUS_AT_RISK);
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
    const ts_sheet *s = &build(f)->sheets[1];
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
    const ts_sheet *s = &build(f)->sheets[2];
    assert_int_equal(s->n_cols, 8);
    assert_int_equal(s->n_rows, 3);
    assert_true(s->autofilter);
    assert_text(s, 0, 6, "Edistyminen");
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
    assert_text(&t->sheets[1], 1, 2,
                "Parannetaan toimintatapoja (bindande mätare)\nNPS-suositteluindeksi");
}

static void test_no_summary_no_sheet(void **state)
{
    wb_fixture *f = *state;
    f->round->summary = NULL;
    const ts_table *t = build(f);
    assert_int_equal(t->n_sheets, 2);
    assert_string_equal(t->sheets[1].name, "Tehtävät");
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
     * teemoihin", as LibreOffice wraps it). */
    assert_true(s->row_heights[0] >= lines_pt(4) && s->row_heights[0] <= lines_pt(4) + 4);
}

static void test_rows_under_a_tall_merge(void **state)
{
    wb_fixture *f = *state;
    /* Rows of their own cells' heights: the goal cell fits the rows it spans. */
    const ts_table *t = build(f);
    double before[5];
    memcpy(before, t->sheets[0].row_heights, sizeof before);
    /* A goal text of 600 characters over two short measure rows: 40-character column, about
     * 14 lines; the two rows would only grow to their own cells' few lines. */
    char text[601];
    memset(text, 'a', 600);
    for (size_t i = 7; i < 600; i += 8)
        text[i] = ' ';
    text[600] = '\0';
    f->goals[0].description = wb_p(f->a, text, 21);
    t = build(f);
    const ts_sheet *s = &t->sheets[0];
    /* Only the two rows under the goal grow. */
    assert_true(s->row_heights[0] == before[0] && s->row_heights[3] == before[3] &&
                s->row_heights[4] == before[4]);
    assert_true(s->row_heights[1] > before[1] && s->row_heights[2] > before[2]);
    /* Together at least the goal cell's lines (1 + 600 characters at some 5 pt in 206 pt),
     * shared alike rather than all on the last row. */
    double need = lines_pt(1 + ceil(600 * 5.0 / ts_column_text_width(40)));
    assert_true(s->row_heights[1] + s->row_heights[2] >= need);
    assert_true(s->row_heights[1] + s->row_heights[2] < need + 60);
    assert_true(fabs(s->row_heights[1] - s->row_heights[2]) <= 1);
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
    assert_int_equal(ts_utf8_count(ts_sheet_cell(&t->sheets[0], 3, 7)->text,
                                   ts_sheet_cell(&t->sheets[0], 3, 7)->len),
                     32767);
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
        cmocka_unit_test_setup_teardown(test_rows_under_a_tall_merge, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_words_fit_fi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_words_fit_sv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_head_words_fit_en, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shared_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_limit_counts_the_whole_cell, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
