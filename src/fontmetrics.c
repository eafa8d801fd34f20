/* TrueType metrics for measuring text the way the PDF will show it.
 *
 * Only what measuring needs is kept: the chosen cmap subtable (copied), the advance widths of
 * every glyph already converted to the 1/1000 em integers that libharu 2.3.0 writes into /W, and
 * the hhea ascender and descender as libharu scales them.  The font file is read once and
 * dropped.  Every read is checked against the file's and the table's length, so a damaged or
 * hostile font is refused (or a lookup answers "no glyph") rather than read out of bounds. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct ts_font_metrics {
    uint8_t *cmap; /* the chosen subtable, copied */
    size_t cmap_len;
    unsigned cmap_format; /* 4 or 12 */
    unsigned num_glyphs;
    int16_t *advance; /* per glyph, 1/1000 em as libharu computes it */
    int missing_width;
    int ascent, descent;
};

typedef struct ts_span {
    const uint8_t *p;
    size_t len;
} ts_span;

static unsigned rd16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool find_table(const uint8_t *file, size_t size, const char *tag, ts_span *out)
{
    if (size < 12)
        return false;
    unsigned n = rd16(file + 4);
    if (12 + (size_t)n * 16 > size)
        return false;
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *rec = file + 12 + (size_t)i * 16;
        if (memcmp(rec, tag, 4) != 0)
            continue;
        uint32_t off = rd32(rec + 8), len = rd32(rec + 12);
        if (off > size || len > size - off)
            return false;
        out->p = file + off;
        out->len = len;
        return true;
    }
    return false;
}

/* Checks that a cmap subtable is whole and self-consistent, so that lookups need only check
 * the glyph index array. */
static bool cmap_subtable_ok(const uint8_t *p, size_t avail, unsigned format, size_t *len)
{
    if (format == 4) {
        if (avail < 14)
            return false;
        size_t l = rd16(p + 2);
        if (l > avail || l < 14)
            return false;
        unsigned seg2 = rd16(p + 6);
        if (seg2 == 0 || seg2 % 2 != 0 || 16 + (size_t)seg2 * 4 > l)
            return false;
        *len = l;
        return true;
    }
    if (format == 12) {
        if (avail < 16)
            return false;
        uint32_t l = rd32(p + 4), groups = rd32(p + 12);
        if (l > avail || l < 16 || groups > (l - 16) / 12)
            return false;
        *len = l;
        return true;
    }
    return false;
}

/* Prefers the full-repertoire subtables (format 12) over the BMP ones, Windows over Unicode
 * platform, as PDF viewers and libharu look at Windows Unicode first. */
static bool pick_cmap(ts_font_metrics *fm, ts_span cmap)
{
    if (cmap.len < 4)
        return false;
    unsigned n = rd16(cmap.p + 2);
    if (4 + (size_t)n * 8 > cmap.len)
        return false;
    int best = -1;
    const uint8_t *best_p = NULL;
    size_t best_len = 0;
    unsigned best_format = 0;
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *rec = cmap.p + 4 + (size_t)i * 8;
        unsigned platform = rd16(rec), encoding = rd16(rec + 2);
        uint32_t off = rd32(rec + 4);
        if (off >= cmap.len || cmap.len - off < 2)
            continue;
        const uint8_t *sub = cmap.p + off;
        unsigned format = rd16(sub);
        int rank;
        if (platform == 3 && encoding == 10 && format == 12)
            rank = 4;
        else if (platform == 0 && format == 12)
            rank = 3;
        else if (platform == 3 && encoding == 1 && format == 4)
            rank = 2;
        else if (platform == 0 && format == 4)
            rank = 1;
        else
            continue;
        size_t len;
        if (rank <= best || !cmap_subtable_ok(sub, cmap.len - off, format, &len))
            continue;
        best = rank;
        best_p = sub;
        best_len = len;
        best_format = format;
    }
    if (best < 0)
        return false;
    fm->cmap = malloc(best_len);
    if (fm->cmap == NULL)
        return false;
    memcpy(fm->cmap, best_p, best_len);
    fm->cmap_len = best_len;
    fm->cmap_format = best_format;
    return true;
}

static unsigned lookup4(const ts_font_metrics *fm, uint32_t cp)
{
    if (cp > 0xFFFF)
        return 0;
    const uint8_t *t = fm->cmap;
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
    if (at + 2 > fm->cmap_len)
        return 0;
    unsigned g = rd16(t + at);
    return g == 0 ? 0 : (g + delta) & 0xFFFF;
}

static unsigned lookup12(const ts_font_metrics *fm, uint32_t cp)
{
    const uint8_t *groups = fm->cmap + 16;
    size_t lo = 0, hi = rd32(fm->cmap + 12);
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
    unsigned g = fm->cmap_format == 12 ? lookup12(fm, cp) : lookup4(fm, cp);
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
    free(fm->cmap);
    free(fm->advance);
    free(fm);
}

/* libharu 2.3.0 (hpdf_fontdef_tt.c, GetCharWidth/GetGidWidth) computes a width as
 * (UINT16)(advance * 1000 / unitsPerEm) in unsigned arithmetic and returns it as an INT16. */
static int16_t haru_width(unsigned advance, unsigned upem)
{
    return (int16_t)(uint16_t)((unsigned)advance * 1000u / upem);
}

static const char *parse(ts_font_metrics *fm, const uint8_t *file, size_t size)
{
    if (size < 12)
        return "too short to be a font";
    uint32_t version = rd32(file);
    if (version == 0x4F54544FU) /* "OTTO" */
        return "a CFF (PostScript-outline) font, not TrueType";
    if (version != 0x00010000U && version != 0x74727565U) /* "true" */
        return "not a TrueType font";
    ts_span head, hhea, hmtx, maxp, cmap, glyf;
    if (!find_table(file, size, "head", &head) || head.len < 54)
        return "no usable head table";
    if (!find_table(file, size, "hhea", &hhea) || hhea.len < 36)
        return "no usable hhea table";
    if (!find_table(file, size, "maxp", &maxp) || maxp.len < 6)
        return "no usable maxp table";
    if (!find_table(file, size, "hmtx", &hmtx))
        return "no hmtx table";
    if (!find_table(file, size, "cmap", &cmap))
        return "no cmap table";
    if (!find_table(file, size, "glyf", &glyf))
        return "no glyf table (not TrueType outlines)";

    unsigned upem = rd16(head.p + 18);
    if (upem < 16 || upem > 16384)
        return "unitsPerEm out of range";
    fm->num_glyphs = rd16(maxp.p + 4);
    if (fm->num_glyphs == 0)
        return "no glyphs";
    unsigned n_hmetrics = rd16(hhea.p + 34);
    if (n_hmetrics == 0)
        return "numberOfHMetrics is 0";
    if (n_hmetrics > fm->num_glyphs)
        n_hmetrics = fm->num_glyphs;
    if ((size_t)n_hmetrics * 4 > hmtx.len)
        return "hmtx table shorter than numberOfHMetrics";

    fm->ascent = (int16_t)((int32_t)(int16_t)rd16(hhea.p + 4) * 1000 / (int32_t)upem);
    fm->descent = (int16_t)((int32_t)(int16_t)rd16(hhea.p + 6) * 1000 / (int32_t)upem);

    fm->advance = malloc(sizeof *fm->advance * fm->num_glyphs);
    if (fm->advance == NULL)
        return "out of memory";
    unsigned last = 0;
    for (unsigned g = 0; g < fm->num_glyphs; g++) {
        /* Glyphs past the long metrics repeat the last advance (the OpenType rule). */
        if (g < n_hmetrics)
            last = rd16(hmtx.p + (size_t)g * 4);
        fm->advance[g] = haru_width(last, upem);
    }
    fm->missing_width = fm->advance[0];
    if (!pick_cmap(fm, cmap))
        return "no Unicode cmap (format 4 or 12)";
    return NULL;
}

ts_font_metrics *ts_fm_load(const char *path, ts_diags *diags)
{
    static const ts_pos nowhere = {0, 0};
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        ts_diag_add(diags, path, nowhere, TS_ERROR, "cannot open the font: %s", strerror(errno));
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t size = 0, cap = 0;
    const char *why = NULL;
    for (;;) {
        if (size == cap) {
            size_t ncap = cap ? cap * 2 : 256 * 1024;
            if (ncap > (size_t)64 << 20) {
                why = "larger than 64 MB";
                break;
            }
            uint8_t *nb = realloc(buf, ncap);
            if (nb == NULL) {
                why = "out of memory";
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + size, 1, cap - size, f);
        size += got;
        if (got == 0) {
            if (ferror(f))
                why = "read error";
            break;
        }
    }
    fclose(f);
    ts_font_metrics *fm = NULL;
    if (why == NULL) {
        fm = calloc(1, sizeof *fm);
        why = fm == NULL ? "out of memory" : parse(fm, buf, size);
    }
    free(buf);
    if (why != NULL) {
        ts_fm_free(fm);
        ts_diag_add(diags, path, nowhere, TS_ERROR, "cannot use the font: %s", why);
        return NULL;
    }
    return fm;
}
