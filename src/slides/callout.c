/* The measure's notes as callouts (callout.h), on the goal slide or a slide of their own. */
#include "slides/callout.h"

sl_callouts sl_callouts_of(sl *s, const sl_kind *kind, int pad)
{
    return (sl_callouts){sl_frame(s, kind, pad), sl_length(s, kind, SL_NOTE_BAR),
                         sl_length(s, kind, SL_NOTE_GAP)};
}

double sl_callout_h(const sl_callouts *c, const ts_flow *f)
{
    return f ? f->height + 2 * c->pad->y : 0;
}

/* The text stands the padding away from the bar and from the box's right edge. */
double sl_callout_text_w(const sl_callouts *c, double w)
{
    return w - (c->bar + 2 * c->pad->x);
}

void sl_callout_draw(sl *s, const sl_callouts *c, ts_elem *parent, const ts_flow *f, size_t first,
                     size_t end, ts_flow_tags **tags, double x, double y, double w)
{
    double h = ts_flow_span_height(f, first, end) + 2 * c->pad->y;
    ts_rgb fill = sl_colour(s, "note-fill");
    ts_rgb bar = sl_colour(s, "note-border");
    sl_rect(s, NULL, x, y, w, h, &fill, NULL, 0);
    sl_rect(s, NULL, x, y, c->bar, h, &bar, NULL, 0);
    sl_draw(s, tags, parent, NULL, f, first, end, x + (c->bar + c->pad->x), y + c->pad->y);
}

typedef struct callout_drawing {
    sl *s;
    const sl_callouts *c;
    ts_elem *parent;
    ts_flow_tags *tags;
} callout_drawing;

static void draw_callout(void *arg, const ts_flow *f, size_t first, size_t end, double x, double y,
                         double w)
{
    callout_drawing *d = arg;
    sl_callout_draw(d->s, d->c, d->parent, f, first, end, &d->tags, x, y, w);
}

void sl_stack_callouts(sl_stack *st, const sl_callouts *c, const ts_measure *m, ts_elem *box)
{
    sl *s = st->s;
    for (size_t i = 0; i < m->n_notes && !s->failed; i++) {
        const ts_flow *f =
            sl_blocks(s, &m->notes[i], sl_style(s, "note"), sl_callout_text_w(c, st->w));
        if (f == NULL)
            return;
        sl_stack_gap(st, c->gap);
        callout_drawing d = {s, c, box, NULL};
        sl_stack_box(st, f, c->pad->y, draw_callout, &d);
    }
}
