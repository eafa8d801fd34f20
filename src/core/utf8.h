/* UTF-8, the one encoding of every text the program reads and writes. */
#ifndef TS_UTF8_H
#define TS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Writes cp (at most U+10FFFF) to out, which has room for 4 bytes; returns the bytes written.
 * ASCII inline, as in ts_utf8_get. */
size_t ts_utf8_put_multi(char *out, uint32_t cp);

static inline size_t ts_utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    return ts_utf8_put_multi(out, cp);
}

/* Decodes the character at s (len > 0 bytes available) into *cp and returns its length, or 0
 * when the bytes there are not UTF-8: overlong, surrogate, beyond U+10FFFF or truncated. */
size_t ts_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Decodes the character at s (len > 0 bytes available) and sets *used to its length.  An
 * invalid or truncated sequence (overlong, surrogate, beyond U+10FFFF) is one U+FFFD for its
 * first byte, as the WHATWG decoder does for a bad lead byte.  Every character drawn or laid
 * out passes here, so ASCII is decoded inline. */
uint32_t ts_utf8_get_multi(const unsigned char *s, size_t len, size_t *used);

static inline uint32_t ts_utf8_get(const unsigned char *s, size_t len, size_t *used)
{
    if (s[0] < 0x80) {
        *used = 1;
        return s[0];
    }
    return ts_utf8_get_multi(s, len, used);
}

/* ts_utf8_get for a loop over len bytes: the character at s[*i] (*i < len), *i moved past it. */
static inline uint32_t ts_utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    size_t used;
    uint32_t cp = ts_utf8_get(s + *i, len - *i, &used);
    *i += used;
    return cp;
}

/* The number of characters in n bytes of valid UTF-8 (columns of a message count these). */
size_t ts_utf8_count(const char *s, size_t n);

#endif
