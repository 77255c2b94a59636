// Change points in a performance history: where did a metric's level move
// from one night to the next, and by how much?
//
// Algorithm: E-divisive, as MongoDB's signal-processing-algorithms runs it
// on its nightly performance data ("E-divisive means"; Daly et al., ICPE
// 2020), after Matteson & James, "A nonparametric approach for multiple
// change point analysis of multivariate data", JASA 2014:
//
//   1. For a segment and each split tau, the energy statistic with alpha = 1
//      between the points before (X, n of them) and after (Y, m):
//        E = 2/(n m) sum|x - y| - sum_{i<k}|x_i - x_k| / C(n,2)
//                               - sum_{j<k}|y_j - y_k| / C(m,2)
//      scaled to Q = n m / (n + m) * E. The candidate is the split of
//      greatest Q over every current segment (n, m >= min_size).
//   2. Significance by a permutation test: the points of each current
//      segment are shuffled within it, the greatest Q recomputed, 199 times;
//      p = (1 + #{Q_perm >= Q}) / (199 + 1). Below or at 0.05 the candidate is
//      a change point, the segment is split and step 1 repeats; otherwise the
//      search stops (recursive binary segmentation).
//
// Two deliberate departures from MongoDB's code: splits leave at least
// min_size points on each side (as Matteson & James's ecp package does;
// MongoDB's considers every split, so one outlier at an end can be a
// "segment"); and p counts the observed arrangement as one of the
// permutations, as Matteson & James define it (MongoDB divides the count of
// permutations at least as extreme by R + 1 alone).
//
// Parameters (nsp_changepoint_params_default): p = 0.05, 199 permutations,
// minimum segment 5 points, seed 1. The permutations come from a PCG32 stream
// (core/prng.h) derived from the seed and the test's ordinal, and every sum
// runs in a fixed order, so the same series gives the same change points on
// every run and machine; nothing reads the clock or calls rand(). A test
// stops drawing permutations once the candidate can no longer be
// significant (the decision is the same as with all 199).
//
// Why E-divisive rather than Otava's (hunter's) windowed t-test: nightly
// timings on a shared VM are skewed and carry outliers (a night when another
// tenant was busy). The energy statistic with alpha = 1 works on absolute
// differences, not squares, so one outlier moves it by its distance, not its
// square, and the permutation test assumes no distribution, only that points
// of a segment without a change are exchangeable: its false-alarm rate is the
// stated 5% per series whatever the noise looks like. A t-test assumes
// normal noise; an outlier inflates its variance (hiding real steps) or its
// mean (inventing them). Windowing exists to bound the cost on series of
// thousands of points; one run a night reaches a thousand in three years, and
// the cost here is O(R n^2) per test: tens of milliseconds for a year of
// nights, and a test on a series without a change usually stops early.
//
// Caveats. 5% per series adds up over many: of 200 steady series about ten
// show a change, typically of 2-3% (tests/test_changepoint.c measures the
// rate); a smaller pvalue or a floor on the size (nsplay history changes
// --pvalue, --min-change) trades sensitivity for quiet. And the statistic
// responds to any change of distribution, so a jump in spread alone can be
// reported, with a size near zero.
#ifndef NSP_GATE_CHANGEPOINT_H
#define NSP_GATE_CHANGEPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nsp_changepoint_params {
    double pvalue;          // Significance level of each test (default 0.05), in (0, 1).
    int permutations;       // Permutations per test (default 199), >= 1.
    int min_size;           // Fewest points in a segment (default 5), >= 2.
    uint64_t seed;          // Seed of the permutations' PRNG (default 1).
    bool higher_is_better;  // Direction: false (times) makes an increase "slower".
} nsp_changepoint_params_t;

typedef enum nsp_changepoint_direction {
    NSP_CHANGEPOINT_SLOWER,
    NSP_CHANGEPOINT_FASTER,
} nsp_changepoint_direction_t;

typedef struct nsp_changepoint {
    int index;               // First point after the change: x[index - 1] is before it, x[index] after.
    const char *label_before;  // labels[index - 1] and labels[index] (commits), or NULL without labels.
    const char *label_after;
    double mean_before;      // Mean of the segment that ends at index (between the neighbouring changes).
    double mean_after;       // Mean of the segment that starts at index.
    double size;             // mean_after / mean_before - 1 (relative; 0.1 = 10% higher).
    nsp_changepoint_direction_t direction;
    double q;                // The energy statistic Q of the split when it was found.
    double pvalue;           // Its permutation p-value.
    int order;               // 0 for the first change found (the strongest), 1 for the next, ...
} nsp_changepoint_t;

// Fills p with the defaults above.
void nsp_changepoint_params_default(nsp_changepoint_params_t *p);

// Finds the change points of x[0..n) (in series order). labels (n strings,
// may be NULL) name the points; each change borrows the two around it.
// Writes at most cap changes into out, sorted by index, and their number to
// *n_out; n / min_size entries always suffice. Fewer than 2 * min_size points
// have no change point (0, *n_out = 0). Returns 0, NSP_EINVAL (a NaN or
// infinite value, or parameters out of range), NSP_ENOSPC (more changes than
// cap: the first cap found are kept), or NSP_ENOMEM.
int nsp_changepoints(const double *x, int n, const char *const *labels, const nsp_changepoint_params_t *params,
                     nsp_changepoint_t *out, int cap, int *n_out);

// "slower" or "faster".
const char *nsp_changepoint_direction_name(nsp_changepoint_direction_t d);

#endif
