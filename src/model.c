#include "model.h"

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

const char *ts_lang_name(ts_lang l)
{
    static const char *const names[] = {"fi", "sv", "en"};
    return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "?";
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
