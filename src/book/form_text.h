/* Text in a form's cell (workbook-form.md §1, outputs.md §2 "Blocks in a cell"), both ways: the
 * model's inline text and blocks made into a cell's styled runs, and a cell's runs read back
 * into the model.  One file holds both directions, so that what is written reads back the same.
 *
 * The conventions, line by line (lines are separated by "\n"):
 *   - a line is a paragraph; empty lines are skipped;
 *   - "• " or "- " starts a bulleted item, a number and ". " ("1. ") a numbered one; two spaces
 *     before the marker per level of nesting; a "1. " after a numbered item of the same level, or
 *     a change between "• " and "- ", starts a new list (so two lists in a row stay two);
 *   - a line that starts with "\" is a paragraph of what follows it, as it is: "\- no item";
 *     "\" alone is an empty paragraph;
 *   - bold and italic are the runs' own styles;
 *   - a link is "[text](address)", or "[text](<address>)" when the address has spaces or
 *     parentheses of its own; "\[", "\]" and "\\" are a bracket and a backslash of the text.
 * An inline cell holds one line of the same text, with no markers and no "\" at its start. */
#ifndef TS_FORM_TEXT_H
#define TS_FORM_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "round/model.h"
#include "book/table.h"

/* ---- Writing ----------------------------------------------------------------------------- */

/* A cell's text being made. */
typedef struct ts_ftext {
    ts_arena *a;
    ts_vec runs;  /* of ts_cell_run, adjacent ones possibly of one style */
    size_t lines; /* lines started so far */
    bool oom;
} ts_ftext;

/* One line of inline text (a name, a statement, a title). */
void ts_ftext_inline(ts_ftext *t, const ts_inline *in);

/* Blocks, a line per paragraph and per list item. */
void ts_ftext_blocks(ts_ftext *t, const ts_blocks *bl);

/* A line of plain text as it is (a person, an id, a date). */
void ts_ftext_plain(ts_ftext *t, const char *text);

/* Makes the cell: its runs (adjacent ones of one style joined) and their text; an empty text is
 * an empty cell.  Returns the number of characters, or (size_t)-1 when memory ran out. */
size_t ts_ftext_finish(ts_ftext *t, ts_cell *cell);

/* ---- Reading ----------------------------------------------------------------------------- */

/* What went wrong in a cell's text: a message (in `a`), and the line (1-based) it is on. */
typedef struct ts_ftext_problem {
    const char *message;
    unsigned line;
} ts_ftext_problem;

/* The runs of a cell (text with "\n" between lines, bold and italic as TS_RUN_* styles), read
 * as blocks; positions are `pos`.  White space folds as the round file's does.  Returns false
 * with *problem set when the text breaks a convention (a nested list with no item over it, two
 * nested lists under one item); false with problem->message NULL when memory ran out. */
bool ts_ftext_read_blocks(const ts_cell_run *runs, size_t n_runs, ts_pos pos, ts_arena *a,
                          ts_blocks *out, ts_ftext_problem *problem);

/* The same for an inline cell: one line (empty lines apart); two lines are a problem. */
bool ts_ftext_read_inline(const ts_cell_run *runs, size_t n_runs, ts_pos pos, ts_arena *a,
                          ts_inline *out, ts_ftext_problem *problem);

#endif
