/* new-round: the next round's file from this one (outputs.md §3).
 *
 * The round is read with its XML comments, the next one is made from it in the model, and the
 * round writer writes it.  The next round keeps the structure, the people, the targets and
 * tasks as they stand, the risks, notes and links, and the forecast history; its number goes up
 * by one, and after round 3 it is round 1 of the next year with no forecasts.  What belonged to
 * the old round is not carried forward as the new one's: the measures' dates go, and each
 * target's forecast text and each measure's comment are emptied, the old text kept only as an
 * XML comment inside the emptied element ("3/2020: …"), where the planner sees it while writing
 * and no output shows it. */
#define _GNU_SOURCE /* localtime_r */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/outset.h"
#include "core/buf.h"
#include "core/status.h"
#include "cli/commands.h"
#include "round/parser.h"
#include "round/roundwrite.h"

/* The kept text of an emptied element is wrapped at spaces to lines of about this length. */
enum { KEPT_LINE = 88 };

/* An object of the old round copied into the new one, so that the comments that belong to it
 * (or to a field of it) can follow it. */
typedef struct moved {
    uintptr_t old;
    void *copy;
    size_t size;
} moved;

typedef struct next_round {
    const ts_round *old;
    ts_round *next;
    ts_arena *a;
    ts_vec moved;    /* of moved, in the order of copying */
    ts_vec emptied;  /* of const void *: the new elements whose text went into a comment */
    ts_vec comments; /* of ts_comment: the new round's */
    char label[32];  /* "3/2020": the round the emptied texts belonged to */
    size_t kept, dates, forecasts_removed;
    bool oom;
} next_round;

static void *copy_of(next_round *n, const void *old, size_t count, size_t size)
{
    if (count == 0 || old == NULL)
        return NULL;
    void *c = ts_arena_alloc(n->a, count * size);
    moved *m = c ? ts_vec_push(n->a, &n->moved, sizeof *m) : NULL;
    if (m == NULL) {
        n->oom = true;
        return NULL;
    }
    memcpy(c, old, count * size);
    *m = (moved){(uintptr_t)old, c, count * size};
    return c;
}

/* ---- The kept text ----------------------------------------------------------------------- */

typedef struct kept_text {
    ts_buf b;
    size_t line_start;
} kept_text;

static void text_add(kept_text *t, const char *s, size_t n)
{
    ts_buf_append(&t->b, s, n);
}

static size_t text_col(const kept_text *t)
{
    size_t c = 0;
    for (size_t i = t->line_start; i < t->b.len; i++)
        c += ((unsigned char)t->b.data[i] & 0xC0) != 0x80;
    return c;
}

static void text_newline(kept_text *t, unsigned hang)
{
    text_add(t, "\n", 1);
    t->line_start = t->b.len;
    for (unsigned i = 0; i < hang; i++)
        text_add(t, " ", 1);
}

/* The runs' text, wrapped at spaces; continuation lines hang by `hang` spaces. */
static void text_inline(kept_text *t, const ts_inline *in, unsigned hang)
{
    for (size_t r = 0; r < in->n_runs; r++) {
        const char *s = in->runs[r].text;
        size_t n = in->runs[r].len, from = 0;
        for (size_t i = 0; i <= n; i++) {
            if (i < n && s[i] != ' ')
                continue;
            size_t word = 0;
            for (size_t k = from; k < i; k++)
                word += ((unsigned char)s[k] & 0xC0) != 0x80;
            /* A line ends at a space before a word that would pass the length (never inside a
             * word that runs on over a change of style). */
            if (t->b.len > t->line_start + hang && t->b.data[t->b.len - 1] == ' ' &&
                text_col(t) + word > KEPT_LINE) {
                t->b.len--; /* the space: the line ends there */
                text_newline(t, hang);
            }
            text_add(t, s + from, i - from);
            if (i < n)
                text_add(t, " ", 1);
            from = i + 1;
        }
    }
}

static void text_block(kept_text *t, const ts_block *b, unsigned depth, bool *first)
{
    if (b->kind == TS_BLOCK_P) {
        if (!*first)
            text_newline(t, 0);
        *first = false;
        text_inline(t, &b->text, 0);
        return;
    }
    for (size_t i = 0; i < b->n_items; i++) {
        if (!*first)
            text_newline(t, 0);
        *first = false;
        for (unsigned d = 0; d < depth; d++)
            text_add(t, "  ", 2);
        char mark[24];
        if (b->kind == TS_BLOCK_OL)
            snprintf(mark, sizeof mark, "%zu. ", i + 1);
        else
            snprintf(mark, sizeof mark, "• ");
        text_add(t, mark, strlen(mark));
        text_inline(t, &b->items[i].text, 2 * depth + (b->kind == TS_BLOCK_OL ? 3 : 2));
        if (b->items[i].sublist != NULL && depth < 64)
            text_block(t, b->items[i].sublist, depth + 1, first);
    }
}

/* Empties *dst (a copy of old text) and keeps its text as a comment inside the element. */
static void empty_text(next_round *n, ts_blocks *dst)
{
    if (!dst->present || dst->n == 0)
        return;
    kept_text t = {0};
    text_add(&t, n->label, strlen(n->label));
    text_add(&t, ": ", 2);
    bool first = true;
    /* The first paragraph goes on the label's line; the others under it. */
    for (size_t i = 0; i < dst->n; i++)
        text_block(&t, &dst->blocks[i], 0, &first);
    const void **slot = ts_vec_push(n->a, &n->emptied, sizeof *slot);
    if (t.b.failed || slot == NULL ||
        !ts_comment_add(n->a, &n->comments, dst, TS_COMMENT_INSIDE, "%s", t.b.data))
        n->oom = true;
    else
        *slot = dst;
    ts_buf_free(&t.b);
    dst->blocks = NULL;
    dst->n = 0;
    n->kept++;
}

/* ---- The next round ---------------------------------------------------------------------- */

static void next_target(next_round *n, ts_target *t)
{
    empty_text(n, &t->forecast);
}

static void next_measure(next_round *n, ts_measure *m, const ts_goal *goal, bool new_year)
{
    m->goal = goal;
    if (m->has_date) {
        m->has_date = false;
        m->date = (ts_date){0, 0, 0};
        n->dates++;
    }
    if (new_year) {
        n->forecasts_removed += m->n_forecasts;
        m->forecasts = NULL;
        m->n_forecasts = 0;
        memset(m->by_round, 0, sizeof m->by_round);
    }
    empty_text(n, &m->comment);
    ts_target *targets = copy_of(n, m->targets, m->n_targets, sizeof *targets);
    for (size_t i = 0; targets && i < m->n_targets; i++)
        next_target(n, &targets[i]);
    m->targets = targets;
}

static int cmp_moved(const void *a, const void *b)
{
    uintptr_t x = ((const moved *)a)->old, y = ((const moved *)b)->old;
    return x < y ? -1 : x > y;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (const void *const *)a, y = (uintptr_t) * (const void *const *)b;
    return x < y ? -1 : x > y;
}

/* Where a comment of the old round belongs in the new one: the same place in the copy of the
 * object it was in, or unchanged for objects the new round shares with the old.  The copies
 * are sorted by their old address (they never overlap). */
static const void *moved_to(const next_round *n, const void *element)
{
    uintptr_t e = (uintptr_t)element;
    const moved *m = n->moved.items;
    size_t lo = 0, hi = n->moved.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m[mid].old <= e)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && e < m[lo - 1].old + m[lo - 1].size)
        return (const char *)m[lo - 1].copy + (e - m[lo - 1].old);
    return element;
}

static bool was_emptied(const next_round *n, const void *element)
{
    return n->emptied.len > 0 &&
           bsearch(&element, n->emptied.items, n->emptied.len, sizeof element, cmp_ptr) != NULL;
}

/* The old round's comments, following their elements; those that stood inside a text that was
 * emptied went with that text. */
static void carry_comments(next_round *n)
{
    ts_vec all = {0};
    if (n->moved.len > 1)
        qsort(n->moved.items, n->moved.len, sizeof(moved), cmp_moved);
    if (n->emptied.len > 1)
        qsort(n->emptied.items, n->emptied.len, sizeof(const void *), cmp_ptr);
    for (size_t i = 0; i < n->old->n_comments && !n->oom; i++) {
        ts_comment c = n->old->comments[i];
        c.element = moved_to(n, c.element);
        if (c.place == TS_COMMENT_INSIDE && was_emptied(n, c.element))
            continue;
        ts_comment *slot = ts_vec_push(n->a, &all, sizeof *slot);
        if (slot == NULL)
            n->oom = true;
        else
            *slot = c;
    }
    const ts_comment *added = n->comments.items;
    for (size_t i = 0; i < n->comments.len && !n->oom; i++) {
        ts_comment *slot = ts_vec_push(n->a, &all, sizeof *slot);
        if (slot == NULL)
            n->oom = true;
        else
            *slot = added[i];
    }
    n->next->comments = all.items;
    n->next->n_comments = all.len;
}

static void make_next(next_round *n, ts_date date)
{
    const ts_round *r = n->old;
    bool new_year = r->number >= 3;
    snprintf(n->label, sizeof n->label, "%d/%d", r->number, r->year);
    ts_round *next = copy_of(n, r, 1, sizeof *r);
    if (next == NULL)
        return;
    n->next = next;
    next->year = new_year ? r->year + 1 : r->year;
    next->number = new_year ? 1 : r->number + 1;
    next->date = date;
    ts_goal *goals = copy_of(n, r->goals, r->n_goals, sizeof *goals);
    for (size_t g = 0; goals && g < r->n_goals; g++) {
        ts_measure *ms = copy_of(n, goals[g].measures, goals[g].n_measures, sizeof *ms);
        for (size_t i = 0; ms && i < goals[g].n_measures; i++)
            next_measure(n, &ms[i], &goals[g], new_year);
        goals[g].measures = ms;
    }
    next->goals = goals;
    carry_comments(n);
}

/* ---- The command ------------------------------------------------------------------------- */

static bool parse_date_arg(const char *s, ts_date *d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char tail;
    if (s == NULL || strlen(s) != 10 ||
        sscanf(s, "%4d-%2d-%2d%c", &d->year, &d->month, &d->day, &tail) != 3)
        return false;
    if (d->year < 1 || d->month < 1 || d->month > 12 || d->day < 1 || d->day > days[d->month - 1])
        return false;
    bool leap = (d->year % 4 == 0 && d->year % 100 != 0) || d->year % 400 == 0;
    return !(d->month == 2 && d->day == 29 && !leap);
}

static int cmp_date(ts_date a, ts_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    return a.day < b.day ? -1 : a.day > b.day;
}

/* A custom title that names the old year will be wrong in the new one: said, not changed. */
static void note_old_year(const ts_round *r, const ts_round *next, const char *out)
{
    if (next->year == r->year)
        return;
    char year[16];
    snprintf(year, sizeof year, "%d", r->year);
    const ts_inline *texts[] = {&r->title, &r->subtitle};
    const char *names[] = {"title", "subtitle"};
    for (int i = 0; i < 2; i++)
        for (size_t k = 0; k < texts[i]->n_runs; k++)
            if (memmem(texts[i]->runs[k].text, texts[i]->runs[k].len, year, strlen(year))) {
                fprintf(stderr,
                        "%s: note: the round's <%s> names the year %s; the new round is of %d: "
                        "update it\n",
                        out, names[i], year, next->year);
                break;
            }
}

static const char *plural(size_t n, const char *one, const char *more)
{
    return n == 1 ? one : more;
}

int ts_cmd_new_round(const ts_new_round_args *a, ts_diags *diags)
{
    ts_date date;
    bool today = a->date == NULL;
    if (!today) {
        if (!parse_date_arg(a->date, &date)) {
            fprintf(stderr,
                    "taseuranta: error: --date takes an existing date as YYYY-MM-DD, not '%s'\n"
                    "try 'taseuranta --help'\n",
                    a->date);
            return TS_USAGE_ERROR;
        }
    } else {
        /* The one place where the clock is read: "today" is what a planner means here, and the
         * notice below says that it was taken. */
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        date = (ts_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    }
    if (ts_output_may_write(a->input, a->output, a->force, "new-round", diags) != TS_OK)
        return TS_USAGE_ERROR;

    ts_parse_options po;
    ts_parse_options_default(&po);
    po.keep_comments = true;
    ts_round *r = ts_parse_file(a->input, NULL, &po, diags);
    if (r == NULL)
        return ts_diags_rc(diags) == TS_SYSTEM_ERROR ? TS_SYSTEM_ERROR : TS_INPUT_ERROR;
    if (r->number >= 3 && r->year + 1 > 2100) {
        ts_diag_add(diags, a->input, r->pos, TS_ERROR,
                    "the next round would be of the year %d; a round's year is 2000–2100",
                    r->year + 1);
        ts_round_free(r);
        return TS_INPUT_ERROR;
    }

    next_round n = {.old = r, .a = r->arena};
    make_next(&n, date);
    int rc = TS_OK;
    if (n.oom) {
        ts_diag_fault(diags, a->output, (ts_pos){0, 0}, TS_FAULT_NO_MEMORY, "out of memory");
        rc = TS_SYSTEM_ERROR;
    } else {
        rc = ts_round_write(n.next, a->output, a->force, diags);
    }
    if (rc == TS_OK) {
        if (today)
            fprintf(stderr,
                    "%s: note: no --date given: the new round is dated today, %04d-%02d-%02d\n",
                    a->output, date.year, date.month, date.day);
        else if (cmp_date(date, r->date) < 0)
            fprintf(stderr,
                    "%s: note: the new round's date %04d-%02d-%02d is before the date of the "
                    "round it follows, %04d-%02d-%02d\n",
                    a->output, date.year, date.month, date.day, r->date.year, r->date.month,
                    r->date.day);
        note_old_year(r, n.next, a->output);
        fprintf(stderr,
                "%s: written: round %d/%d, dated %04d-%02d-%02d, from %s (%zu %s); %zu %s of %s "
                "kept as %s, %zu %s and %zu %s removed\n",
                a->output, n.next->number, n.next->year, date.year, date.month, date.day, a->input,
                r->n_measures, plural(r->n_measures, "measure", "measures"), n.kept,
                plural(n.kept, "text", "texts"), n.label,
                plural(n.kept, "an XML comment", "XML comments"), n.dates,
                plural(n.dates, "date", "dates"), n.forecasts_removed,
                plural(n.forecasts_removed, "forecast", "forecasts"));
    }
    ts_round_free(r);
    return rc;
}
