// Test helper: captures nsp_log() messages so a test can check what a user
// would be told.
#ifndef NSP_TEST_LOG_CAPTURE_H
#define NSP_TEST_LOG_CAPTURE_H

#include <string.h>

#include "core/error.h"

static char captured_log[4096];

static void capture_sink(nsp_log_level_t level, const char *msg, void *user) {
    (void)level;
    (void)user;
    size_t used = strlen(captured_log);
    snprintf(captured_log + used, sizeof captured_log - used, "%s\n", msg);
}

static void capture_start(void) {
    captured_log[0] = '\0';
    nsp_log_set_sink(capture_sink, NULL);
}

static void capture_stop(void) {
    nsp_log_set_sink(NULL, NULL);
}

#endif
