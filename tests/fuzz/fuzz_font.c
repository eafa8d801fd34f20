/* libFuzzer target: bytes as a font file named by a layout.  They go through the font check
 * (src/font/fontcheck.c); a font it passes then goes through everything that reads a font: our
 * metrics, and libharu as the PDF writer drives it (loaded from the checked bytes, its cmap
 * flattened, made a UTF-8 font, drawn with, and saved, which embeds its subset).  libharu
 * refusing a font that the check passed is a finding too (it would end a build with exit 3 at
 * the wrong place), reported by abort().
 *
 *   tests/fuzz/run-font [SECONDS]      builds and runs it (seeds: the shipped fonts)
 *   fuzz_font_replay FILE...           (built without libFuzzer) runs files through the same
 *                                      path; a finding aborts, else the exit status is 0 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "core/fileio.h"
#include "font/fontcheck.h"
#include "pdf/fonts.h"
#include "text/text.h"

static void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *data)
{
    HPDF_STATUS *first = data;
    if (*first == 0)
        *first = error_no != 0 ? error_no : 1;
    (void)detail_no;
}

static void finding(const char *what, HPDF_STATUS error)
{
    fprintf(stderr, "fuzz_font: the check passed a font that %s (libharu error 0x%04X)\n", what,
            (unsigned)error);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ts_font_file f;
    memset(&f, 0, sizeof f);
    char why[256];
    if (!ts_font_check(data, size, &f, why, sizeof why))
        return 0;
    f.data = (uint8_t *)data;
    f.size = size;

    ts_font_metrics *fm = ts_fm_new(&f);
    if (fm != NULL) {
        for (uint32_t cp = 0; cp < 0x3000; cp++)
            (void)ts_fm_advance(fm, ts_fm_glyph(fm, cp));
        for (uint32_t cp = 0x10000; cp < 0x110000; cp += 97)
            (void)ts_fm_advance(fm, ts_fm_glyph(fm, cp));
        ts_fm_free(fm);
    }

    HPDF_STATUS error = 0;
    HPDF_Doc doc = HPDF_New(on_error, &error);
    ts_arena *arena = ts_arena_new(NULL);
    if (doc == NULL || arena == NULL) {
        if (doc != NULL)
            HPDF_Free(doc);
        ts_arena_free(arena);
        return 0;
    }
    char tag[7] = "";
    const char *name = ts_pdf_load_ttf(doc, arena, &f, tag);
    if (name == NULL)
        finding("libharu cannot load", error);
    HPDF_FontDef def = HPDF_GetFontDef(doc, name);
    if (def == NULL || ts_shim_flatten_cmap(def) != 0 || HPDF_UseUTFEncodings(doc) != HPDF_OK)
        finding("libharu cannot prepare", error);
    HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
    if (font == NULL)
        finding("libharu cannot make a UTF-8 font of", error);
    HPDF_Page page = HPDF_AddPage(doc);
    if (page == NULL || HPDF_Page_SetFontAndSize(page, font, 12) != HPDF_OK ||
        HPDF_Page_BeginText(page) != HPDF_OK ||
        HPDF_Page_ShowText(page, "Helsinki \xc3\x84\xc3\x96 \xe2\x82\xac 1\xe2\x80\x93"
                                 "2") != HPDF_OK ||
        HPDF_Page_EndText(page) != HPDF_OK)
        finding("libharu cannot draw with", error);
    if (HPDF_SaveToStream(doc) != HPDF_OK)
        finding("libharu cannot embed", error);
    HPDF_Free(doc);
    ts_arena_free(arena);
    return 0;
}

#ifndef TS_LIBFUZZER
int main(int argc, char **argv)
{
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        char *data;
        size_t len;
        if (ts_read_file(argv[i], TS_FONT_MAX_SIZE, NULL, &data, &len) != 0) {
            fprintf(stderr, "fuzz_font_replay: cannot read %s\n", argv[i]);
            rc = 2;
            continue;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        free(data);
    }
    return rc;
}
#endif
