/* A small round built in memory for the workbook's unit tests (no parser needed): two themes,
 * three goals (the first with two measures), round 2 of 2020, a summary, tasks.  Each element
 * has its own line number so that a test can check where a diagnostic points. */
#ifndef WB_FIXTURE_H
#define WB_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "writer/writer.h"
#include "layout/labels.h"
#include "layout/layout.h"
#include "round/model.h"

static inline ts_inline wb_inline(ts_arena *a, const char *text, unsigned style, uint32_t line)
{
    ts_run *r = ts_arena_calloc(a, 1, sizeof *r);
    r->text = ts_arena_strdup(a, text);
    r->len = strlen(text);
    r->style = style;
    r->pos = (ts_pos){line, 5};
    return (ts_inline){r, 1, (ts_pos){line, 3}};
}

/* Runs given as text, style pairs, ended by NULL. */
static inline ts_inline wb_runs(ts_arena *a, uint32_t line, const char *text, unsigned style,
                                const char *text2, unsigned style2, const char *text3,
                                unsigned style3)
{
    ts_run *r = ts_arena_calloc(a, 3, sizeof *r);
    size_t n = 0;
    const char *texts[3] = {text, text2, text3};
    unsigned styles[3] = {style, style2, style3};
    for (size_t i = 0; i < 3 && texts[i] != NULL; i++, n++)
        r[n] = (ts_run){texts[i], strlen(texts[i]), styles[i], NULL, {line, 5}};
    return (ts_inline){r, n, (ts_pos){line, 3}};
}

static inline ts_blocks wb_p(ts_arena *a, const char *text, uint32_t line)
{
    ts_block *b = ts_arena_calloc(a, 1, sizeof *b);
    b->kind = TS_BLOCK_P;
    b->text = wb_inline(a, text, 0, line);
    b->pos = (ts_pos){line, 3};
    return (ts_blocks){b, 1, true, {line, 3}};
}

static inline ts_blocks wb_blocks(const ts_block *b, size_t n, uint32_t line)
{
    return (ts_blocks){b, n, true, {line, 3}};
}

typedef struct wb_fixture {
    ts_arena *a;
    ts_diags diags;
    ts_round *round;
    const ts_layout *layout;
    const ts_labels *labels;
    ts_build_ctx ctx;
    ts_measure *m[4];
    ts_goal *goals;
} wb_fixture;

static inline void wb_round(wb_fixture *f, ts_lang lang)
{
    ts_arena *a = f->a;
    ts_round *r = ts_arena_calloc(a, 1, sizeof *r);
    f->round = r;
    r->file = "round.xml";
    r->format = 1;
    r->year = 2020;
    r->number = 2;
    r->date = (ts_date){2020, 10, 12};
    r->lang = lang;
    r->city = "Helsinki";
    r->division = "Kulttuurin ja vapaa-ajan toimiala";
    r->division_short = "Kuva";
    r->arena = NULL;

    ts_theme *th = ts_arena_calloc(a, 2, sizeof *th);
    th[0] = (ts_theme){"t1", wb_inline(a, "Maailman toimivin kaupunki", 0, 5), {5, 5}};
    th[1] = (ts_theme){"t2", wb_inline(a, "Uudistuvat palvelut", 0, 6), {6, 5}};
    r->themes = th;
    r->n_themes = 2;

    ts_programme *pr = ts_arena_calloc(a, 3, sizeof *pr);
    pr[0] = (ts_programme){
        "p1", TS_PROGRAMME_CITY_PROJECT, wb_inline(a, "Liikkumisohjelma", 0, 9), {9, 5}};
    pr[1] = (ts_programme){"p2",
                           TS_PROGRAMME_JOINT_THEME,
                           wb_inline(a, "Hyvinvoinnin ja terveyden edistäminen", 0, 10),
                           {10, 5}};
    pr[2] = (ts_programme){
        "p3", TS_PROGRAMME_SEPARATE, wb_inline(a, "Päästövähennysohjelma", 0, 11), {11, 5}};
    r->programmes = pr;
    r->n_programmes = 3;

    ts_goal *g = ts_arena_calloc(a, 3, sizeof *g);
    f->goals = g;
    ts_measure *ms = ts_arena_calloc(a, 4, sizeof *ms);
    for (int i = 0; i < 4; i++)
        f->m[i] = &ms[i];

    /* Goal 1 (theme 1): two measures. */
    g[0].id = "g1";
    g[0].theme = &th[0];
    g[0].statement = wb_inline(a, "Palveluja parannetaan", 0, 20);
    g[0].description = wb_p(a, "Toimiala käyttää yhteisiä välineitä.", 21);
    g[0].measures = &ms[0];
    g[0].n_measures = 2;
    g[0].pos = (ts_pos){19, 3};
    /* Goal 2 (theme 1 too): one measure. */
    g[1].id = "g2";
    g[1].theme = &th[0];
    g[1].statement = wb_inline(a, "Koko kaupunki on oppimisen paikka", 0, 60);
    g[1].measures = &ms[2];
    g[1].n_measures = 1;
    g[1].pos = (ts_pos){59, 3};
    /* Goal 3 (theme 2). */
    g[2].id = "g3";
    g[2].theme = &th[1];
    g[2].statement = wb_inline(a, "Liikkeelle", 0, 90);
    g[2].measures = &ms[3];
    g[2].n_measures = 1;
    g[2].pos = (ts_pos){89, 3};
    r->goals = g;
    r->n_goals = 3;
    r->n_measures = 4;

    /* m0: forecasts 1 and 2 (2 with text with a bold word), 70 %, two links, a target with two
     * tasks. */
    ms[0].id = "m0";
    ms[0].name = wb_inline(a, "Digitalisaatio", 0, 23);
    ms[0].text = wb_p(a, "Mittari: toimenpiteet on tehty.", 24);
    ms[0].recovery = true;
    ts_forecast *fc0 = ts_arena_calloc(a, 2, sizeof *fc0);
    fc0[0] = (ts_forecast){.round = 1, .status = TS_STATUS_ON_TRACK, .pos = {30, 7}};
    ts_block *fb = ts_arena_calloc(a, 1, sizeof *fb);
    fb->kind = TS_BLOCK_P;
    fb->text = wb_runs(a, 31, "Toteutuminen on ", 0, "epävarma", TS_RUN_BOLD, ".", 0);
    fc0[1] = (ts_forecast){.round = 2,
                           .status = TS_STATUS_AT_RISK,
                           .has_value = true,
                           .value = 70,
                           .unit = "%",
                           .text = wb_blocks(fb, 1, 31),
                           .pos = {31, 7}};
    ms[0].forecasts = fc0;
    ms[0].n_forecasts = 2;
    ms[0].by_round[1] = &fc0[0];
    ms[0].by_round[2] = &fc0[1];
    ms[0].comment = wb_p(a, "Kaikki edistyy.", 33);
    const ts_programme **links = ts_arena_calloc(a, 2, sizeof *links);
    links[0] = &pr[1];
    links[1] = &pr[0];
    ms[0].links = (const ts_programme *const *)links;
    ms[0].n_links = 2;
    ts_target *tg = ts_arena_calloc(a, 1, sizeof *tg);
    tg->title = wb_inline(a, "NUORET: yksi toimenpide", 0, 26);
    ts_task *tasks = ts_arena_calloc(a, 2, sizeof *tasks);
    tasks[0] =
        (ts_task){TS_TASK_DOING, 40, wb_inline(a, "Toimenpide valittu", 0, 27), {0}, {27, 9}};
    tasks[1] = (ts_task){TS_TASK_DONE,
                         -1,
                         wb_inline(a, "Toteutettu", 0, 28),
                         wb_p(a, "Saavutettu 30.4.2020.", 28),
                         {28, 9}};
    tg->tasks = tasks;
    tg->n_tasks = 2;
    ms[0].targets = tg;
    ms[0].n_targets = 1;
    ms[0].goal = &g[0];
    ms[0].pos = (ts_pos){22, 5};

    /* m1: only forecast 1: round 2 is "not reported". Its text is a nested list; its level
     * 12 kpl. */
    ms[1].id = "m1";
    ms[1].name = wb_inline(a, "Biennaali", 0, 41);
    ts_block *lists = ts_arena_calloc(a, 3, sizeof *lists);
    ts_list_item *ul_items = ts_arena_calloc(a, 2, sizeof *ul_items);
    ts_list_item *sub_items = ts_arena_calloc(a, 1, sizeof *sub_items);
    ts_list_item *ol_items = ts_arena_calloc(a, 2, sizeof *ol_items);
    sub_items[0].text = wb_inline(a, "alakohta", TS_RUN_ITALIC, 45);
    lists[1] = (ts_block){.kind = TS_BLOCK_UL, .items = sub_items, .n_items = 1};
    ul_items[0].text = wb_inline(a, "eka", 0, 44);
    ul_items[0].sublist = &lists[1];
    ul_items[1].text = wb_inline(a, "toka", 0, 46);
    lists[0] = (ts_block){.kind = TS_BLOCK_UL, .items = ul_items, .n_items = 2};
    ol_items[0].text = wb_inline(a, "yksi", 0, 48);
    ol_items[1].text = wb_inline(a, "kaksi", 0, 49);
    lists[2] = (ts_block){.kind = TS_BLOCK_OL, .items = ol_items, .n_items = 2};
    ts_block *text_blocks = ts_arena_calloc(a, 2, sizeof *text_blocks);
    text_blocks[0] = lists[0];
    text_blocks[1] = lists[2];
    ms[1].text = wb_blocks(text_blocks, 2, 43);
    ts_forecast *fc1 = ts_arena_calloc(a, 1, sizeof *fc1);
    fc1[0] = (ts_forecast){.round = 1, .status = TS_STATUS_ON_TRACK, .pos = {50, 7}};
    ms[1].forecasts = fc1;
    ms[1].n_forecasts = 1;
    ms[1].by_round[1] = &fc1[0];
    ts_level *lv1 = ts_arena_calloc(a, 1, sizeof *lv1);
    *lv1 = (ts_level){12, "kpl", {47, 7}};
    ms[1].level = lv1;
    ms[1].goal = &g[0];
    ms[1].index = 1;
    ms[1].pos = (ts_pos){40, 5};

    /* m2: achieved, 20 kpl. */
    ms[2].id = "m2";
    ms[2].name = wb_inline(a, "Kulttuurikeskukset", 0, 62);
    ms[2].text = wb_p(a, "Kävijät.", 63);
    ts_forecast *fc2 = ts_arena_calloc(a, 1, sizeof *fc2);
    fc2[0] = (ts_forecast){.round = 2,
                           .status = TS_STATUS_ACHIEVED,
                           .has_value = true,
                           .value = 20,
                           .unit = "kpl",
                           .pos = {66, 7}};
    ms[2].forecasts = fc2;
    ms[2].n_forecasts = 1;
    ms[2].by_round[2] = &fc2[0];
    ms[2].comment = (ts_blocks){.present = false, .pos = {0, 0}};
    ms[2].goal = &g[1];
    ms[2].index = 2;
    ms[2].pos = (ts_pos){61, 5};

    /* m3: off track at 72.5 %. */
    ms[3].id = "m3";
    ms[3].name = wb_inline(a, "Liikkumisohjelma", 0, 92);
    ms[3].text = wb_p(a, "Liikkuminen lisääntyy.", 93);
    ts_forecast *fc3 = ts_arena_calloc(a, 1, sizeof *fc3);
    fc3[0] = (ts_forecast){.round = 2,
                           .status = TS_STATUS_OFF_TRACK,
                           .has_value = true,
                           .value = 72.5,
                           .unit = "%",
                           .pos = {96, 7}};
    ms[3].forecasts = fc3;
    ms[3].n_forecasts = 1;
    ms[3].by_round[2] = &fc3[0];
    ms[3].goal = &g[2];
    ms[3].index = 3;
    ms[3].pos = (ts_pos){91, 5};

    /* The summary: theme 1's actions and indicators (one binding), and two programmes. */
    ts_summary *sum = ts_arena_calloc(a, 1, sizeof *sum);
    ts_theme_actions *ta = ts_arena_calloc(a, 1, sizeof *ta);
    ts_blocks *acts = ts_arena_calloc(a, 2, sizeof *acts);
    acts[0] = wb_p(a, "Hyödynnetään palautetta.", 111);
    acts[1] = wb_p(a, "Jatketaan pikapalautetta.", 112);
    ts_indicator *ind = ts_arena_calloc(a, 2, sizeof *ind);
    ind[0] = (ts_indicator){wb_p(a, "Parannetaan toimintatapoja", 113), true, {113, 7}};
    ind[1] = (ts_indicator){wb_p(a, "NPS-suositteluindeksi", 114), false, {114, 7}};
    *ta = (ts_theme_actions){&th[0], acts, 2, ind, 2, {110, 5}};
    ts_programme_actions *pa = ts_arena_calloc(a, 2, sizeof *pa);
    ts_blocks *pacts = ts_arena_calloc(a, 2, sizeof *pacts);
    pacts[0] = wb_p(a, "Lisätään tietoisuutta.", 121);
    pacts[1] = wb_p(a, "Osallistutaan suunnitelmaan.", 124);
    pa[0] = (ts_programme_actions){&pr[1], &pacts[1], 1, {123, 5}};
    pa[1] = (ts_programme_actions){&pr[0], &pacts[0], 1, {120, 5}};
    *sum = (ts_summary){ta, 1, pa, 2, {109, 3}};
    r->summary = sum;
}

static inline int wb_setup(wb_fixture *f, ts_lang lang)
{
    f->a = ts_arena_new(NULL);
    if (!ts_diags_init(&f->diags, NULL))
        return -1;
    f->layout = ts_layout_load(TEST_SOURCE_DIR "/layouts/helsinki.xml", TEST_SOURCE_DIR,
                               ts_slides_layout_needs(), f->a, &f->diags);
    f->labels = ts_labels_load(TEST_SOURCE_DIR "/layouts/labels", lang, f->a, &f->diags);
    if (f->layout == NULL || f->labels == NULL) {
        ts_diags_print(&f->diags, stdout);
        return -1;
    }
    wb_round(f, lang);
    f->ctx = (ts_build_ctx){.round = f->round,
                            .layout = f->layout,
                            .labels = f->labels,
                            .data_dir = TEST_SOURCE_DIR,
                            .now = 1602504000 /* 2020-10-12 12:00Z */};
    return 0;
}

static inline void wb_teardown(wb_fixture *f)
{
    ts_diags_free(&f->diags);
    ts_arena_free(f->a);
}

#endif
