/* The page tree: up to libharu's limit every page hangs on the catalog's /Pages; past it the
 * pages are regrouped into a balanced tree that keeps their order, and stays balanced as pages
 * follow.  The limit and the fanout are made tiny here, so that every step (the regrouping, a
 * new branch, a new level on top, the depth limit) comes from a few hundred pages; the real
 * sizes go through the program in tests/pagetree.cmake.
 *
 *   test_pagetree                          the unit tests
 *   test_pagetree write FLAT FANOUT PAGES OUT.pdf
 *                                          writes such a document, each page with a bookmark
 *                                          "Sivu N" (for tests/tools/check_page_tree.py) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdf/state.h"
#include "pdf/draw.h"

#define FONT(name) TEST_SOURCE_DIR "/fonts/" name

static const ts_named_colour colours[] = {{"link", {0, 0.2, 0.6}}};

static ts_layout make_layout(void)
{
    ts_layout l;
    memset(&l, 0, sizeof l);
    l.name = "test";
    l.path = "test-layout.xml";
    l.page_w = 960;
    l.page_h = 540;
    for (int f = 0; f < TS_FACE_COUNT; f++) {
        l.font_files[f] = FONT("LiberationSans-Regular.ttf");
        l.fallback_files[f] = FONT("DejaVuSans.ttf");
    }
    l.colours = colours;
    l.n_colours = 1;
    return l;
}

static ts_pdf *new_doc(const ts_layout *layout, size_t flat, unsigned fanout, ts_diags *d)
{
    ts_pdf_info info;
    memset(&info, 0, sizeof info);
    info.title = "Sivupuu";
    info.author = "taseuranta";
    info.lang = TS_LANG_FI;
    info.now = 1700000000;
    ts_pdf *pdf = ts_pdf_new(layout, &info, d);
    if (pdf != NULL) {
        pdf->tree_flat_max = flat;
        pdf->tree_fanout = fanout;
    }
    return pdf;
}

/* Adds page pg (0-based), with a bookmark to itself. */
static bool add_page(ts_pdf *pdf, int pg)
{
    const ts_rgb white = {1, 1, 1};
    char title[32];
    snprintf(title, sizeof title, "Sivu %d", pg + 1);
    return ts_pdf_add_page(pdf, white) == pg && ts_pdf_outline(pdf, NULL, title, pg) != NULL;
}

/* Adds pages; the number added. */
static int add_pages(ts_pdf *pdf, int pages)
{
    for (int pg = 0; pg < pages; pg++)
        if (!add_page(pdf, pg))
            return pg;
    return pages;
}

typedef struct walker {
    const ts_pdf *pdf;
    size_t next;    /* the page expected next, in document order */
    int leaf_depth; /* of the first page met; -1 before */
} walker;

static bool is_page(HPDF_Dict d)
{
    return d->header.obj_class == (HPDF_OCLASS_DICT | HPDF_OSUBCLASS_PAGE);
}

/* Every page in order, all at one depth, every node's kids within the fanout (the catalog's
 * node: within libharu's one level while there is no tree), every /Parent right. */
static void walk(walker *w, HPDF_Dict node, HPDF_Dict parent, int depth)
{
    HPDF_Dict up = HPDF_Dict_GetItem(node, "Parent", HPDF_OCLASS_DICT);
    assert_ptr_equal(up, parent);
    if (is_page(node)) {
        assert_true(w->next < w->pdf->pages.len);
        assert_ptr_equal(node, ((HPDF_Page *)w->pdf->pages.items)[w->next]);
        w->next++;
        if (w->leaf_depth < 0)
            w->leaf_depth = depth;
        assert_int_equal(depth, w->leaf_depth);
        return;
    }
    HPDF_Array kids = HPDF_Dict_GetItem(node, "Kids", HPDF_OCLASS_ARRAY);
    assert_non_null(kids);
    HPDF_UINT n = HPDF_Array_Items(kids);
    size_t most =
        parent == NULL && w->pdf->tree_depth == 0 ? w->pdf->tree_flat_max : w->pdf->tree_fanout;
    assert_true(n <= most);
    assert_true(n > 0 || w->pdf->pages.len == 0);
    for (HPDF_UINT i = 0; i < n; i++)
        walk(w, HPDF_Array_GetItem(kids, i, HPDF_OCLASS_DICT), node, depth + 1);
}

static void check_tree(const ts_pdf *pdf)
{
    walker w = {pdf, 0, -1};
    walk(&w, ts_shim_pages_root(pdf->doc), NULL, 0);
    assert_int_equal(w.next, pdf->pages.len);
}

/* Every count of pages, from none through several regroupings and new top levels. */
static void test_every_count(void **state)
{
    (void)state;
    ts_layout layout = make_layout();
    static const struct {
        size_t flat;
        unsigned fanout;
        int pages;
    } shapes[] = {{5, 2, 70}, {5, 3, 120}, {1, 2, 40}, {9, 4, 150}, {64, 64, 64}};
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        ts_diags d;
        assert_true(ts_diags_init(&d, NULL));
        ts_pdf *pdf = new_doc(&layout, shapes[s].flat, shapes[s].fanout, &d);
        assert_non_null(pdf);
        check_tree(pdf);
        for (int pg = 0; pg < shapes[s].pages; pg++) {
            assert_true(add_page(pdf, pg));
            check_tree(pdf);
            assert_int_equal(pdf->tree_depth == 0, (size_t)pg + 1 <= shapes[s].flat);
        }
        ts_pdf_free(pdf);
        ts_diags_free(&d);
    }
}

/* The depth the tree can grow to is a limit: the page past it is refused, with a message. */
static void test_depth_limit(void **state)
{
    (void)state;
    ts_layout layout = make_layout();
    ts_diags d;
    assert_true(ts_diags_init(&d, NULL));
    ts_pdf *pdf = new_doc(&layout, 1, 2, &d);
    assert_non_null(pdf);
    /* Fanout 2 at the deepest allowed tree holds 2^(depth + 1) pages: the catalog's node and
     * each level below it double them. */
    int most = 1 << (TS_PAGE_TREE_DEPTH + 1);
    assert_int_equal(add_pages(pdf, most + 1), most);
    assert_int_equal(pdf->tree_depth, TS_PAGE_TREE_DEPTH);
    check_tree(pdf);
    assert_true(d.errors > 0);
    const ts_diag *items = d.list.items;
    assert_non_null(strstr(items[d.list.len - 1].message, "adding a page to the page tree"));
    ts_pdf_free(pdf);
    ts_diags_free(&d);
}

static int write_doc(size_t flat, unsigned fanout, int pages, const char *out)
{
    ts_layout layout = make_layout();
    ts_diags d;
    if (!ts_diags_init(&d, NULL))
        return 3;
    ts_pdf *pdf = new_doc(&layout, flat, fanout, &d);
    int rc = pdf != NULL && add_pages(pdf, pages) == pages ? ts_pdf_save(pdf, out, &d) : 3;
    ts_pdf_free(pdf);
    ts_diags_print(&d, stderr);
    ts_diags_free(&d);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "write") == 0)
        return write_doc(strtoul(argv[2], NULL, 10), (unsigned)strtoul(argv[3], NULL, 10),
                         atoi(argv[4]), argv[5]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_count),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
