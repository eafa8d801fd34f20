/* The commands behind the command line (outputs.md §3).  main.c parses the options into these
 * structs and calls one; each returns the exit status (ts_rc). */
#ifndef TS_COMMANDS_H
#define TS_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

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
} ts_build_args;

typedef struct ts_new_round_args {
    const char *input;
    const char *output;
    const char *date; /* --date YYYY-MM-DD, NULL for today */
    bool force;       /* --force: replace an existing output file */
} ts_new_round_args;

int ts_cmd_build(const ts_build_args *a);
int ts_cmd_new_round(const ts_new_round_args *a);

/* The folder of layouts/, fonts/, input/: TASEURANTA_DATA, else found from the program's own
 * location (<prefix>/share/taseuranta when installed, the source tree for a build-tree
 * binary).  buf (PATH_MAX bytes, from <limits.h>) holds the result when it is computed. */
const char *ts_data_dir(char *buf);

#endif
