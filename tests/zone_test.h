// Test helper shared by the timing and trace tests (included after cmocka.h):
// a sleep that sees its time out, a per-test tear-down that shuts timing
// down, a collector that records the zones core/timing hands it, and the
// nested zones both suites trace.
#ifndef NSP_TEST_ZONE_TEST_H
#define NSP_TEST_ZONE_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/timing.h"
#include "log_capture.h"

static inline void sleep_ms(double ms) {
    struct timespec ts = {0, (long)(ms * 1e6)};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

// Shuts timing down even when a test failed half-way.
static inline int teardown(void **state) {
    (void)state;
    nsp_timing_shutdown();
    capture_stop();
    return 0;
}

#define MAX_CALLS 64

// The zones the collector was handed, in order; n counts those past MAX_CALLS too.
typedef struct calls {
    int n;
    int id[MAX_CALLS];
    char name[MAX_CALLS][NSP_ZONE_NAME_MAX];
    uint64_t dur_ns[MAX_CALLS];
} calls_t;

static inline void collect(int zone_id, const char *name, uint64_t dur_ns, void *user) {
    calls_t *c = user;
    if (c->n < MAX_CALLS) {
        c->id[c->n] = zone_id;
        snprintf(c->name[c->n], sizeof c->name[c->n], "%s", name);
        c->dur_ns[c->n] = dur_ns;
    }
    c->n++;
}

// Nests the zone deep_zone two deeper than the zone stack holds, then ends
// them all, innermost first: the two innermost are left out of the trace.
static inline void nest_deep_zones(void) {
    nsp_zone_t z[NSP_ZONE_MAX_DEPTH + 2];
    for (int i = 0; i < NSP_ZONE_MAX_DEPTH + 2; i++) {
        z[i] = nsp_zone_begin("deep_zone", "callback");
    }
    for (int i = NSP_ZONE_MAX_DEPTH + 1; i >= 0; i--) {
        nsp_zone_end(&z[i]);
    }
}

// Traces eight full_zone zones and then the instant full_marker into a
// buffer of 5 events, to trace_path; checks that the collector still saw all
// eight and that the shutdown says, naming the trace, that 4 were dropped.
static inline void overfill_trace(const char *trace_path) {
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = trace_path, .trace_capacity = 5}), 0);
    for (int i = 0; i < 8; i++) {
        NSP_TIMED("full_zone", "callback", (void)0);
    }
    nsp_instant_event("full_marker", "frame");
    assert_int_equal(nsp_timing_trace_events(), 5);
    assert_int_equal(nsp_timing_trace_dropped(), 4);
    assert_int_equal(calls.n, 8);  // The collector misses nothing.
    capture_start();
    assert_int_equal(nsp_timing_shutdown(), 0);
    capture_stop();
    nsp_timing_set_collector(NULL, NULL);
    char want[600];
    snprintf(want, sizeof want, "trace '%s': the buffer of 5 events was full; 4 events were dropped", trace_path);
    assert_non_null(strstr(captured_log, want));
}

// Traces, to trace_path, a frame zone nest_frame holding nest_update (which
// holds nest_inner) and then nest_paint, each sleeping 0.2 ms, with the
// process-wide instant nest_marker (argument frame = 7) between the two when
// marker is set; shuts timing down and checks what the collector saw: the
// zones as they ended, innermost first, each within its parent's time.
static inline void record_nested_zones(const char *trace_path, bool marker) {
    calls_t calls = {0};
    nsp_timing_set_collector(collect, &calls);
    assert_int_equal(nsp_timing_configure(&(nsp_timing_config_t){.trace_path = trace_path}), 0);
    nsp_zone_t outer = nsp_zone_begin("nest_frame", "frame");
    sleep_ms(0.2);
    nsp_zone_t mid = nsp_zone_begin("nest_update", "callback");
    nsp_zone_t inner = nsp_zone_begin("nest_inner", "callback");
    sleep_ms(0.2);
    nsp_zone_end(&inner);
    nsp_zone_end(&mid);
    if (marker) {
        nsp_instant_event_ex("nest_marker", "frame", NSP_INSTANT_PROCESS, "frame", 7);
    }
    nsp_zone_t sibling = nsp_zone_begin("nest_paint", "paint");
    sleep_ms(0.2);
    nsp_zone_end(&sibling);
    nsp_zone_end(&outer);
    assert_int_equal(outer.id, -1);  // Ended zones are inert.
    assert_int_equal(nsp_timing_trace_events(), marker ? 5 : 4);
    assert_int_equal(nsp_timing_shutdown(), 0);
    nsp_timing_set_collector(NULL, NULL);

    assert_int_equal(calls.n, 4);
    assert_string_equal(calls.name[0], "nest_inner");
    assert_string_equal(calls.name[1], "nest_update");
    assert_string_equal(calls.name[2], "nest_paint");
    assert_string_equal(calls.name[3], "nest_frame");
    assert_true(calls.dur_ns[0] <= calls.dur_ns[1]);
    assert_true(calls.dur_ns[1] + calls.dur_ns[2] <= calls.dur_ns[3]);
}

#endif
