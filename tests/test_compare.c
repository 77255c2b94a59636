// The gate's statistical decision on synthetic samples: noise alone passes,
// a real shift fails, too much noise is inconclusive, and the answer is the
// same every time for the same samples.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/prng.h"
#include "gate/compare.h"

#include "assert_double.h"

// n samples around centre with relative Gaussian noise sd_rel.
static void noisy(double *x, size_t n, double centre, double sd_rel, uint64_t seed) {
    nsp_rng_t rng = nsp_rng_derive(seed, 77, 0);
    for (size_t i = 0; i < n; i++) {
        x[i] = centre * (1.0 + nsp_rng_normal(&rng, 0.0, sd_rel));
    }
}

static nsp_comparison_t run(const double *b, size_t nb, const double *c, size_t nc) {
    nsp_compare_params_t p;
    nsp_compare_params_default(&p);
    nsp_comparison_t out;
    assert_int_equal(nsp_compare(b, nb, c, nc, &p, &out), 0);
    return out;
}

// 200 independent trials of baseline vs unchanged build, 2% noise: no
// regression may be declared in any of them.
static void test_noise_alone_never_fails(void **state) {
    (void)state;
    double b[10], c[5];
    int regressions = 0, passes = 0;
    for (uint64_t trial = 0; trial < 200; trial++) {
        noisy(b, 10, 2.0, 0.02, 1000 + trial);
        noisy(c, 5, 2.0, 0.02, 5000 + trial);
        nsp_comparison_t r = run(b, 10, c, 5);
        regressions += r.verdict == NSP_CHANGE_REGRESSION;
        passes += r.verdict == NSP_CHANGE_PASS;
    }
    assert_int_equal(regressions, 0);
    assert_in_range(passes, 190, 200);
}

static void test_real_shift_is_a_regression(void **state) {
    (void)state;
    double b[10], c[5];
    noisy(b, 10, 2.0, 0.01, 1);
    noisy(c, 5, 2.4, 0.01, 2);  // 20% slower, 1% noise.
    nsp_comparison_t r = run(b, 10, c, 5);
    assert_int_equal(r.verdict, NSP_CHANGE_REGRESSION);
    assert_double_in_range(r.change, 0.15, 0.25);
    assert_double_less(r.threshold, r.ci_lo);
    // Threshold: 4 x ~1% noise is below the 5% floor.
    assert_near(r.threshold, 0.05, 1e-12);
}

static void test_speedup_is_an_improvement(void **state) {
    (void)state;
    double b[10], c[5];
    noisy(b, 10, 2.0, 0.01, 3);
    noisy(c, 5, 1.5, 0.01, 4);
    assert_int_equal(run(b, 10, c, 5).verdict, NSP_CHANGE_IMPROVEMENT);
}

static void test_too_noisy_is_inconclusive(void **state) {
    (void)state;
    double b[10], c[5];
    noisy(b, 10, 2.0, 0.01, 5);
    // The current run is 10x noisier (a busy machine) and looks slower.
    noisy(c, 5, 2.3, 0.15, 6);
    nsp_comparison_t r = run(b, 10, c, 5);
    assert_int_equal(r.verdict, NSP_CHANGE_INCONCLUSIVE);
    assert_double_less(3.0 * r.baseline_noise, r.current_noise);
}

// Baseline noise widens the threshold: with 5% noise it is 4 x 5% = 20%,
// so a 12% shift is not called a regression.
static void test_threshold_scales_with_baseline_noise(void **state) {
    (void)state;
    double b[10] = {1.00, 1.05, 0.95, 1.02, 0.98, 1.06, 0.94, 1.01, 0.99, 1.00};
    double c[5] = {1.12, 1.12, 1.12, 1.12, 1.12};
    nsp_comparison_t r = run(b, 10, c, 5);
    // MAD of b around its median 1.00: deviations sorted
    // 0,0,.01,.01,.02,.02,.05,.05,.06,.06 -> MAD 0.02; noise 1.4826 * 0.02.
    assert_near(r.baseline_noise, 1.4826 * 0.02, 1e-9);
    assert_near(r.threshold, 4 * 1.4826 * 0.02, 1e-9);
    assert_near(r.change, 0.12, 1e-9);
    assert_int_not_equal(r.verdict, NSP_CHANGE_REGRESSION);
}

static void test_deterministic(void **state) {
    (void)state;
    double b[8], c[6];
    noisy(b, 8, 3.0, 0.03, 9);
    noisy(c, 6, 3.2, 0.03, 10);
    nsp_comparison_t r1 = run(b, 8, c, 6), r2 = run(b, 8, c, 6);
    assert_double_equal(r1.ci_lo, r2.ci_lo);
    assert_double_equal(r1.ci_hi, r2.ci_hi);
    assert_int_equal(r1.verdict, r2.verdict);
}

static void test_bad_input(void **state) {
    (void)state;
    double b[3] = {1, 2, 3}, c[3] = {1, NAN, 3}, z[3] = {0, 0, 0};
    nsp_compare_params_t p;
    nsp_compare_params_default(&p);
    nsp_comparison_t out;
    assert_int_equal(nsp_compare(b, 2, b, 3, &p, &out), NSP_EINVAL);
    assert_int_equal(nsp_compare(b, 3, c, 3, &p, &out), NSP_EINVAL);
    assert_int_equal(nsp_compare(z, 3, b, 3, &p, &out), NSP_EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_noise_alone_never_fails),
        cmocka_unit_test(test_real_shift_is_a_regression),
        cmocka_unit_test(test_speedup_is_an_improvement),
        cmocka_unit_test(test_too_noisy_is_inconclusive),
        cmocka_unit_test(test_threshold_scales_with_baseline_noise),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
