// Recording baselines: after an intended change, `nsplay baseline refresh`
// writes each kind's file atomically (counters, instructions for this
// toolchain, timings for this machine profile, the GL path for this
// software stack) and prints old -> new for every value that moved.
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "core/fileio.h"
#include "gate_internal.h"

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

int nsp_gate_write_json_file(const char *path, cJSON *root) {
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

int nsp_gate_record(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, const nsp_gate_measured_t *m,
                  const nsp_gate_baselines_t *old, nsp_gate_result_t *res) {
    FILE *out = o->out ? o->out : stdout;
    int err = 0;
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
        err = nsp_gate_write_json_file(old->counters_path, c);
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
        err = nsp_gate_write_json_file(old->instructions_path, b);
        if (!err) {
            fprintf(out, "  wrote %s\n", old->instructions_path);
        }
    }
    // Tier d has no baseline: a refresh records timings for tier c alone.
    // The machine rule for a baseline: runs on a busy machine set no
    // baseline (its ratios would be another machine's).
    nsp_machine_state_t st = {.reason = NSP_REASON_WITHIN};
    if (m->has_timing) {
        double load[NSP_GATE_MAX_SAMPLES], steal[NSP_GATE_MAX_SAMPLES];
        for (int i = 0; i < m->timing.n_runs && i < NSP_GATE_MAX_SAMPLES; i++) {
            load[i] = m->timing.runs[i].other_load;
            steal[i] = m->timing.runs[i].steal;
        }
        nsp_timing_assess(NULL, &m->timing.cur, load, steal, &st);
    }
    bool busy = st.reason == NSP_REASON_MACHINE_BUSY || st.reason == NSP_REASON_MACHINE_STOLEN;
    if (!err && m->has_timing && o->tiers[2] && busy) {
        fprintf(out, "  timing baseline NOT recorded: the machine was %s; record it on a quiet machine\n", st.text);
    } else if (!err && m->has_timing && o->tiers[2]) {
        cJSON *t = meta_json("timing", sc, m->first_gl.digest, &m->first_gl.machine);
        cJSON_AddStringToObject(t, "profile", res->profile);
        cJSON_AddStringToObject(t, "gl_renderer", m->first_gl.machine.gl_renderer);
        cJSON_AddStringToObject(t, "gl_version", m->first_gl.machine.gl_version);
        cJSON_AddStringToObject(t, "cpu", m->first_gl.machine.cpu);
        cJSON_AddNumberToObject(t, "cores", m->first_gl.machine.cores);
        const nsp_gate_series_t *ts = &m->timing.cur;
        cJSON_AddNumberToObject(t, "repetitions", ts->n_samples);
        obj = cJSON_AddObjectToObject(t, "metrics");
        double scratch[2 * NSP_GATE_MAX_SAMPLES];
        for (int i = 0; i < ts->n_metrics; i++) {
            const double *v = ts->v[i];
            int n = ts->n_samples;
            cJSON *mo = cJSON_AddObjectToObject(obj, ts->name[i]);
            double med = nsp_gate_median(v, n);
            cJSON_AddNumberToObject(mo, "median", med);
            cJSON_AddNumberToObject(mo, "noise", nsp_relative_noise(v, (size_t)n, scratch));
            cJSON_AddItemToObject(mo, "samples", cJSON_CreateDoubleArray(v, n));
            const double *ov = nsp_timing_samples(&old->timing, ts->name[i]);
            print_moved(out, "timing", ts->name[i], ov && old->has_timing,
                        ov ? nsp_gate_median(ov, old->timing.n_samples) : 0.0, med);
        }
        err = nsp_gate_write_json_file(old->timing_path, t);
        if (!err) {
            fprintf(out, "  wrote %s (%d repetitions)\n", old->timing_path, ts->n_samples);
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
    bool unrecorded = !err && m->has_timing && (o->tiers[2] || o->tiers[3]) && busy;
    res->status = err ? NSP_GATE_ERROR : unrecorded ? NSP_GATE_INCONCLUSIVE : NSP_GATE_PASS;
    snprintf(res->summary, sizeof res->summary, "%s: %s", sc->name,
             err ? "baselines NOT written" : unrecorded ? "timing baseline NOT written (machine busy)" : "baselines written");
    return err;
}

