/* The forecast and risks (outputs.md §1.3): the current forecast's status and value, the
 * targets' forecasts, the risks, and the earlier rounds' forecasts. */
#include "slides/kinds.h"
#include "slides/stack.h"
#include "slides/chart.h"
#include "core/locale.h"

#include <stdio.h>
#include <string.h>

enum { STATUS = SL_OWN, BODY, BODY_CONTINUED, CHART, BODY_CHART };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [STATUS] = {"status", TS_FRAME_TEXT, {"status", "body"}},
    [BODY] = {"body", TS_FRAME_FLOW, {"body", "heading"}},
    [BODY_CONTINUED] = {"body-continued", TS_FRAME_FLOW, {"body", "heading"}},
    [CHART] = {"chart", TS_FRAME_SHAPE, {"chart"}},
    [BODY_CHART] = {"body-chart", TS_FRAME_FLOW, {"body", "heading"}},
};
/* The status line's chip: the word on the status's fill; the value chart's widest bar, the
 * width of its level's line and of its zero line and grid, and the level's sample in the
 * chart's key. */
enum {
    CHIP_BEFORE,
    CHIP_PAD_X,
    CHIP_PAD_Y,
    CHIP_OUTLINE,
    CHIP_AFTER,
    VBAR,
    LEVEL_LINE,
    AXIS_LINE,
    KEY_LINE
};
static const ts_length_need lengths[] = {
    [CHIP_BEFORE] = {"chip.before", 0, 4},     [CHIP_PAD_X] = {"chip.pad-x", 0, 2},
    [CHIP_PAD_Y] = {"chip.pad-y", 0, 1},       [CHIP_OUTLINE] = {"chip.outline", 0, 0.5},
    [CHIP_AFTER] = {"chip.after", 0, 4},       [VBAR] = {"chart.bar", 1, 6},
    [LEVEL_LINE] = {"chart.level", 0.05, 0.5}, [AXIS_LINE] = {"chart.axis", 0.02, 0.2},
    [KEY_LINE] = {"chart.key", 0.5, 3},
};

/* The ticks of the value chart's scale, at most. */
enum { VALUE_TICKS = 5 };

/* The values of the rounds of the year up to this one in the unit of the latest (a value in
 * another unit is not drawn against it), and the level when it is read against them (the same
 * unit). */
typedef struct round_values {
    double v[SL_CHART_MAX_BARS];
    bool present[SL_CHART_MAX_BARS];
    const char *unit;
    const double *level;
} round_values;

/* False when no round of the year has a value. */
static bool values_of(sl *s, const ts_measure *m, round_values *rv)
{
    *rv = (round_values){.unit = NULL};
    bool any = false;
    for (int rd = s->r->number; rd >= 1; rd--) {
        const ts_forecast *f = m->by_round[rd];
        if (f == NULL || !f->has_value)
            continue;
        if (!any)
            rv->unit = f->unit;
        else if (!ts_same_unit(rv->unit, f->unit))
            continue;
        any = true;
        rv->present[rd - 1] = true;
        rv->v[rd - 1] = f->value;
    }
    if (any && m->level != NULL && ts_same_unit(rv->unit, m->level->unit))
        rv->level = &m->level->value;
    return any;
}

static void chart_text(sl *s, ts_elem *fig, const char *text, const ts_text_style *st, double x,
                       double cy, bool centred)
{
    double w = s->failed ? 0 : ts_measure_plain(s->te, text, st);
    const ts_flow *f = sl_plain(s, text, st, w + 1);
    if (f)
        sl_draw(s, NULL, fig, fig, f, 0, f->n_lines, centred ? x - w / 2 : x, cy - f->height / 2);
}

/* "1/2024: 9 kpl, 2/2024: 14 kpl; tavoitetaso 20 kpl" */
static char *values_alt(sl *s, const double *v, const bool *present, const char *unit,
                        const double *level, const char *level_unit)
{
    char *alt = ts_arena_strdup(s->a, "");
    for (int i = 0; i < s->r->number && alt; i++) {
        if (!present[i])
            continue;
        alt = ts_arena_printf(s->a, "%s%s%d/%d: %s", alt, *alt ? ", " : "", i + 1, s->r->year,
                              ts_format_quantity(s->a, v[i], unit, s->r->lang));
    }
    if (alt && level)
        alt = ts_arena_printf(s->a, "%s; %s %s", alt, sl_lower(s, sl_label(s, "trend.level")),
                              ts_format_quantity(s->a, *level, level_unit, s->r->lang));
    if (alt == NULL)
        sl_no_memory(s, s->r->pos);
    return alt;
}

/* The value of every round of the year that has one as a bar on a scale with its ticks, the
 * level as a line, named in the key under the rounds: one Figure. */
static void value_chart(sl *s, ts_elem *sect, const round_values *rv)
{
    const sl_kind *K = &sl_forecast;
    const double *v = rv->v;
    const bool *present = rv->present;
    const char *unit = rv->unit;
    const double *level = rv->level;
    const ts_frame *cf = sl_frame(s, K, CHART);
    const ts_text_style *cs = sl_style(s, "chart");
    ts_elem *fig = sl_elem(s, sect, "Figure");
    sl_alt(s, fig, values_alt(s, v, present, unit, level, unit));
    /* The ticks' numbers at the left, the rounds and the key under the plot. */
    sl_values out;
    double line = cs->leading;
    sl_box plot = {cf->x, cf->y, cf->w, cf->h - (level ? 2 : 1) * line};
    sl_chart_values(v, present, (size_t)s->r->number, level, plot, sl_length(s, K, VBAR), line,
                    VALUE_TICKS, &out);
    char num[64];
    double ticks_w = 0;
    for (size_t i = 0; i < out.scale.n_ticks && !s->failed; i++) {
        ts_format_number(num, sizeof num, out.scale.ticks[i], s->r->lang);
        double w = ts_measure_plain(s->te, num, cs);
        ticks_w = w > ticks_w ? w : ticks_w;
    }
    double gap = cs->size / 2;
    plot.x += ticks_w + gap;
    plot.w -= ticks_w + gap;
    sl_chart_values(v, present, (size_t)s->r->number, level, plot, sl_length(s, K, VBAR), line,
                    VALUE_TICKS, &out);
    ts_rgb grid = sl_colour(s, "grid"), ink = sl_colour(s, "scale"), bar = sl_colour(s, "bar");
    double axis = sl_length(s, K, AXIS_LINE);
    const sl_box *ba = &out.bars_area;
    /* Read from the top tick down, as they are seen. */
    for (size_t k = out.scale.n_ticks; k-- > 0 && !s->failed;) {
        size_t i = out.scale.ticks[0] <= out.scale.ticks[out.scale.n_ticks - 1]
                       ? k
                       : out.scale.n_ticks - 1 - k;
        double y = sl_scale_at(&out.scale, out.scale.ticks[i], ba->y + ba->h, ba->y);
        ts_format_number(num, sizeof num, out.scale.ticks[i], s->r->lang);
        double w = ts_measure_plain(s->te, num, cs);
        chart_text(s, fig, num, cs, plot.x - gap - w, y, false);
        if (out.scale.ticks[i] != 0)
            sl_line(s, plot.x, y, plot.x + plot.w, y, grid, axis);
    }
    /* The values over their bars, left to right, then the rounds under them: as they are
     * seen, a row at a time. */
    for (size_t i = 0; i < out.n && !s->failed; i++) {
        const sl_value_bar *b = &out.bars[i];
        if (!b->present)
            continue;
        sl_rect(s, fig, b->box.x, b->box.y, b->box.w, b->box.h, &bar, NULL, 0);
        const char *t = ts_format_quantity(s->a, b->value, unit, s->r->lang);
        /* On the slide's own colour, so that a grid line behind a value does not cross it. */
        double tw = s->failed || t == NULL ? 0 : ts_measure_plain(s->te, t, cs), pad = gap / 2;
        sl_rect(s, NULL, b->label_x - tw / 2 - pad, b->label_y - cs->leading / 2, tw + 2 * pad,
                cs->leading, &sl_look(s, K)->background, NULL, 0);
        chart_text(s, fig, t ? t : "", cs, b->label_x, b->label_y, true);
    }
    for (size_t i = 0; i < out.n && !s->failed; i++) {
        snprintf(num, sizeof num, "%zu/%d", i + 1, s->r->year);
        chart_text(s, fig, num, cs, out.bars[i].slot_x, plot.y + plot.h + line / 2, true);
    }
    sl_line(s, plot.x, out.zero_y, plot.x + plot.w, out.zero_y, ink, axis);
    if (level != NULL) {
        double lw = sl_length(s, K, LEVEL_LINE), key = sl_length(s, K, KEY_LINE);
        ts_rgb lc = sl_colour(s, "accent");
        sl_line(s, plot.x, out.level_y, plot.x + plot.w, out.level_y, lc, lw);
        double ky = plot.y + plot.h + line * 1.5;
        sl_line(s, plot.x, ky, plot.x + key, ky, lc, lw);
        char *k = ts_arena_printf(s->a, "%s %s", sl_label(s, "trend.level"),
                                  ts_format_quantity(s->a, *level, unit, s->r->lang));
        chart_text(s, fig, k ? k : "", cs, plot.x + key + gap, ky, false);
    }
}

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
    const ts_level *lv = m->level;
    if (value != NULL && lv != NULL && ts_same_unit(cur->unit, lv->unit))
        value = ts_format_of_level(s->a, cur->value, lv->value, cur->unit, s->r->lang);
    else if (value == NULL && lv != NULL)
        value = ts_arena_printf(s->a, "%s %s", sl_lower(s, sl_label(s, "trend.level")),
                                ts_format_quantity(s->a, lv->value, lv->unit, s->r->lang));
    if (value != NULL) {
        ts_pos at = cur ? cur->pos : lv->pos;
        char *vl = ts_arena_printf(s->a, "%s: ", sl_label(s, "forecast.value"));
        ts_run run = {.text = value, .len = strlen(value), .pos = at};
        ts_inline vin = {.runs = &run, .n_runs = 1, .pos = at};
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
        const char *value = sl_value_text(s, fc);
        if (head != NULL && value != NULL)
            head = ts_arena_printf(s->a, "%s, %s", head, value);
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

/* The value chart, tagged after the text of the slide it stands on: its body at the left is
 * read first, then the chart at the right (a reader goes down a column, then to the next). */
typedef struct chart_after_body {
    sl *s;
    ts_elem *sect;
    round_values rv;
} chart_after_body;

static void chart_after(sl_stack *st, void *arg)
{
    (void)st;
    const chart_after_body *c = arg;
    value_chart(c->s, c->sect, &c->rv);
}

static void compose(sl *s, sl_deck *deck)
{
    const ts_measure *m = deck->m;
    ts_elem *sect = deck->sect;
    sl_stack st;
    chart_after_body later = {.s = s, .sect = sect};
    /* A chart of the rounds' values stands at the right of a narrower body. */
    bool chart = values_of(s, m, &later.rv);
    sl_open_stack(&st, s, &sl_forecast, sl_label(s, "slide.forecast"), sect,
                  chart ? BODY_CHART : BODY, BODY_CONTINUED);
    status_line(s, m, sect);
    if (chart) {
        st.on_leave_first = chart_after;
        st.leave_arg = &later;
    }
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
    if (st.on_leave_first) /* all of it on one slide */
        chart_after(&st, &later);
}

const sl_kind sl_forecast = SL_KIND("forecast", frames, lengths, true, compose);
