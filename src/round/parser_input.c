/* The round file's bytes: the checks libxml2 would make badly or not at all (encoding, control
 * characters, DOCTYPE), libxml2 itself with every door to the outside shut, and the positions
 * of every node, which libxml2 only gives as lines. */
#define _POSIX_C_SOURCE 200809L

#include "round/parser_internal.h"
#include "core/utf8.h"
#include "core/xmlsrc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/* ---- Diagnostics ------------------------------------------------------------------------- */

void tsp_error(ts_parser *p, ts_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(p->diags, p->file, pos, TS_ERROR, fmt, ap);
    va_end(ap);
}

void tsp_warning(ts_parser *p, ts_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(p->diags, p->file, pos, TS_WARNING, fmt, ap);
    va_end(ap);
}

void tsp_oom(ts_parser *p)
{
    if (!p->out_of_memory) {
        p->out_of_memory = true;
        ts_diag_fault(p->diags, p->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
    }
}

static const char *size_text(size_t n, char *buf, size_t cap)
{
    if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
        snprintf(buf, cap, "%zu MiB", n / (1024 * 1024));
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, cap, "%zu KiB", n / 1024);
    else
        snprintf(buf, cap, "%zu bytes", n);
    return buf;
}

/* ---- Positions --------------------------------------------------------------------------- */

/* Moves the cursor to byte offset `to`, counting lines and characters on the way.  Offsets
 * arrive in increasing order while libxml2 reads, so the whole file is walked once. */
static ts_pos advance_to(ts_parser *p, size_t to)
{
    if (to > p->len)
        to = p->len;
    if (to < p->cursor.off) {
        p->cursor.off = 0;
        p->cursor.line = 1;
        p->cursor.col = 1;
    }
    ts_pos at = ts_pos_after(p->data, p->cursor.off, (ts_pos){p->cursor.line, p->cursor.col}, to);
    p->cursor.off = to;
    p->cursor.line = at.line;
    p->cursor.col = at.col;
    return at;
}

ts_pos tsp_node_pos(const ts_parser *p, const xmlNode *n)
{
    uintptr_t i = n ? (uintptr_t)n->_private : 0;
    if (i == 0 || i > p->places.len)
        return n && n->parent && n->parent->type == XML_ELEMENT_NODE ? tsp_node_pos(p, n->parent)
                                                                     : (ts_pos){0, 0};
    return ((const ts_node_place *)p->places.items)[i - 1].pos;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The offset of the first attribute name at or after k in the start tag that holds k (k past
 * the tag's own name) whose name is qname, or SIZE_MAX.  The start tag was well-formed, so a
 * plain lexical walk over it is safe: name = "value" pairs; values cannot hold '<' and their
 * quotes are balanced. */
static size_t find_attr(const ts_parser *p, size_t k, const char *qname)
{
    const char *d = p->data;
    size_t end = p->len, qlen = strlen(qname);
    for (;;) {
        while (k < end && is_space((unsigned char)d[k]))
            k++;
        if (k >= end || d[k] == '>' || d[k] == '/')
            return SIZE_MAX;
        size_t name = k;
        while (k < end && !is_space((unsigned char)d[k]) && d[k] != '=')
            k++;
        if (k - name == qlen && memcmp(d + name, qname, qlen) == 0)
            return name;
        while (k < end && d[k] != '"' && d[k] != '\'')
            k++;
        if (k >= end)
            return SIZE_MAX;
        char q = d[k++];
        while (k < end && d[k] != q)
            k++;
        k++;
    }
}

tsp_attr_cursor tsp_attr_cursor_at(const ts_parser *p, const xmlNode *n)
{
    tsp_attr_cursor c = {.node = n};
    uintptr_t i = n ? (uintptr_t)n->_private : 0;
    if (i == 0 || i > p->places.len)
        return c;
    const ts_node_place *pl = &((const ts_node_place *)p->places.items)[i - 1];
    size_t k = pl->off + 1;
    while (k < p->len && !is_space((unsigned char)p->data[k]) && p->data[k] != '>' &&
           p->data[k] != '/')
        k++;
    c.off = k;
    c.pos = ts_pos_after(p->data, pl->off, pl->pos, k);
    return c;
}

ts_pos tsp_attr_pos_next(const ts_parser *p, tsp_attr_cursor *c, const char *qname)
{
    if (c->off == 0)
        return tsp_node_pos(p, c->node);
    size_t at = find_attr(p, c->off, qname);
    if (at == SIZE_MAX)
        return tsp_attr_pos(p, c->node, qname);
    c->pos = ts_pos_after(p->data, c->off, c->pos, at);
    c->off = at;
    return c->pos;
}

ts_pos tsp_attr_pos(const ts_parser *p, const xmlNode *n, const char *qname)
{
    tsp_attr_cursor c = tsp_attr_cursor_at(p, n);
    if (c.off == 0)
        return tsp_node_pos(p, n);
    size_t at = find_attr(p, c.off, qname);
    return at == SIZE_MAX ? tsp_node_pos(p, n) : ts_pos_after(p->data, c.off, c.pos, at);
}

/* ---- Reading the bytes ------------------------------------------------------------------- */

enum { MAX_CHAR_REPORTS = 10 };

/* Every byte is UTF-8 and every character one XML 1.0 allows.  A file in another encoding is
 * reported once, at its first foreign byte; bad characters each, up to a few. */
static bool check_characters(ts_parser *p)
{
    const unsigned char *d = (const unsigned char *)p->data;
    size_t n = p->len, reported = 0, more = 0, bad_utf8 = 0;
    uint32_t line = 1, col = 1;
    ts_pos first_bad = {0, 0};
    unsigned char first_byte = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = ts_utf8_decode(d + i, n - i, &cp);
        const char *what = NULL;
        char buf[96];
        if (len == 0) {
            if (bad_utf8++ == 0) {
                first_bad = (ts_pos){line, col};
                first_byte = d[i];
            }
            len = 1;
        } else if (cp == 0) {
            what = "a NUL byte: round files are text and XML 1.0 forbids U+0000";
        } else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
                   cp == 0xFFFF) {
            snprintf(buf, sizeof buf, "character U+%04X is not allowed in XML 1.0", (unsigned)cp);
            what = buf;
        }
        if (what != NULL) {
            if (reported < MAX_CHAR_REPORTS) {
                tsp_error(p, (ts_pos){line, col}, "%s", what);
                reported++;
            } else {
                more++;
            }
        }
        if (d[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += len;
    }
    if (more)
        tsp_error(p, (ts_pos){line, col}, "%zu more characters XML 1.0 forbids, not listed", more);
    if (bad_utf8 == 1)
        tsp_error(p, first_bad,
                  "the file is not UTF-8: byte 0x%02X cannot stand here; save the file as UTF-8",
                  first_byte);
    else if (bad_utf8 > 1)
        tsp_error(p, first_bad,
                  "the file is not UTF-8: byte 0x%02X cannot stand here, nor %zu more bytes "
                  "after it; save the file as UTF-8",
                  first_byte, bad_utf8 - 1);
    return reported == 0 && bad_utf8 == 0;
}

static bool starts(const char *d, size_t n, size_t at, const char *lit)
{
    size_t l = strlen(lit);
    return at + l <= n && memcmp(d + at, lit, l) == 0;
}

/* The XML declaration's encoding must say UTF-8, and nothing before the root element may be a
 * DOCTYPE.  This runs before libxml2 sees a byte, so an internal subset full of entities (the
 * "billion laughs") is never even tokenised. */
static bool check_prolog(ts_parser *p)
{
    const char *d = p->data;
    size_t n = p->len, k = 0;
    bool ok = true;
    p->cursor.off = 0;
    p->cursor.line = p->cursor.col = 1;
    if (starts(d, n, 0, "<?xml") && n > 5 && is_space((unsigned char)d[5])) {
        const char *close = NULL;
        for (size_t i = 5; i + 1 < n; i++)
            if (d[i] == '?' && d[i + 1] == '>') {
                close = d + i;
                break;
            }
        size_t end = close ? (size_t)(close - d) : n;
        for (size_t i = 5; i + 8 < end; i++) {
            if (memcmp(d + i, "encoding", 8) != 0 || !is_space((unsigned char)d[i - 1]))
                continue;
            size_t v = i + 8;
            while (v < end && (is_space((unsigned char)d[v]) || d[v] == '='))
                v++;
            if (v >= end || (d[v] != '"' && d[v] != '\''))
                break;
            char q = d[v++];
            size_t ve = v;
            while (ve < end && d[ve] != q)
                ve++;
            size_t vl = ve - v;
            if (!(vl == 5 && strncasecmp(d + v, "UTF-8", 5) == 0)) {
                tsp_error(p, advance_to(p, v),
                          "the file declares encoding \"%.*s\"; round files must be UTF-8 "
                          "(write encoding=\"UTF-8\" and save the file as UTF-8)",
                          (int)(vl > 40 ? 40 : vl), d + v);
                ok = false;
            }
            break;
        }
        k = close ? end + 2 : n;
    }
    for (;;) {
        while (k < n && is_space((unsigned char)d[k]))
            k++;
        if (starts(d, n, k, "<!--")) {
            const char *e = NULL;
            for (size_t i = k + 4; i + 2 < n; i++)
                if (d[i] == '-' && d[i + 1] == '-' && d[i + 2] == '>') {
                    e = d + i;
                    break;
                }
            if (e == NULL)
                break;
            k = (size_t)(e - d) + 3;
        } else if (starts(d, n, k, "<?")) {
            const char *e = NULL;
            for (size_t i = k + 2; i + 1 < n; i++)
                if (d[i] == '?' && d[i + 1] == '>') {
                    e = d + i;
                    break;
                }
            if (e == NULL)
                break;
            k = (size_t)(e - d) + 2;
        } else if (starts(d, n, k, "<!DOCTYPE") || starts(d, n, k, "<!doctype")) {
            tsp_error(p, advance_to(p, k),
                      "a DOCTYPE is not allowed: round files take no DTD and no entities, and "
                      "nothing outside the file is read; remove the <!DOCTYPE ...> declaration");
            ok = false;
            break;
        } else {
            break;
        }
    }
    if (ok && k >= n) {
        tsp_error(p, advance_to(p, k < n ? k : n),
                  "no root element: a round file holds <round format=\"1\" ...>");
        ok = false;
    }
    return ok;
}

/* ---- Attributes per element ------------------------------------------------------------- */

static void on_attr_flood(void *ctx, size_t off, size_t n)
{
    ts_parser *p = ctx;
    if (ts_diag_full(p->diags, p->file, TS_ERROR)) {
        tsp_error(p, (ts_pos){0, 0}, "too many attributes");
        return;
    }
    const char *d = p->data + off + 1;
    size_t name = 0;
    while (off + 1 + name < p->len && name < 60 && !is_space((unsigned char)d[name]) &&
           d[name] != '>' && d[name] != '/')
        name++;
    tsp_error(p, advance_to(p, off),
              "<%.*s> has %zu attributes; the cap is %d on one element (none of the format's "
              "takes more than a few)",
              (int)name, d, n, TS_XML_MAX_ATTRS);
}

/* libxml2 2.9 spends time quadratic in the attributes of one start tag: a tag with more than
 * the cap refuses the file before libxml2 reads it. */
static bool check_attr_counts(ts_parser *p)
{
    return ts_xml_attr_floods(p->data, p->len, TS_XML_MAX_ATTRS, on_attr_flood, p) == 0;
}

/* ---- libxml2 ----------------------------------------------------------------------------- */

static void on_xml_error(void *data, xmlErrorPtr e);

static xmlExternalEntityLoader previous_loader;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* libxml2 2.9 has only a process-wide entity loader.  It refuses every load a round parse asks
 * for (recognised by our error handler on the context) and leaves other users of libxml2 in
 * the process as they were. */
static xmlParserInputPtr refusing_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    if (ctxt == NULL || ctxt->sax == NULL || ctxt->sax->serror == on_xml_error) {
        if (ctxt != NULL && ctxt->_private != NULL) {
            ts_parser *p = ctxt->_private;
            tsp_error(p, (ts_pos){(uint32_t)xmlSAX2GetLineNumber(ctxt), 1},
                      "refused to read \"%.80s\": nothing outside the round file is read",
                      url  ? url
                      : id ? id
                           : "?");
        }
        return NULL;
    }
    return previous_loader ? previous_loader(url, id, ctxt) : NULL;
}

static void init_libxml(void)
{
    xmlInitParser();
    previous_loader = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(refusing_loader);
}

static void stop(ts_parser *p, xmlParserCtxtPtr ctxt)
{
    p->stopped = true;
    xmlStopParser(ctxt);
}

/* Errors of the tags themselves.  After the first, libxml2 goes on reading with its stack of
 * open elements out of step, and each later tag error is an echo of the first (one missing
 * </title> gives a mismatch at every closing tag up to the end): those are left out. */
static bool is_tag_error(int code)
{
    switch (code) {
    case XML_ERR_TAG_NAME_MISMATCH:
    case XML_ERR_TAG_NOT_FINISHED:
    case XML_ERR_DOCUMENT_END:
    case XML_ERR_GT_REQUIRED:
    case XML_ERR_LTSLASH_REQUIRED:
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
    case XML_ERR_ATTRIBUTE_NOT_FINISHED:
    case XML_ERR_SPACE_REQUIRED:
    case XML_ERR_LT_IN_ATTRIBUTE:
        return true;
    default:
        return false;
    }
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* What libxml2's message means for someone who writes a round file, and what to do about it;
 * NULL to keep libxml2's own words. */
static const char *explain(ts_parser *p, const xmlError *e, const char *msg)
{
    const char *s1 = e->str1 ? e->str1 : "?", *s2 = e->str2 ? e->str2 : "?";
    switch (e->code) {
    case XML_ERR_NAME_REQUIRED:
        if (starts_with(msg, "xmlParseEntityRef"))
            return "a bare '&': write &amp; for the character & (an '&' starts a reference such "
                   "as &amp; or &#8364;)";
        if (starts_with(msg, "StartTag"))
            return "a '<' that starts no element: write &lt; for the character <";
        return NULL;
    case XML_ERR_ENTITYREF_SEMICOL_MISSING:
        return "an '&' without a ';' after its name: write &amp; for the character &";
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
        return ts_arena_printf(p->scratch,
                               "Entity '%s' not defined; XML knows only &amp;, &lt;, &gt;, &quot; "
                               "and &apos;: write the character itself, or its number (&#160; is "
                               "a no-break space)",
                               s1);
    case XML_ERR_TAG_NAME_MISMATCH:
        return ts_arena_printf(p->scratch,
                               "</%s> does not close <%s>, opened at line %d: a closing </%s> is "
                               "missing or misspelt",
                               s2, s1, e->int1, s1);
    case XML_ERR_TAG_NOT_FINISHED:
        return ts_arena_printf(p->scratch,
                               "the file ends inside <%s>, opened at line %d: its closing </%s> is "
                               "missing",
                               s1, e->int1, s1);
    case XML_ERR_DOCUMENT_END:
        return "something stands after the end of the root element: a round file holds one "
               "<round> (did a closing tag come too early?)";
    case XML_ERR_DOCUMENT_EMPTY:
        return "text before the root element: a round file starts with <round …> (after the "
               "<?xml …?> line and comments)";
    case XML_ERR_GT_REQUIRED:
        if (e->str1 != NULL)
            return ts_arena_printf(p->scratch,
                                   "the start tag <%s> is not closed: its '>' is missing, or an "
                                   "attribute in it is broken",
                                   s1);
        return "a tag is not closed: its '>' is missing";
    case XML_ERR_ATTRIBUTE_NOT_STARTED:
        return "an attribute's value stands without quotes: write name=\"value\"";
    case XML_ERR_ATTRIBUTE_NOT_FINISHED:
        return "an attribute's value has no closing quote";
    case XML_ERR_LT_IN_ATTRIBUTE:
        return "a '<' in an attribute's value: write &lt;";
    case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
        return ts_arena_printf(p->scratch, "attribute '%s' has no value: write %s=\"…\"", s1, s1);
    case XML_ERR_ATTRIBUTE_REDEFINED:
        return ts_arena_printf(p->scratch, "attribute '%s' stands twice on one element: keep one",
                               s1);
    case XML_ERR_MISPLACED_CDATA_END:
        return "']]>' in a text: write ]]&gt;";
    case XML_ERR_HYPHEN_IN_COMMENT:
        return "two hyphens '--' inside a comment, which XML forbids there: write one hyphen or "
               "a dash (–)";
    case XML_ERR_COMMENT_NOT_FINISHED:
        return "a comment that is not closed: end it with -->";
    case XML_ERR_INVALID_CHAR:
        if (starts_with(msg, "xmlParseCharRef"))
            return ts_arena_printf(p->scratch,
                                   "a character reference to U+%04X, a character that is not "
                                   "allowed in XML 1.0: remove it",
                                   (unsigned)e->int1);
        return NULL;
    default:
        return NULL;
    }
}

static void on_xml_error(void *data, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = data;
    ts_parser *p = ctxt ? ctxt->_private : NULL;
    if (p == NULL || e == NULL || p->stopped)
        return;
    if (e->code == XML_ERR_USER_STOP)
        return;
    if (e->code == XML_ERR_NO_MEMORY) {
        /* libxml2 could not allocate: not a fault of the file. */
        tsp_oom(p);
        return;
    }
    const char *msg = e->message ? e->message : "malformed XML";
    size_t len = strlen(msg);
    while (len > 0 && is_space((unsigned char)msg[len - 1]))
        len--;
    ts_pos pos = {(uint32_t)(e->line > 0 ? e->line : 0), (uint32_t)(e->int2 > 0 ? e->int2 : 1)};
    if (is_tag_error(e->code)) {
        if (p->tags_broken)
            return;
        p->tags_broken = true;
    }
    if (p->xml_errors++ >= 20)
        return;
    const char *why = explain(p, e, msg);
    if (why != NULL) {
        msg = why;
        len = strlen(why);
    }
    if (e->level == XML_ERR_WARNING)
        tsp_warning(p, pos, "%.*s", (int)len, msg);
    else
        tsp_error(p, pos, "not well-formed XML: %.*s", (int)len, msg);
}

static size_t byte_offset(xmlParserCtxtPtr ctxt)
{
    long c = xmlByteConsumed(ctxt);
    return c < 0 ? 0 : (size_t)c;
}

static bool record_place(ts_parser *p, xmlNodePtr n, size_t off, ts_pos pos)
{
    ts_node_place *pl = ts_vec_push(p->scratch, &p->places, sizeof *pl);
    if (pl == NULL)
        return false;
    pl->off = off;
    pl->pos = pos;
    n->_private = (void *)(uintptr_t)p->places.len;
    return true;
}

static bool count_node(ts_parser *p, xmlParserCtxtPtr ctxt, ts_pos pos)
{
    if (++p->n_nodes > TS_PARSE_MAX_NODES) {
        tsp_error(p, pos,
                  "the file holds more than %u elements, texts and attributes, the cap; split the "
                  "round",
                  TS_PARSE_MAX_NODES);
        stop(p, ctxt);
        return false;
    }
    return true;
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                      int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_parser *p = ctxt->_private;
    if (p->stopped)
        return;
    /* libxml2 calls this with the input at the start tag's closing '>' or "/>"; the tag's '<'
     * is the last one before it, since no '<' can stand inside a start tag. */
    size_t end = byte_offset(ctxt);
    if (end > p->len)
        end = p->len;
    size_t lt = end;
    while (lt > 0 && p->data[lt - 1] != '<')
        lt--;
    lt = lt > 0 ? lt - 1 : 0;
    ts_pos pos = advance_to(p, lt);
    /* libxml2 builds two nodes for each attribute (the attribute and its text): they count. */
    p->n_nodes += 2 * (size_t)nb_attributes;
    if (!count_node(p, ctxt, pos))
        return;
    if (p->depth >= p->opt.limits.max_depth) {
        tsp_error(p, pos, "elements nested more than %u deep, the cap", p->opt.limits.max_depth);
        stop(p, ctxt);
        return;
    }
    if (++p->children_at_depth[p->depth] > p->opt.limits.max_list_items) {
        tsp_error(p, pos, "more than %zu elements in one element, the cap",
                  p->opt.limits.max_list_items);
        stop(p, ctxt);
        return;
    }
    for (int i = 0; i < nb_attributes; i++) {
        const xmlChar *name = attributes[i * 5], *apfx = attributes[i * 5 + 1];
        size_t vlen = (size_t)(attributes[i * 5 + 4] - attributes[i * 5 + 3]);
        bool is_id = apfx == NULL && strcmp((const char *)name, "id") == 0;
        size_t cap = is_id ? p->opt.limits.max_id_bytes : p->opt.limits.max_attr_bytes;
        if (vlen > cap) {
            char b[32];
            tsp_error(p, pos, "attribute %s%s%s of <%s> is %zu bytes long; the cap is %s",
                      apfx ? (const char *)apfx : "", apfx ? ":" : "", (const char *)name,
                      (const char *)localname, vlen, size_text(cap, b, sizeof b));
            stop(p, ctxt);
            return;
        }
    }
    xmlNodePtr parent = ctxt->node;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
    /* Out of memory, libxml2 makes no node (and the parent stays the current one). */
    if (ctxt->node == NULL || ctxt->node == parent || ctxt->node->type != XML_ELEMENT_NODE) {
        tsp_oom(p);
        stop(p, ctxt);
        return;
    }
    if (!record_place(p, ctxt->node, lt, pos)) {
        tsp_oom(p);
        stop(p, ctxt);
        return;
    }
    p->depth++;
    p->children_at_depth[p->depth] = 0;
    size_t gt = end;
    while (gt < p->len && p->data[gt] != '>')
        gt++;
    p->last_markup_end = gt < p->len ? gt + 1 : gt;
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_parser *p = ctxt->_private;
    if (p->stopped)
        return;
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
    if (p->depth > 0)
        p->depth--;
    p->last_markup_end = byte_offset(ctxt);
}

static void sax_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_parser *p = ctxt->_private;
    if (p->stopped)
        return;
    xmlNodePtr parent = ctxt->node;
    xmlNodePtr before = parent ? parent->last : NULL;
    xmlSAX2Characters(ctx, ch, len);
    if (parent == NULL)
        return;
    if (parent->last != before && parent->last != NULL && parent->last->type == XML_TEXT_NODE) {
        /* A new text node: it starts where the last markup ended; its place is its first
         * visible character, where a reader would look for it. */
        size_t k = p->last_markup_end;
        while (k < p->len && is_space((unsigned char)p->data[k]))
            k++;
        ts_pos pos = advance_to(p, k);
        if (!count_node(p, ctxt, pos))
            return;
        if (!record_place(p, parent->last, k, pos)) {
            tsp_oom(p);
            stop(p, ctxt);
            return;
        }
        p->text_bytes = 0;
    } else if (parent->last == before && (before == NULL || before->type != XML_TEXT_NODE)) {
        /* libxml2 could not store the text */
        tsp_oom(p);
        stop(p, ctxt);
        return;
    }
    p->text_bytes += (size_t)len;
    if (p->text_bytes > p->opt.limits.max_text_bytes) {
        char b[32];
        tsp_error(p, tsp_node_pos(p, parent->last), "a text longer than %s, the cap",
                  size_text(p->opt.limits.max_text_bytes, b, sizeof b));
        stop(p, ctxt);
    }
}

static void sax_markup_end(ts_parser *p, xmlParserCtxtPtr ctxt)
{
    p->last_markup_end = byte_offset(ctxt);
    /* libxml2 may call before or after the closing '>' of a comment or PI */
    if (p->last_markup_end < p->len && p->data[p->last_markup_end] == '>')
        p->last_markup_end++;
}

static void sax_comment(void *ctx, const xmlChar *value)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_parser *p = ctxt->_private;
    if (p->stopped)
        return;
    xmlSAX2Comment(ctx, value);
    sax_markup_end(p, ctxt);
}

static void sax_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_parser *p = ctxt->_private;
    if (p->stopped)
        return;
    xmlSAX2ProcessingInstruction(ctx, target, data);
    sax_markup_end(p, ctxt);
}

/* Backstops: the prolog check refuses a DOCTYPE before libxml2 runs; should one still reach
 * libxml2, nothing in it is declared, expanded or loaded. */
static void sax_internal_subset(void *ctx, const xmlChar *name, const xmlChar *eid,
                                const xmlChar *sid)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_parser *p = ctxt->_private;
    if (!p->stopped)
        tsp_error(p, (ts_pos){(uint32_t)xmlSAX2GetLineNumber(ctxt), 1},
                  "a DOCTYPE is not allowed: round files take no DTD and no entities");
    stop(p, ctxt);
}

static void sax_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                            const xmlChar *system_id, xmlChar *content)
{
    xmlParserCtxtPtr ctxt = ctx;
    stop(ctxt->_private, ctxt);
}

static xmlEntityPtr sax_get_entity(void *ctx, const xmlChar *name)
{
    return NULL;
}

static xmlParserInputPtr sax_resolve_entity(void *ctx, const xmlChar *public_id,
                                            const xmlChar *system_id)
{
    return NULL;
}

xmlDocPtr tsp_read_tree(ts_parser *p)
{
    const unsigned char *u = (const unsigned char *)p->data;
    char b[32];
    if (p->len > p->opt.limits.max_file_bytes) {
        tsp_error(p, (ts_pos){0, 0}, "the file is %zu bytes; the cap is %s", p->len,
                  size_text(p->opt.limits.max_file_bytes, b, sizeof b));
        return NULL;
    }
    if (p->len == 0) {
        tsp_error(p, (ts_pos){1, 1},
                  "the file is empty: a round file holds <round format=\"1\" ...>");
        return NULL;
    }
    if (p->len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
                        (u[0] == 0 && u[1] == '<') || (u[0] == '<' && u[1] == 0))) {
        tsp_error(p, (ts_pos){1, 1},
                  "the file is UTF-16 (or UTF-32); round files must be UTF-8: save it as UTF-8");
        return NULL;
    }
    if (p->len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        /* The byte order mark is no character: positions count from after it. */
        p->data += 3;
        p->len -= 3;
    }
    bool chars_ok = check_characters(p);
    size_t k = 0;
    while (k < p->len && is_space((unsigned char)p->data[k]))
        k++;
    if (k == p->len) {
        tsp_error(p, (ts_pos){1, 1},
                  "the file holds only white space: a round file holds <round format=\"1\" ...>");
        return NULL;
    }
    if (!check_prolog(p) || !chars_ok || !check_attr_counts(p))
        return NULL;
    if (p->len > (size_t)0x7FFFFFFF) {
        tsp_error(p, (ts_pos){0, 0}, "the file is too large for the XML reader");
        return NULL;
    }

    pthread_once(&init_once, init_libxml);
    p->cursor.off = 0;
    p->cursor.line = p->cursor.col = 1;
    p->children_at_depth =
        ts_arena_calloc(p->scratch, (size_t)p->opt.limits.max_depth + 2, sizeof(size_t));
    if (p->children_at_depth == NULL) {
        tsp_oom(p);
        return NULL;
    }

    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        tsp_oom(p);
        return NULL;
    }
    ctxt->_private = p;
    xmlSAXHandlerPtr sax = ctxt->sax;
    sax->serror = on_xml_error;
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = sax_start;
    sax->endElementNs = sax_end;
    sax->characters = sax_characters;
    sax->ignorableWhitespace = sax_characters;
    sax->comment = sax_comment;
    sax->processingInstruction = sax_pi;
    sax->internalSubset = sax_internal_subset;
    sax->externalSubset = sax_internal_subset;
    sax->entityDecl = sax_entity_decl;
    sax->getEntity = sax_get_entity;
    sax->getParameterEntity = sax_get_entity;
    sax->resolveEntity = sax_resolve_entity;
    sax->reference = NULL;

    /* No NOENT, no DTDLOAD, no DTDATTR, no XINCLUDE: nothing is substituted or fetched.
     * IGNORE_ENC: the encoding was checked above, libxml2 reads the bytes as UTF-8. */
    int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC |
                  XML_PARSE_NOWARNING;
    xmlCtxtUseOptions(ctxt, options);
    ctxt->loadsubset = 0;
    ctxt->replaceEntities = 0;
    ctxt->validate = 0;
    ctxt->pedantic = 0;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, p->data, (int)p->len, p->file, NULL, options);
    /* xmlCtxtReadMemory resets the context; the handlers set above are kept (they live in
     * ctxt->sax), the options are applied again. */
    /* libxml2 marks a failed allocation in errNo, and may still hand back a document with
     * what it built before (a node or an attribute short). */
    if (ctxt->errNo == XML_ERR_NO_MEMORY)
        tsp_oom(p);
    bool failed = doc == NULL || !ctxt->wellFormed || p->stopped || p->out_of_memory ||
                  p->diags->errors > p->errors_at_start;
    /* The bytes are in memory already: no document and no error said means that libxml2 could
     * not allocate its input buffer or stream. */
    if (doc == NULL && p->diags->errors == p->errors_at_start)
        tsp_oom(p);
    xmlFreeParserCtxt(ctxt);
    if (failed) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}
