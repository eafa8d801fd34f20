/* The shared UTF-8 helpers: every module that reads or writes text goes through them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

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
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
