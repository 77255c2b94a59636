// What the gate's own files share (gate.h says which file does which job):
// the measurements of one scenario, the report's rows, and the functions
// of each job that nsp_gate_scenario() (gate.c) calls in turn.
#ifndef NSP_GATE_GATE_INTERNAL_H
#define NSP_GATE_GATE_INTERNAL_H

#include <cjson/cJSON.h>

#include "gate.h"
#include "tier_glpath.h"
#include "tier_timing.h"

// Everything measured for one scenario.
typedef struct nsp_gate_measured {
    nsp_gate_run_t null_run;          // Tier a's counters, the digest.
    bool has_instructions;
    nsp_gate_metrics_t instructions;  // Tier b.
    bool has_timing;                  // Timed runs were made (tiers c, d).
    nsp_gate_run_t first_gl;          // The first timed run: machine and profile.
    nsp_timing_outcome_t timing;      // Tier c's runs and judgement.
    char timing_skip[160];            // Why tiers c and d did not run.
    bool has_glpath;
    nsp_glpath_t glpath;              // Tier e.
} nsp_gate_measured_t;

// Measuring (gate_measure.c).
// Tiers a, b and e: the null backend's counters, callgrind's instructions
// (of both binaries with --against), the GL path.
int nsp_gate_measure_exact(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, nsp_gate_measured_t *m,
                           nsp_gate_run_t *other_null, nsp_gate_metrics_t *other_instr);
// The first timed run (it tells the machine profile, hence the baseline).
// NSP_ENODISPLAY leaves m->timing_skip saying so.
int nsp_gate_measure_first(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, nsp_gate_measured_t *m);
// Tiers c and d's runs through tier c's mechanism with the runner that
// starts `nsplay bench` (the first run reused): judged against base when
// judge is true.
int nsp_gate_measure_timing(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, const nsp_gate_series_t *base,
                            bool judge, nsp_gate_measured_t *m);

// Judging (gate_judge.c). Each appends its rows and returns its failures.
nsp_gate_row_t *nsp_gate_add_row(nsp_gate_result_t *r, char tier, const char *metric, const char *verdict);
int nsp_gate_judge_counters(nsp_gate_result_t *r, const double *base, const double *cur);
int nsp_gate_judge_instructions(nsp_gate_result_t *r, const nsp_gate_metrics_t *base, const nsp_gate_metrics_t *cur,
                                char *worst, size_t cap);
int nsp_gate_judge_targets(nsp_gate_result_t *r, const nsp_gate_measured_t *m, int *warns);
// Tier e against its stored baseline; *skipped when it could not judge.
int nsp_gate_judge_glpath(nsp_gate_result_t *res, const nsp_gate_opts_t *o, const nsp_gate_measured_t *m,
                          bool *skipped);
// The median of a run's values over the timed runs (NaN runs left out).
double nsp_gate_median(const double *x, int n);

// Running children and naming things (gate_run.c).
// Runs args (args[0] looked up on PATH) with stdout and stderr into
// log_path; returns the exit status, or -1 (logged) when it could not start
// or did not exit normally.
int nsp_gate_spawn(const char *const *args, const char *log_path);
// One line of callgrind_annotate's output: its leading instruction count
// ("18,916" reads 18916) into *count and, in *rest, what follows it (the
// percentage, then "file:function"). false for a line with no count.
bool nsp_gate_annotate_count(const char *line, double *count, const char **rest);
// A file-name-safe slug of in: letters lower-cased, digits and dots kept,
// every other run of characters one '-'.
void nsp_gate_slug(const char *in, char *out, size_t cap);

// Recording baselines (gate_record.c).
int nsp_gate_record(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, const nsp_gate_measured_t *m,
                    const nsp_gate_baselines_t *old, nsp_gate_result_t *res);
// Writes root (consumed) as a JSON file, atomically.
int nsp_gate_write_json_file(const char *path, cJSON *root);

#endif
