/* Text in a form's cell, both ways (form_text.h). */
#include "book/form_text.h"

#include <stdint.h>
#include <string.h>

#include "core/utf8.h"

/* ---- Writing ----------------------------------------------------------------------------- */

/* A line being made: its bytes, and for each its style and whether it is markup of the form
 * ("[", "](…)", a list's marker) rather than a character of the text. */
typedef struct line {
    ts_vec bytes;  /* char */
    ts_vec styles; /* unsigned char: TS_RUN_* */
    ts_vec marks;  /* unsigned char: 1 markup, 2 a link's text */
    bool oom;
} line;

enum { MARK_TEXT = 0, MARK_MARKUP = 1, MARK_LINK_TEXT = 2 };

static void line_add(ts_arena *a, line *l, const char *s, size_t n, unsigned style, int mark)
{
    for (size_t i = 0; i < n && !l->oom; i++) {
        char *b = ts_vec_push(a, &l->bytes, 1);
        unsigned char *st = ts_vec_push(a, &l->styles, 1);
        unsigned char *mk = ts_vec_push(a, &l->marks, 1);
        if (b == NULL || st == NULL || mk == NULL) {
            l->oom = true;
            return;
        }
        *b = s[i];
        *st = (unsigned char)(style & (TS_RUN_BOLD | TS_RUN_ITALIC));
        *mk = (unsigned char)mark;
    }
}

static void add_run(ts_ftext *t, const char *s, size_t n, unsigned style)
{
    if (n == 0)
        return;
    ts_cell_run *r = ts_vec_push(t->a, &t->runs, sizeof *r);
    char *copy = ts_arena_strndup(t->a, s, n);
    if (r == NULL || copy == NULL) {
        t->oom = true;
        return;
    }
    *r = (ts_cell_run){copy, n, style};
}

static void new_line(ts_ftext *t)
{
    if (t->lines++ > 0) {
        /* The break takes the style of what precedes it, so that it never splits a run. */
        unsigned style = t->runs.len ? ((ts_cell_run *)t->runs.items)[t->runs.len - 1].style : 0;
        add_run(t, "\n", 1, style);
    }
}

/* An address written as it is when the reader finds its end: no white space, no "<" first,
 * parentheses balanced. */
static bool bare_href(const char *h)
{
    int depth = 0;
    if (*h == '\0' || *h == '<')
        return false;
    for (; *h; h++) {
        if (*h == ' ' || *h == '\t' || *h == '\n' || *h == '\r')
            return false;
        if (*h == '(')
            depth++;
        else if (*h == ')' && --depth < 0)
            return false;
    }
    return depth == 0;
}

static void line_inline(ts_arena *a, line *l, const ts_inline *in)
{
    for (size_t i = 0; i < in->n_runs; i++) {
        const ts_run *r = &in->runs[i];
        const char *href = r->href;
        bool opens = href && (i == 0 || in->runs[i - 1].href == NULL ||
                              strcmp(in->runs[i - 1].href, href) != 0);
        bool closes = href && (i + 1 == in->n_runs || in->runs[i + 1].href == NULL ||
                               strcmp(in->runs[i + 1].href, href) != 0);
        if (opens)
            line_add(a, l, "[", 1, r->style, MARK_MARKUP);
        line_add(a, l, r->text, r->len, r->style, href ? MARK_LINK_TEXT : MARK_TEXT);
        if (closes) {
            bool bare = bare_href(href);
            line_add(a, l, bare ? "](" : "](<", bare ? 2 : 3, r->style, MARK_MARKUP);
            line_add(a, l, href, strlen(href), r->style, MARK_MARKUP);
            line_add(a, l, bare ? ")" : ">)", bare ? 1 : 2, r->style, MARK_MARKUP);
        }
    }
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The length of a list marker at s[0, n) ("• ", "- ", "12. ", or one at the end of the line
 * without its space), or 0. */
static size_t marker_len(const char *s, size_t n, bool *numbered)
{
    size_t k = 0;
    *numbered = false;
    if (n >= 3 && memcmp(s, "\xE2\x80\xA2", 3) == 0)
        k = 3;
    else if (n >= 1 && s[0] == '-')
        k = 1;
    else {
        while (k < n && k < 9 && is_digit(s[k]))
            k++;
        if (k == 0 || k >= n || s[k] != '.')
            return 0;
        k++;
        *numbered = true;
    }
    if (k == n)
        return k;
    return s[k] == ' ' || s[k] == '\t' ? k + 1 : 0;
}

/* The indentation at s[0, n): spaces, tabs (two each) and no-break spaces, which the writer
 * uses so that the indentation survives a spreadsheet that drops a paragraph's leading spaces
 * when it saves (LibreOffice's ODS).  Returns its bytes; *spaces is its width. */
static size_t indent_len(const char *s, size_t n, size_t *spaces)
{
    size_t i = 0;
    *spaces = 0;
    for (;;) {
        if (i < n && s[i] == ' ')
            *spaces += 1, i += 1;
        else if (i < n && s[i] == '\t')
            *spaces += 2, i += 1;
        else if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            *spaces += 1, i += 2;
        else
            return i;
    }
}

/* Writes the line into t with the escapes the reader undoes: a backslash before "[", "]" or
 * "\", a bracket of a link's text, and a "[" of the text when a "](" follows it in the line (it
 * could be read as a link).  `paragraph`: the line is a paragraph, and a "\" goes before it when
 * it would otherwise be read as a list item or as escaped. */
static void emit_line(ts_ftext *t, line *l, bool paragraph)
{
    if (l->oom) {
        t->oom = true;
        return;
    }
    const char *b = l->bytes.items;
    const unsigned char *st = l->styles.items, *mk = l->marks.items;
    size_t n = l->bytes.len;
    /* The escaped line, and each byte's style. */
    line out = {0};
    size_t last_open = SIZE_MAX; /* where the last "](" starts */
    for (size_t i = 0; i + 1 < n; i++)
        if (b[i] == ']' && b[i + 1] == '(')
            last_open = i;
    for (size_t i = 0; i < n; i++) {
        bool esc = false;
        if (mk[i] != MARK_MARKUP) {
            if (b[i] == '\\')
                esc = i + 1 < n && (b[i + 1] == '[' || b[i + 1] == ']' || b[i + 1] == '\\');
            else if (b[i] == '[')
                esc = mk[i] == MARK_LINK_TEXT || (last_open != SIZE_MAX && last_open > i);
            else if (b[i] == ']')
                esc = mk[i] == MARK_LINK_TEXT;
        }
        if (esc)
            line_add(t->a, &out, "\\", 1, st[i], MARK_MARKUP);
        line_add(t->a, &out, b + i, 1, st[i], mk[i]);
    }
    if (out.oom) {
        t->oom = true;
        return;
    }
    const char *ob = out.bytes.items;
    size_t on = out.bytes.len;
    new_line(t);
    bool numbered;
    size_t spaces, ind = indent_len(ob, on, &spaces);
    if (paragraph &&
        (on == 0 || (ind < on && ob[ind] == '\\') || marker_len(ob + ind, on - ind, &numbered) > 0))
        add_run(t, "\\", 1, 0);
    const unsigned char *os = out.styles.items;
    size_t from = 0;
    for (size_t i = 1; i <= on; i++)
        if (i == on || os[i] != os[from]) {
            add_run(t, ob + from, i - from, os[from]);
            from = i;
        }
}

void ts_ftext_inline(ts_ftext *t, const ts_inline *in)
{
    if (in->n_runs == 0)
        return;
    line l = {0};
    line_inline(t->a, &l, in);
    emit_line(t, &l, false);
}

void ts_ftext_plain(ts_ftext *t, const char *text)
{
    new_line(t);
    add_run(t, text, strlen(text), 0);
}

static void list_lines(ts_ftext *t, const ts_block *b, unsigned level, const char *bullet)
{
    for (size_t i = 0; i < b->n_items; i++) {
        const ts_list_item *it = &b->items[i];
        line l = {0};
        for (unsigned k = 0; k < level; k++)
            line_add(t->a, &l, "\xC2\xA0\xC2\xA0", 4, 0, MARK_MARKUP); /* two no-break spaces */
        if (b->kind == TS_BLOCK_OL) {
            char num[32];
            int n = snprintf(num, sizeof num, "%zu. ", i + 1);
            line_add(t->a, &l, num, (size_t)n, 0, MARK_MARKUP);
        } else {
            line_add(t->a, &l, bullet, strlen(bullet), 0, MARK_MARKUP);
        }
        line_inline(t->a, &l, &it->text);
        emit_line(t, &l, false);
        if (it->sublist != NULL && level < 64)
            list_lines(t, it->sublist, level + 1, "\xE2\x80\xA2 ");
    }
}

void ts_ftext_blocks(ts_ftext *t, const ts_blocks *bl)
{
    static const char *const bullets[2] = {"\xE2\x80\xA2 ", "- "};
    int bullet = 0;
    for (size_t i = 0; i < bl->n; i++) {
        const ts_block *b = &bl->blocks[i];
        if (b->kind == TS_BLOCK_P) {
            line l = {0};
            line_inline(t->a, &l, &b->text);
            emit_line(t, &l, true);
            bullet = 0;
            continue;
        }
        /* A bulleted list right after another is told from it by its other bullet. */
        if (b->kind == TS_BLOCK_UL && i > 0 && bl->blocks[i - 1].kind == TS_BLOCK_UL)
            bullet ^= 1;
        else
            bullet = 0;
        list_lines(t, b, 0, bullets[b->kind == TS_BLOCK_UL ? bullet : 0]);
    }
}

size_t ts_ftext_finish(ts_ftext *t, ts_cell *cell)
{
    if (t->oom)
        return (size_t)-1;
    const ts_cell_run *rs = t->runs.items;
    size_t n = t->runs.len, total = 0, n_runs = 0;
    for (size_t i = 0; i < n; i++) {
        total += rs[i].len;
        if (i == 0 || rs[i].style != rs[i - 1].style)
            n_runs++;
    }
    if (total == 0) {
        cell->kind = TS_CELL_EMPTY;
        return 0;
    }
    char *text = ts_arena_alloc(t->a, total + 1);
    ts_cell_run *runs = ts_arena_calloc(t->a, n_runs, sizeof *runs);
    if (text == NULL || runs == NULL)
        return (size_t)-1;
    size_t off = 0, r = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && rs[i].style == rs[i - 1].style)
            runs[r - 1].len += rs[i].len;
        else
            runs[r++] = (ts_cell_run){text + off, rs[i].len, rs[i].style};
        memcpy(text + off, rs[i].text, rs[i].len);
        off += rs[i].len;
    }
    text[total] = '\0';
    cell->kind = TS_CELL_TEXT;
    cell->runs = runs;
    cell->n_runs = n_runs;
    cell->text = text;
    cell->len = total;
    return ts_utf8_count(text, total);
}

/* ---- Reading ----------------------------------------------------------------------------- */

/* A cell's text as bytes with a style each, and the lines in it. */
typedef struct cell_text {
    const char *b;
    const unsigned char *st;
    size_t n;
} cell_text;

static bool flatten(const ts_cell_run *runs, size_t n_runs, ts_arena *a, cell_text *ct)
{
    size_t n = 0;
    for (size_t i = 0; i < n_runs; i++)
        n += runs[i].len;
    char *b = ts_arena_alloc(a, n + 1);
    unsigned char *st = ts_arena_alloc(a, n + 1);
    if (b == NULL || st == NULL)
        return false;
    size_t k = 0;
    for (size_t i = 0; i < n_runs; i++) {
        for (size_t j = 0; j < runs[i].len; j++) {
            char c = runs[i].text[j];
            /* A line break written "\r\n" or "\r" is one "\n". */
            if (c == '\r') {
                if (j + 1 < runs[i].len && runs[i].text[j + 1] == '\n')
                    continue;
                c = '\n';
            }
            b[k] = c;
            st[k++] = (unsigned char)(runs[i].style & (TS_RUN_BOLD | TS_RUN_ITALIC));
        }
    }
    b[k] = '\0';
    *ct = (cell_text){b, st, k};
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* An inline text being read: folded as the round file's text is (a stretch of white space is
 * one space in the run where it began, none at the start or the end). */
typedef struct draft {
    ts_arena *a;
    ts_vec runs; /* ts_run, texts not yet NUL-terminated copies */
    ts_vec buf;  /* char */
    ts_pos pos;
    bool oom;
} draft;

static void draft_put(draft *d, const char *s, size_t n, unsigned style, const char *href)
{
    if (n == 0 || d->oom)
        return;
    ts_run *last = d->runs.len ? (ts_run *)d->runs.items + d->runs.len - 1 : NULL;
    bool same = last && last->style == style &&
                (last->href == href || (last->href && href && strcmp(last->href, href) == 0));
    if (!same) {
        last = ts_vec_push(d->a, &d->runs, sizeof *last);
        if (last == NULL) {
            d->oom = true;
            return;
        }
        *last = (ts_run){(const char *)(uintptr_t)d->buf.len, 0, style, href, d->pos};
    }
    for (size_t i = 0; i < n; i++) {
        char *c = ts_vec_push(d->a, &d->buf, 1);
        if (c == NULL) {
            d->oom = true;
            return;
        }
        *c = s[i];
    }
    last->len += n;
}

/* Appends a character of the text: white space folded. */
static void draft_char(draft *d, char c, unsigned style, const char *href)
{
    if (is_space(c)) {
        const char *b = d->buf.items;
        if (d->buf.len == 0 || b[d->buf.len - 1] == ' ')
            return;
        c = ' ';
    }
    draft_put(d, &c, 1, style, href);
}

static ts_inline draft_end(draft *d)
{
    ts_inline in = {NULL, 0, d->pos};
    char *b = d->buf.items;
    if (d->buf.len > 0 && b[d->buf.len - 1] == ' ') {
        ts_run *last = (ts_run *)d->runs.items + d->runs.len - 1;
        d->buf.len--;
        if (--last->len == 0)
            d->runs.len--;
    }
    if (d->oom || d->runs.len == 0)
        return in;
    ts_run *runs = d->runs.items;
    for (size_t i = 0; i < d->runs.len; i++) {
        size_t off = (size_t)(uintptr_t)runs[i].text;
        char *t = ts_arena_strndup(d->a, b + off, runs[i].len);
        if (t == NULL) {
            d->oom = true;
            return in;
        }
        runs[i].text = t;
    }
    in.runs = runs;
    in.n_runs = d->runs.len;
    return in;
}

/* The end of a link "[text](address)" whose "[" is at s[i], or 0 when none starts there; sets
 * the text's range and the address (in a). */
static size_t link_at(const cell_text *ct, size_t i, size_t end, size_t *text_end, ts_arena *a,
                      const char **href)
{
    const char *s = ct->b;
    size_t j = i + 1;
    while (j < end && s[j] != ']') {
        if (s[j] == '\\' && j + 1 < end && (s[j + 1] == '[' || s[j + 1] == ']' || s[j + 1] == '\\'))
            j += 2;
        else if (s[j] == '[' || s[j] == '\n')
            return 0;
        else
            j++;
    }
    if (j + 1 >= end || s[j] != ']' || s[j + 1] != '(')
        return 0;
    *text_end = j;
    size_t k = j + 2, h0, h1;
    if (k < end && s[k] == '<') {
        h0 = ++k;
        while (k < end && s[k] != '>' && s[k] != '\n')
            k++;
        if (k + 1 >= end || s[k] != '>' || s[k + 1] != ')')
            return 0;
        h1 = k;
        k += 2;
    } else {
        h0 = k;
        int depth = 0;
        for (; k < end; k++) {
            if (is_space(s[k]))
                return 0;
            if (s[k] == '(')
                depth++;
            else if (s[k] == ')' && depth-- == 0)
                break;
        }
        if (k >= end)
            return 0;
        h1 = k++;
    }
    if (h1 == h0)
        return 0;
    *href = ts_arena_strndup(a, s + h0, h1 - h0);
    return *href ? k : 0;
}

/* The inline text of ct's bytes [from, end): escapes undone, links found, white space folded. */
static ts_inline read_inline_range(const cell_text *ct, size_t from, size_t end, ts_pos pos,
                                   ts_arena *a, bool *oom)
{
    draft d = {.a = a, .pos = pos};
    const char *s = ct->b;
    for (size_t i = from; i < end && !d.oom;) {
        if (s[i] == '\\' && i + 1 < end &&
            (s[i + 1] == '[' || s[i + 1] == ']' || s[i + 1] == '\\')) {
            draft_char(&d, s[i + 1], ct->st[i + 1], NULL);
            i += 2;
            continue;
        }
        size_t text_end;
        const char *href = NULL;
        size_t after = s[i] == '[' ? link_at(ct, i, end, &text_end, a, &href) : 0;
        if (after == 0) {
            draft_char(&d, s[i], ct->st[i], NULL);
            i++;
            continue;
        }
        for (size_t k = i + 1; k < text_end;) {
            if (s[k] == '\\' && k + 1 < text_end &&
                (s[k + 1] == '[' || s[k + 1] == ']' || s[k + 1] == '\\')) {
                draft_char(&d, s[k + 1], ct->st[k + 1], href);
                k += 2;
            } else {
                draft_char(&d, s[k], ct->st[k], href);
                k++;
            }
        }
        i = after;
    }
    ts_inline in = draft_end(&d);
    *oom |= d.oom;
    return in;
}

/* The lines of ct: [start, end) each. */
static size_t next_line(const cell_text *ct, size_t from)
{
    const char *nl = memchr(ct->b + from, '\n', ct->n - from);
    return nl ? (size_t)(nl - ct->b) : ct->n;
}

static bool blank_range(const cell_text *ct, size_t from, size_t end)
{
    for (size_t i = from; i < end; i++)
        if (!is_space(ct->b[i]))
            return false;
    return true;
}

/* A list being read, at one level of nesting. */
typedef struct open_list {
    ts_block *block; /* a nested list's; NULL at the top level, where top is its index */
    size_t top;
    ts_vec items; /* ts_list_item */
    bool numbered;
    char bullet; /* '*' for "•", '-' */
} open_list;

typedef struct reader {
    ts_arena *a;
    ts_pos pos;
    ts_vec blocks; /* ts_block */
    open_list levels[64];
    size_t depth; /* open levels */
    bool oom;
} reader;

/* Ends the lists from `level` down: their items are put in place. */
static void close_lists(reader *r, size_t level)
{
    while (r->depth > level) {
        open_list *o = &r->levels[--r->depth];
        /* A top-level block lies in the vec of blocks, which moves as it grows. */
        ts_block *b = o->block ? o->block : (ts_block *)r->blocks.items + o->top;
        b->items = o->items.items;
        b->n_items = o->items.len;
    }
}

static ts_block *new_block(reader *r, size_t level)
{
    if (level == 0) {
        ts_block *b = ts_vec_push(r->a, &r->blocks, sizeof *b);
        if (b == NULL)
            r->oom = true;
        return b;
    }
    ts_block *b = ts_arena_calloc(r->a, 1, sizeof *b);
    if (b == NULL) {
        r->oom = true;
        return NULL;
    }
    open_list *up = &r->levels[level - 1];
    ts_list_item *it = (ts_list_item *)up->items.items + up->items.len - 1;
    it->sublist = b;
    return b;
}

static void problem_at(ts_ftext_problem *p, ts_arena *a, unsigned at, const char *msg)
{
    p->line = at;
    p->message = ts_arena_strdup(a, msg);
}

/* Blocks are kept in a vec while read: a block's list items point into their own vecs, which
 * never move once the list is closed. */
bool ts_ftext_read_blocks(const ts_cell_run *runs, size_t n_runs, ts_pos pos, ts_arena *a,
                          ts_blocks *out, ts_ftext_problem *problem)
{
    *out = (ts_blocks){NULL, 0, true, pos};
    problem->message = NULL;
    problem->line = 0;
    cell_text ct;
    if (!flatten(runs, n_runs, a, &ct))
        return false;
    reader r = {.a = a, .pos = pos};
    unsigned line_no = 0;
    for (size_t from = 0; from <= ct.n && !r.oom;) {
        size_t end = next_line(&ct, from);
        line_no++;
        size_t i = from;
        if (blank_range(&ct, from, end)) {
            from = end + 1;
            continue;
        }
        size_t spaces = 0, indent = indent_len(ct.b + i, end - i, &spaces);
        i += indent;
        bool numbered = false;
        size_t mk = ct.b[i] == '\\' ? 0 : marker_len(ct.b + i, end - i, &numbered);
        if (mk == 0) {
            /* A paragraph: every list ends.  What stood before it is its own (a no-break space
             * of the text), unless a backslash escaped it. */
            close_lists(&r, 0);
            if (ct.b[i] == '\\')
                i++;
            else
                i = from;
            ts_block *b = new_block(&r, 0);
            if (b == NULL)
                break;
            b->kind = TS_BLOCK_P;
            b->pos = pos;
            b->text = read_inline_range(&ct, i, end, pos, a, &r.oom);
            from = end + 1;
            continue;
        }
        size_t level = spaces / 2;
        if (level > r.depth)
            level = r.depth; /* deeper than one level below the item before: its nested list */
        if (level >= 63)
            level = 62;
        char bullet = numbered ? '1' : ct.b[i] == '-' ? '-' : '*';
        bool restart = false;
        if (level < r.depth) {
            close_lists(&r, level + 1);
            open_list *o = &r.levels[level];
            bool first = ct.b[i] == '1' && mk >= 2 && ct.b[i + 1] == '.';
            restart = o->numbered != numbered || (!numbered && o->bullet != bullet) ||
                      (numbered && first);
            if (restart) {
                close_lists(&r, level);
                if (level > 0) {
                    problem_at(problem, a, line_no,
                               "an item holds one nested list: this line starts another one "
                               "under the same item (use the same marker as the lines above it, "
                               "or make it an item of its own)");
                    return false;
                }
            }
        }
        if (level == r.depth) {
            if (level > 0) {
                open_list *up = &r.levels[level - 1];
                ts_list_item *it = (ts_list_item *)up->items.items + up->items.len - 1;
                if (it->sublist != NULL) {
                    problem_at(problem, a, line_no,
                               "an item holds one nested list: this line starts another one "
                               "under the same item");
                    return false;
                }
            }
            ts_block *b = new_block(&r, level);
            if (b == NULL)
                break;
            b->kind = numbered ? TS_BLOCK_OL : TS_BLOCK_UL;
            b->pos = pos;
            r.levels[level] =
                (open_list){level ? b : NULL, r.blocks.len - 1, {0}, numbered, bullet};
            r.depth = level + 1;
        }
        open_list *o = &r.levels[level];
        ts_list_item *it = ts_vec_push(a, &o->items, sizeof *it);
        if (it == NULL) {
            r.oom = true;
            break;
        }
        it->pos = pos;
        it->text = read_inline_range(&ct, i + mk, end, pos, a, &r.oom);
        from = end + 1;
    }
    close_lists(&r, 0);
    if (r.oom)
        return false;
    out->blocks = r.blocks.items;
    out->n = r.blocks.len;
    return true;
}

bool ts_ftext_read_inline(const ts_cell_run *runs, size_t n_runs, ts_pos pos, ts_arena *a,
                          ts_inline *out, ts_ftext_problem *problem)
{
    *out = (ts_inline){NULL, 0, pos};
    problem->message = NULL;
    problem->line = 0;
    cell_text ct;
    if (!flatten(runs, n_runs, a, &ct))
        return false;
    size_t first = SIZE_MAX, first_end = 0;
    unsigned line_no = 0;
    for (size_t from = 0; from <= ct.n;) {
        size_t end = next_line(&ct, from);
        line_no++;
        if (!blank_range(&ct, from, end)) {
            if (first != SIZE_MAX) {
                problem_at(problem, a, line_no,
                           "this cell holds one line of text, and it has more: join them, or "
                           "put the rest where paragraphs go");
                return false;
            }
            first = from;
            first_end = end;
        }
        from = end + 1;
    }
    if (first == SIZE_MAX)
        return true;
    bool oom = false;
    *out = read_inline_range(&ct, first, first_end, pos, a, &oom);
    return !oom;
}
