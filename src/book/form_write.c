/* The form writer: a round (or nothing, for a blank form) as the form's sheets (form_schema.h),
 * in a table of its own that the workbook writers (xlsx.c, ods.c) write; `taseuranta form`
 * around it is cli/form.c. */
#define _POSIX_C_SOURCE 200809L
#include "book/form.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book/form_schema.h"
#include "book/form_text.h"
#include "layout/labels.h"
#include "book/table.h"
#include "core/utf8.h"

/* ---- Cells ------------------------------------------------------------------------------- */

typedef struct fw {
    const ts_round *r; /* NULL for a blank form */
    const ts_labels *l;
    ts_arena *a;
    ts_diags *diags;
    const char *file; /* the round's, for the errors of its texts */
    ts_lang lang;     /* the form's */
    ts_rc rc;
} fw;

static void oom(fw *w)
{
    if (w->rc != TS_SYSTEM_ERROR)
        ts_diag_fault(w->diags, w->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY,
                      "out of memory while making the form");
    w->rc = TS_SYSTEM_ERROR;
}

static ts_cell *cell(ts_sheet *s, size_t row, size_t col)
{
    return &s->cells[row * s->n_cols + col];
}

static void finish(fw *w, ts_ftext *t, ts_sheet *s, size_t row, size_t col, ts_pos pos)
{
    ts_cell *c = cell(s, row, col);
    size_t chars = ts_ftext_finish(t, c);
    c->pos = pos;
    if (chars == (size_t)-1) {
        oom(w);
        return;
    }
    if (chars > TS_CELL_MAX_CHARS) {
        ts_diag_add(w->diags, w->file, pos, TS_ERROR,
                    "this text makes a cell of %zu characters in the form's sheet \"%s\"; a "
                    "spreadsheet cell holds at most %d: shorten the text or split it",
                    chars, s->name, TS_CELL_MAX_CHARS);
        if (w->rc == TS_OK)
            w->rc = TS_INPUT_ERROR;
        *c = (ts_cell){.kind = TS_CELL_EMPTY, .row_span = 1, .pos = pos};
    }
}

static void set_plain(fw *w, ts_sheet *s, size_t row, size_t col, const char *text, ts_pos pos)
{
    ts_ftext t = {.a = w->a};
    if (text != NULL && *text)
        ts_ftext_plain(&t, text);
    finish(w, &t, s, row, col, pos);
}

static void set_inline(fw *w, ts_sheet *s, size_t row, size_t col, const ts_inline *in)
{
    ts_ftext t = {.a = w->a};
    ts_ftext_inline(&t, in);
    finish(w, &t, s, row, col, in->pos);
}

static void set_blocks(fw *w, ts_sheet *s, size_t row, size_t col, const ts_blocks *bl, ts_pos at)
{
    ts_ftext t = {.a = w->a};
    if (bl->present)
        ts_ftext_blocks(&t, bl);
    finish(w, &t, s, row, col, bl->present ? bl->pos : at);
}

static void set_people(fw *w, ts_sheet *s, size_t row, size_t col, const ts_person *p, size_t n,
                       ts_pos at)
{
    ts_ftext t = {.a = w->a};
    for (size_t i = 0; i < n; i++)
        ts_ftext_plain(&t, p[i].name);
    finish(w, &t, s, row, col, n ? p[0].pos : at);
}

static void set_word(fw *w, ts_sheet *s, size_t row, size_t col, const char *key, ts_pos pos)
{
    set_plain(w, s, row, col, key ? ts_label(w->l, key) : "", pos);
}

/* The shortest decimal that reads back as v (at most 17 significant digits). */
static void shortest(double v, char out[40])
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, 40, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* A number as the spreadsheet's General format shows it.  libxlsxwriter stores a number with 16
 * significant digits: a value that needs 17 to read back the same is written as text, which the
 * reader takes as well, so that no digit is lost. */
static void set_number(fw *w, ts_sheet *s, size_t row, size_t col, double v, ts_pos pos)
{
    char g16[40];
    snprintf(g16, sizeof g16, "%.16G", v);
    if (strtod(g16, NULL) != v || !isfinite(v)) {
        char exact[40];
        shortest(v, exact);
        set_plain(w, s, row, col, exact, pos);
        return;
    }
    ts_cell *c = cell(s, row, col);
    *c = (ts_cell){.kind = TS_CELL_NUMBER, .number = v, .decimals = -1, .row_span = 1, .pos = pos};
}

static const char *sheet_name(const fw *w, ts_form_sheet_id id)
{
    char key[64];
    snprintf(key, sizeof key, "form.sheet.%s", ts_form_sheet_get(id)->key);
    return ts_label(w->l, key);
}

/* ---- Sheets ------------------------------------------------------------------------------ */

/* The characters of the longest line of a cell. */
static size_t longest_line(const ts_cell *c)
{
    if (c->kind == TS_CELL_NUMBER)
        return 12;
    if (c->kind != TS_CELL_TEXT)
        return 0;
    size_t best = 0, cur = 0;
    for (size_t i = 0; i < c->len; i++) {
        if (c->text[i] == '\n') {
            cur = 0;
            continue;
        }
        if (((unsigned char)c->text[i] & 0xC0) != 0x80 && ++cur > best)
            best = cur;
    }
    return best;
}

/* Each column as wide as its longest line (and its head beside the filter button), between
 * the least and the most its kind asks. */
static bool fit_widths(fw *w, ts_sheet *s, const ts_form_column *cols)
{
    double *widths = ts_arena_calloc(w->a, s->n_cols, sizeof *widths);
    if (widths == NULL)
        return false;
    for (size_t c = 0; c < s->n_cols; c++) {
        size_t want = 0;
        for (size_t r = 0; r < s->n_rows; r++) {
            size_t n = longest_line(cell(s, r, c)) + (r == 0 ? 4 : 1);
            if (n > want)
                want = n;
        }
        double lo = cols[c].width_min, hi = cols[c].width_max;
        widths[c] = (double)want < lo ? lo : (double)want > hi ? hi : (double)want;
    }
    s->widths = widths;
    return true;
}

static bool sheet_open(fw *w, ts_sheet *s, ts_form_sheet_id id, size_t n_rows)
{
    const ts_form_sheet *fs = ts_form_sheet_get(id);
    s->name = sheet_name(w, id);
    s->n_cols = id == TS_FORM_ROUND ? 2 : fs->n_cols;
    s->n_rows = n_rows + 1;
    s->header_rows = 1;
    s->autofilter = id != TS_FORM_ROUND;
    s->cells = ts_arena_calloc(w->a, s->n_rows * s->n_cols, sizeof *s->cells);
    ts_column *cols = ts_arena_calloc(w->a, s->n_cols, sizeof *cols);
    if (s->cells == NULL || cols == NULL)
        return false;
    for (size_t i = 0; i < s->n_rows * s->n_cols; i++)
        s->cells[i].row_span = 1;
    s->columns = cols;
    return true;
}

/* The note on a column's head: its help, and "Required." when it is. */
static const char *head_note(fw *w, const ts_form_sheet *fs, const ts_form_column *c)
{
    char key[64];
    const char *help = ts_label(w->l, ts_form_label_key(key, fs, c, ".help"));
    if (!c->required)
        return help;
    return ts_arena_printf(w->a, "%s %s", help, ts_label(w->l, "form.guide.required"));
}

static const ts_cell_list *column_list(fw *w, const ts_form_column *c)
{
    ts_cell_list *l = ts_arena_calloc(w->a, 1, sizeof *l);
    if (l == NULL)
        return NULL;
    if (c->kind == TS_FORM_REF || c->kind == TS_FORM_REFS) {
        l->sheet = sheet_name(w, c->ref);
        l->col = 0; /* a sheet's id is its first column */
        return l;
    }
    int first, end;
    ts_form_word_range(c->kind, &first, &end);
    const char **words = ts_arena_calloc(w->a, (size_t)(end - first) + 1, sizeof *words);
    if (words == NULL)
        return NULL;
    for (int v = first; v < end; v++)
        words[v - first] = c->kind == TS_FORM_LANG ? ts_form_word_xml(c->kind, v)
                                                   : ts_label(w->l, ts_form_word_key(c->kind, v));
    l->words = words;
    l->n_words = (size_t)(end - first);
    return l;
}

/* The head row and what the columns are: notes, text columns, lists. */
static bool sheet_heads(fw *w, ts_sheet *s, ts_form_sheet_id id)
{
    const ts_form_sheet *fs = ts_form_sheet_get(id);
    ts_column *cols = (ts_column *)s->columns;
    char key[64];
    if (id == TS_FORM_ROUND) {
        /* The field column says what the sheet is; the value column's note lists the fields. */
        size_t len = 1;
        const char *lines[TS_RF_COUNT];
        for (size_t i = 0; i < fs->n_cols; i++) {
            lines[i] = ts_arena_printf(
                w->a, "%s: %s", ts_label(w->l, ts_form_label_key(key, fs, &fs->cols[i], "")),
                ts_label(w->l, ts_form_label_key(key, fs, &fs->cols[i], ".help")));
            if (lines[i] == NULL)
                return false;
            len += strlen(lines[i]) + 1;
        }
        char *note = ts_arena_alloc(w->a, len);
        if (note == NULL)
            return false;
        note[0] = '\0';
        for (size_t i = 0; i < fs->n_cols; i++) {
            strcat(note, lines[i]);
            if (i + 1 < fs->n_cols)
                strcat(note, "\n");
        }
        cols[0].note = ts_label(w->l, "form.round.about");
        cols[1].note = note;
        cols[0].text = cols[1].text = true;
        for (size_t c = 0; c < 2; c++) {
            set_plain(w, s, 0, c, ts_label(w->l, ts_form_round_heads[c]), (ts_pos){0, 0});
            cell(s, 0, c)->head = true;
        }
        return true;
    }
    for (size_t c = 0; c < fs->n_cols; c++) {
        const ts_form_column *fc = &fs->cols[c];
        set_plain(w, s, 0, c, ts_label(w->l, ts_form_label_key(key, fs, fc, "")), (ts_pos){0, 0});
        cell(s, 0, c)->head = true;
        cols[c].note = head_note(w, fs, fc);
        if (cols[c].note == NULL)
            return false;
        cols[c].text = fc->kind != TS_FORM_INTEGER && fc->kind != TS_FORM_DECIMAL;
        bool listed = fc->kind == TS_FORM_STATUS || fc->kind == TS_FORM_TASK_STATUS ||
                      fc->kind == TS_FORM_PROGRAMME_KIND || fc->kind == TS_FORM_SUMMARY_ROW ||
                      fc->kind == TS_FORM_BOOL ||
                      ((fc->kind == TS_FORM_REF || fc->kind == TS_FORM_REFS) &&
                       !(id == TS_FORM_SUMMARY && c == TS_SU_SUBJECT));
        if (listed && (cols[c].list = column_list(w, fc)) == NULL)
            return false;
    }
    return true;
}

static void round_sheet(fw *w, ts_sheet *s)
{
    const ts_form_sheet *fs = ts_form_sheet_get(TS_FORM_ROUND);
    if (!sheet_open(w, s, TS_FORM_ROUND, TS_RF_COUNT) || !sheet_heads(w, s, TS_FORM_ROUND))
        return oom(w);
    char key[64];
    for (size_t i = 0; i < TS_RF_COUNT; i++)
        set_plain(w, s, i + 1, 0, ts_label(w->l, ts_form_label_key(key, fs, &fs->cols[i], "")),
                  (ts_pos){0, 0});
    const ts_round *r = w->r;
    if (r == NULL) {
        /* A blank form knows its language only. */
        set_plain(w, s, 1 + TS_RF_LANG, 1, ts_lang_name(w->lang), (ts_pos){0, 0});
        return;
    }
    ts_pos at = r->pos;
    set_number(w, s, 1 + TS_RF_YEAR, 1, r->year, at);
    set_number(w, s, 1 + TS_RF_NUMBER, 1, r->number, at);
    char date[16];
    snprintf(date, sizeof date, "%04d-%02d-%02d", r->date.year % 10000, r->date.month % 100,
             r->date.day % 100);
    set_plain(w, s, 1 + TS_RF_DATE, 1, date, at);
    set_plain(w, s, 1 + TS_RF_LANG, 1, ts_lang_name(r->lang), at);
    set_plain(w, s, 1 + TS_RF_CITY, 1, r->city, at);
    set_plain(w, s, 1 + TS_RF_DIVISION, 1, r->division, at);
    set_plain(w, s, 1 + TS_RF_SHORT, 1, r->division_short, at);
    set_inline(w, s, 1 + TS_RF_TITLE, 1, &r->title);
    set_inline(w, s, 1 + TS_RF_SUBTITLE, 1, &r->subtitle);
}

/* Counts of the rows of each sheet. */
typedef struct counts {
    size_t measures, forecasts, targets, phases, tasks, notes, summary;
} counts;

static counts count_rows(const ts_round *r)
{
    counts n = {0};
    if (r == NULL)
        return n;
    for (size_t g = 0; g < r->n_goals; g++)
        for (size_t k = 0; k < r->goals[g].n_measures; k++) {
            const ts_measure *m = &r->goals[g].measures[k];
            n.measures++;
            n.forecasts += m->n_forecasts;
            n.targets += m->n_targets;
            n.notes += m->n_notes;
            for (size_t t = 0; t < m->n_targets; t++) {
                n.tasks += m->targets[t].n_tasks;
                n.phases += m->targets[t].scale ? m->targets[t].scale->n_phases : 0;
            }
        }
    for (size_t i = 0; r->summary && i < r->summary->n_theme_actions; i++)
        n.summary +=
            r->summary->theme_actions[i].n_actions + r->summary->theme_actions[i].n_indicators;
    for (size_t i = 0; r->summary && i < r->summary->n_programme_actions; i++)
        n.summary += r->summary->programme_actions[i].n_actions;
    return n;
}

static void data_sheets(fw *w, ts_sheet *sh)
{
    const ts_round *r = w->r;
    counts n = count_rows(r);
    size_t rows[TS_FORM_SHEETS] = {0};
    rows[TS_FORM_THEMES] = r ? r->n_themes : 0;
    rows[TS_FORM_PROGRAMMES] = r ? r->n_programmes : 0;
    rows[TS_FORM_GOALS] = r ? r->n_goals : 0;
    rows[TS_FORM_MEASURES] = n.measures;
    rows[TS_FORM_FORECASTS] = n.forecasts;
    rows[TS_FORM_TARGETS] = n.targets;
    rows[TS_FORM_PHASES] = n.phases;
    rows[TS_FORM_TASKS] = n.tasks;
    rows[TS_FORM_NOTES] = n.notes;
    rows[TS_FORM_SUMMARY] = n.summary;
    for (int id = TS_FORM_THEMES; id < TS_FORM_SHEETS; id++)
        if (!sheet_open(w, &sh[id], (ts_form_sheet_id)id, rows[id]) ||
            !sheet_heads(w, &sh[id], (ts_form_sheet_id)id))
            return oom(w);
    if (r == NULL)
        return;

    ts_sheet *s = &sh[TS_FORM_THEMES];
    for (size_t i = 0; i < r->n_themes; i++) {
        set_plain(w, s, i + 1, TS_TH_ID, r->themes[i].id, r->themes[i].pos);
        set_inline(w, s, i + 1, TS_TH_NAME, &r->themes[i].name);
    }
    s = &sh[TS_FORM_PROGRAMMES];
    for (size_t i = 0; i < r->n_programmes; i++) {
        const ts_programme *p = &r->programmes[i];
        set_plain(w, s, i + 1, TS_PR_ID, p->id, p->pos);
        set_word(w, s, i + 1, TS_PR_KIND, ts_form_word_key(TS_FORM_PROGRAMME_KIND, (int)p->kind),
                 p->pos);
        set_inline(w, s, i + 1, TS_PR_NAME, &p->name);
    }
    s = &sh[TS_FORM_GOALS];
    for (size_t i = 0; i < r->n_goals; i++) {
        const ts_goal *g = &r->goals[i];
        set_plain(w, s, i + 1, TS_GO_ID, g->id, g->pos);
        set_plain(w, s, i + 1, TS_GO_THEME, g->theme ? g->theme->id : "", g->pos);
        set_inline(w, s, i + 1, TS_GO_STATEMENT, &g->statement);
        set_blocks(w, s, i + 1, TS_GO_DESCRIPTION, &g->description, g->pos);
    }
    size_t row[TS_FORM_SHEETS];
    for (int i = 0; i < TS_FORM_SHEETS; i++)
        row[i] = 1;
    for (size_t gi = 0; gi < r->n_goals && w->rc != TS_SYSTEM_ERROR; gi++) {
        const ts_goal *g = &r->goals[gi];
        for (size_t mi = 0; mi < g->n_measures; mi++) {
            const ts_measure *m = &g->measures[mi];
            s = &sh[TS_FORM_MEASURES];
            size_t y = row[TS_FORM_MEASURES]++;
            set_plain(w, s, y, TS_ME_ID, m->id, m->pos);
            set_plain(w, s, y, TS_ME_GOAL, g->id, m->pos);
            set_inline(w, s, y, TS_ME_NAME, &m->name);
            set_blocks(w, s, y, TS_ME_TEXT, &m->text, m->pos);
            set_word(w, s, y, TS_ME_RECOVERY, ts_form_word_key(TS_FORM_BOOL, m->recovery ? 0 : 1),
                     m->pos);
            if (m->has_date) {
                char d[16];
                if (m->date.day > 0)
                    snprintf(d, sizeof d, "%04d-%02d-%02d", m->date.year % 10000,
                             m->date.month % 100, m->date.day % 100);
                else
                    snprintf(d, sizeof d, "%04d-%02d", m->date.year % 10000, m->date.month % 100);
                set_plain(w, s, y, TS_ME_DATE, d, m->pos);
            }
            set_people(w, s, y, TS_ME_OWNERS, m->owners, m->n_owners, m->pos);
            set_people(w, s, y, TS_ME_MANAGERS, m->managers, m->n_managers, m->pos);
            set_people(w, s, y, TS_ME_PREPARERS, m->preparers, m->n_preparers, m->pos);
            set_blocks(w, s, y, TS_ME_OBJECTIVE, &m->objective, m->pos);
            if (m->level != NULL) {
                set_number(w, s, y, TS_ME_LEVEL, m->level->value, m->level->pos);
                set_plain(w, s, y, TS_ME_UNIT, m->level->unit, m->level->pos);
            }
            set_blocks(w, s, y, TS_ME_COMMENT, &m->comment, m->pos);
            set_blocks(w, s, y, TS_ME_RISKS, &m->risks, m->pos);
            ts_ftext links = {.a = w->a};
            for (size_t i = 0; i < m->n_links; i++)
                ts_ftext_plain(&links, m->links[i]->id);
            finish(w, &links, s, y, TS_ME_LINKS, m->pos);

            s = &sh[TS_FORM_FORECASTS];
            for (size_t i = 0; i < m->n_forecasts; i++) {
                const ts_forecast *f = &m->forecasts[i];
                y = row[TS_FORM_FORECASTS]++;
                set_plain(w, s, y, TS_FC_MEASURE, m->id, f->pos);
                set_number(w, s, y, TS_FC_ROUND, f->round, f->pos);
                set_word(w, s, y, TS_FC_STATUS, ts_form_word_key(TS_FORM_STATUS, (int)f->status),
                         f->pos);
                if (f->has_value)
                    set_number(w, s, y, TS_FC_VALUE, f->value, f->pos);
                set_plain(w, s, y, TS_FC_UNIT, f->unit, f->pos);
                set_blocks(w, s, y, TS_FC_TEXT, &f->text, f->pos);
            }
            for (size_t t = 0; t < m->n_targets; t++) {
                const ts_target *tg = &m->targets[t];
                s = &sh[TS_FORM_TARGETS];
                y = row[TS_FORM_TARGETS]++;
                set_plain(w, s, y, TS_TG_MEASURE, m->id, tg->pos);
                set_number(w, s, y, TS_TG_NUMBER, (double)(t + 1), tg->pos);
                set_plain(w, s, y, TS_TG_ID, tg->id, tg->pos);
                set_inline(w, s, y, TS_TG_TITLE, &tg->title);
                if (tg->scale != NULL) {
                    set_inline(w, s, y, TS_TG_FROM, &tg->scale->from);
                    set_inline(w, s, y, TS_TG_TO, &tg->scale->to);
                }
                set_blocks(w, s, y, TS_TG_FORECAST, &tg->forecast, tg->pos);
                set_blocks(w, s, y, TS_TG_RISKS, &tg->risks, tg->pos);
                s = &sh[TS_FORM_PHASES];
                for (size_t i = 0; tg->scale && i < tg->scale->n_phases; i++) {
                    const ts_phase *ph = &tg->scale->phases[i];
                    y = row[TS_FORM_PHASES]++;
                    set_plain(w, s, y, TS_PH_MEASURE, m->id, ph->pos);
                    set_number(w, s, y, TS_PH_TARGET, (double)(t + 1), ph->pos);
                    set_number(w, s, y, TS_PH_AT, ph->at, ph->pos);
                    set_inline(w, s, y, TS_PH_LABEL, &ph->label);
                }
                s = &sh[TS_FORM_TASKS];
                for (size_t i = 0; i < tg->n_tasks; i++) {
                    const ts_task *k = &tg->tasks[i];
                    y = row[TS_FORM_TASKS]++;
                    set_plain(w, s, y, TS_TA_MEASURE, m->id, k->pos);
                    set_number(w, s, y, TS_TA_TARGET, (double)(t + 1), k->pos);
                    set_inline(w, s, y, TS_TA_TITLE, &k->title);
                    set_word(w, s, y, TS_TA_STATUS,
                             ts_form_word_key(TS_FORM_TASK_STATUS, (int)k->status), k->pos);
                    if (k->progress >= 0)
                        set_number(w, s, y, TS_TA_PROGRESS, k->progress, k->pos);
                    set_blocks(w, s, y, TS_TA_DETAIL, &k->detail, k->pos);
                }
            }
            s = &sh[TS_FORM_NOTES];
            for (size_t i = 0; i < m->n_notes; i++) {
                y = row[TS_FORM_NOTES]++;
                set_plain(w, s, y, TS_NO_MEASURE, m->id, m->notes[i].pos);
                set_blocks(w, s, y, TS_NO_TEXT, &m->notes[i], m->pos);
            }
        }
    }
    s = &sh[TS_FORM_SUMMARY];
    for (size_t i = 0; r->summary && i < r->summary->n_theme_actions; i++) {
        const ts_theme_actions *ta = &r->summary->theme_actions[i];
        for (size_t k = 0; k < ta->n_actions + ta->n_indicators; k++) {
            size_t y = row[TS_FORM_SUMMARY]++;
            bool action = k < ta->n_actions;
            const ts_indicator *ind = action ? NULL : &ta->indicators[k - ta->n_actions];
            int kind = action         ? TS_SUMMARY_ACTION
                       : ind->binding ? TS_SUMMARY_BINDING
                                      : TS_SUMMARY_INDICATOR;
            set_plain(w, s, y, TS_SU_SUBJECT, ta->theme ? ta->theme->id : "", ta->pos);
            set_word(w, s, y, TS_SU_ROW, ts_form_word_key(TS_FORM_SUMMARY_ROW, kind), ta->pos);
            set_blocks(w, s, y, TS_SU_TEXT, action ? &ta->actions[k] : &ind->text, ta->pos);
        }
    }
    for (size_t i = 0; r->summary && i < r->summary->n_programme_actions; i++) {
        const ts_programme_actions *pa = &r->summary->programme_actions[i];
        for (size_t k = 0; k < pa->n_actions; k++) {
            size_t y = row[TS_FORM_SUMMARY]++;
            set_plain(w, s, y, TS_SU_SUBJECT, pa->programme ? pa->programme->id : "", pa->pos);
            set_word(w, s, y, TS_SU_ROW, ts_form_word_key(TS_FORM_SUMMARY_ROW, TS_SUMMARY_ACTION),
                     pa->pos);
            set_blocks(w, s, y, TS_SU_TEXT, &pa->actions[k], pa->pos);
        }
    }
}

/* ---- The guide (Ohje) -------------------------------------------------------------------- */

typedef struct guide_row {
    ts_cell cells[3];
} guide_row;

typedef struct guide {
    fw *w;
    ts_vec rows; /* guide_row */
} guide;

static guide_row *guide_add(guide *g)
{
    guide_row *r = ts_vec_push(g->w->a, &g->rows, sizeof *r);
    if (r == NULL) {
        oom(g->w);
        return NULL;
    }
    for (int i = 0; i < 3; i++)
        r->cells[i].row_span = 1;
    return r;
}

/* A cell of the guide from a label: " | " separates lines, a line that starts with "+ " is
 * indented two spaces, and in an example (`marks`) *word* is bold and _word_ italic. */
static void guide_cell(guide *g, ts_cell *c, const char *text, unsigned style, bool marks)
{
    ts_ftext t = {.a = g->w->a};
    const char *p = text;
    while (p != NULL && *p) {
        const char *sep = strstr(p, " | ");
        size_t n = sep ? (size_t)(sep - p) : strlen(p);
        if (t.lines++ > 0) {
            ts_cell_run *br = ts_vec_push(t.a, &t.runs, sizeof *br);
            if (br == NULL) {
                t.oom = true;
                break;
            }
            *br = (ts_cell_run){"\n", 1, 0};
        }
        size_t i = 0;
        if (n >= 2 && p[0] == '+' && p[1] == ' ') {
            ts_cell_run *sp = ts_vec_push(t.a, &t.runs, sizeof *sp);
            if (sp == NULL) {
                t.oom = true;
                break;
            }
            *sp = (ts_cell_run){"  ", 2, 0};
            i = 2;
        }
        unsigned st = style;
        size_t from = i;
        for (; i <= n; i++) {
            bool mark = marks && i < n && (p[i] == '*' || p[i] == '_');
            if (i < n && !mark)
                continue;
            if (i > from) {
                ts_cell_run *run = ts_vec_push(t.a, &t.runs, sizeof *run);
                if (run == NULL) {
                    t.oom = true;
                    break;
                }
                *run = (ts_cell_run){p + from, i - from, st};
            }
            if (i < n)
                st ^= p[i] == '*' ? TS_RUN_BOLD : TS_RUN_ITALIC;
            from = i + 1;
        }
        p = sep ? sep + 3 : NULL;
    }
    ts_ftext_finish(&t, c);
    if (t.oom)
        oom(g->w);
}

static void guide_line(guide *g, const char *a, const char *b, const char *c, bool head,
                       unsigned style_a)
{
    guide_row *r = guide_add(g);
    if (r == NULL)
        return;
    const char *texts[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        if (texts[i] != NULL)
            guide_cell(g, &r->cells[i], texts[i], i == 0 ? style_a : 0, i == 2);
        r->cells[i].head = head;
    }
}

static void guide_sheet(fw *w, ts_sheet *s)
{
    const ts_labels *l = w->l;
    guide g = {.w = w};
    char key[64];
    guide_line(&g, ts_label(l, "form.guide.title"), "", "", true, 0);
    for (int i = 1; i <= 7; i++) {
        snprintf(key, sizeof key, "form.guide.intro.%d", i);
        guide_line(&g, NULL, ts_label(l, key), NULL, false, 0);
    }
    guide_line(&g, ts_label(l, "form.guide.sheets"), "", "", true, 0);
    for (int id = TS_FORM_ROUND; id < TS_FORM_SHEETS; id++) {
        snprintf(key, sizeof key, "form.%s.about", ts_form_sheet_get((ts_form_sheet_id)id)->key);
        guide_line(&g, sheet_name(w, (ts_form_sheet_id)id), ts_label(l, key), NULL, false,
                   TS_RUN_BOLD);
    }
    guide_line(&g, ts_label(l, "form.guide.text"), "", "", true, 0);
    static const char *const conv[] = {"paragraph", "list",   "nested", "escape", "style",
                                       "link",      "inline", "people", "dates"};
    for (size_t i = 0; i < sizeof conv / sizeof conv[0]; i++) {
        char k2[64], k3[64];
        snprintf(key, sizeof key, "form.guide.text.%s", conv[i]);
        snprintf(k2, sizeof k2, "form.guide.text.%s.help", conv[i]);
        snprintf(k3, sizeof k3, "form.guide.text.%s.example", conv[i]);
        guide_line(&g, ts_label(l, key), ts_label(l, k2), ts_label(l, k3), false, TS_RUN_BOLD);
    }
    guide_line(&g, ts_label(l, "form.guide.words"), "", "", true, 0);
    for (int id = TS_FORM_ROUND; id < TS_FORM_SHEETS; id++) {
        const ts_form_sheet *fs = ts_form_sheet_get((ts_form_sheet_id)id);
        for (size_t c = 0; c < fs->n_cols; c++) {
            const ts_form_column *fc = &fs->cols[c];
            int first, end;
            ts_form_word_range(fc->kind, &first, &end);
            if (end == 0)
                continue;
            size_t len = 1;
            for (int v = first; v < end; v++) {
                const char *word = fc->kind == TS_FORM_LANG
                                       ? ts_form_word_xml(fc->kind, v)
                                       : ts_label(l, ts_form_word_key(fc->kind, v));
                len += strlen(word) + 2;
            }
            char *words = ts_arena_alloc(w->a, len);
            if (words == NULL)
                return oom(w);
            words[0] = '\0';
            for (int v = first; v < end; v++) {
                if (v > first)
                    strcat(words, ", ");
                strcat(words, fc->kind == TS_FORM_LANG
                                  ? ts_form_word_xml(fc->kind, v)
                                  : ts_label(l, ts_form_word_key(fc->kind, v)));
            }
            const char *what = ts_arena_printf(w->a, "%s: %s", sheet_name(w, (ts_form_sheet_id)id),
                                               ts_label(l, ts_form_label_key(key, fs, fc, "")));
            if (what == NULL)
                return oom(w);
            guide_line(&g, what, words, NULL, false, TS_RUN_BOLD);
        }
    }
    for (int id = TS_FORM_ROUND; id < TS_FORM_SHEETS; id++) {
        const ts_form_sheet *fs = ts_form_sheet_get((ts_form_sheet_id)id);
        snprintf(key, sizeof key, "form.%s.about", fs->key);
        guide_line(&g, sheet_name(w, (ts_form_sheet_id)id), ts_label(l, key), "", true, 0);
        guide_line(&g, ts_label(l, "form.guide.col.column"), ts_label(l, "form.guide.col.help"),
                   ts_label(l, "form.guide.col.example"), false, TS_RUN_BOLD);
        guide_row *cr = (guide_row *)g.rows.items + g.rows.len - 1;
        if (w->rc != TS_SYSTEM_ERROR)
            for (int i = 1; i < 3; i++)
                if (cr->cells[i].kind == TS_CELL_TEXT)
                    ((ts_cell_run *)cr->cells[i].runs)[0].style = TS_RUN_BOLD;
        for (size_t c = 0; c < fs->n_cols; c++) {
            const ts_form_column *fc = &fs->cols[c];
            char k2[64], k3[64];
            guide_line(&g, ts_label(l, ts_form_label_key(key, fs, fc, "")), head_note(w, fs, fc),
                       ts_label(l, ts_form_label_key(k3, fs, fc, ".example")), false, TS_RUN_BOLD);
            (void)k2;
        }
    }
    if (w->rc == TS_SYSTEM_ERROR)
        return;
    s->name = sheet_name(w, TS_FORM_GUIDE);
    s->n_cols = 3;
    s->n_rows = g.rows.len;
    s->header_rows = 0;
    s->cells = ts_arena_calloc(w->a, s->n_rows * 3, sizeof *s->cells);
    double *widths = ts_arena_calloc(w->a, 3, sizeof *widths);
    ts_column *cols = ts_arena_calloc(w->a, 3, sizeof *cols);
    if (s->cells == NULL || widths == NULL || cols == NULL)
        return oom(w);
    const guide_row *rows = g.rows.items;
    for (size_t r = 0; r < s->n_rows; r++)
        for (int c = 0; c < 3; c++)
            s->cells[r * 3 + (size_t)c] = rows[r].cells[c];
    widths[0] = 30;
    widths[1] = 80;
    widths[2] = 42;
    s->widths = widths;
    s->columns = cols;
}

/* ---- The table --------------------------------------------------------------------------- */

ts_rc ts_form_table(const ts_round *r, ts_lang lang, const ts_build_ctx *ctx, ts_arena *a,
                    ts_diags *diags, const ts_table **out)
{
    *out = NULL;
    fw w = {.r = r, .l = ctx->labels, .a = a, .diags = diags, .lang = lang, .rc = TS_OK};
    w.file = r ? r->file : NULL;
    ts_table *t = ts_arena_calloc(a, 1, sizeof *t);
    if (t == NULL) {
        oom(&w);
        return w.rc;
    }
    t->n_sheets = TS_FORM_SHEETS;
    guide_sheet(&w, &t->sheets[TS_FORM_GUIDE]);
    if (w.rc != TS_SYSTEM_ERROR)
        round_sheet(&w, &t->sheets[TS_FORM_ROUND]);
    if (w.rc != TS_SYSTEM_ERROR)
        data_sheets(&w, t->sheets);
    for (int id = TS_FORM_ROUND; w.rc == TS_OK && id < TS_FORM_SHEETS; id++) {
        const ts_form_sheet *fs = ts_form_sheet_get((ts_form_sheet_id)id);
        static const ts_form_column round_cols[2] = {{.width_min = 16, .width_max = 16},
                                                     {.width_min = 30, .width_max = 60}};
        if (!fit_widths(&w, &t->sheets[id], id == TS_FORM_ROUND ? round_cols : fs->cols))
            oom(&w);
    }
    if (w.rc == TS_OK && !ts_table_fit_rows(ctx, t->sheets, t->n_sheets, a, diags))
        w.rc = TS_SYSTEM_ERROR;
    if (w.rc == TS_OK)
        *out = t;
    return w.rc;
}
