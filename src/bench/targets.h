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
    NSP_TARGET_PAINT,       // Canvas paint time (GPU), mean ms.
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

// "✓", "⚠", "✗" or "-".
const char *nsp_verdict_mark(nsp_verdict_t v);
const char *nsp_verdict_name(nsp_verdict_t v);

#endif
