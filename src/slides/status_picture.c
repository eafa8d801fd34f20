/* The status picture (outputs.md §1.2): the measures counted by status in every round of the
 * year as stacked bars, and the measures whose status changed since the previous round that
 * reported them, each linking to its deck. */
#include "slides/kinds.h"
#include "slides/chart.h"
#include "slides/table.h"

#include <stdio.h>

enum { CHART = SL_OWN, LEGEND, CHANGES, BODY_CONTINUED, PAD, COL_MEASURE, COL_STATUS, COL_CHANGE };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [CHART] = {"chart", TS_FRAME_SHAPE, {"chart", "chart-count"}},
    [LEGEND] = {"legend", TS_FRAME_SHAPE, {"chart"}},
    [CHANGES] = {"changes", TS_FRAME_FLOW, {"heading", "body", "table-cell"}},
    [BODY_CONTINUED] = {"body-continued", TS_FRAME_FLOW, {"table-head", "table-cell"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
    [COL_MEASURE] = {"col.measure", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL_STATUS] = {"col.status", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL_CHANGE] = {"col.change", TS_FRAME_WORDS, {"table-cell", "table-head"}},
};
/* The table's lengths first (table.h), then the chart's: a bar's height and the gap between
 * bars, the gap between a round's name and its bar, the room on each side of a count inside
 * its segment, the line of the slide's background between segments (they stay apart printed
 * in black and white), and the legend's swatch, the gap after it and between entries. */
enum {
    BAR = SL_TABLE_GAP + 1,
    BAR_GAP,
    NAME_GAP,
    COUNT_PAD,
    SEPARATOR,
    SWATCH,
    SWATCH_GAP,
    LEGEND_GAP
};
static const ts_length_need lengths[] = {
    SL_TABLE_LENGTHS,
    [BAR] = {"chart.bar", 1.2, 4},
    [BAR_GAP] = {"chart.gap", 0, 2},
    [NAME_GAP] = {"chart.name-gap", 0, 2},
    [COUNT_PAD] = {"chart.count-pad", 0.2, 1},
    [SEPARATOR] = {"chart.separator", 0, 0.5},
    [SWATCH] = {"legend.swatch", 0.5, 1.5},
    [SWATCH_GAP] = {"legend.swatch-gap", 0, 1},
    [LEGEND_GAP] = {"legend.gap", 0, 3},
};

static const sl_kind *const K = &sl_status_picture;

/* Draws a one-line text centred on (cx, cy), as content of the figure. */
static void text_at(sl *s, ts_elem *fig, const char *text, const ts_text_style *st, double cx,
                    double cy)
{
    double w = s->failed ? 0 : ts_measure_plain(s->te, text, st);
    const ts_flow *f = sl_plain(s, text, st, w + 1);
    if (f)
        sl_draw(s, NULL, fig, fig, f, 0, f->n_lines, cx - w / 2, cy - f->height / 2);
}

/* "Mittareiden tilanne ennusteittain 2020. Ennuste 1/2020: 4 toteutuu, 1 epävarma; ..." */
static char *chart_alt(sl *s, const ts_status_counts *counts, size_t n)
{
    char *alt = ts_label_fmt(s->lb, s->a, "picture.title", s->r->year, -1, -1);
    for (size_t i = 0; i < n && alt; i++) {
        alt = ts_arena_printf(s->a, "%s%s %s:", alt, i ? ";" : ".",
                              sl_round_label(s, "forecast.status", counts[i].round));
        bool first = true;
        for (size_t k = 0; k < TS_STATUS_COUNT && alt; k++) {
            ts_status st = ts_status_picture_order[k];
            size_t c = counts[i].by_status[st];
            if (c == 0)
                continue;
            alt = ts_arena_printf(s->a, "%s%s %zu %s", alt, first ? "" : ",", c,
                                  sl_lower(s, ts_label_status(s->lb, st)));
            first = false;
        }
    }
    if (alt == NULL) {
        sl_no_memory(s, s->r->pos);
        return "";
    }
    return ts_arena_printf(s->a, "%s.", alt);
}

/* The legend: a swatch of each status's fill and its word, in the order of the segments, in
 * rows as wide as the legend's frame. */
static void draw_legend(sl *s, ts_elem *fig)
{
    const ts_frame *lf = sl_frame(s, K, LEGEND);
    const ts_text_style *cs = sl_style(s, "chart");
    double sw = sl_length(s, K, SWATCH), sgap = sl_length(s, K, SWATCH_GAP);
    double gap = sl_length(s, K, LEGEND_GAP), lw = sl_length(s, K, SEPARATOR);
    double x = lf->x, y = lf->y;
    for (size_t k = 0; k < TS_STATUS_COUNT && !s->failed; k++) {
        ts_status st = ts_status_picture_order[k];
        const ts_status_look *lk = &s->L->status[st];
        const char *word = ts_label_status(s->lb, st);
        double ww = ts_measure_plain(s->te, word, cs);
        if (x > lf->x && x + sw + sgap + ww > lf->x + lf->w) {
            x = lf->x;
            y += cs->leading;
        }
        double mid = y + cs->leading / 2;
        sl_rect(s, fig, x, mid - sw / 2, sw, sw, &lk->fill, &lk->border, lw);
        text_at(s, fig, word, cs, x + sw + sgap + ww / 2, mid);
        x += sw + sgap + ww + gap;
    }
}

static void draw_chart(sl *s, ts_elem *sect)
{
    ts_status_counts counts[3];
    size_t n = ts_round_status_counts(s->r, counts);
    if (n == 0)
        return;
    const ts_frame *cf = sl_frame(s, K, CHART);
    const ts_text_style *cs = sl_style(s, "chart");
    const ts_text_style *ks = sl_style(s, "chart-count");
    ts_elem *fig = sl_elem(s, sect, "Figure");
    sl_alt(s, fig, chart_alt(s, counts, n));
    const char *names[SL_CHART_MAX_BARS];
    double names_w = 0;
    size_t c[SL_CHART_MAX_BARS][SL_CHART_MAX_SLOTS];
    double label_w[SL_CHART_MAX_BARS][SL_CHART_MAX_SLOTS];
    char text[SL_CHART_MAX_BARS][SL_CHART_MAX_SLOTS][24];
    for (size_t i = 0; i < n && !s->failed; i++) {
        names[i] = sl_round_label(s, "forecast.status", counts[i].round);
        double w = ts_measure_plain(s->te, names[i], cs);
        names_w = w > names_w ? w : names_w;
        for (size_t k = 0; k < TS_STATUS_COUNT; k++) {
            c[i][k] = counts[i].by_status[ts_status_picture_order[k]];
            snprintf(text[i][k], sizeof text[i][k], "%zu", c[i][k]);
            label_w[i][k] = ts_measure_plain(s->te, text[i][k], ks);
        }
    }
    if (s->failed)
        return;
    double name_gap = sl_length(s, K, NAME_GAP), bar_h = sl_length(s, K, BAR);
    sl_box plot = {cf->x + names_w + name_gap, cf->y, cf->w - names_w - name_gap, cf->h};
    sl_stacked bars;
    /* Bars too crowded for their counts still stand: the alternative text has every count,
     * and the counts that fit their segments are written. */
    sl_chart_stacked((const size_t(*)[SL_CHART_MAX_SLOTS])c, n, TS_STATUS_COUNT,
                     (const double(*)[SL_CHART_MAX_SLOTS])label_w, sl_length(s, K, COUNT_PAD), plot,
                     bar_h, sl_length(s, K, BAR_GAP), &bars);
    ts_rgb bg = sl_look(s, K)->background;
    double sep = sl_length(s, K, SEPARATOR);
    for (size_t i = 0; i < bars.n_bars && !s->failed; i++) {
        const sl_box *b = &bars.bars[i];
        double w = ts_measure_plain(s->te, names[i], cs);
        text_at(s, fig, names[i], cs, cf->x + w / 2, b->y + b->h / 2);
    }
    for (size_t i = 0; i < bars.n_segs && !s->failed; i++) {
        const sl_segment *sg = &bars.segs[i];
        ts_status st = ts_status_picture_order[sg->slot];
        const ts_status_look *lk = &s->L->status[st];
        sl_rect(s, fig, sg->box.x, sg->box.y, sg->box.w, sg->box.h, &lk->fill, &bg, sep);
        if (label_w[sg->bar][sg->slot] <= sg->box.w)
            text_at(s, fig, text[sg->bar][sg->slot], sl_style_in(s, "chart-count", lk->text),
                    sg->label_x, sg->label_y);
    }
    draw_legend(s, fig);
}

/* "Epävarma → Toteutuu", with the earlier round when it was not the one just before. */
static const char *change_words(sl *s, const ts_measure_change *ch)
{
    const char *was = ts_label_status(s->lb, ch->previous);
    const char *now = ts_label_status(s->lb, ch->status);
    char *t = ch->previous_round == s->r->number - 1
                  ? ts_arena_printf(s->a, "%s \u2192 %s", was, now)
                  : ts_arena_printf(s->a, "%s (%d/%d) \u2192 %s", was, ch->previous_round,
                                    s->r->year, now);
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return "";
    }
    return t;
}

static void changes_part(sl *s, sl_stack *st, ts_elem *sect)
{
    const ts_round *r = s->r;
    const ts_text_style *hs = sl_style(s, "heading");
    const ts_text_style *bs = sl_style(s, "body");
    const ts_text_style *cs = sl_style(s, "table-cell");
    const ts_flow *head = sl_plain(s, sl_label(s, "picture.changes"), hs, st->w);
    size_t n_changed = 0;
    for (size_t i = 0; i < r->n_measures; i++) {
        ts_change c = ts_measure_change_now(r, ts_round_measure(r, i)).change;
        n_changed += c == TS_CHANGE_IMPROVED || c == TS_CHANGE_WORSENED;
    }
    if (n_changed == 0) {
        const ts_flow *f = sl_plain(
            s, sl_label(s, r->number == 1 ? "picture.first" : "picture.no-changes"), bs, st->w);
        sl_put_heading(st, sect, "H3", head, f ? f->height : 0);
        sl_put_flow(st, NULL, sect, NULL, f);
        return;
    }
    sl_put_heading(st, sect, "H3", head, 2 * cs->leading);
    static const int cols[] = {COL_MEASURE, COL_STATUS, COL_CHANGE};
    const char *heads[3] = {sl_label(s, "trend.measure"), sl_label(s, "picture.col.status"),
                            sl_label(s, "picture.col.change")};
    sl_table_t t = {0};
    sl_table_begin(&t, st, sect, PAD, cols, heads, 3, cs->leading * 2);
    for (size_t i = 0; i < r->n_measures && !s->failed; i++) {
        const ts_measure *m = ts_round_measure(r, i);
        ts_measure_change ch = ts_measure_change_now(r, m);
        if (ch.change != TS_CHANGE_IMPROVED && ch.change != TS_CHANGE_WORSENED)
            continue;
        sl_cell c[3];
        sl_cells_empty(c, 3);
        c[0].flow = sl_inline(s, &m->name, cs, sl_table_text_w(&t, 0, false));
        c[0].header = true;
        c[0].name = &m->name;
        c[0].link_page = TS_PAGE_LATER((int)m->index);
        /* Described as the overview's links are: where it goes, by the name it shows. */
        c[0].link_contents = sl_label_name(s, "link.deck", sl_text_of(s, &m->name));
        c[1].flow = sl_plain(s, change_words(s, &ch), cs, sl_table_text_w(&t, 1, false));
        c[2].flow = sl_plain(
            s, sl_label(s, ch.change == TS_CHANGE_IMPROVED ? "change.improved" : "change.worsened"),
            cs, sl_table_text_w(&t, 2, false));
        sl_table_row(&t, c);
    }
    sl_table_end(&t);
}

static void compose(sl *s, sl_deck *deck)
{
    (void)deck;
    const char *title = sl_label(s, "slide.picture");
    ts_elem *sect = sl_sect(s, title);
    sl_stack st;
    sl_open_stack(&st, s, K, title, sect, CHANGES, BODY_CONTINUED);
    draw_chart(s, sect);
    changes_part(s, &st, sect);
}

const sl_kind sl_status_picture = SL_KIND("status-picture", frames, lengths, false, compose);
