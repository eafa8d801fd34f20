/* The forecast and risks (outputs.md §1.3): the current forecast's status and value, the
 * targets' forecasts, the risks, and the earlier rounds' forecasts. */
#include "slides/kinds.h"
#include "slides/stack.h"

#include <string.h>

enum { STATUS = SL_OWN, BODY, BODY_CONTINUED };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [STATUS] = {"status", TS_FRAME_TEXT, {"status", "body"}},
    [BODY] = {"body", TS_FRAME_FLOW, {"body", "heading"}},
    [BODY_CONTINUED] = {"body-continued", TS_FRAME_FLOW, {"body", "heading"}},
};
/* The status line's chip: the word on the status's fill. */
enum { CHIP_BEFORE, CHIP_PAD_X, CHIP_PAD_Y, CHIP_OUTLINE, CHIP_AFTER };
static const ts_length_need lengths[] = {
    [CHIP_BEFORE] = {"chip.before", 0, 4}, [CHIP_PAD_X] = {"chip.pad-x", 0, 2},
    [CHIP_PAD_Y] = {"chip.pad-y", 0, 1},   [CHIP_OUTLINE] = {"chip.outline", 0, 0.5},
    [CHIP_AFTER] = {"chip.after", 0, 4},
};

static void status_line(sl *s, const ts_measure *m, ts_elem *parent)
{
    const sl_kind *K = &sl_forecast;
    const ts_frame *fr = sl_frame(s, K, STATUS);
    const ts_forecast *cur = ts_measure_current(s->r, m);
    ts_status stt = cur ? cur->status : TS_STATUS_NONE;
    const ts_status_look *lk = &s->L->status[stt];
    const ts_text_style *bs = sl_style(s, "body");
    const ts_text_style *ws = sl_style_in(s, "status", lk->text);
    ts_elem *p = sl_elem(s, parent, "P");
    char *lead = ts_arena_printf(s->a, "%s:", sl_labelf(s, "forecast.status", -1));
    if (lead == NULL) {
        sl_no_memory(s, m->pos);
        return;
    }
    double x = fr->x;
    ts_text_style *bold = ts_arena_alloc(s->a, sizeof *bold);
    if (bold == NULL) {
        sl_no_memory(s, m->pos);
        return;
    }
    *bold = *bs;
    bold->bold = true;
    double lw = s->failed ? 0 : ts_measure_plain(s->te, lead, bold);
    const ts_flow *lf = sl_plain(s, lead, bold, lw + 2);
    double mid = fr->y + fr->h / 2;
    if (lf)
        sl_draw(s, NULL, parent, p, lf, 0, lf->n_lines, x, mid - lf->height / 2);
    x += lw + sl_length(s, K, CHIP_BEFORE);
    const char *word = ts_label_status(s->lb, stt);
    double ww = s->failed ? 0 : ts_measure_plain(s->te, word, ws);
    const ts_flow *wf = sl_plain(s, word, ws, ww + 1);
    double pad_x = sl_length(s, K, CHIP_PAD_X);
    double chip_h = ws->leading + 2 * sl_length(s, K, CHIP_PAD_Y), chip_w = ww + 2 * pad_x;
    sl_rect(s, NULL, x, mid - chip_h / 2, chip_w, chip_h, &lk->fill, &lk->border,
            sl_length(s, K, CHIP_OUTLINE));
    if (wf)
        sl_draw(s, NULL, parent, p, wf, 0, wf->n_lines, x + pad_x, mid - wf->height / 2);
    x += chip_w + sl_length(s, K, CHIP_AFTER);
    const char *value = sl_value_text(s, cur);
    if (value != NULL) {
        char *vl = ts_arena_printf(s->a, "%s: ", sl_label(s, "forecast.value"));
        ts_run run = {.text = value, .len = strlen(value), .pos = cur->pos};
        ts_inline vin = {.runs = &run, .n_runs = 1, .pos = cur->pos};
        const ts_flow *vf = vl ? sl_lead_inline(s, vl, &vin, bs, fr->x + fr->w - x) : NULL;
        if (vf)
            sl_draw(s, NULL, parent, p, vf, 0, vf->n_lines, x, mid - vf->height / 2);
    }
}

static void risk_part(sl *s, const ts_measure *m, ts_elem *sect, sl_stack *stp)
{
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    double w = stp->w;
    bool risks = !sl_blocks_empty(&m->risks);
    for (size_t i = 0; i < m->n_targets; i++)
        risks |= !sl_blocks_empty(&m->targets[i].risks);
    if (!risks)
        return;
    /* The risks' heading keeps with the first target's title and the first lines under it. */
    const ts_flow **rf = ts_arena_calloc(s->a, m->n_targets + 1, sizeof *rf);
    const ts_flow **th = ts_arena_calloc(s->a, m->n_targets + 1, sizeof *th);
    if (rf == NULL || th == NULL) {
        sl_no_memory(s, m->pos);
        return;
    }
    double keep = -1;
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        const ts_target *t = &m->targets[i];
        if (sl_blocks_empty(&t->risks))
            continue;
        rf[i] = sl_blocks(s, &t->risks, body, w);
        th[i] = sl_inline(s, &t->title, hs, w);
        if (keep < 0 && rf[i] && th[i])
            keep =
                hs->space_before + th[i]->height + hs->space_after + sl_first_lines(rf[i], SL_KEEP);
    }
    const ts_flow *own = sl_blocks_empty(&m->risks) ? NULL : sl_blocks(s, &m->risks, body, w);
    if (keep < 0)
        keep = own ? sl_first_lines(own, SL_KEEP) : body->leading * SL_ORPHAN;
    const ts_flow *rh = sl_plain(s, sl_label(s, "slide.risks"), hs, w);
    sl_put_heading(stp, sect, "H3", rh, keep);
    bool by_target = false;
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        if (rf[i] == NULL || th[i] == NULL)
            continue;
        sl_put_heading(stp, sect, "H4", th[i], sl_first_lines(rf[i], SL_KEEP));
        sl_put_flow(stp, NULL, sect, NULL, rf[i]);
        by_target = true;
    }
    if (own == NULL)
        return;
    /* After the targets' risks, the measure's own would read as the last target's: they get a
     * heading of their own.  Alone under the risks' heading they need none. */
    if (by_target)
        sl_put_heading(stp, sect, "H4", sl_plain(s, sl_label(s, "risks.measure"), hs, w),
                       sl_first_lines(own, SL_KEEP));
    sl_put_flow(stp, NULL, sect, NULL, own);
}

/* The earlier rounds' forecasts close the deck's forecast part: every text of the round is in
 * the pack, but what the measure looks like now comes first. */
static void history_part(sl *s, const ts_measure *m, ts_elem *sect, sl_stack *st)
{
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    bool any = false;
    for (int rd = 1; rd < s->r->number; rd++)
        any |= m->by_round[rd] != NULL;
    if (!any)
        return;
    const ts_flow *first = NULL;
    for (int rd = 1; rd < s->r->number && first == NULL; rd++)
        if (m->by_round[rd] != NULL)
            first = sl_blocks(s, &m->by_round[rd]->text, body, st->w);
    double keep = 2 * hs->leading + (first ? sl_first_lines(first, SL_KEEP) : 0);
    sl_put_heading(st, sect, "H3", sl_plain(s, sl_label(s, "forecast.history"), hs, st->w), keep);
    for (int rd = 1; rd < s->r->number && !s->failed; rd++) {
        const ts_forecast *fc = m->by_round[rd];
        if (fc == NULL)
            continue;
        char *head = ts_label_fmt(s->lb, s->a, "forecast.status", s->r->year, rd, -1);
        head =
            head ? ts_arena_printf(s->a, "%s: %s", head, ts_label_status(s->lb, fc->status)) : NULL;
        if (head == NULL) {
            sl_no_memory(s, fc->pos);
            return;
        }
        const ts_flow *tf =
            sl_blocks_empty(&fc->text) ? NULL : sl_blocks(s, &fc->text, body, st->w);
        sl_put_heading(st, sect, "H4", sl_plain(s, head, hs, st->w),
                       tf ? sl_first_lines(tf, SL_KEEP) : 0);
        if (tf != NULL)
            sl_put_flow(st, NULL, sect, NULL, tf);
    }
}

/* Appends the plain text of every paragraph and list item of blocks to buf (NUL-separated
 * pieces are not needed: a space between them is enough for a containment test). */
static char *blocks_plain(sl *s, const ts_blocks *b, char *buf)
{
    for (size_t i = 0; i < b->n && buf; i++) {
        const ts_block *bl = &b->blocks[i];
        if (bl->kind == TS_BLOCK_P) {
            buf = ts_arena_printf(s->a, "%s %s", buf, ts_inline_text(s->a, &bl->text));
            continue;
        }
        for (size_t k = 0; k < bl->n_items && buf; k++) {
            buf = ts_arena_printf(s->a, "%s %s", buf, ts_inline_text(s->a, &bl->items[k].text));
            if (bl->items[k].sublist) {
                ts_blocks sub = {.blocks = bl->items[k].sublist, .n = 1, .present = true};
                buf = blocks_plain(s, &sub, buf);
            }
        }
    }
    return buf;
}

/* True when every paragraph and item of the current forecast's text is already said by the
 * targets' forecast texts on the same slides: a round file may well give the measure's
 * forecast for the table as the targets' texts put together, and the slide should not print
 * it twice. */
static bool said_by_targets(sl *s, const ts_measure *m, const ts_blocks *text)
{
    char *all = ts_arena_strdup(s->a, "");
    for (size_t i = 0; i < m->n_targets && all; i++)
        all = blocks_plain(s, &m->targets[i].forecast, all);
    if (all == NULL || *all == '\0')
        return false;
    for (size_t i = 0; i < text->n; i++) {
        char *piece = blocks_plain(s, &(ts_blocks){.blocks = &text->blocks[i], .n = 1}, "");
        if (piece == NULL || strstr(all, piece + 1) == NULL)
            return false;
    }
    return true;
}

static void compose(sl *s, sl_deck *deck)
{
    const ts_measure *m = deck->m;
    ts_elem *sect = deck->sect;
    sl_stack st;
    sl_open_stack(&st, s, &sl_forecast, sl_label(s, "slide.forecast"), sect, BODY, BODY_CONTINUED);
    status_line(s, m, sect);
    const ts_text_style *body = sl_style(s, "body");
    const ts_text_style *hs = sl_style(s, "heading");
    double w = st.w;
    const ts_forecast *cur = ts_measure_current(s->r, m);
    if (cur && !sl_blocks_empty(&cur->text) && !said_by_targets(s, m, &cur->text))
        sl_put_flow(&st, NULL, sect, NULL, sl_blocks(s, &cur->text, body, w));
    /* The earlier rounds come last (history_part): the slide says first where the measure
     * stands now. */
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        const ts_target *t = &m->targets[i];
        if (sl_blocks_empty(&t->forecast))
            continue;
        const ts_flow *ff = sl_blocks(s, &t->forecast, body, w);
        sl_put_heading(&st, sect, "H3", sl_inline(s, &t->title, hs, w),
                       sl_first_lines(ff, SL_KEEP));
        sl_put_flow(&st, NULL, sect, NULL, ff);
    }
    risk_part(s, m, sect, &st);
    history_part(s, m, sect, &st);
}

const sl_kind sl_forecast = SL_KIND("forecast", frames, lengths, true, compose);
