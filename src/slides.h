/* The slide pack's internals, shared by slides.c (the frame of the pack, the pack cover and the
 * stacking of text), slides_deck.c (one deck per measure) and slides_table.c (the overview, the
 * detail table, the strategy-measure table and the summary).
 *
 * The pack is composed in one pass.  The overview links to decks that come after it: those
 * links name the deck (TS_PAGE_LATER of the measure's index), and the deck's first page is
 * given to the PDF layer when the deck starts; links are resolved when the file is saved.
 * Every drawing call goes through the wrappers below, which do nothing once the pass failed. */
#ifndef TS_SLIDES_H
#define TS_SLIDES_H

#include <stdbool.h>
#include <stddef.h>

#include "build.h"
#include "draw.h"
#include "text.h"

typedef struct sl {
    const ts_build_ctx *ctx;
    const ts_round *r;
    const ts_layout *L;
    const ts_labels *lb;
    ts_pdf *pdf;
    ts_text_engine *te;
    ts_arena *a; /* scratch of the pass (of the deck while one is made) */
    ts_diags *diags;
    bool failed;
    int pages;            /* pages made so far */
    ts_elem *doc;         /* the Document element (NULL when untagged) */
    ts_outline *bookmark; /* the current deck's bookmark, for its slides */
} sl;

/* ---- Wrappers: no-ops once the pass failed -------------------------------------------- */

void sl_fail(sl *s, ts_pos pos, const char *what);
ts_elem *sl_elem(sl *s, ts_elem *parent, const char *type);
/* A section of the pack (a Sect under the Document) with its title as /T. */
ts_elem *sl_sect(sl *s, const char *title);
void sl_alt(sl *s, ts_elem *e, const char *alt);
void sl_rect(sl *s, ts_elem *owner, double x, double y, double w, double h, const ts_rgb *fill,
             const ts_rgb *stroke, double lw);
void sl_line(sl *s, double x1, double y1, double x2, double y2, ts_rgb c, double lw);
void sl_circle(sl *s, ts_elem *owner, double cx, double cy, double r, const ts_rgb *fill,
               const ts_rgb *stroke, double lw);
/* Draws lines [first, end) with their top at (x, y); tags is made on the first call. */
void sl_draw(sl *s, ts_flow_tags **tags, ts_elem *parent, ts_elem *container, const ts_flow *f,
             size_t first, size_t end, double x, double y);
void sl_artifact(sl *s, const ts_flow *f, size_t first, size_t end, double x, double y,
                 const char *kind);
void sl_bookmark(sl *s, ts_outline *parent, const char *title, int page, ts_outline **out);

/* ---- Look and words -------------------------------------------------------------------- */

const ts_text_style *sl_style(sl *s, const char *name);
/* A copy of a style in another colour (the word on a status fill). */
const ts_text_style *sl_style_in(sl *s, const char *name, ts_rgb colour);
const ts_frame *sl_frame(sl *s, const char *kind, const char *name);
ts_rgb sl_colour(sl *s, const char *name);
const char *sl_label(sl *s, const char *key);
char *sl_labelf(sl *s, const char *key, int n);
/* "70 %", "20 kpl", "−1,5 %" (locale.h); NULL when the forecast has no value. */
char *sl_value_text(sl *s, const ts_forecast *f);
/* A label word in lower case ("TEKEMÄTTÄ" -> "tekemättä") for running text. */
char *sl_lower(sl *s, const char *text);

/* Layout, never NULL unless out of memory (then the pass has failed). */
const ts_flow *sl_plain(sl *s, const char *text, const ts_text_style *st, double w);
const ts_flow *sl_inline(sl *s, const ts_inline *in, const ts_text_style *st, double w);
const ts_flow *sl_blocks(sl *s, const ts_blocks *b, const ts_text_style *st, double w);
bool sl_blocks_empty(const ts_blocks *b);

/* Building blocks out of pieces (a table cell made of a name, a statement and a text). */
typedef struct sl_bb {
    sl *s;
    ts_vec blocks; /* of ts_block */
} sl_bb;
void sl_bb_inline(sl_bb *b, const ts_inline *in, unsigned add_style);
void sl_bb_text(sl_bb *b, const char *text, unsigned style, ts_pos pos);
void sl_bb_blocks(sl_bb *b, const ts_blocks *from);
ts_blocks sl_bb_done(sl_bb *b);
/* Lines of plain text separated by '\n', one paragraph each. */
const ts_flow *sl_lines(sl *s, const char *text, const ts_text_style *st, double w);

/* ---- Slides ---------------------------------------------------------------------------- */

/* A new slide of the kind with its slide number; returns its page index. */
int sl_new_slide(sl *s, const char *kind);

/* The stack: content laid down a slide from top to bottom; when it is full, a continuation
 * slide of the same kind opens with the title and "(jatkuu)", and the stack goes on there. */
typedef struct sl_stack sl_stack;
typedef void (*sl_break_hook)(sl_stack *st, void *arg);
struct sl_stack {
    sl *s;
    const char *kind;
    const char *title;
    ts_elem *sect;
    const ts_frame *body;      /* the region of the first slide */
    const ts_frame *body_cont; /* the region of the continuation slides */
    double x, w, y, bottom;
    double trail;           /* the space after the last flow, already in y ... */
    double trail_at;        /* ... when y is still here: a heading's space before collapses
                               with it, as CSS margins do */
    bool empty;             /* nothing drawn on this slide yet */
    int first_page;         /* the page of the first slide */
    sl_break_hook on_break; /* redraws what a continuation needs (a table's head) */
    void *hook_arg;
    ts_outline *bookmark_parent;
};

/* Opens the first slide: the title as H2 under sect (or H1 when h1), a bookmark under the
 * current deck's (or at top level when top is set). */
void sl_stack_open(sl_stack *st, sl *s, const char *kind, const char *title, ts_elem *sect,
                   const char *body, const char *body_cont);
void sl_stack_break(sl_stack *st);
/* Room left on the current slide. */
double sl_stack_room(const sl_stack *st);
/* Draws a whole flow, continuing it on further slides as needed.  keep is the height that must
 * fit after the flow's first lines (a heading keeps with what follows it).  A break leaves at
 * least SL_ORPHAN lines on this slide and SL_WIDOW lines for the next, when the flow and the
 * slides allow it. */
#define SL_ORPHAN 2
#define SL_WIDOW  3
/* A heading keeps with this many lines of what follows: enough that the widow and orphan
 * rules cannot move all of a short first paragraph away from it. */
#define SL_KEEP (SL_ORPHAN + SL_WIDOW)
void sl_stack_flow(sl_stack *st, ts_flow_tags **tags, ts_elem *parent, ts_elem *container,
                   const ts_flow *f, double keep);
void sl_stack_gap(sl_stack *st, double pt);
/* A heading (H3, H4 ...) kept with next_h pt of what follows. */
void sl_stack_heading(sl_stack *st, ts_elem *parent, const char *tag, const ts_flow *f,
                      double next_h);

/* Where to end the part of lines [first, n_lines) that goes on a slide with `room` pt left:
 * the most lines that fit, moved earlier so that neither part is a runt (widow and orphan
 * control).  0 when nothing should go here (the caller breaks the slide, unless it is empty:
 * then `must` takes what fits). */
size_t sl_fit_lines(const ts_flow *f, size_t first, double room, bool must);

/* A plain text of the model (a person's or a division's name) at its place in the source, so
 * that a warning about a character no font has says where it is. */
const ts_flow *sl_plain_at(sl *s, const char *text, ts_pos pos, const ts_text_style *st, double w);
/* An inline made of a bold lead and the runs of an inline of the model (keeps their places). */
const ts_flow *sl_lead_inline(sl *s, const char *lead, const ts_inline *in, const ts_text_style *st,
                              double w);

/* The height of the first n lines of a flow (for keep-with-next). */
double sl_first_lines(const ts_flow *f, size_t n);

/* A status mark: a filled circle with its outline, decoration (the word is always beside it). */
void sl_status_mark(sl *s, ts_status st, double cx, double cy, double r);

/* ---- The parts ------------------------------------------------------------------------- */

void sl_pack_cover(sl *s);
void sl_overview(sl *s);
void sl_deck(sl *s, const ts_measure *m);
void sl_table(sl *s);
void sl_summary(sl *s);

/* ---- Tables (slides_table.c) ----------------------------------------------------------- */

typedef struct sl_cell {
    const ts_flow *flow;        /* NULL: an empty cell */
    const ts_status_look *fill; /* NULL, or the cell is filled with fill->fill */
    const ts_status *marks;     /* NULL, or a status mark before each paragraph node */
    size_t n_marks;
    int link_page; /* -1, or the page (or TS_PAGE_LATER) the text links to */
    const char *link_contents;
    bool header; /* a row header (TH scope Row) */
} sl_cell;

typedef struct sl_table_t {
    const char *head_style; /* set by the caller; "table-head" when NULL */
    const char *cell_style; /* the style of the cells, for the height of an empty row */
    sl_stack *st;
    size_t n;
    double x[8], w[8];
    const ts_flow *head[8];
    double head_h;
    ts_elem *elem;
    bool head_drawn; /* the tagged head is drawn once; repeats are artifacts */
    double mark_w;   /* room a mark takes before a cell's text */
    double pad_x, pad_y;
    size_t rows;
    size_t rows_on_page;
    bool fresh;        /* a continuation slide with only the repeated head on it */
    bool head_pending; /* the head waits for the first row, to keep with it */
    double keep_h;
    ts_elem *parent;
} sl_table_t;

/* Starts a table under parent with column frames col_names of the stack's kind and their heads;
 * the head is drawn with the first row (kept with it, or with at least first_row_h pt of it when
 * the row must be split) and repeated on every continuation slide. */
void sl_table_begin(sl_table_t *t, sl_stack *st, ts_elem *parent, const char *const *col_names,
                    const char *const *heads, size_t n, double first_row_h);
/* The width available for text in column i (for laying out its cells). */
double sl_table_text_w(const sl_table_t *t, size_t i, bool marked);
double sl_table_row_h(const sl_table_t *t, const sl_cell *cells);
void sl_table_row(sl_table_t *t, const sl_cell *cells);
/* A band across the table (a theme and goal in the overview): a row whose first cell is a row
 * header spanning the width; the other cells are empty. */
void sl_table_band(sl_table_t *t, const ts_flow *f);
void sl_table_end(sl_table_t *t);

#endif
