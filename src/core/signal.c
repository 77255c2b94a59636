// Butterworth low-pass design and forward-backward filtering, following
// scipy.signal.butter / lfilter / lfilter_zi / filtfilt step for step so that
// results agree with scipy to rounding.
#include "signal.h"

#include "error.h"

#include <assert.h>
#include <math.h>

// M_PI is POSIX XSI, not C11, and this project builds with _POSIX_C_SOURCE only.
#define PI 3.14159265358979323846

// Normalised analog Butterworth denominators D(s) = sum c[k] s^k, cutoff
// 1 rad/s: s + 1, s^2 + sqrt(2) s + 1, (s + 1)(s^2 + s + 1).
static const double prototype[NSP_BUTTER_MAX_ORDER + 1][NSP_BUTTER_MAX_ORDER + 1] = {
    {0.0, 0.0, 0.0, 0.0},
    {1.0, 1.0, 0.0, 0.0},
    {1.0, 1.41421356237309504880, 1.0, 0.0},
    {1.0, 2.0, 2.0, 1.0},
};

// Multiplies polynomial p (in q = z^-1, p[0] first, degree deg) by (1 + sign q).
static void mul_linear(double *p, int deg, double sign) {
    for (int i = deg + 1; i > 0; i--) {
        p[i] += sign * p[i - 1];
    }
}

int nsp_butter_lowpass(int order, double wn, nsp_iir_t *out) {
    assert(out != NULL);
    if (order < 1 || order > NSP_BUTTER_MAX_ORDER) {
        nsp_log(NSP_LOG_ERROR, "butter: order %d out of range, expected 1..%d", order,
                NSP_BUTTER_MAX_ORDER);
        return NSP_EINVAL;
    }
    if (!(wn > 0.0 && wn < 1.0)) {
        nsp_log(NSP_LOG_ERROR,
                "butter: cutoff wn %g out of range, expected 0 < wn < 1 (fraction of Nyquist)", wn);
        return NSP_EINVAL;
    }
    // Prewarping: the analog cutoff that the bilinear transform maps onto wn.
    // With s -> (1/k)(1 - q)/(1 + q), multiplying H(s) = 1/D(s) through by
    // k^N (1 + q)^N gives b = k^N (1 + q)^N and
    // a = sum_j c[j] k^(N-j) (1 - q)^j (1 + q)^(N-j).
    const double k = tan(PI * wn / 2.0);
    const int n = order;
    double b[NSP_BUTTER_MAX_ORDER + 1] = {1.0};
    double a[NSP_BUTTER_MAX_ORDER + 1] = {0.0};
    for (int i = 0; i < n; i++) {
        mul_linear(b, i, 1.0);
    }
    double k_pow_n = 1.0;
    for (int i = 0; i < n; i++) {
        k_pow_n *= k;
    }
    for (int j = 0; j <= n; j++) {
        double term[NSP_BUTTER_MAX_ORDER + 1] = {1.0};
        for (int i = 0; i < j; i++) {
            mul_linear(term, i, -1.0);
        }
        for (int i = j; i < n; i++) {
            mul_linear(term, i, 1.0);
        }
        double scale = prototype[n][j];
        for (int i = 0; i < n - j; i++) {
            scale *= k;
        }
        for (int i = 0; i <= n; i++) {
            a[i] += scale * term[i];
        }
    }
    out->order = n;
    for (int i = 0; i <= NSP_BUTTER_MAX_ORDER; i++) {
        out->b[i] = i <= n ? k_pow_n * b[i] / a[0] : 0.0;
        out->a[i] = i <= n ? a[i] / a[0] : 0.0;
    }
    out->a[0] = 1.0;
    return NSP_OK;
}

static size_t padlen_of(const nsp_iir_t *f) {
    return 3u * (size_t)(f->order + 1);
}

size_t nsp_filtfilt_scratch(const nsp_iir_t *f, size_t n) {
    return n + 2u * padlen_of(f);
}

// scipy.signal.lfilter_zi: the state of the transposed direct form II filter
// after a constant input of 1 has run forever, so that the output is the DC
// gain g from the first sample. From y = b0 x + z0,
// z[i] = b[i+1] x - a[i+1] y + z[i+1] and z[N-1] = b[N] x - a[N] y.
static void steady_state(const nsp_iir_t *f, double zi[NSP_BUTTER_MAX_ORDER]) {
    const int n = f->order;
    double sum_b = 0.0;
    double sum_a = 0.0;
    for (int i = 0; i <= n; i++) {
        sum_b += f->b[i];
        sum_a += f->a[i];
    }
    const double gain = sum_b / sum_a;
    double acc = 0.0;
    for (int i = n - 1; i >= 0; i--) {
        acc += f->b[i + 1] - f->a[i + 1] * gain;
        zi[i] = acc;
    }
}

// scipy.signal.lfilter in place over buf[0..len), transposed direct form II,
// starting from state zi * x0 where x0 is buf's first sample.
static void lfilter_inplace(const nsp_iir_t *f, const double zi[NSP_BUTTER_MAX_ORDER],
                            double *buf, size_t len) {
    const int n = f->order;
    double z[NSP_BUTTER_MAX_ORDER];
    for (int i = 0; i < n; i++) {
        z[i] = zi[i] * buf[0];
    }
    for (size_t t = 0; t < len; t++) {
        const double x = buf[t];
        const double y = f->b[0] * x + z[0];
        for (int i = 0; i < n - 1; i++) {
            z[i] = f->b[i + 1] * x - f->a[i + 1] * y + z[i + 1];
        }
        z[n - 1] = f->b[n] * x - f->a[n] * y;
        buf[t] = y;
    }
}

static void reverse(double *buf, size_t len) {
    for (size_t i = 0, j = len - 1; i < j; i++, j--) {
        double tmp = buf[i];
        buf[i] = buf[j];
        buf[j] = tmp;
    }
}

int nsp_filtfilt(const nsp_iir_t *f, const double *x, double *y, size_t n, double *scratch) {
    assert(f != NULL && x != NULL && y != NULL && scratch != NULL);
    if (f->order < 1 || f->order > NSP_BUTTER_MAX_ORDER) {
        nsp_log(NSP_LOG_ERROR, "filtfilt: filter order %d out of range, expected 1..%d",
                f->order, NSP_BUTTER_MAX_ORDER);
        return NSP_EINVAL;
    }
    const size_t pad = padlen_of(f);
    if (n <= pad) {
        nsp_log(NSP_LOG_ERROR,
                "filtfilt: signal length n %zu too short, expected n > %zu (3 * (order + 1))", n,
                pad);
        return NSP_EINVAL;
    }
    // Odd extension: the signal reflected through its end points, so a
    // linear trend continues across each edge (scipy's odd_ext).
    double *ext = scratch;
    const size_t len = n + 2u * pad;
    for (size_t i = 0; i < pad; i++) {
        ext[i] = 2.0 * x[0] - x[pad - i];
        ext[pad + n + i] = 2.0 * x[n - 1] - x[n - 2 - i];
    }
    for (size_t i = 0; i < n; i++) {
        ext[pad + i] = x[i];
    }
    double zi[NSP_BUTTER_MAX_ORDER];
    steady_state(f, zi);
    lfilter_inplace(f, zi, ext, len);
    reverse(ext, len);
    lfilter_inplace(f, zi, ext, len);
    reverse(ext, len);
    for (size_t i = 0; i < n; i++) {
        y[i] = ext[pad + i];
    }
    return NSP_OK;
}
