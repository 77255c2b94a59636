// Tier c's judgement (nsp_gate_judge_timing) on synthetic repetitions, one
// case per rule: a slower build on an unchanged machine is a regression; a
// slower, noisier, drifting or busy machine gives an inconclusive verdict,
// never a failure; a faster machine no improvement.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gate/gate.h"

#include "assert_double.h"

// How one side's runs went: medians of the frame and of the floor frame,
// and their p95s. Every repetition gets a small deterministic jitter.
typedef struct side {
    double frame, frame_p95, floor, floor_p95;
    double callbacks;  // The callback total: CPU work (0 = as the baseline's, 0.05 ms).
} side_t;

static void add(nsp_gate_series_t *s, const char *name, double v) {
    int m = s->n_metrics++;
    snprintf(s->name[m], NSP_GATE_NAME_MAX, "%s", name);
    for (int i = 0; i < s->n_samples; i++) {
        // -1.5% .. +1.5%, repeating: noise of about 1%.
        s->v[m][i] = v * (1.0 + 0.0075 * (double)((i * 7) % 5 - 2));
    }
}

static void series(nsp_gate_series_t *s, int n, side_t x) {
    memset(s, 0, sizeof *s);
    s->n_samples = n;
    add(s, "frame_median_ms", x.frame);
    add(s, "frame_median/floor", x.frame / x.floor);
    add(s, "frame_p95_ms", x.frame_p95);
    add(s, "frame_p95/floor", x.frame_p95 / x.floor_p95);
    add(s, "floor_median_ms", x.floor);
    add(s, "floor_p95_ms", x.floor_p95);
    add(s, "callbacks_total_ms", x.callbacks > 0.0 ? x.callbacks : 0.05);
}

static const side_t base_side = {.frame = 1.0, .frame_p95 = 1.1, .floor = 1.2, .floor_p95 = 1.3};

static nsp_gate_result_t res;

static int judge(side_t cur, const char *busy, int *inconclusive) {
    nsp_gate_series_t b, c;
    series(&b, 10, base_side);
    series(&c, 5, cur);
    memset(&res, 0, sizeof res);
    return nsp_gate_judge_timing(&res, &b, &c, busy, inconclusive);
}

static const nsp_gate_row_t *row(const char *metric) {
    for (int i = 0; i < res.n_rows; i++) {
        if (strcmp(res.rows[i].metric, metric) == 0) {
            return &res.rows[i];
        }
    }
    fail_msg("no row %s", metric);
    return NULL;
}

// metric's row has this verdict and, unless note is NULL, a note saying it.
static void assert_row(const char *metric, const char *verdict, const char *note) {
    const nsp_gate_row_t *r = row(metric);
    assert_string_equal(r->verdict, verdict);
    if (note && !strstr(r->note, note)) {
        fail_msg("%s: wanted '%s' in the note, got: %s", metric, note, r->note);
    }
}

static void test_unchanged_passes(void **state) {
    (void)state;
    int inc = -1;
    assert_int_equal(judge(base_side, NULL, &inc), 0);
    assert_int_equal(inc, 0);
    assert_row("frame_median_ms", "pass", NULL);
    assert_row("frame_p95_ms", "pass", NULL);
    assert_row("floor_median_ms", "info", NULL);
    assert_row("floor_p95_ms", "info", NULL);
}

static void test_slower_code_is_a_regression(void **state) {
    (void)state;
    side_t cur = base_side;
    cur.frame *= 1.20;
    cur.frame_p95 *= 1.20;
    int inc;
    assert_int_equal(judge(cur, NULL, &inc), 2);
    assert_row("frame_median_ms", "regression", NULL);
    assert_row("frame_p95_ms", "regression", NULL);
    assert_near(row("frame_median_ms")->change, 0.20, 1e-9);
}

// A regression of the tail alone (a hitch every few frames) on a machine
// whose floor frame, median and tail, is as it was.
static void test_slower_tail_is_a_regression(void **state) {
    (void)state;
    side_t cur = base_side;
    cur.frame_p95 *= 1.40;
    int inc;
    assert_int_equal(judge(cur, NULL, &inc), 1);
    assert_row("frame_p95_ms", "regression", NULL);
    assert_row("frame_median_ms", "pass", NULL);
}

// CI's machine of 2026-11-24: the floor frame 20% slower, the frame 33% (a
// host's scene-to-floor ratio is not another's) and its tail 74%, the
// floor's tail as heavy.
static void test_slower_machine_is_inconclusive(void **state) {
    (void)state;
    side_t cur = {.frame = 1.33, .frame_p95 = 1.1 * 1.74, .floor = 1.2 * 1.20, .floor_p95 = 1.3 * 1.65};
    int inc;
    assert_int_equal(judge(cur, NULL, &inc), 0);
    assert_int_equal(inc, 2);
    assert_row("frame_median_ms", "inconclusive", "floor frame is slower too");
    assert_row("frame_p95_ms", "inconclusive", "floor frame's tail is slower too");
}

// Interruptions by the machine: both tails heavy, the medians as they were.
static void test_noisier_machine_is_inconclusive(void **state) {
    (void)state;
    side_t cur = base_side;
    cur.frame_p95 *= 1.50;
    cur.floor_p95 *= 1.50;
    int inc;
    assert_int_equal(judge(cur, NULL, &inc), 0);
    assert_int_equal(inc, 1);
    assert_row("frame_p95_ms", "inconclusive", NULL);
    assert_row("frame_median_ms", "pass", NULL);
}

// The floor as fast as at baseline time over the runs, yet relative to the
// floor frame drawn after each frame the slowdown is gone: drift within runs.
static void test_drift_within_runs_is_inconclusive(void **state) {
    (void)state;
    nsp_gate_series_t b, c;
    series(&b, 10, base_side);
    side_t cur = base_side;
    cur.frame *= 1.20;
    series(&c, 5, cur);
    // The paired ratios say +2%: each frame's floor was slower alike.
    for (int i = 0; i < c.n_samples; i++) {
        c.v[1][i] = b.v[1][i] * 1.02;
    }
    memset(&res, 0, sizeof res);
    int inc;
    assert_int_equal(nsp_gate_judge_timing(&res, &b, &c, NULL, &inc), 0);
    assert_row("frame_median_ms", "inconclusive", "less than half");
}

// A faster machine: its faster times are no improvement of the code.
static void test_faster_machine_is_no_improvement(void **state) {
    (void)state;
    side_t cur = {.frame = 0.75, .frame_p95 = 1.1 * 0.75, .floor = 1.2 * 0.80, .floor_p95 = 1.3 * 0.80};
    int inc;
    assert_int_equal(judge(cur, NULL, &inc), 0);
    assert_int_equal(inc, 0);
    assert_row("frame_median_ms", "pass", "faster than at baseline time");
}

// CPU work drifts with the machine by up to 9% unseen by the floor frame:
// its least threshold is 15%, and only a larger slowdown is a regression.
static void test_cpu_metrics_have_a_wider_threshold(void **state) {
    (void)state;
    side_t cur = base_side;
    cur.callbacks = 0.05 * 1.09;
    int inc;
    assert_int_equal(judge(cur, NULL, &inc), 0);
    assert_row("callbacks_total_ms", "pass", NULL);
    assert_near(row("callbacks_total_ms")->threshold, NSP_GATE_CPU_MIN_THRESHOLD, 1e-12);
    cur.callbacks = 0.05 * 1.25;
    assert_int_equal(judge(cur, NULL, &inc), 1);
    assert_row("callbacks_total_ms", "regression", NULL);
}

static void test_busy_machine_is_inconclusive(void **state) {
    (void)state;
    side_t cur = base_side;
    cur.frame *= 1.20;
    int inc;
    assert_int_equal(judge(cur, "other processes used 0.90 cores", &inc), 0);
    assert_int_equal(inc, 1);
    assert_string_equal(row("frame_median_ms")->note + strlen(row("frame_median_ms")->note) -
                            strlen("other processes used 0.90 cores"),
                        "other processes used 0.90 cores");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unchanged_passes),
        cmocka_unit_test(test_slower_code_is_a_regression),
        cmocka_unit_test(test_slower_tail_is_a_regression),
        cmocka_unit_test(test_slower_machine_is_inconclusive),
        cmocka_unit_test(test_noisier_machine_is_inconclusive),
        cmocka_unit_test(test_drift_within_runs_is_inconclusive),
        cmocka_unit_test(test_faster_machine_is_no_improvement),
        cmocka_unit_test(test_cpu_metrics_have_a_wider_threshold),
        cmocka_unit_test(test_busy_machine_is_inconclusive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
