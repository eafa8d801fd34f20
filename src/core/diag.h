/* Diagnostics: every problem found in an input or while writing an output, with where it
 * happened.  Printed as "FILE:LINE:COLUMN: error|warning: WHAT" (a hint may follow after
 * "; "), or "FILE:SHEET!CELL: ..." for a place in a workbook (a form), sorted by position, so
 * that an editor can jump to each one.
 *
 * A hostile file can hold millions of faults: past TS_DIAG_CAP errors (and as many warnings)
 * of one file the rest are counted, not kept, and one closing line says how many more there
 * were.  The counts (errors, warnings) always include them. */
#ifndef TS_DIAG_H
#define TS_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/status.h"

/* A sheet of a workbook that places can name: its name, and its order among the sheets of its
 * workbook (so that problems are listed sheet by sheet in the workbook's order). */
typedef struct ts_sheet_ref {
    const char *name;
    uint32_t order;
} ts_sheet_ref;

/* A place in an input file: line and column are 1-based; 0 means "not known" (for a fault
 * of the whole file, e.g. it cannot be read).  Columns count characters, not bytes.
 * In a workbook (a form read as a round), `sheet` is set, `line` is the row (1-based, 0: the
 * whole sheet) and `col` the column (1 is A): printed "SHEET!B7".  Places in text files are
 * written {line, col}, with no sheet. */
typedef struct ts_pos {
    uint32_t line;
    uint32_t col;
    const ts_sheet_ref *sheet;
} ts_pos;

typedef enum ts_severity {
    TS_WARNING,
    TS_ERROR,
} ts_severity;

/* Whose fault an error is, which decides what the run ends with (ts_diags_rc).  A warning is
 * always the input's. */
typedef enum ts_fault {
    TS_FAULT_INPUT,     /* what a file says: the person who wrote it mends it (exit status 1) */
    TS_FAULT_SYSTEM,    /* the machine: a file that cannot be written, a library that fails (3) */
    TS_FAULT_NO_MEMORY, /* memory ran out (3) */
} ts_fault;

/* "input", "system", "out of memory" */
const char *ts_fault_name(ts_fault f);

typedef struct ts_diag {
    const char *file;
    ts_pos pos;        /* pos.sheet is NULL; the sheet is kept in the two fields below */
    const char *sheet; /* a copy of pos.sheet's name, or NULL */
    uint32_t sheet_order;
    ts_severity severity;
    ts_fault fault;
    const char *message;
    size_t seq; /* the order of arrival, which sorting keeps among equal places */
} ts_diag;

/* Messages kept per file and severity; the first ones found are the ones kept. */
#define TS_DIAG_CAP 100

/* What was kept and left out of one file's messages, by severity. */
typedef struct ts_diag_file {
    const char *file; /* NULL: the program's own messages */
    size_t kept[2];   /* indexed by ts_severity */
    size_t hidden[2];
} ts_diag_file;

typedef struct ts_diags {
    ts_arena *arena;  /* owns the messages */
    ts_vec list;      /* of ts_diag: the messages kept */
    ts_vec files;     /* of ts_diag_file */
    size_t last_file; /* index in files of the last message's file, + 1 (0: none) */
    size_t errors;    /* kept and hidden */
    size_t warnings;
    size_t system_errors;    /* of the errors, those of TS_FAULT_SYSTEM */
    size_t no_memory_errors; /* of the errors, those of TS_FAULT_NO_MEMORY */
    bool out_of_memory;      /* a message could not be stored; the run must fail */
} ts_diags;

/* Returns false when memory is exhausted. */
bool ts_diags_init(ts_diags *d, ts_alloc_fault *fault);
void ts_diags_free(ts_diags *d);

/* A problem of the input: an error or a warning about what a file says. */
void ts_diag_add(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void ts_diag_addv(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt,
                  va_list ap);

/* An error that is fault's: where memory ran out (TS_FAULT_NO_MEMORY) or the system failed
 * (TS_FAULT_SYSTEM), said where it happened. */
void ts_diag_fault(ts_diags *d, const char *file, ts_pos pos, ts_fault fault, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void ts_diag_faultv(ts_diags *d, const char *file, ts_pos pos, ts_fault fault, const char *fmt,
                    va_list ap);

/* Whether memory ran out: an error of TS_FAULT_NO_MEMORY, or a message that could not be kept. */
bool ts_diags_out_of_memory(const ts_diags *d);

/* What the problems recorded make of a run: TS_SYSTEM_ERROR when one is the system's or memory
 * ran out, else TS_INPUT_ERROR when there is an error, else TS_OK (warnings alone). */
ts_rc ts_diags_rc(const ts_diags *d);

/* True when a message of sev about file would only be counted: the caller may skip working
 * out its place and its words (ts_diag_add must still be called, so that it is counted). */
bool ts_diag_full(ts_diags *d, const char *file, ts_severity sev);

/* Sorts by file, line, column (stable) and prints one line each; after a file's messages, one
 * line for those of it that were left out. */
void ts_diags_print(ts_diags *d, FILE *out);

/* "B7" for row 7 (1-based) and column 2 (1 is A) into buf (at least 16 bytes); returns buf. */
char *ts_cell_name(uint32_t row, uint32_t col, char *buf);

/* How a message names a place it refers to: "line 3, column 5", or "Teemat!A3" in a workbook,
 * into buf (len bytes); returns buf. */
const char *ts_pos_text(ts_pos pos, char *buf, size_t len);

/* Moves every diagnostic of src into dst (both stay valid; src is emptied). */
void ts_diags_take(ts_diags *dst, ts_diags *src);

/* Makes the messages about the file `from` (a temporary name) name `to` instead: a message
 * names the file the user will look for. */
void ts_diags_rename(ts_diags *d, const char *from, const char *to);

#endif
