// Test helper: captures nsp_log() messages so a test can check what a user
// would be told: their text, how many there were and at which levels.
#ifndef NSP_TEST_LOG_CAPTURE_H
#define NSP_TEST_LOG_CAPTURE_H

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static char captured_log[4096];  // Every message since capture_start(), one a line.
static int captured_count;       // How many messages.
static unsigned captured_levels; // Bit 1 << level set for each level seen.

static void capture_sink(nsp_log_level_t level, const char *msg, void *user) {
    (void)user;
    size_t used = strlen(captured_log);
    snprintf(captured_log + used, sizeof captured_log - used, "%s\n", msg);
    captured_count++;
    captured_levels |= 1u << level;
}

static void capture_start(void) {
    captured_log[0] = '\0';
    captured_count = 0;
    captured_levels = 0;
    nsp_log_set_sink(capture_sink, NULL);
}

static void capture_stop(void) {
    nsp_log_set_sink(NULL, NULL);
}

// capture_start() and capture_stop() as a cmocka set-up and tear-down.
static inline int capture_setup(void **state) {
    (void)state;
    capture_start();
    return 0;
}

static inline int capture_teardown(void **state) {
    (void)state;
    capture_stop();
    return 0;
}

// Evaluates call with the log captured: it must return want, and what it
// logged must hold fragment.
#define assert_logs(call, want, fragment)                                                                             \
    do {                                                                                                               \
        capture_start();                                                                                               \
        int logs_got_ = (call);                                                                                        \
        capture_stop();                                                                                                \
        assert_int_equal(logs_got_, (want));                                                                           \
        if (!strstr(captured_log, (fragment))) {                                                                       \
            fail_msg("wanted '%s' in the log: %s", (fragment), captured_log);                                         \
        }                                                                                                              \
    } while (0)

// Only errors were logged (and at least one).
#define assert_only_errors_logged() assert_int_equal(captured_levels, 1u << NSP_LOG_ERROR)

#endif
