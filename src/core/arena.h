/* One arena per round: every object of a parsed round, and the scratch of the writers that
 * work on it, lives until the round is freed.  No object is freed on its own. */
#ifndef TS_ARENA_H
#define TS_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ts_arena ts_arena;

/* A test hook: when fail_after is > 0, the fail_after-th allocation (counted over every arena
 * that shares the counter) and every later one fail.  NULL means "never fail". */
typedef struct ts_alloc_fault {
    long fail_after;
    long count;
} ts_alloc_fault;

ts_arena *ts_arena_new(ts_alloc_fault *fault);
void ts_arena_free(ts_arena *a);

/* Returns NULL when memory is exhausted; callers turn that into a located error. */
void *ts_arena_alloc(ts_arena *a, size_t size);
void *ts_arena_calloc(ts_arena *a, size_t n, size_t size);
char *ts_arena_strndup(ts_arena *a, const char *s, size_t len);
char *ts_arena_strdup(ts_arena *a, const char *s);
char *ts_arena_printf(ts_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for the benchmark and the caps). */
size_t ts_arena_used(const ts_arena *a);

/* A growable array in an arena: grows by doubling, the old block is left in the arena. */
typedef struct ts_vec {
    void *items;
    size_t len;
    size_t cap;
} ts_vec;

/* Appends one zeroed item of item_size bytes and returns it, or NULL when out of memory. */
void *ts_vec_push(ts_arena *a, ts_vec *v, size_t item_size);

/* Appends n items copied from items; false when out of memory (v is then as it was). */
bool ts_vec_append(ts_arena *a, ts_vec *v, const void *items, size_t n, size_t item_size);

/* A plain malloc that honours the same fault hook, for the few owners outside an arena. */
void *ts_malloc(ts_alloc_fault *fault, size_t size);

#endif
