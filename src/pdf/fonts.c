/* The document's fonts: every font of the layout read and checked once (fontcheck.c), its
 * metrics for the text engine, and a font handed to libharu only when something is drawn with
 * it (libharu embeds every font it was given, used or not, and an unused face would be dead
 * weight, and an orphan object, in the file).
 *
 * What libharu 2.3.0 does not do, or does wrong, and is done here instead:
 * - its UTF-8 fonts get a ToUnicode CMap that poppler rejects ("Invalid 'begincidrange'"); it
 *   is rewritten as a bfrange CMap from the font's own code points;
 * - it writes no /CapHeight for a TrueType font, which ISO 32000-1 requires of a Latin one. */
#include "pdf/fonts.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "font/fontcheck.h"

/* libharu's UTF-8 encoder makes the CID of a character its BMP code point (CIDToGIDMap then
 * maps it to the glyph), so the ToUnicode CMap is the identity over the code points the font
 * has a glyph for.  Left out: 0, the surrogates, U+FEFF and U+FFFE/U+FFFF (PDF/UA-1 7.21.7
 * forbids mapping to 0, FEFF, FFFE).  No CID beyond 0xFFFF exists: that encoder turns such
 * characters into spaces, so draw.c replaces them before they get there. */
static bool tounicode_ok(HPDF_Font font, unsigned cp)
{
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0xFFFE || cp == 0xFEFF)
        return false;
    return ts_shim_font_has(font, cp);
}

static int write_tounicode(HPDF_Font font)
{
    /* Ranges of consecutive mapped code points, never crossing a high byte (a bfrange may
     * only vary in its last byte). */
    typedef struct {
        unsigned lo, hi;
    } range;
    ts_buf ranges = {0};
    /* Each code point is asked: the font's cmap is flattened (ts_shim_flatten_cmap) before
     * this, so an answer is one table lookup. */
    for (unsigned cp = 1; cp <= 0xFFFF; cp++) {
        if (!tounicode_ok(font, cp))
            continue;
        range *last = ranges.len > 0 ? (range *)(void *)(ranges.data + ranges.len) - 1 : NULL;
        if (last != NULL && last->hi + 1 == cp && (cp & 0xFF) != 0) {
            last->hi = cp;
            continue;
        }
        if (ranges.cap == 0)
            ts_buf_reserve(&ranges, 256 * sizeof(range));
        ts_buf_append(&ranges, &(range){cp, cp}, sizeof(range));
    }
    const range *r = (const range *)(void *)ranges.data;
    size_t n = ranges.len / sizeof *r;

    ts_buf cmap = {0};
    ts_buf_str(&cmap, "/CIDInit /ProcSet findresource begin\n"
                      "12 dict begin\n"
                      "begincmap\n"
                      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                      "/Supplement 0 >> def\n"
                      "/CMapName /Adobe-Identity-UCS def\n"
                      "/CMapType 2 def\n"
                      "1 begincodespacerange\n<0000> <FFFF>\n"
                      "endcodespacerange\n");
    for (size_t i = 0; i < n && !ranges.failed; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        ts_buf_printf(&cmap, "%zu beginbfrange\n", m);
        for (size_t k = i; k < i + m; k++)
            ts_buf_printf(&cmap, "<%04X> <%04X> <%04X>\n", r[k].lo, r[k].hi, r[k].lo);
        ts_buf_str(&cmap, "endbfrange\n");
    }
    ts_buf_str(&cmap, "endcmap\n"
                      "CMapName currentdict /CMap defineresource pop\n"
                      "end\nend\n");
    int rc =
        ranges.failed || cmap.failed ? -1 : ts_shim_font_set_tounicode(font, cmap.data, cmap.len);
    ts_buf_free(&ranges);
    ts_buf_free(&cmap);
    return rc;
}

int ts_pdf_fonts_load(ts_pdf *pdf)
{
    for (int i = 0; i < 2 * TS_FACE_COUNT; i++) {
        const char *path = i < TS_FACE_COUNT ? pdf->layout->font_files[i]
                                             : pdf->layout->fallback_files[i - TS_FACE_COUNT];
        if (path == NULL) {
            ts_diag_add(pdf->diags, pdf->layout->path, (ts_pos){0, 0}, TS_ERROR,
                        "the layout names no font file for slot %d", i);
            return -1;
        }
        pdf->font_path[i] = path;
        pdf->font_slot[i] = i;
        for (int k = 0; k < i; k++)
            if (strcmp(pdf->font_path[k], path) == 0) {
                /* libharu would embed a second copy of a file loaded twice. */
                pdf->font_slot[i] = k;
                break;
            }
        if (pdf->font_slot[i] == i) {
            char why[256];
            ts_fault kind;
            ts_font_file *f = ts_font_file_read(path, why, sizeof why, &kind);
            pdf->font_file[i] = f;
            if (f == NULL) {
                ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, kind, "the font %s", why);
                return -1;
            }
            /* libharu knows a font by its name: a file under another path with that name is
             * the same font, or libharu would draw it with the other one's glyphs. */
            for (int k = 0; k < i && pdf->font_slot[i] == i; k++) {
                const ts_font_file *o = pdf->font_file[k];
                if (o == NULL || strcmp(o->font_name, f->font_name) != 0)
                    continue;
                if (o->size != f->size || memcmp(o->data, f->data, f->size) != 0) {
                    ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
                                "the font is named %s, as %s is, with other glyphs", f->font_name,
                                pdf->font_path[k]);
                    return -1;
                }
                pdf->font_slot[i] = k;
            }
        }
        int first = pdf->font_slot[i];
        if (first == i) {
            pdf->metrics[i] = ts_fm_new(pdf->font_file[i]);
            if (pdf->metrics[i] == NULL) {
                ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                              "out of memory reading the font");
                return -1;
            }
        } else if (pdf->font_file[i] != NULL) {
            ts_font_file_free(pdf->font_file[i]); /* the same bytes as the first slot's */
            pdf->font_file[i] = NULL;
        }
        if (i < TS_FACE_COUNT)
            pdf->fonts.face[i] = pdf->metrics[first];
        else
            pdf->fonts.fallback[i - TS_FACE_COUNT] = pdf->metrics[first];
    }
    return 0;
}

void ts_pdf_fonts_free(ts_pdf *pdf)
{
    for (int i = 0; i < 2 * TS_FACE_COUNT; i++) {
        ts_fm_free(pdf->metrics[i]);
        free(pdf->fcache[i]);
        ts_font_file_free(pdf->font_file[i]);
    }
}

const ts_fonts *ts_pdf_fonts(const ts_pdf *pdf)
{
    return &pdf->fonts;
}

int ts_pdf_font_slot(const ts_pdf *pdf, ts_face face, bool fallback)
{
    int i = (fallback ? TS_FACE_COUNT : 0) + (face < TS_FACE_COUNT ? (int)face : 0);
    return pdf->font_slot[i];
}

bool ts_pdf_font_has_slow(ts_pdf *pdf, int slot, uint32_t cp)
{
    ts_font_cache *c = pdf->fcache[slot];
    if (c == NULL || cp == 0 || cp > 0xFFFF)
        return false;
    unsigned char bit = (unsigned char)(1u << (cp & 7));
    size_t at = cp >> 3;
    if (!(c->known[at] & bit)) {
        c->known[at] |= bit;
        if (ts_shim_font_use(pdf->hfont[slot], cp))
            c->has[at] |= bit;
    }
    return (c->has[at] & bit) != 0;
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static int be16s(const uint8_t *p)
{
    return (int16_t)(uint16_t)be16(p);
}

/* The height of the capital letters in 1/1000 em, for the descriptor's /CapHeight: the OS/2
 * table's sCapHeight (from version 2), else the top of the glyph of 'H' as font tools measure
 * it, else the ascent.  fontcheck.c has checked the tables read here: loca stays inside glyf,
 * and a glyph that has outlines has its header. */
static int font_cap_height(const ts_font_file *f, HPDF_FontDef def)
{
    const uint8_t *os2 = f->data + f->os2.offset;
    int units = 0;
    if (f->os2.length >= 90 && be16(os2) >= 2)
        units = be16s(os2 + 88);
    unsigned g = ts_shim_def_glyph(def, 'H');
    if (units <= 0 && g != 0 && g < f->num_glyphs) {
        const uint8_t *loca = f->data + f->loca.offset;
        bool longs = be16s(f->data + f->head.offset + 50) == 1;
        uint32_t at = longs ? (uint32_t)be16(loca + 4 * g) << 16 | be16(loca + 4 * g + 2)
                            : be16(loca + 2 * g) * 2u;
        uint32_t end = longs ? (uint32_t)be16(loca + 4 * g + 4) << 16 | be16(loca + 4 * g + 6)
                             : be16(loca + 2 * g + 2) * 2u;
        if (end > at && end <= f->glyf.length)
            units = be16s(f->data + f->glyf.offset + at + 8); /* yMax */
    }
    long cap = units > 0 ? ((long)units * 1000 + f->units_per_em / 2) / f->units_per_em
                         : ts_shim_def_ascent(def);
    /* A font may say anything here (unitsPerEm 16 and sCapHeight 32767); /CapHeight is only
     * a hint, kept within what libharu's fields hold. */
    return cap < 0 ? 0 : cap > 32767 ? 32767 : (int)cap;
}

const char *ts_pdf_load_ttf(HPDF_Doc doc, ts_arena *arena, const ts_font_file *f, char tag[7])
{
    HPDF_FontDef def;
    const char *name = ts_shim_load_ttf(doc, arena, f, tag, &def);
    if (name != NULL)
        ts_shim_def_set_cap_height(def, font_cap_height(f, def));
    return name;
}

HPDF_Font ts_pdf_font(ts_pdf *pdf, ts_face face, bool fallback)
{
    int slot = ts_pdf_font_slot(pdf, face, fallback);
    if (pdf->hfont[slot] != NULL)
        return pdf->hfont[slot];
    const char *path = pdf->font_path[slot];
    const char *name = ts_pdf_load_ttf(pdf->doc, pdf->arena, pdf->font_file[slot], pdf->font_tag);
    /* Before HPDF_GetFont, which asks the cmap about every BMP code point. */
    HPDF_FontDef def = name != NULL ? ts_shim_font_def(pdf->doc, name) : NULL;
    bool flat = def != NULL && ts_shim_flatten_cmap(def) == 0;
    HPDF_Font font = flat ? HPDF_GetFont(pdf->doc, name, "UTF-8") : NULL;
    if (font == NULL && ((def != NULL && !flat) || pdf->hpdf_error == HPDF_FAILD_TO_ALLOC_MEM)) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory loading this font");
        pdf->failures++;
        return NULL;
    }
    if (font == NULL) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
                    "libharu cannot load this TrueType font (error 0x%04X)",
                    (unsigned)pdf->hpdf_error);
        pdf->failures++;
        return NULL;
    }
    if (write_tounicode(font) != 0) {
        ts_pdf_fail(pdf, "writing the ToUnicode CMap");
        return NULL;
    }
    if (ts_shim_font_write_cap_height(font) != 0) {
        ts_pdf_fail(pdf, "adding /CapHeight to a font (libharu already hooks its writing)");
        return NULL;
    }
    pdf->fcache[slot] = calloc(1, sizeof *pdf->fcache[slot]);
    if (pdf->fcache[slot] == NULL) {
        ts_pdf_fail(pdf, "loading a font");
        return NULL;
    }
    pdf->hfont[slot] = font;
    return font;
}
