/* Text in the cells of a table, as the table import (import_table.c) reads it: a cell's styled
 * runs, cut, joined and compared, and made into the model's inline text and blocks by the text
 * conventions of our own workbook (outputs.md §2, "Blocks in a cell") -- a line a paragraph,
 * "• " and "1. " list items, bold and italic the runs' own -- but forgiving: a division's cell
 * that breaks them is read as well as it can be, never refused.  Whatever XML 1.0 forbids (a
 * workbook may hold Excel's _x0001_) is left out of what goes into a round.
 *
 * The prefix is ti_ ("table import"): the form's conventions, which refuse what breaks them,
 * are form_text.h's. */
#ifndef TS_BOOK_IMPORT_TEXT_H
#define TS_BOOK_IMPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "round/model.h"
#include "book/read.h"

/* Where text is made: the round's arena (what the model keeps), the import's scratch, and
 * whether memory ran out (then the results are empty, and the import fails). */
typedef struct ti_ctx {
    ts_arena *a;
    ts_arena *tmp;
    bool oom;
} ti_ctx;

/* A piece of a cell's text in one style (TS_RUN_* bits); lines are separated by "\n". */
typedef struct ti_run {
    const char *s;
    size_t n;
    unsigned style;
} ti_run;

/* A cell's text, or pieces of cells joined: its runs, in tmp (the texts are the workbook's). */
typedef struct ti_rich {
    const ti_run *runs;
    size_t n;
    size_t len; /* bytes over all runs */
} ti_rich;

/* The styles a text keeps: all in a paragraph; only italic in a name or a statement, whose bold
 * was the mark that told it from the rest of its cell (and which is shown bold anyway); none
 * in a theme's or a programme's name. */
enum {
    TI_KEEP_ALL = TS_RUN_BOLD | TS_RUN_ITALIC,
    TI_KEEP_ITALIC = TS_RUN_ITALIC,
    TI_KEEP_NONE = 0
};

/* ---- Characters -------------------------------------------------------------------------- */

/* ASCII white space: what the round file folds. */
bool ti_space(char c);

/* A letter or digit for the word boundaries of a phrase: ASCII ones and every byte beyond
 * ASCII (the Finnish and Swedish letters). */
bool ti_word_byte(unsigned char c);

/* The lower case of the letters of Finnish, Swedish and English (ASCII and Latin-1), in place;
 * every character keeps its byte length ("Ä", C3 84, becomes "ä", C3 A4). */
void ti_lower(char *s, size_t n);
char *ti_lower_copy(ts_arena *a, const char *s, size_t n);

/* Whether the lower-case text s (n bytes) holds, at i, the phrase p (lower case, its words
 * separated by one space, which stands for any run of white space), as whole words; *end is
 * set past it. */
bool ti_phrase_at(const char *s, size_t n, size_t i, const char *p, size_t *end);

/* The length of what XML 1.0 does not allow at s[i] (C0 controls other than tab, line feed and
 * carriage return; U+FFFE and U+FFFF), 0 when it is allowed. */
size_t ti_forbidden_at(const char *s, size_t n, size_t i);

/* s without what XML forbids, its white space folded to single spaces, in a; NULL when memory
 * ran out. */
char *ti_clean(ts_arena *a, const char *s, size_t n);

/* ---- A cell's text ----------------------------------------------------------------------- */

/* The text of a cell as one string (a number as the file writes it), in tmp; "" for none. */
const char *ti_cell_plain(ti_ctx *t, const ts_wbr_cell *c);

/* A cell's runs; a cell of a number or a truth value is one unstyled run of its text. */
ti_rich ti_rich_of_cell(ti_ctx *t, const ts_wbr_cell *c);

/* One unstyled run of s (which must outlive the result). */
ti_rich ti_rich_of_text(ti_ctx *t, const char *s);

/* The text of r without its styles, NUL-terminated, in tmp (NULL when memory ran out). */
char *ti_plain(ti_ctx *t, ti_rich r);

/* The bytes [from, to) of r, with the runs they cut through. */
ti_rich ti_slice(ti_ctx *t, ti_rich r, size_t from, size_t to);

/* r and then s, with sep (a line break or a space) between them when both hold text. */
ti_rich ti_join(ti_ctx *t, ti_rich r, ti_rich s, const char *sep);

/* Whether every character of r that is not white space has the style bit; whether any does. */
bool ti_all(ti_rich r, unsigned style);
bool ti_any(ti_rich r, unsigned style);

/* Where the bold words a cell starts with end: at the end of its first bold runs, or at the
 * first line break in them (our own workbook writes a statement or a name bold on a line of its
 * own, and the text after it may start with bold words of its own).  0 when the cell does not
 * start in bold. */
size_t ti_leading_bold_end(ti_rich r);

/* ---- Into the model ---------------------------------------------------------------------- */

/* Inline text from r: white space folded as the round file folds it (one space, none at the
 * ends), the styles in `keep` kept, in a. */
ts_inline ti_inline(ti_ctx *t, ti_rich r, unsigned keep);

/* Blocks from r: a paragraph a line, lists as their markers say (see ti_line); empty lines are
 * left out.  present is set when there is a block. */
ts_blocks ti_blocks(ti_ctx *t, ti_rich r);

/* One line of a cell, read as a block of the text conventions of our own workbook (outputs.md
 * §2): "• " (or "- ", "– ", "* ") a bulleted item, "1. " a numbered one, two spaces of
 * indentation a level.  "1)" starts a paragraph: a list would show it as "1.". */
typedef struct ti_line {
    size_t from, to; /* the line's bytes in the cell's text */
    size_t body;     /* where its text starts after the indentation and the marker */
    unsigned indent; /* columns of indentation */
    ts_block_kind kind;
    unsigned number; /* of a numbered item */
} ti_line;

/* Reads the line l->from..l->to of s: its indentation, its marker and where its text starts. */
void ti_read_line(const char *s, ti_line *l);

/* The text of an inline as one string, in tmp; "" when memory ran out. */
const char *ti_inline_plain(ti_ctx *t, const ts_inline *in);

/* A name as it is compared: its words in lower case, one space between them, in tmp (NULL
 * when memory ran out). */
const char *ti_name_key(ti_ctx *t, const char *s);

#endif
