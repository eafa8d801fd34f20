/* The table import (workbook-form.md §2): a division's strategy-measure table, as it keeps it in
 * Excel or LibreOffice (seed 003's columns, or our own workbook's "Strategiamittarit" sheet), read
 * into a new round.
 *
 * The import looks, in each sheet, in its first 20 rows, for a head row with the table's
 * columns in Finnish, Swedish or English (matched without regard to case, spaces, line breaks
 * or a hyphen at a line end, in any order; unknown columns are skipped with a warning), and
 * reads the rows under it: a theme per distinct name, a goal per distinct goal cell, a measure
 * per row (a row continued in the rows below, its other cells merged down over them, is one
 * measure), its recovery flag, its forecasts of the heads' rounds, comment, risks, numeric
 * forecast and links.  What the table does not say is inferred and noted: an XML comment in
 * the round at each inferred thing (ts_round.comments, for the round writer), and a warning at
 * the cell it came from.  The round's year, number, date, language and division come from the
 * options, else from the table, else a stated default with a warning (the city has no place in
 * a table: it comes from the options or is a stated default).
 *
 * It builds the model only: the caller writes the round file (roundwrite.h), which is a valid
 * round of format 1 that the parser reads back; what the pack still needs (owners, targets and
 * tasks) is said as warnings. */
#ifndef TS_BOOK_IMPORT_TABLE_H
#define TS_BOOK_IMPORT_TABLE_H

#include <stdbool.h>

#include "core/diag.h"
#include "core/status.h"
#include "layout/labels.h"
#include "round/model.h"
#include "book/read.h"

/* What the options of `import` say over the table: a number < 0 or NULL is not given. */
typedef struct ts_table_options {
    int year;                   /* 2000..2100 */
    int number;                 /* 1..3 */
    const char *date;           /* YYYY-MM-DD, checked by the caller */
    const char *city;           /* the city */
    const char *division;       /* the division's full name */
    const char *division_short; /* its short name ("Kuva") */
    int lang;                   /* a ts_lang */
    ts_alloc_fault *fault;      /* the test hook for the import's memory; NULL normally */
} ts_table_options;

/* Every option not given. */
void ts_table_options_none(ts_table_options *o);

/* Whether the book holds a strategy-measure table: a sheet with its head row. */
bool ts_table_found(const ts_wbr_book *wb, const ts_labels *const labels[3]);

/* The heads looked for, for a message that says why a workbook was not taken: "'Sitovan
 * toiminnan tavoitteen mittarit' (sv '…', en '…') with one of …", in `a`; NULL when memory ran
 * out. */
const char *ts_table_heads_looked_for(const ts_labels *const labels[3], ts_arena *a);

/* Reads the table of wb (its cells as the workbook reader read them; messages name the file
 * wb->file) into a new round with its XML comments, in an arena of its own that the round owns
 * (ts_round_free), set in *out.  labels are the three label files (fi, sv, en): the heads and
 * words of our own workbook are theirs.  Returns TS_OK; TS_INPUT_ERROR when the table was
 * refused (no table, no measure in it, no year anywhere) with every reason said in diags;
 * TS_SYSTEM_ERROR when memory ran out (said).  Warnings are said in diags either way. */
ts_rc ts_table_import(const ts_wbr_book *wb, const ts_labels *const labels[3],
                      const ts_table_options *opt, ts_diags *diags, ts_round **out);

#endif
