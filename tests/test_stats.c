// Tests for core/stats: sorting, numpy-linear percentiles, mean, counts above
// a threshold, MAD, the order-statistic median interval and summarize. Every
// expected value is worked out by hand in the comment next to it.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/stats.h"
#include "assert_double.h"
#include "log_capture.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void test_sort_orders_ascending_with_duplicates(void **state) {
    (void)state;
    double x[] = {3.0, -1.5, 2.0, 3.0, 0.0, -7.25, 2.0, 10.0};
    const double want[] = {-7.25, -1.5, 0.0, 2.0, 2.0, 3.0, 3.0, 10.0};
    nsp_stats_sort(x, ARRAY_LEN(x));
    for (size_t i = 0; i < ARRAY_LEN(x); i++) {
        assert_double_equal(x[i], want[i]);
    }
}

static void test_sort_empty_and_single_are_untouched(void **state) {
    (void)state;
    // An empty array may be NULL; sorting it must not touch it.
    nsp_stats_sort(NULL, 0);
    double one[] = {4.5};
    nsp_stats_sort(one, 1);
    assert_double_equal(one[0], 4.5);
}

static void test_percentile_four_samples(void **state) {
    (void)state;
    const double x[] = {1.0, 2.0, 3.0, 4.0};
    // p95: h = 3 * 0.95 = 2.85, x[2] + 0.85 * (x[3] - x[2]) = 3 + 0.85 = 3.85.
    assert_near(nsp_stats_percentile_sorted(x, 4, 95.0), 3.85, 1e-12);
    // p50: h = 1.5, 2 + 0.5 * 1 = 2.5 (the even-n median).
    assert_near(nsp_stats_percentile_sorted(x, 4, 50.0), 2.5, 1e-12);
    // p25: h = 0.75, 1 + 0.75 = 1.75.
    assert_near(nsp_stats_percentile_sorted(x, 4, 25.0), 1.75, 1e-12);
    // p0 and p100 are the extremes exactly: h = 0 and h = 3.
    assert_double_equal(nsp_stats_percentile_sorted(x, 4, 0.0), 1.0);
    assert_double_equal(nsp_stats_percentile_sorted(x, 4, 100.0), 4.0);
}

static void test_percentile_odd_median_is_middle_sample(void **state) {
    (void)state;
    const double x[] = {1.0, 2.0, 7.0, 8.0, 100.0};
    // h = 4 * 0.5 = 2 exactly: x[2] = 7, no interpolation.
    assert_double_equal(nsp_stats_percentile_sorted(x, 5, 50.0), 7.0);
    // p90: h = 3.6, 8 + 0.6 * (100 - 8) = 63.2.
    assert_near(nsp_stats_percentile_sorted(x, 5, 90.0), 63.2, 1e-12);
}

static void test_percentile_uneven_gaps(void **state) {
    (void)state;
    const double x[] = {10.0, 11.0, 20.0, 40.0, 80.0, 160.0};
    // Even median: h = 5 * 0.5 = 2.5, 20 + 0.5 * 20 = 30.
    assert_near(nsp_stats_percentile_sorted(x, 6, 50.0), 30.0, 1e-12);
    // p95: h = 4.75, 80 + 0.75 * 80 = 140.
    assert_near(nsp_stats_percentile_sorted(x, 6, 95.0), 140.0, 1e-12);
}

static void test_percentile_single_sample(void **state) {
    (void)state;
    const double x[] = {42.5};
    // n = 1: h = 0 for every p, so every percentile is the sample.
    assert_double_equal(nsp_stats_percentile_sorted(x, 1, 0.0), 42.5);
    assert_double_equal(nsp_stats_percentile_sorted(x, 1, 50.0), 42.5);
    assert_double_equal(nsp_stats_percentile_sorted(x, 1, 95.0), 42.5);
    assert_double_equal(nsp_stats_percentile_sorted(x, 1, 100.0), 42.5);
}

static void test_percentile_infinite_neighbour_on_exact_index(void **state) {
    (void)state;
    const double x[] = {1.0, 2.0, INFINITY};
    // h = 2 * 0.5 = 1 lands on x[1]; the infinite x[2] must not turn it NaN.
    assert_double_equal(nsp_stats_percentile_sorted(x, 3, 50.0), 2.0);
}

// The median leaves x as it was, sorts a copy into scratch, and sorts in
// place when scratch is x.
static void test_median(void **state) {
    (void)state;
    const double x[] = {9.0, 1.0, 4.0, 2.0};
    double scratch[4];
    // Sorted 1, 2, 4, 9: h = 1.5, 2 + 0.5 * (4 - 2) = 3.
    assert_double_equal(nsp_stats_median(x, 4, scratch), 3.0);
    assert_double_equal(x[0], 9.0);
    assert_double_equal(scratch[0], 1.0);
    assert_double_equal(scratch[3], 9.0);
    double y[] = {5.0, -1.0, 3.0};
    assert_double_equal(nsp_stats_median(y, 3, y), 3.0);
    assert_double_equal(y[0], -1.0);
    assert_double_equal(y[2], 5.0);
}

static void test_mean(void **state) {
    (void)state;
    const double a[] = {1.0, 2.0, 3.0, 4.0};
    // 10 / 4.
    assert_near(nsp_stats_mean(a, 4), 2.5, 1e-12);
    const double b[] = {-3.0, 1.0, 8.0};
    // 6 / 3.
    assert_near(nsp_stats_mean(b, 3), 2.0, 1e-12);
    const double c[] = {16.7};
    assert_double_equal(nsp_stats_mean(c, 1), 16.7);
}

static void test_count_above_is_strict(void **state) {
    (void)state;
    const double x[] = {16.0, 33.4, 33.3, 16.7, 33.4, 50.0};
    // Strictly above 33.4: only 50 (the two 33.4 ties are not counted).
    assert_int_equal(nsp_stats_count_above(x, 6, 33.4), 1);
    // Above 33.3: 33.4, 33.4, 50.
    assert_int_equal(nsp_stats_count_above(x, 6, 33.3), 3);
    // Above everything and below everything.
    assert_int_equal(nsp_stats_count_above(x, 6, 50.0), 0);
    assert_int_equal(nsp_stats_count_above(x, 6, 0.0), 6);
    // No samples, nothing above.
    assert_int_equal(nsp_stats_count_above(NULL, 0, 0.0), 0);
}

static void test_mad_odd(void **state) {
    (void)state;
    const double x[] = {1.0, 1.0, 2.0, 2.0, 4.0, 6.0, 9.0};
    double scratch[7];
    // Median 2; |x - 2| = 1,1,0,0,2,4,7, sorted 0,0,1,1,2,4,7, median 1.
    assert_near(nsp_stats_mad_sorted(x, 7, scratch), 1.0, 1e-12);
}

static void test_mad_even(void **state) {
    (void)state;
    const double x[] = {1.0, 2.0, 3.0, 4.0, 10.0, 20.0};
    double scratch[6];
    // Median (3 + 4) / 2 = 3.5; |x - 3.5| = 2.5,1.5,0.5,0.5,6.5,16.5, sorted
    // 0.5,0.5,1.5,2.5,6.5,16.5, median (1.5 + 2.5) / 2 = 2.
    assert_near(nsp_stats_mad_sorted(x, 6, scratch), 2.0, 1e-12);
}

static void test_mad_constant_and_single(void **state) {
    (void)state;
    const double x[] = {5.0, 5.0, 5.0};
    double scratch[3];
    assert_double_equal(nsp_stats_mad_sorted(x, 3, scratch), 0.0);
    assert_double_equal(nsp_stats_mad_sorted(x, 1, scratch), 0.0);
}

// x[i] = i, so the interval's ends read back as the indices taken.
static double g_ramp[100000];

static int fill_ramp(void **state) {
    (void)state;
    for (size_t i = 0; i < ARRAY_LEN(g_ramp); i++) {
        g_ramp[i] = (double)i;
    }
    return 0;
}

static void check_ci(size_t n, double want_lo, double want_hi) {
    double lo = -1.0, hi = -1.0;
    nsp_stats_median_ci_sorted(g_ramp, n, &lo, &hi);
    if (lo != want_lo || hi != want_hi) {
        print_error("n = %zu: interval [%g, %g], expected [%g, %g]\n", n, lo, hi, want_lo, want_hi);
    }
    assert_double_equal(lo, want_lo);
    assert_double_equal(hi, want_hi);
}

// With B ~ Binomial(n, 1/2) and c the largest count with P(B <= c - 1) <=
// 0.025, the interval is sorted[c - 1]..sorted[n - c] (0-based). The tails
// below were summed exactly (as integers over 2^n).
static void test_median_ci_small_n_is_full_range(void **state) {
    (void)state;
    // n = 5: P(B = 0) = 1/32 = 0.031 > 0.025, so no c >= 1 exists.
    check_ci(5, 0.0, 4.0);
    // n = 1: the only sample is both ends.
    check_ci(1, 0.0, 0.0);
    // n = 6: P(B = 0) = 1/64 = 0.016, P(B <= 1) = 7/64 = 0.11, c = 1: the
    // extremes again, now with coverage 1 - 2/64 = 96.9%.
    check_ci(6, 0.0, 5.0);
    // n = 8: P(B <= 1) = 9/256 = 0.035 > 0.025, c = 1 still.
    check_ci(8, 0.0, 7.0);
}

static void test_median_ci_n9_first_inner_interval(void **state) {
    (void)state;
    // n = 9: P(B <= 1) = 10/512 = 0.0195, P(B <= 2) = 46/512 = 0.090, c = 2:
    // sorted[1]..sorted[7], coverage 1 - 20/512 = 96.1%.
    check_ci(9, 1.0, 7.0);
}

static void test_median_ci_n10(void **state) {
    (void)state;
    // n = 10: P(B <= 1) = 11/1024 = 0.0107, P(B <= 2) = 56/1024 = 0.0547,
    // c = 2: the classic sorted[1]..sorted[8], coverage 1 - 22/1024 = 97.9%.
    check_ci(10, 1.0, 8.0);
}

static void test_median_ci_n100(void **state) {
    (void)state;
    // n = 100: P(B <= 39) = 0.01760, P(B <= 40) = 0.02844 > 0.025, c = 40:
    // sorted[39]..sorted[60], coverage 1 - 2 * 0.01760 = 96.5%. The interval
    // is symmetric: 39 below and 100 - 1 - 60 = 39 above.
    check_ci(100, 39.0, 60.0);
    // n = 101: P(B <= 40) = 0.02302, P(B <= 41) = 0.03638, c = 41:
    // sorted[40]..sorted[60], around the median sorted[50].
    check_ci(101, 40.0, 60.0);
}

static void test_median_ci_large_n(void **state) {
    (void)state;
    // n = 1000: P(B <= 468) = 0.02315, P(B <= 469) = 0.02684, c = 469.
    check_ci(1000, 468.0, 531.0);
    // n = 100000: P(B <= 49689) = 0.024778, P(B <= 49690) = 0.025147, c =
    // 49690. The sum here starts far from k = 0, so this checks that start.
    check_ci(100000, 49689.0, 50310.0);
}

static void test_summarize_fills_every_field(void **state) {
    (void)state;
    // Unsorted on purpose; sorted it is 1,1,2,2,4,6,9.
    const double x[] = {4.0, 1.0, 9.0, 2.0, 6.0, 1.0, 2.0};
    const double copy[] = {4.0, 1.0, 9.0, 2.0, 6.0, 1.0, 2.0};
    double scratch[14];
    nsp_summary_t s;
    assert_int_equal(nsp_stats_summarize(x, 7, scratch, &s), 0);
    assert_int_equal(s.count, 7);
    // Sum 25, mean 25/7.
    assert_near(s.mean, 25.0 / 7.0, 1e-12);
    assert_near(s.median, 2.0, 1e-12);
    // p95: h = 6 * 0.95 = 5.7, 6 + 0.7 * 3 = 8.1.
    assert_near(s.p95, 8.1, 1e-12);
    assert_double_equal(s.min, 1.0);
    assert_double_equal(s.max, 9.0);
    // As in test_mad_odd.
    assert_near(s.mad, 1.0, 1e-12);
    // n = 7 < 9: the full range.
    assert_double_equal(s.median_lo, 1.0);
    assert_double_equal(s.median_hi, 9.0);
    // The input is left as it was.
    assert_memory_equal(x, copy, sizeof x);
}

static void test_summarize_inner_interval(void **state) {
    (void)state;
    // 10 samples, reversed so sorting matters: sorted 10, 20, ..., 100.
    const double x[] = {100.0, 90.0, 80.0, 70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0};
    double scratch[20];
    nsp_summary_t s;
    assert_int_equal(nsp_stats_summarize(x, 10, scratch, &s), 0);
    // Median (50 + 60) / 2 = 55; interval sorted[1]..sorted[8] = 20..90.
    assert_near(s.median, 55.0, 1e-12);
    assert_double_equal(s.median_lo, 20.0);
    assert_double_equal(s.median_hi, 90.0);
    // |x - 55| = 5,5,15,15,...,45,45; median (25 + 25) / 2 = 25.
    assert_near(s.mad, 25.0, 1e-12);
    // p95: h = 8.55, 90 + 0.55 * 10 = 95.5.
    assert_near(s.p95, 95.5, 1e-12);
}

static void test_summarize_rejects_nan(void **state) {
    (void)state;
    capture_start();
    const double x[] = {1.0, 2.0, NAN, 4.0};
    double scratch[8];
    nsp_summary_t s;
    memset(&s, 0xAB, sizeof s);
    nsp_summary_t before = s;
    assert_int_equal(nsp_stats_summarize(x, 4, scratch, &s), NSP_EINVAL);
    // out is not written on error.
    assert_memory_equal(&s, &before, sizeof s);
    assert_int_equal(captured_count, 1);
    assert_only_errors_logged();
    // The message names the bad sample by index and what it is.
    assert_non_null(strstr(captured_log, "sample 2"));
    assert_non_null(strstr(captured_log, "NaN"));
}

static void test_summarize_rejects_empty(void **state) {
    (void)state;
    capture_start();
    double scratch[2];
    nsp_summary_t s;
    assert_int_equal(nsp_stats_summarize(NULL, 0, scratch, &s), NSP_EINVAL);
    assert_int_equal(captured_count, 1);
    assert_only_errors_logged();
    assert_non_null(strstr(captured_log, "no samples"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_orders_ascending_with_duplicates),
        cmocka_unit_test(test_sort_empty_and_single_are_untouched),
        cmocka_unit_test(test_percentile_four_samples),
        cmocka_unit_test(test_percentile_odd_median_is_middle_sample),
        cmocka_unit_test(test_percentile_uneven_gaps),
        cmocka_unit_test(test_percentile_single_sample),
        cmocka_unit_test(test_percentile_infinite_neighbour_on_exact_index),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_count_above_is_strict),
        cmocka_unit_test(test_mad_odd),
        cmocka_unit_test(test_mad_even),
        cmocka_unit_test(test_mad_constant_and_single),
        cmocka_unit_test(test_median_ci_small_n_is_full_range),
        cmocka_unit_test(test_median_ci_n9_first_inner_interval),
        cmocka_unit_test(test_median_ci_n10),
        cmocka_unit_test(test_median_ci_n100),
        cmocka_unit_test(test_median_ci_large_n),
        cmocka_unit_test(test_summarize_fills_every_field),
        cmocka_unit_test(test_summarize_inner_interval),
        cmocka_unit_test_teardown(test_summarize_rejects_nan, capture_teardown),
        cmocka_unit_test_teardown(test_summarize_rejects_empty, capture_teardown),
    };
    return cmocka_run_group_tests(tests, fill_ramp, NULL);
}
