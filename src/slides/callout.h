/* The measure's notes as callouts: a light box with a coloured bar on its left, as the HDS
 * notification, beside the goal, under it, or on a slide of their own. */
#ifndef TS_SLIDES_CALLOUT_H
#define TS_SLIDES_CALLOUT_H

#include "slides/kit.h"
#include "slides/stack.h"

/* The height of a whole callout of flow f inside the padding pad. */
double sl_callout_h(sl *s, const ts_flow *f, const ts_frame *pad);
/* Draws lines [first, end) of f in a callout w pt wide at (x, y). */
void sl_callout_draw(sl *s, ts_elem *parent, const ts_flow *f, size_t first, size_t end,
                     ts_flow_tags **tags, double x, double y, double w, const ts_frame *pad);
/* The width of a callout's text in a frame. */
double sl_note_w(const ts_frame *fr, const ts_frame *pad);
/* The measure's notes as callouts down a stack, each split over slides only when it must be. */
void sl_stack_callouts(sl_stack *st, const ts_measure *m, ts_elem *box, const ts_frame *pad);

#endif
