/* The bytes of an XML input and where its nodes stand in them, for the readers of small XML
 * files that libxml2 builds as a tree (the layout, the label files), and the check every XML
 * input gets before libxml2 sees it.
 *
 * libxml2 2.9 keeps only a 16-bit line per node (65,535 for every line past it) and no column,
 * so the handlers below record each element's byte offset and line and column as libxml2 reads
 * it.  And it spends time quadratic in the attributes of one start tag (each is compared with
 * every one before it, and appended to the end of a list walked from its start): a tag with a
 * million attributes takes hours.  ts_xml_attr_floods finds such a tag in one pass over the
 * bytes, before libxml2 is called. */
#ifndef TS_XMLSRC_H
#define TS_XMLSRC_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/arena.h"
#include "core/diag.h"

/* More attributes than this on one element (namespace declarations included) refuse an XML
 * input.  No element of a round, a layout or a label file takes more than twelve. */
#define TS_XML_MAX_ATTRS 64

/* Calls flood(ctx, off, n) for each start tag in data (at byte offset off, its '<') that holds
 * more than max attributes; n is how many it holds.  A tag is read as libxml2 reads one:
 * comments, CDATA sections and processing instructions are skipped, and the count stops where
 * the tag stops being well-formed (libxml2 stops reading it there too).  Returns how many tags
 * were reported. */
size_t ts_xml_attr_floods(const char *data, size_t len, size_t max,
                          void (*flood)(void *ctx, size_t off, size_t n), void *ctx);

/* A forward walk over the bytes that turns byte offsets into lines and columns (columns count
 * characters).  Asked for offsets in increasing order it reads the file once; an earlier offset
 * starts it again from the top. */
typedef struct ts_text_cursor {
    const char *data;
    size_t len;
    size_t off;
    ts_pos pos;
} ts_text_cursor;

void ts_text_cursor_init(ts_text_cursor *c, const char *data, size_t len);
ts_pos ts_text_cursor_at(ts_text_cursor *c, size_t off);

/* The position of byte offset `to` of data, counted from `at`, the position of offset `from`
 * (lines from 1, columns in characters from 1). */
ts_pos ts_pos_after(const char *data, size_t from, ts_pos at, size_t to);

/* The place of a node of the tree: the byte offset of an element's '<' or of a text's first
 * character that is not white space, and the same as line and column. */
typedef struct ts_xml_place {
    size_t off;
    ts_pos pos;
} ts_xml_place;

/* What the handlers of ts_xml_src_install keep while libxml2 reads.  A reader puts it first in
 * its own state and sets ctxt->_private to that state, so that the handlers find it. */
typedef struct ts_xml_src {
    const char *data; /* the bytes handed to libxml2 */
    size_t len;
    ts_arena *a;         /* where the places are kept */
    size_t max_nodes;    /* elements, texts and attributes; past it the read stops */
    size_t n_nodes;      /* so far */
    bool too_many;       /* the read was stopped at max_nodes */
    ts_pos too_many_pos; /* where */
    bool out_of_memory;
    ts_vec places; /* ts_xml_place, indexed by (uintptr_t)node->_private - 1 */
    ts_text_cursor cursor;
    size_t last_markup_end; /* where the text after the last tag, comment or PI starts */
} ts_xml_src;

/* Readies src for the bytes data..len and sets the handlers of ctxt->sax that record places,
 * count nodes and stop past max_nodes.  The options of the read should hold
 * XML_PARSE_IGNORE_ENC (the offsets are those of the bytes, so the bytes must be UTF-8, which
 * the reader checks first with ts_xml_check_utf8). */
void ts_xml_src_install(ts_xml_src *src, xmlParserCtxtPtr ctxt, const char *data, size_t len,
                        size_t max_nodes, ts_arena *a);

/* Where a node stands; for a node not recorded (an attribute's text, a node libxml2 made on its
 * own), the place of the nearest element around it; {0, 0} when there is none. */
ts_pos ts_xml_node_pos(const ts_xml_src *src, const xmlNode *n);

/* Where the attribute `qname` ("key", "xml:lang") of element n starts; the element's place when
 * it is not found. */
ts_pos ts_xml_attr_pos(const ts_xml_src *src, const xmlNode *n, const char *qname);

/* The offset of the first byte of data that is not UTF-8 (or is a NUL), or len when there is
 * none. */
size_t ts_xml_check_utf8(const char *data, size_t len);

#endif
