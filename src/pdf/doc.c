/* The PDF document of doc.h: libharu set up for a tagged PDF 1.7 (PDF/UA-1) and, on request,
 * PDF/A-2a, its pages (each page's operators captured, and compressed by the pager when the
 * page is finished), a page tree past libharu's 32,767 pages, bookmarks, links to pages made
 * later, and the file.  Fonts are fonts.c's, metadata meta.c's; what is painted is draw.c's. */
#include "pdf/fonts.h"
#include "pdf/meta.h"
#include "pdf/state.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dup_opt(ts_arena *a, const char *s)
{
    return s != NULL ? ts_arena_strdup(a, s) : NULL;
}

/* The page tree's shape ("Page tree" below): libharu's one level up to its array limit, then
 * nodes of this many kids. */
enum { FLAT_PAGES_MAX = HPDF_LIMIT_MAX_ARRAY, PAGE_FANOUT = 64 };

/* ---- Document -------------------------------------------------------------------------- */

ts_pdf *ts_pdf_new(const ts_layout *layout, const ts_pdf_info *info, ts_diags *diags)
{
    ts_arena *arena = ts_arena_new(NULL);
    ts_pdf *pdf = arena != NULL ? ts_arena_calloc(arena, 1, sizeof *pdf) : NULL;
    if (pdf == NULL) {
        ts_arena_free(arena);
        ts_diag_fault(diags, NULL, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "PDF: out of memory");
        return NULL;
    }
    pdf->arena = arena;
    pdf->diags = diags;
    pdf->layout = layout;
    pdf->info = *info;
    pdf->info.title = dup_opt(arena, info->title);
    pdf->info.author = dup_opt(arena, info->author);
    pdf->info.subject = dup_opt(arena, info->subject);
    pdf->info.keywords = dup_opt(arena, info->keywords);
    pdf->info.creator = dup_opt(arena, info->creator);
    pdf->info.icc_path = dup_opt(arena, info->icc_path);
    pdf->info.web_link = dup_opt(arena, info->web_link);
    pdf->tree_flat_max = FLAT_PAGES_MAX;
    pdf->tree_fanout = PAGE_FANOUT;
    if (!ts_layout_colour(layout, "link", &pdf->link_colour))
        pdf->link_colour = (ts_rgb){0.0, 0.2, 0.6}; /* the loader requires it; a test may not */

    pdf->doc = HPDF_New(ts_pdf_on_hpdf_error, pdf);
    if (pdf->doc == NULL) { /* HPDF_New fails only to allocate */
        ts_pdf_fail_memory(pdf, "creating the document");
        ts_pdf_free(pdf);
        return NULL;
    }
    HPDF_Doc d = pdf->doc;
    if (HPDF_SetCompressionMode(d, HPDF_COMP_ALL) != HPDF_OK ||
        HPDF_UseUTFEncodings(d) != HPDF_OK || HPDF_SetCurrentEncoder(d, "UTF-8") != HPDF_OK ||
        (pdf->utf8 = HPDF_GetEncoder(d, "UTF-8")) == NULL) {
        ts_pdf_fail(pdf, "setting up UTF-8");
        ts_pdf_free(pdf);
        return NULL;
    }
    if (ts_pdf_fonts_load(pdf) != 0) {
        ts_pdf_free(pdf);
        return NULL;
    }
    pdf->tag = ts_tag_new(d, arena, !info->untagged);
    if (pdf->tag == NULL || ts_tag_broken(pdf->tag)) {
        ts_pdf_fail(pdf, "creating the structure tree");
        ts_pdf_free(pdf);
        return NULL;
    }
    return pdf;
}

void ts_pdf_free(ts_pdf *pdf)
{
    if (pdf == NULL)
        return;
    /* First: its thread may be writing into a page job. */
    ts_pager_free(pdf->pager);
    /* A page left unsealed (a failed build) gets its own stream back, so that libharu frees
     * that one and not ours, which goes while libharu's memory manager lives. */
    ts_shim_capture_release(pdf->capture, pdf->page);
    ts_shim_capture_free(pdf->capture);
    ts_buf_free(&pdf->content);
    if (pdf->doc != NULL)
        HPDF_Free(pdf->doc);
    /* After the document: the elements' dictionaries are in the tagging layer's pool. */
    if (pdf->tag != NULL)
        ts_tag_free(pdf->tag);
    ts_pdf_fonts_free(pdf); /* after HPDF_Free: libharu read the fonts' bytes to the end */
    ts_buf_free(&pdf->text);
    ts_arena_free(pdf->arena);
}

int ts_pdf_page_count(const ts_pdf *pdf)
{
    return (int)pdf->pages.len;
}

static HPDF_Page page_at(const ts_pdf *pdf, int i)
{
    return i >= 0 && (size_t)i < pdf->pages.len ? ((HPDF_Page *)pdf->pages.items)[i] : NULL;
}

/* ---- Page contents --------------------------------------------------------------------- */

/* A page's operators: most pages of a pack take a few KB to some 16 KB. */
enum { PAGE_CONTENT_START = 16384 };

/* The new page's operators go to pdf->content from now on. */
static int capture_page(ts_pdf *pdf, HPDF_Page page)
{
    if (pdf->capture == NULL &&
        (pdf->capture = ts_shim_capture_new(pdf->doc, pdf->arena, &pdf->content)) == NULL)
        return -1;
    ts_buf_clear(&pdf->content);
    if (pdf->content.cap == 0 && !ts_buf_reserve(&pdf->content, PAGE_CONTENT_START))
        return -1;
    return ts_shim_capture_page(pdf->capture, page);
}

/* A page is finished: its content is compressed (now, or by the pager's thread). */
static int seal_page(ts_pdf *pdf, HPDF_Page page)
{
    if (!ts_shim_capture_release(pdf->capture, page) || pdf->content.failed)
        return -1;
    if (pdf->pager == NULL && (pdf->pager = ts_pager_new(pdf->info.single_thread)) == NULL)
        return -1;
    return ts_pager_seal(pdf->pager, page, &pdf->content);
}

/* ---- Page tree ------------------------------------------------------------------------- */

/* libharu hangs every page on the catalog's /Pages node, whose /Kids array it caps at 32,767
 * entries (HPDF_LIMIT_MAX_ARRAY), so the 32,768th page failed.  Up to that many pages the tree
 * stays as libharu makes it, and the file as it always was.  Before the next page, the pages are
 * regrouped under intermediate /Pages nodes of at most PAGE_FANOUT kids, every leaf at the same
 * depth; later pages go to the last leaf, and a full one gets a new sibling (a new level on top
 * when the catalog's node is full), so the tree stays balanced however many pages follow.
 * Nothing else refers to the tree: destinations, outlines and the structure tree name pages, and
 * libharu counts /Count through the kids when it writes. */

/* Puts the count items of kids[] under new nodes of the fanout each, in order; the nodes are
 * left in kids[] (so the caller sees how many) and the last one in *last. */
static bool group(ts_pdf *pdf, HPDF_Dict *kids, size_t *count, HPDF_Pages *last)
{
    size_t n = 0;
    size_t fanout = pdf->tree_fanout;
    for (size_t i = 0; i < *count; i += fanout) {
        HPDF_Pages node = ts_shim_pages_new(pdf->doc, NULL);
        if (node == NULL)
            return false;
        for (size_t k = i; k < i + fanout && k < *count; k++)
            if (!ts_shim_pages_move(node, kids[k]))
                return false;
        kids[n++] = node;
        *last = node;
    }
    *count = n;
    return true;
}

/* From libharu's one level to a balanced tree of the pages made so far. */
static bool regroup_pages(ts_pdf *pdf)
{
    HPDF_Pages root = ts_shim_pages_root(pdf->doc);
    size_t n = pdf->pages.len;
    HPDF_Dict *kids = malloc(n * sizeof *kids);
    if (kids == NULL || !ts_shim_pages_clear(root)) {
        free(kids);
        return false;
    }
    memcpy(kids, pdf->pages.items, n * sizeof *kids);
    HPDF_Pages last[TS_PAGE_TREE_DEPTH];
    int levels = 0;
    bool ok = true;
    do {
        ok = levels < TS_PAGE_TREE_DEPTH && group(pdf, kids, &n, &last[levels]);
        levels++;
    } while (ok && n > pdf->tree_fanout);
    for (size_t i = 0; ok && i < n; i++)
        ok = ts_shim_pages_move(root, kids[i]);
    free(kids);
    if (!ok)
        return false;
    /* group() went from the leaves up; the path goes from the top down. */
    for (int i = 0; i < levels; i++)
        pdf->tree_path[i] = last[levels - 1 - i];
    pdf->tree_depth = levels;
    return true;
}

/* Makes sure the page libharu adds next has a place: points its current /Pages node at a node
 * with room. */
static bool make_room_for_page(ts_pdf *pdf)
{
    if (pdf->tree_depth == 0 && pdf->pages.len < pdf->tree_flat_max)
        return true;
    if (pdf->tree_depth == 0 && !regroup_pages(pdf))
        return false;
    int depth = pdf->tree_depth;
    HPDF_Pages *path = pdf->tree_path, root = ts_shim_pages_root(pdf->doc);
    unsigned fanout = pdf->tree_fanout;
    if (ts_shim_pages_kid_count(path[depth - 1]) >= fanout) {
        /* The deepest node on the path with room takes a new branch down to a new leaf. */
        int k = depth - 2;
        while (k >= 0 && ts_shim_pages_kid_count(path[k]) >= fanout)
            k--;
        if (k < 0 && ts_shim_pages_kid_count(root) >= fanout) {
            /* The catalog's node is full: its kids go one level down, under a new node. */
            if (depth == TS_PAGE_TREE_DEPTH)
                return false;
            HPDF_Pages top = ts_shim_pages_new(pdf->doc, NULL);
            if (top == NULL)
                return false;
            unsigned n = ts_shim_pages_kid_count(root);
            HPDF_Dict *moved = malloc(n * sizeof *moved);
            if (moved == NULL)
                return false;
            for (unsigned i = 0; i < n; i++)
                moved[i] = ts_shim_pages_kid(root, i);
            bool ok = ts_shim_pages_clear(root);
            for (unsigned i = 0; ok && i < n; i++)
                ok = moved[i] != NULL && ts_shim_pages_move(top, moved[i]);
            free(moved);
            if (!ok)
                return false;
            if (!ts_shim_pages_move(root, top))
                return false;
            memmove(path + 1, path, (size_t)depth * sizeof *path);
            path[0] = top;
            pdf->tree_depth = ++depth;
            k = -1; /* the catalog's node has room now; the new branch hangs there */
        }
        for (int level = k + 1; level < depth; level++) {
            HPDF_Pages parent = level == 0 ? root : path[level - 1];
            path[level] = ts_shim_pages_new(pdf->doc, parent);
            if (path[level] == NULL)
                return false;
        }
    }
    ts_shim_pages_set_current(pdf->doc, path[depth - 1]);
    return true;
}

int ts_pdf_new_page(ts_pdf *pdf)
{
    if (pdf->saved || ts_tag_mc_state(pdf->tag) != TS_MC_NONE) {
        pdf->failures++;
        return -1;
    }
    if (pdf->page != NULL && seal_page(pdf, pdf->page) != 0) {
        ts_pdf_fail_memory(pdf, "compressing a page");
        return -1;
    }
    ts_shim_object_table_doubles(pdf->doc);
    if (!make_room_for_page(pdf)) {
        ts_pdf_fail(pdf, "adding a page to the page tree");
        return -1;
    }
    HPDF_Page *slot = ts_vec_push(pdf->arena, &pdf->pages, sizeof *slot);
    HPDF_Page page = slot != NULL ? HPDF_AddPage(pdf->doc) : NULL;
    if (page == NULL || HPDF_Page_SetWidth(page, (HPDF_REAL)pdf->layout->page_w) != HPDF_OK ||
        HPDF_Page_SetHeight(page, (HPDF_REAL)pdf->layout->page_h) != HPDF_OK ||
        ts_tag_begin_page(pdf->tag, page) != 0) {
        if (slot != NULL)
            pdf->pages.len--;
        ts_pdf_fail(pdf, "adding a page");
        return -1;
    }
    *slot = page;
    pdf->page = page;
    if (capture_page(pdf, page) != 0) {
        ts_pdf_fail(pdf, "adding a page");
        return -1;
    }
    ts_shim_page_drop_procset(page);
    return (int)pdf->pages.len - 1;
}

/* ---- Bookmarks and links --------------------------------------------------------------- */

ts_outline *ts_pdf_outline(ts_pdf *pdf, ts_outline *parent, const char *title_utf8, int page)
{
    if (pdf->saved || title_utf8 == NULL)
        return NULL;
    ts_outline *o = ts_arena_calloc(pdf->arena, 1, sizeof *o);
    ts_outline **slot = o != NULL ? ts_vec_push(pdf->arena, &pdf->outlines, sizeof *slot) : NULL;
    if (slot == NULL) {
        ts_pdf_fail(pdf, "adding a bookmark");
        return NULL;
    }
    o->page = page;
    /* The title is set below as our own text string; libharu's would refuse a title over its
     * 65,535-byte string limit, which ours cuts. */
    o->outline =
        HPDF_CreateOutline(pdf->doc, parent != NULL ? parent->outline : NULL, "", pdf->utf8);
    void *t =
        o->outline != NULL ? ts_pdf_text_string(pdf->doc, title_utf8, strlen(title_utf8)) : NULL;
    /* The encoder's string turns characters beyond the BMP into spaces; ours does not. */
    if (t == NULL || ts_shim_add(o->outline, "Title", t) != HPDF_OK ||
        HPDF_Outline_SetOpened(o->outline, HPDF_FALSE) != HPDF_OK) {
        pdf->outlines.len--;
        ts_pdf_fail(pdf, "adding a bookmark");
        return NULL;
    }
    *slot = o;
    return o;
}

int ts_pdf_set_later_page(ts_pdf *pdf, int k, int page)
{
    if (k < 0 || page < 0 || pdf->saved) {
        pdf->failures++;
        return -1;
    }
    while (pdf->later.len <= (size_t)k)
        if (ts_vec_push(pdf->arena, &pdf->later, sizeof(int)) == NULL) {
            ts_pdf_fail(pdf, "remembering a page");
            return -1;
        }
    ((int *)pdf->later.items)[k] = page + 1;
    return 0;
}

static int resolve_destinations(ts_pdf *pdf, const char *path)
{
    const ts_pending_link *l = pdf->links.items;
    for (size_t i = 0; i < pdf->links.len; i++) {
        int page = l[i].target_page;
        if (page <= TS_PAGE_LATER(0)) {
            size_t k = (size_t)(TS_PAGE_LATER(0) - page);
            page = k < pdf->later.len ? ((const int *)pdf->later.items)[k] - 1 : -1;
            if (page < 0) {
                ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                              "PDF: a link goes to a page that was never made");
                return -1;
            }
        }
        HPDF_Page target = page_at(pdf, page);
        if (target == NULL) {
            ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                          "PDF: a link goes to page %d, and the document has %zu pages", page + 1,
                          pdf->pages.len);
            return -1;
        }
        HPDF_Destination dst = HPDF_Page_CreateDestination(target);
        if (dst == NULL || ts_shim_add(l[i].annot, "Dest", dst) != HPDF_OK)
            return -1;
    }
    ts_outline *const *o = pdf->outlines.items;
    for (size_t i = 0; i < pdf->outlines.len; i++) {
        HPDF_Page target = page_at(pdf, o[i]->page);
        if (target == NULL) {
            ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                          "PDF: a bookmark goes to page %d, and the document has %zu pages",
                          o[i]->page + 1, pdf->pages.len);
            return -1;
        }
        HPDF_Destination dst = HPDF_Page_CreateDestination(target);
        if (dst == NULL || HPDF_Outline_SetDestination(o[i]->outline, dst) != HPDF_OK)
            return -1;
    }
    return 0;
}

/* ---- The file -------------------------------------------------------------------------- */

ts_rc ts_pdf_save(ts_pdf *pdf, const char *path, ts_diags *diags)
{
    if (diags != NULL)
        pdf->diags = diags;
    if (pdf->saved) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM, "PDF: saved twice");
        return TS_SYSTEM_ERROR;
    }
    pdf->saved = true;
    if (pdf->paint_faults > 0) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "PDF: %zu painting operators outside marked content (an internal fault)",
                      pdf->paint_faults);
        return TS_SYSTEM_ERROR;
    }
    if (pdf->failures > 0 || pdf->hpdf_errors > 0) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "PDF: not written, %zu drawing operations failed", pdf->failures);
        return TS_SYSTEM_ERROR;
    }
    if (pdf->pages.len == 0) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "PDF: the document has no page");
        return TS_SYSTEM_ERROR;
    }

    if (seal_page(pdf, pdf->page) != 0 || ts_pager_finish(pdf->pager) != 0) {
        ts_pdf_fail_memory(pdf, "compressing a page");
        return TS_SYSTEM_ERROR;
    }
    if (resolve_destinations(pdf, path) != 0 || ts_tag_finish(pdf->tag) != 0 ||
        ts_pdf_write_meta(pdf) != 0) {
        ts_pdf_fail(pdf, "finishing the document");
        return TS_SYSTEM_ERROR;
    }
    /* Last: SetViewerPreference has set 1.6 on the way. */
    ts_shim_set_pdf17(pdf->doc);
    int err = ts_shim_save(pdf->doc, path);
    if (err > 0) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM, "cannot write the PDF: %s",
                      strerror(err));
        return TS_SYSTEM_ERROR;
    }
    if (err < 0 && pdf->hpdf_error == HPDF_FAILD_TO_ALLOC_MEM) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "cannot write the PDF: out of memory");
        return TS_SYSTEM_ERROR;
    }
    if (err < 0) {
        ts_diag_fault(pdf->diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM,
                      "cannot write the PDF (libharu %s)",
                      pdf->hpdf_error == HPDF_FILE_IO_ERROR ? "file error" : "error");
        return TS_SYSTEM_ERROR;
    }
    return TS_OK;
}
