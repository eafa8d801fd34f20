/* Diagnostics: the cap on messages kept per file, the closing line that counts the rest,
 * moving messages between lists, renaming a file, and the printed form. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"

/* What ts_diags_print writes, in a string the caller frees. */
static char *printed(ts_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ts_diags_print(d, f);
    fclose(f);
    return buf;
}

static size_t lines_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_cap_per_file_and_severity(void **state)
{
    (void)state;
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    for (unsigned i = 0; i < 10000; i++)
        ts_diag_add(&d, "a.xml", (ts_pos){i + 1, 1}, TS_ERROR, "fault %u", i);
    for (unsigned i = 0; i < 150; i++)
        ts_diag_add(&d, "a.xml", (ts_pos){i + 1, 2}, TS_WARNING, "lint %u", i);
    ts_diag_add(&d, "b.xml", (ts_pos){1, 1}, TS_ERROR, "other file");
    /* Every message counts; only the first of each kind are kept. */
    assert_int_equal(d.errors, 10001);
    assert_int_equal(d.warnings, 150);
    assert_int_equal(d.list.len, 2 * TS_DIAG_CAP + 1);
    assert_true(ts_diag_full(&d, "a.xml", TS_ERROR));
    assert_true(ts_diag_full(&d, "a.xml", TS_WARNING));
    assert_false(ts_diag_full(&d, "b.xml", TS_ERROR));
    assert_false(ts_diag_full(&d, "c.xml", TS_ERROR));
    char *out = printed(&d);
    assert_int_equal(lines_of(out), 2 * TS_DIAG_CAP + 1 + 1);
    assert_non_null(strstr(out, "a.xml:1:1: error: fault 0\n"));
    assert_null(strstr(out, "fault 100\n"));
    assert_non_null(strstr(out, "a.xml: error: 9900 more errors and 50 more warnings in a.xml are "
                                "not shown"));
    /* The closing line follows a.xml's messages, before b.xml's. */
    assert_true(strstr(out, "9900 more") < strstr(out, "b.xml:1:1: error: other file"));
    assert_true(strstr(out, "lint 99\n") < strstr(out, "9900 more"));
    free(out);
    ts_diags_free(&d);
}

static void test_take_keeps_counts(void **state)
{
    (void)state;
    ts_diags a, b;
    assert_true(ts_diags_init(&a, NULL) && ts_diags_init(&b, NULL));
    for (unsigned i = 0; i < 120; i++)
        ts_diag_add(&b, "w.xml", (ts_pos){i + 1, 1}, TS_WARNING, "w %u", i);
    ts_diag_add(&a, "w.xml", (ts_pos){1, 1}, TS_ERROR, "first");
    ts_diags_take(&a, &b);
    assert_int_equal(b.list.len, 0);
    assert_int_equal(b.warnings, 0);
    assert_int_equal(a.warnings, 120);
    assert_int_equal(a.errors, 1);
    char *out = printed(&a);
    assert_non_null(strstr(out, "w.xml: warning: 20 more warnings in w.xml are not shown"));
    free(out);
    ts_diags_free(&a);
    ts_diags_free(&b);
}

static void test_rename(void **state)
{
    (void)state;
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_diag_add(&d, "out/.k.pdf.1-0-000.tmp", (ts_pos){0, 0}, TS_ERROR, "cannot write");
    ts_diag_add(&d, "round.xml", (ts_pos){3, 4}, TS_WARNING, "lint");
    ts_diags_rename(&d, "out/.k.pdf.1-0-000.tmp", "out/k.pdf");
    char *out = printed(&d);
    assert_non_null(strstr(out, "out/k.pdf: error: cannot write\n"));
    assert_null(strstr(out, ".tmp"));
    assert_non_null(strstr(out, "round.xml:3:4: warning: lint\n"));
    free(out);
    ts_diags_free(&d);
}

static void test_order_and_safety(void **state)
{
    (void)state;
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    /* Equal places keep the order of arrival (qsort alone is not stable). */
    for (unsigned i = 0; i < 50; i++)
        ts_diag_add(&d, "x.xml", (ts_pos){7, 1}, TS_ERROR, "m%02u", i);
    ts_diag_add(&d, "x.xml", (ts_pos){2, 1}, TS_ERROR, "early \x1b[31m\xe2\x80\xae");
    ts_diag_add(&d, NULL, (ts_pos){0, 0}, TS_ERROR, "of the program");
    char *out = printed(&d);
    const char *prev = out;
    for (unsigned i = 0; i < 50; i++) {
        char want[16];
        snprintf(want, sizeof want, "m%02u\n", i);
        const char *at = strstr(out, want);
        assert_non_null(at);
        assert_true(at >= prev);
        prev = at;
    }
    assert_true(strstr(out, "taseuranta: error: of the program") == out);
    assert_non_null(strstr(out, "x.xml:2:1: error: early <U+001B>[31m<U+202E>\n"));
    free(out);
    ts_diags_free(&d);
}

/* Whose fault an error is decides the run's result; nothing looks at the words. */
static void test_fault_decides_the_result(void **state)
{
    (void)state;
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_diag_add(&d, "a.xml", (ts_pos){3, 1}, TS_WARNING, "a warning");
    assert_int_equal(ts_diags_rc(&d), TS_OK);
    ts_diag_add(&d, "a.xml", (ts_pos){4, 1}, TS_ERROR, "out of memory"); /* the file's words */
    assert_false(ts_diags_out_of_memory(&d));
    assert_int_equal(ts_diags_rc(&d), TS_INPUT_ERROR);
    ts_diag_fault(&d, "a.pdf", (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot write the PDF: %s",
                  "No space left on device");
    assert_int_equal(d.errors, 2);
    assert_int_equal(d.system_errors, 1);
    assert_false(ts_diags_out_of_memory(&d));
    assert_int_equal(ts_diags_rc(&d), TS_SYSTEM_ERROR);
    ts_diag_fault(&d, "a.xml", (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "PDF: %s", "anything");
    assert_true(ts_diags_out_of_memory(&d));
    const ts_diag *list = d.list.items;
    assert_int_equal(list[0].fault, TS_FAULT_INPUT);
    assert_int_equal(list[1].fault, TS_FAULT_INPUT);
    assert_int_equal(list[2].fault, TS_FAULT_SYSTEM);
    assert_int_equal(list[3].fault, TS_FAULT_NO_MEMORY);
    assert_int_equal(list[3].severity, TS_ERROR);
    ts_diags_free(&d);
}

/* Moving messages keeps their faults, those left out past the cap included. */
static void test_take_keeps_faults(void **state)
{
    (void)state;
    ts_diags src, dst;
    assert_true(ts_diags_init(&src, NULL));
    assert_true(ts_diags_init(&dst, NULL));
    for (int i = 0; i < TS_DIAG_CAP + 5; i++)
        ts_diag_fault(&src, "b.xlsx", (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot write %d", i);
    ts_diag_fault(&src, "b.xml", (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
    ts_diags_take(&dst, &src);
    assert_int_equal(dst.errors, TS_DIAG_CAP + 6);
    assert_int_equal(dst.system_errors, TS_DIAG_CAP + 5);
    assert_int_equal(dst.no_memory_errors, 1);
    assert_true(ts_diags_out_of_memory(&dst));
    assert_int_equal(src.system_errors + src.no_memory_errors + src.errors, 0);
    assert_int_equal(ts_diags_rc(&src), TS_OK);
    ts_diags_free(&src);
    ts_diags_free(&dst);
}

/* The result type names each of its values, as --help says them. */
static void test_names(void **state)
{
    (void)state;
    assert_string_equal(ts_rc_name(TS_OK), "done");
    assert_string_equal(ts_rc_name(TS_INPUT_ERROR), "an input was refused");
    assert_string_equal(ts_rc_name(TS_USAGE_ERROR), "wrong usage");
    assert_string_equal(ts_rc_name(TS_SYSTEM_ERROR), "an output or system error");
    assert_string_equal(ts_rc_name((ts_rc)7), "?");
    for (int rc = 0; rc < TS_RC_COUNT; rc++)
        assert_string_not_equal(ts_rc_name((ts_rc)rc), "?");
    assert_string_equal(ts_fault_name(TS_FAULT_INPUT), "input");
    assert_string_equal(ts_fault_name(TS_FAULT_SYSTEM), "system");
    assert_string_equal(ts_fault_name(TS_FAULT_NO_MEMORY), "out of memory");
}

/* A place in a workbook prints as SHEET!CELL; a form's problems come sheet by sheet in the
 * workbook's order (not by name), each sheet's by row and column, after the file's own, and
 * taking them into other diagnostics keeps their places. */
static void test_sheet_places(void **state)
{
    (void)state;
    ts_diags d, into;
    assert_true(ts_diags_init(&d, NULL));
    assert_true(ts_diags_init(&into, NULL));
    ts_sheet_ref tasks = {"Tehtävät", 10}, themes = {"Teemat", 3};
    ts_diag_add(&d, "f.xlsx", (ts_pos){7, 4, &tasks}, TS_ERROR, "d7");
    ts_diag_add(&d, "f.xlsx", (ts_pos){12, 28, &themes}, TS_ERROR, "ab12");
    ts_diag_add(&d, "f.xlsx", (ts_pos){2, 1, &themes}, TS_WARNING, "a2");
    ts_diag_add(&d, "f.xlsx", (ts_pos){0, 0, &tasks}, TS_WARNING, "sheet");
    ts_diag_add(&d, "f.xlsx", (ts_pos){0, 0}, TS_ERROR, "file");
    ts_diags_take(&into, &d);
    char *out = printed(&into);
    assert_string_equal(out, "f.xlsx: error: file\n"
                             "f.xlsx:Teemat!A2: warning: a2\n"
                             "f.xlsx:Teemat!AB12: error: ab12\n"
                             "f.xlsx:Tehtävät: warning: sheet\n"
                             "f.xlsx:Tehtävät!D7: error: d7\n");
    free(out);
    char buf[64];
    assert_string_equal(ts_pos_text((ts_pos){3, 1, &themes}, buf, sizeof buf), "Teemat!A3");
    assert_string_equal(ts_pos_text((ts_pos){3, 5}, buf, sizeof buf), "line 3, column 5");
    ts_diags_free(&d);
    ts_diags_free(&into);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap_per_file_and_severity),
        cmocka_unit_test(test_take_keeps_counts),
        cmocka_unit_test(test_rename),
        cmocka_unit_test(test_order_and_safety),
        cmocka_unit_test(test_fault_decides_the_result),
        cmocka_unit_test(test_take_keeps_faults),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_sheet_places),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
