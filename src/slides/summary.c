/* The summary (outputs.md §1.5): the actions by theme and by programme. */
#include "slides/kinds.h"
#include "slides/table.h"

enum { BODY = SL_OWN, PAD, COL3_A, COL3_B, COL3_C, COL2_A, COL2_B };
static const ts_frame_need frames[] = {
    SL_TITLE_FRAMES,
    [BODY] = {"body", TS_FRAME_FLOW, {"table-cell", "heading"}},
    [PAD] = {"pad", TS_FRAME_PAD, {0}},
    [COL3_A] = {"col3.a", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL3_B] = {"col3.b", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL3_C] = {"col3.c", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL2_A] = {"col2.a", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
    [COL2_B] = {"col2.b", TS_FRAME_COLUMN, {"table-cell", "table-head"}},
};
static const ts_length_need lengths[] = {SL_TABLE_LENGTHS};

static void programme_table(sl *s, sl_stack *st, ts_elem *sect, ts_programme_kind kind,
                            const char *head_key, const char *actions_key)
{
    const ts_summary *sum = s->r->summary;
    bool any = false;
    for (size_t i = 0; i < sum->n_programme_actions; i++)
        any |= sum->programme_actions[i].programme->kind == kind;
    if (!any)
        return;
    static const int cols[] = {COL2_A, COL2_B};
    const char *heads[2] = {sl_label(s, head_key), sl_label(s, actions_key)};
    const ts_text_style *cs = sl_style(s, "table-cell");
    sl_table_t t = {0};
    sl_table_begin(&t, st, sect, PAD, cols, heads, 2, cs->leading * 2);
    for (size_t i = 0; i < sum->n_programme_actions && !s->failed; i++) {
        const ts_programme_actions *pa = &sum->programme_actions[i];
        if (pa->programme->kind != kind)
            continue;
        sl_cell c[2] = {{.link_page = -1, .header = true}, {.link_page = -1}};
        c[0].flow = sl_inline(s, &pa->programme->name, cs, sl_table_text_w(&t, 0, false));
        c[0].name = &pa->programme->name;
        sl_bb b = {.s = s};
        for (size_t k = 0; k < pa->n_actions; k++)
            sl_bb_blocks(&b, &pa->actions[k]);
        ts_blocks bl = sl_bb_done(&b);
        c[1].flow = sl_blocks(s, &bl, cs, sl_table_text_w(&t, 1, false));
        sl_table_row(&t, c);
    }
    sl_table_end(&t);
}

static void compose(sl *s, sl_deck *deck)
{
    (void)deck;
    if (s->r->summary == NULL)
        return;
    const ts_summary *sum = s->r->summary;
    const char *title = sl_labelf(s, "summary.title", -1);
    sl_stack st;
    ts_elem *sect = sl_table_section(s, &st, &sl_summary, BODY, title);
    const ts_text_style *cs = sl_style(s, "table-cell");
    if (sum->n_theme_actions > 0) {
        static const int cols[] = {COL3_A, COL3_B, COL3_C};
        const char *heads[3] = {sl_label(s, "summary.themes"), sl_label(s, "summary.theme-actions"),
                                sl_label(s, "summary.indicators")};
        sl_table_t t = {0};
        sl_table_begin(&t, &st, sect, PAD, cols, heads, 3, cs->leading * 2);
        for (size_t i = 0; i < sum->n_theme_actions && !s->failed; i++) {
            const ts_theme_actions *ta = &sum->theme_actions[i];
            sl_cell c[3] = {
                {.link_page = -1, .header = true}, {.link_page = -1}, {.link_page = -1}};
            c[0].flow = sl_inline(s, &ta->theme->name, cs, sl_table_text_w(&t, 0, false));
            c[0].name = &ta->theme->name;
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

const sl_kind sl_summary = SL_KIND("summary", frames, lengths, false, compose);
