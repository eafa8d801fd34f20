/* Chart geometry (src/slides/chart.h): the scale and its ticks, stacked bars of counts with
 * their labels inside, bars of values with a zero line and a level. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "slides/chart.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-6)

/* ---- The scale --------------------------------------------------------------------------- */

static void scale_holds_values_and_zero(void **state)
{
    (void)state;
    double v[] = {9, 14};
    sl_scale sc = sl_chart_scale(v, 2, 6);
    NEAR(sc.lo, 0);
    assert_true(sc.hi >= 14);
    assert_true(sc.n_ticks >= 2 && sc.n_ticks <= 6);
    NEAR(sc.ticks[0], sc.lo);
    NEAR(sc.ticks[sc.n_ticks - 1], sc.hi);
    /* 1, 2 or 5 times a power of ten. */
    double m = sc.step / pow(10, floor(log10(sc.step)));
    assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9);
    for (size_t i = 1; i < sc.n_ticks; i++)
        NEAR(sc.ticks[i] - sc.ticks[i - 1], sc.step);
}

static void scale_all_zero(void **state)
{
    (void)state;
    double v[] = {0, 0, 0};
    sl_scale sc = sl_chart_scale(v, 3, 5);
    NEAR(sc.lo, 0);
    assert_true(sc.hi > 0);
    sl_scale none = sl_chart_scale(NULL, 0, 5);
    assert_true(none.hi > none.lo);
}

static void scale_negative(void **state)
{
    (void)state;
    double v[] = {-3.5, 2};
    sl_scale sc = sl_chart_scale(v, 2, 8);
    assert_true(sc.lo <= -3.5);
    assert_true(sc.hi >= 2);
    int zero = 0;
    for (size_t i = 0; i < sc.n_ticks; i++)
        zero += sc.ticks[i] == 0;
    assert_int_equal(zero, 1); /* 0 is a tick, exactly (not -0 or 1e-17) */
}

static void scale_huge(void **state)
{
    (void)state;
    double v[] = {3.7e12};
    sl_scale sc = sl_chart_scale(v, 1, 6);
    assert_true(sc.hi >= 3.7e12);
    assert_true(sc.hi < 3.7e12 * 2);
    assert_true(sc.n_ticks <= 6);
    NEAR(sl_scale_at(&sc, sc.hi, 100, 0), 0);
    NEAR(sl_scale_at(&sc, 0, 100, 0), 100);
}

/* ---- Stacked bars ------------------------------------------------------------------------ */

static const double narrow[SL_CHART_MAX_BARS][SL_CHART_MAX_SLOTS] = {
    {8, 8, 8, 8, 8}, {8, 8, 8, 8, 8}, {8, 8, 8, 8, 8}};

static void stacked_counts_in_proportion(void **state)
{
    (void)state;
    size_t counts[][SL_CHART_MAX_SLOTS] = {{0, 2, 2, 1, 0}, {1, 1, 1, 1, 1}};
    sl_stacked out;
    sl_box plot = {100, 50, 500, 100};
    assert_true(sl_chart_stacked(counts, 2, 5, narrow, 4, plot, 30, 10, &out));
    assert_int_equal(out.n_bars, 2);
    /* The zero segments of the first row are not there. */
    assert_int_equal(out.n_segs, 3 + 5);
    assert_int_equal(out.segs[0].slot, 1);
    assert_int_equal(out.segs[0].count, 2);
    NEAR(out.segs[0].box.x, 100);
    NEAR(out.segs[0].box.w, 200);
    NEAR(out.segs[1].box.x, 300);
    NEAR(out.segs[2].box.w, 100);
    NEAR(out.segs[2].box.x + out.segs[2].box.w, 600);
    /* Its label at the middle of the segment. */
    NEAR(out.segs[1].label_x, 400);
    NEAR(out.segs[1].label_y, 65);
    /* The second bar under the first, a gap between them. */
    NEAR(out.bars[1].y, 90);
    NEAR(out.segs[3].box.y, 90);
    NEAR(out.segs[3].box.w, 100);
}

static void stacked_small_segment_keeps_its_label(void **state)
{
    (void)state;
    /* 1 of 40 is 10 pt of 400: narrower than its label and padding (8 + 2 * 4). */
    size_t counts[][SL_CHART_MAX_SLOTS] = {{37, 1, 0, 1, 1}};
    sl_stacked out;
    assert_true(sl_chart_stacked(counts, 1, 5, narrow, 4, (sl_box){0, 0, 400, 40}, 20, 0, &out));
    assert_int_equal(out.n_segs, 4);
    double sum = 0;
    for (size_t i = 0; i < out.n_segs; i++) {
        assert_true(out.segs[i].box.w >= 16 - 1e-9);
        sum += out.segs[i].box.w;
        if (i > 0)
            NEAR(out.segs[i].box.x, out.segs[i - 1].box.x + out.segs[i - 1].box.w);
    }
    NEAR(sum, 400);
    NEAR(out.segs[1].box.w, 16);
    NEAR(out.segs[0].box.w, 400 - 3 * 16);
}

static void stacked_one_round(void **state)
{
    (void)state;
    size_t counts[][SL_CHART_MAX_SLOTS] = {{0, 5, 0, 0, 0}};
    sl_stacked out;
    assert_true(sl_chart_stacked(counts, 1, 5, narrow, 4, (sl_box){10, 10, 300, 30}, 30, 8, &out));
    assert_int_equal(out.n_bars, 1);
    assert_int_equal(out.n_segs, 1);
    NEAR(out.segs[0].box.w, 300);
    NEAR(out.segs[0].label_x, 160);
}

static void stacked_too_crowded(void **state)
{
    (void)state;
    size_t counts[][SL_CHART_MAX_SLOTS] = {{1, 1, 1, 1, 1}};
    sl_stacked out;
    /* Five labels of 8 pt with 4 pt each side need 80 pt. */
    assert_false(sl_chart_stacked(counts, 1, 5, narrow, 4, (sl_box){0, 0, 60, 30}, 30, 0, &out));
    NEAR(out.segs[4].box.x + out.segs[4].box.w, 60);
    /* Rows taller than the plot. */
    assert_false(sl_chart_stacked(counts, 1, 5, narrow, 4, (sl_box){0, 0, 600, 20}, 30, 0, &out));
}

/* ---- Bars of values ---------------------------------------------------------------------- */

static void values_with_level_above(void **state)
{
    (void)state;
    double v[] = {9, 14, 0};
    bool p[] = {true, true, false};
    double level = 20;
    sl_values out;
    sl_chart_values(v, p, 3, &level, (sl_box){0, 0, 300, 200}, 40, 20, 6, &out);
    assert_int_equal(out.n, 3);
    assert_true(out.has_level);
    assert_true(out.scale.hi >= 20);
    /* The level above both bars, inside the area. */
    assert_true(out.level_y < out.bars[1].box.y);
    assert_true(out.level_y >= out.bars_area.y - 1e-9);
    /* The bars stand on the zero line, the higher value taller. */
    NEAR(out.bars[0].box.y + out.bars[0].box.h, out.zero_y);
    assert_true(out.bars[1].box.h > out.bars[0].box.h);
    NEAR(out.bars[1].box.h / out.bars[0].box.h, 14.0 / 9.0);
    /* Their labels above them, inside the plot. */
    assert_true(out.bars[0].label_y < out.bars[0].box.y);
    assert_true(out.bars[1].label_y - 10 >= -1e-9);
    /* The empty slot keeps its place. */
    assert_false(out.bars[2].present);
    NEAR(out.bars[2].slot_x, 250);
    NEAR(out.bars[0].box.w, 40);
}

static void values_with_level_below(void **state)
{
    (void)state;
    double v[] = {50, 70};
    bool p[] = {true, true};
    double level = 10;
    sl_values out;
    sl_chart_values(v, p, 2, &level, (sl_box){0, 0, 200, 100}, 40, 10, 6, &out);
    assert_true(out.level_y > out.bars[0].box.y && out.level_y < out.zero_y);
    assert_true(out.scale.hi >= 70);
    NEAR(out.zero_y, 100); /* no negative value: no room under the zero line */
}

static void values_negative(void **state)
{
    (void)state;
    double v[] = {-4, 6};
    bool p[] = {true, true};
    double level = -8;
    sl_values out;
    sl_chart_values(v, p, 2, &level, (sl_box){0, 0, 200, 200}, 40, 16, 8, &out);
    assert_true(out.scale.lo <= -8);
    /* The negative bar goes down from the zero line, its label below it, inside the plot. */
    NEAR(out.bars[0].box.y, out.zero_y);
    assert_true(out.bars[0].box.h > 0);
    assert_true(out.bars[0].label_y > out.bars[0].box.y + out.bars[0].box.h);
    assert_true(out.bars[0].label_y + 8 <= 200 + 1e-9);
    NEAR(out.bars[1].box.y + out.bars[1].box.h, out.zero_y);
    assert_true(out.level_y > out.bars[0].box.y + out.bars[0].box.h - 1e-9);
    assert_true(out.level_y <= out.bars_area.y + out.bars_area.h + 1e-9);
}

static void values_all_zero(void **state)
{
    (void)state;
    double v[] = {0, 0};
    bool p[] = {true, true};
    sl_values out;
    sl_chart_values(v, p, 2, NULL, (sl_box){0, 0, 200, 100}, 40, 10, 6, &out);
    assert_false(out.has_level);
    NEAR(out.bars[0].box.h, 0);
    assert_true(isfinite(out.zero_y));
    NEAR(out.zero_y, 100);
}

static void values_one_huge(void **state)
{
    (void)state;
    double v[] = {2.5e15};
    bool p[] = {true};
    sl_values out;
    sl_chart_values(v, p, 1, NULL, (sl_box){0, 0, 100, 100}, 400, 10, 6, &out);
    assert_true(out.bars[0].box.y >= out.bars_area.y - 1e-6);
    assert_true(out.bars[0].box.h > 40);
    /* A bar never wider than most of its slot. */
    assert_true(out.bars[0].box.w <= 80 + 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scale_holds_values_and_zero),
        cmocka_unit_test(scale_all_zero),
        cmocka_unit_test(scale_negative),
        cmocka_unit_test(scale_huge),
        cmocka_unit_test(stacked_counts_in_proportion),
        cmocka_unit_test(stacked_small_segment_keeps_its_label),
        cmocka_unit_test(stacked_one_round),
        cmocka_unit_test(stacked_too_crowded),
        cmocka_unit_test(values_with_level_above),
        cmocka_unit_test(values_with_level_below),
        cmocka_unit_test(values_negative),
        cmocka_unit_test(values_all_zero),
        cmocka_unit_test(values_one_huge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
