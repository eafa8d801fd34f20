/* Chart geometry (chart.h). */
#include "slides/chart.h"

#include <math.h>
#include <string.h>

/* ---- A scale ---------------------------------------------------------------------------- */

/* The least step of 1, 2 or 5 times a power of ten at or above raw (> 0). */
static double nice_step_from(double raw)
{
    double p = pow(10, floor(log10(raw)));
    static const double mult[] = {1, 2, 5, 10};
    for (size_t i = 0; i < 4; i++)
        if (mult[i] * p >= raw * (1 - 1e-12))
            return mult[i] * p;
    return 10 * p;
}

static double next_nice(double step)
{
    double p = pow(10, floor(log10(step) + 1e-12));
    double m = step / p;
    if (m < 1.5)
        return 2 * p;
    if (m < 3.5)
        return 5 * p;
    return 10 * p;
}

sl_scale sl_chart_scale(const double *v, size_t n, size_t max_ticks)
{
    if (max_ticks < 2)
        max_ticks = 2;
    if (max_ticks > SL_CHART_MAX_TICKS)
        max_ticks = SL_CHART_MAX_TICKS;
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            continue;
        if (v[i] < lo)
            lo = v[i];
        if (v[i] > hi)
            hi = v[i];
    }
    if (hi - lo <= 0)
        hi = 1;
    sl_scale sc = {0};
    double step = nice_step_from((hi - lo) / (double)(max_ticks - 1));
    for (;;) {
        /* The ends are whole steps outwards from the values; a value on a tick is its end. */
        double a = floor(lo / step + 1e-9) * step;
        double b = ceil(hi / step - 1e-9) * step;
        double steps = round((b - a) / step);
        if (steps + 1 <= (double)max_ticks) {
            sc.lo = a;
            sc.hi = b;
            sc.step = step;
            sc.n_ticks = (size_t)steps + 1;
            for (size_t i = 0; i < sc.n_ticks; i++) {
                double t = a + (double)i * step;
                /* -0 and 1e-17 print as they should: 0. */
                sc.ticks[i] = fabs(t) < step * 1e-9 ? 0 : t;
            }
            return sc;
        }
        step = next_nice(step);
    }
}

double sl_scale_at(const sl_scale *sc, double v, double from, double to)
{
    return from + (to - from) * (v - sc->lo) / (sc->hi - sc->lo);
}

/* ---- Stacked bars of counts ------------------------------------------------------------ */

/* Widths of one row's segments (0 for a zero count) that add up to w: each its share of the
 * row, but at least its floor; false when the floors alone are wider than w. */
static bool row_widths(const size_t *counts, const double *floors, size_t n, double w, double *out)
{
    size_t total = 0;
    double floors_w = 0;
    for (size_t i = 0; i < n; i++) {
        total += counts[i];
        if (counts[i] > 0)
            floors_w += floors[i];
    }
    for (size_t i = 0; i < n; i++)
        out[i] = total ? w * (double)counts[i] / (double)total : 0;
    if (total == 0 || floors_w > w)
        return total == 0 || floors_w <= w;
    /* Segments held at their floor give up nothing more; the others share what is left in
     * proportion.  Each round holds at least one more segment, so n rounds are enough. */
    bool held[SL_CHART_MAX_SLOTS] = {false};
    for (size_t round = 0; round <= n; round++) {
        double held_w = 0;
        size_t free_count = 0;
        for (size_t i = 0; i < n; i++) {
            if (held[i])
                held_w += floors[i];
            else
                free_count += counts[i];
        }
        bool changed = false;
        for (size_t i = 0; i < n; i++) {
            if (held[i] || counts[i] == 0)
                continue;
            out[i] = (w - held_w) * (double)counts[i] / (double)free_count;
            if (out[i] < floors[i]) {
                held[i] = true;
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    for (size_t i = 0; i < n; i++)
        if (held[i])
            out[i] = floors[i];
    return true;
}

bool sl_chart_stacked(const size_t counts[][SL_CHART_MAX_SLOTS], size_t n_bars, size_t n_slots,
                      const double label_w[][SL_CHART_MAX_SLOTS], double pad, sl_box plot,
                      double bar_h, double gap, sl_stacked *out)
{
    memset(out, 0, sizeof *out);
    if (n_bars > SL_CHART_MAX_BARS)
        n_bars = SL_CHART_MAX_BARS;
    if (n_slots > SL_CHART_MAX_SLOTS)
        n_slots = SL_CHART_MAX_SLOTS;
    out->n_bars = n_bars;
    bool fits = (double)n_bars * bar_h + (n_bars ? (double)(n_bars - 1) * gap : 0) <= plot.h;
    for (size_t b = 0; b < n_bars; b++) {
        double y = plot.y + (double)b * (bar_h + gap);
        out->bars[b] = (sl_box){plot.x, y, plot.w, bar_h};
        double floors[SL_CHART_MAX_SLOTS], widths[SL_CHART_MAX_SLOTS];
        for (size_t k = 0; k < n_slots; k++)
            floors[k] = label_w[b][k] + 2 * pad;
        if (!row_widths(counts[b], floors, n_slots, plot.w, widths))
            fits = false;
        double x = plot.x;
        for (size_t k = 0; k < n_slots; k++) {
            if (counts[b][k] == 0)
                continue;
            sl_segment *sg = &out->segs[out->n_segs++];
            *sg = (sl_segment){.bar = b,
                               .slot = k,
                               .count = counts[b][k],
                               .box = {x, y, widths[k], bar_h},
                               .label_x = x + widths[k] / 2,
                               .label_y = y + bar_h / 2};
            x += widths[k];
        }
    }
    return fits;
}

/* ---- Bars of values -------------------------------------------------------------------- */

void sl_chart_values(const double *values, const bool *present, size_t n, const double *level,
                     sl_box plot, double bar_w, double label_h, size_t max_ticks, sl_values *out)
{
    memset(out, 0, sizeof *out);
    if (n > SL_CHART_MAX_BARS)
        n = SL_CHART_MAX_BARS;
    out->n = n;
    double all[SL_CHART_MAX_BARS + 1] = {0};
    size_t k = 0;
    bool negative = false;
    for (size_t i = 0; i < n; i++)
        if (present[i]) {
            all[k++] = values[i];
            negative |= values[i] < 0;
        }
    if (level != NULL)
        all[k++] = *level;
    out->scale = sl_chart_scale(all, k, max_ticks);
    /* A label stands above a positive bar and below a negative one: the room for it is kept at
     * the top always, and at the bottom when some value is below zero. */
    double top = plot.y + label_h;
    double bottom = plot.y + plot.h - (negative ? label_h : 0);
    if (bottom < top)
        bottom = top;
    out->bars_area = (sl_box){plot.x, top, plot.w, bottom - top};
    out->zero_y = sl_scale_at(&out->scale, 0, bottom, top);
    if (level != NULL) {
        out->has_level = true;
        out->level_y = sl_scale_at(&out->scale, *level, bottom, top);
    }
    double slot_w = n ? plot.w / (double)n : plot.w;
    double w = bar_w < slot_w * 0.8 ? bar_w : slot_w * 0.8;
    for (size_t i = 0; i < n; i++) {
        sl_value_bar *b = &out->bars[i];
        b->slot_x = plot.x + slot_w * ((double)i + 0.5);
        b->present = present[i];
        if (!present[i])
            continue;
        b->value = values[i];
        double y = sl_scale_at(&out->scale, values[i], bottom, top);
        double y0 = y < out->zero_y ? y : out->zero_y;
        double h = fabs(out->zero_y - y);
        b->box = (sl_box){b->slot_x - w / 2, y0, w, h};
        b->label_x = b->slot_x;
        b->label_y = values[i] < 0 ? y + label_h / 2 : y - label_h / 2;
    }
}
