/* Small things the readers share: a string map, strict number and date parsing. */
#include "book/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- A string map ------------------------------------------------------------------------ */

struct wbr_map_slot {
    const char *key; /* NULL: free */
    size_t len;
    uint64_t hash;
    void *value;
};

/* SipHash-1-3 under a key chosen for each read (read.c): names in a workbook are the
 * attacker's to choose, and with a hash they could compute, a few thousand names falling on
 * one slot would make every look-up walk them all.  Only the tables' layout depends on the
 * key, never what is read. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = ROTL(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = ROTL(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = ROTL(v2, 32);                                                                         \
    } while (0)

static uint64_t byte_at(const char *s, size_t i, bool fold_case)
{
    unsigned char ch = (unsigned char)s[i];
    if (fold_case && ch >= 'A' && ch <= 'Z')
        ch = (unsigned char)(ch + 32);
    return ch;
}

uint64_t wbr_hash(const uint64_t key[2], const char *s, size_t len, bool fold_case)
{
    uint64_t v0 = 0x736f6d6570736575u ^ key[0], v1 = 0x646f72616e646f6du ^ key[1];
    uint64_t v2 = 0x6c7967656e657261u ^ key[0], v3 = 0x7465646279746573u ^ key[1];
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t m = 0;
        for (unsigned k = 0; k < 8; k++)
            m |= byte_at(s, i + k, fold_case) << (8 * k);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t m = (uint64_t)len << 56;
    for (unsigned k = 0; i + k < len; k++)
        m |= byte_at(s, i + k, fold_case) << (8 * k);
    v3 ^= m;
    SIPROUND;
    v0 ^= m;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

void wbr_map_init(wbr_map *m, ts_arena *a, const uint64_t *key)
{
    memset(m, 0, sizeof *m);
    m->a = a;
    m->key = key;
}

static struct wbr_map_slot *map_find(const wbr_map *m, const char *key, size_t len, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct wbr_map_slot *s = &m->slots[i];
        if (s->key == NULL || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

void *wbr_map_get(const wbr_map *m, const char *key, size_t len)
{
    if (m->cap == 0)
        return NULL;
    struct wbr_map_slot *s = map_find(m, key, len, wbr_hash(m->key, key, len, false));
    return s->key ? s->value : NULL;
}

static bool map_grow(wbr_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    struct wbr_map_slot *slots = ts_arena_calloc(m->a, cap, sizeof *slots);
    if (slots == NULL)
        return false;
    struct wbr_map_slot *old = m->slots;
    size_t old_cap = m->cap;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *map_find(m, old[i].key, old[i].len, old[i].hash) = old[i];
    return true;
}

bool wbr_map_put(wbr_map *m, const char *key, size_t len, void *value)
{
    if ((m->len + 1) * 2 > m->cap && !map_grow(m))
        return false;
    uint64_t h = wbr_hash(m->key, key, len, false);
    struct wbr_map_slot *s = map_find(m, key, len, h);
    if (s->key == NULL) {
        char *k = ts_arena_strndup(m->a, key, len);
        if (k == NULL)
            return false;
        s->key = k;
        s->len = len;
        s->hash = h;
        m->len++;
    }
    s->value = value;
    return true;
}

bool wbr_sheet_name_taken(wbr_ctx *c, wbr_map *seen, const char *name, bool fold_case)
{
    size_t len = strlen(name);
    char *key = ts_arena_strndup(c->scratch, name, len);
    if (key == NULL) {
        wbr_oom(c);
        return false;
    }
    for (size_t i = 0; fold_case && i < len; i++)
        if (key[i] >= 'A' && key[i] <= 'Z')
            key[i] = (char)(key[i] + 32);
    if (wbr_map_get(seen, key, len)) {
        wbr_error(c, "two sheets are named \"%s\"", name);
        return true;
    }
    if (!wbr_map_put(seen, key, len, (void *)name))
        wbr_oom(c);
    return false;
}

/* ---- A buffer ---------------------------------------------------------------------------- */

bool wbr_buf_add(ts_arena *a, wbr_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2)
                return false;
            cap *= 2;
        }
        char *p = ts_arena_alloc(a, cap);
        if (p == NULL)
            return false;
        if (b->len)
            memcpy(p, b->p, b->len);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

/* ---- Comparing --------------------------------------------------------------------------- */

bool wbr_eq(const char *s, size_t len, const char *lit)
{
    return s != NULL && strlen(lit) == len && memcmp(s, lit, len) == 0;
}

bool wbr_ieq(const char *s, size_t len, const char *lit)
{
    if (s == NULL || strlen(lit) != len)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char a = (unsigned char)s[i], b = (unsigned char)lit[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

/* ---- Numbers ----------------------------------------------------------------------------- */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

bool wbr_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
    if (len == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_digit(s[i]))
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

bool wbr_parse_number(const char *s, size_t len, double *out)
{
    /* The grammar is checked here, so that strtod (which would take hex, "inf", "nan" and a
     * locale's decimal mark) only ever sees [+-]digits[.digits][(e|E)[+-]digits]. */
    while (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r'))
        s++, len--;
    while (len > 0 &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len == 0 || len > 400)
        return false;
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (i < len && is_digit(s[i]))
        i++, digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && is_digit(s[i]))
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = 0;
        while (i < len && is_digit(s[i]))
            i++, e++;
        if (e == 0)
            return false;
    }
    if (i != len)
        return false;
    char buf[402];
    memcpy(buf, s, len);
    buf[len] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return false;
    *out = v;
    return true;
}

/* ---- Dates ------------------------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static bool digits_at(const char *s, size_t len, size_t at, size_t n, unsigned *out)
{
    if (at + n > len)
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[at + i]))
            return false;
        v = v * 10 + (unsigned)(s[at + i] - '0');
    }
    *out = v;
    return true;
}

bool wbr_parse_datetime(const char *s, size_t len, double *days)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && s[i] == '-')
        neg = true, i++;
    size_t y0 = i;
    while (i < len && is_digit(s[i]))
        i++;
    unsigned y, mo, d;
    if (i - y0 < 4 || i - y0 > 5 || !digits_at(s, len, y0, i - y0, &y))
        return false;
    if (i >= len || s[i] != '-' || !digits_at(s, len, i + 1, 2, &mo) || i + 3 >= len ||
        s[i + 3] != '-' || !digits_at(s, len, i + 4, 2, &d))
        return false;
    i += 6;
    static const unsigned mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
        return false;
    int64_t yy = neg ? -(int64_t)y : (int64_t)y;
    bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return false;
    double frac = 0;
    if (i < len && s[i] == 'T') {
        unsigned h, mi, se;
        if (!digits_at(s, len, i + 1, 2, &h) || i + 3 >= len || s[i + 3] != ':' ||
            !digits_at(s, len, i + 4, 2, &mi))
            return false;
        i += 6;
        double sec = 0;
        if (i < len && s[i] == ':') {
            if (!digits_at(s, len, i + 1, 2, &se))
                return false;
            sec = se;
            i += 3;
            if (i < len && s[i] == '.') {
                double scale = 0.1;
                i++;
                size_t f0 = i;
                while (i < len && is_digit(s[i])) {
                    sec += (s[i] - '0') * scale;
                    scale /= 10;
                    i++;
                }
                if (i == f0)
                    return false;
            }
        }
        if (h > 24 || mi > 59 || sec >= 61 || (h == 24 && (mi || sec)))
            return false;
        frac = (h * 3600.0 + mi * 60.0 + sec) / 86400.0;
        /* A zone, which neither Excel nor LibreOffice writes, is left as it is: the value
         * is the wall time written. */
        if (i < len && s[i] == 'Z')
            i++;
        else if (i < len && (s[i] == '+' || s[i] == '-') && i + 6 == len)
            i = len;
    }
    if (i != len)
        return false;
    *days = (double)(days_from_civil(yy, mo, d) - days_from_civil(1899, 12, 30)) + frac;
    return true;
}

bool wbr_parse_duration(const char *s, size_t len, double *days)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && s[i] == '-')
        neg = true, i++;
    if (i >= len || s[i] != 'P')
        return false;
    i++;
    double total = 0; /* seconds */
    bool in_time = false, any = false;
    while (i < len) {
        if (s[i] == 'T') {
            if (in_time)
                return false;
            in_time = true;
            i++;
            continue;
        }
        size_t n0 = i;
        double v = 0;
        while (i < len && is_digit(s[i]) && i - n0 < 12)
            v = v * 10 + (s[i++] - '0');
        if (i < len && s[i] == '.') {
            double scale = 0.1;
            i++;
            while (i < len && is_digit(s[i]) && scale > 1e-12) {
                v += (s[i++] - '0') * scale;
                scale /= 10;
            }
            while (i < len && is_digit(s[i]))
                i++;
        }
        if (i == n0 || i >= len)
            return false;
        char unit = s[i++];
        if (!in_time && unit == 'D')
            total += v * 86400;
        else if (in_time && unit == 'H')
            total += v * 3600;
        else if (in_time && unit == 'M')
            total += v * 60;
        else if (in_time && unit == 'S')
            total += v;
        else
            return false;
        any = true;
    }
    if (!any)
        return false;
    *days = (neg ? -total : total) / 86400.0;
    return true;
}
