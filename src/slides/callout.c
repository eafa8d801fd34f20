/* The measure's notes as callouts (callout.h), on the goal slide or a slide of their own. */
#include "slides/callout.h"

/* A note: a light box with a coloured bar on its left, as the HDS notification. */
double sl_callout_h(sl *s, const ts_flow *f, const ts_frame *pad)
{
    (void)s;
    return f ? f->height + 2 * pad->y : 0;
}

void sl_callout_draw(sl *s, ts_elem *parent, const ts_flow *f, size_t first, size_t end,
                     ts_flow_tags **tags, double x, double y, double w, const ts_frame *pad)
{
    double h = ts_flow_span_height(f, first, end) + 2 * pad->y;
    ts_rgb fill = sl_colour(s, "note-fill");
    ts_rgb bar = sl_colour(s, "note-border");
    sl_rect(s, NULL, x, y, w, h, &fill, NULL, 0);
    sl_rect(s, NULL, x, y, pad->x / 2, h, &bar, NULL, 0);
    sl_draw(s, tags, parent, NULL, f, first, end, x + pad->x * 1.5, y + pad->y);
}

double sl_note_w(const ts_frame *fr, const ts_frame *pad)
{
    return fr->w - pad->x * 2.5;
}

typedef struct callout_drawing {
    sl *s;
    ts_elem *parent;
    ts_flow_tags *tags;
    const ts_frame *pad;
} callout_drawing;

static void draw_callout(void *arg, const ts_flow *f, size_t first, size_t end, double x, double y,
                         double w)
{
    callout_drawing *d = arg;
    sl_callout_draw(d->s, d->parent, f, first, end, &d->tags, x, y, w, d->pad);
}

void sl_stack_callouts(sl_stack *st, const ts_measure *m, ts_elem *box, const ts_frame *pad)
{
    sl *s = st->s;
    for (size_t i = 0; i < m->n_notes && !s->failed; i++) {
        const ts_flow *f = sl_blocks(s, &m->notes[i], sl_style(s, "note"), st->w - pad->x * 2.5);
        if (f == NULL)
            return;
        sl_stack_gap(st, pad->y * 2);
        callout_drawing d = {s, box, NULL, pad};
        sl_stack_box(st, f, pad->y, draw_callout, &d);
    }
}
