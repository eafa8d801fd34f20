/* The font check: what it passes libharu 2.3.0 loads, with the name it says and the widths our
 * metrics give; what it refuses is refused with the reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>

#include "font/fontcheck.h"
#include "pdf/state.h"
#include "text/text.h"

#define FONT(name) TEST_SOURCE_DIR "/fonts/" name

static const char *const shipped[] = {
    "LiberationSans-Regular.ttf",    "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
    "LiberationSans-BoldItalic.ttf", "DejaVuSans.ttf",          "DejaVuSans-Bold.ttf"};

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
    (void)error_no;
    (void)detail_no;
    (*(int *)data)++;
}

/* The name the check computes is the one libharu registers the font by (the layout refuses two
 * files of one name by it). */
static void test_names_as_libharu(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof shipped / sizeof *shipped; i++) {
        char path[4096], why[256];
        snprintf(path, sizeof path, "%s/fonts/%s", TEST_SOURCE_DIR, shipped[i]);
        ts_font_file *f = ts_font_file_read(path, why, sizeof why, NULL);
        if (f == NULL)
            fail_msg("%s: %s", shipped[i], why);
        int errors = 0;
        HPDF_Doc doc = HPDF_New(on_error, &errors);
        assert_non_null(doc);
        const char *name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
        assert_non_null(name);
        assert_string_equal(f->font_name, name);
        HPDF_Free(doc);
        ts_font_file_free(f);
    }
}

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *size = (size_t)n;
    return buf;
}

static unsigned rd16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Bytes scribbled over the directory and the small tables libharu parses (not over glyph
 * outlines, which it only copies): every font that passes the check must load in libharu
 * without an error, give the widths our metrics give for the characters both map, and become
 * a UTF-8 font as the PDF makes it. */
static void test_what_passes_loads(void **state)
{
    (void)state;
    size_t size;
    uint8_t *orig = slurp(FONT("LiberationSans-Regular.ttf"), &size);
    uint8_t *buf = malloc(size);
    assert_non_null(buf);
    static const char *const tags[] = {"head", "hhea", "maxp", "hmtx", "loca",
                                       "cmap", "name", "OS/2", "post"};
    const char *tmp = "test_fontcheck_mutant.ttf";
    uint32_t seed = 2024;
    int passed = 0, refused = 0;
    for (int round = 0; round < 400; round++) {
        memcpy(buf, orig, size);
        /* One table, or the directory, gets a few bytes changed. */
        seed = seed * 1103515245u + 12345u;
        size_t pick = (seed >> 8) % (sizeof tags / sizeof *tags + 1);
        uint32_t at = 0, len = 12 + 16 * rd16(orig + 4);
        for (unsigned t = 0; pick < sizeof tags / sizeof *tags && t < rd16(orig + 4); t++) {
            const uint8_t *rec = orig + 12 + 16 * t;
            if (memcmp(rec, tags[pick], 4) == 0) {
                at = rd32(rec + 8);
                len = rd32(rec + 12);
            }
        }
        for (int k = 0; k <= round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t where = at + (seed >> 8) % (len > 64 && k % 2 ? 64 : len);
            seed = seed * 1103515245u + 12345u;
            buf[where] = (uint8_t)(seed >> 16);
        }
        ts_font_file f = {0};
        char why[256];
        if (!ts_font_check(buf, size, &f, why, sizeof why)) {
            refused++;
            assert_true(strlen(why) > 0);
            continue;
        }
        passed++;
        FILE *fp = fopen(tmp, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(buf, 1, size, fp), size);
        fclose(fp);
        int errors = 0;
        HPDF_Doc doc = HPDF_New(on_error, &errors);
        assert_non_null(doc);
        const char *name = HPDF_LoadTTFontFromFile(doc, tmp, HPDF_TRUE);
        if (name == NULL)
            fail_msg("round %d: the check passes a font libharu refuses", round);
        HPDF_FontDef def = HPDF_GetFontDef(doc, name);
        assert_non_null(def);
        assert_string_equal(f.font_name, name);
        f.data = buf;
        f.size = size;
        ts_font_metrics *fm = ts_fm_new(&f);
        assert_non_null(fm);
        for (unsigned cp = 0x20; cp < 0x250; cp++) {
            unsigned g = ts_fm_glyph(fm, cp);
            if (g == 0 || HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) != g)
                continue;
            if (HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp) != ts_fm_advance(fm, g))
                fail_msg("round %d: U+%04X is %d wide to libharu, %d to us", round, cp,
                         HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp), ts_fm_advance(fm, g));
        }
        /* The PDF's path from here: the cmap flattened, then the font made for UTF-8. */
        assert_int_equal(ts_shim_flatten_cmap(def), 0);
        assert_int_equal(HPDF_UseUTFEncodings(doc), HPDF_OK);
        assert_non_null(HPDF_GetFont(doc, name, "UTF-8"));
        assert_int_equal(errors, 0);
        ts_fm_free(fm);
        HPDF_Free(doc);
    }
    remove(tmp);
    /* Both outcomes are common: the test says something of each. */
    assert_true(passed > 40);
    assert_true(refused > 40);
    free(buf);
    free(orig);
}

/* Each reason names what is wrong; the path's kind is said without opening a FIFO. */
static void test_reasons(void **state)
{
    (void)state;
    char why[256];
    assert_null(ts_font_file_read(FONT("none.ttf"), why, sizeof why, NULL));
    assert_string_equal(why, "cannot be read: No such file or directory");
    assert_null(ts_font_file_read(TEST_SOURCE_DIR "/fonts", why, sizeof why, NULL));
    assert_string_equal(why, "cannot be read: it is a folder, not a regular file");
    assert_null(ts_font_file_read("/dev/null", why, sizeof why, NULL));
    assert_string_equal(why, "cannot be read: it is a device, not a regular file");
    assert_null(ts_font_file_read(FONT("LICENSE-DejaVuSans.txt"), why, sizeof why, NULL));
    assert_string_equal(why, "is not a TrueType font (glyf outlines)");

    size_t size;
    uint8_t *buf = slurp(FONT("DejaVuSans.ttf"), &size);
    ts_font_file f = {0};
    assert_true(ts_font_check(buf, size, &f, why, sizeof why));
    assert_int_equal(f.units_per_em, 2048);
    assert_int_equal(f.num_glyphs, 6253);
    assert_true(f.cmap_bmp.length > 0 && f.cmap_full.length > 0);
    assert_false(ts_font_check(buf, 11, &f, why, sizeof why));
    assert_string_equal(why, "is not a TrueType font (glyf outlines): it is only 11 bytes long");
    assert_false(ts_font_check(buf, 12 + 16 * 3, &f, why, sizeof why));
    assert_string_equal(why, "cannot be used: it is truncated: its table directory needs 332 "
                             "bytes, the file has 60");
    memcpy(buf, "ttcf", 4);
    assert_false(ts_font_check(buf, size, &f, why, sizeof why));
    assert_string_equal(why, "is not a TrueType font (glyf outlines): it is a font collection "
                             "(.ttc)");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_as_libharu),
        cmocka_unit_test(test_what_passes_loads),
        cmocka_unit_test(test_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
