// Tests for the viridis table and nsp_viridis_rgba().
//
// Expected bytes are round(255 * v) of matplotlib's _viridis_data floats,
// written here as literals (not read back from the table under test).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>

#include "core/colormap.h"

static void assert_rgba(const uint8_t got[4], int r, int g, int b, int a) {
    assert_int_equal(got[0], r);
    assert_int_equal(got[1], g);
    assert_int_equal(got[2], b);
    assert_int_equal(got[3], a);
}

static void assert_entry(int index, int r, int g, int b) {
    assert_int_equal(nsp_viridis_rgb[index][0], r);
    assert_int_equal(nsp_viridis_rgb[index][1], g);
    assert_int_equal(nsp_viridis_rgb[index][2], b);
}

static void map(double v, double lo, double hi, uint8_t rgba[4]) {
    // Garbage first, so a channel the function forgets to write shows up.
    rgba[0] = rgba[1] = rgba[2] = rgba[3] = 0xAB;
    nsp_viridis_rgba(v, lo, hi, rgba);
}

static void test_table_spot_entries(void **state) {
    (void)state;
    assert_entry(0, 68, 1, 84);     // matplotlib (0.267004, 0.004874, 0.329415)
    assert_entry(1, 68, 2, 86);
    assert_entry(64, 59, 82, 139);
    assert_entry(127, 33, 144, 141);
    assert_entry(128, 33, 145, 140); // (0.127568, 0.566949, 0.550556)
    assert_entry(192, 94, 201, 98);
    assert_entry(254, 251, 231, 35);
    assert_entry(255, 253, 231, 37); // (0.993248, 0.906157, 0.143936)
}

static void test_table_checksums(void **state) {
    (void)state;
    // Plain and position-weighted channel sums over all 256 entries, computed
    // from matplotlib's floats: any wrong, missing or swapped entry moves them.
    long sum[3] = {0, 0, 0};
    long weighted[3] = {0, 0, 0};
    for (int i = 0; i < 256; i++) {
        for (int c = 0; c < 3; c++) {
            sum[c] += nsp_viridis_rgb[i][c];
            weighted[c] += (long)(i + 1) * nsp_viridis_rgb[i][c];
        }
    }
    assert_int_equal(sum[0], 21356);
    assert_int_equal(sum[1], 35125);
    assert_int_equal(sum[2], 28105);
    assert_int_equal(weighted[0], 3454698);
    assert_int_equal(weighted[1], 5792254);
    assert_int_equal(weighted[2], 3155439);
}

static void test_ends_and_middle(void **state) {
    (void)state;
    uint8_t px[4];
    map(0.0, 0.0, 1.0, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(1.0, 0.0, 1.0, px); // t == 1 folds into the last entry, not 256.
    assert_rgba(px, 253, 231, 37, 255);
    map(0.5, 0.0, 1.0, px); // floor(0.5 * 256) = 128.
    assert_rgba(px, 33, 145, 140, 255);
    map(2.0, -2.0, 6.0, px); // The same t = 0.5 on a shifted, scaled range.
    assert_rgba(px, 33, 145, 140, 255);
}

static void test_bin_edges(void **state) {
    (void)state;
    uint8_t px[4];
    map(1.0 / 256.0, 0.0, 1.0, px);
    assert_rgba(px, 68, 2, 86, 255); // Entry 1 starts exactly at t = 1/256.
    map(nextafter(1.0 / 256.0, 0.0), 0.0, 1.0, px);
    assert_rgba(px, 68, 1, 84, 255); // Just below stays in entry 0.
    map(255.0 / 256.0, 0.0, 1.0, px);
    assert_rgba(px, 253, 231, 37, 255);
    map(nextafter(255.0 / 256.0, 0.0), 0.0, 1.0, px);
    assert_rgba(px, 251, 231, 35, 255); // Entry 254.
    map(nextafter(1.0, 0.0), 0.0, 1.0, px);
    assert_rgba(px, 253, 231, 37, 255);
}

static void test_clamping(void **state) {
    (void)state;
    uint8_t px[4];
    map(-5.0, 0.0, 1.0, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(7.5, 0.0, 1.0, px);
    assert_rgba(px, 253, 231, 37, 255);
    map(-INFINITY, 0.0, 1.0, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(INFINITY, 0.0, 1.0, px);
    assert_rgba(px, 253, 231, 37, 255);
}

static void test_extreme_ranges(void **state) {
    (void)state;
    uint8_t px[4];
    // hi - lo overflows to infinity here; the midpoint must still be t = 0.5.
    map(0.0, -DBL_MAX, DBL_MAX, px);
    assert_rgba(px, 33, 145, 140, 255);
    map(DBL_MAX, -DBL_MAX, DBL_MAX, px);
    assert_rgba(px, 253, 231, 37, 255);
    map(-DBL_MAX, -DBL_MAX, DBL_MAX, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(DBL_MAX / 2.0, -DBL_MAX, DBL_MAX, px); // t = 0.75 -> entry 192.
    assert_rgba(px, 94, 201, 98, 255);
    // An infinite bound leaves no finite t: finite values take entry 0.
    map(-1.0, -INFINITY, 0.0, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(5.0, 0.0, INFINITY, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(INFINITY, 0.0, INFINITY, px);
    assert_rgba(px, 253, 231, 37, 255);
}

static void test_nan_is_transparent(void **state) {
    (void)state;
    uint8_t px[4];
    map(NAN, 0.0, 1.0, px);
    assert_rgba(px, 0, 0, 0, 0);
    map(NAN, 1.0, 1.0, px); // NaN wins over a degenerate range.
    assert_rgba(px, 0, 0, 0, 0);
}

static void test_degenerate_range_maps_to_entry_0(void **state) {
    (void)state;
    uint8_t px[4];
    map(1.0, 1.0, 1.0, px); // hi == lo
    assert_rgba(px, 68, 1, 84, 255);
    map(5.0, 1.0, 1.0, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(0.5, 1.0, 0.0, px); // hi < lo: no reversed scale.
    assert_rgba(px, 68, 1, 84, 255);
    map(0.9, 1.0, 0.0, px);
    assert_rgba(px, 68, 1, 84, 255);
    map(0.5, NAN, 1.0, px); // A NaN bound has no scale either.
    assert_rgba(px, 68, 1, 84, 255);
    map(0.5, 0.0, NAN, px);
    assert_rgba(px, 68, 1, 84, 255);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_spot_entries),
        cmocka_unit_test(test_table_checksums),
        cmocka_unit_test(test_ends_and_middle),
        cmocka_unit_test(test_bin_edges),
        cmocka_unit_test(test_clamping),
        cmocka_unit_test(test_extreme_ranges),
        cmocka_unit_test(test_nan_is_transparent),
        cmocka_unit_test(test_degenerate_range_maps_to_entry_0),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
