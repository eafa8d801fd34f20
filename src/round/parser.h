/* The round file parser: bytes -> ts_round, with every problem reported at its place.
 *
 * libxml2 reads the file with the network off and no DTD or entity ever loaded: a DOCTYPE is
 * refused outright.  The file is checked against input/round-1.xsd's rules (the skeleton, value
 * ranges, enums) and then against what XSD cannot say (ids, references to the right kind,
 * forecast rounds, duplicates).  All problems are reported, not only the first. */
#ifndef TS_PARSER_H
#define TS_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "round/model.h"

/* Caps past which a file is refused with a located message naming the cap.  Each is at least
 * what round-format.md's "Limits" says must be accepted. */
typedef struct ts_parse_limits {
    size_t max_file_bytes; /* 64 MiB at least */
    unsigned max_depth;    /* 64 at least */
    size_t max_text_bytes; /* one text: 1 MiB at least */
    size_t max_id_bytes;   /* 10,000 at least */
    size_t max_attr_bytes; /* any other attribute */
    size_t max_list_items; /* items of one kind under one parent: 10,000 at least */
} ts_parse_limits;

void ts_parse_limits_default(ts_parse_limits *l);

typedef struct ts_parse_options {
    ts_parse_limits limits;
    bool lint;             /* add the warnings (measure without current forecast, ...) */
    bool keep_comments;    /* keep the file's XML comments in ts_round.comments */
    ts_alloc_fault *fault; /* test hook for allocation failure; NULL normally */
} ts_parse_options;

void ts_parse_options_default(ts_parse_options *o);

/* Parses the file at path.  Returns the round, or NULL when any error was reported (then
 * diags holds at least one error).  Warnings do not make it fail; --strict is the caller's
 * business.  `display_name` is how the file is named in diagnostics (NULL: path). */
ts_round *ts_parse_file(const char *path, const char *display_name, const ts_parse_options *o,
                        ts_diags *diags);

/* The same for bytes in memory (the fuzz target and the unit tests). */
ts_round *ts_parse_memory(const char *data, size_t len, const char *display_name,
                          const ts_parse_options *o, ts_diags *diags);

#endif
