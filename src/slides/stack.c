/* The fit policy and the stack (stack.h). */
#include "slides/stack.h"

/* ---- The rules ------------------------------------------------------------------------- */

size_t sl_fit_lines(const ts_flow *f, size_t first, double room, bool must, sl_runts runts)
{
    if (f == NULL || first >= f->n_lines)
        return 0;
    size_t rest = f->n_lines - first;
    size_t n = ts_flow_fit(f, first, room);
    if (ts_flow_span_height(f, first, first + n) > room + 0.01)
        n = 0; /* not even one line fits */
    if (n > 0 && n < rest) {
        if (rest - n < runts.widows)
            n = rest > runts.widows ? rest - runts.widows : 0;
        if (n < runts.orphans)
            n = 0;
    }
    if (n > 0 && first + n < f->n_lines && !f->lines[first + n].first_of_node) {
        /* Nor is a paragraph or an item broken with a line of it alone on either side: the
         * break moves to its start. */
        size_t end = first + n, before = 0, after = 0;
        for (size_t k = end; k-- > first;) {
            before++;
            if (f->lines[k].first_of_node)
                break;
        }
        for (size_t k = end; k < f->n_lines; k++) {
            after++;
            if (f->lines[k].last_of_node)
                break;
        }
        if (before < runts.orphans || after < runts.orphans)
            n = n - before >= runts.orphans ? n - before : 0;
    }
    if (n == 0 && must) {
        n = ts_flow_fit(f, first, room);
        if (n < rest && rest - n < runts.widows && rest > runts.widows &&
            rest - runts.widows >= runts.orphans)
            n = rest - runts.widows;
    }
    return n;
}

bool sl_fit_keeps(double h, double next, double room)
{
    return h + next <= room;
}

bool sl_fit_moves(bool fits, double h, double capacity, bool started, bool fresh)
{
    return !fits && !fresh && (started || h <= capacity);
}

double sl_first_lines(const ts_flow *f, size_t n)
{
    if (f == NULL || f->n_lines == 0)
        return 0;
    if (n > f->n_lines)
        n = f->n_lines;
    return ts_flow_span_height(f, 0, n);
}

/* ---- The stack ------------------------------------------------------------------------- */

static bool stopped(const sl_stack *st)
{
    return st->stop != NULL && *st->stop;
}

void sl_stack_region(sl_stack *st, double x, double y, double w, double bottom)
{
    st->x = x;
    st->w = w;
    st->y = y;
    st->bottom = bottom;
    st->empty = true;
    st->trail = 0;
    st->trail_at = -1;
}

void sl_stack_turn(sl_stack *st)
{
    if (st->slides == 1 && st->on_leave_first) {
        st->on_leave_first(st, st->leave_arg);
        st->on_leave_first = NULL;
    }
    struct ts_elem *caption_of = st->on_caption ? st->on_caption(st, st->turn_arg) : NULL;
    st->ops->turn(st, st->title, st->mark, caption_of);
    st->slides++;
    if (st->on_turn)
        st->on_turn(st, st->turn_arg);
}

double sl_stack_room(const sl_stack *st)
{
    return st->bottom - st->y;
}

void sl_stack_gap(sl_stack *st, double pt)
{
    if (!st->empty) {
        st->y += pt;
        st->trail = pt;
        st->trail_at = st->y;
    }
}

/* Lays down f's lines, each part pad pt inside its box above and below. */
static void place(sl_stack *st, const ts_flow *f, double pad, sl_draw_lines draw, void *arg)
{
    size_t at = 0;
    int turns = 0; /* in a row without placing a line */
    while (at < f->n_lines && !stopped(st)) {
        size_t n = sl_fit_lines(f, at, sl_stack_room(st) - 2 * pad, st->empty, SL_TEXT_RUNTS);
        /* A slide that holds nothing of the flow takes a line anyway: a next one would not
         * hold more, and the pack does not turn forever. */
        if (n == 0 && !st->empty && turns++ < 2) {
            sl_stack_turn(st);
            continue;
        }
        if (n == 0)
            n = 1;
        turns = 0;
        double h = ts_flow_span_height(f, at, at + n);
        draw(arg, f, at, at + n, st->x, st->y, st->w);
        st->y += h + 2 * pad;
        st->empty = false;
        at += n;
        if (at < f->n_lines)
            sl_stack_turn(st);
    }
}

void sl_stack_lines(sl_stack *st, const ts_flow *f, sl_draw_lines draw, void *arg)
{
    if (f == NULL || stopped(st))
        return;
    place(st, f, 0, draw, arg);
    if (f->style) {
        st->y += f->style->space_after;
        st->trail = f->style->space_after;
        st->trail_at = st->y;
    }
}

void sl_stack_box(sl_stack *st, const ts_flow *f, double pad, sl_draw_lines draw, void *arg)
{
    if (f != NULL)
        place(st, f, pad, draw, arg);
}

void sl_stack_heading_room(sl_stack *st, const ts_flow *f, double next)
{
    if (f == NULL)
        return;
    double before = st->empty ? 0 : f->style->space_before;
    /* The space after what stands above and the heading's space before are one gap, the
     * larger of the two. */
    if (!st->empty && st->trail_at == st->y) {
        double collapse = st->trail < before ? st->trail : before;
        st->y -= collapse;
    }
    if (!st->empty &&
        !sl_fit_keeps(before + f->height + f->style->space_after, next, sl_stack_room(st)))
        sl_stack_turn(st);
    else
        st->y += before;
}
