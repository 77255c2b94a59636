// Tests for src/trace: the Chrome trace writer (what core/timing records,
// written as the format wants: metadata, nesting, tracks, escaping, the atomic
// write), the parsed model of a trace file (every number checked, bad events
// named by index), the checker's rules and the summary's edge cases.
//
// The zone table lives for the whole process, so tests use distinct names.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/timing.h"
#include "json/json.h"
#include "trace/check.h"
#include "trace/model.h"
#include "trace/summary.h"
#include "trace/writer.h"
#include "log_capture.h"
#define TMP_DIR_PREFIX "nsp_test_trace"
#include "tmp_dir.h"
#include "zone_test.h"


static int setup_group(void **state) {
    (void)state;
    nsp_trace_writer_install();
    return tmp_dir_make(TMP_DIR_PREFIX);
}

// ---- helpers on written traces -------------------------------------------

static cJSON *read_trace(const char *path) {
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    assert_non_null(root);
    return root;
}

static void assert_trace_valid(const char *path) {
    nsp_trace_check_t chk;
    int err = nsp_trace_check_file(path, &chk);
    if (err != 0) {
        print_error("%s: %s\n", path, chk.first_problem);
    }
    assert_int_equal(err, 0);
    assert_int_equal(chk.problems, 0);
}

// The nth (0-based) event with this name and phase, or NULL.
static const cJSON *find_event(const cJSON *root, const char *name, const char *ph, int nth) {
    const cJSON *ev;
    cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(root, "traceEvents")) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(ev, "name");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(ev, "ph");
        if (cJSON_IsString(n) && cJSON_IsString(p) && strcmp(n->valuestring, name) == 0 &&
            strcmp(p->valuestring, ph) == 0 && nth-- == 0) {
            return ev;
        }
    }
    return NULL;
}

static int count_events(const cJSON *root, const char *name, const char *ph) {
    int n = 0;
    while (find_event(root, name, ph, n) != NULL) {
        n++;
    }
    return n;
}

static double num(const cJSON *ev, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static const char *str(const cJSON *ev, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

// ---- tests ---------------------------------------------------------------

static void test_zones_nest_in_collector_and_trace(void **state) {
    (void)state;
    const char *path = tmp_path("nest.json");
    record_nested_zones(path, false);

    // The trace is sorted by start: parent first, children inside it.
    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    const cJSON *f = find_event(root, "nest_frame", "X", 0);
    const cJSON *u = find_event(root, "nest_update", "X", 0);
    const cJSON *in = find_event(root, "nest_inner", "X", 0);
    const cJSON *pt = find_event(root, "nest_paint", "X", 0);
    assert_non_null(f);
    assert_non_null(u);
    assert_non_null(in);
    assert_non_null(pt);
    assert_true(num(f, "ts") <= num(u, "ts"));
    assert_true(num(u, "ts") + num(u, "dur") <= num(f, "ts") + num(f, "dur"));
    assert_true(num(u, "ts") <= num(in, "ts"));
    assert_true(num(in, "ts") + num(in, "dur") <= num(u, "ts") + num(u, "dur"));
    assert_true(num(u, "ts") + num(u, "dur") <= num(pt, "ts"));
    assert_true(num(pt, "dur") >= 200.0);  // Microseconds: at least the 0.2 ms slept.
    assert_string_equal(str(u, "cat"), "callback");
    cJSON_Delete(root);
}

static void test_trace_file_follows_the_format(void **state) {
    (void)state;
    const char *path = tmp_path("format.json");
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path, .trace_capacity = 100}), 0);
    for (int frame = 0; frame < 3; frame++) {
        nsp_instant_event_ex("frame", "frame", NSP_INSTANT_THREAD, "frame", frame);
        NSP_ZONE(z, "fmt_callback", "callback");
        nsp_zone_end(&z);
    }
    nsp_instant_event("playback_done", "frame");
    nsp_instant_event_ex("seek", "frame", NSP_INSTANT_PROCESS, NULL, 0);
    assert_int_equal(nsp_timing_shutdown(), 0);

    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    assert_string_equal(str(root, "displayTimeUnit"), "ms");
    const cJSON *other = cJSON_GetObjectItemCaseSensitive(root, "otherData");
    assert_true(cJSON_IsObject(other));
    assert_string_equal(str(other, "clock"), "CLOCK_MONOTONIC");
    assert_int_equal(num(other, "dropped_events"), 0);
    assert_int_equal(num(other, "capacity"), 100);

    // Metadata: process "nsplay", thread "main", pid/tid of this process.
    const cJSON *pn = find_event(root, "process_name", "M", 0);
    const cJSON *tn = find_event(root, "thread_name", "M", 0);
    assert_non_null(pn);
    assert_non_null(tn);
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(pn, "args"), "name"), "nsplay");
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(tn, "args"), "name"), "main");
    assert_int_equal(num(pn, "pid"), getpid());

    // Instant events: per-frame markers with their argument, and scopes.
    assert_int_equal(count_events(root, "frame", "i"), 3);
    for (int frame = 0; frame < 3; frame++) {
        const cJSON *ev = find_event(root, "frame", "i", frame);
        assert_string_equal(str(ev, "s"), "t");
        assert_int_equal(num(cJSON_GetObjectItemCaseSensitive(ev, "args"), "frame"), frame);
        assert_int_equal(num(ev, "tid"), getpid());
    }
    const cJSON *done = find_event(root, "playback_done", "i", 0);
    assert_non_null(done);
    assert_null(cJSON_GetObjectItemCaseSensitive(done, "args"));
    assert_string_equal(str(find_event(root, "seek", "i", 0), "s"), "p");
    // Each marker precedes the zone that followed it.
    for (int frame = 0; frame < 3; frame++) {
        assert_true(num(find_event(root, "frame", "i", frame), "ts") <=
                    num(find_event(root, "fmt_callback", "X", frame), "ts"));
    }
    cJSON_Delete(root);
}

static void test_gpu_track(void **state) {
    (void)state;
    const char *path = tmp_path("gpu.json");
    int paint_gpu = nsp_zone_register("paint_gpu", "gpu");
    assert_true(paint_gpu >= 0);
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path}), 0);
    uint64_t t = nsp_timing_now_ns();
    // A CPU zone on the main track overlapping GPU work is fine: other track.
    nsp_zone_t z = nsp_zone_begin("gpu_cpu_frame", "frame");
    nsp_trace_gpu_event(paint_gpu, t, 1000000);
    nsp_trace_gpu_event(paint_gpu, t + 1000000, 500000);  // Touching: fine.
    nsp_trace_gpu_event(paint_gpu, t + 1200000, 500000);  // Overlaps: left out.
    nsp_trace_gpu_event(paint_gpu, t - 1000000000, 10);   // Before the trace start: left out.
    nsp_zone_end(&z);
    assert_int_equal(calls.n, 1);  // GPU events do not reach the collector.
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_non_null(strstr(captured_log, "zones left out of the trace: 2 "));
    capture_stop();

    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    assert_int_equal(count_events(root, "paint_gpu", "X"), 2);
    const cJSON *gpu = find_event(root, "paint_gpu", "X", 0);
    long pid = (long)getpid();
    assert_int_equal(num(gpu, "tid"), pid + 1);
    assert_int_equal(num(gpu, "dur"), 1000);
    assert_true(fabs(num(find_event(root, "paint_gpu", "X", 1), "ts") - (num(gpu, "ts") + 1000.0)) < 1e-6);
    assert_int_equal(num(find_event(root, "gpu_cpu_frame", "X", 0), "tid"), pid);
    const cJSON *tn = find_event(root, "thread_name", "M", 1);
    assert_non_null(tn);
    assert_int_equal(num(tn, "tid"), pid + 1);
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(tn, "args"), "name"), "gpu");
    cJSON_Delete(root);
}

static void test_callable_filter_limits_the_trace_only(void **state) {
    (void)state;
    const char *path = tmp_path("filter.json");
    const char *const keep[] = {"flt_keep", "flt_never_used"};
    calls_t calls = {0};
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    nsp_timing_set_collector(collect, &calls);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){
                         .trace_path = path, .print_timing = true, .print_stream = out,
                         .filter_callables = true, .callables = keep, .n_callables = 2}),
                     0);
    NSP_TIMED("flt_keep", "callback", (void)0);
    NSP_TIMED("flt_drop", "callback", (void)0);
    NSP_TIMED("flt_loop", NSP_ZONE_CAT_EVENT_LOOP, (void)0);
    nsp_instant_event("flt_marker", "frame");
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    fclose(out);

    // Only the listed zone is traced; event-loop zones are off by default;
    // instants are never filtered.
    cJSON *root = read_trace(path);
    assert_int_equal(count_events(root, "flt_keep", "X"), 1);
    assert_int_equal(count_events(root, "flt_drop", "X"), 0);
    assert_int_equal(count_events(root, "flt_loop", "X"), 0);
    assert_int_equal(count_events(root, "flt_marker", "i"), 1);
    cJSON_Delete(root);
    // The other sinks are not filtered.
    assert_int_equal(calls.n, 3);
    assert_non_null(strstr(buf, "[TIMING] flt_drop: "));
    assert_non_null(strstr(buf, "[TIMING] flt_loop: "));
    free(buf);
    // A filter name that matches no zone is pointed out.
    assert_non_null(strstr(captured_log, "no zone is named 'flt_never_used'"));
    assert_null(strstr(captured_log, "'flt_keep'"));
}

static void test_event_loop_flag(void **state) {
    (void)state;
    const char *path = tmp_path("loop.json");
    const char *const keep[] = {"loop_keep"};
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path, .trace_event_loop = true,
                                                                 .filter_callables = true, .callables = keep,
                                                                 .n_callables = 1}),
                     0);
    NSP_ZONE(loop, "loop_process_events", NSP_ZONE_CAT_EVENT_LOOP);
    NSP_TIMED("loop_keep", "callback", (void)0);
    NSP_TIMED("loop_other", "callback", (void)0);
    nsp_zone_end(&loop);
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    // The event-loop zone is traced though it is in no callable list.
    assert_int_equal(count_events(root, "loop_process_events", "X"), 1);
    assert_int_equal(count_events(root, "loop_keep", "X"), 1);
    assert_int_equal(count_events(root, "loop_other", "X"), 0);
    assert_string_equal(str(find_event(root, "loop_process_events", "X", 0), "cat"), "event_loop");
    cJSON_Delete(root);
}

static void test_full_buffer_drops_and_warns(void **state) {
    (void)state;
    const char *path = tmp_path("full.json");
    overfill_trace(path);

    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    assert_int_equal(count_events(root, "full_zone", "X"), 5);
    assert_int_equal(count_events(root, "full_marker", "i"), 0);
    assert_int_equal(num(cJSON_GetObjectItemCaseSensitive(root, "otherData"), "dropped_events"), 4);
    cJSON_Delete(root);
}

static void test_misnested_zones_are_left_out(void **state) {
    (void)state;
    const char *path = tmp_path("misnest.json");
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path}), 0);
    nsp_zone_t a = nsp_zone_begin("mis_a", "callback");
    nsp_zone_t b = nsp_zone_begin("mis_b", "callback");
    nsp_zone_end(&a);  // Out of order: b is abandoned.
    nsp_zone_end(&b);
    nsp_zone_end(&b);  // A second end is a no-op.
    NSP_TIMED("mis_after", "callback", (void)0);
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_non_null(strstr(captured_log, "zones left out of the trace: 1 "));
    capture_stop();
    assert_int_equal(calls.n, 3);
    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    assert_int_equal(count_events(root, "mis_a", "X"), 1);
    assert_int_equal(count_events(root, "mis_b", "X"), 0);
    assert_int_equal(count_events(root, "mis_after", "X"), 1);
    cJSON_Delete(root);
}

static void test_deep_nesting_beyond_the_stack(void **state) {
    (void)state;
    const char *path = tmp_path("deep.json");
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path}), 0);
    nest_deep_zones();
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_non_null(strstr(captured_log, "zones left out of the trace: 2 "));
    capture_stop();
    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    assert_int_equal(count_events(root, "deep_zone", "X"), NSP_ZONE_MAX_DEPTH);
    cJSON_Delete(root);
}

static void test_names_are_escaped(void **state) {
    (void)state;
    const char *path = tmp_path("escape.json");
    const char *name = "esc \"quoted\" back\\slash\ttab\x01";
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path}), 0);
    nsp_zone_t z = nsp_zone_begin(name, "call\"back");
    nsp_zone_end(&z);
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    const cJSON *ev = find_event(root, name, "X", 0);
    assert_non_null(ev);
    assert_string_equal(str(ev, "cat"), "call\"back");
    cJSON_Delete(root);
}

static int count_dir_entries(void) {
    int n = 0;
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static void test_write_is_atomic_and_errors_name_the_path(void **state) {
    (void)state;
    const char *path = tmp_path("replace.json");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("old contents", f);
    fclose(f);
    int before = count_dir_entries();
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path}), 0);
    NSP_TIMED("atomic_zone", "callback", (void)0);
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_int_equal(count_dir_entries(), before);  // No temporary file left.
    assert_trace_valid(path);

    // The outputs' rule (core/fileio.h): missing parent directories are
    // created, and a parent that is a file is an error naming it.
    char bad[300];
    snprintf(bad, sizeof bad, "%s/no/such/dir/trace.json", tmp_dir);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = bad}), 0);
    NSP_TIMED("atomic_zone", "callback", (void)0);
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_trace_valid(bad);
    snprintf(bad, sizeof bad, "%s/no/such/dir/trace.json/below.json", tmp_dir);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = bad}), 0);
    NSP_TIMED("atomic_zone", "callback", (void)0);
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), NSP_EIO);
    assert_non_null(strstr(captured_log, "cannot write trace"));
    assert_non_null(strstr(captured_log, "no/such/dir/trace.json: exists and is not a directory"));
    capture_stop();
}

// Parses json as the trace "bad.json" into *t; returns the model's result.
static int parse_json(const char *json, nsp_trace_t *t) {
    return nsp_trace_parse(t, "bad.json", json, strlen(json));
}

// The checker itself: each rule must catch its violation.
static void expect_problem(const char *json, const char *fragment) {
    nsp_trace_t t;
    capture_start();
    int err = parse_json(json, &t);
    nsp_trace_check_t chk = {0};
    if (err == 0) {
        err = nsp_trace_check(&t, &chk);
    }
    capture_stop();
    nsp_trace_destroy(&t);
    if (err != NSP_EFORMAT || strstr(chk.first_problem, fragment) == NULL) {
        print_error("for %s\n  got %d '%s', wanted '%s'\n", json, err, chk.first_problem, fragment);
        fail();
    }
}

// The model rejects json with a message holding fragment.
static void expect_rejected(const char *json, const char *fragment) {
    nsp_trace_t t;
    capture_start();
    int err = parse_json(json, &t);
    capture_stop();
    nsp_trace_destroy(&t);
    if (err != NSP_EFORMAT || strstr(captured_log, fragment) == NULL) {
        print_error("for %s\n  got %d '%s', wanted '%s'\n", json, err, captured_log, fragment);
        fail();
    }
}

#define META "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"p\"}}," \
             "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"t\"}}"

// Every field and number is checked once, when the model is built; the
// message names the file, the event index and what was expected.
static void test_model_rejects_bad_events(void **state) {
    (void)state;
    expect_rejected("{\"events\":[]}", "bad.json: not a Chrome trace: expected a \"traceEvents\" array");
    expect_rejected("{\"traceEvents\":[" META ",3]}", "bad.json: event 2: expected an object, got a number");
    expect_rejected("{\"traceEvents\":[" META ",{\"ph\":\"X\",\"ts\":0,\"dur\":1,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 2: name: expected a non-empty string, got nothing");
    expect_rejected("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"XX\",\"ts\":0,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 0: ph: expected one phase letter, got 'XX'");
    expect_rejected("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":1,\"tid\":1}]}",
                    "bad.json: event 2: pid: expected an integer in");
    expect_rejected("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"i\",\"ts\":0,\"pid\":1,\"tid\":1.5}]}",
                    "bad.json: event 0: tid: expected an integer in -9007199254740992..9007199254740992, got 1.5");
    expect_rejected("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":-1,\"pid\":1,"
                    "\"tid\":1}]}",
                    "bad.json: event 2: dur: expected a number in 0..4.6e+15, got -1");
    expect_rejected("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 2: dur: expected a number in 0..4.6e+15, got nothing");
    expect_rejected("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"dur\":1,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 2: ts: expected a number in 0..4.6e+15, got nothing");
    expect_rejected("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"i\",\"ts\":-5,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 0: ts: expected a number in 0..4.6e+15, got -5");
    expect_rejected("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"i\",\"ts\":1e999,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 0: ts: expected a number in 0..4.6e+15, got an infinite one");
    expect_rejected("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"i\",\"ts\":\"5\",\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 0: ts: expected a number in 0..4.6e+15, got a string");
    expect_rejected("{\"traceEvents\":[],\"otherData\":{\"dropped_events\":-2}}",
                    "bad.json: otherData.dropped_events: expected an integer in 0..9007199254740992, got -2");
    // Issue 11's reproducer: ts + dur in nanoseconds would overflow int64.
    expect_rejected("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"X\",\"ts\":9.2e15,\"dur\":1e15,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 0: ts: expected a number in 0..4.6e+15, got 9.2e+15");
    expect_rejected("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"dur\":4.7e15,\"pid\":1,\"tid\":1}]}",
                    "bad.json: event 0: dur: expected a number in 0..4.6e+15, got 4.7e+15");

    // The largest times accepted convert exactly, with no overflow.
    nsp_trace_t t;
    assert_int_equal(parse_json("{\"traceEvents\":[{\"name\":\"a\",\"ph\":\"X\",\"ts\":4.6e15,\"dur\":4.6e15,"
                                "\"pid\":1,\"tid\":1,\"cat\":\"c\",\"args\":{\"k\":1}},"
                                "{\"name\":\"m\",\"ph\":\"M\",\"pid\":2,\"tid\":3}]}",
                                &t),
                     0);
    assert_int_equal(t.n_events, 2);
    assert_int_equal(t.events[0].ts_ns, 4600000000000000000LL);
    assert_int_equal(t.events[0].ts_ns + t.events[0].dur_ns, 9200000000000000000ULL);
    assert_string_equal(t.events[0].cat, "c");
    assert_non_null(t.events[0].args);
    assert_int_equal(t.events[1].ph, 'M');
    assert_int_equal(t.events[1].pid, 2);
    assert_int_equal(t.events[1].tid, 3);
    assert_null(t.events[1].cat);
    nsp_trace_destroy(&t);
    nsp_trace_destroy(&t);  // Safe twice.
}

static void test_checker_catches_each_rule(void **state) {
    (void)state;
    expect_problem("[]", "top-level object");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"Q\",\"ts\":0,\"pid\":1,\"tid\":1}]}",
                   "\"ph\" must be");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"i\",\"ts\":5,\"pid\":1,\"tid\":1},"
                   "{\"name\":\"b\",\"ph\":\"i\",\"ts\":4,\"pid\":1,\"tid\":1}]}",
                   "before the previous event");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"i\",\"s\":\"x\",\"ts\":5,\"pid\":1,"
                   "\"tid\":1}]}",
                   "instant scope");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"i\",\"s\":7,\"ts\":5,\"pid\":1,"
                   "\"tid\":1}]}",
                   "instant scope");
    expect_problem("{\"traceEvents\":[{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1}]}",
                   "metadata 'process_name' has no args object");
    expect_problem("{\"traceEvents\":[{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{}}]}",
                   "metadata 'thread_name' needs args.name (a string), got nothing");
    // A child that outlasts its parent, by one nanosecond.
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"parent\",\"ph\":\"X\",\"ts\":10,\"dur\":5,\"pid\":1,"
                   "\"tid\":1},{\"name\":\"child\",\"ph\":\"X\",\"ts\":12,\"dur\":3.001,\"pid\":1,\"tid\":1}]}",
                   "'child' (ts 12.000, dur 3.001 us) ends 0.001 us after the enclosing 'parent'");
    // A child listed before its parent at the same start.
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"child\",\"ph\":\"X\",\"ts\":10,\"dur\":1,\"pid\":1,"
                   "\"tid\":1},{\"name\":\"parent\",\"ph\":\"X\",\"ts\":10,\"dur\":5,\"pid\":1,\"tid\":1}]}",
                   "after the enclosing 'child'");
    expect_problem("{\"traceEvents\":[{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":"
                   "{\"name\":\"t\"}},{\"name\":\"a\",\"ph\":\"i\",\"ts\":1,\"pid\":1,\"tid\":1}]}",
                   "pid 1 has events but no process_name");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"i\",\"ts\":1,\"pid\":1,\"tid\":2}]}",
                   "tid 2 (pid 1) has events but no thread_name");
    expect_problem("{\"traceEvents\":[" META "],\"displayTimeUnit\":\"s\"}", "displayTimeUnit");

    // And accepts what is right: siblings touching, nesting on two threads,
    // a zero-length zone at its parent's end.
    const char *ok = "{\"traceEvents\":[" META ",{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,"
                     "\"tid\":2,\"args\":{\"name\":\"u\"}},"
                     "{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":1},"
                     "{\"name\":\"b\",\"ph\":\"X\",\"ts\":0,\"dur\":4,\"pid\":1,\"tid\":1},"
                     "{\"name\":\"o\",\"ph\":\"X\",\"ts\":2,\"dur\":20,\"pid\":1,\"tid\":2},"
                     "{\"name\":\"c\",\"ph\":\"X\",\"ts\":4,\"dur\":6,\"pid\":1,\"tid\":1},"
                     "{\"name\":\"d\",\"ph\":\"X\",\"ts\":10,\"dur\":0,\"pid\":1,\"tid\":1},"
                     "{\"name\":\"e\",\"ph\":\"X\",\"ts\":10,\"dur\":3,\"pid\":1,\"tid\":1}],"
                     "\"displayTimeUnit\":\"ms\"}";
    nsp_trace_t t;
    assert_int_equal(parse_json(ok, &t), 0);
    nsp_trace_check_t chk;
    int err = nsp_trace_check(&t, &chk);
    if (err) {
        print_error("%s\n", chk.first_problem);
    }
    assert_int_equal(err, 0);
    assert_int_equal(chk.events, 9);
    assert_int_equal(chk.complete, 6);
    assert_int_equal(chk.metadata, 3);
    nsp_trace_destroy(&t);
}

// The summary of the trace json with its top 10 zones, as printed; the caller
// frees it.
static char *summary_of(const char *json) {
    nsp_trace_t t;
    assert_int_equal(parse_json(json, &t), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(nsp_trace_summary_print(&t, out, 10), 0);
    fclose(out);
    nsp_trace_destroy(&t);
    return buf;
}

// Issue 11's reproducer: a trace with no complete events is summarized (no
// zone tables, said so) without handing qsort() a NULL array.
static void test_summary_without_complete_events(void **state) {
    (void)state;
    const char *cases[] = {
        "{\"traceEvents\":[]}",
        "[]",
        "{\"traceEvents\":[" META ",{\"name\":\"mark\",\"ph\":\"i\",\"ts\":3000,\"pid\":1,\"tid\":1}]}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *buf = summary_of(cases[i]);
        assert_non_null(strstr(buf, "Complete events: none"));
        assert_non_null(strstr(buf, "Total duration: 0.000 ms"));
        assert_null(strstr(buf, "Top zones"));
        free(buf);
    }
}

// The summary's times come from the model's integer nanoseconds.
static void test_summary_of_a_small_trace(void **state) {
    (void)state;
    char *buf = summary_of("{\"traceEvents\":[" META ",{\"name\":\"f\",\"cat\":\"frame\",\"ph\":\"X\","
                           "\"ts\":1000,\"dur\":4000,\"pid\":1,\"tid\":1},{\"name\":\"c\",\"cat\":\"callback\","
                           "\"ph\":\"X\",\"ts\":2000,\"dur\":1000,\"pid\":1,\"tid\":1},{\"name\":\"m\","
                           "\"ph\":\"i\",\"ts\":7000,\"pid\":1,\"tid\":1}]}");
    assert_non_null(strstr(buf, "Events: 2 complete, 1 instant, 2 metadata, 0 other"));
    assert_null(strstr(buf, "Dropped events"));
    assert_non_null(strstr(buf, "Total duration: 6.000 ms"));
    assert_non_null(strstr(buf, "frame                       3.000 ms   50.0%"));
    assert_non_null(strstr(buf, "m           1        6.000        6.000"));
    free(buf);
}

// Metadata as Chrome writes it, one track per tid, and the reference track
// named for what it holds.
static void test_reference_track_and_metadata(void **state) {
    (void)state;
    const char *path = tmp_path("reference.json");
    int floor = nsp_zone_register("floor_frame", "reference");
    assert_true(floor >= 0);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path}), 0);
    uint64_t t = nsp_timing_now_ns();
    NSP_TIMED("ref_frame", "frame", (void)0);
    nsp_trace_track_event(NSP_TRACE_TRACK_REFERENCE, floor, t, 2000);
    assert_int_equal(nsp_timing_shutdown(), 0);

    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    long pid = (long)getpid();
    const cJSON *ev = find_event(root, "floor_frame", "X", 0);
    assert_non_null(ev);
    assert_int_equal(num(ev, "tid"), pid + 2);
    assert_int_equal(num(ev, "pid"), pid);
    assert_string_equal(str(ev, "cat"), "reference");
    assert_int_equal(num(ev, "dur"), 2);
    assert_int_equal(count_events(root, "thread_name", "M"), 2);  // main and reference; no GPU track.
    const cJSON *tn = find_event(root, "thread_name", "M", 1);
    assert_int_equal(num(tn, "tid"), pid + 2);
    assert_int_equal(num(tn, "pid"), pid);
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(tn, "args"), "name"), "reference");
    // Every metadata event as Chrome writes its own: category __metadata, ts 0.
    for (int i = 0; i < 2; i++) {
        const cJSON *m = find_event(root, "thread_name", "M", i);
        assert_string_equal(str(m, "cat"), "__metadata");
        assert_int_equal(num(m, "ts"), 0);
    }
    const cJSON *pn = find_event(root, "process_name", "M", 0);
    assert_string_equal(str(pn, "cat"), "__metadata");
    assert_int_equal(num(pn, "tid"), pid);
    cJSON_Delete(root);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_zones_nest_in_collector_and_trace, teardown),
        cmocka_unit_test_teardown(test_trace_file_follows_the_format, teardown),
        cmocka_unit_test_teardown(test_gpu_track, teardown),
        cmocka_unit_test_teardown(test_reference_track_and_metadata, teardown),
        cmocka_unit_test_teardown(test_callable_filter_limits_the_trace_only, teardown),
        cmocka_unit_test_teardown(test_event_loop_flag, teardown),
        cmocka_unit_test_teardown(test_full_buffer_drops_and_warns, teardown),
        cmocka_unit_test_teardown(test_misnested_zones_are_left_out, teardown),
        cmocka_unit_test_teardown(test_deep_nesting_beyond_the_stack, teardown),
        cmocka_unit_test_teardown(test_names_are_escaped, teardown),
        cmocka_unit_test_teardown(test_write_is_atomic_and_errors_name_the_path, teardown),
        cmocka_unit_test(test_model_rejects_bad_events),
        cmocka_unit_test(test_checker_catches_each_rule),
        cmocka_unit_test(test_summary_without_complete_events),
        cmocka_unit_test(test_summary_of_a_small_trace),
    };
    return cmocka_run_group_tests(tests, setup_group, tmp_dir_teardown);
}
