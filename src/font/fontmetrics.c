/* TrueType metrics for measuring text the way the PDF will show it.
 *
 * Only what measuring needs is kept: the cmap subtables (copied), the advance widths of every
 * glyph already converted to the 1/1000 em integers that libharu 2.3.0 writes into /W, and the
 * hhea ascender and descender as libharu scales them.  The font is read and checked by
 * fontcheck.c, so every count and offset used here is already known to be inside its table.
 *
 * A BMP code point is looked up in the Windows Unicode format 4 subtable, the one libharu draws
 * with, so that the glyph we measure is the glyph the PDF shows; only a code point beyond the
 * BMP goes to the format 12 subtable (the workbook measures those; libharu cannot draw them). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font/fontmetrics.h"

struct ts_font_metrics {
    uint8_t *bmp; /* the format 4 subtable, copied */
    size_t bmp_len;
    uint8_t *full; /* the format 12 subtable, copied; NULL when the font has none */
    unsigned num_glyphs;
    int16_t *advance; /* per glyph, 1/1000 em as libharu computes it */
    int missing_width;
    int ascent, descent;
};

static unsigned rd16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static unsigned lookup4(const ts_font_metrics *fm, uint32_t cp)
{
    const uint8_t *t = fm->bmp;
    size_t seg2 = rd16(t + 6);
    const uint8_t *ends = t + 14, *starts = ends + seg2 + 2, *deltas = starts + seg2,
                  *ranges = deltas + seg2;
    /* The end codes are sorted: binary search for the first segment ending at or after cp. */
    size_t lo = 0, hi = seg2 / 2;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rd16(ends + mid * 2) < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= seg2 / 2)
        return 0;
    size_t s = lo * 2;
    unsigned start = rd16(starts + s);
    if (cp < start)
        return 0;
    unsigned delta = rd16(deltas + s), range = rd16(ranges + s);
    if (range == 0)
        return (cp + delta) & 0xFFFF;
    size_t at = (size_t)(ranges + s - t) + range + (cp - start) * 2;
    if (at + 2 > fm->bmp_len)
        return 0;
    unsigned g = rd16(t + at);
    return g == 0 ? 0 : (g + delta) & 0xFFFF;
}

static unsigned lookup12(const ts_font_metrics *fm, uint32_t cp)
{
    if (fm->full == NULL)
        return 0;
    const uint8_t *groups = fm->full + 16;
    size_t lo = 0, hi = rd32(fm->full + 12);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const uint8_t *g = groups + mid * 12;
        uint32_t start = rd32(g), end = rd32(g + 4);
        if (cp < start)
            hi = mid;
        else if (cp > end)
            lo = mid + 1;
        else {
            uint64_t gid = (uint64_t)rd32(g + 8) + (cp - start);
            return gid > 0xFFFF ? 0 : (unsigned)gid;
        }
    }
    return 0;
}

unsigned ts_fm_glyph(const ts_font_metrics *fm, uint32_t cp)
{
    if (fm == NULL)
        return 0;
    unsigned g = cp <= 0xFFFF ? lookup4(fm, cp) : lookup12(fm, cp);
    return g < fm->num_glyphs ? g : 0;
}

int ts_fm_advance(const ts_font_metrics *fm, unsigned glyph)
{
    if (fm == NULL)
        return 0;
    if (glyph >= fm->num_glyphs)
        return fm->missing_width;
    return fm->advance[glyph];
}

int ts_fm_ascent(const ts_font_metrics *fm)
{
    return fm ? fm->ascent : 0;
}

int ts_fm_descent(const ts_font_metrics *fm)
{
    return fm ? fm->descent : 0;
}

void ts_fm_free(ts_font_metrics *fm)
{
    if (fm == NULL)
        return;
    free(fm->bmp);
    free(fm->full);
    free(fm->advance);
    free(fm);
}

/* libharu 2.3.0 (hpdf_fontdef_tt.c, GetCharWidth/GetGidWidth) computes a width as
 * (UINT16)(advance * 1000 / unitsPerEm) in unsigned arithmetic and returns it as an INT16. */
static int16_t haru_width(unsigned advance, unsigned upem)
{
    return (int16_t)(uint16_t)((unsigned)advance * 1000u / upem);
}

static uint8_t *copy_of(const ts_font_file *f, ts_font_span span)
{
    uint8_t *p = malloc(span.length);
    if (p != NULL)
        memcpy(p, f->data + span.offset, span.length);
    return p;
}

ts_font_metrics *ts_fm_new(const ts_font_file *f)
{
    ts_font_metrics *fm = calloc(1, sizeof *fm);
    if (fm == NULL)
        return NULL;
    unsigned upem = f->units_per_em;
    const uint8_t *hhea = f->data + f->hhea.offset, *hmtx = f->data + f->hmtx.offset;
    fm->num_glyphs = f->num_glyphs;
    fm->ascent = (int16_t)((int32_t)(int16_t)rd16(hhea + 4) * 1000 / (int32_t)upem);
    fm->descent = (int16_t)((int32_t)(int16_t)rd16(hhea + 6) * 1000 / (int32_t)upem);
    fm->bmp_len = f->cmap_bmp.length;
    fm->bmp = copy_of(f, f->cmap_bmp);
    fm->full = f->cmap_full.length != 0 ? copy_of(f, f->cmap_full) : NULL;
    fm->advance = malloc(sizeof *fm->advance * fm->num_glyphs);
    if (fm->bmp == NULL || (f->cmap_full.length != 0 && fm->full == NULL) || fm->advance == NULL) {
        ts_fm_free(fm);
        return NULL;
    }
    unsigned last = 0;
    for (unsigned g = 0; g < fm->num_glyphs; g++) {
        /* Glyphs past the long metrics repeat the last advance (the OpenType rule). */
        if (g < f->num_hmetrics)
            last = rd16(hmtx + (size_t)g * 4);
        fm->advance[g] = haru_width(last, upem);
    }
    fm->missing_width = fm->advance[0];
    return fm;
}

ts_font_metrics *ts_fm_load(const char *path, ts_diags *diags)
{
    char why[256];
    ts_fault kind;
    ts_font_file *f = ts_font_file_read(path, why, sizeof why, &kind);
    if (f == NULL) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, kind, "the font %s", why);
        return NULL;
    }
    ts_font_metrics *fm = ts_fm_new(f);
    ts_font_file_free(f);
    if (fm == NULL)
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory reading the font");
    return fm;
}
