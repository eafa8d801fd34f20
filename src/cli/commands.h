/* The commands behind the command line (outputs.md §3).  main.c parses the options into these
 * structs and calls one; each returns the exit status (ts_rc). */
#ifndef TS_COMMANDS_H
#define TS_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/locale.h"
#include "book/form_read.h"

/* SOURCE_DATE_EPOCH, read once by main before any work (outputs.md §3). */
typedef struct ts_epoch {
    bool set;          /* false: unset or empty */
    long long seconds; /* 0 .. 253402300799 (9999-12-31T23:59:59Z) */
} ts_epoch;

/* Reads value (getenv's; NULL or empty: unset) into *out.  A value that is not a whole number
 * of seconds in range returns false with why (a sentence naming the value, and a value in
 * milliseconds as such) in why_len bytes. */
bool ts_epoch_parse(const char *value, ts_epoch *out, char *why, size_t why_len);

typedef struct ts_build_args {
    const char *const *inputs;
    size_t n_inputs;
    const char *out_dir; /* "." when not given */
    bool pdf, xlsx, ods; /* --format; all three when not given */
    const char *layout;  /* --layout FILE, NULL for the default */
    bool pdfa;
    bool strict;
    bool quiet;
    bool untagged; /* hidden: for the benchmark of what tagging costs */
    int jobs;      /* -j N, 1 when not given */
    ts_epoch epoch;
    int keep_parsed_mib; /* hidden test hook: MiB of read rounds a batch keeps for building
                            (the rest is read again); -1: the default */
} ts_build_args;

typedef struct ts_new_round_args {
    const char *input;
    const char *output;
    const char *date; /* --date YYYY-MM-DD, NULL for today */
    bool force;       /* --force: replace an existing output file */
} ts_new_round_args;

typedef struct ts_form_args {
    const char *input;  /* the round (a round file or a form); NULL for a blank form */
    const char *output; /* FORM.xlsx or FORM.ods: the extension picks the format */
    ts_lang lang;       /* a blank form's language */
    bool force;         /* replace an existing output */
    ts_epoch epoch;     /* SOURCE_DATE_EPOCH */
} ts_form_args;

/* `taseuranta import BOOK -o ROUND.xml`: a form, or a strategy-measure table, into a round
 * file. */
typedef struct ts_import_args {
    const char *input;
    const char *output;
    ts_form_overrides over; /* -1 / NULL: not given */
    bool force;
} ts_import_args;

int ts_cmd_build(const ts_build_args *a);
int ts_cmd_new_round(const ts_new_round_args *a);
/* The output is written whole or not at all, and never over an existing file without force
 * nor over the input. */
int ts_cmd_form(const ts_form_args *a);
int ts_cmd_import(const ts_import_args *a);

/* The folder of layouts/, fonts/, input/: TASEURANTA_DATA, else found from the program's own
 * location (<prefix>/share/taseuranta when installed, the source tree for a build-tree
 * binary).  buf (PATH_MAX bytes, from <limits.h>) holds the result when it is computed. */
const char *ts_data_dir(char *buf);

/* The names of the shipped layouts (data_dir/layouts/NAME.xml), which --layout NAME takes:
 * "a4-landscape, helsinki", sorted, in buf; empty when there are none. */
void ts_layout_names(const char *data_dir, char *buf, size_t len);

#endif
