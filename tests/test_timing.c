// Tests for core/timing: the [TIMING] line, zone nesting, the collector's ids
// and names, instant events, the callable filter and the event-loop flag,
// buffer-full dropping, misnested zones, JSON escaping, the atomic write, and
// the written trace checked against the Trace Event Format's rules (by
// cli/trace_check, which the benchmark's trace test reuses).
//
// The zone table lives for the whole process, so tests use distinct names;
// the table-full test runs last.
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

#include "gate/json_file.h"
#include "cli/trace_check.h"
#include "core/error.h"
#include "core/timing.h"
#include "log_capture.h"
#include "tmp_dir.h"


static void sleep_ms(double ms) {
    struct timespec ts = {0, (long)(ms * 1e6)};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

// Shuts timing down even when a test failed half-way.
static int teardown(void **state) {
    (void)state;
    nsp_timing_shutdown();
    capture_stop();
    return 0;
}

static int setup_group(void **state) {
    (void)state;
    return tmp_dir_make("nsp_test_timing");
}

static int teardown_group(void **state) {
    (void)state;
    return tmp_dir_remove();
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

// ---- collector -----------------------------------------------------------

#define MAX_CALLS 64

typedef struct calls {
    int n;
    int id[MAX_CALLS];
    char name[MAX_CALLS][NSP_ZONE_NAME_MAX];
    uint64_t dur_ns[MAX_CALLS];
} calls_t;

static void collect(int zone_id, const char *name, uint64_t dur_ns, void *user) {
    calls_t *c = user;
    if (c->n < MAX_CALLS) {
        c->id[c->n] = zone_id;
        snprintf(c->name[c->n], sizeof c->name[c->n], "%s", name);
        c->dur_ns[c->n] = dur_ns;
    }
    c->n++;
}

// ---- tests ---------------------------------------------------------------

static void test_disabled_zone_records_nothing(void **state) {
    (void)state;
    assert_false(nsp_timing_enabled());
    nsp_zone_t z = nsp_zone_begin("disabled_zone", "callback");
    assert_int_equal(z.id, -1);
    nsp_zone_end(&z);
    NSP_ZONE(zs, "disabled_site", "callback");
    assert_int_equal(zs.id, -1);
    nsp_zone_end(&zs);
    // Nothing was interned: the disabled path does no string work.
    assert_int_equal(nsp_zone_count(), 0);
}

static void test_timing_line_format(void **state) {
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.print_timing = true, .print_stream = out}), 0);
    assert_true(nsp_timing_enabled());
    nsp_zone_t z = nsp_zone_begin("render_event_overlay", "callback");
    sleep_ms(2.0);
    nsp_zone_end(&z);
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_false(nsp_timing_enabled());
    fclose(out);

    // Exactly "[TIMING] <name>: <digits>.<3 digits> ms\n", and at least the
    // 2 ms slept.
    const char *prefix = "[TIMING] render_event_overlay: ";
    assert_memory_equal(buf, prefix, strlen(prefix));
    const char *p = buf + strlen(prefix);
    char *end;
    double ms = strtod(p, &end);
    const char *dot = strchr(p, '.');
    assert_non_null(dot);
    assert_int_equal(end - dot, 4);  // Three decimals.
    assert_string_equal(end, " ms\n");
    assert_true(ms >= 2.0);
    free(buf);
}

static void test_timing_line_goes_to_stderr_by_default(void **state) {
    (void)state;
    // Redirect stderr to a file for the duration of one zone.
    const char *path = tmp_path("stderr.txt");
    fflush(stderr);
    int saved = dup(fileno(stderr));
    assert_true(saved >= 0);
    assert_non_null(freopen(path, "w", stderr));
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.print_timing = true}), 0);
    NSP_TIMED("add_timeseries_dock", "setup", sleep_ms(0.1));
    nsp_timing_shutdown();
    fflush(stderr);
    dup2(saved, fileno(stderr));
    close(saved);

    char line[128] = "";
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    double ms = -1;
    char tail[8] = "";
    assert_int_equal(sscanf(line, "[TIMING] add_timeseries_dock: %lf %7s", &ms, tail), 2);
    assert_string_equal(tail, "ms");
    assert_true(ms >= 0.1);
}

static void test_collector_gets_exact_ids_and_names(void **state) {
    (void)state;
    int id_a = nsp_zone_register("phase_update", "callback");
    int id_b = nsp_zone_register("phase_paint", "paint");
    assert_true(id_a >= 0);
    assert_true(id_b >= 0 && id_b != id_a);
    assert_int_equal(nsp_zone_register("phase_update", "callback"), id_a);  // Same name, same id.
    assert_string_equal(nsp_zone_name(id_b), "phase_paint");
    assert_string_equal(nsp_zone_category(id_b), "paint");
    assert_null(nsp_zone_name(NSP_ZONE_MAX));

    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    assert_true(nsp_timing_enabled());
    for (int i = 0; i < 2; i++) {
        nsp_zone_t z = nsp_zone_begin_id(id_a);
        nsp_zone_end(&z);
        NSP_ZONE(zp, "phase_paint", "paint");  // A site resolves to the registered id.
        nsp_zone_end(&zp);
    }
    int value = 0;
    NSP_TIMED("phase_timed", "callback", value = 41 + 1);
    assert_int_equal(value, 42);
    nsp_zone_t zn = nsp_zone_begin("phase_update", "callback");  // By name: same id.
    nsp_zone_end(&zn);
    nsp_timing_set_collector(NULL, NULL);
    assert_false(nsp_timing_enabled());

    assert_int_equal(calls.n, 6);
    int want_id[] = {id_a, id_b, id_a, id_b, nsp_zone_register("phase_timed", "callback"), id_a};
    const char *want_name[] = {"phase_update", "phase_paint", "phase_update", "phase_paint", "phase_timed",
                               "phase_update"};
    for (int i = 0; i < 6; i++) {
        assert_int_equal(calls.id[i], want_id[i]);
        assert_string_equal(calls.name[i], want_name[i]);
    }
}

static void test_register_rejects_bad_names(void **state) {
    (void)state;
    capture_start();
    assert_int_equal(nsp_zone_register("", "callback"), NSP_EINVAL);
    assert_int_equal(nsp_zone_register(NULL, "callback"), NSP_EINVAL);
    char longname[NSP_ZONE_NAME_MAX + 1];
    memset(longname, 'x', NSP_ZONE_NAME_MAX);
    longname[NSP_ZONE_NAME_MAX] = '\0';
    assert_int_equal(nsp_zone_register(longname, "callback"), NSP_EINVAL);
    int first = nsp_zone_register("cat_clash", "callback");
    assert_int_equal(first, nsp_zone_count() - 1);
    int clash = nsp_zone_register("cat_clash", NULL);  // NULL: whatever it has.
    assert_int_equal(clash, first);
    assert_string_equal(nsp_zone_category(clash), "callback");
    assert_int_equal(nsp_zone_register("cat_clash", "paint"), NSP_EINVAL);
    assert_non_null(strstr(captured_log, "zone 'cat_clash' is registered with category 'callback', not 'paint'"));
    capture_stop();
}

static void test_zones_nest_in_collector_and_trace(void **state) {
    (void)state;
    const char *path = tmp_path("nest.json");
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path}), 0);
    nsp_zone_t outer = nsp_zone_begin("nest_frame", "frame");
    sleep_ms(0.2);
    nsp_zone_t mid = nsp_zone_begin("nest_update", "callback");
    nsp_zone_t inner = nsp_zone_begin("nest_inner", "callback");
    sleep_ms(0.2);
    nsp_zone_end(&inner);
    nsp_zone_end(&mid);
    nsp_zone_t sibling = nsp_zone_begin("nest_paint", "paint");
    sleep_ms(0.2);
    nsp_zone_end(&sibling);
    nsp_zone_end(&outer);
    assert_int_equal(outer.id, -1);  // Ended zones are inert.
    assert_int_equal(nsp_timing_trace_events(), 4);
    assert_int_equal(nsp_timing_shutdown(), 0);

    // The collector sees zones as they end, innermost first.
    assert_int_equal(calls.n, 4);
    assert_string_equal(calls.name[0], "nest_inner");
    assert_string_equal(calls.name[1], "nest_update");
    assert_string_equal(calls.name[2], "nest_paint");
    assert_string_equal(calls.name[3], "nest_frame");
    assert_true(calls.dur_ns[0] <= calls.dur_ns[1]);
    assert_true(calls.dur_ns[1] + calls.dur_ns[2] <= calls.dur_ns[3]);

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
    assert_true(num(other, "dropped_events") == 0);
    assert_true(num(other, "capacity") == 100);

    // Metadata: process "nsplay", thread "main", pid/tid of this process.
    const cJSON *pn = find_event(root, "process_name", "M", 0);
    const cJSON *tn = find_event(root, "thread_name", "M", 0);
    assert_non_null(pn);
    assert_non_null(tn);
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(pn, "args"), "name"), "nsplay");
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(tn, "args"), "name"), "main");
    assert_true(num(pn, "pid") == (double)getpid());

    // Instant events: per-frame markers with their argument, and scopes.
    assert_int_equal(count_events(root, "frame", "i"), 3);
    for (int frame = 0; frame < 3; frame++) {
        const cJSON *ev = find_event(root, "frame", "i", frame);
        assert_string_equal(str(ev, "s"), "t");
        assert_true(num(cJSON_GetObjectItemCaseSensitive(ev, "args"), "frame") == frame);
        assert_true(num(ev, "tid") == (double)getpid());
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
    double pid = (double)getpid();
    assert_true(num(gpu, "tid") == pid + 1);
    assert_true(num(gpu, "dur") == 1000.0);
    assert_true(fabs(num(find_event(root, "paint_gpu", "X", 1), "ts") - (num(gpu, "ts") + 1000.0)) < 1e-6);
    assert_true(num(find_event(root, "gpu_cpu_frame", "X", 0), "tid") == pid);
    const cJSON *tn = find_event(root, "thread_name", "M", 1);
    assert_non_null(tn);
    assert_true(num(tn, "tid") == pid + 1);
    assert_string_equal(str(cJSON_GetObjectItemCaseSensitive(tn, "args"), "name"), "gpu");
    cJSON_Delete(root);
}

static void test_instant_events_need_a_trace(void **state) {
    (void)state;
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    nsp_instant_event("no_trace_marker", "frame");
    assert_int_equal(nsp_timing_trace_events(), 0);
    assert_int_equal(calls.n, 0);  // Instants never reach the collector.
    nsp_timing_set_collector(NULL, NULL);
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
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path, .trace_capacity = 5}), 0);
    for (int i = 0; i < 8; i++) {
        NSP_TIMED("full_zone", "callback", (void)0);
    }
    nsp_instant_event("full_marker", "frame");
    assert_int_equal(nsp_timing_trace_events(), 5);
    assert_int_equal(nsp_timing_trace_dropped(), 4);
    assert_int_equal(calls.n, 8);  // The collector misses nothing.
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_non_null(strstr(captured_log, "the buffer of 5 events was full; 4 events were dropped"));
    assert_non_null(strstr(captured_log, "full.json"));
    capture_stop();

    assert_trace_valid(path);
    cJSON *root = read_trace(path);
    assert_int_equal(count_events(root, "full_zone", "X"), 5);
    assert_int_equal(count_events(root, "full_marker", "i"), 0);
    assert_true(num(cJSON_GetObjectItemCaseSensitive(root, "otherData"), "dropped_events") == 4);
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
    nsp_zone_t z[NSP_ZONE_MAX_DEPTH + 2];
    for (int i = 0; i < NSP_ZONE_MAX_DEPTH + 2; i++) {
        z[i] = nsp_zone_begin("deep_zone", "callback");
    }
    for (int i = NSP_ZONE_MAX_DEPTH + 1; i >= 0; i--) {
        nsp_zone_end(&z[i]);
    }
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

    char bad[300];
    snprintf(bad, sizeof bad, "%s/no/such/dir/trace.json", tmp_dir);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = bad}), 0);
    NSP_TIMED("atomic_zone", "callback", (void)0);
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), NSP_EIO);
    assert_non_null(strstr(captured_log, "cannot write trace"));
    assert_non_null(strstr(captured_log, "no/such/dir/trace.json"));
    assert_non_null(strstr(captured_log, "No such file or directory"));
    capture_stop();
}

static void test_configure_twice_is_refused(void **state) {
    (void)state;
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.print_timing = false}), 0);
    capture_start();
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.print_timing = true}), NSP_EINVAL);
    assert_non_null(strstr(captured_log, "already configured"));
    capture_stop();
    assert_false(nsp_timing_enabled());  // The first configuration stands.
    assert_int_equal(nsp_timing_shutdown(), 0);
}

static void test_impossible_capacity_enables_nothing(void **state) {
    (void)state;
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    capture_start();
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = tmp_path("huge.json"),
                                                                 .print_timing = true,
                                                                 .trace_capacity = SIZE_MAX / 2}),
                     NSP_ENOMEM);
    assert_non_null(strstr(captured_log, "cannot allocate a trace buffer"));
    capture_stop();
    // Neither the trace nor the timing lines are on; the collector still is.
    NSP_TIMED("huge_zone", "callback", (void)0);
    assert_int_equal(nsp_timing_trace_events(), 0);
    assert_int_equal(calls.n, 1);
    nsp_timing_set_collector(NULL, NULL);
    assert_false(nsp_timing_enabled());
    // And a later configuration is accepted.
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.print_timing = false}), 0);
}

static void test_perf_timer(void **state) {
    (void)state;
    // Without sinks it still measures.
    nsp_perf_timer_t t;
    nsp_perf_timer_start(&t, "perf_setup", "setup");
    sleep_ms(1.0);
    uint64_t ns = nsp_perf_timer_stop(&t);
    assert_true(ns >= 1000000);
    assert_true(nsp_perf_timer_elapsed_ns(&t) == ns);
    assert_true(fabs(nsp_perf_timer_elapsed_ms(&t) - (double)ns / 1e6) < 1e-9);
    assert_int_equal(nsp_perf_timer_stop(&t), 0);  // Not running any more.

    // With a collector it reports as a zone with its own duration.
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    nsp_perf_timer_start(&t, "perf_setup", "setup");
    nsp_perf_timer_t anon;
    nsp_perf_timer_start(&anon, NULL, NULL);
    nsp_perf_timer_stop(&anon);
    ns = nsp_perf_timer_stop(&t);
    nsp_timing_set_collector(NULL, NULL);
    assert_int_equal(calls.n, 1);
    assert_string_equal(calls.name[0], "perf_setup");
    assert_true(calls.dur_ns[0] == ns);
}

static void test_now_is_monotonic(void **state) {
    (void)state;
    uint64_t prev = nsp_timing_now_ns();
    for (int i = 0; i < 1000; i++) {
        uint64_t now = nsp_timing_now_ns();
        assert_true(now >= prev);
        prev = now;
    }
}

// The checker itself: each rule must catch its violation.
static void expect_problem(const char *json, const char *fragment) {
    cJSON *root = cJSON_Parse(json);
    assert_non_null(root);
    nsp_trace_check_t chk;
    capture_start();
    int err = nsp_trace_check(root, "bad.json", &chk);
    capture_stop();
    cJSON_Delete(root);
    if (err != NSP_EFORMAT || strstr(chk.first_problem, fragment) == NULL) {
        print_error("for %s\n  got %d '%s', wanted '%s'\n", json, err, chk.first_problem, fragment);
        fail();
    }
}

#define META "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"p\"}}," \
             "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"t\"}}"

static void test_checker_catches_each_rule(void **state) {
    (void)state;
    expect_problem("[]", "top-level object");
    expect_problem("{\"events\":[]}", "top-level object");
    expect_problem("{\"traceEvents\":[" META ",{\"ph\":\"X\",\"ts\":0,\"dur\":1,\"pid\":1,\"tid\":1}]}",
                   "\"name\" must be a string");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"Q\",\"ts\":0,\"pid\":1,\"tid\":1}]}",
                   "\"ph\" must be");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":1,\"tid\":1}]}",
                   "\"pid\" and \"tid\" must be numbers");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":-1,\"pid\":1,"
                   "\"tid\":1}]}",
                   "needs \"dur\" >= 0");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"pid\":1,\"tid\":1}]}",
                   "needs \"dur\" >= 0");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"X\",\"dur\":1,\"pid\":1,\"tid\":1}]}",
                   "\"ts\" must be a number");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"i\",\"ts\":5,\"pid\":1,\"tid\":1},"
                   "{\"name\":\"b\",\"ph\":\"i\",\"ts\":4,\"pid\":1,\"tid\":1}]}",
                   "before the previous event");
    expect_problem("{\"traceEvents\":[" META ",{\"name\":\"a\",\"ph\":\"i\",\"s\":\"x\",\"ts\":5,\"pid\":1,"
                   "\"tid\":1}]}",
                   "instant scope");
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
    cJSON *ok = cJSON_Parse("{\"traceEvents\":[" META ",{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,"
                            "\"tid\":2,\"args\":{\"name\":\"u\"}},"
                            "{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":10,\"pid\":1,\"tid\":1},"
                            "{\"name\":\"b\",\"ph\":\"X\",\"ts\":0,\"dur\":4,\"pid\":1,\"tid\":1},"
                            "{\"name\":\"o\",\"ph\":\"X\",\"ts\":2,\"dur\":20,\"pid\":1,\"tid\":2},"
                            "{\"name\":\"c\",\"ph\":\"X\",\"ts\":4,\"dur\":6,\"pid\":1,\"tid\":1},"
                            "{\"name\":\"d\",\"ph\":\"X\",\"ts\":10,\"dur\":0,\"pid\":1,\"tid\":1},"
                            "{\"name\":\"e\",\"ph\":\"X\",\"ts\":10,\"dur\":3,\"pid\":1,\"tid\":1}],"
                            "\"displayTimeUnit\":\"ms\"}");
    assert_non_null(ok);
    nsp_trace_check_t chk;
    int err = nsp_trace_check(ok, "ok.json", &chk);
    if (err) {
        print_error("%s\n", chk.first_problem);
    }
    assert_int_equal(err, 0);
    assert_int_equal(chk.complete, 6);
    assert_int_equal(chk.metadata, 3);
    cJSON_Delete(ok);
}

// Runs last: it fills the process-wide zone table.
static void test_zone_table_full(void **state) {
    (void)state;
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    char name[32];
    int last = 0;
    capture_start();
    for (int i = nsp_zone_count(); i < NSP_ZONE_MAX; i++) {
        snprintf(name, sizeof name, "fill_%d", i);
        last = nsp_zone_register(name, NULL);
        assert_int_equal(last, i);
    }
    assert_string_equal(nsp_zone_category(last), "zone");
    assert_int_equal(nsp_zone_register("one_too_many", "callback"), NSP_ENOSPC);
    NSP_ZONE(z, "also_too_many", "callback");
    assert_int_equal(z.id, -1);  // Not timed, no crash.
    nsp_zone_end(&z);
    assert_int_equal(calls.n, 0);
    // Warned once, naming the first zone that did not fit.
    assert_non_null(strstr(captured_log, "more than 128 zone names; 'one_too_many'"));
    assert_null(strstr(captured_log, "also_too_many"));
    capture_stop();
    // Known names still work.
    nsp_zone_t k = nsp_zone_begin("fill_127", NULL);
    nsp_zone_end(&k);
    assert_int_equal(calls.n, 1);
    nsp_timing_set_collector(NULL, NULL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_disabled_zone_records_nothing, teardown),
        cmocka_unit_test_teardown(test_timing_line_format, teardown),
        cmocka_unit_test_teardown(test_timing_line_goes_to_stderr_by_default, teardown),
        cmocka_unit_test_teardown(test_collector_gets_exact_ids_and_names, teardown),
        cmocka_unit_test_teardown(test_register_rejects_bad_names, teardown),
        cmocka_unit_test_teardown(test_zones_nest_in_collector_and_trace, teardown),
        cmocka_unit_test_teardown(test_trace_file_follows_the_format, teardown),
        cmocka_unit_test_teardown(test_gpu_track, teardown),
        cmocka_unit_test_teardown(test_instant_events_need_a_trace, teardown),
        cmocka_unit_test_teardown(test_callable_filter_limits_the_trace_only, teardown),
        cmocka_unit_test_teardown(test_event_loop_flag, teardown),
        cmocka_unit_test_teardown(test_full_buffer_drops_and_warns, teardown),
        cmocka_unit_test_teardown(test_misnested_zones_are_left_out, teardown),
        cmocka_unit_test_teardown(test_deep_nesting_beyond_the_stack, teardown),
        cmocka_unit_test_teardown(test_names_are_escaped, teardown),
        cmocka_unit_test_teardown(test_write_is_atomic_and_errors_name_the_path, teardown),
        cmocka_unit_test_teardown(test_configure_twice_is_refused, teardown),
        cmocka_unit_test_teardown(test_impossible_capacity_enables_nothing, teardown),
        cmocka_unit_test_teardown(test_perf_timer, teardown),
        cmocka_unit_test(test_now_is_monotonic),
        cmocka_unit_test(test_checker_catches_each_rule),
        cmocka_unit_test_teardown(test_zone_table_full, teardown),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
