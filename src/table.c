/* The shared walk of the workbook: model + labels -> ts_table (see table.h). */
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"

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
} walk;

static void out_of_memory(walk *w)
{
    if (w->rc != TS_SYSTEM_ERROR)
        ts_diag_add(w->diags, w->file, (ts_pos){0, 0}, TS_ERROR,
                    "out of memory while preparing the workbook");
    w->rc = TS_SYSTEM_ERROR;
}

static const char *column_name(size_t col, char buf[4])
{
    if (col < 26) {
        buf[0] = (char)('A' + col);
        buf[1] = '\0';
    } else {
        buf[0] = (char)('A' + col / 26 - 1);
        buf[1] = (char)('A' + col % 26);
        buf[2] = '\0';
    }
    return buf;
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
        ts_diag_add(w->diags, w->file, pos, TS_ERROR,
                    "the text of this element makes a cell of %zu characters (sheet \"%s\", "
                    "column %s); a spreadsheet cell holds at most %d; hint: shorten the text or "
                    "split it",
                    chars, sheet->name, column_name(col, cn), TS_CELL_MAX_CHARS);
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

/* Decimals a value needs to be shown as written (up to 3), so that 72.5 % is not shown 73 %. */
static int decimals_of(double v)
{
    for (int d = 0; d < 3; d++) {
        double scaled = v * pow(10, d);
        if (fabs(scaled - round(scaled)) < 1e-9 * fmax(1.0, fabs(scaled)))
            return d;
    }
    return 3;
}

static void set_number(ts_cell *c, double value, const char *unit, ts_pos pos)
{
    c->kind = TS_CELL_NUMBER;
    c->pos = pos;
    c->unit = unit;
    if (unit != NULL && strcmp(unit, "%") == 0) {
        c->decimals = decimals_of(value);
        c->number = value / 100.0;
    } else {
        c->decimals = decimals_of(value);
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

            b = (text_builder){.a = w->a};
            tb_blocks(&b, &m->text);
            tb_finish(w, &b, cell_at(s, row, 2), s, 2, m->text.pos);

            set_plain(w, s, row, 3, ts_label_bool(l, m->recovery), false);
            cell_at(s, row, 3)->pos = m->pos;

            for (int round = 1; round <= 3; round++) {
                ts_cell *c = cell_at(s, row, 3 + (size_t)round);
                if (round > r->number)
                    continue;
                const ts_forecast *f = m->by_round[round];
                b = (text_builder){.a = w->a};
                tb_plain_line(&b, ts_label_status(l, f ? f->status : TS_STATUS_NONE));
                if (f != NULL)
                    tb_blocks(&b, &f->text);
                tb_finish(w, &b, c, s, 3 + (size_t)round, f ? f->pos : m->pos);
                c->fill = TS_FILL_STATUS;
                c->fill_index = f ? (int)f->status : (int)TS_STATUS_NONE;
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

/* ---- Row heights ----------------------------------------------------------------------- */

/* Every row gets a height from its text.  Excel shows a row of an XLSX at the height the file
 * gives (a row without one stays one line high in LibreOffice), and neither Excel nor
 * LibreOffice grows a row for the text of a merged cell that covers it.  So each cell's text is
 * measured as the spreadsheet lays it out: wrapped at the workbook font in its column, then a
 * row is as tall as its tallest cell, and the rows under a merged cell share what its text needs
 * beyond their own. */

/* The text of a cell keeps off its edges and gridline: about 3 px of Excel's each side. */
#define CELL_TEXT_INSET_PX 6.0
/* A wrapped line of Arial 10 takes 17 px (12.75 pt) in Excel, its default row height; the same
 * ratio to the size for any size.  LibreOffice's lines of Liberation Sans are a little lower. */
#define LINE_HEIGHT_PER_PT (12.75 / 10.0)
/* Room above the first line and below the last. */
#define ROW_PAD_PT 1.5

/* The width, in pt, that text wraps to in a column `chars` characters wide.  Excel counts a
 * width in the maximum digit width of its default font, 7 px at 96 dpi, and adds 5 px:
 * trunc(7 w + 0.5) + 5 px (under one character, 12 px per character); 1 px is 0.75 pt. */
double ts_column_text_width(double chars)
{
    double px = chars < 1 ? floor(chars * 12 + 0.5) : floor(chars * 7 + 0.5) + 5;
    px -= CELL_TEXT_INSET_PX;
    return (px < 1 ? 1 : px) * 0.75;
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

/* The layout's text fonts stand in for the workbook's: Liberation Sans has Arial's advances. */
static bool measurer_open(walk *w, measurer *m)
{
    const ts_layout *l = w->ctx->layout;
    *m = (measurer){0};
    const char *paths[2 * TS_FACE_COUNT];
    const ts_font_metrics *slot[2 * TS_FACE_COUNT] = {0};
    for (size_t i = 0; i < TS_FACE_COUNT; i++) {
        paths[i] = l->font_files[i];
        paths[TS_FACE_COUNT + i] = l->fallback_files[i];
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

/* Line filling as a spreadsheet does it, counting only: a line breaks at a space, after a
 * hyphen, a slash or a dash, and at a line break of the text; a word wider than the column is
 * broken between two characters (a spreadsheet never hyphenates).  Spaces at the end of a line
 * take no room; spaces at the start of a line of the text (a list's indent) do. */
typedef struct wrap {
    int64_t limit; /* the column, 1/1000 em */
    int64_t line;  /* what the current line holds */
    int64_t space; /* spaces after it, counted when a word follows on the same line */
    int64_t word;  /* the word being read */
    bool filled;   /* the line holds a word */
    bool at_break; /* just after a line break of the text */
    long lines;
} wrap;

static void wrap_word(wrap *wr)
{
    if (wr->word == 0)
        return;
    if (!wr->filled)
        wr->line += wr->word;
    else if (wr->line + wr->space + wr->word <= wr->limit)
        wr->line += wr->space + wr->word;
    else {
        wr->lines++;
        wr->line = wr->word;
    }
    wr->filled = true;
    wr->at_break = false;
    wr->space = 0;
    wr->word = 0;
}

static bool breaks_after(uint32_t cp)
{
    return cp == '-' || cp == '/' || cp == 0x2010 || cp == 0x2013 || cp == 0x2014;
}

static void wrap_text(wrap *wr, measurer *m, ts_face face, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        uint32_t cp = next_cp(s, len, &i);
        if (cp == '\n') {
            wrap_word(wr);
            wr->lines++;
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
        wr->word += adv;
        if (wr->word + (wr->filled ? 0 : wr->line) > wr->limit && wr->word > adv) {
            /* The word does not fit even a line of its own: what fits of it fills one. */
            if (wr->filled)
                wr->lines++;
            wr->lines++;
            wr->line = wr->space = 0;
            wr->filled = false;
            wr->at_break = false;
            wr->word = adv;
        }
        if (breaks_after(cp) && i < len && !(s[i] >= '0' && s[i] <= '9'))
            wrap_word(wr);
    }
}

double ts_cell_text_width(const ts_sheet *s, size_t row, size_t col)
{
    double w = ts_column_text_width(s->widths[col]);
    if (s->autofilter && row == 0)
        w -= TS_FILTER_BUTTON_PT;
    return w > 1 ? w : 1;
}

/* The lines a cell's text wraps to in `width` pt. */
static long cell_lines(measurer *m, const ts_cell *c, double width)
{
    if (c->kind == TS_CELL_NUMBER)
        return 1;
    if (c->kind != TS_CELL_TEXT)
        return 0;
    wrap wr = {.limit = (int64_t)floor(width * 1000.0 / m->size), .at_break = true, .lines = 1};
    for (size_t i = 0; i < c->n_runs; i++) {
        bool bold = c->head || (c->runs[i].style & TS_RUN_BOLD);
        bool italic = c->runs[i].style & TS_RUN_ITALIC;
        ts_face face = bold ? (italic ? TS_FACE_BOLD_ITALIC : TS_FACE_BOLD)
                            : (italic ? TS_FACE_ITALIC : TS_FACE_REGULAR);
        wrap_text(&wr, m, face, c->runs[i].text, c->runs[i].len);
    }
    wrap_word(&wr);
    return wr.lines;
}

static double lines_height(const measurer *m, long lines)
{
    return lines > 0 ? ceil(lines * m->line_h + 2 * ROW_PAD_PT) : 0;
}

/* Raises the shortest of rows[0..n) first, to a common level, until together they are `need`
 * tall: the measure rows under a long goal text grow alike rather than the last alone. */
static void share_height(double *rows, size_t n, double need)
{
    for (;;) {
        double have = 0, low = INFINITY, next = INFINITY;
        size_t n_low = 0;
        for (size_t k = 0; k < n; k++) {
            have += rows[k];
            if (rows[k] < low) {
                next = low;
                low = rows[k];
                n_low = 1;
            } else if (rows[k] == low) {
                n_low++;
            } else if (rows[k] < next) {
                next = rows[k];
            }
        }
        if (have >= need || n_low == 0)
            return;
        double level = low + (need - have) / (double)n_low;
        if (level > next)
            level = next; /* those rows join the next level up, and the loop goes on */
        for (size_t k = 0; k < n; k++)
            if (rows[k] == low)
                rows[k] = level;
    }
}

static bool fit_rows(walk *w, measurer *m, ts_sheet *s)
{
    double *height = ts_arena_calloc(w->a, s->n_rows, sizeof *height);
    double *need = ts_arena_calloc(w->a, s->n_rows * s->n_cols, sizeof *need);
    if (height == NULL || need == NULL)
        return false;
    double one_line = lines_height(m, 1);
    uint32_t widest_merge = 1;
    for (size_t r = 0; r < s->n_rows; r++) {
        height[r] = one_line;
        for (size_t c = 0; c < s->n_cols; c++) {
            const ts_cell *cell = ts_sheet_cell(s, r, c);
            double h = lines_height(m, cell_lines(m, cell, ts_cell_text_width(s, r, c)));
            need[r * s->n_cols + c] = h;
            if (cell->row_span > widest_merge)
                widest_merge = cell->row_span;
            if (cell->row_span == 1 && h > height[r])
                height[r] = h;
        }
    }
    /* Narrow merges first (a goal inside its theme), so that a wider one sees their growth. */
    for (uint32_t span = 2; span <= widest_merge; span++) {
        for (size_t r = 0; r + span <= s->n_rows; r++) {
            for (size_t c = 0; c < s->n_cols; c++) {
                if (ts_sheet_cell(s, r, c)->row_span != span)
                    continue;
                double have = 0, want = need[r * s->n_cols + c];
                for (size_t k = r; k < r + span; k++)
                    have += height[k];
                if (want <= have)
                    continue;
                share_height(height + r, span, want);
                for (size_t k = r; k < r + span; k++)
                    height[k] = ceil(height[k]);
            }
        }
    }
    s->row_heights = height;
    return true;
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
    if (w.rc != TS_SYSTEM_ERROR && ctx->round->summary != NULL)
        summary_sheet(&w, &t->sheets[t->n_sheets++]);
    if (w.rc != TS_SYSTEM_ERROR)
        tasks_sheet(&w, &t->sheets[t->n_sheets++]);
    measurer m;
    if (w.rc == TS_OK && measurer_open(&w, &m)) {
        for (size_t i = 0; w.rc == TS_OK && i < t->n_sheets; i++)
            if (!fit_rows(&w, &m, &t->sheets[i]))
                out_of_memory(&w);
        measurer_close(&m);
    }
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
        ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR, "out of memory");
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
