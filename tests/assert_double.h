// Test helper: assertions on doubles that print the values they compared.
// cmocka 1.1 has only assert_float_equal, which converts to float, and
// assert_true(a < b), which prints the expression but not the values.
// Include after <cmocka.h>. A NaN fails every one of them except assert_nan.
#ifndef NSP_TEST_ASSERT_DOUBLE_H
#define NSP_TEST_ASSERT_DOUBLE_H

#include <math.h>
#include <stddef.h>

// |got - want| <= tol.
#define assert_near(got, want, tol) assert_near_at((got), (want), (tol), __FILE__, __LINE__)
// got == want exactly (both printed to full precision).
#define assert_double_equal(got, want) assert_near_at((got), (want), 0.0, __FILE__, __LINE__)
// lo <= v <= hi.
#define assert_double_in_range(v, lo, hi) assert_in_range_at((v), (lo), (hi), #v, __FILE__, __LINE__)
// a < b.
#define assert_double_less(a, b) assert_less_at((a), (b), #a, #b, __FILE__, __LINE__)
// v is a NaN.
#define assert_nan(v) assert_nan_at((v), #v, __FILE__, __LINE__)
// |got[i] - want[i]| <= tol for i in [0, n).
#define assert_all_near(got, want, n, tol) assert_all_near_at((got), (want), 0.0, (n), (tol), __FILE__, __LINE__)
// |got[i] - value| <= tol for i in [0, n).
#define assert_all_near_value(got, value, n, tol)                                                                     \
    assert_all_near_at((got), NULL, (value), (n), (tol), __FILE__, __LINE__)

static inline void assert_near_at(double got, double want, double tol, const char *file, int line) {
    if (!(fabs(got - want) <= tol)) {
        print_error("got %.17g, want %.17g (tolerance %g, off by %g)\n", got, want, tol, fabs(got - want));
        _fail(file, line);
    }
}

// Compares with want[i], or with value where want is NULL; names the first
// element that differs.
static inline void assert_all_near_at(const double *got, const double *want, double value, size_t n, double tol,
                                      const char *file, int line) {
    for (size_t i = 0; i < n; i++) {
        double w = want ? want[i] : value;
        if (!(fabs(got[i] - w) <= tol)) {
            print_error("element %zu: got %.17g, want %.17g (tolerance %g, off by %g)\n", i, got[i], w, tol,
                        fabs(got[i] - w));
            _fail(file, line);
        }
    }
}

static inline void assert_in_range_at(double v, double lo, double hi, const char *what, const char *file,
                                      int line) {
    if (!(v >= lo && v <= hi)) {
        print_error("%s is %.17g, not in [%.17g, %.17g]\n", what, v, lo, hi);
        _fail(file, line);
    }
}

static inline void assert_less_at(double a, double b, const char *a_text, const char *b_text, const char *file,
                                  int line) {
    if (!(a < b)) {
        print_error("%s (%.17g) is not less than %s (%.17g)\n", a_text, a, b_text, b);
        _fail(file, line);
    }
}

static inline void assert_nan_at(double v, const char *what, const char *file, int line) {
    if (!isnan(v)) {
        print_error("%s is %.17g, not NaN\n", what, v);
        _fail(file, line);
    }
}

#endif
