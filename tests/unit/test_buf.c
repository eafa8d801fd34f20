/* The growable buffer (src/core/buf.c): appends, doubling, printf, the sticky failure, the
 * limit, handing the bytes over. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"

static void test_append(void **state)
{
    (void)state;
    ts_buf b = {0};
    assert_true(ts_buf_str(&b, "Kulttuuri"));
    assert_true(ts_buf_byte(&b, '-'));
    assert_true(ts_buf_append(&b, "ja vapaa-aika", 2));
    assert_int_equal(b.len, 12);
    assert_string_equal(b.data, "Kulttuuri-ja");
    assert_false(b.failed);
    /* Nothing appended to an empty buffer still leaves a string. */
    ts_buf e = {0};
    assert_true(ts_buf_append(&e, "", 0));
    assert_non_null(e.data);
    assert_string_equal(e.data, "");
    ts_buf_free(&e);
    ts_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

/* Bytes appended one at a time cost a logarithmic number of reallocations: the capacity
 * doubles from the first reserve. */
static void test_doubling(void **state)
{
    (void)state;
    ts_buf b = {0};
    assert_true(ts_buf_reserve(&b, 100));
    assert_int_equal(b.cap, 101);
    size_t grew = 0, cap = b.cap;
    for (int i = 0; i < 100000; i++) {
        assert_true(ts_buf_byte(&b, (char)('a' + i % 26)));
        if (b.cap != cap) {
            assert_int_equal(b.cap, 2 * cap);
            cap = b.cap;
            grew++;
        }
    }
    assert_int_equal(b.len, 100000);
    assert_true(grew <= 10);
    assert_int_equal(b.data[99999], 'a' + 99999 % 26);
    assert_int_equal(b.data[100000], '\0');
    ts_buf_free(&b);
}

static void test_printf(void **state)
{
    (void)state;
    ts_buf b = {0};
    assert_true(ts_buf_printf(&b, "%d beginbfrange\n", 100));
    char *long_text = malloc(5000);
    assert_non_null(long_text);
    memset(long_text, 'x', 4999);
    long_text[4999] = '\0';
    /* Longer than printf's first try: printed again into the buffer itself. */
    assert_true(ts_buf_printf(&b, "<%s>", long_text));
    assert_int_equal(b.len, strlen("100 beginbfrange\n") + 5001);
    assert_memory_equal(b.data, "100 beginbfrange\n<xxx", 21);
    assert_int_equal(b.data[b.len - 1], '>');
    assert_int_equal(b.data[b.len], '\0');
    free(long_text);
    ts_buf_free(&b);
}

/* Past the limit an append fails, and so does every later one: the caller asks once. */
static void test_limit_is_sticky(void **state)
{
    (void)state;
    ts_buf b = {.max = 8};
    assert_true(ts_buf_str(&b, "12345678"));
    assert_false(ts_buf_byte(&b, '9'));
    assert_true(b.failed);
    assert_true(b.too_big);
    assert_false(ts_buf_str(&b, ""));
    assert_false(ts_buf_printf(&b, "%s", "a"));
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "12345678");
    /* A failed buffer hands nothing over, and frees what it had. */
    size_t len = 99;
    assert_null(ts_buf_take(&b, &len));
    assert_int_equal(len, 0);
    assert_null(b.data);
    assert_false(b.failed);
    assert_int_equal(b.max, 8);
}

/* A size no memory can hold fails as too big, without allocating. */
static void test_impossible_size(void **state)
{
    (void)state;
    ts_buf b = {0};
    assert_true(ts_buf_str(&b, "x"));
    assert_false(ts_buf_reserve(&b, SIZE_MAX));
    assert_true(b.failed && b.too_big);
    ts_buf_free(&b);
}

static void test_clear_and_take(void **state)
{
    (void)state;
    ts_buf b = {0};
    assert_true(ts_buf_str(&b, "first page"));
    char *kept = b.data;
    size_t cap = b.cap;
    ts_buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_ptr_equal(b.data, kept); /* the memory stays for the next page */
    assert_int_equal(b.cap, cap);
    assert_true(ts_buf_str(&b, "second"));
    size_t len = 0;
    char *taken = ts_buf_take(&b, &len);
    assert_string_equal(taken, "second");
    assert_int_equal(len, 6);
    assert_null(b.data);
    assert_int_equal(b.cap, 0);
    free(taken);
}

/* Typed arrays grow by the same doubling, and refuse a size that would overflow. */
static void test_grow_array(void **state)
{
    (void)state;
    double *items = NULL;
    size_t cap = 0;
    assert_true(ts_grow((void **)&items, &cap, 1, sizeof *items));
    assert_int_equal(cap, 8);
    assert_true(ts_grow((void **)&items, &cap, 9, sizeof *items));
    assert_int_equal(cap, 16);
    assert_true(ts_grow((void **)&items, &cap, 100, sizeof *items));
    assert_int_equal(cap, 128);
    items[127] = 1.5;
    assert_true(ts_grow((void **)&items, &cap, 50, sizeof *items)); /* room already */
    assert_int_equal(cap, 128);
    double *kept = items;
    assert_false(ts_grow((void **)&items, &cap, SIZE_MAX / 4, sizeof *items));
    assert_ptr_equal(items, kept);
    assert_int_equal(cap, 128);
    free(items);
}

/* Appending runs of items to an arena's vector keeps them in order, whatever the block. */
static void test_vec_append(void **state)
{
    (void)state;
    ts_arena *a = ts_arena_new(NULL);
    assert_non_null(a);
    ts_vec v = {0};
    assert_true(ts_vec_append(a, &v, "", 0, 1)); /* nothing, and not a failure */
    assert_int_equal(v.len, 0);
    assert_true(ts_vec_append(a, &v, "Kulttuurin", 10, 1));
    assert_true(ts_vec_append(a, &v, " ja vapaa-ajan toimiala", 23, 1));
    assert_int_equal(v.len, 33);
    assert_true(v.cap >= 33);
    assert_memory_equal(v.items, "Kulttuurin ja vapaa-ajan toimiala", 33);
    int *pushed = ts_vec_push(a, &v, 1);
    assert_non_null(pushed);
    assert_int_equal(v.len, 34);
    assert_false(ts_vec_append(a, &v, "x", SIZE_MAX, 1));
    assert_int_equal(v.len, 34);
    ts_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append),          cmocka_unit_test(test_doubling),
        cmocka_unit_test(test_printf),          cmocka_unit_test(test_limit_is_sticky),
        cmocka_unit_test(test_impossible_size), cmocka_unit_test(test_clear_and_take),
        cmocka_unit_test(test_grow_array),      cmocka_unit_test(test_vec_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
