// The regression gate (requirements §R4): measures a scenario in fresh processes and
// judges it on five tiers, each against its own kind of baseline.
//
//   a  exact counters (draw calls, vertices, bytes uploaded, texture and
//      buffer uploads over the timed frames, heap allocations during
//      playback): machine-independent, from the null backend; any increase
//      fails. Baseline: baselines/counters/<scenario>.json.
//   b  instructions per zone (each per-frame step, scenario generation, scene
//      set-up) counted by valgrind's callgrind over the GL-free null backend:
//      deterministic for one toolchain, so a tight limit (2%). Baseline:
//      baselines/instructions/<toolchain>/<scenario>.json.
//   c  timings (frame median and p95, paint, set-up, the callback total,
//      each step), each judged by its ratio to the machine measure timed in
//      the same process (the floor frame or the CPU probe), over
//      repetitions in fresh processes, by one declared mechanism
//      (tier_timing.h); a regression must reproduce in a confirming set.
//      Baseline: baselines/timing/<machine profile>/<scenario>.json.
//   d  requirements §R3's documented targets: beyond target warns, beyond acceptable
//      fails. No baseline.
//   e  the GL path counted exactly (tier_glpath.h): the real GL backend on
//      a pinned llvmpipe, its phases' instructions under callgrind and its
//      GL calls under apitrace. Baseline:
//      baselines/glpath/<software stack>/<scenario>.json.
//
// The gate's files, by job: gate.c the scenario (what runs, in which
// order), gate_measure.c measuring, gate_judge.c judging tiers a, b, d and
// e's glue, tier_timing.c tier c, gate_record.c recording baselines,
// gate_report.c the reports, gate_run.c the child processes,
// gate_baseline.c reading baselines.
//
// Every baseline file records what is needed to trust it: schema, kind,
// scenario and its data digest, commit, date, toolchain, GL renderer, CPU,
// repetitions and spread. A digest that differs from the scenario's fails
// the gate (the scenario changed: refresh the baselines).
#ifndef NSP_GATE_GATE_H
#define NSP_GATE_GATE_H

#include <stdbool.h>
#include <stdio.h>

#include "bench/metrics.h"
#include "bench/result.h"
#include "bench/targets.h"
#include "compare.h"
#include "scenarios.h"

#define NSP_GATE_SCHEMA 1
#define NSP_GATE_MAX_METRICS NSP_METRICS_MAX
#define NSP_GATE_MAX_SAMPLES 64
#define NSP_GATE_NAME_MAX NSP_METRIC_NAME_MAX

// Tier b's limit: an increase of more than this fraction of a zone's
// instructions fails.
#define NSP_GATE_INSTRUCTION_LIMIT 0.02
// The most arguments a child process of the gate is started with; a longer
// command is refused with a message, never cut.
#define NSP_GATE_MAX_ARGS 64
// Frames replayed under callgrind (plus the warm-up frame).
#define NSP_GATE_CALLGRIND_FRAMES 20
// Timed frames of each of tier c's runs: a p95 of 300 frames rests on its
// 15 slowest, where one of 100 rested on 5 (docs/gate.md has the spread of
// each).
#define NSP_GATE_TIMED_FRAMES "300"

// Named values: one repetition's timing metrics, or instructions per zone
// (the counters' and metrics' names are bench/metrics.h's).
typedef nsp_metrics_t nsp_gate_metrics_t;

// What one `nsplay bench --json` run said, reduced to what the gate judges.
typedef struct nsp_gate_run {
    char digest[24];
    nsp_machine_t machine;
    double counters[NSP_COUNTER_COUNT];
    nsp_gate_metrics_t timing;
    double targets[NSP_TARGET_COUNT];
    char paint_source[64];        // Which clock measured the paint target (targets.h).
    // The machine while the run ran: CPU used by other processes (cores) and
    // the fraction of time the hypervisor stole.
    double other_load, steal;
} nsp_gate_run_t;

// Per-repetition samples of each timing metric.
typedef struct nsp_gate_series {
    int n_metrics;
    char name[NSP_GATE_MAX_METRICS][NSP_GATE_NAME_MAX];
    int n_samples;
    double v[NSP_GATE_MAX_METRICS][NSP_GATE_MAX_SAMPLES];
} nsp_gate_series_t;

// A baseline file's header, common to the three kinds.
typedef struct nsp_gate_meta {
    char commit[64], date[32], digest[24], toolchain[64], gl_renderer[128], cpu[128], profile[160];
    int cores, repetitions;
} nsp_gate_meta_t;

typedef struct nsp_gate_baselines {
    bool has_counters, has_instructions, has_timing;
    char counters_path[512], instructions_path[512], timing_path[512];
    nsp_gate_meta_t counters_meta, instructions_meta, timing_meta;
    double counters[NSP_COUNTER_COUNT];
    nsp_gate_metrics_t instructions;
    nsp_gate_series_t timing;
} nsp_gate_baselines_t;

typedef struct nsp_gate_opts {
    const char *exe;            // The nsplay binary measured (this one by default).
    const char *against;        // Another binary: A/B comparison, no stored baselines.
    const char *baselines_dir;  // Root of baselines/.
    const char *work_dir;       // Where runs write their JSON and logs.
    int repetitions;            // Timing repetitions (fresh processes).
    bool tiers[5];              // Which of a, b, c, d, e to run.
    bool record;                // Write baselines instead of judging.
    FILE *out;                  // The report.
} nsp_gate_opts_t;

// One row of the report.
typedef struct nsp_gate_row {
    char tier;
    char metric[NSP_GATE_NAME_MAX + 16];
    double baseline, current, change, ci_lo, ci_hi, threshold;
    bool has_baseline, has_ci;
    const char *verdict;   // "pass", "fail", "warn", "inconclusive", "improvement", "new", ...
    char note[160];
} nsp_gate_row_t;

#define NSP_GATE_MAX_ROWS 192

typedef enum nsp_gate_status {
    NSP_GATE_PASS = 0,
    NSP_GATE_FAIL = 1,
    NSP_GATE_ERROR = 2,
    NSP_GATE_INCONCLUSIVE = 77,   // ctest's skip code.
} nsp_gate_status_t;

typedef struct nsp_gate_result {
    const nsp_gate_scenario_t *scenario;
    nsp_gate_status_t status;
    char tier_summary[5][256];    // What each tier said.
    bool tier_skipped[5];         // Asked but not judged (no baseline, no GL, ...): a skip, never a pass.
    char glpath_commands[2048];   // Tier e: the commands that reproduce and read its counts.
    char summary[1024];
    int n_rows;
    nsp_gate_row_t rows[NSP_GATE_MAX_ROWS];
    nsp_gate_run_t first_run;     // For profile, digest and machine.
    char profile[160];
} nsp_gate_result_t;

// This machine's profile from a run: GL renderer, CPU model and core count,
// as a file-name-safe slug.
void nsp_gate_profile(const nsp_machine_t *m, char *out, size_t cap);
// The toolchain key of tier b: compiler, build type and architecture.
void nsp_gate_toolchain(const nsp_machine_t *m, char *out, size_t cap);

// Runs `exe bench <scenario args> <extra> --json <work>/<tag>.json` in a
// fresh process and reads its result. Returns 0, NSP_ENODISPLAY (the bench
// exited 3: no GL context), NSP_EIO (it failed; its log is named).
int nsp_gate_run_bench(const char *exe, const nsp_gate_scenario_t *sc, const char *const *extra,
                       const char *work_dir, const char *tag, nsp_gate_run_t *out);

// Removes a work directory and everything in it (the gate's own temporary
// one, when no --work was given). NSP_EIO when it cannot be walked.
int nsp_gate_remove_work(const char *dir);

// Runs the scenario under callgrind with the null backend and returns the
// inclusive instructions of each zone's function. NSP_EIO (logged) when
// valgrind is missing or fails.
int nsp_gate_run_callgrind(const char *exe, const nsp_gate_scenario_t *sc, const char *work_dir,
                           nsp_gate_metrics_t *zones, char *digest_out);

// Loads whichever baseline files exist for this scenario, profile and
// toolchain. A missing file is not an error; a malformed or truncated one is
// NSP_EFORMAT, logged naming the file and the problem.
int nsp_gate_load_baselines(const char *dir, const char *scenario, const char *profile, const char *toolchain,
                            nsp_gate_baselines_t *b);

// Validates, before anything is measured, every baseline file there is for
// scenario under dir: counters, instructions of every toolchain, timings of
// every machine profile, the GL path of every software stack (the gate
// learns its profile only from its first timed run). Every number is checked for what it can be (counts: integers
// in 0..2^53; timing samples: milliseconds in 1e-9..86400000; cores and
// repetitions in range). Returns 0; NSP_EINVAL when dir is not a directory;
// NSP_EFORMAT or NSP_EIO for a malformed or unreadable file (logged naming
// the file, the member and what was expected).
int nsp_gate_check_baselines(const char *dir, const char *scenario);

// Measures and judges one scenario (or, with opts->record, measures it and
// writes its baselines, printing old -> new for every metric that moved).
int nsp_gate_scenario(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *opts, nsp_gate_result_t *res);

// The report's table for one scenario, and the exact commands to reproduce a
// failure and to record a trace of it.
void nsp_gate_print(FILE *out, const nsp_gate_result_t *res, const nsp_gate_opts_t *opts);

// The status of a result whose tiers said fails, inconclusive and skipped
// (counts), and its summary line: FAIL, INCONCLUSIVE (which tier, why),
// SKIPPED (which tiers, when nothing was judged that passed), PASS, or
// "PASS (a, b, e judged; c, d skipped)".
void nsp_gate_conclude(nsp_gate_result_t *res, const bool asked[5], int fails, int inconclusive);

// Machine-readable reports of several scenarios: JSON and JUnit XML (atomic).
int nsp_gate_write_json(const char *path, const nsp_gate_result_t *res, int n);
int nsp_gate_write_junit(const char *path, const nsp_gate_result_t *res, int n);

#endif
