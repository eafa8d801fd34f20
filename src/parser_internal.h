/* What parser.c (the walk that builds the model) and parser_input.c (bytes, libxml2, positions)
 * share.  Not a contract for other modules. */
#ifndef TS_PARSER_INTERNAL_H
#define TS_PARSER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "arena.h"
#include "diag.h"
#include "parser.h"

/* Past this many elements, texts and attributes (two nodes each: libxml2 keeps an attribute's
 * value as a text node under it) in one file it is refused: the tree libxml2 builds costs about
 * 150 bytes a node, and a 64 MiB file of "<p/>" or of ' a=""' would otherwise need
 * gigabytes. */
#define TS_PARSE_MAX_NODES 3000000u

/* Where a node of the tree starts in the input: the byte offset of its '<' (elements) or of
 * its first visible character (texts), and the same as line and column. */
typedef struct ts_node_place {
    size_t off;
    ts_pos pos;
    const void *element; /* the model part built from the node (ts_comment.element), or NULL */
} ts_node_place;

typedef struct ts_parser {
    const char *file; /* display name, used in every diagnostic */
    const char *data; /* the bytes handed to libxml2 (after a byte order mark) */
    size_t len;
    ts_parse_options opt;
    ts_diags *diags;
    ts_arena *scratch; /* everything that dies with the parse */
    ts_arena *arena;   /* the round's */
    size_t errors_at_start;

    /* Filled while libxml2 reads: */
    ts_vec places; /* ts_node_place, indexed by (uintptr_t)node->_private - 1 */
    struct {
        size_t off;
        uint32_t line, col;
    } cursor;
    unsigned depth;
    size_t *children_at_depth; /* element children counted under each open element */
    size_t n_nodes;
    size_t last_markup_end;
    size_t text_bytes; /* of the text node being filled */
    bool stopped;      /* a cap was hit: libxml2's later complaints are noise */
    bool tags_broken;  /* a tag was found broken: libxml2's later complaints of tags echo it */
    bool out_of_memory;
    size_t xml_errors;

    /* One inline text is built at a time: its buffers are reused for the next one. */
    ts_vec draft_chars, draft_runs;
} ts_parser;

/* Reports an error or a warning at pos. */
void tsp_error(ts_parser *p, ts_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tsp_warning(ts_parser *p, ts_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports "out of memory" once. */
void tsp_oom(ts_parser *p);

/* Checks the bytes (UTF-8, characters, encoding declaration, no DOCTYPE) and has libxml2 build
 * the tree.  NULL when the file is refused (the reasons are in diags). */
xmlDocPtr tsp_read_tree(ts_parser *p);

/* Where a node starts; {0,0} for a node the reader did not see. */
ts_pos tsp_node_pos(const ts_parser *p, const xmlNode *n);
/* Where the attribute `qname` ("id", "xml:lang") of element n starts; the element's place
 * when it cannot be found. */
ts_pos tsp_attr_pos(const ts_parser *p, const xmlNode *n, const char *qname);

/* A walk over one start tag that finds its attributes one after another, each from where the
 * one before it was found, so that finding all of them costs one pass over the tag. */
typedef struct tsp_attr_cursor {
    const xmlNode *node;
    size_t off; /* where the search goes on; 0 before the first */
    ts_pos pos; /* the place of off */
} tsp_attr_cursor;

tsp_attr_cursor tsp_attr_cursor_at(const ts_parser *p, const xmlNode *n);
/* Where the attribute `qname` of the cursor's element starts, searched from the cursor on (and
 * from the tag's start when it is not there); the element's place when it is not found. */
ts_pos tsp_attr_pos_next(const ts_parser *p, tsp_attr_cursor *c, const char *qname);

#endif
