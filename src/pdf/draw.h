/* The drawing layer: what the slide code calls.  It says WHAT is drawn (a heading, a paragraph,
 * a list, a table cell, a figure, a link, decoration) and this layer does the PDF: libharu for
 * the painting, tag.h for the structure tree, marked content and artifacts.  Every painting call
 * here belongs to a structure element or is an artifact; the slide code never writes a PDF
 * operator.  Coordinates are pt from the page's top-left corner (y grows downwards), as in the
 * layout file. */
#ifndef TS_DRAW_H
#define TS_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "layout/layout.h"
#include "pdf/doc.h"
#include "round/model.h"
#include "text/text.h"

typedef struct ts_elem ts_elem; /* a structure element of the document */

/* Starts a new page of the layout's size with the given background (an artifact) and makes it
 * current.  Returns its 0-based index, or -1 on failure. */
int ts_pdf_add_page(ts_pdf *pdf, ts_rgb background);

/* ---- Structure ------------------------------------------------------------------------- */

/* The Document element, root of the tree. */
ts_elem *ts_pdf_document(ts_pdf *pdf);

/* A new element of a standard type ("Sect", "H1", "H2", "P", "L", "LI", "Lbl", "LBody",
 * "Table", "THead", "TBody", "TR", "TH", "TD", "Figure", "Caption", "Span", "Link", "Note"),
 * appended as the last child of parent.  The order of creation under a parent is the reading
 * order, whatever order things are painted in. */
ts_elem *ts_elem_new(ts_pdf *pdf, ts_elem *parent, const char *type);
void ts_elem_set_alt(ts_pdf *pdf, ts_elem *e, const char *utf8);    /* Figure */
void ts_elem_set_scope(ts_pdf *pdf, ts_elem *e, const char *scope); /* TH: Column, Row */
void ts_elem_set_numbering(ts_pdf *pdf, ts_elem *e, bool ordered);  /* L */
void ts_elem_set_row_span(ts_pdf *pdf, ts_elem *e, int rows);       /* TH, TD */
void ts_elem_set_col_span(ts_pdf *pdf, ts_elem *e, int cols);       /* TH, TD */
/* The header cells (TH) of a cell, named by their /IDs in its /Headers: for a header that
 * Scope cannot say (a band over the rows under it), listed with the cell's column and row
 * heads, since a reader that finds /Headers may take them as the whole list. */
void ts_elem_set_headers(ts_pdf *pdf, ts_elem *e, ts_elem *const *heads, size_t n); /* TH, TD */
void ts_elem_set_title(ts_pdf *pdf, ts_elem *e, const char *utf8); /* Sect: its name */

/* ---- Content --------------------------------------------------------------------------- */

/* Draws lines [first, end) of a flow with their top at (x, y) on the current page, in the
 * style's colour (links in the layout's "link" colour, underlined).  With `container` set to
 * a P/H1/H2/TD/TH/LBody-like element, the lines become content of it directly (use it for a
 * heading or a one-line cell).  Otherwise the flow's nodes become P / L-LI-Lbl-LBody elements
 * under `parent`, made the first time a node is drawn and continued (same element) when a later
 * call draws more of it on another page.  Links in the text become Link elements with a URI
 * annotation whose /Contents says where it goes.  `state` keeps the node -> element map of one
 * flow between calls; get it with ts_flow_tags_new and pass the same one for every part. */
typedef struct ts_flow_tags ts_flow_tags;
ts_flow_tags *ts_flow_tags_new(ts_pdf *pdf, const ts_flow *flow);
/* The same in arena, which must outlive every ts_draw_flow of the flow (a flow's own arena):
 * the document's arena, which ts_flow_tags_new uses, lives until the file is written. */
ts_flow_tags *ts_flow_tags_new_in(ts_pdf *pdf, ts_arena *arena, const ts_flow *flow);
int ts_draw_flow(ts_pdf *pdf, ts_flow_tags *state, ts_elem *parent, ts_elem *container,
                 const ts_flow *flow, size_t first, size_t end, double x, double y);

/* Plain painting.  With `owner` NULL the shape is an artifact (decoration); otherwise it is
 * content of owner (normally a Figure). */
int ts_draw_rect(ts_pdf *pdf, ts_elem *owner, double x, double y, double w, double h,
                 const ts_rgb *fill, const ts_rgb *stroke, double line_width);
int ts_draw_line(ts_pdf *pdf, ts_elem *owner, double x1, double y1, double x2, double y2,
                 ts_rgb colour, double line_width);
int ts_draw_circle(ts_pdf *pdf, ts_elem *owner, double cx, double cy, double r, const ts_rgb *fill,
                   const ts_rgb *stroke, double line_width);

/* Text that is decoration (a slide number, the repeated header of a continued table): an
 * artifact, with kind "Pagination" for slide numbers and "Layout" otherwise. */
int ts_draw_artifact_flow(ts_pdf *pdf, const ts_flow *flow, size_t first, size_t end, double x,
                          double y, const char *kind);

/* A link to another page of the pack over the rectangle, as a Link element under parent with
 * its annotation (OBJR) and /Contents.  The visible text of the link is drawn by the caller into
 * the returned Link element (ts_draw_flow with container = it) or is already there. */
ts_elem *ts_draw_page_link(ts_pdf *pdf, ts_elem *parent, double x, double y, double w, double h,
                           int target_page, const char *contents);

#endif
