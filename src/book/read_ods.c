/* ODS (OpenDocument spreadsheet): the common styles of styles.xml, then content.xml with its
 * automatic styles and the tables.  Repeated rows and columns cost nothing unless they hold
 * something: an empty row repeated a million times only moves the row counter. */
#include "book/internal.h"

#include <stdio.h>
#include <string.h>

/* ---- Styles ------------------------------------------------------------------------------ */

enum { FAM_CELL, FAM_TEXT, FAM_PARA, FAM_TABLE, FAM_COUNT };

/* Steps up a chain of parent styles at most; a longer chain is a loop or an attack. */
#define MAX_PARENTS 32

typedef struct ods_style {
    const char *parent;
    const char *data;             /* its data style's name */
    int8_t bold, italic, display; /* -1: not set here */
    bool resolved;
    bool r_bold, r_italic, r_hidden; /* resolved */
    const ts_wbr_numfmt *r_format;
} ods_style;

typedef struct ods_data {
    const ts_wbr_numfmt *format;
    const char *positive; /* style:map condition="value()>=0": the style shown for it */
} ods_data;

/* A run of columns with one default cell style. */
typedef struct col_range {
    uint32_t first, count;
    const ods_style *style;
} col_range;

/* Styles and data styles, of every family together: LibreOffice's files hold thousands at most,
 * and each costs a hundred bytes or more for some fifty of XML. */
#define MAX_STYLES 100000

/* The formatting inside a cell's text: one entry per open paragraph or span. */
#define MAX_SPANS 300

typedef struct ods {
    wbr_ctx *c;
    const char *part;
    int depth;
    bool in_content; /* content.xml (else styles.xml) */

    wbr_map styles[FAM_COUNT];
    wbr_map data; /* name -> ods_data */
    ods_style default_cell;
    size_t n_styles; /* styles and data styles read */

    /* a style or data style being read */
    int style_depth;
    ods_style *style;
    int data_depth;
    wbr_fmt_builder fmt;
    ods_data *cur_data;
    int fmt_text_depth; /* a number:text or number:currency-symbol */
    bool fmt_text_currency;
    wbr_buf fmt_text;
    int styles_depth; /* inside office:styles / office:automatic-styles */

    /* the tables */
    int body_depth;
    ts_vec sheets; /* wbr_sheet */
    wbr_sheet *sheet;
    int table_depth;
    ts_vec cols; /* col_range */
    uint64_t next_col_default;
    uint64_t row;
    uint64_t row_repeat;
    const ods_style *row_style;
    size_t row_first_cell, row_first_merge;
    uint64_t col;
    int row_depth;

    /* a cell */
    int cell_depth;
    bool covered;
    uint64_t cell_repeat;
    uint32_t span_cols, span_rows;
    char value_type[16], calc_type[16];
    char value[128], date_value[64], time_value[64], bool_value[16];
    wbr_buf string_value;
    bool has_string_value, has_formula, value_too_long;
    const ods_style *cell_style;
    wbr_text text;
    int paragraphs;
    int para_depth;
    int skip_depth;
    size_t n_fmt;
    uint8_t fmt_b[MAX_SPANS], fmt_i[MAX_SPANS];
    bool prev_ws;
    bool pending_space;
    uint8_t pending_b, pending_i;
} ods;

static ods_style *style_get(ods *o, int fam, const char *name, size_t len)
{
    return name ? wbr_map_get(&o->styles[fam], name, len) : NULL;
}

static void oom(ods *o, wbr_xml *xml)
{
    wbr_oom(o->c);
    wbr_xml_stop(xml);
}

static void error_here(ods *o, wbr_xml *xml, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void error_here(ods *o, wbr_xml *xml, const char *fmt, ...)
{
    uint32_t line, col;
    wbr_xml_pos(xml, &line, &col);
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wbr_part_error(o->c, o->part, line, col, "%s", msg);
}

static int8_t weight_bold(const char *v, size_t len)
{
    if (v == NULL)
        return -1;
    if (wbr_eq(v, len, "bold"))
        return 1;
    if (wbr_eq(v, len, "normal"))
        return 0;
    uint64_t w;
    if (wbr_parse_uint(v, len, 1000, &w))
        return w >= 600;
    return -1;
}

static int8_t style_italic(const char *v, size_t len)
{
    if (v == NULL)
        return -1;
    return wbr_eq(v, len, "italic") || wbr_eq(v, len, "oblique");
}

/* A style's bold, italic, data style and display, from itself, its parents and the default
 * style of its family. */
static void resolve(ods *o, int fam, ods_style *s)
{
    if (s->resolved)
        return;
    int8_t b = -1, i = -1, d = -1;
    const char *data = NULL;
    const ods_style *p = s;
    for (int k = 0; p && k < MAX_PARENTS; k++) {
        if (b < 0)
            b = p->bold;
        if (i < 0)
            i = p->italic;
        if (d < 0)
            d = p->display;
        if (data == NULL)
            data = p->data;
        p = p->parent ? style_get(o, fam, p->parent, strlen(p->parent)) : NULL;
        if (p == s)
            break;
    }
    if (fam == FAM_CELL) {
        if (b < 0)
            b = o->default_cell.bold;
        if (i < 0)
            i = o->default_cell.italic;
        if (data == NULL)
            data = o->default_cell.data;
    }
    s->r_bold = b == 1;
    s->r_italic = i == 1;
    s->r_hidden = d == 0;
    if (data) {
        const ods_data *dd = wbr_map_get(&o->data, data, strlen(data));
        if (dd && dd->positive) {
            const ods_data *pos = wbr_map_get(&o->data, dd->positive, strlen(dd->positive));
            if (pos)
                dd = pos;
        }
        s->r_format = dd ? dd->format : NULL;
    }
    s->resolved = true;
}

/* A text or paragraph style as the tri-state it sets over what it is in. */
static void text_style(ods *o, int fam, const char *name, size_t len, wbr_tri *b, wbr_tri *i)
{
    ods_style *s = style_get(o, fam, name, len);
    *b = *i = WBR_INHERIT;
    for (int k = 0; s && k < MAX_PARENTS; k++) {
        if (*b == WBR_INHERIT && s->bold >= 0)
            *b = s->bold ? WBR_ON : WBR_OFF;
        if (*i == WBR_INHERIT && s->italic >= 0)
            *i = s->italic ? WBR_ON : WBR_OFF;
        s = s->parent ? style_get(o, fam, s->parent, strlen(s->parent)) : NULL;
    }
}

/* False (said, the parse stopped) when one more style would pass MAX_STYLES. */
static bool room_for_style(ods *o, wbr_xml *xml)
{
    if (o->n_styles++ < MAX_STYLES)
        return true;
    error_here(o, xml, "the part has more than %d styles", MAX_STYLES);
    o->c->stop = true;
    wbr_xml_stop(xml);
    return false;
}

static int family_of(const char *v, size_t len)
{
    if (wbr_eq(v, len, "table-cell"))
        return FAM_CELL;
    if (wbr_eq(v, len, "text"))
        return FAM_TEXT;
    if (wbr_eq(v, len, "paragraph"))
        return FAM_PARA;
    if (wbr_eq(v, len, "table"))
        return FAM_TABLE;
    return -1;
}

static void style_start(ods *o, wbr_xml *xml, wbr_ns ns, const char *name, const wbr_attrs *at)
{
    ts_arena *sc = o->c->scratch;
    size_t len;
    if (o->style) {
        if (ns != WBR_NS_STYLE)
            return;
        if (strcmp(name, "text-properties") == 0) {
            const char *w = wbr_attr(at, WBR_NS_FO, "font-weight", &len);
            int8_t b = weight_bold(w, len);
            if (b >= 0)
                o->style->bold = b;
            const char *st = wbr_attr(at, WBR_NS_FO, "font-style", &len);
            int8_t i = style_italic(st, len);
            if (i >= 0)
                o->style->italic = i;
        } else if (strcmp(name, "table-properties") == 0) {
            const char *d = wbr_attr(at, WBR_NS_TABLE, "display", &len);
            if (d)
                o->style->display = wbr_eq(d, len, "false") ? 0 : 1;
        }
        return;
    }
    if (o->data_depth) {
        if (o->fmt_text_depth)
            return;
        char buf[32];
        if (ns == WBR_NS_NUMBER &&
            (strcmp(name, "number") == 0 || strcmp(name, "scientific-number") == 0 ||
             strcmp(name, "fraction") == 0)) {
            uint64_t dec = 0, min_int = 1;
            const char *v = wbr_attr(at, WBR_NS_NUMBER, "decimal-places", &len);
            if (v && !wbr_parse_uint(v, len, 1000, &dec))
                dec = 0;
            /* LibreOffice writes General as a number of no fixed decimal places */
            if (v == NULL && name[0] == 'n' && o->fmt.kind == TS_WBR_FMT_NUMBER) {
                wbr_fmt_general(&o->fmt);
                return;
            }
            v = wbr_attr(at, WBR_NS_NUMBER, "min-integer-digits", &len);
            if (v && !wbr_parse_uint(v, len, 1000, &min_int))
                min_int = 1;
            v = wbr_attr(at, WBR_NS_NUMBER, "grouping", &len);
            wbr_fmt_number(&o->fmt, (int)dec, wbr_eq(v, len, "true"), (int)min_int, name[0] == 's',
                           name[0] == 'f');
        } else if (ns == WBR_NS_NUMBER &&
                   (strcmp(name, "text") == 0 || strcmp(name, "currency-symbol") == 0)) {
            o->fmt_text_depth = o->depth;
            o->fmt_text_currency = name[0] == 'c';
            o->fmt_text.len = 0;
        } else if (ns == WBR_NS_NUMBER && strcmp(name, "text-content") == 0) {
            wbr_fmt_code(&o->fmt, "@", false);
            o->fmt.has_time = false;
            o->fmt.kind = TS_WBR_FMT_TEXT;
        } else if (ns == WBR_NS_NUMBER) {
            const char *st = wbr_attr_buf(at, WBR_NS_NUMBER, "style", buf, sizeof buf, NULL);
            bool lng = st && strcmp(st, "long") == 0;
            const char *tx = wbr_attr(at, WBR_NS_NUMBER, "textual", &len);
            bool textual = wbr_eq(tx, len, "true");
            if (strcmp(name, "year") == 0)
                wbr_fmt_code(&o->fmt, lng ? "yyyy" : "yy", true);
            else if (strcmp(name, "month") == 0)
                wbr_fmt_code(&o->fmt, textual ? (lng ? "mmmm" : "mmm") : (lng ? "mm" : "m"), true);
            else if (strcmp(name, "day") == 0)
                wbr_fmt_code(&o->fmt, lng ? "dd" : "d", true);
            else if (strcmp(name, "day-of-week") == 0)
                wbr_fmt_code(&o->fmt, lng ? "dddd" : "ddd", true);
            else if (strcmp(name, "hours") == 0)
                wbr_fmt_code(&o->fmt, lng ? "hh" : "h", false);
            else if (strcmp(name, "minutes") == 0)
                wbr_fmt_code(&o->fmt, lng ? "mm" : "m", false);
            else if (strcmp(name, "seconds") == 0)
                wbr_fmt_code(&o->fmt, lng ? "ss" : "s", false);
            else if (strcmp(name, "am-pm") == 0)
                wbr_fmt_code(&o->fmt, "AM/PM", false);
            else if (strcmp(name, "quarter") == 0)
                wbr_fmt_code(&o->fmt, lng ? "qq" : "q", true);
            else if (strcmp(name, "week-of-year") == 0)
                wbr_fmt_code(&o->fmt, "ww", true);
            else if (strcmp(name, "era") == 0)
                wbr_fmt_code(&o->fmt, "gg", true);
        } else if (ns == WBR_NS_STYLE && strcmp(name, "map") == 0 && o->cur_data) {
            char cond[64];
            const char *cd = wbr_attr_buf(at, WBR_NS_STYLE, "condition", cond, sizeof cond, NULL);
            bool dummy = false;
            if (cd && (strcmp(cd, "value()>=0") == 0 || strcmp(cd, "value()>0") == 0) &&
                o->cur_data->positive == NULL) {
                o->cur_data->positive =
                    wbr_attr_dup(at, WBR_NS_STYLE, "apply-style-name", sc, &dummy);
                if (dummy)
                    oom(o, xml);
            }
        }
        return;
    }
    if (ns == WBR_NS_STYLE && (strcmp(name, "style") == 0 || strcmp(name, "default-style") == 0)) {
        const char *fam = wbr_attr(at, WBR_NS_STYLE, "family", &len);
        int f = family_of(fam, len);
        if (f < 0)
            return;
        bool bad = false;
        ods_style *s;
        if (name[0] == 'd') {
            if (f != FAM_CELL)
                return;
            s = &o->default_cell;
        } else {
            size_t nl;
            const char *n = wbr_attr(at, WBR_NS_STYLE, "name", &nl);
            if (n == NULL)
                return;
            if (!room_for_style(o, xml))
                return;
            s = ts_arena_calloc(sc, 1, sizeof *s);
            if (s == NULL || !wbr_map_put(&o->styles[f], n, nl, s)) {
                oom(o, xml);
                return;
            }
        }
        s->bold = s->italic = s->display = -1;
        s->parent = wbr_attr_dup(at, WBR_NS_STYLE, "parent-style-name", sc, &bad);
        s->data = wbr_attr_dup(at, WBR_NS_STYLE, "data-style-name", sc, &bad);
        if (bad) {
            oom(o, xml);
            return;
        }
        o->style = s;
        o->style_depth = o->depth;
        return;
    }
    if (ns == WBR_NS_NUMBER) {
        ts_wbr_numkind kind;
        if (strcmp(name, "number-style") == 0)
            kind = TS_WBR_FMT_NUMBER;
        else if (strcmp(name, "percentage-style") == 0)
            kind = TS_WBR_FMT_PERCENT;
        else if (strcmp(name, "currency-style") == 0)
            kind = TS_WBR_FMT_CURRENCY;
        else if (strcmp(name, "date-style") == 0)
            kind = TS_WBR_FMT_DATE;
        else if (strcmp(name, "time-style") == 0)
            kind = TS_WBR_FMT_TIME;
        else if (strcmp(name, "boolean-style") == 0)
            kind = TS_WBR_FMT_GENERAL;
        else if (strcmp(name, "text-style") == 0)
            kind = TS_WBR_FMT_TEXT;
        else
            return;
        size_t nl;
        const char *n = wbr_attr(at, WBR_NS_STYLE, "name", &nl);
        if (n == NULL)
            return;
        if (!room_for_style(o, xml))
            return;
        ods_data *d = ts_arena_calloc(sc, 1, sizeof *d);
        if (d == NULL || !wbr_map_put(&o->data, n, nl, d)) {
            oom(o, xml);
            return;
        }
        o->cur_data = d;
        o->data_depth = o->depth;
        wbr_fmt_begin(&o->fmt, o->c->a, kind);
        if (kind == TS_WBR_FMT_TIME)
            o->fmt.has_time = true; /* a duration "[h]" too */
    }
}

static void style_end(ods *o, wbr_xml *xml)
{
    if (o->style && o->depth == o->style_depth) {
        o->style = NULL;
    } else if (o->fmt_text_depth && o->depth == o->fmt_text_depth) {
        o->fmt_text_depth = 0;
        const char *t = o->fmt_text.p ? o->fmt_text.p : "";
        if (o->fmt_text_currency)
            wbr_fmt_currency(&o->fmt, t, o->fmt_text.len);
        else
            wbr_fmt_text(&o->fmt, t, o->fmt_text.len);
    } else if (o->data_depth && o->depth == o->data_depth) {
        o->data_depth = 0;
        if (o->fmt.kind == TS_WBR_FMT_DATE && !o->fmt.has_date && o->fmt.has_time)
            o->fmt.has_date = true;
        ts_wbr_numfmt *f = wbr_fmt_end(&o->fmt);
        if (f == NULL) {
            oom(o, xml);
            return;
        }
        /* General with nothing around it is no format, as in XLSX; so is a boolean style (it
         * shows TRUE and FALSE) */
        bool general = f->kind == TS_WBR_FMT_GENERAL && !f->prefix[0] && !f->suffix[0];
        o->cur_data->format = general ? NULL : f;
        o->cur_data = NULL;
    }
}

/* ---- Cell text --------------------------------------------------------------------------- */

static bool text_put(ods *o, const char *s, size_t n, uint8_t b, uint8_t i)
{
    return wbr_text_add(&o->text, s, n, (wbr_tri)b, (wbr_tri)i);
}

static bool flush_space(ods *o)
{
    if (!o->pending_space)
        return true;
    o->pending_space = false;
    return text_put(o, " ", 1, o->pending_b, o->pending_i);
}

/* Character data of a paragraph, its white space collapsed (ODF 1.2 part 1, 6.1.2): a run of
 * spaces, tabs and line ends is one space, none at the paragraph's start or end. */
static bool para_text(ods *o, const char *s, size_t len)
{
    uint8_t b = o->fmt_b[o->n_fmt - 1], it = o->fmt_i[o->n_fmt - 1];
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r')
            j++;
        if (j > i) {
            if (!flush_space(o) || !text_put(o, s + i, j - i, b, it))
                return false;
            o->prev_ws = false;
        }
        if (j < len) {
            if (!o->prev_ws) {
                o->pending_space = true;
                o->pending_b = b;
                o->pending_i = it;
            }
            o->prev_ws = true;
            j++;
        }
        i = j;
    }
    return true;
}

/* Whether an element in a cell's text holds text of the cell: notes, annotations, ruby texts
 * and drawings do not. */
static bool skipped(wbr_ns ns, const char *name)
{
    if (ns == WBR_NS_OFFICE)
        return strcmp(name, "annotation") == 0 || strcmp(name, "annotation-end") == 0;
    if (ns == WBR_NS_TEXT)
        return strcmp(name, "note") == 0 || strcmp(name, "ruby-text") == 0 ||
               strcmp(name, "tracked-changes") == 0;
    if (ns == WBR_NS_TABLE)
        return true;           /* a table inside a cell */
    return ns == WBR_NS_OTHER; /* draw:, svg:, form controls */
}

static void cell_content_start(ods *o, wbr_xml *xml, wbr_ns ns, const char *name,
                               const wbr_attrs *at)
{
    if (o->skip_depth)
        return;
    if (skipped(ns, name)) {
        o->skip_depth = o->depth;
        return;
    }
    if (ns != WBR_NS_TEXT)
        return;
    size_t len;
    bool para = strcmp(name, "p") == 0 || strcmp(name, "h") == 0;
    if (para && o->para_depth == 0) {
        if (o->paragraphs++ > 0 &&
            !text_put(o, "\n", 1, o->fmt_b[o->n_fmt - 1], o->fmt_i[o->n_fmt - 1])) {
            oom(o, xml);
            return;
        }
        o->para_depth = o->depth;
        o->prev_ws = true;
        o->pending_space = false;
        wbr_tri b, i;
        const char *st = wbr_attr(at, WBR_NS_TEXT, "style-name", &len);
        text_style(o, FAM_PARA, st, len, &b, &i);
        o->fmt_b[1] = (uint8_t)b;
        o->fmt_i[1] = (uint8_t)i;
        o->n_fmt = 2;
        return;
    }
    if (o->para_depth == 0)
        return; /* a list around paragraphs: its paragraphs are read */
    if (strcmp(name, "span") == 0 || strcmp(name, "a") == 0) {
        wbr_tri b = WBR_INHERIT, i = WBR_INHERIT;
        if (name[0] == 's') {
            const char *st = wbr_attr(at, WBR_NS_TEXT, "style-name", &len);
            text_style(o, FAM_TEXT, st, len, &b, &i);
        }
        if (o->n_fmt < MAX_SPANS) {
            o->fmt_b[o->n_fmt] = b != WBR_INHERIT ? (uint8_t)b : o->fmt_b[o->n_fmt - 1];
            o->fmt_i[o->n_fmt] = i != WBR_INHERIT ? (uint8_t)i : o->fmt_i[o->n_fmt - 1];
            o->n_fmt++;
        }
        return;
    }
    uint8_t b = o->fmt_b[o->n_fmt - 1], i = o->fmt_i[o->n_fmt - 1];
    if (strcmp(name, "s") == 0) {
        uint64_t n = 1;
        const char *c = wbr_attr(at, WBR_NS_TEXT, "c", &len);
        if (c && !wbr_parse_uint(c, len, UINT32_MAX, &n)) {
            error_here(o, xml, "text:c=\"%.*s\" is not a number of spaces",
                       (int)(len > 20 ? 20 : len), c);
            return;
        }
        /* Spaces made from one element count as unpacked bytes: <text:s text:c="1000000000"/>
         * is a small bomb. */
        if (!wbr_spend(o->c, (size_t)n, o->part)) {
            wbr_xml_stop(xml);
            return;
        }
        if (!flush_space(o)) {
            oom(o, xml);
            return;
        }
        static const char spaces[] = "                                                ";
        while (n > 0) {
            size_t k = n < sizeof spaces - 1 ? (size_t)n : sizeof spaces - 1;
            if (!text_put(o, spaces, k, b, i)) {
                oom(o, xml);
                return;
            }
            n -= k;
        }
        o->prev_ws = true;
    } else if (strcmp(name, "tab") == 0 || strcmp(name, "line-break") == 0) {
        if (!flush_space(o) || !text_put(o, name[0] == 't' ? "\t" : "\n", 1, b, i)) {
            oom(o, xml);
            return;
        }
        o->prev_ws = true;
    }
}

static void cell_content_end(ods *o, wbr_ns ns, const char *name)
{
    if (o->skip_depth) {
        if (o->depth == o->skip_depth)
            o->skip_depth = 0;
        return;
    }
    if (o->para_depth && o->depth == o->para_depth) {
        o->para_depth = 0;
        o->pending_space = false; /* none at a paragraph's end */
        o->n_fmt = 1;
    } else if (o->para_depth && ns == WBR_NS_TEXT &&
               (strcmp(name, "span") == 0 || strcmp(name, "a") == 0) && o->n_fmt > 2) {
        o->n_fmt--;
    }
}

/* ---- Cells ------------------------------------------------------------------------------- */

static bool copy_attr(const wbr_attrs *at, wbr_ns ns, const char *name, char *buf, size_t cap,
                      bool *too_long)
{
    bool t = false;
    const char *v = wbr_attr_buf(at, ns, name, buf, cap, &t);
    if (t)
        *too_long = true;
    if (v == NULL)
        buf[0] = '\0';
    return v != NULL;
}

static uint64_t attr_count(ods *o, wbr_xml *xml, const wbr_attrs *at, const char *name)
{
    size_t len;
    const char *v = wbr_attr(at, WBR_NS_TABLE, name, &len);
    uint64_t n = 1;
    if (v && (!wbr_parse_uint(v, len, UINT32_MAX, &n) || n == 0)) {
        error_here(o, xml, "table:%s=\"%.*s\" is not a positive number", name,
                   (int)(len > 20 ? 20 : len), v);
        n = 1;
    }
    return n;
}

static const ods_style *column_style(ods *o, uint64_t col)
{
    const col_range *r = o->cols.items;
    size_t lo = 0, hi = o->cols.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (col < r[mid].first)
            hi = mid;
        else if (col >= (uint64_t)r[mid].first + r[mid].count)
            lo = mid + 1;
        else
            return r[mid].style;
    }
    return NULL;
}

static void cell_start(ods *o, wbr_xml *xml, bool covered, const wbr_attrs *at)
{
    o->cell_depth = o->depth;
    o->covered = covered;
    o->cell_repeat = attr_count(o, xml, at, "number-columns-repeated");
    o->span_cols = covered ? 1 : (uint32_t)attr_count(o, xml, at, "number-columns-spanned");
    o->span_rows = covered ? 1 : (uint32_t)attr_count(o, xml, at, "number-rows-spanned");
    o->value_too_long = false;
    copy_attr(at, WBR_NS_OFFICE, "value-type", o->value_type, sizeof o->value_type,
              &o->value_too_long);
    copy_attr(at, WBR_NS_CALCEXT, "value-type", o->calc_type, sizeof o->calc_type,
              &o->value_too_long);
    copy_attr(at, WBR_NS_OFFICE, "value", o->value, sizeof o->value, &o->value_too_long);
    copy_attr(at, WBR_NS_OFFICE, "date-value", o->date_value, sizeof o->date_value,
              &o->value_too_long);
    copy_attr(at, WBR_NS_OFFICE, "time-value", o->time_value, sizeof o->time_value,
              &o->value_too_long);
    copy_attr(at, WBR_NS_OFFICE, "boolean-value", o->bool_value, sizeof o->bool_value,
              &o->value_too_long);
    size_t len;
    const char *sv = wbr_attr(at, WBR_NS_OFFICE, "string-value", &len);
    o->has_string_value = sv != NULL;
    o->string_value.len = 0;
    if (sv && !wbr_buf_add(o->c->scratch, &o->string_value, sv, len)) {
        oom(o, xml);
        return;
    }
    o->has_formula = wbr_attr(at, WBR_NS_TABLE, "formula", &len) != NULL;
    const char *st = wbr_attr(at, WBR_NS_TABLE, "style-name", &len);
    ods_style *s = style_get(o, FAM_CELL, st, len);
    if (s == NULL && st == NULL)
        s = (ods_style *)o->row_style;
    if (s == NULL && st == NULL)
        s = (ods_style *)column_style(o, o->col);
    if (s == NULL)
        s = &o->default_cell;
    resolve(o, FAM_CELL, s);
    o->cell_style = s;
    wbr_text_reset(&o->text);
    o->paragraphs = 0;
    o->para_depth = 0;
    o->skip_depth = 0;
    /* Text takes the cell's style unless a paragraph or span says otherwise: the base entry
     * is "inherit", resolved against the cell when the cell ends. */
    o->fmt_b[0] = o->fmt_i[0] = WBR_INHERIT;
    o->n_fmt = 1;
}

/* The formats a value type implies when the cell's style has no data style. */
static const ts_wbr_numfmt PERCENT_FMT = {TS_WBR_FMT_PERCENT, "0%", 0, false, "", "%", NULL};
static const ts_wbr_numfmt DATE_FMT = {TS_WBR_FMT_DATE, "yyyy-mm-dd", 0, false, "", "", NULL};
static const ts_wbr_numfmt TIME_FMT = {TS_WBR_FMT_TIME, "[hh]:mm:ss", 0, false, "", "", NULL};
static const ts_wbr_numfmt CURRENCY_FMT = {TS_WBR_FMT_CURRENCY, "#,##0.00", 2, true, "", "", NULL};

static void cell_end(ods *o, wbr_xml *xml)
{
    const ods_style *s = o->cell_style;
    bool bold = s->r_bold, italic = s->r_italic;
    uint64_t col = o->col, row = o->row;
    uint64_t repeat = o->cell_repeat;
    o->col += repeat;
    const char *vt = o->value_type;
    ts_wbr_cell value;
    memset(&value, 0, sizeof value);
    value.bold = bold;
    value.italic = italic;
    value.formula = o->has_formula;
    value.format = s->r_format;
    const char *sheet = o->sheet->name;
    uint32_t ecol = col < TS_WBR_MAX_COLS ? (uint32_t)col : TS_WBR_MAX_COLS - 1;
    uint32_t erow = row < TS_WBR_MAX_ROWS ? (uint32_t)row : TS_WBR_MAX_ROWS - 1;
    bool content = true;
    if (o->value_too_long) {
        wbr_cell_error(o->c, sheet, erow, ecol, "a value attribute of the cell is too long");
        return;
    }
    if (strcmp(o->calc_type, "error") == 0) {
        value.type = TS_WBR_ERROR;
    } else if (strcmp(vt, "float") == 0 || strcmp(vt, "percentage") == 0 ||
               strcmp(vt, "currency") == 0) {
        value.type = TS_WBR_NUMBER;
        if (!wbr_parse_number(o->value, strlen(o->value), &value.number)) {
            wbr_cell_error(o->c, sheet, erow, ecol, "office:value=\"%s\" is not a number",
                           o->value);
            return;
        }
        if (value.format == NULL)
            value.format = vt[0] == 'p' ? &PERCENT_FMT : vt[0] == 'c' ? &CURRENCY_FMT : NULL;
    } else if (strcmp(vt, "date") == 0) {
        value.type = TS_WBR_NUMBER;
        if (!wbr_parse_datetime(o->date_value, strlen(o->date_value), &value.number)) {
            wbr_cell_error(o->c, sheet, erow, ecol, "office:date-value=\"%s\" is not a date",
                           o->date_value);
            return;
        }
        if (value.format == NULL)
            value.format = &DATE_FMT;
    } else if (strcmp(vt, "time") == 0) {
        value.type = TS_WBR_NUMBER;
        if (!wbr_parse_duration(o->time_value, strlen(o->time_value), &value.number)) {
            wbr_cell_error(o->c, sheet, erow, ecol, "office:time-value=\"%s\" is not a time",
                           o->time_value);
            return;
        }
        if (value.format == NULL)
            value.format = &TIME_FMT;
    } else if (strcmp(vt, "boolean") == 0) {
        value.type = TS_WBR_BOOLEAN;
        if (strcmp(o->bool_value, "true") == 0 || strcmp(o->bool_value, "1") == 0)
            value.number = 1;
        else if (strcmp(o->bool_value, "false") != 0 && strcmp(o->bool_value, "0") != 0) {
            wbr_cell_error(o->c, sheet, erow, ecol,
                           "office:boolean-value=\"%s\" is not true or false", o->bool_value);
            return;
        }
    } else if (strcmp(vt, "string") == 0 || vt[0] == '\0' || strcmp(vt, "void") == 0) {
        value.type = TS_WBR_STRING;
        if (o->text.len == 0 && o->has_string_value) {
            wbr_text_reset(&o->text);
            if (!wbr_text_add(&o->text, o->string_value.p, o->string_value.len, WBR_INHERIT,
                              WBR_INHERIT)) {
                oom(o, xml);
                return;
            }
        }
        if (o->text.len == 0) {
            if (!o->has_formula)
                content = false;
            value.type = TS_WBR_EMPTY;
        }
    } else {
        wbr_cell_error(o->c, sheet, erow, ecol, "office:value-type=\"%s\" is unknown", vt);
        return;
    }
    if (value.type == TS_WBR_STRING || value.type == TS_WBR_ERROR) {
        if (!wbr_text_finish(&o->text, bold, italic, o->c->a, &value.runs, &value.run_count)) {
            oom(o, xml);
            return;
        }
    }
    bool merged = o->span_cols > 1 || o->span_rows > 1;
    if (!content && !merged)
        return; /* a style and nothing else: repeated or not, it costs nothing */
    if (col >= TS_WBR_MAX_COLS || row >= TS_WBR_MAX_ROWS) {
        wbr_cell_error(o->c, sheet, erow, ecol,
                       "the cell lies beyond the sheet's last cell, XFD1048576");
        return;
    }
    uint64_t last = col + repeat - 1;
    if (last >= TS_WBR_MAX_COLS || (merged && (last + o->span_cols - 1 >= TS_WBR_MAX_COLS ||
                                               row + o->span_rows - 1 >= TS_WBR_MAX_ROWS))) {
        wbr_cell_error(o->c, sheet, erow, ecol,
                       "the cell%s reaches beyond the sheet's last cell, XFD1048576",
                       repeat > 1 ? ", repeated,"
                       : merged   ? ", merged,"
                                  : "");
        return;
    }
    for (uint64_t k = col; k <= last; k++) {
        if (content) {
            ts_wbr_cell *cell = wbr_sheet_cell(o->c, o->sheet, (uint32_t)row, (uint32_t)k);
            if (cell == NULL) {
                wbr_xml_stop(xml);
                return;
            }
            value.row = cell->row;
            value.col = cell->col;
            *cell = value;
        }
        if (merged && !wbr_sheet_merge(o->c, o->sheet, (uint32_t)row, (uint32_t)k,
                                       (uint32_t)(row + o->span_rows - 1),
                                       (uint32_t)(k + o->span_cols - 1))) {
            wbr_xml_stop(xml);
            return;
        }
    }
}

/* ---- Rows and tables --------------------------------------------------------------------- */

static void row_end(ods *o, wbr_xml *xml)
{
    /* A repeated row with something in it: its cells and ranges again, one row down each time
     * (within the cell budget, which stops a row of content repeated a million times). */
    size_t cells_end = o->sheet->cells.len, merges_end = o->sheet->merges.len;
    uint64_t rep = o->row_repeat;
    if (rep > 1 && (cells_end > o->row_first_cell || merges_end > o->row_first_merge)) {
        if (o->row + rep > TS_WBR_MAX_ROWS) {
            wbr_cell_error(o->c, o->sheet->name, TS_WBR_MAX_ROWS - 1, 0,
                           "a row with content is repeated beyond the sheet's last row, 1048576");
            rep = 1;
        }
        for (uint64_t r = 1; r < rep; r++) {
            for (size_t i = o->row_first_cell; i < cells_end; i++) {
                ts_wbr_cell v = ((const ts_wbr_cell *)o->sheet->cells.items)[i];
                ts_wbr_cell *cell = wbr_sheet_cell(o->c, o->sheet, (uint32_t)(o->row + r), v.col);
                if (cell == NULL) {
                    wbr_xml_stop(xml);
                    return;
                }
                v.row = (uint32_t)(o->row + r);
                *cell = v;
            }
            for (size_t i = o->row_first_merge; i < merges_end; i++) {
                ts_wbr_merge m = ((const ts_wbr_merge *)o->sheet->merges.items)[i];
                if (!wbr_sheet_merge(o->c, o->sheet, m.first_row + (uint32_t)r, m.first_col,
                                     m.last_row + (uint32_t)r, m.last_col)) {
                    wbr_xml_stop(xml);
                    return;
                }
            }
        }
    }
    o->row += o->row_repeat;
}

static void table_start(ods *o, wbr_xml *xml, const wbr_attrs *at)
{
    if (!wbr_take_sheet(o->c, o->sheets.len, o->part)) {
        wbr_xml_stop(xml);
        return;
    }
    wbr_sheet *s = ts_vec_push(o->c->scratch, &o->sheets, sizeof *s);
    bool bad = false;
    if (s == NULL) {
        oom(o, xml);
        return;
    }
    s->name = wbr_attr_dup(at, WBR_NS_TABLE, "name", o->c->a, &bad);
    if (bad) {
        oom(o, xml);
        return;
    }
    if (s->name == NULL) {
        s->name = ts_arena_printf(o->c->a, "Sheet%zu", o->sheets.len);
        if (s->name == NULL) {
            oom(o, xml);
            return;
        }
    }
    size_t len;
    const char *st = wbr_attr(at, WBR_NS_TABLE, "style-name", &len);
    ods_style *ts = style_get(o, FAM_TABLE, st, len);
    if (ts) {
        resolve(o, FAM_TABLE, ts);
        s->hidden = ts->r_hidden;
    }
    o->sheet = s;
    o->table_depth = o->depth;
    o->row = 0;
    o->cols.len = 0;
    o->next_col_default = 0;
}

static void column(ods *o, wbr_xml *xml, const wbr_attrs *at)
{
    uint64_t n = attr_count(o, xml, at, "number-columns-repeated");
    size_t len;
    const char *st = wbr_attr(at, WBR_NS_TABLE, "default-cell-style-name", &len);
    const ods_style *s = style_get(o, FAM_CELL, st, len);
    uint64_t first = o->next_col_default;
    o->next_col_default += n;
    if (s == NULL || first >= TS_WBR_MAX_COLS)
        return;
    if (first + n > TS_WBR_MAX_COLS)
        n = TS_WBR_MAX_COLS - first;
    col_range *r = ts_vec_push(o->c->scratch, &o->cols, sizeof *r);
    if (r == NULL) {
        oom(o, xml);
        return;
    }
    *r = (col_range){(uint32_t)first, (uint32_t)n, s};
}

/* ---- The handler ------------------------------------------------------------------------- */

static void ods_start(void *user, wbr_xml *xml, wbr_ns ns, const char *name, const wbr_attrs *at)
{
    ods *o = user;
    o->depth++;
    if (o->cell_depth) {
        cell_content_start(o, xml, ns, name, at);
        return;
    }
    if (o->styles_depth) {
        style_start(o, xml, ns, name, at);
        return;
    }
    if (o->table_depth) {
        if (ns != WBR_NS_TABLE)
            return;
        if (o->row_depth) {
            if (o->depth == o->row_depth + 1 &&
                (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0))
                cell_start(o, xml, name[0] == 'c', at);
        } else if (strcmp(name, "table-row") == 0) {
            o->row_depth = o->depth;
            o->row_repeat = attr_count(o, xml, at, "number-rows-repeated");
            o->col = 0;
            o->row_first_cell = o->sheet->cells.len;
            o->row_first_merge = o->sheet->merges.len;
            size_t len;
            const char *st = wbr_attr(at, WBR_NS_TABLE, "default-cell-style-name", &len);
            o->row_style = style_get(o, FAM_CELL, st, len);
        } else if (strcmp(name, "table-column") == 0) {
            column(o, xml, at);
        }
        /* the groups of rows and columns (table:table-header-rows, table:table-row-group, ...)
         * are walked through */
        return;
    }
    if (ns == WBR_NS_OFFICE && o->depth == 2 &&
        ((o->in_content && strcmp(name, "automatic-styles") == 0) ||
         (!o->in_content && strcmp(name, "styles") == 0))) {
        o->styles_depth = o->depth;
    } else if (ns == WBR_NS_OFFICE && o->in_content && o->depth == 2 && strcmp(name, "body") == 0) {
        o->body_depth = o->depth;
    } else if (o->body_depth && ns == WBR_NS_TABLE && strcmp(name, "table") == 0 &&
               o->depth == o->body_depth + 2) {
        table_start(o, xml, at);
    }
}

static void ods_end(void *user, wbr_xml *xml, wbr_ns ns, const char *name)
{
    ods *o = user;
    if (o->cell_depth) {
        if (o->depth == o->cell_depth) {
            cell_end(o, xml);
            o->cell_depth = 0;
        } else {
            cell_content_end(o, ns, name);
        }
    } else if (o->styles_depth) {
        if (o->depth == o->styles_depth)
            o->styles_depth = 0;
        else
            style_end(o, xml);
    } else if (o->row_depth && o->depth == o->row_depth) {
        row_end(o, xml);
        o->row_depth = 0;
    } else if (o->table_depth && o->depth == o->table_depth) {
        o->table_depth = 0;
    } else if (o->body_depth && o->depth == o->body_depth) {
        o->body_depth = 0;
    }
    o->depth--;
}

static void ods_text(void *user, wbr_xml *xml, const char *s, size_t len)
{
    ods *o = user;
    if (o->cell_depth) {
        if (o->para_depth && !o->skip_depth && !para_text(o, s, len))
            oom(o, xml);
    } else if (o->fmt_text_depth) {
        if (!wbr_buf_add(o->c->scratch, &o->fmt_text, s, len))
            oom(o, xml);
    }
}

bool wbr_read_ods(wbr_ctx *c, ts_wbr_book *book)
{
    ods *o = ts_arena_calloc(c->scratch, 1, sizeof *o);
    if (o == NULL) {
        wbr_oom(c);
        return false;
    }
    o->c = c;
    o->text.scratch = c->scratch;
    for (int f = 0; f < FAM_COUNT; f++)
        wbr_map_init(&o->styles[f], c->scratch, c->hash_key);
    wbr_map_init(&o->data, c->scratch, c->hash_key);
    o->default_cell.bold = o->default_cell.italic = o->default_cell.display = -1;
    static const wbr_handler h = {ods_start, ods_end, ods_text};
    o->part = "styles.xml";
    if (wbr_xml_parse(c, "styles.xml", &h, o) < 0)
        return false;
    o->part = "content.xml";
    o->in_content = true;
    o->depth = 0;
    int r = wbr_xml_parse(c, "content.xml", &h, o);
    if (r == 0)
        wbr_error(c, "the part content.xml is missing: the workbook has no sheets");
    if (r <= 0)
        return false;
    size_t n = o->sheets.len;
    ts_wbr_sheet *sheets = ts_arena_calloc(c->a, n ? n : 1, sizeof *sheets);
    if (sheets == NULL) {
        wbr_oom(c);
        return false;
    }
    wbr_sheet *ws = o->sheets.items;
    bool ok = true;
    wbr_map seen;
    wbr_map_init(&seen, c->scratch, c->hash_key);
    for (size_t i = 0; i < n && !c->stop; i++) {
        if (wbr_sheet_name_taken(c, &seen, ws[i].name, false))
            ok = false;
        if (!wbr_sheet_finish(c, &ws[i], &sheets[i]))
            ok = false;
    }
    book->sheets = sheets;
    book->sheet_count = n;
    return ok && !c->stop;
}
