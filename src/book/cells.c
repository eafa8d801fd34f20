/* The look-ups on a workbook as read (cells.h): places, cells, rows and merged ranges. */
#include "book/internal.h"

#include <stdio.h>
#include <string.h>

/* A cell reference's digits, and the reader's other unsigned numbers (declared in internal.h). */
bool wbr_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
    if (len == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* ---- Look-ups ---------------------------------------------------------------------------- */

char *ts_wbr_column_name(uint32_t col, char *buf)
{
    char tmp[8];
    size_t n = 0;
    uint64_t v = (uint64_t)col + 1;
    while (v > 0 && n < 7) {
        uint64_t d = (v - 1) % 26;
        tmp[n++] = (char)('A' + d);
        v = (v - 1) / 26;
    }
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *ts_wbr_ref(uint32_t row, uint32_t col, char *buf)
{
    char c[8];
    snprintf(buf, TS_WBR_REF_SIZE, "%s%lu", ts_wbr_column_name(col, c), (unsigned long)row + 1);
    return buf;
}

bool ts_wbr_parse_ref(const char *s, size_t len, uint32_t *row, uint32_t *col)
{
    size_t i = 0;
    if (i < len && s[i] == '$')
        i++;
    uint32_t c = 0;
    size_t letters = 0;
    while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) {
        if (++letters > 3)
            return false;
        c = c * 26 + (uint32_t)((s[i] | 0x20) - 'a' + 1);
        i++;
    }
    if (letters == 0 || c > TS_WBR_MAX_COLS)
        return false;
    if (i < len && s[i] == '$')
        i++;
    uint64_t r;
    if (i >= len || s[i] == '0' || !wbr_parse_uint(s + i, len - i, TS_WBR_MAX_ROWS, &r))
        return false;
    *row = (uint32_t)r - 1;
    *col = c - 1;
    return true;
}

char *ts_wbr_where(const char *file, const char *sheet, uint32_t row, uint32_t col, char *buf,
                   size_t cap)
{
    size_t n = 0;
    /* appends s (len bytes), as much as fits */
#define PUT(s, len)                                                                                \
    do {                                                                                           \
        size_t l_ = (len);                                                                         \
        if (n + l_ >= cap)                                                                         \
            l_ = n + 1 < cap ? cap - 1 - n : 0;                                                    \
        memcpy(buf + n, (s), l_);                                                                  \
        n += l_;                                                                                   \
    } while (0)
    if (cap == 0)
        return buf;
    PUT(file, strlen(file));
    PUT(":", 1);
    bool quote = strpbrk(sheet, " :!'") != NULL;
    if (quote)
        PUT("'", 1);
    for (const char *p = sheet; *p; p++) {
        PUT(p, 1);
        if (quote && *p == '\'')
            PUT("'", 1);
    }
    if (quote)
        PUT("'", 1);
    if (row != UINT32_MAX && col != UINT32_MAX) {
        char ref[TS_WBR_REF_SIZE];
        PUT("!", 1);
        ts_wbr_ref(row, col, ref);
        PUT(ref, strlen(ref));
    }
#undef PUT
    buf[n] = '\0';
    return buf;
}

const ts_wbr_sheet *ts_wbr_sheet_named(const ts_wbr_book *b, const char *name)
{
    for (size_t i = 0; i < b->sheet_count; i++)
        if (strcmp(b->sheets[i].name, name) == 0)
            return &b->sheets[i];
    return NULL;
}

/* The first cell at or after row, col. */
static size_t lower_bound(const ts_wbr_sheet *s, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = s->cell_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const ts_wbr_cell *c = &s->cells[mid];
        if (c->row < row || (c->row == row && c->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const ts_wbr_cell *ts_wbr_cell_at(const ts_wbr_sheet *s, uint32_t row, uint32_t col)
{
    size_t i = lower_bound(s, row, col);
    if (i < s->cell_count && s->cells[i].row == row && s->cells[i].col == col)
        return &s->cells[i];
    return NULL;
}

const ts_wbr_cell *ts_wbr_row(const ts_wbr_sheet *s, uint32_t row, size_t *count)
{
    size_t i = lower_bound(s, row, 0);
    size_t j = row == UINT32_MAX ? s->cell_count : lower_bound(s, row + 1, 0);
    *count = j - i;
    return j > i ? &s->cells[i] : NULL;
}

static const ts_wbr_merge *merge_find(const ts_wbr_sheet *s, size_t lo, size_t hi, uint32_t row,
                                      uint32_t col)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->merge_reach[mid] < row)
            return NULL; /* nothing in this node reaches the row */
        const ts_wbr_merge *m = &s->merges[mid];
        if (m->first_row <= row && row <= m->last_row && m->first_col <= col && col <= m->last_col)
            return m;
        const ts_wbr_merge *l = merge_find(s, lo, mid, row, col);
        if (l)
            return l;
        if (m->first_row > row)
            return NULL; /* everything right of mid starts below the row */
        lo = mid + 1;
    }
    return NULL;
}

const ts_wbr_merge *ts_wbr_merge_at(const ts_wbr_sheet *s, uint32_t row, uint32_t col)
{
    if (s->merge_count == 0 || s->merge_reach == NULL)
        return NULL;
    return merge_find(s, 0, s->merge_count, row, col);
}

const char *ts_wbr_cell_text(const ts_wbr_cell *c, ts_arena *a)
{
    if ((c->type != TS_WBR_STRING && c->type != TS_WBR_ERROR) || c->run_count == 0)
        return "";
    if (c->run_count == 1)
        return c->runs[0].text;
    size_t n = 0;
    for (uint32_t i = 0; i < c->run_count; i++)
        n += c->runs[i].len;
    char *s = ts_arena_alloc(a, n + 1);
    if (s == NULL)
        return NULL;
    char *p = s;
    for (uint32_t i = 0; i < c->run_count; i++) {
        memcpy(p, c->runs[i].text, c->runs[i].len);
        p += c->runs[i].len;
    }
    *p = '\0';
    return s;
}
