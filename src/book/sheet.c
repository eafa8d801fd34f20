/* A sheet as it is read, then finished: cells in order, merged ranges checked against each
 * other in one sweep down the rows (a segment tree over the columns says which range holds a
 * column in the current row), so that a million ranges cost n log n, not n². */
#include "book/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ts_wbr_cell *wbr_sheet_cell(wbr_ctx *c, wbr_sheet *s, uint32_t row, uint32_t col)
{
    if (!wbr_take_cells(c, 1, s->name))
        return NULL;
    ts_wbr_cell *cell = ts_vec_push(c->a, &s->cells, sizeof *cell);
    if (cell == NULL) {
        wbr_oom(c);
        return NULL;
    }
    if (s->cells.len > 1 && (row < s->last_row || (row == s->last_row && col <= s->last_col)))
        s->unsorted = true;
    s->last_row = row;
    s->last_col = col;
    cell->row = row;
    cell->col = (uint16_t)col;
    return cell;
}

bool wbr_sheet_merge(wbr_ctx *c, wbr_sheet *s, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2)
{
    if (!wbr_take_cells(c, 1, s->name))
        return false;
    ts_wbr_merge *m = ts_vec_push(c->a, &s->merges, sizeof *m);
    if (m == NULL) {
        wbr_oom(c);
        return false;
    }
    *m = (ts_wbr_merge){r1, r2, (uint16_t)c1, (uint16_t)c2};
    return true;
}

static int cell_cmp(const void *pa, const void *pb)
{
    const ts_wbr_cell *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

static int merge_cmp(const void *pa, const void *pb)
{
    const ts_wbr_merge *a = pa, *b = pb;
    if (a->first_row != b->first_row)
        return a->first_row < b->first_row ? -1 : 1;
    return a->first_col < b->first_col ? -1 : a->first_col > b->first_col;
}

/* ---- Which range holds a column: assignments over column ranges, point and range queries.
 * The ranges in the tree never overlap (an overlapping one is refused, not put in), so a
 * range query asks "does any column here belong to a range?" and answers with one. */

enum { TREE_COLS = TS_WBR_MAX_COLS };

typedef struct tree {
    uint32_t *any;  /* per node: some range id in the node's columns (0: none) */
    uint32_t *lazy; /* per node: the whole node was set to lazy - 1 (0: no pending set) */
} tree;

static void push_down(tree *t, size_t node)
{
    if (t->lazy[node]) {
        for (size_t k = 2 * node; k <= 2 * node + 1; k++) {
            t->lazy[k] = t->lazy[node];
            t->any[k] = t->lazy[node] - 1;
        }
        t->lazy[node] = 0;
    }
}

static void tree_set(tree *t, size_t node, uint32_t lo, uint32_t hi, uint32_t a, uint32_t b,
                     uint32_t id)
{
    if (b < lo || hi < a)
        return;
    if (a <= lo && hi <= b) {
        t->any[node] = id;
        t->lazy[node] = id + 1;
        return;
    }
    push_down(t, node);
    uint32_t mid = lo + (hi - lo) / 2;
    tree_set(t, 2 * node, lo, mid, a, b, id);
    tree_set(t, 2 * node + 1, mid + 1, hi, a, b, id);
    t->any[node] = t->any[2 * node] ? t->any[2 * node] : t->any[2 * node + 1];
}

static uint32_t tree_get(tree *t, size_t node, uint32_t lo, uint32_t hi, uint32_t a, uint32_t b)
{
    if (b < lo || hi < a || t->any[node] == 0)
        return 0;
    if (a <= lo && hi <= b)
        return t->any[node];
    push_down(t, node);
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t l = tree_get(t, 2 * node, lo, mid, a, b);
    return l ? l : tree_get(t, 2 * node + 1, mid + 1, hi, a, b);
}

typedef struct ending {
    uint32_t row; /* the first row no longer in the range */
    uint32_t index;
} ending;

static int ending_cmp(const void *pa, const void *pb)
{
    const ending *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static void merge_text(const ts_wbr_merge *m, char *buf, size_t cap)
{
    char a[TS_WBR_REF_SIZE], b[TS_WBR_REF_SIZE];
    snprintf(buf, cap, "%s:%s", ts_wbr_ref(m->first_row, m->first_col, a),
             ts_wbr_ref(m->last_row, m->last_col, b));
}

/* The implicit interval tree of ts_wbr_merge_at: over the ranges sorted by first row, node
 * [lo, hi) is its middle one, and reach[mid] is the last row any range of the node reaches. */
static uint32_t build_reach(const ts_wbr_merge *m, uint32_t *reach, size_t lo, size_t hi)
{
    if (lo >= hi)
        return 0;
    size_t mid = lo + (hi - lo) / 2;
    uint32_t r = m[mid].last_row;
    uint32_t l = build_reach(m, reach, lo, mid);
    uint32_t h = build_reach(m, reach, mid + 1, hi);
    if (l > r)
        r = l;
    if (h > r)
        r = h;
    reach[mid] = r;
    return r;
}

bool wbr_sheet_finish(wbr_ctx *c, wbr_sheet *s, ts_wbr_sheet *out)
{
    memset(out, 0, sizeof *out);
    out->name = s->name;
    out->hidden = s->hidden;
    ts_wbr_cell *cells = s->cells.items;
    size_t n = s->cells.len;
    ts_wbr_merge *merges = s->merges.items;
    size_t nm = s->merges.len;
    bool ok = true;
    if (s->unsorted)
        qsort(cells, n, sizeof *cells, cell_cmp);
    for (size_t i = 1; i < n; i++)
        if (cells[i].row == cells[i - 1].row && cells[i].col == cells[i - 1].col) {
            wbr_cell_error(c, s->name, cells[i].row, cells[i].col,
                           "the cell is given twice in the sheet");
            ok = false;
        }
    if (nm > 1)
        qsort(merges, nm, sizeof *merges, merge_cmp);

    uint32_t rows = 0, cols = 0;
    for (size_t i = 0; i < n; i++) {
        if (cells[i].row + 1 > rows)
            rows = cells[i].row + 1;
        if (cells[i].col + 1u > cols)
            cols = cells[i].col + 1u;
    }
    for (size_t i = 0; i < nm; i++) {
        if (merges[i].last_row + 1 > rows)
            rows = merges[i].last_row + 1;
        if (merges[i].last_col + 1u > cols)
            cols = merges[i].last_col + 1u;
    }

    if (nm > 0) {
        /* The sweep: at each row, ranges that ended leave the tree, then ranges that start
         * there are checked against it and put in, then the row's cells learn their range. */
        /* One tree serves every sheet: each sweep ends with every range taken out again. */
        if (c->tree_any == NULL) {
            c->tree_any = ts_arena_calloc(c->scratch, 4 * TREE_COLS, sizeof *c->tree_any);
            c->tree_lazy = ts_arena_calloc(c->scratch, 4 * TREE_COLS, sizeof *c->tree_lazy);
        }
        tree t = {c->tree_any, c->tree_lazy};
        ending *ends = ts_arena_alloc(c->scratch, nm * sizeof *ends);
        bool *refused = ts_arena_calloc(c->scratch, nm, sizeof *refused);
        if (t.any == NULL || t.lazy == NULL || ends == NULL || refused == NULL) {
            wbr_oom(c);
            return false;
        }
        for (size_t i = 0; i < nm; i++)
            ends[i] = (ending){merges[i].last_row + 1, (uint32_t)i};
        qsort(ends, nm, sizeof *ends, ending_cmp);
        size_t mi = 0, ei = 0, ci = 0;
        while (mi < nm || ci < n) {
            uint32_t row = mi < nm ? merges[mi].first_row : UINT32_MAX;
            if (ci < n && cells[ci].row < row)
                row = cells[ci].row;
            for (; ei < nm && ends[ei].row <= row; ei++) {
                const ts_wbr_merge *m = &merges[ends[ei].index];
                if (!refused[ends[ei].index])
                    tree_set(&t, 1, 0, TREE_COLS - 1, m->first_col, m->last_col, 0);
            }
            for (; mi < nm && merges[mi].first_row == row; mi++) {
                const ts_wbr_merge *m = &merges[mi];
                uint32_t other = tree_get(&t, 1, 0, TREE_COLS - 1, m->first_col, m->last_col);
                if (other) {
                    char a[40], b[40];
                    merge_text(m, a, sizeof a);
                    merge_text(&merges[other - 1], b, sizeof b);
                    wbr_cell_error(c, s->name, m->first_row, m->first_col,
                                   "the merged range %s overlaps the merged range %s", a, b);
                    refused[mi] = true;
                    ok = false;
                    continue;
                }
                tree_set(&t, 1, 0, TREE_COLS - 1, m->first_col, m->last_col, (uint32_t)mi + 1);
            }
            for (; ci < n && cells[ci].row == row; ci++)
                cells[ci].merge = tree_get(&t, 1, 0, TREE_COLS - 1, cells[ci].col, cells[ci].col);
            if (c->stop)
                return false;
        }
        for (; ei < nm; ei++) {
            const ts_wbr_merge *m = &merges[ends[ei].index];
            if (!refused[ends[ei].index])
                tree_set(&t, 1, 0, TREE_COLS - 1, m->first_col, m->last_col, 0);
        }
        uint32_t *reach = ts_arena_alloc(c->a, nm * sizeof *reach);
        if (reach == NULL) {
            wbr_oom(c);
            return false;
        }
        build_reach(merges, reach, 0, nm);
        out->merge_reach = reach;
    }
    out->rows = rows;
    out->cols = cols;
    out->cells = cells;
    out->cell_count = n;
    out->merges = merges;
    out->merge_count = nm;
    return ok;
}
