/* The round writer (roundwrite.h): the model walked in the skeleton's order into text, and the
 * text put in place as a whole file. */
#define _GNU_SOURCE /* renameat2, RENAME_NOREPLACE, getrandom */
#include "round/roundwrite.h"

#include "core/buf.h"
#include "round/parser.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Texts are wrapped at spaces before this column, where a word allows. */
enum { WRAP_COLUMN = 100, STEP = 2 };

/* ---- The text being made ----------------------------------------------------------------- */

typedef struct out {
    ts_buf text;
    size_t col;                  /* characters since the last line break */
    const ts_comment **comments; /* sorted by element, then file order */
    size_t n_comments;
} out;

static void put_n(out *o, const char *s, size_t n)
{
    if (!ts_buf_append(&o->text, s, n))
        return;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            o->col = 0;
        else if (((unsigned char)s[i] & 0xC0) != 0x80)
            o->col++;
    }
}

static void put(out *o, const char *s)
{
    put_n(o, s, strlen(s));
}

static void line(out *o, unsigned indent)
{
    static const char spaces[] = "                                                                ";
    put_n(o, "\n", 1);
    while (indent > 0) {
        unsigned k = indent < sizeof spaces - 1 ? indent : (unsigned)sizeof spaces - 1;
        put_n(o, spaces, k);
        indent -= k;
    }
}

/* An empty line between parts, for the eye. */
static void blank(out *o)
{
    put_n(o, "\n", 1);
}

/* Characters that a person cannot see in an editor, written as references so that they can:
 * the no-break space, the soft hyphen, the zero-width ones and the word joiner. */
static const char *invisible(const char *s, size_t n, size_t *len)
{
    static const struct {
        const char *utf8, *ref;
    } table[] = {
        {"\xC2\xA0", "&#160;"},       {"\xC2\xAD", "&#173;"},      {"\xE2\x80\x8B", "&#8203;"},
        {"\xE2\x80\x8C", "&#8204;"},  {"\xE2\x80\x8D", "&#8205;"}, {"\xE2\x81\xA0", "&#8288;"},
        {"\xEF\xBB\xBF", "&#65279;"},
    };
    unsigned char c = (unsigned char)s[0];
    if (c != 0xC2 && c != 0xE2 && c != 0xEF)
        return NULL;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        size_t l = strlen(table[i].utf8);
        if (l <= n && memcmp(s, table[i].utf8, l) == 0) {
            *len = l;
            return table[i].ref;
        }
    }
    return NULL;
}

static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Text content, escaped.  Where `wrap` is set, a space before a word that would pass the wrap
 * column becomes a line break and the indentation (the reader folds both back to one space),
 * unless what is left (here and in the `tail` characters of the text after s) would end the
 * line soon after the column anyway.  `next` is the length of the word that the text after s
 * begins with, its tags included. */
static void put_text(out *o, const char *s, size_t n, bool wrap, unsigned indent, size_t tail,
                     size_t next)
{
    size_t from = 0, col = o->col;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        char c = s[i];
        size_t skip = 1;
        if (c == '&')
            esc = "&amp;";
        else if (c == '<')
            esc = "&lt;";
        else if (c == '>')
            esc = "&gt;";
        else if ((esc = invisible(s + i, n - i, &skip)) != NULL)
            ;
        else if (c == ' ' && wrap && col > indent + 20) {
            size_t word = 0, rest = 0;
            size_t k = i + 1;
            for (; k < n && s[k] != ' '; k++)
                word += ((unsigned char)s[k] & 0xC0) != 0x80;
            if (k == n)
                word += next;
            if (col + 1 + word > WRAP_COLUMN) {
                rest = chars(s + i, n - i) + tail;
                if (col + rest > WRAP_COLUMN + 20)
                    esc = "";
            }
        }
        if (esc == NULL) {
            col += ((unsigned char)c & 0xC0) != 0x80;
            continue;
        }
        put_n(o, s + from, i - from);
        if (*esc)
            put(o, esc);
        else
            line(o, indent);
        i += skip - 1;
        from = i + 1;
        col = o->col;
    }
    put_n(o, s + from, n - from);
}

static void put_attr_text(out *o, const char *value, size_t n)
{
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = value[i] == '&'    ? "&amp;"
                          : value[i] == '<'  ? "&lt;"
                          : value[i] == '"'  ? "&quot;"
                          : value[i] == '\t' ? "&#9;"
                          : value[i] == '\n' ? "&#10;"
                          : value[i] == '\r' ? "&#13;"
                                             : NULL;
        if (esc == NULL)
            continue;
        put_n(o, value + from, i - from);
        put(o, esc);
        from = i + 1;
    }
    put_n(o, value + from, n - from);
}

static void put_attr(out *o, const char *name, const char *value)
{
    put(o, " ");
    put(o, name);
    put(o, "=\"");
    put_attr_text(o, value, strlen(value));
    put(o, "\"");
}

/* An attribute that holds folded text (a scale's labels): its runs' text, one after another. */
static void put_inline_attr(out *o, const char *name, const ts_inline *in)
{
    put(o, " ");
    put(o, name);
    put(o, "=\"");
    for (size_t i = 0; i < in->n_runs; i++)
        put_attr_text(o, in->runs[i].text, in->runs[i].len);
    put(o, "\"");
}

static void put_int_attr(out *o, const char *name, long v)
{
    char b[32];
    snprintf(b, sizeof b, "%ld", v);
    put_attr(o, name, b);
}

/* The shortest decimal that reads back as the same double, without an exponent (xs:decimal
 * has none).  An infinite value (a decimal of more than 308 digits was read) is written as a
 * decimal that reads back as infinite. */
static void format_decimal(double v, char *buf, size_t cap)
{
    if (isnan(v)) {
        snprintf(buf, cap, "0");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, cap, "%s1%0309d", v < 0 ? "-" : "", 0);
        return;
    }
    char e[40];
    for (int prec = 0; prec < 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec, v);
        if (strtod(e, NULL) == v)
            break;
    }
    /* e is [-]D[.DDD]e[+-]XX */
    const char *p = e;
    char *w = buf, *end = buf + cap - 1;
    if (*p == '-')
        *w++ = *p++;
    char digits[24];
    size_t nd = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.' && nd < sizeof digits)
            digits[nd++] = *p;
    int exp = *p == 'e' ? atoi(p + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (exp < 0) {
        for (const char *z = "0."; *z && w < end; z++)
            *w++ = *z;
        for (int k = 0; k < -exp - 1 && w < end; k++)
            *w++ = '0';
        for (size_t k = 0; k < nd && w < end; k++)
            *w++ = digits[k];
    } else {
        for (int k = 0; k <= exp && w < end; k++)
            *w++ = (size_t)k < nd ? digits[k] : '0';
        if ((size_t)exp + 1 < nd && w < end) {
            *w++ = '.';
            for (size_t k = (size_t)exp + 1; k < nd && w < end; k++)
                *w++ = digits[k];
        }
    }
    *w = '\0';
}

static void put_decimal_attr(out *o, const char *name, double v)
{
    char b[400];
    format_decimal(v, b, sizeof b);
    put_attr(o, name, b);
}

/* ---- Comments ---------------------------------------------------------------------------- */

static int cmp_comment(const void *a, const void *b)
{
    const ts_comment *x = *(const ts_comment *const *)a, *y = *(const ts_comment *const *)b;
    uintptr_t ex = (uintptr_t)x->element, ey = (uintptr_t)y->element;
    if (ex != ey)
        return ex < ey ? -1 : 1;
    return x < y ? -1 : x > y; /* file order: they lie in one array */
}

/* The first comment of `element` in the sorted list, or n_comments. */
static size_t first_comment(const out *o, const void *element)
{
    size_t lo = 0, hi = o->n_comments;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)o->comments[mid]->element < (uintptr_t)element)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One comment at the current place: "<!-- first line" and each further line indented under
 * it, or, for a text that began on a line of its own, a block whose lines are indented by one
 * step under "<!--".  The lines keep their indentation relative to each other. */
static void put_comment(out *o, const char *text, unsigned indent)
{
    bool block = false;
    for (const char *t = text; *t && is_blank(*t); t++)
        block |= *t == '\n';
    while (*text && is_blank(*text))
        text++;
    size_t n = strlen(text);
    while (n > 0 && is_blank(text[n - 1]))
        n--;
    /* the smallest indentation of the lines after the first */
    size_t common = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        if (text[i] != '\n')
            continue;
        size_t k = i + 1, w = 0;
        while (k < n && (text[k] == ' ' || text[k] == '\t'))
            k++, w++;
        if (k < n && text[k] != '\n' && w < common)
            common = w;
    }
    if (common == SIZE_MAX)
        common = 0;
    unsigned under = block ? indent + STEP : indent + 5;
    put(o, "<!--");
    if (block)
        line(o, under);
    else
        put(o, " ");
    char last = '\0';
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c == '\n') {
            size_t k = i + 1, skip = 0;
            while (k < n && skip < common && (text[k] == ' ' || text[k] == '\t'))
                k++, skip++;
            bool empty = k >= n || text[k] == '\n';
            if (empty)
                put(o, "\n");
            else
                line(o, under);
            i = k - 1;
            last = ' ';
            continue;
        }
        if (c == '\r')
            continue;
        if (c == '-' && last == '-')
            put(o, " ");
        put_n(o, &c, 1);
        last = c;
    }
    /* The space or line break before "-->" also keeps a last '-' from touching it. */
    if (block)
        line(o, indent);
    else
        put(o, " ");
    put(o, "-->");
}

/* The comments of `element` at `place` (every place when `any`), each on a line of its own at
 * `indent`. */
static void comments_at(out *o, const void *element, ts_comment_place place, bool any,
                        unsigned indent)
{
    if (element == NULL)
        return;
    for (size_t i = first_comment(o, element);
         i < o->n_comments && o->comments[i]->element == element; i++) {
        if (!any && o->comments[i]->place != place)
            continue;
        line(o, indent);
        put_comment(o, o->comments[i]->text, indent);
    }
}

static bool has_comments(const out *o, const void *element, ts_comment_place place, bool any)
{
    if (element == NULL)
        return false;
    for (size_t i = first_comment(o, element);
         i < o->n_comments && o->comments[i]->element == element; i++)
        if (any || o->comments[i]->place == place)
            return true;
    return false;
}

/* The comments inside an element, written in its line of text (a <p>, an <li>). */
static void comments_inline(out *o, const void *element, unsigned indent)
{
    for (size_t i = first_comment(o, element);
         i < o->n_comments && o->comments[i]->element == element; i++) {
        if (o->comments[i]->place != TS_COMMENT_INSIDE)
            continue;
        put_comment(o, o->comments[i]->text, indent);
    }
}

/* ---- Elements ---------------------------------------------------------------------------- */

/* "\n<indent><name", after the comments that stand before the element. */
static void open_tag(out *o, const void *element, const char *name, unsigned indent)
{
    comments_at(o, element, TS_COMMENT_BEFORE, false, indent);
    line(o, indent);
    put(o, "<");
    put(o, name);
}

static void close_tag(out *o, const void *element, const char *name, unsigned indent)
{
    put(o, "</");
    put(o, name);
    put(o, ">");
    comments_at(o, element, TS_COMMENT_AFTER, false, indent);
}

/* "/>" for an element without content or comments inside. */
static void close_empty(out *o, const void *element, unsigned indent)
{
    put(o, "/>");
    comments_at(o, element, TS_COMMENT_AFTER, false, indent);
}

static void put_runs(out *o, const ts_inline *in, unsigned indent)
{
    size_t tail = 0;
    for (size_t i = 0; i < in->n_runs; i++)
        tail += chars(in->runs[i].text, in->runs[i].len);
    for (size_t i = 0; i < in->n_runs; i++) {
        const ts_run *run = &in->runs[i];
        if (run->href) {
            put(o, "<a");
            put_attr(o, "href", run->href);
            put(o, ">");
        }
        if (run->style & TS_RUN_BOLD)
            put(o, "<b>");
        if (run->style & TS_RUN_ITALIC)
            put(o, "<i>");
        tail -= chars(run->text, run->len);
        size_t next = 0;
        if (i + 1 < in->n_runs) {
            const ts_run *after = &in->runs[i + 1];
            next = 2 * strlen("<b></b>");
            for (size_t k = 0; k < after->len && after->text[k] != ' '; k++)
                next += ((unsigned char)after->text[k] & 0xC0) != 0x80;
        }
        put_text(o, run->text, run->len, true, indent, tail, next);
        if (run->style & TS_RUN_ITALIC)
            put(o, "</i>");
        if (run->style & TS_RUN_BOLD)
            put(o, "</b>");
        if (run->href)
            put(o, "</a>");
    }
}

/* After "<name attrs": the rest of an element of inline text (plain text is inline text of one
 * unstyled run).  With comments inside, the text stands on a line of its own under them. */
static void finish_inline(out *o, const void *element, const char *name, const ts_inline *in,
                          unsigned indent)
{
    bool inside = has_comments(o, element, TS_COMMENT_INSIDE, false);
    if (in->n_runs == 0 && !inside) {
        close_empty(o, element, indent);
        return;
    }
    put(o, ">");
    if (inside) {
        comments_at(o, element, TS_COMMENT_INSIDE, false, indent + STEP);
        if (in->n_runs > 0) {
            line(o, indent + STEP);
            put_runs(o, in, indent + STEP);
        }
        line(o, indent);
    } else {
        put_runs(o, in, indent + STEP);
    }
    close_tag(o, element, name, indent);
}

static void plain_element(out *o, const void *element, const char *name, const char *text,
                          unsigned indent)
{
    ts_run run = {text, strlen(text), 0, NULL, {0, 0}};
    ts_inline in = {&run, *text ? 1 : 0, {0, 0}};
    open_tag(o, element, name, indent);
    finish_inline(o, element, name, &in, indent);
}

static void inline_element(out *o, const void *element, const char *name, const ts_inline *in,
                           unsigned indent)
{
    open_tag(o, element, name, indent);
    finish_inline(o, element, name, in, indent);
}

static void put_block(out *o, const ts_block *b, unsigned indent);

static void put_list(out *o, const ts_block *b, unsigned indent)
{
    const char *name = b->kind == TS_BLOCK_OL ? "ol" : "ul";
    open_tag(o, b, name, indent);
    put(o, ">");
    comments_at(o, b, TS_COMMENT_INSIDE, false, indent + STEP);
    for (size_t i = 0; i < b->n_items; i++) {
        const ts_list_item *it = &b->items[i];
        open_tag(o, it, "li", indent + STEP);
        put(o, ">");
        comments_inline(o, it, indent + STEP);
        put_runs(o, &it->text, indent + 2 * STEP);
        if (it->sublist != NULL) {
            put_block(o, it->sublist, indent + 2 * STEP);
            line(o, indent + STEP);
        }
        close_tag(o, it, "li", indent + STEP);
    }
    line(o, indent);
    close_tag(o, b, name, indent);
}

static void put_block(out *o, const ts_block *b, unsigned indent)
{
    if (b->kind != TS_BLOCK_P) {
        put_list(o, b, indent);
        return;
    }
    open_tag(o, b, "p", indent);
    put(o, ">");
    comments_inline(o, b, indent);
    put_runs(o, &b->text, indent + STEP);
    close_tag(o, b, "p", indent);
}

/* After "<name attrs": the rest of an element of blocks.  A paragraph alone is written as bare
 * text; an element without blocks as "<name/>". */
static void finish_blocks(out *o, const void *element, const char *name, const ts_blocks *bl,
                          unsigned indent)
{
    bool inside = has_comments(o, element, TS_COMMENT_INSIDE, false);
    bool bare = bl->n == 1 && bl->blocks[0].kind == TS_BLOCK_P && bl->blocks[0].text.n_runs > 0;
    /* A bare paragraph has no element of its own: its comments go inside its holder. */
    const void *para = bare ? &bl->blocks[0] : NULL;
    if (bare)
        inside |= has_comments(o, para, TS_COMMENT_INSIDE, true);
    if (bl->n == 0 && !inside) {
        close_empty(o, element, indent);
        return;
    }
    put(o, ">");
    if (bare && !inside) {
        put_runs(o, &bl->blocks[0].text, indent + STEP);
        close_tag(o, element, name, indent);
        return;
    }
    comments_at(o, element, TS_COMMENT_INSIDE, false, indent + STEP);
    if (bare) {
        comments_at(o, para, TS_COMMENT_INSIDE, true, indent + STEP);
        line(o, indent + STEP);
        put_runs(o, &bl->blocks[0].text, indent + STEP);
    } else {
        for (size_t i = 0; i < bl->n; i++)
            put_block(o, &bl->blocks[i], indent + STEP);
    }
    line(o, indent);
    close_tag(o, element, name, indent);
}

static void blocks_element(out *o, const void *element, const char *name, const ts_blocks *bl,
                           unsigned indent)
{
    if (!bl->present) {
        /* Comments of an element that is not written stand where it would. */
        comments_at(o, element, TS_COMMENT_BEFORE, true, indent);
        return;
    }
    open_tag(o, element, name, indent);
    finish_blocks(o, element, name, bl, indent);
}

/* ---- The round --------------------------------------------------------------------------- */

static void put_level(out *o, const ts_level *l, unsigned indent)
{
    open_tag(o, l, "level", indent);
    put_decimal_attr(o, "value", l->value);
    if (l->unit)
        put_attr(o, "unit", l->unit);
    if (has_comments(o, l, TS_COMMENT_INSIDE, false)) {
        put(o, ">");
        comments_at(o, l, TS_COMMENT_INSIDE, false, indent + STEP);
        line(o, indent);
        close_tag(o, l, "level", indent);
    } else {
        close_empty(o, l, indent);
    }
}

static void put_target(out *o, const ts_target *t, unsigned indent)
{
    unsigned in = indent + STEP;
    open_tag(o, t, "target", indent);
    if (t->id)
        put_attr(o, "id", t->id);
    put(o, ">");
    comments_at(o, t, TS_COMMENT_INSIDE, false, in);
    inline_element(o, &t->title, "title", &t->title, in);
    if (t->scale) {
        const ts_scale *sc = t->scale;
        open_tag(o, sc, "scale", in);
        put_inline_attr(o, "from", &sc->from);
        put_inline_attr(o, "to", &sc->to);
        if (sc->n_phases == 0 && !has_comments(o, sc, TS_COMMENT_INSIDE, false)) {
            close_empty(o, sc, in);
        } else {
            put(o, ">");
            comments_at(o, sc, TS_COMMENT_INSIDE, false, in + STEP);
            for (size_t i = 0; i < sc->n_phases; i++) {
                open_tag(o, &sc->phases[i], "phase", in + STEP);
                put_decimal_attr(o, "at", sc->phases[i].at);
                finish_inline(o, &sc->phases[i], "phase", &sc->phases[i].label, in + STEP);
            }
            line(o, in);
            close_tag(o, sc, "scale", in);
        }
    }
    for (size_t i = 0; i < t->n_tasks; i++) {
        const ts_task *k = &t->tasks[i];
        open_tag(o, k, "task", in);
        put_attr(o, "status", ts_task_status_name(k->status));
        if (k->progress >= 0)
            put_int_attr(o, "progress", k->progress);
        put(o, ">");
        bool multi = k->detail.present || has_comments(o, k, TS_COMMENT_INSIDE, false) ||
                     has_comments(o, &k->title, TS_COMMENT_BEFORE, true) ||
                     has_comments(o, &k->detail, TS_COMMENT_BEFORE, true);
        if (!multi) {
            /* The common task, on one line: <task status="done"><title>…</title></task> */
            put(o, "<title");
            finish_inline(o, &k->title, "title", &k->title, in + STEP);
            close_tag(o, k, "task", in);
            continue;
        }
        comments_at(o, k, TS_COMMENT_INSIDE, false, in + STEP);
        inline_element(o, &k->title, "title", &k->title, in + STEP);
        blocks_element(o, &k->detail, "detail", &k->detail, in + STEP);
        line(o, in);
        close_tag(o, k, "task", in);
    }
    blocks_element(o, &t->forecast, "forecast", &t->forecast, in);
    blocks_element(o, &t->risks, "risks", &t->risks, in);
    line(o, indent);
    close_tag(o, t, "target", indent);
}

static void put_measure(out *o, const ts_measure *m, unsigned indent)
{
    unsigned in = indent + STEP;
    open_tag(o, m, "measure", indent);
    put_attr(o, "id", m->id ? m->id : "");
    put_attr(o, "recovery", m->recovery ? "true" : "false");
    put(o, ">");
    comments_at(o, m, TS_COMMENT_INSIDE, false, in);
    inline_element(o, &m->name, "name", &m->name, in);
    open_tag(o, &m->text, "text", in);
    finish_blocks(o, &m->text, "text", &m->text, in);
    if (m->has_date) {
        char d[48];
        if (m->date.day > 0)
            snprintf(d, sizeof d, "%04d-%02d-%02d", m->date.year, m->date.month, m->date.day);
        else
            snprintf(d, sizeof d, "%04d-%02d", m->date.year, m->date.month);
        plain_element(o, &m->date, "date", d, in);
    } else {
        comments_at(o, &m->date, TS_COMMENT_BEFORE, true, in);
    }
    for (size_t i = 0; i < m->n_owners; i++)
        plain_element(o, &m->owners[i], "owner", m->owners[i].name, in);
    for (size_t i = 0; i < m->n_managers; i++)
        plain_element(o, &m->managers[i], "manager", m->managers[i].name, in);
    for (size_t i = 0; i < m->n_preparers; i++)
        plain_element(o, &m->preparers[i], "preparer", m->preparers[i].name, in);
    blocks_element(o, &m->objective, "objective", &m->objective, in);
    if (m->level)
        put_level(o, m->level, in);
    for (size_t i = 0; i < m->n_targets; i++)
        put_target(o, &m->targets[i], in);
    for (size_t i = 0; i < m->n_forecasts; i++) {
        const ts_forecast *f = &m->forecasts[i];
        open_tag(o, f, "forecast", in);
        put_int_attr(o, "round", f->round);
        put_attr(o, "status", ts_status_name(f->status));
        if (f->has_value)
            put_decimal_attr(o, "value", f->value);
        if (f->unit)
            put_attr(o, "unit", f->unit);
        finish_blocks(o, f, "forecast", &f->text, in);
    }
    blocks_element(o, &m->comment, "comment", &m->comment, in);
    blocks_element(o, &m->risks, "risks", &m->risks, in);
    for (size_t i = 0; i < m->n_notes; i++)
        blocks_element(o, &m->notes[i], "note", &m->notes[i], in);
    for (size_t i = 0; i < m->n_links; i++) {
        open_tag(o, &m->links[i], "link", in);
        put_attr(o, "ref", m->links[i]->id ? m->links[i]->id : "");
        close_empty(o, &m->links[i], in);
    }
    line(o, indent);
    close_tag(o, m, "measure", indent);
}

static void put_goal(out *o, const ts_goal *g, unsigned indent)
{
    unsigned in = indent + STEP;
    open_tag(o, g, "goal", indent);
    put_attr(o, "id", g->id ? g->id : "");
    put_attr(o, "theme", g->theme && g->theme->id ? g->theme->id : "");
    put(o, ">");
    comments_at(o, g, TS_COMMENT_INSIDE, false, in);
    inline_element(o, &g->statement, "statement", &g->statement, in);
    blocks_element(o, &g->description, "description", &g->description, in);
    for (size_t i = 0; i < g->n_measures; i++) {
        blank(o);
        put_measure(o, &g->measures[i], in);
    }
    line(o, indent);
    close_tag(o, g, "goal", indent);
}

static void put_summary(out *o, const ts_summary *s, unsigned indent)
{
    unsigned in = indent + STEP;
    open_tag(o, s, "summary", indent);
    if (s->n_theme_actions == 0 && s->n_programme_actions == 0 &&
        !has_comments(o, s, TS_COMMENT_INSIDE, false)) {
        close_empty(o, s, indent);
        return;
    }
    put(o, ">");
    comments_at(o, s, TS_COMMENT_INSIDE, false, in);
    for (size_t i = 0; i < s->n_theme_actions; i++) {
        const ts_theme_actions *t = &s->theme_actions[i];
        open_tag(o, t, "theme-actions", in);
        put_attr(o, "theme", t->theme && t->theme->id ? t->theme->id : "");
        put(o, ">");
        comments_at(o, t, TS_COMMENT_INSIDE, false, in + STEP);
        for (size_t k = 0; k < t->n_actions; k++)
            blocks_element(o, &t->actions[k], "action", &t->actions[k], in + STEP);
        for (size_t k = 0; k < t->n_indicators; k++) {
            const ts_indicator *ind = &t->indicators[k];
            open_tag(o, ind, "indicator", in + STEP);
            if (ind->binding)
                put_attr(o, "binding", "true");
            finish_blocks(o, ind, "indicator", &ind->text, in + STEP);
        }
        line(o, in);
        close_tag(o, t, "theme-actions", in);
    }
    for (size_t i = 0; i < s->n_programme_actions; i++) {
        const ts_programme_actions *pa = &s->programme_actions[i];
        open_tag(o, pa, "programme-actions", in);
        put_attr(o, "ref", pa->programme && pa->programme->id ? pa->programme->id : "");
        put(o, ">");
        comments_at(o, pa, TS_COMMENT_INSIDE, false, in + STEP);
        for (size_t k = 0; k < pa->n_actions; k++)
            blocks_element(o, &pa->actions[k], "action", &pa->actions[k], in + STEP);
        line(o, in);
        close_tag(o, pa, "programme-actions", in);
    }
    line(o, indent);
    close_tag(o, s, "summary", indent);
}

static void put_round(out *o, const ts_round *r)
{
    put(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    comments_at(o, r, TS_COMMENT_BEFORE, false, 0);
    line(o, 0);
    put(o, "<round");
    put_attr(o, "format", "1");
    put_int_attr(o, "year", r->year);
    put_int_attr(o, "number", r->number);
    char d[48];
    snprintf(d, sizeof d, "%04d-%02d-%02d", r->date.year, r->date.month, r->date.day);
    put_attr(o, "date", d);
    put_attr(o, "xml:lang", ts_lang_name(r->lang));
    put(o, ">");
    comments_at(o, r, TS_COMMENT_INSIDE, false, STEP);

    line(o, STEP);
    put(o, "<organization>");
    plain_element(o, &r->city, "city", r->city ? r->city : "", 2 * STEP);
    open_tag(o, &r->division, "division", 2 * STEP);
    if (r->division_short)
        put_attr(o, "short", r->division_short);
    ts_run run = {
        r->division ? r->division : "", r->division ? strlen(r->division) : 0, 0, NULL, {0, 0}};
    ts_inline div = {&run, run.len ? 1 : 0, {0, 0}};
    finish_inline(o, &r->division, "division", &div, 2 * STEP);
    line(o, STEP);
    put(o, "</organization>");
    if (r->title.n_runs)
        inline_element(o, &r->title, "title", &r->title, STEP);
    else
        comments_at(o, &r->title, TS_COMMENT_BEFORE, true, STEP);
    if (r->subtitle.n_runs)
        inline_element(o, &r->subtitle, "subtitle", &r->subtitle, STEP);
    else
        comments_at(o, &r->subtitle, TS_COMMENT_BEFORE, true, STEP);

    blank(o);
    open_tag(o, &r->themes, "themes", STEP);
    put(o, ">");
    comments_at(o, &r->themes, TS_COMMENT_INSIDE, false, 2 * STEP);
    for (size_t i = 0; i < r->n_themes; i++) {
        open_tag(o, &r->themes[i], "theme", 2 * STEP);
        put_attr(o, "id", r->themes[i].id ? r->themes[i].id : "");
        finish_inline(o, &r->themes[i], "theme", &r->themes[i].name, 2 * STEP);
    }
    line(o, STEP);
    close_tag(o, &r->themes, "themes", STEP);

    if (r->n_programmes > 0) {
        blank(o);
        open_tag(o, &r->programmes, "programmes", STEP);
        put(o, ">");
        comments_at(o, &r->programmes, TS_COMMENT_INSIDE, false, 2 * STEP);
        for (size_t i = 0; i < r->n_programmes; i++) {
            const ts_programme *p = &r->programmes[i];
            open_tag(o, p, "programme", 2 * STEP);
            put_attr(o, "id", p->id ? p->id : "");
            put_attr(o, "kind", ts_programme_kind_name(p->kind));
            finish_inline(o, p, "programme", &p->name, 2 * STEP);
        }
        line(o, STEP);
        close_tag(o, &r->programmes, "programmes", STEP);
    } else {
        comments_at(o, &r->programmes, TS_COMMENT_BEFORE, true, STEP);
    }
    for (size_t i = 0; i < r->n_goals; i++) {
        blank(o);
        put_goal(o, &r->goals[i], STEP);
    }
    if (r->summary) {
        blank(o);
        put_summary(o, r->summary, STEP);
    }
    line(o, 0);
    put(o, "</round>");
    comments_at(o, r, TS_COMMENT_AFTER, false, 0);
    put(o, "\n");
}

ts_rc ts_round_xml(const ts_round *r, char **xml, size_t *len)
{
    *xml = NULL;
    *len = 0;
    out o = {0};
    if (r->n_comments > 0) {
        o.comments = malloc(r->n_comments * sizeof *o.comments);
        if (o.comments == NULL)
            return TS_SYSTEM_ERROR;
        for (size_t i = 0; i < r->n_comments; i++)
            o.comments[i] = &r->comments[i];
        o.n_comments = r->n_comments;
        qsort(o.comments, o.n_comments, sizeof *o.comments, cmp_comment);
    }
    /* A round file is tens of KB: a first size that most never pass. */
    ts_buf_reserve(&o.text, 65536);
    put_round(&o, r);
    free(o.comments);
    *xml = ts_buf_take(&o.text, len);
    return *xml != NULL ? TS_OK : TS_SYSTEM_ERROR;
}

bool ts_comment_add(ts_arena *a, ts_vec *list, const void *element, ts_comment_place place,
                    const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = n >= 0 ? ts_arena_alloc(a, (size_t)n + 1) : NULL;
    if (text == NULL)
        return false;
    va_start(ap, fmt);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    va_end(ap);
    ts_comment *c = ts_vec_push(a, list, sizeof *c);
    if (c == NULL)
        return false;
    *c = (ts_comment){element, place, text};
    return true;
}

/* ---- The file ---------------------------------------------------------------------------- */

/* A name nobody can guess, so that nothing can be planted under it beforehand. */
static void random_hex(char *buf, size_t n_bytes)
{
    unsigned char r[16];
    if (n_bytes > sizeof r)
        n_bytes = sizeof r;
    if (getrandom(r, n_bytes, GRND_NONBLOCK) != (ssize_t)n_bytes) {
        /* No entropy yet (early boot): the clock and the process still make a name that O_EXCL
         * keeps safe, only guessable. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();
        for (size_t i = 0; i < n_bytes; i++, x = x * 6364136223846793005u + 1442695040888963407u)
            r[i] = (unsigned char)(x >> 56);
    }
    for (size_t i = 0; i < n_bytes; i++)
        snprintf(buf + 2 * i, 3, "%02x", r[i]);
}

static ts_rc file_error(ts_diags *diags, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ts_rc file_error(ts_diags *diags, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_faultv(diags, path, (ts_pos){0, 0}, TS_FAULT_SYSTEM, fmt, ap);
    va_end(ap);
    return TS_SYSTEM_ERROR;
}

static bool write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* Puts tmp at path without replacing a file there: renameat2 where the file system knows it,
 * else a hard link (which fails on an existing name) and the temporary removed. */
static int rename_noreplace(const char *tmp, const char *path)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return 0;
    }
    if (errno == EEXIST)
        return -1;
    /* A file system with neither (FAT): the last look and the rename are two steps. */
    struct stat st;
    if (lstat(path, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, path);
}

typedef struct bytes_job {
    const char *data;
    size_t len;
} bytes_job;

static int write_bytes(void *user, int fd, const char *tmp)
{
    (void)tmp;
    const bytes_job *b = user;
    return write_all(fd, b->data, b->len) ? 0 : errno ? errno : EIO;
}

ts_rc ts_write_file_whole(const char *path, const char *data, size_t len, bool replace,
                          ts_diags *diags)
{
    bytes_job b = {data, len};
    return ts_write_file_by(path, replace, write_bytes, &b, diags);
}

ts_rc ts_write_file_by(const char *path, bool replace, ts_file_writer write, void *user,
                       ts_diags *diags)
{
    if (*path == '\0')
        return file_error(diags, "(output)", "the output file name is empty");
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
        return file_error(diags, path, "names a folder, not a file");
    char dir[PATH_MAX];
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else if ((size_t)(slash - path) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        return file_error(diags, path, "cannot write: %s", strerror(ENAMETOOLONG));

    struct stat st;
    if (lstat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return file_error(diags, path, "names a folder, not a file");
        if (!replace) {
            ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR,
                        "the file exists and is not replaced");
            return TS_USAGE_ERROR;
        }
    }
    struct stat dst;
    if (stat(dir, &dst) != 0 && errno == ENOENT) {
        /* Name the first folder of the path that is missing: the one to create. */
        char missing[PATH_MAX];
        snprintf(missing, sizeof missing, "%s", dir);
        for (char *q = missing + 1; *q; q++) {
            if (*q != '/')
                continue;
            *q = '\0';
            struct stat ps;
            if (stat(missing, &ps) != 0)
                break;
            *q = '/';
        }
        return file_error(diags, path, "cannot write: the folder '%s' does not exist", missing);
    }
    if (stat(dir, &dst) != 0)
        return file_error(diags, path, "cannot write into the folder '%s': %s", dir,
                          strerror(errno));
    if (!S_ISDIR(dst.st_mode))
        return file_error(diags, path, "cannot write: '%s' is not a folder", dir);

    char tmp[PATH_MAX];
    /* A signal now would leave the temporary file behind: they wait until it is in place or
     * gone (a few milliseconds for a round file written from memory; a form's workbook of a
     * few hundred measures takes a few tenths of a second). */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    int fd = -1, err = 0;
    for (int tries = 0; tries < 100 && fd < 0; tries++) {
        char rnd[25];
        random_hex(rnd, 12);
        int n = snprintf(tmp, sizeof tmp, "%s/.%s.%s.tmp", dir, base, rnd);
        if (n < 0 || (size_t)n >= sizeof tmp) {
            err = ENAMETOOLONG;
            break;
        }
        /* O_EXCL with O_CREAT never follows a link planted under the name, nor opens a file
         * that is there. */
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        err = fd < 0 ? errno : 0;
        if (fd < 0 && err != EEXIST)
            break;
    }
    ts_rc rc = TS_OK;
    if (fd < 0) {
        rc = file_error(diags, path, "cannot write into the folder '%s': %s", dir,
                        strerror(err ? err : EEXIST));
    } else {
        err = write(user, fd, tmp);
        bool ok = err == 0;
        if (ok && fsync(fd) != 0 && errno != EINVAL) {
            ok = false;
            err = errno;
        }
        if (close(fd) != 0 && ok) {
            ok = false;
            err = errno;
        }
        if (ok && (replace ? rename(tmp, path) : rename_noreplace(tmp, path)) != 0) {
            ok = false;
            err = errno;
        }
        if (!ok) {
            unlink(tmp);
            if (err == EEXIST) {
                ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR,
                            "the file exists and is not replaced");
                rc = TS_USAGE_ERROR;
            } else if (err == ECANCELED) {
                rc = TS_SYSTEM_ERROR; /* the writer said why */
            } else {
                rc = file_error(diags, path, "cannot write: %s", strerror(err ? err : EIO));
            }
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

ts_rc ts_round_write(const ts_round *r, const char *path, bool replace, ts_diags *diags)
{
    char *xml;
    size_t len;
    if (ts_round_xml(r, &xml, &len) != TS_OK) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        return TS_SYSTEM_ERROR;
    }
    /* What is written must read back as a round: checked before it can replace anything. */
    ts_rc rc = TS_OK;
    ts_diags check;
    if (!ts_diags_init(&check, NULL)) {
        ts_diag_fault(diags, path, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        rc = TS_SYSTEM_ERROR;
    } else {
        ts_parse_options po;
        ts_parse_options_default(&po);
        ts_round *back = ts_parse_memory(xml, len, path, &po, &check);
        if (back == NULL) {
            ts_diags_take(diags, &check);
            ts_diag_add(diags, path, (ts_pos){0, 0}, TS_ERROR,
                        "internal error: the round does not read back; nothing was written");
            rc = TS_SYSTEM_ERROR;
        }
        ts_round_free(back);
        ts_diags_free(&check);
    }
    if (rc == TS_OK)
        rc = ts_write_file_whole(path, xml, len, replace, diags);
    free(xml);
    return rc;
}
