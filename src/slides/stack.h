/* The fit policy: where a flow of items (the lines of a paragraph or a list, a box of lines
 * such as a callout or a task's card, the rows of a table) breaks across slides, and the stack
 * that lays such a flow down a slide and on to the slides that continue it.  The rules:
 *
 *  - widows and orphans: a break leaves at least `orphans` lines of a flow on this slide and
 *    `widows` lines for the next, and no paragraph or list item broken with one line of it
 *    alone on either side (sl_fit_lines);
 *  - keep-with-next: a heading stands on the slide of the first lines under it, a table's head
 *    on the slide of its first row (sl_fit_keeps);
 *  - whole items: a card or a row moves whole to the next slide; it is split only when it
 *    alone is taller than a slide (sl_fit_moves);
 *  - continuation: every slide after the first carries the stack's title with the
 *    continuation mark, "(jatkuu)" (sl_stack_turn), as the caption of what continues there
 *    when that is a table's next part;
 *  - never a blank slide: a slide with nothing of the flow on it yet takes what fits, even
 *    what the rules would move on.
 *
 * The stack knows nothing of PDF: its owner opens the slides that continue it and draws what
 * it places (kit.c for the pack; a recorder in the unit tests). */
#ifndef TS_SLIDES_STACK_H
#define TS_SLIDES_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "layout/layout.h"
#include "text/text.h"

/* ---- The rules ------------------------------------------------------------------------- */

/* The fewest lines a break may leave of a flow: before it on this slide, after it on the
 * next. */
typedef struct sl_runts {
    size_t orphans;
    size_t widows;
} sl_runts;

#define SL_ORPHAN 2
#define SL_WIDOW  3
/* Running text, and the text of a card. */
#define SL_TEXT_RUNTS ((sl_runts){SL_ORPHAN, SL_WIDOW})
/* A cell of a table row that is split anyway: a line of it stands beside its neighbours, not
 * alone at a slide's foot, so only widows count. */
#define SL_CELL_RUNTS ((sl_runts){1, SL_WIDOW})
/* A heading keeps with this many lines of what follows: enough that the widow and orphan rules
 * cannot move all of a short first paragraph away from it. */
#define SL_KEEP (SL_ORPHAN + SL_WIDOW)

/* Where to end the part of lines [first, n_lines) that goes on a slide with `room` pt left:
 * the most lines that fit, moved earlier so that neither part is a runt.  0 when nothing
 * should go here (the caller turns to the next slide), unless `must` (nothing of the flow is
 * on this slide yet): then it takes what fits, still sparing a widow when it can. */
size_t sl_fit_lines(const ts_flow *f, size_t first, double room, bool must, sl_runts runts);

/* Whether h pt may stand here with the next pt that must follow it on the same slide. */
bool sl_fit_keeps(double h, double next, double room);

/* Whether an item that stays whole (a card, a row) and does not fit the room left (`fits`
 * false) moves to the next slide: unless this slide is fresh (a continuation that holds
 * nothing of the flow yet), it moves when something of the flow stands here already
 * (`started`) or when its h pt fit the `capacity` of a fresh slide; else it is split here. */
bool sl_fit_moves(bool fits, double h, double capacity, bool started, bool fresh);

/* The height of the first n lines of a flow (for keep-with-next). */
double sl_first_lines(const ts_flow *f, size_t n);

/* ---- The stack ------------------------------------------------------------------------- */

typedef struct sl_stack sl_stack;
struct ts_elem; /* the owner's structure element (pdf/draw.h): carried, never read */

/* What a stack's owner does for it: opens the next slide, its title followed by the mark, and
 * sets the stack's region there (sl_stack_region).  caption_of is NULL, or the element (a
 * table's next part) whose caption the continued title is: then the title is read, as the
 * words that say the table continues; else it is decoration, like a running head. */
typedef struct sl_stack_ops {
    void (*turn)(sl_stack *st, const char *title, const char *mark, struct ts_elem *caption_of);
} sl_stack_ops;

/* Draws lines [first, end) of f with their top at (x, y), in a region w pt wide. */
typedef void (*sl_draw_lines)(void *arg, const ts_flow *f, size_t first, size_t end, double x,
                              double y, double w);

struct sl_stack {
    const sl_stack_ops *ops;
    const char *title;      /* of the first slide */
    const char *mark;       /* after the title on the slides that continue it */
    double x, w, y, bottom; /* the region: the next item goes at y, down to bottom */
    double capacity;        /* the region's height on a slide that continues the stack */
    bool empty;             /* nothing placed on this slide yet */
    double trail;           /* the space after the last flow, already in y ... */
    double trail_at;        /* ... when y is still here: a heading's space before collapses
                               with it, as CSS margins do */
    int slides;             /* the slides opened, the first one included */
    const bool *stop;       /* when set, the owner can draw no more: nothing more is placed */
    /* Set while something continues across a turn (a table): before the next slide is opened,
     * the element its continued title is the caption of (the table's next part); after, what
     * the continuation draws again (the table's head). */
    struct ts_elem *(*on_caption)(sl_stack *st, void *arg);
    void (*on_turn)(sl_stack *st, void *arg);
    void *turn_arg;
    /* Set by a slide that puts something of its first slide in reading order after the flow
     * that stands there (the forecast slide's value chart, at the right of its body): called
     * once the first slide's part of the flow is placed, before the second slide is opened. */
    void (*on_leave_first)(sl_stack *st, void *arg);
    void *leave_arg;
    /* The owner's, which the stack carries for its turn and does not read. */
    struct sl *s;
    const struct sl_kind *kind;
    struct ts_elem *sect;
    const ts_frame *body_cont;
};

/* Sets the region of the slide just opened: the stack is empty there. */
void sl_stack_region(sl_stack *st, double x, double y, double w, double bottom);
/* Continues the stack on the next slide. */
void sl_stack_turn(sl_stack *st);
/* Room left on the current slide. */
double sl_stack_room(const sl_stack *st);
/* Space between two items (none at a slide's top). */
void sl_stack_gap(sl_stack *st, double pt);
/* Lays down the lines of f, continuing them on further slides as the runts allow, and then
 * the space after it that its style asks for. */
void sl_stack_lines(sl_stack *st, const ts_flow *f, sl_draw_lines draw, void *arg);
/* The same inside a box (a callout): each part stands `pad` pt below the box's top and above
 * its bottom, drawn with its box; no space after it. */
void sl_stack_box(sl_stack *st, const ts_flow *f, double pad, sl_draw_lines draw, void *arg);
/* Makes room for the heading f: its space before (collapsed with the space after what stands
 * above), or the next slide when the heading, its space after and `next` pt of what follows
 * do not fit here.  The caller then lays it down with sl_stack_lines. */
void sl_stack_heading_room(sl_stack *st, const ts_flow *f, double next);

#endif
