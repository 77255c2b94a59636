// The measurement layer without GL: a session on the null backend, the frame
// loop, the bench JSON's one writer and reader (every figure back as
// written, under the gate's metric names), and the test-only faults (a
// step's extra work through the scene's hook, extra draws through the
// backend's set_test, paint time through the wrapped table).
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "bench/bench.h"
#include "bench/probe.h"
#include "bench/metrics.h"
#include "bench/report.h"
#include "bench/targets.h"
#include "core/timing.h"
#include "core/digest.h"
#include "core/error.h"
#include "log_capture.h"
#include "tmp_dir.h"

// Exactly the same double (bit for bit); cmocka prints both on a mismatch.
#define assert_same_double(a, b)                                                                                       \
    do {                                                                                                               \
        double x_ = (a), y_ = (b);                                                                                     \
        assert_memory_equal(&x_, &y_, sizeof x_);                                                                      \
    } while (0)

static int setup(void **state) {
    (void)state;
    return tmp_dir_make("nsplay-test-bench");
}

static int teardown(void **state) {
    (void)state;
    unsetenv(NSP_TEST_SLOWDOWN_ENV);
    return tmp_dir_remove();
}

// A small all-overlay session on the null backend, with spec as the
// slowdown; 0 or the first error.
static int start(nsp_session_t *s, const char *spec) {
    if (spec) {
        setenv(NSP_TEST_SLOWDOWN_ENV, spec, 1);
    } else {
        unsetenv(NSP_TEST_SLOWDOWN_ENV);
    }
    nsp_session_opts_t o = {0};
    nsp_scenario_desc_default(&o.scenario);
    o.scenario.frames = 60;
    o.scenario.playback_frames = 12;
    o.scenario.overlays = NSP_OVERLAY_ALL;
    int err = nsp_session_init(s, &o);
    return err ? err : nsp_session_attach_null(s);
}

// Runs s's timed frames into r (initialised here).
static void run(nsp_session_t *s, nsp_bench_result_t *r) {
    assert_int_equal(nsp_bench_result_init(r, (size_t)s->opts.scenario.playback_frames), 0);
    r->scenario = s->sc.desc;
    r->canvas_w = s->scene.layout.canvas_w;
    r->canvas_h = s->scene.layout.canvas_h;
    r->headless = true;
    r->setup_s = 0.25;
    r->setup_scenario_s = 0.125;
    r->setup_renderer_s = 0.0625;  // Context creation left unmeasured: null in the file.
    snprintf(r->shader_cache, sizeof r->shader_cache, "cold");
    nsp_machine_detect(&r->machine);
    snprintf(r->machine.gl_renderer, sizeof r->machine.gl_renderer, "none (null backend)");
    assert_int_equal(nsp_bench_run(s, &(nsp_bench_opts_t){.floor = true}, r), 0);
    assert_int_equal(nsp_scenario_digest(&s->sc, &r->digest), 0);
}

static void test_json_round_trip(void **state) {
    (void)state;
    nsp_session_t s;
    assert_int_equal(start(&s, NULL), 0);
    nsp_bench_result_t a, b;
    run(&s, &a);
    // The probes (bench/probe.h) as a GL run records them: the null
    // backend draws no floor frame, so set them here.
    a.fault_probe_ms = nsp_probe_faults_ms();
    a.fault_probe_after_ms = nsp_probe_faults_ms();
    assert_true(a.fault_probe_ms > 0.0);
    assert_true(a.fault_probe_after_ms > 0.0);
    for (size_t i = 0; i < a.frames; i++) {
        a.cpu_probe_ms[i] = nsp_probe_cpu_ms();
        assert_true(a.cpu_probe_ms[i] > 0.0);
    }
    const char *path = tmp_path("run.json");
    assert_int_equal(nsp_report_write_json(path, &a), 0);
    assert_int_equal(nsp_report_read_json(path, &b), 0);
    assert_int_equal(b.frames, a.frames);
    assert_int_equal(b.digest, a.digest);
    assert_int_equal(b.scenario.overlays, a.scenario.overlays);
    assert_int_equal(b.scenario.seed, a.scenario.seed);
    assert_int_equal(b.phase_count, a.phase_count);
    assert_string_equal(b.machine.cpu, a.machine.cpu);
    assert_string_equal(b.machine.gl_renderer, a.machine.gl_renderer);
    assert_int_equal(b.allocations_during_playback, UINT64_MAX);  // Not counted: no alloc_count.
    assert_same_double(b.setup_scenario_s, 0.125);
    assert_true(isnan(b.setup_context_s));
    assert_same_double(b.setup_renderer_s, 0.0625);
    assert_string_equal(b.shader_cache, "cold");
    double ca[NSP_COUNTER_COUNT], cb[NSP_COUNTER_COUNT];
    nsp_metrics_counters(&a, ca);
    nsp_metrics_counters(&b, cb);
    for (int i = 0; i < NSP_COUNTER_ALLOCATIONS; i++) {
        assert_same_double(cb[i], ca[i]);
    }
    assert_true(isnan(cb[NSP_COUNTER_ALLOCATIONS]));
    // Every timing metric, by the gate's name, exactly as from the run itself.
    nsp_metrics_t ma = {0}, mb = {0};
    nsp_metrics_timing(&a, &ma);
    nsp_metrics_timing(&b, &mb);
    assert_int_equal(mb.n, ma.n);
    assert_string_equal(ma.name[0], "frame_median_ms");
    bool has_fault_probe = false, has_fault_probe_after = false, has_callbacks_cpu = false;
    for (int i = 0; i < ma.n; i++) {
        has_fault_probe = has_fault_probe || strcmp(ma.name[i], "fault_probe_ms") == 0;
        has_fault_probe_after = has_fault_probe_after || strcmp(ma.name[i], "fault_probe_after_ms") == 0;
        has_callbacks_cpu = has_callbacks_cpu || strcmp(ma.name[i], "callbacks_total/cpu") == 0;
    }
    assert_true(has_fault_probe);
    assert_true(has_fault_probe_after);
    assert_true(has_callbacks_cpu);
    assert_same_double(b.fault_probe_ms, a.fault_probe_ms);
    assert_same_double(b.fault_probe_after_ms, a.fault_probe_after_ms);
    for (int i = 0; i < ma.n; i++) {
        assert_string_equal(mb.name[i], ma.name[i]);
        assert_same_double(mb.v[i], ma.v[i]);
    }
    for (int t = 0; t < NSP_TARGET_COUNT; t++) {
        double va = nsp_target_value(&a, (nsp_target_id_t)t), vb = nsp_target_value(&b, (nsp_target_id_t)t);
        assert_int_equal(isnan(vb), isnan(va));
        if (!isnan(va)) {
            assert_same_double(vb, va);
        }
    }
    nsp_bench_result_destroy(&a);
    nsp_bench_result_destroy(&b);
    nsp_session_destroy(&s);
}

// The value of the metric named name in m; NaN when m has none.
static double metric(const nsp_metrics_t *m, const char *name) {
    for (int i = 0; i < m->n; i++) {
        if (strcmp(m->name[i], name) == 0) {
            return m->v[i];
        }
    }
    return NAN;
}

// Tier c judges the paint tier d reads: on llvmpipe, where the timer query
// times only the submission, from the first draw call to glFinish, frame by
// frame; on another driver the timer query's.
static void test_timing_paint_is_the_targets_paint(void **state) {
    (void)state;
    nsp_session_t s;
    assert_int_equal(start(&s, NULL), 0);
    nsp_bench_result_t r;
    run(&s, &r);
    for (size_t i = 0; i < r.frames; i++) {
        r.phases[NSP_PHASE_PAINT_GPU].ms[i] = 0.01;  // A submission's worth.
        r.phases[NSP_PHASE_DRAW].ms[i] = 0.05;
        r.phases[NSP_PHASE_FINISH].ms[i] = 1.0 + 0.01 * (double)i;
        r.floor_ms[i] = 1.0;
    }
    snprintf(r.machine.gl_renderer, sizeof r.machine.gl_renderer, "llvmpipe (LLVM 15.0.6, 256 bits)");
    assert_int_equal(nsp_paint_source(&r), NSP_PAINT_DRAW_TO_FINISH);
    nsp_metrics_t m = {0};
    nsp_metrics_timing(&r, &m);
    const double paint = metric(&m, "paint_gpu_ms"), per_floor = metric(&m, "paint_gpu/floor");
    // The median of the frames' draw + finish: between the middle two.
    const double lo = 0.05 + 1.0 + 0.01 * (double)((r.frames - 1) / 2);
    const double hi = 0.05 + 1.0 + 0.01 * (double)(r.frames / 2);
    if (!(paint >= lo - 1e-12 && paint <= hi + 1e-12) || !(per_floor >= lo - 1e-12 && per_floor <= hi + 1e-12)) {
        fail_msg("paint_gpu_ms %.6f, paint_gpu/floor %.6f: want the draw-to-finish median, %.6f..%.6f", paint,
                 per_floor, lo, hi);
    }
    // A driver whose timer query sees the raster: the query's own figure.
    snprintf(r.machine.gl_renderer, sizeof r.machine.gl_renderer, "AMD Radeon (radeonsi)");
    for (size_t i = 0; i < r.frames; i++) {
        r.phases[NSP_PHASE_PAINT_GPU].ms[i] = 0.9;
    }
    assert_int_equal(nsp_paint_source(&r), NSP_PAINT_TIMER_QUERY);
    nsp_metrics_t g = {0};
    nsp_metrics_timing(&r, &g);
    if (fabs(metric(&g, "paint_gpu_ms") - 0.9) > 1e-12) {
        fail_msg("paint_gpu_ms %.6f with a timer query that sees the raster, want 0.9", metric(&g, "paint_gpu_ms"));
    }
    nsp_bench_result_destroy(&r);
    nsp_session_destroy(&s);
}

// Tier c judges the draw phase against the floor frame, and the set-up in
// its two parts against the page-fault probe: context creation, and all
// the rest (nsplay's own), which a slower scenario or shader build moves.
static void test_timing_draw_and_setup_parts(void **state) {
    (void)state;
    nsp_session_t s;
    assert_int_equal(start(&s, NULL), 0);
    nsp_bench_result_t r;
    run(&s, &r);
    for (size_t i = 0; i < r.frames; i++) {
        r.phases[NSP_PHASE_DRAW].ms[i] = 0.2;
        r.floor_ms[i] = 1.6;
    }
    r.setup_s = 0.125;
    r.setup_context_s = 0.1;
    r.fault_probe_ms = 2.5;
    r.fault_probe_after_ms = 2.0;
    nsp_metrics_t m = {0};
    nsp_metrics_timing(&r, &m);
    const struct {
        const char *name;
        double want;
    } cases[] = {
        {"draw_ms", 0.2}, {"draw/floor", 0.125}, {"setup_context_ms", 100.0}, {"setup_own_ms", 25.0},
        {"setup_context/faults", 40.0}, {"setup_own/faults_after", 12.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const double got = metric(&m, cases[i].name);
        if (!(fabs(got - cases[i].want) <= 1e-9 * cases[i].want)) {
            fail_msg("%s: got %.9g, want %.9g", cases[i].name, got, cases[i].want);
        }
    }
    // Context creation unmeasured (no GL): no parts, rather than wrong ones.
    r.setup_context_s = NAN;
    nsp_metrics_t n = {0};
    nsp_metrics_timing(&r, &n);
    if (!isnan(metric(&n, "setup_own_ms")) || !isnan(metric(&n, "setup_own/faults_after"))) {
        fail_msg("setup_own_ms %g, setup_own/faults_after %g without a context time: want neither",
                 metric(&n, "setup_own_ms"), metric(&n, "setup_own/faults_after"));
    }
    nsp_bench_result_destroy(&r);
    nsp_session_destroy(&s);
}

// Writes text to tmp_dir/other.json, which the bench-JSON reader must refuse
// as malformed; returns the file's path, with what was logged in captured_log.
static const char *refused_bench_json(const char *text) {
    const char *path = tmp_write("other.json", text);
    assert_non_null(path);
    nsp_bench_result_t r;
    capture_start();
    assert_int_equal(nsp_report_read_json(path, &r), NSP_EFORMAT);
    capture_stop();
    nsp_bench_result_destroy(&r);
    return path;
}

// A schema 1 file (before set-up's parts) still reads: the parts NAN, the
// shader cache unknown, every other figure as written.
static void test_json_reads_schema_1(void **state) {
    (void)state;
    nsp_session_t s;
    assert_int_equal(start(&s, NULL), 0);
    nsp_bench_result_t a, b;
    run(&s, &a);
    const char *path = tmp_path("v1.json");
    assert_int_equal(nsp_report_write_json(path, &a), 0);
    char text[1 << 16];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *schema = strstr(text, "\"nsplay-bench/2\"");
    assert_non_null(schema);
    schema[strlen("\"nsplay-bench/")] = '1';
    char *setup = strstr(text, "\"setup\":");
    assert_non_null(setup);
    setup[1] = 'X';  // "Xetup": no setup object for the reader.
    assert_non_null(tmp_write("v1.json", text));
    assert_int_equal(nsp_report_read_json(path, &b), 0);
    assert_same_double(b.setup_s, a.setup_s);
    assert_true(isnan(b.setup_scenario_s));
    assert_true(isnan(b.setup_renderer_s));
    assert_string_equal(b.shader_cache, "unknown");
    assert_int_equal(b.frames, a.frames);
    nsp_bench_result_destroy(&a);
    nsp_bench_result_destroy(&b);
    nsp_session_destroy(&s);
}

static void test_json_refuses_other_files(void **state) {
    (void)state;
    const char *path = refused_bench_json("{\"schema\": \"nsplay-bench/9\"}\n");
    assert_non_null(strstr(captured_log, "schema 'nsplay-bench/9', expected nsplay-bench/2 or nsplay-bench/1"));
    assert_non_null(strstr(captured_log, path));

    refused_bench_json("{\"schema\": \"nsplay-bench/1\",\n \"frame_ms\": [");
    assert_non_null(strstr(captured_log, "malformed JSON"));
    assert_non_null(strstr(captured_log, ":2:"));

    refused_bench_json("{\"schema\": \"nsplay-bench/1\", \"frame_ms\": {}, \"floor_ms\": {}}");
    assert_non_null(strstr(captured_log, "expected a field 'phases_ms'"));
}

static void test_fault_extra_draws_are_counted(void **state) {
    (void)state;
    nsp_session_t s;
    nsp_bench_result_t plain, extra;
    assert_int_equal(start(&s, NULL), 0);
    run(&s, &plain);
    nsp_session_destroy(&s);
    assert_int_equal(start(&s, "extra_draws=3"), 0);
    run(&s, &extra);
    nsp_session_destroy(&s);
    assert_int_equal(extra.counters_frame.draw_calls, plain.counters_frame.draw_calls + 3);
    assert_int_equal(extra.counters_total.draw_calls, plain.counters_total.draw_calls + 3 * plain.frames);
    assert_int_equal(extra.counters_total.vertices, plain.counters_total.vertices);
    nsp_bench_result_destroy(&plain);
    nsp_bench_result_destroy(&extra);
}

static void test_fault_hooks_the_named_step(void **state) {
    (void)state;
    nsp_session_t s;
    assert_int_equal(start(&s, NULL), 0);
    assert_null(s.scene.step_hook);
    assert_ptr_equal(s.backend.self, s.backend_state);  // Nothing wrapped.
    nsp_session_destroy(&s);

    assert_int_equal(start(&s, "render_event_overlay:loops=1000,paint:us=1"), 0);
    int step = nsp_scene_find_step(&s.scene, "render_event_overlay");
    assert_in_range(step, 0, NSP_SCENE_MAX_STEPS - 1);
    assert_non_null(s.scene.step_hook);
    assert_int_equal(s.fault.step_loops[step], 1000);
    assert_int_equal(s.fault.paint_ns, 1000);
    // Paint time wraps the table; the backend is still the null one beneath.
    assert_ptr_equal(s.backend.self, &s.fault);
    assert_string_equal(s.backend.name, "null");
    nsp_bench_result_t r;
    run(&s, &r);
    assert_int_equal(r.counters_total.frames, r.frames);
    nsp_bench_result_destroy(&r);
    nsp_session_destroy(&s);
}

// setup:us=N spins inside the session's set-up: wall time that instruction
// counts cannot see, for the gate's power measurements of set-up.
static void test_fault_slows_the_setup(void **state) {
    (void)state;
    nsp_session_t s;
    uint64_t t0 = nsp_timing_now_ns();
    assert_int_equal(start(&s, "setup:us=20000"), 0);
    uint64_t ns = nsp_timing_now_ns() - t0;
    assert_int_equal(s.fault.setup_ns, 20000000);
    if (ns < 20000000) {
        fail_msg("set-up took %llu ns, want at least 20 ms", (unsigned long long)ns);
    }
    nsp_session_destroy(&s);
    unsetenv(NSP_TEST_SLOWDOWN_ENV);
}

static void test_fault_rejects_bad_specs(void **state) {
    (void)state;
    nsp_session_t s;
    capture_start();
    assert_int_equal(start(&s, "no_such_step:loops=5"), NSP_EINVAL);
    nsp_session_destroy(&s);
    assert_int_equal(start(&s, "wobble"), NSP_EINVAL);
    nsp_session_destroy(&s);
    assert_int_equal(start(&s, "wobble=2"), NSP_EINVAL);
    nsp_session_destroy(&s);
    capture_stop();
    assert_non_null(strstr(captured_log, "no per-frame step named 'no_such_step'"));
    assert_non_null(strstr(captured_log, "cannot read 'wobble'"));
    assert_non_null(strstr(captured_log, "null backend: no test variant named 'wobble'"));
}

static void test_null_backend_table(void **state) {
    (void)state;
    nsp_session_t s;
    assert_int_equal(start(&s, NULL), 0);
    int w = 0, h = 0;
    s.backend.target_size(s.backend.self, &w, &h);
    assert_int_equal(w, s.scene.layout.canvas_w);
    assert_int_equal(h, s.scene.layout.canvas_h);
    s.backend.resize(s.backend.self, 640, 480);
    s.backend.target_size(s.backend.self, &w, &h);
    assert_int_equal(w, 640);
    assert_int_equal(h, 480);
    assert_null(s.backend.read_rgba);  // No pixels.
    assert_null(s.backend.draw_floor);
    const nsp_frame_t *f = nsp_session_draw(&s, 5);
    assert_int_equal(f->index, 5);
    assert_int_equal(s.backend.counters(s.backend.self, 1)->frames, 1);
    nsp_session_destroy(&s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_timing_paint_is_the_targets_paint),
        cmocka_unit_test(test_timing_draw_and_setup_parts),
        cmocka_unit_test(test_json_reads_schema_1),
        cmocka_unit_test(test_json_refuses_other_files),
        cmocka_unit_test(test_fault_extra_draws_are_counted),
        cmocka_unit_test(test_fault_hooks_the_named_step),
        cmocka_unit_test(test_fault_slows_the_setup),
        cmocka_unit_test(test_fault_rejects_bad_specs),
        cmocka_unit_test(test_null_backend_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
