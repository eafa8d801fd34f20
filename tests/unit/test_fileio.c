/* Whole files read into memory: the sizes, the cap and the errors every reader relies on. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/fileio.h"

typedef struct tmp {
    char dir[64];
    char file[96];
} tmp;

static int setup(void **state)
{
    tmp *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -1;
    strcpy(t->dir, "/tmp/ts_fileio_XXXXXX");
    if (mkdtemp(t->dir) == NULL) {
        free(t);
        return -1;
    }
    snprintf(t->file, sizeof t->file, "%s/f", t->dir);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmp *t = *state;
    unlink(t->file);
    rmdir(t->dir);
    free(t);
    return 0;
}

static void write_file(const char *path, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc('a' + (int)(i % 26), f);
    assert_int_equal(fclose(f), 0);
}

static void test_whole_file(void **state)
{
    tmp *t = *state;
    write_file(t->file, 200000);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(ts_read_file(t->file, 200000, NULL, &data, &len), 0);
    assert_int_equal(len, 200000);
    assert_int_equal(data[0], 'a');
    assert_int_equal(data[199999], 'a' + 199999 % 26);
    free(data);
}

static void test_empty_file(void **state)
{
    tmp *t = *state;
    write_file(t->file, 0);
    char *data = NULL;
    size_t len = 7;
    assert_int_equal(ts_read_file(t->file, 100, NULL, &data, &len), 0);
    assert_non_null(data);
    assert_int_equal(len, 0);
    free(data);
}

static void test_too_large_says_size(void **state)
{
    tmp *t = *state;
    write_file(t->file, 101);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(ts_read_file(t->file, 100, NULL, &data, &len), EFBIG);
    assert_null(data);
    assert_int_equal(len, 101);
}

/* A pipe has no size beforehand: it is read up to one byte past the cap. */
static void test_pipe(void **state)
{
    (void)state;
    for (size_t max = 100; max <= 1000; max += 900) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        char bytes[500];
        memset(bytes, 'x', sizeof bytes);
        assert_int_equal(write(fds[1], bytes, sizeof bytes), (ssize_t)sizeof bytes);
        close(fds[1]);
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fds[0]);
        char *data = NULL;
        size_t len = 1;
        int e = ts_read_file(path, max, NULL, &data, &len);
        close(fds[0]);
        if (max < sizeof bytes) {
            assert_int_equal(e, EFBIG);
            assert_int_equal(len, 0);
            assert_null(data);
        } else {
            assert_int_equal(e, 0);
            assert_int_equal(len, sizeof bytes);
            assert_memory_equal(data, bytes, sizeof bytes);
            free(data);
        }
    }
}

static void test_errors(void **state)
{
    tmp *t = *state;
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(ts_read_file(t->file, 100, NULL, &data, &len), ENOENT);
    assert_int_equal(ts_read_file(t->dir, 100, NULL, &data, &len), EISDIR);
    assert_null(data);
    write_file(t->file, 10);
    ts_alloc_fault fault = {.fail_after = 1};
    assert_int_equal(ts_read_file(t->file, 100, &fault, &data, &len), ENOMEM);
    assert_null(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_whole_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_large_says_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
