// nsplay result: the figures of bench JSON files (`nsplay bench --json`),
// read through the bench layer's one reader, under the gate's metric names,
// as TSV for scripts (scripts/nightly records its history from it).
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/metrics.h"
#include "bench/report.h"
#include "bench/targets.h"
#include "commands.h"
#include "core/error.h"
#include "options.h"

static void help(FILE *out) {
    fprintf(out, "usage: nsplay result FILE...\n\n"
                 "Prints the figures of each bench result FILE (written by 'nsplay bench --json')\n"
                 "as tab-separated lines, after one header line:\n\n"
                 "  file  tier  metric  value\n\n"
                 "tier and metric are the gate's (docs/gate.md):\n"
                 "  a     the counters over the timed frames: draw_calls, vertices,\n"
                 "        bytes_uploaded, texture_uploads, buffer_uploads,\n"
                 "        allocations_during_playback\n"
                 "  c     the timing metrics the gate judges: frame_median_ms, frame_p95_ms,\n"
                 "        setup_ms and its parts setup_context_ms and setup_own_ms,\n"
                 "        callbacks_total_ms, paint_gpu_ms, draw_ms, STEP_ms, floor_median_ms,\n"
                 "        floor_p95_ms, NAME/floor (relative to the floor frame), NAME/cpu\n"
                 "        (to the CPU probe), setup_context/faults and setup_own/faults_after\n"
                 "        (to the page-fault probe before and after set-up)\n"
                 "  d     the documented targets' values: callbacks_total_ms (mean), paint_gpu_ms\n"
                 "        (mean), frame_latency_ms, skip_rate_pct, setup_s, rss_growth_kib\n"
                 "  info  recorded besides: frame_mean_ms, callbacks_total_mean_ms,\n"
                 "        paint_gpu_mean_ms, rss_first_kib, rss_last_kib, and the scenario's\n"
                 "        digest (a hexadecimal string)\n"
                 "  bound each target's bounds: TARGET.target, TARGET.acceptable (when it has one)\n"
                 "  machine  the machine of the run: gl_renderer, gl_version, cpu, cores,\n"
                 "        build_type, compiler, commit (strings but cores)\n"
                 "Numbers are printed exactly (%%.17g); a figure the run did not measure is left out.\n\n"
                 "Exit status: 0 every file read, 1 a file could not be read (the message names\n"
                 "it and what was wrong), 2 bad options.\n");
}

static void row(const char *file, const char *tier, const char *metric, double v) {
    printf("%s\t%s\t%s\t%.17g\n", file, tier, metric, v);
}

// A machine string as one TSV field: tabs and line breaks become spaces.
static void text_row(const char *file, const char *tier, const char *metric, const char *value) {
    printf("%s\t%s\t%s\t", file, tier, metric);
    for (const char *c = value; *c; c++) {
        putchar(*c == '\t' || *c == '\n' || *c == '\r' ? ' ' : *c);
    }
    putchar('\n');
}

static void print_result(const char *file, const nsp_bench_result_t *r) {
    double counters[NSP_COUNTER_COUNT];
    nsp_metrics_counters(r, counters);
    for (int i = 0; i < NSP_COUNTER_COUNT; i++) {
        if (!isnan(counters[i])) {
            row(file, "a", nsp_counter_names[i], counters[i]);
        }
    }
    nsp_metrics_t timing = {0};
    nsp_metrics_timing(r, &timing);
    for (int i = 0; i < timing.n; i++) {
        row(file, "c", timing.name[i], timing.v[i]);
    }
    for (int i = 0; i < NSP_TARGET_COUNT; i++) {
        double v = nsp_target_value(r, (nsp_target_id_t)i);
        if (!isnan(v)) {
            row(file, "d", nsp_targets[i].key, v);
        }
    }
    nsp_metrics_t info = {0};
    nsp_metrics_info(r, &info);
    for (int i = 0; i < info.n; i++) {
        row(file, "info", info.name[i], info.v[i]);
    }
    if (r->frames > 0 && r->rss_first_kib >= 0 && r->rss_last_kib >= 0) {
        row(file, "info", "rss_first_kib", (double)r->rss_first_kib);
        row(file, "info", "rss_last_kib", (double)r->rss_last_kib);
    }
    char digest[24];
    snprintf(digest, sizeof digest, "%016" PRIx64, r->digest);
    text_row(file, "info", "digest", digest);
    for (int i = 0; i < NSP_TARGET_COUNT; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s.target", nsp_targets[i].key);
        row(file, "bound", name, nsp_targets[i].target);
        if (!isinf(nsp_targets[i].acceptable)) {
            snprintf(name, sizeof name, "%s.acceptable", nsp_targets[i].key);
            row(file, "bound", name, nsp_targets[i].acceptable);
        }
    }
    const nsp_machine_t *m = &r->machine;
    text_row(file, "machine", "gl_renderer", m->gl_renderer);
    text_row(file, "machine", "gl_version", m->gl_version);
    text_row(file, "machine", "cpu", m->cpu);
    row(file, "machine", "cores", m->cores);
    text_row(file, "machine", "build_type", m->build_type);
    text_row(file, "machine", "compiler", m->compiler);
    text_row(file, "machine", "commit", m->commit);
}

int nsp_cmd_result(int argc, char **argv) {
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == 'h') {
            help(stdout);
            return 0;
        }
        help(stderr);
        return NSP_EXIT_USAGE;
    }
    if (optind >= argc) {
        nsp_log(NSP_LOG_ERROR, "result: expected at least one bench result FILE");
        help(stderr);
        return NSP_EXIT_USAGE;
    }
    printf("file\ttier\tmetric\tvalue\n");
    int status = 0;
    for (int i = optind; i < argc; i++) {
        nsp_bench_result_t r;
        if (nsp_report_read_json(argv[i], &r) == 0) {
            print_result(argv[i], &r);
        } else {
            status = 1;
        }
        nsp_bench_result_destroy(&r);
    }
    return status;
}
