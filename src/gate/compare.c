#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/prng.h"
#include "core/stats.h"

// Consistency constant: 1.4826 * MAD estimates the standard deviation of
// normally distributed samples.
#define MAD_TO_SD 1.4826

void nsp_compare_params_default(nsp_compare_params_t *p) {
    *p = (nsp_compare_params_t){.k = 4.0, .min_threshold = 0.05, .max_noise_ratio = 3.0, .resamples = 2000,
                                .seed = 1};
}

double nsp_relative_noise(const double *x, size_t n, double *scratch) {
    double med = nsp_stats_median(x, n, scratch);
    double mad = nsp_stats_mad_sorted(scratch, n, scratch + n);
    return med != 0.0 ? MAD_TO_SD * mad / fabs(med) : 0.0;
}

static int valid(const double *x, size_t n) {
    if (n < 3) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            return 0;
        }
    }
    return 1;
}

int nsp_compare(const double *baseline, size_t nb, const double *current, size_t nc,
                const nsp_compare_params_t *params, nsp_comparison_t *out) {
    if (!valid(baseline, nb) || !valid(current, nc)) {
        nsp_log(NSP_LOG_ERROR, "comparison needs at least 3 samples a side and no NaN (got %zu and %zu)", nb, nc);
        return NSP_EINVAL;
    }
    size_t nmax = nb > nc ? nb : nc;
    int resamples = params->resamples > 0 ? params->resamples : 2000;
    double *scratch = malloc((4 * nmax + (size_t)resamples) * sizeof *scratch);
    if (!scratch) {
        return NSP_ENOMEM;
    }
    double *draw = scratch + 2 * nmax, *changes = scratch + 3 * nmax;
    memset(out, 0, sizeof *out);
    out->baseline_median = nsp_stats_median(baseline, nb, scratch);
    out->current_median = nsp_stats_median(current, nc, scratch);
    if (!(out->baseline_median > 0.0) || !(out->current_median > 0.0)) {
        free(scratch);
        nsp_log(NSP_LOG_ERROR, "comparison needs positive medians (got %g and %g)", out->baseline_median,
                out->current_median);
        return NSP_EINVAL;
    }
    out->change = out->current_median / out->baseline_median - 1.0;
    out->baseline_noise = nsp_relative_noise(baseline, nb, scratch);
    out->current_noise = nsp_relative_noise(current, nc, scratch);

    // Percentile bootstrap of the ratio of medians, resampling each side.
    nsp_rng_t rng = nsp_rng_derive(params->seed, 0x6a7e, 0);
    for (int b = 0; b < resamples; b++) {
        for (size_t i = 0; i < nb; i++) {
            draw[i] = baseline[nsp_rng_bounded(&rng, (uint32_t)nb)];
        }
        double mb = nsp_stats_median(draw, nb, scratch);
        for (size_t i = 0; i < nc; i++) {
            draw[i] = current[nsp_rng_bounded(&rng, (uint32_t)nc)];
        }
        double mc = nsp_stats_median(draw, nc, scratch);
        changes[b] = mc / mb - 1.0;
    }
    nsp_stats_sort(changes, (size_t)resamples);
    out->ci_lo = nsp_stats_percentile_sorted(changes, (size_t)resamples, 2.5);
    out->ci_hi = nsp_stats_percentile_sorted(changes, (size_t)resamples, 97.5);
    free(scratch);

    double thr = params->k * out->baseline_noise;
    out->threshold = thr > params->min_threshold ? thr : params->min_threshold;
    // A clear answer stands whatever the noise (a regression is re-run for
    // confirmation anyway); noise only stops a pass that cannot be vouched for.
    double noise_floor = out->baseline_noise > 0.01 ? out->baseline_noise : 0.01;
    if (out->ci_lo > out->threshold) {
        out->verdict = NSP_CHANGE_REGRESSION;
        out->reason = "the whole confidence interval lies above the threshold";
    } else if (out->ci_hi < -out->threshold) {
        out->verdict = NSP_CHANGE_IMPROVEMENT;
        out->reason = "the whole confidence interval lies below minus the threshold";
    } else if (out->change > out->threshold) {
        out->verdict = NSP_CHANGE_INCONCLUSIVE;
        out->reason = "slower than the threshold, but the interval reaches below it";
    } else if (out->current_noise > params->max_noise_ratio * noise_floor && out->ci_hi > out->threshold) {
        out->verdict = NSP_CHANGE_INCONCLUSIVE;
        out->reason = "current samples much noisier than the baseline's: machine too busy to decide";
    } else {
        out->verdict = NSP_CHANGE_PASS;
        out->reason = "within the threshold";
    }
    return 0;
}

const char *nsp_change_verdict_name(nsp_change_verdict_t v) {
    switch (v) {
    case NSP_CHANGE_PASS: return "pass";
    case NSP_CHANGE_IMPROVEMENT: return "improvement";
    case NSP_CHANGE_INCONCLUSIVE: return "inconclusive";
    case NSP_CHANGE_REGRESSION: return "regression";
    }
    return "?";
}
