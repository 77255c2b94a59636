// PCG32 against the reference implementation's published outputs, and the
// deviates built on it.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/prng.h"

#include "assert_double.h"

// pcg32-demo (pcg-c-basic), seed 42, sequence 54, round 1.
static void test_reference_outputs(void **state) {
    (void)state;
    static const uint32_t expected[6] = {0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e};
    nsp_rng_t rng;
    nsp_rng_seed(&rng, 42u, 54u);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(nsp_rng_u32(&rng), expected[i]);
    }
}

// The same demo continues with 65 coin flips (boundedrand(2)) and 33 dice
// (boundedrand(6) + 1): this pins the unbiased bounded draw.
static void test_reference_bounded(void **state) {
    (void)state;
    static const char coins[] = "HHTTTHTHHHTHTTTHHHHHTTTHHHTHTHTHTTHTTTHHHHHHTTTTHHTTTTTHTTTTTTTHT";
    static const int rolls[33] = {3, 4, 1, 1, 2, 2, 3, 2, 4, 3, 2, 4, 3, 3, 5, 2, 3,
                                  1, 3, 1, 5, 1, 4, 1, 5, 6, 4, 6, 6, 2, 6, 3, 3};
    nsp_rng_t rng;
    nsp_rng_seed(&rng, 42u, 54u);
    for (int i = 0; i < 6; i++) {
        nsp_rng_u32(&rng);
    }
    for (int i = 0; i < 65; i++) {
        assert_int_equal(nsp_rng_bounded(&rng, 2) ? 'H' : 'T', coins[i]);
    }
    for (int i = 0; i < 33; i++) {
        assert_int_equal((int)nsp_rng_bounded(&rng, 6) + 1, rolls[i]);
    }
}

static void test_uniform_range_and_mean(void **state) {
    (void)state;
    nsp_rng_t rng = nsp_rng_derive(42, 1, 0);
    double sum = 0.0, lo = 1.0, hi = 0.0;
    enum { N = 200000 };
    for (int i = 0; i < N; i++) {
        double u = nsp_rng_uniform(&rng);
        assert_double_in_range(u, 0.0, 1.0);
        assert_double_less(u, 1.0);
        sum += u;
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
    }
    // Mean of U(0,1) is 0.5 with standard error 1/sqrt(12 N) ~ 0.00065: allow 5 SE.
    assert_near(sum / N, 0.5, 0.0033);
    assert_double_less(lo, 1e-4);
    assert_double_less(1.0 - 1e-4, hi);
}

static void test_normal_moments(void **state) {
    (void)state;
    nsp_rng_t rng = nsp_rng_derive(7, 2, 0);
    enum { N = 200000 };
    double sum = 0.0, sum2 = 0.0;
    int beyond2 = 0;
    for (int i = 0; i < N; i++) {
        double z = nsp_rng_normal(&rng, 3.0, 2.0);
        sum += z;
        sum2 += (z - 3.0) * (z - 3.0);
        beyond2 += fabs(z - 3.0) > 4.0;
    }
    // Mean 3 (SE 2/sqrt(N) = 0.0045), variance 4 (SE ~ 4 sqrt(2/N) = 0.0126).
    assert_near(sum / N, 3.0, 0.025);
    assert_near(sum2 / N, 4.0, 0.07);
    // P(|Z| > 2) = 0.0455; N * p = 9100, SD ~ 93.
    assert_in_range(beyond2, 8650, 9550);
}

static void test_derive_is_deterministic_and_distinct(void **state) {
    (void)state;
    nsp_rng_t a = nsp_rng_derive(42, 9, 100), b = nsp_rng_derive(42, 9, 100);
    nsp_rng_t c = nsp_rng_derive(42, 9, 101), d = nsp_rng_derive(43, 9, 100), e = nsp_rng_derive(42, 8, 100);
    uint32_t va = nsp_rng_u32(&a);
    assert_int_equal(va, nsp_rng_u32(&b));
    assert_int_not_equal(va, nsp_rng_u32(&c));
    assert_int_not_equal(va, nsp_rng_u32(&d));
    assert_int_not_equal(va, nsp_rng_u32(&e));
}

static void test_bounded_is_uniform(void **state) {
    (void)state;
    nsp_rng_t rng = nsp_rng_derive(1, 1, 1);
    int counts[150] = {0};
    enum { N = 150000 };
    for (int i = 0; i < N; i++) {
        uint32_t v = nsp_rng_bounded(&rng, 150);
        assert_in_range(v, 0, 149);
        counts[v]++;
    }
    // Expected 1000 each, SD ~31.6: every bin within 6 SD.
    for (int i = 0; i < 150; i++) {
        assert_in_range(counts[i], 810, 1190);
    }
    assert_int_equal(nsp_rng_bounded(&rng, 1), 0);
}

static void test_fill_u8_range_and_uniformity(void **state) {
    (void)state;
    nsp_rng_t rng = nsp_rng_derive(3, 3, 3);
    enum { N = 150000 };
    static uint8_t buf[N + 1];
    buf[N] = 0xAB;  // Sentinel: nothing written past n.
    nsp_rng_fill_u8(&rng, buf, N, 50, 150);
    assert_int_equal(buf[N], 0xAB);
    int counts[256] = {0};
    for (int i = 0; i < N; i++) {
        counts[buf[i]]++;
    }
    for (int v = 0; v < 256; v++) {
        if (v < 50 || v >= 200) {
            assert_int_equal(counts[v], 0);
        } else {
            assert_in_range(counts[v], 810, 1190);  // 1000 expected, SD 31.6.
        }
    }
    // An odd length fills the last value from half a draw.
    uint8_t three[4] = {0, 0, 0, 0xCD};
    nsp_rng_fill_u8(&rng, three, 3, 0, 256);
    assert_int_equal(three[3], 0xCD);
    // span 1 is a constant.
    nsp_rng_fill_u8(&rng, three, 3, 7, 1);
    assert_int_equal(three[0], 7);
    assert_int_equal(three[2], 7);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_outputs),
        cmocka_unit_test(test_reference_bounded),
        cmocka_unit_test(test_uniform_range_and_mean),
        cmocka_unit_test(test_normal_moments),
        cmocka_unit_test(test_derive_is_deterministic_and_distinct),
        cmocka_unit_test(test_bounded_is_uniform),
        cmocka_unit_test(test_fill_u8_range_and_uniformity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
