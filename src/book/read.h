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

#include "book/cells.h"
#include "core/arena.h"
#include "core/diag.h"
#include "core/status.h"

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
#endif
