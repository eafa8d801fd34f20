/* The table engine (table.h). */
#include "slides/table.h"
#include "core/utf8.h"

#include <string.h>

double sl_table_w(const sl_table_t *t)
{
    return t->x[t->n - 1] + t->w[t->n - 1] - t->x[0];
}

/* The head's row, tagged as this part's header row; again (on a continuation slide), the
 * slide holds nothing of the rows yet. */
static void draw_head(sl_table_t *t, bool again)
{
    sl *s = t->st->s;
    const ts_text_style *hs = sl_style(s, t->head_style);
    double y = t->st->y;
    sl_rect(s, NULL, t->x[0], y, sl_table_w(t), t->head_h, &hs->background, NULL, 0);
    ts_elem *tr = sl_elem(s, t->elem, "TR");
    for (size_t i = 0; i < t->n; i++) {
        const ts_flow *f = t->head[i];
        t->head_th[i] = NULL;
        if (f == NULL)
            continue;
        ts_elem *th = sl_elem(s, tr, "TH");
        if (th != NULL)
            ts_elem_set_scope(s->pdf, th, "Column");
        t->head_th[i] = th;
        sl_draw(s, NULL, th, th, f, 0, f->n_lines, t->x[i] + t->pad_x, y + t->pad_y);
    }
    t->st->y += t->head_h;
    t->st->empty = false;
    t->rows_on_page = 0;
    t->fresh = again;
}

static void put_band(sl_table_t *t, const ts_flow *f);

/* Before a turn inside the table: the next slide's part, whose caption the continued title
 * is. */
static struct ts_elem *next_part(sl_stack *st, void *arg)
{
    sl_table_t *t = arg;
    t->elem = sl_elem(st->s, t->parent, "Table");
    t->band_th = NULL;
    return t->elem;
}

/* After it: the head again, and the band whose rows go on. */
static void head_again(sl_stack *st, void *arg)
{
    (void)st;
    sl_table_t *t = arg;
    draw_head(t, true);
    if (t->band != NULL) {
        put_band(t, t->band);
        t->fresh = true;
    }
}

void sl_table_begin(sl_table_t *t, sl_stack *st, ts_elem *parent, int pad, const int *cols,
                    const char *const *heads, size_t n, double first_row_h)
{
    sl *s = st->s;
    if (t->head_style == NULL)
        t->head_style = "table-head";
    if (t->cell_style == NULL)
        t->cell_style = "table-cell";
    t->st = st;
    t->n = n;
    const ts_frame *pf = sl_frame(s, st->kind, pad);
    t->pad_x = pf->x;
    t->pad_y = pf->y;
    t->rule = sl_length(s, st->kind, SL_TABLE_RULE);
    t->gap = sl_length(s, st->kind, SL_TABLE_GAP);
    if (t->marked) {
        t->mark_room = sl_length(s, st->kind, SL_MARK_ROOM);
        t->mark_radius = sl_length(s, st->kind, SL_MARK_RADIUS);
        t->mark_x = sl_length(s, st->kind, SL_MARK_X);
        t->mark_rise = sl_length(s, st->kind, SL_MARK_RISE);
        t->mark_outline = sl_length(s, st->kind, SL_MARK_OUTLINE);
    }
    const ts_text_style *hs = sl_style(s, t->head_style);
    double hh = 0;
    for (size_t i = 0; i < n; i++) {
        const ts_frame *c = sl_frame(s, st->kind, cols[i]);
        t->x[i] = c->x;
        t->w[i] = c->w;
        t->head[i] = sl_lines(s, heads[i], hs, c->w - 2 * t->pad_x);
        if (t->head[i] && t->head[i]->height > hh)
            hh = t->head[i]->height;
    }
    t->head_h = hh + 2 * t->pad_y;
    t->parent = parent;
    t->keep_h = first_row_h;
    t->head_pending = true;
}

/* Draws the head before the first row of row_h pt: on this slide when the row fits under it
 * (or, a row that must be split anyway, a good part of it), else on the next. */
static void start(sl_table_t *t, double row_h)
{
    if (!t->head_pending)
        return;
    sl_stack *st = t->st;
    sl *s = st->s;
    t->head_pending = false;
    double capacity = st->capacity - t->head_h;
    double need = row_h <= capacity ? row_h : t->keep_h;
    /* A table that starts at the top of a slide that continues the stack is new there: the
     * continued title belongs to the section, not to it, so it is no caption of it (the
     * stack's owner draws it as a running head). */
    if (!st->empty && !sl_fit_keeps(t->head_h, need, sl_stack_room(st)))
        sl_stack_turn(st);
    t->elem = sl_elem(s, t->parent, "Table");
    draw_head(t, false);
    st->on_caption = next_part;
    st->on_turn = head_again;
    st->turn_arg = t;
}

/* The room a row has on a slide that continues the table: under the head, and the band
 * repeated there. */
static double cont_capacity(const sl_table_t *t)
{
    return t->st->capacity - t->head_h - (t->band != NULL ? t->band_h : 0);
}

double sl_table_text_w(const sl_table_t *t, size_t i, bool marked)
{
    return t->w[i] - 2 * t->pad_x - (marked ? t->mark_room : 0);
}

double sl_table_row_h(const sl_table_t *t, const sl_cell *cells)
{
    double h = sl_style(t->st->s, t->cell_style)->leading;
    for (size_t i = 0; i < t->n; i++)
        if (cells[i].flow && cells[i].flow->height > h)
            h = cells[i].flow->height;
    return h + 2 * t->pad_y;
}

/* A row's cells (TR and a TH or TD each) in this part, with their scope and, under a band,
 * their headers. */
static void row_cells(sl_table_t *t, const sl_cell *cells, ts_elem **td)
{
    sl *s = t->st->s;
    ts_elem *tr = sl_elem(s, t->elem, "TR");
    ts_elem *row_th = NULL;
    for (size_t i = 0; i < t->n; i++) {
        td[i] = sl_elem(s, tr, cells[i].header ? "TH" : "TD");
        if (cells[i].header && td[i] != NULL) {
            ts_elem_set_scope(s->pdf, td[i], "Row");
            if (row_th == NULL)
                row_th = td[i];
        }
    }
    if (t->band_th == NULL)
        return;
    /* Scope cannot say that a band heads the rows under it: the cells name it, and with it
     * their column head and row header, which a reader that finds /Headers may take for the
     * whole list. */
    for (size_t i = 0; i < t->n && !s->failed; i++) {
        ts_elem *heads[3];
        size_t n = 0;
        if (t->head_th[i] != NULL)
            heads[n++] = t->head_th[i];
        if (row_th != NULL && row_th != td[i])
            heads[n++] = row_th;
        heads[n++] = t->band_th;
        ts_elem_set_headers(s->pdf, td[i], heads, n);
    }
}

/* The header cell of a row that has a name to repeat, or n. */
static size_t named_header(const sl_table_t *t, const sl_cell *cells)
{
    for (size_t i = 0; i < t->n; i++)
        if (cells[i].header && cells[i].name != NULL && cells[i].name->n_runs > 0)
            return i;
    return t->n;
}

/* The most characters of a name repeated on a slide that continues its row: a name says whose
 * row it is in its first words, and a longer one (a round may name a measure in 20,000
 * characters) repeated whole on every slide of its row would fill each of them. */
#define CONTINUED_NAME_MAX 80

/* "Liikkumisohjelma (jatkuu)": the row's name and the stack's mark, in the name's style, laid
 * out for the header cell i; a name over CONTINUED_NAME_MAX characters is cut at a space before
 * it and ends in "…".  Its links stay with the row's first part. */
static const ts_flow *continued_name(sl_table_t *t, const sl_cell *c, size_t i)
{
    sl *s = t->st->s;
    const ts_inline *name = c->name;
    ts_run *runs = ts_arena_calloc(s->a, name->n_runs + 2, sizeof *runs);
    char *mark = ts_arena_printf(s->a, " %s", t->st->mark);
    if (runs == NULL || mark == NULL) {
        sl_no_memory(s, name->pos);
        return NULL;
    }
    size_t n = 0, chars = 0;
    bool cut = false;
    for (size_t k = 0; k < name->n_runs && !cut; k++) {
        ts_run r = name->runs[k];
        size_t len = 0, last_space = 0;
        while (len < r.len && chars < CONTINUED_NAME_MAX) {
            if (r.text[len] == ' ')
                last_space = len;
            ts_utf8_next((const unsigned char *)r.text, r.len, &len);
            chars++;
        }
        if (len < r.len) {
            cut = true;
            len = last_space > 0 ? last_space : len;
        }
        r.len = len;
        r.style |= c->name_style;
        r.href = NULL;
        if (r.len > 0)
            runs[n++] = r;
    }
    if (cut)
        runs[n++] = (ts_run){
            .text = "\u2026", .len = strlen("\u2026"), .style = c->name_style, .pos = name->pos};
    runs[n++] =
        (ts_run){.text = mark, .len = strlen(mark), .style = c->name_style, .pos = name->pos};
    ts_inline in = {.runs = runs, .n_runs = n, .pos = name->pos};
    return sl_inline(s, &in, sl_style(s, t->cell_style), sl_table_text_w(t, i, c->marks != NULL));
}

static ts_rgb row_fill(sl_table_t *t, const sl_cell *c)
{
    sl *s = t->st->s;
    if (c->fill)
        return c->fill->fill;
    /* Every other row is shaded; the table-cell style lists the shade among its backgrounds,
     * so the contrast of the text on it has been checked. */
    return t->rows % 2 ? sl_colour(s, "zebra") : sl_style(s, t->cell_style)->background;
}

static void draw_marks(sl_table_t *t, const sl_cell *c, size_t first, size_t end, double x,
                       double y)
{
    const ts_flow *f = c->flow;
    for (size_t k = first; k < end; k++) {
        const ts_line *ln = &f->lines[k];
        if (!ln->first_of_node || ln->node == NULL || ln->node->id >= c->n_marks)
            continue;
        double cy = y + (ln->baseline - f->lines[first].top) - t->mark_rise;
        sl_status_mark(t->st->s, c->marks[ln->node->id], x + t->mark_x, cy, t->mark_radius,
                       t->mark_outline);
    }
}

void sl_table_row(sl_table_t *t, const sl_cell *cells)
{
    sl_stack *st = t->st;
    sl *s = st->s;
    double h = sl_table_row_h(t, cells);
    start(t, h);
    /* A row moves whole to the next slide; it is split only when it alone is taller than a
     * slide's room under the head, or when it already stands at the top of a fresh slide. */
    if (sl_fit_moves(h <= sl_stack_room(st), h, cont_capacity(t), t->rows_on_page > 0, t->fresh))
        sl_stack_turn(st);
    ts_elem *td[8] = {NULL};
    ts_flow_tags *tags[8] = {NULL};
    size_t at[8] = {0};
    /* On a slide that continues the row, its header cell begins with the row's name and the
     * mark, above the rest of the cell's text (if any is left). */
    size_t named = named_header(t, cells);
    const ts_flow *again = NULL;
    double again_h = 0;
    for (int part = 0; !s->failed; part++) {
        /* The row in this slide's part (after a turn, its rest in the next part's). */
        row_cells(t, cells, td);
        for (size_t i = 0; i < t->n; i++)
            tags[i] = NULL;
        if (part == 1 && named < t->n)
            again = continued_name(t, &cells[named], named);
        if (again != NULL) {
            const ts_flow *f = cells[named].flow;
            again_h = again->height +
                      (f != NULL && at[named] < f->n_lines ? again->style->space_after : 0);
        }
        double room = sl_stack_room(st) - 2 * t->pad_y;
        size_t end[8] = {0};
        double part_h = sl_style(s, t->cell_style)->leading;
        if (again != NULL && again_h > part_h)
            part_h = again_h;
        bool more = false;
        for (size_t i = 0; i < t->n; i++) {
            const ts_flow *f = cells[i].flow;
            if (f == NULL || at[i] >= f->n_lines)
                continue;
            double above = again != NULL && i == named ? again_h : 0;
            end[i] = at[i] + sl_fit_lines(f, at[i], room - above, true, SL_CELL_RUNTS);
            double hh = above + ts_flow_span_height(f, at[i], end[i]);
            if (hh > part_h)
                part_h = hh;
            if (end[i] < f->n_lines)
                more = true;
        }
        double y = st->y;
        for (size_t i = 0; i < t->n; i++) {
            ts_rgb fill = row_fill(t, &cells[i]);
            sl_rect(s, NULL, t->x[i], y, t->w[i], part_h + 2 * t->pad_y, &fill, NULL, 0);
        }
        for (size_t i = 0; i < t->n; i++) {
            const ts_flow *f = cells[i].flow;
            double tx = t->x[i] + t->pad_x + (cells[i].marks ? t->mark_room : 0);
            double ty = y + t->pad_y;
            if (again != NULL && i == named) {
                sl_draw(s, NULL, td[i], NULL, again, 0, again->n_lines, tx, ty);
                ty += again_h;
            }
            if (f == NULL || at[i] >= f->n_lines)
                continue;
            if (cells[i].marks)
                draw_marks(t, &cells[i], at[i], end[i], t->x[i] + t->pad_x, ty);
            ts_elem *container = NULL;
            if (cells[i].link_page != -1 && !s->failed && at[i] == 0) {
                double lw = 0;
                for (size_t k = at[i]; k < end[i]; k++)
                    if (f->lines[k].width + f->lines[k].x > lw)
                        lw = f->lines[k].width + f->lines[k].x;
                container = ts_draw_page_link(s->pdf, td[i], tx, ty, lw,
                                              ts_flow_span_height(f, at[i], end[i]),
                                              cells[i].link_page, cells[i].link_contents);
                if (container == NULL)
                    sl_fail(s, s->r->pos, TS_FAULT_SYSTEM, "a link cannot be made");
            }
            sl_draw(s, &tags[i], td[i], container, f, at[i], end[i], tx, ty);
            at[i] = end[i];
        }
        sl_line(s, t->x[0], y + part_h + 2 * t->pad_y, t->x[0] + sl_table_w(t),
                y + part_h + 2 * t->pad_y, sl_colour(s, "grid"), t->rule);
        st->y += part_h + 2 * t->pad_y;
        st->empty = false;
        t->rows_on_page++;
        t->fresh = false;
        if (!more || part > 10000)
            break;
        sl_stack_turn(st);
    }
    t->rows++;
}

/* The band's row: one TH across the table, as much of f as the slide holds. */
static void put_band(sl_table_t *t, const ts_flow *f)
{
    sl_stack *st = t->st;
    sl *s = st->s;
    ts_elem *tr = sl_elem(s, t->elem, "TR");
    ts_elem *th = sl_elem(s, tr, "TH");
    if (th != NULL) {
        ts_elem_set_scope(s->pdf, th, "Row");
        ts_elem_set_col_span(s->pdf, th, (int)t->n);
    }
    t->band_th = th;
    size_t fit = ts_flow_fit(f, 0, sl_stack_room(st) - 2 * t->pad_y);
    double h = ts_flow_span_height(f, 0, fit) + 2 * t->pad_y;
    ts_rgb fill = sl_colour(s, "group-fill");
    sl_rect(s, NULL, t->x[0], st->y, sl_table_w(t), h, &fill, NULL, 0);
    sl_draw(s, NULL, th, th, f, 0, fit, t->x[0] + t->pad_x, st->y + t->pad_y);
    st->y += h;
    st->empty = false;
    t->band_h = h;
}

void sl_table_band(sl_table_t *t, const ts_flow *f)
{
    sl_stack *st = t->st;
    sl *s = st->s;
    if (f == NULL)
        return;
    double h = f->height + 2 * t->pad_y;
    /* A band keeps with the first row under it; the band before it ends here, so a turn
     * does not repeat it. */
    double keep = sl_style(s, t->cell_style)->leading * 2 + 2 * t->pad_y;
    t->band = NULL;
    start(t, h + keep);
    if (t->rows_on_page > 0 && !sl_fit_keeps(h, keep, sl_stack_room(st)))
        sl_stack_turn(st);
    put_band(t, f);
    t->band = f;
    t->rows_on_page++;
    t->fresh = false;
    t->rows = 0; /* the shading starts afresh under each band */
}

void sl_table_end(sl_table_t *t)
{
    start(t, 0);
    t->st->on_caption = NULL;
    t->st->on_turn = NULL;
    t->st->turn_arg = NULL;
    sl_stack_gap(t->st, t->gap);
}

/* A row's cells before they are filled: no text, no link. */
void sl_cells_empty(sl_cell *c, size_t n)
{
    for (size_t k = 0; k < n; k++)
        c[k] = (sl_cell){.link_page = -1};
}

ts_elem *sl_table_section(sl *s, sl_stack *st, const sl_kind *kind, int body, const char *title)
{
    ts_elem *sect = sl_sect(s, title);
    sl_open_stack(st, s, kind, title, sect, body, -1);
    return sect;
}
