// The figures of one benchmark result under the gate's metric names: one set
// of names for the gate's tiers, `nsplay result` and the nightly history.
//
//   tier a (counters): draw_calls, vertices, bytes_uploaded, texture_uploads,
//     buffer_uploads over the timed frames, allocations_during_playback;
//   tier c (timing): frame_median_ms, frame_p95_ms, setup_ms and its
//     parts setup_context_ms (context creation) and setup_own_ms (the rest),
//     callbacks_total_ms, paint_gpu_ms (tier d's paint: the timer query, or
//     the first draw call to glFinish where it cannot see the raster),
//     draw_ms (the draw phase), STEP_ms (medians over the frames);
//     and where the run drew floor frames floor_median_ms, floor_p95_ms and
//     each metric relative to the floor frame, NAME/floor (per-frame pairs:
//     the median of frame i / floor frame i; the p95 against the floor's p95;
//     set-up against the floor's median); where it ran the probes (probe.h)
//     cpu_probe_median_ms and NAME/cpu for each phase (per-frame pairs
//     with the CPU probe), fault_probe_ms and setup_context/faults
//     (context creation against the page-fault probe before set-up),
//     fault_probe_after_ms and setup_own/faults_after (the rest of set-up
//     against the same probe after it);
//   tier d (documented targets): the keys of targets.h;
//   info (recorded, not judged): frame_mean_ms, callbacks_total_mean_ms,
//     paint_gpu_mean_ms.
#ifndef NSP_BENCH_METRICS_H
#define NSP_BENCH_METRICS_H

#include "result.h"

#define NSP_METRICS_MAX 64
#define NSP_METRIC_NAME_MAX 64

// Named values: one result's timing metrics, or instructions per zone.
typedef struct nsp_metrics {
    int n;
    char name[NSP_METRICS_MAX][NSP_METRIC_NAME_MAX];
    double v[NSP_METRICS_MAX];
} nsp_metrics_t;

enum {
    NSP_COUNTER_DRAW_CALLS,
    NSP_COUNTER_VERTICES,
    NSP_COUNTER_BYTES_UPLOADED,
    NSP_COUNTER_TEXTURE_UPLOADS,
    NSP_COUNTER_BUFFER_UPLOADS,
    NSP_COUNTER_ALLOCATIONS,
    NSP_COUNTER_COUNT,
};
extern const char *const nsp_counter_names[NSP_COUNTER_COUNT];

// Appends name = v unless v is NaN or m is full.
void nsp_metrics_add(nsp_metrics_t *m, const char *name, double v);

// Tier a: the counters over the timed frames (NaN for allocations when they
// were not counted).
void nsp_metrics_counters(const nsp_bench_result_t *r, double out[NSP_COUNTER_COUNT]);

// Tier c: the timing metrics, in the gate's order (absolute ones first).
void nsp_metrics_timing(const nsp_bench_result_t *r, nsp_metrics_t *m);

// Info: the means the nightly history records besides.
void nsp_metrics_info(const nsp_bench_result_t *r, nsp_metrics_t *m);

#endif
