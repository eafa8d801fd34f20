/* Numbers as each language writes them: decimals, groups, the minus sign. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/locale.h"

#define MINUS "\xE2\x88\x92"
#define NBSP  "\xC2\xA0"

static const char *fmt(double v, ts_lang lang)
{
    static char buf[600];
    size_t n = ts_format_number(buf, sizeof buf, v, lang);
    assert_int_equal(n, strlen(buf));
    return buf;
}

static void test_decimals(void **state)
{
    (void)state;
    assert_int_equal(ts_decimals_of(14), 0);
    assert_int_equal(ts_decimals_of(72.5), 1);
    assert_int_equal(ts_decimals_of(0.25), 2);
    assert_int_equal(ts_decimals_of(1.0 / 3), 3);
    assert_int_equal(ts_decimals_of(-9.5), 1);
}

static void test_finnish_and_swedish(void **state)
{
    (void)state;
    for (ts_lang lang = TS_LANG_FI; lang <= TS_LANG_SV; lang++) {
        assert_string_equal(fmt(14, lang), "14");
        assert_string_equal(fmt(-9.5, lang), MINUS "9,5");
        assert_string_equal(fmt(72.5, lang), "72,5");
        /* Four digits stay together; five and more are grouped by three. */
        assert_string_equal(fmt(1130, lang), "1130");
        assert_string_equal(fmt(12000, lang), "12" NBSP "000");
        assert_string_equal(fmt(-1234567.25, lang), MINUS "1" NBSP "234" NBSP "567,25");
        assert_string_equal(fmt(0.333333, lang), "0,333");
        /* Rounded to nothing, no sign. */
        assert_string_equal(fmt(-0.0001, lang), "0");
        assert_string_equal(fmt(1.99999, lang), "2");
        /* Never an exponent ("%.6g" wrote 1.23457e+06). */
        assert_string_equal(fmt(1234567, lang), "1" NBSP "234" NBSP "567");
        assert_string_equal(fmt(-1.0 / 0.0, lang), MINUS "\xE2\x88\x9E");
    }
}

static void test_english(void **state)
{
    (void)state;
    assert_string_equal(fmt(-9.5, TS_LANG_EN), "-9.5");
    assert_string_equal(fmt(12000, TS_LANG_EN), "12,000");
    assert_string_equal(fmt(1130, TS_LANG_EN), "1130");
}

static void test_quantity_and_short_buffers(void **state)
{
    (void)state;
    ts_arena *a = ts_arena_new(NULL);
    assert_non_null(a);
    assert_string_equal(ts_format_quantity(a, -9.5, "%", TS_LANG_FI), MINUS "9,5" NBSP "%");
    assert_string_equal(ts_format_quantity(a, 20, "kpl", TS_LANG_FI), "20" NBSP "kpl");
    assert_string_equal(ts_format_quantity(a, 20, NULL, TS_LANG_EN), "20");
    ts_arena_free(a);
    /* The largest double: every digit, grouped, in a buffer large enough; cut short and still
     * terminated in a small one, with the length it needed. */
    char big[600];
    size_t n = ts_format_number(big, sizeof big, 1.7976931348623157e308, TS_LANG_EN);
    assert_int_equal(n, 309 + 102);
    assert_int_equal(strlen(big), n);
    char small[6];
    assert_int_equal(ts_format_number(small, sizeof small, -12000, TS_LANG_FI), 3 + 2 + 2 + 3);
    assert_string_equal(small, MINUS "12");
}

/* A value against its level: each number as its language writes it, the unit once after the
 * level; the value keeps to its slash (a no-break space) and the unit to the level. */
static void test_of_level(void **state)
{
    (void)state;
    ts_arena *a = ts_arena_new(NULL);
    assert_non_null(a);
    assert_string_equal(ts_format_of_level(a, 14, 20, "kpl", TS_LANG_FI),
                        "14" NBSP "/ 20" NBSP "kpl");
    /* The decimal mark in the value and in the level. */
    assert_string_equal(ts_format_of_level(a, 72.5, 80, "%", TS_LANG_SV),
                        "72,5" NBSP "/ 80" NBSP "%");
    assert_string_equal(ts_format_of_level(a, 9, 12.25, "kpl", TS_LANG_FI),
                        "9" NBSP "/ 12,25" NBSP "kpl");
    assert_string_equal(ts_format_of_level(a, 72.5, 80.75, "%", TS_LANG_EN),
                        "72.5" NBSP "/ 80.75" NBSP "%");
    /* The minus sign U+2212 in fi and sv, the hyphen-minus in en, on either number. */
    assert_string_equal(ts_format_of_level(a, -3, 5, "%", TS_LANG_FI),
                        MINUS "3" NBSP "/ 5" NBSP "%");
    assert_string_equal(ts_format_of_level(a, -1.5, -0.5, "%", TS_LANG_SV),
                        MINUS "1,5" NBSP "/ " MINUS "0,5" NBSP "%");
    assert_string_equal(ts_format_of_level(a, -1.5, -0.5, "%", TS_LANG_EN),
                        "-1.5" NBSP "/ -0.5" NBSP "%");
    /* Large numbers grouped by three, each as its language groups. */
    assert_string_equal(ts_format_of_level(a, 12000, 1250000, "\u20ac", TS_LANG_FI),
                        "12" NBSP "000" NBSP "/ 1" NBSP "250" NBSP "000" NBSP "\u20ac");
    assert_string_equal(ts_format_of_level(a, 98765.5, 150000, "\u20ac", TS_LANG_EN),
                        "98,765.5" NBSP "/ 150,000" NBSP "\u20ac");
    assert_string_equal(ts_format_of_level(a, 1130, 2000, "hakemusta", TS_LANG_SV),
                        "1130" NBSP "/ 2000" NBSP "hakemusta");
    /* Without a unit, the two numbers alone. */
    assert_string_equal(ts_format_of_level(a, 14, 20, NULL, TS_LANG_FI), "14" NBSP "/ 20");
    assert_string_equal(ts_format_of_level(a, 14, 20, "", TS_LANG_EN), "14" NBSP "/ 20");
    ts_arena_free(a);
    /* Out of memory: NULL, for the caller to say so. */
    ts_alloc_fault fault = {0, 0};
    ts_arena *poor = ts_arena_new(&fault);
    assert_non_null(poor);
    fault.fail_after = 1; /* the arena's first chunk */
    assert_null(ts_format_of_level(poor, 14, 20, "kpl", TS_LANG_FI));
    ts_arena_free(poor);
}

/* A value is read against a level only in the same unit; no unit is the same as an empty one. */
static void test_same_unit(void **state)
{
    (void)state;
    assert_true(ts_same_unit("kpl", "kpl"));
    assert_false(ts_same_unit("kpl", "%"));
    assert_false(ts_same_unit("kpl", "Kpl"));
    assert_true(ts_same_unit(NULL, NULL));
    assert_true(ts_same_unit(NULL, ""));
    assert_true(ts_same_unit("", NULL));
    assert_false(ts_same_unit(NULL, "kpl"));
    assert_false(ts_same_unit("%", NULL));
}

/* One table says how each language writes: the pack and the workbooks ask it alike. */
static void test_locales(void **state)
{
    (void)state;
    const ts_locale *fi = ts_locale_of(TS_LANG_FI), *sv = ts_locale_of(TS_LANG_SV),
                    *en = ts_locale_of(TS_LANG_EN);
    assert_string_equal(fi->country, "FI");
    assert_string_equal(sv->country, "FI"); /* Finland's Swedish */
    assert_string_equal(en->country, "GB");
    assert_string_equal(fi->mark, ",");
    assert_string_equal(en->mark, ".");
    assert_true(fi->minus_sign && sv->minus_sign && !en->minus_sign);
    assert_string_equal(sv->minus, "\u2212");
    assert_string_equal(ts_lang_name(TS_LANG_SV), "sv");
    assert_ptr_equal(ts_locale_of((ts_lang)9), fi);
}

/* A spreadsheet's shown text: the decimals asked for, the language's mark, no grouping. */
static void test_fixed(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(ts_format_fixed(buf, sizeof buf, 1.5, 2, TS_LANG_FI), 4);
    assert_string_equal(buf, "1,50");
    ts_format_fixed(buf, sizeof buf, 1.5, 2, TS_LANG_EN);
    assert_string_equal(buf, "1.50");
    ts_format_fixed(buf, sizeof buf, -12000.25, 1, TS_LANG_SV);
    assert_string_equal(buf, "-12000,2"); /* printf's rounding, as LibreOffice shows it */
    ts_format_fixed(buf, sizeof buf, 70, 0, TS_LANG_FI);
    assert_string_equal(buf, "70");
    assert_int_equal(ts_format_fixed(buf, 3, 1234.5, 1, TS_LANG_FI), 6);
    assert_string_equal(buf, "12");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimals), cmocka_unit_test(test_finnish_and_swedish),
        cmocka_unit_test(test_english),  cmocka_unit_test(test_quantity_and_short_buffers),
        cmocka_unit_test(test_locales),  cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_of_level), cmocka_unit_test(test_same_unit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
