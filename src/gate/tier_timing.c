// Tier c's mechanism (tier_timing.h): collecting sets of runs through an
// injectable runner, assessing the machine once per set, judging each
// declared metric by its ratio to its machine measure, confirming, and the
// rows of the report.
#include "tier_timing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/stats.h"

const char *nsp_timing_verdict_name(nsp_timing_verdict_t v) {
    switch (v) {
    case NSP_TIMING_PASS: return "pass";
    case NSP_TIMING_IMPROVEMENT: return "improvement";
    case NSP_TIMING_FAIL: return "fail";
    case NSP_TIMING_INCONCLUSIVE: return "inconclusive";
    case NSP_TIMING_INFO: return "info";
    case NSP_TIMING_SKIPPED: return "skipped";
    }
    return "?";
}

const char *nsp_timing_reason_text(nsp_timing_reason_t r) {
    switch (r) {
    case NSP_REASON_WITHIN: return "within the threshold per its machine measure";
    case NSP_REASON_NOT_CONFIRMED: return "slower in the first set only: not confirmed by the pooled runs";
    case NSP_REASON_FASTER: return "faster per its machine measure (the whole interval below minus the threshold)";
    case NSP_REASON_CONFIRMED:
        return "slower per its machine measure in each set of runs, the pooled interval above the threshold";
    case NSP_REASON_MACHINE_BUSY: return "machine too busy to decide: other processes used the CPU";
    case NSP_REASON_MACHINE_STOLEN: return "machine too busy to decide: the hypervisor stole time";
    case NSP_REASON_MACHINE_NOISY:
        return "machine too noisy to decide: the interval straddles the threshold, or the two sets disagree";
    case NSP_REASON_BELOW_RESOLUTION:
        return "below 25 us a frame: at the pace of the cache the raster left, which no probe tracks; "
               "tier b counts its instructions";
    case NSP_REASON_NO_RATIO: return "no ratio to its machine measure on both sides (refresh the timing baseline)";
    case NSP_REASON_COUNT: break;
    }
    return "?";
}

const double *nsp_timing_samples(const nsp_gate_series_t *s, const char *name) {
    for (int i = 0; s && i < s->n_metrics; i++) {
        if (strcmp(s->name[i], name) == 0) {
            return s->v[i];
        }
    }
    return NULL;
}

int nsp_timing_series_add(nsp_gate_series_t *s, const nsp_gate_metrics_t *m) {
    if (s->n_samples >= NSP_GATE_MAX_SAMPLES) {
        nsp_log(NSP_LOG_ERROR, "tier c: more than %d runs in one series (ask for fewer repetitions)",
                NSP_GATE_MAX_SAMPLES);
        return NSP_EINVAL;
    }
    for (int i = 0; i < m->n; i++) {
        int k = 0;
        while (k < s->n_metrics && strcmp(s->name[k], m->name[i]) != 0) {
            k++;
        }
        if (k == s->n_metrics) {
            if (s->n_metrics == NSP_GATE_MAX_METRICS) {
                nsp_log(NSP_LOG_ERROR, "tier c: more than %d timing metrics ('%s' is one too many)",
                        NSP_GATE_MAX_METRICS, m->name[i]);
                return NSP_EINVAL;
            }
            snprintf(s->name[k], NSP_GATE_NAME_MAX, "%s", m->name[i]);
            // A metric first seen in a later run has no earlier samples.
            for (int j = 0; j < s->n_samples; j++) {
                s->v[k][j] = NAN;
            }
            s->n_metrics++;
        }
        s->v[k][s->n_samples] = m->v[i];
    }
    // A metric this run lacks reads as NaN, not as another run's value.
    for (int k = 0; k < s->n_metrics; k++) {
        bool seen = false;
        for (int i = 0; i < m->n && !seen; i++) {
            seen = strcmp(s->name[k], m->name[i]) == 0;
        }
        if (!seen) {
            s->v[k][s->n_samples] = NAN;
        }
    }
    s->n_samples++;
    return 0;
}

// The non-NaN samples of x (n of them) into out; returns how many.
static int finite(const double *x, int n, double *out) {
    int k = 0;
    for (int i = 0; x && i < n; i++) {
        if (!isnan(x[i])) {
            out[k++] = x[i];
        }
    }
    return k;
}

static double median_finite(const double *x, int n) {
    double v[NSP_GATE_MAX_SAMPLES], scratch[NSP_GATE_MAX_SAMPLES];
    int k = finite(x, n, v);
    return k ? nsp_stats_median(v, (size_t)k, scratch) : NAN;
}

static double noise_finite(const double *x, int n) {
    double v[NSP_GATE_MAX_SAMPLES], scratch[2 * NSP_GATE_MAX_SAMPLES];
    int k = finite(x, n, v);
    return k >= 3 ? nsp_relative_noise(v, (size_t)k, scratch) : NAN;
}

void nsp_timing_assess(const nsp_gate_series_t *base, const nsp_gate_series_t *cur, const double *load,
                       const double *steal, nsp_machine_state_t *st) {
    memset(st, 0, sizeof *st);
    int n = cur->n_samples, nb = base ? base->n_samples : 0;
    st->load = median_finite(load, n);
    st->steal = median_finite(steal, n);
    // Each measure's speed and spread, for the report: the ratio, paired
    // within each run, is what is judged, and its own spread decides
    // whether the runs can tell (the judge rule's interval).
    for (int i = 0; i < NSP_MEASURE_COUNT; i++) {
        const char *name = nsp_timing_measures[i].metric;
        st->ms[i] = median_finite(nsp_timing_samples(cur, name), n);
        st->base_ms[i] = median_finite(nsp_timing_samples(base, name), nb);
        st->noise[i] = noise_finite(nsp_timing_samples(cur, name), n);
        st->base_noise[i] = noise_finite(nsp_timing_samples(base, name), nb);
    }
    if (st->load > NSP_TIMING_MAX_OTHER_LOAD) {
        st->reason = NSP_REASON_MACHINE_BUSY;
        snprintf(st->text, sizeof st->text, "busy: other processes used %.2f cores during the runs (limit %.2f)",
                 st->load, NSP_TIMING_MAX_OTHER_LOAD);
    } else if (st->steal > NSP_TIMING_MAX_STEAL) {
        st->reason = NSP_REASON_MACHINE_STOLEN;
        snprintf(st->text, sizeof st->text, "busy: the hypervisor stole %.0f%% of the time (limit %.0f%%)",
                 100.0 * st->steal, 100.0 * NSP_TIMING_MAX_STEAL);
    } else {
        st->reason = NSP_REASON_WITHIN;
        snprintf(st->text, sizeof st->text, "quiet: other processes %.2f cores, steal %.1f%%", st->load,
                 100.0 * st->steal);
    }
}

// Compares one ratio over the baseline's and the current runs (NaN runs
// left out); false when either side has fewer than 3.
static bool compare_ratio(const double *b, int nb, const double *c, int nc, double least, nsp_comparison_t *out) {
    double bv[NSP_GATE_MAX_SAMPLES], cv[NSP_GATE_MAX_SAMPLES];
    int kb = finite(b, nb, bv), kc = finite(c, nc, cv);
    if (kb < 3 || kc < 3) {
        return false;
    }
    nsp_compare_params_t p;
    nsp_compare_params_default(&p);
    p.min_threshold = least;
    return nsp_compare(bv, (size_t)kb, cv, (size_t)kc, &p, out) == 0;
}

int nsp_timing_judge_set(const nsp_gate_series_t *base, const nsp_gate_series_t *cur, const nsp_machine_state_t *st,
                         nsp_timing_judgement_t *out, int cap) {
    int n = 0;
    for (int i = 0; i < cur->n_metrics && n < cap; i++) {
        char ratio[NSP_GATE_NAME_MAX];
        const nsp_timing_metric_t *m = nsp_timing_metric_find(cur->name[i], ratio, sizeof ratio);
        if (!m) {
            continue;
        }
        nsp_timing_judgement_t *j = &out[n++];
        memset(j, 0, sizeof *j);
        j->metric = m;
        snprintf(j->raw, sizeof j->raw, "%s", cur->name[i]);
        snprintf(j->ratio, sizeof j->ratio, "%s", ratio);
        j->raw_base = median_finite(nsp_timing_samples(base, j->raw), base->n_samples);
        j->raw_cur = median_finite(cur->v[i], cur->n_samples);
        j->first_change = j->confirm_change = NAN;
        if (j->raw_base < NSP_TIMING_MIN_MS) {
            j->verdict = NSP_TIMING_INFO;
            j->reason = NSP_REASON_BELOW_RESOLUTION;
            continue;
        }
        const double *b = nsp_timing_samples(base, ratio), *c = nsp_timing_samples(cur, ratio);
        if (!compare_ratio(b, base->n_samples, c, cur->n_samples, m->least_threshold, &j->ratio_c)) {
            j->verdict = NSP_TIMING_SKIPPED;
            j->reason = NSP_REASON_NO_RATIO;
            continue;
        }
        j->first_change = j->ratio_c.change;
        switch (j->ratio_c.verdict) {
        case NSP_CHANGE_PASS:
            j->verdict = NSP_TIMING_PASS;
            j->reason = NSP_REASON_WITHIN;
            break;
        case NSP_CHANGE_IMPROVEMENT:
            j->verdict = NSP_TIMING_IMPROVEMENT;
            j->reason = NSP_REASON_FASTER;
            break;
        case NSP_CHANGE_REGRESSION:
            j->verdict = NSP_TIMING_FAIL;
            j->reason = NSP_REASON_CONFIRMED;  // Until the confirm rule says otherwise.
            break;
        case NSP_CHANGE_INCONCLUSIVE:
            j->verdict = NSP_TIMING_INCONCLUSIVE;
            j->reason = NSP_REASON_MACHINE_NOISY;
            break;
        }
        // The machine rule: a busy machine cannot vouch for anything but
        // a pass.
        if (st->reason != NSP_REASON_WITHIN && j->verdict != NSP_TIMING_PASS) {
            j->verdict = NSP_TIMING_INCONCLUSIVE;
            j->reason = st->reason;
        }
    }
    return n;
}

static bool needs_confirmation(const nsp_timing_judgement_t *j, int n) {
    for (int i = 0; i < n; i++) {
        if (j[i].verdict == NSP_TIMING_FAIL || j[i].verdict == NSP_TIMING_INCONCLUSIVE) {
            return true;
        }
    }
    return false;
}

// Runs one set into out (reps runs from index first).
static int run_set(const nsp_timing_opts_t *o, nsp_timing_outcome_t *out, int first, nsp_gate_series_t *set,
                   nsp_gate_series_t *set_other, double *load, double *steal) {
    for (int i = 0; i < o->reps; i++) {
        nsp_gate_run_t *run = &out->runs[out->n_runs];
        nsp_gate_run_t *other = o->against ? calloc(1, sizeof *other) : NULL;
        if (o->against && !other) {
            return NSP_ENOMEM;
        }
        int err = o->run(o->user, first + i, run, other);
        if (!err) {
            err = nsp_timing_series_add(&out->cur, &run->timing);
        }
        if (!err) {
            err = nsp_timing_series_add(set, &run->timing);
        }
        if (!err && other) {
            err = nsp_timing_series_add(&out->other, &other->timing);
            if (!err) {
                err = nsp_timing_series_add(set_other, &other->timing);
            }
        }
        free(other);
        if (err) {
            return err;
        }
        load[set->n_samples - 1] = run->other_load;
        steal[set->n_samples - 1] = run->steal;
        out->n_runs++;
    }
    return 0;
}

int nsp_timing_run(const nsp_timing_opts_t *o, nsp_timing_outcome_t *out) {
    memset(out, 0, sizeof *out);
    if (o->reps < 3 || o->reps > NSP_GATE_MAX_SAMPLES / 2) {
        nsp_log(NSP_LOG_ERROR, "tier c: %d repetitions; expected 3 to %d (a confirming set doubles them)", o->reps,
                NSP_GATE_MAX_SAMPLES / 2);
        return NSP_EINVAL;
    }
    out->runs = calloc((size_t)(2 * o->reps), sizeof *out->runs);
    nsp_gate_series_t *sets = calloc(4, sizeof *sets);
    double *load = calloc(4 * (size_t)NSP_GATE_MAX_SAMPLES, sizeof *load);
    nsp_timing_judgement_t *first = calloc(NSP_TIMING_MAX_JUDGED, sizeof *first);
    nsp_timing_judgement_t *second = calloc(NSP_TIMING_MAX_JUDGED, sizeof *second);
    int err = out->runs && sets && load && first && second ? 0 : NSP_ENOMEM;
    double *steal = load ? load + NSP_GATE_MAX_SAMPLES : NULL;
    double *load2 = load ? load + 2 * NSP_GATE_MAX_SAMPLES : NULL, *steal2 = load ? load + 3 * NSP_GATE_MAX_SAMPLES : NULL;
    // sets: the first set, its other runs, the confirming set, its other runs.
    if (!err) {
        err = run_set(o, out, 0, &sets[0], &sets[1], load, steal);
    }
    if (err || !o->judge) {
        goto done;
    }
    const nsp_gate_series_t *base1 = o->against ? &sets[1] : o->base;
    nsp_timing_assess(base1, &sets[0], load, steal, &out->first_state);
    int n1 = nsp_timing_judge_set(base1, &sets[0], &out->first_state, first, NSP_TIMING_MAX_JUDGED);
    if (!needs_confirmation(first, n1)) {
        out->pooled_state = out->first_state;
        memcpy(out->judged, first, (size_t)n1 * sizeof *first);
        out->n_judged = n1;
    } else {
        // The confirm rule: a second, fresh set; a set that fails to run
        // is an error of the tier, never an unconfirmed failure.
        out->confirmed = true;
        err = run_set(o, out, o->reps, &sets[2], &sets[3], load2, steal2);
        if (err) {
            goto done;
        }
        const nsp_gate_series_t *base2 = o->against ? &sets[3] : o->base;
        const nsp_gate_series_t *pooled_base = o->against ? &out->other : o->base;
        nsp_machine_state_t second_state;
        nsp_timing_assess(base2, &sets[2], load2, steal2, &second_state);
        int n2 = nsp_timing_judge_set(base2, &sets[2], &second_state, second, NSP_TIMING_MAX_JUDGED);
        double pl[NSP_GATE_MAX_SAMPLES], ps[NSP_GATE_MAX_SAMPLES];
        for (int i = 0; i < out->cur.n_samples; i++) {
            pl[i] = i < o->reps ? load[i] : load2[i - o->reps];
            ps[i] = i < o->reps ? steal[i] : steal2[i - o->reps];
        }
        nsp_timing_assess(pooled_base, &out->cur, pl, ps, &out->pooled_state);
        // The busier of the two sets speaks for the pooled runs: a hog in
        // one set is not averaged away by a quiet other.
        if (out->pooled_state.reason == NSP_REASON_WITHIN && out->first_state.reason != NSP_REASON_WITHIN) {
            out->pooled_state.reason = out->first_state.reason;
            snprintf(out->pooled_state.text, sizeof out->pooled_state.text, "%.170s (the first set)", out->first_state.text);
        }
        if (out->pooled_state.reason == NSP_REASON_WITHIN && second_state.reason != NSP_REASON_WITHIN) {
            out->pooled_state.reason = second_state.reason;
            snprintf(out->pooled_state.text, sizeof out->pooled_state.text, "%.170s (the second set)", second_state.text);
        }
        out->n_judged = nsp_timing_judge_set(pooled_base, &out->cur, &out->pooled_state, out->judged,
                                             NSP_TIMING_MAX_JUDGED);
        for (int i = 0; i < out->n_judged; i++) {
            nsp_timing_judgement_t *j = &out->judged[i];
            const nsp_timing_judgement_t *a = NULL, *b = NULL;
            for (int k = 0; k < n1; k++) {
                a = strcmp(first[k].raw, j->raw) == 0 ? &first[k] : a;
            }
            for (int k = 0; k < n2; k++) {
                b = strcmp(second[k].raw, j->raw) == 0 ? &second[k] : b;
            }
            j->first_change = a ? a->first_change : NAN;
            j->confirm_change = b ? b->first_change : NAN;
            double thr = j->ratio_c.threshold;
            bool each = a && b && a->first_change > thr && b->first_change > thr;
            if (j->verdict == NSP_TIMING_FAIL && !each) {
                // Pooled slower, but one set is not: the sets disagree.
                j->verdict = NSP_TIMING_INCONCLUSIVE;
                j->reason = NSP_REASON_MACHINE_NOISY;
            } else if (j->verdict == NSP_TIMING_PASS && a && a->verdict != NSP_TIMING_PASS) {
                j->reason = NSP_REASON_NOT_CONFIRMED;
            }
        }
    }
    for (int i = 0; i < out->n_judged; i++) {
        out->fails += out->judged[i].verdict == NSP_TIMING_FAIL;
        out->inconclusive += out->judged[i].verdict == NSP_TIMING_INCONCLUSIVE;
        out->skipped += out->judged[i].verdict == NSP_TIMING_SKIPPED;
    }
done:
    free(sets);
    free(load);
    free(first);
    free(second);
    return err;
}

void nsp_timing_outcome_free(nsp_timing_outcome_t *out) {
    free(out->runs);
    out->runs = NULL;
    out->n_runs = 0;
}

static nsp_gate_row_t *row_add(nsp_gate_result_t *r, const char *metric, const char *verdict) {
    if (r->n_rows == NSP_GATE_MAX_ROWS) {
        return NULL;
    }
    nsp_gate_row_t *row = &r->rows[r->n_rows++];
    memset(row, 0, sizeof *row);
    row->tier = 'c';
    snprintf(row->metric, sizeof row->metric, "%s", metric);
    row->verdict = verdict;
    return row;
}

// A machine measure's row: shown, not judged.
static void measure_row(nsp_gate_result_t *res, const char *name, double base, double cur, double noise,
                        const char *what) {
    if (isnan(cur)) {
        return;
    }
    nsp_gate_row_t *row = row_add(res, name, "info");
    if (!row) {
        return;
    }
    row->current = cur;
    row->has_baseline = !isnan(base);
    row->baseline = base;
    row->change = base > 0.0 ? cur / base - 1.0 : 0.0;
    snprintf(row->note, sizeof row->note, "%s, now and at baseline time; spread over the runs %.1f%%; shown, not judged",
             what, 100.0 * noise);
}

void nsp_timing_report(nsp_gate_result_t *res, const nsp_timing_outcome_t *o, char *summary, size_t cap) {
    const nsp_machine_state_t *st = &o->pooled_state;
    nsp_gate_row_t *row = row_add(res, "machine load", st->reason == NSP_REASON_WITHIN ? "quiet" : "busy");
    if (row) {
        row->current = st->load;
        snprintf(row->note, sizeof row->note, "%.130s; %d runs%s", st->text, o->cur.n_samples,
                 o->confirmed ? " in two sets" : "");
    }
    for (int i = 0; i < NSP_MEASURE_COUNT; i++) {
        measure_row(res, nsp_timing_measures[i].metric, st->base_ms[i], st->ms[i], st->noise[i],
                    nsp_timing_measures[i].what);
    }
    double worst = -INFINITY;
    const nsp_timing_judgement_t *worst_j = NULL;
    for (int i = 0; i < o->n_judged; i++) {
        const nsp_timing_judgement_t *j = &o->judged[i];
        bool judged = j->verdict != NSP_TIMING_INFO && j->verdict != NSP_TIMING_SKIPPED;
        // The raw time first, shown: what users feel, and what moves with
        // the machine.
        row = row_add(res, j->raw, judged ? "info" : nsp_timing_verdict_name(j->verdict));
        if (!row) {
            break;
        }
        row->has_baseline = !isnan(j->raw_base);
        row->baseline = j->raw_base;
        row->current = j->raw_cur;
        row->change = j->raw_base > 0.0 ? j->raw_cur / j->raw_base - 1.0 : 0.0;
        if (judged) {
            snprintf(row->note, sizeof row->note, "%s, shown, not judged: judged as %s", j->metric->unit, j->ratio);
        } else {
            snprintf(row->note, sizeof row->note, "%s", nsp_timing_reason_text(j->reason));
            continue;
        }
        // Then the judged ratio to its machine measure.
        row = row_add(res, j->ratio, nsp_timing_verdict_name(j->verdict));
        if (!row) {
            break;
        }
        row->has_baseline = row->has_ci = true;
        row->baseline = j->ratio_c.baseline_median;
        row->current = j->ratio_c.current_median;
        row->change = j->ratio_c.change;
        row->ci_lo = j->ratio_c.ci_lo;
        row->ci_hi = j->ratio_c.ci_hi;
        row->threshold = j->ratio_c.threshold;
        double raw_change = j->raw_base > 0.0 ? j->raw_cur / j->raw_base - 1.0 : NAN;
        snprintf(row->note, sizeof row->note, "%s (raw %+.1f%%)", nsp_timing_reason_text(j->reason), 100.0 * raw_change);
        if (j->verdict == NSP_TIMING_FAIL && j->ratio_c.change > worst) {
            worst = j->ratio_c.change;
            worst_j = j;
        }
    }
    if (o->fails && worst_j) {
        double raw_change = worst_j->raw_base > 0.0 ? worst_j->raw_cur / worst_j->raw_base - 1.0 : NAN;
        snprintf(summary, cap, "FAIL: %s %+.1f%% (raw %+.1f%%), confirmed", worst_j->ratio,
                 100.0 * worst_j->ratio_c.change, 100.0 * raw_change);
    } else if (o->inconclusive) {
        const nsp_timing_judgement_t *first = NULL;
        for (int i = 0; i < o->n_judged && !first; i++) {
            first = o->judged[i].verdict == NSP_TIMING_INCONCLUSIVE ? &o->judged[i] : NULL;
        }
        if (st->reason != NSP_REASON_WITHIN) {
            snprintf(summary, cap, "inconclusive: machine %.200s", st->text);
        } else {
            snprintf(summary, cap, "inconclusive: too noisy to decide: %.60s's interval straddles its threshold",
                     first->ratio);
        }
    } else if (o->skipped) {
        snprintf(summary, cap, "skipped: %s", nsp_timing_reason_text(NSP_REASON_NO_RATIO));
    } else {
        snprintf(summary, cap, "pass");
    }
}
