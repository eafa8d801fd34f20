/* Where the drawing layer replaces a slow path of libharu 2.3.0, the answers must be libharu's:
 * the operators' numbers as HPDF_FToA writes them, and a font's glyph for every BMP code point
 * after its cmap is flattened. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_utils.h>

#include "pdf/state.h"

static void expect_same(HPDF_REAL v)
{
    char theirs[64] = {0}, ours[64];
    HPDF_FToA(theirs, v, theirs + sizeof theirs - 1);
    char *end = ts_shim_real(ours, v);
    *end = '\0';
    if (strcmp(theirs, ours) != 0)
        fail_msg("%.9g: libharu writes \"%s\", ts_shim_real \"%s\"", (double)v, theirs, ours);
    assert_true(end - ours <= 12);
}

static void test_same_as_libharu(void **state)
{
    (void)state;
    /* Every step of 1/1000 over a landscape slide, both signs. */
    for (int i = -1200000; i <= 1200000; i++)
        expect_same((HPDF_REAL)i / 1000.0f);
    /* Colours: every 8-bit channel value and its neighbourhood. */
    for (int c = 0; c <= 255; c++) {
        expect_same((HPDF_REAL)(c / 255.0));
        expect_same(nextafterf((HPDF_REAL)(c / 255.0), 2.0f));
    }
    /* The edges: rounding up into the next integer, the clamp, and zero. */
    static const HPDF_REAL edges[] = {0.0f,     -0.0f,     0.0000049f, 0.000005f, -0.000004f,
                                      0.99999f, 0.999996f, 9.999996f,  99.99999f, 32767.0f,
                                      32768.5f, -40000.0f, 1e-30f,     1e9f,      -1e9f};
    for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
        expect_same(edges[i]);
    /* Random floats over the range libharu writes. */
    srand(12345);
    for (int i = 0; i < 1000000; i++)
        expect_same(((HPDF_REAL)rand() / (HPDF_REAL)RAND_MAX - 0.5f) * 70000.0f);
}

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    (void)user_data;
    fail_msg("libharu error 0x%04X (%u)", (unsigned)error_no, (unsigned)detail_no);
}

/* Every font the project ships, flattened in one document and not in another: the same glyph
 * for each of the 65,536 code points. */
static void test_flat_cmap_same_glyphs(void **state)
{
    (void)state;
    static const char *const files[] = {
        "LiberationSans-Regular.ttf",    "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
        "LiberationSans-BoldItalic.ttf", "DejaVuSans.ttf",          "DejaVuSans-Bold.ttf"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/fonts/%s", TEST_SOURCE_DIR, files[f]);
        HPDF_Doc as_is = HPDF_New(on_error, NULL), flat = HPDF_New(on_error, NULL);
        assert_non_null(as_is);
        assert_non_null(flat);
        const char *n1 = HPDF_LoadTTFontFromFile(as_is, path, HPDF_TRUE);
        const char *n2 = HPDF_LoadTTFontFromFile(flat, path, HPDF_TRUE);
        assert_non_null(n1);
        assert_non_null(n2);
        HPDF_FontDef d1 = HPDF_GetFontDef(as_is, n1), d2 = HPDF_GetFontDef(flat, n2);
        unsigned segs = ((HPDF_TTFontDefAttr)d1->attr)->cmap.seg_count_x2 / 2u;
        assert_true(segs > 1);
        assert_int_equal(ts_shim_flatten_cmap(d2), 0);
        assert_int_equal(((HPDF_TTFontDefAttr)d2->attr)->cmap.seg_count_x2, 2);
        size_t glyphs = 0;
        for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
            HPDF_UINT16 a = HPDF_TTFontDef_GetGlyphid(d1, (HPDF_UINT16)cp);
            HPDF_UINT16 b = HPDF_TTFontDef_GetGlyphid(d2, (HPDF_UINT16)cp);
            if (a != b)
                fail_msg("%s U+%04X: glyph %u, flattened %u", files[f], cp, a, b);
            glyphs += a != 0;
        }
        assert_true(glyphs > 2000); /* the fonts cover Latin, Greek and Cyrillic at least */
        HPDF_Free(as_is);
        HPDF_Free(flat);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_libharu),
        cmocka_unit_test(test_flat_cmap_same_glyphs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
