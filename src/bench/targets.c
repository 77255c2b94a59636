#include "targets.h"

#include <math.h>
#include <string.h>

// Memory "no growth": page-granular noise of a few pages is not growth.
#define MEMORY_NOISE_KIB 256.0

const nsp_target_t nsp_targets[NSP_TARGET_COUNT] = {
    [NSP_TARGET_CALLBACKS] = {"callbacks_total_ms", "per-frame callback total (mean)", "ms", 5.0, 10.0},
    // The key keeps its old name, so that results and histories stay comparable.
    [NSP_TARGET_PAINT] = {"paint_gpu_ms", "canvas paint time (mean)", "ms", 10.0, 15.0},
    [NSP_TARGET_LATENCY] = {"frame_latency_ms", "total frame latency (mean)", "ms", 16.0, 40.0},
    [NSP_TARGET_SKIP_RATE] = {"skip_rate_pct", "frame skip rate at 25 fps", "%", 5.0, 15.0},
    [NSP_TARGET_SETUP] = {"setup_s", "setup time (target for 1000 frames)", "s", 5.0, INFINITY},
    [NSP_TARGET_MEMORY] = {"rss_growth_kib", "memory growth during playback", "KiB", MEMORY_NOISE_KIB, INFINITY},
};

nsp_verdict_t nsp_target_judge(const nsp_target_t *t, double value) {
    if (isnan(value)) {
        return NSP_VERDICT_NA;
    }
    if (value < t->target) {
        return NSP_VERDICT_PASS;
    }
    return value < t->acceptable ? NSP_VERDICT_WARN : NSP_VERDICT_FAIL;
}

static double phase_mean(const nsp_bench_result_t *r, int phase) {
    if (phase < 0 || r->frames == 0) {
        return NAN;
    }
    nsp_summary_t s = nsp_bench_summary(r->phases[phase].ms, r->frames);
    return s.count ? s.mean : NAN;
}

double nsp_paint_frame_ms(const nsp_bench_result_t *r, nsp_paint_source_t s, size_t i) {
    switch (s) {
    case NSP_PAINT_TIMER_QUERY: return r->phases[NSP_PHASE_PAINT_GPU].ms[i];
    case NSP_PAINT_DRAW_TO_FINISH: return r->phases[NSP_PHASE_DRAW].ms[i] + r->phases[NSP_PHASE_FINISH].ms[i];
    default: return NAN;
    }
}

// Mean over the timed frames of the time from the first draw call until
// glFinish returned (phases draw + finish), NaN without both.
static double draw_to_finish_mean(const nsp_bench_result_t *r) {
    double sum = 0.0;
    size_t n = 0;
    for (size_t i = 0; i < r->frames; i++) {
        double v = nsp_paint_frame_ms(r, NSP_PAINT_DRAW_TO_FINISH, i);
        if (!isnan(v)) {
            sum += v;
            n++;
        }
    }
    return n ? sum / (double)n : NAN;
}

nsp_paint_source_t nsp_paint_source(const nsp_bench_result_t *r) {
    double gpu = phase_mean(r, NSP_PHASE_PAINT_GPU), wall = r->frames ? draw_to_finish_mean(r) : NAN;
    bool software = nsp_render_is_software(r->machine.gl_renderer);
    if (strncmp(r->machine.gl_renderer, "none", 4) == 0) {
        return NSP_PAINT_NONE;  // The null backend paints nothing.
    }
    if (!isnan(gpu) && !software && !(gpu < 0.5 * wall)) {
        return NSP_PAINT_TIMER_QUERY;
    }
    return isnan(wall) ? (isnan(gpu) ? NSP_PAINT_NONE : NSP_PAINT_TIMER_QUERY) : NSP_PAINT_DRAW_TO_FINISH;
}

const char *nsp_paint_source_name(nsp_paint_source_t s) {
    switch (s) {
    case NSP_PAINT_TIMER_QUERY: return "GL timer query";
    case NSP_PAINT_DRAW_TO_FINISH: return "first draw call to glFinish (CPU clock)";
    default: return "none";
    }
}

double nsp_target_value(const nsp_bench_result_t *r, nsp_target_id_t id) {
    switch (id) {
    case NSP_TARGET_CALLBACKS:
        return phase_mean(r, NSP_PHASE_CALLBACKS);
    case NSP_TARGET_PAINT: {
        nsp_paint_source_t s = nsp_paint_source(r);
        return s == NSP_PAINT_TIMER_QUERY ? phase_mean(r, NSP_PHASE_PAINT_GPU)
               : s == NSP_PAINT_DRAW_TO_FINISH ? draw_to_finish_mean(r) : NAN;
    }
    case NSP_TARGET_LATENCY:
        return r->frames ? nsp_bench_summary(r->frame_ms, r->frames).mean : NAN;
    case NSP_TARGET_SKIP_RATE: {
        int64_t slots = r->shown + r->dropped;
        return (r->fps > 0.0 && slots > 0) ? 100.0 * (double)r->dropped / (double)slots : NAN;
    }
    case NSP_TARGET_SETUP:
        return r->setup_s;
    case NSP_TARGET_MEMORY:
        return (r->frames && r->rss_first_kib >= 0 && r->rss_last_kib >= 0)
                   ? (double)(r->rss_last_kib - r->rss_first_kib)
                   : NAN;
    default:
        return NAN;
    }
}

const char *nsp_verdict_mark(nsp_verdict_t v) {
    switch (v) {
    case NSP_VERDICT_PASS: return "✓";
    case NSP_VERDICT_WARN: return "⚠";
    case NSP_VERDICT_FAIL: return "✗";
    default: return "-";
    }
}

const char *nsp_verdict_name(nsp_verdict_t v) {
    switch (v) {
    case NSP_VERDICT_PASS: return "pass";
    case NSP_VERDICT_WARN: return "warn";
    case NSP_VERDICT_FAIL: return "fail";
    default: return "not measured";
    }
}
