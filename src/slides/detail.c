/* The detailed progress (outputs.md §1.3): each target's tasks with their state and details. */
#include "slides/kinds.h"
#include "slides/table.h"

enum { BODY = SL_OWN, PAD, COL_TASK, COL_STATUS, COL_DETAIL };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [BODY] = {"body", TS_FRAME_FLOW, {"table-cell", "heading"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
    [COL_TASK] = {"col.task", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL_STATUS] = {"col.status", TS_FRAME_WORDS, {"table-cell", "table-head"}},
    [COL_DETAIL] = {"col.detail", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
};
static const ts_length_need lengths[] = {SL_TABLE_LENGTHS};

static bool has_details(const ts_target *t)
{
    for (size_t k = 0; k < t->n_tasks; k++)
        if (!sl_blocks_empty(&t->tasks[k].detail))
            return true;
    return false;
}

static void compose(sl *s, sl_deck *deck)
{
    const ts_measure *m = deck->m;
    ts_elem *sect = deck->sect;
    bool any = false;
    for (size_t i = 0; i < m->n_targets; i++)
        any |= has_details(&m->targets[i]);
    if (!any)
        return;
    sl_stack st;
    sl_open_stack(&st, s, &sl_detail, sl_label(s, "slide.detail"), sect, BODY, -1);
    static const int cols[] = {COL_TASK, COL_STATUS, COL_DETAIL};
    const char *heads[3] = {sl_label(s, "detail.task"), sl_label(s, "detail.status"),
                            sl_label(s, "detail.detail")};
    const ts_text_style *cs = sl_style(s, "table-cell");
    const ts_text_style *hs = sl_style(s, "heading");
    for (size_t i = 0; i < m->n_targets && !s->failed; i++) {
        const ts_target *t = &m->targets[i];
        if (!has_details(t))
            continue;
        /* The table is set up (not drawn) first, so that the heading keeps with its head and
         * its first row. */
        sl_table_t tb = {0};
        sl_table_begin(&tb, &st, sect, PAD, cols, heads, 3, cs->leading * 3);
        sl_cell(*rows)[3] = ts_arena_calloc(s->a, t->n_tasks, sizeof *rows);
        if (rows == NULL) {
            sl_no_memory(s, t->pos);
            return;
        }
        for (size_t k = 0; k < t->n_tasks && !s->failed; k++) {
            const ts_task *tk = &t->tasks[k];
            const ts_status_look *lk = &s->L->task_status[tk->status];
            sl_cell *c = rows[k];
            c[0] = (sl_cell){.link_page = -1, .header = true};
            c[1] = (sl_cell){.link_page = -1};
            c[2] = (sl_cell){.link_page = -1};
            ts_inline *title = ts_arena_calloc(s->a, 1, sizeof *title);
            if (title == NULL) {
                sl_no_memory(s, tk->pos);
                return;
            }
            *title = sl_numbered_title(s, tk, k + 1);
            c[0].flow = sl_inline(s, title, cs, sl_table_text_w(&tb, 0, false));
            c[0].name = title;
            const char *word = ts_label_task_status(s->lb, tk->status);
            char *sw = tk->progress >= 0
                           ? ts_arena_printf(s->a, "%s\n%d\u00a0%%", word, tk->progress)
                           : ts_arena_strdup(s->a, word);
            c[1].flow = sl_lines(s, sw ? sw : word, sl_style_in(s, "table-cell", lk->text),
                                 sl_table_text_w(&tb, 1, false));
            c[1].fill = lk;
            if (!sl_blocks_empty(&tk->detail))
                c[2].flow = sl_blocks(s, &tk->detail, cs, sl_table_text_w(&tb, 2, false));
        }
        if (s->failed)
            return;
        double first = t->n_tasks ? sl_table_row_h(&tb, rows[0]) : 0;
        double capacity = st.capacity - tb.head_h;
        sl_put_heading(&st, sect, "H3", sl_inline(s, &t->title, hs, st.w),
                       tb.head_h + (first <= capacity ? first : cs->leading * 3));
        for (size_t k = 0; k < t->n_tasks && !s->failed; k++)
            sl_table_row(&tb, rows[k]);
        sl_table_end(&tb);
    }
}

const sl_kind sl_detail = SL_KIND("detail", frames, lengths, true, compose);
