/* The workbook's cells, prepared once from the round and the labels for both writers.
 *
 * The XLSX writer (xlsx.c) and the ODS writer (ods.c) read the same ts_table, so the two files
 * always hold the same sheets, cells, merges and number formats; neither walks the model for
 * content.  The walk also enforces the spreadsheet cell limit (32,767 characters), at the
 * element's FILE:LINE:COLUMN, so that both formats refuse the same round.
 *
 * Sheets, in order: the strategy-measure table ("Strategiamittarit", columns A..J of outputs.md
 * §2), every round's status and value of each measure ("Kehitys"), the measures counted by
 * status per round with their chart ("Tilannekuva"), the summary ("Tiivistelmä", only when the
 * round has a <summary>) and the tasks ("Tehtävät").  Kehitys follows the table because it
 * holds the same rows through the year, and Tilannekuva follows Kehitys because it counts
 * Kehitys's cells. */
#ifndef TS_TABLE_H
#define TS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "writer/writer.h"
#include "core/diag.h"
#include "layout/layout.h"

/* Excel's largest row height, in pt: no row of either workbook is taller (see "Printed whole"
 * below). */
#define TS_XLSX_MAX_ROW_HEIGHT 409.0

/* Every sheet prints on A3 landscape with margins of 1.5 cm, one page wide: both writers set
 * this page, and the row heights are bounded by it.  In pt. */
#define TS_PRINT_PAGE_W 1190.55
#define TS_PRINT_PAGE_H 841.89
#define TS_PRINT_MARGIN 42.52

/* Excel's limit for one cell's text, in characters (code points). */
#define TS_CELL_MAX_CHARS 32767

/* A stretch of a cell's text in one style (TS_RUN_BOLD / TS_RUN_ITALIC bits).  Lines are
 * separated by "\n" inside the runs' text.  Adjacent runs never share a style, and no run is
 * empty. */
typedef struct ts_cell_run {
    const char *text;
    size_t len;
    unsigned style;
} ts_cell_run;

typedef enum ts_cell_kind {
    TS_CELL_EMPTY,
    TS_CELL_TEXT,
    TS_CELL_NUMBER,
} ts_cell_kind;

/* A cell's formula, in neither application's syntax: each writer spells it in its own (Excel's
 * A1 references, OpenFormula), and the cell (kind TS_CELL_NUMBER) holds the value it computes to,
 * so that a reader that does not recalculate shows the same number. */
typedef enum ts_formula_fn {
    TS_FORMULA_COUNTIF, /* how many cells of the range hold the text `criterion` */
    TS_FORMULA_SUM,     /* the sum of the range */
} ts_formula_fn;

typedef struct ts_formula {
    ts_formula_fn fn;
    /* The range: rows first_row..last_row (0-based) of column col, absolute, on the sheet named
     * `sheet` (NULL: the cell's own sheet). */
    const char *sheet;
    size_t col, first_row, last_row;
    /* TS_FORMULA_COUNTIF: the text as COUNTIF reads a criterion in either application, wildcards
     * on ("~" before a "*", "?" or "~"; "=" before a text that starts with an operator), so that it
     * matches only the text itself. */
    const char *criterion;
} ts_formula;

typedef enum ts_cell_fill {
    TS_FILL_NONE,
    TS_FILL_STATUS, /* layout->status[fill_index] */
    TS_FILL_TASK,   /* layout->task_status[fill_index] */
} ts_cell_fill;

typedef struct ts_cell {
    ts_cell_kind kind;
    /* TS_CELL_TEXT: the runs, and their concatenation as one string. */
    const ts_cell_run *runs;
    size_t n_runs;
    const char *text;
    size_t len;
    /* TS_CELL_NUMBER: the value as stored (a percentage as a fraction: 100 % is 1.0), the
     * decimals shown (-1: as the spreadsheet's General format shows it, every digit the value
     * needs), and the unit: NULL (a plain number), "%" (a percentage) or a suffix shown after
     * a space ("kpl"). */
    double number;
    int decimals;
    const char *unit;
    const ts_formula *formula; /* NULL, or what `number` is computed from */
    bool head;                 /* a head row's cell: bold, on the layout's header colour */
    ts_cell_fill fill;
    int fill_index;
    /* The fill is a light tint of the status colour under dark text, for a cell that holds a
     * text beside its status word: a long text on a dark fill is hard to read and prints
     * badly in black and white.  A cell of the word alone has the full colour. */
    bool tint;
    /* Merges run down a column only: the first cell of a merge has row_span > 1, the cells it
     * covers have covered == true (and kind TS_CELL_EMPTY). */
    uint32_t row_span;
    bool covered;
    /* A text too tall for one row is split into cells one under another (see "Printed
     * whole"): `continues` on every piece but the last, `continued` on every piece but the
     * first; the writers draw no border between them, so they read as one cell. */
    bool continues, continued;
    ts_pos pos; /* where its content came from (0:0 for label words) */
} ts_cell;

/* A native chart of a sheet's cells: a stacked column chart, one column per category (the head
 * row's cells first_col..last_col) and one stacked series per row, in its status's colours. */
typedef struct ts_chart_series {
    size_t row;           /* its name in column name_col, its values in first_col..last_col */
    const char *name;     /* the text of its name cell */
    ts_status status;     /* its colours: the layout's fill and text of the status */
    const double *values; /* the values of its cells, one per category */
} ts_chart_series;

typedef struct ts_chart {
    const char *title;
    const char *value_title; /* the value axis' title */
    /* The alternative text: the title, then every category with each series' number. */
    const char *description;
    size_t head_row, name_col, first_col, last_col;
    const char *const *categories; /* the head row's texts of columns first_col..last_col */
    const ts_chart_series *series; /* bottom first */
    size_t n_series;
    double axis_max, axis_step; /* the value axis runs from 0 to axis_max, a line each axis_step */
    size_t anchor_row, anchor_col; /* its top left corner is that cell's, below the sheet's rows */
    double width, height;          /* pt */
} ts_chart;

/* ---- What a form adds (src/book/form_write.c); a sheet of the built workbook has none ----- */

/* A drop-down list offered in a column's cells below its head: literal words, or the values of
 * another sheet's column from its second row down (so that the rows added there are offered
 * too).  A value not in the list is warned about when typed, not refused: a form accepts more
 * spellings than the list shows, and some cells hold several values, one a line. */
typedef struct ts_cell_list {
    const char *const *words; /* NULL when the list is a column of a sheet */
    size_t n_words;
    const char *sheet; /* the sheet whose column lists the values */
    size_t col;        /* that column (0 is A) */
} ts_cell_list;

/* What a column of a form is, besides its cells. */
typedef struct ts_column {
    const char *note;         /* help on the head cell (a note, an annotation), or NULL */
    bool text;                /* its cells are text as typed: "2024-05" and "007" stay so */
    const ts_cell_list *list; /* a drop-down in its cells below the head, or NULL */
} ts_column;

typedef struct ts_sheet {
    const char *name;
    size_t n_cols;
    size_t n_rows;
    const double *widths; /* n_cols column widths, in characters (from the layout) */
    ts_cell *cells;       /* n_rows * n_cols, row by row */
    /* Per row, its height in pt, whole points: what the text of every cell that starts in it
     * needs (a merged cell's text fits its first row, so that a page break under that row
     * loses none of it), never over TS_XLSX_MAX_ROW_HEIGHT nor a printed page. */
    const double *row_heights;
    size_t header_rows;    /* frozen, and repeated on every printed page (0 for the summary) */
    bool autofilter;       /* over the header row and every row below it */
    const ts_chart *chart; /* NULL, or a chart below the sheet's rows */
    /* A form's sheet: n_cols columns, whose cells (those below the head too, to the end of the
     * sheet) are wrapped and top-aligned; NULL for the workbook's sheets.  A form's sheet prints
     * at its own size over as many pages as it needs, not one page wide. */
    const ts_column *columns;
} ts_sheet;

/* The most sheets a table has: the workbook's five, a form's twelve. */
#define TS_TABLE_MAX_SHEETS 16

typedef struct ts_table {
    ts_sheet sheets[TS_TABLE_MAX_SHEETS];
    size_t n_sheets;
} ts_table;

/* Printed whole (outputs.md §2).  The walk makes one row per measure (per task, per summary
 * line); then every cell's text is wrapped as the spreadsheet will wrap it (the workbook font's
 * own advances, in the column's width less a margin for Excel's and LibreOffice's own line
 * breaking).  A row whose text would be taller than TS_XLSX_MAX_ROW_HEIGHT, or than a printed
 * page under the repeated head, continues in the rows below it: each tall cell's text is cut
 * between lines of the text (paragraphs, list items), or between words when one paragraph is
 * too long, into as many cells as it needs, and the row's other cells are merged down over
 * those rows.  So the file prints with every character on paper, as it is, in either
 * application. */

/* Gives every row of the sheets the height its text needs (ts_sheet.row_heights), measured as
 * ts_table_build measures its own, for a table made elsewhere (a form), whose rows are never
 * cut: a row is at most TS_XLSX_MAX_ROW_HEIGHT.  False when memory ran out or a font could not
 * be read (said in diags). */
bool ts_table_fit_rows(const ts_build_ctx *ctx, ts_sheet *sheets, size_t n, ts_arena *a,
                       ts_diags *diags);

/* Builds the table in `a`.  TS_INPUT_ERROR (with one located error per cell) when a cell's text
 * is over TS_CELL_MAX_CHARS characters; TS_SYSTEM_ERROR when memory runs out. */
ts_rc ts_table_build(const ts_build_ctx *ctx, ts_arena *a, ts_diags *diags, const ts_table **out);

/* The start of a workbook writer: its arena, new in *a, and the table it writes in *t:
 * ctx->table when the build made one for both workbooks, else one built in *a by
 * ts_table_build.  On a failure the error is said (at path when out of memory) and nothing is
 * left to free. */
ts_rc ts_book_begin(const ts_build_ctx *ctx, const char *path, ts_diags *diags, ts_arena **a,
                    const ts_table **t);

/* The document properties both workbooks carry. */
typedef struct ts_book_props {
    const char *title;    /* the round's title, else the label pack.title */
    const char *subject;  /* the label doc.subject */
    const char *keywords; /* the label doc.keywords: comma-separated */
} ts_book_props;

/* Makes them in `a`; false when out of memory (the writer says it). */
bool ts_book_props_make(const ts_build_ctx *ctx, ts_arena *a, ts_book_props *out);

/* The colours of a cell's fill and text; false for a cell without a fill (the default look). */
bool ts_cell_colours(const ts_layout *l, bool head, ts_cell_fill fill, int fill_index, bool tint,
                     ts_rgb *fill_rgb, ts_rgb *text_rgb);

/* A column's letters as both applications name it ("A", "J", "AB"), in out (NUL-terminated). */
void ts_column_name(size_t col, char out[4]);

static inline const ts_cell *ts_sheet_cell(const ts_sheet *s, size_t row, size_t col)
{
    return &s->cells[row * s->n_cols + col];
}

/* The width in pt that a cell's text wraps to in a column `chars` characters wide, as Excel
 * lays it out (the writers give the columns these widths). */
double ts_column_text_width(double chars);

/* What the autofilter's button takes of a head cell: LibreOffice wraps the head's text beside
 * its 18 px button, and Excel draws its button over the text. */
#define TS_FILTER_BUTTON_PT 15.0

/* The width in pt that the text of a sheet's cell wraps to: its column's, less the filter
 * button in the head row of a sheet with an autofilter. */
double ts_cell_text_width(const ts_sheet *s, size_t row, size_t col);

#endif
