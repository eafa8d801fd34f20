/* The form reader: a form's cells -> the round (model.h), every rule of round-format.md kept
 * (rules.h), every problem said at its FILE:SHEET!CELL with a hint, all at once.
 *
 * It reads a workbook as a plain view of its cells (ts_fbook below), which form_book.c makes
 * from what the workbook reader (read.h) read, and the unit tests make by hand. */
#ifndef TS_FORM_READ_H
#define TS_FORM_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"
#include "layout/labels.h"
#include "round/model.h"
#include "book/table.h"

typedef enum ts_fcell_type {
    TS_FCELL_TEXT,    /* runs */
    TS_FCELL_NUMBER,  /* number, shown in `format` */
    TS_FCELL_BOOLEAN, /* number is 0 or 1 */
    TS_FCELL_ERROR,   /* runs hold the error's text ("#REF!") */
} ts_fcell_type;

typedef enum ts_fcell_format {
    TS_FFMT_GENERAL, /* General, a plain number format, text */
    TS_FFMT_PERCENT, /* 1 is shown as 100 % */
    TS_FFMT_DATE,    /* the number counts days (from 1899-12-30, or 1904-01-01) */
    TS_FFMT_OTHER,   /* a time, a currency, ... */
} ts_fcell_format;

/* A cell with content: empty cells are absent. */
typedef struct ts_fcell {
    uint32_t row, col; /* 0-based */
    ts_fcell_type type;
    const ts_cell_run *runs; /* TEXT and ERROR: lines separated by "\n", bold and italic */
    size_t n_runs;
    double number;
    ts_fcell_format format;
} ts_fcell;

typedef struct ts_fsheet {
    const char *name;
    const ts_fcell *cells; /* by row, then by column */
    size_t n_cells;
} ts_fsheet;

typedef struct ts_fbook {
    const char *file;
    const ts_fsheet *sheets; /* in the workbook's order */
    size_t n_sheets;
    bool date1904; /* date numbers count from 1904-01-01 */
} ts_fbook;

/* What `import` says over the Kierros sheet (workbook-form.md §2's options), or over what a
 * strategy-measure table says: a value < 0 or NULL is not given. */
typedef struct ts_form_overrides {
    int year;
    int number;
    const char *date; /* YYYY-MM-DD, checked by the caller */
    const char *division;
    const char *division_short;
    int lang;         /* a ts_lang */
    const char *city; /* a table names none */
} ts_form_overrides;

/* The language of the form's words (a ts_lang): the one whose Kierros sheet it has (its name
 * matched without regard to case), or -1 when it has none: it is no form. */
int ts_form_language(const ts_fbook *b, const ts_labels *const labels[3]);

/* Reads the form b (in the language ts_form_language found) into a round.  `display` names the
 * file in messages and in r->file.  NULL when an error was said (the warnings too, with lint);
 * memory running out is said as memory's fault (ts_diags_rc makes it TS_SYSTEM_ERROR). */
ts_round *ts_form_read_book(const ts_fbook *b, const ts_labels *const labels[3],
                            const ts_form_overrides *ov, bool lint, ts_diags *diags);

#endif
