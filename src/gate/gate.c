// One scenario through the gate: what is measured in which order, which
// baselines are read, which tier is judged, and the status and summary line
// that say what each tier said. Each job is its own file (gate.h).
#include "gate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "gate_internal.h"

static const char *const TIER_LETTERS = "abcde";

void nsp_gate_conclude(nsp_gate_result_t *res, const bool asked[5], int fails, int inconclusive) {
    char judged[16] = "", skipped[16] = "";
    for (int t = 0; t < 5; t++) {
        if (!asked[t]) {
            continue;
        }
        char *list = res->tier_skipped[t] ? skipped : judged;
        size_t used = strlen(list);
        snprintf(list + used, 16 - used, "%s%c", used ? ", " : "", TIER_LETTERS[t]);
    }
    // A tier that could not judge is a skip, never a pass; one that judged
    // and failed outweighs it; one that was inconclusive is a skip too.
    res->status = fails ? NSP_GATE_FAIL : (inconclusive || skipped[0]) ? NSP_GATE_INCONCLUSIVE : NSP_GATE_PASS;
    char head[96];
    if (fails) {
        snprintf(head, sizeof head, "FAIL");
    } else if (inconclusive) {
        snprintf(head, sizeof head, "INCONCLUSIVE");
    } else if (skipped[0] && judged[0]) {
        snprintf(head, sizeof head, "SKIPPED %s (%s judged: pass)", skipped, judged);
    } else if (skipped[0]) {
        snprintf(head, sizeof head, "SKIPPED %s (nothing judged)", skipped);
    } else {
        snprintf(head, sizeof head, "PASS");
    }
    size_t n = (size_t)snprintf(res->summary, sizeof res->summary, "%s: %s —", res->scenario->name, head);
    const char *sep = "";
    for (int t = 0; t < 5 && n < sizeof res->summary; t++) {
        if (asked[t]) {
            n += (size_t)snprintf(res->summary + n, sizeof res->summary - n, "%s %c: %.180s", sep, TIER_LETTERS[t],
                                  res->tier_summary[t]);
            sep = ";";
        }
    }
}

// The A/B comparison's baselines: the other binary's measurements.
static void against_baselines(nsp_gate_baselines_t *b, const nsp_gate_measured_t *other, bool has_instructions) {
    b->has_counters = true;
    memcpy(b->counters, other->null_run.counters, sizeof b->counters);
    b->has_instructions = has_instructions;
    b->instructions = other->instructions;
    snprintf(b->counters_meta.digest, sizeof b->counters_meta.digest, "%s", other->null_run.digest);
    snprintf(b->instructions_meta.digest, sizeof b->instructions_meta.digest, "%s", other->null_run.digest);
    snprintf(b->timing_meta.digest, sizeof b->timing_meta.digest, "%s", other->null_run.digest);
}

int nsp_gate_scenario(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, nsp_gate_result_t *res) {
    memset(res, 0, sizeof *res);
    res->scenario = sc;
    res->status = NSP_GATE_ERROR;
    for (int t = 0; t < 5; t++) {
        snprintf(res->tier_summary[t], sizeof res->tier_summary[t], "not asked");
    }
    nsp_gate_measured_t *m = calloc(1, sizeof *m);
    nsp_gate_measured_t *other = o->against ? calloc(1, sizeof *other) : NULL;
    nsp_gate_baselines_t *b = calloc(1, sizeof *b);
    int err = (!m || !b || (o->against && !other)) ? NSP_ENOMEM : 0;
    char work_file[1024];
    snprintf(work_file, sizeof work_file, "%s/x", o->work_dir);
    if (!err) {
        err = nsp_file_mkdirs_parent(work_file);
    }
    if (!err) {
        err = nsp_gate_measure_exact(sc, o, m, other ? &other->null_run : NULL, other ? &other->instructions : NULL);
    }
    // The first timed run tells the machine profile (its GL renderer), and
    // the profile names the timing baseline. Timed runs only where a timed
    // tier is judged or recorded: a refresh records timings for tier c alone
    // (d has no baseline), and `baseline refresh --tiers e` records exact
    // counts without a minute of timed runs.
    bool timed = o->tiers[2] || (o->tiers[3] && !o->record);
    if (!timed) {
        snprintf(m->timing_skip, sizeof m->timing_skip, "tiers c and d not asked (--tiers)");
    }
    if (!err && timed) {
        err = nsp_gate_measure_first(sc, o, m);
        if (err == NSP_ENODISPLAY) {
            timed = false;
            err = 0;
        } else if (!err) {
            nsp_gate_profile(&m->first_gl.machine, res->profile, sizeof res->profile);
        }
    }
    char toolchain[64];
    nsp_gate_toolchain(&m->null_run.machine, toolchain, sizeof toolchain);
    int load_err = err ? 0 : nsp_gate_load_baselines(o->baselines_dir, sc->name, res->profile, toolchain, b);
    bool judge_c = o->tiers[2] && !o->record && (o->against || (b->has_timing && !load_err));
    if (!err && timed) {
        err = nsp_gate_measure_timing(sc, o, o->against ? NULL : &b->timing, judge_c, m);
    }
    if (err) {
        snprintf(res->summary, sizeof res->summary, "%s: ERROR: the measurement failed (%s)", sc->name,
                 nsp_strerror(err));
        goto done;
    }
    res->first_run = m->has_timing ? m->first_gl : m->null_run;
    if (o->record) {
        err = nsp_gate_record(sc, o, m, b, res);
        goto done;
    }
    if (o->against) {
        against_baselines(b, other, m->has_instructions);
        load_err = 0;
    }
    int fails = 0, inconclusive = 0, warns = 0;
    if (load_err) {
        nsp_gate_row_t *row = nsp_gate_add_row(res, '-', "baseline files", "fail");
        snprintf(row->note, sizeof row->note, "a baseline file is malformed (see the message above)");
        fails++;
    }
    const char *digest = m->null_run.digest;
    const char *digests[3] = {b->has_counters ? b->counters_meta.digest : NULL,
                              b->has_instructions ? b->instructions_meta.digest : NULL,
                              b->has_timing ? b->timing_meta.digest : NULL};
    for (int i = 0; i < 3; i++) {
        if (digests[i] && strcmp(digests[i], digest) != 0) {
            nsp_gate_row_t *row = nsp_gate_add_row(res, '-', "scenario digest", "fail");
            snprintf(row->note, sizeof row->note,
                     "the scenario changed (data digest %s, baseline %s): the baselines need refreshing", digest,
                     digests[i]);
            fails++;
            break;
        }
    }
    // Tier a.
    if (o->tiers[0] && b->has_counters) {
        int fa = nsp_gate_judge_counters(res, b->counters, m->null_run.counters);
        snprintf(res->tier_summary[0], sizeof res->tier_summary[0], "%s", fa ? "FAIL: an exact counter grew" : "pass");
        fails += fa;
    } else if (o->tiers[0]) {
        res->tier_skipped[0] = true;
        snprintf(res->tier_summary[0], sizeof res->tier_summary[0], "skipped: no baseline (%.70s)", b->counters_path);
    }
    // Tier b.
    char worst_b[128] = "";
    if (o->tiers[1] && m->has_instructions && b->has_instructions) {
        int fb = nsp_gate_judge_instructions(res, &b->instructions, &m->instructions, worst_b, sizeof worst_b);
        snprintf(res->tier_summary[1], sizeof res->tier_summary[1], "%s%.80s", fb ? "FAIL: " : "pass", fb ? worst_b : "");
        fails += fb;
    } else if (o->tiers[1]) {
        res->tier_skipped[1] = true;
        snprintf(res->tier_summary[1], sizeof res->tier_summary[1], "skipped: no baseline for toolchain %s", toolchain);
    }
    // Tier c: tier_timing.c's mechanism decided; here its rows and summary.
    if (o->tiers[2] && !m->has_timing) {
        res->tier_skipped[2] = true;
        snprintf(res->tier_summary[2], sizeof res->tier_summary[2], "skipped: %.200s", m->timing_skip);
    } else if (o->tiers[2] && !judge_c) {
        res->tier_skipped[2] = true;
        snprintf(res->tier_summary[2], sizeof res->tier_summary[2], "skipped: no timing baseline for profile %.160s",
                 res->profile);
    } else if (o->tiers[2]) {
        nsp_timing_report(res, &m->timing, res->tier_summary[2], sizeof res->tier_summary[2]);
        fails += m->timing.fails;
        inconclusive += m->timing.inconclusive > 0;
        // Nothing judged and something skipped: a skip, never a pass.
        res->tier_skipped[2] = !m->timing.fails && !m->timing.inconclusive && m->timing.skipped > 0;
    }
    // Tier d.
    if (o->tiers[3] && m->has_timing) {
        int fd = nsp_gate_judge_targets(res, m, &warns);
        snprintf(res->tier_summary[3], sizeof res->tier_summary[3], "%s", fd ? "FAIL: beyond an acceptable bound"
                                                                          : warns ? "warn: beyond a target" : "pass");
        fails += fd;
    } else if (o->tiers[3]) {
        res->tier_skipped[3] = true;
        snprintf(res->tier_summary[3], sizeof res->tier_summary[3], "skipped: %.200s", m->timing_skip);
    }
    // Tier e: skipped, never passed, without a measurement or a baseline.
    if (o->tiers[4] && o->against) {
        res->tier_skipped[4] = true;
        snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "skipped: not run with --against");
    } else if (o->tiers[4] && m->has_glpath) {
        bool skipped_e = false;
        fails += nsp_gate_judge_glpath(res, o, m, &skipped_e);
        res->tier_skipped[4] = skipped_e;
    } else if (o->tiers[4]) {
        res->tier_skipped[4] = true;
        snprintf(res->tier_summary[4], sizeof res->tier_summary[4], "skipped: the measurement failed");
    }
    nsp_gate_conclude(res, o->tiers, fails, inconclusive);
done:
    if (m) {
        nsp_timing_outcome_free(&m->timing);
    }
    free(m);
    free(other);
    free(b);
    return err;
}
