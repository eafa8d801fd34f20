/* The workbook reader: the bytes of an XLSX or ODS workbook become its sheets of cells, with
 * rich text runs, number formats and merged ranges.  The form import and the table import are
 * built on it; it knows nothing of rounds.
 *
 * The prefix is ts_wbr_ ("workbook reader"): ts_book_ and ts_sheet belong to the workbook
 * WRITERS' table (table.h), and a reader's sheet is not a writer's sheet.
 *
 * A workbook may come from anywhere (workbook-form.md §3).  The reader
 *   - reads only the parts it needs, from the zip in memory or through the open file, and never
 *     extracts anything to disk;
 *   - stops at limits.max_unpacked bytes inflated in all (counted as they are inflated, not as
 *     the zip declares them) and refuses a zip of more than limits.max_entries entries;
 *   - gives libxml2 no DTD, no entity and no network: a DOCTYPE in any part is refused before
 *     its internal subset is read (libxml2 2.9.14 of Debian 12 has no XML_PARSE_NO_XXE; no
 *     entity loader is ever asked, as the strace test shows);
 *   - keeps libxml2 2.9 off its n² paths (at most 256 attributes to an element, 128 namespace
 *     declarations in scope, 256 levels of elements) and its own tables off hash floods (a key
 *     drawn for each read), and caps what costs memory out of proportion to its bytes (styles,
 *     sheets);
 *   - refuses a broken zip or part with a message naming the file and the part, and a bad cell
 *     with FILE:SHEET!CELL.  Every problem found is said (the first 100); nothing is returned
 *     when one is.
 *
 * Time is linear in the bytes read (sorting apart: n log n); memory is bounded by the limits:
 * about 80 bytes a cell (40 for the cell, as much again while the list grows), 40 a shared
 * string, and the text itself.  A workbook of 61 MiB holding 1,300,000 shared strings and as
 * many cells is read in 250 MB. */
#ifndef TS_BOOK_READ_H
#define TS_BOOK_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/diag.h"
#include "core/status.h"

typedef enum ts_wbr_format {
    TS_WBR_XLSX,
    TS_WBR_ODS,
} ts_wbr_format;

/* The sheets' own limit, in both formats: XFD1048576. */
#define TS_WBR_MAX_ROWS 1048576u
#define TS_WBR_MAX_COLS 16384u

typedef struct ts_wbr_limits {
    size_t max_unpacked; /* bytes inflated from the zip in all, and text made by ODS's
                            <text:s text:c="N"/>: 64 MiB */
    size_t max_entries;  /* entries of the zip: 100,000 */
    size_t max_cells;    /* cells with content and merged ranges (after ODS's repetitions are
                            expanded): 2,000,000; XLSX's shared strings are held to as many */
    size_t max_sheets;   /* sheets: 10,000 (LibreOffice's own limit) */
} ts_wbr_limits;

typedef struct ts_wbr_options {
    ts_wbr_limits limits;
    ts_alloc_fault *fault; /* the test hook for the reader's scratch memory; NULL normally */
} ts_wbr_options;

void ts_wbr_options_default(ts_wbr_options *o);

/* ---- What a workbook holds --------------------------------------------------------------- */

typedef enum ts_wbr_type {
    TS_WBR_EMPTY,   /* only a formula without a cached value: cells with no content are absent */
    TS_WBR_STRING,  /* runs */
    TS_WBR_NUMBER,  /* number (dates and times too: see ts_wbr_numfmt) */
    TS_WBR_BOOLEAN, /* number is 0 or 1 */
    TS_WBR_ERROR,   /* runs hold the error's text, e.g. "#DIV/0!" */
} ts_wbr_type;

/* A piece of a string with one formatting, as the cell shows it: a run's own bold and italic,
 * else those of its paragraph and then of its cell's style.  Neighbouring runs always differ,
 * no run is empty, and a line break belongs to the run before it (so that XLSX and ODS, which
 * put it on either side, read the same). */
typedef struct ts_wbr_run {
    const char *text; /* UTF-8 and NUL-terminated; line breaks are "\n", tabs "\t" */
    size_t len;
    bool bold;
    bool italic;
} ts_wbr_run;

typedef enum ts_wbr_numkind {
    TS_WBR_FMT_GENERAL,    /* no format, or "General" */
    TS_WBR_FMT_NUMBER,     /* digits: "0", "#,##0.00", '0" kpl"' */
    TS_WBR_FMT_PERCENT,    /* the value 1 is shown as 100 % */
    TS_WBR_FMT_CURRENCY,   /* with a currency symbol */
    TS_WBR_FMT_SCIENTIFIC, /* "0.00E+00" */
    TS_WBR_FMT_FRACTION,   /* "# ?/?" */
    TS_WBR_FMT_DATE,       /* the value counts days: see ts_wbr_book.date1904 */
    TS_WBR_FMT_TIME,       /* a fraction of a day, or a duration ("[h]:mm") */
    TS_WBR_FMT_DATETIME,
    TS_WBR_FMT_TEXT, /* "@": the cell is shown as it was typed */
} ts_wbr_numkind;

/* A cell's number format, of its first (positive) section. */
typedef struct ts_wbr_numfmt {
    ts_wbr_numkind kind;
    const char *code;     /* XLSX: the code as written, or the built-in one of its id; ODS: a
                             code in the same syntax made from the data style */
    int decimals;         /* digits after the decimal mark (0 for dates and General) */
    bool grouping;        /* thousands are grouped */
    const char *prefix;   /* the literal text shown before the digits ("" when none) */
    const char *suffix;   /* ... and after them, with "%" and a currency symbol: " kpl" for
                             '0" kpl"', " %" for '0\ %', "%" for "0%", " €" for '0.00 "€"' */
    const char *currency; /* the currency symbol ("€", "$"), or NULL */
} ts_wbr_numfmt;

typedef struct ts_wbr_cell {
    uint32_t row;     /* 0-based: row 0 is "1" */
    uint16_t col;     /* 0-based: column 0 is "A" */
    uint8_t type;     /* a ts_wbr_type */
    bool formula : 1; /* the value is a formula's cached result */
    bool bold : 1;    /* the cell's style (its runs say what each piece shows) */
    bool italic : 1;
    uint32_t run_count;
    uint32_t merge; /* 1 + the index of the merged range the cell lies in; 0 when none */
    const ts_wbr_run *runs;
    const ts_wbr_numfmt *format; /* NULL for General */
    double number;
} ts_wbr_cell;

typedef struct ts_wbr_merge {
    uint32_t first_row, last_row; /* inclusive */
    uint16_t first_col, last_col;
} ts_wbr_merge;

typedef struct ts_wbr_sheet {
    const char *name;
    bool hidden;              /* hidden (or Excel's "very hidden") */
    uint32_t rows;            /* every cell and merged range lies in rows [0, rows) ... */
    uint32_t cols;            /* ... and columns [0, cols); both 0 for a sheet with nothing in it */
    const ts_wbr_cell *cells; /* by row, then by column; only cells with content */
    size_t cell_count;
    const ts_wbr_merge *merges; /* by first row, then first column; never overlapping */
    size_t merge_count;
    const uint32_t *merge_reach; /* ts_wbr_merge_at's index */
} ts_wbr_sheet;

typedef struct ts_wbr_book {
    const char *file; /* as messages name it */
    ts_wbr_format format;
    bool date1904; /* XLSX: date values count days from 1904-01-01, not 1899-12-30.  ODS
                      dates are given from 1899-12-30 always. */
    const ts_wbr_sheet *sheets; /* in workbook order; chart sheets are sheets with no cells */
    size_t sheet_count;
} ts_wbr_book;

/* ---- Reading ----------------------------------------------------------------------------- */

/* Reads the workbook at path: a regular file (a FIFO, device or folder is refused), opened by
 * the reader, never a URL.  The format is found from the content (a zip with a workbook part
 * is XLSX; one whose `mimetype` is an OpenDocument spreadsheet is ODS), never from the name.
 * Everything returned lives in `a`; messages go to diags, named after path.  *out is set only
 * with TS_OK. */
ts_rc ts_wbr_read_file(const char *path, const ts_wbr_options *opt, ts_arena *a, ts_diags *diags,
                       const ts_wbr_book **out);

/* The same from bytes in memory (not copied; they must outlive the call only); name is how
 * messages name them. */
ts_rc ts_wbr_read_bytes(const void *data, size_t len, const char *name, const ts_wbr_options *opt,
                        ts_arena *a, ts_diags *diags, const ts_wbr_book **out);

/* ---- Looking things up ------------------------------------------------------------------- */

/* "B7" for row 6, column 1, into buf (at least TS_WBR_REF_SIZE bytes); returns buf. */
#define TS_WBR_REF_SIZE 16
char *ts_wbr_ref(uint32_t row, uint32_t col, char *buf);

/* "B" for column 1, into buf (at least 8 bytes); returns buf. */
char *ts_wbr_column_name(uint32_t col, char *buf);

/* Parses a cell reference of len bytes ("B7", "$B$7", "b7") within XFD1048576. */
bool ts_wbr_parse_ref(const char *s, size_t len, uint32_t *row, uint32_t *col);

/* Where a message about a cell points: "FILE:SHEET!B7" into buf (cap bytes, cut to fit), the
 * sheet's name quoted as Excel quotes it ('Q1: plan'!B7, a quote mark doubled) when it holds
 * a space, ":", "!" or "'" that would make the place ambiguous; without a cell (row or col
 * UINT32_MAX), "FILE:SHEET".  The form import says its own errors at cells this way. */
char *ts_wbr_where(const char *file, const char *sheet, uint32_t row, uint32_t col, char *buf,
                   size_t cap);

/* The sheet of that name (exactly as written), or NULL. */
const ts_wbr_sheet *ts_wbr_sheet_named(const ts_wbr_book *b, const char *name);

/* The cell at row, col, or NULL when it has no content.  O(log n). */
const ts_wbr_cell *ts_wbr_cell_at(const ts_wbr_sheet *s, uint32_t row, uint32_t col);

/* The cells of one row (*count of them, by column; NULL and 0 when it has none).  O(log n). */
const ts_wbr_cell *ts_wbr_row(const ts_wbr_sheet *s, uint32_t row, size_t *count);

/* The merged range that covers row, col, or NULL.  O(log n + k), k being the merged ranges
 * that cross the row. */
const ts_wbr_merge *ts_wbr_merge_at(const ts_wbr_sheet *s, uint32_t row, uint32_t col);

/* The text of a string or error cell without its formatting, in `a` (or the run's own text
 * when there is one run); "" for any other cell; NULL when memory runs out. */
const char *ts_wbr_cell_text(const ts_wbr_cell *c, ts_arena *a);

#endif
