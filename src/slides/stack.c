/* The stack (stack.h): content down a slide and on to continuation slides. */
#include "slides/stack.h"

#include <string.h>

static void stack_region(sl_stack *st, const ts_frame *body, double extra)
{
    st->x = body->x;
    st->w = body->w;
    st->y = body->y + extra;
    st->bottom = body->y + body->h;
    st->empty = true;
    st->trail = 0;
    st->trail_at = -1;
}

void sl_stack_open(sl_stack *st, sl *s, const sl_kind *kind, const char *title, ts_elem *sect,
                   int body, int body_cont)
{
    memset(st, 0, sizeof *st);
    st->s = s;
    st->kind = kind;
    st->title = title;
    st->sect = sect;
    st->body = sl_frame(s, kind, body);
    st->body_cont = sl_frame(s, kind, body_cont >= 0 ? body_cont : body);
    st->first_page = sl_new_slide(s, kind);
    double extra = sl_draw_title(s, kind, title, sect, "H2");
    sl_bookmark(s, s->bookmark, title, st->first_page, NULL);
    stack_region(st, st->body, extra);
}

void sl_stack_break(sl_stack *st)
{
    sl *s = st->s;
    sl_new_slide(s, st->kind);
    char *t = ts_arena_printf(s->a, "%s %s", st->title, sl_label(s, "continued"));
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return;
    }
    /* The continued title repeats what the tree already has: decoration, like a running
     * head. */
    double extra = sl_draw_title(s, st->kind, t, st->sect, NULL);
    stack_region(st, st->body_cont, extra);
    if (st->on_break)
        st->on_break(st, st->hook_arg);
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

double sl_first_lines(const ts_flow *f, size_t n)
{
    if (f == NULL || f->n_lines == 0)
        return 0;
    if (n > f->n_lines)
        n = f->n_lines;
    return ts_flow_span_height(f, 0, n);
}

size_t sl_fit_lines(const ts_flow *f, size_t first, double room, bool must)
{
    if (f == NULL || first >= f->n_lines)
        return 0;
    size_t rest = f->n_lines - first;
    size_t n = ts_flow_fit(f, first, room);
    if (ts_flow_span_height(f, first, first + n) > room + 0.01)
        n = 0; /* not even one line fits */
    if (n > 0 && n < rest) {
        if (rest - n < SL_WIDOW)
            n = rest > SL_WIDOW ? rest - SL_WIDOW : 0;
        if (n < SL_ORPHAN)
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
        if (before < SL_ORPHAN || after < SL_ORPHAN)
            n = n - before >= SL_ORPHAN ? n - before : 0;
    }
    if (n == 0 && must) {
        /* An empty slide takes what fits, still sparing a widow when it can. */
        n = ts_flow_fit(f, first, room);
        if (n < rest && rest - n < SL_WIDOW && rest > SL_WIDOW && rest - SL_WIDOW >= SL_ORPHAN)
            n = rest - SL_WIDOW;
    }
    return n;
}

void sl_stack_flow(sl_stack *st, ts_flow_tags **tags, ts_elem *parent, ts_elem *container,
                   const ts_flow *f, double keep)
{
    sl *s = st->s;
    if (f == NULL || s->failed)
        return;
    /* The parts of one flow on several slides continue the same elements (one L, one P). */
    ts_flow_tags *local = NULL;
    if (tags == NULL)
        tags = &local;
    size_t i = 0;
    int guard = 0;
    while (i < f->n_lines && !s->failed) {
        double room = sl_stack_room(st);
        size_t n = sl_fit_lines(f, i, room, st->empty);
        double h = ts_flow_span_height(f, i, i + n);
        /* A flow's start keeps with what must follow it. */
        if (n > 0 && i == 0 && i + n >= f->n_lines && h + keep > room + 0.01)
            n = 0;
        if (n == 0 && !st->empty) {
            sl_stack_break(st);
            if (++guard > 2)
                break;
            continue;
        }
        if (n == 0)
            n = 1;
        h = ts_flow_span_height(f, i, i + n);
        guard = 0;
        sl_draw(s, tags, parent, container, f, i, i + n, st->x, st->y);
        st->y += h;
        st->empty = false;
        i += n;
        if (i < f->n_lines)
            sl_stack_break(st);
    }
    if (f->style) {
        st->y += f->style->space_after;
        st->trail = f->style->space_after;
        st->trail_at = st->y;
    }
}

void sl_stack_heading(sl_stack *st, ts_elem *parent, const char *tag, const ts_flow *f,
                      double next_h)
{
    sl *s = st->s;
    if (f == NULL)
        return;
    double before = st->empty ? 0 : f->style->space_before;
    /* The space after what stands above and the heading's space before are one gap, the
     * larger of the two. */
    if (!st->empty && st->trail_at == st->y) {
        double collapse = st->trail < before ? st->trail : before;
        st->y -= collapse;
    }
    if (!st->empty && before + f->height + f->style->space_after + next_h > sl_stack_room(st))
        sl_stack_break(st);
    else
        st->y += before;
    ts_elem *h = sl_elem(s, parent, tag);
    sl_stack_flow(st, NULL, parent, h, f, 0);
}
