/* Number formats: what a format code (XLSX) or a data style (ODS) shows, reduced to what an
 * import asks of it: is it a percentage, a date, how many decimals, what text stands around
 * the digits ('0" kpl"' shows 20 as "20 kpl"). */
#include "book/internal.h"

#include <stdio.h>
#include <string.h>

/* ECMA-376 Part 1, 18.8.30: the built-in formats every locale shares, and 5-8 as Excel and
 * openpyxl write them for en-US.  23-36 and 50-81 differ by locale (East Asian dates and
 * currencies) and are left as General. */
static const char *const builtin[50] = {
    [0] = "General",
    [1] = "0",
    [2] = "0.00",
    [3] = "#,##0",
    [4] = "#,##0.00",
    [5] = "\"$\"#,##0_);(\"$\"#,##0)",
    [6] = "\"$\"#,##0_);[Red](\"$\"#,##0)",
    [7] = "\"$\"#,##0.00_);(\"$\"#,##0.00)",
    [8] = "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)",
    [9] = "0%",
    [10] = "0.00%",
    [11] = "0.00E+00",
    [12] = "# ?/?",
    [13] = "# ?\?/??",
    [14] = "mm-dd-yy",
    [15] = "d-mmm-yy",
    [16] = "d-mmm",
    [17] = "mmm-yy",
    [18] = "h:mm AM/PM",
    [19] = "h:mm:ss AM/PM",
    [20] = "h:mm",
    [21] = "h:mm:ss",
    [22] = "m/d/yy h:mm",
    [37] = "#,##0 ;(#,##0)",
    [38] = "#,##0 ;[Red](#,##0)",
    [39] = "#,##0.00;(#,##0.00)",
    [40] = "#,##0.00;[Red](#,##0.00)",
    [41] = "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
    [42] = "_(\"$\"* #,##0_);_(\"$\"* \\(#,##0\\);_(\"$\"* \"-\"_);_(@_)",
    [43] = "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"?\?_);_(@_)",
    [44] = "_(\"$\"* #,##0.00_);_(\"$\"* \\(#,##0.00\\);_(\"$\"* \"-\"?\?_);_(@_)",
    [45] = "mm:ss",
    [46] = "[h]:mm:ss",
    [47] = "mmss.0",
    [48] = "##0.0E+0",
    [49] = "@",
};

const char *wbr_numfmt_builtin(unsigned id)
{
    return id < 50 ? builtin[id] : NULL;
}

/* ---- Collecting the pieces --------------------------------------------------------------- */

static void put(char *buf, size_t cap, size_t *len, const char *s, size_t n, bool *truncated)
{
    if (*len + n >= cap) {
        *truncated = true;
        n = *len + 1 < cap ? cap - 1 - *len : 0;
        /* not in the middle of a UTF-8 sequence */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
}

void wbr_fmt_begin(wbr_fmt_builder *b, ts_arena *a, ts_wbr_numkind kind)
{
    memset(b, 0, sizeof *b);
    b->a = a;
    b->kind = kind;
}

/* Literal text: before the digits it is the prefix, after them the suffix. */
static void literal(wbr_fmt_builder *b, const char *s, size_t n)
{
    if (b->seen_number)
        put(b->suffix, sizeof b->suffix, &b->suffix_len, s, n, &b->truncated);
    else
        put(b->prefix, sizeof b->prefix, &b->prefix_len, s, n, &b->truncated);
}

void wbr_fmt_number(wbr_fmt_builder *b, int decimals, bool grouping, int min_int, bool scientific,
                    bool fraction)
{
    char code[96];
    size_t n = 0;
    bool t = false;
    if (min_int > 20)
        min_int = 20;
    if (decimals > 30)
        decimals = 30;
    if (decimals < 0)
        decimals = 0;
    /* The integer digits: min_int zeros at the right, "#" before them, and with grouping at
     * least four places with a comma after the first ("#,##0"). */
    int places = min_int > 1 ? min_int : 1;
    if (grouping && places < 4)
        places = 4;
    if (min_int == 0 && !grouping)
        places = 1;
    for (int i = places - 1; i >= 0; i--) {
        put(code, sizeof code, &n, i < min_int ? "0" : "#", 1, &t);
        if (grouping && i == 3)
            put(code, sizeof code, &n, ",", 1, &t);
    }
    if (decimals > 0) {
        put(code, sizeof code, &n, ".", 1, &t);
        for (int i = 0; i < decimals; i++)
            put(code, sizeof code, &n, "0", 1, &t);
    }
    if (scientific)
        put(code, sizeof code, &n, "E+00", 4, &t);
    if (fraction)
        put(code, sizeof code, &n, " ?/?", 4, &t);
    put(b->code, sizeof b->code, &b->code_len, code, n, &b->truncated);
    b->seen_number = true;
    b->decimals = decimals;
    b->grouping = grouping;
    if (scientific && b->kind == TS_WBR_FMT_NUMBER)
        b->kind = TS_WBR_FMT_SCIENTIFIC;
    if (fraction && b->kind == TS_WBR_FMT_NUMBER)
        b->kind = TS_WBR_FMT_FRACTION;
}

void wbr_fmt_general(wbr_fmt_builder *b)
{
    put(b->code, sizeof b->code, &b->code_len, "General", 7, &b->truncated);
    b->seen_number = true;
    b->kind = TS_WBR_FMT_GENERAL;
}

void wbr_fmt_text(wbr_fmt_builder *b, const char *s, size_t len)
{
    /* In the code: "%" as itself in a percentage (it is the percent sign), anything else
     * quoted. */
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        bool pct = b->kind == TS_WBR_FMT_PERCENT && s[i] == '%';
        if (pct) {
            put(b->code, sizeof b->code, &b->code_len, "%", 1, &b->truncated);
            i++;
            continue;
        }
        while (j < len && !(b->kind == TS_WBR_FMT_PERCENT && s[j] == '%') && s[j] != '"')
            j++;
        if (j == i) { /* a quote mark */
            put(b->code, sizeof b->code, &b->code_len, "\\\"", 2, &b->truncated);
            i++;
            continue;
        }
        put(b->code, sizeof b->code, &b->code_len, "\"", 1, &b->truncated);
        put(b->code, sizeof b->code, &b->code_len, s + i, j - i, &b->truncated);
        put(b->code, sizeof b->code, &b->code_len, "\"", 1, &b->truncated);
        i = j;
    }
    if (!b->has_date && !b->has_time)
        literal(b, s, len);
}

void wbr_fmt_percent_sign(wbr_fmt_builder *b)
{
    put(b->code, sizeof b->code, &b->code_len, "%", 1, &b->truncated);
    literal(b, "%", 1);
}

void wbr_fmt_currency(wbr_fmt_builder *b, const char *s, size_t len)
{
    put(b->code, sizeof b->code, &b->code_len, "[$", 2, &b->truncated);
    put(b->code, sizeof b->code, &b->code_len, s, len, &b->truncated);
    put(b->code, sizeof b->code, &b->code_len, "]", 1, &b->truncated);
    size_t n = 0;
    bool t = false;
    put(b->currency, sizeof b->currency, &n, s, len, &t);
    literal(b, s, len);
    if (b->kind == TS_WBR_FMT_NUMBER || b->kind == TS_WBR_FMT_GENERAL)
        b->kind = TS_WBR_FMT_CURRENCY;
}

void wbr_fmt_code(wbr_fmt_builder *b, const char *s, bool date_part)
{
    put(b->code, sizeof b->code, &b->code_len, s, strlen(s), &b->truncated);
    /* Date and time parts: the text between them is no unit. */
    if (date_part)
        b->has_date = true;
    else
        b->has_time = true;
    b->prefix_len = b->suffix_len = 0;
    b->prefix[0] = b->suffix[0] = '\0';
}

ts_wbr_numfmt *wbr_fmt_end(wbr_fmt_builder *b)
{
    ts_wbr_numfmt *f = ts_arena_calloc(b->a, 1, sizeof *f);
    if (f == NULL)
        return NULL;
    f->kind = b->kind;
    if (b->has_date || b->has_time) {
        f->kind = b->has_date && b->has_time ? TS_WBR_FMT_DATETIME
                  : b->has_date              ? TS_WBR_FMT_DATE
                                             : TS_WBR_FMT_TIME;
        b->prefix_len = b->suffix_len = 0;
        b->decimals = 0;
    }
    if (f->kind == TS_WBR_FMT_NUMBER && b->currency[0] == '\0') {
        /* a currency written as plain text: "$"#,##0, #,##0 "€" */
        static const char *const symbols[] = {"$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5"};
        for (size_t k = 0; k < sizeof symbols / sizeof *symbols; k++)
            if (strstr(b->prefix, symbols[k]) || strstr(b->suffix, symbols[k])) {
                snprintf(b->currency, sizeof b->currency, "%s", symbols[k]);
                f->kind = TS_WBR_FMT_CURRENCY;
                break;
            }
    }
    f->decimals = b->decimals;
    f->grouping = b->grouping;
    f->code = ts_arena_strndup(b->a, b->code, b->code_len);
    f->prefix = ts_arena_strndup(b->a, b->prefix, b->prefix_len);
    f->suffix = ts_arena_strndup(b->a, b->suffix, b->suffix_len);
    f->currency = b->currency[0] ? ts_arena_strdup(b->a, b->currency) : NULL;
    if (f->code == NULL || f->prefix == NULL || f->suffix == NULL ||
        (b->currency[0] && f->currency == NULL))
        return NULL;
    return f;
}

/* ---- Excel's format codes ---------------------------------------------------------------- */

/* The length of the UTF-8 sequence that starts with byte c (1 for a stray byte). */
static size_t u8len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static bool is_placeholder(char ch)
{
    return ch == '0' || ch == '#' || ch == '?';
}

static char lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

/* The date and time letters of a section, in order, to tell a month from a minute. */
enum { DT_MAX = 32 };

const ts_wbr_numfmt *wbr_numfmt_parse(const char *code, ts_arena *a)
{
    wbr_fmt_builder b;
    wbr_fmt_begin(&b, a, TS_WBR_FMT_GENERAL);
    size_t n = strlen(code);
    /* The first section: up to a ';' outside quotes, brackets and escapes. */
    size_t end = 0;
    bool quoted = false;
    while (end < n) {
        char ch = code[end];
        if (quoted) {
            quoted = ch != '"';
            end++;
        } else if (ch == '"') {
            quoted = true;
            end++;
        } else if (ch == '\\' || ch == '_' || ch == '*') {
            end += 1 + (end + 1 < n ? u8len((unsigned char)code[end + 1]) : 0);
        } else if (ch == '[') {
            while (end < n && code[end] != ']')
                end++;
            end += end < n;
        } else if (ch == ';') {
            break;
        } else {
            end++;
        }
    }
    if (end > n)
        end = n;
    bool percent = false, scientific = false, fraction = false, text = false, general = false;
    bool currency = false, after_point = false, digits = false, elapsed = false;
    int decimals = 0;
    bool grouping = false;
    char dt[DT_MAX]; /* 'y' 'd' 'm' 'h' 's' 'a': the date and time tokens */
    size_t ndt = 0;
    bool dt_minute[DT_MAX] = {false};
    for (size_t i = 0; i < end;) {
        char ch = code[i];
        char lc = lower(ch);
        if (ch == '"') {
            size_t j = i + 1;
            while (j < end && code[j] != '"')
                j++;
            literal(&b, code + i + 1, j - i - 1);
            i = j + 1;
        } else if (ch == '\\') {
            size_t l = i + 1 < end ? u8len((unsigned char)code[i + 1]) : 0;
            if (i + 1 + l > end)
                l = end - i - 1;
            literal(&b, code + i + 1, l);
            i += 1 + l + (l == 0);
        } else if (ch == '_' || ch == '*') {
            /* padding to a character's width, and filling: nothing to read */
            i += 1 + (i + 1 < end ? u8len((unsigned char)code[i + 1]) : 0);
        } else if (ch == '[') {
            size_t j = i + 1;
            while (j < end && code[j] != ']')
                j++;
            const char *in = code + i + 1;
            size_t len = j - i - 1;
            if (len > 0 && in[0] == '$') {
                size_t k = 1;
                while (k < len && in[k] != '-')
                    k++;
                if (k > 1) {
                    literal(&b, in + 1, k - 1);
                    size_t m = 0;
                    bool t = false;
                    put(b.currency, sizeof b.currency, &m, in + 1, k - 1, &t);
                    currency = true;
                }
            } else if (len > 0 &&
                       (lower(in[0]) == 'h' || lower(in[0]) == 'm' || lower(in[0]) == 's')) {
                bool all = true;
                for (size_t k = 0; k < len; k++)
                    all &= lower(in[k]) == lower(in[0]);
                if (all) {
                    elapsed = true;
                    if (ndt < DT_MAX)
                        dt[ndt++] = lower(in[0]) == 'm' ? 'M' : lower(in[0]);
                }
            }
            i = j + 1;
        } else if (is_placeholder(ch)) {
            if (ndt > 0 && after_point) {
                i++; /* fractions of a second: "ss.00" */
                continue;
            }
            digits = true;
            b.seen_number = true;
            if (after_point && !scientific && !fraction)
                decimals++;
            i++;
        } else if (ch == '.') {
            if (digits && !after_point && !scientific)
                after_point = true;
            else if (ndt > 0)
                after_point = true;
            else
                literal(&b, ".", 1);
            i++;
        } else if (ch == ',') {
            if (digits && !after_point && i + 1 < end && is_placeholder(code[i + 1]))
                grouping = true;
            else if (!digits)
                literal(&b, ",", 1);
            i++;
        } else if (ch == '%') {
            percent = true;
            literal(&b, "%", 1);
            i++;
        } else if (lc == 'e' && digits && i + 1 < end &&
                   (code[i + 1] == '+' || code[i + 1] == '-')) {
            scientific = true;
            i += 2;
        } else if (ch == '/' && digits && i + 1 < end &&
                   (is_placeholder(code[i + 1]) || (code[i + 1] >= '1' && code[i + 1] <= '9'))) {
            fraction = true;
            /* the space in "# ?/?" parts the whole number from the fraction: no suffix */
            b.suffix_len = 0;
            b.suffix[0] = '\0';
            i++;
            while (i < end && (is_placeholder(code[i]) || (code[i] >= '0' && code[i] <= '9')))
                i++;
        } else if (ch == '@') {
            text = true;
            i++;
        } else if (lc == 'g' && end - i >= 7 && wbr_ieq(code + i, 7, "general")) {
            general = true;
            b.seen_number = true;
            i += 7;
        } else if ((lc == 'a') && end - i >= 5 && wbr_ieq(code + i, 5, "am/pm")) {
            if (ndt < DT_MAX)
                dt[ndt++] = 'a';
            i += 5;
        } else if ((lc == 'a') && end - i >= 3 && wbr_ieq(code + i, 3, "a/p")) {
            if (ndt < DT_MAX)
                dt[ndt++] = 'a';
            i += 3;
        } else if (lc == 'y' || lc == 'd' || lc == 'm' || lc == 'h' || lc == 's') {
            while (i < end && lower(code[i]) == lc)
                i++;
            if (ndt < DT_MAX)
                dt[ndt++] = lc;
        } else {
            size_t l = u8len((unsigned char)ch);
            if (i + l > end)
                l = end - i;
            literal(&b, code + i, l);
            i += l;
        }
    }
    /* An "m" is a minute right after an hour or right before a second, else a month. */
    bool has_date = false, has_time = elapsed;
    for (size_t k = 0; k < ndt; k++) {
        if (dt[k] == 'm')
            dt_minute[k] = (k > 0 && dt[k - 1] == 'h') || (k + 1 < ndt && dt[k + 1] == 's');
        if (dt[k] == 'y' || dt[k] == 'd' || (dt[k] == 'm' && !dt_minute[k]))
            has_date = true;
        else
            has_time = true;
    }
    b.code_len = 0;
    put(b.code, sizeof b.code, &b.code_len, code, n, &b.truncated);
    b.has_date = has_date;
    b.has_time = has_time;
    b.decimals = decimals;
    b.grouping = grouping;
    b.kind = has_date || has_time           ? TS_WBR_FMT_DATE /* fixed by wbr_fmt_end */
             : percent                      ? TS_WBR_FMT_PERCENT
             : scientific                   ? TS_WBR_FMT_SCIENTIFIC
             : fraction                     ? TS_WBR_FMT_FRACTION
             : currency                     ? TS_WBR_FMT_CURRENCY
             : digits                       ? TS_WBR_FMT_NUMBER
             : text                         ? TS_WBR_FMT_TEXT
             : general                      ? TS_WBR_FMT_GENERAL
             : b.prefix_len || b.suffix_len ? TS_WBR_FMT_NUMBER
                                            : TS_WBR_FMT_GENERAL;
    return wbr_fmt_end(&b);
}
