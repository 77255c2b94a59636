// Tests for json/json: the typed getters (what each accepts, and the message
// naming the file, the place and what was expected when it does not) and the
// quiet lookups. File reading and its file:line:col messages are exercised by
// the trace, perfmon and baseline tests.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json/json.h"
#include "log_capture.h"

static cJSON *doc;

static int setup(void **state) {
    (void)state;
    doc = cJSON_Parse("{\"n\":2.5,\"i\":7,\"neg\":-3,\"big\":1e300,\"s\":\"text\",\"e\":\"\",\"t\":true,"
                      "\"a\":[1,2],\"o\":{}}");
    return doc ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    cJSON_Delete(doc);
    capture_stop();
    return 0;
}

// The getter's result must be NSP_EFORMAT and the log hold want.
static void expect_message(int err, const char *want) {
    capture_stop();
    if (err != NSP_EFORMAT || strstr(captured_log, want) == NULL) {
        print_error("got %d '%s', wanted '%s'\n", err, captured_log, want);
        fail();
    }
}

static void test_numbers_and_integers(void **state) {
    (void)state;
    const nsp_json_at_t at = {"f.json", NULL, -1};
    double d = 0;
    assert_int_equal(nsp_json_get_number(doc, "n", 0, 10, &at, &d), 0);
    assert_float_equal(d, 2.5, 1e-12);
    assert_int_equal(nsp_json_get_number(doc, "neg", -INFINITY, INFINITY, &at, NULL), 0);
    int64_t i = 0;
    assert_int_equal(nsp_json_get_int(doc, "i", 0, 10, &at, &i), 0);
    assert_int_equal(i, 7);

    capture_start();
    expect_message(nsp_json_get_number(doc, "neg", 0, INFINITY, &at, &d),
                   "f.json: neg: expected a number >= 0, got -3");
    capture_start();
    expect_message(nsp_json_get_number(doc, "n", -INFINITY, 1, &at, &d), "f.json: n: expected a number <= 1, got 2.5");
    capture_start();
    expect_message(nsp_json_get_number(doc, "s", 0, 1, &at, &d), "f.json: s: expected a number in 0..1, got a string");
    capture_start();
    expect_message(nsp_json_get_number(doc, "none", -INFINITY, INFINITY, &at, &d),
                   "f.json: none: expected a finite number, got nothing");
    capture_start();
    expect_message(nsp_json_get_int(doc, "n", 0, 10, &at, &i), "f.json: n: expected an integer in 0..10, got 2.5");
    capture_start();
    expect_message(nsp_json_get_int(doc, "big", 0, 10, &at, &i),
                   "f.json: big: expected an integer in 0..10, got 1e+300");
    capture_start();
    expect_message(nsp_json_get_int(doc, "t", 0, 10, &at, &i), "f.json: t: expected an integer in 0..10, got true");
    assert_int_equal(i, 7);  // Left alone on error.
}

static void test_strings_bools_arrays(void **state) {
    (void)state;
    const nsp_json_at_t at = {"f.json", "records[2].", -1};
    const nsp_json_at_t indexed = {"f.json", "event ", 4};
    const char *s = NULL;
    assert_int_equal(nsp_json_get_string(doc, "s", 5, &at, &s), 0);
    assert_string_equal(s, "text");
    capture_start();
    expect_message(nsp_json_get_string(doc, "s", 4, &at, &s), "f.json: records[2].s: longer than 3 characters");
    capture_start();
    expect_message(nsp_json_get_string(doc, "e", 0, &at, &s),
                   "f.json: records[2].e: expected a non-empty string, got an empty string");
    capture_start();
    expect_message(nsp_json_get_string(doc, "i", 0, &indexed, &s),
                   "f.json: event 4: i: expected a non-empty string, got a number");

    bool b = false;
    assert_int_equal(nsp_json_get_bool(doc, "t", &at, &b), 0);
    assert_true(b);
    capture_start();
    expect_message(nsp_json_get_bool(doc, "s", &at, &b), "f.json: records[2].s: expected true or false, got a string");

    const cJSON *a = NULL;
    assert_int_equal(nsp_json_get_array(doc, "a", &at, &a), 0);
    assert_int_equal(cJSON_GetArraySize(a), 2);
    capture_start();
    expect_message(nsp_json_get_array(doc, "o", &at, &a), "f.json: records[2].o: expected an array, got an object");
    // Not an object at all: every member is missing.
    capture_start();
    expect_message(nsp_json_get_array(a, "x", &at, &a), "f.json: records[2].x: expected an array, got nothing");
}

static void test_quiet_lookups(void **state) {
    (void)state;
    assert_float_equal(nsp_json_number_or(doc, "n", -1), 2.5, 1e-12);
    assert_float_equal(nsp_json_number_or(doc, "s", -1), -1, 1e-12);
    assert_float_equal(nsp_json_number_or(NULL, "n", -1), -1, 1e-12);
    assert_string_equal(nsp_json_string_or(doc, "s", "x"), "text");
    assert_string_equal(nsp_json_string_or(doc, "e", "x"), "x");
    assert_string_equal(nsp_json_string_or(doc, "n", "x"), "x");
    char buf[3];
    nsp_json_copy_string(doc, "s", buf, sizeof buf);
    assert_string_equal(buf, "te");
    nsp_json_copy_string(doc, "n", buf, sizeof buf);
    assert_string_equal(buf, "");
}

// The checks for values in hand (array elements, members met while
// iterating) and the quiet integer lookup for caches.
static void test_values_in_hand_and_int_or(void **state) {
    (void)state;
    const nsp_json_at_t at = {"f.json", "counters.", -1};
    int64_t v = 0;
    assert_int_equal(nsp_json_check_int(cJSON_GetObjectItem(doc, "i"), "i", 0, 10, &at, &v), 0);
    assert_int_equal(v, 7);
    capture_start();
    expect_message(nsp_json_check_int(cJSON_GetObjectItem(doc, "big"), "big", 0, 10, &at, &v),
                   "f.json: counters.big: expected an integer in 0..10, got 1e+300");
    capture_start();
    expect_message(nsp_json_check_int(cJSON_GetObjectItem(doc, "n"), "n", 0, 10, &at, &v),
                   "f.json: counters.n: expected an integer in 0..10, got 2.5");
    assert_int_equal(v, 7);  // Left alone on error.
    assert_int_equal(nsp_json_int_or(doc, "i", 0, 10, -1), 7);
    assert_int_equal(nsp_json_int_or(doc, "big", 0, INT64_C(9007199254740992), -1), -1);
    assert_int_equal(nsp_json_int_or(doc, "n", 0, 10, -1), -1);
    assert_int_equal(nsp_json_int_or(doc, "s", 0, 10, -1), -1);
    assert_int_equal(nsp_json_int_or(doc, "missing", 0, 10, -1), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_numbers_and_integers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_bools_arrays, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quiet_lookups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_in_hand_and_int_or, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
