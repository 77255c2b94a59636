// The declaration of tier c's timed metrics (tier_timing.h): each metric's
// name, unit, least threshold and the machine measure it is judged against.
// The figures behind the thresholds are in docs/gate.md ("Tier c").
#include <stdio.h>
#include <string.h>

#include "tier_timing.h"

// The machine measures, each timed in the measured process (bench/probe.h;
// the floor frame, render.h).
const nsp_timing_measure_info_t nsp_timing_measures[NSP_MEASURE_COUNT] = {
    [NSP_MEASURE_FLOOR] = {"floor_median_ms", "floor", "the floor frame: the GL path's speed"},
    [NSP_MEASURE_CPU] = {"cpu_probe_median_ms", "cpu probe", "the CPU probe after each frame: the CPU's speed"},
    [NSP_MEASURE_FAULTS] = {"fault_probe_ms", "fault probe",
                            "the page-fault probe before set-up: the speed of mapping memory"},
    [NSP_MEASURE_FAULTS_AFTER] = {"fault_probe_after_ms", "fault probe after",
                                  "the page-fault probe after set-up: the speed of mapping memory"},
};

const nsp_timing_metric_t nsp_timing_metrics[] = {
    // The frame and its paint are the GL path's work: the floor frame,
    // drawn by the same driver right after each frame, moves with them.
    // Their least threshold covers how far the ratio of an unchanged build
    // moved between the machine's speed states (up to 8.4%, docs/gate.md).
    {"frame_median_ms", "frame_median/floor", "ms", 0.12, NSP_MEASURE_FLOOR},
    // A tail of 100 frames moves with a handful of slow ones: a wider floor
    // under its threshold, against the floor frame's own tail.
    {"frame_p95_ms", "frame_p95/floor", "ms", 0.10, NSP_MEASURE_FLOOR},
    {"paint_gpu_ms", "paint_gpu/floor", "ms", 0.12, NSP_MEASURE_FLOOR},
    // The draw calls are the paint's work on the main thread (on llvmpipe,
    // validation, vertex shading and binning: the driver's code, which
    // moves with the machine as its raster does, not as the CPU probe's
    // scalar work does). With the dock, the frame flushes after the field
    // and the dock's calls then share the two cores with the raster: an
    // unchanged build's ratio moved by up to +63% there (docs/gate.md), so
    // the least threshold is above that.
    {"draw_ms", "draw/floor", "ms", 0.50, NSP_MEASURE_FLOOR},
    // The set-up in its two parts, each one sample a process, each against
    // the page-fault probe next to it in time. Context creation is loading
    // the driver and LLVM, mapping and faulting in their pages, and starts
    // on the core the probe before it ran on (the two cores fault at
    // different speeds: docs/gate.md); the probe drifts from it over
    // minutes (by up to 19% between two halves of one baseline, 13% in a
    // fresh clone), so its least threshold is above that drift.
    {"setup_context_ms", "setup_context/faults", "ms", 0.25, NSP_MEASURE_FAULTS},
    // nsplay's own set-up (scenario generation, the renderer's set-up with
    // Mesa compiling its shaders: mostly allocating and faulting in heap
    // pages) ends on the core the probe after it runs on, and moves with
    // it in both of the machine's states (docs/gate.md).
    {"setup_own_ms", "setup_own/faults_after", "ms", 0.20, NSP_MEASURE_FAULTS_AFTER},
    // The callbacks are CPU work on the main thread that llvmpipe's threads
    // do not share: against the CPU probe after each frame. In the slowest
    // state seen (floor frame +27%, CPU probe +34%), an unchanged build's
    // video step moved +14.5% per the probe and the callbacks' total +13.8%
    // (docs/gate.md); the least threshold is above that.
    {"callbacks_total_ms", "callbacks_total/cpu", "ms", 0.16, NSP_MEASURE_CPU},
    // Every per-frame step (update_field, render_*_overlay).
    {NULL, "%s/cpu", "ms", 0.16, NSP_MEASURE_CPU},
};
const int nsp_timing_metric_count = (int)(sizeof nsp_timing_metrics / sizeof nsp_timing_metrics[0]);

const nsp_timing_metric_t *nsp_timing_metric_find(const char *raw, char *ratio, size_t cap) {
    size_t n = strlen(raw);
    if (n <= 3 || strcmp(raw + n - 3, "_ms") != 0) {
        return NULL;
    }
    // The measures themselves are the machine's, not the build's; the
    // set-up's total is judged in its two parts.
    if (strncmp(raw, "floor_", 6) == 0 || strcmp(raw, "setup_ms") == 0) {
        return NULL;
    }
    for (int i = 0; i < NSP_MEASURE_COUNT; i++) {
        if (strcmp(raw, nsp_timing_measures[i].metric) == 0) {
            return NULL;
        }
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
        snprintf(ratio, cap, "%s/cpu", stem);
    }
    return step;
}
