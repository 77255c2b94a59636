// Tier c of the gate: wall time, judged by one declared mechanism.
//
// Every timed metric is declared once, in nsp_timing_metrics[]
// (timing_metrics.c): its name, unit, least threshold and the machine
// measure it is judged against, timed in the same process as the metric:
//   floor  the floor frame drawn right after each frame (clear, one
//          textured quad, finish): the GL path's speed, for the frame and
//          its paint;
//   cpu    the CPU probe (bench/probe.h) after each floor frame: for the
//          callbacks and each step, CPU work the floor frame does not track;
//   faults the page-fault probe (bench/probe.h) right before set-up: for
//          the set-up's two parts, context creation (mostly the driver's
//          loading) and nsplay's own.
// A metric is judged by its ratio to its measure (per frame, paired, then
// the median over a run's frames; per run), compared across runs with
// nsp_compare() (compare.h): that ratio is what does not move with the
// machine. The raw time is shown, never judged, so a regression is never
// passed because the machine got faster, nor failed because it got slower.
//
// The rules, each one function of tier_timing.c:
//   runs       a set is `reps` fresh runs from the runner (injectable: the
//              gate's runs `nsplay bench`, the tests synthetic ones); a run
//              that fails is an error, never a silent gap;
//   machine    the machine's state is assessed once per set of runs, in
//              one place (nsp_timing_assess): busy (other processes' CPU),
//              stolen (the hypervisor's steal), else quiet; its speed and
//              spread (each measure against the baseline's) are reported,
//              not judged: each run's ratio is paired within the run, so a
//              machine that changes speed between runs leaves the ratio's
//              own spread to decide (the judge rule);
//   judge      a ratio whose whole 95% interval lies above its threshold is
//              slower; one whose point estimate is above it while the
//              interval reaches below, unclear; below minus the threshold,
//              faster; else within;
//   confirm    anything slower or unclear calls for a second set; a failure
//              must show in each set's point estimate and in the pooled
//              runs' interval; a first set's slowdown that the pooled runs
//              do not show passes as not confirmed;
//   machine    a verdict other than a pass on a busy or stolen machine is
//              inconclusive, with the machine's reason; an unclear ratio,
//              or two sets that disagree, inconclusive as noisy.
// Every verdict carries exactly one reason (nsp_timing_reason_t).
#ifndef NSP_GATE_TIER_TIMING_H
#define NSP_GATE_TIER_TIMING_H

#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "gate.h"

typedef enum nsp_timing_measure {
    NSP_MEASURE_FLOOR,         // The floor frame after each frame (its p95 for a p95).
    NSP_MEASURE_CPU,           // The CPU probe after each frame.
    NSP_MEASURE_FAULTS,        // The page-fault probe before set-up.
    NSP_MEASURE_FAULTS_AFTER,  // The page-fault probe after set-up.
    NSP_MEASURE_COUNT,
} nsp_timing_measure_t;

// One declared machine measure: the per-run metric that holds it, and what
// it is, for the report.
typedef struct nsp_timing_measure_info {
    const char *metric;   // floor_median_ms
    const char *label;    // floor
    const char *what;     // the floor frame: the GL path's speed
} nsp_timing_measure_info_t;

extern const nsp_timing_measure_info_t nsp_timing_measures[NSP_MEASURE_COUNT];

// One declared timed metric. name NULL: every per-frame step, STEP_ms,
// judged as STEP/cpu.
typedef struct nsp_timing_metric {
    const char *name;          // The raw metric (shown): frame_median_ms.
    const char *ratio;         // The judged ratio: frame_median/floor.
    const char *unit;
    double least_threshold;    // The threshold is max(this, k x the baseline ratio's noise).
    nsp_timing_measure_t measure;
} nsp_timing_metric_t;

extern const nsp_timing_metric_t nsp_timing_metrics[];
extern const int nsp_timing_metric_count;

// The declared entry of a raw metric name (the step entry for a step's
// STEP_ms), or NULL for a name that is not a judged metric (the measures
// themselves, the ratios). ratio receives the judged ratio's name.
const nsp_timing_metric_t *nsp_timing_metric_find(const char *raw, char *ratio, size_t cap);

// The raw metrics below this baseline median are shown, not judged: work
// of a few microseconds a frame runs at the pace of the cache the raster
// left behind, which no probe tracks. Steps of 0.4-10 us moved by up to
// 2.8 us between the machine's states (docs/gate.md), 11% of 25 us: under
// the CPU work's least threshold (16%) from there up; tier b counts
// the smaller steps' instructions, and the frame, which holds them, is
// judged.
#define NSP_TIMING_MIN_MS 0.025

// The machine is busy when other processes used more than this many cores
// (median over the set's runs), stolen when the hypervisor took more than
// this fraction of the time.
#define NSP_TIMING_MAX_OTHER_LOAD 0.25
#define NSP_TIMING_MAX_STEAL 0.10

typedef enum nsp_timing_verdict {
    NSP_TIMING_PASS,
    NSP_TIMING_IMPROVEMENT,
    NSP_TIMING_FAIL,
    NSP_TIMING_INCONCLUSIVE,
    NSP_TIMING_INFO,          // Shown, not judged.
    NSP_TIMING_SKIPPED,       // Cannot be judged: a side lacks the ratio.
} nsp_timing_verdict_t;

typedef enum nsp_timing_reason {
    NSP_REASON_WITHIN,             // pass: the ratio within its threshold.
    NSP_REASON_NOT_CONFIRMED,      // pass: the first set slower, the pooled runs not.
    NSP_REASON_FASTER,             // improvement: the ratio's interval below minus the threshold.
    NSP_REASON_CONFIRMED,          // fail: slower per its measure in each set and pooled.
    NSP_REASON_MACHINE_BUSY,       // inconclusive: other processes used the CPU.
    NSP_REASON_MACHINE_STOLEN,     // inconclusive: the hypervisor stole time.
    NSP_REASON_MACHINE_NOISY,      // inconclusive: the ratio too spread to decide, or the sets disagree.
    NSP_REASON_BELOW_RESOLUTION,   // info: under NSP_TIMING_MIN_MS.
    NSP_REASON_NO_RATIO,           // skipped: the baseline or the runs lack the ratio.
    NSP_REASON_COUNT,
} nsp_timing_reason_t;

const char *nsp_timing_verdict_name(nsp_timing_verdict_t v);
// The reason in words, for the report.
const char *nsp_timing_reason_text(nsp_timing_reason_t r);

// The machine during one set of runs, against the baseline's.
typedef struct nsp_machine_state {
    nsp_timing_reason_t reason;   // NSP_REASON_WITHIN (quiet), _BUSY or _STOLEN.
    double load, steal;           // Medians over the runs.
    // Per measure (nsp_timing_measure_t): its median now and at baseline
    // time (NaN: absent), the machine's speed; and its spread over the runs
    // (relative robust SD of the per-run values), now and then.
    double ms[NSP_MEASURE_COUNT], base_ms[NSP_MEASURE_COUNT];
    double noise[NSP_MEASURE_COUNT], base_noise[NSP_MEASURE_COUNT];
    char text[200];               // What the assessment found, in words.
} nsp_machine_state_t;

// Assesses the machine over cur's runs (with their load and steal, n of
// each) against the baseline's series: the one place that does.
void nsp_timing_assess(const nsp_gate_series_t *base, const nsp_gate_series_t *cur, const double *load,
                       const double *steal, nsp_machine_state_t *st);

// One metric's judgement.
typedef struct nsp_timing_judgement {
    const nsp_timing_metric_t *metric;
    char raw[NSP_GATE_NAME_MAX], ratio[NSP_GATE_NAME_MAX];
    nsp_timing_verdict_t verdict;
    nsp_timing_reason_t reason;
    nsp_comparison_t ratio_c;     // The judged comparison (pooled runs when confirmed).
    double raw_base, raw_cur;     // Raw medians, shown.
    double first_change, confirm_change;   // Each set's point estimate (NaN: no such set).
} nsp_timing_judgement_t;

// One set's judgement of every declared metric present in cur (one entry
// per metric, at most cap); returns how many. Applies the judge rule and
// the machine rule with st (the confirm rule is nsp_timing_run's).
int nsp_timing_judge_set(const nsp_gate_series_t *base, const nsp_gate_series_t *cur, const nsp_machine_state_t *st,
                         nsp_timing_judgement_t *out, int cap);

// The runner: makes run number index (0, 1, ... over both sets) into
// *cur, and with an A/B comparison the other binary's into *other (NULL
// otherwise). Returns 0, or an error that ends the tier.
typedef int (*nsp_timing_runner_fn)(void *user, int index, nsp_gate_run_t *cur, nsp_gate_run_t *other);

typedef struct nsp_timing_opts {
    const nsp_gate_series_t *base;   // The baseline's runs; NULL with `against`.
    bool against;                    // The runner's other runs are the baseline.
    int reps;                        // Runs a set (3 .. NSP_GATE_MAX_SAMPLES / 2).
    bool judge;                      // false: only collect one set (recording; tier d alone).
    nsp_timing_runner_fn run;
    void *user;
} nsp_timing_opts_t;

#define NSP_TIMING_MAX_JUDGED NSP_GATE_MAX_METRICS

typedef struct nsp_timing_outcome {
    nsp_gate_series_t cur, other;    // Every run kept (both sets pooled); other with `against`.
    nsp_gate_run_t *runs;            // Each of this binary's runs (n_runs; owned, free with _free).
    int n_runs;
    bool confirmed;                  // A second set was run.
    nsp_machine_state_t first_state, pooled_state;
    int n_judged;
    nsp_timing_judgement_t judged[NSP_TIMING_MAX_JUDGED];
    int fails, inconclusive, skipped;
} nsp_timing_outcome_t;

// Tier c: runs a set, assesses the machine, judges; runs a confirming set
// when anything is slower or unclear, and decides on both. Returns 0,
// NSP_EINVAL (reps out of range, logged), NSP_ENOMEM or the runner's error
// (the outcome then holds what was run).
int nsp_timing_run(const nsp_timing_opts_t *o, nsp_timing_outcome_t *out);
void nsp_timing_outcome_free(nsp_timing_outcome_t *out);

// Appends one series of runs to another; NSP_EINVAL (logged) past
// NSP_GATE_MAX_SAMPLES samples or NSP_GATE_MAX_METRICS metrics: never a
// silent cap.
int nsp_timing_series_add(nsp_gate_series_t *s, const nsp_gate_metrics_t *m);

// The samples of a metric in a series, or NULL.
const double *nsp_timing_samples(const nsp_gate_series_t *s, const char *name);

// Tier c's rows (the machine's, then one per metric) and its summary.
void nsp_timing_report(nsp_gate_result_t *res, const nsp_timing_outcome_t *o, char *summary, size_t cap);

#endif
