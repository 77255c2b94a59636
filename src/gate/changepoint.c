#include "changepoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/prng.h"

// The permutations' PRNG tag ("cpt0"); the stream index is the test's ordinal.
#define PERMUTATION_STREAM 0x63707430u

typedef struct split {
    int tau;   // Points before the split; -1 when the segment is too short.
    double q;
} split_t;

void nsp_changepoint_params_default(nsp_changepoint_params_t *p) {
    p->pvalue = 0.05;
    p->permutations = 199;
    p->min_size = 5;
    p->seed = 1;
    p->higher_is_better = false;
}

const char *nsp_changepoint_direction_name(nsp_changepoint_direction_t d) {
    return d == NSP_CHANGEPOINT_FASTER ? "faster" : "slower";
}

// The split of y[0..len) with the greatest Q, over tau in [min_size,
// len - min_size]. O(len^2): moving the split one point to the right moves
// that point's distances to its left from the cross term into X's term, and
// those to its right from Y's term into the cross term. Ties keep the first.
static split_t best_split(const double *y, int len, int min_size) {
    split_t best = {-1, 0.0};
    if (len < 2 * min_size) {
        return best;
    }
    double within_y = 0.0;
    for (int i = 0; i < len; i++) {
        for (int j = i + 1; j < len; j++) {
            within_y += fabs(y[i] - y[j]);
        }
    }
    double within_x = 0.0, cross = 0.0;
    for (int tau = 1; tau <= len - min_size; tau++) {
        int k = tau - 1;  // The point that moves from Y to X.
        double left = 0.0, right = 0.0;
        for (int i = 0; i < k; i++) {
            left += fabs(y[k] - y[i]);
        }
        for (int j = k + 1; j < len; j++) {
            right += fabs(y[k] - y[j]);
        }
        within_x += left;
        within_y -= right;
        cross += right - left;
        if (tau < min_size) {
            continue;
        }
        double n = tau, m = len - tau;
        double e = 2.0 * cross / (n * m) - 2.0 * within_x / (n * (n - 1.0)) - 2.0 * within_y / (m * (m - 1.0));
        double q = n * m / (n + m) * e;
        if (best.tau < 0 || q > best.q) {
            best.tau = tau;
            best.q = q;
        }
    }
    return best;
}

static void shuffle(double *y, int len, nsp_rng_t *rng) {
    for (int i = len - 1; i > 0; i--) {
        int j = (int)nsp_rng_bounded(rng, (uint32_t)i + 1u);
        double t = y[i];
        y[i] = y[j];
        y[j] = t;
    }
}

// The permutation test of a candidate with statistic q, the series cut at
// the sorted boundaries bounds[0..n_bounds) (0, the changes so far, n).
// Returns the p-value; stops early, returning a value above pvalue, once
// that is certain.
static double permutation_pvalue(const double *x, double *work, const int *bounds, int n_bounds, double q,
                                 const nsp_changepoint_params_t *p, uint64_t test) {
    int n = bounds[n_bounds - 1];
    memcpy(work, x, (size_t)n * sizeof *work);
    nsp_rng_t rng = nsp_rng_derive(p->seed, PERMUTATION_STREAM, test);
    // Significant iff (1 + count) / (R + 1) <= pvalue.
    double limit = p->pvalue * (p->permutations + 1);
    int count = 0;
    for (int r = 0; r < p->permutations; r++) {
        double q_max = -INFINITY;
        for (int s = 0; s + 1 < n_bounds; s++) {
            int a = bounds[s], len = bounds[s + 1] - a;
            if (len < 2 * p->min_size) {
                continue;
            }
            shuffle(work + a, len, &rng);
            split_t sp = best_split(work + a, len, p->min_size);
            if (sp.q > q_max) {
                q_max = sp.q;
            }
        }
        if (q_max >= q) {
            count++;
            if (count + 1 > limit) {
                break;
            }
        }
    }
    return (count + 1.0) / (p->permutations + 1.0);
}

static double mean(const double *x, int a, int b) {
    double s = 0.0;
    for (int i = a; i < b; i++) {
        s += x[i];
    }
    return s / (b - a);
}

static int by_index(const void *a, const void *b) {
    const nsp_changepoint_t *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

int nsp_changepoints(const double *x, int n, const char *const *labels, const nsp_changepoint_params_t *params,
                     nsp_changepoint_t *out, int cap, int *n_out) {
    *n_out = 0;
    if (!(params->pvalue > 0.0 && params->pvalue < 1.0) || params->permutations < 1 || params->min_size < 2 ||
        n < 0 || cap < 0) {
        nsp_log(NSP_LOG_ERROR, "change points: parameters out of range (pvalue %g, permutations %d, min_size %d)",
                params->pvalue, params->permutations, params->min_size);
        return NSP_EINVAL;
    }
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            nsp_log(NSP_LOG_ERROR, "change points: value %d of the series is %g, expected a finite number", i, x[i]);
            return NSP_EINVAL;
        }
    }
    if (n < 2 * params->min_size) {
        return 0;
    }
    // Boundaries of the current segments (0, changes in index order, n) and
    // each segment's best split, computed once per segment.
    int max_bounds = n / params->min_size + 2;
    int *bounds = malloc((size_t)max_bounds * sizeof *bounds);
    split_t *best = malloc((size_t)max_bounds * sizeof *best);
    double *work = malloc((size_t)n * sizeof *work);
    if (!bounds || !best || !work) {
        free(bounds);
        free(best);
        free(work);
        return NSP_ENOMEM;
    }
    bounds[0] = 0;
    bounds[1] = n;
    int n_bounds = 2;
    best[0] = best_split(x, n, params->min_size);
    int rc = 0, found = 0;
    for (uint64_t test = 0;; test++) {
        int seg = -1;
        for (int s = 0; s + 1 < n_bounds; s++) {
            if (best[s].tau >= 0 && (seg < 0 || best[s].q > best[seg].q)) {
                seg = s;
            }
        }
        if (seg < 0) {
            break;  // No segment is long enough to split.
        }
        double q = best[seg].q;
        double pv = permutation_pvalue(x, work, bounds, n_bounds, q, params, test);
        if (pv > params->pvalue) {
            break;
        }
        if (found == cap) {
            rc = NSP_ENOSPC;
            break;
        }
        int index = bounds[seg] + best[seg].tau;
        out[found] = (nsp_changepoint_t){.index = index, .q = q, .pvalue = pv, .order = found};
        found++;
        // Split segment seg at index: shift the later boundaries right.
        for (int s = n_bounds; s > seg + 1; s--) {
            bounds[s] = bounds[s - 1];
            best[s] = best[s - 1];
        }
        bounds[seg + 1] = index;
        n_bounds++;
        best[seg] = best_split(x + bounds[seg], index - bounds[seg], params->min_size);
        best[seg + 1] = best_split(x + index, bounds[seg + 2] - index, params->min_size);
    }
    if (found > 1) {
        qsort(out, (size_t)found, sizeof *out, by_index);
    }
    // Sizes from the final segmentation: each change's neighbouring segments.
    for (int k = 0; k < found; k++) {
        nsp_changepoint_t *c = &out[k];
        int a = k > 0 ? out[k - 1].index : 0;
        int b = k + 1 < found ? out[k + 1].index : n;
        c->mean_before = mean(x, a, c->index);
        c->mean_after = mean(x, c->index, b);
        double diff = c->mean_after - c->mean_before;
        if (c->mean_before != 0.0) {
            c->size = diff / fabs(c->mean_before);
        } else {
            c->size = diff > 0.0 ? INFINITY : diff < 0.0 ? -INFINITY : 0.0;
        }
        bool higher = diff > 0.0;
        c->direction = higher != params->higher_is_better ? NSP_CHANGEPOINT_SLOWER : NSP_CHANGEPOINT_FASTER;
        c->label_before = labels ? labels[c->index - 1] : NULL;
        c->label_after = labels ? labels[c->index] : NULL;
    }
    *n_out = found;
    free(bounds);
    free(best);
    free(work);
    return rc;
}
