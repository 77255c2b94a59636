// Writes the seed files of the fuzzers that real nsplay code produces, into
// OUT/<kind>/: a bench result (a short all-overlay session on the null
// backend, through the one bench-JSON writer), a trace (through core/timing
// and the trace writer, as the benchmark writes one), and a history run
// record built from that result's metrics with the index the history loader
// writes for it. (make_corpus.sh adds the committed baselines, the
// documented perfmon config and the hand-made test trace.)
// Usage: make_seeds OUT
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "bench/metrics.h"
#include "bench/report.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/fileio.h"
#include "core/timing.h"
#include "gate/history.h"
#include "trace/writer.h"
#include "../trace_frames.h"

static int bench_result(const char *out, nsp_bench_result_t *r) {
    nsp_session_opts_t o = {0};
    nsp_scenario_desc_default(&o.scenario);
    o.scenario.frames = 30;
    o.scenario.playback_frames = 6;
    o.scenario.overlays = NSP_OVERLAY_ALL;
    nsp_session_t s;
    memset(&s, 0, sizeof s);
    int err = nsp_session_init(&s, &o);
    err = err ? err : nsp_session_attach_null(&s);
    err = err ? err : nsp_bench_result_init(r, (size_t)o.scenario.playback_frames);
    if (!err) {
        r->scenario = s.sc.desc;
        r->canvas_w = s.scene.layout.canvas_w;
        r->canvas_h = s.scene.layout.canvas_h;
        r->headless = true;
        r->setup_s = 0.01;
        nsp_machine_detect(&r->machine);
        snprintf(r->machine.gl_renderer, sizeof r->machine.gl_renderer, "none (null backend)");
        err = nsp_bench_run(&s, &(nsp_bench_opts_t){.floor = true}, r);
    }
    err = err ? err : nsp_scenario_digest(&s.sc, &r->digest);
    char path[4096];
    snprintf(path, sizeof path, "%s/bench_result/null-all-overlays.json", out);
    err = err ? err : nsp_report_write_json(path, r);
    nsp_session_destroy(&s);
    return err;
}

static int trace(const char *out) {
    char path[4096];
    snprintf(path, sizeof path, "%s/trace/timing-written.json", out);
    return trace_frames_write(path);
}

// A run record as scripts/nightly writes one, from r's metrics.
static int history(const char *out, const nsp_bench_result_t *r) {
    cJSON *run = cJSON_CreateObject();
    cJSON_AddNumberToObject(run, "schema", NSP_HISTORY_SCHEMA);
    cJSON_AddStringToObject(run, "kind", NSP_HISTORY_KIND);
    cJSON_AddStringToObject(run, "date", "2026-01-31T02:00:00Z");
    cJSON_AddStringToObject(run, "commit", r->machine.commit[0] ? r->machine.commit : "unknown");
    cJSON_AddStringToObject(run, "profile", "none-null-backend");
    cJSON_AddStringToObject(run, "toolchain", r->machine.compiler);
    cJSON *machine = cJSON_AddObjectToObject(run, "machine");
    cJSON_AddNumberToObject(machine, "cores", r->machine.cores);
    cJSON *records = cJSON_AddArrayToObject(run, "records");
    const char *const scenarios[] = {"all6", "position"};
    nsp_metrics_t m;
    nsp_metrics_timing(r, &m);
    for (size_t k = 0; k < 2; k++) {
        cJSON *rec = cJSON_CreateObject();
        cJSON_AddStringToObject(rec, "scenario", scenarios[k]);
        cJSON *metrics = cJSON_AddObjectToObject(rec, "metrics");
        cJSON *spread = cJSON_AddObjectToObject(rec, "spread");
        for (int i = 0; i < m.n; i++) {
            cJSON_AddNumberToObject(metrics, m.name[i], m.v[i] * (double)(k + 1));
            cJSON_AddNumberToObject(spread, m.name[i], 0.01);
        }
        cJSON_AddItemToArray(records, rec);
    }
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/history/store", out);
    int err = nsp_history_append(dir, run, "seed", path, sizeof path);
    char *text = cJSON_Print(run);
    snprintf(path, sizeof path, "%s/history/run.json", out);
    err = err ? err : text ? nsp_file_write_atomic(path, text, strlen(text)) : NSP_ENOMEM;
    free(text);
    cJSON_Delete(run);
    // Loading writes the index the fuzzer also starts from.
    nsp_history_t h;
    err = err ? err : nsp_history_load(&h, dir, NULL);
    nsp_history_destroy(&h);
    return err;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds OUT\n");
        return 2;
    }
    nsp_bench_result_t r;
    memset(&r, 0, sizeof r);
    int err = bench_result(argv[1], &r);
    err = err ? err : trace(argv[1]);
    err = err ? err : history(argv[1], &r);
    nsp_bench_result_destroy(&r);
    if (err) {
        fprintf(stderr, "make_seeds: %s\n", nsp_strerror(err));
        return 1;
    }
    return 0;
}
