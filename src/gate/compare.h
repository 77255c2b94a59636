// The statistical decision of the gate's timing tier: is the current build
// slower than the baseline, by more than noise, with confidence?
//
// Inputs are per-repetition values of one metric (each repetition a fresh
// process: its median frame time, say): the baseline's and the current
// build's. The change is the ratio of their medians minus one. Its 95%
// confidence interval comes from a percentile bootstrap (resampling both
// sides, a fixed number of resamples, seeded: the same samples give the same
// interval on every machine). The threshold is k times the baseline's
// relative noise (1.4826 * MAD / median, the robust standard deviation),
// never below a floor (5%).
//
//   regression    the whole interval lies above +threshold;
//   improvement   the whole interval lies below -threshold;
//   inconclusive  the point estimate is beyond +threshold but the interval
//                 reaches below it; or the interval reaches above +threshold
//                 and the current samples are much noisier than the
//                 baseline's (the machine is too busy to vouch for a pass);
//   pass          otherwise.
#ifndef NSP_GATE_COMPARE_H
#define NSP_GATE_COMPARE_H

#include <stddef.h>
#include <stdint.h>

typedef enum nsp_change_verdict {
    NSP_CHANGE_PASS,
    NSP_CHANGE_IMPROVEMENT,
    NSP_CHANGE_INCONCLUSIVE,
    NSP_CHANGE_REGRESSION,
} nsp_change_verdict_t;

typedef struct nsp_compare_params {
    double k;                  // Threshold in units of the baseline's relative noise (default 4).
    double min_threshold;      // Floor of the threshold, relative (default 0.05).
    double max_noise_ratio;    // Current noise over baseline noise above which: inconclusive (default 3).
    int resamples;             // Bootstrap resamples (default 2000).
    uint64_t seed;             // Bootstrap PRNG seed (default 1).
} nsp_compare_params_t;

typedef struct nsp_comparison {
    double baseline_median, current_median;
    double change;             // current / baseline - 1.
    double ci_lo, ci_hi;       // 95% interval of change.
    double threshold;          // Relative, >= min_threshold.
    double baseline_noise, current_noise;   // Relative robust SD of each side.
    nsp_change_verdict_t verdict;
    const char *reason;        // Static text saying why (for the report).
} nsp_comparison_t;

// Fills params with the defaults above.
void nsp_compare_params_default(nsp_compare_params_t *p);

// The relative robust noise of n samples: 1.4826 * MAD / median (0 if the
// median is 0). scratch holds 2 * n doubles.
double nsp_relative_noise(const double *x, size_t n, double *scratch);

// Compares current (nc samples) with baseline (nb samples); both >= 3, no NaN.
// Returns 0, NSP_EINVAL (too few samples, NaN, non-positive median) or
// NSP_ENOMEM.
int nsp_compare(const double *baseline, size_t nb, const double *current, size_t nc,
                const nsp_compare_params_t *params, nsp_comparison_t *out);

const char *nsp_change_verdict_name(nsp_change_verdict_t v);

#endif
