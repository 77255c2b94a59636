#include "targets.h"

#include <math.h>

// Memory "no growth": page-granular noise of a few pages is not growth.
#define MEMORY_NOISE_KIB 256.0

const nsp_target_t nsp_targets[NSP_TARGET_COUNT] = {
    [NSP_TARGET_CALLBACKS] = {"callbacks_total_ms", "per-frame callback total (mean)", "ms", 5.0, 10.0},
    [NSP_TARGET_PAINT] = {"paint_gpu_ms", "canvas paint time, GPU (mean)", "ms", 10.0, 15.0},
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

double nsp_target_value(const nsp_bench_result_t *r, nsp_target_id_t id) {
    switch (id) {
    case NSP_TARGET_CALLBACKS:
        return phase_mean(r, NSP_PHASE_CALLBACKS);
    case NSP_TARGET_PAINT:
        return phase_mean(r, NSP_PHASE_PAINT_GPU);
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
