/* The layout loader: reads a layout file (layouts/README.md describes it), checks every value,
 * resolves its font files and refuses a layout that lacks a part the writers need or that puts
 * text on a background without WCAG AA contrast. */
#include "layout/layout.h"
#include "core/fileio.h"
#include "font/fontcheck.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "core/xmlsrc.h"

enum { MAX_LAYOUT_FILE = 16 << 20 }; /* no layout is this large */

/* Caps of what a layout holds, far above what any real one needs (the shipped ones have about
 * 1,000 nodes, 28 colours and names of at most 13 characters); docs/layouts.md lists them. */
enum {
    MAX_NODES = 20000,     /* elements, texts, attributes and comments */
    MAX_COLOURS = 256,     /* <colour> elements */
    MAX_NAME_CHARS = 64,   /* the layout's name, a colour's name */
    MAX_FONT_NAME = 31,    /* the workbook's font: Excel's limit */
    MAX_PATH_BYTES = 1024, /* a font file's name as written */
};

/* The smallest sizes, in em (the largest size among the frame's styles) and lines (the largest
 * leading): a frame at these still takes several words a line and several lines a slide.
 * Frames of nothing made a pack of 66 slides 19,678; with every frame at its smallest it makes
 * about 20 times the shipped layout's (docs/layouts.md).  The shipped layouts are above every
 * one; the closest are the A4 layout's yes/no column (3.8 em) and notes box (12.6 em). */
#define TEXT_MIN_EM     6.0
#define TITLE_MIN_EM    16.0
#define FLOW_MIN_EM     10.0
#define FLOW_MIN_LINES  10.0
#define BOX_MIN_EM      8.0
#define COLUMN_MIN_EM   5.0
#define WORDS_MIN_EM    3.0
#define PAD_MAX_EM      2.0 /* of min-font-size */
#define INDENT_MAX_EM   3.0
#define SPACE_MAX_LINES 2.0

static const char *const face_names[TS_FACE_COUNT] = {"regular", "bold", "italic", "bold-italic"};
static const char *const status_names[5] = {"none", "on-track", "achieved", "at-risk", "off-track"};
static const char *const task_names[3] = {"todo", "doing", "done"};

typedef struct loader {
    ts_xml_src src; /* first: libxml2's handlers find it through ctxt->_private */
    const char *path;
    const char *data_dir;
    const ts_layout_needs *needs;
    ts_arena *a;
    ts_diags *diags;
    ts_layout *l;
    bool xml_out_of_memory; /* libxml2 said so while parsing, whatever it said last */
    bool doctype;           /* a DOCTYPE was met (and the read stopped there) */
    ts_pos doctype_pos;
    ts_vec colours; /* ts_named_colour */
    ts_vec styles;  /* ts_text_style */
    ts_vec kinds;   /* ts_slide_kind */
    bool failed;
} loader;

/* ---- What the writers need ------------------------------------------------------------- */

static const ts_kind_need *kind_need(const loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->needs->n_kinds; i++)
        if (strcmp(ld->needs->kinds[i]->name, name) == 0)
            return ld->needs->kinds[i];
    return NULL;
}

/* The index of the frame `name` among a kind's needs, or -1. */
static long frame_need(const ts_kind_need *k, const char *name)
{
    for (size_t i = 0; i < k->n_frames; i++)
        if (strcmp(k->frames[i].name, name) == 0)
            return (long)i;
    return -1;
}

static bool style_needed(const loader *ld, const char *name)
{
    const ts_layout_needs *nd = ld->needs;
    for (size_t k = 0; k < nd->n_kinds; k++)
        for (size_t f = 0; f < nd->kinds[k]->n_frames; f++)
            for (int i = 0; i < 3 && nd->kinds[k]->frames[f].styles[i]; i++)
                if (strcmp(nd->kinds[k]->frames[f].styles[i], name) == 0)
                    return true;
    return false;
}

/* ---- Positions ------------------------------------------------------------------------- */

/* Reports at node (at its attribute attr when given); past the cap on messages the place is
 * not worked out, only the fault counted. */
static void fault(loader *ld, const xmlNode *node, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fault(loader *ld, const xmlNode *node, const char *attr, const char *fmt, ...)
{
    ld->failed = true;
    if (ts_diag_full(ld->diags, ld->path, TS_ERROR)) {
        ts_diag_add(ld->diags, ld->path, (ts_pos){0, 0}, TS_ERROR, "%s", "");
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    ts_pos p = node == NULL ? (ts_pos){0, 0}
               : attr       ? ts_xml_attr_pos(&ld->src, node, attr)
                            : ts_xml_node_pos(&ld->src, node);
    ts_diag_addv(ld->diags, ld->path, p, TS_ERROR, fmt, ap);
    va_end(ap);
}

static void out_of_memory(loader *ld)
{
    ld->failed = true;
    ts_diag_fault(ld->diags, ld->path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
}

/* A value of the file as a message quotes it: at most 60 characters, cut on a character. */
static int shown_len(const char *s)
{
    size_t n = 0, chars = 0;
    for (; s[n] != '\0'; n++)
        if (((unsigned char)s[n] & 0xC0) != 0x80 && ++chars > 60)
            break;
    return (int)n;
}

/* ---- Values ---------------------------------------------------------------------------- */

/* The value of the attribute `name` (in no namespace) of n, "" when it is empty, NULL when n
 * has none. */
static const char *attr_of(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0)
            return a->children && a->children->content ? (const char *)a->children->content : "";
    return NULL;
}

/* Refuses every attribute of n that is not in the NULL-terminated list; an attribute in a
 * namespace is never one of them. */
static void check_attrs(loader *ld, const xmlNode *n, const char *const *allowed)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        bool ok = false;
        for (const char *const *k = allowed; *k && a->ns == NULL; k++)
            if (strcmp(*k, (const char *)a->name) == 0)
                ok = true;
        if (ok)
            continue;
        const char *prefix = a->ns && a->ns->prefix ? (const char *)a->ns->prefix : NULL;
        char qname[160];
        snprintf(qname, sizeof qname, "%s%s%.*s", prefix ? prefix : "", prefix ? ":" : "",
                 shown_len((const char *)a->name), (const char *)a->name);
        fault(ld, n, qname, "unknown attribute '%s' on <%s>%s", qname, (const char *)n->name,
              prefix ? ": a layout's attributes take no namespace" : "");
    }
}

static bool need_attr(loader *ld, const xmlNode *n, const char *name, const char **out)
{
    *out = attr_of(n, name);
    if (*out == NULL) {
        fault(ld, n, NULL, "<%s> lacks the attribute '%s'", (const char *)n->name, name);
        return false;
    }
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A number as a layout writes one: digits, and a decimal point with digits after it ("12",
 * "82.3").  No sign, exponent, hexadecimal, "inf" or white space: strtod would take them all. */
static bool plain_number(const char *v, size_t len, double *out)
{
    size_t i = 0;
    while (i < len && is_digit(v[i]))
        i++;
    if (i == 0)
        return false;
    if (i < len && v[i] == '.') {
        size_t frac = ++i;
        while (i < len && is_digit(v[i]))
            i++;
        if (i == frac)
            return false;
    }
    if (i != len || len > 24)
        return false;
    char buf[32];
    memcpy(buf, v, len);
    buf[len] = '\0';
    *out = strtod(buf, NULL);
    return isfinite(*out);
}

static bool parse_number(loader *ld, const xmlNode *n, const char *name, double lo, double hi,
                         bool required, double *out)
{
    const char *v = attr_of(n, name);
    if (v == NULL) {
        if (required)
            fault(ld, n, NULL, "<%s> lacks the attribute '%s'", (const char *)n->name, name);
        return false;
    }
    double d;
    if (!plain_number(v, strlen(v), &d)) {
        fault(ld, n, name,
              "%s=\"%.*s\" is not a number (digits and an optional decimal point, as \"12.5\")",
              name, shown_len(v), v);
        return false;
    }
    if (d < lo || d > hi) {
        fault(ld, n, name, "%s=\"%s\" is not a number from %g to %g", name, v, lo, hi);
        return false;
    }
    *out = d;
    return true;
}

static bool parse_bool(loader *ld, const xmlNode *n, const char *name, bool *out)
{
    const char *v = attr_of(n, name);
    if (v == NULL)
        return false;
    if (strcmp(v, "true") == 0)
        *out = true;
    else if (strcmp(v, "false") == 0)
        *out = false;
    else {
        fault(ld, n, name, "%s=\"%.*s\" is not true or false", name, shown_len(v), v);
        return false;
    }
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool hex_colour(const char *v, size_t len, ts_rgb *out)
{
    if (len != 7 || v[0] != '#')
        return false;
    int c[6];
    for (int i = 0; i < 6; i++)
        if ((c[i] = hexval(v[i + 1])) < 0)
            return false;
    out->r = (c[0] * 16 + c[1]) / 255.0;
    out->g = (c[2] * 16 + c[3]) / 255.0;
    out->b = (c[4] * 16 + c[5]) / 255.0;
    return true;
}

static bool named(const loader *ld, const char *v, size_t len, ts_rgb *out)
{
    const ts_named_colour *c = ld->colours.items;
    for (size_t i = 0; i < ld->colours.len; i++)
        if (strlen(c[i].name) == len && memcmp(c[i].name, v, len) == 0) {
            *out = c[i].rgb;
            return true;
        }
    return false;
}

/* A colour is "#rrggbb" or the name of a <colour> defined in <colours>. */
static bool colour_word(loader *ld, const xmlNode *n, const char *name, const char *v, size_t len,
                        ts_rgb *out)
{
    if (hex_colour(v, len, out) || (len > 0 && v[0] != '#' && named(ld, v, len, out)))
        return true;
    size_t shown = (size_t)shown_len(v);
    fault(ld, n, name, "%s=\"%.*s\" is %s (\"#rrggbb\" or a name from <colours>)", name,
          (int)(len < shown ? len : shown), v,
          len == 0 ? "empty: a colour is needed" : "not a colour");
    return false;
}

static bool is_space_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool parse_colour(loader *ld, const xmlNode *n, const char *name, bool required, ts_rgb *out)
{
    const char *v = attr_of(n, name);
    if (v == NULL) {
        if (required)
            fault(ld, n, NULL, "<%s> lacks the attribute '%s'", (const char *)n->name, name);
        return false;
    }
    /* White space around the word is what XML makes of a value written across lines. */
    size_t len = strlen(v);
    while (len > 0 && is_space_char(v[len - 1]))
        len--;
    while (len > 0 && is_space_char(*v))
        v++, len--;
    return colour_word(ld, n, name, v, len, out);
}

static void hex_of(ts_rgb c, char out[8])
{
    snprintf(out, 8, "#%02x%02x%02x", (int)lround(c.r * 255), (int)lround(c.g * 255),
             (int)lround(c.b * 255));
}

static double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(ts_rgb c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double ts_contrast_ratio(ts_rgb a, ts_rgb b)
{
    double la = luminance(a), lb = luminance(b);
    if (la < lb) {
        double t = la;
        la = lb;
        lb = t;
    }
    return (la + 0.05) / (lb + 0.05);
}

static void check_contrast(loader *ld, const xmlNode *n, const char *what, ts_rgb fg, ts_rgb bg,
                           bool large)
{
    double need = large ? 3.0 : 4.5;
    double ratio = ts_contrast_ratio(fg, bg);
    /* Rounded down to two decimals so that 4.499 is not passed as "4.5". */
    if (floor(ratio * 100.0) / 100.0 < need) {
        char f[8], b[8];
        hex_of(fg, f);
        hex_of(bg, b);
        fault(ld, n, NULL,
              "%s: text colour %s on background %s has contrast %.2f:1, below the WCAG AA "
              "minimum of %.1f:1%s",
              what, f, b, ratio, need, large ? " for large text" : "");
    }
}

/* ---- Parts ----------------------------------------------------------------------------- */

static bool is_element(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE;
}

/* An element of the layout: in no namespace (a foreign <font> is not ours). */
static bool named_el(const xmlNode *n, const char *name)
{
    return is_element(n) && n->ns == NULL && strcmp((const char *)n->name, name) == 0;
}

static void unknown_element(loader *ld, const xmlNode *n, const char *parent)
{
    if (n->ns != NULL && n->ns->href != NULL)
        fault(ld, n, NULL,
              "<%s> in <%s> is in the namespace \"%.*s\": a layout's elements are in none",
              (const char *)n->name, parent, shown_len((const char *)n->ns->href),
              (const char *)n->ns->href);
    else
        fault(ld, n, NULL, "unknown element <%.*s> in <%s>", shown_len((const char *)n->name),
              (const char *)n->name, parent);
}

static void check_text_children(loader *ld, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *p = c->content; p && *p; p++)
                if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
                    fault(ld, c, NULL, "text is not allowed in <%s>", (const char *)n->name);
                    return;
                }
        }
}

/* The number of characters of s (UTF-8). */
static size_t chars_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static char *resolve(loader *ld, const char *file)
{
    if (file[0] == '/')
        return ts_arena_strdup(ld->a, file);
    return ts_arena_printf(ld->a, "%s/%s", ld->data_dir ? ld->data_dir : ".", file);
}

/* A font the layout names, checked once here for every round of the run (fontcheck.h).  What
 * libharu knows a font by is kept, so that two files it would take for one are refused. */
typedef struct font_seen {
    const char *path;
    char name[sizeof((ts_font_file *)0)->font_name];
    size_t size;
    uint64_t digest;
} font_seen;

static uint64_t fnv1a(const uint8_t *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

static const char *font_file(loader *ld, const xmlNode *n, const char *attr, const char *file,
                             font_seen *seen, size_t *n_seen)
{
    char *path = resolve(ld, file);
    if (path == NULL)
        return NULL;
    for (size_t i = 0; i < *n_seen; i++)
        if (strcmp(seen[i].path, path) == 0)
            return path;
    char why[256];
    ts_fault kind;
    ts_font_file *f = ts_font_file_read(path, why, sizeof why, &kind);
    if (f == NULL && kind == TS_FAULT_NO_MEMORY) {
        ld->failed = true;
        ts_pos at =
            attr != NULL ? ts_xml_attr_pos(&ld->src, n, attr) : ts_xml_node_pos(&ld->src, n);
        ts_diag_fault(ld->diags, ld->path, at, kind, "font file %s %s", path, why);
        return NULL;
    }
    if (f == NULL) {
        fault(ld, n, attr, "font file %s %s", path, why);
        return NULL;
    }
    font_seen me = {path, "", f->size, fnv1a(f->data, f->size)};
    memcpy(me.name, f->font_name, sizeof me.name);
    ts_font_file_free(f);
    for (size_t i = 0; i < *n_seen; i++)
        if (strcmp(seen[i].name, me.name) == 0 &&
            (seen[i].size != me.size || seen[i].digest != me.digest)) {
            fault(ld, n, attr,
                  "font file %s is named %s, as %s is, but is another font (a PDF would show "
                  "one with the other's glyphs)",
                  path, me.name, seen[i].path);
            return NULL;
        }
    if (*n_seen < 2 * TS_FACE_COUNT) /* one file and one fallback per face */
        seen[(*n_seen)++] = me;
    return path;
}

static void load_fonts(loader *ld, const xmlNode *fonts)
{
    static const char *const attrs[] = {"face", "file", "fallback", NULL};
    check_attrs(ld, fonts, (const char *const[]){NULL});
    check_text_children(ld, fonts);
    font_seen seen[2 * TS_FACE_COUNT];
    size_t n_seen = 0;
    for (const xmlNode *n = fonts->children; n; n = n->next) {
        if (!is_element(n))
            continue;
        if (!named_el(n, "font")) {
            unknown_element(ld, n, "fonts");
            continue;
        }
        check_attrs(ld, n, attrs);
        const char *face, *file, *fallback;
        if (!need_attr(ld, n, "face", &face))
            continue;
        int f = -1;
        for (int i = 0; i < TS_FACE_COUNT; i++)
            if (strcmp(face, face_names[i]) == 0)
                f = i;
        if (f < 0) {
            fault(ld, n, "face", "face=\"%.*s\" is not regular, bold, italic or bold-italic",
                  shown_len(face), face);
            continue;
        }
        if (ld->l->font_files[f] != NULL) {
            fault(ld, n, "face", "the %s face is given twice", face);
            continue; /* its files are not read: each face's are, once */
        }
        static const char *const which[2] = {"file", "fallback"};
        const char **files[2] = {&ld->l->font_files[f], &ld->l->fallback_files[f]};
        for (int k = 0; k < 2; k++) {
            if (!need_attr(ld, n, which[k], k ? &fallback : &file))
                continue;
            const char *name = k ? fallback : file;
            if (*name == '\0' || strlen(name) > MAX_PATH_BYTES)
                fault(ld, n, which[k], "%s=\"%.*s\" is %s", which[k], shown_len(name), name,
                      *name ? "longer than 1024 bytes"
                            : "empty: the name of a font file is needed");
            else
                *files[k] = font_file(ld, n, which[k], name, seen, &n_seen);
        }
    }
    for (int i = 0; i < TS_FACE_COUNT; i++)
        if (ld->l->font_files[i] == NULL && !ld->failed)
            fault(ld, fonts, NULL, "<fonts> lacks the %s face", face_names[i]);
}

/* A colour's name is used by name elsewhere, and backgrounds list names separated by spaces:
 * letters, digits, '-', '_' and '.', not starting with '#'. */
static bool colour_name_ok(const char *s)
{
    if (*s == '\0' || chars_of(s) > MAX_NAME_CHARS)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || is_digit(*p) || *p == '-' ||
              *p == '_' || *p == '.' || ((unsigned char)*p >= 0x80)))
            return false;
    return true;
}

static void load_colours(loader *ld, const xmlNode *parent)
{
    static const char *const attrs[] = {"name", "value", NULL};
    check_attrs(ld, parent, (const char *const[]){NULL});
    check_text_children(ld, parent);
    size_t count = 0;
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (!is_element(n))
            continue;
        if (!named_el(n, "colour")) {
            unknown_element(ld, n, "colours");
            continue;
        }
        if (++count > MAX_COLOURS) {
            fault(ld, n, NULL, "more than %d colours in <colours>, the cap", MAX_COLOURS);
            return;
        }
        check_attrs(ld, n, attrs);
        const char *name, *value;
        ts_rgb rgb;
        if (!need_attr(ld, n, "name", &name) || !need_attr(ld, n, "value", &value))
            continue;
        if (!colour_name_ok(name)) {
            fault(ld, n, "name",
                  "name=\"%.*s\" is not a colour's name: 1 to %d letters, digits, '-', '_' or '.'",
                  shown_len(name), name, MAX_NAME_CHARS);
            continue;
        }
        if (named(ld, name, strlen(name), &rgb)) {
            fault(ld, n, "name", "the colour '%s' is defined twice", name);
            continue;
        }
        if (!hex_colour(value, strlen(value), &rgb)) {
            fault(ld, n, "value", "value=\"%.*s\" is not a colour \"#rrggbb\"", shown_len(value),
                  value);
            continue;
        }
        ts_named_colour *c = ts_vec_push(ld->a, &ld->colours, sizeof *c);
        if (c == NULL || (c->name = ts_arena_strdup(ld->a, name)) == NULL) {
            out_of_memory(ld);
            return;
        }
        c->rgb = rgb;
    }
}

static void load_looks(loader *ld, const xmlNode *parent, const char *child,
                       const char *const *names, int count, ts_status_look *looks)
{
    static const char *const attrs[] = {"name", "fill", "text", "border", NULL};
    bool seen[5] = {false};
    check_attrs(ld, parent, (const char *const[]){NULL});
    check_text_children(ld, parent);
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (!is_element(n))
            continue;
        if (!named_el(n, child)) {
            unknown_element(ld, n, (const char *)parent->name);
            continue;
        }
        check_attrs(ld, n, attrs);
        const char *name;
        if (!need_attr(ld, n, "name", &name))
            continue;
        int k = -1;
        for (int i = 0; i < count; i++)
            if (strcmp(name, names[i]) == 0)
                k = i;
        if (k < 0) {
            fault(ld, n, "name", "name=\"%.*s\" is not a known %s", shown_len(name), name, child);
            continue;
        }
        if (seen[k])
            fault(ld, n, "name", "the %s '%s' is given twice", child, name);
        seen[k] = true;
        ts_status_look *lk = &looks[k];
        bool ok = parse_colour(ld, n, "fill", true, &lk->fill);
        ok = parse_colour(ld, n, "text", true, &lk->text) && ok;
        if (!parse_colour(ld, n, "border", false, &lk->border))
            lk->border = lk->fill;
        if (ok) {
            char what[96];
            snprintf(what, sizeof what, "<%s name=\"%s\">", child, name);
            check_contrast(ld, n, what, lk->text, lk->fill, false);
        }
    }
    for (int i = 0; i < count; i++)
        if (!seen[i])
            fault(ld, parent, NULL, "<%s> lacks the %s '%s'", (const char *)parent->name, child,
                  names[i]);
}

static void load_style(loader *ld, const xmlNode *n)
{
    static const char *const attrs[] = {
        "name",       "size",         "leading",     "bold",       "italic", "upper", "colour",
        "background", "space-before", "space-after", "item-space", "indent", NULL};
    check_attrs(ld, n, attrs);
    check_text_children(ld, n);
    const char *name;
    if (!need_attr(ld, n, "name", &name))
        return;
    if (!style_needed(ld, name)) {
        fault(ld, n, "name",
              "name=\"%.*s\" is not a style the slides use (layouts/README.md lists them)",
              shown_len(name), name);
        return;
    }
    const ts_text_style *st = ld->styles.items;
    for (size_t i = 0; i < ld->styles.len; i++)
        if (strcmp(st[i].name, name) == 0) {
            fault(ld, n, "name", "the style '%s' is defined twice", name);
            return;
        }
    ts_text_style s = {0};
    s.name = ts_arena_strdup(ld->a, name);
    bool ok = parse_number(ld, n, "size", 1, 400, true, &s.size);
    if (ok && s.size < ld->l->min_font_size) {
        fault(ld, n, "size", "style '%s' has size %g pt, below the layout's min-font-size %g pt",
              name, s.size, ld->l->min_font_size);
    }
    if (!parse_number(ld, n, "leading", 1, 1200, false, &s.leading)) {
        s.leading = s.size * 1.2;
    } else if (ok && (s.leading < s.size || s.leading > 3 * s.size)) {
        fault(ld, n, "leading", "style '%s' has leading %g pt; with size %g pt it is from %g to %g",
              name, s.leading, s.size, s.size, 3 * s.size);
    }
    parse_bool(ld, n, "bold", &s.bold);
    parse_bool(ld, n, "italic", &s.italic);
    parse_bool(ld, n, "upper", &s.upper);
    /* Spaces and indents in proportion to the text: a space of a page would put each paragraph
     * on a slide of its own, an indent wider than a column every letter on a line. */
    static const char *const spaces[3] = {"space-before", "space-after", "item-space"};
    double *space_of[3] = {&s.space_before, &s.space_after, &s.item_space};
    for (int i = 0; i < 3; i++)
        if (parse_number(ld, n, spaces[i], 0, 1200, false, space_of[i]) && ok &&
            *space_of[i] > SPACE_MAX_LINES * s.leading)
            fault(ld, n, spaces[i], "style '%s' has %s=\"%g\"; at most %g pt (%g lines)", name,
                  spaces[i], *space_of[i], SPACE_MAX_LINES * s.leading, SPACE_MAX_LINES);
    if (parse_number(ld, n, "indent", 0, 1200, false, &s.indent) && ok &&
        s.indent > INDENT_MAX_EM * s.size)
        fault(ld, n, "indent", "style '%s' has indent=\"%g\"; at most %g pt (%g em)", name,
              s.indent, INDENT_MAX_EM * s.size, INDENT_MAX_EM);
    bool fg_ok = parse_colour(ld, n, "colour", true, &s.colour);
    /* A style may stand on several backgrounds (the task text on each column's fill): each
     * one, separated by spaces, is checked; the first is the one recorded.  An empty list
     * would leave the text unchecked: it is refused. */
    const char *bg = attr_of(n, "background");
    if (bg == NULL) {
        fault(ld, n, NULL, "<style> lacks the attribute 'background'");
    } else {
        size_t words = 0;
        bool large = s.size >= 18.0 || (s.bold && s.size >= 14.0);
        for (const char *w = bg; *w;) {
            while (is_space_char(*w))
                w++;
            size_t len = 0;
            while (w[len] && !is_space_char(w[len]))
                len++;
            if (len == 0)
                break;
            ts_rgb c;
            if (colour_word(ld, n, "background", w, len, &c)) {
                if (words == 0)
                    s.background = c;
                if (fg_ok) {
                    char what[96];
                    snprintf(what, sizeof what, "style '%s'", name);
                    check_contrast(ld, n, what, s.colour, c, large);
                }
            }
            words++;
            w += len;
        }
        if (words == 0)
            fault(ld, n, "background",
                  "background=\"%.*s\" is empty: a colour is needed (\"#rrggbb\" or a name from "
                  "<colours>), or several separated by spaces",
                  shown_len(bg), bg);
    }
    ts_text_style *slot = ts_vec_push(ld->a, &ld->styles, sizeof *slot);
    if (slot == NULL || s.name == NULL) {
        out_of_memory(ld);
        return;
    }
    *slot = s;
}

/* ---- Frames ---------------------------------------------------------------------------- */

/* The largest size and leading among the styles set in a frame, and the style that has it
 * (for the message); false when none of them was loaded (its fault is reported already). */
static bool frame_text(const loader *ld, const ts_frame_need *r, double *em, double *line,
                       const char **style)
{
    *em = *line = 0;
    *style = NULL;
    for (int i = 0; i < 3 && r->styles[i]; i++) {
        const ts_text_style *st = ts_layout_style(ld->l, r->styles[i]);
        if (st == NULL)
            continue;
        if (st->size > *em) {
            *em = st->size;
            *style = st->name;
        }
        if (st->leading > *line)
            *line = st->leading;
    }
    return *style != NULL;
}

/* Refuses a frame too small for the text set in it (see ts_frame_class); pad is the kind's `pad`
 * frame, NULL when it has none, and mark the room of a status mark before a cell's words. */
static void check_frame_size(loader *ld, const xmlNode *n, const char *kind, const ts_frame_need *r,
                             const ts_frame *f, const ts_frame *pad, double mark)
{
    if (r->use == TS_FRAME_SHAPE)
        return;
    double min_font = ld->l->min_font_size;
    if (r->use == TS_FRAME_PAD) {
        double most = PAD_MAX_EM * min_font;
        if (f->x > most || f->y > most)
            fault(ld, n, f->x > most ? "x" : "y",
                  "the padding '%s' of '%s' is %g x %g pt; at most %g pt each (%g times "
                  "min-font-size)",
                  f->name, kind, f->x, f->y, most, PAD_MAX_EM);
        return;
    }
    double em, line;
    const char *style;
    if (!frame_text(ld, r, &em, &line, &style))
        return;
    double px = pad ? pad->x : 0, py = pad ? pad->y : 0;
    double need_w = 0, need_h = 0, inner_w = f->w, inner_h = f->h;
    const char *what = "";
    switch (r->use) {
    case TS_FRAME_TEXT:
        need_w = TEXT_MIN_EM * em;
        need_h = line;
        what = "one line";
        break;
    case TS_FRAME_TITLE:
        need_w = TITLE_MIN_EM * em;
        need_h = line;
        what = "one line";
        break;
    case TS_FRAME_FLOW:
        need_w = FLOW_MIN_EM * em;
        need_h = FLOW_MIN_LINES * line;
        what = "ten lines";
        break;
    case TS_FRAME_BOX:
        inner_w = f->w - 2.5 * px - 2 * py;
        inner_h = f->h - 2 * py;
        need_w = BOX_MIN_EM * em;
        need_h = FLOW_MIN_LINES * line;
        what = "ten lines";
        break;
    case TS_FRAME_COLUMN:
        inner_w = f->w - 2 * px;
        need_w = COLUMN_MIN_EM * em;
        break;
    case TS_FRAME_WORDS:
    case TS_FRAME_MARKED:
        inner_w = f->w - 2 * px - (r->use == TS_FRAME_MARKED ? mark : 0);
        need_w = WORDS_MIN_EM * em;
        break;
    default:
        return;
    }
    const char *inside = inner_w != f->w ? " inside its padding" : "";
    if (inner_w + 1e-9 < need_w)
        fault(ld, n, "w",
              "frame '%s' of '%s' is %g pt wide%s; text of %g pt (style '%s') needs at least "
              "%g pt there",
              f->name, kind, inner_w, inside, em, style, need_w);
    if (inner_h + 1e-9 < need_h)
        fault(ld, n, "h",
              "frame '%s' of '%s' is %g pt tall%s; it needs %s of text there: at least %g pt "
              "(leading %g pt)",
              f->name, kind, inner_h, inside, what, need_h, line);
}

/* The index of the length `name` among a kind's needs, or -1. */
static long length_need(const ts_kind_need *k, const char *name)
{
    for (size_t i = 0; i < k->n_lengths; i++)
        if (strcmp(k->lengths[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* A <frame> of the kind req, into frames[i] (nodes[i] its element); false when its numbers are
 * not all read. */
static bool load_frame(loader *ld, const xmlNode *c, const ts_kind_need *req, ts_frame *frames,
                       const xmlNode **nodes)
{
    static const char *const attrs[] = {"name", "x", "y", "w", "h", NULL};
    check_attrs(ld, c, attrs);
    check_text_children(ld, c);
    const char *name;
    if (!need_attr(ld, c, "name", &name))
        return true;
    long i = frame_need(req, name);
    if (i < 0) {
        fault(ld, c, "name", "name=\"%.*s\" is not a frame of '%s' (layouts/README.md lists them)",
              shown_len(name), name, req->name);
        return true;
    }
    if (nodes[i] != NULL) {
        fault(ld, c, "name", "the frame '%s' is given twice in '%s'", name, req->name);
        return true;
    }
    const ts_frame_need *fr = &req->frames[i];
    ts_frame f = {.name = fr->name};
    bool ok = parse_number(ld, c, "x", 0, ld->l->page_w, true, &f.x);
    ok = parse_number(ld, c, "y", 0, ld->l->page_h, true, &f.y) && ok;
    ok = parse_number(ld, c, "w", 0, ld->l->page_w, true, &f.w) && ok;
    ok = parse_number(ld, c, "h", 0, ld->l->page_h, true, &f.h) && ok;
    if (ok && fr->use != TS_FRAME_PAD &&
        (f.x + f.w > ld->l->page_w + 1e-9 || f.y + f.h > ld->l->page_h + 1e-9))
        fault(ld, c, NULL, "frame '%s' of '%s' reaches outside the %g x %g pt page", name,
              req->name, ld->l->page_w, ld->l->page_h);
    frames[i] = f;
    nodes[i] = c;
    return ok;
}

/* A <length> of the kind req, into lengths[i] (nodes[i] its element). */
static void load_length(loader *ld, const xmlNode *c, const ts_kind_need *req, double *lengths,
                        const xmlNode **nodes)
{
    static const char *const attrs[] = {"name", "value", NULL};
    check_attrs(ld, c, attrs);
    check_text_children(ld, c);
    const char *name;
    if (!need_attr(ld, c, "name", &name))
        return;
    long i = length_need(req, name);
    if (i < 0) {
        fault(ld, c, "name", "name=\"%.*s\" is not a length of '%s' (layouts/README.md lists them)",
              shown_len(name), name, req->name);
        return;
    }
    if (nodes[i] != NULL) {
        fault(ld, c, "name", "the length '%s' is given twice in '%s'", name, req->name);
        return;
    }
    nodes[i] = c;
    const ts_length_need *need = &req->lengths[i];
    double em = ld->l->min_font_size, v;
    if (!parse_number(ld, c, "value", 0, 14400, true, &v))
        return;
    /* In proportion to the text: a gap of a page would leave a slide for each item, a line
     * as wide as a column would cover it. */
    if (v < need->least * em - 1e-9 || v > need->most * em + 1e-9)
        fault(ld, c, "value",
              "the length '%s' of '%s' is %g pt; it is from %g to %g pt (%g to %g times "
              "min-font-size)",
              name, req->name, v, need->least * em, need->most * em, need->least, need->most);
    lengths[i] = v;
}

static void load_slide(loader *ld, const xmlNode *n)
{
    static const char *const attrs[] = {"kind", "background", NULL};
    check_attrs(ld, n, attrs);
    check_text_children(ld, n);
    const char *kind;
    if (!need_attr(ld, n, "kind", &kind))
        return;
    const ts_kind_need *req = kind_need(ld, kind);
    if (req == NULL) {
        fault(ld, n, "kind", "kind=\"%.*s\" is not a slide kind the pack has", shown_len(kind),
              kind);
        return;
    }
    const ts_slide_kind *ks = ld->kinds.items;
    for (size_t i = 0; i < ld->kinds.len; i++)
        if (strcmp(ks[i].name, kind) == 0) {
            fault(ld, n, "kind", "the slide kind '%s' is given twice", kind);
            return;
        }
    ts_slide_kind k = {.name = req->name};
    parse_colour(ld, n, "background", true, &k.background);
    /* Frames and lengths stand in the order of the kind's needs, so that the slide code reaches
     * each by its index; the element of each is kept for the checks. */
    ts_frame *frames = ts_arena_calloc(ld->a, req->n_frames + 1, sizeof *frames);
    const xmlNode **frame_nodes = ts_arena_calloc(ld->a, req->n_frames + 1, sizeof *frame_nodes);
    double *lengths = ts_arena_calloc(ld->a, req->n_lengths + 1, sizeof *lengths);
    const xmlNode **length_nodes = ts_arena_calloc(ld->a, req->n_lengths + 1, sizeof *length_nodes);
    if (frames == NULL || frame_nodes == NULL || lengths == NULL || length_nodes == NULL) {
        out_of_memory(ld);
        return;
    }
    bool sized = true;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (named_el(c, "frame"))
            sized &= load_frame(ld, c, req, frames, frame_nodes);
        else if (named_el(c, "length"))
            load_length(ld, c, req, lengths, length_nodes);
        else if (is_element(c))
            unknown_element(ld, c, "slide");
    }
    k.frames = frames;
    k.n_frames = req->n_frames;
    k.lengths = lengths;
    k.n_lengths = req->n_lengths;
    long pad_at = frame_need(req, "pad");
    const ts_frame *pad = pad_at >= 0 && frame_nodes[pad_at] != NULL ? &frames[pad_at] : NULL;
    for (size_t i = 0; i < req->n_lengths; i++)
        if (length_nodes[i] == NULL)
            fault(ld, n, NULL, "slide kind '%s' lacks the length '%s'", kind, req->lengths[i].name);
    long mark_at = length_need(req, "mark.room");
    double mark = mark_at >= 0 ? lengths[mark_at] : 0;
    for (size_t i = 0; i < req->n_frames; i++) {
        if (frame_nodes[i] == NULL)
            fault(ld, n, NULL, "slide kind '%s' lacks the frame '%s'", kind, req->frames[i].name);
        else if (sized)
            check_frame_size(ld, frame_nodes[i], kind, &req->frames[i], &frames[i], pad, mark);
    }
    ts_slide_kind *slot = ts_vec_push(ld->a, &ld->kinds, sizeof *slot);
    if (slot == NULL) {
        out_of_memory(ld);
        return;
    }
    *slot = k;
}

static void parse_widths(loader *ld, const xmlNode *n, const char *name, double *out, int count)
{
    const char *v = attr_of(n, name);
    if (v == NULL) {
        fault(ld, n, NULL, "<%s> lacks the attribute '%s'", (const char *)n->name, name);
        return;
    }
    const char *p = v;
    int i = 0;
    for (; *p; i++) {
        while (is_space_char(*p))
            p++;
        if (*p == '\0')
            break;
        size_t len = 0;
        while (p[len] && !is_space_char(p[len]))
            len++;
        double d;
        if (i >= count || !plain_number(p, len, &d) || !(d >= 1 && d <= 255))
            break;
        out[i] = d;
        p += len;
    }
    if (i != count || *p != '\0')
        fault(ld, n, name, "%s=\"%.*s\" must be %d column widths from 1 to 255 characters", name,
              shown_len(v), v, count);
}

static void load_workbook(loader *ld, const xmlNode *n)
{
    static const char *const attrs[] = {
        "font",           "size",           "header-fill", "header-text",
        "measure-widths", "summary-widths", "task-widths", NULL};
    check_attrs(ld, n, attrs);
    check_text_children(ld, n);
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_element(c))
            unknown_element(ld, c, "workbook");
    ts_workbook_layout *w = &ld->l->workbook;
    const char *font;
    if (need_attr(ld, n, "font", &font)) {
        if (*font == '\0' || chars_of(font) > MAX_FONT_NAME)
            fault(ld, n, "font", "font=\"%.*s\" is %s", shown_len(font), font,
                  *font ? "longer than 31 characters, the most a spreadsheet's font name has"
                        : "empty: the name of the spreadsheet's font is needed");
        else
            w->font_name = ts_arena_strdup(ld->a, font);
    }
    parse_number(ld, n, "size", 6, 72, true, &w->font_size);
    bool ok = parse_colour(ld, n, "header-fill", true, &w->header_fill);
    ok = parse_colour(ld, n, "header-text", true, &w->header_text) && ok;
    if (ok)
        check_contrast(ld, n, "<workbook> header", w->header_text, w->header_fill, false);
    parse_widths(ld, n, "measure-widths", w->measure_widths, 10);
    parse_widths(ld, n, "summary-widths", w->summary_widths, 3);
    parse_widths(ld, n, "task-widths", w->task_widths, 8);
}

static bool have_style(const loader *ld, const char *name)
{
    const ts_text_style *st = ld->styles.items;
    for (size_t i = 0; i < ld->styles.len; i++)
        if (strcmp(st[i].name, name) == 0)
            return true;
    return false;
}

/* Refuses a layout that lacks a style set in a frame of a kind the writers need, once a
 * style. */
static void check_styles_present(loader *ld, const xmlNode *styles)
{
    const ts_layout_needs *nd = ld->needs;
    ts_vec told = {0}; /* of const char *: the missing styles reported */
    for (size_t k = 0; k < nd->n_kinds; k++)
        for (size_t f = 0; f < nd->kinds[k]->n_frames; f++)
            for (int i = 0; i < 3 && nd->kinds[k]->frames[f].styles[i]; i++) {
                const char *name = nd->kinds[k]->frames[f].styles[i];
                bool again = have_style(ld, name);
                for (size_t t = 0; t < told.len && !again; t++)
                    again = strcmp(((const char **)told.items)[t], name) == 0;
                if (again)
                    continue;
                const char **slot = ts_vec_push(ld->a, &told, sizeof *slot);
                if (slot == NULL) {
                    out_of_memory(ld);
                    return;
                }
                *slot = name;
                fault(ld, styles, NULL, "<styles> lacks the style '%s'", name);
            }
}

static void load_root(loader *ld, const xmlNode *root)
{
    static const char *const attrs[] = {"name", "width", "height", "min-font-size", NULL};
    ts_layout *l = ld->l;
    if (!named_el(root, "layout")) {
        if (root->ns != NULL && root->ns->href != NULL)
            fault(ld, root, NULL,
                  "the root element <%s> is in the namespace \"%.*s\"; a layout is <layout> in "
                  "no namespace (remove the xmlns)",
                  (const char *)root->name, shown_len((const char *)root->ns->href),
                  (const char *)root->ns->href);
        else
            fault(ld, root, NULL, "the root element is <%.*s>, not <layout>",
                  shown_len((const char *)root->name), (const char *)root->name);
        return;
    }
    check_attrs(ld, root, attrs);
    check_text_children(ld, root);
    const char *name;
    if (need_attr(ld, root, "name", &name)) {
        if (*name == '\0' || chars_of(name) > MAX_NAME_CHARS)
            fault(ld, root, "name", "name=\"%.*s\" must be 1 to %d characters", shown_len(name),
                  name, MAX_NAME_CHARS);
        else
            l->name = ts_arena_strdup(ld->a, name);
    }
    parse_number(ld, root, "width", 72, 14400, true, &l->page_w);
    parse_number(ld, root, "height", 72, 14400, true, &l->page_h);
    parse_number(ld, root, "min-font-size", 4, 72, true, &l->min_font_size);
    if (ld->failed)
        return; /* the checks below need the page and the minimum size */

    /* Colours first: every other part may name them. */
    const xmlNode *parts[7] = {NULL};
    static const char *const part_names[7] = {"margins",       "fonts",  "colours", "statuses",
                                              "task-statuses", "styles", "workbook"};
    for (const xmlNode *n = root->children; n; n = n->next) {
        if (!is_element(n))
            continue;
        bool known = named_el(n, "slide");
        for (int i = 0; i < 7; i++)
            if (named_el(n, part_names[i])) {
                if (parts[i] != NULL)
                    fault(ld, n, NULL, "<%s> is given twice", part_names[i]);
                parts[i] = n;
                known = true;
            }
        if (!known)
            unknown_element(ld, n, "layout");
    }
    for (int i = 0; i < 7; i++)
        if (parts[i] == NULL)
            fault(ld, root, NULL, "<layout> lacks <%s>", part_names[i]);
    if (parts[2])
        load_colours(ld, parts[2]);
    if (parts[0]) {
        static const char *const margin_attrs[] = {"top", "right", "bottom", "left", NULL};
        check_attrs(ld, parts[0], margin_attrs);
        check_text_children(ld, parts[0]);
        for (const xmlNode *c = parts[0]->children; c; c = c->next)
            if (is_element(c))
                unknown_element(ld, c, "margins");
        parse_number(ld, parts[0], "top", 0, l->page_h / 2, true, &l->margin_top);
        parse_number(ld, parts[0], "right", 0, l->page_w / 2, true, &l->margin_right);
        parse_number(ld, parts[0], "bottom", 0, l->page_h / 2, true, &l->margin_bottom);
        parse_number(ld, parts[0], "left", 0, l->page_w / 2, true, &l->margin_left);
    }
    if (parts[1])
        load_fonts(ld, parts[1]);
    if (parts[3])
        load_looks(ld, parts[3], "status", status_names, 5, l->status);
    if (parts[4])
        load_looks(ld, parts[4], "task-status", task_names, 3, l->task_status);
    if (parts[5]) {
        check_attrs(ld, parts[5], (const char *const[]){NULL});
        check_text_children(ld, parts[5]);
        for (const xmlNode *n = parts[5]->children; n; n = n->next)
            if (named_el(n, "style"))
                load_style(ld, n);
            else if (is_element(n))
                unknown_element(ld, n, "styles");
        check_styles_present(ld, parts[5]);
    }
    /* The frame checks look styles up by name through the layout. */
    l->styles = ld->styles.items;
    l->n_styles = ld->styles.len;
    for (const xmlNode *n = root->children; n; n = n->next)
        if (named_el(n, "slide"))
            load_slide(ld, n);
    const ts_slide_kind *ks = ld->kinds.items;
    for (size_t r = 0; r < ld->needs->n_kinds; r++) {
        bool have = false;
        for (size_t i = 0; i < ld->kinds.len; i++)
            if (strcmp(ks[i].name, ld->needs->kinds[r]->name) == 0)
                have = true;
        if (!have)
            fault(ld, root, NULL, "<layout> lacks <slide kind=\"%s\">", ld->needs->kinds[r]->name);
    }
    if (parts[6])
        load_workbook(ld, parts[6]);
    if (!named(ld, "link", 4, &(ts_rgb){0}))
        fault(ld, parts[2] ? parts[2] : root, NULL,
              "<colours> lacks the colour 'link' (the colour of links in text)");
}

/* libxml2's structured errors while the layout is parsed: only an allocation failure is kept
 * here; the other errors are read from the context afterwards. */
static void on_xml_error(void *data, xmlErrorPtr err)
{
    xmlParserCtxtPtr ctxt = data;
    loader *ld = ctxt != NULL ? ctxt->_private : NULL;
    if (ld != NULL && err != NULL && err->code == XML_ERR_NO_MEMORY)
        ld->xml_out_of_memory = true;
}

/* A DOCTYPE is refused before libxml2 does anything with it: no DTD, no entity is read. */
static void on_internal_subset(void *data, const xmlChar *name, const xmlChar *ext_id,
                               const xmlChar *sys_id)
{
    xmlParserCtxtPtr ctxt = data;
    loader *ld = ctxt->_private;
    ld->doctype = true;
    ld->doctype_pos = (ts_pos){(uint32_t)xmlSAX2GetLineNumber(ctxt), 1};
    xmlStopParser(ctxt);
}

static void on_attr_flood(void *ctx, size_t off, size_t n)
{
    loader *ld = ctx;
    ld->failed = true;
    if (ts_diag_full(ld->diags, ld->path, TS_ERROR)) {
        ts_diag_add(ld->diags, ld->path, (ts_pos){0, 0}, TS_ERROR, "%s", "");
        return;
    }
    const char *d = ld->src.data + off + 1;
    int name = 0;
    while (off + 1 + (size_t)name < ld->src.len && name < 60 && !is_space_char(d[name]) &&
           d[name] != '>' && d[name] != '/')
        name++;
    ts_diag_add(ld->diags, ld->path, ts_text_cursor_at(&ld->src.cursor, off), TS_ERROR,
                "<%.*s> has %zu attributes; the cap is %d on one element (none of a layout's "
                "takes more than twelve)",
                name, d, n, TS_XML_MAX_ATTRS);
}

/* Reads and checks the layout in src..len; ld is set up but for the bytes. */
static void load_bytes(loader *ld, const char *src, size_t len)
{
    ts_diags *diags = ld->diags;
    const char *path = ld->path;
    size_t bad = ts_xml_check_utf8(src, len);
    ts_text_cursor cur;
    ts_text_cursor_init(&cur, src, len);
    if (bad < len) {
        ts_diag_add(diags, path, ts_text_cursor_at(&cur, bad), TS_ERROR,
                    "the byte 0x%02X is not UTF-8 text (or is a NUL): a layout is UTF-8",
                    (unsigned char)src[bad]);
        ld->failed = true;
        return;
    }
    if (len > (size_t)INT32_MAX) {
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "the layout is too large");
        ld->failed = true;
        return;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory while reading the layout");
        ld->failed = true;
        return;
    }
    ts_xml_src_install(&ld->src, ctxt, src, len, MAX_NODES, ld->a);
    if (ts_xml_attr_floods(src, len, TS_XML_MAX_ATTRS, on_attr_flood, ld) > 0) {
        xmlFreeParserCtxt(ctxt);
        return;
    }
    ctxt->_private = ld;
    ctxt->sax->serror = on_xml_error;
    ctxt->sax->internalSubset = on_internal_subset;
    /* No NOENT, no DTDLOAD: nothing is substituted or fetched.  IGNORE_ENC: the bytes were
     * checked to be UTF-8, and the places are offsets in them. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
                  XML_PARSE_BIG_LINES | XML_PARSE_IGNORE_ENC;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, src, (int)len, path, NULL, options);
    if (ld->doctype) {
        ts_diag_add(diags, path, ld->doctype_pos, TS_ERROR,
                    "a DOCTYPE is not allowed in a layout file; remove the <!DOCTYPE ...> (no DTD "
                    "or entity is ever read)");
        ld->failed = true;
    } else if (ld->src.too_many) {
        ts_diag_add(diags, path, ld->src.too_many_pos, TS_ERROR,
                    "the layout holds more than %d elements, texts, attributes and comments, the "
                    "cap (a layout has about a thousand)",
                    MAX_NODES);
        ld->failed = true;
    } else if (ld->xml_out_of_memory || ld->src.out_of_memory || ctxt->errNo == XML_ERR_NO_MEMORY) {
        /* libxml2 goes on after a failed allocation and may end with an error of the file
         * ("Extra content at the end"): the cause is the memory. */
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory while reading the layout");
        ld->failed = true;
    } else if (doc == NULL || !ctxt->wellFormed) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        ts_pos p = {e && e->line > 0 ? (uint32_t)e->line : 0,
                    e && e->int2 > 0 ? (uint32_t)e->int2 : 0};
        char msg[256];
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "not well-formed XML");
        msg[strcspn(msg, "\n")] = '\0';
        ts_diag_add(diags, path, p, TS_ERROR, "the layout is not well-formed XML: %s", msg);
        ld->failed = true;
    } else if (xmlDocGetRootElement(doc) == NULL) {
        /* libxml2 hands back what it built before an allocation failed. */
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory while reading the layout");
        ld->failed = true;
    } else {
        load_root(ld, xmlDocGetRootElement(doc));
    }
    if (doc)
        xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
}

static const ts_layout *load_layout(const char *path, const char *src, size_t len,
                                    const char *data_dir, const ts_layout_needs *needs, ts_arena *a,
                                    ts_diags *diags)
{
    loader ld = {.path = path, .data_dir = data_dir, .needs = needs, .a = a, .diags = diags};
    ld.l = ts_arena_calloc(a, 1, sizeof *ld.l);
    if (ld.l == NULL || (ld.l->path = ts_arena_strdup(a, path)) == NULL) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return NULL;
    }
    load_bytes(&ld, src, len);
    if (ld.failed)
        return NULL;
    ld.l->styles = ld.styles.items;
    ld.l->n_styles = ld.styles.len;
    ld.l->kinds = ld.kinds.items;
    ld.l->n_kinds = ld.kinds.len;
    ld.l->colours = ld.colours.items;
    ld.l->n_colours = ld.colours.len;
    return ld.l;
}

const ts_layout *ts_layout_load(const char *path, const char *data_dir,
                                const ts_layout_needs *needs, ts_arena *a, ts_diags *diags)
{
    size_t len = 0;
    char *src = NULL;
    int err = ts_read_file(path, MAX_LAYOUT_FILE, NULL, &src, &len);
    if (err != 0) {
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "the layout cannot be read: %s",
                    err == EFBIG ? "larger than 16 MiB, or unreadable" : strerror(err));
        return NULL;
    }
    const ts_layout *l = load_layout(path, src, len, data_dir, needs, a, diags);
    free(src);
    return l;
}

const ts_layout *ts_layout_load_memory(const char *name, const char *data, size_t len,
                                       const char *data_dir, const ts_layout_needs *needs,
                                       ts_arena *a, ts_diags *diags)
{
    if (len > MAX_LAYOUT_FILE) {
        ts_diag_add(diags, name, (ts_pos){0, 0}, TS_ERROR, "the layout is larger than 16 MiB");
        return NULL;
    }
    return load_layout(name, data, len, data_dir, needs, a, diags);
}

const ts_text_style *ts_layout_style(const ts_layout *l, const char *name)
{
    for (size_t i = 0; i < l->n_styles; i++)
        if (strcmp(l->styles[i].name, name) == 0)
            return &l->styles[i];
    return NULL;
}

const ts_slide_kind *ts_layout_kind(const ts_layout *l, const char *kind)
{
    for (size_t i = 0; i < l->n_kinds; i++)
        if (strcmp(l->kinds[i].name, kind) == 0)
            return &l->kinds[i];
    return NULL;
}

const ts_frame *ts_layout_frame(const ts_layout *l, const char *kind, const char *frame)
{
    const ts_slide_kind *k = ts_layout_kind(l, kind);
    if (k == NULL)
        return NULL;
    for (size_t i = 0; i < k->n_frames; i++)
        if (strcmp(k->frames[i].name, frame) == 0)
            return &k->frames[i];
    return NULL;
}

bool ts_layout_colour(const ts_layout *l, const char *name, ts_rgb *out)
{
    for (size_t i = 0; i < l->n_colours; i++)
        if (strcmp(l->colours[i].name, name) == 0) {
            *out = l->colours[i].rgb;
            return true;
        }
    return false;
}

uint32_t ts_rgb_24bit(ts_rgb c)
{
    uint32_t r = (uint32_t)lround(fmin(fmax(c.r, 0), 1) * 255);
    uint32_t g = (uint32_t)lround(fmin(fmax(c.g, 0), 1) * 255);
    uint32_t b = (uint32_t)lround(fmin(fmax(c.b, 0), 1) * 255);
    return r << 16 | g << 8 | b;
}

void ts_rgb_hex(ts_rgb c, char out[8])
{
    snprintf(out, 8, "#%06" PRIx32, ts_rgb_24bit(c));
}
