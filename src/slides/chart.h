/* Chart geometry: pure arithmetic from counts or values and a box to bars, segments, the places
 * of their labels and a scale with its ticks.  It knows no PDF, no layout and no text engine:
 * the slide kinds measure their labels, give the widths here, and draw what comes back through
 * the kit.  Coordinates are pt with y growing downwards, as on a slide. */
#ifndef TS_SLIDES_CHART_H
#define TS_SLIDES_CHART_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sl_box {
    double x, y, w, h;
} sl_box;

/* ---- A scale ---------------------------------------------------------------------------- */

#define SL_CHART_MAX_TICKS 12

/* A scale over [lo, hi] that holds 0 and every value asked, its ends on ticks a step of 1, 2 or
 * 5 times a power of ten apart. */
typedef struct sl_scale {
    double lo, hi, step;
    size_t n_ticks;
    double ticks[SL_CHART_MAX_TICKS]; /* lo, lo + step, ..., hi */
} sl_scale;

/* The scale of the values v[0..n-1] and 0, with at most max_ticks - 1 steps (max_ticks 2 to
 * SL_CHART_MAX_TICKS).  All values zero (or none) make the scale [0, 1]. */
sl_scale sl_chart_scale(const double *v, size_t n, size_t max_ticks);

/* Where value v stands on a scale drawn from `from` (its lo) to `to` (its hi). */
double sl_scale_at(const sl_scale *sc, double v, double from, double to);

/* ---- Stacked bars of counts ------------------------------------------------------------ */

#define SL_CHART_MAX_BARS  3
#define SL_CHART_MAX_SLOTS 5

typedef struct sl_segment {
    size_t bar, slot; /* which bar, which of its counts */
    size_t count;     /* never 0: a zero count has no segment */
    sl_box box;
    double label_x; /* the centre of its count's label */
    double label_y;
} sl_segment;

typedef struct sl_stacked {
    size_t n_bars;
    sl_box bars[SL_CHART_MAX_BARS]; /* each bar whole, its segments inside it */
    sl_segment segs[SL_CHART_MAX_BARS * SL_CHART_MAX_SLOTS];
    size_t n_segs;
} sl_stacked;

/* Horizontal bars, one per row of counts (n_bars rows of n_slots counts, at most
 * SL_CHART_MAX_BARS by SL_CHART_MAX_SLOTS), each bar_h tall, `gap` apart, from the top of
 * `plot`, and as wide as the plot: a bar is the whole of its row.  A segment is as wide as its
 * share of its row, but never narrower than its label's width (label_w, the same shape as
 * counts) plus 2 * pad, so that every count is written inside its segment; the others give up
 * that room in proportion.  Returns false (and lays the bars out in proportion only) when the
 * labels together are wider than the plot, or when the rows do not fit in its height. */
bool sl_chart_stacked(const size_t counts[][SL_CHART_MAX_SLOTS], size_t n_bars, size_t n_slots,
                      const double label_w[][SL_CHART_MAX_SLOTS], double pad, sl_box plot,
                      double bar_h, double gap, sl_stacked *out);

/* ---- Bars of values -------------------------------------------------------------------- */

typedef struct sl_value_bar {
    bool present; /* the slot has a value (a round without one keeps its place, empty) */
    double value;
    sl_box box;    /* from the zero line up (a positive value) or down (a negative one) */
    double slot_x; /* the centre of the slot: where its round's name stands under the plot */
    double label_x, label_y; /* the centre of the value's label: above the bar, or below it
                                when the value is negative */
} sl_value_bar;

typedef struct sl_values {
    size_t n;
    sl_value_bar bars[SL_CHART_MAX_BARS];
    sl_scale scale;
    sl_box bars_area; /* the plot less the labels' room above and below: where the scale runs */
    double zero_y;    /* the zero line */
    bool has_level;
    double level_y; /* the level's line */
} sl_values;

/* Vertical bars of n slots (at most SL_CHART_MAX_BARS; present[i] false leaves slot i empty)
 * across `plot`, each at most bar_w wide, with room of label_h above the highest and below the
 * lowest for the values' labels; the scale holds 0, every value and the level (NULL: none). */
void sl_chart_values(const double *values, const bool *present, size_t n, const double *level,
                     sl_box plot, double bar_w, double label_h, size_t max_ticks, sl_values *out);

#endif
