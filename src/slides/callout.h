/* The measure's notes as callouts: a light box with a coloured bar on its left, as the HDS
 * notification, beside the goal, under it, or on a slide of their own. */
#ifndef TS_SLIDES_CALLOUT_H
#define TS_SLIDES_CALLOUT_H

#include "slides/kit.h"
#include "slides/stack.h"

/* The lengths of a kind with callouts: the bar's width, and the space between two callouts
 * (and between the goal and the callouts under it). */
enum { SL_NOTE_BAR, SL_NOTE_GAP };
#define SL_NOTE_LENGTHS [SL_NOTE_BAR] = {"note.bar", 0, 2}, [SL_NOTE_GAP] = {"note.gap", 0, 4}

/* How a kind draws its callouts: the padding inside them (its frame `pad`), the bar, the gap. */
typedef struct sl_callouts {
    const ts_frame *pad;
    double bar, gap;
} sl_callouts;

sl_callouts sl_callouts_of(sl *s, const sl_kind *kind, int pad);
/* The height of a whole callout of flow f. */
double sl_callout_h(const sl_callouts *c, const ts_flow *f);
/* The width of a callout's text in a frame. */
double sl_callout_text_w(const sl_callouts *c, double w);
/* Draws lines [first, end) of f in a callout w pt wide at (x, y). */
void sl_callout_draw(sl *s, const sl_callouts *c, ts_elem *parent, const ts_flow *f, size_t first,
                     size_t end, ts_flow_tags **tags, double x, double y, double w);
/* The measure's notes as callouts down a stack, each split over slides only when it must be. */
void sl_stack_callouts(sl_stack *st, const sl_callouts *c, const ts_measure *m, ts_elem *box);

#endif
