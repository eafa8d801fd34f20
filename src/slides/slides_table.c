/* Tables on slides: the engine (a head repeated on every continuation slide, rows that move
 * whole to the next slide and split only when one alone is taller than a slide), and the three
 * tables of the pack: the overview, the strategy-measure table and the summary. */
#include "slides/slides.h"

#include <stdio.h>
#include <string.h>

/* ---- The engine ------------------------------------------------------------------------ */

static double table_w(const sl_table_t *t)
{
    return t->x[t->n - 1] + t->w[t->n - 1] - t->x[0];
}

static void draw_head(sl_table_t *t, bool tagged)
{
    sl *s = t->st->s;
    const ts_text_style *hs = sl_style(s, t->head_style);
    double y = t->st->y;
    sl_rect(s, NULL, t->x[0], y, table_w(t), t->head_h, &hs->background, NULL, 0);
    ts_elem *tr = tagged ? sl_elem(s, t->elem, "TR") : NULL;
    for (size_t i = 0; i < t->n; i++) {
        const ts_flow *f = t->head[i];
        if (f == NULL)
            continue;
        if (tagged) {
            ts_elem *th = sl_elem(s, tr, "TH");
            if (th != NULL)
                ts_elem_set_scope(s->pdf, th, "Column");
            sl_draw(s, NULL, th, th, f, 0, f->n_lines, t->x[i] + t->pad_x, y + t->pad_y);
        } else {
            sl_artifact(s, f, 0, f->n_lines, t->x[i] + t->pad_x, y + t->pad_y, "Layout");
        }
    }
    t->st->y += t->head_h;
    t->st->empty = false;
    t->rows_on_page = 0;
    t->fresh = !tagged;
}

static void head_again(sl_stack *st, void *arg)
{
    (void)st;
    draw_head(arg, false);
}

void sl_table_begin(sl_table_t *t, sl_stack *st, ts_elem *parent, const char *const *col_names,
                    const char *const *heads, size_t n, double first_row_h)
{
    sl *s = st->s;
    if (t->head_style == NULL)
        t->head_style = "table-head";
    if (t->cell_style == NULL)
        t->cell_style = "table-cell";
    t->st = st;
    t->n = n;
    const ts_frame *pad = sl_frame(s, st->kind, "pad");
    t->pad_x = pad->x;
    t->pad_y = pad->y;
    if (t->mark_w == 0)
        t->mark_w = sl_style(s, t->cell_style)->size * 1.1;
    const ts_text_style *hs = sl_style(s, t->head_style);
    double hh = 0;
    for (size_t i = 0; i < n; i++) {
        const ts_frame *c = sl_frame(s, st->kind, col_names[i]);
        t->x[i] = c->x;
        t->w[i] = c->w;
        t->head[i] = sl_lines(s, heads[i], hs, c->w - 2 * t->pad_x);
        if (t->head[i] && t->head[i]->height > hh)
            hh = t->head[i]->height;
    }
    t->head_h = hh + 2 * t->pad_y;
    t->parent = parent;
    t->keep_h = first_row_h;
    t->head_pending = true;
}

/* Draws the head before the first row of row_h pt: on this slide when the row fits under it
 * (or, a row that must be split anyway, a good part of it), else on the next. */
static void start(sl_table_t *t, double row_h)
{
    if (!t->head_pending)
        return;
    sl_stack *st = t->st;
    sl *s = st->s;
    t->head_pending = false;
    double capacity = st->body_cont->h - t->head_h;
    double need = row_h <= capacity ? row_h : t->keep_h;
    if (!st->empty && sl_stack_room(st) < t->head_h + need)
        sl_stack_break(st);
    t->elem = sl_elem(s, t->parent, "Table");
    draw_head(t, true);
    st->on_break = head_again;
    st->hook_arg = t;
}

double sl_table_text_w(const sl_table_t *t, size_t i, bool marked)
{
    return t->w[i] - 2 * t->pad_x - (marked ? t->mark_w : 0);
}

double sl_table_row_h(const sl_table_t *t, const sl_cell *cells)
{
    double h = sl_style(t->st->s, t->cell_style)->leading;
    for (size_t i = 0; i < t->n; i++)
        if (cells[i].flow && cells[i].flow->height > h)
            h = cells[i].flow->height;
    return h + 2 * t->pad_y;
}

static ts_rgb row_fill(sl_table_t *t, const sl_cell *c)
{
    sl *s = t->st->s;
    if (c->fill)
        return c->fill->fill;
    /* Every other row is shaded; the table-cell style lists the shade among its backgrounds,
     * so the contrast of the text on it has been checked. */
    return t->rows % 2 ? sl_colour(s, "zebra") : sl_style(s, t->cell_style)->background;
}

static void draw_marks(sl_table_t *t, const sl_cell *c, size_t first, size_t end, double x,
                       double y)
{
    const ts_flow *f = c->flow;
    for (size_t k = first; k < end; k++) {
        const ts_line *ln = &f->lines[k];
        if (!ln->first_of_node || ln->node == NULL || ln->node->id >= c->n_marks)
            continue;
        double size = f->style->size;
        double cy = y + (ln->baseline - f->lines[first].top) - size * 0.35;
        sl_status_mark(t->st->s, c->marks[ln->node->id], x + t->mark_w * 0.4, cy, size * 0.36);
    }
}

void sl_table_row(sl_table_t *t, const sl_cell *cells)
{
    sl_stack *st = t->st;
    sl *s = st->s;
    double h = sl_table_row_h(t, cells);
    start(t, h);
    /* A row moves whole to the next slide; it is split only when it alone is taller than a
     * slide's room under the head, or when it already stands at the top of a fresh slide. */
    double capacity = st->body_cont->h - t->head_h;
    if (h > sl_stack_room(st) && (t->rows_on_page > 0 || h <= capacity) && !t->fresh)
        sl_stack_break(st);
    ts_elem *tr = sl_elem(s, t->elem, "TR");
    ts_elem *td[8] = {NULL};
    ts_flow_tags *tags[8] = {NULL};
    size_t at[8] = {0};
    for (size_t i = 0; i < t->n; i++) {
        td[i] = sl_elem(s, tr, cells[i].header ? "TH" : "TD");
        if (cells[i].header && td[i] != NULL)
            ts_elem_set_scope(s->pdf, td[i], "Row");
    }
    for (int part = 0; !s->failed; part++) {
        double room = sl_stack_room(st) - 2 * t->pad_y;
        size_t end[8] = {0};
        double part_h = sl_style(s, t->cell_style)->leading;
        bool more = false;
        for (size_t i = 0; i < t->n; i++) {
            const ts_flow *f = cells[i].flow;
            if (f == NULL || at[i] >= f->n_lines)
                continue;
            size_t n = ts_flow_fit(f, at[i], room);
            /* A cell does not leave a line or two alone on the next slide. */
            size_t rest = f->n_lines - at[i];
            if (n < rest && rest - n < SL_WIDOW && rest > SL_WIDOW)
                n = rest - SL_WIDOW;
            end[i] = at[i] + n;
            double hh = ts_flow_span_height(f, at[i], end[i]);
            if (hh > part_h)
                part_h = hh;
            if (end[i] < f->n_lines)
                more = true;
        }
        double y = st->y;
        for (size_t i = 0; i < t->n; i++) {
            ts_rgb fill = row_fill(t, &cells[i]);
            sl_rect(s, NULL, t->x[i], y, t->w[i], part_h + 2 * t->pad_y, &fill, NULL, 0);
        }
        for (size_t i = 0; i < t->n; i++) {
            const ts_flow *f = cells[i].flow;
            if (f == NULL || at[i] >= f->n_lines)
                continue;
            double tx = t->x[i] + t->pad_x + (cells[i].marks ? t->mark_w : 0);
            double ty = y + t->pad_y;
            if (cells[i].marks)
                draw_marks(t, &cells[i], at[i], end[i], t->x[i] + t->pad_x, ty);
            ts_elem *container = NULL;
            if (cells[i].link_page != -1 && !s->failed && at[i] == 0) {
                double lw = 0;
                for (size_t k = at[i]; k < end[i]; k++)
                    if (f->lines[k].width + f->lines[k].x > lw)
                        lw = f->lines[k].width + f->lines[k].x;
                container = ts_draw_page_link(s->pdf, td[i], tx, ty, lw,
                                              ts_flow_span_height(f, at[i], end[i]),
                                              cells[i].link_page, cells[i].link_contents);
                if (container == NULL)
                    sl_fail(s, s->r->pos, "a link cannot be made");
            }
            sl_draw(s, &tags[i], td[i], container, f, at[i], end[i], tx, ty);
            at[i] = end[i];
        }
        sl_line(s, t->x[0], y + part_h + 2 * t->pad_y, t->x[0] + table_w(t),
                y + part_h + 2 * t->pad_y, sl_colour(s, "grid"), 0.5);
        st->y += part_h + 2 * t->pad_y;
        st->empty = false;
        t->rows_on_page++;
        t->fresh = false;
        if (!more || part > 10000)
            break;
        sl_stack_break(st);
    }
    t->rows++;
}

void sl_table_band(sl_table_t *t, const ts_flow *f)
{
    sl_stack *st = t->st;
    sl *s = st->s;
    if (f == NULL)
        return;
    double h = f->height + 2 * t->pad_y;
    /* A band keeps with the first row under it. */
    double keep = sl_style(s, t->cell_style)->leading * 2 + 2 * t->pad_y;
    start(t, h + keep);
    if (h + keep > sl_stack_room(st) && t->rows_on_page > 0)
        sl_stack_break(st);
    ts_elem *tr = sl_elem(s, t->elem, "TR");
    ts_elem *th = sl_elem(s, tr, "TH");
    if (th != NULL)
        ts_elem_set_scope(s->pdf, th, "Row");
    for (size_t i = 1; i < t->n; i++)
        sl_elem(s, tr, "TD");
    ts_rgb fill = sl_colour(s, "group-fill");
    sl_rect(s, NULL, t->x[0], st->y, table_w(t), h, &fill, NULL, 0);
    size_t fit = ts_flow_fit(f, 0, sl_stack_room(st) - 2 * t->pad_y);
    sl_draw(s, NULL, th, th, f, 0, fit, t->x[0] + t->pad_x, st->y + t->pad_y);
    st->y += ts_flow_span_height(f, 0, fit) + 2 * t->pad_y;
    st->empty = false;
    t->rows_on_page++;
    t->fresh = false;
    t->rows = 0; /* the shading starts afresh under each band */
}

void sl_table_end(sl_table_t *t)
{
    start(t, 0);
    t->st->on_break = NULL;
    t->st->hook_arg = NULL;
    sl_stack_gap(t->st, t->pad_y * 4);
}

/* ---- The overview ---------------------------------------------------------------------- */

static char *round_head(sl *s, const char *key, int round)
{
    char *t = ts_label_fmt(s->lb, s->a, key, s->r->year, round, -1);
    if (t == NULL) {
        sl_fail(s, s->r->pos, "out of memory");
        return "";
    }
    return t;
}

static const ts_status all_status[] = {TS_STATUS_NONE, TS_STATUS_ON_TRACK, TS_STATUS_ACHIEVED,
                                       TS_STATUS_AT_RISK, TS_STATUS_OFF_TRACK};

static const ts_status *status_ptr(ts_status st)
{
    return &all_status[st];
}

/* The status of a round for a measure: rounds after the current one have none (NULL). */
static bool round_status(const sl *s, const ts_measure *m, int round, ts_status *out)
{
    if (round > s->r->number)
        return false;
    *out = m->by_round[round] ? m->by_round[round]->status : TS_STATUS_NONE;
    return true;
}

/* "Tehtävät (tekemättä / tekeillä / tehty)": the head explains the three counts of a row. */
static const char *tasks_head(sl *s)
{
    char *t = ts_arena_printf(s->a, "%s (%s / %s / %s)", sl_label(s, "overview.tasks"),
                              sl_lower(s, ts_label_task_status(s->lb, TS_TASK_TODO)),
                              sl_lower(s, ts_label_task_status(s->lb, TS_TASK_DOING)),
                              sl_lower(s, ts_label_task_status(s->lb, TS_TASK_DONE)));
    if (t == NULL) {
        sl_fail(s, s->r->pos, "out of memory");
        return "";
    }
    return t;
}

/* "Theme: statement", the theme in bold, both keeping their places in the source. */
static const ts_flow *band_flow(sl *s, const ts_goal *goal, const ts_text_style *st, double w)
{
    const ts_inline *th = &goal->theme->name, *sm = &goal->statement;
    ts_run *runs = ts_arena_calloc(s->a, th->n_runs + sm->n_runs + 1, sizeof *runs);
    if (runs == NULL) {
        sl_fail(s, goal->pos, "out of memory");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < th->n_runs; i++) {
        runs[k] = th->runs[i];
        runs[k++].style |= TS_RUN_BOLD;
    }
    runs[k++] = (ts_run){.text = ": ", .len = 2, .style = TS_RUN_BOLD, .pos = sm->pos};
    for (size_t i = 0; i < sm->n_runs; i++)
        runs[k++] = sm->runs[i];
    ts_inline in = {.runs = runs, .n_runs = k, .pos = goal->pos};
    return sl_inline(s, &in, st, w);
}

/* A slide of tables: its section, titled, and the stack of its slides of `kind` opened on it. */
static ts_elem *open_section(sl *s, sl_stack *st, const char *kind, const char *title)
{
    ts_elem *sect = sl_sect(s, title);
    sl_stack_open(st, s, kind, title, sect, "body", NULL);
    return sect;
}

/* A row's cells before they are filled: no text, no link. */
static void empty_cells(sl_cell *c, size_t n)
{
    for (size_t k = 0; k < n; k++)
        c[k] = (sl_cell){.link_page = -1};
}

void sl_overview(sl *s)
{
    const ts_round *r = s->r;
    const char *title = sl_label(s, "slide.overview");
    sl_stack st;
    ts_elem *sect = open_section(s, &st, "overview", title);
    static const char *const cols[] = {"col.measure", "col.round1", "col.round2",
                                       "col.round3",  "col.value",  "col.tasks"};
    const char *heads[6] = {sl_label(s, "overview.measure"),    round_head(s, "overview.round", 1),
                            round_head(s, "overview.round", 2), round_head(s, "overview.round", 3),
                            sl_label(s, "overview.value"),      tasks_head(s)};
    sl_table_t t = {.head_style = "overview-head", .cell_style = "overview-cell"};
    const ts_text_style *cs = sl_style(s, "overview-cell");
    const ts_text_style *gs = sl_style(s, "overview-group");
    sl_table_begin(&t, &st, sect, cols, heads, 6, cs->leading * 2);
    for (size_t g = 0; g < r->n_goals && !s->failed; g++) {
        const ts_goal *goal = &r->goals[g];
        sl_table_band(&t, band_flow(s, goal, gs, table_w(&t) - 2 * t.pad_x));
        for (size_t i = 0; i < goal->n_measures && !s->failed; i++) {
            const ts_measure *m = &goal->measures[i];
            sl_cell c[6];
            empty_cells(c, 6);
            c[0].flow = sl_inline(s, &m->name, cs, sl_table_text_w(&t, 0, false));
            c[0].header = true;
            c[0].link_page = TS_PAGE_LATER((int)m->index);
            c[0].link_contents = sl_labelf(s, "link.deck", (int)m->index + 1);
            for (int rd = 1; rd <= 3; rd++) {
                ts_status stt;
                if (!round_status(s, m, rd, &stt))
                    continue;
                c[rd].flow =
                    sl_plain(s, ts_label_status(s->lb, stt), cs, sl_table_text_w(&t, rd, true));
                c[rd].marks = status_ptr(stt);
                c[rd].n_marks = 1;
            }
            const ts_forecast *cur = ts_measure_current(r, m);
            const char *value = sl_value_text(s, cur);
            if (value)
                c[4].flow = sl_plain_at(s, value, cur->pos, cs, sl_table_text_w(&t, 4, false));
            size_t count[3] = {0};
            size_t total = 0;
            for (size_t k = 0; k < m->n_targets; k++)
                for (size_t j = 0; j < m->targets[k].n_tasks; j++) {
                    count[m->targets[k].tasks[j].status]++;
                    total++;
                }
            if (total > 0) {
                char *txt = ts_arena_printf(s->a, "%zu / %zu / %zu", count[0], count[1], count[2]);
                if (txt)
                    c[5].flow = sl_plain(s, txt, cs, sl_table_text_w(&t, 5, false));
            }
            sl_table_row(&t, c);
        }
    }
    sl_table_end(&t);
}

/* ---- The strategy-measure table -------------------------------------------------------- */

void sl_table(sl *s)
{
    const ts_round *r = s->r;
    const char *title = sl_label(s, "slide.table");
    sl_stack st;
    ts_elem *sect = open_section(s, &st, "table", title);
    /* Ten columns at the minimum font size would leave each a few words wide on a slide, so
     * the slides join theme and goal into one column, and the round forecasts with the
     * numeric forecast into another (the workbook keeps all ten). */
    static const char *const cols[] = {"col.goal",      "col.measure", "col.recovery",
                                       "col.forecasts", "col.comment", "col.links"};
    char *fhead = ts_arena_strdup(s->a, "");
    for (int rd = 1; rd <= r->number && fhead; rd++)
        fhead = ts_arena_printf(s->a, "%s%s%s", fhead, rd > 1 ? "\n" : "",
                                round_head(s, "col.forecast", rd));
    char *ghead =
        ts_arena_printf(s->a, "%s\n%s", sl_label(s, "col.theme"), sl_label(s, "col.goal"));
    if (fhead == NULL || ghead == NULL) {
        sl_fail(s, r->pos, "out of memory");
        return;
    }
    const char *heads[6] = {ghead, sl_label(s, "col.measure"), sl_label(s, "col.recovery"),
                            fhead, sl_label(s, "col.comment"), sl_label(s, "col.links")};
    sl_table_t t = {.head_style = "table-head", .cell_style = "table-cell"};
    const ts_text_style *cs = sl_style(s, "table-cell");
    sl_table_begin(&t, &st, sect, cols, heads, 6, cs->leading * 4);
    for (size_t g = 0; g < r->n_goals && !s->failed; g++) {
        const ts_goal *goal = &r->goals[g];
        for (size_t i = 0; i < goal->n_measures && !s->failed; i++) {
            const ts_measure *m = &goal->measures[i];
            sl_cell c[6];
            empty_cells(c, 6);

            /* The goal's description stands in its first row, as in the workbook's merged
             * cell; the rows under it repeat the theme and the statement for context. */
            sl_bb b = {.s = s};
            sl_bb_inline(&b, &goal->theme->name, 0);
            sl_bb_inline(&b, &goal->statement, TS_RUN_BOLD);
            if (i == 0)
                sl_bb_blocks(&b, &goal->description);
            ts_blocks bl = sl_bb_done(&b);
            c[0].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 0, false));

            sl_bb mb = {.s = s};
            sl_bb_inline(&mb, &m->name, TS_RUN_BOLD);
            sl_bb_blocks(&mb, &m->text);
            bl = sl_bb_done(&mb);
            c[1].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 1, false));
            c[1].header = true;

            c[2].flow =
                sl_plain(s, ts_label_bool(s->lb, m->recovery), cs, sl_table_text_w(&t, 2, false));

            sl_bb fb = {.s = s};
            ts_status *marks = ts_arena_calloc(s->a, 3, sizeof *marks);
            size_t n_marks = 0;
            const ts_forecast *cur = ts_measure_current(r, m);
            for (int rd = 1; rd <= r->number && marks; rd++) {
                ts_status stt = TS_STATUS_NONE;
                round_status(s, m, rd, &stt);
                const char *word = ts_label_status(s->lb, stt);
                const char *value = rd == r->number ? sl_value_text(s, cur) : NULL;
                char *line = value ? ts_arena_printf(s->a, "%d: %s (%s)", rd, word, value)
                                   : ts_arena_printf(s->a, "%d: %s", rd, word);
                sl_bb_text(&fb, line, 0, cur && value ? cur->pos : m->pos);
                marks[n_marks++] = stt;
            }
            bl = sl_bb_done(&fb);
            c[3].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 3, true));
            c[3].marks = marks;
            c[3].n_marks = n_marks;

            if (!sl_blocks_empty(&m->comment))
                c[4].flow = sl_blocks(s, &m->comment, cs, sl_table_text_w(&t, 4, false));

            sl_bb lb = {.s = s};
            for (size_t k = 0; k < m->n_links; k++)
                sl_bb_inline(&lb, &m->links[k]->name, 0);
            bl = sl_bb_done(&lb);
            if (bl.n > 0)
                c[5].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 5, false));
            sl_table_row(&t, c);
        }
    }
    sl_table_end(&t);
}

/* ---- The summary ----------------------------------------------------------------------- */

static void programme_table(sl *s, sl_stack *st, ts_elem *sect, ts_programme_kind kind,
                            const char *head_key, const char *actions_key)
{
    const ts_summary *sum = s->r->summary;
    bool any = false;
    for (size_t i = 0; i < sum->n_programme_actions; i++)
        any |= sum->programme_actions[i].programme->kind == kind;
    if (!any)
        return;
    static const char *const cols[] = {"col2.a", "col2.b"};
    const char *heads[2] = {sl_label(s, head_key), sl_label(s, actions_key)};
    const ts_text_style *cs = sl_style(s, "table-cell");
    sl_table_t t = {0};
    sl_table_begin(&t, st, sect, cols, heads, 2, cs->leading * 2);
    for (size_t i = 0; i < sum->n_programme_actions && !s->failed; i++) {
        const ts_programme_actions *pa = &sum->programme_actions[i];
        if (pa->programme->kind != kind)
            continue;
        sl_cell c[2] = {{.link_page = -1, .header = true}, {.link_page = -1}};
        c[0].flow = sl_inline(s, &pa->programme->name, cs, sl_table_text_w(&t, 0, false));
        sl_bb b = {.s = s};
        for (size_t k = 0; k < pa->n_actions; k++)
            sl_bb_blocks(&b, &pa->actions[k]);
        ts_blocks bl = sl_bb_done(&b);
        c[1].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 1, false));
        sl_table_row(&t, c);
    }
    sl_table_end(&t);
}

void sl_summary(sl *s)
{
    const ts_summary *sum = s->r->summary;
    const char *title = sl_labelf(s, "summary.title", -1);
    sl_stack st;
    ts_elem *sect = open_section(s, &st, "summary", title);
    const ts_text_style *cs = sl_style(s, "table-cell");
    if (sum->n_theme_actions > 0) {
        static const char *const cols[] = {"col3.a", "col3.b", "col3.c"};
        const char *heads[3] = {sl_label(s, "summary.themes"), sl_label(s, "summary.theme-actions"),
                                sl_label(s, "summary.indicators")};
        sl_table_t t = {0};
        sl_table_begin(&t, &st, sect, cols, heads, 3, cs->leading * 2);
        for (size_t i = 0; i < sum->n_theme_actions && !s->failed; i++) {
            const ts_theme_actions *ta = &sum->theme_actions[i];
            sl_cell c[3] = {
                {.link_page = -1, .header = true}, {.link_page = -1}, {.link_page = -1}};
            c[0].flow = sl_inline(s, &ta->theme->name, cs, sl_table_text_w(&t, 0, false));
            sl_bb b = {.s = s};
            for (size_t k = 0; k < ta->n_actions; k++)
                sl_bb_blocks(&b, &ta->actions[k]);
            ts_blocks bl = sl_bb_done(&b);
            c[1].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 1, false));
            sl_bb ib = {.s = s};
            for (size_t k = 0; k < ta->n_indicators; k++) {
                sl_bb_blocks(&ib, &ta->indicators[k].text);
                if (ta->indicators[k].binding)
                    sl_bb_text(&ib, sl_label(s, "summary.binding"), TS_RUN_ITALIC,
                               ta->indicators[k].pos);
            }
            bl = sl_bb_done(&ib);
            if (bl.n > 0)
                c[2].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 2, false));
            sl_table_row(&t, c);
        }
        sl_table_end(&t);
    }
    programme_table(s, &st, sect, TS_PROGRAMME_CITY_PROJECT, "summary.city-project",
                    "summary.project-actions");
    programme_table(s, &st, sect, TS_PROGRAMME_SEPARATE, "summary.separate-programme",
                    "summary.actions");
    programme_table(s, &st, sect, TS_PROGRAMME_JOINT_THEME, "summary.joint-theme",
                    "summary.theme-actions-short");
}
