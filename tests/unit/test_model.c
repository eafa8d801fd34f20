/* The model's own functions: the change of a measure between rounds (issue 15), by the order
 * achieved > on-track > at-risk > off-track, with "not reported" never a change; the counts of
 * measures by status in each round (the status picture). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "round/model.h"

/* A measure whose rounds 1..3 have the given statuses (TS_STATUS_NONE: no forecast). */
typedef struct fixture {
    ts_forecast f[4];
    ts_measure m;
} fixture;

static const ts_measure *measure(fixture *x, ts_status r1, ts_status r2, ts_status r3)
{
    memset(x, 0, sizeof *x);
    ts_status s[4] = {TS_STATUS_NONE, r1, r2, r3};
    for (int r = 1; r <= 3; r++) {
        x->f[r].round = r;
        x->f[r].status = s[r];
        x->m.by_round[r] = s[r] == TS_STATUS_NONE ? NULL : &x->f[r];
    }
    return &x->m;
}

#define NONE      TS_STATUS_NONE
#define ACHIEVED  TS_STATUS_ACHIEVED
#define ON_TRACK  TS_STATUS_ON_TRACK
#define AT_RISK   TS_STATUS_AT_RISK
#define OFF_TRACK TS_STATUS_OFF_TRACK

static void expect_change(ts_measure_change c, ts_change change, ts_status status, int prev_round,
                          ts_status prev)
{
    assert_int_equal(c.change, change);
    assert_int_equal(c.status, status);
    assert_int_equal(c.previous_round, prev_round);
    assert_int_equal(c.previous, prev);
}

static void better(void **state)
{
    fixture x;
    expect_change(ts_measure_change_at(measure(&x, AT_RISK, ON_TRACK, NONE), 2), TS_CHANGE_IMPROVED,
                  ON_TRACK, 1, AT_RISK);
    expect_change(ts_measure_change_at(measure(&x, OFF_TRACK, AT_RISK, ACHIEVED), 3),
                  TS_CHANGE_IMPROVED, ACHIEVED, 2, AT_RISK);
}

static void worse(void **state)
{
    fixture x;
    expect_change(ts_measure_change_at(measure(&x, ON_TRACK, OFF_TRACK, NONE), 2),
                  TS_CHANGE_WORSENED, OFF_TRACK, 1, ON_TRACK);
    expect_change(ts_measure_change_at(measure(&x, ON_TRACK, ACHIEVED, ON_TRACK), 3),
                  TS_CHANGE_WORSENED, ON_TRACK, 2, ACHIEVED);
}

static void same(void **state)
{
    fixture x;
    expect_change(ts_measure_change_at(measure(&x, AT_RISK, AT_RISK, AT_RISK), 3), TS_CHANGE_SAME,
                  AT_RISK, 2, AT_RISK);
}

/* Every pair of statuses, against the order written out by hand. */
static void the_order(void **state)
{
    const ts_status best_first[] = {ACHIEVED, ON_TRACK, AT_RISK, OFF_TRACK};
    fixture x;
    for (int before = 0; before < 4; before++)
        for (int now = 0; now < 4; now++) {
            ts_measure_change c =
                ts_measure_change_at(measure(&x, best_first[before], best_first[now], NONE), 2);
            ts_change want = now == before  ? TS_CHANGE_SAME
                             : now < before ? TS_CHANGE_IMPROVED
                                            : TS_CHANGE_WORSENED;
            assert_int_equal(c.change, want);
        }
}

/* Round 2 not reported: round 3 is compared with round 1. */
static void not_reported_in_between(void **state)
{
    fixture x;
    expect_change(ts_measure_change_at(measure(&x, AT_RISK, NONE, ON_TRACK), 3), TS_CHANGE_IMPROVED,
                  ON_TRACK, 1, AT_RISK);
    expect_change(ts_measure_change_at(measure(&x, ON_TRACK, NONE, ON_TRACK), 3), TS_CHANGE_SAME,
                  ON_TRACK, 1, ON_TRACK);
}

static void first_round(void **state)
{
    fixture x;
    expect_change(ts_measure_change_at(measure(&x, OFF_TRACK, NONE, NONE), 1), TS_CHANGE_NONE,
                  OFF_TRACK, 0, NONE);
}

/* Nothing earlier to compare with. */
static void reported_only_now(void **state)
{
    fixture x;
    expect_change(ts_measure_change_at(measure(&x, NONE, NONE, AT_RISK), 3), TS_CHANGE_NONE,
                  AT_RISK, 0, NONE);
}

/* "Not reported" is never a change, but the earlier report is still named. */
static void current_not_reported(void **state)
{
    fixture x;
    expect_change(ts_measure_change_at(measure(&x, ON_TRACK, AT_RISK, NONE), 3), TS_CHANGE_NONE,
                  NONE, 2, AT_RISK);
    expect_change(ts_measure_change_at(measure(&x, NONE, NONE, NONE), 2), TS_CHANGE_NONE, NONE, 0,
                  NONE);
}

static void rounds_out_of_range(void **state)
{
    fixture x;
    const ts_measure *m = measure(&x, ON_TRACK, AT_RISK, OFF_TRACK);
    expect_change(ts_measure_change_at(m, 0), TS_CHANGE_NONE, NONE, 0, NONE);
    expect_change(ts_measure_change_at(m, 4), TS_CHANGE_NONE, NONE, 0, NONE);
}

/* The round's own number is the round asked about. */
static void now_is_the_rounds_number(void **state)
{
    fixture x;
    const ts_measure *m = measure(&x, ON_TRACK, AT_RISK, ACHIEVED);
    ts_round r = {0};
    r.number = 2;
    expect_change(ts_measure_change_now(&r, m), TS_CHANGE_WORSENED, AT_RISK, 1, ON_TRACK);
    r.number = 3;
    expect_change(ts_measure_change_now(&r, m), TS_CHANGE_IMPROVED, ACHIEVED, 2, AT_RISK);
    r.number = 1;
    expect_change(ts_measure_change_now(&r, m), TS_CHANGE_NONE, ON_TRACK, 0, NONE);
}

static void names(void **state)
{
    assert_string_equal(ts_change_name(TS_CHANGE_NONE), "none");
    assert_string_equal(ts_change_name(TS_CHANGE_SAME), "same");
    assert_string_equal(ts_change_name(TS_CHANGE_IMPROVED), "improved");
    assert_string_equal(ts_change_name(TS_CHANGE_WORSENED), "worsened");
}

/* ---- The counts per round ---------------------------------------------------------------- */

/* A round of two goals: the first with measures[0..split), the second with the rest. */
typedef struct counts_fixture {
    fixture x[6];
    ts_measure m[6];
    ts_goal g[2];
    ts_round r;
} counts_fixture;

static const ts_round *counts_round(counts_fixture *c, int number, size_t n, const ts_status s[][3])
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < n; i++)
        c->m[i] = *measure(&c->x[i], s[i][0], s[i][1], s[i][2]);
    size_t split = n / 2;
    c->g[0] = (ts_goal){.measures = c->m, .n_measures = split};
    c->g[1] = (ts_goal){.measures = c->m + split, .n_measures = n - split};
    c->r.goals = c->g;
    c->r.n_goals = 2;
    c->r.n_measures = n;
    c->r.number = number;
    return &c->r;
}

static void expect_counts(const ts_status_counts *c, int round, size_t achieved, size_t on_track,
                          size_t at_risk, size_t off_track, size_t none)
{
    assert_int_equal(c->round, round);
    assert_int_equal(c->by_status[ACHIEVED], achieved);
    assert_int_equal(c->by_status[ON_TRACK], on_track);
    assert_int_equal(c->by_status[AT_RISK], at_risk);
    assert_int_equal(c->by_status[OFF_TRACK], off_track);
    assert_int_equal(c->by_status[NONE], none);
}

/* Round 3: every round up to it, over both goals; a round without a forecast is not reported. */
static void counts_every_round(void **state)
{
    static const ts_status s[][3] = {
        {ON_TRACK, ON_TRACK, ACHIEVED}, {AT_RISK, NONE, OFF_TRACK},     {NONE, AT_RISK, AT_RISK},
        {ON_TRACK, OFF_TRACK, NONE},    {OFF_TRACK, AT_RISK, ON_TRACK},
    };
    counts_fixture c;
    ts_status_counts out[3];
    assert_int_equal(ts_round_status_counts(counts_round(&c, 3, 5, s), out), 3);
    expect_counts(&out[0], 1, 0, 2, 1, 1, 1);
    expect_counts(&out[1], 2, 0, 1, 2, 1, 1);
    expect_counts(&out[2], 3, 1, 1, 1, 1, 1);
}

/* Round 1 has one round; the later rounds' forecasts (which a round 1 cannot have) are not
 * looked at. */
static void counts_round_one(void **state)
{
    static const ts_status s[][3] = {{ACHIEVED, ON_TRACK, NONE}, {NONE, NONE, NONE}};
    counts_fixture c;
    ts_status_counts out[3];
    memset(out, 0xff, sizeof out);
    assert_int_equal(ts_round_status_counts(counts_round(&c, 1, 2, s), out), 1);
    expect_counts(&out[0], 1, 1, 0, 0, 0, 1);
}

/* Each round's counts add up to the round's measures; a round outside 1..3 has no counts. */
static void counts_add_up(void **state)
{
    static const ts_status s[][3] = {
        {ON_TRACK, NONE, NONE}, {AT_RISK, NONE, NONE},  {NONE, NONE, NONE},
        {NONE, NONE, NONE},     {ACHIEVED, NONE, NONE}, {OFF_TRACK, NONE, NONE},
    };
    counts_fixture c;
    ts_status_counts out[3];
    size_t n = ts_round_status_counts(counts_round(&c, 2, 6, s), out);
    assert_int_equal(n, 2);
    for (size_t k = 0; k < n; k++) {
        size_t sum = 0;
        for (size_t i = 0; i < TS_STATUS_COUNT; i++)
            sum += out[k].by_status[i];
        assert_int_equal(sum, 6);
    }
    expect_counts(&out[1], 2, 0, 0, 0, 0, 6);
    c.r.number = 0;
    assert_int_equal(ts_round_status_counts(&c.r, out), 0);
    c.r.number = 4;
    assert_int_equal(ts_round_status_counts(&c.r, out), 0);
}

/* The picture's order: best first, "not reported" last, every status once. */
static void picture_order(void **state)
{
    assert_int_equal(ts_status_picture_order[0], ACHIEVED);
    assert_int_equal(ts_status_picture_order[1], ON_TRACK);
    assert_int_equal(ts_status_picture_order[2], AT_RISK);
    assert_int_equal(ts_status_picture_order[3], OFF_TRACK);
    assert_int_equal(ts_status_picture_order[4], NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(better),
        cmocka_unit_test(worse),
        cmocka_unit_test(same),
        cmocka_unit_test(the_order),
        cmocka_unit_test(not_reported_in_between),
        cmocka_unit_test(first_round),
        cmocka_unit_test(reported_only_now),
        cmocka_unit_test(current_not_reported),
        cmocka_unit_test(rounds_out_of_range),
        cmocka_unit_test(now_is_the_rounds_number),
        cmocka_unit_test(names),
        cmocka_unit_test(counts_every_round),
        cmocka_unit_test(counts_round_one),
        cmocka_unit_test(counts_add_up),
        cmocka_unit_test(picture_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
