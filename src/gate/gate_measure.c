// Measuring one scenario: the exact tiers' runs (null backend, callgrind,
// the GL path) and the timed runs, each a fresh `nsplay bench` process,
// handed to tier c's mechanism through its runner.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "gate_internal.h"

static const char *const GL_ARGS[] = {"--headless", "--playback-frames", NSP_GATE_TIMED_FRAMES, NULL};

int nsp_gate_measure_exact(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, nsp_gate_measured_t *m,
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

int nsp_gate_measure_first(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, nsp_gate_measured_t *m) {
    char tag[96];
    snprintf(tag, sizeof tag, "%s-rep-0", sc->name);
    int err = nsp_gate_run_bench(o->exe, sc, GL_ARGS, o->work_dir, tag, &m->first_gl);
    if (err == NSP_ENODISPLAY) {
        snprintf(m->timing_skip, sizeof m->timing_skip,
                 "no GL context here (the bench exited 3): timing tiers c and d not run");
    }
    return err;
}

// The runner of tier c (tier_timing.h): run index of this binary, and with
// --against the other binary's right before it (A B A B: drift hits both
// alike). Run 0 of this binary is the first run, made already.
typedef struct runner {
    const nsp_gate_scenario_t *sc;
    const nsp_gate_opts_t *o;
    const nsp_gate_run_t *first;
} runner_t;

static int run_bench(void *user, int index, nsp_gate_run_t *cur, nsp_gate_run_t *other) {
    const runner_t *r = user;
    char tag[96];
    int err = 0;
    if (other) {
        snprintf(tag, sizeof tag, "%s-other-%d", r->sc->name, index);
        err = nsp_gate_run_bench(r->o->against, r->sc, GL_ARGS, r->o->work_dir, tag, other);
    }
    if (!err && index == 0 && r->first) {
        *cur = *r->first;
    } else if (!err) {
        snprintf(tag, sizeof tag, "%s-rep-%d", r->sc->name, index);
        err = nsp_gate_run_bench(r->o->exe, r->sc, GL_ARGS, r->o->work_dir, tag, cur);
    }
    if (isatty(2)) {
        fprintf(stderr, "\r  %s: timed repetition %d", r->sc->name, index + 1);
    }
    if (err == NSP_ENODISPLAY) {
        // The first run had a context: losing it now is a failure to run.
        nsp_log(NSP_LOG_ERROR, "%s: timed repetition %d could not make a GL context", r->sc->name, index + 1);
        err = NSP_EIO;
    }
    return err;
}

int nsp_gate_measure_timing(const nsp_gate_scenario_t *sc, const nsp_gate_opts_t *o, const nsp_gate_series_t *base,
                            bool judge, nsp_gate_measured_t *m) {
    runner_t r = {.sc = sc, .o = o, .first = &m->first_gl};
    nsp_timing_opts_t to = {.base = base, .against = o->against != NULL, .reps = o->repetitions,
                            .judge = judge, .run = run_bench, .user = &r};
    int err = nsp_timing_run(&to, &m->timing);
    if (isatty(2)) {
        fprintf(stderr, "\n");
    }
    m->has_timing = err == 0 && m->timing.n_runs > 0;
    return err;
}
