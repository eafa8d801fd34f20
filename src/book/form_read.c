/* The form reader (form_read.h): cells -> rows of each sheet -> the round. */
#define _POSIX_C_SOURCE 200809L
#include "book/form_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book/form_schema.h"
#include "book/form_text.h"
#include "round/rules.h"
#include "core/utf8.h"

enum { MAX_COLS = 16, UNIT_MAX_CHARS = 32 };

/* ---- Words ------------------------------------------------------------------------------- */

/* The lower case of the letters the three languages use (ASCII, Latin-1, Latin Extended-A). */
static uint32_t lower(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
        return c + 0x20;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        !(c >= 0x139 && c <= 0x148) && !(c >= 0x179 && c <= 0x17E))
        return c | 1u;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
        return (c & 1u) ? c + 1 : c;
    return c;
}

/* s folded for comparing words: lower case, white space (and no-break spaces) one space, none
 * at the ends.  In a. */
static char *fold_word(ts_arena *a, const char *s)
{
    size_t n = strlen(s);
    char *out = ts_arena_alloc(a, n + 1), *w = out;
    if (out == NULL)
        return NULL;
    bool space = false;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t len = ts_utf8_decode((const unsigned char *)s + i, n - i, &c);
        if (len == 0) {
            c = (unsigned char)s[i];
            len = 1;
        }
        i += len;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0) {
            space = w != out;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        w += ts_utf8_put(w, lower(c));
    }
    *w = '\0';
    return out;
}

/* ---- The reading ------------------------------------------------------------------------- */

typedef struct rd {
    const ts_fbook *b;
    const ts_labels *l; /* the form's language */
    ts_round *r;
    ts_arena *a;       /* the round's */
    ts_arena *scratch; /* the read's */
    ts_diags *diags;
    ts_rules rules;
    const char *file;
    ts_sheet_ref *refs; /* TS_FORM_SHEETS of them, in the round's arena */
    const ts_fsheet *sheet[TS_FORM_SHEETS];
    int col[TS_FORM_SHEETS][MAX_COLS]; /* a schema column's workbook column, -1: missing */
    bool readable[TS_FORM_SHEETS];     /* present, every head found */
    bool oom;
} rd;

static void error_at(rd *d, ts_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warning_at(rd *d, ts_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(rd *d, ts_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(d->diags, d->file, at, TS_ERROR, fmt, ap);
    va_end(ap);
}

static void warning_at(rd *d, ts_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(d->diags, d->file, at, TS_WARNING, fmt, ap);
    va_end(ap);
}

static void oom(rd *d)
{
    if (!d->oom)
        ts_diag_fault(d->diags, d->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
    d->oom = true;
}

static ts_pos at(const rd *d, ts_form_sheet_id s, uint32_t row, uint32_t col)
{
    return (ts_pos){row + 1, col + 1, &d->refs[s]};
}

static const char *label(const rd *d, const char *key)
{
    return ts_label(d->l, key);
}

static const char *head_label(const rd *d, ts_form_sheet_id s, size_t c)
{
    char key[64];
    const ts_form_sheet *fs = ts_form_sheet_get(s);
    return label(d, ts_form_label_key(key, fs, &fs->cols[c], ""));
}

static const char *shown(rd *d, const char *s)
{
    return ts_rules_shown(&d->rules, s);
}

/* ---- Cells ------------------------------------------------------------------------------- */

/* A row of a sheet as the schema's columns: the cell of each, or NULL. */
typedef struct row {
    ts_form_sheet_id sheet;
    uint32_t index; /* 0-based row */
    const ts_fcell *cell[MAX_COLS];
} row;

static ts_pos cell_pos(const rd *d, const row *rw, size_t c)
{
    int wc = d->col[rw->sheet][c];
    return at(d, rw->sheet, rw->index, wc >= 0 ? (uint32_t)wc : 0);
}

static bool blank_text(const ts_fcell *c)
{
    for (size_t i = 0; i < c->n_runs; i++)
        for (size_t k = 0; k < c->runs[i].len; k++) {
            char ch = c->runs[i].text[k];
            if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
                return false;
        }
    return true;
}

static bool empty(const ts_fcell *c)
{
    return c == NULL || (c->type == TS_FCELL_TEXT && blank_text(c));
}

/* The shortest decimal that reads back as v. */
static void shortest(double v, char out[40])
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, 40, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

/* A cell's content as runs of text: a number as General shows it. */
static const ts_cell_run *runs_of(rd *d, const ts_fcell *c, size_t *n)
{
    if (c->type == TS_FCELL_TEXT) {
        *n = c->n_runs;
        return c->runs;
    }
    char buf[40];
    if (c->type == TS_FCELL_BOOLEAN)
        snprintf(buf, sizeof buf, "%s", c->number != 0 ? "true" : "false");
    else
        shortest(c->number, buf);
    ts_cell_run *r = ts_arena_calloc(d->scratch, 1, sizeof *r);
    char *t = ts_arena_strdup(d->scratch, buf);
    if (r == NULL || t == NULL) {
        oom(d);
        *n = 0;
        return NULL;
    }
    *r = (ts_cell_run){t, strlen(t), 0};
    *n = 1;
    return r;
}

/* A cell that holds an error value is no value: said once, and read as empty. */
static bool error_cell(rd *d, const row *rw, size_t c)
{
    const ts_fcell *cell = rw->cell[c];
    if (cell == NULL || cell->type != TS_FCELL_ERROR)
        return false;
    char *text = NULL;
    if (cell->n_runs > 0)
        text = ts_arena_strndup(d->scratch, cell->runs[0].text, cell->runs[0].len);
    error_at(d, cell_pos(d, rw, c),
             "the cell holds the error %s (a formula's), not a value: write the value itself",
             text ? text : "#?");
    return true;
}

/* One line of plain text (white space folded), or NULL when empty.  Two lines are an error. */
static const char *plain(rd *d, const row *rw, size_t c)
{
    const ts_fcell *cell = rw->cell[c];
    if (empty(cell) || error_cell(d, rw, c))
        return NULL;
    size_t n;
    const ts_cell_run *runs = runs_of(d, cell, &n);
    ts_inline in;
    ts_ftext_problem p;
    if (!ts_ftext_read_inline(runs, n, cell_pos(d, rw, c), d->scratch, &in, &p)) {
        if (p.message == NULL)
            oom(d);
        else
            error_at(d, cell_pos(d, rw, c), "%s (line %u)", p.message, p.line);
        return NULL;
    }
    /* Plain: the text as written, brackets and all. */
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += runs[i].len;
    char *all = ts_arena_alloc(d->scratch, len + 1);
    if (all == NULL) {
        oom(d);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(all + k, runs[i].text, runs[i].len);
        k += runs[i].len;
    }
    all[k] = '\0';
    /* fold as the round file folds a text */
    char *out = ts_arena_alloc(d->a, len + 1), *w = out;
    if (out == NULL) {
        oom(d);
        return NULL;
    }
    bool space = false;
    for (const char *s = all; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = w != out;
            continue;
        }
        if (space)
            *w++ = ' ';
        space = false;
        *w++ = *s;
    }
    *w = '\0';
    return *out ? out : NULL;
}

static bool read_inline(rd *d, const row *rw, size_t c, ts_inline *out)
{
    const ts_fcell *cell = rw->cell[c];
    ts_pos pos = cell_pos(d, rw, c);
    *out = (ts_inline){NULL, 0, pos};
    if (empty(cell) || error_cell(d, rw, c))
        return false;
    size_t n;
    const ts_cell_run *runs = runs_of(d, cell, &n);
    ts_ftext_problem p;
    if (!ts_ftext_read_inline(runs, n, pos, d->a, out, &p)) {
        if (p.message == NULL)
            oom(d);
        else
            error_at(d, pos, "%s (line %u)", p.message, p.line);
        return false;
    }
    return out->n_runs > 0;
}

static ts_blocks read_blocks(rd *d, const row *rw, size_t c, bool always)
{
    const ts_fcell *cell = rw->cell[c];
    ts_pos pos = cell_pos(d, rw, c);
    ts_blocks bl = {NULL, 0, always, pos};
    if (empty(cell) || error_cell(d, rw, c))
        return bl;
    size_t n;
    const ts_cell_run *runs = runs_of(d, cell, &n);
    ts_ftext_problem p;
    if (!ts_ftext_read_blocks(runs, n, pos, d->a, &bl, &p)) {
        if (p.message == NULL)
            oom(d);
        else
            error_at(d, pos, "%s (line %u)", p.message, p.line);
        return (ts_blocks){NULL, 0, always, pos};
    }
    bl.present = always || bl.n > 0;
    return bl;
}

/* The non-empty lines of a cell, each folded. */
static size_t lines_of(rd *d, const row *rw, size_t c, const char ***out)
{
    *out = NULL;
    const ts_fcell *cell = rw->cell[c];
    if (empty(cell) || error_cell(d, rw, c))
        return 0;
    size_t n;
    const ts_cell_run *runs = runs_of(d, cell, &n);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += runs[i].len;
    char *all = ts_arena_alloc(d->scratch, len + 1);
    const char **lines = ts_arena_calloc(d->scratch, len / 2 + 2, sizeof *lines);
    if (all == NULL || lines == NULL) {
        oom(d);
        return 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(all + k, runs[i].text, runs[i].len);
        k += runs[i].len;
    }
    all[k] = '\0';
    size_t count = 0;
    for (char *s = all; s != NULL;) {
        char *nl = strpbrk(s, "\r\n");
        if (nl)
            *nl = '\0';
        char *w = ts_arena_alloc(d->a, strlen(s) + 1), *o = w;
        if (w == NULL) {
            oom(d);
            return 0;
        }
        bool space = false;
        for (const char *p = s; *p; p++) {
            if (*p == ' ' || *p == '\t') {
                space = o != w;
                continue;
            }
            if (space)
                *o++ = ' ';
            space = false;
            *o++ = *p;
        }
        *o = '\0';
        if (*w)
            lines[count++] = w;
        s = nl ? nl + 1 : NULL;
    }
    *out = lines;
    return count;
}

/* A decimal written as text: "12,5", "-3", "1 000.25" (spaces group digits). */
static bool parse_number_text(const char *s, double *v)
{
    char buf[64];
    size_t k = 0;
    bool comma = false, dot = false, digits = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if (p[0] == 0xC2 && p[1] == 0xA0) { /* a no-break space */
            p++;
            continue;
        }
        if (p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92) { /* the minus sign */
            if (k > 0)
                return false;
            buf[k++] = '-';
            p += 2;
            continue;
        }
        char c = (char)*p;
        if (c == ',')
            comma = true, c = '.';
        else if (c == '.')
            dot = true;
        else if (c >= '0' && c <= '9')
            digits = true;
        else if (!((c == '-' || c == '+') && k == 0))
            return false;
        if (k + 1 >= sizeof buf)
            return false;
        buf[k++] = c;
    }
    buf[k] = '\0';
    if (!digits || (comma && dot))
        return false;
    char *end;
    *v = strtod(buf, &end);
    return *end == '\0' && isfinite(*v);
}

/* A number of the cell: a number cell (a percentage's shown value: 70 % is 70), or text. */
static bool number(rd *d, const row *rw, size_t c, double *v, bool *given)
{
    const ts_fcell *cell = rw->cell[c];
    *given = false;
    if (empty(cell) || error_cell(d, rw, c))
        return false;
    *given = true;
    if (cell->type == TS_FCELL_NUMBER) {
        *v = cell->number;
        if (cell->format == TS_FFMT_PERCENT) {
            char buf[40];
            snprintf(buf, sizeof buf, "%.15g", cell->number * 100.0);
            *v = strtod(buf, NULL);
        }
        return true;
    }
    const char *t = cell->type == TS_FCELL_TEXT ? plain(d, rw, c) : NULL;
    if (t != NULL && parse_number_text(t, v))
        return true;
    error_at(d, cell_pos(d, rw, c), "\"%s\" is not a number (write e.g. 70 or 12,5)",
             t                                ? shown(d, t)
             : cell->type == TS_FCELL_BOOLEAN ? "TRUE/FALSE"
                                              : "?");
    return false;
}

static bool whole(rd *d, const row *rw, size_t c, long lo, long hi, long *out, bool *given)
{
    double v;
    if (!number(d, rw, c, &v, given))
        return false;
    if (v != floor(v) || v < (double)lo || v > (double)hi) {
        char buf[40];
        shortest(v, buf);
        error_at(d, cell_pos(d, rw, c), "%s is not a whole number %ld–%ld", buf, lo, hi);
        return false;
    }
    *out = (long)v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* The civil date of a day count from 1970-01-01 (Howard Hinnant's algorithm). */
static ts_date civil(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long day = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    return (ts_date){(int)(y + (m <= 2)), (int)m, (int)day};
}

/* A date: "YYYY-MM-DD" (or "YYYY-MM" where allowed) or "D.M.YYYY" as text, or a date cell. */
static bool date(rd *d, const row *rw, size_t c, bool year_month, ts_date *out, bool *given)
{
    const ts_fcell *cell = rw->cell[c];
    *given = false;
    if (empty(cell) || error_cell(d, rw, c))
        return false;
    *given = true;
    ts_pos pos = cell_pos(d, rw, c);
    if (cell->type == TS_FCELL_NUMBER && cell->format == TS_FFMT_DATE) {
        /* Day 0 is 1899-12-30 (25569 days before 1970) or 1904-01-01 (24107). */
        long days = (long)floor(cell->number) - (d->b->date1904 ? 24107 : 25569);
        *out = civil(days);
        if (out->year < 1 || out->year > 9999) {
            error_at(d, pos, "the date cell is out of the years 1–9999");
            return false;
        }
        return true;
    }
    const char *t = plain(d, rw, c);
    const char *want = year_month ? "write YYYY-MM-DD or YYYY-MM" : "write YYYY-MM-DD";
    if (t == NULL) {
        error_at(d, pos, "this is not a date: %s", want);
        return false;
    }
    int y = 0, m = 0, dd = 0;
    char tail;
    size_t n = strlen(t);
    bool ok = false;
    if (n == 10 && sscanf(t, "%4d-%2d-%2d%c", &y, &m, &dd, &tail) == 3 && t[4] == '-')
        ok = true;
    else if (year_month && n == 7 && sscanf(t, "%4d-%2d%c", &y, &m, &tail) == 2 && t[4] == '-')
        ok = true, dd = 0;
    else if (sscanf(t, "%2d.%2d.%4d%c", &dd, &m, &y, &tail) == 3 && y >= 1000)
        ok = true;
    for (size_t i = 0; ok && i < n; i++)
        ok = (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '.';
    if (!ok) {
        error_at(d, pos, "\"%s\" is not a date: %s", shown(d, t), want);
        return false;
    }
    if (y < 1 || m < 1 || m > 12 || (dd != 0 && (dd < 1 || dd > days_in_month(y, m))) ||
        (dd == 0 && !year_month)) {
        error_at(d, pos, "\"%s\" is not a date: there is no such day", shown(d, t));
        return false;
    }
    *out = (ts_date){y, m, dd};
    return true;
}

/* A word of a list kind: the form's word (any case), or the XML's value.  Returns the value or
 * -1 (said). */
static int word(rd *d, const row *rw, size_t c, ts_form_kind kind, const char *what)
{
    const ts_fcell *cell = rw->cell[c];
    if (empty(cell) || error_cell(d, rw, c))
        return -1;
    if (kind == TS_FORM_BOOL && cell->type == TS_FCELL_BOOLEAN)
        return cell->number != 0 ? 0 : 1;
    const char *t = plain(d, rw, c);
    const char *f = t ? fold_word(d->scratch, t) : NULL;
    if (f == NULL)
        return -1;
    int first, end;
    ts_form_word_range(kind, &first, &end);
    const char *words[8], *folded[8];
    size_t n = 0;
    for (int v = first; v < end; v++) {
        const char *key = ts_form_word_key(kind, v);
        words[n] = key ? label(d, key) : ts_form_word_xml(kind, v);
        folded[n] = fold_word(d->scratch, words[n]);
        const char *xml = ts_form_word_xml(kind, v);
        if ((folded[n] && strcmp(folded[n], f) == 0) || (xml && strcmp(xml, f) == 0))
            return v;
        /* the pack's own spelling of a task status ("TEKEMÄTTÄ") */
        if (kind == TS_FORM_TASK_STATUS) {
            const char *pack = fold_word(d->scratch, ts_label_task_status(d->l, (ts_task_status)v));
            if (pack && strcmp(pack, f) == 0)
                return v;
        }
        if (folded[n] == NULL) {
            oom(d);
            return -1;
        }
        n++;
    }
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(words[i]) + 2;
    char *list = ts_arena_alloc(d->scratch, len);
    if (list == NULL) {
        oom(d);
        return -1;
    }
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(list, ", ");
        strcat(list, words[i]);
    }
    const char *near = ts_nearest(f, folded, n);
    const char *near_word = NULL;
    for (size_t i = 0; near && i < n; i++)
        if (folded[i] == near)
            near_word = words[i];
    error_at(d, cell_pos(d, rw, c), "\"%s\" is not %s; allowed: %s%s%s%s", shown(d, t), what, list,
             near_word ? " (did you mean " : "", near_word ? near_word : "", near_word ? "?)" : "");
    return -1;
}

/* ---- Sheets and heads -------------------------------------------------------------------- */

static const ts_fsheet *find_sheet(rd *d, const char *name)
{
    const char *want = fold_word(d->scratch, name);
    for (size_t i = 0; want && i < d->b->n_sheets; i++) {
        const char *have = fold_word(d->scratch, d->b->sheets[i].name);
        if (have && strcmp(have, want) == 0)
            return &d->b->sheets[i];
    }
    return NULL;
}

static char *cell_plain_text(rd *d, const ts_fcell *c)
{
    size_t n;
    const ts_cell_run *runs = runs_of(d, c, &n);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += runs[i].len;
    char *s = ts_arena_alloc(d->scratch, len + 1);
    if (s == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(s + k, runs[i].text, runs[i].len);
        k += runs[i].len;
    }
    s[k] = '\0';
    return s;
}

/* Finds the sheets and, in each, the column of each head. */
static void map_sheets(rd *d)
{
    for (int s = 0; s < TS_FORM_SHEETS; s++) {
        char key[64];
        snprintf(key, sizeof key, "form.sheet.%s", ts_form_sheet_get((ts_form_sheet_id)s)->key);
        d->refs[s] = (ts_sheet_ref){label(d, key), (uint32_t)s + 1};
        d->sheet[s] = find_sheet(d, d->refs[s].name);
        for (int c = 0; c < MAX_COLS; c++)
            d->col[s][c] = -1;
        if (d->sheet[s] != NULL)
            d->refs[s].name = ts_arena_strdup(d->a, d->sheet[s]->name);
        if (d->refs[s].name == NULL)
            return oom(d);
    }
    /* Sheets the form does not know, named so that a slip is found ("Mittarit 2"). */
    for (size_t i = 0; i < d->b->n_sheets; i++) {
        bool known = false;
        for (int s = 0; s < TS_FORM_SHEETS; s++)
            known |= d->sheet[s] == &d->b->sheets[i];
        if (known)
            continue;
        ts_sheet_ref *ref = ts_arena_calloc(d->a, 1, sizeof *ref);
        if (ref == NULL)
            return oom(d);
        *ref = (ts_sheet_ref){d->b->sheets[i].name, TS_FORM_SHEETS + 1 + (uint32_t)i};
        warning_at(d, (ts_pos){0, 0, ref},
                   "the form has no sheet of this name; it is not read (the sheets are named as "
                   "in the guide, %s)",
                   label(d, "form.sheet.guide"));
    }
    for (int s = TS_FORM_ROUND; s < TS_FORM_SHEETS; s++) {
        const ts_form_sheet *fs = ts_form_sheet_get((ts_form_sheet_id)s);
        const ts_fsheet *sh = d->sheet[s];
        if (sh == NULL) {
            error_at(d, (ts_pos){0, 0},
                     "the form has no sheet \"%s\": a form has every sheet that its guide (%s) "
                     "lists, an empty one too",
                     d->refs[s].name, label(d, "form.sheet.guide"));
            continue;
        }
        size_t n_heads = s == TS_FORM_ROUND ? 2 : fs->n_cols;
        const char *heads[MAX_COLS];
        for (size_t c = 0; c < n_heads; c++)
            heads[c] =
                fold_word(d->scratch, s == TS_FORM_ROUND ? label(d, ts_form_round_heads[c])
                                                         : head_label(d, (ts_form_sheet_id)s, c));
        for (size_t i = 0; i < sh->n_cells && sh->cells[i].row == 0; i++) {
            const ts_fcell *cell = &sh->cells[i];
            if (empty(cell))
                continue;
            char *text = cell_plain_text(d, cell);
            const char *f = text ? fold_word(d->scratch, text) : NULL;
            if (f == NULL)
                return oom(d);
            size_t c = 0;
            while (c < n_heads && (heads[c] == NULL || strcmp(heads[c], f) != 0))
                c++;
            ts_pos pos = at(d, (ts_form_sheet_id)s, 0, cell->col);
            if (c == n_heads) {
                warning_at(d, pos, "the sheet has no column \"%s\"; it is not read",
                           shown(d, text));
            } else if (d->col[s][c] >= 0) {
                char first[16];
                error_at(d, pos, "a second column \"%s\": the first is column %s", shown(d, text),
                         ts_cell_name(1, (uint32_t)d->col[s][c] + 1, first));
            } else if (cell->col < 16384) {
                d->col[s][c] = (int)cell->col;
            }
        }
        bool all = true;
        for (size_t c = 0; c < n_heads; c++) {
            if (d->col[s][c] >= 0)
                continue;
            all = false;
            const char *h = s == TS_FORM_ROUND ? label(d, ts_form_round_heads[c])
                                               : head_label(d, (ts_form_sheet_id)s, c);
            error_at(d, at(d, (ts_form_sheet_id)s, 0, 0),
                     "the head row has no column \"%s\": the first row of a sheet holds its "
                     "columns' heads, as the guide lists them",
                     h);
        }
        d->readable[s] = all;
    }
}

/* The rows of a sheet that hold something, in order. */
static size_t sheet_rows(rd *d, ts_form_sheet_id s, row **out)
{
    *out = NULL;
    const ts_fsheet *sh = d->sheet[s];
    if (sh == NULL || !d->readable[s])
        return 0;
    size_t n_cols = s == TS_FORM_ROUND ? 2 : ts_form_sheet_get(s)->n_cols;
    size_t cap = 0;
    for (size_t i = 0; i < sh->n_cells; i++)
        cap += i == 0 || sh->cells[i].row != sh->cells[i - 1].row;
    row *rows = ts_arena_calloc(d->scratch, cap + 1, sizeof *rows);
    if (rows == NULL) {
        oom(d);
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < sh->n_cells;) {
        uint32_t r = sh->cells[i].row;
        row rw = {.sheet = s, .index = r};
        bool any = false;
        for (; i < sh->n_cells && sh->cells[i].row == r; i++)
            for (size_t c = 0; c < n_cols; c++)
                if (d->col[s][c] >= 0 && (uint32_t)d->col[s][c] == sh->cells[i].col) {
                    rw.cell[c] = &sh->cells[i];
                    any |= !empty(&sh->cells[i]);
                }
        if (r > 0 && any)
            rows[n++] = rw;
    }
    *out = rows;
    return n;
}

/* ---- Kierros ----------------------------------------------------------------------------- */

static void read_round_sheet(rd *d, const ts_form_overrides *ov)
{
    ts_round *r = d->r;
    row *rows;
    size_t n = sheet_rows(d, TS_FORM_ROUND, &rows);
    const ts_form_sheet *fs = ts_form_sheet_get(TS_FORM_ROUND);
    const row *field[TS_RF_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        const char *name = plain(d, &rows[i], TS_ROUND_FIELD);
        const char *f = name ? fold_word(d->scratch, name) : NULL;
        if (f == NULL) {
            error_at(d, cell_pos(d, &rows[i], TS_ROUND_FIELD),
                     "a value without its field's name: write the field in this column");
            continue;
        }
        size_t k = 0;
        char key[64];
        while (k < TS_RF_COUNT &&
               strcmp(fold_word(d->scratch, label(d, ts_form_label_key(key, fs, &fs->cols[k], ""))),
                      f) != 0)
            k++;
        if (k == TS_RF_COUNT)
            warning_at(d, cell_pos(d, &rows[i], TS_ROUND_FIELD),
                       "\"%s\" is no field of a round; it is not read", shown(d, name));
        else if (field[k] != NULL)
            error_at(d, cell_pos(d, &rows[i], TS_ROUND_FIELD),
                     "the field \"%s\" a second time: the first is on row %u", shown(d, name),
                     field[k]->index + 1);
        else
            field[k] = &rows[i];
    }
    ts_pos sheet_pos = at(d, TS_FORM_ROUND, 0, 0);
    r->pos = sheet_pos;
    bool overridden[TS_RF_COUNT] = {0};
    overridden[TS_RF_YEAR] = ov && ov->year >= 0;
    overridden[TS_RF_NUMBER] = ov && ov->number >= 0;
    overridden[TS_RF_DATE] = ov && ov->date;
    overridden[TS_RF_LANG] = ov && ov->lang >= 0;
    overridden[TS_RF_DIVISION] = ov && ov->division;
    overridden[TS_RF_SHORT] = ov && ov->division_short;
    overridden[TS_RF_CITY] = ov && ov->city;
    for (size_t k = 0; k < TS_RF_COUNT; k++) {
        char key[64];
        const row *rw = field[k];
        bool filled = rw && !empty(rw->cell[TS_ROUND_VALUE]);
        if (!filled && fs->cols[k].required && !overridden[k])
            error_at(d, rw ? cell_pos(d, rw, TS_ROUND_VALUE) : sheet_pos,
                     "the round's %s is missing: %s",
                     label(d, ts_form_label_key(key, fs, &fs->cols[k], "")),
                     label(d, ts_form_label_key(key, fs, &fs->cols[k], ".help")));
    }
    long v;
    bool given;
    if (field[TS_RF_YEAR] && whole(d, field[TS_RF_YEAR], TS_ROUND_VALUE, 2000, 2100, &v, &given))
        r->year = (int)v;
    if (field[TS_RF_NUMBER] && whole(d, field[TS_RF_NUMBER], TS_ROUND_VALUE, 1, 3, &v, &given))
        r->number = (int)v;
    if (field[TS_RF_DATE])
        date(d, field[TS_RF_DATE], TS_ROUND_VALUE, false, &r->date, &given);
    if (field[TS_RF_LANG]) {
        int lang = word(d, field[TS_RF_LANG], TS_ROUND_VALUE, TS_FORM_LANG, "a language");
        if (lang >= 0)
            r->lang = (ts_lang)lang;
    }
    const char *s;
    r->city = r->division = "";
    if (field[TS_RF_CITY] && (s = plain(d, field[TS_RF_CITY], TS_ROUND_VALUE)) != NULL)
        r->city = s;
    if (field[TS_RF_DIVISION] && (s = plain(d, field[TS_RF_DIVISION], TS_ROUND_VALUE)) != NULL)
        r->division = s;
    if (field[TS_RF_SHORT] &&
        (r->division_short = plain(d, field[TS_RF_SHORT], TS_ROUND_VALUE)) != NULL) {
        size_t chars = ts_utf8_count(r->division_short, strlen(r->division_short));
        if (chars > TS_SHORT_NAME_MAX) {
            error_at(d, cell_pos(d, field[TS_RF_SHORT], TS_ROUND_VALUE),
                     "the short name \"%s\" has %zu characters; the short name, which names the "
                     "output files, has at most %d",
                     shown(d, r->division_short), chars, TS_SHORT_NAME_MAX);
            r->division_short = NULL;
        }
    }
    if (field[TS_RF_TITLE])
        read_inline(d, field[TS_RF_TITLE], TS_ROUND_VALUE, &r->title);
    if (field[TS_RF_SUBTITLE])
        read_inline(d, field[TS_RF_SUBTITLE], TS_ROUND_VALUE, &r->subtitle);
    if (ov != NULL) {
        if (ov->year >= 0)
            r->year = ov->year;
        if (ov->number >= 0)
            r->number = ov->number;
        if (ov->date != NULL)
            sscanf(ov->date, "%4d-%2d-%2d", &r->date.year, &r->date.month, &r->date.day);
        if (ov->lang >= 0)
            r->lang = (ts_lang)ov->lang;
        if (ov->division != NULL)
            r->division = ts_arena_strdup(d->a, ov->division);
        if (ov->division_short != NULL)
            r->division_short = ts_arena_strdup(d->a, ov->division_short);
        if (ov->city != NULL)
            r->city = ts_arena_strdup(d->a, ov->city);
        if (r->division == NULL)
            r->division = "";
        if (r->city == NULL)
            r->city = "";
    }
}

/* ---- The elements ------------------------------------------------------------------------ */

/* The id in column c of a row, checked and registered; NULL (said) when it is not one. */
static const char *row_id(rd *d, const row *rw, size_t c, ts_id_kind kind, const void *object,
                          bool required)
{
    const char *id = plain(d, rw, c);
    if (id == NULL) {
        if (required && empty(rw->cell[c]))
            error_at(d, cell_pos(d, rw, c), "the %s has no %s: every row needs one",
                     ts_id_kind_name(kind), head_label(d, rw->sheet, c));
        return NULL;
    }
    return ts_rules_take_id(&d->rules, id, kind, object, cell_pos(d, rw, c));
}

static const void *row_ref(rd *d, const row *rw, size_t c, ts_id_kind kind)
{
    const char *id = plain(d, rw, c);
    if (id == NULL) {
        if (empty(rw->cell[c]))
            error_at(d, cell_pos(d, rw, c), "the row names no %s: write the %s's id (%s)",
                     ts_id_kind_name(kind), ts_id_kind_name(kind), head_label(d, rw->sheet, c));
        return NULL;
    }
    const char *written = ts_arena_printf(d->scratch, "\"%s\"", shown(d, id));
    return ts_rules_resolve(&d->rules, id, kind, cell_pos(d, rw, c), written ? written : id);
}

/* An inline text that must hold some. */
static void required_text(rd *d, const row *rw, size_t c, ts_inline *out, const char *what)
{
    if (empty(rw->cell[c])) {
        *out = (ts_inline){NULL, 0, cell_pos(d, rw, c)};
        error_at(d, cell_pos(d, rw, c), "%s is empty: write %s", head_label(d, rw->sheet, c), what);
        return;
    }
    read_inline(d, rw, c, out);
}

static void unit_of(rd *d, const row *rw, size_t c, const char **out)
{
    *out = plain(d, rw, c);
    if (*out && ts_utf8_count(*out, strlen(*out)) > UNIT_MAX_CHARS)
        error_at(d, cell_pos(d, rw, c),
                 "the unit \"%s\" is longer than %d characters: a unit is short (\"%%\", \"kpl\")",
                 shown(d, *out), UNIT_MAX_CHARS);
}

/* What one measure's rows on the other sheets are, gathered before the arrays are made. */
typedef struct measure_rows {
    ts_vec forecasts, targets, notes; /* of const row * */
    ts_vec phases, tasks;             /* of const row * */
} measure_rows;

static bool push_row(rd *d, ts_vec *v, const row *rw)
{
    const row **slot = ts_vec_push(d->scratch, v, sizeof *slot);
    if (slot == NULL) {
        oom(d);
        return false;
    }
    *slot = rw;
    return true;
}

static void read_elements(rd *d)
{
    ts_round *r = d->r;
    row *rows[TS_FORM_SHEETS] = {0};
    size_t n[TS_FORM_SHEETS] = {0};
    for (int s = TS_FORM_THEMES; s < TS_FORM_SHEETS; s++)
        n[s] = sheet_rows(d, (ts_form_sheet_id)s, &rows[s]);
    if (d->oom)
        return;

    /* Themes and programmes. */
    ts_theme *themes =
        n[TS_FORM_THEMES] ? ts_arena_calloc(d->a, n[TS_FORM_THEMES], sizeof *themes) : NULL;
    ts_programme *progs =
        n[TS_FORM_PROGRAMMES] ? ts_arena_calloc(d->a, n[TS_FORM_PROGRAMMES], sizeof *progs) : NULL;
    ts_goal *goals =
        n[TS_FORM_GOALS] ? ts_arena_calloc(d->a, n[TS_FORM_GOALS], sizeof *goals) : NULL;
    if ((n[TS_FORM_THEMES] && !themes) || (n[TS_FORM_PROGRAMMES] && !progs) ||
        (n[TS_FORM_GOALS] && !goals))
        return oom(d);
    for (size_t i = 0; i < n[TS_FORM_THEMES]; i++) {
        const row *rw = &rows[TS_FORM_THEMES][i];
        themes[i].pos = cell_pos(d, rw, TS_TH_ID);
        themes[i].id = row_id(d, rw, TS_TH_ID, TS_ID_THEME, &themes[i], true);
        required_text(d, rw, TS_TH_NAME, &themes[i].name, "the theme's name");
    }
    r->themes = themes;
    r->n_themes = n[TS_FORM_THEMES];
    for (size_t i = 0; i < n[TS_FORM_PROGRAMMES]; i++) {
        const row *rw = &rows[TS_FORM_PROGRAMMES][i];
        progs[i].pos = cell_pos(d, rw, TS_PR_ID);
        progs[i].id = row_id(d, rw, TS_PR_ID, TS_ID_PROGRAMME, &progs[i], true);
        int kind = word(d, rw, TS_PR_KIND, TS_FORM_PROGRAMME_KIND, "a programme kind");
        if (kind < 0 && empty(rw->cell[TS_PR_KIND]))
            error_at(d, cell_pos(d, rw, TS_PR_KIND), "the programme's kind is empty: pick one");
        progs[i].kind = kind < 0 ? TS_PROGRAMME_CITY_PROJECT : (ts_programme_kind)kind;
        required_text(d, rw, TS_PR_NAME, &progs[i].name, "the programme's name");
    }
    r->programmes = progs;
    r->n_programmes = n[TS_FORM_PROGRAMMES];
    if (n[TS_FORM_THEMES] == 0 && d->readable[TS_FORM_THEMES])
        error_at(d, at(d, TS_FORM_THEMES, 0, 0),
                 "the form has no theme: a round has at least one (a row of this sheet)");

    /* Goals. */
    for (size_t i = 0; i < n[TS_FORM_GOALS]; i++) {
        const row *rw = &rows[TS_FORM_GOALS][i];
        goals[i].pos = cell_pos(d, rw, TS_GO_ID);
        goals[i].id = row_id(d, rw, TS_GO_ID, TS_ID_GOAL, &goals[i], true);
        goals[i].theme = row_ref(d, rw, TS_GO_THEME, TS_ID_THEME);
        required_text(d, rw, TS_GO_STATEMENT, &goals[i].statement, "the goal in one sentence");
        goals[i].description = read_blocks(d, rw, TS_GO_DESCRIPTION, false);
        ts_rules_lint_cell(&d->rules,
                           ts_inline_cell_chars(&goals[i].statement) + 1 +
                               ts_blocks_cell_chars(&goals[i].description),
                           goals[i].pos, "the goal's statement and description");
    }
    r->goals = goals;
    r->n_goals = n[TS_FORM_GOALS];
    if (n[TS_FORM_GOALS] == 0 && d->readable[TS_FORM_GOALS])
        error_at(d, at(d, TS_FORM_GOALS, 0, 0),
                 "the form has no goal: a round has at least one (a row of this sheet)");

    /* Measures: grouped under their goals, in the order of their rows. */
    size_t nm = n[TS_FORM_MEASURES];
    const ts_goal **goal_of = nm ? ts_arena_calloc(d->scratch, nm, sizeof *goal_of) : NULL;
    size_t *count =
        n[TS_FORM_GOALS] ? ts_arena_calloc(d->scratch, n[TS_FORM_GOALS], sizeof *count) : NULL;
    if ((nm && !goal_of) || (n[TS_FORM_GOALS] && !count))
        return oom(d);
    for (size_t i = 0; i < nm; i++) {
        goal_of[i] = row_ref(d, &rows[TS_FORM_MEASURES][i], TS_ME_GOAL, TS_ID_GOAL);
        if (goal_of[i])
            count[goal_of[i] - goals]++;
    }
    ts_measure **slot = nm ? ts_arena_calloc(d->scratch, nm, sizeof *slot) : NULL;
    if (nm && !slot)
        return oom(d);
    for (size_t g = 0; g < n[TS_FORM_GOALS]; g++) {
        goals[g].measures = count[g] ? ts_arena_calloc(d->a, count[g], sizeof(ts_measure)) : NULL;
        if (count[g] && goals[g].measures == NULL)
            return oom(d);
        if (count[g] == 0 && goals[g].id)
            error_at(d, goals[g].pos,
                     "goal '%s' has no measure: a goal has at least one (a row of %s whose %s is "
                     "'%s')",
                     shown(d, goals[g].id), d->refs[TS_FORM_MEASURES].name,
                     head_label(d, TS_FORM_MEASURES, TS_ME_GOAL), shown(d, goals[g].id));
    }
    for (size_t i = 0; i < nm; i++) {
        if (goal_of[i] == NULL)
            continue;
        ts_goal *g = &goals[goal_of[i] - goals];
        slot[i] = (ts_measure *)&g->measures[g->n_measures++];
    }
    /* file order: goal by goal */
    size_t index = 0;
    for (size_t g = 0; g < n[TS_FORM_GOALS]; g++)
        for (size_t k = 0; k < goals[g].n_measures; k++)
            ((ts_measure *)&goals[g].measures[k])->index = index++;
    r->n_measures = index;

    measure_rows *mr = nm ? ts_arena_calloc(d->scratch, nm, sizeof *mr) : NULL;
    if (nm && !mr)
        return oom(d);
    for (size_t i = 0; i < nm; i++) {
        ts_measure *m = slot[i];
        const row *rw = &rows[TS_FORM_MEASURES][i];
        if (m == NULL) {
            /* its goal is unknown (said): its id is still taken, so that references to it are
             * not called unknown too */
            row_id(d, rw, TS_ME_ID, TS_ID_MEASURE, NULL, true);
            continue;
        }
        m->goal = goal_of[i];
        m->pos = cell_pos(d, rw, TS_ME_ID);
        m->id = row_id(d, rw, TS_ME_ID, TS_ID_MEASURE, m, true);
        required_text(d, rw, TS_ME_NAME, &m->name, "the measure's name (the title of its deck)");
        m->text = read_blocks(d, rw, TS_ME_TEXT, true);
        ts_rules_lint_cell(&d->rules, ts_blocks_cell_chars(&m->text), m->text.pos,
                           "the measure's text");
        int rec = empty(rw->cell[TS_ME_RECOVERY])
                      ? 1
                      : word(d, rw, TS_ME_RECOVERY, TS_FORM_BOOL, "yes or no");
        m->recovery = rec == 0;
        bool given;
        m->has_date = date(d, rw, TS_ME_DATE, true, &m->date, &given);
        const char **names;
        size_t k;
        ts_person **people[3] = {(ts_person **)&m->owners, (ts_person **)&m->managers,
                                 (ts_person **)&m->preparers};
        size_t *n_people[3] = {&m->n_owners, &m->n_managers, &m->n_preparers};
        static const size_t people_col[3] = {TS_ME_OWNERS, TS_ME_MANAGERS, TS_ME_PREPARERS};
        for (int p = 0; p < 3; p++) {
            k = lines_of(d, rw, people_col[p], &names);
            ts_person *ps = k ? ts_arena_calloc(d->a, k, sizeof *ps) : NULL;
            if (k && ps == NULL)
                return oom(d);
            for (size_t j = 0; j < k; j++)
                ps[j] = (ts_person){names[j], cell_pos(d, rw, people_col[p])};
            *people[p] = ps;
            *n_people[p] = k;
        }
        m->objective = read_blocks(d, rw, TS_ME_OBJECTIVE, false);
        double level;
        bool level_given;
        const char *unit;
        unit_of(d, rw, TS_ME_UNIT, &unit);
        if (number(d, rw, TS_ME_LEVEL, &level, &level_given)) {
            ts_level *l = ts_arena_calloc(d->a, 1, sizeof *l);
            if (l == NULL)
                return oom(d);
            *l = (ts_level){level, unit, cell_pos(d, rw, TS_ME_LEVEL)};
            m->level = l;
            ts_rules_lint_percent(&d->rules, level, unit, l->pos);
        } else if (!level_given && unit != NULL) {
            error_at(d, cell_pos(d, rw, TS_ME_UNIT),
                     "a unit without a target level: write the level (%s) beside it, or leave "
                     "the unit out",
                     head_label(d, TS_FORM_MEASURES, TS_ME_LEVEL));
        }
        m->comment = read_blocks(d, rw, TS_ME_COMMENT, false);
        ts_rules_lint_cell(&d->rules, ts_blocks_cell_chars(&m->comment), m->comment.pos,
                           "the comment");
        m->risks = read_blocks(d, rw, TS_ME_RISKS, false);
        k = lines_of(d, rw, TS_ME_LINKS, &names);
        const ts_programme **links = k ? ts_arena_calloc(d->a, k, sizeof *links) : NULL;
        if (k && links == NULL)
            return oom(d);
        size_t nl = 0;
        for (size_t j = 0; j < k; j++) {
            const char *written = ts_arena_printf(d->scratch, "\"%s\"", shown(d, names[j]));
            const ts_programme *p =
                ts_rules_resolve(&d->rules, names[j], TS_ID_PROGRAMME, cell_pos(d, rw, TS_ME_LINKS),
                                 written ? written : names[j]);
            if (p)
                links[nl++] = p;
        }
        m->links = links;
        m->n_links = nl;
    }

    /* The rows of the other sheets, each to its measure. */
    static const struct {
        ts_form_sheet_id sheet;
        size_t col;
        size_t field; /* offset in measure_rows */
    } owned[] = {
        {TS_FORM_FORECASTS, TS_FC_MEASURE, offsetof(measure_rows, forecasts)},
        {TS_FORM_TARGETS, TS_TG_MEASURE, offsetof(measure_rows, targets)},
        {TS_FORM_PHASES, TS_PH_MEASURE, offsetof(measure_rows, phases)},
        {TS_FORM_TASKS, TS_TA_MEASURE, offsetof(measure_rows, tasks)},
        {TS_FORM_NOTES, TS_NO_MEASURE, offsetof(measure_rows, notes)},
    };
    for (size_t o = 0; o < sizeof owned / sizeof owned[0]; o++) {
        ts_form_sheet_id s = owned[o].sheet;
        for (size_t i = 0; i < n[s]; i++) {
            const ts_measure *m = row_ref(d, &rows[s][i], owned[o].col, TS_ID_MEASURE);
            if (m == NULL)
                continue;
            size_t mi = 0;
            while (mi < nm && slot[mi] != m)
                mi++;
            if (mi < nm && !push_row(d, (ts_vec *)((char *)&mr[mi] + owned[o].field), &rows[s][i]))
                return;
        }
    }

    for (size_t i = 0; i < nm; i++) {
        ts_measure *m = slot[i];
        if (m == NULL)
            continue;
        measure_rows *x = &mr[i];
        /* Forecasts. */
        const row **fr = x->forecasts.items;
        ts_forecast *fc =
            x->forecasts.len ? ts_arena_calloc(d->a, x->forecasts.len, sizeof *fc) : NULL;
        if (x->forecasts.len && !fc)
            return oom(d);
        for (size_t k = 0; k < x->forecasts.len; k++) {
            const row *rw = fr[k];
            ts_forecast *f = &fc[k];
            f->pos = cell_pos(d, rw, TS_FC_MEASURE);
            long round;
            bool given;
            if (whole(d, rw, TS_FC_ROUND, 1, 3, &round, &given)) {
                f->round = (int)round;
                ts_rules_forecast_round(&d->rules, m, f, (int)round, r->number,
                                        cell_pos(d, rw, TS_FC_ROUND));
            } else if (!given) {
                error_at(d, cell_pos(d, rw, TS_FC_ROUND),
                         "the forecast's round is empty: write 1, 2 or 3");
            }
            int st = word(d, rw, TS_FC_STATUS, TS_FORM_STATUS, "a forecast status");
            if (st < 0 && empty(rw->cell[TS_FC_STATUS]))
                error_at(d, cell_pos(d, rw, TS_FC_STATUS),
                         "the forecast's status is empty: pick one (a round without a forecast "
                         "has no row here)");
            f->status = st < 0 ? TS_STATUS_NONE : (ts_status)st;
            f->has_value = number(d, rw, TS_FC_VALUE, &f->value, &given);
            unit_of(d, rw, TS_FC_UNIT, &f->unit);
            f->text = read_blocks(d, rw, TS_FC_TEXT, true);
            if (f->has_value)
                ts_rules_lint_percent(&d->rules, f->value, f->unit, cell_pos(d, rw, TS_FC_VALUE));
            ts_rules_lint_cell(&d->rules, ts_blocks_cell_chars(&f->text), f->pos,
                               "the forecast's text");
        }
        m->forecasts = fc;
        m->n_forecasts = x->forecasts.len;

        /* Targets, their numbers unique within the measure. */
        const row **tr = x->targets.items;
        size_t nt = x->targets.len;
        ts_target *tg = nt ? ts_arena_calloc(d->a, nt, sizeof *tg) : NULL;
        long *nro = nt ? ts_arena_calloc(d->scratch, nt, sizeof *nro) : NULL;
        if (nt && (!tg || !nro))
            return oom(d);
        for (size_t k = 0; k < nt; k++) {
            const row *rw = tr[k];
            ts_target *t = &tg[k];
            t->pos = cell_pos(d, rw, TS_TG_MEASURE);
            bool given;
            nro[k] = -1;
            long v;
            if (whole(d, rw, TS_TG_NUMBER, 1, 100000, &v, &given)) {
                for (size_t j = 0; j < k; j++)
                    if (nro[j] == v) {
                        error_at(d, cell_pos(d, rw, TS_TG_NUMBER),
                                 "measure '%s' has a target number %ld already, on row %u: a "
                                 "target's number is its own within the measure",
                                 shown(d, m->id ? m->id : "?"), v, tr[j]->index + 1);
                        v = -1;
                        break;
                    }
                nro[k] = v;
            } else if (!given) {
                error_at(d, cell_pos(d, rw, TS_TG_NUMBER),
                         "the target's number is empty: tasks and phases name the target by it");
            }
            if (!empty(rw->cell[TS_TG_ID]))
                t->id = row_id(d, rw, TS_TG_ID, TS_ID_TARGET, t, false);
            required_text(d, rw, TS_TG_TITLE, &t->title, "the target's title");
            ts_inline from = {0}, to = {0};
            read_inline(d, rw, TS_TG_FROM, &from);
            read_inline(d, rw, TS_TG_TO, &to);
            if (from.n_runs > 0 || to.n_runs > 0) {
                ts_scale *sc = ts_arena_calloc(d->a, 1, sizeof *sc);
                if (sc == NULL)
                    return oom(d);
                sc->from = from;
                sc->to = to;
                sc->pos = cell_pos(d, rw, TS_TG_FROM);
                t->scale = sc;
            }
            t->forecast = read_blocks(d, rw, TS_TG_FORECAST, false);
            t->risks = read_blocks(d, rw, TS_TG_RISKS, false);
        }
        /* Phases and tasks, each to its target by number. */
        for (int pass = 0; pass < 2; pass++) {
            ts_vec *v = pass == 0 ? &x->phases : &x->tasks;
            const row **rs = v->items;
            size_t col = pass == 0 ? TS_PH_TARGET : TS_TA_TARGET;
            size_t *per = nt ? ts_arena_calloc(d->scratch, nt, sizeof *per) : NULL;
            size_t *which = v->len ? ts_arena_calloc(d->scratch, v->len, sizeof *which) : NULL;
            if ((nt && !per) || (v->len && !which))
                return oom(d);
            for (size_t k = 0; k < v->len; k++) {
                long num;
                bool given;
                which[k] = SIZE_MAX;
                if (!whole(d, rs[k], col, 1, 100000, &num, &given)) {
                    if (!given)
                        error_at(d, cell_pos(d, rs[k], col),
                                 "the row names no target: write the target's number (%s)",
                                 head_label(d, TS_FORM_TARGETS, TS_TG_NUMBER));
                    continue;
                }
                size_t j = 0;
                while (j < nt && nro[j] != num)
                    j++;
                if (j == nt) {
                    error_at(d, cell_pos(d, rs[k], col),
                             "measure '%s' has no target number %ld (%s: %zu row%s of it)",
                             shown(d, m->id ? m->id : "?"), num, d->refs[TS_FORM_TARGETS].name, nt,
                             nt == 1 ? "" : "s");
                    continue;
                }
                which[k] = j;
                per[j]++;
            }
            for (size_t j = 0; j < nt; j++) {
                ts_target *t = &tg[j];
                if (pass == 0) {
                    ts_phase *ph = per[j] ? ts_arena_calloc(d->a, per[j], sizeof *ph) : NULL;
                    if (per[j] && !ph)
                        return oom(d);
                    if (per[j] && t->scale == NULL) {
                        /* phases on a scale whose two ends have no names */
                        ts_scale *sc = ts_arena_calloc(d->a, 1, sizeof *sc);
                        if (sc == NULL)
                            return oom(d);
                        sc->pos = t->pos;
                        t->scale = sc;
                    }
                    if (t->scale)
                        ((ts_scale *)t->scale)->phases = ph;
                } else {
                    t->tasks = per[j] ? ts_arena_calloc(d->a, per[j], sizeof(ts_task)) : NULL;
                    if (per[j] && !t->tasks)
                        return oom(d);
                }
            }
            for (size_t k = 0; k < v->len; k++) {
                if (which[k] == SIZE_MAX)
                    continue;
                ts_target *t = &tg[which[k]];
                const row *rw = rs[k];
                bool given;
                if (pass == 0) {
                    ts_scale *sc = (ts_scale *)t->scale;
                    ts_phase *ph = (ts_phase *)&sc->phases[sc->n_phases++];
                    ph->pos = cell_pos(d, rw, TS_PH_MEASURE);
                    if (!number(d, rw, TS_PH_AT, &ph->at, &given)) {
                        if (!given)
                            error_at(d, cell_pos(d, rw, TS_PH_AT),
                                     "the point is empty: write where it is on the scale, 0–100");
                    } else if (ph->at < 0 || ph->at > 100) {
                        error_at(d, cell_pos(d, rw, TS_PH_AT), "the point is out of range 0–100");
                    }
                    read_inline(d, rw, TS_PH_LABEL, &ph->label);
                } else {
                    ts_task *k2 = (ts_task *)&t->tasks[t->n_tasks++];
                    k2->pos = cell_pos(d, rw, TS_TA_MEASURE);
                    required_text(d, rw, TS_TA_TITLE, &k2->title, "the task");
                    int st = word(d, rw, TS_TA_STATUS, TS_FORM_TASK_STATUS, "a task status");
                    if (st < 0 && empty(rw->cell[TS_TA_STATUS]))
                        error_at(d, cell_pos(d, rw, TS_TA_STATUS),
                                 "the task's status is empty: pick one");
                    k2->status = st < 0 ? TS_TASK_TODO : (ts_task_status)st;
                    long prog;
                    k2->progress = -1;
                    if (whole(d, rw, TS_TA_PROGRESS, 0, 100, &prog, &given))
                        k2->progress = (int)prog;
                    k2->detail = read_blocks(d, rw, TS_TA_DETAIL, false);
                    ts_rules_lint_cell(&d->rules, ts_blocks_cell_chars(&k2->detail), k2->detail.pos,
                                       "the task's detail");
                }
            }
        }
        for (size_t k = 0; k < nt; k++)
            ts_rules_lint_target(&d->rules, &tg[k]);
        m->targets = tg;
        m->n_targets = nt;

        /* Notes. */
        const row **nr = x->notes.items;
        ts_blocks *notes = x->notes.len ? ts_arena_calloc(d->a, x->notes.len, sizeof *notes) : NULL;
        if (x->notes.len && !notes)
            return oom(d);
        for (size_t k = 0; k < x->notes.len; k++) {
            notes[k] = read_blocks(d, nr[k], TS_NO_TEXT, true);
            if (notes[k].n == 0)
                error_at(d, cell_pos(d, nr[k], TS_NO_TEXT), "the note is empty: write it");
        }
        m->notes = notes;
        m->n_notes = x->notes.len;
        ts_rules_lint_measure(&d->rules, r->number, m);
    }
}

/* The summary: rows of one subject in a row (actions, then indicators) are one group. */
static void read_summary(rd *d)
{
    row *rows;
    size_t n = sheet_rows(d, TS_FORM_SUMMARY, &rows);
    if (n == 0)
        return;
    ts_summary *s = ts_arena_calloc(d->a, 1, sizeof *s);
    ts_theme_actions *ta = ts_arena_calloc(d->a, n, sizeof *ta);
    ts_programme_actions *pa = ts_arena_calloc(d->a, n, sizeof *pa);
    ts_blocks *texts = ts_arena_calloc(d->a, n, sizeof *texts);
    ts_indicator *inds = ts_arena_calloc(d->a, n, sizeof *inds);
    if (s == NULL || ta == NULL || pa == NULL || texts == NULL || inds == NULL)
        return oom(d);
    s->pos = at(d, TS_FORM_SUMMARY, 0, 0);
    const void *last = NULL;
    bool last_indicator = false;
    for (size_t i = 0; i < n; i++) {
        const row *rw = &rows[i];
        ts_pos pos = cell_pos(d, rw, TS_SU_SUBJECT);
        const char *id = plain(d, rw, TS_SU_SUBJECT);
        ts_id_kind kind;
        const void *obj = id ? ts_rules_lookup(&d->rules, id, &kind) : NULL;
        int what = word(d, rw, TS_SU_ROW, TS_FORM_SUMMARY_ROW, "a kind of summary row");
        if (what < 0 && empty(rw->cell[TS_SU_ROW]))
            error_at(d, cell_pos(d, rw, TS_SU_ROW), "the row's kind is empty: pick one");
        ts_blocks text = read_blocks(d, rw, TS_SU_TEXT, true);
        if (text.n == 0 && empty(rw->cell[TS_SU_TEXT]))
            error_at(d, cell_pos(d, rw, TS_SU_TEXT), "the text is empty: write it");
        if (id == NULL) {
            error_at(d, pos, "the row names no theme or programme: write its id");
            continue;
        }
        if (obj == NULL || (kind != TS_ID_THEME && kind != TS_ID_PROGRAMME)) {
            const char *written = ts_arena_printf(d->scratch, "\"%s\"", shown(d, id));
            ts_rules_resolve(&d->rules, id, TS_ID_THEME, pos, written ? written : id);
            continue;
        }
        if (what < 0)
            continue;
        if (kind == TS_ID_PROGRAMME) {
            if (what != TS_SUMMARY_ACTION) {
                error_at(d, cell_pos(d, rw, TS_SU_ROW),
                         "a programme's summary has actions only (%s): an indicator belongs to "
                         "a theme",
                         label(d, "form.summary.action"));
                continue;
            }
            ts_programme_actions *g =
                s->n_programme_actions ? &pa[s->n_programme_actions - 1] : NULL;
            if (g == NULL || obj != last) {
                g = &pa[s->n_programme_actions++];
                g->programme = obj;
                g->pos = pos;
                g->actions = &texts[i];
            }
            texts[i] = text;
            /* the actions of a group lie next to each other in texts */
            g->n_actions = (size_t)(&texts[i] - g->actions) + 1;
            last = obj;
            last_indicator = false;
            continue;
        }
        ts_theme_actions *g = s->n_theme_actions ? &ta[s->n_theme_actions - 1] : NULL;
        bool action = what == TS_SUMMARY_ACTION;
        if (g == NULL || obj != last || (action && last_indicator)) {
            if (!action) {
                error_at(d, cell_pos(d, rw, TS_SU_ROW),
                         "an indicator before any action of its theme: a theme's summary starts "
                         "with an action (%s)",
                         label(d, "form.summary.action"));
                continue;
            }
            g = &ta[s->n_theme_actions++];
            g->theme = obj;
            g->pos = pos;
            g->actions = &texts[i];
            g->indicators = &inds[i];
        }
        if (action) {
            texts[i] = text;
            g->n_actions = (size_t)(&texts[i] - g->actions) + 1;
            g->indicators = &inds[i + 1];
        } else {
            inds[i] = (ts_indicator){text, what == TS_SUMMARY_BINDING, cell_pos(d, rw, TS_SU_ROW)};
            g->n_indicators = (size_t)(&inds[i] - g->indicators) + 1;
        }
        last = obj;
        last_indicator = !action;
    }
    s->theme_actions = ta;
    s->programme_actions = pa;
    d->r->summary = s;
}

/* ---- Entry points ------------------------------------------------------------------------ */

int ts_form_language(const ts_fbook *b, const ts_labels *const labels[3])
{
    ts_arena *a = ts_arena_new(NULL);
    int found = -1;
    for (int l = 0; a && l < 3 && found < 0; l++) {
        if (labels[l] == NULL)
            continue;
        const char *want = fold_word(a, ts_label(labels[l], "form.sheet.round"));
        for (size_t i = 0; want && i < b->n_sheets && found < 0; i++) {
            const char *have = fold_word(a, b->sheets[i].name);
            if (have && strcmp(have, want) == 0)
                found = l;
        }
    }
    ts_arena_free(a);
    return found;
}

ts_round *ts_form_read_book(const ts_fbook *b, const ts_labels *const labels[3],
                            const ts_form_overrides *ov, bool lint, ts_diags *diags)
{
    int lang = ts_form_language(b, labels);
    size_t errors_at_start = diags->errors;
    if (lang < 0) {
        ts_diag_add(diags, b->file, (ts_pos){0, 0}, TS_ERROR,
                    "not a form: it has no sheet \"%s\" (or \"%s\", \"%s\"), where a form holds "
                    "the round's year, number and date",
                    labels[0] ? ts_label(labels[0], "form.sheet.round") : "Kierros",
                    labels[1] ? ts_label(labels[1], "form.sheet.round") : "Omgång",
                    labels[2] ? ts_label(labels[2], "form.sheet.round") : "Round");
        return NULL;
    }
    rd d = {.b = b, .l = labels[lang], .diags = diags, .file = b->file};
    d.a = ts_arena_new(NULL);
    d.scratch = ts_arena_new(NULL);
    d.r = d.a ? ts_arena_calloc(d.a, 1, sizeof *d.r) : NULL;
    d.refs = d.a ? ts_arena_calloc(d.a, TS_FORM_SHEETS, sizeof *d.refs) : NULL;
    if (d.scratch == NULL || d.r == NULL || d.refs == NULL) {
        ts_diag_fault(diags, b->file, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        ts_arena_free(d.a);
        ts_arena_free(d.scratch);
        return NULL;
    }
    d.r->arena = d.a;
    d.r->format = 1;
    d.r->lang = (ts_lang)lang;
    d.r->file = ts_arena_strdup(d.a, b->file);
    if (d.r->file == NULL)
        oom(&d);
    ts_rules_init(&d.rules, d.file, diags, d.scratch, d.a, "form", lint);
    map_sheets(&d);
    if (!d.oom)
        read_round_sheet(&d, ov);
    if (!d.oom)
        read_elements(&d);
    if (!d.oom)
        read_summary(&d);
    bool failed = d.oom || d.rules.out_of_memory || diags->errors > errors_at_start;
    ts_arena_free(d.scratch);
    if (failed) {
        ts_arena_free(d.a);
        return NULL;
    }
    return d.r;
}
