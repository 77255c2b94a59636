// The documented performance targets of requirements §R3 and how a value is judged
// against them: below target passes, beyond target warns, beyond acceptable
// fails. A target with no acceptable bound only ever warns.
#ifndef NSP_BENCH_TARGETS_H
#define NSP_BENCH_TARGETS_H

#include <stdbool.h>

#include "result.h"

typedef enum nsp_verdict {
    NSP_VERDICT_PASS,
    NSP_VERDICT_WARN,
    NSP_VERDICT_FAIL,
    NSP_VERDICT_NA,    // Not measured in this run.
} nsp_verdict_t;

typedef enum nsp_target_id {
    NSP_TARGET_CALLBACKS,   // Per-frame callback total, mean ms.
    NSP_TARGET_PAINT,       // Canvas paint time, mean ms (nsp_paint_source() says how measured).
    NSP_TARGET_LATENCY,     // Total frame latency, mean ms.
    NSP_TARGET_SKIP_RATE,   // Frame skip rate at 25 fps, percent.
    NSP_TARGET_SETUP,       // Setup time, s (target stated for 1000 frames).
    NSP_TARGET_MEMORY,      // Resident memory growth during playback, KiB.
    NSP_TARGET_COUNT,
} nsp_target_id_t;

typedef struct nsp_target {
    const char *key;        // Stable name used in JSON and baselines.
    const char *label;      // What the report prints.
    const char *unit;
    double target;          // value < target: pass.
    double acceptable;      // value < acceptable: warn; else fail. INFINITY: never fails.
} nsp_target_t;

extern const nsp_target_t nsp_targets[NSP_TARGET_COUNT];

// Judges value against a target; NaN is NSP_VERDICT_NA.
nsp_verdict_t nsp_target_judge(const nsp_target_t *t, double value);

// The value a run gives for a target (NaN when the run did not measure it:
// no --fps for the skip rate, no timer queries for paint).
double nsp_target_value(const nsp_bench_result_t *r, nsp_target_id_t id);

// Which clock measured a run's canvas paint time. The GL timer query
// (phase paint_gpu) when it sees the drawing; where it cannot see the raster
// work — on llvmpipe it times only command submission (0.013 ms of a 1.3 ms
// frame whose pixels are drawn inside glFinish) — the CPU clock from the
// frame's first draw call until glFinish returns (phases draw + finish).
// Decided by the renderer (llvmpipe, softpipe) and by comparing: a timer
// that sees less than half of the draw-to-finish time does not see the
// raster. NSP_PAINT_NONE when the run measured neither.
typedef enum nsp_paint_source {
    NSP_PAINT_NONE,
    NSP_PAINT_TIMER_QUERY,
    NSP_PAINT_DRAW_TO_FINISH,
} nsp_paint_source_t;
nsp_paint_source_t nsp_paint_source(const nsp_bench_result_t *r);
// "GL timer query", "first draw call to glFinish (CPU clock)" or "none".
const char *nsp_paint_source_name(nsp_paint_source_t s);
// Timed frame i's paint in ms as source s measures it (the paint_gpu phase,
// or draw + finish); NaN for NSP_PAINT_NONE or an unmeasured frame.
double nsp_paint_frame_ms(const nsp_bench_result_t *r, nsp_paint_source_t s, size_t i);

// "✓", "⚠", "✗" or "-".
const char *nsp_verdict_mark(nsp_verdict_t v);
const char *nsp_verdict_name(nsp_verdict_t v);

#endif
