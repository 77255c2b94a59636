// Judging tiers a (exact counters), b (instructions per zone), d (the
// documented targets) and tier e's baseline and verdict, each into the
// report's rows; tier c's judgement is tier_timing.c's.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/stats.h"
#include "gate_internal.h"

nsp_gate_row_t *nsp_gate_add_row(nsp_gate_result_t *r, char tier, const char *metric, const char *verdict) {
    // A full table says so once and keeps the rows it has: the summary
    // line and the status are made from the judgements, not from the rows.
    static nsp_gate_row_t spill;
    if (r->n_rows == NSP_GATE_MAX_ROWS) {
        nsp_log(NSP_LOG_WARN, "%s: more than %d report rows; row '%s' left out of the table",
                r->scenario ? r->scenario->name : "gate", NSP_GATE_MAX_ROWS, metric);
        memset(&spill, 0, sizeof spill);
        return &spill;
    }
    nsp_gate_row_t *row = &r->rows[r->n_rows++];
    memset(row, 0, sizeof *row);
    row->tier = tier;
    snprintf(row->metric, sizeof row->metric, "%s", metric);
    row->verdict = verdict;
    return row;
}

double nsp_gate_median(const double *x, int n) {
    double tmp[NSP_GATE_MAX_SAMPLES];
    int k = 0;
    for (int i = 0; i < n && k < NSP_GATE_MAX_SAMPLES; i++) {
        if (!isnan(x[i])) {
            tmp[k++] = x[i];
        }
    }
    return k > 0 ? nsp_stats_median(tmp, (size_t)k, tmp) : NAN;
}

int nsp_gate_judge_counters(nsp_gate_result_t *r, const double *base, const double *cur) {
    int fails = 0;
    for (int i = 0; i < NSP_COUNTER_COUNT; i++) {
        const char *v = cur[i] > base[i] ? "fail" : cur[i] < base[i] ? "improvement" : "pass";
        nsp_gate_row_t *row = nsp_gate_add_row(r, 'a', nsp_counter_names[i], v);
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

int nsp_gate_judge_instructions(nsp_gate_result_t *r, const nsp_gate_metrics_t *base, const nsp_gate_metrics_t *cur,
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
            nsp_gate_row_t *row = nsp_gate_add_row(r, 'b', metric, "new");
            row->current = cur->v[i];
            snprintf(row->note, sizeof row->note, "no baseline for this zone");
            continue;
        }
        double change = base->v[k] > 0 ? cur->v[i] / base->v[k] - 1.0 : 0.0;
        bool fail = change > NSP_GATE_INSTRUCTION_LIMIT;
        nsp_gate_row_t *row = nsp_gate_add_row(r, 'b', metric, fail ? "fail" : change < -NSP_GATE_INSTRUCTION_LIMIT ? "improvement"
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

int nsp_gate_judge_targets(nsp_gate_result_t *r, const nsp_gate_measured_t *m, int *warns) {
    int fails = 0;
    for (int t = 0; t < NSP_TARGET_COUNT; t++) {
        double v[NSP_GATE_MAX_SAMPLES];
        for (int i = 0; i < m->timing.n_runs; i++) {
            v[i] = m->timing.runs[i].targets[t];
        }
        double med = nsp_gate_median(v, m->timing.n_runs);
        nsp_verdict_t verdict = nsp_target_judge(&nsp_targets[t], med);
        if (verdict == NSP_VERDICT_NA) {
            continue;  // Not measured by the gate's runs (the skip rate needs --fps).
        }
        nsp_gate_row_t *row = nsp_gate_add_row(r, 'd', nsp_targets[t].key, nsp_verdict_name(verdict));
        row->current = med;
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

int nsp_gate_judge_glpath(nsp_gate_result_t *res, const nsp_gate_opts_t *o, const nsp_gate_measured_t *m,
                          bool *skipped) {
    const nsp_gate_scenario_t *sc = res->scenario;
    int fe = 0;
    bool skipped_e = false;
    char path[1024];
    nsp_glpath_path(o->baselines_dir, sc->name, &m->glpath, path, sizeof path);
    nsp_glpath_t *base = calloc(1, sizeof *base);
    bool found = false;
    int lerr = base ? nsp_glpath_load(path, sc->name, base, &found) : NSP_ENOMEM;
    const nsp_glpath_t *g = &m->glpath;
    if (lerr) {
        nsp_gate_row_t *row = nsp_gate_add_row(res, 'e', "baseline file", "fail");
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
    *skipped = skipped_e;
    return fe;
}
