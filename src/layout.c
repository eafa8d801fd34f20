/* The layout loader: reads a layout file (layouts/README.md describes it), checks every value,
 * resolves its font files and refuses a layout that lacks a part the writers need or that puts
 * text on a background without WCAG AA contrast. */
#include "layout.h"
#include "fileio.h"
#include "fontcheck.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

enum { MAX_LAYOUT_FILE = 16 << 20 }; /* no layout is this large */

/* What the writers ask for.  A layout that lacks one of these is refused at load time, so that
 * no writer ever meets a NULL frame or style. */
static const char *const required_styles[] = {
    "cover-title",   "cover-subtitle", "cover-text",     "kicker",     "deck-title",
    "role",          "title",          "heading",        "body",       "goal",
    "task",          "column-head",    "status",         "table-head", "table-cell",
    "overview-head", "overview-cell",  "overview-group", "note",       "scale",
    "percent",       "footer",
};

typedef struct kind_req {
    const char *kind;
    const char *frames[16];
} kind_req;

static const kind_req required_kinds[] = {
    {"pack-cover", {"title", "subtitle", "round", "division", "city", "date"}},
    {"overview",
     {"title", "rule", "body", "footer", "pad", "col.measure", "col.round1", "col.round2",
      "col.round3", "col.value", "col.tasks"}},
    {"deck-cover", {"band", "kicker", "title", "roles", "date", "footer"}},
    {"goal", {"title", "rule", "body", "body-wide", "notes", "pad", "footer"}},
    {"progress",
     {"title", "rule", "target", "scale", "col.todo", "col.doing", "col.done", "pad", "footer"}},
    {"detail", {"title", "rule", "body", "pad", "col.task", "col.status", "col.detail", "footer"}},
    {"forecast", {"title", "rule", "status", "body", "body-continued", "footer"}},
    {"notes", {"title", "rule", "body", "pad", "footer"}},
    {"table",
     {"title", "rule", "body", "pad", "col.goal", "col.measure", "col.recovery", "col.forecasts",
      "col.comment", "col.links", "footer"}},
    {"summary",
     {"title", "rule", "body", "pad", "col3.a", "col3.b", "col3.c", "col2.a", "col2.b", "footer"}},
};

static const char *const face_names[TS_FACE_COUNT] = {"regular", "bold", "italic", "bold-italic"};
static const char *const status_names[5] = {"none", "on-track", "achieved", "at-risk", "off-track"};
static const char *const task_names[3] = {"todo", "doing", "done"};

typedef struct loader {
    const char *path;
    const char *data_dir;
    ts_arena *a;
    ts_diags *diags;
    const char *src; /* the file's bytes, to find columns */
    size_t src_len;
    ts_layout *l;
    bool xml_out_of_memory; /* libxml2 said so while parsing, whatever it said last */
    ts_vec colours;         /* ts_named_colour */
    ts_vec styles;          /* ts_text_style */
    ts_vec kinds;           /* ts_slide_kind */
    bool failed;
} loader;

/* ---- Positions ------------------------------------------------------------------------- */

/* libxml2 keeps only the line of a node, so the column is found in the source: the element's
 * start tag on that line, and the attribute inside it. */
static ts_pos locate(const loader *ld, const xmlNode *node, const char *attr)
{
    ts_pos p = {(uint32_t)xmlGetLineNo(node), 0};
    if (p.line == 0 || ld->src == NULL)
        return p;
    const char *s = ld->src, *end = ld->src + ld->src_len;
    for (uint32_t line = 1; line < p.line && s < end; s++)
        if (*s == '\n')
            line++;
    const char *eol = memchr(s, '\n', (size_t)(end - s));
    if (eol == NULL)
        eol = end;
    char tag[128];
    snprintf(tag, sizeof tag, "<%s", (const char *)node->name);
    size_t tl = strlen(tag);
    const char *hit = NULL;
    for (const char *q = s; q + tl <= eol; q++)
        if (memcmp(q, tag, tl) == 0) {
            hit = q;
            break;
        }
    if (hit == NULL)
        hit = s;
    if (attr != NULL) {
        size_t al = strlen(attr);
        for (const char *q = hit; q + al < eol; q++)
            if (q[-1] == ' ' && memcmp(q, attr, al) == 0 && (q[al] == '=' || q[al] == ' ')) {
                hit = q;
                break;
            }
    }
    uint32_t col = 1;
    for (const char *q = s; q < hit; q++)
        if (((unsigned char)*q & 0xC0) != 0x80)
            col++;
    p.col = col;
    return p;
}

static void fault(loader *ld, const xmlNode *node, const char *attr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fault(loader *ld, const xmlNode *node, const char *attr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_pos p = node ? locate(ld, node, attr) : (ts_pos){0, 0};
    ts_diag_addv(ld->diags, ld->path, p, TS_ERROR, fmt, ap);
    va_end(ap);
    ld->failed = true;
}

/* ---- Values ---------------------------------------------------------------------------- */

static const char *attr_of(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
        else if (strcmp((const char *)a->name, name) == 0)
            return "";
    return NULL;
}

/* Refuses every attribute of n that is not in the NULL-terminated list. */
static void check_attrs(loader *ld, const xmlNode *n, const char *const *allowed)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        bool ok = false;
        for (const char *const *k = allowed; *k; k++)
            if (strcmp(*k, (const char *)a->name) == 0)
                ok = true;
        if (!ok)
            fault(ld, n, (const char *)a->name, "unknown attribute '%s' on <%s>",
                  (const char *)a->name, (const char *)n->name);
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

static bool parse_number(loader *ld, const xmlNode *n, const char *name, double lo, double hi,
                         bool required, double *out)
{
    const char *v = attr_of(n, name);
    if (v == NULL) {
        if (required)
            fault(ld, n, NULL, "<%s> lacks the attribute '%s'", (const char *)n->name, name);
        return false;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end != '\0' || errno != 0 || !isfinite(d) || d < lo || d > hi) {
        fault(ld, n, name, "'%s' is not a number from %g to %g in %s=\"%s\"", v, lo, hi, name, v);
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
        fault(ld, n, name, "%s=\"%s\" is not true or false", name, v);
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
    if (hex_colour(v, len, out) || (v[0] != '#' && named(ld, v, len, out)))
        return true;
    fault(ld, n, name, "%s=\"%.*s\" is not a colour (\"#rrggbb\" or a name from <colours>)", name,
          (int)len, v);
    return false;
}

static bool parse_colour(loader *ld, const xmlNode *n, const char *name, bool required, ts_rgb *out)
{
    const char *v = attr_of(n, name);
    if (v == NULL) {
        if (required)
            fault(ld, n, NULL, "<%s> lacks the attribute '%s'", (const char *)n->name, name);
        return false;
    }
    return colour_word(ld, n, name, v, strlen(v), out);
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

static bool named_el(const xmlNode *n, const char *name)
{
    return is_element(n) && strcmp((const char *)n->name, name) == 0;
}

static void unknown_element(loader *ld, const xmlNode *n, const char *parent)
{
    fault(ld, n, NULL, "unknown element <%s> in <%s>", (const char *)n->name, parent);
}

static void check_text_children(loader *ld, const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            for (const xmlChar *p = c->content; p && *p; p++)
                if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
                    fault(ld, n, NULL, "text is not allowed in <%s>", (const char *)n->name);
                    return;
                }
        }
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
    ts_font_file *f = ts_font_file_read(path, why, sizeof why);
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
            fault(ld, n, "face", "face=\"%s\" is not regular, bold, italic or bold-italic", face);
            continue;
        }
        if (ld->l->font_files[f] != NULL) {
            fault(ld, n, "face", "the %s face is given twice", face);
            continue; /* its files are not read: each face's are, once */
        }
        if (need_attr(ld, n, "file", &file))
            ld->l->font_files[f] = font_file(ld, n, "file", file, seen, &n_seen);
        if (need_attr(ld, n, "fallback", &fallback))
            ld->l->fallback_files[f] = font_file(ld, n, "fallback", fallback, seen, &n_seen);
    }
    for (int i = 0; i < TS_FACE_COUNT; i++)
        if (ld->l->font_files[i] == NULL && !ld->failed)
            fault(ld, fonts, NULL, "<fonts> lacks the %s face", face_names[i]);
}

static void load_colours(loader *ld, const xmlNode *parent)
{
    static const char *const attrs[] = {"name", "value", NULL};
    check_attrs(ld, parent, (const char *const[]){NULL});
    check_text_children(ld, parent);
    for (const xmlNode *n = parent->children; n; n = n->next) {
        if (!is_element(n))
            continue;
        if (!named_el(n, "colour")) {
            unknown_element(ld, n, "colours");
            continue;
        }
        check_attrs(ld, n, attrs);
        const char *name, *value;
        ts_rgb rgb;
        if (!need_attr(ld, n, "name", &name) || !need_attr(ld, n, "value", &value))
            continue;
        if (named(ld, name, strlen(name), &rgb)) {
            fault(ld, n, "name", "the colour '%s' is defined twice", name);
            continue;
        }
        if (!hex_colour(value, strlen(value), &rgb)) {
            fault(ld, n, "value", "value=\"%s\" is not a colour \"#rrggbb\"", value);
            continue;
        }
        ts_named_colour *c = ts_vec_push(ld->a, &ld->colours, sizeof *c);
        if (c == NULL || (c->name = ts_arena_strdup(ld->a, name)) == NULL) {
            fault(ld, NULL, NULL, "out of memory");
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
            fault(ld, n, "name", "name=\"%s\" is not a known %s", name, child);
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
    if (!parse_number(ld, n, "leading", 1, 800, false, &s.leading))
        s.leading = s.size * 1.2;
    else if (ok && s.leading < s.size)
        fault(ld, n, "leading", "style '%s' has leading %g pt, less than its size %g pt", name,
              s.leading, s.size);
    parse_bool(ld, n, "bold", &s.bold);
    parse_bool(ld, n, "italic", &s.italic);
    parse_bool(ld, n, "upper", &s.upper);
    parse_number(ld, n, "space-before", 0, 400, false, &s.space_before);
    parse_number(ld, n, "space-after", 0, 400, false, &s.space_after);
    parse_number(ld, n, "item-space", 0, 400, false, &s.item_space);
    parse_number(ld, n, "indent", 0, 400, false, &s.indent);
    bool fg_ok = parse_colour(ld, n, "colour", true, &s.colour);
    /* A style may stand on several backgrounds (the task text on each column's fill): each
     * one, separated by spaces, is checked; the first is the one recorded. */
    const char *bg = attr_of(n, "background");
    if (bg == NULL) {
        fault(ld, n, NULL, "<style> lacks the attribute 'background'");
        ok = false;
    }
    bool first = true;
    while (bg != NULL && *bg) {
        while (*bg == ' ')
            bg++;
        size_t len = strcspn(bg, " ");
        if (len == 0)
            break;
        ts_rgb c;
        if (colour_word(ld, n, "background", bg, len, &c)) {
            if (first)
                s.background = c;
            first = false;
            if (fg_ok && ok) {
                bool large = s.size >= 18.0 || (s.bold && s.size >= 14.0);
                char what[96];
                snprintf(what, sizeof what, "style '%s'", name);
                check_contrast(ld, n, what, s.colour, c, large);
            }
        }
        bg += len;
    }
    ts_text_style *slot = ts_vec_push(ld->a, &ld->styles, sizeof *slot);
    if (slot == NULL || s.name == NULL) {
        fault(ld, NULL, NULL, "out of memory");
        return;
    }
    *slot = s;
}

static void load_slide(loader *ld, const xmlNode *n)
{
    static const char *const attrs[] = {"kind", "background", NULL};
    static const char *const frame_attrs[] = {"name", "x", "y", "w", "h", NULL};
    check_attrs(ld, n, attrs);
    check_text_children(ld, n);
    const char *kind;
    if (!need_attr(ld, n, "kind", &kind))
        return;
    bool known = false;
    for (size_t i = 0; i < sizeof required_kinds / sizeof required_kinds[0]; i++)
        if (strcmp(required_kinds[i].kind, kind) == 0)
            known = true;
    if (!known) {
        fault(ld, n, "kind", "kind=\"%s\" is not a slide kind the pack has", kind);
        return;
    }
    const ts_slide_kind *ks = ld->kinds.items;
    for (size_t i = 0; i < ld->kinds.len; i++)
        if (strcmp(ks[i].name, kind) == 0) {
            fault(ld, n, "kind", "the slide kind '%s' is given twice", kind);
            return;
        }
    ts_slide_kind k = {0};
    k.name = ts_arena_strdup(ld->a, kind);
    parse_colour(ld, n, "background", true, &k.background);
    ts_vec frames = {0};
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!is_element(c))
            continue;
        if (!named_el(c, "frame")) {
            unknown_element(ld, c, "slide");
            continue;
        }
        check_attrs(ld, c, frame_attrs);
        const char *name;
        if (!need_attr(ld, c, "name", &name))
            continue;
        ts_frame f = {0};
        f.name = ts_arena_strdup(ld->a, name);
        const ts_frame *fs = frames.items;
        for (size_t i = 0; i < frames.len; i++)
            if (strcmp(fs[i].name, name) == 0)
                fault(ld, c, "name", "the frame '%s' is given twice in '%s'", name, kind);
        bool ok = parse_number(ld, c, "x", 0, ld->l->page_w, true, &f.x);
        ok = parse_number(ld, c, "y", 0, ld->l->page_h, true, &f.y) && ok;
        ok = parse_number(ld, c, "w", 0, ld->l->page_w, true, &f.w) && ok;
        ok = parse_number(ld, c, "h", 0, ld->l->page_h, true, &f.h) && ok;
        if (ok && (f.x + f.w > ld->l->page_w + 1e-9 || f.y + f.h > ld->l->page_h + 1e-9))
            fault(ld, c, NULL, "frame '%s' of '%s' reaches outside the %g x %g pt page", name, kind,
                  ld->l->page_w, ld->l->page_h);
        ts_frame *slot = ts_vec_push(ld->a, &frames, sizeof *slot);
        if (slot == NULL || f.name == NULL) {
            fault(ld, NULL, NULL, "out of memory");
            return;
        }
        *slot = f;
    }
    k.frames = frames.items;
    k.n_frames = frames.len;
    for (size_t r = 0; r < sizeof required_kinds / sizeof required_kinds[0]; r++) {
        if (strcmp(required_kinds[r].kind, kind) != 0)
            continue;
        for (const char *const *need = required_kinds[r].frames; *need; need++) {
            bool have = false;
            for (size_t i = 0; i < k.n_frames; i++)
                if (strcmp(k.frames[i].name, *need) == 0)
                    have = true;
            if (!have)
                fault(ld, n, NULL, "slide kind '%s' lacks the frame '%s'", kind, *need);
        }
    }
    ts_slide_kind *slot = ts_vec_push(ld->a, &ld->kinds, sizeof *slot);
    if (slot == NULL || k.name == NULL) {
        fault(ld, NULL, NULL, "out of memory");
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
    for (int i = 0; i < count; i++) {
        char *end = NULL;
        errno = 0;
        double d = strtod(p, &end);
        if (end == p || errno != 0 || !(d > 0 && d <= 255)) {
            fault(ld, n, name, "%s=\"%s\" must be %d column widths from 1 to 255 characters", name,
                  v, count);
            return;
        }
        out[i] = d;
        p = end;
    }
    while (*p == ' ')
        p++;
    if (*p != '\0')
        fault(ld, n, name, "%s=\"%s\" must be %d column widths from 1 to 255 characters", name, v,
              count);
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
    if (need_attr(ld, n, "font", &font))
        w->font_name = ts_arena_strdup(ld->a, font);
    parse_number(ld, n, "size", 6, 72, true, &w->font_size);
    bool ok = parse_colour(ld, n, "header-fill", true, &w->header_fill);
    ok = parse_colour(ld, n, "header-text", true, &w->header_text) && ok;
    if (ok)
        check_contrast(ld, n, "<workbook> header", w->header_text, w->header_fill, false);
    parse_widths(ld, n, "measure-widths", w->measure_widths, 10);
    parse_widths(ld, n, "summary-widths", w->summary_widths, 3);
    parse_widths(ld, n, "task-widths", w->task_widths, 8);
}

static void load_root(loader *ld, const xmlNode *root)
{
    static const char *const attrs[] = {"name", "width", "height", "min-font-size", NULL};
    ts_layout *l = ld->l;
    if (!named_el(root, "layout")) {
        fault(ld, root, NULL, "the root element is <%s>, not <layout>", (const char *)root->name);
        return;
    }
    check_attrs(ld, root, attrs);
    check_text_children(ld, root);
    const char *name;
    if (need_attr(ld, root, "name", &name))
        l->name = ts_arena_strdup(ld->a, name);
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
        const ts_text_style *st = ld->styles.items;
        for (size_t r = 0; r < sizeof required_styles / sizeof required_styles[0]; r++) {
            bool have = false;
            for (size_t i = 0; i < ld->styles.len; i++)
                if (strcmp(st[i].name, required_styles[r]) == 0)
                    have = true;
            if (!have)
                fault(ld, parts[5], NULL, "<styles> lacks the style '%s'", required_styles[r]);
        }
    }
    for (const xmlNode *n = root->children; n; n = n->next)
        if (named_el(n, "slide"))
            load_slide(ld, n);
    const ts_slide_kind *ks = ld->kinds.items;
    for (size_t r = 0; r < sizeof required_kinds / sizeof required_kinds[0]; r++) {
        bool have = false;
        for (size_t i = 0; i < ld->kinds.len; i++)
            if (strcmp(ks[i].name, required_kinds[r].kind) == 0)
                have = true;
        if (!have)
            fault(ld, root, NULL, "<layout> lacks <slide kind=\"%s\">", required_kinds[r].kind);
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

const ts_layout *ts_layout_load(const char *path, const char *data_dir, ts_arena *a,
                                ts_diags *diags)
{
    loader ld = {.path = path, .data_dir = data_dir, .a = a, .diags = diags};
    size_t len = 0;
    char *src = NULL;
    int err = ts_read_file(path, MAX_LAYOUT_FILE, NULL, &src, &len);
    if (err != 0) {
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "the layout cannot be read: %s",
                    err == EFBIG ? "too large or unreadable" : strerror(err));
        return NULL;
    }
    ld.src = src;
    ld.src_len = len;
    ld.l = ts_arena_calloc(a, 1, sizeof *ld.l);
    if (ld.l == NULL) {
        free(src);
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "out of memory");
        return NULL;
    }
    ld.l->path = ts_arena_strdup(a, path);

    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;
    if (ctxt != NULL) {
        ctxt->_private = &ld;
        ctxt->sax->serror = on_xml_error;
    }
    if (ctxt != NULL)
        doc = xmlCtxtReadMemory(ctxt, src, (int)len, path, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (ld.xml_out_of_memory || (ctxt != NULL && ctxt->errNo == XML_ERR_NO_MEMORY)) {
        /* libxml2 goes on after a failed allocation and may end with an error of the file
         * ("Extra content at the end"): the cause is the memory. */
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR,
                    "out of memory while reading the layout");
        ld.failed = true;
    } else if (doc == NULL) {
        const xmlError *e = ctxt ? xmlCtxtGetLastError(ctxt) : NULL;
        ts_pos p = {e ? (uint32_t)e->line : 0, e ? (uint32_t)e->int2 : 0};
        char msg[256];
        snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "not well-formed XML");
        msg[strcspn(msg, "\n")] = '\0';
        ts_diag_add(diags, path, p, TS_ERROR, "the layout is not well-formed XML: %s", msg);
        ld.failed = true;
    } else if (doc->intSubset != NULL || doc->extSubset != NULL) {
        const xmlNode *dtd = (const xmlNode *)(doc->intSubset ? doc->intSubset : doc->extSubset);
        ts_diag_add(diags, path,
                    (ts_pos){(uint32_t)xmlGetLineNo(dtd) > 0 ? (uint32_t)xmlGetLineNo(dtd) : 1, 1},
                    TS_ERROR, "a DOCTYPE is not allowed in a layout file");
        ld.failed = true;
    } else if (ctxt->errNo == XML_ERR_NO_MEMORY || xmlDocGetRootElement(doc) == NULL) {
        /* libxml2 hands back what it built before an allocation failed. */
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR,
                    "out of memory while reading the layout");
        ld.failed = true;
    } else {
        load_root(&ld, xmlDocGetRootElement(doc));
    }
    if (doc)
        xmlFreeDoc(doc);
    if (ctxt)
        xmlFreeParserCtxt(ctxt);
    free(src);
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
