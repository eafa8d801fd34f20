/* The document behind doc.h and draw.h: its state and what the files of src/pdf/ share.
 * doc.c keeps the document and its pages, fonts.c its fonts, meta.c writes its metadata,
 * pager.c compresses its pages, draw.c paints, state.c records failures; all of them go below
 * libharu's public API only through shim.h.  Nothing outside src/pdf/ includes this header but
 * the PDF layer's own tests. */
#ifndef TS_DOC_INTERNAL_H
#define TS_DOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/diag.h"
#include "font/fontcheck.h"
#include "pdf/doc.h"
#include "pdf/pager.h"
#include "pdf/shim.h"
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

typedef struct ts_font_cache ts_font_cache; /* fonts.h */

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

    /* The page tree once it is more than libharu's one level (doc.c, "Page tree"): the last
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

    ts_pager *pager; /* compresses finished pages' contents; NULL until the first */
    /* The current page's operators, captured into `content` until the page is sealed: libharu's
     * memory stream copies one byte at a time. */
    ts_shim_capture *capture;
    ts_buf content;

    ts_buf text; /* scratch for one segment's text (draw.c), written in place after a reserve */
    bool saved;
};

/* libharu's error handler (no longjmp): the first error and its detail, and a count. */
void HPDF_STDCALL ts_pdf_on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                                       void *user_data);

/* Records a failure of a libharu call as an error in diags: memory's when libharu said so, the
 * system's otherwise. */
void ts_pdf_fail(ts_pdf *pdf, const char *what);
/* Records a failure that only memory running out causes. */
void ts_pdf_fail_memory(ts_pdf *pdf, const char *what);

/* The current page's height, for turning top-left coordinates into PDF's bottom-left ones. */
double ts_pdf_page_h(const ts_pdf *pdf);

/* Starts a new page of the layout's size and makes it current, with nothing drawn on it (draw.c
 * paints its background).  Returns its 0-based index, or -1 on failure. */
int ts_pdf_new_page(ts_pdf *pdf);

#endif
