/* The font check: every count, offset and length that libharu 2.3.0 (hpdf_fontdef_tt.c) or our
 * metrics reader relies on, checked against the file before either reads it.
 *
 * What libharu trusts, and what is checked for it here:
 * - LoadTTFTable allocates numTables records (it refuses more than 625) and never compares an
 *   offset or a length with the file: every table must lie inside the file;
 * - ParseHead divides every width and metric by unitsPerEm (16..16384 here), and GetCharWidth
 *   returns (INT16)(UINT16)(advance * 1000 / unitsPerEm): no advance may pass 32,767 there;
 * - ParseHmtx allocates maxp's numGlyphs metrics and writes hhea's numberOfHMetrics of them
 *   (the heap overflow of issue 13), then reads a left side bearing for each other glyph;
 * - ParseLoca reads numGlyphs + 1 offsets in the format head names (anything but 0 is read as
 *   long), and RecreateGLYF copies offsets[i + 1] - offsets[i] bytes of each glyph it embeds:
 *   loca must be long enough, never go backwards and stay inside glyf;
 * - ParseCMap reads the format of every subtable until the first Windows Unicode (3,1) format
 *   4 one, which it requires; ParseCMAP_format4 takes a glyph index array of (length - header)
 *   / 2 entries, GetGlyphid searches the segments for the first whose end is not below the code
 *   point (none: it reads past its arrays) and reads one past the glyph index array when asked,
 *   and GetCharBBox, at load, indexes loca by whatever glyph id that gives for 'H' and 'x';
 * - ParseName keeps every record, reads the PostScript and subfamily names (Macintosh Roman or
 *   Windows US English) and refuses them when together they pass 119 bytes; RecreateName copies
 *   every record's string when the font is embedded;
 * - ParseOS2 reads up to byte 42 (86 from version 1 on) and refuses a font whose fsType forbids
 *   embedding.
 * The metrics reader (fontmetrics.c) uses the same tables and the format 12 subtable. */
#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC, S_ISSOCK */
#include "font/fontcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libharu refuses a directory of more records than fit in HPDF_TTF_MAX_MEM_SIZ (10,000 bytes
 * of 16-byte records). */
enum { MAX_TABLES = 625 };

/* Past this, GetCharWidth's (INT16) turns a width negative. */
enum { MAX_WIDTH = 32767 };

static unsigned rd16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static int rds16(const uint8_t *p)
{
    return (int16_t)(uint16_t)rd16(p);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

typedef struct checker {
    const uint8_t *data;
    size_t size;
    ts_font_file *f;
    char *why;
    size_t why_size;
} checker;

static bool say(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool say(checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->why_size, fmt, ap);
    va_end(ap);
    return false;
}

/* A table's tag as text, whatever its bytes. */
static void tag_text(const uint8_t *p, char out[5])
{
    for (int i = 0; i < 4; i++)
        out[i] = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
    out[4] = '\0';
}

/* ---- The table directory --------------------------------------------------------------- */

typedef struct wanted {
    const char *tag;
    size_t offset; /* of its span in ts_font_file */
} wanted;

static const wanted required[] = {
    {"head", offsetof(ts_font_file, head)}, {"hhea", offsetof(ts_font_file, hhea)},
    {"maxp", offsetof(ts_font_file, maxp)}, {"hmtx", offsetof(ts_font_file, hmtx)},
    {"loca", offsetof(ts_font_file, loca)}, {"glyf", offsetof(ts_font_file, glyf)},
    {"cmap", offsetof(ts_font_file, cmap)}, {"name", offsetof(ts_font_file, name)},
    {"post", offsetof(ts_font_file, post)}, {"OS/2", offsetof(ts_font_file, os2)},
};

static bool check_directory(checker *c)
{
    const uint8_t *d = c->data;
    if (c->size < 12)
        return say(c, "is not a TrueType font (glyf outlines): it is only %zu bytes long", c->size);
    uint32_t version = rd32(d);
    if (version == 0x4F54544FU) /* "OTTO" */
        return say(c, "is not a TrueType font (glyf outlines): it has CFF (PostScript) outlines");
    if (version == 0x74746366U) /* "ttcf" */
        return say(c, "is not a TrueType font (glyf outlines): it is a font collection (.ttc)");
    if (version != 0x00010000U && version != 0x74727565U) /* "true" */
        return say(c, "is not a TrueType font (glyf outlines)");
    unsigned n = rd16(d + 4);
    if (n == 0)
        return say(c, "cannot be used: its table directory is empty");
    if (n > MAX_TABLES)
        return say(c, "cannot be used: its table directory claims %u tables (libharu reads %d)", n,
                   MAX_TABLES);
    if (12 + (size_t)n * 16 > c->size)
        return say(c,
                   "cannot be used: it is truncated: its table directory needs %zu bytes, the "
                   "file has %zu",
                   12 + (size_t)n * 16, c->size);
    unsigned found = 0;
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *rec = d + 12 + (size_t)i * 16;
        char tag[5];
        tag_text(rec, tag);
        uint32_t off = rd32(rec + 8), len = rd32(rec + 12);
        if ((uint64_t)off + len > c->size)
            return say(c,
                       "cannot be used: it is truncated or damaged: its '%s' table (%u bytes "
                       "at byte %u) runs past the end of the file (%zu bytes)",
                       tag, len, off, c->size);
        for (unsigned k = 0; k < i; k++)
            if (memcmp(d + 12 + (size_t)k * 16, rec, 4) == 0)
                return say(c, "cannot be used: its table directory names the '%s' table twice",
                           tag);
        for (size_t w = 0; w < sizeof required / sizeof required[0]; w++)
            if (memcmp(rec, required[w].tag, 4) == 0) {
                *(ts_font_span *)(void *)((char *)c->f + required[w].offset) =
                    (ts_font_span){off, len};
                found |= 1u << w;
            }
    }
    for (size_t w = 0; w < sizeof required / sizeof required[0]; w++)
        if (!(found & 1u << w))
            return say(c, "cannot be used: it lacks the '%s' table", required[w].tag);
    return true;
}

/* ---- Header and metrics ---------------------------------------------------------------- */

static bool check_metrics(checker *c)
{
    ts_font_file *f = c->f;
    const uint8_t *head = c->data + f->head.offset, *hhea = c->data + f->hhea.offset;
    if (f->head.length < 54)
        return say(c, "cannot be used: its 'head' table is %u bytes long; it must have 54",
                   f->head.length);
    if (rd32(head + 12) != 0x5F0F3CF5U)
        return say(c, "cannot be used: its 'head' table lacks TrueType's magic number");
    f->units_per_em = rd16(head + 18);
    if (f->units_per_em < 16 || f->units_per_em > 16384)
        return say(c, "cannot be used: its unitsPerEm is %u; TrueType allows 16 to 16384",
                   f->units_per_em);
    int loc_format = rds16(head + 50);
    if (loc_format != 0 && loc_format != 1)
        return say(c,
                   "cannot be used: its indexToLocFormat is %d; TrueType has only 0 (short) "
                   "and 1 (long)",
                   loc_format);
    if (f->maxp.length < 6)
        return say(c, "cannot be used: its 'maxp' table is %u bytes long; it needs 6",
                   f->maxp.length);
    f->num_glyphs = rd16(c->data + f->maxp.offset + 4);
    if (f->num_glyphs == 0)
        return say(c, "cannot be used: its 'maxp' table says it has no glyphs");
    if (f->hhea.length < 36)
        return say(c, "cannot be used: its 'hhea' table is %u bytes long; it must have 36",
                   f->hhea.length);
    f->num_hmetrics = rd16(hhea + 34);
    if (f->num_hmetrics == 0 || f->num_hmetrics > f->num_glyphs)
        return say(c,
                   "cannot be used: its 'hhea' table claims %u horizontal metrics for %u "
                   "glyphs (maxp)",
                   f->num_hmetrics, f->num_glyphs);
    size_t need = (size_t)f->num_hmetrics * 4 + (size_t)(f->num_glyphs - f->num_hmetrics) * 2;
    if (f->hmtx.length < need)
        return say(c,
                   "cannot be used: its 'hmtx' table is %u bytes long; %u metrics for %u "
                   "glyphs need %zu",
                   f->hmtx.length, f->num_hmetrics, f->num_glyphs, need);

    /* The widths, ascent and descent as libharu scales them must fit its 16-bit numbers. */
    unsigned upem = f->units_per_em;
    const uint8_t *hmtx = c->data + f->hmtx.offset;
    for (unsigned g = 0; g < f->num_hmetrics; g++) {
        unsigned aw = rd16(hmtx + (size_t)g * 4);
        if (aw * 1000u / upem > MAX_WIDTH)
            return say(c,
                       "cannot be used: glyph %u is %.1f em wide (advance %u at unitsPerEm %u); "
                       "a PDF width from libharu stops at 32.767 em",
                       g, (double)aw / upem, aw, upem);
    }
    int ascent = rds16(hhea + 4) * 1000 / (int)upem, descent = rds16(hhea + 6) * 1000 / (int)upem;
    if (ascent > MAX_WIDTH || ascent < -MAX_WIDTH - 1 || descent > MAX_WIDTH ||
        descent < -MAX_WIDTH - 1)
        return say(c, "cannot be used: its ascender or descender is over 32 em at unitsPerEm %u",
                   upem);
    if (ascent <= descent)
        return say(c, "cannot be used: its ascender (%d) is not above its descender (%d)",
                   rds16(hhea + 4), rds16(hhea + 6));
    return true;
}

/* ---- Glyphs ---------------------------------------------------------------------------- */

enum {
    ARG_1_AND_2_ARE_WORDS = 1,
    WE_HAVE_A_SCALE = 8,
    MORE_COMPONENTS = 32,
    WE_HAVE_AN_X_AND_Y_SCALE = 64,
    WE_HAVE_A_TWO_BY_TWO = 128
};

/* A composite glyph's components must lie inside it and name glyphs the font has: libharu
 * follows them to decide which glyphs the embedded subset needs. */
static bool check_composite(checker *c, unsigned g, const uint8_t *p, size_t len)
{
    size_t at = 10;
    unsigned flags;
    do {
        if (at + 4 > len)
            return say(c, "cannot be used: composite glyph %u runs past its end in 'glyf'", g);
        flags = rd16(p + at);
        unsigned part = rd16(p + at + 2);
        if (part >= c->f->num_glyphs)
            return say(c, "cannot be used: composite glyph %u uses glyph %u; the font has %u", g,
                       part, c->f->num_glyphs);
        at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
        at += flags & WE_HAVE_A_SCALE            ? 2
              : flags & WE_HAVE_AN_X_AND_Y_SCALE ? 4
              : flags & WE_HAVE_A_TWO_BY_TWO     ? 8
                                                 : 0;
        if (at > len)
            return say(c, "cannot be used: composite glyph %u runs past its end in 'glyf'", g);
    } while (flags & MORE_COMPONENTS);
    return true;
}

static bool check_glyphs(checker *c)
{
    ts_font_file *f = c->f;
    bool longs = rds16(c->data + f->head.offset + 50) == 1;
    size_t entry = longs ? 4 : 2, need = ((size_t)f->num_glyphs + 1) * entry;
    if (f->loca.length < need)
        return say(c, "cannot be used: its 'loca' table is %u bytes long; %u glyphs need %zu",
                   f->loca.length, f->num_glyphs, need);
    const uint8_t *loca = c->data + f->loca.offset, *glyf = c->data + f->glyf.offset;
    uint32_t prev = 0;
    for (unsigned g = 0; g <= f->num_glyphs; g++) {
        uint32_t at = longs ? rd32(loca + (size_t)g * 4) : rd16(loca + (size_t)g * 2) * 2u;
        if (at > f->glyf.length)
            return say(c,
                       "cannot be used: its 'loca' table puts glyph %u at byte %u of a 'glyf' "
                       "table of %u bytes",
                       g, at, f->glyf.length);
        if (g > 0 && at < prev)
            return say(c, "cannot be used: its 'loca' table goes backwards at glyph %u", g);
        if (g > 0 && at > prev) {
            size_t len = at - prev;
            if (len < 10)
                return say(c, "cannot be used: glyph %u is %zu bytes, too short for its header",
                           g - 1, len);
            if (rds16(glyf + prev) == -1 && !check_composite(c, g - 1, glyf + prev, len))
                return false;
        }
        prev = at;
    }
    return true;
}

/* ---- cmap ------------------------------------------------------------------------------ */

static bool check_format4(checker *c, const uint8_t *t, size_t len)
{
    unsigned n_glyphs = c->f->num_glyphs;
    if (len < 16)
        return say(c, "cannot be used: its format 4 cmap is only %zu bytes long", len);
    unsigned seg2 = rd16(t + 6);
    if (seg2 == 0 || seg2 % 2 != 0)
        return say(c, "cannot be used: its format 4 cmap has a segment count of %u / 2", seg2);
    if (16 + (size_t)seg2 * 4 > len)
        return say(c, "cannot be used: its format 4 cmap is too short for its %u segments",
                   seg2 / 2);
    size_t segs = seg2 / 2, ids = (len - 16 - (size_t)seg2 * 4) / 2;
    const uint8_t *ends = t + 14, *starts = ends + seg2 + 2, *deltas = starts + seg2,
                  *ranges = deltas + seg2, *glyph_ids = ranges + seg2;
    long prev_end = -1;
    for (size_t i = 0; i < segs; i++) {
        unsigned end = rd16(ends + 2 * i), start = rd16(starts + 2 * i);
        unsigned delta = rd16(deltas + 2 * i), range = rd16(ranges + 2 * i);
        if ((long)end <= prev_end)
            return say(c, "cannot be used: its format 4 cmap's segments are out of order at %zu",
                       i);
        if (start > end)
            return say(c, "cannot be used: its format 4 cmap's segment %zu starts after it ends",
                       i);
        /* Glyph ids as libharu computes them: delta is added even to a 0 from the array. */
        if (range == 0) {
            for (unsigned cp = start; cp <= end; cp++)
                if (((cp + delta) & 0xFFFF) >= n_glyphs)
                    return say(c, "cannot be used: its cmap maps U+%04X to glyph %u; it has %u", cp,
                               (cp + delta) & 0xFFFF, n_glyphs);
        } else {
            long first = (long)(range / 2) - (long)(segs - i);
            if (range % 2 != 0 || first < 0 || (size_t)first + (end - start) >= ids)
                return say(c,
                           "cannot be used: its format 4 cmap's segment %zu reads glyph ids "
                           "from outside the subtable",
                           i);
            for (unsigned cp = start; cp <= end; cp++) {
                unsigned g = (rd16(glyph_ids + 2 * ((size_t)first + cp - start)) + delta) & 0xFFFF;
                if (g >= n_glyphs)
                    return say(c, "cannot be used: its cmap maps U+%04X to glyph %u; it has %u", cp,
                               g, n_glyphs);
            }
        }
        prev_end = (long)end;
    }
    if (prev_end != 0xFFFF)
        return say(c, "cannot be used: its format 4 cmap does not end with the segment of U+FFFF");
    return true;
}

static bool check_format12(checker *c, const uint8_t *t, size_t len)
{
    if (len < 16)
        return say(c, "cannot be used: its format 12 cmap is only %zu bytes long", len);
    uint32_t groups = rd32(t + 12);
    if (groups > (len - 16) / 12)
        return say(c, "cannot be used: its format 12 cmap claims %u groups, more than it holds",
                   groups);
    int64_t prev_end = -1;
    for (uint32_t i = 0; i < groups; i++) {
        const uint8_t *g = t + 16 + (size_t)i * 12;
        uint32_t start = rd32(g), end = rd32(g + 4), glyph = rd32(g + 8);
        if ((int64_t)start <= prev_end || start > end || end > 0x10FFFF)
            return say(c, "cannot be used: its format 12 cmap's group %u is out of order", i);
        if ((uint64_t)glyph + (end - start) >= c->f->num_glyphs)
            return say(c, "cannot be used: its cmap maps U+%04X to glyph %llu; it has %u", end,
                       (unsigned long long)glyph + (end - start), c->f->num_glyphs);
        prev_end = end;
    }
    return true;
}

static bool check_cmap(checker *c)
{
    ts_font_file *f = c->f;
    const uint8_t *t = c->data + f->cmap.offset;
    size_t tlen = f->cmap.length;
    if (tlen < 4)
        return say(c, "cannot be used: its 'cmap' table is %zu bytes long", tlen);
    if (rd16(t) != 0)
        return say(c, "cannot be used: its 'cmap' table has version %u (libharu reads 0)", rd16(t));
    unsigned n = rd16(t + 2);
    if (4 + (size_t)n * 8 > tlen)
        return say(c, "cannot be used: its 'cmap' table claims %u subtables, more than it holds",
                   n);
    int full_rank = 0;
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *rec = t + 4 + (size_t)i * 8;
        unsigned platform = rd16(rec), encoding = rd16(rec + 2);
        uint32_t off = rd32(rec + 4);
        if (off > tlen || tlen - off < 8)
            return say(c, "cannot be used: its cmap subtable %u lies outside the 'cmap' table", i);
        const uint8_t *sub = t + off;
        unsigned format = rd16(sub);
        uint32_t len;
        if (format == 0 || format == 2 || format == 4 || format == 6)
            len = rd16(sub + 2);
        else if (format == 8 || format == 10 || format == 12 || format == 13)
            len = rd32(sub + 4);
        else if (format == 14)
            len = rd32(sub + 2);
        else
            return say(c,
                       "cannot be used: its cmap subtable %u has format %u, which TrueType lacks",
                       i, format);
        if (len > tlen - off)
            return say(c,
                       "cannot be used: its cmap subtable %u (format %u, %u bytes at byte %u) "
                       "runs past the end of the 'cmap' table (%zu bytes)",
                       i, format, len, off, tlen);
        ts_font_span span = {f->cmap.offset + off, len};
        /* libharu takes the first Windows Unicode BMP subtable of format 4. */
        if (f->cmap_bmp.length == 0 && platform == 3 && encoding == 1 && format == 4)
            f->cmap_bmp = span;
        int rank = format != 12 ? 0 : platform == 3 && encoding == 10 ? 2 : platform == 0 ? 1 : 0;
        if (rank > full_rank) {
            full_rank = rank;
            f->cmap_full = span;
        }
    }
    if (f->cmap_bmp.length == 0)
        return say(c, "cannot be used: it has no Windows Unicode cmap (platform 3, encoding 1, "
                      "format 4), the one libharu reads");
    if (!check_format4(c, c->data + f->cmap_bmp.offset, f->cmap_bmp.length))
        return false;
    if (f->cmap_full.length != 0 &&
        !check_format12(c, c->data + f->cmap_full.offset, f->cmap_full.length))
        return false;
    return true;
}

/* ---- name, OS/2, post ------------------------------------------------------------------ */

/* The Windows names are UTF-16BE; libharu keeps the low byte of each unit. */
static size_t name_bytes(const uint8_t *p, size_t len, bool utf16, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = utf16 ? 1 : 0; i < len && n + 1 < cap; i += utf16 ? 2 : 1)
        out[n++] = (char)p[i];
    out[n] = '\0';
    return n;
}

static bool check_name(checker *c)
{
    ts_font_file *f = c->f;
    const uint8_t *t = c->data + f->name.offset;
    size_t tlen = f->name.length;
    if (tlen < 6)
        return say(c, "cannot be used: its 'name' table is %zu bytes long", tlen);
    unsigned count = rd16(t + 2), strings = rd16(t + 4);
    if (6 + (size_t)count * 12 > tlen)
        return say(c, "cannot be used: its 'name' table claims %u records, more than it holds",
                   count);
    /* What ParseName picks: the last record of each kind wins. */
    const uint8_t *ps = NULL, *style = NULL, *ps_u = NULL, *style_u = NULL;
    unsigned ps_len = 0, style_len = 0, ps_len_u = 0, style_len_u = 0;
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *rec = t + 6 + (size_t)i * 12;
        unsigned platform = rd16(rec), encoding = rd16(rec + 2), lang = rd16(rec + 4);
        unsigned id = rd16(rec + 6), len = rd16(rec + 8), off = rd16(rec + 10);
        if ((size_t)strings + off + len > tlen)
            return say(c,
                       "cannot be used: its name record %u (name ID %u) lies outside the "
                       "'name' table",
                       i, id);
        const uint8_t *s = t + strings + off;
        if (platform == 1 && encoding == 0 && id == 6)
            ps = s, ps_len = len;
        if (platform == 1 && encoding == 0 && id == 2)
            style = s, style_len = len;
        if (platform == 3 && encoding == 1 && lang == 0x409 && id == 6)
            ps_u = s, ps_len_u = len;
        if (platform == 3 && encoding == 1 && lang == 0x409 && id == 2)
            style_u = s, style_len_u = len;
    }
    if ((ps == NULL && ps_u == NULL) || (style == NULL && style_u == NULL))
        return say(c, "cannot be used: it lacks a PostScript or subfamily name (name IDs 6 and "
                      "2, Macintosh or Windows US English), which libharu needs");
    if ((ps == NULL && ps_len_u % 2 != 0) || (style == NULL && style_len_u % 2 != 0))
        return say(c, "cannot be used: a Windows name of it has an odd number of bytes");
    unsigned l1 = ps_len == 0 && ps_len_u > 0 ? ps_len_u / 2 + ps_len_u % 2 : ps_len;
    unsigned l2 = style_len == 0 && style_len_u > 0 ? style_len_u / 2 + style_len_u % 2 : style_len;
    if (l1 + l2 + 8 > 127)
        return say(c, "cannot be used: its PostScript and subfamily names are longer than the "
                      "119 bytes libharu takes");
    /* A Macintosh name of length 0 is read with the length of the Windows one. */
    if ((ps != NULL && (size_t)(ps - t) + l1 > tlen) ||
        (style != NULL && (size_t)(style - t) + l2 > tlen))
        return say(c, "cannot be used: its PostScript or subfamily name runs past the 'name' "
                      "table");
    char base[128], sub[128];
    size_t n = ps != NULL ? name_bytes(ps, l1, false, base, sizeof base)
                          : name_bytes(ps_u, ps_len_u, true, base, sizeof base);
    size_t m = style != NULL ? name_bytes(style, l2, false, sub, sizeof sub)
                             : name_bytes(style_u, style_len_u, true, sub, sizeof sub);
    /* Named in a PDF as /BaseFont: printable ASCII, as the OpenType spec asks of it. */
    if (n == 0)
        return say(c, "cannot be used: its PostScript name (name ID 6) is empty");
    for (size_t i = 0; i < n; i++)
        if (base[i] < 0x21 || base[i] > 0x7E || strchr("[](){}<>/%", base[i]) != NULL)
            return say(c, "cannot be used: its PostScript name (name ID 6) has the byte 0x%02X",
                       (unsigned)(unsigned char)base[i]);
    /* libharu adds ",Subfamily" (up to its first space) unless the subfamily starts with
     * "Regular". */
    if (m < 7 || memcmp(sub, "Regular", 7) != 0) {
        base[n++] = ',';
        for (size_t i = 0; i < m && sub[i] != ' ' && n + 1 < sizeof base; i++)
            base[n++] = sub[i];
        base[n] = '\0';
    }
    memcpy(f->font_name, base, n + 1);
    return true;
}

static bool check_os2_post(checker *c)
{
    ts_font_file *f = c->f;
    const uint8_t *os2 = c->data + f->os2.offset;
    if (f->os2.length < 2)
        return say(c, "cannot be used: its 'OS/2' table is %u bytes long", f->os2.length);
    unsigned version = rd16(os2), need = version == 0 ? 42 : 86;
    if (f->os2.length < need)
        return say(c,
                   "cannot be used: its 'OS/2' table of version %u is %u bytes long; it needs %u",
                   version, f->os2.length, need);
    unsigned fs_type = rd16(os2 + 8);
    if (fs_type & (0x0002 | 0x0100 | 0x0200))
        return say(c,
                   "cannot be used: its licence forbids embedding it in a PDF (OS/2 fsType "
                   "0x%04X)",
                   fs_type);
    if (f->post.length < 32)
        return say(c, "cannot be used: its 'post' table is %u bytes long; its header needs 32",
                   f->post.length);
    return true;
}

/* ---- Entry points ---------------------------------------------------------------------- */

bool ts_font_check(const uint8_t *data, size_t size, ts_font_file *f, char *why, size_t why_size)
{
    checker c = {data, size, f, why, why_size};
    uint8_t *keep = f->data;
    size_t keep_size = f->size;
    memset(f, 0, sizeof *f);
    f->data = keep;
    f->size = keep_size;
    return check_directory(&c) && check_metrics(&c) && check_glyphs(&c) && check_cmap(&c) &&
           check_name(&c) && check_os2_post(&c);
}

static const char *not_regular(mode_t mode)
{
    return S_ISFIFO(mode)                   ? "a FIFO"
           : S_ISDIR(mode)                  ? "a folder"
           : S_ISCHR(mode) || S_ISBLK(mode) ? "a device"
           : S_ISSOCK(mode)                 ? "a socket"
                                            : "not a file";
}

ts_font_file *ts_font_file_read(const char *path, char *why, size_t why_size, ts_fault *fault)
{
    if (fault != NULL)
        *fault = TS_FAULT_INPUT;
    /* Looked at before it is opened (a device is never opened), and again once open, with
     * O_NONBLOCK, in case it was replaced in between: opening a FIFO without it waits for a
     * writer for ever. */
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(why, why_size, "cannot be read: %s", strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, why_size, "cannot be read: it is %s, not a regular file",
                 not_regular(st.st_mode));
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_size, "cannot be read: %s", strerror(errno));
        return NULL;
    }
    ts_font_file *f = NULL;
    int err = 0;
    if (fstat(fd, &st) != 0)
        err = errno;
    else if (!S_ISREG(st.st_mode))
        snprintf(why, why_size, "cannot be read: it is %s, not a regular file",
                 not_regular(st.st_mode));
    else if (st.st_size > TS_FONT_MAX_SIZE)
        snprintf(why, why_size, "cannot be used: it is larger than %d MB", TS_FONT_MAX_SIZE >> 20);
    else if ((f = calloc(1, sizeof *f)) == NULL ||
             (f->data = malloc((size_t)st.st_size + 1)) == NULL)
        err = ENOMEM;
    /* One byte more than the size fstat gave, so that a file that grew is noticed. */
    size_t want = (size_t)st.st_size + 1;
    while (f != NULL && f->data != NULL && err == 0 && f->size < want) {
        ssize_t got = read(fd, f->data + f->size, want - f->size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            err = errno;
        else if (got == 0)
            break;
        else
            f->size += (size_t)got;
    }
    close(fd);
    if (err == 0 && f != NULL && f->data != NULL && f->size == want)
        snprintf(why, why_size, "cannot be read: it grew while it was read");
    else if (err == 0 && f != NULL && f->data != NULL &&
             ts_font_check(f->data, f->size, f, why, why_size))
        return f;
    if (err != 0)
        snprintf(why, why_size, "cannot be read: %s", strerror(err));
    if (err == ENOMEM && fault != NULL)
        *fault = TS_FAULT_NO_MEMORY;
    ts_font_file_free(f);
    return NULL;
}

void ts_font_file_free(ts_font_file *f)
{
    if (f == NULL)
        return;
    free(f->data);
    free(f);
}
