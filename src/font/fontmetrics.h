/* TrueType metrics for measuring text the way the PDF will show it (fontmetrics.c): the glyph
 * of a code point, its advance as libharu writes it, the ascent and descent. */
#ifndef TS_FONTMETRICS_H
#define TS_FONTMETRICS_H

#include <stdint.h>

#include "core/diag.h"
#include "font/fontcheck.h"

typedef struct ts_font_metrics ts_font_metrics;

/* Reads and checks a TrueType (glyf) font (fontcheck.h) and keeps its cmap (formats 4 and 12),
 * hmtx, head and hhea.  NULL with an error naming the file when it cannot be read, is not
 * TrueType or fails the check. */
ts_font_metrics *ts_fm_load(const char *path, ts_diags *diags);
/* The metrics of a font already read and checked; NULL when out of memory. */
ts_font_metrics *ts_fm_new(const ts_font_file *f);
void ts_fm_free(ts_font_metrics *fm);

/* The glyph id of a code point; 0 when the font lacks it. */
unsigned ts_fm_glyph(const ts_font_metrics *fm, uint32_t cp);
/* The advance of a glyph in 1/1000 em, truncated to a whole number as libharu writes it in /W,
 * so that what we measure is what the PDF says. */
int ts_fm_advance(const ts_font_metrics *fm, unsigned glyph);
int ts_fm_ascent(const ts_font_metrics *fm);  /* 1/1000 em, positive */
int ts_fm_descent(const ts_font_metrics *fm); /* 1/1000 em, negative */

#endif
