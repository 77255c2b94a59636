// Baseline files and documented targets: every malformed baseline is
// reported naming the file and the problem, and a good one loads.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/fileio.h"
#include "gate/gate.h"
#include "assert_double.h"
#include "log_capture.h"
#define TMP_DIR_PREFIX "nsplay-test-baseline"
#include "tmp_dir.h"

static void write_file(const char *rel, const char *text) {
    const char *path = tmp_path(rel);
    assert_int_equal(nsp_file_mkdirs_parent(path), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#define META "\"schema\": 1, \"scenario\": \"events\", \"digest\": \"abc\", \"commit\": \"c1\", \"date\": \"d\""
#define COUNTERS                                                                                                       \
    "\"counters\": {\"draw_calls\": 200, \"vertices\": 2357, \"bytes_uploaded\": 10, \"texture_uploads\": 100, "       \
    "\"buffer_uploads\": 100, \"allocations_during_playback\": 0}"

static int load(nsp_gate_baselines_t *b) {
    capture_start();
    int err = nsp_gate_load_baselines(tmp_dir, "events", "prof", "tool", b);
    capture_stop();
    return err;
}

static void test_good_files_load(void **state) {
    (void)state;
    write_file("counters/events.json", "{" META ", \"kind\": \"counters\", " COUNTERS "}");
    write_file("instructions/tool/events.json",
               "{" META ", \"kind\": \"instructions\", \"toolchain\": \"tool\", \"zones\": {\"render_event_overlay\": 18916}}");
    write_file("timing/prof/events.json",
               "{" META ", \"kind\": \"timing\", \"cores\": 2, \"repetitions\": 3, \"metrics\": "
               "{\"frame_median_ms\": {\"samples\": [1.0, 1.1, 0.9]}, \"setup_ms\": {\"samples\": [30, 31, 29]}}}");
    nsp_gate_baselines_t b;
    assert_int_equal(load(&b), 0);
    assert_true(b.has_counters);
    assert_true(b.has_instructions);
    assert_true(b.has_timing);
    assert_double_equal(b.counters[NSP_COUNTER_VERTICES], 2357);
    assert_string_equal(b.instructions.name[0], "render_event_overlay");
    assert_double_equal(b.instructions.v[0], 18916);
    assert_int_equal(b.timing.n_metrics, 2);
    assert_int_equal(b.timing.n_samples, 3);
    assert_double_equal(b.timing.v[1][2], 29);
    assert_string_equal(b.timing_meta.digest, "abc");
    assert_int_equal(b.timing_meta.cores, 2);
}

static void test_missing_files_are_not_errors(void **state) {
    (void)state;
    nsp_gate_baselines_t b;
    assert_int_equal(load(&b), 0);
    assert_false(b.has_counters);
    assert_false(b.has_instructions);
    assert_false(b.has_timing);
}

// Case i: rel holding text fails to load, loads nothing, and the message
// says needle and names the file.
static void assert_load_fails(size_t i, const char *rel, const char *text, const char *needle) {
    write_file(rel, text);
    nsp_gate_baselines_t b;
    assert_int_equal(load(&b), NSP_EFORMAT);
    assert_false(b.has_counters);
    assert_false(b.has_timing);
    if (!strstr(captured_log, needle) || !strstr(captured_log, rel)) {
        fail_msg("case %zu: wanted '%s' naming %s, got: %s", i, needle, rel, captured_log);
    }
}

// A broken file's text and the words its message must contain.
typedef struct broken_case {
    const char *text;
    const char *needle;
} broken_case_t;

static void check_broken(const char *rel, const broken_case_t *cases, size_t n) {
    for (size_t i = 0; i < n; i++) {
        assert_load_fails(i, rel, cases[i].text, cases[i].needle);
    }
}

static void test_broken_counters(void **state) {
    (void)state;
    static const broken_case_t cases[] = {
        {"{\"schema\": 1, \"kind\": \"coun", "malformed JSON"},
        {"[1, 2]", "expected a JSON object"},
        {"{\"kind\": \"counters\"}", "no \"schema\" number"},
        {"{\"schema\": 7, \"kind\": \"counters\"}", "schema 7, this nsplay reads schema 1"},
        {"{" META ", \"kind\": \"timing\", " COUNTERS "}", "\"kind\" should be \"counters\""},
        {"{\"schema\": 1, \"kind\": \"counters\", \"scenario\": \"all6\"}", "\"scenario\" should be \"events\""},
        {"{\"schema\": 1, \"kind\": \"counters\", \"scenario\": \"events\", \"digest\": 5}", "\"digest\" should be a string"},
        {"{" META ", \"kind\": \"counters\", \"counters\": [1]}", "\"counters\" should be an object"},
        {"{" META ", \"kind\": \"counters\", \"counters\": {\"draw_calls\": -1}}",
         "counters.draw_calls: expected an integer in 0..9007199254740992, got -1"},
        // Issue 11 item 3: infinity passed !(v >= 0) and made tier a pass forever.
        {"{" META ", \"kind\": \"counters\", \"counters\": {\"draw_calls\": 1e999}}",
         "counters.draw_calls: expected an integer in 0..9007199254740992, got an infinite number"},
        {"{" META ", \"kind\": \"counters\", \"counters\": {\"draw_calls\": 2.5}}", "got 2.5"},
        {"{" META ", \"kind\": \"counters\", \"counters\": {\"draw_calls\": \"3\"}}", "got a string"},
        {"{" META ", \"kind\": \"counters\", \"counters\": {\"draw_calls\": 1}}", "counter \"vertices\" is missing"},
    };
    check_broken("counters/events.json", cases, sizeof cases / sizeof cases[0]);
}

// A timing baseline with these metrics.
#define TIMING(metrics) "{" META ", \"kind\": \"timing\", \"metrics\": " metrics "}"

static void test_broken_timing(void **state) {
    (void)state;
    static const broken_case_t cases[] = {
        {TIMING("[]"), "\"metrics\" should be an object"},
        {TIMING("{\"frame_median_ms\": {\"samples\": [1, 2]}}"), "needs a \"samples\" array of 3.."},
        {TIMING("{\"frame_median_ms\": {\"samples\": [1, 2, -3]}}"),
         "metric frame_median_ms sample 2: ms: expected a number in 1e-09..86400000, got -3"},
        // Issue 11 item 3: infinite samples ended in "positive medians (got -nan)".
        {TIMING("{\"frame_median_ms\": {\"samples\": [1e999, 1e999, 1e999]}}"),
         "metric frame_median_ms sample 0: ms: expected a number in 1e-09..86400000, got an infinite one"},
        {TIMING("{\"frame_median_ms\": {\"samples\": [0, 1, 1]}}"), "sample 0: ms: expected a number in 1e-09"},
        {"{" META ", \"kind\": \"timing\", \"cores\": 1e300, \"metrics\": {}}",
         "cores: expected an integer in 1..65536, got 1e+300"},
        {"{" META ", \"kind\": \"timing\", \"repetitions\": -2, \"metrics\": {}}",
         "repetitions: expected an integer in 1..64, got -2"},
        {TIMING("{\"a_ms\": {\"samples\": [1, 2, 3]}, \"b_ms\": {\"samples\": [1, 2, 3, 4]}}"), "has 4 samples, the others 3"},
    };
    check_broken("timing/prof/events.json", cases, sizeof cases / sizeof cases[0]);
}

static void test_targets(void **state) {
    (void)state;
    const nsp_target_t *cb = &nsp_targets[NSP_TARGET_CALLBACKS];
    assert_int_equal(nsp_target_judge(cb, 4.9), NSP_VERDICT_PASS);
    assert_int_equal(nsp_target_judge(cb, 5.0), NSP_VERDICT_WARN);
    assert_int_equal(nsp_target_judge(cb, 9.99), NSP_VERDICT_WARN);
    assert_int_equal(nsp_target_judge(cb, 10.0), NSP_VERDICT_FAIL);
    assert_int_equal(nsp_target_judge(cb, NAN), NSP_VERDICT_NA);
    // Set-up has no acceptable bound: beyond its target it only warns.
    assert_int_equal(nsp_target_judge(&nsp_targets[NSP_TARGET_SETUP], 100.0), NSP_VERDICT_WARN);
    assert_string_equal(nsp_verdict_mark(NSP_VERDICT_FAIL), "✗");
    assert_string_equal(nsp_verdict_name(NSP_VERDICT_NA), "not measured");
    // A run without --fps has no skip rate; one with has dropped / slots.
    nsp_bench_result_t r;
    assert_int_equal(nsp_bench_result_init(&r, 4), 0);
    assert_nan(nsp_target_value(&r, NSP_TARGET_SKIP_RATE));
    r.fps = 25.0;
    r.shown = 3;
    r.dropped = 1;
    assert_double_equal(nsp_target_value(&r, NSP_TARGET_SKIP_RATE), 25.0);
    r.frames = 2;
    r.rss_first_kib = 1000;
    r.rss_last_kib = 1300;
    assert_double_equal(nsp_target_value(&r, NSP_TARGET_MEMORY), 300.0);
    assert_int_equal(nsp_target_judge(&nsp_targets[NSP_TARGET_MEMORY], 300.0), NSP_VERDICT_WARN);
    nsp_bench_result_destroy(&r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_files_load, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_missing_files_are_not_errors, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_broken_counters, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_broken_timing, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test(test_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
