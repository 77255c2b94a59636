// Tests for trace/perfmon: NEUROSPATIAL_TIMING, NEUROSPATIAL_PERFMON and its old
// name NAPARI_PERFMON, and napari-style JSON configs (keys, types, unknown
// keys, malformed JSON reported with file, line and column).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace/perfmon.h"
#include "trace/check.h"
#include "core/error.h"
#include "log_capture.h"
#define TMP_DIR_PREFIX "nsp_test_perfmon"
#include "tmp_dir.h"


static const char *write_file(const char *name, const char *text) {
    const char *path = tmp_write(name, text);
    assert_non_null(path);
    return path;
}

// Writes tmp_dir/name: a config from fmt and its arguments (the paths it
// names). Returns its path.
NSP_PRINTF(2, 3)
static const char *write_config(const char *name, const char *fmt, ...) {
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    assert_in_range(n, 0, sizeof text - 1);
    return write_file(name, text);
}

static int teardown(void **state) {
    (void)state;
    capture_stop();
    unsetenv("NEUROSPATIAL_TIMING");
    unsetenv("NEUROSPATIAL_PERFMON");
    unsetenv("NAPARI_PERFMON");
    nsp_timing_shutdown();
    return 0;
}

// Runs nsp_perfmon_init with the log captured; returns its result.
static int init_env(nsp_perfmon_t *pm, const char *timing, const char *perfmon, const char *napari) {
    capture_start();
    int err = nsp_perfmon_init(pm, &(nsp_perfmon_env_t){timing, perfmon, napari});
    capture_stop();
    return err;
}

static void assert_logged(const char *fragment) {
    if (strstr(captured_log, fragment) == NULL) {
        print_error("log was:\n%s\nwanted: %s\n", captured_log, fragment);
        fail();
    }
}

static void test_nothing_set_means_everything_off(void **state) {
    (void)state;
    nsp_perfmon_t pm;
    assert_int_equal(init_env(&pm, NULL, NULL, NULL), 0);
    assert_false(pm.config.print_timing);
    assert_null(pm.config.trace_path);
    assert_string_equal(captured_log, "");
    nsp_perfmon_destroy(&pm);
}

static void test_timing_flag_values(void **state) {
    (void)state;
    nsp_perfmon_t pm;
    const char *on[] = {"1", "true", "YES", "on"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(init_env(&pm, on[i], NULL, NULL), 0);
        assert_true(pm.config.print_timing);
        nsp_perfmon_destroy(&pm);
    }
    const char *off[] = {"0", "", "false", "Off"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(init_env(&pm, off[i], NULL, NULL), 0);
        assert_false(pm.config.print_timing);
        assert_string_equal(captured_log, "");
        nsp_perfmon_destroy(&pm);
    }
    assert_int_equal(init_env(&pm, "2", NULL, NULL), 0);
    assert_false(pm.config.print_timing);
    assert_logged("NEUROSPATIAL_TIMING: expected 1 or 0, got '2'");
    nsp_perfmon_destroy(&pm);
}

static void test_plain_path_traces_everything(void **state) {
    (void)state;
    nsp_perfmon_t pm;
    const char *path = tmp_path("plain.json");
    assert_int_equal(init_env(&pm, NULL, path, NULL), 0);
    assert_string_equal(pm.config.trace_path, path);
    assert_true(pm.config.trace_event_loop);
    assert_false(pm.config.filter_callables);
    assert_null(pm.config_path);
    nsp_perfmon_destroy(&pm);
    assert_null(pm.trace_path);  // Destroy leaves a zeroed struct.
}

static void test_napari_name_is_a_fallback(void **state) {
    (void)state;
    nsp_perfmon_t pm;
    const char *old = tmp_path("old.json");
    const char *new = tmp_path("new.json");
    assert_int_equal(init_env(&pm, NULL, NULL, old), 0);
    assert_string_equal(pm.config.trace_path, old);
    assert_string_equal(captured_log, "");
    nsp_perfmon_destroy(&pm);

    assert_int_equal(init_env(&pm, NULL, new, old), 0);
    assert_string_equal(pm.config.trace_path, new);
    assert_logged("NEUROSPATIAL_PERFMON and NAPARI_PERFMON are both set; using NEUROSPATIAL_PERFMON");
    assert_logged(old);
    nsp_perfmon_destroy(&pm);

    // An empty new name does not hide the old one.
    assert_int_equal(init_env(&pm, NULL, "", old), 0);
    assert_string_equal(pm.config.trace_path, old);
    nsp_perfmon_destroy(&pm);
}

static void test_from_env_reads_the_process_environment(void **state) {
    (void)state;
    const char *old = tmp_path("env_old.json");
    setenv("NAPARI_PERFMON", old, 1);
    setenv("NEUROSPATIAL_TIMING", "1", 1);
    nsp_perfmon_t pm;
    assert_int_equal(nsp_perfmon_from_env(&pm), 0);
    assert_true(pm.config.print_timing);
    assert_string_equal(pm.config.trace_path, old);
    nsp_perfmon_destroy(&pm);
}

static void test_one_and_zero_are_not_paths(void **state) {
    (void)state;
    nsp_perfmon_t pm;
    assert_int_equal(init_env(&pm, NULL, "0", NULL), 0);
    assert_null(pm.config.trace_path);
    assert_string_equal(captured_log, "");
    nsp_perfmon_destroy(&pm);
    assert_int_equal(init_env(&pm, NULL, "1", NULL), 0);
    assert_null(pm.config.trace_path);
    assert_logged("NEUROSPATIAL_PERFMON=1 names no trace file");
    nsp_perfmon_destroy(&pm);
}

static void test_unwritable_paths_fail_early(void **state) {
    (void)state;
    nsp_perfmon_t pm;
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nope/trace.json", tmp_dir);
    assert_int_equal(init_env(&pm, NULL, missing, NULL), NSP_EIO);
    assert_logged("NEUROSPATIAL_PERFMON: cannot write the trace");
    assert_logged("nope': No such file or directory");
    assert_null(pm.trace_path);
    assert_int_equal(init_env(&pm, NULL, tmp_dir, NULL), NSP_EINVAL);
    assert_logged("is a directory");
}

static void test_full_config(void **state) {
    (void)state;
    const char *out = tmp_path("from_config.json");
    const char *cfg = write_config("full.json",
                                   "{\n"
                                   "  \"trace_file_on_start\": \"%s\",\n"
                                   "  \"trace_qt_events\": true,\n"
                                   "  \"trace_callables\": [\"overlays\", \"paint\"],\n"
                                   "  \"callable_lists\": {\n"
                                   "    \"overlays\": [\"render_position_overlay\", \"render_event_overlay\"],\n"
                                   "    \"paint\": [\"paint\", \"render_event_overlay\"],\n"
                                   "    \"unused\": [\"setup\"]\n"
                                   "  },\n"
                                   "  \"trace_capacity\": 5000\n"
                                   "}\n",
                                   out);
    nsp_perfmon_t pm;
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), 0);
    assert_string_equal(captured_log, "");
    assert_string_equal(pm.config_path, cfg);
    assert_string_equal(pm.config.trace_path, out);
    assert_true(pm.config.trace_event_loop);
    assert_true(pm.config.filter_callables);
    assert_int_equal(pm.config.trace_capacity, 5000);
    // The selected lists, flattened in order, without duplicates.
    assert_int_equal(pm.config.n_callables, 3);
    assert_string_equal(pm.config.callables[0], "render_position_overlay");
    assert_string_equal(pm.config.callables[1], "render_event_overlay");
    assert_string_equal(pm.config.callables[2], "paint");
    nsp_perfmon_destroy(&pm);
}

static void test_config_defaults(void **state) {
    (void)state;
    const char *cfg =
        write_config("defaults.json", "{\"trace_file_on_start\": \"%s\"}", tmp_path("defaults_out.json"));
    nsp_perfmon_t pm;
    assert_int_equal(init_env(&pm, NULL, NULL, cfg), 0);
    assert_false(pm.config.trace_event_loop);  // napari's default.
    assert_false(pm.config.filter_callables);  // Every zone.
    assert_int_equal(pm.config.trace_capacity, 0);
    nsp_perfmon_destroy(&pm);

    // Without trace_file_on_start nothing is written, and it says so.
    cfg = write_file("no_output.json", "{\"trace_qt_events\": false}");
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), 0);
    assert_null(pm.config.trace_path);
    assert_logged("has no trace_file_on_start: no trace will be written");
    nsp_perfmon_destroy(&pm);

    // An empty trace_callables traces no callables at all.
    cfg = write_config("empty_selection.json",
                       "{\"trace_file_on_start\": \"%s\", \"trace_callables\": [], \"callable_lists\": {}}",
                       tmp_path("empty_sel.json"));
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), 0);
    assert_true(pm.config.filter_callables);
    assert_int_equal(pm.config.n_callables, 0);
    nsp_perfmon_destroy(&pm);
}

static void test_unknown_keys_are_named(void **state) {
    (void)state;
    const char *cfg = write_config("unknown.json",
                                   "{\"trace_file_on_start\": \"%s\", \"trace_qt_event\": true, \"colour\": \"red\"}",
                                   tmp_path("unknown_out.json"));
    nsp_perfmon_t pm;
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), 0);
    assert_logged("unknown key 'trace_qt_event' ignored (did you mean 'trace_qt_events'?)");
    assert_logged("unknown key 'colour' ignored (known keys: trace_file_on_start");
    assert_logged(cfg);
    assert_false(pm.config.trace_event_loop);  // The misspelt key did nothing.
    nsp_perfmon_destroy(&pm);
}

static void test_malformed_json_names_file_line_and_column(void **state) {
    (void)state;
    const char *cfg = write_file("broken.json", "{\n  \"trace_qt_events\": tru\n}\n");
    nsp_perfmon_t pm;
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), NSP_EFORMAT);
    char want[300];
    snprintf(want, sizeof want, "%s:2:22: malformed JSON near 'tru'", cfg);
    assert_logged(want);
    assert_null(pm.trace_path);

    cfg = write_file("missing_comma.json", "{\"trace_qt_events\": true\n \"trace_file_on_start\": \"x\"}");
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), NSP_EFORMAT);
    snprintf(want, sizeof want, "%s:2:2: malformed JSON near '\"trace_file_on_start\"", cfg);
    assert_logged(want);

    cfg = write_file("truncated.json", "{\"trace_qt_events\": [true,\n");
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), NSP_EFORMAT);
    snprintf(want, sizeof want, "%s:2:1: malformed JSON: unexpected end of file", cfg);
    assert_logged(want);
}

static void expect_config_error(const char *text, const char *fragment) {
    const char *cfg = write_file("typed.json", text);
    nsp_perfmon_t pm;
    int err = init_env(&pm, NULL, cfg, NULL);
    if (err != NSP_EFORMAT || strstr(captured_log, fragment) == NULL) {
        print_error("for %s\n  got %d, log:\n%s  wanted: %s\n", text, err, captured_log, fragment);
        fail();
    }
    assert_null(pm.trace_path);
}

static void test_wrong_types_are_named(void **state) {
    (void)state;
    expect_config_error("{\"trace_qt_events\": \"yes\"}", "trace_qt_events: expected true or false, got a string");
    expect_config_error("{\"trace_file_on_start\": 3}", "trace_file_on_start: expected a file path");
    expect_config_error("{\"trace_file_on_start\": \"\"}", "trace_file_on_start: expected a file path");
    expect_config_error("{\"trace_callables\": \"all\"}", "trace_callables: expected an array of list names, got a string");
    expect_config_error("{\"trace_callables\": [1]}", "trace_callables[0]: expected a list name (a string), got a number");
    expect_config_error("{\"trace_callables\": [\"a\"], \"callable_lists\": {\"b\": []}}",
                        "trace_callables: 'a' is not a list in callable_lists");
    expect_config_error("{\"callable_lists\": []}", "callable_lists: expected an object");
    expect_config_error("{\"callable_lists\": {\"a\": \"paint\"}}",
                        "callable_lists.a: expected an array of zone names, got a string");
    expect_config_error("{\"callable_lists\": {\"a\": [\"paint\", null]}}",
                        "callable_lists.a[1]: expected a zone name (a non-empty string), got null");
    expect_config_error("{\"trace_capacity\": 0}", "trace_capacity: expected an integer in 1..50000000");
    expect_config_error("{\"trace_capacity\": 1.5}", "trace_capacity: expected an integer");
    expect_config_error("{\"trace_capacity\": \"big\"}", "trace_capacity: expected an integer in 1..50000000, got a string");
    expect_config_error("42", "expected a JSON object, got a number");
}

static void test_existing_traces_are_outputs(void **state) {
    (void)state;
    nsp_perfmon_t pm;
    const char *earlier = write_file("earlier.json", "{\"traceEvents\":[\n],\"displayTimeUnit\":\"ms\"}");
    assert_int_equal(init_env(&pm, NULL, earlier, NULL), 0);
    assert_string_equal(pm.config.trace_path, earlier);
    assert_null(pm.config_path);
    nsp_perfmon_destroy(&pm);

    const char *array = write_file("array.json", "  [{\"name\":\"a\"}]");
    assert_int_equal(init_env(&pm, NULL, array, NULL), 0);
    assert_string_equal(pm.config.trace_path, array);
    nsp_perfmon_destroy(&pm);

    const char *empty = write_file("empty.json", "");
    assert_int_equal(init_env(&pm, NULL, empty, NULL), 0);
    assert_string_equal(pm.config.trace_path, empty);
    nsp_perfmon_destroy(&pm);
}

static void test_config_cannot_be_its_own_output(void **state) {
    (void)state;
    const char *cfg = tmp_path("self.json");
    write_config("self.json", "{\"trace_file_on_start\": \"%s\"}", cfg);
    nsp_perfmon_t pm;
    assert_int_equal(init_env(&pm, NULL, cfg, NULL), NSP_EINVAL);
    assert_logged("trace_file_on_start names the config itself");
}

// End to end: environment -> perfmon -> timing -> a valid trace with only
// the selected zones.
static void test_start_and_finish_write_the_trace(void **state) {
    (void)state;
    const char *out = tmp_path("e2e_trace.json");
    const char *cfg = write_config("e2e.json",
                                   "{\"trace_file_on_start\": \"%s\", \"trace_callables\": [\"mine\"],"
                                   " \"callable_lists\": {\"mine\": [\"e2e_keep\"]}}",
                                   out);
    setenv("NEUROSPATIAL_PERFMON", cfg, 1);
    nsp_perfmon_t pm;
    assert_int_equal(nsp_perfmon_start(&pm), 0);
    assert_true(nsp_timing_enabled());
    NSP_TIMED("e2e_keep", "callback", (void)0);
    NSP_TIMED("e2e_drop", "callback", (void)0);
    capture_start();
    assert_int_equal(nsp_perfmon_finish(&pm), 0);
    assert_logged("trace written to '");
    assert_logged("(1 events)");
    capture_stop();
    assert_false(nsp_timing_enabled());
    nsp_trace_check_t chk;
    assert_int_equal(nsp_trace_check_file(out, &chk), 0);
    assert_int_equal(chk.complete, 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_nothing_set_means_everything_off, teardown),
        cmocka_unit_test_teardown(test_timing_flag_values, teardown),
        cmocka_unit_test_teardown(test_plain_path_traces_everything, teardown),
        cmocka_unit_test_teardown(test_napari_name_is_a_fallback, teardown),
        cmocka_unit_test_teardown(test_from_env_reads_the_process_environment, teardown),
        cmocka_unit_test_teardown(test_one_and_zero_are_not_paths, teardown),
        cmocka_unit_test_teardown(test_unwritable_paths_fail_early, teardown),
        cmocka_unit_test_teardown(test_full_config, teardown),
        cmocka_unit_test_teardown(test_config_defaults, teardown),
        cmocka_unit_test_teardown(test_unknown_keys_are_named, teardown),
        cmocka_unit_test_teardown(test_malformed_json_names_file_line_and_column, teardown),
        cmocka_unit_test_teardown(test_wrong_types_are_named, teardown),
        cmocka_unit_test_teardown(test_existing_traces_are_outputs, teardown),
        cmocka_unit_test_teardown(test_config_cannot_be_its_own_output, teardown),
        cmocka_unit_test_teardown(test_start_and_finish_write_the_trace, teardown),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, tmp_dir_teardown);
}
