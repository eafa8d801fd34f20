/* The shared walk of the workbook: model + labels -> ts_table (see table.h). */
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t ts_utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

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
        chars += ts_utf8_chars(ps[i].text, ps[i].len);
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

/* ---- Row heights under merged cells ---------------------------------------------------- */

/* Neither Excel nor LibreOffice grows a row for the text of a merged cell that covers it: a long
 * goal text over two short measure rows would be cut off.  The rows under such a cell get
 * heights from an estimate of the lines each cell wraps to (a little generous, so that text is
 * never hidden); all other rows are left to the spreadsheet's own fitting. */

/* Characters of the layout's font per line of a column `width` characters wide: a width counts
 * the digit "0" of the default font, and running text of 10 pt Arial is a little narrower. */
static double chars_per_line(double width, double font_size)
{
    double per = width * 1.1 * (10.0 / (font_size > 0 ? font_size : 10.0));
    return per < 1 ? 1 : per;
}

static double cell_lines(const ts_cell *c, double width, double font_size)
{
    if (c->kind == TS_CELL_NUMBER)
        return 1;
    if (c->kind != TS_CELL_TEXT)
        return 0;
    double per = chars_per_line(width, font_size), lines = 0;
    const char *p = c->text, *end = c->text + c->len;
    while (p <= end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl != NULL ? nl : end;
        size_t chars = ts_utf8_chars(p, (size_t)(stop - p));
        lines += chars == 0 ? 1 : ceil((double)chars / per);
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return lines;
}

static bool fit_merged_rows(walk *w, ts_sheet *s)
{
    double fs = w->ctx->layout->workbook.font_size > 0 ? w->ctx->layout->workbook.font_size : 10;
    double line_h = fs * 1.25, pad = 4;
    double *est = ts_arena_calloc(w->a, s->n_rows, sizeof *est);
    double *fixed = ts_arena_calloc(w->a, s->n_rows, sizeof *fixed);
    if (est == NULL || fixed == NULL)
        return false;
    bool any_merge = false;
    for (size_t r = 0; r < s->n_rows; r++) {
        est[r] = line_h + pad;
        for (size_t c = 0; c < s->n_cols; c++) {
            const ts_cell *cell = ts_sheet_cell(s, r, c);
            if (cell->row_span > 1) {
                any_merge = true;
                continue;
            }
            double h = cell_lines(cell, s->widths[c], fs) * line_h + pad;
            if (h > est[r])
                est[r] = h;
        }
    }
    if (!any_merge)
        return true;
    /* Narrow merges first (a goal inside its theme), so that a wider one sees their growth. */
    bool grown = false;
    for (uint32_t span = 2; span <= s->n_rows; span++) {
        for (size_t r = 0; r < s->n_rows; r++) {
            for (size_t c = 0; c < s->n_cols; c++) {
                const ts_cell *cell = ts_sheet_cell(s, r, c);
                if (cell->row_span != span)
                    continue;
                double need = cell_lines(cell, s->widths[c], fs) * line_h + pad, have = 0;
                for (size_t k = r; k < r + span; k++)
                    have += est[k];
                if (need <= have)
                    continue;
                est[r + span - 1] += need - have;
                for (size_t k = r; k < r + span; k++)
                    fixed[k] = 1;
                grown = true;
            }
        }
    }
    if (!grown)
        return true;
    for (size_t r = 0; r < s->n_rows; r++)
        fixed[r] = fixed[r] != 0 ? ceil(est[r]) : 0;
    s->row_heights = fixed;
    return true;
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
    for (size_t i = 0; w.rc == TS_OK && i < t->n_sheets; i++)
        if (!fit_merged_rows(&w, &t->sheets[i]))
            out_of_memory(&w);
    if (w.rc == TS_OK)
        *out = t;
    return w.rc;
}
