/* The PDF document: libharu set up for a tagged PDF 1.7 (PDF/UA-1) and, on request, PDF/A-2a.
 *
 * What libharu 2.3.0 does not do, or does wrong, and is done here instead:
 * - its UTF-8 fonts get a ToUnicode CMap that poppler rejects ("Invalid 'begincidrange'"); it
 *   is rewritten as a bfrange CMap from the font's own code points;
 * - no /ID without encryption, and a clock-based one with its PDF/A helper: ours is an MD5 of
 *   what the document is, so two builds are byte-identical;
 * - its PDF/A helper writes unescaped XMP, /SubType and the key "DestOutputProfile " (with a
 *   space), and forces PDF 1.4: the XMP and the OutputIntent are written here;
 * - HPDF_SetViewerPreference replaces the whole /ViewerPreferences: DisplayDocTitle is added
 *   after it;
 * - text strings (info, outlines) go through its encoder, which turns characters beyond the
 *   BMP into spaces: they are written as UTF-16BE with surrogate pairs instead. */
#define _GNU_SOURCE /* sysconf */
#include "pdfdoc.h"
#include "fontcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf_encrypt.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <libdeflate.h>

#ifndef TASEURANTA_VERSION
#define TASEURANTA_VERSION "0"
#endif

static void HPDF_STDCALL on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    ts_pdf *pdf = user_data;
    if (pdf->hpdf_errors++ == 0) {
        pdf->hpdf_error = error_no;
        pdf->hpdf_detail = detail_no;
    }
}

void ts_pdf_fail(ts_pdf *pdf, const char *what)
{
    pdf->failures++;
    if (pdf->hpdf_errors > 0 && pdf->hpdf_error == HPDF_FAILD_TO_ALLOC_MEM)
        ts_diag_add(pdf->diags, NULL, (ts_pos){0, 0}, TS_ERROR, "PDF: out of memory (%s)", what);
    else if (pdf->hpdf_errors > 0)
        ts_diag_add(pdf->diags, NULL, (ts_pos){0, 0}, TS_ERROR,
                    "PDF: %s failed (libharu error 0x%04X, detail %u)", what,
                    (unsigned)pdf->hpdf_error, (unsigned)pdf->hpdf_detail);
    else
        ts_diag_add(pdf->diags, NULL, (ts_pos){0, 0}, TS_ERROR, "PDF: %s failed", what);
}

double ts_pdf_page_h(const ts_pdf *pdf)
{
    return pdf->layout->page_h;
}

static const char *dup_opt(ts_arena *a, const char *s)
{
    return s != NULL ? ts_arena_strdup(a, s) : NULL;
}

/* ---- Fonts ----------------------------------------------------------------------------- */

/* libharu's UTF-8 encoder makes the CID of a character its BMP code point (CIDToGIDMap then
 * maps it to the glyph), so the ToUnicode CMap is the identity over the code points the font
 * has a glyph for.  Left out: 0, the surrogates, U+FEFF and U+FFFE/U+FFFF (PDF/UA-1 7.21.7
 * forbids mapping to 0, FEFF, FFFE).  No CID beyond 0xFFFF exists: that encoder turns such
 * characters into spaces, so draw.c replaces them before they get there. */
static bool tounicode_ok(HPDF_FontDef def, unsigned cp)
{
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0xFFFE || cp == 0xFEFF)
        return false;
    return HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) != 0;
}

static int write_tounicode(ts_pdf *pdf, HPDF_Font font)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
    HPDF_Dict cmap = fa->cmap_stream;
    if (cmap == NULL || cmap->stream == NULL)
        return -1;
    HPDF_MemStream_FreeData(cmap->stream);
    /* A ToUnicode stream needs no CMap dictionary keys; libharu's name the UTF-8 encoder. */
    static const char *const keys[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        (void)HPDF_Dict_RemoveElement(cmap, keys[i]); /* absent: nothing to do */

    /* Ranges of consecutive mapped code points, never crossing a high byte (a bfrange may
     * only vary in its last byte). */
    typedef struct {
        unsigned lo, hi;
    } range;
    size_t cap = 256, n = 0;
    range *r = malloc(cap * sizeof *r);
    if (r == NULL)
        return -1;
    /* Each code point is asked: the font's cmap is flattened (ts_pdf_flatten_cmap) before
     * this, so an answer is one table lookup. */
    for (unsigned cp = 1; cp <= 0xFFFF; cp++) {
        if (!tounicode_ok(fa->fontdef, cp))
            continue;
        if (n > 0 && r[n - 1].hi + 1 == cp && (cp & 0xFF) != 0) {
            r[n - 1].hi = cp;
            continue;
        }
        if (n == cap) {
            range *g = realloc(r, 2 * cap * sizeof *r);
            if (g == NULL) {
                free(r);
                return -1;
            }
            r = g;
            cap *= 2;
        }
        r[n].lo = r[n].hi = cp;
        n++;
    }

    HPDF_Stream s = cmap->stream;
    HPDF_STATUS st = HPDF_Stream_WriteStr(s, "/CIDInit /ProcSet findresource begin\n"
                                             "12 dict begin\n"
                                             "begincmap\n"
                                             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                                             "/Supplement 0 >> def\n"
                                             "/CMapName /Adobe-Identity-UCS def\n"
                                             "/CMapType 2 def\n"
                                             "1 begincodespacerange\n<0000> <FFFF>\n"
                                             "endcodespacerange\n");
    char line[64];
    for (size_t i = 0; i < n && st == HPDF_OK; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        snprintf(line, sizeof line, "%zu beginbfrange\n", m);
        st |= HPDF_Stream_WriteStr(s, line);
        for (size_t k = i; k < i + m; k++) {
            snprintf(line, sizeof line, "<%04X> <%04X> <%04X>\n", r[k].lo, r[k].hi, r[k].lo);
            st |= HPDF_Stream_WriteStr(s, line);
        }
        st |= HPDF_Stream_WriteStr(s, "endbfrange\n");
    }
    st |= HPDF_Stream_WriteStr(s, "endcmap\n"
                                  "CMapName currentdict /CMap defineresource pop\n"
                                  "end\nend\n");
    free(r);
    (void)pdf;
    return st == HPDF_OK ? 0 : -1;
}

/* Reads and checks every font now (the text engine measures with them), but gives a font to
 * libharu only when something is drawn with it: libharu embeds every font it was given, used
 * or not, and an unused face would be dead weight (and an orphan object) in the file. */
static int load_metrics(ts_pdf *pdf)
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
            ts_font_file *f = ts_font_file_read(path, why, sizeof why);
            pdf->font_file[i] = f;
            if (f == NULL) {
                ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "the font %s", why);
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
                ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
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
        HPDF_FontDef def = ((HPDF_FontAttr)pdf->hfont[slot]->attr)->fontdef;
        if (HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) != 0) {
            c->has[at] |= bit;
            /* What libharu's text showing would do: marks the glyph (and the glyphs of a
             * composite) for the embedded subset. */
            (void)HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp);
        }
    }
    return (c->has[at] & bit) != 0;
}

int ts_pdf_flatten_cmap(HPDF_FontDef def)
{
    HPDF_TTFontDefAttr a = (HPDF_TTFontDefAttr)def->attr;
    HPDF_TTF_CmapRange *cm = &a->cmap;
    unsigned segs = cm->seg_count_x2 / 2u;
    if (cm->format != 4 || segs == 0)
        return 0; /* libharu's other case (format 0) is a table already */
    HPDF_UINT16 *table = HPDF_GetMem(def->mmgr, 65536 * sizeof *table);
    HPDF_UINT16 *one[4];
    for (int k = 0; k < 4; k++)
        one[k] = HPDF_GetMem(def->mmgr, sizeof(HPDF_UINT16));
    if (table == NULL || one[0] == NULL || one[1] == NULL || one[2] == NULL || one[3] == NULL) {
        HPDF_FreeMem(def->mmgr, table);
        for (int k = 0; k < 4; k++)
            HPDF_FreeMem(def->mmgr, one[k]);
        return -1;
    }
    memset(table, 0, 65536 * sizeof *table);
    /* What HPDF_TTFontDef_GetGlyphid answers: the first segment that ends at or after the
     * code point is asked; outside it, 0. */
    for (unsigned i = 0; i < segs; i++) {
        unsigned lo = cm->start_count[i], hi = cm->end_count[i];
        if (i > 0 && lo <= cm->end_count[i - 1])
            lo = cm->end_count[i - 1] + 1u; /* overlapped: the earlier segment answers */
        for (unsigned cp = lo; cp <= hi; cp++) {
            if (cm->id_range_offset[i] == 0) {
                table[cp] = (HPDF_UINT16)(cp + (unsigned)cm->id_delta[i]);
                continue;
            }
            unsigned idx = cm->id_range_offset[i] / 2u + (cp - cm->start_count[i]) - (segs - i);
            unsigned g = idx < cm->glyph_id_array_count ? cm->glyph_id_array[idx] : 0;
            table[cp] = g != 0 ? (HPDF_UINT16)(g + (unsigned)cm->id_delta[i]) : 0;
        }
    }
    HPDF_FreeMem(def->mmgr, cm->end_count);
    HPDF_FreeMem(def->mmgr, cm->start_count);
    HPDF_FreeMem(def->mmgr, cm->id_delta);
    HPDF_FreeMem(def->mmgr, cm->id_range_offset);
    HPDF_FreeMem(def->mmgr, cm->glyph_id_array);
    /* One segment over the whole BMP whose glyph index array is the table: the index of a code
     * point is itself (id_range_offset / 2 + cp - start - (segments - 0) = 1 + cp - 1). */
    *(cm->end_count = one[0]) = 0xFFFF;
    *(cm->start_count = one[1]) = 0;
    *(cm->id_delta = (HPDF_INT16 *)(void *)one[2]) = 0;
    *(cm->id_range_offset = one[3]) = 2;
    cm->glyph_id_array = table;
    cm->glyph_id_array_count = 65536;
    cm->seg_count_x2 = 2;
    return 0;
}

/* libharu reads a font through this stream over the bytes fontcheck.c checked, never from the
 * path: what it reads is what was checked, even if the file has changed since.  It behaves as
 * libharu's file reader does (a seek may pass the end; a read there stops short). */
typedef struct font_cursor {
    const uint8_t *data;
    size_t size, pos;
} font_cursor;

static HPDF_STATUS font_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    font_cursor *c = s->attr;
    size_t left = c->pos < c->size ? c->size - c->pos : 0;
    if (*siz > left) {
        memcpy(ptr, c->data + c->pos, left);
        memset(ptr + left, 0, *siz - left);
        *siz = (HPDF_UINT)left;
        c->pos += left;
        return HPDF_STREAM_EOF;
    }
    memcpy(ptr, c->data + c->pos, *siz);
    c->pos += *siz;
    return HPDF_OK;
}

static HPDF_STATUS font_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    font_cursor *c = s->attr;
    long long base = mode == HPDF_SEEK_CUR   ? (long long)c->pos
                     : mode == HPDF_SEEK_END ? (long long)c->size
                                             : 0;
    if (base + pos < 0)
        return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, 0);
    c->pos = (size_t)(base + pos);
    return HPDF_OK;
}

static HPDF_INT32 font_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((font_cursor *)s->attr)->pos;
}

static HPDF_UINT32 font_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((font_cursor *)s->attr)->size;
}

static unsigned be16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static int be16s(const uint8_t *p)
{
    return (int16_t)(uint16_t)be16(p);
}

/* The height of the capital letters in 1/1000 em, for the descriptor's /CapHeight, which
 * ISO 32000-1 requires of a Latin font and libharu 2.3.0 does not write for TrueType: the OS/2
 * table's sCapHeight (from version 2), else the top of the glyph of 'H' as font tools measure
 * it, else the ascent.  fontcheck.c has checked the tables read here: loca stays inside glyf,
 * and a glyph that has outlines has its header. */
static int font_cap_height(const ts_font_file *f, HPDF_FontDef def)
{
    const uint8_t *os2 = f->data + f->os2.offset;
    int units = 0;
    if (f->os2.length >= 90 && be16(os2) >= 2)
        units = be16s(os2 + 88);
    unsigned g = HPDF_TTFontDef_GetGlyphid(def, 'H');
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
    long cap =
        units > 0 ? ((long)units * 1000 + f->units_per_em / 2) / f->units_per_em : def->ascent;
    /* A font may say anything here (unitsPerEm 16 and sCapHeight 32767); /CapHeight is only
     * a hint, kept within what libharu's fields hold. */
    return cap < 0 ? 0 : cap > 32767 ? 32767 : (int)cap;
}

/* libharu makes a TrueType font's descriptor as it writes the font's Type0 dictionary, and
 * writes the descriptor after it (it has a later object number): this adds /CapHeight to it
 * in between. */
static HPDF_STATUS add_cap_height(HPDF_Dict type0)
{
    HPDF_FontDef def = ((HPDF_FontAttr)type0->attr)->fontdef;
    if (def->descriptor == NULL)
        return HPDF_SetError(type0->error, HPDF_INVALID_FONTDEF_DATA, 0);
    if (HPDF_Dict_GetItem(def->descriptor, "CapHeight", HPDF_OCLASS_NUMBER) != NULL)
        return HPDF_OK; /* a second font of the same file */
    return HPDF_Dict_AddNumber(def->descriptor, "CapHeight", def->cap_height);
}

const char *ts_pdf_load_ttf(HPDF_Doc doc, ts_arena *arena, const ts_font_file *f, char tag[7])
{
    font_cursor *cur = ts_arena_calloc(arena, 1, sizeof *cur);
    if (cur == NULL) {
        HPDF_SetError(&doc->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        HPDF_CheckError(&doc->error);
        return NULL;
    }
    *cur = (font_cursor){f->data, f->size, 0};
    HPDF_Stream s =
        HPDF_CallbackReader_New(doc->mmgr, font_read, font_seek, font_tell, font_size, cur);
    /* HPDF_TTFontDef_Load frees the stream when it fails. */
    HPDF_FontDef def = s != NULL ? HPDF_TTFontDef_Load(doc->mmgr, s, HPDF_TRUE) : NULL;
    if (def == NULL || HPDF_Doc_RegisterFontDef(doc, def) != HPDF_OK) {
        HPDF_CheckError(&doc->error);
        return NULL;
    }
    /* libharu's sequence of tags, so that the file is what HPDF_LoadTTFontFromFile made. */
    if (tag[0] == '\0') {
        memcpy(tag, "HPDFAA", 7);
    } else {
        for (int i = 5; i >= 0; i--) {
            if (++tag[i] <= 'Z')
                break;
            tag[i] = 'A';
        }
    }
    HPDF_TTFontDef_SetTagName(def, tag);
    def->cap_height = (HPDF_UINT16)font_cap_height(f, def);
    return def->base_font;
}

HPDF_Font ts_pdf_font(ts_pdf *pdf, ts_face face, bool fallback)
{
    int slot = ts_pdf_font_slot(pdf, face, fallback);
    if (pdf->hfont[slot] != NULL)
        return pdf->hfont[slot];
    const char *path = pdf->font_path[slot];
    const char *name = ts_pdf_load_ttf(pdf->doc, pdf->arena, pdf->font_file[slot], pdf->font_tag);
    /* Before HPDF_GetFont, which asks the cmap about every BMP code point. */
    HPDF_FontDef def = name != NULL ? HPDF_GetFontDef(pdf->doc, name) : NULL;
    bool flat = def != NULL && ts_pdf_flatten_cmap(def) == 0;
    HPDF_Font font = flat ? HPDF_GetFont(pdf->doc, name, "UTF-8") : NULL;
    if (font == NULL && ((def != NULL && !flat) || pdf->hpdf_error == HPDF_FAILD_TO_ALLOC_MEM)) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "out of memory loading this font");
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
    if (write_tounicode(pdf, font) != 0) {
        ts_pdf_fail(pdf, "writing the ToUnicode CMap");
        return NULL;
    }
    if (font->after_write_fn != NULL) {
        ts_pdf_fail(pdf, "adding /CapHeight to a font (libharu already hooks its writing)");
        return NULL;
    }
    font->after_write_fn = add_cap_height;
    pdf->fcache[slot] = calloc(1, sizeof *pdf->fcache[slot]);
    if (pdf->fcache[slot] == NULL) {
        ts_pdf_fail(pdf, "loading a font");
        return NULL;
    }
    pdf->hfont[slot] = font;
    return font;
}

/* The page tree's shape ("Page tree" below): libharu's one level up to its array limit, then
 * nodes of this many kids. */
enum { FLAT_PAGES_MAX = HPDF_LIMIT_MAX_ARRAY, PAGE_FANOUT = 64 };

/* ---- Document -------------------------------------------------------------------------- */

ts_pdf *ts_pdf_new(const ts_layout *layout, const ts_pdf_info *info, ts_diags *diags)
{
    ts_arena *arena = ts_arena_new(NULL);
    ts_pdf *pdf = arena != NULL ? ts_arena_calloc(arena, 1, sizeof *pdf) : NULL;
    if (pdf == NULL) {
        ts_arena_free(arena);
        ts_diag_add(diags, NULL, (ts_pos){0, 0}, TS_ERROR, "PDF: out of memory");
        return NULL;
    }
    pdf->arena = arena;
    pdf->diags = diags;
    pdf->layout = layout;
    pdf->info = *info;
    pdf->info.title = dup_opt(arena, info->title);
    pdf->info.author = dup_opt(arena, info->author);
    pdf->info.subject = dup_opt(arena, info->subject);
    pdf->info.keywords = dup_opt(arena, info->keywords);
    pdf->info.creator = dup_opt(arena, info->creator);
    pdf->info.icc_path = dup_opt(arena, info->icc_path);
    pdf->tree_flat_max = FLAT_PAGES_MAX;
    pdf->tree_fanout = PAGE_FANOUT;
    if (!ts_layout_colour(layout, "link", &pdf->link_colour))
        pdf->link_colour = (ts_rgb){0.0, 0.2, 0.6}; /* the loader requires it; a test may not */

    pdf->doc = HPDF_New(on_hpdf_error, pdf);
    if (pdf->doc == NULL) {
        ts_pdf_fail(pdf, "creating the document");
        ts_pdf_free(pdf);
        return NULL;
    }
    HPDF_Doc d = pdf->doc;
    if (HPDF_SetCompressionMode(d, HPDF_COMP_ALL) != HPDF_OK ||
        HPDF_UseUTFEncodings(d) != HPDF_OK || HPDF_SetCurrentEncoder(d, "UTF-8") != HPDF_OK ||
        (pdf->utf8 = HPDF_GetEncoder(d, "UTF-8")) == NULL) {
        ts_pdf_fail(pdf, "setting up UTF-8");
        ts_pdf_free(pdf);
        return NULL;
    }
    if (load_metrics(pdf) != 0) {
        ts_pdf_free(pdf);
        return NULL;
    }
    pdf->tag = ts_tag_new(d, arena, !info->untagged);
    if (pdf->tag == NULL || ts_tag_broken(pdf->tag)) {
        ts_pdf_fail(pdf, "creating the structure tree");
        ts_pdf_free(pdf);
        return NULL;
    }
    return pdf;
}

static void pager_free(struct ts_pager *p);
static bool restore_page(ts_pdf *pdf, HPDF_Page page);

void ts_pdf_free(ts_pdf *pdf)
{
    if (pdf == NULL)
        return;
    /* First: its thread may be writing into a page job. */
    pager_free(pdf->pager);
    /* A page left unsealed (a failed build) gets its own stream back, so that libharu frees
     * that one and not ours, which goes while libharu's memory manager lives. */
    restore_page(pdf, pdf->page);
    if (pdf->content_stream != NULL)
        HPDF_Stream_Free(pdf->content_stream);
    free(pdf->content);
    if (pdf->doc != NULL)
        HPDF_Free(pdf->doc);
    /* After the document: the elements' dictionaries are in the tagging layer's pool. */
    if (pdf->tag != NULL)
        ts_tag_free(pdf->tag);
    for (int i = 0; i < 2 * TS_FACE_COUNT; i++) {
        ts_fm_free(pdf->metrics[i]);
        free(pdf->fcache[i]);
        ts_font_file_free(pdf->font_file[i]); /* after HPDF_Free: libharu read them to the end */
    }
    free(pdf->buf);
    ts_arena_free(pdf->arena);
}

const ts_fonts *ts_pdf_fonts(const ts_pdf *pdf)
{
    return &pdf->fonts;
}

int ts_pdf_page_count(const ts_pdf *pdf)
{
    return (int)pdf->pages.len;
}

static HPDF_Page page_at(const ts_pdf *pdf, int i)
{
    return i >= 0 && (size_t)i < pdf->pages.len ? ((HPDF_Page *)pdf->pages.items)[i] : NULL;
}

/* How hard page contents are compressed: libdeflate's fastest level.  It compresses the pages
 * of a 300-measure pack in less than half of zlib's fastest level's time, into a smaller file
 * (8.9 MB of page contents against 9.4): the pager shares the second core with the workbooks. */
enum { PAGE_DEFLATE_LEVEL = 1 };

/* Pages compressed but not yet given back to libharu, at most (the pager's queue). */
enum { PAGER_QUEUE = 64 };
/* An idle pager is woken only when this many pages wait: a wake-up per page cost as much as
 * compressing one (a futex call and a context switch for some 4,000 pages). */
enum { PAGER_BATCH = 8 };

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\n");
}

/* A compressor with its output buffer, both kept for all pages. */
typedef struct deflater {
    struct libdeflate_compressor *c;
    unsigned char *buf;
    size_t cap;
} deflater;

static void deflater_end(deflater *d)
{
    libdeflate_free_compressor(d->c);
    d->c = NULL;
    free(d->buf);
    d->buf = NULL;
    d->cap = 0;
}

/* Compresses in[0, len) into d->buf, in the zlib format that /FlateDecode reads; *out is the
 * length. */
static int deflate_content(deflater *d, const unsigned char *in, size_t in_len, size_t *out)
{
    if (d->c == NULL && (d->c = libdeflate_alloc_compressor(PAGE_DEFLATE_LEVEL)) == NULL)
        return -1;
    size_t bound = libdeflate_zlib_compress_bound(d->c, in_len);
    if (bound > d->cap) {
        unsigned char *g = realloc(d->buf, bound);
        if (g == NULL)
            return -1;
        d->buf = g;
        d->cap = bound;
    }
    *out = libdeflate_zlib_compress(d->c, in, in_len, d->buf, bound);
    return *out > 0 ? 0 : -1;
}

/* The page's content stream now holds data, its compressed content, written as it is; its
 * /Filter is written by the dictionary's write hook (libharu would remove a /Filter entry from
 * a stream it does not compress itself). */
static int install_compressed(HPDF_Page page, const unsigned char *data, size_t len)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    HPDF_Stream s = attr->stream;
    HPDF_MemStream_FreeData(s);
    /* One block of the exact size (a memory stream grows in blocks of 4 KB, and most pages
     * compress to about 1 KB), filled with memcpy: what HPDF_Stream_Write would leave, without
     * its copy of one byte at a time. */
    HPDF_MemStreamAttr ma = (HPDF_MemStreamAttr)s->attr;
    HPDF_UINT size = (HPDF_UINT)(len > 0 ? len : 1);
    HPDF_BYTE *block = HPDF_GetMem(s->mmgr, size);
    if (block == NULL)
        return -1;
    if (HPDF_List_Add(ma->buf, block) != HPDF_OK) {
        HPDF_FreeMem(s->mmgr, block);
        return -1;
    }
    memcpy(block, data, len);
    ma->buf_siz = size;
    ma->w_ptr = block + len;
    ma->w_pos = (HPDF_UINT)len;
    s->size = (HPDF_UINT32)len;
    attr->contents->filter = HPDF_STREAM_FILTER_NONE;
    attr->contents->write_fn = write_flate_filter;
    return 0;
}

/* The pager compresses a finished page's content stream at once, instead of libharu when the
 * file is saved, so that the document holds its pages compressed (a 4,000-page pack keeps
 * about 5 MB of page content in memory instead of 20).  With more than one core it does so on
 * a thread of its own while the next pages are drawn: the page's operators, in a buffer of our
 * own (see content_write), go to the thread with the page, which deflates them into a buffer of
 * its own and never touches libharu; the document's thread puts the result into libharu.  The bytes
 * are the same either way. */
typedef struct page_job {
    HPDF_Page page;
    unsigned char *in; /* the page's operators, the job's own until the thread frees them */
    size_t in_len;
    unsigned char *data; /* the compressed content, malloc'd by the thread */
    size_t len;
    int rc;
} page_job;

typedef struct ts_pager {
    deflater d; /* the thread's, or the document's when there is no thread */
    bool threaded;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    page_job jobs[PAGER_QUEUE];
    size_t queued, compressed, installed; /* counts: installed <= compressed <= queued */
    bool stop;
    bool idle; /* the thread waits for work */
} ts_pager;

/* Under the lock. */
static void pager_wake(ts_pager *p)
{
    if (p->idle)
        pthread_cond_signal(&p->work);
}

static void *pager_main(void *arg)
{
    ts_pager *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->compressed == p->queued && !p->stop) {
            p->idle = true;
            pthread_cond_wait(&p->work, &p->lock);
            p->idle = false;
        }
        if (p->compressed == p->queued)
            break;
        page_job *j = &p->jobs[p->compressed % PAGER_QUEUE];
        pthread_mutex_unlock(&p->lock);
        size_t len = 0;
        j->rc = deflate_content(&p->d, j->in, j->in_len, &len);
        free(j->in);
        j->in = NULL;
        if (j->rc == 0) {
            j->data = malloc(len > 0 ? len : 1);
            if (j->data == NULL)
                j->rc = -1;
            else
                memcpy(j->data, p->d.buf, len);
            j->len = len;
        }
        pthread_mutex_lock(&p->lock);
        p->compressed++;
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Gives libharu the pages compressed so far; with wait, first every page queued. */
static int pager_collect(ts_pager *p, bool wait)
{
    int rc = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->installed < p->compressed) {
            page_job *j = &p->jobs[p->installed % PAGER_QUEUE];
            pthread_mutex_unlock(&p->lock);
            if (j->rc != 0 || install_compressed(j->page, j->data, j->len) != 0)
                rc = -1;
            free(j->data);
            j->data = NULL;
            pthread_mutex_lock(&p->lock);
            p->installed++;
        }
        if (!wait || p->installed == p->queued)
            break;
        pager_wake(p); /* the last pages may be fewer than a batch */
        pthread_cond_wait(&p->done, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

static void pager_free(ts_pager *p)
{
    if (p == NULL)
        return;
    if (p->threaded) {
        pthread_mutex_lock(&p->lock);
        p->stop = true;
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL);
        for (size_t i = p->installed; i < p->compressed; i++)
            free(p->jobs[i % PAGER_QUEUE].data);
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->done);
        pthread_mutex_destroy(&p->lock);
    }
    deflater_end(&p->d);
    free(p);
}

static ts_pager *pager_new(bool single_thread)
{
    ts_pager *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    if (!single_thread && sysconf(_SC_NPROCESSORS_ONLN) > 1 &&
        pthread_mutex_init(&p->lock, NULL) == 0) {
        if (pthread_cond_init(&p->work, NULL) == 0) {
            if (pthread_cond_init(&p->done, NULL) == 0) {
                if (pthread_create(&p->thread, NULL, pager_main, p) == 0) {
                    p->threaded = true;
                    return p;
                }
                pthread_cond_destroy(&p->done);
            }
            pthread_cond_destroy(&p->work);
        }
        pthread_mutex_destroy(&p->lock);
    }
    return p; /* no thread: pages are compressed as they are finished */
}

/* Page operators go into pdf->content (see ts_pdf): appended with memcpy. */
static HPDF_STATUS content_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    ts_pdf *pdf = stream->attr;
    if (siz > pdf->content_cap - pdf->content_len) {
        size_t cap = pdf->content_cap ? pdf->content_cap : 16384;
        while (cap - pdf->content_len < siz)
            cap *= 2;
        unsigned char *g = realloc(pdf->content, cap);
        if (g == NULL)
            return HPDF_RaiseError(stream->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        pdf->content = g;
        pdf->content_cap = cap;
    }
    memcpy(pdf->content + pdf->content_len, ptr, siz);
    pdf->content_len += siz;
    return HPDF_OK;
}

/* The new page's operators go to pdf->content from now on. */
static int redirect_page(ts_pdf *pdf, HPDF_Page page)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
    if (attr->contents == NULL || attr->stream == NULL || attr->contents->stream != attr->stream ||
        attr->stream->type != HPDF_STREAM_MEMORY)
        return -1;
    if (pdf->content_stream == NULL &&
        (pdf->content_stream = HPDF_CallbackWriter_New(pdf->doc->mmgr, content_write, pdf)) == NULL)
        return -1;
    pdf->page_stream = attr->stream;
    attr->stream = attr->contents->stream = pdf->content_stream;
    pdf->content_len = 0;
    return 0;
}

/* The page's own memory stream back in place; true when it had been redirected. */
static bool restore_page(ts_pdf *pdf, HPDF_Page page)
{
    HPDF_PageAttr attr = page != NULL ? (HPDF_PageAttr)page->attr : NULL;
    if (attr == NULL || pdf->content_stream == NULL || attr->stream != pdf->content_stream)
        return false;
    attr->stream = attr->contents->stream = pdf->page_stream;
    return true;
}

/* A page is finished: its content is compressed (now, or by the pager's thread). */
static int seal_page(ts_pdf *pdf, HPDF_Page page)
{
    if (!restore_page(pdf, page) || ((HPDF_PageAttr)page->attr)->contents->write_fn != NULL)
        return -1;
    if (pdf->pager == NULL && (pdf->pager = pager_new(pdf->info.single_thread)) == NULL)
        return -1;
    ts_pager *p = pdf->pager;
    if (!p->threaded) {
        size_t len;
        return deflate_content(&p->d, pdf->content, pdf->content_len, &len) == 0
                   ? install_compressed(page, p->d.buf, len)
                   : -1;
    }
    /* When the queue is full the thread is behind: wait until it has compressed a page. */
    pthread_mutex_lock(&p->lock);
    while (p->queued - p->installed == PAGER_QUEUE && p->compressed == p->installed) {
        pager_wake(p);
        pthread_cond_wait(&p->done, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    int rc = pager_collect(p, false);
    pthread_mutex_lock(&p->lock);
    /* The operators go with the job; the next page starts a buffer of its own. */
    p->jobs[p->queued % PAGER_QUEUE] =
        (page_job){.page = page, .in = pdf->content, .in_len = pdf->content_len};
    pdf->content = NULL;
    pdf->content_len = pdf->content_cap = 0;
    p->queued++;
    if (p->queued - p->compressed >= PAGER_BATCH)
        pager_wake(p);
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* Every page's content compressed and given to libharu (before saving). */
static int pager_finish(ts_pdf *pdf)
{
    return pdf->pager == NULL || !pdf->pager->threaded ? 0 : pager_collect(pdf->pager, true);
}

/* ---- Page tree ------------------------------------------------------------------------- */

/* libharu hangs every page on the catalog's /Pages node, whose /Kids array it caps at 32,767
 * entries (HPDF_LIMIT_MAX_ARRAY), so the 32,768th page failed.  Up to that many pages the tree
 * stays as libharu makes it, and the file as it always was.  Before the next page, the pages are
 * regrouped under intermediate /Pages nodes of at most PAGE_FANOUT kids, every leaf at the same
 * depth; later pages go to the last leaf, and a full one gets a new sibling (a new level on top
 * when the catalog's node is full), so the tree stays balanced however many pages follow.
 * Nothing else refers to the tree: destinations, outlines and the structure tree name pages, and
 * libharu counts /Count through the kids when it writes. */

static HPDF_UINT kid_count(HPDF_Pages node)
{
    HPDF_Array kids = HPDF_Dict_GetItem(node, "Kids", HPDF_OCLASS_ARRAY);
    return kids != NULL ? HPDF_Array_Items(kids) : 0;
}

/* Moves an object (a page or a /Pages node) under another node. */
static bool move_kid(HPDF_Pages to, HPDF_Dict kid)
{
    (void)HPDF_Dict_RemoveElement(kid, "Parent"); /* absent: a node not placed yet */
    return HPDF_Pages_AddKids(to, kid) == HPDF_OK;
}

/* Puts the count items of kids[] under new nodes of the fanout each, in order; the nodes are
 * left in kids[] (so the caller sees how many) and the last one in *last. */
static bool group(ts_pdf *pdf, HPDF_Dict *kids, size_t *count, HPDF_Pages *last)
{
    size_t n = 0;
    size_t fanout = pdf->tree_fanout;
    for (size_t i = 0; i < *count; i += fanout) {
        HPDF_Pages node = HPDF_Pages_New(pdf->doc->mmgr, NULL, pdf->doc->xref);
        if (node == NULL)
            return false;
        for (size_t k = i; k < i + fanout && k < *count; k++)
            if (!move_kid(node, kids[k]))
                return false;
        kids[n++] = node;
        *last = node;
    }
    *count = n;
    return true;
}

/* From libharu's one level to a balanced tree of the pages made so far. */
static bool regroup_pages(ts_pdf *pdf)
{
    HPDF_Pages root = pdf->doc->root_pages;
    size_t n = pdf->pages.len;
    HPDF_Dict *kids = malloc(n * sizeof *kids);
    HPDF_Array root_kids = HPDF_Dict_GetItem(root, "Kids", HPDF_OCLASS_ARRAY);
    if (kids == NULL || root_kids == NULL) {
        free(kids);
        return false;
    }
    memcpy(kids, pdf->pages.items, n * sizeof *kids);
    HPDF_Array_Clear(root_kids); /* frees only the references */
    HPDF_Pages last[TS_PAGE_TREE_DEPTH];
    int levels = 0;
    bool ok = true;
    do {
        ok = levels < TS_PAGE_TREE_DEPTH && group(pdf, kids, &n, &last[levels]);
        levels++;
    } while (ok && n > pdf->tree_fanout);
    for (size_t i = 0; ok && i < n; i++)
        ok = move_kid(root, kids[i]);
    free(kids);
    if (!ok)
        return false;
    /* group() went from the leaves up; the path goes from the top down. */
    for (int i = 0; i < levels; i++)
        pdf->tree_path[i] = last[levels - 1 - i];
    pdf->tree_depth = levels;
    return true;
}

/* Makes sure the page libharu adds next has a place: points its current /Pages node at a node
 * with room. */
static bool make_room_for_page(ts_pdf *pdf)
{
    if (pdf->tree_depth == 0 && pdf->pages.len < pdf->tree_flat_max)
        return true;
    if (pdf->tree_depth == 0 && !regroup_pages(pdf))
        return false;
    int depth = pdf->tree_depth;
    HPDF_Pages *path = pdf->tree_path, root = pdf->doc->root_pages;
    HPDF_UINT fanout = pdf->tree_fanout;
    if (kid_count(path[depth - 1]) >= fanout) {
        /* The deepest node on the path with room takes a new branch down to a new leaf. */
        int k = depth - 2;
        while (k >= 0 && kid_count(path[k]) >= fanout)
            k--;
        if (k < 0 && kid_count(root) >= fanout) {
            /* The catalog's node is full: its kids go one level down, under a new node. */
            if (depth == TS_PAGE_TREE_DEPTH)
                return false;
            HPDF_Pages top = HPDF_Pages_New(pdf->doc->mmgr, NULL, pdf->doc->xref);
            HPDF_Array root_kids = HPDF_Dict_GetItem(root, "Kids", HPDF_OCLASS_ARRAY);
            if (top == NULL || root_kids == NULL)
                return false;
            HPDF_UINT n = HPDF_Array_Items(root_kids);
            HPDF_Dict *moved = malloc(n * sizeof *moved);
            if (moved == NULL)
                return false;
            for (HPDF_UINT i = 0; i < n; i++)
                moved[i] = HPDF_Array_GetItem(root_kids, i, HPDF_OCLASS_DICT);
            HPDF_Array_Clear(root_kids);
            bool ok = true;
            for (HPDF_UINT i = 0; ok && i < n; i++)
                ok = moved[i] != NULL && move_kid(top, moved[i]);
            free(moved);
            if (!ok)
                return false;
            if (!move_kid(root, top))
                return false;
            memmove(path + 1, path, (size_t)depth * sizeof *path);
            path[0] = top;
            pdf->tree_depth = ++depth;
            k = -1; /* the catalog's node has room now; the new branch hangs there */
        }
        for (int level = k + 1; level < depth; level++) {
            HPDF_Pages parent = level == 0 ? root : path[level - 1];
            path[level] = HPDF_Pages_New(pdf->doc->mmgr, parent, pdf->doc->xref);
            if (path[level] == NULL)
                return false;
        }
    }
    pdf->doc->cur_pages = path[depth - 1];
    return true;
}

int ts_pdf_add_page(ts_pdf *pdf, ts_rgb background)
{
    if (pdf->saved || ts_tag_mc_state(pdf->tag) != TS_MC_NONE) {
        pdf->failures++;
        return -1;
    }
    if (pdf->page != NULL && seal_page(pdf, pdf->page) != 0) {
        ts_pdf_fail(pdf, "compressing a page");
        return -1;
    }
    /* libharu grows its object table by a fixed 1,024 entries, copying it whole each time:
     * a 4,000-page pack has some 90,000 objects.  Growing it by its own size instead makes the
     * cost linear. */
    HPDF_List entries = pdf->doc->xref->entries;
    if (entries->items_per_block < entries->block_siz)
        entries->items_per_block = entries->block_siz;
    if (!make_room_for_page(pdf)) {
        ts_pdf_fail(pdf, "adding a page to the page tree");
        return -1;
    }
    HPDF_Page *slot = ts_vec_push(pdf->arena, &pdf->pages, sizeof *slot);
    HPDF_Page page = slot != NULL ? HPDF_AddPage(pdf->doc) : NULL;
    if (page == NULL || HPDF_Page_SetWidth(page, (HPDF_REAL)pdf->layout->page_w) != HPDF_OK ||
        HPDF_Page_SetHeight(page, (HPDF_REAL)pdf->layout->page_h) != HPDF_OK ||
        ts_tag_begin_page(pdf->tag, page) != 0) {
        if (slot != NULL)
            pdf->pages.len--;
        ts_pdf_fail(pdf, "adding a page");
        return -1;
    }
    *slot = page;
    pdf->page = page;
    if (redirect_page(pdf, page) != 0) {
        ts_pdf_fail(pdf, "adding a page");
        return -1;
    }
    /* libharu gives every page an obsolete /ProcSet of five names (about 1 KB of objects per
     * page in memory); PDF 1.4 and later ignore it. */
    HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
    if (res != NULL)
        (void)HPDF_Dict_RemoveElement(res, "ProcSet"); /* absent: nothing to do */
    if (ts_draw_rect(pdf, NULL, 0, 0, pdf->layout->page_w, pdf->layout->page_h, &background, NULL,
                     0) != 0)
        return -1;
    return (int)pdf->pages.len - 1;
}

ts_outline *ts_pdf_outline(ts_pdf *pdf, ts_outline *parent, const char *title_utf8, int page)
{
    if (pdf->saved || title_utf8 == NULL)
        return NULL;
    ts_outline *o = ts_arena_calloc(pdf->arena, 1, sizeof *o);
    ts_outline **slot = o != NULL ? ts_vec_push(pdf->arena, &pdf->outlines, sizeof *slot) : NULL;
    if (slot == NULL) {
        ts_pdf_fail(pdf, "adding a bookmark");
        return NULL;
    }
    o->page = page;
    /* The title is set below as our own text string; libharu's would refuse a title over its
     * 65,535-byte string limit, which ours cuts. */
    o->outline =
        HPDF_CreateOutline(pdf->doc, parent != NULL ? parent->outline : NULL, "", pdf->utf8);
    void *t = o->outline != NULL
                  ? ts_pdf_text_string(pdf->doc->mmgr, title_utf8, strlen(title_utf8))
                  : NULL;
    /* The encoder's string turns characters beyond the BMP into spaces; ours does not. */
    if (t == NULL || HPDF_Dict_Add(o->outline, "Title", t) != HPDF_OK ||
        HPDF_Outline_SetOpened(o->outline, HPDF_FALSE) != HPDF_OK) {
        pdf->outlines.len--;
        ts_pdf_fail(pdf, "adding a bookmark");
        return NULL;
    }
    *slot = o;
    return o;
}

/* ---- Metadata -------------------------------------------------------------------------- */

typedef struct civil {
    int year, month, day, hour, min, sec;
} civil;

/* UTC calendar fields of a time_t without the C library's time zone state (the dates must
 * not depend on TZ).  Howard Hinnant's days-to-civil algorithm. */
static civil civil_from(time_t t)
{
    long long s = (long long)t;
    long long days = s / 86400, rem = s % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    civil c;
    c.hour = (int)(rem / 3600);
    c.min = (int)(rem % 3600 / 60);
    c.sec = (int)(rem % 60);
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = (int)(yoe + era * 400 + (c.month <= 2));
    return c;
}

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool failed;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *g = realloc(b->p, cap);
        if (g == NULL) {
            b->failed = true;
            return;
        }
        b->p = g;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* XML-escaped; control characters that XML 1.0 forbids are dropped. */
static void sb_xml(sbuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            sb_str(b, "&amp;");
            break;
        case '<':
            sb_str(b, "&lt;");
            break;
        case '>':
            sb_str(b, "&gt;");
            break;
        case '"':
            sb_str(b, "&quot;");
            break;
        default:
            if (c >= 0x20 || c == '\t' || c == '\n')
                sb_put(b, s, 1);
        }
    }
}

static void sb_elem(sbuf *b, const char *open, const char *value, const char *close)
{
    sb_str(b, open);
    sb_xml(b, value);
    sb_str(b, close);
}

static const char *producer(void)
{
    return "taseuranta " TASEURANTA_VERSION " (libHaru " HPDF_VERSION_TEXT ")";
}

static int write_xmp(ts_pdf *pdf, const char *date)
{
    const ts_pdf_info *in = &pdf->info;
    sbuf b = {0};
    sb_str(&b, "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
               "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
               "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    sb_str(&b, "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
               "<dc:format>application/pdf</dc:format>\n");
    if (in->title != NULL)
        sb_elem(&b, "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">", in->title,
                "</rdf:li></rdf:Alt></dc:title>\n");
    if (in->author != NULL)
        sb_elem(&b, "<dc:creator><rdf:Seq><rdf:li>", in->author,
                "</rdf:li></rdf:Seq></dc:creator>\n");
    if (in->subject != NULL)
        sb_elem(&b, "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">", in->subject,
                "</rdf:li></rdf:Alt></dc:description>\n");
    sb_elem(&b, "<dc:language><rdf:Bag><rdf:li>", ts_lang_name(in->lang),
            "</rdf:li></rdf:Bag></dc:language>\n");
    sb_str(&b, "</rdf:Description>\n");

    sb_str(&b, "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n");
    sb_elem(&b, "<pdf:Producer>", producer(), "</pdf:Producer>\n");
    if (in->keywords != NULL)
        sb_elem(&b, "<pdf:Keywords>", in->keywords, "</pdf:Keywords>\n");
    sb_str(&b, "</rdf:Description>\n");

    sb_str(&b, "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    if (in->creator != NULL)
        sb_elem(&b, "<xmp:CreatorTool>", in->creator, "</xmp:CreatorTool>\n");
    sb_elem(&b, "<xmp:CreateDate>", date, "</xmp:CreateDate>\n");
    sb_elem(&b, "<xmp:ModifyDate>", date, "</xmp:ModifyDate>\n");
    sb_elem(&b, "<xmp:MetadataDate>", date, "</xmp:MetadataDate>\n");
    sb_str(&b, "</rdf:Description>\n");

    if (!in->untagged)
        sb_str(&b, "<rdf:Description rdf:about=\"\" "
                   "xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
                   "<pdfuaid:part>1</pdfuaid:part>\n</rdf:Description>\n");
    if (in->pdfa) {
        sb_str(&b, "<rdf:Description rdf:about=\"\" "
                   "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
                   "<pdfaid:part>2</pdfaid:part>\n"
                   "<pdfaid:conformance>A</pdfaid:conformance>\n</rdf:Description>\n");
        /* PDF/A allows only the XMP schemas it predefines, or ones declared here. */
        sb_str(&b, "<rdf:Description rdf:about=\"\" "
                   "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
                   "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
                   "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
                   "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
                   "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
                   "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/"
                   "</pdfaSchema:namespaceURI>\n"
                   "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
                   "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
                   "<pdfaProperty:name>part</pdfaProperty:name>\n"
                   "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
                   "<pdfaProperty:category>internal</pdfaProperty:category>\n"
                   "<pdfaProperty:description>Indicates which part of ISO 14289 standard is "
                   "followed</pdfaProperty:description>\n"
                   "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
                   "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
                   "</rdf:Description>\n");
    }
    sb_str(&b, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
    if (b.failed) {
        free(b.p);
        return -1;
    }
    /* A metadata stream is left uncompressed, so that any tool can find it. */
    HPDF_Dict md = HPDF_DictStream_New(pdf->doc->mmgr, pdf->doc->xref);
    HPDF_STATUS st = md != NULL ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
    if (md != NULL) {
        md->filter = HPDF_STREAM_FILTER_NONE;
        st |= HPDF_Dict_AddName(md, "Type", "Metadata");
        st |= HPDF_Dict_AddName(md, "Subtype", "XML");
        st |= HPDF_Stream_Write(md->stream, (const HPDF_BYTE *)b.p, (HPDF_UINT)b.len);
        st |= HPDF_Dict_Add(pdf->doc->catalog, "Metadata", md);
    }
    free(b.p);
    return st == HPDF_OK ? 0 : -1;
}

static int set_info_text(ts_pdf *pdf, const char *key, const char *value)
{
    if (value == NULL)
        return 0;
    void *s = ts_pdf_text_string(pdf->doc->mmgr, value, strlen(value));
    return s != NULL && HPDF_Dict_Add(pdf->doc->info, key, s) == HPDF_OK ? 0 : -1;
}

static int write_info(ts_pdf *pdf, civil c)
{
    HPDF_Doc d = pdf->doc;
    /* Makes the info dictionary; its Producer is then replaced. */
    if (HPDF_SetInfoAttr(d, HPDF_INFO_PRODUCER, "taseuranta") != HPDF_OK || d->info == NULL)
        return -1;
    HPDF_Date date = {c.year, c.month, c.day, c.hour, c.min, c.sec, 'Z', 0, 0};
    int rc = 0;
    rc |= set_info_text(pdf, "Title", pdf->info.title);
    rc |= set_info_text(pdf, "Author", pdf->info.author);
    rc |= set_info_text(pdf, "Subject", pdf->info.subject);
    rc |= set_info_text(pdf, "Keywords", pdf->info.keywords);
    rc |= set_info_text(pdf, "Creator", pdf->info.creator);
    rc |= set_info_text(pdf, "Producer", producer());
    if (HPDF_SetInfoDateAttr(d, HPDF_INFO_CREATION_DATE, date) != HPDF_OK ||
        HPDF_SetInfoDateAttr(d, HPDF_INFO_MOD_DATE, date) != HPDF_OK)
        rc = -1;
    return rc;
}

static int write_catalog(ts_pdf *pdf)
{
    HPDF_Doc d = pdf->doc;
    HPDF_STATUS st = HPDF_OK;
    const char *lang = ts_lang_name(pdf->info.lang);
    st |= HPDF_Dict_Add(d->catalog, "Lang", HPDF_String_New(d->mmgr, lang, NULL));
    /* SetViewerPreference replaces the whole dictionary: DisplayDocTitle goes in after it. */
    st |= HPDF_SetViewerPreference(d, 0);
    HPDF_Dict vp = HPDF_Dict_GetItem(d->catalog, "ViewerPreferences", HPDF_OCLASS_DICT);
    if (vp == NULL) {
        vp = HPDF_Dict_New(d->mmgr);
        if (vp == NULL || HPDF_Dict_Add(d->catalog, "ViewerPreferences", vp) != HPDF_OK)
            return -1;
    }
    st |= HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
    if (pdf->outlines.len > 0)
        st |= HPDF_SetPageMode(d, HPDF_PAGE_MODE_USE_OUTLINE);
    return st == HPDF_OK ? 0 : -1;
}

static int write_output_intent(ts_pdf *pdf)
{
    HPDF_Doc d = pdf->doc;
    const char *path = pdf->info.icc_path;
    if (path == NULL) {
        ts_diag_add(pdf->diags, NULL, (ts_pos){0, 0}, TS_ERROR,
                    "PDF/A needs an ICC profile, and none was given");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot read the ICC profile");
        return -1;
    }
    HPDF_Dict icc = HPDF_DictStream_New(d->mmgr, d->xref);
    HPDF_STATUS st = icc != NULL ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
    unsigned char chunk[8192];
    size_t n, total = 0;
    while (st == HPDF_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        st |= HPDF_Stream_Write(icc->stream, chunk, (HPDF_UINT)n);
        total += n;
    }
    bool bad = ferror(f) || total < 128;
    fclose(f);
    if (st != HPDF_OK || bad) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot embed the ICC profile%s",
                    bad ? " (unreadable or too short)" : "");
        return -1;
    }
    icc->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    st |= HPDF_Dict_AddNumber(icc, "N", 3);
    st |= HPDF_Dict_AddName(icc, "Alternate", "DeviceRGB");

    HPDF_Dict intent = HPDF_Dict_New(d->mmgr);
    if (intent == NULL || HPDF_Xref_Add(d->xref, intent) != HPDF_OK)
        return -1;
    st |= HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    st |= HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    st |= HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                        HPDF_String_New(d->mmgr, "sRGB IEC61966-2.1", NULL));
    st |= HPDF_Dict_Add(intent, "Info", HPDF_String_New(d->mmgr, "sRGB IEC61966-2.1", NULL));
    st |= HPDF_Dict_Add(intent, "DestOutputProfile", icc);
    HPDF_Array intents = HPDF_Array_New(d->mmgr);
    if (intents == NULL)
        return -1;
    /* HPDF_Dict_Add frees intents when it fails: nothing may touch it after that. */
    if (HPDF_Dict_Add(d->catalog, "OutputIntents", intents) != HPDF_OK)
        return -1;
    st |= HPDF_Array_Add(intents, intent);
    return st == HPDF_OK ? 0 : -1;
}

/* /ID from what the document is (title, author, date, pages, objects), never the clock. */
static int write_id(ts_pdf *pdf)
{
    HPDF_Doc d = pdf->doc;
    HPDF_MD5_CTX ctx;
    HPDF_MD5Init(&ctx);
    const char *parts[] = {"taseuranta", pdf->info.title, pdf->info.author, pdf->info.subject};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const char *p = parts[i] != NULL ? parts[i] : "";
        HPDF_MD5Update(&ctx, (const HPDF_BYTE *)p, (HPDF_UINT32)strlen(p) + 1);
    }
    char nums[96];
    snprintf(nums, sizeof nums, "%lld/%zu/%u/%d/%d", (long long)pdf->info.now, pdf->pages.len,
             (unsigned)d->xref->entries->count, pdf->info.pdfa, pdf->info.untagged);
    HPDF_MD5Update(&ctx, (const HPDF_BYTE *)nums, (HPDF_UINT32)strlen(nums));
    HPDF_BYTE digest[16];
    HPDF_MD5Final(digest, &ctx);
    HPDF_Array id = HPDF_Array_New(d->mmgr);
    if (id == NULL || HPDF_Dict_Add(d->trailer, "ID", id) != HPDF_OK)
        return -1;
    HPDF_STATUS st = HPDF_Array_Add(id, HPDF_Binary_New(d->mmgr, digest, 16));
    st |= HPDF_Array_Add(id, HPDF_Binary_New(d->mmgr, digest, 16));
    return st == HPDF_OK ? 0 : -1;
}

int ts_pdf_set_later_page(ts_pdf *pdf, int k, int page)
{
    if (k < 0 || page < 0 || pdf->saved) {
        pdf->failures++;
        return -1;
    }
    while (pdf->later.len <= (size_t)k)
        if (ts_vec_push(pdf->arena, &pdf->later, sizeof(int)) == NULL) {
            ts_pdf_fail(pdf, "remembering a page");
            return -1;
        }
    ((int *)pdf->later.items)[k] = page + 1;
    return 0;
}

static int resolve_destinations(ts_pdf *pdf, const char *path)
{
    const ts_pending_link *l = pdf->links.items;
    for (size_t i = 0; i < pdf->links.len; i++) {
        int page = l[i].target_page;
        if (page <= TS_PAGE_LATER(0)) {
            size_t k = (size_t)(TS_PAGE_LATER(0) - page);
            page = k < pdf->later.len ? ((const int *)pdf->later.items)[k] - 1 : -1;
            if (page < 0) {
                ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
                            "PDF: a link goes to a page that was never made");
                return -1;
            }
        }
        HPDF_Page target = page_at(pdf, page);
        if (target == NULL) {
            ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
                        "PDF: a link goes to page %d, and the document has %zu pages", page + 1,
                        pdf->pages.len);
            return -1;
        }
        HPDF_Destination dst = HPDF_Page_CreateDestination(target);
        if (dst == NULL || HPDF_Dict_Add(l[i].annot, "Dest", dst) != HPDF_OK)
            return -1;
    }
    ts_outline *const *o = pdf->outlines.items;
    for (size_t i = 0; i < pdf->outlines.len; i++) {
        HPDF_Page target = page_at(pdf, o[i]->page);
        if (target == NULL) {
            ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
                        "PDF: a bookmark goes to page %d, and the document has %zu pages",
                        o[i]->page + 1, pdf->pages.len);
            return -1;
        }
        HPDF_Destination dst = HPDF_Page_CreateDestination(target);
        if (dst == NULL || HPDF_Outline_SetDestination(o[i]->outline, dst) != HPDF_OK)
            return -1;
    }
    return 0;
}

/* The file, written through a buffer of ours: libharu's own file writer makes an fwrite call
 * for each token of every object, some three million for a 4,000-page pack. */
typedef struct file_out {
    int fd;
    unsigned char *buf;
    size_t len, cap;
    int err; /* errno of the first failed write */
} file_out;

static void out_all(file_out *o, const unsigned char *p, size_t len)
{
    for (size_t done = 0; done < len && o->err == 0;) {
        ssize_t n = write(o->fd, p + done, len - done);
        if (n < 0 && errno != EINTR)
            o->err = errno;
        else if (n > 0)
            done += (size_t)n;
    }
}

static void out_flush(file_out *o)
{
    out_all(o, o->buf, o->len);
    o->len = 0;
}

static HPDF_STATUS out_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT siz)
{
    file_out *o = stream->attr;
    if (siz > o->cap - o->len)
        out_flush(o);
    if (siz > o->cap) {
        out_all(o, ptr, siz); /* a piece larger than the buffer goes out as it is */
    } else if (o->err == 0) {
        memcpy(o->buf + o->len, ptr, siz);
        o->len += siz;
    }
    return o->err == 0 ? HPDF_OK : HPDF_RaiseError(stream->error, HPDF_FILE_IO_ERROR, o->err);
}

/* What HPDF_SaveToFile does (libharu 2.3.0, hpdf_doc.c InternalSaveToStream) for a document
 * that is not encrypted: the version's header, /Root and /Info in the trailer, then every
 * object and the cross-reference table; only the writing goes through file_out.  Returns
 * errno, or -1 when libharu failed. */
static int save_to(ts_pdf *pdf, const char *path)
{
    HPDF_Doc d = pdf->doc;
    if (d->encrypt_on || d->info == NULL || d->pdf_version != HPDF_VER_17)
        return HPDF_SaveToFile(d, path) == HPDF_OK ? 0 : -1;
    file_out o = {.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666),
                  .cap = 1u << 20};
    if (o.fd < 0)
        return errno;
    o.buf = malloc(o.cap);
    HPDF_Stream stream = o.buf != NULL ? HPDF_CallbackWriter_New(d->mmgr, out_write, &o) : NULL;
    int rc = stream != NULL ? 0 : ENOMEM;
    if (rc == 0 && (HPDF_Stream_WriteStr(stream, "%PDF-1.7\n%\267\276\255\252\n") != HPDF_OK ||
                    HPDF_Dict_Add(d->trailer, "Root", d->catalog) != HPDF_OK ||
                    HPDF_Dict_Add(d->trailer, "Info", d->info) != HPDF_OK ||
                    HPDF_Xref_WriteToStream(d->xref, stream, NULL) != HPDF_OK))
        rc = o.err != 0 ? o.err : -1;
    if (rc == 0)
        out_flush(&o);
    if (rc == 0 && o.err != 0)
        rc = o.err;
    if (close(o.fd) != 0 && rc == 0)
        rc = errno;
    HPDF_Stream_Free(stream);
    free(o.buf);
    return rc;
}

int ts_pdf_save(ts_pdf *pdf, const char *path, ts_diags *diags)
{
    if (diags != NULL)
        pdf->diags = diags;
    if (pdf->saved) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "PDF: saved twice");
        return 3;
    }
    pdf->saved = true;
    if (pdf->paint_faults > 0) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
                    "PDF: %zu painting operators outside marked content (an internal fault)",
                    pdf->paint_faults);
        return 3;
    }
    if (pdf->failures > 0 || pdf->hpdf_errors > 0) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR,
                    "PDF: not written, %zu drawing operations failed", pdf->failures);
        return 3;
    }
    if (pdf->pages.len == 0) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "PDF: the document has no page");
        return 3;
    }

    if (seal_page(pdf, pdf->page) != 0 || pager_finish(pdf) != 0) {
        ts_pdf_fail(pdf, "compressing a page");
        return 3;
    }
    civil c = civil_from(pdf->info.now);
    char date[32];
    snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
             c.min, c.sec);
    if (resolve_destinations(pdf, path) != 0 || ts_tag_finish(pdf->tag) != 0 ||
        write_catalog(pdf) != 0 || write_info(pdf, c) != 0 || write_xmp(pdf, date) != 0 ||
        (pdf->info.pdfa && write_output_intent(pdf) != 0) || write_id(pdf) != 0) {
        ts_pdf_fail(pdf, "finishing the document");
        return 3;
    }
    /* Last: SetViewerPreference has set 1.6 on the way. */
    pdf->doc->pdf_version = HPDF_VER_17;
    int err = save_to(pdf, path);
    if (err > 0) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot write the PDF: %s",
                    strerror(err));
        return 3;
    }
    if (err < 0) {
        ts_diag_add(pdf->diags, path, (ts_pos){0, 0}, TS_ERROR, "cannot write the PDF (libharu %s)",
                    pdf->hpdf_error == HPDF_FILE_IO_ERROR ? "file error" : "error");
        return 3;
    }
    return 0;
}
