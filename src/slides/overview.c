/* The overview (outputs.md §1.2): every measure's status by round, its value and its tasks,
 * under its theme and goal, each linking to the measure's deck. */
#include "slides/kinds.h"
#include "slides/table.h"
#include "core/locale.h"

#include <string.h>

enum { BODY = SL_OWN, PAD, COL_MEASURE, COL_ROUND1, COL_ROUND2, COL_ROUND3, COL_VALUE, COL_TASKS };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [BODY] = {"body", TS_FRAME_FLOW, {"overview-cell", "overview-group"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
    [COL_MEASURE] = {"col.measure", TS_FRAME_COLUMN, {"overview-cell", "overview-head"}},
    [COL_ROUND1] = {"col.round1", TS_FRAME_MARKED, {"overview-cell", "overview-head"}},
    [COL_ROUND2] = {"col.round2", TS_FRAME_MARKED, {"overview-cell", "overview-head"}},
    [COL_ROUND3] = {"col.round3", TS_FRAME_MARKED, {"overview-cell", "overview-head"}},
    [COL_VALUE] = {"col.value", TS_FRAME_WORDS, {"overview-cell", "overview-head"}},
    [COL_TASKS] = {"col.tasks", TS_FRAME_WORDS, {"overview-cell", "overview-head"}},
};
static const ts_length_need lengths[] = {SL_TABLE_LENGTHS, SL_MARK_LENGTHS};

static const ts_status all_status[] = {TS_STATUS_NONE, TS_STATUS_ON_TRACK, TS_STATUS_ACHIEVED,
                                       TS_STATUS_AT_RISK, TS_STATUS_OFF_TRACK};

static const ts_status *status_ptr(ts_status st)
{
    return &all_status[st];
}

/* "Tehtävät (tekemättä / tekeillä / tehty)": the head explains the three counts of a row. */
static const char *tasks_head(sl *s)
{
    char *t = ts_arena_printf(s->a, "%s (%s / %s / %s)", sl_label(s, "overview.tasks"),
                              sl_lower(s, ts_label_task_status(s->lb, TS_TASK_TODO)),
                              sl_lower(s, ts_label_task_status(s->lb, TS_TASK_DOING)),
                              sl_lower(s, ts_label_task_status(s->lb, TS_TASK_DONE)));
    if (t == NULL) {
        sl_no_memory(s, s->r->pos);
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
        sl_no_memory(s, goal->pos);
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

/* The current status's word, followed by ▲ or ▼ when it is better or worse than in the previous
 * round that reported it; the mark reads as the change's word ("parani"). */
static const ts_flow *current_status(sl *s, const ts_measure *m, ts_status stt,
                                     const ts_text_style *cs, double w)
{
    ts_measure_change ch = ts_measure_change_now(s->r, m);
    const char *word = ts_label_status(s->lb, stt);
    if (ch.change != TS_CHANGE_IMPROVED && ch.change != TS_CHANGE_WORSENED)
        return sl_plain(s, word, cs, w);
    bool better = ch.change == TS_CHANGE_IMPROVED;
    const char *mark = better ? "\u25B2" : "\u25BC";
    /* A no-break space: the mark stands by the last word when the word takes two lines. */
    char *lead = ts_arena_printf(s->a, "%s\u00a0", word);
    if (lead == NULL) {
        sl_no_memory(s, m->pos);
        return NULL;
    }
    ts_run runs[2] = {{.text = lead, .len = strlen(lead), .pos = m->pos},
                      {.text = mark, .len = strlen(mark), .style = TS_RUN_BOLD, .pos = m->pos}};
    const char *read_as[2] = {NULL, sl_label(s, better ? "change.improved" : "change.worsened")};
    ts_inline in = {.runs = runs, .n_runs = 2, .pos = m->pos};
    return sl_inline_read(s, &in, read_as, cs, w);
}

/* The current numeric forecast, "14 / 20 kpl" against a level in its unit. */
static const char *value_text(sl *s, const ts_measure *m, const ts_forecast *cur)
{
    if (cur == NULL || !cur->has_value || m->level == NULL ||
        !ts_same_unit(cur->unit, m->level->unit))
        return sl_value_text(s, cur);
    char *t = ts_format_of_level(s->a, cur->value, m->level->value, cur->unit, s->r->lang);
    if (t == NULL)
        sl_no_memory(s, cur->pos);
    return t;
}

static void compose(sl *s, sl_deck *deck)
{
    (void)deck;
    const ts_round *r = s->r;
    const char *title = sl_label(s, "slide.overview");
    sl_stack st;
    ts_elem *sect = sl_table_section(s, &st, &sl_overview, BODY, title);
    static const int cols[] = {COL_MEASURE, COL_ROUND1, COL_ROUND2,
                               COL_ROUND3,  COL_VALUE,  COL_TASKS};
    const char *heads[6] = {
        sl_label(s, "overview.measure"),        sl_round_label(s, "overview.round", 1),
        sl_round_label(s, "overview.round", 2), sl_round_label(s, "overview.round", 3),
        sl_label(s, "overview.value"),          tasks_head(s)};
    sl_table_t t = {.head_style = "overview-head", .cell_style = "overview-cell", .marked = true};
    const ts_text_style *cs = sl_style(s, "overview-cell");
    const ts_text_style *gs = sl_style(s, "overview-group");
    sl_table_begin(&t, &st, sect, PAD, cols, heads, 6, cs->leading * 2);
    for (size_t g = 0; g < r->n_goals && !s->failed; g++) {
        const ts_goal *goal = &r->goals[g];
        sl_table_band(&t, band_flow(s, goal, gs, sl_table_w(&t) - 2 * t.pad_x));
        for (size_t i = 0; i < goal->n_measures && !s->failed; i++) {
            const ts_measure *m = &goal->measures[i];
            sl_cell c[6];
            sl_cells_empty(c, 6);
            c[0].flow = sl_inline(s, &m->name, cs, sl_table_text_w(&t, 0, false));
            c[0].header = true;
            c[0].name = &m->name;
            c[0].link_page = TS_PAGE_LATER((int)m->index);
            /* Named as the link shows it: the measure's number is nowhere on the slide. */
            c[0].link_contents = sl_label_name(s, "link.deck", sl_text_of(s, &m->name));
            for (int rd = 1; rd <= 3; rd++) {
                ts_status stt;
                if (!sl_round_status(s, m, rd, &stt))
                    continue;
                double w = sl_table_text_w(&t, rd, true);
                c[rd].flow = rd == r->number ? current_status(s, m, stt, cs, w)
                                             : sl_plain(s, ts_label_status(s->lb, stt), cs, w);
                c[rd].marks = status_ptr(stt);
                c[rd].n_marks = 1;
            }
            const ts_forecast *cur = ts_measure_current(r, m);
            const char *value = value_text(s, m, cur);
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

const sl_kind sl_overview = SL_KIND("overview", frames, lengths, false, compose);
