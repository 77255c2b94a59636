// Change-point detection on synthetic nightly series made with the project's
// PRNG: a real step is found where it is, by its size and direction; noise,
// even with outliers, is not a change; the answer is the same every time.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/prng.h"
#include "gate/changepoint.h"
#include "assert_double.h"
#include "log_capture.h"

#define MAX_POINTS 128

// n nightly frame medians around 1.77 ms with relative Gaussian noise sd_rel.
static void series(double *x, int n, double sd_rel, uint64_t seed) {
    nsp_rng_t rng = nsp_rng_derive(seed, 91, 0);
    for (int i = 0; i < n; i++) {
        x[i] = 1.77 * (1.0 + nsp_rng_normal(&rng, 0.0, sd_rel));
    }
}

static void scale(double *x, int from, int to, double factor) {
    for (int i = from; i < to; i++) {
        x[i] *= factor;
    }
}

// cp lies within one night of index and goes in direction, by a relative
// size in [size_lo, size_hi].
static void assert_change(const nsp_changepoint_t *cp, int index, nsp_changepoint_direction_t direction, double size_lo,
                          double size_hi) {
    assert_in_range(cp->index, index - 1, index + 1);
    assert_int_equal(cp->direction, direction);
    assert_double_in_range(cp->size, size_lo, size_hi);
}

// series() with 2% noise, then nights [from, to) scaled by factor.
static void stepped(double *x, int n, uint64_t seed, int from, int to, double factor) {
    series(x, n, 0.02, seed);
    scale(x, from, to, factor);
}

static int detect(const double *x, int n, const char *const *labels, nsp_changepoint_t *out, int cap) {
    nsp_changepoint_params_t p;
    nsp_changepoint_params_default(&p);
    int found = -1;
    assert_int_equal(nsp_changepoints(x, n, labels, &p, out, cap, &found), 0);
    return found;
}

static void test_defaults(void **state) {
    (void)state;
    nsp_changepoint_params_t p;
    nsp_changepoint_params_default(&p);
    assert_double_equal(p.pvalue, 0.05);
    assert_int_equal(p.permutations, 199);
    assert_int_equal(p.min_size, 5);
    assert_false(p.higher_is_better);
}

// 30 nights at one level, 30 at 10% more, 2% noise: one change, at night 30
// (+-1), about +10%, slower, between commits c29 and c30.
static void test_step_is_found(void **state) {
    (void)state;
    double x[60];
    char names[60][8];
    const char *labels[60];
    for (int i = 0; i < 60; i++) {
        snprintf(names[i], sizeof names[i], "c%d", i);
        labels[i] = names[i];
    }
    stepped(x, 60, 1, 30, 60, 1.10);
    nsp_changepoint_t cp[12];
    assert_int_equal(detect(x, 60, labels, cp, 12), 1);
    assert_change(&cp[0], 30, NSP_CHANGEPOINT_SLOWER, 0.08, 0.12);
    assert_string_equal(cp[0].label_before, labels[cp[0].index - 1]);
    assert_string_equal(cp[0].label_after, labels[cp[0].index]);
    assert_double_in_range(cp[0].pvalue, 0.0, 0.05);
    assert_near(cp[0].mean_after / cp[0].mean_before - 1.0, cp[0].size, 1e-12);
    // The means are those of the two segments.
    double before = 0.0;
    for (int i = 0; i < cp[0].index; i++) {
        before += x[i];
    }
    assert_near(before / cp[0].index, cp[0].mean_before, 1e-12);
}

// The same step over 40 different noise draws: found at 30 every time.
static void test_step_is_found_across_seeds(void **state) {
    (void)state;
    int at_30 = 0;
    for (uint64_t seed = 100; seed < 140; seed++) {
        double x[60];
        stepped(x, 60, seed, 30, 60, 1.10);
        nsp_changepoint_t cp[12];
        int n = detect(x, 60, NULL, cp, 12);
        for (int k = 0; k < n; k++) {
            if (cp[k].index >= 29 && cp[k].index <= 31 && cp[k].direction == NSP_CHANGEPOINT_SLOWER) {
                at_30++;
                break;
            }
        }
    }
    assert_int_equal(at_30, 40);
}

// A speed-up is a change too, faster; for a rate (higher is better) a rise
// is faster.
static void test_direction(void **state) {
    (void)state;
    double x[40];
    stepped(x, 40, 2, 20, 40, 0.85);
    nsp_changepoint_t cp[8];
    assert_int_equal(detect(x, 40, NULL, cp, 8), 1);
    assert_change(&cp[0], 20, NSP_CHANGEPOINT_FASTER, -0.18, -0.12);
    nsp_changepoint_params_t p;
    nsp_changepoint_params_default(&p);
    p.higher_is_better = true;
    int n = 0;
    assert_int_equal(nsp_changepoints(x, 40, NULL, &p, cp, 8, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].direction, NSP_CHANGEPOINT_SLOWER);
}

// 60 nights of pure 2% noise with three outliers at +30% (busy nights): no
// change point.
static void test_noise_with_outliers_is_no_change(void **state) {
    (void)state;
    double x[60];
    series(x, 60, 0.02, 3);
    x[12] *= 1.3;
    x[33] *= 1.3;
    x[47] *= 1.3;
    nsp_changepoint_t cp[12];
    assert_int_equal(detect(x, 60, NULL, cp, 12), 0);
}

// The false-alarm rate over many series is the test's level, 5%: of 400
// noise-only series about 20 show a change (more than 32 has a chance under
// 0.5% if the level holds), and three +30% outliers in each do not raise it.
static void test_false_alarm_rate(void **state) {
    (void)state;
    int alarms = 0, alarms_outliers = 0;
    for (uint64_t seed = 1000; seed < 1400; seed++) {
        double x[60];
        nsp_changepoint_t cp[12];
        series(x, 60, 0.02, seed);
        alarms += detect(x, 60, NULL, cp, 12) > 0;
        nsp_rng_t rng = nsp_rng_derive(seed, 92, 0);
        for (int k = 0; k < 3; k++) {
            x[nsp_rng_bounded(&rng, 60)] *= 1.3;
        }
        alarms_outliers += detect(x, 60, NULL, cp, 12) > 0;
    }
    print_message("false alarms in 400 noise series: %d; with outliers: %d\n", alarms, alarms_outliers);
    assert_in_range(alarms, 0, 32);
    assert_in_range(alarms_outliers, 0, 32);
}

// Two steps (+10% at 30, a further +10% at 60): both found, in order.
static void test_two_steps(void **state) {
    (void)state;
    double x[90];
    stepped(x, 90, 4, 30, 90, 1.10);
    scale(x, 60, 90, 1.10);
    nsp_changepoint_t cp[18];
    assert_int_equal(detect(x, 90, NULL, cp, 18), 2);
    assert_change(&cp[0], 30, NSP_CHANGEPOINT_SLOWER, 0.07, 0.13);
    assert_change(&cp[1], 60, NSP_CHANGEPOINT_SLOWER, 0.07, 0.13);
    // The second change's "before" segment is the middle one.
    assert_near(cp[1].mean_before, cp[0].mean_after, 1e-12);
    assert_int_equal(cp[0].order + cp[1].order, 1);
    // With room for one change only: the first found is kept, ENOSPC said.
    nsp_changepoint_params_t p;
    nsp_changepoint_params_default(&p);
    int n = 0;
    assert_int_equal(nsp_changepoints(x, 90, NULL, &p, cp, 1, &n), NSP_ENOSPC);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].order, 0);
}

// A step up and back down (a regression, then its fix): two changes, slower
// then faster.
static void test_regression_then_fix(void **state) {
    (void)state;
    double x[60];
    stepped(x, 60, 5, 20, 40, 1.15);
    nsp_changepoint_t cp[12];
    assert_int_equal(detect(x, 60, NULL, cp, 12), 2);
    assert_change(&cp[0], 20, NSP_CHANGEPOINT_SLOWER, 0.0, INFINITY);
    assert_change(&cp[1], 40, NSP_CHANGEPOINT_FASTER, -INFINITY, 0.0);
}

// Same input, same output, field for field; another seed may only move the
// p-values.
static void test_deterministic(void **state) {
    (void)state;
    double x[90];
    series(x, 90, 0.03, 6);
    scale(x, 45, 90, 1.06);
    nsp_changepoint_t a[18], b[18];
    int na = detect(x, 90, NULL, a, 18), nb = detect(x, 90, NULL, b, 18);
    assert_in_range(na, 1, 18);
    assert_int_equal(na, nb);
    for (int k = 0; k < na; k++) {
        assert_int_equal(a[k].index, b[k].index);
        assert_double_equal(a[k].q, b[k].q);
        assert_double_equal(a[k].pvalue, b[k].pvalue);
        assert_double_equal(a[k].size, b[k].size);
        assert_int_equal(a[k].order, b[k].order);
    }
}

// Short, flat and invalid series.
static void test_edges(void **state) {
    (void)state;
    nsp_changepoint_params_t p;
    nsp_changepoint_params_default(&p);
    nsp_changepoint_t cp[4];
    int n = -1;
    double x[20];
    for (int i = 0; i < 20; i++) {
        x[i] = i < 5 ? 1.0 : 2.0;
    }
    // 9 points cannot hold two segments of 5.
    assert_int_equal(nsp_changepoints(x, 9, NULL, &p, cp, 4, &n), 0);
    assert_int_equal(n, 0);
    // A constant series has nothing to find.
    for (int i = 0; i < 20; i++) {
        x[i] = 3.0;
    }
    assert_int_equal(nsp_changepoints(x, 20, NULL, &p, cp, 4, &n), 0);
    assert_int_equal(n, 0);
    // The smallest series that can change: 5 and 5, clearly apart.
    for (int i = 0; i < 10; i++) {
        x[i] = i < 5 ? 1.0 + 0.001 * i : 2.0 + 0.001 * i;
    }
    assert_int_equal(nsp_changepoints(x, 10, NULL, &p, cp, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(cp[0].index, 5);
    capture_start();
    x[3] = NAN;
    assert_int_equal(nsp_changepoints(x, 10, NULL, &p, cp, 4, &n), NSP_EINVAL);
    assert_non_null(strstr(captured_log, "value 3 of the series is nan, expected a finite number"));
    x[3] = INFINITY;
    assert_int_equal(nsp_changepoints(x, 10, NULL, &p, cp, 4, &n), NSP_EINVAL);
    x[3] = 1.0;
    p.min_size = 1;
    assert_int_equal(nsp_changepoints(x, 10, NULL, &p, cp, 4, &n), NSP_EINVAL);
    nsp_changepoint_params_default(&p);
    p.pvalue = 0.0;
    assert_int_equal(nsp_changepoints(x, 10, NULL, &p, cp, 4, &n), NSP_EINVAL);
    capture_stop();
    assert_non_null(strstr(captured_log, "parameters out of range (pvalue 0,"));
    assert_string_equal(nsp_changepoint_direction_name(NSP_CHANGEPOINT_SLOWER), "slower");
    assert_string_equal(nsp_changepoint_direction_name(NSP_CHANGEPOINT_FASTER), "faster");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_step_is_found),
        cmocka_unit_test(test_step_is_found_across_seeds),
        cmocka_unit_test(test_direction),
        cmocka_unit_test(test_noise_with_outliers_is_no_change),
        cmocka_unit_test(test_false_alarm_rate),
        cmocka_unit_test(test_two_steps),
        cmocka_unit_test(test_regression_then_fix),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
