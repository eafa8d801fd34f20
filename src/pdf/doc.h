/* The PDF document as the slide code sees it: opened with the layout's fonts, pages counted,
 * bookmarks, links to pages made later, saved whole.  What is drawn on the pages is draw.h's. */
#ifndef TS_DOC_H
#define TS_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/diag.h"
#include "core/locale.h"
#include "core/status.h"
#include "layout/layout.h"
#include "text/text.h"

typedef struct ts_pdf ts_pdf; /* one PDF document being written */

typedef struct ts_pdf_info {
    const char *title; /* UTF-8; also dc:title in the XMP and the window title */
    const char *author;
    const char *subject;
    const char *keywords;
    const char *creator; /* "taseuranta 0.1" */
    ts_lang lang;
    time_t now; /* creation and modification date; never the clock */
    bool pdfa;  /* PDF/A-2a: OutputIntent with sRGB, pdfaid part 2 conformance A */
    bool untagged;
    bool single_thread;   /* pages compressed on the drawing thread (see ts_build_ctx) */
    const char *icc_path; /* the sRGB profile, for pdfa */
    /* A web link's description (/Contents) in the document's language: the label link.web,
     * its {name} the address (labels.h); NULL: the address alone. */
    const char *web_link;
} ts_pdf_info;

/* Opens a document with the layout's fonts (text font and fallback, the four faces each). */
ts_pdf *ts_pdf_new(const ts_layout *layout, const ts_pdf_info *info, ts_diags *diags);
void ts_pdf_free(ts_pdf *pdf);
/* Writes the file: TS_OK, or TS_SYSTEM_ERROR with the reason in diags. */
ts_rc ts_pdf_save(ts_pdf *pdf, const char *path, ts_diags *diags);

/* The metrics of the fonts the document uses, for the text engine. */
const ts_fonts *ts_pdf_fonts(const ts_pdf *pdf);

int ts_pdf_page_count(const ts_pdf *pdf);

/* A page not known yet when a link to it is made (a deck that comes after the overview):
 * ts_draw_page_link with target_page TS_PAGE_LATER(k) goes to the page that
 * ts_pdf_set_later_page(pdf, k, page) names before the file is saved.  k >= 0. */
#define TS_PAGE_LATER(k) (-2 - (k))
int ts_pdf_set_later_page(ts_pdf *pdf, int k, int page);

/* A bookmark.  parent NULL: top level.  Returns a handle for children, NULL on failure. */
typedef struct ts_outline ts_outline;
ts_outline *ts_pdf_outline(ts_pdf *pdf, ts_outline *parent, const char *title_utf8, int page);

#endif
