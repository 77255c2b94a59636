// Summary statistics for frame timings: what the report prints and what the
// gate compares.
//
// All functions take a sample array that they do not modify (sorting happens
// in a caller-supplied scratch buffer or a copy the caller owns) and never
// allocate. NaN samples are the caller's error: functions that meet one return
// NSP_EINVAL. Percentiles follow numpy's default ("linear"): for sorted x of
// length n and p in [0, 100], h = (n - 1) * p / 100 and the result is
// x[floor(h)] + (h - floor(h)) * (x[floor(h) + 1] - x[floor(h)]).
#ifndef NSP_STATS_H
#define NSP_STATS_H

#include <stddef.h>

typedef struct nsp_summary {
    size_t count;
    double mean;
    double median;
    double p95;
    double min;
    double max;
    double mad;        // Median absolute deviation (unscaled).
    double median_lo;  // 95% confidence interval for the median
    double median_hi;  // (distribution-free, from order statistics).
} nsp_summary_t;

// Sorts n doubles ascending, in place.
void nsp_stats_sort(double *x, size_t n);

// The p-th percentile (0..100) of already sorted x, numpy "linear" method.
// n >= 1 and 0 <= p <= 100 are preconditions (asserted).
double nsp_stats_percentile_sorted(const double *sorted, size_t n, double p);

// The median (the 50th percentile above) of n >= 1 samples (asserted).
// scratch holds n doubles and ends up holding x sorted; it may be x itself,
// which is then sorted in place.
double nsp_stats_median(const double *x, size_t n, double *scratch);

// Arithmetic mean; n >= 1 (asserted).
double nsp_stats_mean(const double *x, size_t n);

// How many samples are strictly greater than threshold.
size_t nsp_stats_count_above(const double *x, size_t n, double threshold);

// Median absolute deviation of already sorted x around its median. scratch
// holds n doubles and is overwritten.
double nsp_stats_mad_sorted(const double *sorted, size_t n, double *scratch);

// Distribution-free 95% confidence interval for the median of sorted x: the
// order statistics x[j], x[k] with j, k from the binomial(n, 1/2) quantiles,
// so P(x[j] <= median <= x[k]) >= 0.95. For n < 6 no such interval exists and
// the full range [x[0], x[n-1]] is returned.
void nsp_stats_median_ci_sorted(const double *sorted, size_t n, double *lo, double *hi);

// Fills out for n samples. scratch holds 2 * n doubles (sorted copy + MAD
// work). Returns 0, or NSP_EINVAL when n == 0 or a sample is NaN.
int nsp_stats_summarize(const double *x, size_t n, double *scratch, nsp_summary_t *out);

#endif
