/* The text engine: measuring, breaking, hyphenating, lists, spacing and frame filling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linebreak.h>

#include "font/fontcheck.h"
#include "text/text.h"

#define FONT(name) TEST_SOURCE_DIR "/fonts/" name
#define EPS        1e-9
/* The hyphen a line break adds, drawn as the font's soft hyphen so that a reader joins the word
 * (ISO 32000-1, 14.8.2.2.3). */
#define SHY "\xC2\xAD"

typedef struct fixture {
    ts_font_metrics *fm[6];
    ts_fonts fonts;
    ts_diags diags;
    ts_arena *arena;
    ts_text_engine *fi, *sv, *en;
    ts_text_style style;
} fixture;

static const char *const files[6] = {
    "LiberationSans-Regular.ttf",    "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf", "DejaVuSans.ttf",          "DejaVuSans-Bold.ttf",
};

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    assert_true(ts_diags_init(&fx->diags, NULL));
    for (int i = 0; i < 6; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/fonts/%s", TEST_SOURCE_DIR, files[i]);
        fx->fm[i] = ts_fm_load(path, &fx->diags);
        assert_non_null(fx->fm[i]);
    }
    for (int f = 0; f < TS_FACE_COUNT; f++) {
        fx->fonts.face[f] = fx->fm[f];
        /* DejaVu has no italics here: the slots repeat the upright faces. */
        fx->fonts.fallback[f] = fx->fm[(f == TS_FACE_BOLD || f == TS_FACE_BOLD_ITALIC) ? 5 : 4];
    }
    fx->arena = ts_arena_new(NULL);
    fx->fi =
        ts_text_engine_new(&fx->fonts, TS_LANG_FI, "/usr/share/hyphen", "round.xml", &fx->diags);
    fx->sv =
        ts_text_engine_new(&fx->fonts, TS_LANG_SV, "/usr/share/hyphen", "round.xml", &fx->diags);
    fx->en =
        ts_text_engine_new(&fx->fonts, TS_LANG_EN, "/usr/share/hyphen", "round.xml", &fx->diags);
    assert_non_null(fx->fi);
    assert_non_null(fx->sv);
    assert_non_null(fx->en);
    fx->style = (ts_text_style){.name = "body",
                                .size = 18,
                                .leading = 22,
                                .space_before = 6,
                                .space_after = 10,
                                .item_space = 4,
                                .indent = 20};
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ts_text_engine_free(fx->fi);
    ts_text_engine_free(fx->sv);
    ts_text_engine_free(fx->en);
    ts_arena_free(fx->arena);
    for (int i = 0; i < 6; i++)
        ts_fm_free(fx->fm[i]);
    ts_diags_free(&fx->diags);
    free(fx);
    return 0;
}

/* The text of a line as the segments draw it. */
static const char *line_text(const ts_line *l)
{
    static char buf[4096];
    size_t n = 0;
    for (size_t i = 0; i < l->n_segs; i++) {
        assert_true(n + l->segs[i].len < sizeof buf);
        memcpy(buf + n, l->segs[i].text, l->segs[i].len);
        n += l->segs[i].len;
    }
    buf[n] = '\0';
    return buf;
}

static void check_lines(const ts_flow *f, const char *const *expect, size_t n)
{
    assert_non_null(f);
    for (size_t i = 0; i < f->n_lines && i < n; i++)
        assert_string_equal(line_text(&f->lines[i]), expect[i]);
    assert_int_equal(f->n_lines, n);
}

static ts_run run_of(const char *text, unsigned style, const char *href, ts_pos pos)
{
    return (ts_run){.text = text, .len = strlen(text), .style = style, .href = href, .pos = pos};
}

/* ---- Measuring ------------------------------------------------------------------------- */

static void test_measure(void **state)
{
    fixture *fx = *state;
    /* Helsinki: 722+556+222+500+222+556+500+222 = 3500 / 1000 em, at 18 pt = 63 pt. */
    assert_true(ts_measure_plain(fx->fi, "Helsinki", &fx->style) == 63.0);
    const ts_flow *f = ts_layout_plain(fx->fi, fx->arena, "Helsinki", &fx->style, 500);
    assert_non_null(f);
    assert_int_equal(f->n_lines, 1);
    assert_int_equal(f->lines[0].n_segs, 1);
    assert_true(f->lines[0].width == 63.0);
    assert_true(f->lines[0].segs[0].width == 63.0);
    assert_true(f->lines[0].segs[0].size == 18.0);
    assert_int_equal(f->lines[0].segs[0].face, TS_FACE_REGULAR);
    /* Trailing spaces are not measured; the widest of two lines is what counts. */
    assert_true(ts_measure_plain(fx->fi, "Helsinki   ", &fx->style) == 63.0);
    assert_true(ts_measure_plain(fx->fi, "ab\nHelsinki\nc", &fx->style) == 63.0);
    assert_true(ts_measure_plain(fx->fi, "", &fx->style) == 0.0);
    /* The style's bold measures with the bold face: "i" is 455 units regular, 569 bold. */
    ts_text_style bold = fx->style;
    bold.bold = true;
    assert_true(ts_measure_plain(fx->fi, "i", &bold) == 277 * 18 / 1000.0);
}

static void test_pick(void **state)
{
    fixture *fx = *state;
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_REGULAR, 0xE4), TS_PICK_MAIN);
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_BOLD, 0xE4), TS_PICK_MAIN);
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_REGULAR, 0xFFFD), TS_PICK_FALLBACK);
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_REGULAR, 0x2200), TS_PICK_FALLBACK);
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_REGULAR, 0x25E6), TS_PICK_MAIN);
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_REGULAR, 0x2A00), TS_PICK_FALLBACK);
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_REGULAR, 0x6F22), TS_PICK_MISSING);
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_ITALIC, 0x6F22), TS_PICK_MISSING);
}

static void test_missing_glyph(void **state)
{
    fixture *fx = *state;
    size_t before = fx->diags.warnings;
    ts_run runs[2] = {run_of("Kanji ", 0, NULL, (ts_pos){3, 7}),
                      run_of("\xE6\xBC\xA2\xE6\xBC\xA2 ok", 0, NULL, (ts_pos){3, 20})};
    ts_inline in = {.runs = runs, .n_runs = 2, .pos = {3, 5}};
    for (int twice = 0; twice < 2; twice++) {
        const ts_flow *f = ts_layout_inline(fx->fi, fx->arena, &in, &fx->style, 500);
        assert_non_null(f);
        assert_int_equal(f->n_lines, 1);
        const ts_line *l = &f->lines[0];
        assert_string_equal(line_text(l), "Kanji \xEF\xBF\xBD\xEF\xBF\xBD ok");
        assert_int_equal(l->n_segs, 3);
        assert_null(l->segs[0].actual);
        assert_false(l->segs[0].fallback);
        /* The replacement comes from DejaVu (Liberation has no U+FFFD), 1025/1000 em each. */
        assert_true(l->segs[1].fallback);
        assert_int_equal(l->segs[1].len, 6);
        assert_non_null(l->segs[1].actual);
        assert_int_equal(l->segs[1].actual_len, 6);
        assert_memory_equal(l->segs[1].actual, "\xE6\xBC\xA2\xE6\xBC\xA2", 6);
        assert_true(l->segs[1].width == 2 * 1025 * 18 / 1000.0);
        assert_int_equal(l->segs[1].pos.line, 3);
        assert_int_equal(l->segs[1].pos.col, 20);
        assert_false(l->segs[2].fallback);
        assert_null(l->segs[2].actual);
        assert_true(l->segs[2].x == l->segs[1].x + l->segs[1].width);
    }
    /* One warning: one code point at one position, however often it is laid out. */
    assert_int_equal(fx->diags.warnings, before + 1);
    const ts_diag *d = &((const ts_diag *)fx->diags.list.items)[fx->diags.list.len - 1];
    assert_int_equal(d->severity, TS_WARNING);
    assert_string_equal(d->file, "round.xml");
    assert_int_equal(d->pos.line, 3);
    assert_int_equal(d->pos.col, 20);
    assert_string_equal(d->message, "no font has the character U+6F22 '\xE6\xBC\xA2'");
}

static void test_invalid_utf8(void **state)
{
    fixture *fx = *state;
    const char *bad[] = {
        "abc\xFF"
        "def",
        "\xC3(",
        "\xE2\x82",
        "\xED\xA0\x80 surrogate",
        "\xC0\xAF overlong",
        "\xF4\x90\x80\x80 big",
        "\xF0\x9F\x98",
        "x\x80\x80\x80y",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const ts_flow *f = ts_layout_plain(fx->en, fx->arena, bad[i], &fx->style, 40);
        assert_non_null(f);
        assert_true(f->n_lines >= 1);
        bool replaced = false;
        for (size_t l = 0; l < f->n_lines; l++)
            if (strstr(line_text(&f->lines[l]), "\xEF\xBF\xBD"))
                replaced = true;
        assert_true(replaced);
    }
    const ts_flow *f = ts_layout_plain(fx->en, fx->arena,
                                       "abc\xFF"
                                       "def",
                                       &fx->style, 500);
    assert_string_equal(line_text(&f->lines[0]), "abc\xEF\xBF\xBD"
                                                 "def");
    assert_int_equal(f->lines[0].n_segs, 3);
    assert_true(f->lines[0].segs[1].fallback);
    /* Not a missing glyph: U+FFFD is drawn by the fallback font without /ActualText. */
    assert_null(f->lines[0].segs[1].actual);
}

/* ---- Styles ---------------------------------------------------------------------------- */

static void test_faces_and_links(void **state)
{
    fixture *fx = *state;
    ts_run runs[4] = {
        run_of("plain ", 0, NULL, (ts_pos){1, 1}),
        run_of("bold ", TS_RUN_BOLD, NULL, (ts_pos){1, 7}),
        run_of("link", TS_RUN_BOLD, "https://www.hel.fi/", (ts_pos){1, 12}),
        run_of(" italic", TS_RUN_ITALIC, NULL, (ts_pos){1, 30}),
    };
    ts_inline in = {.runs = runs, .n_runs = 4};
    const ts_flow *f = ts_layout_inline(fx->fi, fx->arena, &in, &fx->style, 800);
    assert_int_equal(f->n_lines, 1);
    const ts_line *l = &f->lines[0];
    assert_int_equal(l->n_segs, 4);
    assert_int_equal(l->segs[0].face, TS_FACE_REGULAR);
    assert_int_equal(l->segs[1].face, TS_FACE_BOLD);
    assert_int_equal(l->segs[2].face, TS_FACE_BOLD);
    assert_string_equal(l->segs[2].href, "https://www.hel.fi/");
    assert_null(l->segs[1].href);
    assert_int_equal(l->segs[3].face, TS_FACE_ITALIC);
    assert_int_equal(l->segs[2].pos.col, 12);
    double x = 0;
    for (size_t i = 0; i < l->n_segs; i++) {
        assert_true(l->segs[i].x == x || l->segs[i].x - x < 1e-9);
        x += l->segs[i].width;
    }
    assert_true(l->width - x < 1e-9 && x - l->width < 1e-9);

    /* The style's italic combines with the runs' bold. */
    ts_text_style it = fx->style;
    it.italic = true;
    f = ts_layout_inline(fx->fi, fx->arena, &in, &it, 800);
    assert_int_equal(f->lines[0].segs[0].face, TS_FACE_ITALIC);
    assert_int_equal(f->lines[0].segs[1].face, TS_FACE_BOLD_ITALIC);
    assert_int_equal(f->lines[0].n_segs, 4);
    assert_int_equal(f->lines[0].segs[3].face, TS_FACE_ITALIC);
    /* Bold style: the plain and bold runs become one segment; the link is still apart. */
    ts_text_style bo = fx->style;
    bo.bold = true;
    f = ts_layout_inline(fx->fi, fx->arena, &in, &bo, 800);
    assert_int_equal(f->lines[0].n_segs, 3);
    assert_string_equal(line_text(&f->lines[0]), "plain bold link italic");
    assert_int_equal(f->lines[0].segs[0].len, strlen("plain bold "));
    assert_int_equal(f->lines[0].segs[2].face, TS_FACE_BOLD_ITALIC);
}

/* A run read as something other than what it draws (the overview's ▲ read "parani"): a
 * segment of its own even in its neighbours' face, the reading on it alone; read once when it
 * breaks over lines; its reading in place of a missing glyph's original. */
static void test_read_as(void **state)
{
    fixture *fx = *state;
    ts_run runs[3] = {run_of("Toteutuu\xC2\xA0", 0, NULL, (ts_pos){2, 1}),
                      run_of("\xE2\x96\xB2", 0, NULL, (ts_pos){2, 1}),
                      run_of(" loppu", 0, NULL, (ts_pos){2, 1})};
    ts_inline in = {.runs = runs, .n_runs = 3};
    const char *read_as[3] = {NULL, "parani", NULL};
    const ts_flow *f = ts_layout_inline_read(fx->fi, fx->arena, &in, read_as, &fx->style, 800);
    assert_non_null(f);
    assert_int_equal(f->n_lines, 1);
    const ts_line *l = &f->lines[0];
    assert_string_equal(line_text(l), "Toteutuu\xC2\xA0\xE2\x96\xB2 loppu");
    assert_int_equal(l->n_segs, 3);
    assert_null(l->segs[0].actual);
    assert_int_equal(l->segs[1].len, 3);
    assert_string_equal(l->segs[1].actual, "parani");
    assert_int_equal(l->segs[1].actual_len, 6);
    assert_null(l->segs[2].actual);
    assert_true(l->segs[2].x == l->segs[1].x + l->segs[1].width);
    /* Without readings (NULL, or none set) the line is the one ts_layout_inline makes: one
     * segment, no reading. */
    const char *none[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 3; k++) {
        const ts_flow *g =
            k == 0   ? ts_layout_inline(fx->fi, fx->arena, &in, &fx->style, 800)
            : k == 1 ? ts_layout_inline_read(fx->fi, fx->arena, &in, NULL, &fx->style, 800)
                     : ts_layout_inline_read(fx->fi, fx->arena, &in, none, &fx->style, 800);
        assert_int_equal(g->n_lines, 1);
        assert_int_equal(g->lines[0].n_segs, 1);
        assert_null(g->lines[0].segs[0].actual);
    }
    /* Two read runs side by side stay two segments, each with its own reading. */
    ts_run two[2] = {run_of("\xE2\x96\xB2", 0, NULL, (ts_pos){2, 1}),
                     run_of("\xE2\x96\xBC", 0, NULL, (ts_pos){2, 1})};
    ts_inline in2 = {.runs = two, .n_runs = 2};
    const char *both[2] = {"parani", "heikkeni"};
    f = ts_layout_inline_read(fx->fi, fx->arena, &in2, both, &fx->style, 800);
    assert_int_equal(f->lines[0].n_segs, 2);
    assert_string_equal(f->lines[0].segs[0].actual, "parani");
    assert_string_equal(f->lines[0].segs[1].actual, "heikkeni");
    /* A read run broken over lines: its first part carries the reading, the next reads as
     * nothing, so that a reader hears it once. */
    ts_run long_run[2] = {run_of("Alku ", 0, NULL, (ts_pos){2, 1}),
                          run_of("yksi kaksi kolme", 0, NULL, (ts_pos){2, 1})};
    ts_inline in3 = {.runs = long_run, .n_runs = 2};
    const char *once[2] = {NULL, "luku"};
    double w = ts_measure_plain(fx->fi, "Alku yksi kaksi", &fx->style);
    f = ts_layout_inline_read(fx->fi, fx->arena, &in3, once, &fx->style, w);
    const char *lines[] = {"Alku yksi kaksi ", "kolme"};
    check_lines(f, lines, 2);
    assert_int_equal(f->lines[0].n_segs, 2);
    assert_null(f->lines[0].segs[0].actual);
    assert_string_equal(f->lines[0].segs[1].actual, "luku ");
    assert_int_equal(f->lines[1].n_segs, 1);
    assert_string_equal(f->lines[1].segs[0].actual, "");
    assert_int_equal(f->lines[1].segs[0].actual_len, 0);
    /* A glyph no font has, in a read run: the reading, not the original character. */
    ts_run odd[1] = {run_of("\xE6\xBC\xA2", 0, NULL, (ts_pos){2, 1})};
    ts_inline in4 = {.runs = odd, .n_runs = 1};
    const char *word[1] = {"kanji"};
    f = ts_layout_inline_read(fx->fi, fx->arena, &in4, word, &fx->style, 800);
    assert_int_equal(f->lines[0].n_segs, 1);
    assert_string_equal(line_text(&f->lines[0]), "\xEF\xBF\xBD");
    assert_string_equal(f->lines[0].segs[0].actual, "kanji");
    assert_int_equal(f->lines[0].segs[0].actual_len, 5);
}

static void test_upper(void **state)
{
    fixture *fx = *state;
    ts_text_style up = fx->style;
    up.upper = true;
    const ts_flow *f = ts_layout_plain(fx->fi, fx->arena,
                                       "tekem\xC3\xA4tt\xC3\xA4 \xC3\xA5\xC3\xB6\xC3\xA9 "
                                       "\xC5\xA1\xC5\xBE \xC3\xBF\xC3\x9F 1a",
                                       &up, 800);
    assert_string_equal(line_text(&f->lines[0]), "TEKEM\xC3\x84TT\xC3\x84 \xC3\x85\xC3\x96\xC3\x89 "
                                                 "\xC5\xA0\xC5\xBD \xC5\xB8\xC3\x9F 1A");
    assert_true(ts_measure_plain(fx->fi, "helsinki", &up) ==
                ts_measure_plain(fx->fi, "HELSINKI", &fx->style));
}

/* ---- Line breaking --------------------------------------------------------------------- */

/* The first line of text in a column just wide enough for `fits` (and not for the next
 * character), and how the second line starts. */
static void check_break(ts_text_engine *e, ts_arena *a, const ts_text_style *st, const char *text,
                        const char *fits, const char *first, const char *second)
{
    double w = ts_measure_plain(e, fits, st) + 0.1;
    const ts_flow *f = ts_layout_plain(e, a, text, st, w);
    assert_non_null(f);
    assert_true(f->n_lines >= 2);
    assert_string_equal(line_text(&f->lines[0]), first);
    const char *next = line_text(&f->lines[1]);
    if (strncmp(next, second, strlen(second)) != 0)
        fail_msg("the second line '%s' does not start with '%s'", next, second);
}

static void test_breaks_at_spaces(void **state)
{
    fixture *fx = *state;
    const char *text = "Helsingin kaupunki on Suomen p\xC3\xA4\xC3\xA4kaupunki ja suurin kunta";
    double w = ts_measure_plain(fx->fi, "Helsingin kaupunki", &fx->style);
    const ts_flow *f = ts_layout_plain(fx->fi, fx->arena, text, &fx->style, w);
    const char *expect[] = {"Helsingin kaupunki ", "on Suomen ", "p\xC3\xA4\xC3\xA4kaupunki ja ",
                            "suurin kunta"};
    check_lines(f, expect, 4);
    /* The break space is in the text but not in the width. */
    assert_true(f->lines[0].width == w);
    for (size_t i = 0; i < f->n_lines; i++) {
        assert_true(f->lines[i].width <= w + EPS);
        assert_true(f->lines[i].top == i * 22.0);
        assert_int_equal(f->lines[i].first_of_node, i == 0);
        assert_int_equal(f->lines[i].last_of_node, i == 3);
        assert_ptr_equal(f->lines[i].node, &f->nodes[0]);
    }
    assert_int_equal(f->n_nodes, 1);
    assert_int_equal(f->nodes[0].kind, TS_NODE_P);
    assert_true(f->height == 4 * 22.0);
    /* Baseline: Liberation's 905 + 211 box centred in 22 pt of leading at 18 pt. */
    double content = (905 + 211) * 18 / 1000.0;
    assert_true(f->lines[1].baseline - (22 + (22 - content) / 2 + 905 * 18 / 1000.0) < 1e-9);
    /* Just one pt narrower: "kaupunki" no longer fits after "Helsingin". */
    f = ts_layout_plain(fx->fi, fx->arena, text, &fx->style, w - 1);
    assert_string_equal(line_text(&f->lines[0]), "Helsingin ");
}

static void test_no_runt(void **state)
{
    fixture *fx = *state;
    double w = ts_measure_plain(fx->fi, "Helsingin kaupunki on", &fx->style);
    const ts_flow *f =
        ts_layout_plain(fx->fi, fx->arena, "Helsingin kaupunki on ja", &fx->style, w);
    /* First-fit would leave "ja" alone; "on" moves down to keep it company. */
    const char *expect[] = {"Helsingin kaupunki ", "on ja"};
    check_lines(f, expect, 2);
    /* Not when the line above would be left less than half full. */
    w = ts_measure_plain(fx->fi, "Helsinginkaupunki on", &fx->style);
    f = ts_layout_plain(fx->fi, fx->arena, "a Helsinginkaupunki ja", &fx->style, w);
    const char *keep[] = {"a Helsinginkaupunki ", "ja"};
    check_lines(f, keep, 2);
    /* Nor across a mandatory break. */
    f = ts_layout_plain(fx->fi, fx->arena, "Helsingin kaupunki\nja", &fx->style, 500);
    const char *hard[] = {"Helsingin kaupunki ", "ja"};
    check_lines(f, hard, 2);
}

static void test_breaks_after_hyphen(void **state)
{
    fixture *fx = *state;
    double w = ts_measure_plain(fx->en, "A well-", &fx->style);
    const ts_flow *f = ts_layout_plain(fx->en, fx->arena, "A well-known fact", &fx->style, w);
    const char *expect[] = {"A well-", "known ", "fact"};
    check_lines(f, expect, 3);
    /* Finnish compounds with their own hyphen break after it without adding one. */
    w = ts_measure_plain(fx->fi, "linja-", &fx->style);
    f = ts_layout_plain(fx->fi, fx->arena, "linja-autoasema", &fx->style, w);
    assert_string_equal(line_text(&f->lines[0]), "linja-");
    assert_true(f->n_lines >= 2);
    assert_int_equal(strncmp(line_text(&f->lines[1]), "auto", 4), 0);
    /* Never after a hyphen that starts a word (a part left out, "ja -seloste"). */
    check_break(fx->fi, fx->arena, &fx->style, "auditointi ja -seloste tehty", "auditointi ja -s",
                "auditointi ja ", "-seloste ");
    check_break(fx->en, fx->arena, &fx->style, "pre- and -post", "pre- and -p", "pre- and ",
                "-post");
}

static void test_no_break_inside_fitting_word(void **state)
{
    fixture *fx = *state;
    const char *text = "kulttuuri liikunta nuoriso kirjasto museo";
    for (double w = ts_measure_plain(fx->fi, "kulttuuri", &fx->style); w < 400; w += 7) {
        const ts_flow *f = ts_layout_plain(fx->fi, fx->arena, text, &fx->style, w);
        for (size_t i = 0; i < f->n_lines; i++) {
            const char *t = line_text(&f->lines[i]);
            assert_null(strchr(t, '-'));
            /* Every line ends at a word end. */
            size_t n = strlen(t);
            assert_true(i + 1 == f->n_lines ? t[n - 1] != ' ' : t[n - 1] == ' ');
            assert_true(f->lines[i].width <= w + EPS);
        }
    }
}

static void test_mandatory_breaks(void **state)
{
    fixture *fx = *state;
    const ts_flow *f =
        ts_layout_plain(fx->en, fx->arena, "one\ntwo\xE2\x80\xA8three", &fx->style, 800);
    const char *expect[] = {"one ", "two ", "three"};
    check_lines(f, expect, 3);
    assert_true(f->lines[0].width == ts_measure_plain(fx->en, "one", &fx->style));
}

/* A number's groups and its unit stay together: the fast path (letters, digits, spaces, full
 * stops and commas only) and libunibreak's path alike. */
static void test_numbers_keep_together(void **state)
{
    fixture *fx = *state;
    ts_arena *a = fx->arena;
    const ts_text_style *st = &fx->style;
    /* Issue 12: "1 130 hakemusta" broke between "1" and "130". */
    check_break(fx->fi, a, st, "Hakemuksia oli 1 130 hakemusta", "Hakemuksia oli 1 13",
                "Hakemuksia oli ", "1 130 ");
    check_break(fx->fi, a, st, "Hakemuksia (1 130) tuli", "Hakemuksia (1 13", "Hakemuksia ",
                "(1 130) ");
    check_break(fx->fi, a, st, "Summa oli 12 000 000 euroa", "Summa oli 12 000 0", "Summa oli ",
                "12 000 000 ");
    /* The unit or symbol after a number. */
    check_break(fx->fi, a, st, "Budjetti on 12 000 \xE2\x82\xAC vuodessa", "Budjetti on 12 000 ",
                "Budjetti on ", "12 000 \xE2\x82\xAC");
    check_break(fx->fi, a, st, "Kasvu oli 9,5 % viime vuodesta", "Kasvu oli 9,5 ", "Kasvu oli ",
                "9,5 %");
    check_break(fx->sv, a, st, "Vi har 20 st kvar", "Vi har 20 s", "Vi har ", "20 st");
    check_break(fx->fi, a, st, "Mittari 20 kpl:n osalta", "Mittari 20 kp", "Mittari ", "20 kpl:n");
    check_break(fx->en, a, st, "Speed 30 km/h here", "Speed 30 km", "Speed ", "30 km/h");
    ts_text_style up = *st;
    up.upper = true;
    check_break(fx->fi, a, &up, "yhteens\xC3\xA4 20 kpl", "YHTEENS\xC3\x84 20 K",
                "YHTEENS\xC3\x84 ", "20 KPL");
    /* A word after a number is no unit ("5 minuuttia"), a year before a count is no group
     * ("2020 130"), nor a code's number ("COVID-19 130"): each may break. */
    check_break(fx->fi, a, st, "Se kesti 5 minuuttia", "Se kesti 5 mi", "Se kesti 5 ", "minuuttia");
    check_break(fx->fi, a, st, "Vuonna 2020 130 hakemusta", "Vuonna 2020 13", "Vuonna 2020 ",
                "130 ");
    check_break(fx->fi, a, st, "Tautia COVID-19 130 kertaa", "Tautia COVID-19 13",
                "Tautia COVID-19 ", "130 ");
    /* Four digits are no group ("1 2020"), nor are two. */
    check_break(fx->fi, a, st, "Kohta 1 2020 alkaen", "Kohta 1 20", "Kohta 1 ", "2020 ");
    /* Where a number and its unit are wider than the column together, they part at the space
     * that bound them before a word is broken. */
    check_break(fx->en, a, st, "120,000\xC2\xA0visitors", "120,000\xC2\xA0vis", "120,000\xC2\xA0",
                "visitors");
    check_break(fx->fi, a, st, "12 000 000 \xE2\x82\xAC", "12 000 00", "12 000 ", "000 ");
}

/* Finnish and Swedish write a minus sign where a hyphen-minus stands for one. */
static void test_minus_sign(void **state)
{
    fixture *fx = *state;
    ts_arena *a = fx->arena;
    const ts_text_style *st = &fx->style;
    static const struct {
        int lang; /* 0 fi, 1 sv, 2 en */
        const char *in, *out;
    } cases[] = {
        {0, "Muutos -9,5 %",
         "Muutos \xE2\x88\x92"
         "9,5 %"},
        {0, "-12 astetta",
         "\xE2\x88\x92"
         "12 astetta"},
        {0, "(-1 130)",
         "(\xE2\x88\x92"
         "1 130)"},
        {0, "arvo \xE2\x80\x9C-3\xE2\x80\x9D",
         "arvo \xE2\x80\x9C\xE2\x88\x92"
         "3\xE2\x80\x9D"},
        {1, "F\xC3\xB6r\xC3\xA4ndring -3,2 procent",
         "F\xC3\xB6r\xC3\xA4ndring \xE2\x88\x92"
         "3,2 procent"},
        /* English keeps what was typed; so do hyphens that are no sign. */
        {2, "Change -9.5 %", "Change -9.5 %"},
        {0, "auditointi ja -seloste", "auditointi ja -seloste"},
        {0, "talvi 2020-2021", "talvi 2020-2021"},
        {0, "vuodet 2020 -2021", "vuodet 2020 -2021"},
        {0, "uusi -3D-malli", "uusi -3D-malli"},
        {0, "COVID-19", "COVID-19"},
        {0, "A-5", "A-5"},
    };
    ts_text_engine *engines[3] = {fx->fi, fx->sv, fx->en};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const ts_flow *f = ts_layout_plain(engines[cases[i].lang], a, cases[i].in, st, 800);
        assert_non_null(f);
        assert_int_equal(f->n_lines, 1);
        assert_string_equal(line_text(&f->lines[0]), cases[i].out);
    }
    /* The sign is measured as what is drawn, and never leaves its number. */
    assert_true(ts_measure_plain(fx->fi, "-5", st) == ts_measure_plain(fx->fi,
                                                                       "\xE2\x88\x92"
                                                                       "5",
                                                                       st));
    check_break(fx->fi, a, st, "Muutos on -9,5 %", "Muutos on \xE2\x88\x92", "Muutos on ",
                "\xE2\x88\x92"
                "9,5 %");
}

/* libunibreak 1.1 aborts on regional indicators (flag emoji) unless the engine works round it. */
static void test_flag_emoji(void **state)
{
    fixture *fx = *state;
    const ts_flow *f = ts_layout_plain(
        fx->fi, fx->arena, "Suomi \xF0\x9F\x87\xAB\xF0\x9F\x87\xAE lippu", &fx->style, 800);
    assert_non_null(f);
    assert_int_equal(f->n_lines, 1);
    /* DejaVu Sans has U+1F600, but libharu cannot draw beyond the BMP: it counts as missing. */
    assert_int_equal(ts_text_pick(fx->fi, TS_FACE_REGULAR, 0x1F600), TS_PICK_MISSING);
}

static void test_soft_hyphen(void **state)
{
    fixture *fx = *state;
    /* "Kulttuuri&shy;palvelut": the soft hyphen shows only where the line breaks at it. */
    const char *text = "Kulttuuri\xC2\xADpalvelut";
    const ts_flow *f = ts_layout_plain(fx->en, fx->arena, text, &fx->style, 800);
    const char *one[] = {"Kulttuuripalvelut"};
    check_lines(f, one, 1);
    double w = ts_measure_plain(fx->en, "Kulttuuri-", &fx->style);
    f = ts_layout_plain(fx->en, fx->arena, text, &fx->style, w);
    const char *two[] = {"Kulttuuri" SHY, "palvelut"};
    check_lines(f, two, 2);
    assert_true(f->lines[0].width == w);
}

/* A font whose soft hyphen is not drawn like its hyphen (here: wider) gets "-" drawn at a
 * break, with U+00AD for a reader as its /ActualText. */
static void test_break_hyphen_without_soft_hyphen(void **state)
{
    fixture *fx = *state;
    char why[256];
    ts_font_file *f = ts_font_file_read(FONT("LiberationSans-Regular.ttf"), why, sizeof why, NULL);
    assert_non_null(f);
    unsigned shy = ts_fm_glyph(fx->fm[0], 0xAD), hy = ts_fm_glyph(fx->fm[0], '-');
    assert_true(shy != 0 && shy != hy && shy < f->num_hmetrics);
    uint8_t *adv = f->data + f->hmtx.offset + 4 * (size_t)shy;
    unsigned wide = ((unsigned)adv[0] << 8 | adv[1]) + 300;
    adv[0] = (uint8_t)(wide >> 8);
    adv[1] = (uint8_t)wide;
    ts_font_metrics *odd = ts_fm_new(f);
    ts_font_file_free(f);
    assert_non_null(odd);
    ts_fonts fonts = fx->fonts;
    for (int i = 0; i < TS_FACE_COUNT; i++)
        fonts.face[i] = odd;
    ts_text_engine *e = ts_text_engine_new(&fonts, TS_LANG_EN, NULL, "round.xml", &fx->diags);
    assert_non_null(e);
    double w = ts_measure_plain(e, "Kulttuuri-", &fx->style);
    const ts_flow *fl = ts_layout_plain(e, fx->arena, "Kulttuuri\xC2\xADpalvelut", &fx->style, w);
    const char *two[] = {"Kulttuuri-", "palvelut"};
    check_lines(fl, two, 2);
    const ts_line *l = &fl->lines[0];
    const ts_seg *last = &l->segs[l->n_segs - 1];
    assert_int_equal(last->len, 1);
    assert_non_null(last->actual);
    assert_int_equal(last->actual_len, 2);
    assert_memory_equal(last->actual, SHY, 2);
    assert_true(l->width == w);
    /* The font's own soft hyphen, where it matches, carries no /ActualText. */
    fl = ts_layout_plain(fx->en, fx->arena, "Kulttuuri\xC2\xADpalvelut", &fx->style, w);
    l = &fl->lines[0];
    assert_null(l->segs[l->n_segs - 1].actual);
    ts_text_engine_free(e);
    ts_fm_free(odd);
}

/* ---- Hyphenation ----------------------------------------------------------------------- */

/* The word laid out in a column just wide enough for `column` (the first line and its hyphen
 * unless told otherwise): its first two lines.  first ends in the "-" the break adds, which is
 * drawn as the font's soft hyphen. */
static void check_split(ts_text_engine *e, ts_arena *a, const ts_text_style *st, const char *word,
                        const char *column, const char *first, const char *rest)
{
    double w = ts_measure_plain(e, column, st) + 0.5;
    assert_true(ts_measure_plain(e, word, st) > w);
    const ts_flow *f = ts_layout_plain(e, a, word, st, w);
    assert_non_null(f);
    assert_true(f->n_lines >= 2);
    char drawn[128];
    size_t n = strlen(first);
    assert_true(n > 0 && first[n - 1] == '-' && n + 2 < sizeof drawn);
    snprintf(drawn, sizeof drawn, "%.*s" SHY, (int)(n - 1), first);
    assert_string_equal(line_text(&f->lines[0]), drawn);
    assert_string_equal(line_text(&f->lines[1]), rest);
    for (size_t i = 0; i < f->n_lines; i++)
        assert_true(f->lines[i].width <= w + EPS);
}

static void check_hyphenated(ts_text_engine *e, ts_arena *a, const ts_text_style *st,
                             const char *word, const char *first, const char *rest)
{
    check_split(e, a, st, word, first, first, rest);
}

static void test_hyphenate_finnish(void **state)
{
    fixture *fx = *state;
    /* voikko: yh-teis=suun-nit-te-lun, to-teu-tu-mis=en-nus-te, kau-pun-ki=stra-te-gian ("="
     * a compound's seam) */
    check_hyphenated(fx->fi, fx->arena, &fx->style, "toteutumisennuste", "toteutumis-", "ennuste");
    check_hyphenated(fx->fi, fx->arena, &fx->style, "kaupunkistrategia", "kaupunki-", "strategia");
    /* A compound breaks at its seam, though a later syllable would also fit... */
    check_split(fx->fi, fx->arena, &fx->style, "kaupunkistrategian", "kaupunkistra-", "kaupunki-",
                "strategian");
    check_split(fx->fi, fx->arena, &fx->style, "yhteissuunnittelun", "suunnittelun", "yhteis-",
                "suunnittelun");
    /* ...unless the seam would leave the line less than half full. */
    check_hyphenated(fx->fi, fx->arena, &fx->style, "yhteissuunnittelun", "yhteissuunnitte-",
                     "lun");
    /* Punctuation around the word stays with it. */
    check_split(fx->fi, fx->arena, &fx->style, "(kaupunkistrategian).", "(kaupunkistra-",
                "(kaupunki-", "strategian).");
    /* A word split over three lines uses the points of the whole word. */
    double w = ts_measure_plain(fx->fi, "suunnit-", &fx->style) + 0.5;
    const ts_flow *f = ts_layout_plain(fx->fi, fx->arena, "yhteissuunnittelun", &fx->style, w);
    const char *expect[] = {"yhteis" SHY, "suunnit" SHY, "telun"};
    check_lines(f, expect, 3);
    /* Upper case is hyphenated as well. */
    ts_text_style up = fx->style;
    up.upper = true;
    check_hyphenated(fx->fi, fx->arena, &up, "toteutumisennuste", "TOTEUTUMIS-", "ENNUSTE");
    check_split(fx->fi, fx->arena, &up, "kaupunkistrategian", "KAUPUNKISTRA-", "KAUPUNKI-",
                "STRATEGIAN");
}

static void test_hyphenate_swedish(void **state)
{
    fixture *fx = *state;
    /* hyph_sv_SE: ut-veck-lings-pro-gram-met; the seam after "-lings" is preferred */
    check_split(fx->sv, fx->arena, &fx->style, "utvecklingsprogrammet", "utvecklingsprogram-",
                "utvecklings-", "programmet");
    check_hyphenated(fx->sv, fx->arena, &fx->style, "utvecklingsprogram", "utvecklings-",
                     "program");
    check_hyphenated(fx->sv, fx->arena, &fx->style, "h\xC3\xA5llbarhetsarbete",
                     "h\xC3\xA5llbarhets-", "arbete");
    /* The table head of issue 12: "Återhämtnings-mätare", never "Återhämt-ningsmä-tare". */
    check_split(fx->sv, fx->arena, &fx->style, "\xC3\x85terh\xC3\xA4mtningsm\xC3\xA4tare",
                "\xC3\x85terh\xC3\xA4mtningsm\xC3\xA4ta-", "\xC3\x85terh\xC3\xA4mtnings-",
                "m\xC3\xA4tare");
    /* A word that is no compound breaks at its syllables. */
    check_hyphenated(fx->sv, fx->arena, &fx->style, "kommentarer", "kommenta-", "rer");
}

static void test_english_last_resort(void **state)
{
    fixture *fx = *state;
    const char *word = "internationalization";
    double w = ts_measure_plain(fx->en, "internation", &fx->style) + 0.5;
    const ts_flow *f = ts_layout_plain(fx->en, fx->arena, word, &fx->style, w);
    const char *expect[] = {"internation", "alization"};
    check_lines(f, expect, 2);
}

static void test_last_resort_long_token(void **state)
{
    fixture *fx = *state;
    /* 40 characters with no vowel: nothing for voikko to hyphenate. */
    const char *token = "xqzwrtplkmnbvcxzlkjhgfdsqwrtpzxcvbnmlkjh";
    assert_int_equal(strlen(token), 40);
    double w = 100;
    const ts_flow *f = ts_layout_plain(fx->fi, fx->arena, token, &fx->style, w);
    assert_true(f->n_lines >= 4);
    char joined[64] = "";
    for (size_t i = 0; i < f->n_lines; i++) {
        const char *t = line_text(&f->lines[i]);
        assert_null(strchr(t, '-'));
        assert_true(f->lines[i].width <= w + EPS);
        /* Each line is as full as it can be: one more letter would not fit. */
        if (i + 1 < f->n_lines) {
            char more[64];
            snprintf(more, sizeof more, "%.*s%c", (int)sizeof more - 2, t,
                     token[strlen(joined) + strlen(t)]);
            assert_true(ts_measure_plain(fx->fi, more, &fx->style) > w);
        }
        strcat(joined, t);
    }
    assert_string_equal(joined, token);
    /* Never inside a UTF-8 sequence or before a combining mark. */
    const char *marks = "a\xCC\x88"
                        "a\xCC\x88"
                        "a\xCC\x88"
                        "a\xCC\x88"
                        "a\xCC\x88"
                        "a\xCC\x88"
                        "\xC3\xA4\xC3\xA4\xC3\xA4\xC3\xA4";
    f = ts_layout_plain(fx->en, fx->arena, marks, &fx->style, 12);
    for (size_t i = 0; i < f->n_lines; i++) {
        const ts_line *l = &f->lines[i];
        assert_true(l->n_segs >= 1);
        const unsigned char *t = (const unsigned char *)l->segs[0].text;
        assert_true((t[0] & 0xC0) != 0x80);
        assert_false(t[0] == 0xCC);
    }
    /* A column narrower than one glyph still moves on, one cluster per line. */
    f = ts_layout_plain(fx->en, fx->arena, "WWW", &fx->style, 1);
    const char *expect[] = {"W", "W", "W"};
    check_lines(f, expect, 3);
}

/* ---- Blocks ---------------------------------------------------------------------------- */

static ts_inline one_run(ts_arena *a, const char *text, ts_pos pos)
{
    ts_run *r = ts_arena_calloc(a, 1, sizeof *r);
    *r = run_of(text, 0, NULL, pos);
    return (ts_inline){.runs = r, .n_runs = 1, .pos = pos};
}

static void test_lists(void **state)
{
    fixture *fx = *state;
    ts_arena *a = fx->arena;
    ts_list_item *sub = ts_arena_calloc(a, 2, sizeof *sub);
    sub[0] = (ts_list_item){.text = one_run(a, "first", (ts_pos){5, 1}), .pos = {5, 1}};
    sub[1] = (ts_list_item){.text = one_run(a, "second", (ts_pos){6, 1}), .pos = {6, 1}};
    ts_block *ol = ts_arena_calloc(a, 1, sizeof *ol);
    *ol = (ts_block){.kind = TS_BLOCK_OL, .items = sub, .n_items = 2, .pos = {4, 1}};
    ts_list_item *items = ts_arena_calloc(a, 3, sizeof *items);
    items[0] = (ts_list_item){
        .text = one_run(a, "Kulttuurin ja vapaa-ajan toimiala parantaa palveluja", (ts_pos){2, 1}),
        .pos = {2, 1}};
    items[1] = (ts_list_item){.pos = {3, 1}}; /* empty: skipped */
    items[2] = (ts_list_item){
        .text = one_run(a, "Liikunta", (ts_pos){3, 9}), .sublist = ol, .pos = {3, 5}};
    ts_block blocks[4] = {
        {.kind = TS_BLOCK_UL, .items = items, .n_items = 3, .pos = {1, 1}},
        {.kind = TS_BLOCK_P, .text = {.n_runs = 0}, .pos = {7, 1}}, /* empty: no lines */
        {.kind = TS_BLOCK_P, .text = one_run(a, "After", (ts_pos){8, 1}), .pos = {8, 1}},
        {.kind = TS_BLOCK_UL, .n_items = 0, .pos = {9, 1}},
    };
    ts_blocks bs = {.blocks = blocks, .n = 4, .present = true};
    double width = 200;
    const ts_flow *f = ts_layout_blocks(fx->fi, a, &bs, &fx->style, width);
    assert_non_null(f);

    /* Nodes in reading order: L, LI, LI, L (nested), LI, LI, P. */
    assert_int_equal(f->n_nodes, 7);
    const ts_node_kind kinds[7] = {TS_NODE_L,  TS_NODE_LI, TS_NODE_LI, TS_NODE_L,
                                   TS_NODE_LI, TS_NODE_LI, TS_NODE_P};
    for (size_t i = 0; i < 7; i++) {
        assert_int_equal(f->nodes[i].kind, kinds[i]);
        assert_int_equal(f->nodes[i].id, i);
    }
    assert_null(f->nodes[0].parent);
    assert_false(f->nodes[0].ordered);
    assert_ptr_equal(f->nodes[1].parent, &f->nodes[0]);
    assert_ptr_equal(f->nodes[2].parent, &f->nodes[0]);
    assert_ptr_equal(f->nodes[3].parent, &f->nodes[2]);
    assert_true(f->nodes[3].ordered);
    assert_ptr_equal(f->nodes[4].parent, &f->nodes[3]);
    assert_null(f->nodes[6].parent);
    assert_string_equal(f->nodes[1].label, "\xE2\x80\xA2");
    assert_string_equal(f->nodes[2].label, "\xE2\x80\xA2");
    assert_string_equal(f->nodes[4].label, "1.");
    assert_string_equal(f->nodes[5].label, "2.");
    assert_int_equal(f->nodes[2].pos.col, 5);

    /* The first item wraps: every line hangs at the text x, the label in the indent. */
    size_t li = 0;
    assert_ptr_equal(f->lines[0].node, &f->nodes[1]);
    while (li < f->n_lines && f->lines[li].node == &f->nodes[1])
        li++;
    assert_true(li >= 2);
    for (size_t i = 0; i < li; i++) {
        assert_true(f->lines[i].x == 20);
        assert_true(f->lines[i].label_x == 0);
        assert_true(f->lines[i].x + f->lines[i].width <= width + EPS);
        assert_int_equal(f->lines[i].first_of_node, i == 0);
        assert_int_equal(f->lines[i].last_of_node, i == li - 1);
        assert_true(f->lines[i].top == i * 22.0);
    }
    /* "Liikunta": after item_space. */
    const ts_line *l2 = &f->lines[li];
    assert_ptr_equal(l2->node, &f->nodes[2]);
    assert_true(l2->top == li * 22.0 + 4);
    assert_true(f->lines[li - 1].space_after == 4);
    /* The nested list: one indent further, after item_space. */
    const ts_line *n1 = &f->lines[li + 1], *n2 = &f->lines[li + 2];
    assert_ptr_equal(n1->node, &f->nodes[4]);
    assert_true(n1->label_x == 20);
    assert_true(n1->x == 40);
    assert_true(n1->top == l2->top + 22 + 4);
    assert_true(n2->top == n1->top + 22 + 4);
    assert_true(n2->first_of_node && n2->last_of_node);
    /* The paragraph after the list: max(space_after, space_before) = 10. */
    const ts_line *p = &f->lines[li + 3];
    assert_ptr_equal(p->node, &f->nodes[6]);
    assert_true(p->x == 0);
    assert_true(p->top == n2->top + 22 + 10);
    assert_true(n2->space_after == 10);
    assert_int_equal(f->n_lines, li + 4);
    assert_true(f->height == p->top + 22);
    assert_true(f->lines[f->n_lines - 1].space_after == 10);
}

static void test_list_labels(void **state)
{
    fixture *fx = *state;
    ts_arena *a = fx->arena;
    /* Three levels of bullets, and twelve numbers whose labels outgrow a tiny indent. */
    ts_list_item *l3 = ts_arena_calloc(a, 1, sizeof *l3);
    l3[0] = (ts_list_item){.text = one_run(a, "c", (ts_pos){1, 1})};
    ts_block *b3 = ts_arena_calloc(a, 1, sizeof *b3);
    *b3 = (ts_block){.kind = TS_BLOCK_UL, .items = l3, .n_items = 1};
    ts_list_item *l2 = ts_arena_calloc(a, 1, sizeof *l2);
    l2[0] = (ts_list_item){.text = one_run(a, "b", (ts_pos){1, 1}), .sublist = b3};
    ts_block *b2 = ts_arena_calloc(a, 1, sizeof *b2);
    *b2 = (ts_block){.kind = TS_BLOCK_UL, .items = l2, .n_items = 1};
    ts_list_item *l1 = ts_arena_calloc(a, 1, sizeof *l1);
    l1[0] = (ts_list_item){.sublist = b2}; /* no text of its own: a line with the label only */
    ts_list_item *nums = ts_arena_calloc(a, 12, sizeof *nums);
    for (int i = 0; i < 12; i++)
        nums[i] = (ts_list_item){.text = one_run(a, "x", (ts_pos){1, 1})};
    ts_block blocks[2] = {{.kind = TS_BLOCK_UL, .items = l1, .n_items = 1},
                          {.kind = TS_BLOCK_OL, .items = nums, .n_items = 12}};
    ts_blocks bs = {.blocks = blocks, .n = 2, .present = true};
    ts_text_style st = fx->style;
    st.indent = 5;
    const ts_flow *f = ts_layout_blocks(fx->fi, a, &bs, &st, 300);
    assert_string_equal(f->nodes[1].label, "\xE2\x80\xA2");
    assert_string_equal(f->nodes[3].label, "\xE2\x80\x93");
    assert_string_equal(f->nodes[5].label, "\xE2\x97\xA6"); /* Liberation has U+25E6 */
    assert_int_equal(f->lines[0].n_segs, 0);
    assert_true(f->lines[0].first_of_node && f->lines[0].last_of_node);
    assert_ptr_equal(f->lines[0].node, &f->nodes[1]);
    /* Labels wider than the indent widen the label column: "12." plus a space. */
    const ts_line *last = &f->lines[f->n_lines - 1];
    assert_string_equal(last->node->label, "12.");
    double col = ts_measure_plain(fx->fi, "12.", &st) + 277 * 18 / 1000.0;
    assert_true(last->x - col < 1e-9 && col - last->x < 1e-9);
    assert_true(last->label_x == 0);
    assert_true(f->lines[2].label_x > f->lines[1].label_x);
}

/* ---- Frames ---------------------------------------------------------------------------- */

static void test_flow_fit(void **state)
{
    fixture *fx = *state;
    char text[2000] = "";
    for (int i = 0; i < 20; i++)
        strcat(text, i ? " Kulttuuri" : "Kulttuuri");
    double w = ts_measure_plain(fx->fi, "Kulttuuri", &fx->style) + 1;
    const ts_flow *f = ts_layout_plain(fx->fi, fx->arena, text, &fx->style, w);
    assert_int_equal(f->n_lines, 20);
    assert_int_equal(ts_flow_fit(f, 0, 1000), 20);
    assert_int_equal(ts_flow_fit(f, 0, 440), 20);
    assert_int_equal(ts_flow_fit(f, 0, 439.9), 19);
    assert_int_equal(ts_flow_fit(f, 0, 100), 4);
    assert_int_equal(ts_flow_fit(f, 5, 66), 3);
    assert_int_equal(ts_flow_fit(f, 0, 5), 1); /* always at least one line */
    assert_int_equal(ts_flow_fit(f, 0, 0), 1);
    assert_int_equal(ts_flow_fit(f, 19, 100), 1);
    assert_int_equal(ts_flow_fit(f, 20, 100), 0);
    assert_true(ts_flow_span_height(f, 0, 20) == 440);
    assert_true(ts_flow_span_height(f, 3, 7) == 88);
    assert_true(ts_flow_span_height(f, 7, 7) == 0);
    /* Filling frames of 100 pt one after another takes every line once. */
    size_t at = 0, frames = 0;
    while (at < f->n_lines) {
        size_t n = ts_flow_fit(f, at, 100);
        assert_true(n >= 1);
        assert_true(ts_flow_span_height(f, at, at + n) <= 100);
        at += n;
        frames++;
    }
    assert_int_equal(at, 20);
    assert_int_equal(frames, 5);

    /* Paragraph gaps count, except the space after the last line taken. */
    ts_arena *a = fx->arena;
    ts_block blocks[3] = {
        {.kind = TS_BLOCK_P, .text = one_run(a, "one", (ts_pos){1, 1})},
        {.kind = TS_BLOCK_P, .text = one_run(a, "two", (ts_pos){2, 1})},
        {.kind = TS_BLOCK_P, .text = one_run(a, "three", (ts_pos){3, 1})},
    };
    ts_blocks bs = {.blocks = blocks, .n = 3, .present = true};
    f = ts_layout_blocks(fx->fi, a, &bs, &fx->style, 300);
    assert_int_equal(f->n_lines, 3);
    assert_true(f->lines[0].top == 0);
    assert_true(f->lines[1].top == 32);
    assert_true(f->lines[2].top == 64);
    assert_int_equal(ts_flow_fit(f, 0, 54), 2);
    assert_int_equal(ts_flow_fit(f, 0, 53.9), 1);
    assert_int_equal(ts_flow_fit(f, 1, 54), 2);
    assert_true(ts_flow_span_height(f, 0, 3) == 86);
}

/* Every allocation that can fail does so once: the layout says NULL or is whole. */
static void test_out_of_memory(void **state)
{
    fixture *fx = *state;
    ts_run run = run_of("Kulttuurin ja vapaa-ajan toimialan yhteissuunnittelun toteutumisennuste "
                        "\xE6\xBC\xA2 kaupunkistrategian mukaisesti",
                        TS_RUN_BOLD, "https://example.org/", (ts_pos){1, 1});
    ts_list_item items[2] = {{.text = {.runs = &run, .n_runs = 1}},
                             {.text = {.runs = &run, .n_runs = 1}}};
    ts_block blocks[2] = {{.kind = TS_BLOCK_P, .text = {.runs = &run, .n_runs = 1}},
                          {.kind = TS_BLOCK_OL, .items = items, .n_items = 2}};
    ts_blocks bs = {.blocks = blocks, .n = 2, .present = true};
    size_t whole = 0;
    for (long k = 1; k < 200; k++) {
        ts_alloc_fault fault = {.fail_after = k};
        ts_arena *a = ts_arena_new(&fault);
        if (a == NULL)
            continue;
        const ts_flow *f = ts_layout_blocks(fx->fi, a, &bs, &fx->style, 150);
        if (f != NULL) {
            whole++;
            assert_true(f->n_lines >= 6);
            assert_int_equal(f->n_nodes, 4);
        }
        ts_arena_free(a);
    }
    assert_true(whole > 0);
    /* The engine is still usable afterwards. */
    const ts_flow *f = ts_layout_blocks(fx->fi, fx->arena, &bs, &fx->style, 150);
    assert_non_null(f);
    assert_int_equal(f->n_nodes, 4);
}

/* ---- Properties ------------------------------------------------------------------------ */

static char *read_seeds(size_t *len)
{
    FILE *fp = fopen(TEST_DATA_DIR "/text-seeds.txt", "rb");
    assert_non_null(fp);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, fp);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

/* What remains of a text without the spaces, line breaks and hyphens layout adds or drops. */
static size_t skeleton(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\xC2' && i + 1 < n && s[i + 1] == '\xAD')
            i++; /* a soft hyphen: what a hyphenated line ends with */
        else if (s[i] != ' ' && s[i] != '-' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            out[k++] = s[i];
    return k;
}

/* The engine hands libunibreak '#' for the Latin letters (a faster lookup): each must break
 * exactly as '#' does, before and after every ASCII character and a set of others of every
 * class that text here has, directly and across a space, in every language the tool has. */
static void test_plain_letters_break_as_hash(void **state)
{
    (void)state;
    init_linebreak();
    utf32_t probes[160];
    size_t n_probes = 0;
    for (utf32_t c = 1; c < 0x80; c++)
        probes[n_probes++] = c;
    static const utf32_t others[] = {0xA0,   0xAB,   0xAD,   0xB4,   0xBB,   0xBF,
                                     0xD7,   0x301,  0x2010, 0x2013, 0x2014, 0x2018,
                                     0x2019, 0x201C, 0x201D, 0x2026, 0x200B, 0x2060,
                                     0x20AC, 0x3000, 0x3001, 0xFEFF, 0xFFFD, 0x20000};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++)
        probes[n_probes++] = others[i];
    static const char *const langs[] = {"fi", "sv", "en", NULL};
    size_t letters = 0;
    for (utf32_t c = 1; c < 0x300; c++) {
        if (!ts_text_plain_letter(c))
            continue;
        letters++;
        for (size_t l = 0; l < sizeof langs / sizeof *langs; l++)
            for (size_t p = 0; p < n_probes; p++) {
                utf32_t pr = probes[p];
                utf32_t a[2][7] = {{pr, c, pr, ' ', c, ' ', pr}, {pr, '#', pr, ' ', '#', ' ', pr}};
                char brk[2][7];
                set_linebreaks_utf32(a[0], 7, langs[l], brk[0]);
                set_linebreaks_utf32(a[1], 7, langs[l], brk[1]);
                if (memcmp(brk[0], brk[1], 7) != 0)
                    fail_msg("U+%04X breaks unlike '#' next to U+%04X (%s)", (unsigned)c,
                             (unsigned)pr, langs[l] ? langs[l] : "no language");
            }
    }
    /* A-Z, a-z, and the letters of Latin-1 and Latin Extended-A and -B. */
    assert_int_equal(letters, 26 * 2 + (0x250 - 0xC0) - 2);
    assert_false(ts_text_plain_letter('1'));
    assert_false(ts_text_plain_letter(0xD7));
    assert_false(ts_text_plain_letter(0x250));
}

/* The shortcut for texts of letters, digits, spaces, full stops and commas gives libunibreak's
 * breaks for every such text of up to seven characters and for long random ones, in every
 * language; any other character leaves the text to libunibreak. */
static void test_simple_breaks_as_libunibreak(void **state)
{
    (void)state;
    init_linebreak();
    static const uint32_t alphabet[] = {'#', '1', ' ', '.', ','};
    static const char *const langs[] = {"fi", "sv", "en", NULL};
    uint32_t text[64];
    char ours[64], theirs[64];
    for (size_t len = 1; len <= 7; len++) {
        size_t total = 1;
        for (size_t i = 0; i < len; i++)
            total *= 5;
        for (size_t k = 0; k < total; k++) {
            size_t v = k;
            for (size_t i = 0; i < len; i++, v /= 5)
                text[i] = alphabet[v % 5];
            assert_true(ts_text_simple_breaks(text, len, ours));
            for (size_t l = 0; l < sizeof langs / sizeof *langs; l++) {
                set_linebreaks_utf32(text, len, langs[l], theirs);
                if (memcmp(ours, theirs, len) != 0)
                    fail_msg("text %zu of length %zu (%s): breaks differ", k, len,
                             langs[l] ? langs[l] : "no language");
            }
        }
    }
    srand(7);
    for (int r = 0; r < 20000; r++) {
        size_t len = 8 + (size_t)rand() % 56;
        for (size_t i = 0; i < len; i++)
            text[i] = alphabet[rand() % 5 < 3 ? (rand() % 2 ? 0 : 2) : rand() % 5];
        assert_true(ts_text_simple_breaks(text, len, ours));
        set_linebreaks_utf32(text, len, "fi", theirs);
        assert_memory_equal(ours, theirs, len);
    }
    static const uint32_t other[] = {'#', '-', '#'};
    assert_false(ts_text_simple_breaks(other, 3, ours));
    static const uint32_t letter[] = {'a', ' ', '#'}; /* only '#' stands for letters */
    assert_false(ts_text_simple_breaks(letter, 3, ours));
}

static void test_property_widths(void **state)
{
    fixture *fx = *state;
    size_t len;
    char *seeds = read_seeds(&len);
    char *a = malloc(len + 1), *b = malloc(len * 2 + 64);
    assert_non_null(a);
    assert_non_null(b);
    uint32_t seed = 20240601;
    ts_text_engine *engines[3] = {fx->fi, fx->sv, fx->en};
    for (int round = 0; round < 300; round++) {
        seed = seed * 1664525u + 1013904223u;
        size_t start = (seed >> 8) % len;
        seed = seed * 1664525u + 1013904223u;
        size_t n = 1 + (seed >> 8) % 400;
        if (start + n > len)
            n = len - start;
        /* Start and end on character boundaries. */
        while (start > 0 && ((unsigned char)seeds[start] & 0xC0) == 0x80)
            start--, n++;
        while (start + n < len && ((unsigned char)seeds[start + n] & 0xC0) == 0x80)
            n++;
        seed = seed * 1664525u + 1013904223u;
        double width = 20 + (seed >> 8) % 500;
        ts_text_style st = fx->style;
        st.upper = round % 7 == 0;
        st.bold = round % 5 == 0;
        st.size = 8 + round % 20;
        char *text = malloc(n + 1);
        assert_non_null(text);
        memcpy(text, seeds + start, n);
        text[n] = '\0';
        ts_text_engine *e = engines[round % 3];
        const ts_flow *f = ts_layout_plain(e, fx->arena, text, &st, width);
        assert_non_null(f);
        size_t got = 0;
        for (size_t i = 0; i < f->n_lines; i++) {
            const ts_line *l = &f->lines[i];
            bool one_glyph = true;
            size_t chars = 0;
            for (size_t s = 0; s < l->n_segs; s++) {
                for (size_t k = 0; k < l->segs[s].len; k++)
                    chars += ((unsigned char)l->segs[s].text[k] & 0xC0) != 0x80 &&
                             l->segs[s].text[k] != ' ';
                memcpy(b + got, l->segs[s].text, l->segs[s].len);
                got += l->segs[s].len;
            }
            one_glyph = chars <= 2; /* a lone glyph (with its hyphen) may be wider */
            if (!one_glyph && l->width > width + 1e-6)
                fail_msg("round %d line %zu: width %f > %f: '%s'", round, i, l->width, width,
                         line_text(l));
            if (i > 0)
                assert_true(l->top > f->lines[i - 1].top);
        }
        if (!st.upper) {
            size_t ka = skeleton(text, n, a), kb = skeleton(b, got, b);
            if (ka != kb || memcmp(a, b, ka) != 0)
                fail_msg("round %d: text changed: '%s'", round, text);
        }
        free(text);
    }
    free(a);
    free(b);
    free(seeds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measure),
        cmocka_unit_test(test_pick),
        cmocka_unit_test(test_missing_glyph),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_faces_and_links),
        cmocka_unit_test(test_read_as),
        cmocka_unit_test(test_upper),
        cmocka_unit_test(test_breaks_at_spaces),
        cmocka_unit_test(test_no_runt),
        cmocka_unit_test(test_breaks_after_hyphen),
        cmocka_unit_test(test_no_break_inside_fitting_word),
        cmocka_unit_test(test_mandatory_breaks),
        cmocka_unit_test(test_numbers_keep_together),
        cmocka_unit_test(test_minus_sign),
        cmocka_unit_test(test_flag_emoji),
        cmocka_unit_test(test_soft_hyphen),
        cmocka_unit_test(test_break_hyphen_without_soft_hyphen),
        cmocka_unit_test(test_hyphenate_finnish),
        cmocka_unit_test(test_hyphenate_swedish),
        cmocka_unit_test(test_english_last_resort),
        cmocka_unit_test(test_last_resort_long_token),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_list_labels),
        cmocka_unit_test(test_flow_fit),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_property_widths),
        cmocka_unit_test(test_plain_letters_break_as_hash),
        cmocka_unit_test(test_simple_breaks_as_libunibreak),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
