/* Numbers as each language writes them: the decimal mark, the grouping of digits and the minus
 * sign (outputs.md §1 "Text").  Every figure the pack prints from a round's values goes through
 * here, so that "−9,5 %" is written one way wherever it stands. */
#ifndef TS_LOCALE_H
#define TS_LOCALE_H

#include <stddef.h>

#include "arena.h"
#include "model.h"

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

#endif
