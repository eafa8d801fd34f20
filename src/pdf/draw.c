/* The drawing layer of draw.h: semantic drawing over libharu (painting, with the operators that
 * shim.h writes below it), tag.c (structure and marked content) and doc.c (the document).
 *
 * Every painting operator goes through paint_ok() first: it must sit inside marked content
 * with an MCID or inside an Artifact (PDF/UA-1 7.1, Matterhorn 01-003/004).  A fault asserts
 * in debug builds and is counted otherwise; ts_pdf_save refuses to write a file that has one.
 * Marked content is never nested and never opened inside a path object, and each BDC...EMC
 * holds whole text objects (BT...ET) or whole paths. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "layout/labels.h"
#include "pdf/fonts.h"
#include "pdf/state.h"
#include "pdf/draw.h"
#include "pdf/shim.h"
#include "pdf/tag.h"

/* ---- Pages ----------------------------------------------------------------------------- */

int ts_pdf_add_page(ts_pdf *pdf, ts_rgb background)
{
    int page = ts_pdf_new_page(pdf);
    if (page < 0)
        return -1;
    if (ts_draw_rect(pdf, NULL, 0, 0, pdf->layout->page_w, pdf->layout->page_h, &background, NULL,
                     0) != 0)
        return -1;
    return page;
}

/* ---- Structure ------------------------------------------------------------------------- */

ts_elem *ts_pdf_document(ts_pdf *pdf)
{
    return ts_tag_document(pdf->tag);
}

ts_elem *ts_elem_new(ts_pdf *pdf, ts_elem *parent, const char *type)
{
    ts_elem *e = ts_tag_elem_new(pdf->tag, parent != NULL ? parent : ts_pdf_document(pdf), type);
    if (e == NULL)
        ts_pdf_fail(pdf, "adding a structure element");
    return e;
}

static void check(ts_pdf *pdf, int rc, const char *what)
{
    if (rc != 0)
        ts_pdf_fail(pdf, what);
}

void ts_elem_set_alt(ts_pdf *pdf, ts_elem *e, const char *utf8)
{
    if (e != NULL && utf8 != NULL)
        check(pdf, ts_tag_set_alt(pdf->tag, e, utf8, strlen(utf8)), "setting /Alt");
}

void ts_elem_set_scope(ts_pdf *pdf, ts_elem *e, const char *scope)
{
    if (e != NULL && scope != NULL)
        check(pdf, ts_tag_set_attr_name(pdf->tag, e, "Table", "Scope", scope), "setting /Scope");
}

void ts_elem_set_numbering(ts_pdf *pdf, ts_elem *e, bool ordered)
{
    if (e != NULL)
        check(pdf,
              ts_tag_set_attr_name(pdf->tag, e, "List", "ListNumbering",
                                   ordered ? "Decimal" : "Disc"),
              "setting /ListNumbering");
}

void ts_elem_set_row_span(ts_pdf *pdf, ts_elem *e, int rows)
{
    if (e != NULL && rows > 1)
        check(pdf, ts_tag_set_attr_number(pdf->tag, e, "Table", "RowSpan", rows),
              "setting /RowSpan");
}

void ts_elem_set_col_span(ts_pdf *pdf, ts_elem *e, int cols)
{
    if (e != NULL && cols > 1)
        check(pdf, ts_tag_set_attr_number(pdf->tag, e, "Table", "ColSpan", cols),
              "setting /ColSpan");
}

void ts_elem_set_headers(ts_pdf *pdf, ts_elem *e, ts_elem *const *heads, size_t n)
{
    if (e != NULL && n > 0)
        check(pdf, ts_tag_set_attr_ids(pdf->tag, e, "Table", "Headers", heads, n),
              "setting /Headers");
}

void ts_elem_set_title(ts_pdf *pdf, ts_elem *e, const char *utf8)
{
    if (e != NULL && utf8 != NULL)
        check(pdf, ts_tag_set_title(pdf->tag, e, utf8, strlen(utf8)), "setting /T");
}

/* ---- Marked content and the painting guard --------------------------------------------- */

static bool paint_ok(ts_pdf *pdf)
{
    if (ts_tag_mc_state(pdf->tag) != TS_MC_NONE)
        return true;
    assert(!"a painting operator outside marked content");
    pdf->paint_faults++;
    return false;
}

/* Opens marked content for owner's content, or an artifact of kind when owner is NULL. */
static int mark_begin(ts_pdf *pdf, ts_elem *owner, const char *kind, const char *subtype)
{
    if (pdf->page == NULL) {
        ts_pdf_fail(pdf, "drawing before the first page");
        return -1;
    }
    int rc = owner != NULL ? ts_tag_mc_begin(pdf->tag, owner)
                           : ts_tag_artifact_begin(pdf->tag, kind, subtype);
    if (rc != 0)
        ts_pdf_fail(pdf, "opening marked content");
    return rc;
}

static int mark_end(ts_pdf *pdf)
{
    int rc = ts_tag_mc_end(pdf->tag);
    if (rc != 0)
        ts_pdf_fail(pdf, "closing marked content");
    return rc;
}

static HPDF_REAL unit(double v)
{
    return (HPDF_REAL)(v < 0 ? 0 : v > 1 ? 1 : v);
}

/* A Figure's /BBox grows with everything painted into it (PDF user space). */
static void grow_bbox(ts_pdf *pdf, ts_elem *e, double x1, double y1, double x2, double y2)
{
    if (e == NULL || strcmp(e->type, "Figure") != 0 || !ts_tag_enabled(pdf->tag))
        return;
    const double box[4] = {x1, y1, x2, y2};
    check(pdf, ts_tag_grow_bbox(pdf->tag, e, pdf->page, box), "setting /BBox");
}

/* ---- Operators ------------------------------------------------------------------------- */

/* A straight path from one point to another (PDF user space), to be stroked. */
static HPDF_STATUS op_segment(HPDF_Page page, double x1, double y1, double x2, double y2)
{
    const HPDF_REAL from[2] = {(HPDF_REAL)x1, (HPDF_REAL)y1},
                    to[2] = {(HPDF_REAL)x2, (HPDF_REAL)y2};
    HPDF_STATUS st = ts_shim_op_path(page, from, 2, "m");
    return st == HPDF_OK ? ts_shim_op_path(page, to, 2, "l") : st;
}

/* ---- Shapes ---------------------------------------------------------------------------- */

static int paint_path(ts_pdf *pdf, bool fill, bool stroke)
{
    if (!paint_ok(pdf))
        return -1;
    HPDF_STATUS st = fill && stroke ? HPDF_Page_FillStroke(pdf->page)
                     : fill         ? HPDF_Page_Fill(pdf->page)
                                    : HPDF_Page_Stroke(pdf->page);
    return st == HPDF_OK ? 0 : -1;
}

/* Colours and the line width are graphics state, kept for the rest of the page (nothing here
 * saves and restores it): they are set only when they change. */
static int set_paint(ts_pdf *pdf, const ts_rgb *fill, const ts_rgb *stroke, double line_width)
{
    HPDF_STATUS st = HPDF_OK;
    if (fill != NULL) {
        HPDF_REAL r = unit(fill->r), g = unit(fill->g), b = unit(fill->b);
        if (!ts_shim_fill_is(pdf->page, r, g, b))
            st |= ts_shim_op_rgb(pdf->page, false, r, g, b);
    }
    if (stroke != NULL) {
        HPDF_REAL r = unit(stroke->r), g = unit(stroke->g), b = unit(stroke->b);
        if (!ts_shim_stroke_is(pdf->page, r, g, b))
            st |= ts_shim_op_rgb(pdf->page, true, r, g, b);
        HPDF_REAL w = (HPDF_REAL)(line_width > 0 ? line_width : 1);
        if (ts_shim_line_width(pdf->page) != w)
            st |= HPDF_Page_SetLineWidth(pdf->page, w);
    }
    return st == HPDF_OK ? 0 : -1;
}

int ts_draw_rect(ts_pdf *pdf, ts_elem *owner, double x, double y, double w, double h,
                 const ts_rgb *fill, const ts_rgb *stroke, double line_width)
{
    if (fill == NULL && stroke == NULL)
        return 0;
    if (mark_begin(pdf, owner, "Layout", NULL) != 0)
        return -1;
    double py = ts_pdf_page_h(pdf) - y - h;
    int rc = set_paint(pdf, fill, stroke, line_width);
    const HPDF_REAL re[4] = {(HPDF_REAL)x, (HPDF_REAL)py, (HPDF_REAL)w, (HPDF_REAL)h};
    if (rc == 0 && ts_shim_op_path(pdf->page, re, 4, "re") != HPDF_OK)
        rc = -1;
    if (rc == 0)
        rc = paint_path(pdf, fill != NULL, stroke != NULL);
    if (mark_end(pdf) != 0 || rc != 0) {
        ts_pdf_fail(pdf, "drawing a rectangle");
        return -1;
    }
    grow_bbox(pdf, owner, x, py, x + w, py + h);
    return 0;
}

int ts_draw_line(ts_pdf *pdf, ts_elem *owner, double x1, double y1, double x2, double y2,
                 ts_rgb colour, double line_width)
{
    if (mark_begin(pdf, owner, "Layout", NULL) != 0)
        return -1;
    double ph = ts_pdf_page_h(pdf);
    int rc = set_paint(pdf, NULL, &colour, line_width);
    if (rc == 0 && op_segment(pdf->page, x1, ph - y1, x2, ph - y2) != HPDF_OK)
        rc = -1;
    if (rc == 0)
        rc = paint_path(pdf, false, true);
    if (mark_end(pdf) != 0 || rc != 0) {
        ts_pdf_fail(pdf, "drawing a line");
        return -1;
    }
    double hw = line_width / 2;
    grow_bbox(pdf, owner, (x1 < x2 ? x1 : x2) - hw, ph - (y1 > y2 ? y1 : y2) - hw,
              (x1 > x2 ? x1 : x2) + hw, ph - (y1 < y2 ? y1 : y2) + hw);
    return 0;
}

int ts_draw_circle(ts_pdf *pdf, ts_elem *owner, double cx, double cy, double r, const ts_rgb *fill,
                   const ts_rgb *stroke, double line_width)
{
    if (fill == NULL && stroke == NULL)
        return 0;
    if (mark_begin(pdf, owner, "Layout", NULL) != 0)
        return -1;
    double py = ts_pdf_page_h(pdf) - cy;
    int rc = set_paint(pdf, fill, stroke, line_width);
    if (rc == 0 &&
        HPDF_Page_Circle(pdf->page, (HPDF_REAL)cx, (HPDF_REAL)py, (HPDF_REAL)r) != HPDF_OK)
        rc = -1;
    if (rc == 0)
        rc = paint_path(pdf, fill != NULL, stroke != NULL);
    if (mark_end(pdf) != 0 || rc != 0) {
        ts_pdf_fail(pdf, "drawing a circle");
        return -1;
    }
    grow_bbox(pdf, owner, cx - r, py - r, cx + r, py + r);
    return 0;
}

/* ---- Text ------------------------------------------------------------------------------ */

static int seg_slot(const ts_pdf *pdf, const ts_seg *s)
{
    return ts_pdf_font_slot(pdf, s->face, s->fallback);
}

static HPDF_Font seg_font(ts_pdf *pdf, const ts_seg *s)
{
    return ts_pdf_font(pdf, s->face, s->fallback);
}

static void put_code_byte(char *out, size_t *o, unsigned char b)
{
    /* In a literal string: the delimiters and the backslash escaped, and the line ends, which a
     * reader would otherwise normalise. */
    switch (b) {
    case '(':
    case ')':
    case '\\':
        out[(*o)++] = '\\';
        out[(*o)++] = (char)b;
        break;
    case '\r':
        out[(*o)++] = '\\';
        out[(*o)++] = 'r';
        break;
    case '\n':
        out[(*o)++] = '\\';
        out[(*o)++] = 'n';
        break;
    default:
        out[(*o)++] = (char)b;
    }
}

/* The segment's text as the literal string of its 2-byte codes, in pdf->text: libharu's UTF-8
 * encoder makes a character's code its BMP code point (the CIDToGIDMap maps it to the glyph).
 * What the font cannot show (a glyph it lacks, or a character beyond the BMP) becomes U+FFFD
 * (or "?"); *replaced tells the caller to add /ActualText.  Returns the string's length with
 * its parentheses, 0 when out of memory.  A literal string is half the size of libharu's hex
 * string, and that much less to compress. */
static size_t encode_text(ts_pdf *pdf, int slot, const char *text, size_t len, size_t *replaced)
{
    /* At most 2 codes bytes per input byte, each escaped into at most 2 characters. */
    ts_buf_clear(&pdf->text);
    if (pdf->text.cap == 0)
        ts_buf_reserve(&pdf->text, 256);
    if (!ts_buf_reserve(&pdf->text, len * 4 + 8))
        return 0;
    uint32_t mark = ts_pdf_font_has(pdf, slot, 0xFFFD) ? 0xFFFD : '?';
    const unsigned char *s = (const unsigned char *)text;
    char *out = pdf->text.data;
    size_t o = 0;
    *replaced = 0;
    out[o++] = '(';
    for (size_t i = 0; i < len;) {
        uint32_t cp = ts_utf8_next(s, len, &i);
        if (!ts_pdf_font_has(pdf, slot, cp)) {
            cp = mark;
            (*replaced)++;
        }
        put_code_byte(out, &o, (unsigned char)(cp >> 8));
        put_code_byte(out, &o, (unsigned char)cp);
    }
    out[o++] = ')';
    return o;
}

/* Shows one piece of text at a PDF position inside an open BT.  The font and the colour are
 * graphics state, kept across text objects: they are set only when they change. */
static int show(ts_pdf *pdf, HPDF_Font font, double size, ts_rgb colour, double px, double py,
                const char *lit, size_t lit_len)
{
    if (!paint_ok(pdf))
        return -1;
    HPDF_Page page = pdf->page;
    HPDF_STATUS st = HPDF_OK;
    if (!ts_shim_font_is(page, font, (HPDF_REAL)size))
        st |= ts_shim_op_font(page, font, (HPDF_REAL)size);
    HPDF_REAL r = unit(colour.r), g = unit(colour.g), b = unit(colour.b);
    if (!ts_shim_fill_is(page, r, g, b))
        st |= ts_shim_op_rgb(page, false, r, g, b);
    /* As HPDF_Page_TextOut: the text matrix is a translation here. */
    HPDF_REAL tx, ty;
    ts_shim_text_pos(page, &tx, &ty);
    st |= ts_shim_op_move_text(page, (HPDF_REAL)px - tx, (HPDF_REAL)py - ty);
    if (st == HPDF_OK)
        st = ts_shim_page_write(page, lit, lit_len);
    if (st == HPDF_OK)
        st = ts_shim_page_write(page, " Tj\012", 4);
    return st == HPDF_OK ? 0 : -1;
}

/* The node -> element map of one flow. */
struct ts_flow_tags {
    const ts_flow *flow;
    ts_elem **elem;      /* per node: its P, L or LI */
    ts_elem **lbl;       /* per LI node */
    ts_elem **lbody;     /* per LI node */
    ts_elem *implicit_l; /* for an LI without a list node */
    /* A link continued from the previous line stays one Link element. */
    ts_elem *link;
    const char *link_href;
    const ts_node *link_node;
};

ts_flow_tags *ts_flow_tags_new_in(ts_pdf *pdf, ts_arena *arena, const ts_flow *flow)
{
    size_t n = flow != NULL && flow->n_nodes > 0 ? flow->n_nodes : 1;
    /* One block: the state and its three per-node maps. */
    ts_flow_tags *st = n <= (SIZE_MAX - sizeof *st) / (3 * sizeof(ts_elem *))
                           ? ts_arena_calloc(arena, 1, sizeof *st + 3 * n * sizeof(ts_elem *))
                           : NULL;
    if (st == NULL) {
        ts_pdf_fail(pdf, "allocating a flow's tags");
        return NULL;
    }
    ts_elem **maps = (ts_elem **)(st + 1);
    st->flow = flow;
    st->elem = maps;
    st->lbl = maps + n;
    st->lbody = maps + 2 * n;
    return st;
}

ts_flow_tags *ts_flow_tags_new(ts_pdf *pdf, const ts_flow *flow)
{
    return ts_flow_tags_new_in(pdf, pdf->arena, flow);
}

static size_t node_index(const ts_flow *flow, const ts_node *node)
{
    if (node >= flow->nodes && node < flow->nodes + flow->n_nodes)
        return (size_t)(node - flow->nodes);
    return node->id < flow->n_nodes ? node->id : SIZE_MAX;
}

static ts_elem *node_elem(ts_pdf *pdf, ts_flow_tags *st, ts_elem *parent, const ts_node *node);

/* Where a block goes: under the LBody of the item that holds it, else under parent. */
static ts_elem *block_parent(ts_pdf *pdf, ts_flow_tags *st, ts_elem *parent, const ts_node *node)
{
    if (node->parent == NULL)
        return parent;
    if (node->parent->kind != TS_NODE_LI)
        return node_elem(pdf, st, parent, node->parent);
    if (node_elem(pdf, st, parent, node->parent) == NULL)
        return NULL;
    size_t pi = node_index(st->flow, node->parent);
    return pi != SIZE_MAX ? st->lbody[pi] : NULL;
}

static ts_elem *node_elem(ts_pdf *pdf, ts_flow_tags *st, ts_elem *parent, const ts_node *node)
{
    size_t i = node_index(st->flow, node);
    if (i == SIZE_MAX) {
        ts_pdf_fail(pdf, "tagging a line of another flow");
        return NULL;
    }
    if (st->elem[i] != NULL)
        return st->elem[i];
    ts_elem *e = NULL;
    switch (node->kind) {
    case TS_NODE_P: {
        ts_elem *p = block_parent(pdf, st, parent, node);
        e = p != NULL ? ts_elem_new(pdf, p, "P") : NULL;
        break;
    }
    case TS_NODE_L: {
        ts_elem *p = block_parent(pdf, st, parent, node);
        e = p != NULL ? ts_elem_new(pdf, p, "L") : NULL;
        if (e != NULL)
            ts_elem_set_numbering(pdf, e, node->ordered);
        break;
    }
    case TS_NODE_LI: {
        ts_elem *l;
        if (node->parent != NULL && node->parent->kind == TS_NODE_L) {
            l = node_elem(pdf, st, parent, node->parent);
        } else {
            if (st->implicit_l == NULL)
                st->implicit_l = ts_elem_new(pdf, parent, "L");
            l = st->implicit_l;
        }
        e = l != NULL ? ts_elem_new(pdf, l, "LI") : NULL;
        if (e != NULL && node->label != NULL && node->label[0] != '\0')
            st->lbl[i] = ts_elem_new(pdf, e, "Lbl");
        if (e != NULL)
            st->lbody[i] = ts_elem_new(pdf, e, "LBody");
        if (st->lbody[i] == NULL)
            e = NULL;
        break;
    }
    }
    st->elem[i] = e;
    return e;
}

/* "www.hel.fi/raportit (avautuu selaimeen)": where the link goes, said in the document's
 * language by its label (PDF/UA-1 7.18.1: a link annotation has /Contents). */
static char *uri_contents(ts_pdf *pdf, const char *href)
{
    const char *shown = href;
    if (strncmp(shown, "https://", 8) == 0)
        shown += 8;
    else if (strncmp(shown, "http://", 7) == 0)
        shown += 7;
    else if (strncmp(shown, "mailto:", 7) == 0)
        shown += 7;
    if (pdf->info.web_link == NULL)
        return ts_arena_strdup(pdf->arena, shown);
    return ts_label_fill_name(pdf->arena, pdf->info.web_link, shown);
}

static int finish_annot(ts_pdf *pdf, ts_elem *link, HPDF_Annotation a, const char *contents)
{
    if (a == NULL)
        return -1;
    HPDF_STATUS st = HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    void *c = contents != NULL ? ts_pdf_text_string(pdf->doc, contents, strlen(contents)) : NULL;
    if (c == NULL)
        return -1;
    st |= ts_shim_add(a, "Contents", c);
    st |= ts_shim_add_number(a, "F", 4); /* Print: PDF/A wants annotations printable */
    if (st != HPDF_OK || ts_tag_annot(pdf->tag, link, pdf->page, a) != 0)
        return -1;
    return 0;
}

typedef struct line_ctx {
    ts_pdf *pdf;
    ts_flow_tags *st;
    ts_elem *parent;
    ts_elem *container;
    const char *artifact; /* artifact kind, or NULL for content */
    const char *artifact_sub;
    const ts_flow *flow;
    double x, y; /* where the part's first line top goes (top-left coordinates) */
    double top0; /* lines[first].top */
} line_ctx;

/* One marked-content group: segments [a, b) of a line that belong to one element. */
static int draw_group(line_ctx *c, const ts_line *ln, size_t a, size_t b, ts_elem *owner,
                      double baseline_pdf)
{
    ts_pdf *pdf = c->pdf;
    ts_rgb colour = c->flow->style != NULL ? c->flow->style->colour : (ts_rgb){0, 0, 0};
    if (mark_begin(pdf, owner, c->artifact != NULL ? c->artifact : "Layout", c->artifact_sub) != 0)
        return -1;
    int rc = HPDF_Page_BeginText(pdf->page) == HPDF_OK ? 0 : -1;
    double x0 = c->x + ln->x;
    for (size_t i = a; i < b && rc == 0; i++) {
        const ts_seg *s = &ln->segs[i];
        if (s->len == 0)
            continue;
        HPDF_Font font = seg_font(pdf, s);
        if (font == NULL) {
            rc = -1;
            break;
        }
        size_t replaced;
        size_t n = encode_text(pdf, seg_slot(pdf, s), s->text, s->len, &replaced);
        if (n == 0) {
            rc = -1;
            break;
        }
        pdf->replaced_chars += replaced;
        rc = show(pdf, font, s->size,
                  s->href != NULL && c->artifact == NULL ? pdf->link_colour : colour, x0 + s->x,
                  baseline_pdf, pdf->text.data, n);
        if (owner != NULL)
            grow_bbox(pdf, owner, x0 + s->x, baseline_pdf - s->size * 0.25, x0 + s->x + s->width,
                      baseline_pdf + s->size * 0.8);
    }
    if (HPDF_Page_EndText(pdf->page) != HPDF_OK)
        rc = -1;
    if (mark_end(pdf) != 0)
        rc = -1;
    return rc;
}

/* Whether segment s cannot be drawn with its font as it is (it needs an /ActualText Span). */
static bool seg_needs_actual(ts_pdf *pdf, const ts_seg *s)
{
    if (s->actual != NULL)
        return true;
    HPDF_Font font = seg_font(pdf, s);
    if (font == NULL)
        return false; /* drawing it fails and says why */
    int slot = seg_slot(pdf, s);
    const unsigned char *p = (const unsigned char *)s->text;
    for (size_t i = 0; i < s->len;) {
        uint32_t cp = ts_utf8_next(p, s->len, &i);
        if (!ts_pdf_font_has(pdf, slot, cp))
            return true;
    }
    return false;
}

/* seg_needs_actual of a line's segment k, remembered for the last segment asked: the loop
 * that groups segments asks about the one after a group, which then starts the next group. */
typedef struct needs_memo {
    size_t k;
    bool needs;
} needs_memo;

static bool needs_actual_at(ts_pdf *pdf, const ts_line *ln, size_t k, needs_memo *m)
{
    if (m->k != k) {
        m->k = k;
        m->needs = seg_needs_actual(pdf, &ln->segs[k]);
    }
    return m->needs;
}

static int draw_line(line_ctx *c, const ts_line *ln)
{
    ts_pdf *pdf = c->pdf;
    double ph = ts_pdf_page_h(pdf);
    double top = c->y + (ln->top - c->top0);
    double baseline_pdf = ph - (c->y + (ln->baseline - c->top0));
    bool content = c->artifact == NULL;

    ts_elem *block = c->container, *lbl = c->container;
    if (content && block == NULL) {
        if (ln->node == NULL) {
            ts_pdf_fail(pdf, "tagging a line without a node");
            return -1;
        }
        ts_elem *e = node_elem(pdf, c->st, c->parent, ln->node);
        if (e == NULL)
            return -1;
        block = e;
        if (ln->node->kind == TS_NODE_LI) {
            size_t i = node_index(c->flow, ln->node);
            block = c->st->lbody[i];
            lbl = c->st->lbl[i];
        }
    }

    /* The label of a list item's first line. */
    if (ln->first_of_node && ln->node != NULL && ln->node->kind == TS_NODE_LI &&
        ln->node->label != NULL && ln->node->label[0] != '\0') {
        ts_seg label = {0};
        label.text = ln->node->label;
        label.len = strlen(label.text);
        label.face = ln->n_segs > 0 ? ln->segs[0].face : TS_FACE_REGULAR;
        label.size = ln->n_segs > 0           ? ln->segs[0].size
                     : c->flow->style != NULL ? c->flow->style->size
                                              : 12;
        label.x = ln->label_x - ln->x;
        HPDF_Font main = ts_pdf_font(pdf, label.face, false);
        if (main == NULL)
            return -1;
        size_t used;
        uint32_t cp = ts_utf8_get((const unsigned char *)label.text, label.len, &used);
        label.fallback = !ts_pdf_font_has(pdf, ts_pdf_font_slot(pdf, label.face, false), cp);
        ts_line one = *ln;
        one.segs = &label;
        one.n_segs = 1;
        if (draw_group(c, &one, 0, 1, content ? (lbl != NULL ? lbl : block) : NULL, baseline_pdf) !=
            0)
            return -1;
    }

    ts_elem *link = NULL;
    const char *link_href = NULL;
    if (content && c->st != NULL && c->st->link_node == ln->node) {
        link = c->st->link;
        link_href = c->st->link_href;
    }
    typedef struct {
        double x1, x2;
        const char *href;
        ts_elem *link;
        double size;
    } box;
    box boxes[64];
    size_t n_boxes = 0;
    needs_memo memo = {SIZE_MAX, false};

    for (size_t i = 0; i < ln->n_segs;) {
        const ts_seg *s = &ln->segs[i];
        ts_elem *owner = block;
        if (content && s->href != NULL) {
            if (link == NULL || link_href == NULL || strcmp(link_href, s->href) != 0) {
                link = ts_elem_new(pdf, block, "Link");
                link_href = s->href;
                if (link == NULL)
                    return -1;
            }
            owner = link;
        } else if (content) {
            link = NULL;
            link_href = NULL;
        }
        size_t j = i + 1;
        bool actual = content && needs_actual_at(pdf, ln, i, &memo);
        if (actual) {
            ts_elem *span = ts_elem_new(pdf, owner, "Span");
            const char *orig = s->actual != NULL ? s->actual : s->text;
            size_t orig_len = s->actual != NULL ? s->actual_len : s->len;
            if (span == NULL || ts_tag_set_actual_text(pdf->tag, span, orig, orig_len) != 0)
                return -1;
            owner = span;
        } else {
            /* Later segments of the same element share one marked-content sequence. */
            while (j < ln->n_segs && !needs_actual_at(pdf, ln, j, &memo) &&
                   (!content || (ln->segs[j].href == NULL) == (s->href == NULL)) &&
                   (s->href == NULL ||
                    (ln->segs[j].href != NULL && strcmp(ln->segs[j].href, s->href) == 0)))
                j++;
        }
        if (draw_group(c, ln, i, j, content ? owner : NULL, baseline_pdf) != 0)
            return -1;
        for (size_t k = i; k < j; k++) {
            const ts_seg *t = &ln->segs[k];
            if (t->href == NULL || !content)
                continue;
            double x1 = c->x + ln->x + t->x, x2 = x1 + t->width;
            if (n_boxes > 0 && boxes[n_boxes - 1].link == link &&
                strcmp(boxes[n_boxes - 1].href, t->href) == 0) {
                boxes[n_boxes - 1].x2 = x2;
            } else if (n_boxes < sizeof boxes / sizeof boxes[0]) {
                boxes[n_boxes++] = (box){x1, x2, t->href, link, t->size};
            }
        }
        i = j;
    }
    if (content && c->st != NULL) {
        c->st->link = link;
        c->st->link_href = link_href;
        c->st->link_node = ln->node;
    }

    /* Links: underlined (an artifact: the Link's meaning is its text and /Contents) and
     * clickable over the line box. */
    if (n_boxes > 0) {
        if (mark_begin(pdf, NULL, "Layout", NULL) != 0)
            return -1;
        int rc = 0;
        for (size_t k = 0; k < n_boxes && rc == 0; k++) {
            double w = boxes[k].size / 16 > 0.5 ? boxes[k].size / 16 : 0.5;
            double uy = baseline_pdf - boxes[k].size * 0.12;
            rc = set_paint(pdf, NULL, &pdf->link_colour, w);
            if (rc == 0 && op_segment(pdf->page, boxes[k].x1, uy, boxes[k].x2, uy) != HPDF_OK)
                rc = -1;
            if (rc == 0)
                rc = paint_path(pdf, false, true);
        }
        if (mark_end(pdf) != 0 || rc != 0)
            return -1;
        for (size_t k = 0; k < n_boxes; k++) {
            HPDF_Rect r = {(HPDF_REAL)boxes[k].x1, (HPDF_REAL)(ph - top - ln->height),
                           (HPDF_REAL)boxes[k].x2, (HPDF_REAL)(ph - top)};
            HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(pdf->page, r, boxes[k].href);
            if (finish_annot(pdf, boxes[k].link, a, uri_contents(pdf, boxes[k].href)) != 0) {
                ts_pdf_fail(pdf, "adding a web link");
                return -1;
            }
        }
    }
    return 0;
}

static int draw_lines(line_ctx *c, size_t first, size_t end)
{
    const ts_flow *f = c->flow;
    if (f == NULL || first > end || end > f->n_lines) {
        ts_pdf_fail(c->pdf, "drawing lines outside the flow");
        return -1;
    }
    if (first == end)
        return 0;
    c->top0 = f->lines[first].top;
    for (size_t i = first; i < end; i++)
        if (draw_line(c, &f->lines[i]) != 0) {
            ts_pdf_fail(c->pdf, "drawing text");
            return -1;
        }
    return 0;
}

int ts_draw_flow(ts_pdf *pdf, ts_flow_tags *state, ts_elem *parent, ts_elem *container,
                 const ts_flow *flow, size_t first, size_t end, double x, double y)
{
    if (container == NULL && (state == NULL || state->flow != flow)) {
        ts_pdf_fail(pdf, "drawing a flow without its tags");
        return -1;
    }
    line_ctx c = {
        pdf, state, parent != NULL ? parent : ts_pdf_document(pdf), container, NULL, NULL, flow, x,
        y,   0};
    return draw_lines(&c, first, end);
}

int ts_draw_artifact_flow(ts_pdf *pdf, const ts_flow *flow, size_t first, size_t end, double x,
                          double y, const char *kind)
{
    const char *type = kind != NULL && strcmp(kind, "Pagination") == 0 ? "Pagination" : "Layout";
    const char *sub = NULL;
    if (strcmp(type, "Pagination") == 0)
        sub = y > ts_pdf_page_h(pdf) / 2 ? "Footer" : "Header";
    line_ctx c = {pdf, NULL, NULL, NULL, type, sub, flow, x, y, 0};
    return draw_lines(&c, first, end);
}

ts_elem *ts_draw_page_link(ts_pdf *pdf, ts_elem *parent, double x, double y, double w, double h,
                           int target_page, const char *contents)
{
    if (pdf->page == NULL || target_page == -1) {
        ts_pdf_fail(pdf, "adding a page link");
        return NULL;
    }
    ts_elem *link = ts_elem_new(pdf, parent, "Link");
    if (link == NULL)
        return NULL;
    double ph = ts_pdf_page_h(pdf);
    HPDF_Rect r = {(HPDF_REAL)x, (HPDF_REAL)(ph - y - h), (HPDF_REAL)(x + w), (HPDF_REAL)(ph - y)};
    /* The target may not exist yet: this destination is replaced when the file is saved. */
    HPDF_Destination dst = HPDF_Page_CreateDestination(pdf->page);
    HPDF_Annotation a = dst != NULL ? HPDF_Page_CreateLinkAnnot(pdf->page, r, dst) : NULL;
    ts_pending_link *p = a != NULL ? ts_vec_push(pdf->arena, &pdf->links, sizeof *p) : NULL;
    if (p == NULL || finish_annot(pdf, link, a, contents != NULL ? contents : "") != 0) {
        ts_pdf_fail(pdf, "adding a page link");
        return NULL;
    }
    p->annot = a;
    p->target_page = target_page;
    return link;
}
