/* The tagging layer through draw.h, without slides: a 2-page document with every kind of
 * element the slides use.  This test writes the files; tests/pdfcore.cmake runs the rule
 * checker, poppler and qpdf on them (pdfcore_* tests).  Flows are built by hand here, one
 * segment per style run, measured with the document's own font metrics, so that the test does
 * not depend on the text engine.
 *
 * Run as `test_tag` (cmocka, writes OUT_DIR/tag.pdf, tag2.pdf, taga.pdf, untagged.pdf) or
 * `test_tag synth PAGES FILE [untagged]` for the synthetic pack of the overhead benchmark. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cmocka.h>

#include "pdf/draw.h"
#include "pdf/state.h"

#define FONT(name) TEST_SOURCE_DIR "/fonts/" name

static const ts_named_colour colours[] = {{"link", {0.0, 0.32, 0.62}}};

static ts_layout make_layout(void)
{
    ts_layout l;
    memset(&l, 0, sizeof l);
    l.name = "test";
    l.path = "test-layout.xml";
    l.page_w = 960;
    l.page_h = 540;
    l.font_files[TS_FACE_REGULAR] = FONT("LiberationSans-Regular.ttf");
    l.font_files[TS_FACE_BOLD] = FONT("LiberationSans-Bold.ttf");
    l.font_files[TS_FACE_ITALIC] = FONT("LiberationSans-Italic.ttf");
    l.font_files[TS_FACE_BOLD_ITALIC] = FONT("LiberationSans-BoldItalic.ttf");
    l.fallback_files[TS_FACE_REGULAR] = FONT("DejaVuSans.ttf");
    l.fallback_files[TS_FACE_BOLD] = FONT("DejaVuSans-Bold.ttf");
    l.fallback_files[TS_FACE_ITALIC] = FONT("DejaVuSans.ttf");
    l.fallback_files[TS_FACE_BOLD_ITALIC] = FONT("DejaVuSans-Bold.ttf");
    l.colours = colours;
    l.n_colours = 1;
    return l;
}

static ts_text_style make_style(double size, bool bold)
{
    ts_text_style s;
    memset(&s, 0, sizeof s);
    s.name = "body";
    s.size = size;
    s.leading = size * 1.3;
    s.bold = bold;
    s.colour = (ts_rgb){0.1, 0.1, 0.1};
    s.background = (ts_rgb){1, 1, 1};
    s.indent = 18;
    return s;
}

/* ---- A hand-made flow ------------------------------------------------------------------ */

typedef struct run {
    ts_face face;
    const char *text;
    const char *href;
} run;

typedef struct builder {
    ts_arena *a;
    const ts_fonts *fonts;
    const ts_text_style *style;
    ts_node nodes[16];
    size_t n_nodes;
    ts_line lines[16];
    size_t n_lines;
    double y;
    ts_flow flow;
} builder;

static double measure(const ts_fonts *f, ts_face face, bool *fallback, const char *s, double size)
{
    const unsigned char *p = (const unsigned char *)s;
    double w = 0;
    *fallback = false;
    for (size_t i = 0; p[i];) {
        uint32_t cp = p[i];
        size_t n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
        cp = n == 1 ? cp : n == 2 ? cp & 0x1F : n == 3 ? cp & 0x0F : cp & 0x07;
        for (size_t k = 1; k < n; k++)
            cp = cp << 6 | (p[i + k] & 0x3F);
        i += n;
        unsigned g = ts_fm_glyph(f->face[face], cp);
        const ts_font_metrics *fm = f->face[face];
        if (g == 0 && ts_fm_glyph(f->fallback[face], cp) != 0) {
            fm = f->fallback[face];
            g = ts_fm_glyph(fm, cp);
            *fallback = true;
        }
        w += ts_fm_advance(fm, g) * size / 1000.0;
    }
    return w;
}

static void b_init(builder *b, ts_arena *a, const ts_fonts *fonts, const ts_text_style *style)
{
    memset(b, 0, sizeof *b);
    b->a = a;
    b->fonts = fonts;
    b->style = style;
}

static const ts_node *b_node(builder *b, ts_node_kind kind, const ts_node *parent,
                             const char *label, bool ordered)
{
    ts_node *n = &b->nodes[b->n_nodes];
    n->kind = kind;
    n->id = b->n_nodes++;
    n->parent = parent;
    n->label = label;
    n->ordered = ordered;
    return n;
}

static void b_line(builder *b, const ts_node *node, bool first, bool last, double indent,
                   const run *runs, size_t n)
{
    ts_seg *segs = ts_arena_calloc(b->a, n, sizeof *segs);
    assert_non_null(segs);
    double x = 0;
    for (size_t i = 0; i < n; i++) {
        segs[i].text = runs[i].text;
        segs[i].len = strlen(runs[i].text);
        segs[i].face = runs[i].face;
        segs[i].size = b->style->size;
        segs[i].href = runs[i].href;
        segs[i].x = x;
        segs[i].width =
            measure(b->fonts, runs[i].face, &segs[i].fallback, runs[i].text, b->style->size);
        x += segs[i].width;
    }
    ts_line *l = &b->lines[b->n_lines++];
    l->segs = segs;
    l->n_segs = n;
    l->node = node;
    l->first_of_node = first;
    l->last_of_node = last;
    l->x = indent;
    l->label_x = indent - 14;
    l->width = x;
    l->top = b->y;
    l->height = b->style->leading;
    l->baseline = b->y + b->style->size * 0.9;
    b->y += b->style->leading;
}

static const ts_flow *b_done(builder *b)
{
    b->flow.lines = b->lines;
    b->flow.n_lines = b->n_lines;
    b->flow.nodes = b->nodes;
    b->flow.n_nodes = b->n_nodes;
    b->flow.width = 800;
    b->flow.height = b->y;
    b->flow.style = b->style;
    return &b->flow;
}

/* One line, one node, one run: a heading, a cell, a label. */
static const ts_flow *plain(builder *b, ts_arena *a, const ts_fonts *fonts,
                            const ts_text_style *style, const char *text)
{
    b_init(b, a, fonts, style);
    const ts_node *p = b_node(b, TS_NODE_P, NULL, NULL, false);
    b_line(b, p, true, true, 0, (run[]){{style->bold ? TS_FACE_BOLD : TS_FACE_REGULAR, text, NULL}},
           1);
    return b_done(b);
}

/* ---- The 2-page document --------------------------------------------------------------- */

static ts_pdf_info make_info(bool pdfa, bool untagged)
{
    ts_pdf_info info;
    memset(&info, 0, sizeof info);
    info.title = "Kaupunkiraportti 2024 – saavutettavuuskoe <&>";
    info.author = "Kulttuurin ja vapaa-ajan toimiala";
    info.subject = "Tagitetun PDF:n koe";
    info.keywords = "PDF/UA, saavutettavuus";
    info.creator = "taseuranta 0.1";
    info.lang = TS_LANG_FI;
    info.now = 1700000000; /* 2023-11-14T22:13:20Z */
    info.pdfa = pdfa;
    info.untagged = untagged;
    info.icc_path = TEST_SOURCE_DIR "/layouts/icc/sRGB.icc";
    info.web_link = "{name} (avautuu selaimeen)"; /* the label link.web */
    return info;
}

/* Builds the test document; link_target is the page the internal link goes to (1 normally);
 * with fault, one drawing call is made with the tags of another flow (and refused). */
static int build_doc(const char *path, bool pdfa, bool untagged, int link_target, bool fault,
                     ts_diags *diags)
{
    ts_layout layout = make_layout();
    ts_pdf_info info = make_info(pdfa, untagged);
    ts_pdf *pdf = ts_pdf_new(&layout, &info, diags);
    assert_non_null(pdf);
    const ts_fonts *fonts = ts_pdf_fonts(pdf);
    assert_non_null(fonts->face[TS_FACE_BOLD]);
    assert_non_null(fonts->fallback[TS_FACE_REGULAR]);
    ts_arena *a = ts_arena_new(NULL);
    assert_non_null(a);

    ts_text_style body = make_style(16, false), h1 = make_style(28, true),
                  h2 = make_style(22, true), cell = make_style(14, false),
                  th = make_style(14, true), foot = make_style(10, false);
    ts_rgb white = {1, 1, 1}, grey = {0.5, 0.5, 0.5}, blue = {0.0, 0.3, 0.6},
           green = {0.1, 0.5, 0.2};
    builder b;

    assert_int_equal(ts_pdf_add_page(pdf, white), 0);
    ts_outline *deck = ts_pdf_outline(pdf, NULL, "Kansi – ääkköset 𝄞", 0);
    assert_non_null(deck);
    assert_non_null(ts_pdf_outline(pdf, deck, "Sivu yksi", 0));

    ts_elem *doc = ts_pdf_document(pdf);
    ts_elem *sect = ts_elem_new(pdf, doc, "Sect");
    ts_elem_set_title(pdf, sect, "Koeosio");

    ts_elem *e_h1 = ts_elem_new(pdf, sect, "H1");
    assert_int_equal(
        ts_draw_flow(pdf, NULL, sect, e_h1,
                     plain(&b, a, fonts, &h1, "Kaupunkiraportti 2024 – saavutettavuus"), 0, 1, 40,
                     30),
        0);

    /* A paragraph with a bold run and the letters that must survive. */
    b_init(&b, a, fonts, &body);
    const ts_node *p = b_node(&b, TS_NODE_P, NULL, NULL, false);
    b_line(&b, p, true, true, 0,
           (run[]){{TS_FACE_REGULAR, "Tämä kappale sisältää ", NULL},
                   {TS_FACE_BOLD, "lihavoidun jakson", NULL},
                   {TS_FACE_REGULAR, " sekä ä ö å – € (Ä Ö Å).", NULL}},
           3);
    const ts_flow *fp = b_done(&b);
    ts_flow_tags *tp = ts_flow_tags_new(pdf, fp);
    assert_int_equal(ts_draw_flow(pdf, tp, sect, NULL, fp, 0, 1, 40, 80), 0);

    /* A nested list: a bulleted item holding a numbered list, then another bullet. */
    builder lb;
    b_init(&lb, a, fonts, &body);
    const ts_node *ul = b_node(&lb, TS_NODE_L, NULL, NULL, false);
    const ts_node *li1 = b_node(&lb, TS_NODE_LI, ul, "•", false);
    const ts_node *ol = b_node(&lb, TS_NODE_L, li1, NULL, true);
    const ts_node *li2 = b_node(&lb, TS_NODE_LI, ol, "1.", false);
    const ts_node *li3 = b_node(&lb, TS_NODE_LI, ol, "2.", false);
    const ts_node *li4 = b_node(&lb, TS_NODE_LI, ul, "•", false);
    b_line(&lb, li1, true, true, 20, (run[]){{TS_FACE_REGULAR, "Asukaskysely keväällä", NULL}}, 1);
    b_line(&lb, li2, true, true, 40, (run[]){{TS_FACE_REGULAR, "Kallio", NULL}}, 1);
    b_line(&lb, li3, true, true, 40, (run[]){{TS_FACE_REGULAR, "Töölö", NULL}}, 1);
    b_line(&lb, li4, true, true, 20, (run[]){{TS_FACE_ITALIC, "Työpajat syksyllä", NULL}}, 1);
    const ts_flow *fl = b_done(&lb);
    ts_flow_tags *tl = ts_flow_tags_new(pdf, fl);
    assert_int_equal(ts_draw_flow(pdf, tl, sect, NULL, fl, 0, fl->n_lines, 40, 110), 0);

    /* A 2 x 3 table: header cells with a scope, grid lines as artifacts; between the rows a
     * band, one TH across the table, that the cells under it name in /Headers with their
     * column's head (the IDTree maps the names). */
    ts_elem *table = ts_elem_new(pdf, sect, "Table");
    const char *cells[2][3] = {{"Alue", "Vastaajat", "Tyytyväisiä"}, {"Kallio", "412", "78 %"}};
    ts_elem *col_th[3] = {NULL}, *band = NULL;
    for (int r = 0; r < 2; r++) {
        if (r == 1) {
            ts_elem *btr = ts_elem_new(pdf, table, "TR");
            band = ts_elem_new(pdf, btr, "TH");
            ts_elem_set_scope(pdf, band, "Row");
            ts_elem_set_col_span(pdf, band, 3);
            assert_int_equal(ts_draw_flow(pdf, NULL, btr, band,
                                          plain(&b, a, fonts, &th, "Keskinen suurpiiri"), 0, 1, 40,
                                          232),
                             0);
        }
        ts_elem *tr = ts_elem_new(pdf, table, "TR");
        for (int k = 0; k < 3; k++) {
            ts_elem *c = ts_elem_new(pdf, tr, r == 0 ? "TH" : "TD");
            if (r == 0) {
                ts_elem_set_scope(pdf, c, "Column");
                col_th[k] = c;
            } else {
                ts_elem *heads[2] = {col_th[k], band};
                ts_elem_set_headers(pdf, c, heads, 2);
            }
            assert_int_equal(ts_draw_flow(pdf, NULL, tr, c,
                                          plain(&b, a, fonts, r == 0 ? &th : &cell, cells[r][k]), 0,
                                          1, 40 + k * 120, 220 + r * 24),
                             0);
        }
        assert_int_equal(ts_draw_line(pdf, NULL, 40, 242 + r * 24, 400, 242 + r * 24, grey, 0.5),
                         0);
    }

    /* A web link inside a paragraph. */
    b_init(&b, a, fonts, &body);
    p = b_node(&b, TS_NODE_P, NULL, NULL, false);
    b_line(&b, p, true, true, 0,
           (run[]){{TS_FACE_REGULAR, "Lisätietoja: ", NULL},
                   {TS_FACE_REGULAR, "www.hel.fi/raportit", "https://www.hel.fi/raportit"}},
           2);
    const ts_flow *fu = b_done(&b);
    assert_int_equal(ts_draw_flow(pdf, ts_flow_tags_new(pdf, fu), sect, NULL, fu, 0, 1, 40, 290),
                     0);

    /* A link to page 2, made before page 2 exists. */
    ts_elem *lp = ts_elem_new(pdf, sect, "P");
    ts_elem *link = ts_draw_page_link(pdf, lp, 40, 320, 200, 20, link_target,
                                      "Siirry sivulle 2: Johtopäätökset");
    assert_non_null(link);
    assert_int_equal(ts_draw_flow(pdf, NULL, lp, link,
                                  plain(&b, a, fonts, &body, "Siirry johtopäätöksiin"), 0, 1, 40,
                                  320),
                     0);

    /* A private-use character no font has, once as the engine hands it over (replacement
     * with /ActualText) and once raw (the drawing layer replaces it itself). */
    b_init(&b, a, fonts, &body);
    p = b_node(&b, TS_NODE_P, NULL, NULL, false);
    b_line(&b, p, true, true, 0,
           (run[]){{TS_FACE_REGULAR, "Merkki ", NULL},
                   {TS_FACE_REGULAR, "\xEE\x80\x80", NULL},
                   {TS_FACE_REGULAR, " ja loppu.", NULL}},
           3);
    ts_seg *segs = (ts_seg *)b.lines[0].segs;
    segs[1].actual = segs[1].text;
    segs[1].actual_len = segs[1].len;
    segs[1].text = "\xEF\xBF\xBD";
    segs[1].len = 3;
    segs[1].fallback = true;
    const ts_flow *fx = b_done(&b);
    assert_int_equal(ts_draw_flow(pdf, ts_flow_tags_new(pdf, fx), sect, NULL, fx, 0, 1, 40, 350),
                     0);
    b_init(&b, a, fonts, &body);
    p = b_node(&b, TS_NODE_P, NULL, NULL, false);
    b_line(&b, p, true, true, 0, (run[]){{TS_FACE_REGULAR, "Raaka \xEE\x80\x80 merkki.", NULL}}, 1);
    const ts_flow *fr = b_done(&b);
    assert_int_equal(ts_draw_flow(pdf, ts_flow_tags_new(pdf, fr), sect, NULL, fr, 0, 1, 40, 375),
                     0);

    /* A figure: shapes and a label, one element with /Alt and /BBox. */
    ts_elem *fig = ts_elem_new(pdf, sect, "Figure");
    ts_elem_set_alt(pdf, fig, "Pylväskaavio: Kallio 412, Töölö 300 vastaajaa");
    assert_int_equal(ts_draw_rect(pdf, fig, 600, 120, 60, 200, &blue, NULL, 0), 0);
    assert_int_equal(ts_draw_rect(pdf, fig, 700, 170, 60, 150, &green, &grey, 1), 0);
    assert_int_equal(ts_draw_circle(pdf, fig, 830, 200, 30, NULL, &blue, 2), 0);
    assert_int_equal(
        ts_draw_flow(pdf, NULL, fig, fig, plain(&b, a, fonts, &cell, "Kallio"), 0, 1, 600, 330), 0);

    /* A paragraph that continues on page 2. */
    builder cb;
    b_init(&cb, a, fonts, &body);
    p = b_node(&cb, TS_NODE_P, NULL, NULL, false);
    b_line(&cb, p, true, false, 0,
           (run[]){{TS_FACE_REGULAR, "Tämä kappale alkaa ensimmäiseltä sivulta ja ", NULL}}, 1);
    b_line(&cb, p, false, true, 0,
           (run[]){{TS_FACE_REGULAR, "jatkuu toisella sivulla samassa osiossa.", NULL}}, 1);
    const ts_flow *fc = b_done(&cb);
    ts_flow_tags *tc = ts_flow_tags_new(pdf, fc);
    assert_int_equal(ts_draw_flow(pdf, tc, sect, NULL, fc, 0, 1, 40, 420), 0);

    assert_int_equal(ts_draw_artifact_flow(pdf, plain(&b, a, fonts, &foot, "Sivu 1"), 0, 1, 880,
                                           510, "Pagination"),
                     0);

    /* Page 2. */
    assert_int_equal(ts_pdf_add_page(pdf, white), 1);
    assert_non_null(ts_pdf_outline(pdf, deck, "Sivu kaksi", 1));
    assert_int_equal(ts_draw_flow(pdf, tc, sect, NULL, fc, 1, 2, 40, 40), 0);
    ts_elem *e_h2 = ts_elem_new(pdf, sect, "H2");
    assert_int_equal(ts_draw_flow(pdf, NULL, sect, e_h2, plain(&b, a, fonts, &h2, "Johtopäätökset"),
                                  0, 1, 40, 80),
                     0);
    if (fault)
        assert_int_equal(ts_draw_flow(pdf, ts_flow_tags_new(pdf, fp), sect, NULL,
                                      plain(&lb, a, fonts, &body, "Väärä"), 0, 1, 40, 120),
                         -1);
    const ts_flow *f2 = plain(&b, a, fonts, &body, "Palvelut koetaan pääosin hyviksi.");
    assert_int_equal(ts_draw_flow(pdf, ts_flow_tags_new(pdf, f2), sect, NULL, f2, 0, 1, 40, 120),
                     0);
    assert_int_equal(ts_draw_artifact_flow(pdf, plain(&b, a, fonts, &foot, "Sivu 2"), 0, 1, 880,
                                           510, "Pagination"),
                     0);
    assert_int_equal(ts_pdf_page_count(pdf), 2);

    int rc = ts_pdf_save(pdf, path, diags);
    ts_pdf_free(pdf);
    ts_arena_free(a);
    return rc;
}

static void out_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s", TEST_OUT_DIR, name);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void build_ok(const char *name, bool pdfa, bool untagged)
{
    char path[512];
    out_path(path, sizeof path, name);
    remove(path);
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    int rc = build_doc(path, pdfa, untagged, 1, false, &d);
    if (rc != 0 || d.errors != 0)
        ts_diags_print(&d, stderr);
    assert_int_equal(rc, 0);
    assert_int_equal(d.errors, 0);
    /* The raw U+E000 is replaced by the drawing layer without a warning of its own: the text
     * engine has already warned about each such character at its place in the source. */
    assert_int_equal(d.warnings, 0);
    ts_diags_free(&d);
    size_t len;
    unsigned char *pdf = slurp(path, &len);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-1.7", 8);
    free(pdf);
}

static void test_document(void **state)
{
    (void)state;
    build_ok("tag.pdf", false, false);
    build_ok("tag2.pdf", false, false);
    build_ok("taga.pdf", true, false);
    build_ok("untagged.pdf", false, true);
    char p1[512], p2[512];
    out_path(p1, sizeof p1, "tag.pdf");
    out_path(p2, sizeof p2, "tag2.pdf");
    size_t n1, n2;
    unsigned char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    /* What the tagged build has and the untagged one lacks. */
    assert_non_null(memmem(a, n1, "/StructTreeRoot", 15));
    assert_non_null(memmem(a, n1, "/ParentTree", 11));
    free(a);
    free(b);
    char pu[512];
    out_path(pu, sizeof pu, "untagged.pdf");
    unsigned char *u = slurp(pu, &n2);
    assert_null(memmem(u, n2, "/StructTreeRoot", 15));
    assert_null(memmem(u, n2, "/MCID", 5));
    free(u);
}

static void test_link_to_missing_page(void **state)
{
    (void)state;
    char path[512];
    out_path(path, sizeof path, "missing-target.pdf");
    remove(path);
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    assert_int_equal(build_doc(path, false, false, 5, false, &d), 3);
    assert_true(d.errors >= 1);
    const ts_diag *list = d.list.items;
    bool named = false;
    for (size_t i = 0; i < d.list.len; i++)
        named |= strstr(list[i].message, "goes to page 6") != NULL;
    assert_true(named);
    ts_diags_free(&d);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
}

static void test_refuses_after_failure(void **state)
{
    (void)state;
    char path[512];
    out_path(path, sizeof path, "refused.pdf");
    remove(path);
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    assert_int_equal(build_doc(path, false, false, 1, true, &d), 3);
    assert_true(d.errors >= 2);
    ts_diags_free(&d);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
}

/* ---- The synthetic pack of the benchmark ----------------------------------------------- */

/* pages slides in decks of 10, each slide with a heading, a 3-line paragraph with a bold run,
 * a list, a 3 x 3 table, a figure, a web link, a slide number, and on each deck's first slide
 * a link forward to the next deck (to a page not made yet). */
static int synth(int pages, const char *path, bool untagged)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ts_layout layout = make_layout();
    ts_pdf_info info = make_info(false, untagged);
    ts_diags d;
    if (!ts_diags_init(&d, NULL))
        return 3;
    ts_pdf *pdf = ts_pdf_new(&layout, &info, &d);
    if (pdf == NULL) {
        ts_diags_print(&d, stderr);
        return 3;
    }
    const ts_fonts *fonts = ts_pdf_fonts(pdf);
    ts_text_style body = make_style(16, false), h1 = make_style(28, true),
                  cell = make_style(14, false), foot = make_style(10, false);
    ts_rgb white = {1, 1, 1}, blue = {0.0, 0.3, 0.6}, grey = {0.5, 0.5, 0.5};
    ts_elem *sect = NULL;
    ts_outline *deck = NULL;
    int deck_no = 0;
    for (int pg = 0; pg < pages; pg++) {
        ts_arena *a = ts_arena_new(NULL);
        builder b, lb;
        char buf[128];
        if (ts_pdf_add_page(pdf, white) != pg)
            break;
        if (pg % 10 == 0) {
            snprintf(buf, sizeof buf, "Mittari %d – kalvot", ++deck_no);
            sect = ts_elem_new(pdf, ts_pdf_document(pdf), "Sect");
            ts_elem_set_title(pdf, sect, buf);
            deck = ts_pdf_outline(pdf, NULL, buf, pg);
        }
        snprintf(buf, sizeof buf, "Kalvo %d", pg + 1);
        ts_pdf_outline(pdf, deck, buf, pg);
        ts_elem *h = ts_elem_new(pdf, sect, "H1");
        ts_draw_flow(pdf, NULL, sect, h, plain(&b, a, fonts, &h1, buf), 0, 1, 40, 30);

        b_init(&b, a, fonts, &body);
        const ts_node *p = b_node(&b, TS_NODE_P, NULL, NULL, false);
        for (int i = 0; i < 3; i++)
            b_line(&b, p, i == 0, i == 2, 0,
                   (run[]){{TS_FACE_REGULAR, "Tavoitteen toteutuminen etenee ", NULL},
                           {TS_FACE_BOLD, "suunnitellusti ", NULL},
                           {TS_FACE_REGULAR, "kaikilla alueilla – myös Töölössä.", NULL}},
                   3);
        const ts_flow *fp = b_done(&b);
        ts_draw_flow(pdf, ts_flow_tags_new(pdf, fp), sect, NULL, fp, 0, 3, 40, 80);

        b_init(&lb, a, fonts, &body);
        const ts_node *ul = b_node(&lb, TS_NODE_L, NULL, NULL, false);
        for (int i = 0; i < 3; i++) {
            const ts_node *li = b_node(&lb, TS_NODE_LI, ul, "•", false);
            b_line(&lb, li, true, true, 20, (run[]){{TS_FACE_REGULAR, "Tehtävä valmistuu", NULL}},
                   1);
        }
        const ts_flow *fl = b_done(&lb);
        ts_draw_flow(pdf, ts_flow_tags_new(pdf, fl), sect, NULL, fl, 0, 3, 40, 160);

        ts_elem *table = ts_elem_new(pdf, sect, "Table");
        for (int r = 0; r < 3; r++) {
            ts_elem *tr = ts_elem_new(pdf, table, "TR");
            for (int k = 0; k < 3; k++) {
                ts_elem *c = ts_elem_new(pdf, tr, r == 0 ? "TH" : "TD");
                if (r == 0)
                    ts_elem_set_scope(pdf, c, "Column");
                ts_draw_flow(pdf, NULL, tr, c,
                             plain(&b, a, fonts, &cell, r == 0 ? "Sarake" : "42 %"), 0, 1,
                             40 + k * 100, 240 + r * 22);
            }
            ts_draw_line(pdf, NULL, 40, 260 + r * 22, 340, 260 + r * 22, grey, 0.5);
        }

        ts_elem *fig = ts_elem_new(pdf, sect, "Figure");
        ts_elem_set_alt(pdf, fig, "Pylväskaavio kolmesta alueesta");
        for (int i = 0; i < 3; i++)
            ts_draw_rect(pdf, fig, 600 + i * 80, 120 + i * 30, 60, 200 - i * 30, &blue, NULL, 0);

        b_init(&b, a, fonts, &body);
        p = b_node(&b, TS_NODE_P, NULL, NULL, false);
        b_line(&b, p, true, true, 0,
               (run[]){{TS_FACE_REGULAR, "Lisätietoja: ", NULL},
                       {TS_FACE_REGULAR, "www.hel.fi", "https://www.hel.fi/"}},
               2);
        const ts_flow *fu = b_done(&b);
        ts_draw_flow(pdf, ts_flow_tags_new(pdf, fu), sect, NULL, fu, 0, 1, 40, 360);

        if (pg % 10 == 0 && pg + 10 < pages) {
            ts_elem *lp = ts_elem_new(pdf, sect, "P");
            ts_elem *link =
                ts_draw_page_link(pdf, lp, 40, 400, 200, 20, pg + 10, "Seuraavan mittarin kalvot");
            ts_draw_flow(pdf, NULL, lp, link, plain(&b, a, fonts, &body, "Seuraava mittari"), 0, 1,
                         40, 400);
        }
        snprintf(buf, sizeof buf, "%d", pg + 1);
        ts_draw_artifact_flow(pdf, plain(&b, a, fonts, &foot, buf), 0, 1, 900, 510, "Pagination");
        ts_arena_free(a);
    }
    int rc = ts_pdf_save(pdf, path, &d);
    size_t elems = ts_tag_elem_count(pdf->tag);
    ts_pdf_free(pdf);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    struct stat sb;
    long long size = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
    printf("%s: %d pages, %zu structure elements, %.2f s, %lld bytes\n",
           untagged ? "untagged" : "tagged", pages, elems,
           (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, size);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "synth") == 0)
        return synth(atoi(argv[2]), argv[3], argc >= 5 && strcmp(argv[4], "untagged") == 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_link_to_missing_page),
        cmocka_unit_test(test_refuses_after_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
