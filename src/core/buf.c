#include "core/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static bool fail(ts_buf *b, bool too_big)
{
    b->failed = true;
    b->too_big = b->too_big || too_big;
    return false;
}

bool ts_buf_reserve(ts_buf *b, size_t more)
{
    if (b->failed)
        return false;
    if (more > SIZE_MAX - 1 - b->len)
        return fail(b, true);
    size_t need = b->len + more + 1;
    if (b->max != 0 && b->len + more > b->max)
        return fail(b, true);
    if (need <= b->cap)
        return true;
    size_t cap = b->cap != 0 ? b->cap : more + 1;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : 2 * cap;
    char *g = realloc(b->data, cap);
    if (g == NULL)
        return fail(b, false);
    b->data = g;
    b->cap = cap;
    b->data[b->len] = '\0';
    return true;
}

bool ts_buf_printf(ts_buf *b, const char *fmt, ...)
{
    if (b->failed)
        return false;
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return fail(b, false);
    if ((size_t)n < sizeof small)
        return ts_buf_append(b, small, (size_t)n);
    if (!ts_buf_reserve(b, (size_t)n))
        return false;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

void ts_buf_clear(ts_buf *b)
{
    b->len = 0;
    b->failed = false;
    b->too_big = false;
    if (b->data != NULL)
        b->data[0] = '\0';
}

char *ts_buf_take(ts_buf *b, size_t *len)
{
    char *data = b->failed ? NULL : b->data;
    if (len != NULL)
        *len = data != NULL ? b->len : 0;
    if (data == NULL)
        free(b->data);
    size_t max = b->max;
    *b = (ts_buf){.max = max};
    return data;
}

void ts_buf_free(ts_buf *b)
{
    free(b->data);
    size_t max = b->max;
    *b = (ts_buf){.max = max};
}

bool ts_grow(void **items, size_t *cap, size_t need, size_t item_size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap != 0 ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2 / item_size)
            return false;
        n *= 2;
    }
    void *p = realloc(*items, n * item_size);
    if (p == NULL)
        return false;
    *items = p;
    *cap = n;
    return true;
}
