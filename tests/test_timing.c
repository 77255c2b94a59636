// Tests for core/timing, linking nothing above core: the [TIMING] line, the
// collector's ids and names, zone registration, the perf timer, and what the
// trace sink is handed (sorted, nested records; dropped and left-out counts;
// the extra tracks) through a fake sink. The Chrome JSON written from those
// records is tested in test_trace.c.
//
// The zone table lives for the whole process, so tests use distinct names;
// the table-full test runs last.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/timing.h"
#include "log_capture.h"
#define TMP_DIR_PREFIX "nsp_test_timing"
#include "tmp_dir.h"
#include "zone_test.h"


// ---- a fake trace sink ---------------------------------------------------

#define MAX_RECORDS 256

// What the sink was handed, copied (the records live only during the call).
typedef struct sunk {
    int calls;
    int result;  // What the sink returns.
    char path[256];
    nsp_trace_data_t data;
    nsp_trace_record_t records[MAX_RECORDS];
} sunk_t;

static sunk_t sunk;

static int fake_sink(const nsp_trace_data_t *data, void *user) {
    sunk_t *s = user;
    s->calls++;
    snprintf(s->path, sizeof s->path, "%s", data->path);
    s->data = *data;
    size_t n = data->count < MAX_RECORDS ? data->count : MAX_RECORDS;
    memcpy(s->records, data->events, n * sizeof *s->records);
    s->data.events = s->records;
    s->data.path = s->path;
    return s->result;
}

static int setup(void **state) {
    (void)state;
    memset(&sunk, 0, sizeof sunk);
    nsp_timing_set_trace_sink(fake_sink, &sunk);
    return 0;
}

// The nth (0-based) record of the zone named name with phase ph, or NULL.
static const nsp_trace_record_t *find_record(const char *name, char ph, int nth) {
    for (size_t i = 0; i < sunk.data.count && i < MAX_RECORDS; i++) {
        const nsp_trace_record_t *r = &sunk.records[i];
        if (r->ph == ph && strcmp(nsp_zone_name(r->zone_id), name) == 0 && nth-- == 0) {
            return r;
        }
    }
    return NULL;
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

static void test_instant_events_need_a_trace(void **state) {
    (void)state;
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    nsp_instant_event("no_trace_marker", "frame");
    assert_int_equal(nsp_timing_trace_events(), 0);
    assert_int_equal(calls.n, 0);  // Instants never reach the collector.
    nsp_timing_set_collector(NULL, NULL);
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
    assert_int_equal(nsp_perf_timer_elapsed_ns(&t), ns);
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
    assert_int_equal(calls.dur_ns[0], ns);
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

static void test_sink_gets_sorted_nested_records(void **state) {
    (void)state;
    record_nested_zones("nest.json", true);

    // The sink gets the records once, sorted by start: parent first.
    assert_int_equal(sunk.calls, 1);
    assert_string_equal(sunk.path, "nest.json");
    assert_int_equal(sunk.data.count, 5);
    assert_int_equal(sunk.data.dropped, 0);
    assert_int_equal(sunk.data.left_out, 0);
    const char *order[] = {"nest_frame", "nest_update", "nest_inner", "nest_marker", "nest_paint"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(nsp_zone_name(sunk.records[i].zone_id), order[i]);
        if (i > 0) {
            assert_true(sunk.records[i - 1].ts_ns <= sunk.records[i].ts_ns);
        }
    }
    const nsp_trace_record_t *f = find_record("nest_frame", 'X', 0);
    const nsp_trace_record_t *u = find_record("nest_update", 'X', 0);
    const nsp_trace_record_t *pt = find_record("nest_paint", 'X', 0);
    const nsp_trace_record_t *mk = find_record("nest_marker", 'i', 0);
    assert_non_null(f);
    assert_non_null(u);
    assert_non_null(pt);
    assert_non_null(mk);
    assert_true(u->ts_ns + u->dur_ns <= f->ts_ns + f->dur_ns);
    assert_true(u->ts_ns + u->dur_ns <= pt->ts_ns);
    assert_true(pt->dur_ns >= 200000);  // At least the 0.2 ms slept.
    assert_int_equal(mk->scope, 'p');
    assert_string_equal(mk->arg_key, "frame");
    assert_int_equal(mk->dur_ns, 7);  // An instant's argument.
    assert_string_equal(nsp_zone_category(u->zone_id), "callback");
}

static void test_trace_needs_a_sink(void **state) {
    (void)state;
    nsp_timing_set_trace_sink(NULL, NULL);
    capture_start();
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = "nosink.json", .print_timing = true}),
                     NSP_EINVAL);
    assert_non_null(strstr(captured_log, "trace 'nosink.json' asked for, but no trace sink is installed"));
    capture_stop();
    assert_false(nsp_timing_enabled());
    // Without a trace, no sink is needed.
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.print_timing = false}), 0);
    assert_int_equal(nsp_timing_shutdown(), 0);
}

static void test_sink_error_is_returned(void **state) {
    (void)state;
    sunk.result = NSP_EIO;
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = "fails.json"}), 0);
    NSP_TIMED("sink_fail_zone", "callback", (void)0);
    assert_int_equal(nsp_timing_shutdown(), NSP_EIO);
    assert_int_equal(sunk.calls, 1);
    assert_false(nsp_timing_enabled());
}

static void test_full_buffer_drops_and_counts(void **state) {
    (void)state;
    overfill_trace("full.json");
    assert_int_equal(sunk.data.count, 5);
    assert_int_equal(sunk.data.capacity, 5);
    assert_int_equal(sunk.data.dropped, 4);
}

static void test_misnested_and_deep_zones_are_left_out(void **state) {
    (void)state;
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = "misnest.json"}), 0);
    nsp_zone_t a = nsp_zone_begin("mis_a", "callback");
    nsp_zone_t b = nsp_zone_begin("mis_b", "callback");
    nsp_zone_end(&a);  // Out of order: b is abandoned.
    nsp_zone_end(&b);
    nsp_zone_end(&b);  // A second end is a no-op.
    nest_deep_zones();
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    assert_non_null(strstr(captured_log, "zones left out of the trace: 3 "));
    capture_stop();
    assert_int_equal(sunk.data.left_out, 3);
    assert_non_null(find_record("mis_a", 'X', 0));
    assert_null(find_record("mis_b", 'X', 0));
    assert_non_null(find_record("deep_zone", 'X', NSP_ZONE_MAX_DEPTH - 1));
    assert_null(find_record("deep_zone", 'X', NSP_ZONE_MAX_DEPTH));
}

static void test_tracks_are_flat_each_on_its_own(void **state) {
    (void)state;
    int gpu = nsp_zone_register("track_paint_gpu", "gpu");
    int ref = nsp_zone_register("track_floor", "reference");
    assert_true(gpu >= 0);
    assert_true(ref >= 0);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = "tracks.json"}), 0);
    uint64_t t = nsp_timing_now_ns();
    nsp_trace_gpu_event(gpu, t, 1000000);
    nsp_trace_track_event(NSP_TRACE_TRACK_REFERENCE, ref, t + 500000, 1000000);  // Overlaps the GPU one: fine.
    nsp_trace_gpu_event(gpu, t + 1000000, 500000);                                // Touching: fine.
    nsp_trace_gpu_event(gpu, t + 1200000, 500000);                                // Overlaps: left out.
    nsp_trace_track_event(NSP_TRACE_TRACK_REFERENCE, ref, t + 1000000, 10);       // Overlaps: left out.
    nsp_trace_gpu_event(gpu, t - 1000000000, 10);  // Before the trace start: left out.
    nsp_trace_track_event('?', ref, t + 5000000, 10);  // No such track: ignored.
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    capture_stop();
    assert_int_equal(sunk.data.count, 3);
    assert_int_equal(sunk.data.left_out, 3);
    assert_true(sunk.data.gpu_used);
    assert_true(sunk.data.reference_used);
    const nsp_trace_record_t *r = find_record("track_floor", 'X', 0);
    assert_non_null(r);
    assert_int_equal(r->scope, NSP_TRACE_TRACK_REFERENCE);
    assert_int_equal(r->dur_ns, 1000000);
    assert_int_equal(find_record("track_paint_gpu", 'X', 1)->scope, NSP_TRACE_TRACK_GPU);
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
        cmocka_unit_test_setup_teardown(test_disabled_zone_records_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timing_line_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_timing_line_goes_to_stderr_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collector_gets_exact_ids_and_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_register_rejects_bad_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sink_gets_sorted_nested_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace_needs_a_sink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sink_error_is_returned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_buffer_drops_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misnested_and_deep_zones_are_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tracks_are_flat_each_on_its_own, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instant_events_need_a_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_configure_twice_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_impossible_capacity_enables_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_perf_timer, setup, teardown),
        cmocka_unit_test(test_now_is_monotonic),
        cmocka_unit_test_setup_teardown(test_zone_table_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, tmp_dir_teardown);
}
