// Whole-file I/O: an atomic write reads back whole, and mkdir -p creates
// what is missing, accepts what is there and names what is in its way.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "core/fileio.h"
#include "log_capture.h"
#define TMP_DIR_PREFIX "nsp_test_fileio"
#include "tmp_dir.h"

// 'd' for a directory, 'f' for anything else, 0 when path does not exist.
static int kind_of(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        return 0;
    }
    return S_ISDIR(st.st_mode) ? 'd' : 'f';
}

static void test_write_then_read(void **state) {
    (void)state;
    const char *path = tmp_path("one.txt");
    assert_int_equal(nsp_file_write_atomic(path, "abc\n", 4), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(nsp_file_read_all(path, &text, &len), 0);
    assert_int_equal(len, 4);
    assert_string_equal(text, "abc\n");
    free(text);
}

static void test_mkdirs(void **state) {
    (void)state;
    assert_int_equal(nsp_file_mkdirs(tmp_path("a/b/c")), 0);
    assert_int_equal(kind_of(tmp_path("a/b/c")), 'd');
    // What is already there is fine, and so is a trailing or doubled slash.
    assert_int_equal(nsp_file_mkdirs(tmp_path("a/b/c")), 0);
    assert_int_equal(nsp_file_mkdirs(tmp_path("a//d/")), 0);
    assert_int_equal(kind_of(tmp_path("a/d")), 'd');
}

static void test_mkdirs_parent(void **state) {
    (void)state;
    const char *file = tmp_path("p/q/file.json");
    assert_int_equal(nsp_file_mkdirs_parent(file), 0);
    assert_int_equal(kind_of(tmp_path("p/q")), 'd');
    assert_int_equal(kind_of(file), 0);
    // A bare name needs no directory.
    assert_int_equal(nsp_file_mkdirs_parent("file.json"), 0);
}

static void test_file_in_the_way(void **state) {
    (void)state;
    assert_int_equal(nsp_file_write_atomic(tmp_path("plain"), "x", 1), 0);
    capture_start();
    int err = nsp_file_mkdirs(tmp_path("plain/sub"));
    capture_stop();
    assert_int_equal(err, NSP_EIO);
    assert_int_equal(captured_count, 1);
    assert_only_errors_logged();
    assert_non_null(strstr(captured_log, tmp_path("plain")));
    assert_non_null(strstr(captured_log, "exists and is not a directory"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_then_read),
        cmocka_unit_test(test_mkdirs),
        cmocka_unit_test(test_mkdirs_parent),
        cmocka_unit_test(test_file_in_the_way),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, tmp_dir_teardown);
}
