/* The table engine: a table down a stack, its head kept with its first row and repeated on
 * every continuation slide, rows that move whole to the next slide and split only when one
 * alone is taller than a slide.
 *
 * A slide is what a reader moves through, so each slide's part of a table is a Table of its
 * own: its head a real header row, the continued slide's title its Caption ("Strategiamittarit
 * (jatkuu)") when the part continues a table (a table that starts at the top of a continued
 * slide is new there and has none), and the part of a row split across slides a row of each
 * part, whose later parts begin their row header with the row's name and the mark.  A band (a theme
 * and goal in the overview) is one TH across the table, and the cells of the rows under it
 * name it, with their column and row heads, in /Headers; a band that goes on over a turn is
 * repeated under the head of the next part. */
#ifndef TS_SLIDES_TABLE_H
#define TS_SLIDES_TABLE_H

#include "slides/kit.h"
#include "slides/stack.h"

/* The lengths every kind with a table has first: the rule under each row and the space after
 * the table; and next, when its tables have status marks, the room a mark takes before a
 * cell's words, its radius, its centre from the cell's text edge and above the baseline, and
 * its outline. */
enum {
    SL_TABLE_RULE,
    SL_TABLE_GAP,
    SL_MARK_ROOM,
    SL_MARK_RADIUS,
    SL_MARK_X,
    SL_MARK_RISE,
    SL_MARK_OUTLINE,
};
#define SL_TABLE_LENGTHS                                                                           \
    [SL_TABLE_RULE] = {"table.rule", 0, 0.5}, [SL_TABLE_GAP] = {"table.gap", 0, 4}
#define SL_MARK_LENGTHS                                                                            \
    [SL_MARK_ROOM] = {"mark.room", 0.5, 3}, [SL_MARK_RADIUS] = {"mark.radius", 0.1, 1},            \
    [SL_MARK_X] = {"mark.x", 0, 2}, [SL_MARK_RISE] = {"mark.rise", 0, 1},                          \
    [SL_MARK_OUTLINE] = {"mark.outline", 0, 0.5}

typedef struct sl_cell {
    const ts_flow *flow;        /* NULL: an empty cell */
    const ts_status_look *fill; /* NULL, or the cell is filled with fill->fill */
    const ts_status *marks;     /* NULL, or a status mark before each paragraph node */
    size_t n_marks;
    int link_page; /* -1, or the page (or TS_PAGE_LATER) the text links to */
    const char *link_contents;
    bool header; /* a row header (TH scope Row) */
    /* A row header's name (the measure's, the task's numbered title, ...), in its style there
     * with name_style added: on a slide that continues a split row it stands at the top of the
     * header cell with the continuation mark, "Liikkumisohjelma (jatkuu)", so that a reader
     * who lands in the row hears whose it is.  NULL: the cell's text goes on alone. */
    const ts_inline *name;
    unsigned name_style;
} sl_cell;

typedef struct sl_table_t {
    const char *head_style; /* set by the caller; "table-head" when NULL */
    const char *cell_style; /* the style of the cells, for the height of an empty row */
    sl_stack *st;
    size_t n;
    double x[8], w[8];
    const ts_flow *head[8];
    double head_h;
    ts_elem *elem; /* the Table of this slide's part */
    ts_elem *head_th[8];
    bool marked;         /* set by the caller: its cells may have status marks (SL_MARK_LENGTHS) */
    const ts_flow *band; /* the band over the rows being laid, NULL before the first */
    ts_elem *band_th;    /* its TH in this part */
    double band_h;
    double mark_room, mark_radius, mark_x, mark_rise, mark_outline;
    double rule, gap;
    double pad_x, pad_y;
    size_t rows;
    size_t rows_on_page;
    bool fresh;        /* a continuation slide with only the repeated head on it */
    bool head_pending; /* the head waits for the first row, to keep with it */
    double keep_h;
    ts_elem *parent;
} sl_table_t;

/* Starts a table under parent with the columns cols (frames of the stack's kind, with the
 * cells' padding its frame pad) and their heads; the head is drawn with the first row (kept
 * with it, or with at least first_row_h pt of it when the row must be split) and repeated on
 * every continuation slide. */
void sl_table_begin(sl_table_t *t, sl_stack *st, ts_elem *parent, int pad, const int *cols,
                    const char *const *heads, size_t n, double first_row_h);
/* The width available for text in column i (for laying out its cells). */
double sl_table_text_w(const sl_table_t *t, size_t i, bool marked);
double sl_table_row_h(const sl_table_t *t, const sl_cell *cells);
void sl_table_row(sl_table_t *t, const sl_cell *cells);
/* A band across the table (a theme and goal in the overview): a row of one header cell that
 * spans the width, a header of the rows that follow it up to the next band. */
void sl_table_band(sl_table_t *t, const ts_flow *f);
void sl_table_end(sl_table_t *t);

/* A slide of tables: its section, titled, and the stack of its slides of `kind` opened on it,
 * filling the kind's frame body. */
ts_elem *sl_table_section(sl *s, sl_stack *st, const sl_kind *kind, int body, const char *title);
/* The width of the table, from its first column's left to its last column's right. */
double sl_table_w(const sl_table_t *t);
/* A row's cells before they are filled: no text, no link. */
void sl_cells_empty(sl_cell *c, size_t n);

#endif
