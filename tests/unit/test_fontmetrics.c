/* Font metrics: the widths we measure must be the widths libharu writes to /W. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text/text.h"

#define FONT(name) TEST_SOURCE_DIR "/fonts/" name

static ts_font_metrics *load(const char *path)
{
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_font_metrics *fm = ts_fm_load(path, &d);
    assert_int_equal(d.errors, fm == NULL ? 1 : 0);
    ts_diags_free(&d);
    return fm;
}

/* Hand-computed from Liberation Sans Regular's hmtx (unitsPerEm 2048):
 * H 1479, e 1139, l 455, s 1024, i 455, n 1139, k 1024 font units;
 * trunc(aw * 1000 / 2048) = 722, 556, 222, 500, 222, 556, 500. */
static void test_helsinki_widths(void **state)
{
    (void)state;
    ts_font_metrics *fm = load(FONT("LiberationSans-Regular.ttf"));
    assert_non_null(fm);
    const int expect[] = {722, 556, 222, 500, 222, 556, 500, 222};
    const char *word = "Helsinki";
    int sum = 0;
    for (size_t i = 0; word[i]; i++) {
        unsigned g = ts_fm_glyph(fm, (unsigned char)word[i]);
        assert_int_not_equal(g, 0);
        assert_int_equal(ts_fm_advance(fm, g), expect[i]);
        sum += ts_fm_advance(fm, g);
    }
    assert_int_equal(sum, 3500);
    /* 18 pt: 3500 / 1000 * 18 = 63 pt. */
    assert_true(sum * 18.0 / 1000.0 == 63.0);
    assert_int_equal(ts_fm_glyph(fm, 'H'), 43);
    assert_int_equal(ts_fm_ascent(fm), 905);   /* 1854 * 1000 / 2048 */
    assert_int_equal(ts_fm_descent(fm), -211); /* -434 * 1000 / 2048, truncated to zero */
    ts_fm_free(fm);
}

static void test_presence(void **state)
{
    (void)state;
    ts_font_metrics *lib = load(FONT("LiberationSans-Regular.ttf"));
    ts_font_metrics *dv = load(FONT("DejaVuSans.ttf"));
    assert_non_null(lib);
    assert_non_null(dv);
    assert_int_equal(ts_fm_glyph(lib, 0xE4), 166); /* ä */
    assert_int_equal(ts_fm_advance(lib, 166), 556);
    assert_int_equal(ts_fm_glyph(lib, 0x6F22), 0); /* 漢 */
    assert_int_equal(ts_fm_glyph(dv, 0x6F22), 0);
    assert_int_equal(ts_fm_glyph(lib, 0xFFFD), 0);
    /* A BMP code point comes from the format 4 cmap libharu draws with; beyond the BMP,
     * DejaVu's format 12 one answers (the workbook measures such characters). */
    assert_int_equal(ts_fm_glyph(dv, 0xFFFD), 5372);
    assert_int_equal(ts_fm_glyph(dv, 0x1D538), 5495); /* double-struck A */
    assert_int_equal(ts_fm_glyph(dv, 0x1D53A), 0);
    assert_int_equal(ts_fm_advance(dv, 5372), 1025); /* 2100 * 1000 / 2048 */
    assert_int_equal(ts_fm_glyph(lib, 0x2022), 2030);
    assert_int_equal(ts_fm_advance(lib, 2030), 350);
    assert_int_equal(ts_fm_glyph(lib, 0x1F600), 0);
    assert_int_equal(ts_fm_glyph(lib, 0x10FFFF), 0);
    /* The missing glyph's width, as libharu gives for a glyph id out of range. */
    assert_int_equal(ts_fm_advance(lib, 0), 750);
    assert_int_equal(ts_fm_advance(lib, 65535), 750);
    ts_fm_free(lib);
    ts_fm_free(dv);
}

static void test_refused(void **state)
{
    (void)state;
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    assert_null(ts_fm_load(TEST_SOURCE_DIR "/fonts/no-such-font.ttf", &d));
    assert_null(ts_fm_load(TEST_SOURCE_DIR "/fonts/LICENSE-DejaVuSans.txt", &d));
    assert_int_equal(d.errors, 2);
    const ts_diag *items = d.list.items;
    assert_non_null(strstr(items[0].file, "no-such-font.ttf"));
    assert_non_null(strstr(items[0].message, "cannot be read: No such file"));
    assert_non_null(strstr(items[1].message, "not a TrueType font"));
    ts_diags_free(&d);
}

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return buf;
}

/* A damaged font is refused or answers lookups without reading out of bounds (the sanitizer
 * build turns any stray read into a failure). */
static void test_hostile(void **state)
{
    (void)state;
    size_t size;
    uint8_t *orig = slurp(FONT("DejaVuSans.ttf"), &size);
    uint8_t *buf = malloc(size);
    assert_non_null(buf);
    const char *tmp = "test_fontmetrics_hostile.ttf";
    uint32_t seed = 12345;
    int loaded = 0, refused = 0;
    for (int round = 0; round < 60; round++) {
        memcpy(buf, orig, size);
        size_t len = size;
        if (round % 3 == 0) {
            seed = seed * 1103515245u + 12345u;
            len = (seed >> 8) % size;
        }
        /* Scribble over the table directory and the start of the tables. */
        for (int k = 0; k < 40; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % (round % 2 ? 400 : len ? len : 1);
            if (at < len)
                buf[at] = (uint8_t)(seed >> 3);
        }
        FILE *f = fopen(tmp, "wb");
        assert_non_null(f);
        fwrite(buf, 1, len, f);
        fclose(f);
        ts_diags d;
        assert_true(ts_diags_init(&d, NULL));
        ts_font_metrics *fm = ts_fm_load(tmp, &d);
        if (fm != NULL) {
            loaded++;
            for (uint32_t cp = 0; cp < 0x11000; cp += 7)
                (void)ts_fm_advance(fm, ts_fm_glyph(fm, cp));
            ts_fm_free(fm);
        } else {
            refused++;
            assert_int_equal(d.errors, 1);
        }
        ts_diags_free(&d);
    }
    remove(tmp);
    assert_int_equal(loaded + refused, 60);
    assert_true(refused > 0);
    free(buf);
    free(orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helsinki_widths),
        cmocka_unit_test(test_presence),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
