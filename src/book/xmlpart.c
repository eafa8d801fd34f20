/* One XML part of a workbook, parsed as it is inflated: libxml2's push parser with SAX2
 * callbacks, so that a sheet of 64 MiB never stands in memory as a tree, and with every door
 * to the outside shut.  No DTD is loaded (no XML_PARSE_DTDLOAD), no entity substituted (no
 * XML_PARSE_NOENT), no network (XML_PARSE_NONET), and a DOCTYPE stops the parse in the
 * callback libxml2 makes before it reads the internal subset, so that no entity is declared or
 * expanded.  Errors go to our handler, never to stderr. */
#include "book/internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/globals.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/* Workbooks nest a dozen elements deep.  libxml2's push parser keeps no limit of its own, and
 * a part of "<a><a><a>..." would grow its stacks by tens of bytes per three bytes read. */
#define MAX_DEPTH 256

/* LibreOffice's root element carries 36 attributes (most of them namespaces), no element of a
 * workbook many more.  libxml2 2.9 looks for a duplicate among the attributes before it by
 * comparing with each (n² for n of them: 300,000 attributes in a 700 KB zip take minutes), so
 * the bytes are scanned for this before libxml2 sees them. */
#define MAX_ATTRIBUTES 256

/* libxml2 finds an element's namespace by walking back over every declaration in scope, for
 * each element and each prefixed attribute: declarations nested deep would make each step
 * cost thousands.  A workbook declares a few dozen, at its root. */
#define MAX_NAMESPACES 128

/* Where the scan for attributes is: in text, in a tag (and in a quoted value there), or in a
 * comment, CDATA section, processing instruction or declaration, whose "=" are no attributes. */
typedef enum scan_state {
    SCAN_TEXT,
    SCAN_LT,
    SCAN_TAG,
    SCAN_QUOTED,
    SCAN_BANG,
    SCAN_BANG_DASH,
    SCAN_COMMENT,
    SCAN_CDATA,
    SCAN_PI,
    SCAN_DECL,
} scan_state;

struct wbr_xml {
    wbr_ctx *c;
    int depth;
    unsigned namespaces;              /* declarations in scope */
    uint16_t declared[MAX_DEPTH + 2]; /* by each open element */
    const char *part;
    xmlParserCtxtPtr ctxt;
    xmlSAXHandler sax;
    const wbr_handler *h;
    void *user;
    bool stopped;
    bool said;
    uint64_t bytes;
    scan_state scan;
    char quote;     /* SCAN_QUOTED: the quote mark that ends the value */
    unsigned run;   /* "-" or "]" just seen in a comment or CDATA section, "?" in a PI */
    unsigned attrs; /* "=" in the current tag */
    struct {
        const xmlChar *uri;
        wbr_ns ns;
    } cache[8];
    unsigned cache_next;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

static const struct {
    const char *uri;
    wbr_ns ns;
} namespaces[] = {
    {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", WBR_NS_SML},
    {"http://purl.oclc.org/ooxml/spreadsheetml/main", WBR_NS_SML},
    {"http://schemas.openxmlformats.org/officeDocument/2006/relationships", WBR_NS_REL},
    {"http://purl.oclc.org/ooxml/officeDocument/relationships", WBR_NS_REL},
    {"http://schemas.openxmlformats.org/package/2006/relationships", WBR_NS_PKG_REL},
    {"urn:oasis:names:tc:opendocument:xmlns:office:1.0", WBR_NS_OFFICE},
    {"urn:oasis:names:tc:opendocument:xmlns:table:1.0", WBR_NS_TABLE},
    {"urn:oasis:names:tc:opendocument:xmlns:text:1.0", WBR_NS_TEXT},
    {"urn:oasis:names:tc:opendocument:xmlns:style:1.0", WBR_NS_STYLE},
    {"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0", WBR_NS_FO},
    {"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0", WBR_NS_NUMBER},
    {"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0", WBR_NS_CALCEXT},
    {"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0", WBR_NS_MANIFEST},
};

/* libxml2 hands out each namespace name from its dictionary, the same pointer every time: a
 * few remembered pointers spare the string comparisons. */
static wbr_ns ns_of(wbr_xml *x, const xmlChar *uri)
{
    if (uri == NULL)
        return WBR_NS_NONE;
    for (unsigned i = 0; i < 8; i++)
        if (x->cache[i].uri == uri)
            return x->cache[i].ns;
    wbr_ns ns = WBR_NS_OTHER;
    for (size_t i = 0; i < sizeof namespaces / sizeof *namespaces; i++)
        if (strcmp((const char *)uri, namespaces[i].uri) == 0) {
            ns = namespaces[i].ns;
            break;
        }
    x->cache[x->cache_next].uri = uri;
    x->cache[x->cache_next].ns = ns;
    x->cache_next = (x->cache_next + 1) % 8;
    return ns;
}

void wbr_xml_stop(wbr_xml *x)
{
    if (!x->stopped) {
        x->stopped = true;
        if (x->ctxt)
            xmlStopParser(x->ctxt);
    }
}

void wbr_xml_pos(wbr_xml *x, uint32_t *line, uint32_t *col)
{
    int l = x->ctxt ? xmlSAX2GetLineNumber(x->ctxt) : 0;
    int k = x->ctxt ? xmlSAX2GetColumnNumber(x->ctxt) : 0;
    *line = l > 0 ? (uint32_t)l : 0;
    *col = k > 0 ? (uint32_t)k : 0;
}

const char *wbr_xml_part(wbr_xml *x)
{
    return x->part;
}

/* ---- Attributes -------------------------------------------------------------------------- */

const char *wbr_attr(const wbr_attrs *at, wbr_ns ns, const char *name, size_t *len)
{
    for (int i = 0; i < at->n; i++) {
        const unsigned char **a = at->a + 5 * i;
        if (strcmp((const char *)a[0], name) == 0 && ns_of(at->x, a[2]) == ns) {
            *len = (size_t)(a[4] - a[3]);
            return (const char *)a[3];
        }
    }
    *len = 0;
    return NULL;
}

const char *wbr_attr_buf(const wbr_attrs *at, wbr_ns ns, const char *name, char *buf, size_t cap,
                         bool *truncated)
{
    size_t len;
    const char *v = wbr_attr(at, ns, name, &len);
    if (truncated)
        *truncated = v && len >= cap;
    if (v == NULL)
        return NULL;
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, v, len);
    buf[len] = '\0';
    return buf;
}

const char *wbr_attr_dup(const wbr_attrs *at, wbr_ns ns, const char *name, ts_arena *a, bool *oom)
{
    size_t len;
    const char *v = wbr_attr(at, ns, name, &len);
    if (v == NULL)
        return NULL;
    char *d = ts_arena_strndup(a, v, len);
    if (d == NULL)
        *oom = true;
    return d;
}

/* ---- SAX callbacks ----------------------------------------------------------------------- */

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces_, int nb_attributes,
                     int nb_defaulted, const xmlChar **attributes)
{
    wbr_xml *x = ctx;
    if (x->stopped || x->c->stop)
        return;
    if (++x->depth > MAX_DEPTH) {
        uint32_t line, col;
        wbr_xml_pos(x, &line, &col);
        wbr_part_error(x->c, x->part, line, col, "the part nests elements more than %d deep",
                       MAX_DEPTH);
        x->said = true;
        wbr_xml_stop(x);
        return;
    }
    x->declared[x->depth] = (uint16_t)(nb_namespaces > 0 ? nb_namespaces : 0);
    x->namespaces += x->declared[x->depth];
    if (x->namespaces > MAX_NAMESPACES) {
        uint32_t line, col;
        wbr_xml_pos(x, &line, &col);
        wbr_part_error(x->c, x->part, line, col,
                       "the part declares more than %d namespaces at once", MAX_NAMESPACES);
        x->said = true;
        wbr_xml_stop(x);
        return;
    }
    if (x->h->start) {
        wbr_attrs at = {attributes, nb_attributes, x};
        x->h->start(x->user, x, ns_of(x, uri), (const char *)localname, &at);
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
    wbr_xml *x = ctx;
    if (x->stopped || x->c->stop)
        return;
    x->namespaces -= x->declared[x->depth];
    x->depth--;
    if (x->h->end)
        x->h->end(x->user, x, ns_of(x, uri), (const char *)localname);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    wbr_xml *x = ctx;
    if (x->stopped || x->c->stop || len <= 0)
        return;
    if (x->h->text)
        x->h->text(x->user, x, (const char *)ch, (size_t)len);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
                       const xmlChar *system_id)
{
    wbr_xml *x = ctx;
    if (!x->stopped && !x->said) {
        uint32_t line, col;
        wbr_xml_pos(x, &line, &col);
        wbr_part_error(x->c, x->part, line, col,
                       "a DOCTYPE is not allowed in a workbook: no DTD or entity is read, and "
                       "nothing outside the workbook");
        x->said = true;
    }
    wbr_xml_stop(x);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    wbr_xml_stop(ctx);
}

static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
    return NULL;
}

static xmlParserInputPtr on_resolve_entity(void *ctx, const xmlChar *public_id,
                                           const xmlChar *system_id)
{
    return NULL;
}

/* libxml2's message as one line, without its line end. */
static void one_line(const char *m, char *out, size_t cap)
{
    size_t n = 0;
    for (; m && *m && n + 1 < cap; m++)
        out[n++] = *m == '\n' || *m == '\r' ? ' ' : *m;
    while (n > 0 && out[n - 1] == ' ')
        n--;
    out[n] = '\0';
}

static void say_bad_xml(wbr_xml *x, uint32_t line, uint32_t col, const char *why)
{
    if (x->said || x->stopped)
        return;
    x->said = true;
    wbr_part_error(x->c, x->part, line, col, "the part is not well-formed XML: %s", why);
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    wbr_xml *x = ctx;
    if (x == NULL || e == NULL || e->level == XML_ERR_WARNING || x->said || x->stopped)
        return;
    if (e->code == XML_ERR_NO_MEMORY) {
        x->said = true;
        wbr_oom(x->c);
        return;
    }
    char msg[200];
    one_line(e->message ? e->message : "unknown error", msg, sizeof msg);
    say_bad_xml(x, e->line > 0 ? (uint32_t)e->line : 0, e->int2 > 0 ? (uint32_t)e->int2 : 0, msg);
}

/* What libxml2 says without a parser context (the encoding and I/O layers, and a few words
 * of xmlParseChunk itself) goes to the thread's error handlers: while a part is parsed they
 * are these, so that nothing reaches stderr and the part is refused at the right place. */
static void on_unplaced_error(void *ctx, xmlErrorPtr e)
{
    wbr_xml *x = ctx;
    if (e == NULL || e->level == XML_ERR_WARNING || x->said || x->stopped)
        return;
    char msg[200];
    one_line(e->message, msg, sizeof msg);
    uint32_t line, col;
    wbr_xml_pos(x, &line, &col);
    say_bad_xml(x, line, col, msg[0] ? msg : "its characters cannot be read");
}

static void on_generic_error(void *ctx, const char *fmt, ...)
{
    wbr_xml *x = ctx;
    if (x->said || x->stopped)
        return;
    char raw[200], msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    one_line(raw, msg, sizeof msg);
    uint32_t line, col;
    wbr_xml_pos(x, &line, &col);
    say_bad_xml(x, line, col, msg[0] ? msg : "libxml2 failed");
}

/* ---- Feeding ----------------------------------------------------------------------------- */

/* Scans a chunk for a tag of more than MAX_ATTRIBUTES attributes; false (said) when one is. */
static bool scan_attributes(wbr_xml *x, const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        char ch = *p;
        switch (x->scan) {
        case SCAN_TEXT: {
            const char *lt = memchr(p, '<', (size_t)(end - p));
            if (lt == NULL)
                return true;
            p = lt + 1;
            x->scan = SCAN_LT;
            continue;
        }
        case SCAN_LT:
            if (ch == '!') {
                x->scan = SCAN_BANG;
            } else if (ch == '?') {
                x->scan = SCAN_PI;
                x->run = 0;
            } else {
                x->scan = SCAN_TAG;
                x->attrs = 0;
                continue; /* the character is the tag's */
            }
            break;
        case SCAN_TAG:
            if (ch == '"' || ch == '\'') {
                x->quote = ch;
                x->scan = SCAN_QUOTED;
            } else if (ch == '>') {
                x->scan = SCAN_TEXT;
            } else if (ch == '=' && ++x->attrs > MAX_ATTRIBUTES) {
                if (!x->said) {
                    x->said = true;
                    wbr_part_error(x->c, x->part, 0, 0,
                                   "an element of the part has more than %d attributes",
                                   MAX_ATTRIBUTES);
                }
                return false;
            }
            break;
        case SCAN_QUOTED: {
            const char *q = memchr(p, x->quote, (size_t)(end - p));
            if (q == NULL)
                return true;
            p = q + 1;
            x->scan = SCAN_TAG;
            continue;
        }
        case SCAN_BANG:
            x->scan = ch == '-' ? SCAN_BANG_DASH : ch == '[' ? SCAN_CDATA : SCAN_DECL;
            x->run = 0;
            break;
        case SCAN_BANG_DASH:
            x->scan = ch == '-' ? SCAN_COMMENT : SCAN_DECL;
            x->run = 0;
            break;
        case SCAN_COMMENT:
        case SCAN_CDATA: {
            char mark = x->scan == SCAN_COMMENT ? '-' : ']';
            if (ch == '>' && x->run >= 2)
                x->scan = SCAN_TEXT;
            x->run = ch == mark ? x->run + 1 : 0;
            break;
        }
        case SCAN_PI:
            if (ch == '>' && x->run)
                x->scan = SCAN_TEXT;
            x->run = ch == '?';
            break;
        case SCAN_DECL:
            if (ch == '>')
                x->scan = SCAN_TEXT;
            break;
        }
        p++;
    }
    return true;
}

/* After a chunk: libxml2 can halt on a fault it reports nowhere but in its return value (an
 * encoding it cannot convert), and then the part must not pass for read whole. */
static bool chunk_done(wbr_xml *x, int err)
{
    if (err != 0 && !x->said && !x->stopped && !x->c->stop) {
        if (err == XML_ERR_NO_MEMORY) {
            x->said = true;
            wbr_oom(x->c);
        } else {
            uint32_t line, col;
            wbr_xml_pos(x, &line, &col);
            char why[64];
            snprintf(why, sizeof why,
                     err == XML_ERR_INVALID_ENCODING ? "its characters cannot be read"
                                                     : "libxml2 error %d",
                     err);
            say_bad_xml(x, line, col, why);
        }
    }
    return err == 0 && !x->stopped && !x->said && !x->c->stop;
}

static bool feed(void *user, const char *data, size_t len)
{
    wbr_xml *x = user;
    if (x->stopped || x->c->stop || !scan_attributes(x, data, len))
        return false;
    x->bytes += len;
    /* libxml2 takes an int per chunk; the zip hands out 64 KiB at a time */
    if (x->ctxt == NULL) {
        x->ctxt = xmlCreatePushParserCtxt(&x->sax, x, data, (int)len, x->part);
        if (x->ctxt == NULL) {
            if (!x->said) {
                x->said = true;
                wbr_oom(x->c);
            }
            return false;
        }
        /* No NOENT, no DTDLOAD, no DTDATTR, no XINCLUDE, no HUGE (libxml2's own limits on a
         * name, a text and the depth stay) */
        xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING);
        x->ctxt->replaceEntities = 0;
        x->ctxt->loadsubset = 0;
        x->ctxt->validate = 0;
        return !x->stopped && !x->said && !x->c->stop;
    }
    return chunk_done(x, xmlParseChunk(x->ctxt, data, (int)len, 0));
}

int wbr_xml_parse(wbr_ctx *c, const char *part, const wbr_handler *h, void *user)
{
    pthread_once(&init_once, init_libxml);
    wbr_xml x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.part = part;
    x.h = h;
    x.user = user;
    x.sax.initialized = XML_SAX2_MAGIC;
    x.sax.startElementNs = on_start;
    x.sax.endElementNs = on_end;
    x.sax.characters = on_text;
    x.sax.cdataBlock = on_text;
    x.sax.ignorableWhitespace = on_text;
    x.sax.internalSubset = on_doctype;
    x.sax.externalSubset = on_doctype;
    x.sax.entityDecl = on_entity_decl;
    x.sax.getEntity = on_get_entity;
    x.sax.getParameterEntity = on_get_entity;
    x.sax.resolveEntity = on_resolve_entity;
    x.sax.serror = on_error;
    /* The thread's own handlers, put back when the part is done (libxml2 2.9 keeps them per
     * thread, so no other thread is touched). */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(&x, on_generic_error);
    xmlSetStructuredErrorFunc(&x, on_unplaced_error);
    int r = wbr_zip_read(c, part, feed, &x);
    if (r == 1 && x.ctxt == NULL) {
        wbr_part_error(c, part, 0, 0, "the part is empty: it should hold XML");
        r = -1;
    }
    if (r == 1) {
        bool whole = chunk_done(&x, xmlParseChunk(x.ctxt, NULL, 0, 1));
        if (!whole || !x.ctxt->wellFormed) {
            if (!x.said && !x.stopped && !c->stop)
                say_bad_xml(&x, 0, 0, "it ends too early");
            r = -1;
        }
    }
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    if (x.ctxt) {
        xmlFreeDoc(x.ctxt->myDoc);
        xmlFreeParserCtxt(x.ctxt);
    }
    return r;
}
