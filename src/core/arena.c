#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TS_ARENA_CHUNK = 64 * 1024 };

typedef struct ts_chunk {
    struct ts_chunk *next;
    size_t size;
    size_t used;
    max_align_t data[];
} ts_chunk;

struct ts_arena {
    ts_chunk *head;
    ts_alloc_fault *fault;
    size_t used;
};

static int fault_hit(ts_alloc_fault *fault)
{
    if (fault == NULL || fault->fail_after <= 0)
        return 0;
    return ++fault->count >= fault->fail_after;
}

void *ts_malloc(ts_alloc_fault *fault, size_t size)
{
    if (fault_hit(fault))
        return NULL;
    return malloc(size);
}

ts_arena *ts_arena_new(ts_alloc_fault *fault)
{
    ts_arena *a = ts_malloc(fault, sizeof *a);
    if (a == NULL)
        return NULL;
    a->head = NULL;
    a->fault = fault;
    a->used = 0;
    return a;
}

void ts_arena_free(ts_arena *a)
{
    if (a == NULL)
        return;
    ts_chunk *c = a->head;
    while (c != NULL) {
        ts_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

void *ts_arena_alloc(ts_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    ts_chunk *c = a->head;
    if (c == NULL || c->size - c->used < size) {
        size_t want = size > TS_ARENA_CHUNK / 2 ? size : TS_ARENA_CHUNK;
        if (want > SIZE_MAX - sizeof(ts_chunk))
            return NULL;
        ts_chunk *n = ts_malloc(a->fault, sizeof(ts_chunk) + want);
        if (n == NULL)
            return NULL;
        n->size = want;
        n->used = 0;
        if (c != NULL && size > TS_ARENA_CHUNK / 2) {
            /* A large block gets a chunk of its own behind the current one, so that the
             * space left in the current chunk is still used. */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    a->used += size;
    return p;
}

void *ts_arena_calloc(ts_arena *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    void *p = ts_arena_alloc(a, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

char *ts_arena_strndup(ts_arena *a, const char *s, size_t len)
{
    char *p = ts_arena_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *ts_arena_strdup(ts_arena *a, const char *s)
{
    return ts_arena_strndup(a, s, strlen(s));
}

char *ts_arena_printf(ts_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = ts_arena_alloc(a, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t ts_arena_used(const ts_arena *a)
{
    return a->used;
}

/* Room for n more items, by doubling from 8. */
static bool vec_reserve(ts_arena *a, ts_vec *v, size_t n, size_t item_size)
{
    if (n <= v->cap - v->len)
        return true;
    if (n > SIZE_MAX / item_size - v->len)
        return false;
    size_t cap = v->cap ? v->cap * 2 : 8;
    while (cap < v->len + n) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    if (cap > SIZE_MAX / item_size)
        return false;
    void *items = ts_arena_alloc(a, cap * item_size);
    if (items == NULL)
        return false;
    if (v->len)
        memcpy(items, v->items, v->len * item_size);
    v->items = items;
    v->cap = cap;
    return true;
}

void *ts_vec_push(ts_arena *a, ts_vec *v, size_t item_size)
{
    if (!vec_reserve(a, v, 1, item_size))
        return NULL;
    void *item = (char *)v->items + v->len * item_size;
    memset(item, 0, item_size);
    v->len++;
    return item;
}

bool ts_vec_append(ts_arena *a, ts_vec *v, const void *items, size_t n, size_t item_size)
{
    if (n == 0)
        return true;
    if (!vec_reserve(a, v, n, item_size))
        return false;
    memcpy((char *)v->items + v->len * item_size, items, n * item_size);
    v->len += n;
    return true;
}
