#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "targets.h"

const char *const nsp_counter_names[NSP_COUNTER_COUNT] = {
    "draw_calls", "vertices", "bytes_uploaded", "texture_uploads", "buffer_uploads", "allocations_during_playback",
};

void nsp_metrics_add(nsp_metrics_t *m, const char *name, double v) {
    if (isnan(v)) {
        return;
    }
    if (m->n == NSP_METRICS_MAX) {
        // Never a silent cap: a dropped metric would be a gap in the gate.
        nsp_log(NSP_LOG_ERROR, "metrics: more than %d; '%s' not recorded", NSP_METRICS_MAX, name);
        return;
    }
    snprintf(m->name[m->n], NSP_METRIC_NAME_MAX, "%s", name);
    m->v[m->n++] = v;
}

void nsp_metrics_counters(const nsp_bench_result_t *r, double out[NSP_COUNTER_COUNT]) {
    const nsp_render_counters_t *c = &r->counters_total;
    out[NSP_COUNTER_DRAW_CALLS] = (double)c->draw_calls;
    out[NSP_COUNTER_VERTICES] = (double)c->vertices;
    out[NSP_COUNTER_BYTES_UPLOADED] = (double)c->bytes_uploaded;
    out[NSP_COUNTER_TEXTURE_UPLOADS] = (double)c->texture_uploads;
    out[NSP_COUNTER_BUFFER_UPLOADS] = (double)c->buffer_uploads;
    out[NSP_COUNTER_ALLOCATIONS] =
        r->allocations_during_playback == UINT64_MAX ? NAN : (double)r->allocations_during_playback;
}

// A summary's figure, NaN when the series has no measured sample.
static double median_of(const double *ms, size_t n) {
    nsp_summary_t s = nsp_bench_summary(ms, n);
    return s.count ? s.median : NAN;
}

static double p95_of(const double *ms, size_t n) {
    nsp_summary_t s = nsp_bench_summary(ms, n);
    return s.count ? s.p95 : NAN;
}

static double mean_of(const double *ms, size_t n) {
    nsp_summary_t s = nsp_bench_summary(ms, n);
    return s.count ? s.mean : NAN;
}

// Median over frames of ms[i] / floor[i]: each timed frame against the floor
// frame drawn right after it, so drift of the machine within the run cancels
// pair by pair. NaN when the run has no pairs.
static double paired_ratio(const double *ms, const double *floor, size_t n) {
    if (n == 0) {
        return NAN;
    }
    double *q = malloc(n * sizeof *q);
    if (!q) {
        return NAN;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isnan(ms[i]) && !isnan(floor[i]) && floor[i] > 0.0) {
            q[k++] = ms[i] / floor[i];
        }
    }
    double med = NAN;
    if (k > 0) {
        nsp_stats_sort(q, k);
        med = nsp_stats_percentile_sorted(q, k, 50.0);
    }
    free(q);
    return med;
}

void nsp_metrics_timing(const nsp_bench_result_t *r, nsp_metrics_t *m) {
    size_t n = r->frames;
    double floor_median = median_of(r->floor_ms, n);
    double cpu_median = median_of(r->cpu_probe_ms, n);
    nsp_metrics_t abs = {0}, rel = {0}, cpu = {0};
    nsp_metrics_add(&abs, "frame_median_ms", median_of(r->frame_ms, n));
    nsp_metrics_add(&rel, "frame_median/floor", paired_ratio(r->frame_ms, r->floor_ms, n));
    nsp_metrics_add(&abs, "frame_p95_ms", p95_of(r->frame_ms, n));
    // The tail against the floor frame's tail: interruptions by the machine
    // land on both alike.
    nsp_metrics_add(&rel, "frame_p95/floor", p95_of(r->frame_ms, n) / p95_of(r->floor_ms, n));
    nsp_metrics_add(&abs, "setup_ms", 1000.0 * r->setup_s);
    // The set-up in its two parts: the driver's (context creation: loading
    // it and LLVM) and nsplay's own (all the rest: scenario generation,
    // renderer initialisation with its shader compilation); NaN (not added)
    // where context creation was not timed.
    const double context_ms = 1000.0 * r->setup_context_s, own_ms = 1000.0 * r->setup_s - context_ms;
    nsp_metrics_add(&abs, "setup_context_ms", context_ms);
    nsp_metrics_add(&abs, "setup_own_ms", own_ms);
    nsp_metrics_add(&rel, "setup/floor", 1000.0 * r->setup_s / floor_median);
    // Paint per frame as tier d's target reads it (targets.h): where the
    // timer query cannot see the raster (llvmpipe: it times submission
    // only), from the first draw call to glFinish.
    const nsp_paint_source_t source = nsp_paint_source(r);
    double *paint = n > 0 ? malloc(n * sizeof *paint) : NULL;
    for (size_t f = 0; paint && f < n; f++) {
        paint[f] = nsp_paint_frame_ms(r, source, f);
    }
    for (int i = 0; i < r->phase_count; i++) {
        const nsp_phase_t *p = &r->phases[i];
        // The fixed phases that are not the documented ones stay in the
        // report's breakdown; the gate judges callbacks, paint, the draw
        // calls (the paint's work on the main thread: with a software
        // rasteriser, validation, vertex shading and binning) and each step.
        if (i == NSP_PHASE_EVENTS || i == NSP_PHASE_UPLOAD || i == NSP_PHASE_FINISH) {
            continue;
        }
        const double *ms = p->ms;
        if (i == NSP_PHASE_PAINT_GPU) {
            if (!paint) {
                continue;  // Out of memory: no paint figure rather than the wrong one.
            }
            ms = paint;
        }
        char name[NSP_METRIC_NAME_MAX];
        snprintf(name, sizeof name, "%s_ms", p->name);
        nsp_metrics_add(&abs, name, median_of(ms, n));
        snprintf(name, sizeof name, "%s/floor", p->name);
        nsp_metrics_add(&rel, name, paired_ratio(ms, r->floor_ms, n));
        snprintf(name, sizeof name, "%s/cpu", p->name);
        nsp_metrics_add(&cpu, name, paired_ratio(ms, r->cpu_probe_ms, n));
    }
    free(paint);
    for (int i = 0; i < abs.n; i++) {
        nsp_metrics_add(m, abs.name[i], abs.v[i]);
    }
    if (floor_median > 0.0) {
        nsp_metrics_add(m, "floor_median_ms", floor_median);
        nsp_metrics_add(m, "floor_p95_ms", p95_of(r->floor_ms, n));
        for (int i = 0; i < rel.n; i++) {
            nsp_metrics_add(m, rel.name[i], rel.v[i]);
        }
    }
    if (cpu_median > 0.0) {
        nsp_metrics_add(m, "cpu_probe_median_ms", cpu_median);
        for (int i = 0; i < cpu.n; i++) {
            nsp_metrics_add(m, cpu.name[i], cpu.v[i]);
        }
    }
    // Set-up's two parts, each against the page-fault probe next to it in
    // time: context creation (loading the driver and LLVM, mapping and
    // faulting in their pages) against the one right before set-up;
    // nsplay's own part (the scenario's generation, the renderer's set-up:
    // Mesa compiling its shaders, allocating and faulting in heap pages as
    // it goes) against the one right after (docs/gate.md).
    if (r->fault_probe_ms > 0.0) {
        nsp_metrics_add(m, "fault_probe_ms", r->fault_probe_ms);
        nsp_metrics_add(m, "setup_context/faults", context_ms / r->fault_probe_ms);
    }
    if (r->fault_probe_after_ms > 0.0) {
        nsp_metrics_add(m, "fault_probe_after_ms", r->fault_probe_after_ms);
        nsp_metrics_add(m, "setup_own/faults_after", own_ms / r->fault_probe_after_ms);
    }
}

void nsp_metrics_info(const nsp_bench_result_t *r, nsp_metrics_t *m) {
    nsp_metrics_add(m, "frame_mean_ms", mean_of(r->frame_ms, r->frames));
    nsp_metrics_add(m, "callbacks_total_mean_ms", mean_of(r->phases[NSP_PHASE_CALLBACKS].ms, r->frames));
    nsp_metrics_add(m, "paint_gpu_mean_ms", nsp_target_value(r, NSP_TARGET_PAINT));  // As tier d reads it.
}
