/* The measure's notes on a slide of their own, when the goal slide leaves them to one
 * (goal.c). */
#include "slides/kinds.h"
#include "slides/callout.h"

enum { BODY = SL_OWN, PAD };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [BODY] = {"body", TS_FRAME_BOX, {"note"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
};
static const ts_length_need lengths[] = {SL_NOTE_LENGTHS};

static void compose(sl *s, sl_deck *deck)
{
    if (!deck->notes_apart)
        return;
    sl_stack ns;
    sl_open_stack(&ns, s, &sl_notes, sl_label(s, "slide.notes"), deck->sect, BODY, -1);
    ts_elem *box = sl_elem(s, deck->sect, "Sect");
    sl_callouts callouts = sl_callouts_of(s, &sl_notes, PAD);
    sl_stack_callouts(&ns, &callouts, deck->m, box);
}

const sl_kind sl_notes = SL_KIND("notes", frames, lengths, true, compose);
