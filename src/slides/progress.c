/* The broken-down progress (outputs.md §1.3): a target's tasks in three columns by their state,
 * TEKEMÄTTÄ / TEKEILLÄ / TEHTY, under the target's scale when it has one. */
#include "slides/kinds.h"
#include "slides/stack.h"
#include "core/buf.h"
#include "core/locale.h"

#include <stdio.h>
#include <string.h>

/* The columns' frames stand in the order of ts_task_status. */
enum { TARGET = SL_OWN, SCALE, COL_TODO, COL_DOING, COL_DONE, PAD };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [TARGET] = {"target", TS_FRAME_TEXT, {"heading"}},
    [SCALE] = {"scale", TS_FRAME_TEXT, {"scale"}},
    [COL_TODO] = {"col.todo", TS_FRAME_BOX, {"task", "column-head", "percent"}},
    [COL_DOING] = {"col.doing", TS_FRAME_BOX, {"task", "column-head", "percent"}},
    [COL_DONE] = {"col.done", TS_FRAME_BOX, {"task", "column-head", "percent"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
};
enum {
    OUTLINE,
    BAR_HEIGHT,
    BAR_SPACE,
    BAR_GAP,
    BAR_OUTLINE,
    LABEL_GAP,
    LABEL_MIN,
    ROW_GAP,
    ROW_LABEL_GAP,
    ROW_LABEL_MIN,
    ROW_LABEL_MAX,
    PHASE_TOP,
    PHASE_SPACE,
    AXIS_TOP,
    END_SPACE,
    END_GAP,
    AXIS_LINE,
    ARROW_LENGTH,
    ARROW_WIDTH,
    TICK_HEIGHT,
    TICK_LINE,
    MARKER_RADIUS,
    MARKER_GAP,
    MARKER_START,
    MARKER_END,
    MARKER_LINE,
};
static const ts_length_need lengths[] = {
    /* The columns' and the cards' outlines. */
    [OUTLINE] = {"outline", 0, 0.5},
    /* A task's progress bar under its title: its height, the space above its row (the percent
     * style's leading tall), between the bar and its figure, and its track's outline. */
    [BAR_HEIGHT] = {"bar.height", 0.1, 2},
    [BAR_SPACE] = {"bar.space", 0, 2},
    [BAR_GAP] = {"bar.gap", 0, 4},
    [BAR_OUTLINE] = {"bar.outline", 0, 0.5},
    /* The scale's phase labels above its axis: in one row, at least label-gap apart and
     * label-min wide; in rows when they do not fit one, row-gap between the rows, each label
     * from row-label-min to row-label-max wide and row-label-gap from the one before it. */
    [LABEL_GAP] = {"scale.label-gap", 0, 4},
    [LABEL_MIN] = {"scale.label-min", 1, 30},
    [ROW_GAP] = {"scale.row-gap", 0, 2},
    [ROW_LABEL_GAP] = {"scale.row-label-gap", 0, 4},
    [ROW_LABEL_MIN] = {"scale.row-label-min", 1, 30},
    [ROW_LABEL_MAX] = {"scale.row-label-max", 1, 60},
    /* Down the scale: the room above the phase labels, between them and the axis, above an
     * axis without phases, between the axis and the end labels under it; between the two end
     * labels. */
    [PHASE_TOP] = {"scale.phase-top", 0, 4},
    [PHASE_SPACE] = {"scale.phase-space", 0, 4},
    [AXIS_TOP] = {"scale.axis-top", 0, 4},
    [END_SPACE] = {"scale.end-space", 0, 4},
    [END_GAP] = {"scale.end-gap", 0, 8},
    /* The axis, its arrow head and the phases' ticks. */
    [AXIS_LINE] = {"scale.axis-line", 0, 0.5},
    [ARROW_LENGTH] = {"scale.arrow-length", 0, 4},
    [ARROW_WIDTH] = {"scale.arrow-width", 0, 4},
    [TICK_HEIGHT] = {"scale.tick-height", 0, 4},
    [TICK_LINE] = {"scale.tick-line", 0, 0.5},
    /* The tasks' numbered markers on the axis: their radius, the least room between two, where
     * the first may stand from the axis's start and the last from its end (the arrow head),
     * their outline. */
    [MARKER_RADIUS] = {"scale.marker-radius", 0.1, 2},
    [MARKER_GAP] = {"scale.marker-gap", 0, 2},
    [MARKER_START] = {"scale.marker-start", 0, 4},
    [MARKER_END] = {"scale.marker-end", 0, 4},
    [MARKER_LINE] = {"scale.marker-line", 0, 0.5},
};

typedef struct task_card {
    const ts_task *task;
    size_t number; /* its place among its target's tasks, from 1 */
    const ts_flow *text;
} task_card;

typedef struct column {
    ts_task_status status;
    const ts_frame *frame;
    task_card *cards;
    size_t n;
    size_t at;     /* the next card */
    size_t line;   /* the next line of that card */
    ts_elem *list; /* L */
    ts_elem *li;   /* the card being drawn */
    ts_elem *body; /* its LBody */
    ts_flow_tags *tags;
} column;

/* The position of a task on its target's scale: its progress, else by its state. */
static double task_at(const ts_task *t)
{
    if (t->progress >= 0)
        return t->progress;
    return t->status == TS_TASK_TODO ? 0 : t->status == TS_TASK_DOING ? 50 : 100;
}

/* "0,5 %" as the round's language writes it. */
static const char *percent(sl *s, double v)
{
    char *t = ts_format_quantity(s->a, v, "%", s->r->lang);
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
        return "";
    }
    return t;
}

/* The height a progress bar adds under a card's text. */
static double bar_h(sl *s, const double *len)
{
    return sl_style(s, "percent")->leading + len[BAR_SPACE];
}

/* The bar and its figure in a row of the percent style's leading whose top is at y. */
static void draw_bar(sl *s, const double *len, ts_elem *parent, const ts_task *t, double x,
                     double y, double w)
{
    const ts_text_style *ps = sl_style(s, "percent");
    char *pct = ts_arena_printf(s->a, "%d\u00a0%%", t->progress);
    if (pct == NULL) {
        sl_no_memory(s, t->pos);
        return;
    }
    double pw = s->failed ? 0 : ts_measure_plain(s->te, pct, ps);
    const ts_flow *pf = sl_plain(s, pct, ps, pw + 1);
    ts_elem *fig = sl_elem(s, parent, "Figure");
    sl_alt(s, fig, sl_labelf(s, "progress.alt", t->progress));
    double track_w = w - pw - len[BAR_GAP];
    double bh = len[BAR_HEIGHT], by = y + (ps->leading - bh) / 2;
    ts_rgb track = sl_colour(s, "bar-track"), bar = sl_colour(s, "bar");
    sl_rect(s, fig, x, by, track_w, bh, &track, &bar, len[BAR_OUTLINE]);
    sl_rect(s, fig, x, by, track_w * t->progress / 100.0, bh, &bar, NULL, 0);
    if (pf)
        sl_draw(s, NULL, fig, fig, pf, 0, pf->n_lines, x + track_w + len[BAR_GAP], y);
}

/* Fills one column of one slide from its cards, from y to bottom (a slide that continues the
 * target's columns starts them at cont_y).  Returns true when cards are left for the next
 * slide. */
static bool fill_column(sl *s, const double *len, column *c, const ts_frame *pad, double y,
                        double bottom, double cont_y, bool first_slide, ts_elem *parent)
{
    const ts_frame *fr = c->frame;
    const ts_status_look *lk = &s->L->task_status[c->status];
    sl_rect(s, NULL, fr->x, y, fr->w, bottom - y, &lk->fill, &lk->border, len[OUTLINE]);
    const ts_text_style *hs = sl_style_in(s, "column-head", lk->text);
    const ts_flow *head =
        sl_plain(s, ts_label_task_status(s->lb, c->status), hs, fr->w - 2 * pad->x);
    if (head == NULL)
        return false;
    if (first_slide) {
        ts_elem *h = sl_elem(s, parent, "H4");
        sl_draw(s, NULL, parent, h, head, 0, head->n_lines, fr->x + pad->x, y + pad->y);
        if (c->n > 0)
            c->list = sl_elem(s, parent, "L");
    } else {
        sl_artifact(s, head, 0, head->n_lines, fr->x + pad->x, y + pad->y, "Layout");
    }
    y += head->height + 2 * pad->y;
    double cx = fr->x + pad->x, cw = fr->w - 2 * pad->x, cp = pad->y;
    if (c->n == 0) {
        /* A heading followed by nothing reads as if something were missing: the column says
         * that it has no task, in its own colour, where a card would stand. */
        const ts_flow *none = sl_plain(s, sl_label(s, "progress.empty"),
                                       sl_style_in(s, "task", lk->text), cw - 2 * cp);
        if (none != NULL && first_slide)
            sl_draw(s, NULL, parent, sl_elem(s, parent, "P"), none, 0, none->n_lines, cx + cp,
                    y + cp);
        else if (none != NULL)
            sl_artifact(s, none, 0, none->n_lines, cx + cp, y + cp, "Layout");
        return false;
    }
    /* The room a card has in the column of a slide that continues it. */
    double capacity = bottom - pad->y - (cont_y + head->height + 2 * pad->y) - 2 * cp;
    ts_rgb card = sl_colour(s, "card");
    bool drew = false;
    while (c->at < c->n && !s->failed) {
        task_card *tc = &c->cards[c->at];
        const ts_flow *f = tc->text;
        double room = bottom - pad->y - y - 2 * cp;
        double bar = tc->task->progress >= 0 ? bar_h(s, len) : 0;
        /* What is left of the card, its bar under its last line, moves whole to the next slide
         * when it can. */
        double whole = ts_flow_span_height(f, c->line, f->n_lines) + bar;
        bool fits = c->line + ts_flow_fit(f, c->line, room) >= f->n_lines && whole <= room + 0.01;
        if (sl_fit_moves(fits, whole, capacity, drew, !first_slide && !drew))
            return true;
        size_t n =
            fits ? f->n_lines - c->line : sl_fit_lines(f, c->line, room, true, SL_TEXT_RUNTS);
        double h = ts_flow_span_height(f, c->line, c->line + n);
        bool last = c->line + n >= f->n_lines;
        double extra = last ? bar : 0;
        if (c->line == 0) {
            c->li = sl_elem(s, c->list, "LI");
            c->body = sl_elem(s, c->li, "LBody");
            c->tags = NULL;
        }
        double ch = h + extra + 2 * cp;
        sl_rect(s, NULL, cx, y, cw, ch, &card, &lk->border, len[OUTLINE]);
        sl_draw(s, &c->tags, c->body, c->body, f, c->line, c->line + n, cx + cp, y + cp);
        if (last && bar > 0)
            draw_bar(s, len, c->body, tc->task, cx + cp, y + cp + h + len[BAR_SPACE], cw - 2 * cp);
        y += ch + cp;
        drew = true;
        c->line += n;
        if (c->line >= f->n_lines) {
            c->at++;
            c->line = 0;
        } else {
            return true;
        }
    }
    return false;
}

static double flow_w(const ts_flow *f)
{
    double w = 0;
    for (size_t k = 0; f && k < f->n_lines; k++)
        if (f->lines[k].x + f->lines[k].width > w)
            w = f->lines[k].x + f->lines[k].width;
    return w;
}

/* The phase labels in one row above the axis, each over its own tick, in as few lines as the
 * room allows: for 1, 2, ... lines, each label's narrowest width in that many lines, placed
 * left to right without touching.  false when no number of lines up to six works. */
static bool one_row(sl *s, const double *len, const ts_scale *sc, const ts_text_style *ls, double x,
                    double w, const ts_flow **pf, double *lx, double *row_h)
{
    size_t np = sc->n_phases;
    const double gap = len[LABEL_GAP], min_w = len[LABEL_MIN];
    double *lw = ts_arena_calloc(s->a, np ? np : 1, sizeof *lw);
    double *lo = ts_arena_calloc(s->a, np ? np : 1, sizeof *lo);
    double *hi = ts_arena_calloc(s->a, np ? np : 1, sizeof *hi);
    if (lw == NULL || lo == NULL || hi == NULL) {
        sl_no_memory(s, sc->pos);
        return false;
    }
    for (size_t i = 1; i < np; i++)
        if (sc->phases[i].at < sc->phases[i - 1].at)
            return false; /* out of order: the rows handle it */
    for (size_t lines = 1; lines <= 6 && !s->failed; lines++) {
        bool ok = true;
        for (size_t i = 0; i < np && ok; i++) {
            /* Never narrower than its longest word: a label is not hyphenated to save a line. */
            double a = min_w, b = w;
            char *words = sl_text_of(s, &sc->phases[i].label);
            for (char *tok = words; *tok;) {
                size_t n = strcspn(tok, " ");
                char save = tok[n];
                tok[n] = '\0';
                double ww = s->failed ? 0 : ts_measure_plain(s->te, tok, ls) + 1;
                tok[n] = save;
                if (ww > a)
                    a = ww;
                tok += n;
                while (*tok == ' ')
                    tok++;
            }
            if (a > w)
                a = w;
            const ts_flow *f = sl_inline(s, &sc->phases[i].label, ls, b);
            if (f == NULL || f->n_lines > lines) {
                ok = false;
                break;
            }
            for (int it = 0; it < 12; it++) {
                double mid = (a + b) / 2;
                const ts_flow *g = sl_inline(s, &sc->phases[i].label, ls, mid);
                if (g == NULL)
                    return false;
                if (g->n_lines <= lines)
                    b = mid, f = g;
                else
                    a = mid;
            }
            pf[i] = f;
            lw[i] = flow_w(f);
        }
        if (!ok)
            continue;
        /* The leftmost and the rightmost place of each label that still covers its tick. */
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            lo[i] = px - lw[i];
            if (lo[i] < x)
                lo[i] = x;
            if (i > 0 && lo[i] < lo[i - 1] + lw[i - 1] + gap)
                lo[i] = lo[i - 1] + lw[i - 1] + gap;
            if (lo[i] > px || lo[i] + lw[i] > x + w)
                ok = false;
        }
        for (size_t i = np; ok && i-- > 0;) {
            double px = x + w * sc->phases[i].at / 100.0;
            hi[i] = px < x + w - lw[i] ? px : x + w - lw[i];
            if (i + 1 < np && hi[i] > hi[i + 1] - gap - lw[i])
                hi[i] = hi[i + 1] - gap - lw[i];
            if (hi[i] < lo[i])
                ok = false;
        }
        if (!ok)
            continue;
        /* Centred over the tick where the neighbours leave room. */
        double end = x - gap;
        *row_h = 0;
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            double want = px - lw[i] / 2, l = lo[i] > end + gap ? lo[i] : end + gap;
            lx[i] = want < l ? l : want > hi[i] ? hi[i] : want;
            end = lx[i] + lw[i];
            if (pf[i]->height > *row_h)
                *row_h = pf[i]->height;
        }
        return true;
    }
    return false;
}

/* The scale: an axis from the `from` label to the `to` label with the phases and the numbered
 * tasks on it.  Returns its height. */
static double draw_scale(sl *s, const double *len, const ts_target *t, column cols[3], double x,
                         double y, double w, double min_h, ts_elem *parent)
{
    const ts_scale *sc = t->scale;
    const ts_text_style *ls = sl_style(s, "scale");
    ts_rgb axis = sl_colour(s, "scale");
    /* Phase labels stand above their ticks, each as wide as the room to its neighbours
     * allows; a label that would still touch the one before it goes up a row. */
    size_t np = sc->n_phases;
    const ts_flow **pf = np ? ts_arena_calloc(s->a, np, sizeof *pf) : NULL;
    double *lx = np ? ts_arena_calloc(s->a, np, sizeof *lx) : NULL;
    int *row = np ? ts_arena_calloc(s->a, np, sizeof *row) : NULL;
    if (np && (pf == NULL || lx == NULL || row == NULL)) {
        sl_no_memory(s, sc->pos);
        return min_h;
    }
    double row_h = 0;
    int rows = 0;
    if (!one_row(s, len, sc, ls, x, w, pf, lx, &row_h)) {
        /* Too many phases for one row: each as wide as the room to its neighbours allows, and
         * a label that would still touch the one before it goes up a row. */
        double row_end[64];
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            double left = px - x, right = x + w - px;
            for (size_t j = 0; j < np; j++) {
                double d = (sc->phases[j].at - sc->phases[i].at) * w / 100.0;
                if (j != i && d > 0 && d / 2 < right)
                    right = d / 2;
                if (j != i && d < 0 && -d / 2 < left)
                    left = -d / 2;
            }
            double room = left + right;
            double pw = room < len[ROW_LABEL_MIN]   ? len[ROW_LABEL_MIN]
                        : room > len[ROW_LABEL_MAX] ? len[ROW_LABEL_MAX]
                                                    : room;
            pf[i] = sl_inline(s, &sc->phases[i].label, ls, pw);
            if (pf[i] == NULL)
                return min_h;
            double lw = flow_w(pf[i]);
            lx[i] = px - lw / 2;
            if (lx[i] < x)
                lx[i] = x;
            if (lx[i] + lw > x + w)
                lx[i] = x + w - lw;
            int r = 0;
            while (r < rows && r < 63 && lx[i] < row_end[r] + len[ROW_LABEL_GAP])
                r++;
            if (r == rows && rows < 63)
                rows++;
            row[i] = r;
            row_end[r] = lx[i] + lw;
            if (pf[i]->height > row_h)
                row_h = pf[i]->height;
        }
    } else {
        rows = np ? 1 : 0;
    }
    /* The rows stand from phase-top down, their bottoms phase-space above the axis. */
    double phase_h = rows * (row_h + len[ROW_GAP]);
    double axis_y =
        y + phase_h + (np ? len[PHASE_TOP] + len[PHASE_SPACE] - len[ROW_GAP] : len[AXIS_TOP]);
    const ts_flow *ff = sl_inline(s, &sc->from, ls, w / 2 - len[END_GAP] / 2);
    const ts_flow *tf = sl_inline(s, &sc->to, ls, w / 2 - len[END_GAP] / 2);
    double below = 0;
    if (ff && ff->height > below)
        below = ff->height;
    if (tf && tf->height > below)
        below = tf->height;
    double h = axis_y - y + len[END_SPACE] + below;
    if (h < min_h)
        h = min_h;

    /* The words of the scale are real text, read once and in the order they are seen: the
     * phase labels above the axis from left to right (the higher of two that start together
     * first), then its ends under it, each a paragraph of its own. */
    size_t *order = np ? ts_arena_calloc(s->a, np, sizeof *order) : NULL;
    if (np && order == NULL) {
        sl_no_memory(s, sc->pos);
        return h;
    }
    for (size_t i = 0; i < np; i++) {
        size_t k = i;
        for (; k > 0; k--) {
            size_t j = order[k - 1];
            if (lx[j] < lx[i] || (lx[j] == lx[i] && row[j] >= row[i]))
                break;
            order[k] = j;
        }
        order[k] = i;
    }
    for (size_t k = 0; k < np; k++) {
        size_t i = order[k];
        ts_elem *pe = sl_elem(s, parent, "P");
        sl_draw(s, NULL, parent, pe, pf[i], 0, pf[i]->n_lines, lx[i],
                axis_y - len[PHASE_SPACE] - pf[i]->height - row[i] * (row_h + len[ROW_GAP]));
    }
    if (ff)
        sl_draw(s, NULL, parent, sl_elem(s, parent, "P"), ff, 0, ff->n_lines, x,
                axis_y + len[END_SPACE]);
    if (tf)
        sl_draw(s, NULL, parent, sl_elem(s, parent, "P"), tf, 0, tf->n_lines, x + w - flow_w(tf),
                axis_y + len[END_SPACE]);

    /* The picture: its words were read above, so its alternative text says what only the
     * picture shows, where each numbered task stands (appended in place: thousands of tasks
     * must not copy the growing text once each). */
    ts_buf alt = {0};
    ts_buf_printf(&alt, "%s", sl_label(s, "scale.alt"));
    for (size_t k = 0; k < t->n_tasks; k++) {
        const ts_task *tk = &t->tasks[k];
        ts_buf_printf(&alt, " %zu. %s (%s).", k + 1, percent(s, task_at(tk)),
                      sl_lower(s, ts_label_task_status(s->lb, tk->status)));
    }
    if (alt.failed)
        sl_no_memory(s, sc->pos);
    ts_elem *fig = sl_elem(s, parent, "Figure");
    sl_alt(s, fig, alt.data);
    ts_buf_free(&alt);
    if (!s->failed) {
        double al = len[AXIS_LINE], aw = len[ARROW_WIDTH] / 2;
        ts_draw_line(s->pdf, fig, x, axis_y, x + w, axis_y, axis, al);
        ts_draw_line(s->pdf, fig, x + w - len[ARROW_LENGTH], axis_y - aw, x + w, axis_y, axis, al);
        ts_draw_line(s->pdf, fig, x + w - len[ARROW_LENGTH], axis_y + aw, x + w, axis_y, axis, al);
        for (size_t i = 0; i < np; i++) {
            double px = x + w * sc->phases[i].at / 100.0;
            double th = len[TICK_HEIGHT] / 2;
            ts_draw_line(s->pdf, fig, px, axis_y - th, px, axis_y + th, axis, len[TICK_LINE]);
        }
    }
    /* Numbered markers at their points; markers that would touch are pushed apart, forwards
     * and then back from the right end, so that all stay on the axis. */
    const ts_text_style *ns = sl_style(s, "percent");
    double r = len[MARKER_RADIUS], gap = 2 * r + len[MARKER_GAP];
    size_t n = cols[0].n + cols[1].n + cols[2].n;
    const task_card **mk = n ? ts_arena_calloc(s->a, n, sizeof *mk) : NULL;
    double *mx = n ? ts_arena_calloc(s->a, n, sizeof *mx) : NULL;
    if (n && (mk == NULL || mx == NULL)) {
        sl_no_memory(s, t->pos);
        return h;
    }
    size_t m = 0;
    for (int pos = 0; pos <= 100; pos++)
        for (int c = 0; c < 3; c++)
            for (size_t k = 0; k < cols[c].n; k++)
                if ((int)task_at(cols[c].cards[k].task) == pos)
                    mk[m++] = &cols[c].cards[k];
    double left = x + r + len[MARKER_START], right = x + w - r - len[MARKER_END];
    /* More markers than the axis holds apart overlap rather than leave it (and the page). */
    if (m > 1 && gap * (double)(m - 1) > right - left)
        gap = (right - left) / (double)(m - 1);
    for (size_t i = 0; i < m; i++) {
        mx[i] = left + (right - left) * task_at(mk[i]->task) / 100.0;
        if (i > 0 && mx[i] < mx[i - 1] + gap)
            mx[i] = mx[i - 1] + gap;
    }
    for (size_t i = m; i-- > 0;) {
        double limit = i + 1 < m ? mx[i + 1] - gap : right;
        if (mx[i] > limit)
            mx[i] = limit;
    }
    ts_rgb inner = sl_colour(s, "bar-track");
    for (size_t i = 0; i < m; i++) {
        const ts_status_look *lk = &s->L->task_status[mk[i]->task->status];
        sl_circle(s, fig, mx[i], axis_y, r, &inner, &lk->border, len[MARKER_LINE]);
        char num[24];
        snprintf(num, sizeof num, "%zu", mk[i]->number);
        double nw = s->failed ? 0 : ts_measure_plain(s->te, num, ns);
        const ts_flow *nf = sl_plain(s, num, ns, nw + 1);
        if (nf)
            sl_artifact(s, nf, 0, nf->n_lines, mx[i] - nw / 2, axis_y - ns->leading / 2, "Layout");
    }
    return h;
}

static void progress_slides(sl *s, const ts_target *t, ts_elem *sect)
{
    const sl_kind *K = &sl_progress;
    const ts_frame *pad = sl_frame(s, K, PAD);
    const ts_frame *tfr = sl_frame(s, K, TARGET);
    const ts_frame *sfr = sl_frame(s, K, SCALE);
    const double *len = sl_look(s, K)->lengths;
    column cols[3];
    memset(cols, 0, sizeof cols);
    for (int c = 0; c < 3; c++) {
        cols[c].status = (ts_task_status)c;
        cols[c].frame = sl_frame(s, K, COL_TODO + c);
        cols[c].cards = t->n_tasks ? ts_arena_calloc(s->a, t->n_tasks, sizeof(task_card)) : NULL;
        if (t->n_tasks && cols[c].cards == NULL) {
            sl_no_memory(s, t->pos);
            return;
        }
    }
    for (size_t k = 0; k < t->n_tasks; k++) {
        column *c = &cols[t->tasks[k].status];
        c->cards[c->n++] = (task_card){.task = &t->tasks[k], .number = k + 1};
    }
    /* Each card keeps its task's number, so that a marker on the scale and a row of the
     * detailed table can be matched to it. */
    const ts_text_style *ts = sl_style(s, "task");
    for (int c = 0; c < 3; c++)
        for (size_t k = 0; k < cols[c].n; k++) {
            task_card *tc = &cols[c].cards[k];
            double w = cols[c].frame->w - 2 * pad->x - 2 * pad->y;
            ts_inline in = sl_numbered_title(s, tc->task, tc->number);
            tc->text = sl_inline(s, &in, ts, w);
            if (tc->text == NULL)
                return;
        }

    const char *title = sl_label(s, "slide.progress");
    const ts_flow *tt = sl_inline(s, &t->title, sl_style(s, "heading"), tfr->w);
    if (tt == NULL)
        return;
    sl_stack st;
    sl_open_stack(&st, s, K, title, sect, TARGET, -1);
    /* The target's own part follows the slide's title in the tree. */
    ts_elem *part = sl_elem(s, sect, "Sect");
    /* Where the columns start on a slide that continues them: under the target's title. */
    double cont_y = tfr->y + tt->height + pad->y;
    if (cont_y < cols[0].frame->y)
        cont_y = cols[0].frame->y;
    bool more = true;
    for (int slide = 0; more && !s->failed; slide++) {
        if (slide > 0)
            sl_stack_turn(&st);
        double y = tfr->y;
        if (slide == 0) {
            ts_elem *h3 = sl_elem(s, part, "H3");
            sl_draw(s, NULL, part, h3, tt, 0, tt->n_lines, tfr->x, y);
        } else {
            sl_artifact(s, tt, 0, tt->n_lines, tfr->x, y, "Layout");
        }
        y += tt->height + pad->y;
        if (slide == 0 && t->scale) {
            double sy = y > sfr->y ? y : sfr->y;
            y = sy + draw_scale(s, len, t, cols, sfr->x, sy, sfr->w, 0, part) + pad->y;
        }
        double top = y > cols[0].frame->y ? y : cols[0].frame->y;
        double bottom = cols[0].frame->y + cols[0].frame->h;
        more = false;
        for (int c = 0; c < 3; c++)
            more |= fill_column(s, len, &cols[c], pad, top, bottom, cont_y, slide == 0, part);
    }
}

static void compose(sl *s, sl_deck *deck)
{
    for (size_t i = 0; i < deck->m->n_targets && !s->failed; i++)
        progress_slides(s, &deck->m->targets[i], deck->sect);
}

const sl_kind sl_progress = SL_KIND("progress", frames, lengths, true, compose);
