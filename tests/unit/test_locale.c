/* Numbers as each language writes them: decimals, groups, the minus sign. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "locale.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimals),
        cmocka_unit_test(test_finnish_and_swedish),
        cmocka_unit_test(test_english),
        cmocka_unit_test(test_quantity_and_short_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
