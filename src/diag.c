#include "diag.h"

#include <stdlib.h>
#include <string.h>

bool ts_diags_init(ts_diags *d, ts_alloc_fault *fault)
{
    memset(d, 0, sizeof *d);
    d->arena = ts_arena_new(fault);
    return d->arena != NULL;
}

void ts_diags_free(ts_diags *d)
{
    ts_arena_free(d->arena);
    memset(d, 0, sizeof *d);
}

void ts_diag_addv(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt,
                  va_list ap)
{
    if (sev == TS_ERROR)
        d->errors++;
    else
        d->warnings++;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = n < 0 ? NULL : ts_arena_alloc(d->arena, (size_t)n + 1);
    const char *f = file ? ts_arena_strdup(d->arena, file) : NULL;
    ts_diag *slot = msg && (f || !file) ? ts_vec_push(d->arena, &d->list, sizeof *slot) : NULL;
    if (slot == NULL) {
        d->out_of_memory = true;
        return;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    slot->file = f;
    slot->pos = pos;
    slot->severity = sev;
    slot->message = msg;
}

void ts_diag_add(ts_diags *d, const char *file, ts_pos pos, ts_severity sev, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ts_diag_addv(d, file, pos, sev, fmt, ap);
    va_end(ap);
}

static int diag_cmp(const void *pa, const void *pb)
{
    const ts_diag *a = pa, *b = pb;
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c)
        return c;
    if (a->pos.line != b->pos.line)
        return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.col != b->pos.col)
        return a->pos.col < b->pos.col ? -1 : 1;
    /* qsort is not stable: fall back to the order of arrival. */
    return a < b ? -1 : a > b;
}

void ts_diags_print(ts_diags *d, FILE *out)
{
    ts_diag *list = d->list.items;
    if (d->list.len > 1)
        qsort(list, d->list.len, sizeof *list, diag_cmp);
    for (size_t i = 0; i < d->list.len; i++) {
        const ts_diag *g = &list[i];
        const char *sev = g->severity == TS_ERROR ? "error" : "warning";
        const char *file = g->file ? g->file : "taseuranta";
        if (g->pos.line)
            fprintf(out, "%s:%u:%u: %s: %s\n", file, g->pos.line, g->pos.col ? g->pos.col : 1,
                    sev, g->message);
        else
            fprintf(out, "%s: %s: %s\n", file, sev, g->message);
    }
    if (d->out_of_memory)
        fprintf(out, "taseuranta: error: out of memory while reporting problems\n");
}

void ts_diags_take(ts_diags *dst, ts_diags *src)
{
    ts_diag *list = src->list.items;
    for (size_t i = 0; i < src->list.len; i++)
        ts_diag_add(dst, list[i].file, list[i].pos, list[i].severity, "%s", list[i].message);
    dst->out_of_memory |= src->out_of_memory;
    src->list.len = 0;
    src->errors = src->warnings = 0;
}
