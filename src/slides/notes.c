/* The measure's notes on a slide of their own, when the goal slide leaves them to one
 * (goal.c). */
#include "slides/kinds.h"
#include "slides/callout.h"

static void compose(sl *s, sl_deck *deck)
{
    if (!deck->notes_apart)
        return;
    sl_stack ns;
    sl_stack_open(&ns, s, "notes", sl_label(s, "slide.notes"), deck->sect, "body", NULL);
    ts_elem *box = sl_elem(s, deck->sect, "Sect");
    sl_stack_callouts(&ns, deck->m, box, sl_frame(s, "notes", "pad"));
}

const sl_kind sl_notes = {"notes", compose};
