// Test helper shared by the timing and trace tests: a sleep that sees its
// time out, a per-test tear-down that shuts timing down, and a collector
// that records the zones core/timing hands it.
#ifndef NSP_TEST_ZONE_TEST_H
#define NSP_TEST_ZONE_TEST_H

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

#endif
