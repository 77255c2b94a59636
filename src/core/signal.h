// Signal processing for the synthetic LFP: a Butterworth low-pass designed by
// the bilinear transform and zero-phase forward-backward filtering.
//
// Matches scipy.signal.butter(order, wn) coefficients for order 1..3 and the
// behaviour of scipy.signal.filtfilt with its default odd padding
// (padlen = 3 * max(len(a), len(b))) and lfilter_zi initial conditions.
#ifndef NSP_SIGNAL_H
#define NSP_SIGNAL_H

#include <stddef.h>

#define NSP_BUTTER_MAX_ORDER 3

typedef struct nsp_iir {
    int order;                          // 1..NSP_BUTTER_MAX_ORDER
    double b[NSP_BUTTER_MAX_ORDER + 1]; // Numerator, b[0] first.
    double a[NSP_BUTTER_MAX_ORDER + 1]; // Denominator, a[0] == 1.
} nsp_iir_t;

// Designs a digital Butterworth low-pass of the given order (1..3) with
// cutoff wn as a fraction of Nyquist, 0 < wn < 1. NSP_EINVAL otherwise.
int nsp_butter_lowpass(int order, double wn, nsp_iir_t *out);

// Zero-phase filtering of x (n samples) into y (n samples; may equal x).
// scratch holds n + 2 * padlen doubles, padlen = 3 * (order + 1) (see
// nsp_filtfilt_scratch()), and must not overlap x or y. n must exceed padlen,
// and f->order must be 1..NSP_BUTTER_MAX_ORDER (NSP_EINVAL otherwise).
int nsp_filtfilt(const nsp_iir_t *f, const double *x, double *y, size_t n, double *scratch);

// Doubles of scratch nsp_filtfilt() needs for n samples.
size_t nsp_filtfilt_scratch(const nsp_iir_t *f, size_t n);

#endif
