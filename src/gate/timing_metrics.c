// The declaration of tier c's timed metrics (tier_timing.h): each metric's
// name, unit, least threshold and the machine measure it is judged against.
// The figures behind the thresholds are in docs/gate.md ("Tier c").
#include <stdio.h>
#include <string.h>

#include "tier_timing.h"

const nsp_timing_metric_t nsp_timing_metrics[] = {
    // The frame and its paint are the GL path's work: the floor frame,
    // drawn by the same driver right after each frame, moves with them.
    {"frame_median_ms", "frame_median/floor", "ms", 0.05, NSP_MEASURE_FLOOR},
    // A tail of 100 frames moves with a handful of slow ones: a wider floor
    // under its threshold, against the floor frame's own tail.
    {"frame_p95_ms", "frame_p95/floor", "ms", 0.10, NSP_MEASURE_FLOOR},
    {"paint_gpu_ms", "paint_gpu/floor", "ms", 0.05, NSP_MEASURE_FLOOR},
    // Set-up and the callbacks are CPU work that llvmpipe's threads do not
    // share: against the CPU probe timed in the same process.
    {"setup_ms", "setup/probe", "ms", 0.08, NSP_MEASURE_PROBE},
    {"callbacks_total_ms", "callbacks_total/probe", "ms", 0.08, NSP_MEASURE_PROBE},
    // Every per-frame step (update_field, render_*_overlay).
    {NULL, "%s/probe", "ms", 0.08, NSP_MEASURE_PROBE},
};
const int nsp_timing_metric_count = (int)(sizeof nsp_timing_metrics / sizeof nsp_timing_metrics[0]);

const nsp_timing_metric_t *nsp_timing_metric_find(const char *raw, char *ratio, size_t cap) {
    size_t n = strlen(raw);
    if (n <= 3 || strcmp(raw + n - 3, "_ms") != 0) {
        return NULL;
    }
    // The measures themselves are the machine's, not the build's.
    if (strncmp(raw, "floor_", 6) == 0 || strncmp(raw, "probe_", 6) == 0 || strcmp(raw, "setup_probe_ms") == 0) {
        return NULL;
    }
    const nsp_timing_metric_t *step = NULL;
    for (int i = 0; i < nsp_timing_metric_count; i++) {
        const nsp_timing_metric_t *m = &nsp_timing_metrics[i];
        if (!m->name) {
            step = m;
        } else if (strcmp(m->name, raw) == 0) {
            snprintf(ratio, cap, "%s", m->ratio);
            return m;
        }
    }
    // Any other NAME_ms is a per-frame step's.
    if (step) {
        char stem[NSP_GATE_NAME_MAX];
        snprintf(stem, sizeof stem, "%.*s", (int)(n - 3), raw);
        snprintf(ratio, cap, "%s/probe", stem);
    }
    return step;
}
