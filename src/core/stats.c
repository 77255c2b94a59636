#include "stats.h"

#include "error.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

// The confidence interval's one-sided miss probability: 95% two-sided.
#define CI_TAIL 0.025

// Orders doubles ascending. NaN never reaches here from nsp_stats_summarize,
// but a direct caller may pass one; sorting it last keeps the comparison a
// total order, which qsort needs to be well-behaved.
static int compare_doubles(const void *pa, const void *pb) {
    double a = *(const double *)pa;
    double b = *(const double *)pb;
    if (isnan(a) || isnan(b)) {
        return isnan(a) - isnan(b);
    }
    return (a > b) - (a < b);
}

void nsp_stats_sort(double *x, size_t n) {
    // qsort's array argument must be valid even when n is 0, so an empty (and
    // possibly NULL) array is left alone.
    if (n < 2) {
        return;
    }
    qsort(x, n, sizeof x[0], compare_doubles);
}

double nsp_stats_percentile_sorted(const double *sorted, size_t n, double p) {
    assert(sorted != NULL && n >= 1);
    assert(p >= 0.0 && p <= 100.0);
    // (n - 1) * p is exact for the integer p values reports use, so h is the
    // correctly rounded index and p = 50 on an odd n lands exactly on a sample.
    double h = (double)(n - 1) * p / 100.0;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1) {
        return sorted[n - 1];
    }
    double t = h - (double)lo;
    // Returning the sample itself when t is 0 avoids 0 * inf = NaN when the
    // next sample is infinite.
    if (t == 0.0) {
        return sorted[lo];
    }
    return sorted[lo] + t * (sorted[lo + 1] - sorted[lo]);
}

double nsp_stats_mean(const double *x, size_t n) {
    assert(x != NULL && n >= 1);
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
    }
    return sum / (double)n;
}

double nsp_stats_median(const double *x, size_t n, double *scratch) {
    assert(x != NULL && scratch != NULL && n >= 1);
    if (scratch != x) {
        memcpy(scratch, x, n * sizeof *x);
    }
    nsp_stats_sort(scratch, n);
    return nsp_stats_percentile_sorted(scratch, n, 50.0);
}

size_t nsp_stats_count_above(const double *x, size_t n, double threshold) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        count += x[i] > threshold;
    }
    return count;
}

double nsp_stats_mad_sorted(const double *sorted, size_t n, double *scratch) {
    assert(sorted != NULL && scratch != NULL && n >= 1);
    double median = nsp_stats_percentile_sorted(sorted, n, 50.0);
    for (size_t i = 0; i < n; i++) {
        scratch[i] = fabs(sorted[i] - median);
    }
    return nsp_stats_median(scratch, n, scratch);
}

// Binomial(n, 1/2) probability of exactly k successes. lgamma keeps the
// binomial coefficient and 2^-n in range for any n a frame log can have.
static double binom_half_pmf(size_t n, size_t k) {
    double log_pmf = lgamma((double)n + 1.0) - lgamma((double)k + 1.0) -
                     lgamma((double)(n - k) + 1.0) - (double)n * log(2.0);
    return exp(log_pmf);
}

// The number of order statistics cut from each end: the largest c with
// P(B <= c - 1) <= CI_TAIL for B ~ Binomial(n, 1/2), or 0 when even
// P(B = 0) = 2^-n exceeds it (n < 6).
//
// Summing the pmf from k = 0 would take n / 2 terms and underflow 2^-n; the
// sum starts instead at n / 2 - 6 sqrt(n), 12 standard deviations below the
// mean, where Hoeffding's bound exp(-2 t^2 / n) puts the skipped mass under
// exp(-72), far below anything that could move the comparison with 0.025.
// P(B <= k) is a multiple of 2^-n and 0.025 is not, so the exact tail never
// sits on the threshold. The computed one carries a relative error of about
// 1e-15 for n in the hundreds, growing to about 1e-9 at n = 1e6 (lgamma of
// large arguments), so only an n whose tail lies that close to 0.025 could get
// a cut one off.
static size_t ci_cut(size_t n) {
    double mean = (double)n / 2.0;
    double start = floor(mean - 6.0 * sqrt((double)n));
    size_t k = start > 0.0 ? (size_t)start : 0;
    double pmf = binom_half_pmf(n, k);
    double cdf = 0.0;
    // Each step adds P(B = k) and checks P(B <= k) <= CI_TAIL; if so, the
    // k + 1 smallest order statistics can be cut. The median's own rank bounds
    // the loop: P(B <= n / 2) >= 1 / 2.
    while (k <= n / 2) {
        cdf += pmf;
        if (cdf > CI_TAIL) {
            break;
        }
        // P(B = k + 1) = P(B = k) * (n - k) / (k + 1).
        pmf *= (double)(n - k) / (double)(k + 1);
        k++;
    }
    return k;
}

// Interval (order statistics counted from 1): with c = ci_cut(n) >= 1, the
// c-th and (n + 1 - c)-th smallest samples, i.e. 0-based sorted[c - 1] and
// sorted[n - c]. Each misses the median with probability P(B <= c - 1) <=
// 0.025, so the interval covers it with probability 1 - 2 P(B <= c - 1) >=
// 0.95 (n = 10: sorted[1]..sorted[8], 97.9%; n = 100: sorted[39]..sorted[60],
// 96.5%). c = 0 (n < 6) means no pair of order statistics reaches 95%, and the
// full range is returned.
void nsp_stats_median_ci_sorted(const double *sorted, size_t n, double *lo, double *hi) {
    assert(sorted != NULL && n >= 1 && lo != NULL && hi != NULL);
    size_t cut = ci_cut(n);
    if (cut == 0) {
        *lo = sorted[0];
        *hi = sorted[n - 1];
        return;
    }
    *lo = sorted[cut - 1];
    *hi = sorted[n - cut];
}

int nsp_stats_summarize(const double *x, size_t n, double *scratch, nsp_summary_t *out) {
    assert(scratch != NULL && out != NULL);
    if (n == 0) {
        nsp_log(NSP_LOG_ERROR, "stats: no samples to summarize (expected at least 1)");
        return NSP_EINVAL;
    }
    assert(x != NULL);
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            nsp_log(NSP_LOG_ERROR, "stats: sample %zu of %zu is NaN (expected a number)", i, n);
            return NSP_EINVAL;
        }
    }

    double *sorted = scratch;
    memcpy(sorted, x, n * sizeof x[0]);
    nsp_stats_sort(sorted, n);

    nsp_summary_t s;
    s.count = n;
    s.mean = nsp_stats_mean(x, n);
    s.median = nsp_stats_percentile_sorted(sorted, n, 50.0);
    s.p95 = nsp_stats_percentile_sorted(sorted, n, 95.0);
    s.min = sorted[0];
    s.max = sorted[n - 1];
    s.mad = nsp_stats_mad_sorted(sorted, n, scratch + n);
    nsp_stats_median_ci_sorted(sorted, n, &s.median_lo, &s.median_hi);
    *out = s;
    return 0;
}
