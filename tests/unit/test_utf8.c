/* The shared UTF-8 helpers: every module that reads or writes text goes through them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

static void test_round_trip(void **state)
{
    (void)state;
    const uint32_t cps[] = {0x41, 0xE4, 0x20AC, 0xFFFD, 0x1F600, 0x10FFFF};
    const size_t lens[] = {1, 2, 3, 3, 4, 4};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char buf[4];
        size_t n = ts_utf8_put(buf, cps[i]);
        assert_int_equal(n, lens[i]);
        size_t used = 0;
        assert_int_equal(ts_utf8_get((const unsigned char *)buf, n, &used), cps[i]);
        assert_int_equal(used, n);
    }
}

static void test_invalid(void **state)
{
    (void)state;
    /* overlong, surrogate, beyond U+10FFFF, truncated, stray continuation */
    const char *bad[] = {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t used = 0;
        assert_int_equal(ts_utf8_get((const unsigned char *)bad[i], strlen(bad[i]), &used), 0xFFFD);
        assert_int_equal(used, 1);
    }
}

/* The strict form: the bad sequences are refused, not replaced; the good ones decoded whole. */
static void test_decode(void **state)
{
    (void)state;
    const char *bad[] = {
        "\xC0\xAF",         "\xC1\xBF",         "\xE0\x9F\xBF", "\xED\xA0\x80", "\xF0\x8F\xBF\xBF",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xE2\x82",     "\x80",         "\xFF",
        "\xC3\x28"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t cp = 0x1234;
        assert_int_equal(ts_utf8_decode((const unsigned char *)bad[i], strlen(bad[i]), &cp), 0);
    }
    const char *good[] = {"A",
                          "\xC2\x80",
                          "\xE0\xA0\x80",
                          "\xED\x9F\xBF",
                          "\xEE\x80\x80",
                          "\xF0\x90\x80\x80",
                          "\xF4\x8F\xBF\xBF",
                          "\xEF\xBF\xBD"};
    const uint32_t cps[] = {0x41, 0x80, 0x800, 0xD7FF, 0xE000, 0x10000, 0x10FFFF, 0xFFFD};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        uint32_t cp = 0;
        assert_int_equal(ts_utf8_decode((const unsigned char *)good[i], strlen(good[i]), &cp),
                         strlen(good[i]));
        assert_int_equal(cp, cps[i]);
    }
}

/* A loop over mixed text: each character once, a bad byte one U+FFFD. */
static void test_next(void **state)
{
    (void)state;
    const unsigned char s[] = "a\xC3\xA4\x80\xF0\x9F\x98\x80\xE2\x82";
    const size_t len = sizeof s - 1;
    const uint32_t want[] = {'a', 0xE4, 0xFFFD, 0x1F600, 0xFFFD, 0xFFFD};
    size_t i = 0, k = 0;
    while (i < len) {
        assert_true(k < sizeof want / sizeof want[0]);
        assert_int_equal(ts_utf8_next(s, len, &i), want[k++]);
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    assert_int_equal(i, len);
}

static void test_count(void **state)
{
    (void)state;
    const char *s = "Äänet – 😀!";
    assert_int_equal(ts_utf8_count(s, strlen(s)), 10);
    assert_int_equal(ts_utf8_count("", 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_decode),     cmocka_unit_test(test_next),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
