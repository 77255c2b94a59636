// PNG files and image comparison: round trip, metrics worked out by hand,
// errors that name the file.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "assert_double.h"
#include "log_capture.h"
#include "render/image.h"
#define TMP_DIR_PREFIX "nsp_test_image"
#include "tmp_dir.h"

static void path_in_dir(char *out, size_t len, const char *name) {
    snprintf(out, len, "%s", tmp_path(name));
}

static void test_round_trip(void **state) {
    (void)state;
    // 3 x 2 pixels, every channel distinct, alpha included.
    uint8_t px[3 * 2 * 4];
    for (int i = 0; i < (int)sizeof px; i++) {
        px[i] = (uint8_t)(i * 11 + 3);
    }
    char path[128];
    path_in_dir(path, sizeof path, "round.png");
    assert_int_equal(nsp_image_write_png(path, px, 3, 2), 0);
    nsp_image_t img;
    assert_int_equal(nsp_image_read_png(&img, path), 0);
    assert_int_equal(img.w, 3);
    assert_int_equal(img.h, 2);
    assert_memory_equal(img.rgba, px, sizeof px);
    // Rewriting replaces the file atomically and leaves no temporary behind.
    px[0] = 200;
    assert_int_equal(nsp_image_write_png(path, px, 3, 2), 0);
    nsp_image_destroy(&img);
    assert_int_equal(nsp_image_read_png(&img, path), 0);
    assert_int_equal(img.rgba[0], 200);
    nsp_image_destroy(&img);
    nsp_image_destroy(&img);
    assert_null(img.rgba);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "test $(ls '%s' | wc -l) -eq 1", tmp_dir);
    assert_int_equal(system(cmd), 0);
}

static void test_compare_metrics(void **state) {
    (void)state;
    // Two pixels. a - b per channel: (10, 0, 0, 0) and (0, 0, 0, -3).
    // max = 10; rms = sqrt((100 + 9) / 8) = sqrt(13.625) = 3.6912...;
    // threshold 5: only the first pixel is over; threshold 2: both.
    uint8_t a[8] = {110, 20, 30, 255, 0, 0, 0, 252};
    uint8_t b[8] = {100, 20, 30, 255, 0, 0, 0, 255};
    nsp_image_diff_t d;
    nsp_image_diff_rgba(a, b, 2, 1, 5, &d);
    assert_int_equal(d.max_channel_diff, 10);
    assert_near(d.rms, 3.69120576, 1e-6);
    assert_int_equal(d.pixels_over, 1);
    nsp_image_diff_rgba(a, b, 2, 1, 2, &d);
    assert_int_equal(d.pixels_over, 2);
    nsp_image_diff_rgba(a, b, 2, 1, 10, &d);  // Over means strictly more.
    assert_int_equal(d.pixels_over, 0);
    nsp_image_diff_rgba(a, a, 2, 1, 0, &d);
    assert_int_equal(d.max_channel_diff, 0);
    assert_double_equal(d.rms, 0.0);
    assert_int_equal(d.pixels_over, 0);
    // Images of different sizes are not compared.
    nsp_image_t ia = {2, 1, a}, ib = {1, 2, b};
    assert_logs(nsp_image_compare(&ia, &ib, 0, &d), NSP_EINVAL, "2x1 and 1x2");
    ib = (nsp_image_t){2, 1, b};
    assert_int_equal(nsp_image_compare(&ia, &ib, 5, &d), 0);
    assert_int_equal(d.pixels_over, 1);
}

static void test_missing_file(void **state) {
    (void)state;
    char path[128];
    path_in_dir(path, sizeof path, "no-such.png");
    nsp_image_t img = {7, 7, NULL};
    assert_logs(nsp_image_read_png(&img, path), NSP_EIO, path);
    assert_non_null(strstr(captured_log, "No such file"));
    assert_int_equal(img.w, 0);
    assert_null(img.rgba);
}

static void test_not_a_png(void **state) {
    (void)state;
    char path[128];
    path_in_dir(path, sizeof path, "text.png");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("not a PNG at all\n", f);
    fclose(f);
    nsp_image_t img;
    assert_logs(nsp_image_read_png(&img, path), NSP_EFORMAT, path);
    assert_null(img.rgba);
}

static void test_write_errors(void **state) {
    (void)state;
    uint8_t px[4] = {1, 2, 3, 4};
    char path[160];
    // The outputs' rule (core/fileio.h): missing parent directories are
    // created; a parent that is a file is an error naming it.
    path_in_dir(path, sizeof path, "missing-dir/out.png");
    assert_int_equal(nsp_image_write_png(path, px, 1, 1), 0);
    path_in_dir(path, sizeof path, "missing-dir/out.png/below.png");
    assert_logs(nsp_image_write_png(path, px, 1, 1), NSP_EIO, "missing-dir/out.png: exists and is not a directory");
    assert_logs(nsp_image_write_png(path, px, 0, 1), NSP_EINVAL, "0x1");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_compare_metrics),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_not_a_png),
        cmocka_unit_test(test_write_errors),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, tmp_dir_teardown);
}
