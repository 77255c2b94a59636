// Tier c's mechanism (tier_timing.h) on synthetic runs from an injected
// runner: one case per rule (runs, machine, judge, confirm, pooling), and
// issue 10's case: a baseline recorded in the machine's slow state, a slower
// build measured in its fast state, faster in raw time and slower per floor
// frame, must fail.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "gate/tier_timing.h"

#include "assert_double.h"

// The machine and the build of one set of runs. The code's cost is given
// per machine measure (what the build changes); the machine's speed scales
// the measures and with them the raw times (what the machine changes).
typedef struct world {
    double floor_ms;       // The floor frame.
    double probe_ms;       // The CPU probe after each frame.
    double faults_ms;       // The page-fault probe before set-up.
    double faults_after_ms; // The page-fault probe after set-up.
    double frame_ratio;    // frame / floor: the build's frame.
    double p95_ratio;      // frame p95 / floor p95.
    double setup_ratio;    // nsplay's own set-up / the page-fault probe after it.
    double cb_ratio;       // callbacks / the CPU probe.
    double load, steal;    // Other processes' cores, the hypervisor's steal.
    double jitter;         // Relative noise of the build's ratios (default 1%; the measures' 1%).
    double measure_jitter; // Extra noise of the measures alone (noisy machine).
    bool no_probe;         // The runs have no probes (a result from before them).
    int slow_runs;         // This many runs (those with index % 5 < slow_runs) have
    double slow_factor;    // their frame ratio times this: a spell of slow runs.
} world_t;

static const world_t base_world = {
    .floor_ms = 1.27, .probe_ms = 0.026, .faults_ms = 2.6, .faults_after_ms = 2.6, .frame_ratio = 1.035, .p95_ratio = 0.97,
    .setup_ratio = 11.0, .cb_ratio = 2.9,
};

// -1 .. +1, repeating over 5 runs, different for each figure.
static double wobble(int i, int figure) {
    return (double)((i * 7 + figure * 3) % 5 - 2) / 2.0;
}

static void make_run(const world_t *w, int i, nsp_gate_run_t *run) {
    memset(run, 0, sizeof *run);
    double j = w->jitter > 0.0 ? w->jitter : 0.01;
    double fl = w->floor_ms * (1.0 + (0.01 + w->measure_jitter) * wobble(i, 0));
    double pr = w->probe_ms * (1.0 + (0.01 + w->measure_jitter) * wobble(i, 1));
    double pf = w->faults_ms * (1.0 + (0.01 + w->measure_jitter) * wobble(i, 6));
    double pfa = w->faults_after_ms * (1.0 + (0.01 + w->measure_jitter) * wobble(i, 8));
    double fr = w->frame_ratio * (1.0 + j * wobble(i, 2)) * (i % 5 < w->slow_runs ? w->slow_factor : 1.0);
    double p95 = w->p95_ratio * (1.0 + j * wobble(i, 3));
    double su = w->setup_ratio * (1.0 + j * wobble(i, 4));
    double cb = w->cb_ratio * (1.0 + j * wobble(i, 5));
    nsp_metrics_t *m = &run->timing;
    nsp_metrics_add(m, "frame_median_ms", fr * fl);
    nsp_metrics_add(m, "frame_p95_ms", p95 * fl * 1.1);
    nsp_metrics_add(m, "setup_ms", su * pfa + 35.0 * pf);  // Shown, judged in its parts.
    nsp_metrics_add(m, "setup_own_ms", su * pfa);
    nsp_metrics_add(m, "setup_context_ms", 35.0 * pf);
    nsp_metrics_add(m, "callbacks_total_ms", cb * pr);
    nsp_metrics_add(m, "render_event_overlay_ms", 0.004);
    nsp_metrics_add(m, "render_video_overlay_ms", 0.030 * pr / 0.026);
    nsp_metrics_add(m, "floor_median_ms", fl);
    nsp_metrics_add(m, "floor_p95_ms", fl * 1.1);
    nsp_metrics_add(m, "frame_median/floor", fr);
    nsp_metrics_add(m, "frame_p95/floor", p95);
    if (!w->no_probe) {
        nsp_metrics_add(m, "cpu_probe_median_ms", pr);
        nsp_metrics_add(m, "fault_probe_ms", pf);
        nsp_metrics_add(m, "fault_probe_after_ms", pfa);
        nsp_metrics_add(m, "setup_own/faults_after", su);
        nsp_metrics_add(m, "setup_context/faults", 35.0 * (1.0 + j * wobble(i, 7)));
        nsp_metrics_add(m, "callbacks_total/cpu", cb);
        nsp_metrics_add(m, "render_event_overlay/cpu", 0.004 / pr);
        nsp_metrics_add(m, "render_video_overlay/cpu", 0.030 / 0.026);
    }
    run->other_load = w->load;
    run->steal = w->steal;
}

// The injected runner: the first set's runs from `first`, the confirming
// set's from `second`; fails from run fail_at on (-1: never).
typedef struct synthetic {
    world_t first, second;
    int reps;
    int fail_at;
    world_t other;       // With --against: the other binary's runs.
    int calls;
} synthetic_t;

static int run_synthetic(void *user, int index, nsp_gate_run_t *cur, nsp_gate_run_t *other) {
    synthetic_t *s = user;
    s->calls++;
    if (s->fail_at >= 0 && index >= s->fail_at) {
        return NSP_EIO;
    }
    make_run(index < s->reps ? &s->first : &s->second, index, cur);
    if (other) {
        make_run(&s->other, index + 1, other);
    }
    return 0;
}

static nsp_gate_series_t base_series;
static nsp_timing_outcome_t out;

static void baseline(const world_t *w) {
    memset(&base_series, 0, sizeof base_series);
    for (int i = 0; i < 10; i++) {
        nsp_gate_run_t run;
        make_run(w, i + 3, &run);
        assert_int_equal(nsp_timing_series_add(&base_series, &run.timing), 0);
    }
}

static int gate(const world_t *first, const world_t *second) {
    synthetic_t s = {.first = *first, .second = second ? *second : *first, .reps = 5, .fail_at = -1};
    nsp_timing_opts_t o = {.base = &base_series, .reps = 5, .judge = true, .run = run_synthetic, .user = &s};
    nsp_timing_outcome_free(&out);
    return nsp_timing_run(&o, &out);
}

static const nsp_timing_judgement_t *judged(const char *raw) {
    for (int i = 0; i < out.n_judged; i++) {
        if (strcmp(out.judged[i].raw, raw) == 0) {
            return &out.judged[i];
        }
    }
    fail_msg("no judgement of %s", raw);
    return NULL;
}

static void assert_verdict(const char *raw, nsp_timing_verdict_t v, nsp_timing_reason_t r) {
    const nsp_timing_judgement_t *j = judged(raw);
    assert_string_equal(nsp_timing_verdict_name(j->verdict), nsp_timing_verdict_name(v));
    assert_string_equal(nsp_timing_reason_text(j->reason), nsp_timing_reason_text(r));
}

static int teardown(void **state) {
    (void)state;
    nsp_timing_outcome_free(&out);
    return 0;
}

// raw is declared, judged as ratio against measure.
static void assert_declared(const char *raw, const char *want_ratio, nsp_timing_measure_t measure) {
    char ratio[NSP_GATE_NAME_MAX];
    const nsp_timing_metric_t *m = nsp_timing_metric_find(raw, ratio, sizeof ratio);
    if (!m) {
        fail_msg("%s is not declared; want it judged as %s", raw, want_ratio);
    }
    assert_string_equal(ratio, want_ratio);
    assert_string_equal(nsp_timing_measures[m->measure].label, nsp_timing_measures[measure].label);
}

// The table declares every timed metric with a measure and a threshold.
static void test_every_metric_is_declared(void **state) {
    (void)state;
    char ratio[NSP_GATE_NAME_MAX];
    assert_declared("frame_median_ms", "frame_median/floor", NSP_MEASURE_FLOOR);
    // The set-up's total is shown; its two parts are judged.
    assert_null(nsp_timing_metric_find("setup_ms", ratio, sizeof ratio));
    assert_declared("setup_own_ms", "setup_own/faults_after", NSP_MEASURE_FAULTS_AFTER);
    assert_declared("setup_context_ms", "setup_context/faults", NSP_MEASURE_FAULTS);
    assert_declared("draw_ms", "draw/floor", NSP_MEASURE_FLOOR);
    assert_declared("callbacks_total_ms", "callbacks_total/cpu", NSP_MEASURE_CPU);
    assert_declared("render_video_overlay_ms", "render_video_overlay/cpu", NSP_MEASURE_CPU);
    // The measures are the machine's: never judged as the build's.
    for (int i = 0; i < NSP_MEASURE_COUNT; i++) {
        assert_null(nsp_timing_metric_find(nsp_timing_measures[i].metric, ratio, sizeof ratio));
    }
    assert_null(nsp_timing_metric_find("frame_median/floor", ratio, sizeof ratio));
    for (int i = 0; i < nsp_timing_metric_count; i++) {
        assert_true(nsp_timing_metrics[i].least_threshold > 0.0);
    }
}

// Judge rule: an unchanged build on an unchanged machine passes, in one set.
static void test_unchanged_passes(void **state) {
    (void)state;
    baseline(&base_world);
    assert_int_equal(gate(&base_world, NULL), 0);
    assert_int_equal(out.fails, 0);
    assert_int_equal(out.inconclusive, 0);
    assert_false(out.confirmed);
    assert_int_equal(out.n_runs, 5);
    assert_verdict("frame_median_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("setup_own_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
}

// Issue 10: baseline in the slow state (floor frame 2.13 ms), the slowed
// build in the fast state (1.32 ms): the frame 3.8% faster raw and 54%
// slower per floor frame. It fails, and the raw time does not excuse it.
static void test_issue10_faster_machine_does_not_excuse(void **state) {
    (void)state;
    world_t slow = base_world;
    slow.floor_ms = 2.13;
    baseline(&slow);
    world_t fast = base_world;
    fast.floor_ms = 1.32;
    fast.frame_ratio = base_world.frame_ratio * 2.13 * 0.962 / 1.32;
    assert_int_equal(gate(&fast, NULL), 0);
    const nsp_timing_judgement_t *j = judged("frame_median_ms");
    assert_near(j->raw_cur / j->raw_base - 1.0, -0.038, 0.01);
    assert_near(j->ratio_c.change, 0.552, 0.02);
    assert_verdict("frame_median_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
    assert_true(out.confirmed);
    assert_true(out.fails >= 1);
}

// The machine in its slow state (issue 10's second figure: the frame +45%
// raw, -3.4% per floor frame): the machine explains it; a pass.
static void test_slower_machine_is_not_a_regression(void **state) {
    (void)state;
    baseline(&base_world);
    world_t slow = base_world;
    slow.floor_ms *= 1.50;
    slow.frame_ratio *= 0.966;
    slow.probe_ms *= 1.40;
    slow.faults_ms *= 1.30;
    slow.faults_after_ms *= 1.30;
    assert_int_equal(gate(&slow, NULL), 0);
    assert_int_equal(out.fails, 0);
    assert_int_equal(out.inconclusive, 0);
    assert_verdict("frame_median_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("callbacks_total_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("setup_own_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_near(out.pooled_state.ms[NSP_MEASURE_FLOOR] / out.pooled_state.base_ms[NSP_MEASURE_FLOOR], 1.50, 0.02);
    assert_near(out.pooled_state.ms[NSP_MEASURE_FAULTS] / out.pooled_state.base_ms[NSP_MEASURE_FAULTS], 1.30, 0.02);
}

// A faster machine is no improvement of the code.
static void test_faster_machine_is_no_improvement(void **state) {
    (void)state;
    baseline(&base_world);
    world_t fast = base_world;
    fast.floor_ms *= 0.7;
    fast.probe_ms *= 0.7;
    fast.faults_ms *= 0.7;
    fast.faults_after_ms *= 0.7;
    assert_int_equal(gate(&fast, NULL), 0);
    assert_verdict("frame_median_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("setup_own_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
}

// Each part of the set-up against the probe next to it in time. The probe
// before set-up 38% slower (the process started on the core that faults
// slower, docs/gate.md) with context creation moving with it and the own
// part not: both pass, where the own part against the probe before it
// would read 28% faster. The own part 38% slower raw with the probe before
// it alike and the one after it flat: a regression, which the first probe
// does not excuse.
static void test_setup_parts_follow_the_probe_next_to_them(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.faults_ms *= 1.38;
    assert_int_equal(gate(&w, NULL), 0);
    assert_int_equal(out.inconclusive, 0);
    assert_verdict("setup_context_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("setup_own_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    w.setup_ratio *= 1.38;
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("setup_context_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("setup_own_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
}

// A slower build on a slower machine fails all the same.
static void test_slower_code_on_slower_machine_fails(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.floor_ms *= 1.4;
    w.frame_ratio *= 1.20;
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("frame_median_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
}

// The CPU work and the set-up against their probes: the callbacks 20%
// slower raw with the CPU probe 20% slower pass, and the set-up's two parts
// 30% slower raw with the page-fault probe 30% slower (the machine's slow
// state as measured here, docs/gate.md); 20% more callbacks per probe fail
// (the least threshold of CPU work is 16%),
// and 35% more own set-up (its least threshold is 20%). Each is judged by
// its own probe: a slower CPU probe does not excuse a slower set-up.
static void test_cpu_work_is_judged_by_the_probe(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.probe_ms *= 1.20;
    w.faults_ms *= 1.30;
    w.faults_after_ms *= 1.30;
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("callbacks_total_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("setup_own_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_verdict("setup_context_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    w = base_world;
    w.probe_ms *= 1.30;
    w.setup_ratio *= 1.40;
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("setup_own_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
    w = base_world;
    w.cb_ratio *= 1.20;
    w.setup_ratio *= 1.35;  // Above the own set-up's least threshold of 20%.
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("callbacks_total_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
    assert_verdict("setup_own_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
    assert_verdict("frame_median_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
}

// Machine rule: other processes busy make a slower ratio inconclusive.
static void test_busy_machine_is_inconclusive(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.frame_ratio *= 1.20;
    w.load = 0.9;
    assert_int_equal(gate(&w, NULL), 0);
    assert_int_equal(out.fails, 0);
    assert_verdict("frame_median_ms", NSP_TIMING_INCONCLUSIVE, NSP_REASON_MACHINE_BUSY);
    assert_int_equal(out.pooled_state.reason, NSP_REASON_MACHINE_BUSY);
    // A pass stays a pass on a busy machine.
    assert_verdict("setup_own_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
}

static void test_stolen_machine_is_inconclusive(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.frame_ratio *= 1.20;
    w.steal = 0.2;
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("frame_median_ms", NSP_TIMING_INCONCLUSIVE, NSP_REASON_MACHINE_STOLEN);
}

// A machine that changes speed between runs (the measures spread 10%,
// ten times the baseline's) is no reason by itself: each run's ratio is
// paired within the run, and its own spread decides. The unchanged build
// passes and a 20% slower frame fails, confirmed (seen here: the floor
// frame spread 25.7% over a set while the ratio's interval lay wholly
// above the threshold).
static void test_machine_changing_speed_leaves_the_ratio_to_decide(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.measure_jitter = 0.10;
    assert_int_equal(gate(&w, NULL), 0);
    assert_int_equal(out.first_state.reason, NSP_REASON_WITHIN);
    assert_true(out.first_state.noise[NSP_MEASURE_FLOOR] > 0.05);
    assert_verdict("frame_median_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    w.frame_ratio *= 1.20;
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("frame_median_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
}

// Judge rule: a ratio whose interval straddles the threshold on a quiet
// machine is inconclusive as noisy, not a failure.
static void test_straddling_interval_is_noisy(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.frame_ratio *= 1.07;
    w.jitter = 0.08;
    assert_int_equal(gate(&w, NULL), 0);
    assert_verdict("frame_median_ms", NSP_TIMING_INCONCLUSIVE, NSP_REASON_MACHINE_NOISY);
    assert_int_equal(out.pooled_state.reason, NSP_REASON_WITHIN);
    assert_true(out.confirmed);
}

// Confirm rule: a first set slowed by a spell of slow runs (3 of 5) is
// unclear; the confirming set is not: the pooled runs pass, as not
// confirmed, and both sets are pooled.
static void test_first_set_alone_is_not_confirmed(void **state) {
    (void)state;
    baseline(&base_world);
    world_t first = base_world;
    first.slow_runs = 3;
    first.slow_factor = 1.18;
    assert_int_equal(gate(&first, &base_world), 0);
    assert_true(out.confirmed);
    assert_int_equal(out.n_runs, 10);
    assert_int_equal(out.cur.n_samples, 10);
    assert_verdict("frame_median_ms", NSP_TIMING_PASS, NSP_REASON_NOT_CONFIRMED);
    assert_true(judged("frame_median_ms")->first_change > 0.12);
}

// Confirm rule: a pooled interval above the threshold with one set below
// it is inconclusive (the sets disagree), not a failure.
static void test_sets_that_disagree_do_not_fail(void **state) {
    (void)state;
    baseline(&base_world);
    world_t first = base_world, second = base_world;
    first.frame_ratio *= 1.30;
    second.frame_ratio *= 1.03;
    assert_int_equal(gate(&first, &second), 0);
    assert_verdict("frame_median_ms", NSP_TIMING_INCONCLUSIVE, NSP_REASON_MACHINE_NOISY);
    assert_true(judged("frame_median_ms")->confirm_change < 0.05);
}

// Runs rule: a confirming set that fails to run is an error of the tier.
static void test_failed_confirmation_is_an_error(void **state) {
    (void)state;
    baseline(&base_world);
    world_t w = base_world;
    w.frame_ratio *= 1.20;
    synthetic_t s = {.first = w, .second = w, .reps = 5, .fail_at = 5};
    nsp_timing_opts_t o = {.base = &base_series, .reps = 5, .judge = true, .run = run_synthetic, .user = &s};
    nsp_timing_outcome_free(&out);
    assert_int_equal(nsp_timing_run(&o, &out), NSP_EIO);
    assert_int_equal(out.fails, 0);
}

// No silent caps: repetitions beyond what a series holds are refused, and
// a series takes no 65th sample.
static void test_caps_are_refused(void **state) {
    (void)state;
    synthetic_t s = {.first = base_world, .second = base_world, .reps = 40, .fail_at = -1};
    nsp_timing_opts_t o = {.base = &base_series, .reps = 40, .judge = true, .run = run_synthetic, .user = &s};
    nsp_timing_outcome_free(&out);
    assert_int_equal(nsp_timing_run(&o, &out), NSP_EINVAL);
    assert_int_equal(s.calls, 0);
    nsp_gate_series_t *big = calloc(1, sizeof *big);
    nsp_gate_run_t run;
    make_run(&base_world, 0, &run);
    for (int i = 0; i < NSP_GATE_MAX_SAMPLES; i++) {
        assert_int_equal(nsp_timing_series_add(big, &run.timing), 0);
    }
    assert_int_equal(nsp_timing_series_add(big, &run.timing), NSP_EINVAL);
    free(big);
}

// Small work: under 25 us a frame shown, not judged; above it, judged.
static void test_tiny_zones_are_shown(void **state) {
    (void)state;
    baseline(&base_world);
    assert_int_equal(gate(&base_world, NULL), 0);
    assert_verdict("render_event_overlay_ms", NSP_TIMING_INFO, NSP_REASON_BELOW_RESOLUTION);
    assert_verdict("render_video_overlay_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
}

// A baseline without the probes cannot judge the CPU work: skipped, not passed.
static void test_missing_ratio_is_skipped(void **state) {
    (void)state;
    world_t old = base_world;
    old.no_probe = true;
    baseline(&old);
    assert_int_equal(gate(&base_world, NULL), 0);
    assert_verdict("setup_own_ms", NSP_TIMING_SKIPPED, NSP_REASON_NO_RATIO);
    assert_verdict("frame_median_ms", NSP_TIMING_PASS, NSP_REASON_WITHIN);
    assert_true(out.skipped >= 2);
}

// With --against the other binary's interleaved runs are the baseline.
static void test_against_uses_the_other_runs(void **state) {
    (void)state;
    world_t w = base_world;
    w.frame_ratio *= 1.20;
    synthetic_t s = {.first = w, .second = w, .reps = 5, .fail_at = -1, .other = base_world};
    nsp_timing_opts_t o = {.against = true, .reps = 5, .judge = true, .run = run_synthetic, .user = &s};
    nsp_timing_outcome_free(&out);
    assert_int_equal(nsp_timing_run(&o, &out), 0);
    assert_int_equal(out.other.n_samples, 10);
    assert_verdict("frame_median_ms", NSP_TIMING_FAIL, NSP_REASON_CONFIRMED);
}

// The report: the machine's rows, the ratio judged, the raw time shown.
static void test_report_shows_raw_and_judges_ratio(void **state) {
    (void)state;
    world_t slow = base_world;
    slow.floor_ms = 2.13;
    baseline(&slow);
    world_t fast = base_world;
    fast.floor_ms = 1.32;
    fast.frame_ratio = base_world.frame_ratio * 2.13 * 0.962 / 1.32;
    assert_int_equal(gate(&fast, NULL), 0);
    static nsp_gate_result_t res;
    memset(&res, 0, sizeof res);
    char summary[256];
    nsp_timing_report(&res, &out, summary, sizeof summary);
    if (strncmp(summary, "FAIL: frame_median/floor +5", 27) != 0) {
        fail_msg("summary: %s", summary);
    }
    bool found = false;
    for (int i = 0; i < res.n_rows; i++) {
        if (strcmp(res.rows[i].metric, "frame_median/floor") == 0) {
            found = true;
            assert_string_equal(res.rows[i].verdict, "fail");
            if (!strstr(res.rows[i].note, "(raw -3.")) {
                fail_msg("note: %s", res.rows[i].note);
            }
        }
        if (strcmp(res.rows[i].metric, "frame_median_ms") == 0) {
            assert_string_equal(res.rows[i].verdict, "info");
            assert_near(res.rows[i].change, -0.038, 0.01);
        }
    }
    assert_true(found);
    assert_string_equal(res.rows[0].metric, "machine load");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_every_metric_is_declared, teardown),
        cmocka_unit_test_teardown(test_unchanged_passes, teardown),
        cmocka_unit_test_teardown(test_issue10_faster_machine_does_not_excuse, teardown),
        cmocka_unit_test_teardown(test_slower_machine_is_not_a_regression, teardown),
        cmocka_unit_test_teardown(test_faster_machine_is_no_improvement, teardown),
        cmocka_unit_test_teardown(test_setup_parts_follow_the_probe_next_to_them, teardown),
        cmocka_unit_test_teardown(test_slower_code_on_slower_machine_fails, teardown),
        cmocka_unit_test_teardown(test_cpu_work_is_judged_by_the_probe, teardown),
        cmocka_unit_test_teardown(test_busy_machine_is_inconclusive, teardown),
        cmocka_unit_test_teardown(test_stolen_machine_is_inconclusive, teardown),
        cmocka_unit_test_teardown(test_machine_changing_speed_leaves_the_ratio_to_decide, teardown),
        cmocka_unit_test_teardown(test_straddling_interval_is_noisy, teardown),
        cmocka_unit_test_teardown(test_first_set_alone_is_not_confirmed, teardown),
        cmocka_unit_test_teardown(test_sets_that_disagree_do_not_fail, teardown),
        cmocka_unit_test_teardown(test_failed_confirmation_is_an_error, teardown),
        cmocka_unit_test_teardown(test_caps_are_refused, teardown),
        cmocka_unit_test_teardown(test_tiny_zones_are_shown, teardown),
        cmocka_unit_test_teardown(test_missing_ratio_is_skipped, teardown),
        cmocka_unit_test_teardown(test_against_uses_the_other_runs, teardown),
        cmocka_unit_test_teardown(test_report_shows_raw_and_judges_ratio, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
