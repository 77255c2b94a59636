// The history store: runs appended and read back in date order, series per
// (profile, scenario, metric), the index as a disposable cache, bad files
// rejected by name, and concurrent appenders losing nothing.
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/fileio.h"
#include "gate/history.h"
#include "assert_double.h"
#include "log_capture.h"
// A temporary history directory per test, removed afterwards.
#define TMP_DIR_PREFIX "nsp-history"
#include "tmp_dir.h"

// A run record with two scenarios; all6's frame_median_ms is value.
static cJSON *make_run(const char *date, const char *commit, const char *profile, double value) {
    cJSON *run = cJSON_CreateObject();
    cJSON_AddNumberToObject(run, "schema", 1);
    cJSON_AddStringToObject(run, "kind", "nsplay-night");
    cJSON_AddStringToObject(run, "date", date);
    cJSON_AddStringToObject(run, "commit", commit);
    cJSON_AddStringToObject(run, "profile", profile);
    cJSON_AddStringToObject(run, "toolchain", "gcc-12.2.0-Release-x86_64");
    cJSON *machine = cJSON_AddObjectToObject(run, "machine");
    cJSON_AddNumberToObject(machine, "cores", 2);
    cJSON *records = cJSON_AddArrayToObject(run, "records");
    cJSON *all6 = cJSON_CreateObject();
    cJSON_AddStringToObject(all6, "scenario", "all6");
    cJSON *m = cJSON_AddObjectToObject(all6, "metrics");
    cJSON_AddNumberToObject(m, "frame_median_ms", value);
    cJSON_AddNumberToObject(m, "frame_p95_ms", 2.0 * value);
    cJSON *s = cJSON_AddObjectToObject(all6, "spread");
    cJSON_AddNumberToObject(s, "frame_median_ms", 0.01);
    cJSON_AddItemToArray(records, all6);
    cJSON *events = cJSON_CreateObject();
    cJSON_AddStringToObject(events, "scenario", "events");
    m = cJSON_AddObjectToObject(events, "metrics");
    cJSON_AddNumberToObject(m, "frame_median_ms", 0.5);
    cJSON_AddItemToArray(records, events);
    cJSON *extra = cJSON_AddObjectToObject(run, "extra");
    cJSON_AddStringToObject(extra, "hyperfine", "anything");
    return run;
}

static void append(const char *dir, const char *date, const char *commit, const char *profile, double value) {
    cJSON *run = make_run(date, commit, profile, value);
    char path[4096];
    assert_int_equal(nsp_history_append(dir, run, "test", path, sizeof path), 0);
    assert_non_null(strstr(path, "/runs/"));
    cJSON_Delete(run);
}

static int count_runs(const char *dir) {
    char runs[512];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    DIR *d = opendir(runs);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        n += de->d_name[0] != '.';
    }
    if (d) {
        closedir(d);
    }
    return n;
}

static void write_file(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(nsp_file_write_atomic(path, text, strlen(text)), 0);
}

static void test_round_trip(void **state) {
    (void)state;
    // Appended out of date order; the fractional second sorts correctly.
    append(tmp_dir, "2025-01-03T02:00:00Z", "ccc", "vm", 1.3);
    append(tmp_dir, "2025-01-01T02:00:00Z", "aaa", "vm", 1.1);
    append(tmp_dir, "2025-01-02T02:00:00.5Z", "bbb2", "vm", 1.25);
    append(tmp_dir, "2025-01-02T02:00:00Z", "bbb", "vm", 1.2);
    append(tmp_dir, "2025-01-02T03:00:00Z", "other", "laptop", 9.0);
    assert_int_equal(count_runs(tmp_dir), 5);

    nsp_history_t h;
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), 0);
    assert_int_equal(h.n_runs, 4);
    assert_string_equal(h.runs[0].commit, "aaa");
    assert_string_equal(h.runs[1].commit, "bbb");
    assert_string_equal(h.runs[2].commit, "bbb2");
    assert_string_equal(h.runs[3].commit, "ccc");
    assert_string_equal(h.runs[0].toolchain, "gcc-12.2.0-Release-x86_64");
    assert_string_equal(h.runs[2].date, "2025-01-02T02:00:00.5Z");
    assert_int_equal(h.runs[2].time_us - h.runs[1].time_us, 500000);
    // The record comes back whole, extra included.
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(h.runs[0].root, "extra");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(extra, "hyperfine")->valuestring, "anything");

    nsp_history_series_t s;
    assert_int_equal(nsp_history_series(&h, "vm", "all6", "frame_median_ms", &s), 0);
    assert_int_equal(s.n, 4);
    const double want[4] = {1.1, 1.2, 1.25, 1.3};
    for (int i = 0; i < 4; i++) {
        assert_double_equal(s.values[i], want[i]);
        assert_double_equal(s.spreads[i], 0.01);
        assert_ptr_equal(s.commits[i], h.runs[i].commit);
        assert_int_equal(s.runs[i], i);
    }
    assert_string_equal(s.dates[0], "2025-01-01T02:00:00Z");
    nsp_history_series_destroy(&s);
    // A metric without spread, a scenario that is missing.
    assert_int_equal(nsp_history_series(&h, "vm", "events", "frame_median_ms", &s), 0);
    assert_int_equal(s.n, 4);
    assert_nan(s.spreads[0]);
    nsp_history_series_destroy(&s);
    assert_int_equal(nsp_history_series(&h, "vm", "nope", "frame_median_ms", &s), 0);
    assert_int_equal(s.n, 0);
    nsp_history_series_destroy(&s);

    nsp_history_key_t *keys;
    int n_keys;
    assert_int_equal(nsp_history_keys(&h, &keys, &n_keys), 0);
    assert_int_equal(n_keys, 3);
    assert_string_equal(keys[0].scenario, "all6");
    assert_string_equal(keys[0].metric, "frame_median_ms");
    assert_string_equal(keys[1].metric, "frame_p95_ms");
    assert_string_equal(keys[2].scenario, "events");
    free(keys);
    nsp_history_destroy(&h);
    nsp_history_destroy(&h);  // Safe twice.

    // Every profile: two profiles' keys.
    assert_int_equal(nsp_history_load(&h, tmp_dir, NULL), 0);
    assert_int_equal(h.n_runs, 5);
    assert_int_equal(nsp_history_keys(&h, &keys, &n_keys), 0);
    assert_int_equal(n_keys, 6);
    assert_string_equal(keys[0].profile, "laptop");
    free(keys);
    nsp_history_destroy(&h);
}

// The index is a cache: written by a reader, trusted only while it matches
// runs/, rebuilt when missing, stale or garbage.
static void test_index_is_a_cache(void **state) {
    (void)state;
    append(tmp_dir, "2025-02-01T02:00:00Z", "a1", "vm", 1.0);
    append(tmp_dir, "2025-02-02T02:00:00Z", "b1", "laptop", 2.0);
    char index[512];
    snprintf(index, sizeof index, "%s/index.json", tmp_dir);
    assert_int_not_equal(access(index, F_OK), 0);  // Appends do not touch it.
    nsp_history_t h;
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), 0);
    assert_int_equal(h.n_runs, 1);
    nsp_history_destroy(&h);
    assert_int_equal(access(index, F_OK), 0);
    char *text = NULL;
    assert_int_equal(nsp_file_read_all(index, &text, NULL), 0);
    assert_non_null(strstr(text, "\"profile\":\"laptop\""));
    free(text);

    // A run appended after the index was written is still seen.
    append(tmp_dir, "2025-02-03T02:00:00Z", "c1", "vm", 1.1);
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), 0);
    assert_int_equal(h.n_runs, 2);
    assert_string_equal(h.runs[1].commit, "c1");
    nsp_history_destroy(&h);

    // An entry whose file changed size is not trusted: the laptop's run,
    // replaced by a longer record of this profile, is read again.
    char runs[512], laptop[1024] = "";
    snprintf(runs, sizeof runs, "%s/runs", tmp_dir);
    DIR *d = opendir(runs);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strstr(de->d_name, "-b1-")) {
            snprintf(laptop, sizeof laptop, "%s/%s", runs, de->d_name);
        }
    }
    closedir(d);
    assert_string_not_equal(laptop, "");
    cJSON *moved = make_run("2025-02-02T02:00:00Z", "b1-rerun-on-the-vm", "vm", 1.05);
    char *moved_text = cJSON_Print(moved);
    assert_int_equal(nsp_file_write_atomic(laptop, moved_text, strlen(moved_text)), 0);
    free(moved_text);
    cJSON_Delete(moved);
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), 0);
    assert_int_equal(h.n_runs, 3);
    assert_string_equal(h.runs[1].commit, "b1-rerun-on-the-vm");
    nsp_history_destroy(&h);

    // Issue 11 item 5: a huge "bytes" was converted to long long (undefined
    // behaviour). Such an entry is dropped and its run read again.
    assert_int_equal(nsp_file_read_all(index, &text, NULL), 0);
    char *at = strstr(text, "\"bytes\":");
    assert_non_null(at);
    char *end = at + strlen("\"bytes\":");
    size_t digits = strspn(end, "0123456789");
    char *huge = malloc(strlen(text) + 16);
    assert_non_null(huge);
    snprintf(huge, strlen(text) + 16, "%.*s1e300%s", (int)(end - text), text, end + digits);
    free(text);
    write_file(tmp_dir, "index.json", huge);
    free(huge);
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), 0);
    assert_int_equal(h.n_runs, 3);
    nsp_history_destroy(&h);

    // Garbage or no index: the same answer.
    write_file(tmp_dir, "index.json", "{\"runs\": [tru");
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), 0);
    assert_int_equal(h.n_runs, 3);
    nsp_history_destroy(&h);
    unlink(index);
    assert_int_equal(nsp_history_load(&h, tmp_dir, NULL), 0);
    assert_int_equal(h.n_runs, 3);
    nsp_history_destroy(&h);

    // An interrupted append leaves a temporary file: ignored.
    write_file(tmp_dir, "runs/20250204T020000Z-d1-1-0.json.tmp.4242", "{\"schema\": 1, \"ki");
    assert_int_equal(nsp_history_load(&h, tmp_dir, NULL), 0);
    assert_int_equal(h.n_runs, 3);
    nsp_history_destroy(&h);
}

static void test_unknown_schema_rejected(void **state) {
    (void)state;
    append(tmp_dir, "2025-03-01T02:00:00Z", "a", "vm", 1.0);
    cJSON *run = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON_ReplaceItemInObject(run, "schema", cJSON_CreateNumber(2));
    char *text = cJSON_Print(run);
    write_file(tmp_dir, "runs/future.json", text);
    capture_start();
    // Appending it is refused, naming where it came from.
    assert_int_equal(nsp_history_append(tmp_dir, run, "night.json", NULL, 0), NSP_EFORMAT);
    assert_non_null(strstr(captured_log, "night.json: schema 2, this nsplay reads schema 1"));
    // Reading a history that holds it fails, naming the file.
    nsp_history_t h;
    captured_log[0] = '\0';
    assert_int_equal(nsp_history_load(&h, tmp_dir, NULL), NSP_EFORMAT);
    capture_stop();
    assert_int_equal(h.n_runs, 0);
    assert_non_null(strstr(captured_log, "/runs/future.json: schema 2, this nsplay reads schema 1"));
    free(text);
    cJSON_Delete(run);
    assert_int_equal(count_runs(tmp_dir), 2);
}

static void test_truncated_run_rejected(void **state) {
    (void)state;
    append(tmp_dir, "2025-03-01T02:00:00Z", "a", "vm", 1.0);
    cJSON *run = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    char *text = cJSON_Print(run);
    text[strlen(text) / 2] = '\0';
    write_file(tmp_dir, "runs/cut.json", text);
    free(text);
    cJSON_Delete(run);
    nsp_history_t h;
    capture_start();
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), NSP_EFORMAT);
    capture_stop();
    char want[512];
    snprintf(want, sizeof want, "%s/runs/cut.json:", tmp_dir);
    assert_non_null(strstr(captured_log, want));
    assert_non_null(strstr(captured_log, "malformed JSON"));
    // No runs/ at all: an I/O error naming it.
    capture_start();
    char missing[512];
    snprintf(missing, sizeof missing, "%s/none", tmp_dir);
    assert_int_equal(nsp_history_load(&h, missing, NULL), NSP_EIO);
    capture_stop();
    assert_non_null(strstr(captured_log, "/none/runs: cannot open"));
}

// What the validator says about records that are wrong in one place.
static void expect_invalid(cJSON *run, const char *message) {
    capture_start();
    assert_int_equal(nsp_history_validate(run, "bad.json"), NSP_EFORMAT);
    capture_stop();
    if (!strstr(captured_log, message)) {
        fail_msg("wanted '%s' in: %s", message, captured_log);
    }
    cJSON_Delete(run);
}

static void test_validation_messages(void **state) {
    (void)state;
    cJSON *ok = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    assert_int_equal(nsp_history_validate(ok, "ok.json"), 0);
    cJSON_Delete(ok);

    cJSON *r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON_DeleteItemFromObject(r, "schema");
    expect_invalid(r, "bad.json: schema: expected the number 1, got nothing");

    r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON_ReplaceItemInObject(r, "kind", cJSON_CreateString("nsplay-gate"));
    expect_invalid(r, "bad.json: kind: expected \"nsplay-night\", got \"nsplay-gate\"");

    expect_invalid(make_run("2025-03-02 02:00", "b", "vm", 1.0),
                   "bad.json: date: expected ISO-8601 UTC such as 2025-01-31T02:00:00Z, got '2025-03-02 02:00'");
    expect_invalid(make_run("2025-02-30T02:00:00Z", "b", "vm", 1.0), "date: expected ISO-8601 UTC");
    expect_invalid(make_run("2025-03-02T02:00:00+01:00", "b", "vm", 1.0), "date: expected ISO-8601 UTC");
    expect_invalid(make_run("2025-03-02T02:00:00Z", "", "vm", 1.0),
                   "bad.json: commit: expected a non-empty string, got an empty string");

    r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON *metrics = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "records"), 1), "metrics");
    cJSON_ReplaceItemInObject(metrics, "frame_median_ms", cJSON_CreateString("fast"));
    expect_invalid(r, "bad.json: records[1].metrics.frame_median_ms: expected a number in -1e+15..1e+15, got a string");

    // Issue 11 item 5: +-1e308 passed as finite and printed "-inf -> -inf".
    r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    metrics = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "records"), 0), "metrics");
    cJSON_ReplaceItemInObject(metrics, "frame_median_ms", cJSON_CreateNumber(-1e308));
    expect_invalid(r, "bad.json: records[0].metrics.frame_median_ms: expected a number in -1e+15..1e+15, got -1e+308");

    r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON *spread = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "records"), 0), "spread");
    cJSON_ReplaceItemInObject(spread, "frame_median_ms", cJSON_CreateNumber(-1));
    expect_invalid(r, "bad.json: records[0].spread.frame_median_ms: expected a number in 0..1e+15, got -1");

    r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON *records = cJSON_GetObjectItem(r, "records");
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(records, 1), "scenario", cJSON_CreateString("all6"));
    expect_invalid(r, "bad.json: records[1]: scenario 'all6' appears twice (also records[0])");

    r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON_ReplaceItemInObject(r, "records", cJSON_CreateArray());
    expect_invalid(r, "bad.json: records: expected a non-empty array");

    expect_invalid(cJSON_CreateArray(), "bad.json: expected a run record (a JSON object), got an array");
}

// Issue 11 item 9: the duplicate check was pairwise (a 50,000-record run took
// 17 s); sorted, it finds the one duplicate among 50,000 at once.
static void test_many_records(void **state) {
    (void)state;
    cJSON *r = make_run("2025-03-02T02:00:00Z", "b", "vm", 1.0);
    cJSON *records = cJSON_GetObjectItem(r, "records");
    const cJSON *first = cJSON_GetArrayItem(records, 0);
    for (int i = cJSON_GetArraySize(records); i < 50000; i++) {
        cJSON *rec = cJSON_Duplicate(first, 1);
        char name[32];
        snprintf(name, sizeof name, "s%05d", i);
        cJSON_ReplaceItemInObject(rec, "scenario", cJSON_CreateString(name));
        cJSON_AddItemToArray(records, rec);
    }
    assert_int_equal(nsp_history_validate(r, "many.json"), 0);
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(records, 49999), "scenario", cJSON_CreateString("s01234"));
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(records, 40000), "scenario", cJSON_CreateString("s00100"));
    expect_invalid(r, "bad.json: records[40000]: scenario 's00100' appears twice (also records[100])");
}

static void test_parse_date(void **state) {
    (void)state;
    int64_t t = 0;
    assert_true(nsp_history_parse_date("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(nsp_history_parse_date("2000-03-01T00:00:01.25Z", &t));
    assert_int_equal(t, 951868801250000LL);
    assert_true(nsp_history_parse_date("2024-02-29T23:59:59Z", &t));
    assert_false(nsp_history_parse_date("2023-02-29T00:00:00Z", &t));
    assert_false(nsp_history_parse_date("2025-01-01T24:00:00Z", &t));
    assert_false(nsp_history_parse_date("2025-01-01T00:00:00.Z", &t));
    assert_false(nsp_history_parse_date("2025-01-01T00:00:00Zjunk", &t));
    assert_false(nsp_history_parse_date("2025-01-01", &t));
}

// Several processes append at once: every run is there, no file is broken.
static void test_concurrent_appends(void **state) {
    (void)state;
    enum { PROCS = 4, EACH = 8 };
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        assert_int_not_equal(pids[p], -1);
        if (pids[p] == 0) {
            int failed = 0;
            for (int k = 0; k < EACH; k++) {
                // The same date for all: names must still differ.
                char commit[32];
                snprintf(commit, sizeof commit, "p%dk%d", p, k);
                cJSON *run = make_run("2025-04-01T02:00:00Z", commit, "vm", 1.0 + k);
                failed |= nsp_history_append(tmp_dir, run, commit, NULL, 0) != 0;
                cJSON_Delete(run);
                // Readers run alongside the writers.
                nsp_history_t h;
                failed |= nsp_history_load(&h, tmp_dir, "vm") != 0;
                nsp_history_destroy(&h);
            }
            _exit(failed);
        }
    }
    for (int p = 0; p < PROCS; p++) {
        int status = 0;
        assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
        if (!WIFEXITED(status)) {
            fail_msg("appender %d did not exit (wait status %d)", p, status);
        }
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    assert_int_equal(count_runs(tmp_dir), PROCS * EACH);
    nsp_history_t h;
    assert_int_equal(nsp_history_load(&h, tmp_dir, "vm"), 0);
    assert_int_equal(h.n_runs, PROCS * EACH);
    for (int p = 0; p < PROCS; p++) {
        for (int k = 0; k < EACH; k++) {
            char commit[32];
            snprintf(commit, sizeof commit, "p%dk%d", p, k);
            int found = 0;
            for (int i = 0; i < h.n_runs; i++) {
                found += strcmp(h.runs[i].commit, commit) == 0;
            }
            assert_int_equal(found, 1);
        }
    }
    nsp_history_destroy(&h);
}

static void test_higher_is_better(void **state) {
    (void)state;
    assert_false(nsp_history_higher_is_better("frame_median_ms"));
    assert_false(nsp_history_higher_is_better("draw_calls"));
    assert_true(nsp_history_higher_is_better("playback_fps"));
    assert_true(nsp_history_higher_is_better("frames_per_s"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_index_is_a_cache, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_schema_rejected, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test_setup_teardown(test_truncated_run_rejected, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test(test_validation_messages),
        cmocka_unit_test(test_many_records),
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test_setup_teardown(test_concurrent_appends, tmp_dir_setup, tmp_dir_teardown),
        cmocka_unit_test(test_higher_is_better),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
