/* Text in the cells of a table, as the table import reads it (import_text.h). */
#include "book/import_text.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- Characters -------------------------------------------------------------------------- */

bool ti_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool ti_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

void ti_lower(char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            s[i] = (char)(c + 32);
        else if (c == 0xC3 && i + 1 < n) {
            unsigned char d = (unsigned char)s[i + 1];
            if (d >= 0x80 && d <= 0x9E && d != 0x97)
                s[i + 1] = (char)(d + 32);
            i++;
        }
    }
}

char *ti_lower_copy(ts_arena *a, const char *s, size_t n)
{
    char *c = ts_arena_strndup(a, s, n);
    if (c != NULL)
        ti_lower(c, n);
    return c;
}

bool ti_phrase_at(const char *s, size_t n, size_t i, const char *p, size_t *end)
{
    if (i > 0 && ti_word_byte((unsigned char)s[i - 1]) && ti_word_byte((unsigned char)p[0]))
        return false;
    size_t k = i;
    for (const char *q = p; *q; q++) {
        if (*q == ' ') {
            if (k >= n || !ti_space(s[k]))
                return false;
            while (k < n && ti_space(s[k]))
                k++;
            continue;
        }
        if (k >= n || s[k] != *q)
            return false;
        k++;
    }
    if (k < n && ti_word_byte((unsigned char)s[k]) && ti_word_byte((unsigned char)p[strlen(p) - 1]))
        return false;
    *end = k;
    return true;
}

const char *ti_cell_plain(ti_ctx *t, const ts_wbr_cell *c)
{
    if (c == NULL)
        return "";
    if (c->type == TS_WBR_STRING) {
        const char *s = ts_wbr_cell_text(c, t->tmp);
        if (s == NULL)
            t->oom = true;
        return s ? s : "";
    }
    if (c->type == TS_WBR_NUMBER) {
        char *s = ts_arena_printf(t->tmp, "%.15g", c->number);
        if (s == NULL)
            t->oom = true;
        return s ? s : "";
    }
    if (c->type == TS_WBR_BOOLEAN)
        return c->number != 0 ? "TRUE" : "FALSE";
    return "";
}

/* ---- Rich text ---------------------------------------------------------------------------- */

ti_rich ti_rich_of_cell(ti_ctx *t, const ts_wbr_cell *c)
{
    ti_rich r = {0};
    if (c == NULL)
        return r;
    if (c->type == TS_WBR_STRING) {
        ti_run *runs = ts_arena_calloc(t->tmp, c->run_count + 1, sizeof *runs);
        if (runs == NULL) {
            t->oom = true;
            return r;
        }
        for (uint32_t i = 0; i < c->run_count; i++) {
            runs[i] = (ti_run){c->runs[i].text, c->runs[i].len,
                               (c->runs[i].bold ? TS_RUN_BOLD : 0u) |
                                   (c->runs[i].italic ? TS_RUN_ITALIC : 0u)};
            r.len += c->runs[i].len;
        }
        r.runs = runs;
        r.n = c->run_count;
        return r;
    }
    const char *s = ti_cell_plain(t, c);
    ti_run *run = ts_arena_calloc(t->tmp, 1, sizeof *run);
    if (run == NULL) {
        t->oom = true;
        return r;
    }
    *run = (ti_run){s, strlen(s), 0};
    return (ti_rich){run, *s ? 1 : 0, run->n};
}

char *ti_plain(ti_ctx *t, ti_rich r)
{
    char *s = ts_arena_alloc(t->tmp, r.len + 1);
    if (s == NULL) {
        t->oom = true;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < r.n; i++) {
        memcpy(s + o, r.runs[i].s, r.runs[i].n);
        o += r.runs[i].n;
    }
    s[o] = '\0';
    return s;
}

ti_rich ti_slice(ti_ctx *t, ti_rich r, size_t from, size_t to)
{
    ti_rich out = {0};
    if (to > r.len)
        to = r.len;
    if (from >= to)
        return out;
    ti_run *runs = ts_arena_calloc(t->tmp, r.n + 1, sizeof *runs);
    if (runs == NULL) {
        t->oom = true;
        return out;
    }
    size_t at = 0, k = 0;
    for (size_t i = 0; i < r.n; i++) {
        size_t a = at, b = at + r.runs[i].n;
        at = b;
        if (b <= from || a >= to)
            continue;
        size_t s = a > from ? a : from, e = b < to ? b : to;
        runs[k++] = (ti_run){r.runs[i].s + (s - a), e - s, r.runs[i].style};
    }
    return (ti_rich){runs, k, to - from};
}

ti_rich ti_join(ti_ctx *t, ti_rich r, ti_rich s, const char *sep)
{
    if (r.n == 0)
        return s;
    if (s.n == 0)
        return r;
    ti_run *runs = ts_arena_calloc(t->tmp, r.n + s.n + 1, sizeof *runs);
    if (runs == NULL) {
        t->oom = true;
        return r;
    }
    memcpy(runs, r.runs, r.n * sizeof *runs);
    runs[r.n] = (ti_run){sep, strlen(sep), 0};
    memcpy(runs + r.n + 1, s.runs, s.n * sizeof *runs);
    return (ti_rich){runs, r.n + s.n + 1, r.len + strlen(sep) + s.len};
}

bool ti_all(ti_rich r, unsigned style)
{
    for (size_t i = 0; i < r.n; i++)
        if (!(r.runs[i].style & style))
            for (size_t k = 0; k < r.runs[i].n; k++)
                if (!ti_space(r.runs[i].s[k]))
                    return false;
    return true;
}

bool ti_any(ti_rich r, unsigned style)
{
    for (size_t i = 0; i < r.n; i++)
        if (r.runs[i].style & style)
            for (size_t k = 0; k < r.runs[i].n; k++)
                if (!ti_space(r.runs[i].s[k]))
                    return true;
    return false;
}

/* ---- Rich text into the model ------------------------------------------------------------ */

size_t ti_forbidden_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return 1;
    if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
        ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF))
        return 3;
    return 0;
}

char *ti_clean(ts_arena *a, const char *s, size_t n)
{
    char *out = ts_arena_alloc(a, n + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    bool gap = false;
    for (size_t i = 0; i < n; i++) {
        size_t bad = ti_forbidden_at(s, n, i);
        if (bad) {
            i += bad - 1;
            continue;
        }
        if (ti_space(s[i])) {
            gap = o > 0;
            continue;
        }
        if (gap)
            out[o++] = ' ';
        gap = false;
        out[o++] = s[i];
    }
    out[o] = '\0';
    return out;
}

ts_inline ti_inline(ti_ctx *t, ti_rich r, unsigned keep)
{
    ts_inline in = {0};
    char *buf = ts_arena_alloc(t->a, r.len + 1);
    /* Each run of r may start two: the space before it, in the style it shares with the run
     * before, and its own text. */
    ts_run *runs = ts_arena_calloc(t->a, 2 * r.n + 1, sizeof *runs);
    if (buf == NULL || runs == NULL) {
        t->oom = true;
        return in;
    }
    size_t o = 0, n_runs = 0;
    bool pending = false;
    unsigned prev_style = 0;
    for (size_t i = 0; i < r.n; i++) {
        unsigned style = r.runs[i].style & keep;
        const char *s = r.runs[i].s;
        size_t n = r.runs[i].n;
        for (size_t k = 0; k < n; k++) {
            size_t bad = ti_forbidden_at(s, n, k);
            if (bad) {
                k += bad - 1;
                continue;
            }
            if (ti_space(s[k])) {
                pending = o > 0;
                continue;
            }
            /* The space between two styles has the style they share: "<b>Name</b> text". */
            unsigned want[2] = {prev_style & style, style};
            for (int w = pending ? 0 : 1; w < 2; w++) {
                if (n_runs == 0 || runs[n_runs - 1].style != want[w]) {
                    runs[n_runs] = (ts_run){buf + o, 0, want[w], NULL, {0, 0, NULL}};
                    n_runs++;
                }
                if (w == 0) {
                    buf[o++] = ' ';
                    runs[n_runs - 1].len++;
                }
            }
            buf[o++] = s[k];
            runs[n_runs - 1].len++;
            pending = false;
            prev_style = style;
        }
    }
    buf[o] = '\0';
    in.runs = runs;
    in.n_runs = n_runs;
    return in;
}

void ti_read_line(const char *s, ti_line *l)
{
    size_t i = l->from;
    unsigned indent = 0;
    for (;;) {
        if (i < l->to && s[i] == ' ')
            i++, indent++;
        else if (i < l->to && s[i] == '\t')
            i++, indent += 2;
        else if (i + 1 < l->to && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            i += 2, indent++;
        else
            break;
    }
    l->indent = indent;
    l->kind = TS_BLOCK_P;
    l->body = i;
    static const char *const bullets[] = {"\xE2\x80\xA2", "-",           "\xE2\x80\x93", "*",
                                          "\xE2\x96\xAA", "\xE2\x97\xA6"};
    for (size_t b = 0; b < sizeof bullets / sizeof bullets[0]; b++) {
        size_t n = strlen(bullets[b]);
        if (i + n < l->to && memcmp(s + i, bullets[b], n) == 0 && s[i + n] == ' ') {
            l->kind = TS_BLOCK_UL;
            l->body = i + n + 1;
            return;
        }
    }
    size_t d = i;
    unsigned number = 0;
    while (d < l->to && d < i + 2 && s[d] >= '0' && s[d] <= '9')
        number = number * 10 + (unsigned)(s[d++] - '0');
    if (d > i && d + 1 < l->to && s[d] == '.' && s[d + 1] == ' ') {
        l->kind = TS_BLOCK_OL;
        l->number = number;
        l->body = d + 2;
    }
}

/* A line without a word: left out, unless it is a list item (an empty item is kept as our own
 * workbook writes it: "• "). */
static bool ti_line_blank(const char *s, const ti_line *l)
{
    if (l->kind != TS_BLOCK_P)
        return false;
    for (size_t i = l->body; i < l->to; i++)
        if (!ti_space(s[i]) && !ti_forbidden_at(s, l->to, i))
            return false;
    return true;
}

typedef struct ti_block_maker {
    ti_ctx *t;
    ti_rich r;
    const char *plain;
    const ti_line *lines;
    size_t n;
} ti_block_maker;

static ts_block *ti_make_list(ti_block_maker *b, size_t *i, unsigned indent, ts_block_kind kind)
{
    ts_vec items = {0};
    while (*i < b->n) {
        const ti_line *l = &b->lines[*i];
        if (l->kind != kind || l->indent != indent)
            break;
        if (kind == TS_BLOCK_OL && l->number != items.len + 1)
            break; /* "2)" after a paragraph is no item of a new list: it would be shown "1." */
        ts_list_item *it = ts_vec_push(b->t->a, &items, sizeof *it);
        if (it == NULL) {
            b->t->oom = true;
            return NULL;
        }
        it->text = ti_inline(b->t, ti_slice(b->t, b->r, l->body, l->to), TI_KEEP_ALL);
        (*i)++;
        if (*i < b->n) {
            const ti_line *next = &b->lines[*i];
            if (next->kind != TS_BLOCK_P && next->indent > indent &&
                (next->kind == TS_BLOCK_UL || next->number == 1))
                it->sublist = ti_make_list(b, i, next->indent, next->kind);
        }
    }
    ts_block *bl = ts_arena_calloc(b->t->a, 1, sizeof *bl);
    if (bl == NULL) {
        b->t->oom = true;
        return NULL;
    }
    *bl = (ts_block){.kind = kind, .items = items.items, .n_items = items.len};
    return bl;
}

ts_blocks ti_blocks(ti_ctx *t, ti_rich r)
{
    ts_blocks out = {0};
    char *s = ti_plain(t, r);
    if (s == NULL)
        return out;
    ts_vec lines = {0};
    for (size_t i = 0; i <= r.len;) {
        size_t e = i;
        while (e < r.len && s[e] != '\n' && s[e] != '\r')
            e++;
        ti_line *l = ts_vec_push(t->tmp, &lines, sizeof *l);
        if (l == NULL) {
            t->oom = true;
            return out;
        }
        *l = (ti_line){.from = i, .to = e};
        ti_read_line(s, l);
        if (ti_line_blank(s, l))
            lines.len--;
        i = e + 1;
    }
    ti_block_maker b = {t, r, s, lines.items, lines.len};
    ts_vec blocks = {0};
    for (size_t i = 0; i < b.n;) {
        const ti_line *l = &b.lines[i];
        ts_block *bl = ts_vec_push(t->a, &blocks, sizeof *bl);
        if (bl == NULL) {
            t->oom = true;
            return out;
        }
        if (l->kind == TS_BLOCK_UL || (l->kind == TS_BLOCK_OL && l->number == 1)) {
            const ts_block *list = ti_make_list(&b, &i, l->indent, l->kind);
            if (list == NULL)
                return out;
            *bl = *list;
        } else {
            *bl = (ts_block){.kind = TS_BLOCK_P,
                             .text = ti_inline(t, ti_slice(t, r, l->from, l->to), TI_KEEP_ALL)};
            i++;
        }
        if (bl->kind == TS_BLOCK_P && bl->text.n_runs == 0)
            blocks.len--;
    }
    out.blocks = blocks.items;
    out.n = blocks.len;
    out.present = out.n > 0;
    return out;
}

const char *ti_inline_plain(ti_ctx *t, const ts_inline *in)
{
    char *s = ts_inline_text(t->tmp, in);
    if (s == NULL)
        t->oom = true;
    return s ? s : "";
}

const char *ti_name_key(ti_ctx *t, const char *s)
{
    size_t n = strlen(s);
    char *k = ts_arena_alloc(t->tmp, n + 1);
    if (k == NULL) {
        t->oom = true;
        return NULL;
    }
    size_t o = 0;
    bool gap = false;
    for (size_t i = 0; i < n; i++) {
        if (ti_space(s[i])) {
            gap = o > 0;
            continue;
        }
        if (gap)
            k[o++] = ' ';
        gap = false;
        k[o++] = s[i];
    }
    k[o] = '\0';
    ti_lower(k, o);
    return k;
}

size_t ti_leading_bold_end(ti_rich r)
{
    size_t at = 0;
    bool words = false; /* a line break before any word (an empty first line) ends nothing */
    for (size_t i = 0; i < r.n && (r.runs[i].style & TS_RUN_BOLD); i++)
        for (size_t k = 0; k < r.runs[i].n; k++, at++) {
            char c = r.runs[i].s[k];
            if (c == '\n' && words)
                return at;
            words |= !ti_space(c);
        }
    return at;
}

ti_rich ti_rich_of_text(ti_ctx *t, const char *s)
{
    ti_run *run = ts_arena_calloc(t->tmp, 1, sizeof *run);
    if (run == NULL) {
        t->oom = true;
        return (ti_rich){0};
    }
    *run = (ti_run){s, strlen(s), 0};
    return (ti_rich){run, 1, run->n};
}
