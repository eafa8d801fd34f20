/* The document's fonts (fonts.c): read and checked when the document is opened, given to
 * libharu when first drawn with, asked which code points they have. */
#ifndef TS_PDF_FONTS_H
#define TS_PDF_FONTS_H

#include <stdbool.h>
#include <stdint.h>

#include <hpdf.h>

#include "core/arena.h"
#include "font/fontcheck.h"
#include "pdf/state.h"

/* What libharu says of a font's BMP code points, asked once per code point: whether it has a
 * glyph (libharu's cmap lookup is a linear search) and, when it has, that glyph is marked used
 * (for the embedded subset). */
struct ts_font_cache {
    unsigned char known[8192]; /* bit per code point */
    unsigned char has[8192];
};

/* Reads and checks every font of the layout, and makes their metrics; -1 with an error in
 * diags.  ts_pdf_fonts_free frees what it made (after HPDF_Free: libharu reads the bytes). */
int ts_pdf_fonts_load(ts_pdf *pdf);
void ts_pdf_fonts_free(ts_pdf *pdf);

/* The libharu font of a face (loaded, with its ToUnicode fixed, on first use); NULL with an
 * error in diags when libharu refuses it. */
HPDF_Font ts_pdf_font(ts_pdf *pdf, ts_face face, bool fallback);

/* The first font slot of a face (slots 0..3 the text font, 4..7 the fallback). */
int ts_pdf_font_slot(const ts_pdf *pdf, ts_face face, bool fallback);

/* ts_shim_load_ttf, and the font's /CapHeight worked out from its tables. */
const char *ts_pdf_load_ttf(HPDF_Doc doc, ts_arena *arena, const ts_font_file *f, char tag[7]);

/* Whether the font of slot (loaded) has a glyph for cp; a glyph it has is marked used.  Asked
 * for every character drawn, so the answer already known is looked up inline. */
bool ts_pdf_font_has_slow(ts_pdf *pdf, int slot, uint32_t cp);

static inline bool ts_pdf_font_has(ts_pdf *pdf, int slot, uint32_t cp)
{
    const ts_font_cache *c = pdf->fcache[slot];
    if (c != NULL && cp != 0 && cp <= 0xFFFF) {
        unsigned bit = 1u << (cp & 7);
        if (c->known[cp >> 3] & bit)
            return (c->has[cp >> 3] & bit) != 0;
    }
    return ts_pdf_font_has_slow(pdf, slot, cp);
}

#endif
