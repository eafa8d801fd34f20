#include "core/locale.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *ts_lang_name(ts_lang l)
{
    static const char *const names[] = {"fi", "sv", "en"};
    return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "?";
}

const ts_locale *ts_locale_of(ts_lang l)
{
    static const ts_locale locales[] = {
        [TS_LANG_FI] = {"FI", ",", "\u00a0", "\u2212", true},
        [TS_LANG_SV] = {"FI", ",", "\u00a0", "\u2212", true},
        [TS_LANG_EN] = {"GB", ".", ",", "-", false},
    };
    return &locales[(unsigned)l < sizeof locales / sizeof locales[0] ? l : TS_LANG_FI];
}

int ts_decimals_of(double v)
{
    for (int d = 0; d < 3; d++) {
        double scaled = v * pow(10, d);
        if (fabs(scaled - round(scaled)) < 1e-9 * fmax(1.0, fabs(scaled)))
            return d;
    }
    return 3;
}

/* Appends piece to out (cap bytes) at *len, counting what did not fit. */
static void put(char *out, size_t cap, size_t *len, const char *piece, size_t n)
{
    if (*len < cap) {
        size_t room = cap - *len - 1 < n ? cap - *len - 1 : n;
        memcpy(out + *len, piece, room);
        out[*len + room] = '\0';
    }
    *len += n;
}

size_t ts_format_number(char *out, size_t cap, double v, ts_lang lang)
{
    const ts_locale *loc = ts_locale_of(lang);
    const char *minus = loc->minus, *group = loc->group, *mark = loc->mark;
    size_t len = 0;
    if (cap > 0)
        out[0] = '\0';
    if (isnan(v))
        return 0; /* the parser never gives one */
    if (isinf(v)) {
        if (v < 0)
            put(out, cap, &len, minus, strlen(minus));
        put(out, cap, &len, "\u221e", strlen("\u221e"));
        return len;
    }
    /* The digits of |v|: a finite double has at most 309 before the point. */
    char digits[400];
    int d = ts_decimals_of(v);
    snprintf(digits, sizeof digits, "%.*f", d, fabs(v));
    char *point = strchr(digits, '.');
    if (point != NULL) { /* what rounding to three decimals left as zeros ("2.000") */
        size_t end = strlen(digits);
        while (digits[end - 1] == '0')
            digits[--end] = '\0';
        if (digits + end - 1 == point)
            *point = '\0', point = NULL;
    }
    /* No sign on a value that rounds to zero: "−0" says nothing. */
    if (v < 0 && strspn(digits, "0.") != strlen(digits))
        put(out, cap, &len, minus, strlen(minus));
    size_t whole = point ? (size_t)(point - digits) : strlen(digits);
    for (size_t i = 0; i < whole; i++) {
        if (whole >= 5 && i > 0 && (whole - i) % 3 == 0)
            put(out, cap, &len, group, strlen(group));
        put(out, cap, &len, digits + i, 1);
    }
    if (point != NULL) {
        put(out, cap, &len, mark, strlen(mark));
        put(out, cap, &len, point + 1, strlen(point + 1));
    }
    return len;
}

char *ts_format_quantity(ts_arena *a, double v, const char *unit, ts_lang lang)
{
    char num[600];
    ts_format_number(num, sizeof num, v, lang);
    if (unit == NULL || unit[0] == '\0')
        return ts_arena_strdup(a, num);
    return ts_arena_printf(a, "%s\u00a0%s", num, unit);
}

char *ts_format_of_level(ts_arena *a, double v, double level, const char *unit, ts_lang lang)
{
    char num[600], of[600];
    ts_format_number(num, sizeof num, v, lang);
    ts_format_number(of, sizeof of, level, lang);
    if (unit == NULL || unit[0] == '\0')
        return ts_arena_printf(a, "%s\u00a0/ %s", num, of);
    return ts_arena_printf(a, "%s\u00a0/ %s\u00a0%s", num, of, unit);
}

bool ts_same_unit(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b || (a ? a[0] : b[0]) == '\0';
    return strcmp(a, b) == 0;
}

size_t ts_format_fixed(char *out, size_t cap, double v, int decimals, ts_lang lang)
{
    char num[400];
    snprintf(num, sizeof num, "%.*f", decimals, v);
    char *point = strchr(num, '.');
    size_t len = 0;
    if (cap > 0)
        out[0] = '\0';
    put(out, cap, &len, num, point != NULL ? (size_t)(point - num) : strlen(num));
    if (point != NULL) {
        const char *mark = ts_locale_of(lang)->mark;
        put(out, cap, &len, mark, strlen(mark));
        put(out, cap, &len, point + 1, strlen(point + 1));
    }
    return len;
}
