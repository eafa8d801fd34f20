/* XLSX (Office Open XML SpreadsheetML, transitional and strict): the workbook part found
 * through the package's relationships, its sheets through the workbook's, then the styles
 * (number formats and fonts), the shared strings and each sheet, in that order. */
#include "book/internal.h"

#include <stdio.h>
#include <string.h>

/* ---- Part names -------------------------------------------------------------------------- */

static int hex_value(char ch)
{
    return ch >= '0' && ch <= '9'   ? ch - '0'
           : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                    : -1;
}

/* A relationship's target as a part name: relative to base (a folder ending in "/", or ""),
 * or from the package root when it starts with "/"; "." and ".." resolved, %XX decoded.  A
 * name made this way is only ever looked up in the zip. */
static char *resolve_target(ts_arena *a, const char *base, const char *t, size_t tlen)
{
    bool absolute = tlen > 0 && t[0] == '/';
    size_t blen = absolute ? 0 : strlen(base);
    char *out = ts_arena_alloc(a, blen + tlen + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, base, blen);
    size_t n = blen;
    for (size_t i = absolute ? 1 : 0; i < tlen;) {
        size_t j = i;
        while (j < tlen && t[j] != '/')
            j++;
        size_t seg = j - i;
        if (seg == 0 || (seg == 1 && t[i] == '.')) {
            /* "a//b", "./a": nothing */
        } else if (seg == 2 && t[i] == '.' && t[i + 1] == '.') {
            /* up one folder: back over "folder/" */
            if (n > 0)
                n--;
            while (n > 0 && out[n - 1] != '/')
                n--;
        } else {
            for (size_t k = i; k < j; k++) {
                int hi = k + 2 < j ? hex_value(t[k + 1]) : -1;
                int lo = k + 2 < j ? hex_value(t[k + 2]) : -1;
                if (t[k] == '%' && hi >= 0 && lo >= 0 && hi * 16 + lo != 0) {
                    out[n++] = (char)(hi * 16 + lo);
                    k += 2;
                } else {
                    out[n++] = t[k];
                }
            }
            if (j < tlen)
                out[n++] = '/';
        }
        i = j + 1;
    }
    out[n] = '\0';
    return out;
}

/* ---- The reader's state ------------------------------------------------------------------ */

typedef struct rel {
    const char *type; /* the last segment of the type: "worksheet", "styles" */
    const char *target;
} rel;

typedef struct sheet_decl {
    const char *name;
    const char *rid;
    bool hidden;
} sheet_decl;

typedef struct xf {
    const ts_wbr_numfmt *format;
    bool bold, italic;
} xf;

typedef struct font {
    bool bold, italic;
} font;

/* The runs of a shared string as cells of each of the four styles show them. */
typedef struct shown {
    const ts_wbr_run *runs[4];
    uint32_t count[4];
    bool made[4];
} shown;

typedef struct xlsx {
    wbr_ctx *c;
    ts_wbr_book *book;
    const char *part; /* being parsed */
    const char *wb_part;
    char *wb_dir;
    int depth;

    /* _rels */
    const char *office_target;
    wbr_map rels;   /* id -> rel */
    ts_vec by_type; /* const rel *, in order */

    /* workbook.xml */
    ts_vec decls; /* sheet_decl */

    /* styles.xml */
    ts_vec fonts;    /* font */
    ts_vec xf_ids;   /* per cell format, its numFmtId and fontId as written */
    ts_vec xfs;      /* xf: the cell formats as cells use them (resolve_xfs) */
    wbr_map numfmts; /* decimal id -> const ts_wbr_numfmt * */
    int in_fonts, in_font, in_cellxfs;
    font cur_font;

    /* sharedStrings.xml */
    ts_vec sst; /* wbr_shared */
    shown **shown;
    bool have_sst;

    /* strings: <si> and <is> */
    wbr_text text;
    wbr_buf raw; /* the text of the current <t> or <v> */
    int in_si, in_r, in_rpr, in_t, skip;
    bool has_rpr;
    wbr_tri rpr_b, rpr_i;

    /* a sheet */
    wbr_sheet *sheet;
    int in_sheetdata, in_row, in_c, in_v, in_is, in_mergecells;
    bool row_bad;
    uint32_t row, next_row, col, next_col;
    bool have_cell;
    char t[16];
    uint32_t style;
    bool has_v, has_f;
} xlsx;

static const char *attr_ns_none(const wbr_attrs *at, const char *name, size_t *len)
{
    return wbr_attr(at, WBR_NS_NONE, name, len);
}

/* An XSD boolean attribute: absent is `dflt`. */
static bool attr_bool(const wbr_attrs *at, const char *name, bool dflt)
{
    size_t len;
    const char *v = attr_ns_none(at, name, &len);
    if (v == NULL)
        return dflt;
    return wbr_eq(v, len, "1") || wbr_ieq(v, len, "true") || wbr_ieq(v, len, "on");
}

static void part_error_here(xlsx *x, wbr_xml *xml, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void part_error_here(xlsx *x, wbr_xml *xml, const char *fmt, ...)
{
    uint32_t line, col;
    wbr_xml_pos(xml, &line, &col);
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wbr_part_error(x->c, wbr_xml_part(xml), line, col, "%s", msg);
}

static void oom(xlsx *x, wbr_xml *xml)
{
    wbr_oom(x->c);
    wbr_xml_stop(xml);
}

/* Excel keeps at most 64,000 cell formats (and fewer fonts and number formats); a part that
 * holds more of one kind is no workbook, and each costs memory out of proportion to its bytes
 * ("<xf/>" is five). */
#define MAX_STYLE_ITEMS 65536

/* False (said, the parse stopped) when a list already holds `have` items of `what`. */
static bool room_for(xlsx *x, wbr_xml *xml, size_t have, size_t max, const char *what)
{
    if (have < max)
        return true;
    part_error_here(x, xml, "the part has more than %zu %s", max, what);
    x->c->stop = true;
    wbr_xml_stop(xml);
    return false;
}

/* ---- Relationships ----------------------------------------------------------------------- */

static void rels_start(void *user, wbr_xml *xml, wbr_ns ns, const char *name, const wbr_attrs *at)
{
    xlsx *x = user;
    if (ns != WBR_NS_PKG_REL || strcmp(name, "Relationship") != 0)
        return;
    size_t idl, tl, tgl, ml;
    const char *id = attr_ns_none(at, "Id", &idl);
    const char *type = attr_ns_none(at, "Type", &tl);
    const char *target = attr_ns_none(at, "Target", &tgl);
    const char *mode = attr_ns_none(at, "TargetMode", &ml);
    if (id == NULL || type == NULL || target == NULL || tgl == 0 || wbr_ieq(mode, ml, "External"))
        return;
    size_t k = tl;
    while (k > 0 && type[k - 1] != '/')
        k--;
    const char *base = x->wb_dir ? x->wb_dir : "";
    rel *r = ts_arena_alloc(x->c->scratch, sizeof *r);
    char *ty = ts_arena_strndup(x->c->scratch, type + k, tl - k);
    char *tg = resolve_target(x->c->scratch, base, target, tgl);
    if (r == NULL || ty == NULL || tg == NULL) {
        oom(x, xml);
        return;
    }
    r->type = ty;
    r->target = tg;
    if (x->wb_dir == NULL) {
        /* the package's own relationships: only the workbook is asked for */
        if (strcmp(ty, "officeDocument") == 0 && x->office_target == NULL)
            x->office_target = tg;
        return;
    }
    if (wbr_map_get(&x->rels, id, idl) != NULL)
        return; /* the first of an id counts */
    if (!room_for(x, xml, x->by_type.len, x->c->lim.max_entries, "relationships"))
        return;
    const rel **slot = ts_vec_push(x->c->scratch, &x->by_type, sizeof *slot);
    if (slot == NULL || !wbr_map_put(&x->rels, id, idl, r)) {
        oom(x, xml);
        return;
    }
    *slot = r;
}

/* ---- workbook.xml ------------------------------------------------------------------------ */

static void workbook_start(void *user, wbr_xml *xml, wbr_ns ns, const char *name,
                           const wbr_attrs *at)
{
    xlsx *x = user;
    if (ns != WBR_NS_SML)
        return;
    if (strcmp(name, "workbookPr") == 0) {
        x->book->date1904 = attr_bool(at, "date1904", false);
    } else if (strcmp(name, "sheet") == 0) {
        bool bad = false;
        const char *n = wbr_attr_dup(at, WBR_NS_NONE, "name", x->c->a, &bad);
        const char *rid = wbr_attr_dup(at, WBR_NS_REL, "id", x->c->scratch, &bad);
        size_t sl;
        const char *state = attr_ns_none(at, "state", &sl);
        if (bad) {
            oom(x, xml);
            return;
        }
        if (n == NULL || rid == NULL) {
            part_error_here(x, xml, "a <sheet> without %s", n == NULL ? "a name" : "an r:id");
            return;
        }
        if (!wbr_take_sheet(x->c, x->decls.len, wbr_xml_part(xml))) {
            wbr_xml_stop(xml);
            return;
        }
        sheet_decl *d = ts_vec_push(x->c->scratch, &x->decls, sizeof *d);
        if (d == NULL) {
            oom(x, xml);
            return;
        }
        d->name = n;
        d->rid = rid;
        d->hidden = wbr_eq(state, sl, "hidden") || wbr_eq(state, sl, "veryHidden");
    }
}

/* ---- styles.xml -------------------------------------------------------------------------- */

static wbr_tri font_flag(const wbr_attrs *at)
{
    return attr_bool(at, "val", true) ? WBR_ON : WBR_OFF;
}

static void styles_start(void *user, wbr_xml *xml, wbr_ns ns, const char *name, const wbr_attrs *at)
{
    xlsx *x = user;
    x->depth++;
    if (ns != WBR_NS_SML)
        return;
    if (x->depth == 2 && strcmp(name, "fonts") == 0) {
        x->in_fonts = 1;
    } else if (x->depth == 2 && strcmp(name, "cellXfs") == 0) {
        x->in_cellxfs = 1;
    } else if (x->depth == 2 && strcmp(name, "numFmts") == 0) {
        /* nothing: numFmt below */
    } else if (x->depth == 3 && strcmp(name, "numFmt") == 0) {
        size_t il, cl;
        const char *id = attr_ns_none(at, "numFmtId", &il);
        const char *code = attr_ns_none(at, "formatCode", &cl);
        uint64_t v;
        if (id == NULL || code == NULL || !wbr_parse_uint(id, il, 0xFFFFFFFFu, &v)) {
            part_error_here(x, xml, "a <numFmt> without a numFmtId or a formatCode");
            return;
        }
        if (!room_for(x, xml, x->numfmts.len, MAX_STYLE_ITEMS, "number formats"))
            return;
        char *cs = ts_arena_strndup(x->c->scratch, code, cl);
        const ts_wbr_numfmt *f = cs ? wbr_numfmt_parse(cs, x->c->a) : NULL;
        if (f == NULL || !wbr_map_put(&x->numfmts, id, il, (void *)f))
            oom(x, xml);
    } else if (x->in_fonts && x->depth == 3 && strcmp(name, "font") == 0) {
        x->in_font = 1;
        x->cur_font = (font){false, false};
    } else if (x->in_font && x->depth == 4 && strcmp(name, "b") == 0) {
        x->cur_font.bold = font_flag(at) == WBR_ON;
    } else if (x->in_font && x->depth == 4 && strcmp(name, "i") == 0) {
        x->cur_font.italic = font_flag(at) == WBR_ON;
    } else if (x->in_cellxfs && x->depth == 3 && strcmp(name, "xf") == 0) {
        size_t nl, fl;
        const char *nf = attr_ns_none(at, "numFmtId", &nl);
        const char *fi = attr_ns_none(at, "fontId", &fl);
        uint64_t n = 0, f = 0;
        if ((nf && !wbr_parse_uint(nf, nl, 0xFFFFFFFFu, &n)) ||
            (fi && !wbr_parse_uint(fi, fl, 0xFFFFFFFFu, &f))) {
            part_error_here(x, xml, "an <xf> whose numFmtId or fontId is not a number");
            n = f = 0;
        }
        if (!room_for(x, xml, x->xf_ids.len, MAX_STYLE_ITEMS, "cell formats"))
            return;
        uint32_t *ids = ts_vec_push(x->c->scratch, &x->xf_ids, 2 * sizeof *ids);
        if (ids == NULL) {
            oom(x, xml);
            return;
        }
        ids[0] = (uint32_t)n;
        ids[1] = (uint32_t)f;
    }
}

static void styles_end(void *user, wbr_xml *xml, wbr_ns ns, const char *name)
{
    xlsx *x = user;
    if (ns == WBR_NS_SML) {
        if (x->depth == 2 && strcmp(name, "fonts") == 0) {
            x->in_fonts = 0;
        } else if (x->depth == 2 && strcmp(name, "cellXfs") == 0) {
            x->in_cellxfs = 0;
        } else if (x->in_font && x->depth == 3 && strcmp(name, "font") == 0) {
            x->in_font = 0;
            if (!room_for(x, xml, x->fonts.len, MAX_STYLE_ITEMS, "fonts"))
                return;
            font *f = ts_vec_push(x->c->scratch, &x->fonts, sizeof *f);
            if (f == NULL)
                oom(x, xml);
            else
                *f = x->cur_font;
        }
    }
    x->depth--;
}

/* The cell formats as cells use them: number formats and fonts looked up once. */
static bool resolve_xfs(xlsx *x)
{
    size_t n = x->xf_ids.len;
    const uint32_t *ids = x->xf_ids.items;
    const font *fonts = x->fonts.items;
    for (size_t i = 0; i < n; i++) {
        xf *e = ts_vec_push(x->c->scratch, &x->xfs, sizeof *e);
        if (e == NULL) {
            wbr_oom(x->c);
            return false;
        }
        uint32_t nf = ids[2 * i], fo = ids[2 * i + 1];
        if (fo < x->fonts.len) {
            e->bold = fonts[fo].bold;
            e->italic = fonts[fo].italic;
        } else if (x->fonts.len > 0 || fo > 0) {
            wbr_part_error(x->c, x->part, 0, 0,
                           "cell format %zu names font %lu, but the part has %zu fonts", i,
                           (unsigned long)fo, x->fonts.len);
        }
        if (nf == 0)
            continue;
        char key[16];
        int kl = snprintf(key, sizeof key, "%lu", (unsigned long)nf);
        const ts_wbr_numfmt *f = wbr_map_get(&x->numfmts, key, (size_t)kl);
        if (f == NULL && wbr_numfmt_builtin(nf)) {
            f = wbr_numfmt_parse(wbr_numfmt_builtin(nf), x->c->a);
            if (f == NULL || !wbr_map_put(&x->numfmts, key, (size_t)kl, (void *)f)) {
                wbr_oom(x->c);
                return false;
            }
        }
        /* An id neither defined nor built in shows as General, as in Excel; so does a plain
         * "General" (NULL). */
        bool general = f && f->kind == TS_WBR_FMT_GENERAL && !f->prefix[0] && !f->suffix[0];
        e->format = general ? NULL : f;
    }
    return true;
}

/* ---- Strings: <si> of sharedStrings.xml and <is> of a cell ------------------------------- */

/* Elements of a string item, at any depth below its <si> or <is>. */
static void string_start(xlsx *x, wbr_xml *xml, const char *name, const wbr_attrs *at)
{
    if (x->skip) {
        x->skip++;
        return;
    }
    if (strcmp(name, "rPh") == 0) {
        x->skip = 1; /* phonetic guides: their text is not the cell's */
    } else if (strcmp(name, "r") == 0) {
        x->in_r = 1;
        x->has_rpr = false;
        x->rpr_b = x->rpr_i = WBR_OFF;
    } else if (x->in_r && strcmp(name, "rPr") == 0) {
        x->in_rpr = 1;
        x->has_rpr = true;
    } else if (x->in_rpr && strcmp(name, "b") == 0) {
        x->rpr_b = font_flag(at);
    } else if (x->in_rpr && strcmp(name, "i") == 0) {
        x->rpr_i = font_flag(at);
    } else if (strcmp(name, "t") == 0) {
        x->in_t = 1;
        x->raw.len = 0;
    }
}

static void string_end(xlsx *x, wbr_xml *xml, const char *name)
{
    if (x->skip) {
        x->skip--;
        return;
    }
    if (strcmp(name, "t") == 0 && x->in_t) {
        x->in_t = 0;
        wbr_tri b = x->in_r && x->has_rpr ? x->rpr_b : WBR_INHERIT;
        wbr_tri i = x->in_r && x->has_rpr ? x->rpr_i : WBR_INHERIT;
        if (!wbr_text_add_xstring(&x->text, x->raw.p ? x->raw.p : "", x->raw.len, b, i))
            oom(x, xml);
    } else if (strcmp(name, "rPr") == 0) {
        x->in_rpr = 0;
    } else if (strcmp(name, "r") == 0) {
        x->in_r = 0;
    }
}

static void xlsx_text(void *user, wbr_xml *xml, const char *s, size_t len)
{
    xlsx *x = user;
    if ((x->in_t && !x->skip) || x->in_v) {
        if (!wbr_buf_add(x->c->scratch, &x->raw, s, len))
            oom(x, xml);
    }
}

static void sst_start(void *user, wbr_xml *xml, wbr_ns ns, const char *name, const wbr_attrs *at)
{
    xlsx *x = user;
    if (ns != WBR_NS_SML)
        return;
    if (x->in_si) {
        string_start(x, xml, name, at);
    } else if (strcmp(name, "si") == 0) {
        x->in_si = 1;
        wbr_text_reset(&x->text);
    } else if (strcmp(name, "sst") == 0 && x->sst.cap == 0) {
        /* The count it declares sizes the list at once (a list grown by doubling leaves its
         * old blocks in the arena); a count that lies costs at most the limit. */
        size_t len;
        const char *n = attr_ns_none(at, "uniqueCount", &len);
        uint64_t v;
        if (n && wbr_parse_uint(n, len, x->c->lim.max_cells, &v) && v > 0) {
            x->sst.items = ts_arena_alloc(x->c->scratch, (size_t)v * sizeof(wbr_shared));
            if (x->sst.items == NULL) {
                oom(x, xml);
                return;
            }
            x->sst.cap = (size_t)v;
        }
    }
}

static void sst_end(void *user, wbr_xml *xml, wbr_ns ns, const char *name)
{
    xlsx *x = user;
    if (ns != WBR_NS_SML || !x->in_si)
        return;
    if (x->skip || strcmp(name, "si") != 0) {
        string_end(x, xml, name);
        return;
    }
    x->in_si = 0;
    if (x->sst.len >= x->c->lim.max_cells) {
        part_error_here(x, xml, "more than %zu shared strings; a workbook may hold at most that",
                        x->c->lim.max_cells);
        x->c->stop = true;
        wbr_xml_stop(xml);
        return;
    }
    wbr_shared *s = ts_vec_push(x->c->scratch, &x->sst, sizeof *s);
    if (s == NULL || !wbr_shared_make(&x->text, x->c->a, x->c->scratch, s))
        oom(x, xml);
}

/* The runs shared string i shows in a cell of that style. */
static bool shared_runs(xlsx *x, uint32_t i, bool bold, bool italic, const ts_wbr_run **runs,
                        uint32_t *count)
{
    const wbr_shared *s = (const wbr_shared *)x->sst.items + i;
    /* A string of one span costs one run (its text shared) per cell: cheaper than keeping the
     * runs of four styles for every string.  Runs of several spans are made once a style. */
    if (s->spans == NULL)
        return wbr_shared_runs(s, bold, italic, x->c->a, runs, count);
    unsigned k = s->inherits ? (unsigned)bold * 2 + (unsigned)italic : 0;
    if (x->shown == NULL) {
        x->shown = ts_arena_calloc(x->c->scratch, x->sst.len, sizeof *x->shown);
        if (x->shown == NULL)
            return false;
    }
    shown *sh = x->shown[i];
    if (sh == NULL) {
        sh = x->shown[i] = ts_arena_calloc(x->c->scratch, 1, sizeof *sh);
        if (sh == NULL)
            return false;
    }
    if (!sh->made[k]) {
        if (!wbr_shared_runs(s, bold, italic, x->c->a, &sh->runs[k], &sh->count[k]))
            return false;
        sh->made[k] = true;
    }
    *runs = sh->runs[k];
    *count = sh->count[k];
    return true;
}

/* ---- A sheet ----------------------------------------------------------------------------- */

/* The message for a cell reference that is not one, or beyond XFD1048576. */
static void bad_ref(xlsx *x, wbr_xml *xml, const char *ref, size_t len)
{
    size_t i = 0, letters = 0, digits = 0;
    while (i < len && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z')))
        i++, letters++;
    while (i < len && ref[i] >= '0' && ref[i] <= '9')
        i++, digits++;
    if (i == len && letters > 0 && digits > 0)
        wbr_ref_error(x->c, x->sheet->name, ref, len,
                      "the cell lies beyond the sheet's last cell, XFD1048576");
    else
        part_error_here(x, xml, "\"%.*s\" is not a cell reference", (int)(len > 24 ? 24 : len),
                        ref);
}

static void cell_start(xlsx *x, wbr_xml *xml, const wbr_attrs *at)
{
    size_t rl, tl, sl;
    const char *r = attr_ns_none(at, "r", &rl);
    const char *t = attr_ns_none(at, "t", &tl);
    const char *s = attr_ns_none(at, "s", &sl);
    x->have_cell = false;
    x->has_v = x->has_f = false;
    x->raw.len = 0;
    if (x->row_bad)
        return;
    uint32_t row = x->row, col = x->next_col;
    if (r != NULL) {
        if (!ts_wbr_parse_ref(r, rl, &row, &col)) {
            bad_ref(x, xml, r, rl);
            return;
        }
    } else if (col >= TS_WBR_MAX_COLS) {
        wbr_cell_error(x->c, x->sheet->name, row, TS_WBR_MAX_COLS - 1,
                       "a cell after the sheet's last column, XFD (a <c> without r= past it)");
        return;
    }
    x->row = row;
    x->col = col;
    x->next_col = col + 1;
    if (t == NULL)
        t = "n", tl = 1;
    snprintf(x->t, sizeof x->t, "%.*s", (int)(tl < sizeof x->t ? tl : sizeof x->t - 1), t);
    uint64_t style = 0;
    if (s != NULL && !wbr_parse_uint(s, sl, 0xFFFFFFFFu, &style)) {
        wbr_cell_error(x->c, x->sheet->name, row, col, "the style index \"%.*s\" is not a number",
                       (int)(sl > 20 ? 20 : sl), s);
        return;
    }
    if (style > 0 && style >= x->xfs.len) {
        wbr_cell_error(x->c, x->sheet->name, row, col,
                       "the cell's style index %lu is out of range: the workbook has %zu cell "
                       "formats",
                       (unsigned long)style, x->xfs.len);
        return;
    }
    x->style = (uint32_t)style;
    x->have_cell = true;
}

static void cell_end(xlsx *x, wbr_xml *xml)
{
    if (!x->have_cell)
        return;
    const char *sheet = x->sheet->name;
    uint32_t row = x->row, col = x->col;
    const xf *style = x->style < x->xfs.len ? (const xf *)x->xfs.items + x->style : NULL;
    bool bold = style && style->bold, italic = style && style->italic;
    const char *t = x->t;
    const char *v = x->raw.p ? x->raw.p : "";
    size_t vl = x->raw.len;
    ts_wbr_cell value;
    memset(&value, 0, sizeof value);
    value.format = style ? style->format : NULL;
    value.bold = bold;
    value.italic = italic;
    value.formula = x->has_f;
    if (strcmp(t, "inlineStr") == 0) {
        value.type = TS_WBR_STRING;
        if (!wbr_text_finish(&x->text, bold, italic, x->c->a, &value.runs, &value.run_count)) {
            oom(x, xml);
            return;
        }
        if (value.run_count == 0 && !x->has_f)
            return;
    } else if (!x->has_v || (vl == 0 && strcmp(t, "str") != 0)) {
        /* openpyxl writes <v></v> for a formula it did not compute */
        if (!x->has_f)
            return; /* a formatted cell with nothing in it */
        value.type = TS_WBR_EMPTY;
    } else if (strcmp(t, "s") == 0) {
        uint64_t i;
        if (!wbr_parse_uint(v, vl, UINT32_MAX, &i)) {
            wbr_cell_error(x->c, sheet, row, col,
                           "the shared string index \"%.*s\" is not a number",
                           (int)(vl > 20 ? 20 : vl), v);
            return;
        }
        if (i >= x->sst.len) {
            if (x->have_sst)
                wbr_cell_error(x->c, sheet, row, col,
                               "the cell names shared string %lu, but the workbook has %zu "
                               "(numbered from 0)",
                               (unsigned long)i, x->sst.len);
            else
                wbr_cell_error(x->c, sheet, row, col,
                               "the cell names shared string %lu, but the workbook has no "
                               "shared strings part",
                               (unsigned long)i);
            return;
        }
        value.type = TS_WBR_STRING;
        if (!shared_runs(x, (uint32_t)i, bold, italic, &value.runs, &value.run_count)) {
            oom(x, xml);
            return;
        }
        if (value.run_count == 0 && !x->has_f)
            return;
    } else if (strcmp(t, "str") == 0 || strcmp(t, "e") == 0) {
        value.type = t[0] == 'e' ? TS_WBR_ERROR : TS_WBR_STRING;
        wbr_text_reset(&x->text);
        if (!wbr_text_add_xstring(&x->text, v, vl, WBR_INHERIT, WBR_INHERIT) ||
            !wbr_text_finish(&x->text, bold, italic, x->c->a, &value.runs, &value.run_count)) {
            oom(x, xml);
            return;
        }
        if (value.run_count == 0 && !x->has_f)
            return;
    } else if (strcmp(t, "b") == 0) {
        value.type = TS_WBR_BOOLEAN;
        if (wbr_eq(v, vl, "1") || wbr_eq(v, vl, "true")) {
            value.number = 1;
        } else if (!wbr_eq(v, vl, "0") && !wbr_eq(v, vl, "false")) {
            wbr_cell_error(x->c, sheet, row, col, "\"%.*s\" is not a boolean (0 or 1)",
                           (int)(vl > 20 ? 20 : vl), v);
            return;
        }
    } else if (strcmp(t, "d") == 0) {
        value.type = TS_WBR_NUMBER;
        if (!wbr_parse_datetime(v, vl, &value.number)) {
            wbr_cell_error(x->c, sheet, row, col, "\"%.*s\" is not a date (YYYY-MM-DD)",
                           (int)(vl > 40 ? 40 : vl), v);
            return;
        }
        if (x->book->date1904)
            value.number -= 1462;
    } else if (strcmp(t, "n") == 0) {
        value.type = TS_WBR_NUMBER;
        if (!wbr_parse_number(v, vl, &value.number)) {
            wbr_cell_error(x->c, sheet, row, col, "\"%.*s\" is not a number",
                           (int)(vl > 40 ? 40 : vl), v);
            return;
        }
    } else {
        wbr_cell_error(x->c, sheet, row, col, "the cell type t=\"%s\" is unknown", t);
        return;
    }
    ts_wbr_cell *cell = wbr_sheet_cell(x->c, x->sheet, row, col);
    if (cell == NULL) {
        wbr_xml_stop(xml);
        return;
    }
    value.row = cell->row;
    value.col = cell->col;
    *cell = value;
}

static void merge_cell(xlsx *x, wbr_xml *xml, const wbr_attrs *at)
{
    size_t len;
    const char *ref = attr_ns_none(at, "ref", &len);
    if (ref == NULL)
        return;
    size_t colon = 0;
    while (colon < len && ref[colon] != ':')
        colon++;
    uint32_t r1, c1, r2, c2;
    if (!ts_wbr_parse_ref(ref, colon, &r1, &c1)) {
        bad_ref(x, xml, ref, colon);
        return;
    }
    if (colon == len) {
        r2 = r1, c2 = c1;
    } else if (!ts_wbr_parse_ref(ref + colon + 1, len - colon - 1, &r2, &c2)) {
        bad_ref(x, xml, ref + colon + 1, len - colon - 1);
        return;
    }
    if (r2 < r1) {
        uint32_t k = r1;
        r1 = r2, r2 = k;
    }
    if (c2 < c1) {
        uint32_t k = c1;
        c1 = c2, c2 = k;
    }
    if (r1 == r2 && c1 == c2)
        return; /* one cell: nothing is merged */
    if (!wbr_sheet_merge(x->c, x->sheet, r1, c1, r2, c2))
        wbr_xml_stop(xml);
}

static void sheet_start(void *user, wbr_xml *xml, wbr_ns ns, const char *name, const wbr_attrs *at)
{
    xlsx *x = user;
    x->depth++;
    if (ns != WBR_NS_SML)
        return;
    if (x->in_is) {
        string_start(x, xml, name, at);
    } else if (x->in_c) {
        if (strcmp(name, "v") == 0) {
            x->in_v = 1;
            x->has_v = true;
            x->raw.len = 0;
        } else if (strcmp(name, "f") == 0) {
            x->has_f = true;
        } else if (strcmp(name, "is") == 0) {
            x->in_is = x->depth;
            wbr_text_reset(&x->text);
        }
    } else if (x->in_row && strcmp(name, "c") == 0) {
        x->in_c = 1;
        cell_start(x, xml, at);
    } else if (x->in_sheetdata && strcmp(name, "row") == 0) {
        x->in_row = 1;
        size_t rl;
        const char *r = attr_ns_none(at, "r", &rl);
        uint64_t v = x->next_row + 1;
        x->row_bad = false;
        if (r != NULL && !wbr_parse_uint(r, rl, UINT32_MAX, &v))
            v = 0;
        if (v == 0 || v > TS_WBR_MAX_ROWS) {
            if (r != NULL && v != 0)
                part_error_here(x, xml,
                                "row %.*s of sheet %s lies beyond the sheet's last row, "
                                "1048576",
                                (int)(rl > 20 ? 20 : rl), r, x->sheet->name);
            else
                part_error_here(x, xml, "r=\"%.*s\" is no row number", (int)(rl > 20 ? 20 : rl),
                                r ? r : "");
            x->row_bad = true;
            v = x->next_row + 1;
        }
        x->row = (uint32_t)v - 1;
        x->next_row = (uint32_t)v;
        x->next_col = 0;
    } else if (x->depth == 2 && strcmp(name, "sheetData") == 0) {
        x->in_sheetdata = 1;
    } else if (x->depth == 2 && strcmp(name, "mergeCells") == 0) {
        x->in_mergecells = 1;
    } else if (x->in_mergecells && strcmp(name, "mergeCell") == 0) {
        merge_cell(x, xml, at);
    }
}

static void sheet_end(void *user, wbr_xml *xml, wbr_ns ns, const char *name)
{
    xlsx *x = user;
    if (ns == WBR_NS_SML) {
        if (x->in_is && x->depth == x->in_is) {
            x->in_is = 0;
        } else if (x->in_is) {
            string_end(x, xml, name);
        } else if (x->in_v && strcmp(name, "v") == 0) {
            x->in_v = 0;
        } else if (x->in_c && strcmp(name, "c") == 0) {
            x->in_c = 0;
            cell_end(x, xml);
        } else if (x->in_row && strcmp(name, "row") == 0) {
            x->in_row = 0;
        } else if (x->in_sheetdata && x->depth == 2 && strcmp(name, "sheetData") == 0) {
            x->in_sheetdata = 0;
        } else if (x->in_mergecells && x->depth == 2 && strcmp(name, "mergeCells") == 0) {
            x->in_mergecells = 0;
        }
    }
    x->depth--;
}

/* ---- The workbook ------------------------------------------------------------------------ */

static int parse(xlsx *x, const char *part, const wbr_handler *h)
{
    x->part = part;
    x->depth = 0;
    return wbr_xml_parse(x->c, part, h, x);
}

static const rel *rel_of_type(xlsx *x, const char *type)
{
    const rel *const *rels = x->by_type.items;
    for (size_t i = 0; i < x->by_type.len; i++)
        if (strcmp(rels[i]->type, type) == 0)
            return rels[i];
    return NULL;
}

bool wbr_read_xlsx(wbr_ctx *c, ts_wbr_book *book)
{
    xlsx *x = ts_arena_calloc(c->scratch, 1, sizeof *x);
    if (x == NULL) {
        wbr_oom(c);
        return false;
    }
    x->c = c;
    x->book = book;
    x->text.scratch = c->scratch;
    wbr_map_init(&x->rels, c->scratch, c->hash_key);
    wbr_map_init(&x->numfmts, c->scratch, c->hash_key);

    /* The package's relationships name the workbook part; without them, where Excel puts it. */
    static const wbr_handler rels_h = {rels_start, NULL, NULL};
    if (parse(x, "_rels/.rels", &rels_h) < 0)
        return false;
    x->wb_part = x->office_target ? x->office_target : "xl/workbook.xml";
    size_t dl = strlen(x->wb_part);
    while (dl > 0 && x->wb_part[dl - 1] != '/')
        dl--;
    x->wb_dir = ts_arena_strndup(c->scratch, x->wb_part, dl);
    char *wb_rels = ts_arena_printf(c->scratch, "%s_rels/%s.rels", x->wb_dir, x->wb_part + dl);
    if (x->wb_dir == NULL || wb_rels == NULL) {
        wbr_oom(c);
        return false;
    }

    static const wbr_handler wb_h = {workbook_start, NULL, NULL};
    int r = parse(x, x->wb_part, &wb_h);
    if (r == 0)
        wbr_error(c, "the workbook part %s is missing", x->wb_part);
    if (r <= 0)
        return false;
    r = parse(x, wb_rels, &rels_h);
    if (r == 0 && x->decls.len > 0)
        wbr_error(c, "the workbook's relationships, %s, are missing: its sheets cannot be found",
                  wb_rels);
    if (r < 0 || (r == 0 && x->decls.len > 0))
        return false;

    const rel *st = rel_of_type(x, "styles");
    if (st) {
        static const wbr_handler styles_h = {styles_start, styles_end, NULL};
        if (parse(x, st->target, &styles_h) < 0)
            return false;
    }
    if (!resolve_xfs(x))
        return false;
    const rel *ss = rel_of_type(x, "sharedStrings");
    if (ss) {
        static const wbr_handler sst_h = {sst_start, sst_end, xlsx_text};
        r = parse(x, ss->target, &sst_h);
        if (r < 0)
            return false;
        x->have_sst = r == 1;
    }

    size_t n = x->decls.len;
    ts_wbr_sheet *sheets = ts_arena_calloc(c->a, n ? n : 1, sizeof *sheets);
    if (sheets == NULL) {
        wbr_oom(c);
        return false;
    }
    const sheet_decl *decls = x->decls.items;
    bool ok = true;
    wbr_map seen;
    wbr_map_init(&seen, c->scratch, c->hash_key);
    for (size_t i = 0; i < n && !c->stop; i++) {
        if (wbr_sheet_name_taken(c, &seen, decls[i].name, true))
            ok = false;
        const rel *rl = wbr_map_get(&x->rels, decls[i].rid, strlen(decls[i].rid));
        wbr_sheet sh;
        memset(&sh, 0, sizeof sh);
        sh.name = decls[i].name;
        sh.hidden = decls[i].hidden;
        if (rl == NULL) {
            wbr_error(c, "the sheet \"%s\" names the relationship %s, which %s does not hold",
                      decls[i].name, decls[i].rid, wb_rels);
            ok = false;
            continue;
        }
        if (strcmp(rl->type, "worksheet") == 0) {
            static const wbr_handler sheet_h = {sheet_start, sheet_end, xlsx_text};
            x->sheet = &sh;
            x->in_sheetdata = x->in_row = x->in_c = x->in_v = x->in_is = 0;
            x->in_mergecells = x->skip = x->in_t = x->in_r = x->in_rpr = 0;
            x->next_row = 0;
            r = parse(x, rl->target, &sheet_h);
            if (r == 0)
                wbr_error(c, "the part %s of the sheet \"%s\" is missing", rl->target,
                          decls[i].name);
            if (r <= 0) {
                ok = false;
                continue;
            }
        }
        /* A chart sheet (or a dialog or macro sheet) is a sheet with no cells. */
        if (!wbr_sheet_finish(c, &sh, &sheets[i]))
            ok = false;
    }
    book->sheets = sheets;
    book->sheet_count = n;
    return ok && !c->stop;
}
