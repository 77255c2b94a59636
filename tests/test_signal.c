// Tests for the Butterworth design and zero-phase filtering.
//
// Reference numbers come from scipy 1.10.1 (signal.butter, signal.filtfilt
// with default arguments), printed with repr(), i.e. to full double precision.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/signal.h"
#include "assert_double.h"
#include "log_capture.h"

#define PI 3.14159265358979323846

static nsp_iir_t design(int order, double wn) {
    nsp_iir_t f;
    assert_int_equal(nsp_butter_lowpass(order, wn, &f), NSP_OK);
    return f;
}

// Runs nsp_filtfilt with scratch of exactly the advertised size, from
// test_malloc, so cmocka's guard bytes catch any write past it.
static void run_filtfilt(const nsp_iir_t *f, const double *x, double *y, size_t n) {
    size_t need = nsp_filtfilt_scratch(f, n);
    double *scratch = test_malloc(need * sizeof *scratch);
    assert_int_equal(nsp_filtfilt(f, x, y, n, scratch), NSP_OK);
    test_free(scratch);
}

static void test_butter3_matches_scipy(void **state) {
    (void)state;
    nsp_iir_t f = design(3, 0.1);
    assert_int_equal(f.order, 3);
    // The published 8-digit values...
    const double b8[4] = {0.00289819, 0.00869458, 0.00869458, 0.00289819};
    const double a8[4] = {1.0, -2.37409474, 1.92935567, -0.53207537};
    // ...and scipy's full-precision ones.
    const double b[4] = {0.0028981946337214297, 0.00869458390116429, 0.00869458390116429,
                         0.0028981946337214297};
    const double a[4] = {1.0, -2.374094743709352, 1.929355669091215, -0.5320753683120918};
    for (int i = 0; i < 4; i++) {
        assert_near(f.b[i], b8[i], 1e-8);
        assert_near(f.a[i], a8[i], 1e-8);
        assert_near(f.b[i], b[i], 1e-15);
        assert_near(f.a[i], a[i], 1e-14);
    }
}

static void test_butter1_half_nyquist(void **state) {
    (void)state;
    nsp_iir_t f = design(1, 0.5);
    assert_int_equal(f.order, 1);
    assert_near(f.b[0], 0.5, 1e-15);
    assert_near(f.b[1], 0.5, 1e-15);
    assert_near(f.a[0], 1.0, 0.0);
    assert_near(f.a[1], 0.0, 1e-15);
    // Unused slots stay zero so the struct compares and hashes predictably.
    assert_near(f.b[2], 0.0, 0.0);
    assert_near(f.a[3], 0.0, 0.0);
}

static void test_butter2_matches_scipy(void **state) {
    (void)state;
    nsp_iir_t f = design(2, 0.5);
    const double b[3] = {0.2928932188134525, 0.585786437626905, 0.2928932188134525};
    const double a[3] = {1.0, 0.0, 0.1715728752538099};
    for (int i = 0; i < 3; i++) {
        assert_near(f.b[i], b[i], 1e-15);
        assert_near(f.a[i], a[i], 1e-15);
    }
    f = design(2, 0.25);
    const double b2[3] = {0.09763107293781749, 0.19526214587563498, 0.09763107293781749};
    const double a2[3] = {1.0, -0.9428090415820632, 0.3333333333333332};
    for (int i = 0; i < 3; i++) {
        assert_near(f.b[i], b2[i], 1e-15);
        assert_near(f.a[i], a2[i], 1e-15);
    }
}

static void test_dc_gain_is_one(void **state) {
    (void)state;
    // Below wn ~ 0.01 sum(a) = prod(1 - pole) cancels catastrophically (scipy
    // loses 1e-8 at butter(3, 0.001)), so the check stays where it means something.
    const double wns[] = {0.05, 0.1, 0.3, 0.5, 0.8, 0.99};
    for (int order = 1; order <= NSP_BUTTER_MAX_ORDER; order++) {
        for (size_t w = 0; w < sizeof wns / sizeof wns[0]; w++) {
            nsp_iir_t f = design(order, wns[w]);
            double sum_b = 0.0;
            double sum_a = 0.0;
            for (int i = 0; i <= order; i++) {
                sum_b += f.b[i];
                sum_a += f.a[i];
            }
            // Exact in real arithmetic; rounding leaves a few ulps.
            assert_near(sum_b / sum_a, 1.0, 1e-13);
        }
    }
}

static void test_half_power_at_cutoff(void **state) {
    (void)state;
    // |H(e^{i pi wn})|^2 = 1/2 for every Butterworth order: checks prewarping.
    const double wn = 0.3;
    for (int order = 1; order <= NSP_BUTTER_MAX_ORDER; order++) {
        nsp_iir_t f = design(order, wn);
        double num_re = 0.0, num_im = 0.0, den_re = 0.0, den_im = 0.0;
        for (int k = 0; k <= order; k++) {
            double phase = -PI * wn * k;
            num_re += f.b[k] * cos(phase);
            num_im += f.b[k] * sin(phase);
            den_re += f.a[k] * cos(phase);
            den_im += f.a[k] * sin(phase);
        }
        double power = (num_re * num_re + num_im * num_im) / (den_re * den_re + den_im * den_im);
        assert_near(power, 0.5, 1e-12);
    }
}

static void test_filtfilt_scratch_size(void **state) {
    (void)state;
    nsp_iir_t f1 = design(1, 0.2);
    nsp_iir_t f3 = design(3, 0.2);
    assert_int_equal(nsp_filtfilt_scratch(&f1, 100), 100 + 2 * 6);
    assert_int_equal(nsp_filtfilt_scratch(&f3, 100), 100 + 2 * 12);
}

static void test_filtfilt_impulse_matches_scipy(void **state) {
    (void)state;
    // scipy: b, a = butter(2, 0.25); x = zeros(20); x[10] = 1; filtfilt(b, a, x)
    const double want[20] = {
        0.0007863882471369574, -0.00037250892485881596, -0.003412779088691589,
        -0.00853527017064543,  -0.013903052401615813,   -0.013717960017561537,
        0.0029089069949926744, 0.04938151150068584,     0.13094528560452778,
        0.22222466315942568,   0.2643058874630899,      0.22223794503490088,
        0.13096572747377133,   0.04939219323990854,     0.002876628229956022,
        -0.013839972057884906, -0.014149674538558529,   -0.008865680836294075,
        -0.0036069603732283998, 6.959330403159803e-05,
    };
    nsp_iir_t f = design(2, 0.25);
    double x[20] = {0};
    double y[20];
    x[10] = 1.0;
    run_filtfilt(&f, x, y, 20);
    assert_all_near(y, want, 20, 1e-14);
}

// x[i] = i * i.
static void squares(double *x, int n) {
    for (int i = 0; i < n; i++) {
        x[i] = (double)(i * i);
    }
}

static void test_filtfilt_squares_match_scipy(void **state) {
    (void)state;
    // scipy: b, a = butter(3, 0.1); filtfilt(b, a, arange(20.0) ** 2).
    // n = 20 is just above padlen = 12, so both edge treatments matter here.
    const double want[20] = {
        -0.9074628382104254, 3.9933412872746454, 8.919056234382422,  14.316020096954636,
        20.63522205108847,   28.30983047086545,  37.737271917385875, 49.26549800888562,
        63.18239963967624,   79.7070414030306,   98.9814457326632,   121.06199691814538,
        145.910090715465,    173.38234774442603, 203.2214512766984,  235.049366212704,
        268.365240770034,    302.5505724542952,  336.88411689151366, 370.56841346944753,
    };
    nsp_iir_t f = design(3, 0.1);
    double x[20];
    double y[20];
    squares(x, 20);
    run_filtfilt(&f, x, y, 20);
    for (int i = 0; i < 20; i++) {
        assert_near(y[i], want[i], 1e-11 * fmax(1.0, fabs(want[i])));
    }
}

static void test_filtfilt_in_place(void **state) {
    (void)state;
    nsp_iir_t f = design(3, 0.1);
    double x[20];
    double y[20];
    squares(x, 20);
    run_filtfilt(&f, x, y, 20);
    run_filtfilt(&f, x, x, 20);
    assert_all_near(x, y, 20, 0.0);
}

// Filters the line x[i] = offset + slope * i, n <= 256 samples, at every
// order with cutoff wn: y matches x within tol_inner away from the edge
// samples at each end, and within tol_all everywhere.
static void check_line_passes(double offset, double slope, double wn, int n, int edge, double tol_inner,
                              double tol_all) {
    double x[256], y[256];
    assert_in_range(n, 1, 256);
    for (int i = 0; i < n; i++) {
        x[i] = offset + slope * i;
    }
    for (int order = 1; order <= NSP_BUTTER_MAX_ORDER; order++) {
        nsp_iir_t f = design(order, wn);
        run_filtfilt(&f, x, y, (size_t)n);
        assert_all_near(y + edge, x + edge, (size_t)(n - 2 * edge), tol_inner);
        assert_all_near(y, x, (size_t)n, tol_all);
    }
}

static void test_filtfilt_constant(void **state) {
    (void)state;
    check_line_passes(-3.75, 0.0, 0.1, 64, 0, 1e-12, 1e-12);
}

static void test_filtfilt_ramp(void **state) {
    (void)state;
    // A zero-phase filter with unit DC gain passes a ramp unchanged; only the
    // start-up transients at the edges differ. Measured interior error at
    // wn = 0.2, n = 200, samples 50..149: under 1e-8 for orders 1..3. Near
    // the edges the odd extension keeps the ramp within 0.05.
    check_line_passes(3.0, 0.5, 0.2, 200, 50, 1e-7, 0.05);
}

static void test_filtfilt_zero_phase(void **state) {
    (void)state;
    // A symmetric triangle centred on sample 100 of 201 stays symmetric and
    // centred: the forward pass's delay is undone by the backward pass.
    enum { N = 201, CENTRE = 100 };
    double x[N];
    double y[N];
    for (int i = 0; i < N; i++) {
        double d = fabs((double)(i - CENTRE));
        x[i] = d <= 5.0 ? 1.0 - d / 6.0 : 0.0;
    }
    for (int order = 1; order <= NSP_BUTTER_MAX_ORDER; order++) {
        nsp_iir_t f = design(order, 0.2);
        run_filtfilt(&f, x, y, N);
        double moment = 0.0;
        double mass = 0.0;
        int peak = 0;
        for (int i = 0; i < N; i++) {
            assert_near(y[i], y[N - 1 - i], 1e-12);
            moment += y[i] * i;
            mass += y[i];
            if (y[i] > y[peak]) {
                peak = i;
            }
        }
        assert_int_equal(peak, CENTRE);
        assert_near(moment / mass, CENTRE, 1e-9);
        // Smoothing lowers the peak but keeps the area, 1 + 2 * 15 / 6 = 6.
        assert_double_less(y[CENTRE], x[CENTRE] - 0.01);
        assert_near(mass, 6.0, 1e-9);
    }
}

static void test_filtfilt_frequency_response(void **state) {
    (void)state;
    // With wn = 0.2, a 0.01-Nyquist sine passes within 1% and a 0.9-Nyquist
    // sine loses more than 40 dB (max |y| < 0.01), away from the edges.
    enum { N = 1000, EDGE = 100 };
    static double x[N];
    static double y[N];
    for (int order = 1; order <= NSP_BUTTER_MAX_ORDER; order++) {
        nsp_iir_t f = design(order, 0.2);
        for (int i = 0; i < N; i++) {
            x[i] = sin(PI * 0.01 * i);
        }
        run_filtfilt(&f, x, y, N);
        assert_all_near(y + EDGE, x + EDGE, N - 2 * EDGE, 0.01);
        for (int i = 0; i < N; i++) {
            x[i] = sin(PI * 0.9 * i);
        }
        run_filtfilt(&f, x, y, N);
        assert_all_near_value(y + EDGE, 0.0, N - 2 * EDGE, 0.01);
    }
}

// nsp_butter_lowpass(order, wn) is refused with one message containing
// both word and range.
static void expect_butter_refused(int order, double wn, const char *word, const char *range) {
    nsp_iir_t f;
    int before = captured_count;
    captured_log[0] = '\0';
    assert_int_equal(nsp_butter_lowpass(order, wn, &f), NSP_EINVAL);
    assert_int_equal(captured_count, before + 1);
    assert_non_null(strstr(captured_log, word));
    assert_non_null(strstr(captured_log, range));
}

static void test_butter_rejects_bad_order(void **state) {
    (void)state;
    const int bad[] = {0, -1, 4, 100};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_butter_refused(bad[i], 0.1, "order", "1..3");
    }
    assert_int_equal(captured_count, 4);
    assert_only_errors_logged();
}

static void test_butter_rejects_bad_wn(void **state) {
    (void)state;
    const double bad[] = {0.0, 1.0, -0.1, 1.5, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_butter_refused(2, bad[i], "wn", "0 < wn < 1");
    }
    assert_int_equal(captured_count, 6);
    assert_only_errors_logged();
}

static void test_filtfilt_rejects_short_signal(void **state) {
    (void)state;
    nsp_iir_t f = design(3, 0.1);
    double x[13] = {0};
    double y[13];
    double scratch[13 + 24];
    // padlen = 12 for order 3: n = 12 is too short, n = 13 is the minimum.
    assert_int_equal(nsp_filtfilt(&f, x, y, 12, scratch), NSP_EINVAL);
    assert_non_null(strstr(captured_log, "n 12"));
    assert_non_null(strstr(captured_log, "n > 12"));
    assert_int_equal(nsp_filtfilt(&f, x, y, 0, scratch), NSP_EINVAL);
    assert_int_equal(captured_count, 2);
    assert_int_equal(nsp_filtfilt(&f, x, y, 13, scratch), NSP_OK);
    assert_int_equal(captured_count, 2);
    assert_only_errors_logged();
}

static void test_filtfilt_rejects_bad_filter_order(void **state) {
    (void)state;
    nsp_iir_t f = design(2, 0.1);
    f.order = 7;
    double x[64] = {0};
    double y[64];
    double scratch[64 + 48];
    assert_int_equal(nsp_filtfilt(&f, x, y, 64, scratch), NSP_EINVAL);
    assert_non_null(strstr(captured_log, "order 7"));
    assert_int_equal(captured_count, 1);
    assert_only_errors_logged();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_butter3_matches_scipy),
        cmocka_unit_test(test_butter1_half_nyquist),
        cmocka_unit_test(test_butter2_matches_scipy),
        cmocka_unit_test(test_dc_gain_is_one),
        cmocka_unit_test(test_half_power_at_cutoff),
        cmocka_unit_test(test_filtfilt_scratch_size),
        cmocka_unit_test(test_filtfilt_impulse_matches_scipy),
        cmocka_unit_test(test_filtfilt_squares_match_scipy),
        cmocka_unit_test(test_filtfilt_in_place),
        cmocka_unit_test(test_filtfilt_constant),
        cmocka_unit_test(test_filtfilt_ramp),
        cmocka_unit_test(test_filtfilt_zero_phase),
        cmocka_unit_test(test_filtfilt_frequency_response),
        cmocka_unit_test_setup_teardown(test_butter_rejects_bad_order, capture_setup, capture_teardown),
        cmocka_unit_test_setup_teardown(test_butter_rejects_bad_wn, capture_setup, capture_teardown),
        cmocka_unit_test_setup_teardown(test_filtfilt_rejects_short_signal, capture_setup,
                                        capture_teardown),
        cmocka_unit_test_setup_teardown(test_filtfilt_rejects_bad_filter_order, capture_setup,
                                        capture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
