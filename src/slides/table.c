/* The table engine (table.h). */
#include "slides/table.h"

double sl_table_w(const sl_table_t *t)
{
    return t->x[t->n - 1] + t->w[t->n - 1] - t->x[0];
}

static void draw_head(sl_table_t *t, bool tagged)
{
    sl *s = t->st->s;
    const ts_text_style *hs = sl_style(s, t->head_style);
    double y = t->st->y;
    sl_rect(s, NULL, t->x[0], y, sl_table_w(t), t->head_h, &hs->background, NULL, 0);
    ts_elem *tr = tagged ? sl_elem(s, t->elem, "TR") : NULL;
    for (size_t i = 0; i < t->n; i++) {
        const ts_flow *f = t->head[i];
        if (f == NULL)
            continue;
        if (tagged) {
            ts_elem *th = sl_elem(s, tr, "TH");
            if (th != NULL)
                ts_elem_set_scope(s->pdf, th, "Column");
            sl_draw(s, NULL, th, th, f, 0, f->n_lines, t->x[i] + t->pad_x, y + t->pad_y);
        } else {
            sl_artifact(s, f, 0, f->n_lines, t->x[i] + t->pad_x, y + t->pad_y, "Layout");
        }
    }
    t->st->y += t->head_h;
    t->st->empty = false;
    t->rows_on_page = 0;
    t->fresh = !tagged;
}

static void head_again(sl_stack *st, void *arg)
{
    (void)st;
    draw_head(arg, false);
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
    if (!st->empty && !sl_fit_keeps(t->head_h, need, sl_stack_room(st)))
        sl_stack_turn(st);
    t->elem = sl_elem(s, t->parent, "Table");
    draw_head(t, true);
    st->on_turn = head_again;
    st->turn_arg = t;
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
    double capacity = st->capacity - t->head_h;
    if (sl_fit_moves(h <= sl_stack_room(st), h, capacity, t->rows_on_page > 0, t->fresh))
        sl_stack_turn(st);
    ts_elem *tr = sl_elem(s, t->elem, "TR");
    ts_elem *td[8] = {NULL};
    ts_flow_tags *tags[8] = {NULL};
    size_t at[8] = {0};
    for (size_t i = 0; i < t->n; i++) {
        td[i] = sl_elem(s, tr, cells[i].header ? "TH" : "TD");
        if (cells[i].header && td[i] != NULL)
            ts_elem_set_scope(s->pdf, td[i], "Row");
    }
    for (int part = 0; !s->failed; part++) {
        double room = sl_stack_room(st) - 2 * t->pad_y;
        size_t end[8] = {0};
        double part_h = sl_style(s, t->cell_style)->leading;
        bool more = false;
        for (size_t i = 0; i < t->n; i++) {
            const ts_flow *f = cells[i].flow;
            if (f == NULL || at[i] >= f->n_lines)
                continue;
            end[i] = at[i] + sl_fit_lines(f, at[i], room, true, SL_CELL_RUNTS);
            double hh = ts_flow_span_height(f, at[i], end[i]);
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
            if (f == NULL || at[i] >= f->n_lines)
                continue;
            double tx = t->x[i] + t->pad_x + (cells[i].marks ? t->mark_room : 0);
            double ty = y + t->pad_y;
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

void sl_table_band(sl_table_t *t, const ts_flow *f)
{
    sl_stack *st = t->st;
    sl *s = st->s;
    if (f == NULL)
        return;
    double h = f->height + 2 * t->pad_y;
    /* A band keeps with the first row under it. */
    double keep = sl_style(s, t->cell_style)->leading * 2 + 2 * t->pad_y;
    start(t, h + keep);
    if (t->rows_on_page > 0 && !sl_fit_keeps(h, keep, sl_stack_room(st)))
        sl_stack_turn(st);
    ts_elem *tr = sl_elem(s, t->elem, "TR");
    ts_elem *th = sl_elem(s, tr, "TH");
    if (th != NULL)
        ts_elem_set_scope(s->pdf, th, "Row");
    for (size_t i = 1; i < t->n; i++)
        sl_elem(s, tr, "TD");
    ts_rgb fill = sl_colour(s, "group-fill");
    sl_rect(s, NULL, t->x[0], st->y, sl_table_w(t), h, &fill, NULL, 0);
    size_t fit = ts_flow_fit(f, 0, sl_stack_room(st) - 2 * t->pad_y);
    sl_draw(s, NULL, th, th, f, 0, fit, t->x[0] + t->pad_x, st->y + t->pad_y);
    st->y += ts_flow_span_height(f, 0, fit) + 2 * t->pad_y;
    st->empty = false;
    t->rows_on_page++;
    t->fresh = false;
    t->rows = 0; /* the shading starts afresh under each band */
}

void sl_table_end(sl_table_t *t)
{
    start(t, 0);
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
