/* The stack: content laid down a slide from top to bottom; when it is full, a continuation
 * slide of the same kind opens with the title and "(jatkuu)", and the stack goes on there. */
#ifndef TS_SLIDES_STACK_H
#define TS_SLIDES_STACK_H

#include "slides/kit.h"

typedef struct sl_stack sl_stack;
typedef void (*sl_break_hook)(sl_stack *st, void *arg);
struct sl_stack {
    sl *s;
    const sl_kind *kind;
    const char *title;
    ts_elem *sect;
    const ts_frame *body;      /* the region of the first slide */
    const ts_frame *body_cont; /* the region of the continuation slides */
    double x, w, y, bottom;
    double trail;           /* the space after the last flow, already in y ... */
    double trail_at;        /* ... when y is still here: a heading's space before collapses
                               with it, as CSS margins do */
    bool empty;             /* nothing drawn on this slide yet */
    int first_page;         /* the page of the first slide */
    sl_break_hook on_break; /* redraws what a continuation needs (a table's head) */
    void *hook_arg;
    ts_outline *bookmark_parent;
};

/* Opens the first slide: the title as H2 under sect, a bookmark under the current deck's.  The
 * stack fills the kind's frame `body` on it and `body_cont` (-1: the same) on the slides that
 * continue it. */
void sl_stack_open(sl_stack *st, sl *s, const sl_kind *kind, const char *title, ts_elem *sect,
                   int body, int body_cont);
void sl_stack_break(sl_stack *st);
/* Room left on the current slide. */
double sl_stack_room(const sl_stack *st);
/* Draws a whole flow, continuing it on further slides as needed.  keep is the height that must
 * fit after the flow's first lines (a heading keeps with what follows it).  A break leaves at
 * least SL_ORPHAN lines on this slide and SL_WIDOW lines for the next, when the flow and the
 * slides allow it. */
#define SL_ORPHAN 2
#define SL_WIDOW  3
/* A heading keeps with this many lines of what follows: enough that the widow and orphan
 * rules cannot move all of a short first paragraph away from it. */
#define SL_KEEP (SL_ORPHAN + SL_WIDOW)
void sl_stack_flow(sl_stack *st, ts_flow_tags **tags, ts_elem *parent, ts_elem *container,
                   const ts_flow *f, double keep);
void sl_stack_gap(sl_stack *st, double pt);
/* A heading (H3, H4 ...) kept with next_h pt of what follows. */
void sl_stack_heading(sl_stack *st, ts_elem *parent, const char *tag, const ts_flow *f,
                      double next_h);

/* Where to end the part of lines [first, n_lines) that goes on a slide with `room` pt left:
 * the most lines that fit, moved earlier so that neither part is a runt (widow and orphan
 * control).  0 when nothing should go here (the caller breaks the slide, unless it is empty:
 * then `must` takes what fits). */
size_t sl_fit_lines(const ts_flow *f, size_t first, double room, bool must);

/* The height of the first n lines of a flow (for keep-with-next). */
double sl_first_lines(const ts_flow *f, size_t n);

#endif
