/* The rules of round-format.md that hold of a round whatever it is read from: a round file
 * (parser.c) or a form (book/form_read.c).  Both readers build the model and call these at the
 * places the rules apply, each with its own places (FILE:LINE:COLUMN, or FILE:SHEET!CELL), so
 * that a round says the same thing as a file and as a form:
 *   - ids: XML names, unique over the round whatever they name; a reference names an id of the
 *     right kind, and when it does not the message lists the ids of that kind and the nearest
 *     spelling;
 *   - forecasts: a round carries forecasts up to its own number, one per round and measure;
 *   - the warnings (lint): a measure without the current forecast or without an owner, a target
 *     without a task, a percentage over 100, a level in a unit no forecast uses, a text too long
 *     for a spreadsheet cell. */
#ifndef TS_RULES_H
#define TS_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/diag.h"
#include "round/model.h"

/* The most characters of a division's short name, which names the output files (whose names the
 * system limits to 255 bytes). */
#define TS_SHORT_NAME_MAX 40

typedef enum ts_id_kind {
    TS_ID_THEME,
    TS_ID_PROGRAMME,
    TS_ID_GOAL,
    TS_ID_MEASURE,
    TS_ID_TARGET,
} ts_id_kind;

/* "theme", "programme", "goal", "measure", "target" */
const char *ts_id_kind_name(ts_id_kind k);

typedef struct ts_rule_id ts_rule_id;

typedef struct ts_rules {
    const char *file; /* as every message names it */
    ts_diags *diags;
    ts_arena *scratch; /* dies with the read: the table and the messages' pieces */
    ts_arena *keep;    /* the round's: the ids kept */
    const char *whole; /* how messages name what holds the ids: "file", "form" */
    bool lint;         /* add the warnings */
    bool out_of_memory;
    ts_rule_id *slots; /* the ids, an open-addressing table */
    size_t cap, len;
} ts_rules;

void ts_rules_init(ts_rules *r, const char *file, ts_diags *diags, ts_arena *scratch,
                   ts_arena *keep, const char *whole, bool lint);

/* A value as a message quotes it: at most 60 characters, cut on a character. */
const char *ts_rules_shown(ts_rules *r, const char *s);

/* The candidate nearest in spelling to word, when near enough to be a likely typo, or NULL. */
const char *ts_nearest(const char *word, const char *const *cands, size_t n);

/* An XML 1.0 name without a colon (an NCName): what an id may be. */
bool ts_is_xml_name(const char *s);

/* Registers the id of an object of `kind` at `at`.  Returns its copy (in keep), or NULL with the
 * error said when it is not an XML name or is already taken. */
const char *ts_rules_take_id(ts_rules *r, const char *id, ts_id_kind kind, const void *object,
                             ts_pos at);

/* The object that `value` names, which must be of `kind`; NULL with the error said (at `at`,
 * the reference quoted as `written`, e.g. theme="x") when there is none: the ids of that kind
 * that exist, and the nearest spelling. */
const void *ts_rules_resolve(ts_rules *r, const char *value, ts_id_kind kind, ts_pos at,
                             const char *written);

/* The object of an id of any kind, or NULL (no message): with *kind set when found. */
const void *ts_rules_lookup(const ts_rules *r, const char *id, ts_id_kind *kind);

/* A forecast for round `round` of measure m in a round of number `number`, at `at`: an error
 * when it is for a later round or the measure has one for that round; else it is recorded in
 * m->by_round.  Returns whether it was. */
bool ts_rules_forecast_round(ts_rules *r, ts_measure *m, const ts_forecast *f, int round,
                             int number, ts_pos at);

/* ---- Warnings (each only when r->lint) ---------------------------------------------------- */

/* A measure read whole: no forecast for the current round, no owner, a level in a unit that no
 * numeric forecast of it uses. */
void ts_rules_lint_measure(ts_rules *r, int number, const ts_measure *m);

/* A target read whole: one without a task. */
void ts_rules_lint_target(ts_rules *r, const ts_target *t);

/* A value over 100 in "%" at `at`. */
void ts_rules_lint_percent(ts_rules *r, double value, const char *unit, ts_pos at);

/* A text that makes a spreadsheet cell of `chars` characters (`what` names it). */
void ts_rules_lint_cell(ts_rules *r, size_t chars, ts_pos at, const char *what);

/* The characters of a spreadsheet cell holding the text: paragraphs and list items on lines of
 * their own, a bullet and a space before each item. */
size_t ts_inline_cell_chars(const ts_inline *in);
size_t ts_blocks_cell_chars(const ts_blocks *bl);

#endif
