// Contexts: headless EGL where it can be made, a clear NSP_ENODISPLAY with
// what to do where it cannot, and, with --window, a GLFW window (ctest runs
// this file a second time so, under xvfb-run, when it is installed). Exits
// 77 (skipped) saying why when the context it is to check cannot be made
// here; the checks that need none still run first.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "log_capture.h"
#include "platform/platform.h"

static void test_headless(void **state) {
    (void)state;
    nsp_platform_t p;
    assert_int_equal(nsp_platform_init_headless(&p, 64, 32), 0);
    assert_int_equal(p.kind, NSP_PLATFORM_HEADLESS);
    int w, h;
    nsp_platform_framebuffer_size(&p, &w, &h);
    assert_int_equal(w, 64);
    assert_int_equal(h, 32);
    assert_string_not_equal(nsp_platform_gl_renderer(&p), "none");
    const char *version = nsp_platform_gl_version(&p);
    assert_in_range(version[0], '3', '9');
    // Window operations are harmless no-ops.
    nsp_platform_poll(&p);
    nsp_platform_swap(&p);
    nsp_platform_set_title(&p, "ignored");
    nsp_platform_set_should_close(&p, true);
    assert_false(nsp_platform_should_close(&p));
    nsp_platform_destroy(&p);
    assert_int_equal(p.kind, NSP_PLATFORM_NONE);
    assert_string_equal(nsp_platform_gl_renderer(&p), "none");
    nsp_platform_framebuffer_size(&p, &w, &h);
    assert_int_equal(w, 0);
    // A second context after the first is gone.
    assert_int_equal(nsp_platform_init_headless(&p, 16, 16), 0);
    nsp_platform_destroy(&p);
    nsp_platform_destroy(&p);
}

static int key_calls;

static void count_key(void *user, int key, int action, int mods) {
    (void)user, (void)key, (void)action, (void)mods;
    key_calls++;
}

static void test_window(void **state) {
    (void)state;
    static nsp_platform_t p;
    assert_int_equal(nsp_platform_init_window(&p, 320, 240, "nsplay test"), 0);
    assert_int_equal(p.kind, NSP_PLATFORM_WINDOW);
    p.on_key = count_key;
    int w, h;
    nsp_platform_framebuffer_size(&p, &w, &h);
    assert_in_range(w, 1, 16384);
    assert_in_range(h, 1, 16384);
    assert_string_not_equal(nsp_platform_gl_renderer(&p), "none");
    nsp_platform_set_title(&p, "nsplay test, retitled");
    nsp_platform_poll(&p);
    nsp_platform_swap(&p);
    assert_false(nsp_platform_should_close(&p));
    nsp_platform_set_should_close(&p, true);
    assert_true(nsp_platform_should_close(&p));
    nsp_platform_destroy(&p);
    assert_int_equal(p.kind, NSP_PLATFORM_NONE);
    assert_int_equal(key_calls, 0);  // Nobody pressed a key.
}

static void test_window_without_display(void **state) {
    (void)state;
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    nsp_platform_t p;
    memset(&p, 0xab, sizeof p);
    capture_start();
    int err = nsp_platform_init_window(&p, 320, 240, "nsplay");
    capture_stop();
    assert_int_equal(err, NSP_ENODISPLAY);
    assert_non_null(strstr(captured_log, "DISPLAY is unset"));
    assert_non_null(strstr(captured_log, "--headless"));
    assert_non_null(strstr(captured_log, "xvfb-run"));
    assert_int_equal(p.kind, NSP_PLATFORM_NONE);
    assert_null(p.window);
    nsp_platform_destroy(&p);
}

static void test_destroy_zeroed(void **state) {
    (void)state;
    nsp_platform_t p = {0};
    nsp_platform_destroy(&p);
    assert_string_equal(nsp_platform_gl_version(&p), "none");
    assert_false(nsp_platform_should_close(&p));
}

// Why the headless context cannot be made here, or NULL when it can.
static const char *headless_missing(void) {
    nsp_platform_t p = {0};
    int err = nsp_platform_init_headless(&p, 16, 16);
    nsp_platform_destroy(&p);
    return err == 0 ? NULL : "no headless EGL context can be made here (see the message above)";
}

// Without arguments this checks the headless context; with --window, the
// window instead (in an X server of its own: the context and the display are
// different things to be missing). The checks that need neither run either way.
int main(int argc, char **argv) {
    bool window = argc > 1 && strcmp(argv[1], "--window") == 0;
    const char *display = getenv("DISPLAY");
    const char *missing = NULL;
    if (window) {
        missing = display && *display ? NULL : "--window, but DISPLAY is unset: no X server to open a window in";
    } else {
        missing = headless_missing();
    }
    struct CMUnitTest tests[3];
    size_t n = 0;
    if (!missing) {
        // The window's test comes before the test that unsets DISPLAY.
        tests[n++] = window ? (struct CMUnitTest)cmocka_unit_test(test_window)
                            : (struct CMUnitTest)cmocka_unit_test(test_headless);
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_window_without_display);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_destroy_zeroed);
    int failed = _cmocka_run_group_tests(window ? "test_platform --window" : "test_platform", tests, n, NULL, NULL);
    if (failed == 0 && missing) {
        printf("skipped: %s\n", missing);
        return 77;
    }
    return failed;
}
