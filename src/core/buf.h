/* One growable buffer of bytes, for everything the program assembles before it hands it on: a
 * page's operators, a round file's text, the XMP packet, a CMap, an array of small items.
 *
 * It grows by doubling (from a first size of the caller's choosing, ts_buf_reserve), so that
 * appending n bytes one piece at a time costs O(n).  Memory running out is remembered, not
 * returned at every call: once an append fails, `failed` stays set, every later append does
 * nothing, and the caller asks once, at the end, whether the whole thing was made (the
 * functions also return false, for callers that stop at once).  A buffer may have a limit
 * (`max`, 0: none); growing past it fails the same way, with `too_big` set.
 *
 * The bytes are `data[0, len)`, followed by a NUL that is not counted, so that a text can be
 * used as a C string.  A zeroed ts_buf is an empty buffer with no memory; ts_buf_free gives the
 * memory back and leaves it empty again. */
#ifndef TS_BUF_H
#define TS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct ts_buf {
    char *data; /* NULL until something is appended or reserved */
    size_t len;
    size_t cap;   /* bytes of data, the NUL's included */
    size_t max;   /* the most len may become; 0: no limit but memory */
    bool failed;  /* an append or a reserve failed: the contents are incomplete */
    bool too_big; /* ...because of max, not of memory */
} ts_buf;

/* Makes room for `more` bytes after len (and the NUL), growing by doubling from at least
 * `more`.  False (and failed set) when memory runs out or max would be passed. */
bool ts_buf_reserve(ts_buf *b, size_t more);

/* Appends n bytes.  False, and nothing appended, when the buffer has failed or fails now. */
static inline bool ts_buf_append(ts_buf *b, const void *p, size_t n)
{
    if (n >= b->cap - b->len && !ts_buf_reserve(b, n)) /* cap - len >= 1 once data exists */
        return false;
    if (b->failed)
        return false;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

static inline bool ts_buf_str(ts_buf *b, const char *s)
{
    return ts_buf_append(b, s, strlen(s));
}

static inline bool ts_buf_byte(ts_buf *b, char c)
{
    return ts_buf_append(b, &c, 1);
}

/* Appends what printf would print. */
bool ts_buf_printf(ts_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empties the buffer and forgets a failure, keeping its memory for the next use. */
void ts_buf_clear(ts_buf *b);

/* Hands the bytes over: returns data (NUL-terminated, from malloc: the caller frees it) and
 * leaves the buffer empty with no memory.  NULL when the buffer failed (its memory is freed)
 * or holds no memory. */
char *ts_buf_take(ts_buf *b, size_t *len);

void ts_buf_free(ts_buf *b);

/* The same growth for a malloc'd array of typed items used in place (items[i]), where a buffer
 * of bytes would lose the type: makes *items hold at least need items of item_size, doubling
 * *cap from 8.  False, with the array as it was, when memory runs out or the size overflows. */
bool ts_grow(void **items, size_t *cap, size_t need, size_t item_size);

#endif
