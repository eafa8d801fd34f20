/* The round file parser: the tree libxml2 built (parser_input.c) -> ts_round.  It checks the
 * skeleton of round-format.md as input/round-1.xsd does, with messages that say what is
 * allowed, and then what XSD cannot say: references of the right kind, forecast rounds,
 * existing dates, text beside blocks.  Every problem is reported; the walk goes on after one. */
#define _POSIX_C_SOURCE 200809L

#include "round/parser.h"
#include "core/fileio.h"
#include "core/utf8.h"
#include "round/rules.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "round/parser_internal.h"

void ts_parse_limits_default(ts_parse_limits *l)
{
    l->max_file_bytes = 64u * 1024 * 1024;
    l->max_depth = 256;
    l->max_text_bytes = 8u * 1024 * 1024;
    l->max_id_bytes = 65536;
    l->max_attr_bytes = 65536;
    l->max_list_items = 1000000;
}

void ts_parse_options_default(ts_parse_options *o)
{
    memset(o, 0, sizeof *o);
    ts_parse_limits_default(&o->limits);
}

/* ---- Small helpers ----------------------------------------------------------------------- */

enum { UNIT_MAX_CHARS = 32, SHORT_MAX_CHARS = TS_SHORT_NAME_MAX };

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool all_ws(const char *s)
{
    for (; s && *s; s++)
        if (!is_ws((unsigned char)*s))
            return false;
    return true;
}

static const char *name_of(const xmlNode *n)
{
    return (const char *)n->name;
}

static bool is_elem(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns == NULL && strcmp(name_of(n), name) == 0;
}

/* A value as it may be quoted in a message: at most 60 characters, cut on a character. */
static const char *shown(ts_parser *p, const char *s)
{
    ts_rules r;
    ts_rules_init(&r, p->file, p->diags, p->scratch, p->arena, "file", false);
    return ts_rules_shown(&r, s);
}

static const char *nearest(const char *word, const char *const *cands, size_t n)
{
    return ts_nearest(word, cands, n);
}

/* "<a>, <b>, <c>" or "'a', 'b'" */
static const char *join_names(ts_parser *p, const char *const *names, size_t n, const char *open,
                              const char *close)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(names[i]) + strlen(open) + strlen(close) + 2;
    char *s = ts_arena_alloc(p->scratch, len);
    if (s == NULL)
        return "";
    char *w = s;
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "%s%s%s%s", i ? ", " : "", open, names[i], close);
    *w = '\0';
    return s;
}

static const char *trim(ts_parser *p, const char *s)
{
    while (is_ws((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_ws((unsigned char)s[n - 1]))
        n--;
    return ts_arena_strndup(p->scratch, s, n);
}

/* ---- Attributes -------------------------------------------------------------------------- */

typedef struct attr_rule {
    const char *name; /* "xml:lang" for the one namespaced attribute */
    bool required;
} attr_rule;

/* True when a is the attribute `qname` ("id", or "xml:lang" for the one namespaced one),
 * compared without building a's qualified name. */
static bool attr_is(const xmlAttr *a, const char *qname)
{
    const char *local = (const char *)a->name;
    const char *prefix = a->ns != NULL ? (const char *)a->ns->prefix : NULL;
    if (prefix == NULL)
        return strcmp(local, qname) == 0;
    size_t pl = strlen(prefix);
    return strncmp(qname, prefix, pl) == 0 && qname[pl] == ':' &&
           strcmp(qname + pl + 1, local) == 0;
}

/* a's qualified name as written, for a message. */
static const char *attr_qname(ts_parser *p, const xmlAttr *a)
{
    if (a->ns == NULL || a->ns->prefix == NULL)
        return (const char *)a->name;
    const char *q = ts_arena_printf(p->scratch, "%s:%s", a->ns->prefix, a->name);
    return q ? q : (const char *)a->name;
}

/* Refuses every attribute of n outside rules and reports each required one that is missing.
 * The attributes are visited once, in the order of the start tag, and each unknown one is
 * found in the tag from where the one before it was (the cost stays linear in the tag); past
 * the cap on messages nothing but the count is worked out. */
static void check_attrs(ts_parser *p, const xmlNode *n, const attr_rule *rules, size_t nr)
{
    const char *names[8];
    for (size_t i = 0; i < nr && i < 8; i++)
        names[i] = rules[i].name;
    bool have[8] = {false};
    tsp_attr_cursor cur = tsp_attr_cursor_at(p, n);
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        bool known = false;
        for (size_t i = 0; i < nr && !known; i++)
            if (attr_is(a, rules[i].name))
                known = have[i] = true;
        if (known)
            continue;
        if (ts_diag_full(p->diags, p->file, TS_ERROR)) {
            tsp_error(p, (ts_pos){0, 0}, "unknown attribute");
            continue;
        }
        const char *q = attr_qname(p, a);
        const char *near = nearest(q, names, nr);
        ts_pos at = tsp_attr_pos_next(p, &cur, q);
        if (nr == 0)
            tsp_error(p, at, "unknown attribute '%s' on <%s>: it takes no attributes", shown(p, q),
                      name_of(n));
        else
            tsp_error(p, at, "unknown attribute '%s' on <%s>; allowed: %s%s%s%s", shown(p, q),
                      name_of(n), join_names(p, names, nr, "", ""), near ? " (did you mean '" : "",
                      near ? near : "", near ? "'?)" : "");
    }
    for (size_t i = 0; i < nr; i++)
        if (rules[i].required && !have[i])
            tsp_error(p, tsp_node_pos(p, n), "<%s> lacks the required attribute '%s'", name_of(n),
                      rules[i].name);
}

/* The attribute's value with white space trimmed (as XSD collapses it), or NULL when absent. */
static const char *attr(ts_parser *p, const xmlNode *n, const char *qname)
{
    const xmlAttr *a = NULL;
    if (strcmp(qname, "xml:lang") == 0)
        a = xmlHasNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE);
    else
        a = xmlHasNsProp(n, BAD_CAST qname, NULL);
    if (a == NULL)
        return NULL;
    xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
    /* NULL is an empty value only when there is no text: otherwise libxml2 ran out of memory. */
    const char *r = v == NULL && a->children != NULL ? NULL : trim(p, v ? (const char *)v : "");
    xmlFree(v);
    if (r == NULL)
        tsp_oom(p);
    return r;
}

static bool parse_uint(const char *s, long max, long *out)
{
    long v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        v = v * 10 + (*s - '0');
        if (v > max * 10 + 9)
            v = max * 10 + 9;
    }
    *out = v;
    return true;
}

/* A whole number in [lo, hi]; reports at the attribute and returns false otherwise. */
static bool int_attr(ts_parser *p, const xmlNode *n, const char *qname, long lo, long hi, long *out)
{
    const char *v = attr(p, n, qname);
    if (v == NULL)
        return false;
    long x;
    if (!parse_uint(v, hi, &x)) {
        tsp_error(p, tsp_attr_pos(p, n, qname), "%s=\"%s\" on <%s> is not a whole number %ld–%ld",
                  qname, shown(p, v), name_of(n), lo, hi);
        return false;
    }
    if (x < lo || x > hi) {
        tsp_error(p, tsp_attr_pos(p, n, qname), "%s=\"%s\" on <%s> is out of range %ld–%ld", qname,
                  shown(p, v), name_of(n), lo, hi);
        return false;
    }
    *out = x;
    return true;
}

/* xs:decimal: an optional sign, digits, an optional fraction; no exponent, no NaN. */
static bool parse_decimal(const char *s, double *out)
{
    const char *t = s;
    if (*t == '+' || *t == '-')
        t++;
    size_t digits = 0;
    while (*t >= '0' && *t <= '9')
        t++, digits++;
    if (*t == '.') {
        t++;
        while (*t >= '0' && *t <= '9')
            t++, digits++;
    }
    if (*t != '\0' || digits == 0)
        return false;
    *out = strtod(s, NULL);
    return true;
}

static bool decimal_attr(ts_parser *p, const xmlNode *n, const char *qname, bool ranged, double lo,
                         double hi, double *out)
{
    const char *v = attr(p, n, qname);
    if (v == NULL)
        return false;
    double x;
    if (!parse_decimal(v, &x)) {
        tsp_error(p, tsp_attr_pos(p, n, qname),
                  "%s=\"%s\" on <%s> is not a decimal number (write e.g. 70 or 12.5)", qname,
                  shown(p, v), name_of(n));
        return false;
    }
    if (ranged && (x < lo || x > hi)) {
        tsp_error(p, tsp_attr_pos(p, n, qname), "%s=\"%s\" on <%s> is out of range %g–%g", qname,
                  shown(p, v), name_of(n), lo, hi);
        return false;
    }
    *out = x;
    return true;
}

/* One of the names; reports the allowed ones (and the nearest) otherwise. */
static int enum_attr(ts_parser *p, const xmlNode *n, const char *qname, const char *const *names,
                     size_t nn)
{
    const char *v = attr(p, n, qname);
    if (v == NULL)
        return -1;
    for (size_t i = 0; i < nn; i++)
        if (strcmp(v, names[i]) == 0)
            return (int)i;
    const char *near = nearest(v, names, nn);
    tsp_error(p, tsp_attr_pos(p, n, qname), "%s=\"%s\" on <%s> is not allowed; allowed: %s%s%s%s",
              qname, shown(p, v), name_of(n), join_names(p, names, nn, "", ""),
              near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
    return -1;
}

static bool bool_attr(ts_parser *p, const xmlNode *n, const char *qname, bool dflt)
{
    static const char *const names[] = {"false", "true"};
    int v = enum_attr(p, n, qname, names, 2);
    return v < 0 ? dflt : v == 1;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* "YYYY-MM-DD", or also "YYYY-MM" when year_month is allowed.  NULL when fine, else what is
 * wrong. */
static const char *parse_date(ts_parser *p, const char *s, bool year_month, ts_date *d)
{
    size_t n = strlen(s);
    bool shape = (n == 10 || (year_month && n == 7)) && s[4] == '-' && (n == 7 || s[7] == '-');
    for (size_t i = 0; shape && i < n; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            shape = false;
    if (!shape)
        return year_month ? "write YYYY-MM-DD or YYYY-MM" : "write YYYY-MM-DD";
    d->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    d->month = (s[5] - '0') * 10 + (s[6] - '0');
    d->day = n == 10 ? (s[8] - '0') * 10 + (s[9] - '0') : 0;
    if (d->year < 1)
        return "the year 0000 does not exist";
    if (d->month < 1 || d->month > 12)
        return "there is no such month";
    if (n == 10 && (d->day < 1 || d->day > days_in_month(d->year, d->month))) {
        const char *r = ts_arena_printf(p->scratch, "%04d-%02d has %d days", d->year, d->month,
                                        days_in_month(d->year, d->month));
        return r ? r : "there is no such day";
    }
    return NULL;
}

/* ---- Ids and references ------------------------------------------------------------------ */

typedef struct walk {
    ts_parser *p;
    ts_round *r;
    ts_rules rules; /* the ids, and the rules every reader of a round keeps (rules.h) */
} walk;

/* Registers an id; reports a malformed or repeated one.  Returns the stored copy, or NULL. */
static const char *take_id(walk *w, const xmlNode *n, ts_id_kind kind, const void *object)
{
    ts_parser *p = w->p;
    const char *id = attr(p, n, "id");
    if (id == NULL)
        return NULL;
    return ts_rules_take_id(&w->rules, id, kind, object, tsp_attr_pos(p, n, "id"));
}

/* The object that `qname` of n names, which must be of `kind`. */
static const void *resolve(walk *w, const xmlNode *n, const char *qname, ts_id_kind kind)
{
    ts_parser *p = w->p;
    const char *v = attr(p, n, qname);
    if (v == NULL)
        return NULL;
    const char *written = ts_arena_printf(p->scratch, "%s=\"%s\"", qname, shown(p, v));
    return ts_rules_resolve(&w->rules, v, kind, tsp_attr_pos(p, n, qname), written ? written : v);
}

/* ---- Children ---------------------------------------------------------------------------- */

typedef struct child_rule {
    const char *name;
    unsigned min, max; /* max 0: any number */
} child_rule;

/* Where each element of the format belongs, for the hint on a misplaced one. */
static const char *home_of(const char *name)
{
    static const char *const homes[][2] = {
        {"organization", "round"},
        {"city", "organization"},
        {"division", "organization"},
        {"themes", "round"},
        {"theme", "themes"},
        {"programmes", "round"},
        {"programme", "programmes"},
        {"goal", "round"},
        {"summary", "round"},
        {"statement", "goal"},
        {"description", "goal"},
        {"measure", "goal"},
        {"name", "measure"},
        {"owner", "measure"},
        {"manager", "measure"},
        {"preparer", "measure"},
        {"objective", "measure"},
        {"target", "measure"},
        {"comment", "measure"},
        {"note", "measure"},
        {"link", "measure"},
        {"scale", "target"},
        {"task", "target"},
        {"phase", "scale"},
        {"detail", "task"},
        {"theme-actions", "summary"},
        {"programme-actions", "summary"},
        {"action", "theme-actions or <programme-actions"},
        {"indicator", "theme-actions"},
        {"li", "ul> or <ol"},
    };
    for (size_t i = 0; i < sizeof homes / sizeof homes[0]; i++)
        if (strcmp(homes[i][0], name) == 0)
            return homes[i][1];
    return NULL;
}

/* Elements of HTML that people write out of habit, and what a round file says instead. */
static const char *html_hint(const char *name)
{
    static const char *const hints[][2] = {
        {"br", "a round file keeps no line breaks (white space is folded as in HTML): start a "
               "new <p> for a new paragraph, or make a list of <li>"},
        {"strong", "write <b> for bold"},
        {"em", "write <i> for italic"},
        {"u", "a round file has no underline: write <b> or <i>"},
        {"span", "write the text itself, with <b>, <i> or <a href> where it needs them"},
        {"font", "the layout file sets the fonts: write the text itself, with <b> or <i>"},
        {"div", "write <p> for a paragraph"},
        {"h1", "a text has no headings: write <p><b>…</b></p>"},
        {"h2", "a text has no headings: write <p><b>…</b></p>"},
        {"h3", "a text has no headings: write <p><b>…</b></p>"},
        {"h4", "a text has no headings: write <p><b>…</b></p>"},
        {"table", "a text holds no tables: write a list of <li>"},
        {"img", "a round file holds no images"},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(hints[i][0], name) == 0)
            return hints[i][1];
    return NULL;
}

static void unknown_element(ts_parser *p, const xmlNode *child, const xmlNode *parent,
                            const char *const *allowed, size_t n_allowed, const char *extra)
{
    const char *name = name_of(child);
    const char *qname = name;
    if (child->ns && child->ns->prefix)
        qname = ts_arena_printf(p->scratch, "%s:%s", child->ns->prefix, name);
    if (qname == NULL)
        qname = name;
    const char *near = child->ns ? NULL : nearest(name, allowed, n_allowed);
    const char *home = child->ns ? NULL : home_of(name);
    const char *list = n_allowed ? join_names(p, allowed, n_allowed, "<", ">") : "no elements";
    ts_pos at = tsp_node_pos(p, child);
    const char *html = child->ns ? NULL : html_hint(name);
    if (html != NULL)
        tsp_error(p, at, "<%s> is not allowed in <%s>: %s", name, name_of(parent), html);
    else if (child->ns != NULL)
        tsp_error(p, at,
                  "element <%s> is in a namespace; round files use no namespace (allowed in "
                  "<%s>: %s)",
                  shown(p, qname), name_of(parent), list);
    else if (home != NULL && near == NULL)
        tsp_error(p, at, "<%s> is not allowed in <%s>%s; allowed here: %s; <%s> belongs in <%s>",
                  name, name_of(parent), extra ? extra : "", list, name, home);
    else
        tsp_error(p, at, "unknown element <%s> in <%s>%s; allowed here: %s%s%s%s", shown(p, name),
                  name_of(parent), extra ? extra : "", list, near ? " (did you mean <" : "",
                  near ? near : "", near ? ">?)" : "");
}

/* Checks the element children of n against a sequence (the skeleton's order), and that no
 * text stands between them. */
static void check_children(ts_parser *p, const xmlNode *n, const child_rule *rules, size_t nr)
{
    unsigned count[24] = {0};
    const char *names[24] = {0};
    for (size_t i = 0; i < nr; i++)
        names[i] = rules[i].name;
    size_t state = 0;
    bool text_reported = false;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (!text_reported && !all_ws((const char *)c->content)) {
                if (nr == 0)
                    tsp_error(p, tsp_node_pos(p, c), "<%s> must be empty", name_of(n));
                else
                    tsp_error(p, tsp_node_pos(p, c),
                              "text is not allowed directly in <%s>; it holds only elements (%s)",
                              name_of(n), join_names(p, names, nr, "<", ">"));
                text_reported = true;
            }
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        size_t k = nr;
        if (c->ns == NULL)
            for (size_t i = 0; i < nr; i++)
                if (strcmp(name_of(c), rules[i].name) == 0) {
                    k = i;
                    break;
                }
        if (k == nr) {
            unknown_element(p, c, n, names, nr, NULL);
            continue;
        }
        count[k]++;
        if (k < state) {
            tsp_error(p, tsp_node_pos(p, c),
                      "<%s> is out of order in <%s>: it must come before <%s>", rules[k].name,
                      name_of(n), rules[state].name);
            continue;
        }
        state = k;
        if (rules[k].max && count[k] > rules[k].max)
            tsp_error(p, tsp_node_pos(p, c), "<%s> may appear only once in <%s>", rules[k].name,
                      name_of(n));
    }
    for (size_t i = 0; i < nr; i++)
        if (count[i] < rules[i].min)
            tsp_error(p, tsp_node_pos(p, n), "<%s> lacks the required <%s>", name_of(n),
                      rules[i].name);
}

static const xmlNode *first_child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_elem(c, name))
            return c;
    return NULL;
}

static size_t count_children(const xmlNode *n, const char *name)
{
    size_t k = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        k += is_elem(c, name);
    return k;
}

#define FOR_CHILD(c, parent, name)                                                                 \
    for (const xmlNode *c = (parent)->children; c; c = c->next)                                    \
        if (is_elem(c, name))

/* Records the model part that element n was built into: a comment beside n belongs to it
 * (ts_comment.element). */
static void bind(ts_parser *p, const xmlNode *n, const void *element)
{
    uintptr_t i = n ? (uintptr_t)n->_private : 0;
    if (i > 0 && i <= p->places.len)
        ((ts_node_place *)p->places.items)[i - 1].element = element;
}

static const void *bound_to(const ts_parser *p, const xmlNode *n)
{
    uintptr_t i = n && n->type == XML_ELEMENT_NODE ? (uintptr_t)n->_private : 0;
    return i > 0 && i <= p->places.len ? ((const ts_node_place *)p->places.items)[i - 1].element
                                       : NULL;
}

/* ---- Text: inline and blocks ------------------------------------------------------------- */

typedef struct run_draft {
    size_t start, len;
    unsigned style;
    const char *href;
    ts_pos pos;
} run_draft;

typedef struct inline_draft {
    ts_vec buf;  /* char */
    ts_vec runs; /* run_draft */
    bool too_long;
} inline_draft;

static bool same_href(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool emit(ts_parser *p, inline_draft *d, const char *s, size_t n, unsigned style,
                 const char *href, ts_pos pos)
{
    run_draft *last = d->runs.len ? (run_draft *)d->runs.items + d->runs.len - 1 : NULL;
    if (last == NULL || last->style != style || !same_href(last->href, href)) {
        last = ts_vec_push(p->scratch, &d->runs, sizeof *last);
        if (last == NULL)
            return false;
        last->start = d->buf.len;
        last->style = style;
        last->href = href;
        last->pos = pos;
    }
    if (!ts_vec_append(p->scratch, &d->buf, s, n, 1))
        return false;
    last->len += n;
    return true;
}

/* Appends text folded as HTML folds it: a stretch of white space becomes one space, kept in the
 * run where it began; none at the very start. */
static bool fold_text(ts_parser *p, inline_draft *d, const char *s, unsigned style,
                      const char *href, ts_pos pos)
{
    while (*s) {
        if (is_ws((unsigned char)*s)) {
            while (is_ws((unsigned char)*s))
                s++;
            const char *b = d->buf.items;
            if (d->buf.len > 0 && b[d->buf.len - 1] != ' ' && !emit(p, d, " ", 1, style, href, pos))
                return false;
            continue;
        }
        const char *e = s;
        while (*e && !is_ws((unsigned char)*e))
            e++;
        if (!emit(p, d, s, (size_t)(e - s), style, href, pos))
            return false;
        s = e;
    }
    return true;
}

static const char *const inline_names[] = {"b", "i", "a"};

static bool is_block_name(const char *name)
{
    return strcmp(name, "p") == 0 || strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0;
}

/* Collects the inline content of the nodes [first, stop). */
static void collect_inline(ts_parser *p, inline_draft *d, const xmlNode *owner,
                           const xmlNode *first, const xmlNode *stop, unsigned style,
                           const char *href)
{
    for (const xmlNode *c = first; c && c != stop; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            const char *s = (const char *)c->content;
            if (s == NULL)
                continue;
            if (d->buf.len + strlen(s) > p->opt.limits.max_text_bytes) {
                if (!d->too_long)
                    tsp_error(p, tsp_node_pos(p, c),
                              "the text of <%s> is longer than %zu bytes, the cap", name_of(owner),
                              p->opt.limits.max_text_bytes);
                d->too_long = true;
                continue;
            }
            if (!fold_text(p, d, s, style, href, tsp_node_pos(p, c)))
                tsp_oom(p);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *name = name_of(c);
        if (c->ns == NULL && strcmp(name, "b") == 0) {
            check_attrs(p, c, NULL, 0);
            collect_inline(p, d, owner, c->children, NULL, style | TS_RUN_BOLD, href);
        } else if (c->ns == NULL && strcmp(name, "i") == 0) {
            check_attrs(p, c, NULL, 0);
            collect_inline(p, d, owner, c->children, NULL, style | TS_RUN_ITALIC, href);
        } else if (c->ns == NULL && strcmp(name, "a") == 0) {
            static const attr_rule rules[] = {{"href", true}};
            check_attrs(p, c, rules, 1);
            const char *h = attr(p, c, "href");
            const char *kept = h ? ts_arena_strdup(p->arena, h) : href;
            if (h && kept == NULL)
                tsp_oom(p);
            collect_inline(p, d, owner, c->children, NULL, style, kept ? kept : href);
        } else if (c->ns == NULL && (is_block_name(name) || strcmp(name, "li") == 0)) {
            tsp_error(p, tsp_node_pos(p, c),
                      "<%s> is not allowed in <%s>: it holds inline text only (text, <b>, <i>, "
                      "<a href>)",
                      name, name_of(c->parent));
        } else {
            unknown_element(p, c, c->parent, inline_names, 3, " (inline text)");
        }
    }
}

static ts_inline finish_inline(ts_parser *p, inline_draft *d, ts_pos pos)
{
    ts_inline in = {NULL, 0, pos};
    char *b = d->buf.items;
    if (d->buf.len > 0 && b[d->buf.len - 1] == ' ') {
        run_draft *last = (run_draft *)d->runs.items + d->runs.len - 1;
        d->buf.len--;
        if (--last->len == 0)
            d->runs.len--;
    }
    if (d->runs.len == 0)
        return in;
    ts_run *runs = ts_arena_calloc(p->arena, d->runs.len, sizeof *runs);
    if (runs == NULL) {
        tsp_oom(p);
        return in;
    }
    const run_draft *rd = d->runs.items;
    for (size_t i = 0; i < d->runs.len; i++) {
        char *t = ts_arena_strndup(p->arena, b + rd[i].start, rd[i].len);
        if (t == NULL) {
            tsp_oom(p);
            return in;
        }
        runs[i] = (ts_run){t, rd[i].len, rd[i].style, rd[i].href, rd[i].pos};
    }
    in.runs = runs;
    in.n_runs = d->runs.len;
    return in;
}

static inline_draft draft_begin(ts_parser *p)
{
    inline_draft d = {p->draft_chars, p->draft_runs, false};
    d.buf.len = d.runs.len = 0;
    return d;
}

static ts_inline draft_end(ts_parser *p, inline_draft *d, ts_pos pos)
{
    ts_inline in = finish_inline(p, d, pos);
    p->draft_chars = d->buf;
    p->draft_runs = d->runs;
    return in;
}

static ts_inline inline_range(ts_parser *p, const xmlNode *owner, const xmlNode *first,
                              const xmlNode *stop)
{
    inline_draft d = draft_begin(p);
    collect_inline(p, &d, owner, first, stop, 0, NULL);
    return draft_end(p, &d, tsp_node_pos(p, owner));
}

static ts_inline inline_of(ts_parser *p, const xmlNode *n)
{
    return inline_range(p, n, n->children, NULL);
}

/* Plain text (city, division, people): no markup at all.  `empty`, when not NULL, says what to
 * write in an element that must hold text and holds none. */
static const char *plain_of(ts_parser *p, const xmlNode *n, const char *empty)
{
    size_t errors = p->diags->errors;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            tsp_error(p, tsp_node_pos(p, c), "<%s> is not allowed in <%s>: it holds plain text",
                      name_of(c), name_of(n));
    inline_draft d = draft_begin(p);
    for (const xmlNode *c = n->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content &&
            !fold_text(p, &d, (const char *)c->content, 0, NULL, tsp_node_pos(p, c)))
            tsp_oom(p);
    ts_inline in = draft_end(p, &d, tsp_node_pos(p, n));
    char *s = ts_inline_text(p->arena, &in);
    if (s == NULL)
        tsp_oom(p);
    else if (*s == '\0' && empty != NULL && p->diags->errors == errors && !p->out_of_memory)
        tsp_error(p, tsp_node_pos(p, n), "<%s> holds no text: %s", name_of(n), empty);
    return s ? s : "";
}

static const ts_block *list_block(ts_parser *p, const xmlNode *n);
static void fill_list(ts_parser *p, const xmlNode *n, ts_block *b);

static ts_list_item list_item(ts_parser *p, const xmlNode *li)
{
    ts_list_item it = {{NULL, 0, tsp_node_pos(p, li)}, NULL, tsp_node_pos(p, li)};
    check_attrs(p, li, NULL, 0);
    const xmlNode *sub = NULL;
    for (const xmlNode *c = li->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns == NULL &&
            (strcmp(name_of(c), "ul") == 0 || strcmp(name_of(c), "ol") == 0)) {
            sub = c;
            break;
        }
    it.text = inline_range(p, li, li->children, sub);
    if (sub == NULL)
        return it;
    it.sublist = list_block(p, sub);
    for (const xmlNode *c = sub->next; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            const char *name = name_of(c);
            if (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0)
                tsp_error(p, tsp_node_pos(p, c),
                          "an <li> holds at most one nested list; put <%s> in an <li> of its own",
                          name);
            else
                tsp_error(p, tsp_node_pos(p, c),
                          "<%s> after the nested list in <li>: an <li> holds its text first, "
                          "then at most one nested <ul> or <ol>",
                          name);
            break;
        }
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            !all_ws((const char *)c->content)) {
            tsp_error(p, tsp_node_pos(p, c),
                      "text after the nested list in <li>: an <li> holds its text first, then "
                      "at most one nested <ul> or <ol>");
            break;
        }
    }
    return it;
}

/* A nested list, in a block of its own. */
static const ts_block *list_block(ts_parser *p, const xmlNode *n)
{
    ts_block *b = ts_arena_calloc(p->arena, 1, sizeof *b);
    if (b == NULL) {
        tsp_oom(p);
        return NULL;
    }
    fill_list(p, n, b);
    return b;
}

static void fill_list(ts_parser *p, const xmlNode *n, ts_block *b)
{
    check_attrs(p, n, NULL, 0);
    bind(p, n, b);
    b->kind = strcmp(name_of(n), "ol") == 0 ? TS_BLOCK_OL : TS_BLOCK_UL;
    b->pos = tsp_node_pos(p, n);
    static const char *const li_only[] = {"li"};
    size_t n_items = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            if (is_elem(c, "li"))
                n_items++;
            else
                unknown_element(p, c, n, li_only, 1, NULL);
        } else if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
                   !all_ws((const char *)c->content)) {
            tsp_error(p, tsp_node_pos(p, c), "text directly in <%s>: put it in an <li>",
                      name_of(n));
        }
    }
    if (n_items == 0) {
        tsp_error(p, b->pos, "<%s> holds no <li>", name_of(n));
        return;
    }
    ts_list_item *items = ts_arena_calloc(p->arena, n_items, sizeof *items);
    if (items == NULL) {
        tsp_oom(p);
        return;
    }
    size_t k = 0;
    FOR_CHILD(c, n, "li")
    {
        bind(p, c, &items[k]);
        items[k++] = list_item(p, c);
    }
    b->items = items;
    b->n_items = k;
}

/* Blocks: either bare inline text (one paragraph) or <p>, <ul>, <ol> with nothing beside. */
static ts_blocks blocks_of(ts_parser *p, const xmlNode *n)
{
    ts_blocks bl = {NULL, 0, true, tsp_node_pos(p, n)};
    bool has_blocks = false;
    size_t n_blocks = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns == NULL && is_block_name(name_of(c))) {
            has_blocks = true;
            n_blocks++;
        }
    if (!has_blocks) {
        ts_inline in = inline_of(p, n);
        if (in.n_runs == 0)
            return bl;
        ts_block *b = ts_arena_calloc(p->arena, 1, sizeof *b);
        if (b == NULL) {
            tsp_oom(p);
            return bl;
        }
        b->kind = TS_BLOCK_P;
        b->text = in;
        b->pos = in.runs[0].pos;
        bl.blocks = b;
        bl.n = 1;
        return bl;
    }
    ts_block *blocks = ts_arena_calloc(p->arena, n_blocks, sizeof *blocks);
    if (blocks == NULL) {
        tsp_oom(p);
        return bl;
    }
    static const char *const block_names[] = {"p", "ul", "ol"};
    bool text_reported = false;
    size_t k = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (!text_reported && !all_ws((const char *)c->content)) {
                tsp_error(p, tsp_node_pos(p, c),
                          "text beside a <p>, <ul> or <ol> in <%s>: an element holds either "
                          "bare text or blocks, never both; wrap the text in a <p>",
                          name_of(n));
                text_reported = true;
            }
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *name = name_of(c);
        if (c->ns == NULL && strcmp(name, "p") == 0) {
            check_attrs(p, c, NULL, 0);
            bind(p, c, &blocks[k]);
            blocks[k].kind = TS_BLOCK_P;
            blocks[k].text = inline_of(p, c);
            blocks[k].pos = tsp_node_pos(p, c);
            k++;
        } else if (c->ns == NULL && (strcmp(name, "ul") == 0 || strcmp(name, "ol") == 0)) {
            fill_list(p, c, &blocks[k++]);
        } else if (c->ns == NULL &&
                   (strcmp(name, "b") == 0 || strcmp(name, "i") == 0 || strcmp(name, "a") == 0)) {
            tsp_error(p, tsp_node_pos(p, c),
                      "inline <%s> beside a <p>, <ul> or <ol> in <%s>: an element holds either "
                      "bare text or blocks, never both; put it inside a <p>",
                      name, name_of(n));
        } else {
            unknown_element(p, c, n, block_names, 3, " (blocks)");
        }
    }
    bl.blocks = blocks;
    bl.n = k;
    return bl;
}

static void optional_blocks(ts_parser *p, const xmlNode *parent, const char *name, ts_blocks *dst)
{
    const xmlNode *c = first_child(parent, name);
    if (c == NULL) {
        *dst = (ts_blocks){NULL, 0, false, {0, 0}};
        return;
    }
    check_attrs(p, c, NULL, 0);
    bind(p, c, dst);
    *dst = blocks_of(p, c);
}

/* The inline text of an element that must hold some (round-format.md): an empty one is
 * refused at its place, and `empty` says what to write there. */
static ts_inline text_of(ts_parser *p, const xmlNode *n, const char *empty)
{
    size_t errors = p->diags->errors;
    ts_inline in = inline_of(p, n);
    /* A text whose markup was refused is not also called empty. */
    if (in.n_runs == 0 && p->diags->errors == errors && !p->out_of_memory)
        tsp_error(p, tsp_node_pos(p, n), "<%s> holds no text: %s", name_of(n), empty);
    return in;
}

static void required_inline(ts_parser *p, const xmlNode *parent, const char *name, ts_inline *dst,
                            const char *empty)
{
    const xmlNode *c = first_child(parent, name);
    if (c == NULL) {
        *dst = (ts_inline){NULL, 0, tsp_node_pos(p, parent)};
        return;
    }
    check_attrs(p, c, NULL, 0);
    bind(p, c, dst);
    *dst = text_of(p, c, empty);
}

static size_t inline_chars(const ts_inline *in)
{
    return ts_inline_cell_chars(in);
}

static size_t blocks_chars(const ts_blocks *bl)
{
    return ts_blocks_cell_chars(bl);
}

static void lint_cell(walk *w, size_t chars, ts_pos pos, const char *what)
{
    ts_rules_lint_cell(&w->rules, chars, pos, what);
}

/* ---- The round --------------------------------------------------------------------------- */

static void build_themes(walk *w, const xmlNode *themes)
{
    ts_parser *p = w->p;
    bind(p, themes, &w->r->themes);
    static const child_rule rules[] = {{"theme", 1, 0}};
    check_attrs(p, themes, NULL, 0);
    check_children(p, themes, rules, 1);
    size_t n = count_children(themes, "theme");
    ts_theme *t = n ? ts_arena_calloc(p->arena, n, sizeof *t) : NULL;
    if (n && t == NULL) {
        tsp_oom(p);
        return;
    }
    size_t k = 0;
    FOR_CHILD(c, themes, "theme")
    {
        static const attr_rule ar[] = {{"id", true}};
        check_attrs(p, c, ar, 1);
        bind(p, c, &t[k]);
        t[k].id = take_id(w, c, TS_ID_THEME, &t[k]);
        t[k].name = text_of(p, c, "write the theme's name");
        t[k].pos = tsp_node_pos(p, c);
        k++;
    }
    w->r->themes = t;
    w->r->n_themes = k;
}

static void build_programmes(walk *w, const xmlNode *progs)
{
    ts_parser *p = w->p;
    bind(p, progs, &w->r->programmes);
    static const child_rule rules[] = {{"programme", 0, 0}};
    check_attrs(p, progs, NULL, 0);
    check_children(p, progs, rules, 1);
    size_t n = count_children(progs, "programme");
    ts_programme *t = n ? ts_arena_calloc(p->arena, n, sizeof *t) : NULL;
    if (n && t == NULL) {
        tsp_oom(p);
        return;
    }
    static const char *const kinds[] = {"city-project", "joint-theme", "separate-programme"};
    size_t k = 0;
    FOR_CHILD(c, progs, "programme")
    {
        static const attr_rule ar[] = {{"id", true}, {"kind", true}};
        check_attrs(p, c, ar, 2);
        bind(p, c, &t[k]);
        t[k].id = take_id(w, c, TS_ID_PROGRAMME, &t[k]);
        int kind = enum_attr(p, c, "kind", kinds, 3);
        t[k].kind = kind < 0 ? TS_PROGRAMME_CITY_PROJECT : (ts_programme_kind)kind;
        t[k].name = text_of(p, c, "write the programme's name");
        t[k].pos = tsp_node_pos(p, c);
        k++;
    }
    w->r->programmes = t;
    w->r->n_programmes = k;
}

static ts_person *people(walk *w, const xmlNode *m, const char *name, size_t *n_out)
{
    ts_parser *p = w->p;
    size_t n = count_children(m, name);
    *n_out = 0;
    if (n == 0)
        return NULL;
    ts_person *ps = ts_arena_calloc(p->arena, n, sizeof *ps);
    if (ps == NULL) {
        tsp_oom(p);
        return NULL;
    }
    size_t k = 0;
    FOR_CHILD(c, m, name)
    {
        check_attrs(p, c, NULL, 0);
        bind(p, c, &ps[k]);
        ps[k].name = plain_of(p, c, "write one person's name, or leave the element out");
        ps[k].pos = tsp_node_pos(p, c);
        k++;
    }
    *n_out = k;
    return ps;
}

static void build_scale(walk *w, ts_target *t, const xmlNode *s)
{
    ts_parser *p = w->p;
    static const attr_rule ar[] = {{"from", true}, {"to", true}};
    static const child_rule cr[] = {{"phase", 0, 0}};
    check_attrs(p, s, ar, 2);
    check_children(p, s, cr, 1);
    ts_scale *sc = ts_arena_calloc(p->arena, 1, sizeof *sc);
    if (sc == NULL) {
        tsp_oom(p);
        return;
    }
    sc->pos = tsp_node_pos(p, s);
    bind(p, s, sc);
    const char *labels[2] = {attr(p, s, "from"), attr(p, s, "to")};
    ts_inline *dst[2] = {&sc->from, &sc->to};
    for (int i = 0; i < 2; i++) {
        inline_draft d = draft_begin(p);
        ts_pos at = tsp_attr_pos(p, s, i ? "to" : "from");
        if (labels[i] && !fold_text(p, &d, labels[i], 0, NULL, at))
            tsp_oom(p);
        *dst[i] = draft_end(p, &d, at);
    }
    size_t n = count_children(s, "phase");
    ts_phase *ph = n ? ts_arena_calloc(p->arena, n, sizeof *ph) : NULL;
    if (n && ph == NULL) {
        tsp_oom(p);
        return;
    }
    size_t k = 0;
    FOR_CHILD(c, s, "phase")
    {
        static const attr_rule par[] = {{"at", true}};
        check_attrs(p, c, par, 1);
        bind(p, c, &ph[k]);
        decimal_attr(p, c, "at", true, 0, 100, &ph[k].at);
        ph[k].label = inline_of(p, c);
        ph[k].pos = tsp_node_pos(p, c);
        k++;
    }
    sc->phases = ph;
    sc->n_phases = k;
    t->scale = sc;
}

static void build_task(walk *w, ts_task *t, const xmlNode *n)
{
    ts_parser *p = w->p;
    static const attr_rule ar[] = {{"status", true}, {"progress", false}};
    static const child_rule cr[] = {{"title", 1, 1}, {"detail", 0, 1}};
    static const char *const statuses[] = {"todo", "doing", "done"};
    check_attrs(p, n, ar, 2);
    check_children(p, n, cr, 2);
    t->pos = tsp_node_pos(p, n);
    bind(p, n, t);
    int s = enum_attr(p, n, "status", statuses, 3);
    t->status = s < 0 ? TS_TASK_TODO : (ts_task_status)s;
    long prog;
    t->progress = -1;
    if (int_attr(p, n, "progress", 0, 100, &prog))
        t->progress = (int)prog;
    required_inline(p, n, "title", &t->title, "write the task's title");
    optional_blocks(p, n, "detail", &t->detail);
    lint_cell(w, blocks_chars(&t->detail), t->detail.pos, "the task's detail");
}

static void build_target(walk *w, ts_target *t, const xmlNode *n)
{
    ts_parser *p = w->p;
    static const attr_rule ar[] = {{"id", false}};
    static const child_rule cr[] = {
        {"title", 1, 1}, {"scale", 0, 1}, {"task", 0, 0}, {"forecast", 0, 1}, {"risks", 0, 1}};
    check_attrs(p, n, ar, 1);
    check_children(p, n, cr, 5);
    t->pos = tsp_node_pos(p, n);
    bind(p, n, t);
    if (xmlHasNsProp(n, BAD_CAST "id", NULL))
        t->id = take_id(w, n, TS_ID_TARGET, t);
    required_inline(p, n, "title", &t->title, "write the target's title");
    const xmlNode *s = first_child(n, "scale");
    if (s)
        build_scale(w, t, s);
    size_t nt = count_children(n, "task");
    ts_task *tasks = nt ? ts_arena_calloc(p->arena, nt, sizeof *tasks) : NULL;
    if (nt && tasks == NULL) {
        tsp_oom(p);
        return;
    }
    size_t k = 0;
    FOR_CHILD(c, n, "task")
    build_task(w, &tasks[k++], c);
    t->tasks = tasks;
    t->n_tasks = k;
    optional_blocks(p, n, "forecast", &t->forecast);
    optional_blocks(p, n, "risks", &t->risks);
    ts_rules_lint_target(&w->rules, t);
}

/* @unit of a forecast or a level: short text, NULL when absent. */
static const char *unit_attr(ts_parser *p, const xmlNode *n)
{
    const char *unit = attr(p, n, "unit");
    if (unit == NULL)
        return NULL;
    if (ts_utf8_count(unit, strlen(unit)) > UNIT_MAX_CHARS)
        tsp_error(p, tsp_attr_pos(p, n, "unit"),
                  "unit=\"%s\" is longer than %d characters: a unit is short (\"%%\", \"kpl\")",
                  shown(p, unit), UNIT_MAX_CHARS);
    const char *copy = ts_arena_strdup(p->arena, unit);
    if (copy == NULL)
        tsp_oom(p);
    return copy;
}

static void build_forecast(walk *w, ts_measure *m, ts_forecast *f, const xmlNode *n)
{
    ts_parser *p = w->p;
    static const attr_rule ar[] = {
        {"round", true}, {"status", true}, {"value", false}, {"unit", false}};
    static const char *const statuses[] = {"on-track", "achieved", "at-risk", "off-track"};
    check_attrs(p, n, ar, 4);
    f->pos = tsp_node_pos(p, n);
    bind(p, n, f);
    long round;
    if (int_attr(p, n, "round", 1, 3, &round)) {
        f->round = (int)round;
        ts_rules_forecast_round(&w->rules, m, f, (int)round, w->r->number,
                                tsp_attr_pos(p, n, "round"));
    }
    int s = enum_attr(p, n, "status", statuses, 4);
    f->status = s < 0 ? TS_STATUS_NONE : (ts_status)(s + 1);
    if (xmlHasNsProp(n, BAD_CAST "value", NULL))
        f->has_value = decimal_attr(p, n, "value", false, 0, 0, &f->value);
    f->unit = unit_attr(p, n);
    f->text = blocks_of(p, n);
    if (f->has_value)
        ts_rules_lint_percent(&w->rules, f->value, f->unit, tsp_attr_pos(p, n, "value"));
    lint_cell(w, blocks_chars(&f->text), f->pos, "the forecast's text");
}

static void build_level(walk *w, ts_measure *m, const xmlNode *n)
{
    ts_parser *p = w->p;
    static const attr_rule ar[] = {{"value", true}, {"unit", false}};
    check_attrs(p, n, ar, 2);
    check_children(p, n, NULL, 0);
    ts_level *l = ts_arena_calloc(p->arena, 1, sizeof *l);
    if (l == NULL) {
        tsp_oom(p);
        return;
    }
    l->pos = tsp_node_pos(p, n);
    bind(p, n, l);
    bool has_value = decimal_attr(p, n, "value", false, 0, 0, &l->value);
    l->unit = unit_attr(p, n);
    m->level = l;
    if (has_value)
        ts_rules_lint_percent(&w->rules, l->value, l->unit, tsp_attr_pos(p, n, "value"));
}

static void build_measure(walk *w, ts_measure *m, const xmlNode *n)
{
    ts_parser *p = w->p;
    static const attr_rule ar[] = {{"id", true}, {"recovery", false}};
    static const child_rule cr[] = {
        {"name", 1, 1},    {"text", 1, 1},     {"date", 0, 1},      {"owner", 0, 0},
        {"manager", 0, 0}, {"preparer", 0, 0}, {"objective", 0, 1}, {"level", 0, 1},
        {"target", 0, 0},  {"forecast", 0, 0}, {"comment", 0, 1},   {"risks", 0, 1},
        {"note", 0, 0},    {"link", 0, 0},
    };
    check_attrs(p, n, ar, 2);
    check_children(p, n, cr, sizeof cr / sizeof cr[0]);
    m->pos = tsp_node_pos(p, n);
    bind(p, n, m);
    m->id = take_id(w, n, TS_ID_MEASURE, m);
    m->recovery = bool_attr(p, n, "recovery", false);
    required_inline(p, n, "name", &m->name, "write the measure's name (the title of its deck)");
    const xmlNode *text = first_child(n, "text");
    if (text) {
        check_attrs(p, text, NULL, 0);
        bind(p, text, &m->text);
        m->text = blocks_of(p, text);
        lint_cell(w, blocks_chars(&m->text), m->text.pos, "the measure's text");
    }
    const xmlNode *date = first_child(n, "date");
    if (date) {
        check_attrs(p, date, NULL, 0);
        bind(p, date, &m->date);
        const char *v = plain_of(p, date, NULL);
        const char *why = parse_date(p, v, true, &m->date);
        if (why)
            tsp_error(p, tsp_node_pos(p, date), "<date>%s</date> is not a date: %s", shown(p, v),
                      why);
        else
            m->has_date = true;
    }
    m->owners = people(w, n, "owner", &m->n_owners);
    m->managers = people(w, n, "manager", &m->n_managers);
    m->preparers = people(w, n, "preparer", &m->n_preparers);
    optional_blocks(p, n, "objective", &m->objective);
    const xmlNode *level = first_child(n, "level");
    if (level)
        build_level(w, m, level);

    size_t nt = count_children(n, "target");
    ts_target *targets = nt ? ts_arena_calloc(p->arena, nt, sizeof *targets) : NULL;
    size_t nf = count_children(n, "forecast");
    ts_forecast *fc = nf ? ts_arena_calloc(p->arena, nf, sizeof *fc) : NULL;
    size_t nn = count_children(n, "note");
    ts_blocks *notes = nn ? ts_arena_calloc(p->arena, nn, sizeof *notes) : NULL;
    size_t nl = count_children(n, "link");
    const ts_programme **links = nl ? ts_arena_calloc(p->arena, nl, sizeof *links) : NULL;
    if ((nt && !targets) || (nf && !fc) || (nn && !notes) || (nl && !links)) {
        tsp_oom(p);
        return;
    }
    size_t k = 0;
    FOR_CHILD(c, n, "target")
    build_target(w, &targets[k++], c);
    m->targets = targets;
    m->n_targets = k;
    k = 0;
    FOR_CHILD(c, n, "forecast")
    build_forecast(w, m, &fc[k++], c);
    m->forecasts = fc;
    m->n_forecasts = k;
    optional_blocks(p, n, "comment", &m->comment);
    lint_cell(w, blocks_chars(&m->comment), m->comment.pos, "the comment");
    optional_blocks(p, n, "risks", &m->risks);
    k = 0;
    FOR_CHILD(c, n, "note")
    {
        check_attrs(p, c, NULL, 0);
        bind(p, c, &notes[k]);
        notes[k++] = blocks_of(p, c);
    }
    m->notes = notes;
    m->n_notes = k;
    k = 0;
    FOR_CHILD(c, n, "link")
    {
        static const attr_rule lar[] = {{"ref", true}};
        check_attrs(p, c, lar, 1);
        check_children(p, c, NULL, 0);
        const ts_programme *pr = resolve(w, c, "ref", TS_ID_PROGRAMME);
        if (pr) {
            bind(p, c, &links[k]);
            links[k++] = pr;
        }
    }
    m->links = links;
    m->n_links = k;

    ts_rules_lint_measure(&w->rules, w->r->number, m);
}

static void build_goal(walk *w, ts_goal *g, const xmlNode *n)
{
    ts_parser *p = w->p;
    static const attr_rule ar[] = {{"id", true}, {"theme", true}};
    static const child_rule cr[] = {{"statement", 1, 1}, {"description", 0, 1}, {"measure", 1, 0}};
    check_attrs(p, n, ar, 2);
    check_children(p, n, cr, 3);
    g->pos = tsp_node_pos(p, n);
    bind(p, n, g);
    g->id = take_id(w, n, TS_ID_GOAL, g);
    g->theme = resolve(w, n, "theme", TS_ID_THEME);
    required_inline(p, n, "statement", &g->statement, "write the goal in one sentence");
    optional_blocks(p, n, "description", &g->description);
    lint_cell(w, inline_chars(&g->statement) + 1 + blocks_chars(&g->description), g->pos,
              "the goal's statement and description");
    size_t nm = count_children(n, "measure");
    ts_measure *ms = nm ? ts_arena_calloc(p->arena, nm, sizeof *ms) : NULL;
    if (nm && ms == NULL) {
        tsp_oom(p);
        return;
    }
    size_t k = 0;
    FOR_CHILD(c, n, "measure")
    {
        ms[k].goal = g;
        ms[k].index = w->r->n_measures++;
        build_measure(w, &ms[k++], c);
    }
    g->measures = ms;
    g->n_measures = k;
}

static ts_blocks *actions(walk *w, const xmlNode *n, size_t *n_out)
{
    ts_parser *p = w->p;
    size_t na = count_children(n, "action");
    *n_out = 0;
    ts_blocks *a = na ? ts_arena_calloc(p->arena, na, sizeof *a) : NULL;
    if (na && a == NULL) {
        tsp_oom(p);
        return NULL;
    }
    size_t k = 0;
    FOR_CHILD(c, n, "action")
    {
        check_attrs(p, c, NULL, 0);
        bind(p, c, &a[k]);
        a[k++] = blocks_of(p, c);
    }
    *n_out = k;
    return a;
}

static void build_summary(walk *w, const xmlNode *n)
{
    ts_parser *p = w->p;
    static const child_rule cr[] = {{"theme-actions", 0, 0}, {"programme-actions", 0, 0}};
    check_attrs(p, n, NULL, 0);
    check_children(p, n, cr, 2);
    ts_summary *s = ts_arena_calloc(p->arena, 1, sizeof *s);
    size_t nt = count_children(n, "theme-actions"), np = count_children(n, "programme-actions");
    ts_theme_actions *ta = nt ? ts_arena_calloc(p->arena, nt, sizeof *ta) : NULL;
    ts_programme_actions *pa = np ? ts_arena_calloc(p->arena, np, sizeof *pa) : NULL;
    if (s == NULL || (nt && !ta) || (np && !pa)) {
        tsp_oom(p);
        return;
    }
    s->pos = tsp_node_pos(p, n);
    bind(p, n, s);
    size_t k = 0;
    FOR_CHILD(c, n, "theme-actions")
    {
        static const attr_rule ar[] = {{"theme", true}};
        static const child_rule tcr[] = {{"action", 1, 0}, {"indicator", 0, 0}};
        ts_theme_actions *t = &ta[k++];
        check_attrs(p, c, ar, 1);
        check_children(p, c, tcr, 2);
        t->pos = tsp_node_pos(p, c);
        bind(p, c, t);
        t->theme = resolve(w, c, "theme", TS_ID_THEME);
        t->actions = actions(w, c, &t->n_actions);
        size_t ni = count_children(c, "indicator");
        ts_indicator *ind = ni ? ts_arena_calloc(p->arena, ni, sizeof *ind) : NULL;
        if (ni && ind == NULL) {
            tsp_oom(p);
            return;
        }
        size_t j = 0;
        FOR_CHILD(ic, c, "indicator")
        {
            static const attr_rule iar[] = {{"binding", false}};
            check_attrs(p, ic, iar, 1);
            bind(p, ic, &ind[j]);
            ind[j].binding = bool_attr(p, ic, "binding", false);
            ind[j].text = blocks_of(p, ic);
            ind[j].pos = tsp_node_pos(p, ic);
            j++;
        }
        t->indicators = ind;
        t->n_indicators = j;
    }
    s->theme_actions = ta;
    s->n_theme_actions = k;
    k = 0;
    FOR_CHILD(c, n, "programme-actions")
    {
        static const attr_rule ar[] = {{"ref", true}};
        static const child_rule pcr[] = {{"action", 1, 0}};
        ts_programme_actions *a = &pa[k++];
        check_attrs(p, c, ar, 1);
        check_children(p, c, pcr, 1);
        a->pos = tsp_node_pos(p, c);
        bind(p, c, a);
        a->programme = resolve(w, c, "ref", TS_ID_PROGRAMME);
        a->actions = actions(w, c, &a->n_actions);
    }
    s->programme_actions = pa;
    s->n_programme_actions = k;
    w->r->summary = s;
}

static void build_round(walk *w, const xmlNode *root)
{
    ts_parser *p = w->p;
    ts_round *r = w->r;
    r->pos = tsp_node_pos(p, root);
    bind(p, root, r);
    if (root->ns != NULL) {
        tsp_error(p, r->pos,
                  "the root element <%s> is in the namespace \"%s\"; round files use no "
                  "namespace: remove the xmlns",
                  shown(p, name_of(root)), shown(p, (const char *)root->ns->href));
        return;
    }
    if (strcmp(name_of(root), "round") != 0) {
        tsp_error(p, r->pos, "the root element is <%s>; a round file's root is <round>",
                  shown(p, name_of(root)));
        return;
    }
    static const attr_rule ar[] = {
        {"format", true}, {"year", true}, {"number", true}, {"date", true}, {"xml:lang", true}};
    static const child_rule cr[] = {
        {"organization", 1, 1}, {"title", 0, 1}, {"subtitle", 0, 1}, {"themes", 1, 1},
        {"programmes", 0, 1},   {"goal", 1, 0},  {"summary", 0, 1},
    };
    check_attrs(p, root, ar, 5);
    const char *format = attr(p, root, "format");
    if (format != NULL && strcmp(format, "1") != 0) {
        tsp_error(p, tsp_attr_pos(p, root, "format"),
                  "format=\"%s\" is not supported: this program reads format=\"1\"",
                  shown(p, format));
        return; /* a later format may mean anything: checking it against version 1 would mislead */
    }
    r->format = 1;
    check_children(p, root, cr, sizeof cr / sizeof cr[0]);
    long v;
    if (int_attr(p, root, "year", 2000, 2100, &v))
        r->year = (int)v;
    if (int_attr(p, root, "number", 1, 3, &v))
        r->number = (int)v;
    const char *date = attr(p, root, "date");
    if (date) {
        const char *why = parse_date(p, date, false, &r->date);
        if (why)
            tsp_error(p, tsp_attr_pos(p, root, "date"), "date=\"%s\" is not a date: %s",
                      shown(p, date), why);
    }
    const char *const langs[] = {ts_lang_name(TS_LANG_FI), ts_lang_name(TS_LANG_SV),
                                 ts_lang_name(TS_LANG_EN)};
    int lang = enum_attr(p, root, "xml:lang", langs, 3);
    r->lang = lang < 0 ? TS_LANG_FI : (ts_lang)lang;

    const xmlNode *org = first_child(root, "organization");
    r->city = r->division = "";
    if (org) {
        static const child_rule ocr[] = {{"city", 1, 1}, {"division", 1, 1}};
        check_attrs(p, org, NULL, 0);
        check_children(p, org, ocr, 2);
        const xmlNode *city = first_child(org, "city"), *div = first_child(org, "division");
        if (city) {
            check_attrs(p, city, NULL, 0);
            bind(p, city, &r->city);
            r->city = plain_of(p, city, "write the city's name");
        }
        if (div) {
            static const attr_rule dar[] = {{"short", false}};
            check_attrs(p, div, dar, 1);
            bind(p, div, &r->division);
            r->division = plain_of(p, div, "write the division's full name");
            const char *s = attr(p, div, "short");
            size_t chars = s ? ts_utf8_count(s, strlen(s)) : 0;
            if (chars > SHORT_MAX_CHARS) {
                /* It names the output files, whose names the system limits (255 bytes). */
                tsp_error(p, tsp_attr_pos(p, div, "short"),
                          "short=\"%s\" on <division> has %zu characters; the short name, which "
                          "names the output files, has at most %d",
                          shown(p, s), chars, SHORT_MAX_CHARS);
                s = NULL;
            }
            if (s) {
                r->division_short = ts_arena_strdup(p->arena, s);
                if (r->division_short == NULL)
                    tsp_oom(p);
            }
        }
    }
    const xmlNode *t = first_child(root, "title");
    if (t) {
        check_attrs(p, t, NULL, 0);
        bind(p, t, &r->title);
        r->title = inline_of(p, t);
    }
    t = first_child(root, "subtitle");
    if (t) {
        check_attrs(p, t, NULL, 0);
        bind(p, t, &r->subtitle);
        r->subtitle = inline_of(p, t);
    }
    /* Themes and programmes first, wherever they stand, so that references resolve. */
    t = first_child(root, "themes");
    if (t)
        build_themes(w, t);
    t = first_child(root, "programmes");
    if (t)
        build_programmes(w, t);
    size_t ng = count_children(root, "goal");
    ts_goal *goals = ng ? ts_arena_calloc(p->arena, ng, sizeof *goals) : NULL;
    if (ng && goals == NULL) {
        tsp_oom(p);
        return;
    }
    size_t k = 0;
    FOR_CHILD(c, root, "goal")
    build_goal(w, &goals[k++], c);
    r->goals = goals;
    r->n_goals = k;
    t = first_child(root, "summary");
    if (t)
        build_summary(w, t);
}

/* ---- Comments ---------------------------------------------------------------------------- */

/* Where the comments between two elements belong (TS_COMMENT_*), or nothing. */
typedef struct anchor {
    const void *element;
    ts_comment_place place;
} anchor;

/* Comments between the elements `before` and `after` (either may be NULL) belong before
 * `after`, else after `before`, else where the comments of their parent go (`outer`): inside
 * it, or, for an element the model does not hold (<organization>, <b>), where it stands. */
static anchor gap_anchor(const ts_parser *p, const xmlNode *before, const xmlNode *after,
                         anchor outer)
{
    const void *e;
    if (after && (e = bound_to(p, after)) != NULL)
        return (anchor){e, TS_COMMENT_BEFORE};
    if (before && (e = bound_to(p, before)) != NULL)
        return (anchor){e, TS_COMMENT_AFTER};
    return outer;
}

static const xmlNode *next_element(const xmlNode *n)
{
    for (n = n->next; n && n->type != XML_ELEMENT_NODE; n = n->next)
        ;
    return n;
}

/* The comments among the nodes from `first` on (siblings), and inside them, in file order.
 * One pass: each gap between elements is walked once to place its comments, and once more
 * only to find the element after an element the model does not hold. */
static void collect_comments(walk *w, const xmlNode *first, anchor outer, ts_vec *comments)
{
    ts_parser *p = w->p;
    const xmlNode *prev = NULL, *gap = first;
    for (const xmlNode *n = first;; n = n->next) {
        if (n != NULL && n->type != XML_ELEMENT_NODE)
            continue;
        anchor a = gap_anchor(p, prev, n, outer);
        for (const xmlNode *c = gap; c != n; c = c->next) {
            if (c->type != XML_COMMENT_NODE || a.element == NULL)
                continue;
            ts_comment *slot = ts_vec_push(p->arena, comments, sizeof *slot);
            const char *text =
                ts_arena_strdup(p->arena, c->content ? (const char *)c->content : "");
            if (slot == NULL || text == NULL) {
                tsp_oom(p);
                return;
            }
            *slot = (ts_comment){a.element, a.place, text};
        }
        if (n == NULL)
            return;
        const void *e = bound_to(p, n);
        anchor in =
            e ? (anchor){e, TS_COMMENT_INSIDE} : gap_anchor(p, prev, next_element(n), outer);
        collect_comments(w, n->children, in, comments);
        prev = n;
        gap = n->next;
    }
}

/* ---- Entry points ------------------------------------------------------------------------ */

ts_round *ts_parse_memory(const char *data, size_t len, const char *display_name,
                          const ts_parse_options *o, ts_diags *diags)
{
    ts_parser p = {0};
    p.file = display_name ? display_name : "(memory)";
    p.data = data;
    p.len = len;
    if (o != NULL)
        p.opt = *o;
    else
        ts_parse_options_default(&p.opt);
    p.diags = diags;
    p.errors_at_start = diags->errors;
    p.scratch = ts_arena_new(p.opt.fault);
    p.arena = ts_arena_new(p.opt.fault);
    ts_round *r = p.arena ? ts_arena_calloc(p.arena, 1, sizeof *r) : NULL;
    if (p.scratch == NULL || r == NULL) {
        tsp_oom(&p);
        ts_arena_free(p.scratch);
        ts_arena_free(p.arena);
        return NULL;
    }
    r->arena = p.arena;
    r->file = ts_arena_strdup(p.arena, p.file);
    if (r->file == NULL)
        tsp_oom(&p);
    xmlDocPtr doc = r->file ? tsp_read_tree(&p) : NULL;
    if (doc != NULL) {
        walk w = {&p, r, {0}};
        ts_rules_init(&w.rules, p.file, diags, p.scratch, p.arena, "file", p.opt.lint);
        const xmlNode *root = xmlDocGetRootElement(doc);
        if (root != NULL)
            build_round(&w, root);
        if (p.opt.keep_comments && diags->errors == p.errors_at_start) {
            ts_vec comments = {0};
            collect_comments(&w, doc->children, (anchor){NULL, TS_COMMENT_INSIDE}, &comments);
            r->comments = comments.items;
            r->n_comments = comments.len;
        }
        if (w.rules.out_of_memory)
            p.out_of_memory = true;
        xmlFreeDoc(doc);
    }
    bool failed = diags->errors > p.errors_at_start || p.out_of_memory || doc == NULL;
    ts_arena_free(p.scratch);
    if (failed) {
        ts_arena_free(p.arena);
        return NULL;
    }
    return r;
}

ts_round *ts_parse_file(const char *path, const char *display_name, const ts_parse_options *o,
                        ts_diags *diags)
{
    ts_parse_options dflt;
    if (o == NULL) {
        ts_parse_options_default(&dflt);
        o = &dflt;
    }
    const char *name = display_name ? display_name : path;
    size_t cap = o->limits.max_file_bytes, len = 0;
    char *buf = NULL;
    int e = ts_read_file(path, cap, o->fault, &buf, &len);
    if (e == EFBIG && len > cap)
        ts_diag_add(diags, name, (ts_pos){0, 0}, TS_ERROR,
                    "the file is %zu bytes; the cap is %zu MiB (%zu bytes)", len,
                    cap / (1024 * 1024), cap);
    else if (e == EFBIG)
        ts_diag_add(diags, name, (ts_pos){0, 0}, TS_ERROR,
                    "the file is more than %zu bytes, the cap (%zu MiB)", cap, cap / (1024 * 1024));
    else if (e == ENOMEM)
        ts_diag_fault(diags, name, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
    else if (e != 0)
        ts_diag_add(diags, name, (ts_pos){0, 0}, TS_ERROR, "cannot read: %s", strerror(e));
    if (e != 0)
        return NULL;
    ts_round *r = ts_parse_memory(buf, len, name, o, diags);
    free(buf);
    return r;
}
