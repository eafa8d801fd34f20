/* The strategy-measure table (outputs.md §1.4): the workbook's table on slides. */
#include "slides/kinds.h"
#include "slides/table.h"

enum {
    BODY = SL_OWN,
    PAD,
    COL_GOAL,
    COL_MEASURE,
    COL_RECOVERY,
    COL_FORECASTS,
    COL_COMMENT,
    COL_LINKS
};
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [BODY] = {"body", TS_FRAME_FLOW, {"table-cell"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
    [COL_GOAL] = {"col.goal", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL_MEASURE] = {"col.measure", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL_RECOVERY] = {"col.recovery", TS_FRAME_WORDS, {"table-cell", "table-head"}},
    [COL_FORECASTS] = {"col.forecasts", TS_FRAME_MARKED, {"table-cell", "table-head"}},
    [COL_COMMENT] = {"col.comment", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL_LINKS] = {"col.links", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
};
static const ts_length_need lengths[] = {SL_TABLE_LENGTHS, SL_MARK_LENGTHS};

static void compose(sl *s, sl_deck *deck)
{
    (void)deck;
    const ts_round *r = s->r;
    const char *title = sl_label(s, "slide.table");
    sl_stack st;
    ts_elem *sect = sl_table_section(s, &st, &sl_measure_table, BODY, title);
    /* Ten columns at the minimum font size would leave each a few words wide on a slide, so
     * the slides join theme and goal into one column, and the round forecasts with the
     * numeric forecast into another (the workbook keeps all ten). */
    static const int cols[] = {COL_GOAL,      COL_MEASURE, COL_RECOVERY,
                               COL_FORECASTS, COL_COMMENT, COL_LINKS};
    char *fhead = ts_arena_strdup(s->a, "");
    for (int rd = 1; rd <= r->number && fhead; rd++)
        fhead = ts_arena_printf(s->a, "%s%s%s", fhead, rd > 1 ? "\n" : "",
                                sl_round_label(s, "col.forecast", rd));
    char *ghead =
        ts_arena_printf(s->a, "%s\n%s", sl_label(s, "col.theme"), sl_label(s, "col.goal"));
    if (fhead == NULL || ghead == NULL) {
        sl_no_memory(s, r->pos);
        return;
    }
    const char *heads[6] = {ghead, sl_label(s, "col.measure"), sl_label(s, "col.recovery"),
                            fhead, sl_label(s, "col.comment"), sl_label(s, "col.links")};
    sl_table_t t = {.head_style = "table-head", .cell_style = "table-cell", .marked = true};
    const ts_text_style *cs = sl_style(s, "table-cell");
    sl_table_begin(&t, &st, sect, PAD, cols, heads, 6, cs->leading * 4);
    for (size_t g = 0; g < r->n_goals && !s->failed; g++) {
        const ts_goal *goal = &r->goals[g];
        for (size_t i = 0; i < goal->n_measures && !s->failed; i++) {
            const ts_measure *m = &goal->measures[i];
            sl_cell c[6];
            sl_cells_empty(c, 6);

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
            c[1].name = &m->name;
            c[1].name_style = TS_RUN_BOLD;

            c[2].flow =
                sl_plain(s, ts_label_bool(s->lb, m->recovery), cs, sl_table_text_w(&t, 2, false));

            sl_bb fb = {.s = s};
            ts_status *marks = ts_arena_calloc(s->a, 3, sizeof *marks);
            size_t n_marks = 0;
            const ts_forecast *cur = ts_measure_current(r, m);
            for (int rd = 1; rd <= r->number && marks; rd++) {
                ts_status stt = TS_STATUS_NONE;
                sl_round_status(s, m, rd, &stt);
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

const sl_kind sl_measure_table = SL_KIND("table", frames, lengths, false, compose);
