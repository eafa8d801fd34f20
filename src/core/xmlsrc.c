/* The bytes of an XML input: the attribute count of every start tag before libxml2 reads it,
 * and the places of the nodes while it does. */
#define _GNU_SOURCE /* memmem */
#include "core/xmlsrc.h"
#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

#include <libxml/SAX2.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool starts(const char *d, size_t n, size_t at, const char *lit)
{
    size_t l = strlen(lit);
    return at + l <= n && memcmp(d + at, lit, l) == 0;
}

/* The offset just past the first `end` at or after from, or n when there is none. */
static size_t past(const char *d, size_t n, size_t from, const char *end)
{
    size_t l = strlen(end);
    if (from >= n)
        return n;
    const char *hit = memmem(d + from, n - from, end, l);
    return hit ? (size_t)(hit - d) + l : n;
}

/* A name in a start tag, as far as this scan needs one: what libxml2 would not take as part
 * of a name ends it. */
static bool ends_name(char c)
{
    return is_space(c) || c == '=' || c == '>' || c == '/' || c == '<' || c == '"' || c == '\'';
}

size_t ts_xml_attr_floods(const char *data, size_t len, size_t max,
                          void (*flood)(void *ctx, size_t off, size_t n), void *ctx)
{
    size_t found = 0, i = 0;
    while (i < len) {
        const char *lt = memchr(data + i, '<', len - i);
        if (lt == NULL)
            break;
        i = (size_t)(lt - data);
        if (starts(data, len, i, "<!--")) {
            i = past(data, len, i + 4, "-->");
            continue;
        }
        if (starts(data, len, i, "<![CDATA[")) {
            i = past(data, len, i + 9, "]]>");
            continue;
        }
        if (starts(data, len, i, "<?")) {
            i = past(data, len, i + 2, "?>");
            continue;
        }
        if (starts(data, len, i, "<!") || starts(data, len, i, "</")) {
            i += 2;
            continue;
        }
        size_t k = i + 1, n = 0;
        while (k < len && !ends_name(data[k]))
            k++;
        for (;;) {
            /* name S? = S? "value", after white space, as libxml2 reads an attribute */
            size_t blank = k;
            while (k < len && is_space(data[k]))
                k++;
            if (k == blank || k >= len || ends_name(data[k]))
                break;
            while (k < len && !ends_name(data[k]))
                k++;
            while (k < len && is_space(data[k]))
                k++;
            if (k >= len || data[k] != '=')
                break;
            k++;
            while (k < len && is_space(data[k]))
                k++;
            if (k >= len || (data[k] != '"' && data[k] != '\''))
                break;
            char quote = data[k++];
            while (k < len && data[k] != quote && data[k] != '<')
                k++;
            n++;
            /* A '<' ends the value and the tag (libxml2 refuses it there and goes on from it). */
            if (k >= len || data[k] == '<')
                break;
            k++;
        }
        if (n > max) {
            flood(ctx, i, n);
            found++;
        }
        i = k > i ? k : i + 1;
    }
    return found;
}

/* ---- Positions ------------------------------------------------------------------------- */

ts_pos ts_pos_after(const char *data, size_t from, ts_pos at, size_t to)
{
    const unsigned char *d = (const unsigned char *)data;
    for (size_t i = from; i < to; i++) {
        if (d[i] == '\n') {
            at.line++;
            at.col = 1;
        } else if ((d[i] & 0xC0) != 0x80) {
            at.col++;
        }
    }
    return at;
}

/* Back to the file's start: after a byte order mark, which is no character of the first line. */
static void rewind_cursor(ts_text_cursor *c)
{
    bool bom = c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0;
    c->off = bom ? 3 : 0;
    c->pos = (ts_pos){1, 1};
}

void ts_text_cursor_init(ts_text_cursor *c, const char *data, size_t len)
{
    c->data = data;
    c->len = len;
    rewind_cursor(c);
}

ts_pos ts_text_cursor_at(ts_text_cursor *c, size_t off)
{
    if (off > c->len)
        off = c->len;
    if (off < c->off)
        rewind_cursor(c);
    if (off < c->off)
        return c->pos; /* inside the byte order mark */
    c->pos = ts_pos_after(c->data, c->off, c->pos, off);
    c->off = off;
    return c->pos;
}

size_t ts_xml_check_utf8(const char *data, size_t len)
{
    const unsigned char *d = (const unsigned char *)data;
    for (size_t i = 0; i < len;) {
        if (d[i] != 0 && d[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = ts_utf8_decode(d + i, len - i, &cp);
        if (n == 0 || cp == 0)
            return i;
        i += n;
    }
    return len;
}

/* ---- The handlers ---------------------------------------------------------------------- */

static size_t byte_offset(const ts_xml_src *s, xmlParserCtxtPtr ctxt)
{
    long c = xmlByteConsumed(ctxt);
    return c < 0 ? 0 : (size_t)c > s->len ? s->len : (size_t)c;
}

/* Counts n more nodes, the first at offset off; false (and the read stopped) past the cap. */
static bool count_nodes(ts_xml_src *s, xmlParserCtxtPtr ctxt, size_t n, size_t off)
{
    s->n_nodes += n;
    if (s->n_nodes <= s->max_nodes)
        return true;
    s->too_many = true;
    s->too_many_pos = ts_text_cursor_at(&s->cursor, off);
    xmlStopParser(ctxt);
    return false;
}

static bool record(ts_xml_src *s, xmlParserCtxtPtr ctxt, xmlNodePtr n, size_t off)
{
    ts_xml_place *pl = ts_vec_push(s->a, &s->places, sizeof *pl);
    if (pl == NULL) {
        s->out_of_memory = true;
        xmlStopParser(ctxt);
        return false;
    }
    pl->off = off;
    pl->pos = ts_text_cursor_at(&s->cursor, off);
    n->_private = (void *)(uintptr_t)s->places.len;
    return true;
}

static bool stopped(const ts_xml_src *s)
{
    return s->too_many || s->out_of_memory;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_xml_src *s = ctxt->_private;
    if (stopped(s))
        return;
    /* libxml2 calls this with the input at the start tag's closing '>' or "/>"; the tag's '<'
     * is the last one before it, since no '<' can stand inside a start tag. */
    size_t end = byte_offset(s, ctxt), lt = end;
    while (lt > 0 && s->data[lt - 1] != '<')
        lt--;
    lt = lt > 0 ? lt - 1 : 0;
    if (!count_nodes(s, ctxt, 1 + (size_t)nb_attributes + (size_t)nb_namespaces, lt))
        return;
    xmlNodePtr parent = ctxt->node;
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
    /* Out of memory, libxml2 makes no node (and the parent stays the current one). */
    if (ctxt->node == NULL || ctxt->node == parent || ctxt->node->type != XML_ELEMENT_NODE) {
        s->out_of_memory = true;
        xmlStopParser(ctxt);
        return;
    }
    if (!record(s, ctxt, ctxt->node, lt))
        return;
    size_t gt = end;
    while (gt < s->len && s->data[gt] != '>')
        gt++;
    s->last_markup_end = gt < s->len ? gt + 1 : gt;
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_xml_src *s = ctxt->_private;
    if (stopped(s))
        return;
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
    s->last_markup_end = byte_offset(s, ctxt);
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_xml_src *s = ctxt->_private;
    if (stopped(s))
        return;
    xmlNodePtr parent = ctxt->node;
    xmlNodePtr before = parent ? parent->last : NULL;
    xmlSAX2Characters(ctx, ch, len);
    if (parent == NULL)
        return;
    if (parent->last != before && parent->last != NULL && parent->last->type == XML_TEXT_NODE) {
        /* A new text node: it starts where the last markup ended; its place is its first
         * visible character, where a reader would look for it. */
        size_t k = s->last_markup_end;
        while (k < s->len && is_space(s->data[k]))
            k++;
        if (count_nodes(s, ctxt, 1, k))
            record(s, ctxt, parent->last, k);
    } else if (parent->last == before && (before == NULL || before->type != XML_TEXT_NODE)) {
        /* libxml2 could not store the text */
        s->out_of_memory = true;
        xmlStopParser(ctxt);
    }
}

static void markup_end(ts_xml_src *s, xmlParserCtxtPtr ctxt)
{
    s->last_markup_end = byte_offset(s, ctxt);
    /* libxml2 may call before or after the closing '>' of a comment or PI */
    if (s->last_markup_end < s->len && s->data[s->last_markup_end] == '>')
        s->last_markup_end++;
}

static void on_comment(void *ctx, const xmlChar *value)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_xml_src *s = ctxt->_private;
    if (stopped(s) || !count_nodes(s, ctxt, 1, s->last_markup_end))
        return;
    xmlSAX2Comment(ctx, value);
    markup_end(s, ctxt);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    xmlParserCtxtPtr ctxt = ctx;
    ts_xml_src *s = ctxt->_private;
    if (stopped(s) || !count_nodes(s, ctxt, 1, s->last_markup_end))
        return;
    xmlSAX2ProcessingInstruction(ctx, target, data);
    markup_end(s, ctxt);
}

void ts_xml_src_install(ts_xml_src *src, xmlParserCtxtPtr ctxt, const char *data, size_t len,
                        size_t max_nodes, ts_arena *a)
{
    memset(src, 0, sizeof *src);
    src->data = data;
    src->len = len;
    src->a = a;
    src->max_nodes = max_nodes;
    ts_text_cursor_init(&src->cursor, data, len);
    xmlSAXHandlerPtr sax = ctxt->sax;
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = on_start;
    sax->endElementNs = on_end;
    sax->characters = on_characters;
    sax->ignorableWhitespace = on_characters;
    sax->cdataBlock = NULL; /* with XML_PARSE_NOCDATA a CDATA section arrives as characters */
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;
}

/* ---- Places ---------------------------------------------------------------------------- */

static const ts_xml_place *place_of(const ts_xml_src *src, const xmlNode *n)
{
    uintptr_t i = n ? (uintptr_t)n->_private : 0;
    if (i == 0 || i > src->places.len)
        return NULL;
    return &((const ts_xml_place *)src->places.items)[i - 1];
}

ts_pos ts_xml_node_pos(const ts_xml_src *src, const xmlNode *n)
{
    for (; n != NULL; n = n->parent) {
        if (n->type != XML_ELEMENT_NODE && n->type != XML_TEXT_NODE &&
            n->type != XML_COMMENT_NODE && n->type != XML_PI_NODE && n->type != XML_ATTRIBUTE_NODE)
            break;
        const ts_xml_place *pl = place_of(src, n);
        if (pl != NULL)
            return pl->pos;
    }
    return (ts_pos){0, 0};
}

ts_pos ts_xml_attr_pos(const ts_xml_src *src, const xmlNode *n, const char *qname)
{
    const ts_xml_place *pl = n && n->type == XML_ELEMENT_NODE ? place_of(src, n) : NULL;
    if (pl == NULL)
        return ts_xml_node_pos(src, n);
    /* The start tag was well-formed, so a plain lexical walk over it is safe: a name, then
     * name = "value" pairs; values cannot hold '<' and their quotes are balanced. */
    const char *d = src->data;
    size_t k = pl->off + 1, end = src->len, qlen = strlen(qname);
    while (k < end && !is_space(d[k]) && d[k] != '>' && d[k] != '/')
        k++;
    for (;;) {
        while (k < end && is_space(d[k]))
            k++;
        if (k >= end || d[k] == '>' || d[k] == '/')
            break;
        size_t name = k;
        while (k < end && !is_space(d[k]) && d[k] != '=')
            k++;
        if (k - name == qlen && memcmp(d + name, qname, qlen) == 0)
            return ts_pos_after(d, pl->off, pl->pos, name);
        while (k < end && d[k] != '"' && d[k] != '\'')
            k++;
        if (k >= end)
            break;
        char q = d[k++];
        while (k < end && d[k] != q)
            k++;
        k++;
    }
    return pl->pos;
}
