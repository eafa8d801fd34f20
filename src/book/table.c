/* The shared walk of the workbook: model + labels -> ts_table (see table.h). */
#include "book/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"
#include "core/locale.h"
#include "core/utf8.h"

/* ---- Building one cell's text ---------------------------------------------------------- */

typedef struct piece {
    const char *text;
    size_t len;
    unsigned style;
} piece;

typedef struct text_builder {
    ts_arena *a;
    ts_vec pieces; /* of piece */
    size_t lines;  /* lines started so far */
    bool oom;
} text_builder;

static void tb_add(text_builder *b, const char *text, size_t len, unsigned style)
{
    if (len == 0)
        return;
    piece *p = ts_vec_push(b->a, &b->pieces, sizeof *p);
    if (p == NULL) {
        b->oom = true;
        return;
    }
    *p = (piece){text, len, style & (TS_RUN_BOLD | TS_RUN_ITALIC)};
}

/* Starts a line: every line but the first is preceded by a line break, so a cell never has an
 * empty line (nor a trailing break). */
static void tb_line(text_builder *b)
{
    /* The break takes the style of what precedes it, so that it never splits a run. */
    if (b->lines++ > 0 && b->pieces.len > 0)
        tb_add(b, "\n", 1, ((const piece *)b->pieces.items)[b->pieces.len - 1].style);
}

static void tb_inline(text_builder *b, const ts_inline *in, unsigned extra_style)
{
    for (size_t i = 0; i < in->n_runs; i++)
        tb_add(b, in->runs[i].text, in->runs[i].len, in->runs[i].style | extra_style);
}

static void tb_list(text_builder *b, const ts_block *list, unsigned level)
{
    for (size_t i = 0; i < list->n_items; i++) {
        const ts_list_item *it = &list->items[i];
        tb_line(b);
        static const char spaces[] =
            "                                                                ";
        size_t indent = 2u * level < sizeof spaces - 1 ? 2u * level : sizeof spaces - 1;
        tb_add(b, spaces, indent, 0);
        if (list->kind == TS_BLOCK_OL) {
            char *label = ts_arena_printf(b->a, "%zu. ", i + 1);
            if (label == NULL)
                b->oom = true;
            else
                tb_add(b, label, strlen(label), 0);
        } else {
            tb_add(b, "\xE2\x80\xA2 ", 4, 0); /* "• " */
        }
        tb_inline(b, &it->text, 0);
        if (it->sublist != NULL)
            tb_list(b, it->sublist, level + 1);
    }
}

static void tb_blocks(text_builder *b, const ts_blocks *blocks)
{
    for (size_t i = 0; i < blocks->n; i++) {
        const ts_block *bl = &blocks->blocks[i];
        if (bl->kind == TS_BLOCK_P) {
            if (bl->text.n_runs == 0)
                continue; /* an empty paragraph would be an empty line */
            tb_line(b);
            tb_inline(b, &bl->text, 0);
        } else {
            tb_list(b, bl, 0);
        }
    }
}

static void tb_plain_line(text_builder *b, const char *s)
{
    tb_line(b);
    tb_add(b, s, strlen(s), 0);
}

typedef struct walk {
    const ts_build_ctx *ctx;
    const ts_labels *labels;
    ts_arena *a;
    ts_diags *diags;
    const char *file;
    ts_rc rc;
    /* Formulas and charts name rows of the walk, one a measure (or status); printing whole gives
     * a row that continues more rows of the sheet.  So the rows they name are moved to the sheet's
     * after it is printed: row_map[sheet][r] is the sheet row where row r of the walk starts
     * (and row_map[sheet][n_rows] the sheet's rows). */
    ts_vec formulas; /* of formula_ref */
    ts_vec charts;   /* of chart_ref */
    size_t *row_map[TS_TABLE_MAX_SHEETS];
} walk;

/* A chart of sheet `sheet`, and its series, to place. */
typedef struct chart_ref {
    ts_chart *chart;
    ts_chart_series *series;
    size_t sheet;
} chart_ref;

/* A formula whose range lies on sheet `sheet` of the table. */
typedef struct formula_ref {
    ts_formula *formula;
    size_t sheet;
} formula_ref;

static void out_of_memory(walk *w)
{
    if (w->rc != TS_SYSTEM_ERROR)
        ts_diag_fault(w->diags, w->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory while preparing the workbook");
    w->rc = TS_SYSTEM_ERROR;
}

void ts_column_name(size_t col, char out[4])
{
    if (col < 26) {
        out[0] = (char)('A' + col);
        out[1] = '\0';
    } else {
        out[0] = (char)('A' + col / 26 - 1);
        out[1] = (char)('A' + col % 26);
        out[2] = '\0';
    }
}

/* Turns the builder's pieces into the cell's runs (adjacent pieces of one style joined) and
 * checks the length against the spreadsheet limit. */
static void tb_finish(walk *w, text_builder *b, ts_cell *cell, const ts_sheet *sheet, size_t col,
                      ts_pos pos)
{
    if (b->oom) {
        out_of_memory(w);
        return;
    }
    cell->pos = pos;
    const piece *ps = b->pieces.items;
    size_t n = b->pieces.len;
    if (n == 0) {
        cell->kind = TS_CELL_EMPTY;
        return;
    }
    size_t total = 0, n_runs = 0;
    for (size_t i = 0; i < n; i++) {
        total += ps[i].len;
        if (i == 0 || ps[i].style != ps[i - 1].style)
            n_runs++;
    }
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ts_utf8_count(ps[i].text, ps[i].len);
    if (chars > TS_CELL_MAX_CHARS) {
        char cn[4];
        ts_column_name(col, cn);
        ts_diag_add(w->diags, w->file, pos, TS_ERROR,
                    "the text of this element makes a cell of %zu characters (sheet \"%s\", "
                    "column %s); a spreadsheet cell holds at most %d; hint: shorten the text or "
                    "split it",
                    chars, sheet->name, cn, TS_CELL_MAX_CHARS);
        if (w->rc == TS_OK)
            w->rc = TS_INPUT_ERROR;
        cell->kind = TS_CELL_EMPTY;
        return;
    }
    char *text = ts_arena_alloc(w->a, total + 1);
    ts_cell_run *runs = ts_arena_calloc(w->a, n_runs, sizeof *runs);
    if (text == NULL || runs == NULL) {
        out_of_memory(w);
        return;
    }
    size_t off = 0, r = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && ps[i].style == ps[i - 1].style) {
            runs[r - 1].len += ps[i].len;
        } else {
            runs[r++] = (ts_cell_run){text + off, ps[i].len, ps[i].style};
        }
        memcpy(text + off, ps[i].text, ps[i].len);
        off += ps[i].len;
    }
    text[total] = '\0';
    cell->kind = TS_CELL_TEXT;
    cell->runs = runs;
    cell->n_runs = n_runs;
    cell->text = text;
    cell->len = total;
}

/* ---- Sheets ---------------------------------------------------------------------------- */

static bool sheet_init(walk *w, ts_sheet *s, const char *name, size_t n_cols, size_t n_rows,
                       const double *widths)
{
    s->name = name;
    s->n_cols = n_cols;
    s->n_rows = n_rows;
    s->widths = widths;
    s->header_rows = 1;
    s->cells = ts_arena_calloc(w->a, n_rows * n_cols, sizeof *s->cells);
    if (s->cells == NULL) {
        out_of_memory(w);
        return false;
    }
    for (size_t i = 0; i < n_rows * n_cols; i++)
        s->cells[i].row_span = 1;
    return true;
}

static ts_cell *cell_at(ts_sheet *s, size_t row, size_t col)
{
    return &s->cells[row * s->n_cols + col];
}

static void set_plain(walk *w, ts_sheet *s, size_t row, size_t col, const char *text, bool head)
{
    text_builder b = {.a = w->a};
    if (text != NULL && text[0] != '\0')
        tb_plain_line(&b, text);
    ts_cell *c = cell_at(s, row, col);
    tb_finish(w, &b, c, s, col, (ts_pos){0, 0});
    c->head = head;
}

static void set_head_row(walk *w, ts_sheet *s, size_t row, const char *const *heads, size_t n)
{
    for (size_t c = 0; c < n; c++)
        set_plain(w, s, row, c, heads[c], true);
}

static void merge_down(ts_sheet *s, size_t first, size_t last, size_t col)
{
    if (last <= first)
        return;
    cell_at(s, first, col)->row_span = (uint32_t)(last - first + 1);
    for (size_t r = first + 1; r <= last; r++) {
        ts_cell *c = cell_at(s, r, col);
        *c = (ts_cell){.kind = TS_CELL_EMPTY, .covered = true, .row_span = 1, .pos = c->pos};
    }
}

static void set_number(ts_cell *c, double value, const char *unit, ts_pos pos)
{
    c->kind = TS_CELL_NUMBER;
    c->pos = pos;
    c->unit = unit;
    if (unit != NULL && strcmp(unit, "%") == 0) {
        c->decimals = ts_decimals_of(value);
        c->number = value / 100.0;
    } else {
        c->decimals = ts_decimals_of(value);
        c->number = value;
    }
}

static void measures_sheet(walk *w, ts_sheet *s)
{
    const ts_round *r = w->ctx->round;
    const ts_labels *l = w->labels;
    if (!sheet_init(w, s, ts_label(l, "sheet.measures"), 10, r->n_measures + 1,
                    w->ctx->layout->workbook.measure_widths))
        return;
    s->autofilter = true;
    const char *heads[10] = {
        ts_label(l, "col.theme"),
        ts_label(l, "col.goal"),
        ts_label(l, "col.measure"),
        ts_label(l, "col.recovery"),
        ts_label_fmt(l, w->a, "col.forecast", r->year, 1, -1),
        ts_label_fmt(l, w->a, "col.forecast", r->year, 2, -1),
        ts_label_fmt(l, w->a, "col.forecast", r->year, 3, -1),
        ts_label(l, "col.comment"),
        ts_label(l, "col.value"),
        ts_label(l, "col.links"),
    };
    for (size_t i = 0; i < 10; i++)
        if (heads[i] == NULL)
            return out_of_memory(w);
    set_head_row(w, s, 0, heads, 10);

    size_t row = 1, theme_first = 1;
    for (size_t g = 0; g < r->n_goals; g++) {
        const ts_goal *goal = &r->goals[g];
        size_t goal_first = row;
        for (size_t mi = 0; mi < goal->n_measures; mi++, row++) {
            const ts_measure *m = &goal->measures[mi];
            text_builder b = {.a = w->a};
            if (mi == 0) {
                tb_line(&b);
                tb_inline(&b, &goal->theme->name, 0);
                tb_finish(w, &b, cell_at(s, row, 0), s, 0, goal->theme->pos);

                b = (text_builder){.a = w->a};
                tb_line(&b);
                tb_inline(&b, &goal->statement, TS_RUN_BOLD);
                tb_blocks(&b, &goal->description);
                tb_finish(w, &b, cell_at(s, row, 1), s, 1, goal->pos);
            }

            /* The measure's name in bold, then its text, as the table slides show it. */
            b = (text_builder){.a = w->a};
            tb_line(&b);
            tb_inline(&b, &m->name, TS_RUN_BOLD);
            tb_blocks(&b, &m->text);
            tb_finish(w, &b, cell_at(s, row, 2), s, 2, m->text.pos);

            set_plain(w, s, row, 3, ts_label_bool(l, m->recovery), false);
            cell_at(s, row, 3)->pos = m->pos;

            for (int round = 1; round <= 3; round++) {
                ts_cell *c = cell_at(s, row, 3 + (size_t)round);
                if (round > r->number)
                    continue;
                const ts_forecast *f = m->by_round[round];
                /* The status word in bold, so that it stands out of a text after it. */
                b = (text_builder){.a = w->a};
                const char *word = ts_label_status(l, f ? f->status : TS_STATUS_NONE);
                tb_line(&b);
                tb_add(&b, word, strlen(word), TS_RUN_BOLD);
                size_t word_only = b.lines;
                if (f != NULL)
                    tb_blocks(&b, &f->text);
                bool with_text = b.lines > word_only;
                tb_finish(w, &b, c, s, 3 + (size_t)round, f ? f->pos : m->pos);
                c->fill = TS_FILL_STATUS;
                c->fill_index = f ? (int)f->status : (int)TS_STATUS_NONE;
                c->tint = with_text;
            }

            b = (text_builder){.a = w->a};
            tb_blocks(&b, &m->comment);
            tb_finish(w, &b, cell_at(s, row, 7), s, 7, m->comment.pos);

            const ts_forecast *cur = ts_measure_current(r, m);
            if (cur != NULL && cur->has_value)
                set_number(cell_at(s, row, 8), cur->value, cur->unit, cur->pos);

            b = (text_builder){.a = w->a};
            for (size_t k = 0; k < m->n_links; k++) {
                tb_line(&b);
                tb_inline(&b, &m->links[k]->name, 0);
            }
            tb_finish(w, &b, cell_at(s, row, 9), s, 9, m->pos);
        }
        if (w->rc == TS_SYSTEM_ERROR)
            return;
        merge_down(s, goal_first, row - 1, 1);
        /* The theme cell spans every consecutive goal of the same theme. */
        bool theme_ends = g + 1 == r->n_goals || r->goals[g + 1].theme != goal->theme;
        if (theme_ends) {
            /* Covers the theme cells written at the later goals' first rows. */
            merge_down(s, theme_first, row - 1, 0);
            theme_first = row;
        }
    }
}

static void blocks_list_cell(walk *w, ts_sheet *s, size_t row, size_t col, const ts_blocks *list,
                             size_t n, ts_pos pos)
{
    text_builder b = {.a = w->a};
    for (size_t i = 0; i < n; i++)
        tb_blocks(&b, &list[i]);
    tb_finish(w, &b, cell_at(s, row, col), s, col, pos);
}

static void summary_sheet(walk *w, ts_sheet *s)
{
    const ts_round *r = w->ctx->round;
    const ts_summary *sum = r->summary;
    const ts_labels *l = w->labels;
    static const ts_programme_kind order[3] = {TS_PROGRAMME_CITY_PROJECT, TS_PROGRAMME_SEPARATE,
                                               TS_PROGRAMME_JOINT_THEME};
    size_t per_kind[3] = {0, 0, 0};
    for (size_t i = 0; i < sum->n_programme_actions; i++)
        for (int k = 0; k < 3; k++)
            if (sum->programme_actions[i].programme->kind == order[k])
                per_kind[k]++;
    /* The theme table, then each programme table that has rows, each after an empty row and
     * with its own head row (as seed 000 prints them). */
    size_t n_rows = 1 + sum->n_theme_actions;
    for (int k = 0; k < 3; k++)
        if (per_kind[k] > 0)
            n_rows += 2 + per_kind[k];
    if (!sheet_init(w, s, ts_label(l, "sheet.summary"), 3, n_rows,
                    w->ctx->layout->workbook.summary_widths))
        return;
    /* Its tables have heads of their own further down: a frozen or repeated first head would
     * stand over the wrong table. */
    s->header_rows = 0;
    const char *theme_heads[3] = {ts_label(l, "summary.themes"),
                                  ts_label(l, "summary.theme-actions"),
                                  ts_label(l, "summary.indicators")};
    set_head_row(w, s, 0, theme_heads, 3);
    size_t row = 1;
    for (size_t i = 0; i < sum->n_theme_actions; i++, row++) {
        const ts_theme_actions *ta = &sum->theme_actions[i];
        text_builder b = {.a = w->a};
        tb_line(&b);
        tb_inline(&b, &ta->theme->name, 0);
        tb_finish(w, &b, cell_at(s, row, 0), s, 0, ta->pos);
        blocks_list_cell(w, s, row, 1, ta->actions, ta->n_actions, ta->pos);
        b = (text_builder){.a = w->a};
        for (size_t k = 0; k < ta->n_indicators; k++) {
            const ts_indicator *ind = &ta->indicators[k];
            size_t before = b.lines;
            tb_blocks(&b, &ind->text);
            if (ind->binding) {
                if (b.lines == before)
                    tb_line(&b);
                else
                    tb_add(&b, " ", 1, 0);
                const char *mark = ts_label(l, "summary.binding");
                tb_add(&b, mark, strlen(mark), 0);
            }
        }
        tb_finish(w, &b, cell_at(s, row, 2), s, 2, ta->pos);
    }
    static const char *const head_keys[3][2] = {
        {"summary.city-project", "summary.project-actions"},
        {"summary.separate-programme", "summary.actions"},
        {"summary.joint-theme", "summary.theme-actions-short"},
    };
    for (int k = 0; k < 3; k++) {
        if (per_kind[k] == 0)
            continue;
        row++; /* the empty row between tables */
        const char *heads[2] = {ts_label(l, head_keys[k][0]), ts_label(l, head_keys[k][1])};
        set_head_row(w, s, row++, heads, 2);
        for (size_t i = 0; i < sum->n_programme_actions; i++) {
            const ts_programme_actions *pa = &sum->programme_actions[i];
            if (pa->programme->kind != order[k])
                continue;
            text_builder b = {.a = w->a};
            tb_line(&b);
            tb_inline(&b, &pa->programme->name, 0);
            tb_finish(w, &b, cell_at(s, row, 0), s, 0, pa->pos);
            blocks_list_cell(w, s, row, 1, pa->actions, pa->n_actions, pa->pos);
            row++;
        }
    }
}

/* ---- Kehitys and Tilannekuva (issue 15) ------------------------------------------------ */

/* The Kehitys sheet's columns: theme, goal, measure, then per round its status and value, then the
 * level and the change. */
#define TREND_ROUND_COL(round) (3 + 2 * (size_t)((round)-1))
#define TREND_COLS(rounds)     (3 + 2 * (size_t)(rounds) + 2)

/* Its columns are of the kinds the other sheets have and take their widths from the layout: the
 * tasks sheet's theme, goal and measure (the same texts) and its status (a status word), the
 * measures sheet's numeric forecast (a value, a level) and its recovery column (a word). */
static double *trend_widths(walk *w, size_t rounds)
{
    const ts_workbook_layout *wl = &w->ctx->layout->workbook;
    size_t n = TREND_COLS(rounds);
    double *widths = ts_arena_calloc(w->a, n, sizeof *widths);
    if (widths == NULL)
        return NULL;
    widths[0] = wl->task_widths[0];
    widths[1] = wl->task_widths[1];
    widths[2] = wl->task_widths[2];
    for (size_t k = 0; k < rounds; k++) {
        widths[3 + 2 * k] = wl->task_widths[5];
        widths[4 + 2 * k] = wl->measure_widths[8];
    }
    widths[n - 2] = wl->measure_widths[8];
    widths[n - 1] = wl->measure_widths[3];
    return widths;
}

/* A status word alone in its cell, bold on its full colour, as the measures sheet shows it. */
static void set_status(walk *w, ts_sheet *s, size_t row, size_t col, ts_status status, ts_pos pos)
{
    const char *word = ts_label_status(w->labels, status);
    text_builder b = {.a = w->a};
    tb_line(&b);
    tb_add(&b, word, strlen(word), TS_RUN_BOLD);
    ts_cell *c = cell_at(s, row, col);
    tb_finish(w, &b, c, s, col, pos);
    c->fill = TS_FILL_STATUS;
    c->fill_index = (int)status;
}

static void set_inline(walk *w, ts_sheet *s, size_t row, size_t col, const ts_inline *in,
                       ts_pos pos)
{
    text_builder b = {.a = w->a};
    tb_line(&b);
    tb_inline(&b, in, 0);
    tb_finish(w, &b, cell_at(s, row, col), s, col, pos);
}

static const char *change_word(const ts_labels *l, ts_change c)
{
    switch (c) {
    case TS_CHANGE_IMPROVED:
        return ts_label(l, "change.improved");
    case TS_CHANGE_WORSENED:
        return ts_label(l, "change.worsened");
    case TS_CHANGE_SAME:
        return ts_label(l, "change.same");
    case TS_CHANGE_NONE:
        break;
    }
    return NULL;
}

/* One row per measure: theme, goal and measure on every row (a sheet to filter and sort, as the
 * tasks sheet), every round's status word and value, the level, and the change word. */
static void trend_sheet(walk *w, ts_sheet *s)
{
    const ts_round *r = w->ctx->round;
    const ts_labels *l = w->labels;
    size_t rounds = (size_t)r->number, n_cols = TREND_COLS(rounds);
    double *widths = trend_widths(w, rounds);
    if (widths == NULL)
        return out_of_memory(w);
    if (!sheet_init(w, s, ts_label(l, "sheet.trend"), n_cols, r->n_measures + 1, widths))
        return;
    s->autofilter = true;
    set_plain(w, s, 0, 0, ts_label(l, "trend.theme"), true);
    set_plain(w, s, 0, 1, ts_label(l, "trend.goal"), true);
    set_plain(w, s, 0, 2, ts_label(l, "trend.measure"), true);
    for (int round = 1; round <= r->number; round++) {
        char *status = ts_label_fmt(l, w->a, "trend.round", r->year, round, -1);
        char *value = ts_label_fmt(l, w->a, "trend.value", r->year, round, -1);
        if (status == NULL || value == NULL)
            return out_of_memory(w);
        set_plain(w, s, 0, TREND_ROUND_COL(round), status, true);
        set_plain(w, s, 0, TREND_ROUND_COL(round) + 1, value, true);
    }
    set_plain(w, s, 0, n_cols - 2, ts_label(l, "trend.level"), true);
    set_plain(w, s, 0, n_cols - 1, ts_label(l, "trend.change"), true);

    size_t row = 1;
    for (size_t g = 0; g < r->n_goals && w->rc != TS_SYSTEM_ERROR; g++) {
        const ts_goal *goal = &r->goals[g];
        for (size_t mi = 0; mi < goal->n_measures; mi++, row++) {
            const ts_measure *m = &goal->measures[mi];
            set_inline(w, s, row, 0, &goal->theme->name, goal->theme->pos);
            set_inline(w, s, row, 1, &goal->statement, goal->statement.pos);
            set_inline(w, s, row, 2, &m->name, m->name.pos);
            for (int round = 1; round <= r->number; round++) {
                const ts_forecast *f = m->by_round[round];
                size_t col = TREND_ROUND_COL(round);
                set_status(w, s, row, col, f ? f->status : TS_STATUS_NONE, f ? f->pos : m->pos);
                if (f != NULL && f->has_value)
                    set_number(cell_at(s, row, col + 1), f->value, f->unit, f->pos);
            }
            if (m->level != NULL)
                set_number(cell_at(s, row, n_cols - 2), m->level->value, m->level->unit,
                           m->level->pos);
            set_plain(w, s, row, n_cols - 1, change_word(l, ts_measure_change_now(r, m).change),
                      false);
            cell_at(s, row, n_cols - 1)->pos = m->pos;
        }
    }
}

/* The chart's size, in pt: the legend's words and the value axis, and a column of about 80 pt
 * per round with its gap (a round 1's one column as wide as three rounds' would be a block); as
 * high as a column needs to show a count of one in a round of some thirty measures.  On A3
 * landscape it takes about half of the printed page's width at most. */
#define PICTURE_CHART_W(rounds) (260.0 + 85.0 * (double)(rounds))
#define PICTURE_CHART_H         320.0

/* COUNTIF's criterion for a text: wildcards are on in both applications (LibreOffice's as the
 * ODS sets them), so "*", "?" and "~" are escaped with "~", and a text that starts with a
 * comparison gets "=" before it. */
static char *countif_criterion(ts_arena *a, const char *text)
{
    size_t n = strlen(text);
    char *out = ts_arena_alloc(a, 2 * n + 2);
    if (out == NULL)
        return NULL;
    char *p = out;
    if (text[0] == '=' || text[0] == '<' || text[0] == '>')
        *p++ = '=';
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '*' || text[i] == '?' || text[i] == '~')
            *p++ = '~';
        *p++ = text[i];
    }
    *p = '\0';
    return out;
}

/* A formula's range that runs to its sheet's last row, whichever it is once printed. */
#define TO_THE_END SIZE_MAX

/* A step of 1, 2 or 5 times a power of ten that divides `max` into at most ten steps. */
static double axis_step(size_t max)
{
    double step = 1;
    for (;;) {
        for (int k = 0; k < 3; k++) {
            static const double mult[3] = {1, 2, 5};
            if ((double)max / (step * mult[k]) <= 10)
                return step * mult[k];
        }
        step *= 10;
    }
}

static ts_formula *add_formula(walk *w, ts_cell *c, ts_formula f, size_t sheet, double value)
{
    ts_formula *nf = ts_arena_calloc(w->a, 1, sizeof *nf);
    formula_ref *ref = ts_vec_push(w->a, &w->formulas, sizeof *ref);
    if (nf == NULL || ref == NULL) {
        out_of_memory(w);
        return NULL;
    }
    *nf = f;
    *ref = (formula_ref){nf, sheet};
    set_number(c, value, NULL, (ts_pos){0, 0});
    c->formula = nf;
    return nf;
}

/* The measures counted by status (rows, in the picture's order, then their total) and round
 * (columns): each count a COUNTIF of the round's status column on Kehitys, each total a SUM,
 * with the counts of the model stored; and their chart below. */
static void picture_sheet(walk *w, ts_sheet *s, size_t self, size_t trend, const char *trend_name)
{
    const ts_round *r = w->ctx->round;
    const ts_labels *l = w->labels;
    const ts_workbook_layout *wl = &w->ctx->layout->workbook;
    ts_status_counts counts[3];
    size_t rounds = ts_round_status_counts(r, counts);
    size_t n_cols = 1 + rounds, n_rows = 1 + TS_STATUS_COUNT + 1;
    double *widths = ts_arena_calloc(w->a, n_cols, sizeof *widths);
    ts_chart *chart = ts_arena_calloc(w->a, 1, sizeof *chart);
    ts_chart_series *series = ts_arena_calloc(w->a, TS_STATUS_COUNT, sizeof *series);
    const char **categories = ts_arena_calloc(w->a, rounds, sizeof *categories);
    if (widths == NULL || chart == NULL || series == NULL || categories == NULL)
        return out_of_memory(w);
    widths[0] = wl->task_widths[5];
    for (size_t k = 0; k < rounds; k++)
        widths[1 + k] = wl->measure_widths[8];
    if (!sheet_init(w, s, ts_label(l, "sheet.picture"), n_cols, n_rows, widths))
        return;
    set_plain(w, s, 0, 0, ts_label(l, "picture.status"), true);
    for (size_t k = 0; k < rounds; k++) {
        categories[k] = ts_label_fmt(l, w->a, "trend.round", r->year, (int)k + 1, -1);
        if (categories[k] == NULL)
            return out_of_memory(w);
        set_plain(w, s, 0, 1 + k, categories[k], true);
    }
    for (size_t i = 0; i < TS_STATUS_COUNT; i++) {
        ts_status st = ts_status_picture_order[i];
        size_t row = 1 + i;
        set_status(w, s, row, 0, st, (ts_pos){0, 0});
        const char *word = ts_label_status(l, st);
        char *criterion = countif_criterion(w->a, word);
        double *values = ts_arena_calloc(w->a, rounds, sizeof *values);
        if (criterion == NULL || values == NULL)
            return out_of_memory(w);
        for (size_t k = 0; k < rounds; k++) {
            values[k] = (double)counts[k].by_status[st];
            ts_formula f = {.fn = TS_FORMULA_COUNTIF,
                            .sheet = trend_name,
                            .col = TREND_ROUND_COL(k + 1),
                            .first_row = 1,
                            .last_row = TO_THE_END,
                            .criterion = criterion};
            if (add_formula(w, cell_at(s, row, 1 + k), f, trend, values[k]) == NULL)
                return;
        }
        series[i] = (ts_chart_series){row, word, st, values};
    }
    text_builder b = {.a = w->a};
    const char *total = ts_label(l, "picture.total");
    tb_line(&b);
    tb_add(&b, total, strlen(total), TS_RUN_BOLD);
    tb_finish(w, &b, cell_at(s, n_rows - 1, 0), s, 0, (ts_pos){0, 0});
    for (size_t k = 0; k < rounds; k++) {
        ts_formula f = {
            .fn = TS_FORMULA_SUM, .col = 1 + k, .first_row = 1, .last_row = TS_STATUS_COUNT};
        if (add_formula(w, cell_at(s, n_rows - 1, 1 + k), f, self, (double)r->n_measures) == NULL)
            return;
    }

    /* The alternative text gives every number: "Title. Ennuste 1/2020: Toteutunut 1, Toteutuu 2,
     * …, Ei raportoitu 0. Ennuste 2/2020: …" (a few rounds of five words: joined as it goes). */
    chart->title = ts_label_fmt(l, w->a, "picture.title", r->year, -1, -1);
    if (chart->title == NULL)
        return out_of_memory(w);
    char *desc = ts_arena_printf(w->a, "%s.", chart->title);
    for (size_t k = 0; k < rounds && desc != NULL; k++) {
        desc = ts_arena_printf(w->a, "%s %s:", desc, categories[k]);
        for (size_t i = 0; i < TS_STATUS_COUNT && desc != NULL; i++)
            desc = ts_arena_printf(w->a, "%s %s %zu%s", desc, series[i].name,
                                   counts[k].by_status[series[i].status],
                                   i + 1 == TS_STATUS_COUNT ? "." : ",");
    }
    if (desc == NULL)
        return out_of_memory(w);
    chart->description = desc;
    chart->value_title = ts_label(l, "picture.axis");
    chart->head_row = 0;
    chart->name_col = 0;
    chart->first_col = 1;
    chart->last_col = rounds;
    chart->categories = categories;
    chart->series = series;
    chart->n_series = TS_STATUS_COUNT;
    chart->axis_step = axis_step(r->n_measures);
    chart->axis_max = ceil((double)r->n_measures / chart->axis_step) * chart->axis_step;
    chart->anchor_col = 0;
    chart->width = PICTURE_CHART_W(rounds);
    chart->height = PICTURE_CHART_H;
    chart_ref *ref = ts_vec_push(w->a, &w->charts, sizeof *ref);
    if (ref == NULL)
        return out_of_memory(w);
    *ref = (chart_ref){chart, series, self};
    s->chart = chart;
}

static void tasks_sheet(walk *w, ts_sheet *s)
{
    const ts_round *r = w->ctx->round;
    const ts_labels *l = w->labels;
    size_t n_tasks = 0;
    for (size_t g = 0; g < r->n_goals; g++)
        for (size_t mi = 0; mi < r->goals[g].n_measures; mi++)
            for (size_t t = 0; t < r->goals[g].measures[mi].n_targets; t++)
                n_tasks += r->goals[g].measures[mi].targets[t].n_tasks;
    if (!sheet_init(w, s, ts_label(l, "sheet.tasks"), 8, n_tasks + 1,
                    w->ctx->layout->workbook.task_widths))
        return;
    s->autofilter = true;
    const char *heads[8] = {ts_label(l, "tasks.theme"),    ts_label(l, "tasks.goal"),
                            ts_label(l, "tasks.measure"),  ts_label(l, "tasks.target"),
                            ts_label(l, "tasks.task"),     ts_label(l, "tasks.status"),
                            ts_label(l, "tasks.progress"), ts_label(l, "tasks.detail")};
    set_head_row(w, s, 0, heads, 8);
    size_t row = 1;
    for (size_t g = 0; g < r->n_goals && w->rc != TS_SYSTEM_ERROR; g++) {
        const ts_goal *goal = &r->goals[g];
        for (size_t mi = 0; mi < goal->n_measures; mi++) {
            const ts_measure *m = &goal->measures[mi];
            for (size_t t = 0; t < m->n_targets; t++) {
                const ts_target *tg = &m->targets[t];
                for (size_t k = 0; k < tg->n_tasks; k++, row++) {
                    const ts_task *task = &tg->tasks[k];
                    const ts_inline *texts[5] = {&goal->theme->name, &goal->statement, &m->name,
                                                 &tg->title, &task->title};
                    const ts_pos poss[5] = {goal->theme->pos, goal->statement.pos, m->name.pos,
                                            tg->title.pos, task->title.pos};
                    for (size_t c = 0; c < 5; c++) {
                        text_builder b = {.a = w->a};
                        tb_line(&b);
                        tb_inline(&b, texts[c], 0);
                        tb_finish(w, &b, cell_at(s, row, c), s, c, poss[c]);
                    }
                    set_plain(w, s, row, 5, ts_label_task_status(l, task->status), false);
                    ts_cell *st = cell_at(s, row, 5);
                    st->fill = TS_FILL_TASK;
                    st->fill_index = (int)task->status;
                    st->pos = task->pos;
                    if (task->progress >= 0)
                        set_number(cell_at(s, row, 6), task->progress, "%", task->pos);
                    text_builder b = {.a = w->a};
                    tb_blocks(&b, &task->detail);
                    tb_finish(w, &b, cell_at(s, row, 7), s, 7, task->detail.pos);
                }
            }
        }
    }
}

/* ---- Colours -------------------------------------------------------------------------- */

/* A tint keeps this share of the status colour over white, or less where that is still dark:
 * black text on it keeps a contrast of 16:1 or more, and it prints as a light grey. */
#define TINT_SHARE         0.25
#define TINT_MIN_LUMINANCE 0.75

static double linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(ts_rgb c)
{
    return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

static ts_rgb tint_of(ts_rgb c)
{
    ts_rgb t = c;
    for (double share = TINT_SHARE; share > 0; share -= 0.01) {
        t = (ts_rgb){1 - share * (1 - c.r), 1 - share * (1 - c.g), 1 - share * (1 - c.b)};
        if (luminance(t) >= TINT_MIN_LUMINANCE)
            return t;
    }
    return (ts_rgb){1, 1, 1};
}

bool ts_cell_colours(const ts_layout *l, bool head, ts_cell_fill fill, int fill_index, bool tint,
                     ts_rgb *fill_rgb, ts_rgb *text_rgb)
{
    const ts_status_look *look = NULL;
    if (head) {
        *fill_rgb = l->workbook.header_fill;
        *text_rgb = l->workbook.header_text;
        return true;
    }
    if (fill == TS_FILL_STATUS && fill_index >= 0 && fill_index < 5)
        look = &l->status[fill_index];
    else if (fill == TS_FILL_TASK && fill_index >= 0 && fill_index < 3)
        look = &l->task_status[fill_index];
    if (look == NULL)
        return false;
    if (tint) {
        *fill_rgb = tint_of(look->fill);
        *text_rgb = (ts_rgb){0, 0, 0};
    } else {
        *fill_rgb = look->fill;
        *text_rgb = look->text;
    }
    return true;
}

/* ---- Printing whole -------------------------------------------------------------------- */

/* Every row gets a height from its text.  Excel shows a row of an XLSX at the height the file
 * gives (a row without one stays one line high in LibreOffice); neither Excel nor LibreOffice
 * grows a row for the text of a merged cell that covers it, and neither splits a row between
 * pages: a row lower than its text, or taller than the page, prints without the end of it.  So
 * each cell's text is wrapped here as the spreadsheet wraps it, a cell too tall for one row is
 * split into cells one under another, and every row is as tall as the text of every cell that
 * starts in it. */

/* The text of a cell keeps off its edges and gridline: about 3 px of Excel's each side. */
#define CELL_TEXT_INSET_PX 6.0
/* A wrapped line of Arial 10 takes 17 px (12.75 pt) in Excel, its default row height; the same
 * ratio to the size for any size.  LibreOffice's lines of Liberation Sans are lower (10.6 pt in
 * an XLSX, 11.2 pt in an ODS, as printed). */
#define LINE_HEIGHT_PER_PT (12.75 / 10.0)
/* Room above the first line and below the last. */
#define ROW_PAD_PT 1.5
/* Excel and LibreOffice break the lines themselves, each with its own rules, and Excel with the
 * advances of the screen or the printer rounded to their pixels, a few percent off the font's:
 * lines are counted in a column this much narrower than the real one, so that where an
 * application gets a little less onto a line than the count does, the row still has room for
 * its lines.  (Against LibreOffice's printed lines of 1,400 cells in fi, sv and en, the count in
 * the full width was never short.) */
#define WRAP_WIDTH_SAFETY 0.92
/* What of a printed page a row may take beside the repeated head, the rest left for the
 * applications' own rounding of the scale that fits the sheet to the page's width. */
#define PAGE_SAFETY 0.95

/* The width, in pt, that text wraps to in a column `chars` characters wide.  Excel counts a
 * width in the maximum digit width of its default font, 7 px at 96 dpi, and adds 5 px:
 * trunc(7 w + 0.5) + 5 px (under one character, 12 px per character); 1 px is 0.75 pt.
 * LibreOffice gives an XLSX's and our ODS's columns the same widths. */
double ts_column_text_width(double chars)
{
    double px = chars < 1 ? floor(chars * 12 + 0.5) : floor(chars * 7 + 0.5) + 5;
    px -= CELL_TEXT_INSET_PX;
    return (px < 1 ? 1 : px) * 0.75;
}

/* A column's whole width in pt, as the page scale counts it. */
static double column_width_pt(double chars)
{
    return (chars < 1 ? floor(chars * 12 + 0.5) : floor(chars * 7 + 0.5) + 5) * 0.75;
}

/* Code points below this have their advance cached per face: every Latin, Greek, Cyrillic and
 * punctuation character the documents use. */
#define ADVANCE_CACHE 0x3000

typedef struct measurer {
    ts_font_metrics *loaded[2 * TS_FACE_COUNT];
    const ts_font_metrics *face[TS_FACE_COUNT], *fallback[TS_FACE_COUNT];
    int32_t *advance[TS_FACE_COUNT]; /* 1/1000 em; -1 until looked up */
    double size, line_h;
} measurer;

static void measurer_close(measurer *m)
{
    for (size_t i = 0; i < TS_FACE_COUNT; i++)
        free(m->advance[i]);
    for (size_t i = 0; i < 2 * TS_FACE_COUNT; i++)
        ts_fm_free(m->loaded[i]);
}

static bool same_name(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* The font files that have the advances of the spreadsheet's font, in face order, from the
 * shipped fonts/: Arial, and the fonts made with its advances (LibreOffice prints Arial with
 * Liberation Sans), are Liberation Sans; DejaVu Sans is itself (its italics slant the upright
 * shapes).  NULL for another font: then the layout's text fonts stand in. */
static const char *const *workbook_font_files(const char *name)
{
    static const char *const liberation[TS_FACE_COUNT] = {
        "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
        "LiberationSans-BoldItalic.ttf"};
    static const char *const dejavu[TS_FACE_COUNT] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf",
                                                      "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};
    static const char *const arial_like[] = {"Arial",     "Liberation Sans", "Arimo",
                                             "Helvetica", "Helvetica Neue",  NULL};
    if (name == NULL)
        return NULL;
    for (size_t i = 0; arial_like[i] != NULL; i++)
        if (same_name(name, arial_like[i]))
            return liberation;
    if (same_name(name, "DejaVu Sans"))
        return dejavu;
    return NULL;
}

static bool measurer_open(walk *w, measurer *m)
{
    const ts_layout *l = w->ctx->layout;
    *m = (measurer){0};
    const char *paths[2 * TS_FACE_COUNT];
    const ts_font_metrics *slot[2 * TS_FACE_COUNT] = {0};
    const char *const *own = workbook_font_files(l->workbook.font_name);
    for (size_t i = 0; i < TS_FACE_COUNT; i++) {
        paths[i] = l->font_files[i];
        paths[TS_FACE_COUNT + i] = l->fallback_files[i];
        if (own != NULL && w->ctx->data_dir != NULL) {
            paths[i] = ts_arena_printf(w->a, "%s/fonts/%s", w->ctx->data_dir, own[i]);
            if (paths[i] == NULL) {
                out_of_memory(w);
                return false;
            }
        }
    }
    for (size_t i = 0; i < 2 * TS_FACE_COUNT; i++) {
        if (paths[i] == NULL)
            continue; /* a face the layout leaves out is measured with the regular one */
        for (size_t k = 0; k < i && slot[i] == NULL; k++)
            if (paths[k] != NULL && strcmp(paths[k], paths[i]) == 0)
                slot[i] = slot[k]; /* a file named for two faces is read once */
        if (slot[i] != NULL)
            continue;
        m->loaded[i] = ts_fm_load(paths[i], w->diags);
        if (m->loaded[i] == NULL) {
            if (w->rc == TS_OK)
                w->rc = TS_SYSTEM_ERROR;
            measurer_close(m);
            return false;
        }
        slot[i] = m->loaded[i];
    }
    for (size_t i = 0; i < TS_FACE_COUNT; i++) {
        m->face[i] = slot[i] != NULL ? slot[i] : slot[TS_FACE_REGULAR];
        m->fallback[i] = slot[TS_FACE_COUNT + i] != NULL ? slot[TS_FACE_COUNT + i]
                                                         : slot[TS_FACE_COUNT + TS_FACE_REGULAR];
        m->advance[i] = malloc(ADVANCE_CACHE * sizeof *m->advance[i]);
        if (m->advance[i] == NULL) {
            measurer_close(m);
            out_of_memory(w);
            return false;
        }
        for (size_t cp = 0; cp < ADVANCE_CACHE; cp++)
            m->advance[i][cp] = -1;
    }
    m->size = l->workbook.font_size > 0 ? l->workbook.font_size : 10;
    m->line_h = m->size * LINE_HEIGHT_PER_PT;
    return true;
}

/* A character's advance in 1/1000 em: from the face, else the fallback font, else the width of
 * what a missing character is drawn as. */
static int32_t advance_of(measurer *m, ts_face face, uint32_t cp)
{
    if (cp < ADVANCE_CACHE && m->advance[face][cp] >= 0)
        return m->advance[face][cp];
    int32_t adv;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
        cp == 0x2060 || cp == 0xFEFF || (cp >= 0x300 && cp <= 0x36F)) {
        adv = 0; /* controls, zero-width characters and combining marks take no room */
    } else {
        const ts_font_metrics *fm = m->face[face];
        unsigned g = ts_fm_glyph(fm, cp);
        if (g == 0 && ts_fm_glyph(m->fallback[face], cp) != 0) {
            fm = m->fallback[face];
            g = ts_fm_glyph(fm, cp);
        }
        adv = ts_fm_advance(fm, g);
    }
    if (cp < ADVANCE_CACHE)
        m->advance[face][cp] = adv;
    return adv;
}

static uint32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
    unsigned c = s[*i];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0 || *i + n > len) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t cp = n == 1 ? c : c & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++) {
        if ((s[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[*i + k] & 0x3Fu);
    }
    *i += n;
    return cp;
}

/* Where a wrapped line of a cell's text starts: a byte offset into the cell's text, and
 * whether a line of the text (a paragraph, a list item) starts there. */
typedef struct line_start {
    size_t at;
    bool para;
} line_start;

/* Line filling as a spreadsheet does it, breaking only where Excel and LibreOffice both do: at
 * a space and at a line break of the text, so that a line is never counted shorter than theirs.
 * (LibreOffice also breaks after a hyphen or a dash, but not after the slashes of an address,
 * and Excel has its own rules.)  A word wider than the column is broken between two characters
 * (a spreadsheet never hyphenates).  Spaces at the end of a line take no room;
 * spaces at the start of a line of the text (a list's indent) do.  With `starts`, where each
 * line starts is recorded. */
typedef struct wrap {
    int64_t limit; /* the column, 1/1000 em */
    int64_t line;  /* what the current line holds */
    int64_t space; /* spaces after it, counted when a word follows on the same line */
    int64_t word;  /* the word being read */
    size_t word_at;
    bool in_word;
    bool filled;   /* the line holds a word */
    bool at_break; /* just after a line break of the text */
    long lines;
    ts_arena *a;
    ts_vec *starts; /* of line_start, or NULL */
    bool oom;
} wrap;

static void new_line(wrap *wr, size_t at, bool para)
{
    wr->lines++;
    if (wr->starts == NULL)
        return;
    line_start *ls = ts_vec_push(wr->a, wr->starts, sizeof *ls);
    if (ls == NULL)
        wr->oom = true;
    else
        *ls = (line_start){at, para};
}

static void wrap_word(wrap *wr)
{
    if (!wr->in_word)
        return;
    if (!wr->filled)
        wr->line += wr->word;
    else if (wr->line + wr->space + wr->word <= wr->limit)
        wr->line += wr->space + wr->word;
    else {
        new_line(wr, wr->word_at, false);
        wr->line = wr->word;
    }
    wr->filled = true;
    wr->at_break = false;
    wr->space = 0;
    wr->word = 0;
    wr->in_word = false;
}

/* Wraps text[0, len), which stands at byte `base` of the cell's text. */
static void wrap_text(wrap *wr, measurer *m, ts_face face, const char *text, size_t len,
                      size_t base)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        size_t at = i;
        uint32_t cp = next_cp(s, len, &i);
        if (cp == '\n') {
            wrap_word(wr);
            new_line(wr, base + i, true);
            wr->line = wr->space = 0;
            wr->filled = false;
            wr->at_break = true;
            continue;
        }
        int32_t adv = advance_of(m, face, cp == '\t' ? ' ' : cp);
        if (cp == ' ' || cp == '\t') {
            wrap_word(wr);
            if (wr->filled)
                wr->space += adv;
            else if (wr->at_break)
                wr->line += adv;
            continue;
        }
        if (!wr->in_word) {
            wr->in_word = true;
            wr->word_at = base + at;
        }
        wr->word += adv;
        if (wr->word + (wr->filled ? 0 : wr->line) > wr->limit && wr->word > adv) {
            /* The word does not fit even a line of its own: what fits of it fills one. */
            if (wr->filled)
                new_line(wr, wr->word_at, false);
            new_line(wr, base + at, false);
            wr->line = wr->space = 0;
            wr->filled = false;
            wr->at_break = false;
            wr->word = adv;
            wr->word_at = base + at;
        }
    }
}

double ts_cell_text_width(const ts_sheet *s, size_t row, size_t col)
{
    double w = ts_column_text_width(s->widths[col]);
    if (s->autofilter && row == 0)
        w -= TS_FILTER_BUTTON_PT;
    return w > 1 ? w : 1;
}

/* The lines a cell's text wraps to in `width` pt (less the safety margin), and with `starts`
 * where each begins. */
static long cell_lines(measurer *m, const ts_cell *c, double width, ts_arena *a, ts_vec *starts,
                       bool *oom)
{
    if (c->kind == TS_CELL_NUMBER)
        return 1;
    if (c->kind != TS_CELL_TEXT)
        return 0;
    wrap wr = {.limit = (int64_t)floor(width * WRAP_WIDTH_SAFETY * 1000.0 / m->size),
               .at_break = true,
               .a = a,
               .starts = starts};
    new_line(&wr, 0, true);
    for (size_t i = 0; i < c->n_runs; i++) {
        bool bold = c->head || (c->runs[i].style & TS_RUN_BOLD);
        bool italic = c->runs[i].style & TS_RUN_ITALIC;
        ts_face face = bold ? (italic ? TS_FACE_BOLD_ITALIC : TS_FACE_BOLD)
                            : (italic ? TS_FACE_ITALIC : TS_FACE_REGULAR);
        wrap_text(&wr, m, face, c->runs[i].text, c->runs[i].len,
                  (size_t)(c->runs[i].text - c->text));
    }
    wrap_word(&wr);
    if (wr.oom)
        *oom = true;
    return wr.lines;
}

static double lines_height(const measurer *m, long lines)
{
    return lines > 0 ? ceil(lines * m->line_h + 2 * ROW_PAD_PT) : 0;
}

/* How a cell of the walk is printed: its text in n pieces, piece k the bytes [from[k], to[k])
 * of it, needing need[k] pt. */
typedef struct cell_plan {
    size_t n;
    size_t *from, *to;
    double *need;
} cell_plan;

/* Cuts a text of `n_lines` wrapped lines (starting where `starts` says) into pieces of at most
 * `max_lines` lines.  A cut falls where a line of the text (a paragraph, a list item) starts;
 * only a paragraph longer than a piece is cut inside, between the words that end one wrapped
 * line and start the next.  Of the cuts that give the fewest pieces, those that make them alike
 * in length are taken (so that the rows they stand in are alike too), at the start of a
 * paragraph when one is near. */
static bool plan_pieces(walk *w, const measurer *m, const ts_cell *c, const line_start *starts,
                        size_t n_lines, size_t max_lines, cell_plan *p)
{
    /* cut[j]: a piece may start at line j; last[x]: the last such line up to x (n_lines, the
     * end, counts as one); fewest[j]: the fewest pieces from line j on. */
    bool *cut = ts_arena_calloc(w->a, n_lines + 1, sizeof *cut);
    size_t *last = ts_arena_calloc(w->a, n_lines + 1, sizeof *last);
    size_t *fewest = ts_arena_calloc(w->a, n_lines + 1, sizeof *fewest);
    if (cut == NULL || last == NULL || fewest == NULL)
        return false;
    for (size_t j = 0; j < n_lines;) {
        size_t end = j + 1;
        while (end < n_lines && !starts[end].para)
            end++;
        for (size_t k = j; k < end; k++)
            cut[k] = k == j || end - j > max_lines;
        j = end;
    }
    cut[n_lines] = true;
    for (size_t x = 0; x <= n_lines; x++)
        last[x] = cut[x] ? x : last[x - 1]; /* cut[0] is true */
    fewest[n_lines] = 0;
    for (size_t j = n_lines; j-- > 0;) {
        size_t next = last[j + max_lines < n_lines ? j + max_lines : n_lines];
        if (next <= j)
            next = j + 1; /* cannot happen: a short paragraph ends, a long one cuts anywhere */
        fewest[j] = 1 + fewest[next];
    }

    size_t n = fewest[0];
    p->from = ts_arena_calloc(w->a, n, sizeof *p->from);
    p->to = ts_arena_calloc(w->a, n, sizeof *p->to);
    p->need = ts_arena_calloc(w->a, n, sizeof *p->need);
    if (p->from == NULL || p->to == NULL || p->need == NULL)
        return false;
    p->n = n;
    size_t first = 0;
    for (size_t k = 0; k < n; k++) {
        size_t left = n - k, end = n_lines;
        if (left > 1) {
            size_t even = first + (n_lines - first + left - 1) / left;
            size_t hi = first + max_lines < n_lines ? first + max_lines : n_lines - 1;
            size_t best = 0, best_d = SIZE_MAX, para = 0, para_d = SIZE_MAX;
            for (size_t j = first + 1; j <= hi; j++) {
                if (!cut[j] || fewest[j] > left - 1)
                    continue;
                size_t d = j > even ? j - even : even - j;
                if (d <= best_d) {
                    best = j;
                    best_d = d;
                }
                if (starts[j].para && 2 * (j - first) >= even - first && d <= para_d) {
                    para = j;
                    para_d = d;
                }
            }
            end = para_d != SIZE_MAX ? para : best_d != SIZE_MAX ? best : last[hi];
        }
        size_t from = starts[first].at, to = end < n_lines ? starts[end].at : c->len;
        /* The line break or the spaces between two pieces belong to neither. */
        while (to > from &&
               (c->text[to - 1] == '\n' || c->text[to - 1] == ' ' || c->text[to - 1] == '\t'))
            to--;
        p->from[k] = from;
        p->to[k] = to;
        p->need[k] = lines_height(m, (long)(end - first));
        first = end;
    }
    return true;
}

/* The piece [from, to) of a cell's text as a cell of its own, with the runs it cuts through. */
static bool piece_cell(walk *w, const ts_cell *c, size_t from, size_t to, ts_cell *out)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        size_t a = (size_t)(c->runs[i].text - c->text), b = a + c->runs[i].len;
        if (b > from && a < to)
            n++;
    }
    ts_cell_run *runs = ts_arena_calloc(w->a, n > 0 ? n : 1, sizeof *runs);
    char *text = ts_arena_strndup(w->a, c->text + from, to - from); /* its own end */
    if (runs == NULL || text == NULL)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < c->n_runs; i++) {
        size_t a = (size_t)(c->runs[i].text - c->text), b = a + c->runs[i].len;
        if (b <= from || a >= to)
            continue;
        size_t s = a > from ? a : from, e = b < to ? b : to;
        runs[k++] = (ts_cell_run){text + (s - from), e - s, c->runs[i].style};
    }
    out->runs = runs;
    out->n_runs = k;
    out->text = text;
    out->len = to - from;
    out->kind = k > 0 ? TS_CELL_TEXT : TS_CELL_EMPTY;
    return true;
}

/* The tallest a row of sheet `s` may be: Excel's limit, and a printed page (A3 landscape, the
 * sheet scaled to the page's width) less the head repeated on it. */
static double row_limit(const ts_sheet *s, double head_h)
{
    double sheet_w = 0;
    for (size_t c = 0; c < s->n_cols; c++)
        sheet_w += column_width_pt(s->widths[c]);
    double page_w = TS_PRINT_PAGE_W - 2 * TS_PRINT_MARGIN;
    double page_h = TS_PRINT_PAGE_H - 2 * TS_PRINT_MARGIN;
    double scale = sheet_w > page_w ? page_w / sheet_w : 1.0;
    double room = floor(page_h / scale * PAGE_SAFETY - head_h);
    return room < TS_XLSX_MAX_ROW_HEIGHT ? room : TS_XLSX_MAX_ROW_HEIGHT;
}

/* Lays the walk's sheet out for print (see table.h): cuts each cell taller than a row into the
 * pieces it needs, gives every row of the walk as many rows as its tallest cell has pieces, and
 * places them: piece k in the row's k-th row, the last piece (or an uncut text) merged down
 * over the rows left. */
static bool print_sheet(walk *w, measurer *m, ts_sheet *s, size_t **row_map)
{
    size_t nr = s->n_rows, nc = s->n_cols;
    cell_plan *plan = ts_arena_calloc(w->a, nr * nc + 1, sizeof *plan);
    size_t *rows_of = ts_arena_calloc(w->a, nr + 1, sizeof *rows_of);
    size_t *first_row = ts_arena_calloc(w->a, nr + 1, sizeof *first_row);
    if (plan == NULL || rows_of == NULL || first_row == NULL)
        return false;
    double one_line = lines_height(m, 1);
    bool oom = false;
    double head_h = 0, limit = TS_XLSX_MAX_ROW_HEIGHT;
    size_t max_lines = 1;
    ts_vec starts = {0};
    for (size_t r = 0; r < nr; r++) {
        if (r == s->header_rows) {
            /* The most lines a row holds (lines_height rounds up). */
            limit = row_limit(s, head_h);
            long fit = (long)floor((limit - 2 * ROW_PAD_PT) / m->line_h);
            max_lines = fit > 1 ? (size_t)fit : 1;
            while (max_lines > 1 && lines_height(m, (long)max_lines) > limit)
                max_lines--;
        }
        double row_h = one_line;
        rows_of[r] = 1;
        for (size_t c = 0; c < nc; c++) {
            const ts_cell *cell = ts_sheet_cell(s, r, c);
            cell_plan *p = &plan[r * nc + c];
            if (cell->covered)
                continue;
            double width = ts_cell_text_width(s, r, c);
            double need = lines_height(m, cell_lines(m, cell, width, NULL, NULL, &oom));
            /* A head is a few words: it is never cut. */
            if (r >= s->header_rows && need > limit && cell->kind == TS_CELL_TEXT) {
                starts.len = 0;
                cell_lines(m, cell, width, w->a, &starts, &oom);
                if (oom || !plan_pieces(w, m, cell, starts.items, starts.len, max_lines, p))
                    return false;
                if (p->n > rows_of[r])
                    rows_of[r] = p->n;
                continue;
            }
            p->n = 1;
            p->from = ts_arena_calloc(w->a, 1, sizeof *p->from);
            p->to = ts_arena_calloc(w->a, 1, sizeof *p->to);
            p->need = ts_arena_calloc(w->a, 1, sizeof *p->need);
            if (p->from == NULL || p->to == NULL || p->need == NULL)
                return false;
            p->to[0] = cell->len;
            p->need[0] = need;
            if (need > row_h)
                row_h = need;
        }
        if (r < s->header_rows)
            head_h += row_h;
    }

    size_t total = 0;
    for (size_t r = 0; r < nr; r++) {
        first_row[r] = total;
        total += rows_of[r];
    }
    first_row[nr] = total;
    ts_cell *cells = ts_arena_calloc(w->a, total * nc, sizeof *cells);
    double *height = ts_arena_calloc(w->a, total, sizeof *height);
    if (cells == NULL || height == NULL)
        return false;
    for (size_t i = 0; i < total; i++)
        height[i] = one_line;
    for (size_t r = 0; r < nr; r++) {
        for (size_t c = 0; c < nc; c++) {
            const ts_cell *cell = ts_sheet_cell(s, r, c);
            const cell_plan *p = &plan[r * nc + c];
            if (cell->covered)
                continue;
            size_t top = first_row[r], bottom = first_row[r + cell->row_span];
            for (size_t k = 0; k < p->n; k++) {
                size_t row = top + k;
                ts_cell *out = &cells[row * nc + c];
                *out = *cell;
                out->row_span = 1;
                if (p->n > 1) {
                    if (!piece_cell(w, cell, p->from[k], p->to[k], out))
                        return false;
                    out->continues = k + 1 < p->n;
                    out->continued = k > 0;
                }
                if (k + 1 == p->n) {
                    /* The last piece (or the whole text) spans the rest of the rows. */
                    out->row_span = (uint32_t)(bottom - row);
                    for (size_t under = row + 1; under < bottom; under++)
                        cells[under * nc + c] = (ts_cell){.kind = TS_CELL_EMPTY,
                                                          .covered = true,
                                                          .row_span = 1,
                                                          .pos = cell->pos};
                }
                if (p->need[k] > height[row])
                    height[row] = p->need[k];
            }
        }
    }
    s->cells = cells;
    s->n_rows = total;
    s->row_heights = height;
    *row_map = first_row;
    return true;
}

/* The rows that formulas and charts name, moved to where they stand once the sheets are printed
 * (walk.row_map); a formula's range to TO_THE_END runs to its sheet's last row. */
static void place_references(walk *w, ts_table *t)
{
    formula_ref *refs = w->formulas.items;
    for (size_t i = 0; i < w->formulas.len; i++) {
        ts_formula *f = refs[i].formula;
        const size_t *map = w->row_map[refs[i].sheet];
        size_t n = t->sheets[refs[i].sheet].n_rows;
        f->first_row = map[f->first_row];
        f->last_row = f->last_row == TO_THE_END ? n - 1 : map[f->last_row + 1] - 1;
    }
    chart_ref *charts = w->charts.items;
    for (size_t i = 0; i < w->charts.len; i++) {
        ts_chart *c = charts[i].chart;
        const size_t *map = w->row_map[charts[i].sheet];
        c->head_row = map[c->head_row];
        for (size_t k = 0; k < c->n_series; k++)
            charts[i].series[k].row = map[charts[i].series[k].row];
        /* One empty row between the sheet's rows and the chart. */
        c->anchor_row = t->sheets[charts[i].sheet].n_rows + 1;
    }
}

/* A form's rows are never cut (each cell is one element, read back whole): each is as tall as
 * its tallest cell needs, within Excel's limit; a taller text shows in full in the cell's
 * editor. */
static bool fit_rows(walk *w, measurer *m, ts_sheet *s)
{
    double *height = ts_arena_calloc(w->a, s->n_rows + 1, sizeof *height);
    if (height == NULL)
        return false;
    bool oom = false;
    for (size_t r = 0; r < s->n_rows; r++) {
        height[r] = lines_height(m, 1);
        for (size_t c = 0; c < s->n_cols; c++) {
            const ts_cell *cell = ts_sheet_cell(s, r, c);
            double need =
                lines_height(m, cell_lines(m, cell, ts_cell_text_width(s, r, c), NULL, NULL, &oom));
            if (need > height[r])
                height[r] = need < TS_XLSX_MAX_ROW_HEIGHT ? need : TS_XLSX_MAX_ROW_HEIGHT;
        }
    }
    s->row_heights = height;
    return !oom;
}

bool ts_table_fit_rows(const ts_build_ctx *ctx, ts_sheet *sheets, size_t n, ts_arena *a,
                       ts_diags *diags)
{
    walk w = {.ctx = ctx, .labels = ctx->labels, .a = a, .diags = diags, .rc = TS_OK};
    w.file = ctx->round != NULL ? ctx->round->file : NULL;
    measurer m;
    if (!measurer_open(&w, &m))
        return false;
    for (size_t i = 0; w.rc == TS_OK && i < n; i++)
        if (!fit_rows(&w, &m, &sheets[i]))
            out_of_memory(&w);
    measurer_close(&m);
    return w.rc == TS_OK;
}

ts_rc ts_table_build(const ts_build_ctx *ctx, ts_arena *a, ts_diags *diags, const ts_table **out)
{
    *out = NULL;
    walk w = {.ctx = ctx,
              .labels = ctx->labels,
              .a = a,
              .diags = diags,
              .file = ctx->round->file,
              .rc = TS_OK};
    ts_table *t = ts_arena_calloc(a, 1, sizeof *t);
    if (t == NULL) {
        out_of_memory(&w);
        return w.rc;
    }
    measures_sheet(&w, &t->sheets[t->n_sheets++]);
    if (w.rc != TS_SYSTEM_ERROR && ctx->round->number >= 1 && ctx->round->number <= 3) {
        size_t trend = t->n_sheets++;
        trend_sheet(&w, &t->sheets[trend]);
        if (w.rc != TS_SYSTEM_ERROR) {
            size_t picture = t->n_sheets++;
            picture_sheet(&w, &t->sheets[picture], picture, trend, t->sheets[trend].name);
        }
    }
    if (w.rc != TS_SYSTEM_ERROR && ctx->round->summary != NULL)
        summary_sheet(&w, &t->sheets[t->n_sheets++]);
    if (w.rc != TS_SYSTEM_ERROR)
        tasks_sheet(&w, &t->sheets[t->n_sheets++]);
    measurer m;
    if (w.rc == TS_OK && measurer_open(&w, &m)) {
        for (size_t i = 0; w.rc == TS_OK && i < t->n_sheets; i++)
            if (!print_sheet(&w, &m, &t->sheets[i], &w.row_map[i]))
                out_of_memory(&w);
        measurer_close(&m);
    }
    if (w.rc == TS_OK)
        place_references(&w, t);
    if (w.rc == TS_OK)
        *out = t;
    return w.rc;
}

ts_rc ts_book_begin(const ts_build_ctx *ctx, const char *path, ts_diags *diags, ts_arena **a,
                    const ts_table **t)
{
    *t = NULL;
    *a = ts_arena_new(ctx->fault);
    if (*a == NULL) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return TS_SYSTEM_ERROR;
    }
    if (ctx->table != NULL) {
        *t = ctx->table;
        return TS_OK;
    }
    ts_rc rc = ts_table_build(ctx, *a, diags, t);
    if (rc != TS_OK) {
        ts_arena_free(*a);
        *a = NULL;
    }
    return rc;
}

bool ts_book_props_make(const ts_build_ctx *ctx, ts_arena *a, ts_book_props *out)
{
    const ts_round *r = ctx->round;
    out->title = r->title.n_runs > 0 ? ts_inline_text(a, &r->title)
                                     : ts_label_fmt(ctx->labels, a, "pack.title", r->year, -1, -1);
    out->subject = ts_label_fmt(ctx->labels, a, "doc.subject", r->year, r->number, -1);
    out->keywords = ts_label_fmt(ctx->labels, a, "doc.keywords", r->year, r->number, -1);
    return out->title != NULL && out->subject != NULL && out->keywords != NULL;
}
