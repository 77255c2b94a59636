// What one benchmark run measured: every figure of the report, the raw
// per-frame samples behind them, and the machine they came from.
//
// The benchmark fills it; the report and the JSON file (report.h) are made
// from it, and the gate and `nsplay result` read it back from that file.
// Sample arrays are owned by the result (nsp_bench_result_init sizes them
// for the run before timing starts, so timing allocates nothing).
#ifndef NSP_BENCH_RESULT_H
#define NSP_BENCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/scenario.h"
#include "core/stats.h"
#include "render/render.h"

// Per-frame phases of requirements §R2-R3, in report order. Overlay callbacks are
// phases too; they are added by name after these fixed ones.
enum {
    NSP_PHASE_EVENTS,      // Event processing (window events; headless: none).
    NSP_PHASE_CALLBACKS,   // All per-frame steps (field + overlay callbacks) together.
    NSP_PHASE_UPLOAD,      // Texture and vertex uploads, CPU side.
    NSP_PHASE_DRAW,        // Issuing draw calls, CPU side.
    NSP_PHASE_PAINT_GPU,   // GPU time of the frame's uploads and draws (timer queries).
    NSP_PHASE_FINISH,      // Waiting until the GPU has finished the frame.
    NSP_PHASE_FIXED_COUNT,
};
#define NSP_MAX_PHASES 16

typedef struct nsp_phase {
    char name[48];
    double *ms;          // One sample per timed frame; NaN where not measured.
} nsp_phase_t;

typedef struct nsp_machine {
    char gl_renderer[128];
    char gl_version[128];
    char cpu[128];
    int cores;
    char build_type[32];
    char compiler[64];
    char commit[48];
} nsp_machine_t;

typedef struct nsp_bench_result {
    nsp_scenario_desc_t scenario;
    uint64_t digest;              // Scenario digest (0 when not computed).
    int canvas_w, canvas_h;
    bool headless;
    double setup_s;
    // Set-up's parts (schema 2 on; NAN when not measured, as in schema 1
    // files): scenario generation (the scenario and its scene), context
    // creation, renderer initialisation (shader compilation), in seconds;
    // and the Mesa shader cache's state before the context was made:
    // "disabled" (MESA_SHADER_CACHE_DISABLE), "cold" (its directory absent
    // or empty), "warm" (it holds entries), "unknown" (no GL, schema 1).
    double setup_scenario_s, setup_context_s, setup_renderer_s;
    char shader_cache[16];
    bool playback;                // false with --no-playback.
    size_t frames;                // Timed frames recorded.
    size_t capacity;
    double *frame_ms;             // Total frame latency per timed frame.
    double *floor_ms;             // Floor frame, interleaved with the timed frames.
    double *cpu_probe_ms;         // The CPU probe after each floor frame (probe.h); NaN where not run.
    double fault_probe_ms;        // The page-fault probe just before set-up (probe.h); NaN when not run.
    double fault_probe_after_ms;  // The same probe right after set-up; NaN when not run.
    nsp_phase_t phases[NSP_MAX_PHASES];
    int phase_count;
    // Real-time playback (--fps); fps == 0 when not run.
    double fps;
    int64_t shown, dropped;
    // Memory: resident set at the first and last timed frame.
    long rss_first_kib, rss_last_kib;
    // Exact work of the last timed frame, and over all timed frames.
    nsp_render_counters_t counters_frame, counters_total;
    uint64_t allocations_during_playback;  // UINT64_MAX when not counted.
    nsp_machine_t machine;
} nsp_bench_result_t;

// Sizes every sample array for `capacity` frames and adds the fixed phases.
// Returns 0 or NSP_ENOMEM; destroy is safe after a failure.
int nsp_bench_result_init(nsp_bench_result_t *r, size_t capacity);
void nsp_bench_result_destroy(nsp_bench_result_t *r);

// Adds a named phase (an overlay callback); returns its index, or -1 when
// the table is full.
int nsp_bench_result_add_phase(nsp_bench_result_t *r, const char *name);

// The phase's index by name, or -1.
int nsp_bench_result_find_phase(const nsp_bench_result_t *r, const char *name);

// Summary of a sample array, ignoring NaN samples (count 0 when none).
nsp_summary_t nsp_bench_summary(const double *ms, size_t n);

// Reads this machine's CPU model and core count, the build type, compiler
// and commit (GL strings are filled by the caller).
void nsp_machine_detect(nsp_machine_t *m);

// Resident set size of this process in KiB (from /proc/self/statm), -1 if unknown.
long nsp_rss_kib(void);

#endif
