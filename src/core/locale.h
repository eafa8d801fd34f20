/* What a language decides of how things are written: its code and country, and numbers (the
 * decimal mark, the grouping of digits and the minus sign: outputs.md §1 "Text").  The pack and
 * the workbooks both ask here, so that "−9,5 %" is written one way wherever it stands and no
 * other file decides a decimal mark or a country. */
#ifndef TS_LOCALE_H
#define TS_LOCALE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

/* The languages a round is written in (its xml:lang). */
typedef enum ts_lang {
    TS_LANG_FI,
    TS_LANG_SV,
    TS_LANG_EN,
} ts_lang;

/* The language as xml:lang spells it: "fi", "sv", "en"; "?" outside the enum. */
const char *ts_lang_name(ts_lang l);

/* How a language writes. */
typedef struct ts_locale {
    const char *country; /* of the variant written: "FI" (Finnish, and Finland's Swedish), "GB" */
    const char *mark;    /* the decimal mark: "," or "." */
    const char *group;   /* between groups of three digits: a no-break space, or "," */
    const char *minus;   /* the minus sign U+2212, or the hyphen-minus in English */
    bool minus_sign;     /* a hyphen-minus before a number in text is read as the minus sign */
} ts_locale;

/* The locale of a language; Finnish's for a value outside the enum. */
const ts_locale *ts_locale_of(ts_lang l);

/* The decimals a value needs to be shown as written, up to three (as the workbook shows it):
 * 72.5 is not shown 73. */
int ts_decimals_of(double v);

/* v as the language writes it, with ts_decimals_of(v) decimals: fi and sv "−12 000,5" (the
 * minus sign U+2212, a decimal comma, the digits of a whole part of five or more grouped by
 * three with a no-break space), en "-12,000.5".  Infinity is "∞".  Writes at most cap bytes
 * including the NUL and returns the length it needed (as snprintf). */
size_t ts_format_number(char *out, size_t cap, double v, ts_lang lang);

/* The number and its unit after a no-break space ("14 kpl", "9,5 %"), or the number alone
 * when unit is NULL, in the arena; NULL when out of memory. */
char *ts_format_quantity(ts_arena *a, double v, const char *unit, ts_lang lang);

/* A value against its level in their one unit, "14 / 20 kpl" ("14 / 20" without a unit); the
 * number keeps to its slash, so that a line breaks only before the level.  NULL when out of
 * memory. */
char *ts_format_of_level(ts_arena *a, double v, double level, const char *unit, ts_lang lang);

/* Whether two units (NULL: none) are the same, so that a value is read against a level. */
bool ts_same_unit(const char *a, const char *b);

/* v with exactly `decimals` decimals and the language's decimal mark, without grouping and with
 * the hyphen-minus: what a spreadsheet cell of that number format shows ("1,50", "-3").
 * Writes at most cap bytes including the NUL and returns the length it needed. */
size_t ts_format_fixed(char *out, size_t cap, double v, int decimals, ts_lang lang);

#endif
