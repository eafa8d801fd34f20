/* The PDF document behind draw.h: libharu set up for a tagged, deterministic PDF 1.7 (and
 * PDF/A-2a on request).  This header is shared by pdfdoc.c (the document: fonts, metadata,
 * pages, outlines, links resolved at save time) and draw.c (the painting); nothing else
 * includes it. */
#ifndef TS_PDFDOC_H
#define TS_PDFDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "core/arena.h"
#include "core/diag.h"
#include "pdf/draw.h"
#include "pdf/tag.h"
#include "text/text.h"

/* Levels of intermediate /Pages nodes a tree may have: at fanout 64 they hold 64^13 pages, more
 * than memory does; a test's tiny fanout reaches the limit, and the next page is refused. */
#define TS_PAGE_TREE_DEPTH 12

/* A link to a page that may not exist yet: its /Dest is set when the file is saved. */
typedef struct ts_pending_link {
    HPDF_Annotation annot;
    int target_page;
} ts_pending_link;

/* What libharu says of a font's BMP code points, asked once per code point: whether it has a
 * glyph (libharu's cmap lookup is a linear search) and, when it has, that glyph is marked used
 * (for the embedded subset). */
typedef struct ts_font_cache {
    unsigned char known[8192]; /* bit per code point */
    unsigned char has[8192];
} ts_font_cache;

struct ts_outline {
    HPDF_Outline outline;
    int page;
};

struct ts_pdf {
    ts_arena *arena; /* everything of this document that is not libharu's */
    ts_diags *diags;
    const ts_layout *layout;
    ts_pdf_info info; /* strings copied into arena */

    HPDF_Doc doc;
    HPDF_Encoder utf8;
    /* Slots 0..3 are the text font's faces, 4..7 the fallback's. */
    const char *font_path[2 * TS_FACE_COUNT];
    int font_slot[2 * TS_FACE_COUNT];            /* the first slot with the same file */
    HPDF_Font hfont[2 * TS_FACE_COUNT];          /* by first slot; NULL until first used */
    ts_font_file *font_file[2 * TS_FACE_COUNT];  /* checked bytes, libharu's to read; owned */
    ts_font_metrics *metrics[2 * TS_FACE_COUNT]; /* owned; NULL where a file repeats */
    ts_font_cache *fcache[2 * TS_FACE_COUNT];    /* by first slot, with hfont; owned */
    char font_tag[7]; /* the subset tag of the last font loaded ("HPDFAA", "HPDFAB"...) */
    ts_fonts fonts;
    ts_rgb link_colour;

    ts_tag *tag;
    ts_vec pages;    /* of HPDF_Page */
    HPDF_Page page;  /* the current page */
    ts_vec links;    /* of ts_pending_link */
    ts_vec later;    /* of int: page + 1 of TS_PAGE_LATER(k), 0 while not set */
    ts_vec outlines; /* of ts_outline * */

    /* The page tree once it is more than libharu's one level (pdfdoc.c, "Page tree"): the last
     * node at each depth under the catalog's /Pages, the deepest holding pages. */
    HPDF_Pages tree_path[TS_PAGE_TREE_DEPTH];
    int tree_depth; /* 0: every page is a kid of /Pages, as libharu makes it */
    /* The most pages libharu's one level holds, and the kids of a node past it; set by
     * ts_pdf_new (a test makes them small to grow deep trees from few pages). */
    size_t tree_flat_max;
    unsigned tree_fanout;

    /* libharu's errors, recorded by its error handler (no longjmp). */
    HPDF_STATUS hpdf_error;
    HPDF_STATUS hpdf_detail;
    size_t hpdf_errors;

    size_t paint_faults;   /* painting operators outside marked content (must stay 0) */
    size_t replaced_chars; /* characters no font has, drawn as U+FFFD with /ActualText */
    size_t failures;       /* draw calls that failed */

    struct ts_pager *pager; /* compresses finished pages' contents; NULL until the first */
    /* The current page's operators are written into `content` through content_stream, put in
     * place of the page's own memory stream (page_stream) until the page is sealed: libharu's
     * memory stream copies one byte at a time. */
    HPDF_Stream content_stream;
    HPDF_Stream page_stream;
    unsigned char *content;
    size_t content_len, content_cap;

    char *buf; /* scratch for one segment's text, NUL-terminated */
    size_t buf_cap;
    bool saved;
};

/* Records a failure of a libharu call as an error in diags. */
void ts_pdf_fail(ts_pdf *pdf, const char *what);

/* The libharu font of a face (loaded, with its ToUnicode fixed, on first use); NULL with an
 * error in diags when libharu refuses it. */
HPDF_Font ts_pdf_font(ts_pdf *pdf, ts_face face, bool fallback);

/* The first font slot of a face (slots 0..3 the text font, 4..7 the fallback). */
int ts_pdf_font_slot(const ts_pdf *pdf, ts_face face, bool fallback);

/* What HPDF_LoadTTFontFromFile does, from a font fontcheck.c has read and checked: libharu
 * reads these bytes (which must outlive doc) through a stream whose state lives in arena, and
 * registers the font under its name with the subset tag after tag ("" before the first font;
 * updated).  The name, or NULL with libharu's error raised through doc's error handler. */
const char *ts_pdf_load_ttf(HPDF_Doc doc, ts_arena *arena, const ts_font_file *f, char tag[7]);

/* Replaces a TrueType font's format 4 cmap by an equivalent one of a single segment over a
 * table of all 65,536 BMP code points.  libharu 2.3.0 looks a code point up by a linear search
 * of the segments (DejaVu Sans has hundreds) and does so for every BMP code point when it makes
 * the font, a third of a small pack's time; the answers stay the same, except that a 0 in the
 * glyph index array stays 0 (the missing glyph) as the TrueType spec and our metrics say, where
 * libharu adds the segment's delta to it.  -1 when out of memory (the cmap is then as it was). */
int ts_pdf_flatten_cmap(HPDF_FontDef def);

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

/* Writes val as libharu's HPDF_FToA does (at most 12 bytes, no terminating NUL) and returns
 * the end: the same digits at a fraction of the cost, for the operators the drawing layer
 * writes itself. */
char *ts_pdf_real(char *s, HPDF_REAL val);

/* The current page's height, for turning top-left coordinates into PDF's bottom-left ones. */
double ts_pdf_page_h(const ts_pdf *pdf);

#endif
