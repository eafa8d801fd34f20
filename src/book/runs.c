/* Strings with runs: text gathered piece by piece with the formatting each piece asks for,
 * then turned into the runs a cell shows (ts_wbr_run's rules: formatting resolved against the
 * cell's style, no empty run, neighbours differ, a line break stays with the run before it). */
#include "book/internal.h"

#include <string.h>

void wbr_text_reset(wbr_text *t)
{
    t->len = 0;
    t->n_spans = 0;
}

static bool grow(ts_arena *a, void **p, size_t *cap, size_t need, size_t item)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / item)
            return false;
        n *= 2;
    }
    void *np = ts_arena_alloc(a, n * item);
    if (np == NULL)
        return false;
    if (*cap)
        memcpy(np, *p, *cap * item);
    *p = np;
    *cap = n;
    return true;
}

bool wbr_text_add(wbr_text *t, const char *s, size_t len, wbr_tri bold, wbr_tri italic)
{
    if (len == 0)
        return true;
    if (t->len + len < t->len || !grow(t->scratch, (void **)&t->buf, &t->cap, t->len + len, 1))
        return false;
    memcpy(t->buf + t->len, s, len);
    wbr_span *last = t->n_spans ? &t->spans[t->n_spans - 1] : NULL;
    if (last && last->bold == bold && last->italic == italic) {
        last->len += len;
    } else {
        if (!grow(t->scratch, (void **)&t->spans, &t->cap_spans, t->n_spans + 1, sizeof *t->spans))
            return false;
        t->spans[t->n_spans++] = (wbr_span){t->len, len, (uint8_t)bold, (uint8_t)italic};
    }
    t->len += len;
    return true;
}

static void put_utf8(char *out, size_t *n, uint32_t cp)
{
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* _xHHHH_ at s (7 bytes) as a code unit, or -1. */
static long escape_at(const char *s, size_t left)
{
    if (left < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_')
        return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

bool wbr_text_add_xstring(wbr_text *t, const char *s, size_t len, wbr_tri bold, wbr_tri italic)
{
    size_t i = 0, plain = 0;
    while (i < len) {
        char ch = s[i];
        if (ch != '_' && ch != '\r') {
            i++;
            continue;
        }
        long u = ch == '_' ? escape_at(s + i, len - i) : -1;
        if (ch == '_' && u < 0) {
            i++;
            continue;
        }
        if (!wbr_text_add(t, s + plain, i - plain, bold, italic))
            return false;
        char out[8];
        size_t n = 0;
        if (ch == '\r') {
            /* CR LF and a lone CR are line breaks, as "\n" */
            i += i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
            out[n++] = '\n';
        } else {
            i += 7;
            uint32_t cp = (uint32_t)u;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                long lo = escape_at(s + i, len - i);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                    i += 7;
                } else {
                    cp = 0xFFFD;
                }
            } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
                cp = 0xFFFD;
            }
            if (cp == '\r') {
                /* Excel writes a CR as _x000D_, often before a real LF */
                if (i < len && s[i] == '\n')
                    i++;
                cp = '\n';
            }
            put_utf8(out, &n, cp);
        }
        if (!wbr_text_add(t, out, n, bold, italic))
            return false;
        plain = i;
    }
    return wbr_text_add(t, s + plain, len - plain, bold, italic);
}

/* ---- Resolving --------------------------------------------------------------------------- */

static bool resolve(wbr_tri v, bool cell)
{
    return v == WBR_INHERIT ? cell : v == WBR_ON;
}

/* The runs of spans over base as a cell of that style shows them, in a.  When reuse_whole is
 * set, base is NUL-terminated and lives in a: a single run takes it as its text. */
static bool make_runs(const char *base, size_t base_len, const wbr_span *spans, size_t n, bool bold,
                      bool italic, bool reuse_whole, ts_arena *a, const ts_wbr_run **out,
                      uint32_t *count)
{
    *out = NULL;
    *count = 0;
    if (n == 0 || base_len == 0)
        return true;
    ts_wbr_run *runs = ts_arena_alloc(a, n * sizeof *runs);
    if (runs == NULL)
        return false;
    /* The spans are consecutive slices of base, and so are the runs: run k starts where run
     * k - 1 ends, and together they cover base. */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = spans[i].start, len = spans[i].len;
        bool b = resolve((wbr_tri)spans[i].bold, bold);
        bool it = resolve((wbr_tri)spans[i].italic, italic);
        if (k > 0 && (runs[k - 1].bold != b || runs[k - 1].italic != it)) {
            /* line breaks at the start of a run go to the run before it */
            while (len > 0 && base[s] == '\n') {
                runs[k - 1].len++;
                s++;
                len--;
            }
        }
        if (len == 0)
            continue;
        if (k > 0 && runs[k - 1].bold == b && runs[k - 1].italic == it) {
            runs[k - 1].len += len;
            continue;
        }
        runs[k++] = (ts_wbr_run){NULL, len, b, it};
    }
    if (k == 1 && reuse_whole) {
        runs[0].text = base;
    } else {
        char *block = ts_arena_alloc(a, base_len + k);
        if (block == NULL)
            return false;
        const char *from = base;
        for (size_t i = 0; i < k; i++) {
            memcpy(block, from, runs[i].len);
            block[runs[i].len] = '\0';
            runs[i].text = block;
            block += runs[i].len + 1;
            from += runs[i].len;
        }
    }
    *out = runs;
    *count = (uint32_t)k;
    return true;
}

bool wbr_text_finish(const wbr_text *t, bool bold, bool italic, ts_arena *a,
                     const ts_wbr_run **runs, uint32_t *count)
{
    return make_runs(t->buf, t->len, t->spans, t->n_spans, bold, italic, false, a, runs, count);
}

bool wbr_shared_make(const wbr_text *t, ts_arena *a, ts_arena *scratch, wbr_shared *out)
{
    memset(out, 0, sizeof *out);
    /* One string is far below 4 GiB: the whole workbook is at most max_unpacked. */
    if (t->len > UINT32_MAX || t->n_spans >= (1u << 26))
        return false;
    char *text = ts_arena_strndup(a, t->len ? t->buf : "", t->len);
    if (text == NULL)
        return false;
    /* Most shared strings are one plain span: it is kept in the entry itself. */
    wbr_span *spans = NULL;
    if (t->n_spans > 1) {
        spans = ts_arena_alloc(scratch, t->n_spans * sizeof *spans);
        if (spans == NULL)
            return false;
        memcpy(spans, t->spans, t->n_spans * sizeof *spans);
    } else if (t->n_spans == 1) {
        out->bold = t->spans[0].bold;
        out->italic = t->spans[0].italic;
    }
    bool inherits = false;
    for (size_t i = 0; i < t->n_spans; i++)
        inherits |= t->spans[i].bold == WBR_INHERIT || t->spans[i].italic == WBR_INHERIT;
    out->text = text;
    out->len = (uint32_t)t->len;
    out->spans = spans;
    out->n_spans = (uint32_t)t->n_spans;
    out->inherits = inherits;
    return true;
}

bool wbr_shared_runs(const wbr_shared *s, bool bold, bool italic, ts_arena *a,
                     const ts_wbr_run **runs, uint32_t *count)
{
    wbr_span one = {0, s->len, (uint8_t)s->bold, (uint8_t)s->italic};
    return make_runs(s->text, s->len, s->spans ? s->spans : &one, s->n_spans, bold, italic, true, a,
                     runs, count);
}
