/* The goal slide (outputs.md §1.3): the binding goal, the measure's objective and text, its
 * links, and its notes as callouts beside or under them. */
#include "slides/kinds.h"
#include "slides/callout.h"

#include <string.h>

enum { BODY = SL_OWN, BODY_WIDE, NOTES, PAD };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [BODY] = {"body", TS_FRAME_FLOW, {"body", "goal", "heading"}},
    [BODY_WIDE] = {"body-wide", TS_FRAME_FLOW, {"body", "goal", "heading"}},
    [NOTES] = {"notes", TS_FRAME_BOX, {"note"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
};
static const ts_length_need lengths[] = {SL_NOTE_LENGTHS};

static const ts_flow *links_flow(sl *s, const ts_measure *m, const ts_text_style *st, double w)
{
    ts_list_item *items = ts_arena_calloc(s->a, m->n_links, sizeof *items);
    ts_block *ul = ts_arena_calloc(s->a, 1, sizeof *ul);
    if (items == NULL || ul == NULL) {
        sl_no_memory(s, m->pos);
        return NULL;
    }
    for (size_t i = 0; i < m->n_links; i++) {
        items[i].text = m->links[i]->name;
        items[i].pos = m->links[i]->pos;
    }
    ul->kind = TS_BLOCK_UL;
    ul->items = items;
    ul->n_items = m->n_links;
    ul->pos = m->pos;
    ts_blocks b = {.blocks = ul, .n = 1, .present = true, .pos = m->pos};
    return sl_blocks(s, &b, st, w);
}

/* The goal's column: headings and flows, laid out for one width. */
typedef struct goal_part {
    const ts_flow *f;
    const char *heading; /* "H3" for a heading, NULL for text */
    bool para;           /* the goal statement: one P of its own */
    double keep;         /* a heading keeps with this much of what follows */
} goal_part;

static size_t goal_parts(sl *s, const ts_measure *m, double w, goal_part *out)
{
    const ts_goal *g = m->goal;
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    size_t n = 0;
    const ts_flow *goal = sl_inline(s, &g->statement, sl_style(s, "goal"), w);
    out[n++] = (goal_part){sl_plain(s, sl_label(s, "slide.binding-goal"), hs, w), "H3", false,
                           sl_first_lines(goal, 2)};
    out[n++] = (goal_part){goal, NULL, true, 0};
    const ts_blocks *obj = !sl_blocks_empty(&m->objective) ? &m->objective : &g->description;
    if (!sl_blocks_empty(obj))
        out[n++] = (goal_part){sl_blocks(s, obj, body, w), NULL, false, 0};
    if (!sl_blocks_empty(&m->text))
        out[n++] = (goal_part){sl_blocks(s, &m->text, body, w), NULL, false, 0};
    if (m->n_links > 0) {
        const ts_flow *lf = links_flow(s, m, body, w);
        out[n++] = (goal_part){sl_plain(s, sl_label(s, "slide.links"), hs, w), "H3", false,
                               sl_first_lines(lf, SL_ORPHAN)};
        out[n++] = (goal_part){lf, NULL, false, 0};
    }
    return n;
}

/* The height the parts take stacked as sl_stack stacks them (spacing collapsed, the space
 * after the last one not counted). */
static double parts_h(const goal_part *p, size_t n)
{
    double y = 0, trail = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i].f == NULL)
            continue;
        const ts_text_style *st = p[i].f->style;
        if (p[i].heading && i > 0) {
            double before = st->space_before;
            y += before - (trail < before ? trail : before);
        }
        y += p[i].f->height + st->space_after;
        trail = st->space_after;
    }
    return y - trail;
}

static void stack_parts(sl_stack *st, ts_elem *parent, const goal_part *p, size_t n)
{
    sl *s = st->s;
    for (size_t i = 0; i < n && !s->failed; i++) {
        if (p[i].heading)
            sl_put_heading(st, parent, p[i].heading, p[i].f, p[i].keep);
        else
            sl_put_flow(st, NULL, parent, p[i].para ? sl_elem(s, parent, "P") : NULL, p[i].f);
    }
}

static const ts_flow **note_flows(sl *s, const ts_measure *m, double w, double *total,
                                  const sl_callouts *c)
{
    const ts_flow **notes = ts_arena_calloc(s->a, m->n_notes, sizeof *notes);
    if (notes == NULL) {
        sl_no_memory(s, m->pos);
        return NULL;
    }
    *total = 0;
    for (size_t i = 0; i < m->n_notes; i++) {
        notes[i] = sl_blocks(s, &m->notes[i], sl_style(s, "note"), w);
        *total += sl_callout_h(c, notes[i]) + (i ? c->gap : 0);
    }
    return notes;
}

static void compose(sl *s, sl_deck *deck)
{
    const ts_measure *m = deck->m;
    ts_elem *sect = deck->sect;
    const sl_kind *K = &sl_goal;
    const sl_callouts callouts = sl_callouts_of(s, K, PAD);
    const ts_frame *nf = sl_frame(s, K, NOTES);
    const ts_frame *narrow = sl_frame(s, K, BODY);
    const ts_frame *wide = sl_frame(s, K, BODY_WIDE);
    goal_part parts[6];
    size_t np = goal_parts(s, m, wide->w, parts);
    double wide_h = parts_h(parts, np);
    /* Where the notes go: beside the goal when both fit on the slide; else under it at full
     * width when that fits; else on a slide of their own when the goal fits alone; else (the
     * goal continues anyway) after the goal on its continuation. */
    enum { NONE, BESIDE, BELOW, OWN_SLIDE, AFTER } place = NONE;
    const ts_flow **beside_notes = NULL;
    if (m->n_notes > 0) {
        double beside_total = 0, below_total = 0;
        beside_notes =
            note_flows(s, m, sl_callout_text_w(&callouts, nf->w), &beside_total, &callouts);
        note_flows(s, m, sl_callout_text_w(&callouts, wide->w), &below_total, &callouts);
        goal_part narrow_parts[6];
        size_t nn = goal_parts(s, m, narrow->w, narrow_parts);
        if (beside_notes && beside_total <= nf->h && parts_h(narrow_parts, nn) <= narrow->h) {
            place = BESIDE;
            memcpy(parts, narrow_parts, sizeof parts);
            np = nn;
        } else if (wide_h + callouts.gap + below_total <= wide->h) {
            place = BELOW;
        } else if (wide_h <= wide->h) {
            place = OWN_SLIDE;
        } else {
            place = AFTER;
        }
    }
    if (s->failed)
        return;
    sl_stack st;
    sl_open_stack(&st, s, K, sl_label(s, "slide.goal"), sect, place == BESIDE ? BODY : BODY_WIDE,
                  BODY_WIDE);
    /* The tree reads the goal's column first, then the callouts beside it, though the
     * callouts are painted first (they belong to the first slide). */
    ts_elem *main = sl_elem(s, sect, "Sect");
    if (place == BESIDE) {
        ts_elem *aside = sl_elem(s, sect, "Sect");
        double y = nf->y;
        for (size_t i = 0; i < m->n_notes; i++) {
            if (beside_notes[i] == NULL)
                continue;
            sl_callout_draw(s, &callouts, aside, beside_notes[i], 0, beside_notes[i]->n_lines, NULL,
                            nf->x, y, nf->w);
            y += sl_callout_h(&callouts, beside_notes[i]) + callouts.gap;
        }
    }
    stack_parts(&st, main, parts, np);
    if (place == BELOW || place == AFTER) {
        ts_elem *box = sl_elem(s, sect, "Sect");
        sl_stack_callouts(&st, &callouts, m, box);
    }
    deck->notes_apart = place == OWN_SLIDE;
}

const sl_kind sl_goal = SL_KIND("goal", frames, lengths, true, compose);
