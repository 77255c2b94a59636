// The gate's decisions, its baseline refresh and its reports.
#include "gate.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "core/stats.h"
#include "tier_glpath.h"

// ---------------------------------------------------------------------------
// Measuring.

typedef struct measured {
    nsp_gate_run_t null_run;          // Tier a's counters, the digest.
    bool has_instructions;
    nsp_gate_metrics_t instructions;  // Tier b.
    bool has_timing;
    nsp_gate_run_t first_gl;          // Machine and profile.
    nsp_gate_series_t timing;         // Tier c.
    double targets[NSP_TARGET_COUNT][NSP_GATE_MAX_SAMPLES];  // Tier d.
    double other_load[NSP_GATE_MAX_SAMPLES], steal[NSP_GATE_MAX_SAMPLES];
    char timing_skip[160];            // Why tiers c and d did not run.
    int runs, left_out;               // Timed runs, and those left out (machine state).
    bool state_unmatched;             // Fewer than 3 runs in the state: all kept.
    char state_note[128];
    bool has_glpath;
    nsp_glpath_t glpath;              // Tier e.
} measured_t;

static int series_index(nsp_gate_series_t *s, const char *name) {
    for (int i = 0; i < s->n_metrics; i++) {
        if (strcmp(s->name[i], name) == 0) {
            return i;
        }
    }
    if (s->n_metrics == NSP_GATE_MAX_METRICS) {
        return -1;
    }
    snprintf(s->name[s->n_metrics], NSP_GATE_NAME_MAX, "%s", name);
    return s->n_metrics++;
}

static void series_add(nsp_gate_series_t *s, const nsp_gate_metrics_t *m) {
    if (s->n_samples == NSP_GATE_MAX_SAMPLES) {
        return;
    }
    for (int i = 0; i < m->n; i++) {
        int k = series_index(s, m->name[i]);
        if (k >= 0) {
            s->v[k][s->n_samples] = m->v[i];
        }
    }
    s->n_samples++;
}

static const char *const GL_ARGS[] = {"--headless", NULL};

static double floor_of(const nsp_gate_run_t *run) {
    for (int i = 0; i < run->timing.n; i++) {
        if (strcmp(run->timing.name[i], "floor_median_ms") == 0) {
            return run->timing.v[i];
        }
    }
    return NAN;
}

static void add_run(measured_t *m, const nsp_gate_run_t *run) {
    if (!m->has_timing) {
        m->first_gl = *run;
        m->has_timing = true;
    }
    if (m->timing.n_samples < NSP_GATE_MAX_SAMPLES) {
        for (int t = 0; t < NSP_TARGET_COUNT; t++) {
            m->targets[t][m->timing.n_samples] = run->targets[t];
        }
        m->other_load[m->timing.n_samples] = run->other_load;
        m->steal[m->timing.n_samples] = run->steal;
    }
    series_add(&m->timing, &run->timing);
}

// Whether a run's floor frame is within the state's limit (no floor frame:
// nothing to tell, kept).
static bool in_state(const nsp_gate_run_t *run, double limit) {
    double f = floor_of(run);
    return isnan(f) || f <= limit;
}

// Timed repetitions, each a fresh process, keeping those of the machine in
// the state of the baseline. This kind of machine draws 20-40% slower for
// seconds to minutes at a time (after load on both cores, and at other
// times), with nothing to show for it in /proc/stat: a repetition whose
// floor frame is more than NSP_GATE_STATE_TOLERANCE slower than floor_ms
// (the baseline's) is left out, and after a second's pause another is run,
// up to NSP_GATE_MAX_ATTEMPTS times reps in all (no more, after 3, once one
// is left out while other processes were busy). Recording a baseline, the
// faster of the old baseline's floor frame and the fastest run's sets the
// state (a machine slow all through a refresh does not become the
// baseline); with no baseline, the fastest run's. When fewer than 3 runs
// match, all are kept, and judge_metric() finds the machine slower. With
// `against`, the two binaries alternate (A B A B ...) and every pair is
// kept: drift hits both alike; the other binary's samples go to
// other_series. first, when not NULL, is this binary's first run, made
// already (it told the machine profile, hence the baseline).
static int measure_timing(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, int reps, const char *tag,
                          const nsp_gate_run_t *first, double floor_ms, measured_t *m,
                          nsp_gate_series_t *other_series) {
    int cap = o->against ? reps : NSP_GATE_MAX_ATTEMPTS * reps;
    nsp_gate_run_t *runs = calloc((size_t)cap, sizeof *runs);
    if (!runs) {
        return NSP_ENOMEM;
    }
    int err = 0, n = 0, kept = 0;
    double fastest = INFINITY, limit = INFINITY;
    while (n < cap && kept < reps) {
        for (int side = 0; side < (o->against ? 2 : 1); side++) {
            if (side == 0 && n == 0 && first) {
                runs[0] = *first;
                continue;
            }
            const char *exe = side == 0 ? o->exe : o->against;
            char run_tag[96];
            snprintf(run_tag, sizeof run_tag, "%s-%s-%s%d", sc->name, tag, side ? "other-" : "", n);
            nsp_gate_run_t other;
            err = nsp_gate_run_bench(exe, sc, GL_ARGS, o->work_dir, run_tag, side ? &other : &runs[n]);
            if (err == NSP_ENODISPLAY) {
                snprintf(m->timing_skip, sizeof m->timing_skip,
                         "no GL context here (the bench exited 3): timing tiers c and d not run");
                err = 0;
                goto out;
            }
            if (err) {
                goto out;
            }
            if (side == 1) {
                series_add(other_series, &other.timing);
            }
        }
        double f = floor_of(&runs[n]);
        fastest = f < fastest ? f : fastest;
        n++;
        if (!o->against) {
            double state = floor_ms > 0.0 && (!o->record || floor_ms < fastest) ? floor_ms : fastest;
            limit = (1.0 + NSP_GATE_STATE_TOLERANCE) * state;
        }
        kept = 0;
        for (int i = 0; i < n; i++) {
            kept += in_state(&runs[i], limit);
        }
        if (!in_state(&runs[n - 1], limit)) {
            // A run out of the state while other processes were busy: the
            // load is the cause, and the verdict will say so; more runs
            // would not match.
            if (runs[n - 1].other_load > NSP_GATE_MAX_OTHER_LOAD && n >= 3) {
                break;
            }
            if (n < cap) {
                sleep(1);
            }
        }
        // Progress on a terminal: one line, rewritten.
        if (isatty(2)) {
            fprintf(stderr, "\r  %s: timed repetition %d/%d (%d run)", sc->name, kept, reps, n);
        }
    }
    if (isatty(2)) {
        fprintf(stderr, "\n");
    }
    bool all = kept < 3 && kept < n;
    for (int i = 0; i < n; i++) {
        if (all || in_state(&runs[i], limit)) {
            add_run(m, &runs[i]);
        }
    }
    m->runs += n;
    m->left_out += all ? 0 : n - kept;
    m->state_unmatched = all;
    double state_ms = limit / (1.0 + NSP_GATE_STATE_TOLERANCE);
    if (all) {
        snprintf(m->state_note, sizeof m->state_note,
                 "only %d of %d runs drew the floor frame within %.0f%% of %.3g ms: too few, all kept", kept, n,
                 100.0 * NSP_GATE_STATE_TOLERANCE, state_ms);
    } else {
        snprintf(m->state_note, sizeof m->state_note, "%d of %d runs left out: floor frame over %.0f%% slower than %.3g ms",
                 m->left_out, m->runs, 100.0 * NSP_GATE_STATE_TOLERANCE, state_ms);
    }
    if (n > kept) {
        fprintf(stderr, "  %s: %s\n", sc->name, m->state_note);
    }
out:
    free(runs);
    return err;
}

// Tiers a and b: the counters of a null-backend run, the instructions under
// callgrind (of both binaries with --against).
static int measure(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, measured_t *m,
                   nsp_gate_run_t *other_null, nsp_gate_metrics_t *other_instr) {
    static const char *const null_args[] = {"--backend", "null", NULL};
    int err = nsp_gate_run_bench(o->exe, sc, null_args, o->work_dir, "counters", &m->null_run);
    if (!err && o->against) {
        err = nsp_gate_run_bench(o->against, sc, null_args, o->work_dir, "counters-other", other_null);
    }
    if (err) {
        return err;
    }
    if (o->tiers[1]) {
        char digest[24];
        err = nsp_gate_run_callgrind(o->exe, sc, o->work_dir, &m->instructions, digest);
        if (!err && o->against) {
            err = nsp_gate_run_callgrind(o->against, sc, o->work_dir, other_instr, digest);
        }
        if (err) {
            return err;
        }
        m->has_instructions = true;
    }
    // Tier e judges this binary against its stored baseline; with
    // --against it is not run (A/B of exact counts: run the gate on each).
    if (o->tiers[4] && !o->against) {
        err = nsp_glpath_measure(o->exe, sc, o->work_dir, &m->glpath);
        m->has_glpath = err == 0;
    }
    return err;
}

// ---------------------------------------------------------------------------
// Judging.

static nsp_gate_row_t *add_row(nsp_gate_result_t *r, char tier, const char *metric, const char *verdict) {
    if (r->n_rows == NSP_GATE_MAX_ROWS) {
        return &r->rows[NSP_GATE_MAX_ROWS - 1];
    }
    nsp_gate_row_t *row = &r->rows[r->n_rows++];
    memset(row, 0, sizeof *row);
    row->tier = tier;
    snprintf(row->metric, sizeof row->metric, "%s", metric);
    row->verdict = verdict;
    return row;
}

static int judge_counters(nsp_gate_result_t *r, const double *base, const double *cur) {
    int fails = 0;
    for (int i = 0; i < NSP_COUNTER_COUNT; i++) {
        const char *v = cur[i] > base[i] ? "fail" : cur[i] < base[i] ? "improvement" : "pass";
        nsp_gate_row_t *row = add_row(r, 'a', nsp_counter_names[i], v);
        row->has_baseline = true;
        row->baseline = base[i];
        row->current = cur[i];
        row->change = base[i] > 0 ? cur[i] / base[i] - 1.0 : (cur[i] > 0 ? INFINITY : 0.0);
        if (cur[i] > base[i]) {
            snprintf(row->note, sizeof row->note, "+%.0f over the timed frames (any increase fails)",
                     cur[i] - base[i]);
            fails++;
        }
    }
    return fails;
}

static int judge_instructions(nsp_gate_result_t *r, const nsp_gate_metrics_t *base, const nsp_gate_metrics_t *cur,
                              char *worst, size_t cap) {
    int fails = 0;
    double worst_change = -1.0;
    for (int i = 0; i < cur->n; i++) {
        char metric[NSP_GATE_NAME_MAX + 8];
        snprintf(metric, sizeof metric, "Ir %s", cur->name[i]);
        int k = 0;
        while (k < base->n && strcmp(base->name[k], cur->name[i]) != 0) {
            k++;
        }
        if (k == base->n) {
            nsp_gate_row_t *row = add_row(r, 'b', metric, "new");
            row->current = cur->v[i];
            snprintf(row->note, sizeof row->note, "no baseline for this zone");
            continue;
        }
        double change = base->v[k] > 0 ? cur->v[i] / base->v[k] - 1.0 : 0.0;
        bool fail = change > NSP_GATE_INSTRUCTION_LIMIT;
        nsp_gate_row_t *row = add_row(r, 'b', metric, fail ? "fail" : change < -NSP_GATE_INSTRUCTION_LIMIT ? "improvement"
                                                                                                      : "pass");
        row->has_baseline = true;
        row->baseline = base->v[k];
        row->current = cur->v[i];
        row->change = change;
        row->threshold = NSP_GATE_INSTRUCTION_LIMIT;
        snprintf(row->note, sizeof row->note, "exact count (callgrind), %d frames", NSP_GATE_CALLGRIND_FRAMES + 1);
        if (fail) {
            fails++;
            if (change > worst_change) {
                worst_change = change;
                snprintf(worst, cap, "zone %s +%.1f%% instructions", cur->name[i], 100.0 * change);
            }
        }
    }
    return fails;
}

static const double *samples_of(const nsp_gate_series_t *s, const char *name) {
    for (int i = 0; i < s->n_metrics; i++) {
        if (strcmp(s->name[i], name) == 0) {
            return s->v[i];
        }
    }
    return NULL;
}

// How fast the machine draws the floor frame now against baseline time
// (median and tail), judged like any metric; has is false without floor
// samples on either side.
typedef struct floor_drift {
    bool has;
    nsp_comparison_t median, tail;
    bool has_tail;
} floor_drift_t;

// Tier c on one metric: its absolute value decides, judged by nsp_compare()
// against the baseline's repetitions. A slower time says nothing about the
// code, and the verdict is inconclusive rather than a false alarm, when
//   - other processes were busy during the runs (busy_reason);
//   - the floor frame itself is slower than at baseline time by more than
//     its threshold: the machine is in a slower state (measure_timing()),
//     and one state's ratio of a frame to the floor frame is not another's
//     (seen here: +7 to +10%);
//   - taken relative to the floor frame drawn right after each frame (the
//     tail against the floor's tail for p95), less than half the slowdown
//     remains: the machine slowed down during or between runs (seen here for
//     tens of seconds after a CPU hog stopped, with nothing in /proc/stat).
// The ratios are not the measure themselves: work that llvmpipe's threads
// do not share (set-up, the callbacks) keeps its time when the floor frame
// slows down or speeds up. An improvement on a machine whose floor frame is
// faster too is only a pass.
static nsp_change_verdict_t judge_metric(const nsp_gate_series_t *base, const nsp_gate_series_t *cur,
                                         const char *abs_name, const char *busy_reason, const floor_drift_t *fd,
                                         nsp_comparison_t *abs_c, nsp_comparison_t *ratio_c, bool *has_ratio) {
    nsp_compare_params_t p;
    nsp_compare_params_default(&p);
    // A tail percentile of 100 frames moves with a handful of slow frames:
    // it gets a wider floor under its threshold than the medians.
    bool tail = strstr(abs_name, "_p95_") != NULL;
    if (tail) {
        p.min_threshold = NSP_GATE_TAIL_MIN_THRESHOLD;
    } else if (strncmp(abs_name, "frame_", 6) != 0) {
        p.min_threshold = NSP_GATE_CPU_MIN_THRESHOLD;  // Set-up and the callbacks.
    }
    const double *b = samples_of(base, abs_name), *c = samples_of(cur, abs_name);
    if (!b || !c || nsp_compare(b, (size_t)base->n_samples, c, (size_t)cur->n_samples, &p, abs_c) != 0) {
        abs_c->reason = "not measured on both sides";
        return NSP_CHANGE_INCONCLUSIVE;
    }
    char ratio_name[NSP_GATE_NAME_MAX];
    snprintf(ratio_name, sizeof ratio_name, "%.*s/floor", (int)strlen(abs_name) - 3, abs_name);
    const double *br = samples_of(base, ratio_name), *cr = samples_of(cur, ratio_name);
    *has_ratio = br && cr &&
                 nsp_compare(br, (size_t)base->n_samples, cr, (size_t)cur->n_samples, &p, ratio_c) == 0;
    if (abs_c->baseline_median < NSP_GATE_MIN_TIMED_MS) {
        // A clock read costs tens of nanoseconds: a percentage of a
        // sub-10-us zone is noise. Tier b judges its instructions instead.
        abs_c->reason = "below 10 us: timer resolution; judged by its instruction count (tier b)";
        return NSP_CHANGE_PASS;
    }
    bool slower = abs_c->verdict == NSP_CHANGE_REGRESSION || abs_c->verdict == NSP_CHANGE_INCONCLUSIVE;
    const nsp_comparison_t *drift = tail && fd->has_tail ? &fd->tail : &fd->median;
    if (slower && busy_reason) {
        abs_c->reason = busy_reason;
        return NSP_CHANGE_INCONCLUSIVE;
    }
    if (slower && fd->has && drift->change > drift->threshold) {
        abs_c->reason = tail ? "the floor frame's tail is slower too: this machine is noisier than at baseline time"
                             : "the floor frame is slower too: this machine is slower than at baseline time";
        return NSP_CHANGE_INCONCLUSIVE;
    }
    if (slower && *has_ratio && ratio_c->change < 0.5 * abs_c->change) {
        abs_c->reason = "relative to the floor frame, less than half of it is left: the machine slowed down";
        return NSP_CHANGE_INCONCLUSIVE;
    }
    if (abs_c->verdict == NSP_CHANGE_IMPROVEMENT && fd->has && drift->change < -drift->threshold) {
        abs_c->reason = "the floor frame is faster too: this machine is faster than at baseline time";
        return NSP_CHANGE_PASS;
    }
    return abs_c->verdict;
}

static bool is_abs_metric(const char *name) {
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, "_ms") == 0 && strncmp(name, "floor_", 6) != 0;
}

// Returns the number of regressions; fills rows and a note of the worst.
// busy_reason: why the machine was too busy to trust a slower time, or NULL.
static int judge_timing(nsp_gate_result_t *r, const nsp_gate_series_t *base, const nsp_gate_series_t *cur,
                        const char *busy_reason, bool add_rows, int *inconclusive, char *worst, size_t cap,
                        char regressed[][NSP_GATE_NAME_MAX]) {
    int regressions = 0;
    double worst_change = -1.0;
    // The floor frame: how fast, and how steadily, the machine drew a plain
    // textured canvas then and now.
    floor_drift_t fd = {0};
    nsp_compare_params_t p;
    nsp_compare_params_default(&p);
    const double *bf = samples_of(base, "floor_median_ms"), *cf = samples_of(cur, "floor_median_ms");
    fd.has = bf && cf && nsp_compare(bf, (size_t)base->n_samples, cf, (size_t)cur->n_samples, &p, &fd.median) == 0;
    p.min_threshold = NSP_GATE_TAIL_MIN_THRESHOLD;
    bf = samples_of(base, "floor_p95_ms");
    cf = samples_of(cur, "floor_p95_ms");
    fd.has_tail = bf && cf && nsp_compare(bf, (size_t)base->n_samples, cf, (size_t)cur->n_samples, &p, &fd.tail) == 0;
    for (int k = 0; add_rows && k < 2; k++) {
        const nsp_comparison_t *fc = k == 0 ? &fd.median : &fd.tail;
        if (!(k == 0 ? fd.has : fd.has_tail)) {
            continue;
        }
        nsp_gate_row_t *row = add_row(r, 'c', k == 0 ? "floor_median_ms" : "floor_p95_ms", "info");
        row->has_baseline = row->has_ci = true;
        row->baseline = fc->baseline_median;
        row->current = fc->current_median;
        row->change = fc->change;
        row->ci_lo = fc->ci_lo;
        row->ci_hi = fc->ci_hi;
        row->threshold = fc->threshold;
        snprintf(row->note, sizeof row->note, "%s",
                 k == 0 ? "the floor frame of the same runs: the machine's speed"
                        : "the floor frame's tail: how much the machine interrupted the runs");
    }
    for (int i = 0; i < cur->n_metrics; i++) {
        const char *name = cur->name[i];
        if (!is_abs_metric(name)) {
            continue;
        }
        nsp_comparison_t ac = {0}, rc = {0};
        bool has_ratio = false;
        nsp_change_verdict_t v = judge_metric(base, cur, name, busy_reason, &fd, &ac, &rc, &has_ratio);
        if (v == NSP_CHANGE_REGRESSION) {
            snprintf(regressed[regressions], NSP_GATE_NAME_MAX, "%s", name);
            regressions++;
            if (ac.change > worst_change) {
                worst_change = ac.change;
                snprintf(worst, cap, "%s +%.1f%% (floor ratio +%.1f%%)", name, 100.0 * ac.change, 100.0 * rc.change);
            }
        } else if (v == NSP_CHANGE_INCONCLUSIVE) {
            (*inconclusive)++;
        }
        if (!add_rows) {
            continue;
        }
        bool info = ac.baseline_median > 0.0 && ac.baseline_median < NSP_GATE_MIN_TIMED_MS;
        nsp_gate_row_t *row = add_row(r, 'c', name, info ? "info" : nsp_change_verdict_name(v));
        row->has_baseline = row->has_ci = ac.baseline_median > 0.0;
        row->baseline = ac.baseline_median;
        row->current = ac.current_median;
        row->change = ac.change;
        row->ci_lo = ac.ci_lo;
        row->ci_hi = ac.ci_hi;
        row->threshold = ac.threshold;
        if (has_ratio) {
            snprintf(row->note, sizeof row->note, "/floor %+.1f%% [%+.1f, %+.1f]", 100.0 * rc.change,
                     100.0 * rc.ci_lo, 100.0 * rc.ci_hi);
        }
        if ((v != NSP_CHANGE_PASS && v != NSP_CHANGE_IMPROVEMENT) || info || v != ac.verdict) {
            size_t used = strlen(row->note);
            snprintf(row->note + used, sizeof row->note - used, "%s%s", used ? "; " : "", ac.reason);
        }
    }
    return regressions;
}

int nsp_gate_judge_timing(nsp_gate_result_t *res, const nsp_gate_series_t *base, const nsp_gate_series_t *cur,
                          const char *busy_reason, int *inconclusive) {
    char worst[160];
    char regressed[NSP_GATE_MAX_METRICS][NSP_GATE_NAME_MAX];
    *inconclusive = 0;
    return judge_timing(res, base, cur, busy_reason, true, inconclusive, worst, sizeof worst, regressed);
}

static double median_of(const double *x, int n) {
    double tmp[NSP_GATE_MAX_SAMPLES];
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!isnan(x[i])) {
            tmp[k++] = x[i];
        }
    }
    return k > 0 ? nsp_stats_median(tmp, (size_t)k, tmp) : NAN;
}

// The baseline's floor frame (median over its repetitions), or 0 without one.
static double baseline_floor(const nsp_gate_baselines_t *b) {
    const double *v = b->has_timing ? samples_of(&b->timing, "floor_median_ms") : NULL;
    return v ? median_of(v, b->timing.n_samples) : 0.0;
}

// Why the machine was too busy during the timed runs to trust a slower
// time, or NULL when it was quiet enough.
static const char *machine_busy(const measured_t *m, char *buf, size_t cap) {
    double load = median_of(m->other_load, m->timing.n_samples);
    double steal = median_of(m->steal, m->timing.n_samples);
    if (load > NSP_GATE_MAX_OTHER_LOAD) {
        snprintf(buf, cap, "other processes used %.2f cores during the runs: machine too busy to decide", load);
        return buf;
    }
    if (steal > NSP_GATE_MAX_STEAL) {
        snprintf(buf, cap, "the hypervisor stole %.0f%% of the time during the runs: too noisy to decide",
                 100.0 * steal);
        return buf;
    }
    return NULL;
}

static int judge_targets(nsp_gate_result_t *r, const measured_t *m, int *warns) {
    int fails = 0;
    for (int t = 0; t < NSP_TARGET_COUNT; t++) {
        double v = median_of(m->targets[t], m->timing.n_samples);
        nsp_verdict_t verdict = nsp_target_judge(&nsp_targets[t], v);
        if (verdict == NSP_VERDICT_NA) {
            continue;  // Not measured by the gate's runs (the skip rate needs --fps).
        }
        nsp_gate_row_t *row = add_row(r, 'd', nsp_targets[t].key, nsp_verdict_name(verdict));
        row->current = v;
        if (isinf(nsp_targets[t].acceptable)) {
            snprintf(row->note, sizeof row->note, "%s: target < %g %s", nsp_targets[t].label, nsp_targets[t].target,
                     nsp_targets[t].unit);
        } else {
            snprintf(row->note, sizeof row->note, "%s: target < %g, acceptable < %g %s", nsp_targets[t].label,
                     nsp_targets[t].target, nsp_targets[t].acceptable, nsp_targets[t].unit);
        }
        if (t == NSP_TARGET_PAINT && m->first_gl.paint_source[0]) {
            size_t used = strlen(row->note);
            snprintf(row->note + used, sizeof row->note - used, "; measured by: %s", m->first_gl.paint_source);
        }
        fails += verdict == NSP_VERDICT_FAIL;
        *warns += verdict == NSP_VERDICT_WARN;
    }
    return fails;
}

// ---------------------------------------------------------------------------
// Recording baselines.

static void today(char *out, size_t cap) {
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static cJSON *meta_json(const char *kind, const nsp_gate_scenario_t *sc, const char *digest,
                        const nsp_machine_t *machine) {
    cJSON *root = cJSON_CreateObject();
    char date[32], toolchain[64];
    today(date, sizeof date);
    nsp_gate_toolchain(machine, toolchain, sizeof toolchain);
    cJSON_AddNumberToObject(root, "schema", NSP_GATE_SCHEMA);
    cJSON_AddStringToObject(root, "kind", kind);
    cJSON_AddStringToObject(root, "scenario", sc->name);
    cJSON_AddStringToObject(root, "summary", sc->summary);
    cJSON_AddStringToObject(root, "digest", digest);
    cJSON_AddStringToObject(root, "commit", machine->commit);
    cJSON_AddStringToObject(root, "date", date);
    cJSON_AddStringToObject(root, "toolchain", toolchain);
    return root;
}

static int write_json(const char *path, cJSON *root) {
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        return NSP_ENOMEM;
    }
    size_t len = strlen(text);
    text[len] = '\n';
    int err = nsp_file_mkdirs_parent(path);
    if (!err) {
        err = nsp_file_write_atomic(path, text, len + 1);
    }
    free(text);
    return err;
}

static void print_moved(FILE *out, const char *what, const char *name, bool had, double old_v, double new_v) {
    if (!had) {
        fprintf(out, "  %-14s %-34s (new) -> %.6g\n", what, name, new_v);
    } else if (old_v != new_v) {
        fprintf(out, "  %-14s %-34s %.6g -> %.6g (%+.1f%%)\n", what, name, old_v, new_v,
                old_v != 0.0 ? 100.0 * (new_v / old_v - 1.0) : 0.0);
    }
}

static int record(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, const measured_t *m,
                  const nsp_gate_baselines_t *old, nsp_gate_result_t *res) {
    FILE *out = o->out ? o->out : stdout;
    int err = 0;
    bool unrecorded = false;
    fprintf(out, "%s: baselines recorded (old -> new for every value that moved):\n", sc->name);
    cJSON *obj;
    if (o->tiers[0]) {
        cJSON *c = meta_json("counters", sc, m->null_run.digest, &m->null_run.machine);
        obj = cJSON_AddObjectToObject(c, "counters");
        for (int i = 0; i < NSP_COUNTER_COUNT; i++) {
            cJSON_AddNumberToObject(obj, nsp_counter_names[i], m->null_run.counters[i]);
            print_moved(out, "counters", nsp_counter_names[i], old->has_counters, old->counters[i],
                        m->null_run.counters[i]);
        }
        err = write_json(old->counters_path, c);
        if (!err) {
            fprintf(out, "  wrote %s\n", old->counters_path);
        }
    }
    if (!err && m->has_instructions) {
        cJSON *b = meta_json("instructions", sc, m->null_run.digest, &m->null_run.machine);
        cJSON_AddNumberToObject(b, "frames", NSP_GATE_CALLGRIND_FRAMES);
        obj = cJSON_AddObjectToObject(b, "zones");
        for (int i = 0; i < m->instructions.n; i++) {
            cJSON_AddNumberToObject(obj, m->instructions.name[i], m->instructions.v[i]);
            double old_v = 0.0;
            bool had = false;
            for (int k = 0; k < old->instructions.n; k++) {
                if (strcmp(old->instructions.name[k], m->instructions.name[i]) == 0) {
                    old_v = old->instructions.v[k];
                    had = true;
                }
            }
            print_moved(out, "instructions", m->instructions.name[i], had && old->has_instructions, old_v,
                        m->instructions.v[i]);
        }
        err = write_json(old->instructions_path, b);
        if (!err) {
            fprintf(out, "  wrote %s\n", old->instructions_path);
        }
    }
    if (!err && m->has_timing && m->state_unmatched && old->has_timing) {
        fprintf(out, "  timing baseline NOT recorded: %s; the machine stayed slower than at the old baseline's time "
                     "(run the refresh again later; to start afresh, delete %s)\n", m->state_note, old->timing_path);
        unrecorded = true;
    } else if (!err && m->has_timing) {
        cJSON *t = meta_json("timing", sc, m->first_gl.digest, &m->first_gl.machine);
        cJSON_AddStringToObject(t, "profile", res->profile);
        cJSON_AddStringToObject(t, "gl_renderer", m->first_gl.machine.gl_renderer);
        cJSON_AddStringToObject(t, "gl_version", m->first_gl.machine.gl_version);
        cJSON_AddStringToObject(t, "cpu", m->first_gl.machine.cpu);
        cJSON_AddNumberToObject(t, "cores", m->first_gl.machine.cores);
        cJSON_AddNumberToObject(t, "repetitions", m->timing.n_samples);
        obj = cJSON_AddObjectToObject(t, "metrics");
        double scratch[2 * NSP_GATE_MAX_SAMPLES];
        for (int i = 0; i < m->timing.n_metrics; i++) {
            const double *v = m->timing.v[i];
            int n = m->timing.n_samples;
            cJSON *mo = cJSON_AddObjectToObject(obj, m->timing.name[i]);
            double med = median_of(v, n);
            cJSON_AddNumberToObject(mo, "median", med);
            cJSON_AddNumberToObject(mo, "noise", nsp_relative_noise(v, (size_t)n, scratch));
            cJSON_AddItemToObject(mo, "samples", cJSON_CreateDoubleArray(v, n));
            const double *ov = samples_of(&old->timing, m->timing.name[i]);
            print_moved(out, "timing", m->timing.name[i], ov && old->has_timing,
                        ov ? median_of(ov, old->timing.n_samples) : 0.0, med);
        }
        err = write_json(old->timing_path, t);
        if (!err) {
            fprintf(out, "  wrote %s (%d repetitions)\n", old->timing_path, m->timing.n_samples);
        }
    } else if (!err) {
        fprintf(out, "  timing baseline not recorded: %s\n", o->tiers[2] ? m->timing_skip : "tier c not asked (--tiers)");
    }
    if (!err && m->has_glpath && (m->glpath.has_instructions || m->glpath.has_calls)) {
        char path[1024];
        nsp_glpath_path(o->baselines_dir, sc->name, &m->glpath, path, sizeof path);
        nsp_glpath_t *prev = calloc(1, sizeof *prev);
        bool found = false;
        err = prev ? nsp_glpath_load(path, sc->name, prev, &found) : NSP_ENOMEM;
        // A malformed old file is replaced: the refresh is what fixes it.
        err = err == NSP_EFORMAT ? 0 : err;
        if (!err) {
            err = nsp_glpath_record(path, sc, m->null_run.machine.commit, &m->glpath, found ? prev : NULL, out);
        }
        free(prev);
        if (m->glpath.skip[0]) {
            fprintf(out, "  GL path baseline partly recorded: %s\n", m->glpath.skip);
        }
    } else if (!err && m->has_glpath) {
        fprintf(out, "  GL path baseline not recorded: %s\n", m->glpath.skip);
    }
    res->status = err ? NSP_GATE_ERROR : unrecorded ? NSP_GATE_INCONCLUSIVE : NSP_GATE_PASS;
    snprintf(res->summary, sizeof res->summary, "%s: %s", sc->name,
             err ? "baselines NOT written"
                 : unrecorded ? "timing baseline NOT written (machine slower than at the old one's time)"
                              : "baselines written");
    return err;
}

// ---------------------------------------------------------------------------
// The scenario.

// Whether any tier reached a verdict (pass, warn, fail or inconclusive)
// rather than "not asked", "no baseline" or "not run".
static bool judged_any(const nsp_gate_result_t *res) {
    static const char *const verdicts[] = {"pass", "warn", "FAIL", "inconclusive"};
    for (int t = 0; t < (int)(sizeof res->tier_summary / sizeof res->tier_summary[0]); t++) {
        for (size_t k = 0; k < sizeof verdicts / sizeof verdicts[0]; k++) {
            if (strncmp(res->tier_summary[t], verdicts[k], strlen(verdicts[k])) == 0) {
                return true;
            }
        }
    }
    return false;
}

int nsp_gate_scenario(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, nsp_gate_result_t *res) {
    memset(res, 0, sizeof *res);
    res->scenario = sc;
    res->status = NSP_GATE_ERROR;
    for (int t = 0; t < 5; t++) {
        snprintf(res->tier_summary[t], sizeof res->tier_summary[t], "not asked");
    }
    measured_t *m = calloc(1, sizeof *m);
    measured_t *other = o->against ? calloc(1, sizeof *other) : NULL;
    nsp_gate_baselines_t *b = calloc(1, sizeof *b);
    int err = (!m || !b || (o->against && !other)) ? NSP_ENOMEM : 0;
    char work_file[1024];
    snprintf(work_file, sizeof work_file, "%s/x", o->work_dir);
    if (!err) {
        err = nsp_file_mkdirs_parent(work_file);
    }
    if (!err) {
        err = measure(sc, o, m, other ? &other->null_run : NULL, other ? &other->instructions : NULL);
    }
    // Timed runs: the first tells the machine profile (its GL renderer),
    // the profile names the baseline, and the baseline's floor frame the
    // state of the machine the other repetitions must match.
    // Timed runs only where a timed tier is judged or recorded: a refresh
    // records timings for tier c alone (d has no baseline), and
    // `baseline refresh --tiers e` records exact counts without a minute of
    // timed runs.
    bool timed = o->tiers[2] || (o->tiers[3] && !o->record);
    if (!timed) {
        snprintf(m->timing_skip, sizeof m->timing_skip, "tiers c and d not asked (--tiers)");
    }
    nsp_gate_run_t first;
    if (!err && timed) {
        char tag[96];
        snprintf(tag, sizeof tag, "%s-rep-0", sc->name);
        err = nsp_gate_run_bench(o->exe, sc, GL_ARGS, o->work_dir, tag, &first);
        if (err == NSP_ENODISPLAY) {
            snprintf(m->timing_skip, sizeof m->timing_skip,
                     "no GL context here (the bench exited 3): timing tiers c and d not run");
            timed = false;
            err = 0;
        }
    }
    char toolchain[64];
    nsp_gate_toolchain(&m->null_run.machine, toolchain, sizeof toolchain);
    if (!err && timed) {
        nsp_gate_profile(&first.machine, res->profile, sizeof res->profile);
    }
    int load_err = err ? 0 : nsp_gate_load_baselines(o->baselines_dir, sc->name, res->profile, toolchain, b);
    double floor_ms = o->against ? 0.0 : baseline_floor(b);
    if (!err && timed) {
        err = measure_timing(sc, o, o->repetitions, "rep", &first, floor_ms, m, other ? &other->timing : NULL);
    }
    if (err) {
        snprintf(res->summary, sizeof res->summary, "%s: ERROR: the measurement failed (%s)", sc->name,
                 nsp_strerror(err));
        goto done;
    }
    res->first_run = m->has_timing ? m->first_gl : m->null_run;
    if (o->record) {
        err = record(sc, o, m, b, res);
        goto done;
    }
    if (o->against) {
        // A/B: the other binary's measurements are the baseline.
        b->has_counters = true;
        memcpy(b->counters, other->null_run.counters, sizeof b->counters);
        b->has_instructions = m->has_instructions;
        b->instructions = other->instructions;
        b->has_timing = other->timing.n_samples >= 3;
        b->timing = other->timing;
        snprintf(b->counters_meta.digest, sizeof b->counters_meta.digest, "%s", other->null_run.digest);
        snprintf(b->instructions_meta.digest, sizeof b->instructions_meta.digest, "%s", other->null_run.digest);
        snprintf(b->timing_meta.digest, sizeof b->timing_meta.digest, "%s", other->null_run.digest);
        load_err = 0;
    }
    int fails = 0, inconclusive = 0, warns = 0;
    if (load_err) {
        nsp_gate_row_t *row = add_row(res, '-', "baseline files", "fail");
        snprintf(row->note, sizeof row->note, "a baseline file is malformed (see the message above)");
        fails++;
    }
    const char *digest = m->null_run.digest;
    const char *digests[3] = {b->has_counters ? b->counters_meta.digest : NULL,
                              b->has_instructions ? b->instructions_meta.digest : NULL,
                              b->has_timing ? b->timing_meta.digest : NULL};
    for (int i = 0; i < 3; i++) {
        if (digests[i] && strcmp(digests[i], digest) != 0) {
            nsp_gate_row_t *row = add_row(res, '-', "scenario digest", "fail");
            snprintf(row->note, sizeof row->note,
                     "the scenario changed (data digest %s, baseline %s): the baselines need refreshing", digest,
                     digests[i]);
            fails++;
            break;
        }
    }
    // Tier a.
    int fa = 0;
    if (o->tiers[0] && b->has_counters) {
        fa = judge_counters(res, b->counters, m->null_run.counters);
        snprintf(res->tier_summary[0], sizeof res->tier_summary[0], "%s", fa ? "FAIL: an exact counter grew" : "pass");
    } else if (o->tiers[0]) {
        snprintf(res->tier_summary[0], sizeof res->tier_summary[0], "no baseline (%.70s)", b->counters_path);
    }
    // Tier b.
    int fb = 0;
    char worst_b[128] = "";
    if (o->tiers[1] && m->has_instructions && b->has_instructions) {
        fb = judge_instructions(res, &b->instructions, &m->instructions, worst_b, sizeof worst_b);
        snprintf(res->tier_summary[1], sizeof res->tier_summary[1], "%s%.80s", fb ? "FAIL: " : "pass", fb ? worst_b : "");
    } else if (o->tiers[1]) {
        snprintf(res->tier_summary[1], sizeof res->tier_summary[1], "no baseline for toolchain %s", toolchain);
    }
    // Tier c: a second set of repetitions before anything unclear is decided.
    int fc = 0;
    char worst_c[160] = "";
    if (o->tiers[2] && !m->has_timing) {
        snprintf(res->tier_summary[2], sizeof res->tier_summary[2], "not run: %.70s", m->timing_skip);
    } else if (o->tiers[2] && !b->has_timing) {
        snprintf(res->tier_summary[2], sizeof res->tier_summary[2], "no baseline for profile %.60s", res->profile);
    } else if (o->tiers[2]) {
        char regressed[NSP_GATE_MAX_METRICS][NSP_GATE_NAME_MAX];
        int inc = 0;
        char busy[160];
        const char *busy_reason = machine_busy(m, busy, sizeof busy);
        nsp_gate_row_t *load_row = add_row(res, 'c', "machine load", busy_reason ? "busy" : "quiet");
        load_row->current = median_of(m->other_load, m->timing.n_samples);
        snprintf(load_row->note, sizeof load_row->note,
                 "cores used by other processes during the runs (median); steal %.1f%%; limit %.2f cores, %.0f%%",
                 100.0 * median_of(m->steal, m->timing.n_samples), NSP_GATE_MAX_OTHER_LOAD,
                 100.0 * NSP_GATE_MAX_STEAL);
        nsp_gate_row_t *state_row = add_row(res, 'c', "runs left out", "info");
        state_row->current = m->left_out;
        snprintf(state_row->note, sizeof state_row->note, "%s", m->state_note);
        // First set: any metric not clearly passing calls for a second,
        // fresh set of repetitions; the verdict then rests on all of them,
        // and a regression must show in the first set and in the pooled one.
        int reg1 = judge_timing(res, &b->timing, &m->timing, busy_reason, false, &inc, worst_c, sizeof worst_c,
                                regressed);
        const nsp_gate_series_t *base = &b->timing;
        bool pooled = false;
        // Not when the runs could not match the baseline's machine state:
        // the floor frame's drift leaves every slower metric inconclusive.
        if (reg1 + inc > 0 && !m->state_unmatched) {
            fprintf(stderr, "  %s: %d regression(s), %d unclear: a second set of %d repetitions\n", sc->name, reg1,
                    inc, o->repetitions);
            err = measure_timing(sc, o, o->repetitions, "confirm", NULL, floor_ms, m,
                                 o->against ? &other->timing : NULL);
            if (o->against) {
                base = &other->timing;
            }
            busy_reason = machine_busy(m, busy, sizeof busy);
            load_row->current = median_of(m->other_load, m->timing.n_samples);
            load_row->verdict = busy_reason ? "busy" : "quiet";
            pooled = err == 0;
            err = 0;
        }
        char regressed2[NSP_GATE_MAX_METRICS][NSP_GATE_NAME_MAX], worst2[160] = "";
        inc = 0;
        int reg2 = judge_timing(res, base, &m->timing, busy_reason, true, &inc, worst2, sizeof worst2, regressed2);
        inconclusive += inc;
        for (int i = 0; i < reg2; i++) {
            bool first_too = false;
            for (int k = 0; k < reg1; k++) {
                first_too = first_too || strcmp(regressed2[i], regressed[k]) == 0;
            }
            for (int row = 0; row < res->n_rows; row++) {
                if (res->rows[row].tier == 'c' && strcmp(res->rows[row].metric, regressed2[i]) == 0) {
                    res->rows[row].verdict = first_too ? "fail" : "inconclusive";
                    size_t used = strlen(res->rows[row].note);
                    snprintf(res->rows[row].note + used, sizeof res->rows[row].note - used, "; %s",
                             first_too ? (pooled ? "confirmed by a second set of repetitions" : "regressed")
                                       : "not in the first set of repetitions");
                }
            }
            fc += first_too;
            inconclusive += !first_too;
        }
        // Name the largest confirmed regression in the summary.
        double worst_change = -1.0;
        for (int row = 0; row < res->n_rows; row++) {
            const nsp_gate_row_t *rw = &res->rows[row];
            if (rw->tier == 'c' && strcmp(rw->verdict, "fail") == 0 && rw->change > worst_change) {
                worst_change = rw->change;
                snprintf(worst_c, sizeof worst_c, "%s %+.1f%%", rw->metric, 100.0 * rw->change);
            }
        }
        snprintf(res->tier_summary[2], sizeof res->tier_summary[2], "%s%.80s", fc ? "FAIL: " : inconclusive ? "inconclusive" : "pass",
                 fc ? worst_c : "");
    }
    // Tier d.
    int fd = 0;
    if (o->tiers[3] && m->has_timing) {
        fd = judge_targets(res, m, &warns);
        snprintf(res->tier_summary[3], sizeof res->tier_summary[3], "%s", fd ? "FAIL: beyond an acceptable bound"
                                                                          : warns ? "warn: beyond a target" : "pass");
    } else if (o->tiers[3]) {
        snprintf(res->tier_summary[3], sizeof res->tier_summary[3], "not run (no timed runs)");
    }
    // Tier e: skipped, never passed, without a measurement or a baseline.
    int fe = 0;
    bool skipped_e = false;
    if (o->tiers[4] && o->against) {
        snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "not run with --against");
    } else if (o->tiers[4] && m->has_glpath) {
        char path[1024];
        nsp_glpath_path(o->baselines_dir, sc->name, &m->glpath, path, sizeof path);
        nsp_glpath_t *base = calloc(1, sizeof *base);
        bool found = false;
        int lerr = base ? nsp_glpath_load(path, sc->name, base, &found) : NSP_ENOMEM;
        const nsp_glpath_t *g = &m->glpath;
        if (lerr) {
            nsp_gate_row_t *row = add_row(res, 'e', "baseline file", "fail");
            snprintf(row->note, sizeof row->note, "malformed (see the message above): %.120s", path);
            fe++;
            snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "FAIL: malformed baseline");
        } else if (!g->has_instructions && !g->has_calls) {
            skipped_e = true;
            snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "skipped: %.200s", g->skip);
        } else if (!found) {
            skipped_e = true;
            snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "skipped: no baseline for stack %.180s",
                     g->stack);
        } else {
            char sum[256];
            fe = nsp_glpath_judge(res, base, g, sum, sizeof sum);
            bool partial = !(g->has_instructions && base->has_instructions) || !(g->has_calls && base->has_calls);
            skipped_e = !fe && partial;
            snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "%.120s%s%.110s", sum,
                     partial ? "; partly skipped: " : "", partial ? (g->skip[0] ? g->skip : "baseline lacks a part") : "");
        }
        free(base);
        FILE *mem = fmemopen(res->glpath_commands, sizeof res->glpath_commands, "w");
        if (mem) {
            nsp_glpath_print_commands(mem, g);
            fclose(mem);
        }
    } else if (o->tiers[4]) {
        snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "not run (the measurement failed)");
    }
    inconclusive += skipped_e;
    fails += fa + fb + fc + fd + fe;
    res->status = fails ? NSP_GATE_FAIL : inconclusive ? NSP_GATE_INCONCLUSIVE : NSP_GATE_PASS;
    // Judging nothing is never a pass: every tier asked lacked a baseline or
    // could not run here.
    if (res->status == NSP_GATE_PASS && !judged_any(res)) {
        res->status = NSP_GATE_INCONCLUSIVE;
    }
    snprintf(res->summary, sizeof res->summary, "%s: %s — a: %.120s; b: %.120s; c: %.120s; d: %.120s; e: %.250s", sc->name,
             res->status == NSP_GATE_FAIL ? "FAIL" : res->status == NSP_GATE_INCONCLUSIVE ? "INCONCLUSIVE" : "PASS",
             res->tier_summary[0], res->tier_summary[1], res->tier_summary[2], res->tier_summary[3],
             res->tier_summary[4]);
done:
    free(m);
    free(other);
    free(b);
    return err;
}

// ---------------------------------------------------------------------------
// Reports.

static void fmt_value(char *out, size_t cap, double v) {
    if (isnan(v)) {
        snprintf(out, cap, "-");
    } else if (fabs(v) >= 1e5) {
        snprintf(out, cap, "%.0f", v);
    } else {
        snprintf(out, cap, "%.4g", v);
    }
}

void nsp_gate_print(FILE *out, const nsp_gate_result_t *r, const nsp_gate_opts_t *o) {
    const nsp_gate_scenario_t *sc = r->scenario;
    fprintf(out, "\n== gate: %s (%s)%s%s\n", sc->name, sc->summary, o->against ? ", against " : "",
            o->against ? o->against : "");
    if (r->profile[0]) {
        fprintf(out, "   machine profile %s\n", r->profile);
    }
    fprintf(out, "   %-4s %-34s %12s %12s %9s %-19s %7s  %s\n", "tier", "metric", "baseline", "current", "change",
            "95% CI", "thresh", "verdict");
    for (int i = 0; i < r->n_rows; i++) {
        const nsp_gate_row_t *row = &r->rows[i];
        char base[24] = "-", cur[24], change[16] = "", ci[32] = "", thr[12] = "";
        if (row->has_baseline) {
            fmt_value(base, sizeof base, row->baseline);
            snprintf(change, sizeof change, "%+.1f%%", 100.0 * row->change);
        }
        fmt_value(cur, sizeof cur, row->current);
        if (row->has_ci) {
            snprintf(ci, sizeof ci, "[%+.1f, %+.1f]%%", 100.0 * row->ci_lo, 100.0 * row->ci_hi);
        }
        if (row->threshold > 0.0) {
            snprintf(thr, sizeof thr, "%.1f%%", 100.0 * row->threshold);
        }
        fprintf(out, "   %-4c %-34.34s %12s %12s %9s %-19s %7s  %s%s%s\n", row->tier, row->metric, base, cur, change, ci,
                thr, row->verdict, row->note[0] ? "  — " : "", row->note);
    }
    fprintf(out, "%s\n", r->summary);
    if (r->status == NSP_GATE_FAIL || r->status == NSP_GATE_INCONCLUSIVE) {
        char args[512] = "";
        for (int i = 0; sc->args[i]; i++) {
            size_t used = strlen(args);
            snprintf(args + used, sizeof args - used, " %s", sc->args[i]);
        }
        fprintf(out, "   reproduce:      %s gate --scenario %s --baselines %s\n", o->exe, sc->name, o->baselines_dir);
        fprintf(out, "   record a trace: NEUROSPATIAL_PERFMON=%s.trace.json %s bench --headless%s && %s trace-summary %s.trace.json\n",
                sc->name, o->exe, args, o->exe, sc->name);
        fprintf(out, "   instructions:   valgrind --tool=callgrind %s bench --backend null%s --playback-frames %d\n",
                o->exe, args, NSP_GATE_CALLGRIND_FRAMES);
    }
    if (r->glpath_commands[0] && (r->status != NSP_GATE_PASS || strncmp(r->tier_summary[4], "pass", 4) != 0)) {
        fputs(r->glpath_commands, out);
    }
    if (!r->profile[0] || strstr(r->tier_summary[2], "no baseline") || strstr(r->tier_summary[0], "no baseline") ||
        strstr(r->tier_summary[1], "no baseline") || strstr(r->tier_summary[4], "no baseline")) {
        fprintf(out, "   record missing baselines with: %s baseline refresh --scenario %s --baselines %s\n", o->exe,
                sc->name, o->baselines_dir);
    }
}

static cJSON *result_json(const nsp_gate_result_t *r) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "scenario", r->scenario->name);
    cJSON_AddStringToObject(o, "status", r->status == NSP_GATE_PASS ? "pass" : r->status == NSP_GATE_FAIL ? "fail"
                                         : r->status == NSP_GATE_INCONCLUSIVE ? "inconclusive" : "error");
    cJSON_AddStringToObject(o, "summary", r->summary);
    cJSON_AddStringToObject(o, "profile", r->profile);
    cJSON_AddStringToObject(o, "commit", r->first_run.machine.commit);
    cJSON *tiers = cJSON_AddObjectToObject(o, "tiers");
    const char *names[5] = {"a_counters", "b_instructions", "c_timing", "d_targets", "e_glpath"};
    for (int i = 0; i < 5; i++) {
        cJSON_AddStringToObject(tiers, names[i], r->tier_summary[i]);
    }
    cJSON *rows = cJSON_AddArrayToObject(o, "rows");
    for (int i = 0; i < r->n_rows; i++) {
        const nsp_gate_row_t *row = &r->rows[i];
        cJSON *j = cJSON_CreateObject();
        char tier[2] = {row->tier, 0};
        cJSON_AddStringToObject(j, "tier", tier);
        cJSON_AddStringToObject(j, "metric", row->metric);
        if (row->has_baseline) {
            cJSON_AddNumberToObject(j, "baseline", row->baseline);
            cJSON_AddNumberToObject(j, "change", row->change);
        }
        if (!isnan(row->current)) {
            cJSON_AddNumberToObject(j, "current", row->current);
        }
        if (row->has_ci) {
            cJSON_AddNumberToObject(j, "ci_lo", row->ci_lo);
            cJSON_AddNumberToObject(j, "ci_hi", row->ci_hi);
        }
        if (row->threshold > 0.0) {
            cJSON_AddNumberToObject(j, "threshold", row->threshold);
        }
        cJSON_AddStringToObject(j, "verdict", row->verdict);
        cJSON_AddStringToObject(j, "note", row->note);
        cJSON_AddItemToArray(rows, j);
    }
    return o;
}

int nsp_gate_write_json(const char *path, const nsp_gate_result_t *res, int n) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "schema", NSP_GATE_SCHEMA);
    cJSON *arr = cJSON_AddArrayToObject(root, "scenarios");
    for (int i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, result_json(&res[i]));
    }
    return write_json(path, root);
}

// Appends text to buf with XML's five special characters escaped.
static void xml_escape(char *buf, size_t cap, const char *text) {
    size_t n = strlen(buf);
    for (const char *p = text; *p && n + 7 < cap; p++) {
        const char *rep = *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : *p == '&' ? "&amp;" : *p == '"' ? "&quot;"
                        : *p == '\'' ? "&apos;" : NULL;
        if (rep) {
            n += (size_t)snprintf(buf + n, cap - n, "%s", rep);
        } else {
            buf[n++] = *p;
            buf[n] = '\0';
        }
    }
}

int nsp_gate_write_junit(const char *path, const nsp_gate_result_t *res, int n) {
    size_t cap = 64 * 1024 * (size_t)(n + 1);
    char *xml = malloc(cap);
    if (!xml) {
        return NSP_ENOMEM;
    }
    int failures = 0, skipped = 0;
    for (int i = 0; i < n; i++) {
        failures += res[i].status == NSP_GATE_FAIL || res[i].status == NSP_GATE_ERROR;
        skipped += res[i].status == NSP_GATE_INCONCLUSIVE;
    }
    size_t len = (size_t)snprintf(xml, cap,
                                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                  "<testsuite name=\"nsplay.gate\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n",
                                  n, failures, skipped);
    for (int i = 0; i < n; i++) {
        char body[48 * 1024] = "";
        for (int k = 0; k < res[i].n_rows; k++) {
            const nsp_gate_row_t *row = &res[i].rows[k];
            char line[512];
            snprintf(line, sizeof line, "%c %s: baseline %g current %g change %+.2f%% %s %s\n", row->tier, row->metric,
                     row->baseline, row->current, 100.0 * row->change, row->verdict, row->note);
            xml_escape(body, sizeof body, line);
        }
        char summary[1024] = "";
        xml_escape(summary, sizeof summary, res[i].summary);
        len += (size_t)snprintf(xml + len, cap - len, "  <testcase classname=\"nsplay.gate\" name=\"%s\">\n",
                                res[i].scenario->name);
        if (res[i].status == NSP_GATE_FAIL || res[i].status == NSP_GATE_ERROR) {
            len += (size_t)snprintf(xml + len, cap - len, "    <failure message=\"%s\">%s</failure>\n", summary, body);
        } else if (res[i].status == NSP_GATE_INCONCLUSIVE) {
            len += (size_t)snprintf(xml + len, cap - len, "    <skipped message=\"%s\"/>\n", summary);
        }
        len += (size_t)snprintf(xml + len, cap - len, "    <system-out>%s</system-out>\n  </testcase>\n", body);
    }
    len += (size_t)snprintf(xml + len, cap - len, "</testsuite>\n");
    int err = len < cap ? nsp_file_mkdirs_parent(path) : NSP_ENOMEM;
    if (!err) {
        err = nsp_file_write_atomic(path, xml, len);
    }
    free(xml);
    return err;
}
