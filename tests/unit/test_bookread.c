/* The workbook reader's pieces (cell references, number formats, strict number and date
 * parsing, runs), its look-ups and limits on the committed workbooks, and every allocation
 * failing in turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "book/internal.h"
#include "core/fileio.h"

#ifndef TEST_DATA_DIR
#error "TEST_DATA_DIR must name tests/data"
#endif

/* ---- Cell references --------------------------------------------------------------------- */

static void test_refs(void **state)
{
    char buf[TS_WBR_REF_SIZE];
    assert_string_equal(ts_wbr_ref(0, 0, buf), "A1");
    assert_string_equal(ts_wbr_ref(6, 1, buf), "B7");
    assert_string_equal(ts_wbr_ref(0, 25, buf), "Z1");
    assert_string_equal(ts_wbr_ref(0, 26, buf), "AA1");
    assert_string_equal(ts_wbr_ref(0, 701, buf), "ZZ1");
    assert_string_equal(ts_wbr_ref(0, 702, buf), "AAA1");
    assert_string_equal(ts_wbr_ref(TS_WBR_MAX_ROWS - 1, TS_WBR_MAX_COLS - 1, buf), "XFD1048576");
    char col[8];
    assert_string_equal(ts_wbr_column_name(2, col), "C");

    char where[64];
    assert_string_equal(ts_wbr_where("k.xlsx", "Teht\xC3\xA4v\xC3\xA4t", 6, 3, where, sizeof where),
                        "k.xlsx:Teht\xC3\xA4v\xC3\xA4t!D7");
    assert_string_equal(ts_wbr_where("k.xlsx", "Q1: plan", 0, 0, where, sizeof where),
                        "k.xlsx:'Q1: plan'!A1");
    assert_string_equal(ts_wbr_where("k.ods", "it's", 1, 1, where, sizeof where),
                        "k.ods:'it''s'!B2");
    assert_string_equal(ts_wbr_where("k.ods", "S", UINT32_MAX, 0, where, sizeof where), "k.ods:S");
    assert_string_equal(ts_wbr_where("k.ods", "Sheet", 0, 0, where, 8), "k.ods:S");

    static const struct {
        const char *s;
        bool ok;
        uint32_t row, col;
    } cases[] = {
        {"A1", true, 0, 0},
        {"b7", true, 6, 1},
        {"$B$7", true, 6, 1},
        {"XFD1048576", true, 1048575, 16383},
        {"XFE1", false, 0, 0},
        {"A1048577", false, 0, 0},
        {"A0", false, 0, 0},
        {"A01", false, 0, 0},
        {"A", false, 0, 0},
        {"1", false, 0, 0},
        {"", false, 0, 0},
        {"AAAA1", false, 0, 0},
        {"A1 ", false, 0, 0},
        {"A-1", false, 0, 0},
        {"A99999999999", false, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint32_t r = 99, c = 99;
        bool ok = ts_wbr_parse_ref(cases[i].s, strlen(cases[i].s), &r, &c);
        if (ok != cases[i].ok)
            fail_msg("%s: %d", cases[i].s, ok);
        if (ok && (r != cases[i].row || c != cases[i].col))
            fail_msg("%s: %u %u", cases[i].s, r, c);
    }
}

/* ---- Number formats ---------------------------------------------------------------------- */

static void test_numfmt(void **state)
{
    static const struct {
        const char *code;
        ts_wbr_numkind kind;
        int decimals;
        bool grouping;
        const char *prefix, *suffix, *currency;
    } cases[] = {
        {"General", TS_WBR_FMT_GENERAL, 0, false, "", "", NULL},
        {"0", TS_WBR_FMT_NUMBER, 0, false, "", "", NULL},
        {"0.00", TS_WBR_FMT_NUMBER, 2, false, "", "", NULL},
        {"#,##0", TS_WBR_FMT_NUMBER, 0, true, "", "", NULL},
        {"#,##0.000;[Red]-#,##0.000", TS_WBR_FMT_NUMBER, 3, true, "", "", NULL},
        {"0\" kpl\"", TS_WBR_FMT_NUMBER, 0, false, "", " kpl", NULL},
        {"0\\ \"kpl\"", TS_WBR_FMT_NUMBER, 0, false, "", " kpl", NULL},
        {"General\" kpl\"", TS_WBR_FMT_GENERAL, 0, false, "", " kpl", NULL},
        {"0%", TS_WBR_FMT_PERCENT, 0, false, "", "%", NULL},
        {"0.0%", TS_WBR_FMT_PERCENT, 1, false, "", "%", NULL},
        {"#,##0\\ %", TS_WBR_FMT_PERCENT, 0, true, "", " %", NULL},
        {"[$\xE2\x82\xAC-40B] #,##0.00", TS_WBR_FMT_CURRENCY, 2, true, "\xE2\x82\xAC ", "",
         "\xE2\x82\xAC"},
        {"#,##0.00 \"\xE2\x82\xAC\"", TS_WBR_FMT_CURRENCY, 2, true, "", " \xE2\x82\xAC",
         "\xE2\x82\xAC"},
        {"\"$\"#,##0_);(\"$\"#,##0)", TS_WBR_FMT_CURRENCY, 0, true, "$", "", "$"},
        {"0.00E+00", TS_WBR_FMT_SCIENTIFIC, 2, false, "", "", NULL},
        {"# ?/?", TS_WBR_FMT_FRACTION, 0, false, "", "", NULL},
        {"d.m.yyyy", TS_WBR_FMT_DATE, 0, false, "", "", NULL},
        {"[$-40B]d\\.m\\.yyyy", TS_WBR_FMT_DATE, 0, false, "", "", NULL},
        {"mmm-yy", TS_WBR_FMT_DATE, 0, false, "", "", NULL},
        {"h:mm", TS_WBR_FMT_TIME, 0, false, "", "", NULL},
        {"mm:ss", TS_WBR_FMT_TIME, 0, false, "", "", NULL},
        {"[h]:mm:ss", TS_WBR_FMT_TIME, 0, false, "", "", NULL},
        {"h:mm AM/PM", TS_WBR_FMT_TIME, 0, false, "", "", NULL},
        {"yyyy-mm-dd hh:mm:ss.000", TS_WBR_FMT_DATETIME, 0, false, "", "", NULL},
        {"@", TS_WBR_FMT_TEXT, 0, false, "", "", NULL},
        {"\"yes\";\"yes\";\"no\"", TS_WBR_FMT_NUMBER, 0, false, "yes", "", NULL},
        {"", TS_WBR_FMT_GENERAL, 0, false, "", "", NULL},
        {"[Red][<0]0.0;0.00", TS_WBR_FMT_NUMBER, 1, false, "", "", NULL},
        {"0.0,,\" M\"", TS_WBR_FMT_NUMBER, 1, false, "", " M", NULL},
        {"\"unclosed", TS_WBR_FMT_NUMBER, 0, false, "unclosed", "", NULL},
        {"[$", TS_WBR_FMT_GENERAL, 0, false, "", "", NULL},
        {"\\", TS_WBR_FMT_GENERAL, 0, false, "", "", NULL},
    };
    ts_arena *a = ts_arena_new(NULL);
    assert_non_null(a);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const ts_wbr_numfmt *f = wbr_numfmt_parse(cases[i].code, a);
        assert_non_null(f);
        if (f->kind != cases[i].kind || f->decimals != cases[i].decimals ||
            f->grouping != cases[i].grouping || strcmp(f->prefix, cases[i].prefix) != 0 ||
            strcmp(f->suffix, cases[i].suffix) != 0 ||
            (f->currency == NULL) != (cases[i].currency == NULL) ||
            (f->currency && strcmp(f->currency, cases[i].currency) != 0))
            fail_msg("%s: kind %d decimals %d grouping %d prefix \"%s\" suffix \"%s\" currency %s",
                     cases[i].code, f->kind, f->decimals, f->grouping, f->prefix, f->suffix,
                     f->currency ? f->currency : "-");
        assert_string_equal(f->code, cases[i].code);
    }
    /* the built-in ids */
    assert_string_equal(wbr_numfmt_builtin(9), "0%");
    assert_string_equal(wbr_numfmt_builtin(14), "mm-dd-yy");
    assert_string_equal(wbr_numfmt_builtin(49), "@");
    assert_null(wbr_numfmt_builtin(27));
    assert_null(wbr_numfmt_builtin(164));
    for (unsigned id = 0; id < 50; id++)
        if (wbr_numfmt_builtin(id))
            assert_non_null(wbr_numfmt_parse(wbr_numfmt_builtin(id), a));

    /* ODS data styles built piece by piece */
    wbr_fmt_builder b;
    wbr_fmt_begin(&b, a, TS_WBR_FMT_PERCENT);
    wbr_fmt_number(&b, 1, true, 1, false, false);
    wbr_fmt_text(&b, " %", 2);
    ts_wbr_numfmt *f = wbr_fmt_end(&b);
    assert_non_null(f);
    assert_int_equal(f->kind, TS_WBR_FMT_PERCENT);
    assert_string_equal(f->code, "#,##0.0\" \"%");
    assert_string_equal(f->suffix, " %");
    wbr_fmt_begin(&b, a, TS_WBR_FMT_DATE);
    wbr_fmt_code(&b, "d", true);
    wbr_fmt_text(&b, ".", 1);
    wbr_fmt_code(&b, "hh", false);
    f = wbr_fmt_end(&b);
    assert_int_equal(f->kind, TS_WBR_FMT_DATETIME);
    assert_string_equal(f->suffix, "");
    ts_arena_free(a);
}

/* ---- Numbers and dates ------------------------------------------------------------------- */

static void test_parsing(void **state)
{
    double d;
    assert_true(wbr_parse_number("12", 2, &d) && d == 12);
    assert_true(wbr_parse_number("-1.5E-3", 7, &d) && d == -0.0015);
    assert_true(wbr_parse_number(" 7 ", 3, &d) && d == 7);
    assert_true(wbr_parse_number(".5", 2, &d) && d == 0.5);
    static const char *const bad[] = {"",      "1,5", "0x10", "inf",   "nan", "1e",
                                      "1e999", "+",   ".",    "1.2.3", "1 2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (wbr_parse_number(bad[i], strlen(bad[i]), &d))
            fail_msg("\"%s\" parsed as %g", bad[i], d);

    assert_true(wbr_parse_datetime("2020-10-12", 10, &d) && d == 44116);
    assert_true(wbr_parse_datetime("1899-12-30", 10, &d) && d == 0);
    assert_true(wbr_parse_datetime("1900-03-01", 10, &d) && d == 61);
    assert_true(wbr_parse_datetime("2020-10-12T12:00:00", 19, &d) && d == 44116.5);
    assert_true(wbr_parse_datetime("2020-10-12T06:00:00.5Z", 22, &d));
    assert_true(wbr_parse_datetime("2024-02-29", 10, &d));
    static const char *const bad_dates[] = {"2023-02-29",       "2020-13-01", "2020-1-01",
                                            "2020-10-12T25:00", "20-10-12",   "2020-10-12T",
                                            "2020-10-12x"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof *bad_dates; i++)
        if (wbr_parse_datetime(bad_dates[i], strlen(bad_dates[i]), &d))
            fail_msg("\"%s\" parsed as %g", bad_dates[i], d);

    assert_true(wbr_parse_duration("PT12H30M00S", 11, &d) && d == 45000.0 / 86400);
    assert_true(wbr_parse_duration("PT36H", 5, &d) && d == 1.5);
    assert_true(wbr_parse_duration("-PT1H", 5, &d) && d == -1.0 / 24);
    assert_true(wbr_parse_duration("P1DT0.5S", 8, &d));
    static const char *const bad_durations[] = {"", "P", "PT", "T1H", "PT1", "PT1X", "P1H"};
    for (size_t i = 0; i < sizeof bad_durations / sizeof *bad_durations; i++)
        if (wbr_parse_duration(bad_durations[i], strlen(bad_durations[i]), &d))
            fail_msg("\"%s\" parsed as %g", bad_durations[i], d);

    uint64_t v;
    assert_true(wbr_parse_uint("1048576", 7, TS_WBR_MAX_ROWS, &v) && v == 1048576);
    assert_false(wbr_parse_uint("1048577", 7, TS_WBR_MAX_ROWS, &v));
    assert_false(wbr_parse_uint("99999999999999999999999", 23, UINT64_MAX / 10, &v));
}

/* ---- Runs -------------------------------------------------------------------------------- */

static void expect_runs(const ts_wbr_run *runs, uint32_t n, const char *want)
{
    /* want: the runs as "text|flags;text|flags" */
    char got[512] = "";
    for (uint32_t i = 0; i < n; i++) {
        assert_int_equal(strlen(runs[i].text), runs[i].len);
        snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s|%s%s", i ? ";" : "",
                 runs[i].text, runs[i].bold ? "b" : "", runs[i].italic ? "i" : "");
    }
    assert_string_equal(got, want);
}

static void test_runs(void **state)
{
    ts_arena *a = ts_arena_new(NULL), *scratch = ts_arena_new(NULL);
    assert_non_null(a);
    assert_non_null(scratch);
    wbr_text t = {.scratch = scratch};
    const ts_wbr_run *runs;
    uint32_t n;

    /* a line break that ends a bold line belongs to it, from either side */
    wbr_text_add(&t, "Bold", 4, WBR_ON, WBR_INHERIT);
    wbr_text_add(&t, "\n\nrest", 6, WBR_INHERIT, WBR_INHERIT);
    assert_true(wbr_text_finish(&t, false, false, a, &runs, &n));
    expect_runs(runs, n, "Bold\n\n|b;rest|");
    /* ... and the cell's own bold makes them one run */
    assert_true(wbr_text_finish(&t, true, false, a, &runs, &n));
    expect_runs(runs, n, "Bold\n\nrest|b");

    /* empty pieces vanish, alike neighbours join, a run of only line breaks goes before */
    wbr_text_reset(&t);
    wbr_text_add(&t, "", 0, WBR_ON, WBR_ON);
    wbr_text_add(&t, "a", 1, WBR_OFF, WBR_ON);
    wbr_text_add(&t, "b", 1, WBR_INHERIT, WBR_ON);
    wbr_text_add(&t, "\n", 1, WBR_ON, WBR_OFF);
    wbr_text_add(&t, "c", 1, WBR_OFF, WBR_OFF);
    assert_true(wbr_text_finish(&t, false, true, a, &runs, &n));
    expect_runs(runs, n, "ab\n|i;c|");

    /* nothing at all: no runs */
    wbr_text_reset(&t);
    assert_true(wbr_text_finish(&t, true, true, a, &runs, &n));
    assert_int_equal(n, 0);

    /* XLSX's escapes and line ends */
    wbr_text_reset(&t);
    const char *x = "a_x000D_\nb\r\nc\rd_x005f_x0041__xD83D__xDE00__x0000_";
    assert_true(wbr_text_add_xstring(&t, x, strlen(x), WBR_INHERIT, WBR_INHERIT));
    assert_true(wbr_text_finish(&t, false, false, a, &runs, &n));
    expect_runs(runs, n, "a\nb\nc\nd_x0041_\xF0\x9F\x98\x80\xEF\xBF\xBD|");
    wbr_text_reset(&t);
    x = "_x12_ _xD800_ _x";
    assert_true(wbr_text_add_xstring(&t, x, strlen(x), WBR_INHERIT, WBR_INHERIT));
    assert_true(wbr_text_finish(&t, false, false, a, &runs, &n));
    expect_runs(runs, n, "_x12_ \xEF\xBF\xBD _x|");

    /* a shared string shown by cells of two styles */
    wbr_text_reset(&t);
    wbr_text_add(&t, "plain ", 6, WBR_INHERIT, WBR_INHERIT);
    wbr_text_add(&t, "bold", 4, WBR_ON, WBR_OFF);
    wbr_shared s;
    assert_true(wbr_shared_make(&t, a, scratch, &s));
    assert_true(s.inherits);
    assert_true(wbr_shared_runs(&s, false, false, a, &runs, &n));
    expect_runs(runs, n, "plain |;bold|b");
    assert_true(wbr_shared_runs(&s, true, false, a, &runs, &n));
    expect_runs(runs, n, "plain bold|b");
    wbr_text_reset(&t);
    wbr_text_add(&t, "one", 3, WBR_INHERIT, WBR_INHERIT);
    assert_true(wbr_shared_make(&t, a, scratch, &s));
    assert_true(wbr_shared_runs(&s, false, true, a, &runs, &n));
    expect_runs(runs, n, "one|i");
    assert_ptr_equal(runs[0].text, s.text); /* one run: the shared text itself */
    ts_arena_free(a);
    ts_arena_free(scratch);
}

/* ---- Reading the committed workbooks ----------------------------------------------------- */

static char *data_path(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/bookread/%s", TEST_DATA_DIR, name);
    return path;
}

static void test_lookups(void **state)
{
    ts_arena *a = ts_arena_new(NULL);
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    const ts_wbr_book *b;
    assert_int_equal(ts_wbr_read_file(data_path("features.xlsx"), NULL, a, &d, &b), TS_OK);
    assert_int_equal(d.errors, 0);
    assert_string_equal(b->file, data_path("features.xlsx"));
    assert_int_equal(b->format, TS_WBR_XLSX);
    const ts_wbr_sheet *s = ts_wbr_sheet_named(b, "Tiedot");
    assert_non_null(s);
    assert_null(ts_wbr_sheet_named(b, "tiedot"));
    const ts_wbr_cell *c = ts_wbr_cell_at(s, 0, 2); /* C1 */
    assert_non_null(c);
    assert_int_equal(c->type, TS_WBR_STRING);
    assert_string_equal(ts_wbr_cell_text(c, a), "Bold statement\nand the rest.");
    assert_null(ts_wbr_cell_at(s, 1, 2)); /* C2: an empty string */
    size_t n;
    const ts_wbr_cell *row = ts_wbr_row(s, 2, &n); /* row 3 */
    assert_int_equal(n, 5);
    assert_int_equal(row[0].col, 0);
    assert_int_equal(row[4].col, 4);
    assert_null(ts_wbr_row(s, 4, &n)); /* row 5: none */
    assert_int_equal(n, 0);
    const ts_wbr_merge *m = ts_wbr_merge_at(s, 10, 1); /* B11 in A10:B11 */
    assert_non_null(m);
    assert_int_equal(m->first_row, 9);
    assert_int_equal(m->last_col, 1);
    assert_null(ts_wbr_merge_at(s, 10, 2));
    assert_null(ts_wbr_merge_at(s, 13, 2)); /* below C12:D13 */
    assert_non_null(ts_wbr_merge_at(s, 12, 3));
    c = ts_wbr_cell_at(s, 2, 0);
    assert_string_equal(ts_wbr_cell_text(c, a), ""); /* a number */

    /* the same from bytes */
    char *data;
    size_t len;
    assert_int_equal(ts_read_file(data_path("features.ods"), 1 << 20, NULL, &data, &len), 0);
    assert_int_equal(ts_wbr_read_bytes(data, len, "x.ods", NULL, a, &d, &b), TS_OK);
    free(data);
    assert_int_equal(b->format, TS_WBR_ODS);
    assert_string_equal(b->file, "x.ods");
    assert_int_equal(b->sheet_count, 2);
    assert_true(b->sheets[1].hidden);
    ts_diags_free(&d);
    ts_arena_free(a);
}

static void expect_refusal(const char *file, const ts_wbr_options *o, const char *want)
{
    ts_arena *a = ts_arena_new(NULL);
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    const ts_wbr_book *b = (const ts_wbr_book *)1;
    assert_int_equal(ts_wbr_read_file(data_path(file), o, a, &d, &b), TS_INPUT_ERROR);
    assert_null(b);
    assert_int_equal(d.errors, 1);
    const ts_diag *g = d.list.items;
    if (strstr(g->message, want) == NULL)
        fail_msg("%s: \"%s\" says nothing of \"%s\"", file, g->message, want);
    ts_diags_free(&d);
    ts_arena_free(a);
}

static void test_limits(void **state)
{
    ts_wbr_options o;
    ts_wbr_options_default(&o);
    assert_int_equal(o.limits.max_unpacked, 64u << 20);
    assert_int_equal(o.limits.max_entries, 100000);
    o.limits.max_cells = 10;
    expect_refusal("features.xlsx", &o, "more than 10 cells");
    o.limits.max_cells = 5; /* it has 8 shared strings, read before its cells */
    expect_refusal("features.xlsx", &o, "more than 5 shared strings");
    o.limits.max_cells = 10;
    expect_refusal("features.ods", &o, "more than 10 cells");
    ts_wbr_options_default(&o);
    assert_int_equal(o.limits.max_sheets, 10000);
    o.limits.max_sheets = 2;
    expect_refusal("features.xlsx", &o, "more than 2 sheets");
    o.limits.max_sheets = 1;
    expect_refusal("features.ods", &o, "more than 1 sheets");
    ts_wbr_options_default(&o);
    o.limits.max_unpacked = 4000;
    expect_refusal("ours.xlsx", &o, "unpacks to more than 4000 bytes");
    ts_wbr_options_default(&o);
    o.limits.max_entries = 3;
    expect_refusal("ours.ods", &o, "may hold at most 3");
}

/* Every allocation of the reader's scratch and of the result fails in turn: each read ends
 * with the book, or with "out of memory" and TS_SYSTEM_ERROR, and nothing leaks (the
 * sanitizer build and valgrind see to that). */
static void test_alloc_failure(void **state)
{
    static const char *const files[] = {"features.xlsx", "features.ods", "ours.xlsx",
                                        "lo-features-from-xlsx.ods"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        long n = 1;
        for (;; n++) {
            ts_alloc_fault fault = {n, 0};
            ts_arena *a = ts_arena_new(&fault);
            if (a == NULL)
                continue; /* the caller's own allocation */
            ts_diags d;
            assert_true(ts_diags_init(&d, NULL));
            const ts_wbr_book *b = NULL;
            ts_wbr_options o;
            ts_wbr_options_default(&o);
            o.fault = &fault;
            ts_rc st = ts_wbr_read_file(data_path(files[f]), &o, a, &d, &b);
            if (st == TS_OK) {
                assert_non_null(b);
                ts_diags_free(&d);
                ts_arena_free(a);
                break;
            }
            if (st != TS_SYSTEM_ERROR || d.errors != 1 ||
                strcmp(((const ts_diag *)d.list.items)->message,
                       "out of memory while reading the workbook") != 0) {
                ts_diags_print(&d, stderr);
                fail_msg("%s: allocation %ld failing: status %d", files[f], n, st);
            }
            ts_diags_free(&d);
            ts_arena_free(a);
            if (n > 100000)
                fail_msg("%s: never read", files[f]);
        }
        print_message("%s: read after %ld allocations failed in turn\n", files[f], n - 1);
        assert_true(n > 5);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refs),          cmocka_unit_test(test_numfmt),
        cmocka_unit_test(test_parsing),       cmocka_unit_test(test_runs),
        cmocka_unit_test(test_lookups),       cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alloc_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
