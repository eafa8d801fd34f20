#include "round/model.h"

#include <string.h>

const char *ts_status_name(ts_status s)
{
    static const char *const names[] = {"none", "on-track", "achieved", "at-risk", "off-track"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *ts_task_status_name(ts_task_status s)
{
    static const char *const names[] = {"todo", "doing", "done"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *ts_programme_kind_name(ts_programme_kind k)
{
    static const char *const names[] = {"city-project", "joint-theme", "separate-programme"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

void ts_round_free(ts_round *r)
{
    if (r != NULL)
        ts_arena_free(r->arena);
}

const ts_measure *ts_round_measure(const ts_round *r, size_t index)
{
    for (size_t g = 0; g < r->n_goals; g++) {
        if (index < r->goals[g].n_measures)
            return &r->goals[g].measures[index];
        index -= r->goals[g].n_measures;
    }
    return NULL;
}

const ts_forecast *ts_measure_current(const ts_round *r, const ts_measure *m)
{
    if (r->number < 1 || r->number > 3)
        return NULL;
    return m->by_round[r->number];
}

/* Smaller is better: achieved > on-track > at-risk > off-track.  The enum keeps the spec's table
 * order, which is not this one. */
static int status_rank(ts_status s)
{
    switch (s) {
    case TS_STATUS_ACHIEVED:
        return 0;
    case TS_STATUS_ON_TRACK:
        return 1;
    case TS_STATUS_AT_RISK:
        return 2;
    case TS_STATUS_OFF_TRACK:
        return 3;
    case TS_STATUS_NONE:
        break;
    }
    return -1;
}

static ts_status reported_status(const ts_measure *m, int round)
{
    const ts_forecast *f = m->by_round[round];
    return f != NULL && status_rank(f->status) >= 0 ? f->status : TS_STATUS_NONE;
}

ts_measure_change ts_measure_change_at(const ts_measure *m, int round)
{
    ts_measure_change c = {TS_CHANGE_NONE, TS_STATUS_NONE, 0, TS_STATUS_NONE};
    if (round < 1 || round > 3)
        return c;
    c.status = reported_status(m, round);
    for (int k = round - 1; k >= 1 && c.previous_round == 0; k--) {
        ts_status s = reported_status(m, k);
        if (s != TS_STATUS_NONE) {
            c.previous_round = k;
            c.previous = s;
        }
    }
    if (c.status == TS_STATUS_NONE || c.previous_round == 0)
        return c;
    int now = status_rank(c.status), before = status_rank(c.previous);
    c.change = now == before  ? TS_CHANGE_SAME
               : now < before ? TS_CHANGE_IMPROVED
                              : TS_CHANGE_WORSENED;
    return c;
}

ts_measure_change ts_measure_change_now(const ts_round *r, const ts_measure *m)
{
    return ts_measure_change_at(m, r->number);
}

const ts_status ts_status_picture_order[TS_STATUS_COUNT] = {
    TS_STATUS_ACHIEVED, TS_STATUS_ON_TRACK, TS_STATUS_AT_RISK, TS_STATUS_OFF_TRACK, TS_STATUS_NONE,
};

size_t ts_round_status_counts(const ts_round *r, ts_status_counts out[3])
{
    if (r->number < 1 || r->number > 3)
        return 0;
    size_t n = (size_t)r->number;
    for (size_t k = 0; k < n; k++) {
        out[k] = (ts_status_counts){.round = (int)k + 1};
        for (size_t g = 0; g < r->n_goals; g++)
            for (size_t i = 0; i < r->goals[g].n_measures; i++)
                out[k].by_status[reported_status(&r->goals[g].measures[i], (int)k + 1)]++;
    }
    return n;
}

const char *ts_change_name(ts_change c)
{
    static const char *const names[] = {"none", "same", "improved", "worsened"};
    return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}

char *ts_inline_text(ts_arena *a, const ts_inline *in)
{
    size_t len = 0;
    for (size_t i = 0; i < in->n_runs; i++)
        len += in->runs[i].len;
    char *s = ts_arena_alloc(a, len + 1);
    if (s == NULL)
        return NULL;
    char *p = s;
    for (size_t i = 0; i < in->n_runs; i++) {
        memcpy(p, in->runs[i].text, in->runs[i].len);
        p += in->runs[i].len;
    }
    *p = '\0';
    return s;
}

char *ts_round_stem(ts_arena *a, const ts_round *r)
{
    const char *name = r->division_short && *r->division_short ? r->division_short : "round";
    size_t n = strlen(name);
    char *s = ts_arena_printf(a, "%s-%d-%d", name, r->year, r->number);
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            s[i] = (char)(c - 'A' + 'a');
        else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            s[i] = '-';
    }
    return s;
}
