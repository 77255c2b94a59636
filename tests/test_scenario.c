// Scenario generation (requirements §R1): defaults, validation messages, determinism,
// and the properties each generated array must have.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/digest.h"
#include "core/scenario.h"
#include "assert_double.h"
#include "log_capture.h"

static nsp_scenario_desc_t all_overlays(void) {
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    d.overlays = NSP_OVERLAY_ALL;
    return d;
}

// The default scenario with every overlay, generated into sc.
static void init_all_overlays(nsp_scenario_t *sc) {
    nsp_scenario_desc_t d = all_overlays();
    assert_int_equal(nsp_scenario_init(sc, &d), 0);
}

static void test_defaults(void **state) {
    (void)state;
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    assert_int_equal(d.frames, 500);
    assert_int_equal(d.playback_frames, 100);
    assert_int_equal(d.grid_size, 50);
    assert_int_equal(d.seed, 42);
    assert_double_equal(d.sample_rate_hz, 30.0);
    assert_int_equal(d.overlays, NSP_OVERLAY_POSITION);
    assert_int_equal(d.bodyparts, 5);
    assert_int_equal(d.trail_frames, 15);
}

// d must be refused, with a message containing needle.
static void expect_invalid(nsp_scenario_desc_t *d, const char *needle) {
    capture_start();
    assert_int_equal(nsp_scenario_validate(d), NSP_EINVAL);
    capture_stop();
    if (!strstr(captured_log, needle)) {
        fail_msg("wanted '%s' in: %s", needle, captured_log);
    }
}

// The defaults with field set to value must be refused, the message saying needle.
#define EXPECT_INVALID(field, value, needle)                                                                          \
    do {                                                                                                               \
        nsp_scenario_desc_t bad_;                                                                                      \
        nsp_scenario_desc_default(&bad_);                                                                              \
        bad_.field = (value);                                                                                          \
        expect_invalid(&bad_, (needle));                                                                               \
    } while (0)

// Each bad value is refused with a message naming the parameter and range.
static void test_validation_messages(void **state) {
    (void)state;
    EXPECT_INVALID(frames, 0, "frames must be in 1..10000000, got 0");
    EXPECT_INVALID(frames, -5, "got -5");
    EXPECT_INVALID(grid_size, 1, "grid size must be in 2..1024, got 1");
    EXPECT_INVALID(grid_size, 5000, "got 5000");
    EXPECT_INVALID(playback_frames, 0, "playback frames must be in 1..frames (500), got 0");
    EXPECT_INVALID(sample_rate_hz, NAN, "sample rate");
    EXPECT_INVALID(bodyparts, 1, "bodyparts must be in 2..32, got 1");
    EXPECT_INVALID(trail_frames, 0, "trail frames must be in 1..1000, got 0");
    EXPECT_INVALID(overlays, 1u << 7, "overlays");

    // A failed init leaves a struct that destroy accepts.
    nsp_scenario_desc_t d = all_overlays();
    d.frames = 0;
    nsp_scenario_t sc;
    capture_start();
    assert_int_equal(nsp_scenario_init(&sc, &d), NSP_EINVAL);
    capture_stop();
    nsp_scenario_destroy(&sc);
}

static void test_playback_frames_clamped_with_notice(void **state) {
    (void)state;
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    d.frames = 50;
    d.playback_frames = 100;
    capture_start();
    assert_int_equal(nsp_scenario_validate(&d), 0);
    capture_stop();
    assert_int_equal(d.playback_frames, 50);
    assert_non_null(strstr(captured_log, "playback frames (100) exceed frames (50); clamped to 50"));
}

static uint64_t digest_of(const nsp_scenario_desc_t *d) {
    nsp_scenario_t sc;
    assert_int_equal(nsp_scenario_init(&sc, d), 0);
    uint64_t h = 0;
    assert_int_equal(nsp_scenario_digest(&sc, &h), 0);
    nsp_scenario_destroy(&sc);
    return h;
}

static void test_same_seed_same_data(void **state) {
    (void)state;
    nsp_scenario_desc_t d = all_overlays();
    uint64_t a = digest_of(&d), b = digest_of(&d);
    assert_int_equal(a, b);
    d.seed = 43;
    assert_int_not_equal(a, digest_of(&d));
}

static void test_environment(void **state) {
    (void)state;
    nsp_scenario_t sc;
    init_all_overlays(&sc);
    // 1000 samples over 2500 bins: expected active fraction 1 - exp(-0.4) = 0.33.
    double frac = (double)sc.n_active / 2500.0;
    assert_double_in_range(frac, 0.29, 0.37);
    int32_t n = 0, prev = -1;
    for (int i = 0; i < 2500; i++) {
        if (sc.active[i]) {
            assert_int_equal(sc.active_bins[n], i);
            assert_in_range(sc.active_bins[n], prev + 1, 2499);
            prev = sc.active_bins[n++];
        }
    }
    assert_int_equal(n, sc.n_active);
    nsp_scenario_destroy(&sc);
}

// The separable evaluation must equal the plain sum of 3 Gaussians.
static void test_field_matches_direct_formula(void **state) {
    (void)state;
    nsp_scenario_t sc;
    init_all_overlays(&sc);
    float *v = malloc((size_t)sc.n_active * sizeof *v);
    double *direct = malloc((size_t)sc.n_active * sizeof *direct);
    const int64_t frames[3] = {0, 250, 499};
    for (int fi = 0; fi < 3; fi++) {
        int64_t f = frames[fi];
        assert_int_equal(nsp_scenario_field(&sc, f, v), 0);
        double peak = 0.0, vmax = 0.0;
        for (int32_t a = 0; a < sc.n_active; a++) {
            double x = sc.active_bins[a] % 50 + 0.5, y = sc.active_bins[a] / 50 + 0.5, s = 0.0;
            for (int k = 0; k < NSP_BLOBS; k++) {
                double dx = x - sc.blob_centres[f * NSP_BLOBS + k].x, dy = y - sc.blob_centres[f * NSP_BLOBS + k].y;
                s += exp(-(dx * dx + dy * dy) / (2.0 * 12.5 * 12.5));
            }
            direct[a] = s;
            peak = s > peak ? s : peak;
            vmax = v[a] > vmax ? v[a] : vmax;
        }
        for (int32_t a = 0; a < sc.n_active; a++) {
            assert_near(v[a], direct[a] / peak, 1e-5);
            assert_double_in_range(v[a], sc.field_lo, sc.field_hi);
        }
        assert_double_equal(vmax, 1.0);  // Normalised by the frame's maximum.
    }
    assert_int_equal(sc.field_range_exact, 1);
    assert_double_equal(sc.field_hi, 1.0);
    assert_double_in_range(sc.field_lo, 0.0, 0.5);
    assert_double_less(sc.field_lo, 0.5);
    assert_int_equal(nsp_scenario_field(&sc, 500, v), NSP_ERANGE);
    assert_int_equal(nsp_scenario_field(&sc, -1, v), NSP_ERANGE);
    free(v);
    free(direct);
    nsp_scenario_destroy(&sc);
}

static void test_trajectory_heading_bodyparts(void **state) {
    (void)state;
    nsp_scenario_t sc;
    init_all_overlays(&sc);
    double step2 = 0.0;
    for (int64_t f = 0; f < sc.frames; f++) {
        nsp_vec2_t p = sc.trajectory[f];
        assert_double_in_range(p.x, 0.0, 50.0);
        assert_double_in_range(p.y, 0.0, 50.0);
        assert_double_less(-(float)NSP_PI, sc.heading[f]);
        assert_double_in_range(sc.heading[f], -(float)NSP_PI, (float)NSP_PI);
        if (f > 0) {
            double dx = p.x - sc.trajectory[f - 1].x;
            step2 += dx * dx;
        }
    }
    // Steps are N(0, 0.5) per axis (reflection barely matters): variance 0.25.
    double var = step2 / (double)(sc.frames - 1);
    assert_double_in_range(var, 0.18, 0.32);
    // Bodyparts stay in the environment; their mean offset from the animal is
    // the fixed offset (jitter averages out: SE 0.5 / sqrt(500) = 0.022).
    nsp_vec2_t bp[5];
    double mean_dx[5] = {0};
    for (int64_t f = 0; f < sc.frames; f++) {
        assert_int_equal(nsp_scenario_bodyparts(&sc, f, bp), 0);
        for (int b = 0; b < 5; b++) {
            assert_double_in_range(bp[b].x, 0.0, 50.0);
            assert_double_in_range(bp[b].y, 0.0, 50.0);
            mean_dx[b] += bp[b].x - sc.trajectory[f].x;
        }
    }
    for (int b = 0; b < 5; b++) {
        assert_double_in_range(sc.bp_offsets[b].x, -2.0, 2.0);
        assert_near(mean_dx[b] / (double)sc.frames, sc.bp_offsets[b].x, 0.15);
    }
    // Produced on demand: the same frame twice gives the same keypoints.
    nsp_vec2_t again[5];
    nsp_scenario_bodyparts(&sc, 123, bp);
    nsp_scenario_bodyparts(&sc, 7, again);
    nsp_scenario_bodyparts(&sc, 123, again);
    assert_memory_equal(bp, again, sizeof bp);
    assert_int_equal(nsp_scenario_bodyparts(&sc, 500, bp), NSP_ERANGE);
    nsp_scenario_destroy(&sc);
}

static void test_events(void **state) {
    (void)state;
    nsp_scenario_t sc;
    init_all_overlays(&sc);
    assert_int_equal(sc.n_events, 1000);
    assert_int_equal(sc.ev_first[0], 0);
    assert_int_equal(sc.ev_first[sc.frames], 1000);
    int32_t most = 0;
    for (int64_t f = 0; f < sc.frames; f++) {
        assert_in_range(sc.ev_first[f + 1], sc.ev_first[f], 1000);
        int32_t visible = 0;
        for (int64_t e = f - 9; e <= f; e++) {
            visible += e >= 0 ? sc.ev_first[e + 1] - sc.ev_first[e] : 0;
        }
        most = visible > most ? visible : most;
    }
    assert_int_equal(sc.ev_max_visible, most);
    for (int64_t i = 0; i < sc.n_events; i++) {
        assert_double_in_range(sc.ev_pos[i].x, 0.0, 50.0);
    }
    nsp_scenario_destroy(&sc);
}

static void test_lfp_is_smooth_and_in_range(void **state) {
    (void)state;
    nsp_scenario_t sc;
    init_all_overlays(&sc);
    assert_double_less(sc.lfp_lo, 0.0);
    assert_double_equal(sc.lfp_hi, -sc.lfp_lo);
    double num = 0.0, den = 0.0;
    for (int64_t i = 0; i < sc.frames; i++) {
        assert_double_less(sc.lfp_lo, sc.lfp[i]);
        assert_double_less(sc.lfp[i], sc.lfp_hi);
        den += (double)sc.lfp[i] * sc.lfp[i];
        if (i > 0) {
            num += (double)sc.lfp[i] * sc.lfp[i - 1];
        }
    }
    // White noise has lag-1 autocorrelation ~0; a 0.1-Nyquist low-pass, ~0.97.
    assert_double_less(0.9, num / den);
    nsp_scenario_destroy(&sc);
}

static void test_video(void **state) {
    (void)state;
    nsp_scenario_t sc;
    init_all_overlays(&sc);
    enum { BYTES = NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3 };
    uint8_t *a = malloc(BYTES), *b = malloc(BYTES);
    assert_int_equal(nsp_scenario_video(&sc, 10, a), 0);
    int lo = 255, hi = 0;
    double sum = 0.0;
    for (int i = 0; i < BYTES; i++) {
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
        sum += a[i];
    }
    assert_int_equal(lo, 50);
    assert_int_equal(hi, 199);
    assert_near(sum / BYTES, 124.5, 1.0);
    assert_int_equal(nsp_scenario_video(&sc, 11, b), 0);
    assert_memory_not_equal(a, b, BYTES);
    assert_int_equal(nsp_scenario_video(&sc, 10, b), 0);
    assert_memory_equal(a, b, BYTES);
    assert_int_equal(nsp_scenario_video(&sc, 500, b), NSP_ERANGE);
    free(a);
    free(b);
    nsp_scenario_destroy(&sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_validation_messages),
        cmocka_unit_test(test_playback_frames_clamped_with_notice),
        cmocka_unit_test(test_same_seed_same_data),
        cmocka_unit_test(test_environment),
        cmocka_unit_test(test_field_matches_direct_formula),
        cmocka_unit_test(test_trajectory_heading_bodyparts),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_lfp_is_smooth_and_in_range),
        cmocka_unit_test(test_video),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
