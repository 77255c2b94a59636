// Tier e of the gate (gate/tier_glpath.h): reading callgrind_annotate's and
// apitrace's output, judging counts against a baseline (the phase and the
// call that grew are named), and a baseline's round trip.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "gate/tier_glpath.h"
#include "log_capture.h"
#define TMP_DIR_PREFIX "nsplay-test-glpath"
#include "tmp_dir.h"

static void assert_contains(const char *text, const char *needle) {
    if (!strstr(text, needle)) {
        fail_msg("wanted '%s' in: %s", needle, text);
    }
}

static void assert_lacks(const char *text, const char *needle) {
    if (strstr(text, needle)) {
        fail_msg("did not want '%s' in: %s", needle, text);
    }
}

static const char *write_file(const char *rel, const char *text) {
    const char *path = tmp_write(rel, text);
    assert_non_null(path);
    return path;
}

static double value(const nsp_gate_metrics_t *m, const char *name) {
    for (int i = 0; i < m->n; i++) {
        if (strcmp(m->name[i], name) == 0) {
            return m->v[i];
        }
    }
    return NAN;
}

// A frame of the dump: one texture upload of 400 bytes, one buffer upload of
// 48, a bind, a draw, the tracer's frame terminator and the finish.
#define FRAME                                                                                                          \
    "11 glTexSubImage2D(target = GL_TEXTURE_2D, level = 0, width = 10, height = 10, pixels = blob(400))\n"             \
    "12 glBufferSubData(target = GL_ARRAY_BUFFER, offset = 0, size = 48, data = blob(48))\n"                           \
    "13 glUseProgram(program = 3)\n"                                                                                   \
    "14 glDrawArrays(mode = GL_TRIANGLES, first = 0, count = 6)\n"                                                     \
    "15 glFrameTerminatorGREMEDY()\n"                                                                                  \
    "16 glFinish()\n"

static const char *dump_text(int frames) {
    static char text[8192];
    snprintf(text, sizeof text, "1 eglGetCurrentDisplay() = NULL\n"
                                "2 glCreateShader(type = GL_VERTEX_SHADER) = 1\n"
                                "3 glShaderSource(shader = 1, string = {\"#version 330 core\n"
                                "void main() {}\n"
                                "\"})\n"
                                "4 glTexImage2D(target = GL_TEXTURE_2D, width = 10, height = 10, pixels = blob(400))\n");
    for (int i = 0; i < frames + 1; i++) {
        strcat(text, FRAME);
    }
    strcat(text, "90 glDeleteVertexArrays(n = 1)\n91 glDrawArrays(mode = GL_TRIANGLES, first = 0, count = 6)\n");
    return text;
}

// Only the timed frames count: not set-up, not the warm-up frame, not
// tear-down; bytes come from the data blobs.
static void test_dump_counts_the_timed_frames(void **state) {
    (void)state;
    nsp_glpath_t g = {0};
    assert_int_equal(nsp_glpath_read_dump(write_file("dump.txt", dump_text(NSP_GLPATH_FRAMES)), &g), 0);
    assert_true(g.has_calls);
    const double n = NSP_GLPATH_FRAMES;
    assert_float_equal(value(&g.calls, "draw_calls"), n, 0);
    assert_float_equal(value(&g.calls, "texture_uploads"), n, 0);
    assert_float_equal(value(&g.calls, "texture_upload_bytes"), 400 * n, 0);
    assert_float_equal(value(&g.calls, "texture_specifications"), 0, 0);
    assert_float_equal(value(&g.calls, "buffer_upload_bytes"), 48 * n, 0);
    assert_float_equal(value(&g.calls, "program_binds"), n, 0);
    assert_float_equal(value(&g.calls, "finishes"), n, 0);
    assert_float_equal(value(&g.calls, "queries"), 0, 0);
    assert_float_equal(value(&g.calls, "gl_calls"), 5 * n, 0);
    assert_true(isnan(value(&g.functions, "glFrameTerminatorGREMEDY")));
    assert_float_equal(value(&g.functions, "glFinish"), n, 0);
    assert_true(isnan(value(&g.functions, "glCreateShader")));
}

static void test_dump_with_other_frames_is_an_error(void **state) {
    (void)state;
    nsp_glpath_t g = {0};
    capture_start();
    assert_int_equal(nsp_glpath_read_dump(write_file("short.txt", dump_text(NSP_GLPATH_FRAMES - 2)), &g),
                     NSP_EFORMAT);
    assert_contains(captured_log, "timed frames");
    capture_stop();
}

static void test_annotate_reads_each_phase(void **state) {
    (void)state;
    const char *text = "--------------------------------------------------------------------------------\n"
                       "287,977,289 (100.0%)  PROGRAM TOTALS\n"
                       "280,378,140 (97.36%)  ???:frame_raster.isra.0 [/x/nsplay]\n"
                       "  4,982,139 ( 1.73%)  ???:frame_step [/x/nsplay]\n"
                       "  2,218,580 ( 0.77%)  ???:frame_submit.isra.0 [/x/nsplay]\n"
                       "    373,015 ( 0.13%)  ???:frame_upload.isra.0 [/x/nsplay]\n";
    nsp_glpath_t g = {0};
    assert_int_equal(nsp_glpath_read_annotate(write_file("ann.txt", text), &g), 0);
    assert_float_equal(value(&g.instructions, "raster"), 280378140.0, 0);
    assert_float_equal(value(&g.instructions, "step"), 4982139.0, 0);
    assert_float_equal(value(&g.instructions, "submit"), 2218580.0, 0);
    assert_float_equal(value(&g.instructions, "upload"), 373015.0, 0);
    assert_float_equal(value(&g.instructions, "frame"), 287977289.0, 0);
    capture_start();
    assert_int_equal(nsp_glpath_read_annotate(write_file("ann2.txt", "1,000 (100.0%)  PROGRAM TOTALS\n"), &g),
                     NSP_EFORMAT);
    assert_contains(captured_log, "frame_step");
    capture_stop();
}

// The field's raster, started early by a flush inside frame_submit
// (render_gl.c's raster_begin), is raster: moved out of submit.
static void test_annotate_counts_the_early_raster_as_raster(void **state) {
    (void)state;
    const char *text = "287,977,289 (100.0%)  PROGRAM TOTALS\n"
                       "180,000,000 (62.50%)  ???:frame_submit.isra.0 [/x/nsplay]\n"
                       "177,781,420 (61.73%)  ???:raster_begin [/x/nsplay]\n"
                       "100,378,140 (34.86%)  ???:frame_raster.isra.0 [/x/nsplay]\n"
                       "  4,982,139 ( 1.73%)  ???:frame_step [/x/nsplay]\n"
                       "    373,015 ( 0.13%)  ???:frame_upload.isra.0 [/x/nsplay]\n";
    nsp_glpath_t g = {0};
    assert_int_equal(nsp_glpath_read_annotate(write_file("ann3.txt", text), &g), 0);
    assert_float_equal(value(&g.instructions, "submit"), 180000000.0 - 177781420.0, 0);
    assert_float_equal(value(&g.instructions, "raster"), 100378140.0 + 177781420.0, 0);
    assert_float_equal(value(&g.instructions, "step"), 4982139.0, 0);
    assert_float_equal(value(&g.instructions, "frame"), 287977289.0, 0);
}

static void sample(nsp_glpath_t *g) {
    memset(g, 0, sizeof *g);
    snprintf(g->digest, sizeof g->digest, "abc");
    snprintf(g->stack, sizeof g->stack, "stack-1");
    const char *phases[] = {"step", "upload", "submit", "raster", "frame"};
    const double ir[] = {1000, 2000, 3000, 100000, 106000};
    for (int i = 0; i < 5; i++) {
        snprintf(g->instructions.name[i], NSP_GATE_NAME_MAX, "%s", phases[i]);
        g->instructions.v[i] = ir[i];
    }
    g->instructions.n = 5;
    snprintf(g->calls.name[0], NSP_GATE_NAME_MAX, "finishes");
    g->calls.v[0] = 5;
    g->calls.n = 1;
    snprintf(g->functions.name[0], NSP_GATE_NAME_MAX, "glFinish");
    g->functions.v[0] = 5;
    g->functions.n = 1;
    g->has_instructions = g->has_calls = true;
}

static int judge(const nsp_glpath_t *base, const nsp_glpath_t *cur, char *summary) {
    static nsp_gate_result_t res;
    memset(&res, 0, sizeof res);
    return nsp_glpath_judge(&res, base, cur, summary, 256);
}

static void test_judge_names_the_phase_and_the_call(void **state) {
    (void)state;
    static nsp_glpath_t base, cur;
    char summary[256];
    sample(&base);
    sample(&cur);
    assert_int_equal(judge(&base, &cur, summary), 0);
    assert_string_equal(summary, "pass");
    // 0.2% more raster fails (limit 0.1%); 0.5% more upload does not (1%).
    cur.instructions.v[3] = 100200;
    cur.instructions.v[1] = 2010;
    assert_int_equal(judge(&base, &cur, summary), 1);
    assert_contains(summary, "raster +0.2% instructions");
    assert_lacks(summary, "upload");
    // One GL call more fails, with zero tolerance, by name.
    sample(&cur);
    cur.calls.v[0] = 6;
    cur.functions.v[0] = 6;
    assert_int_equal(judge(&base, &cur, summary), 2);
    assert_contains(summary, "glFinish +1");
    // A function the baseline never called is named too.
    sample(&cur);
    snprintf(cur.functions.name[1], NSP_GATE_NAME_MAX, "glTexImage2D");
    cur.functions.v[1] = 5;
    cur.functions.n = 2;
    assert_int_equal(judge(&base, &cur, summary), 1);
    assert_contains(summary, "glTexImage2D +5");
}

static void test_baseline_round_trip(void **state) {
    (void)state;
    static nsp_glpath_t cur, back;
    sample(&cur);
    char path[1024];
    nsp_glpath_path(tmp_dir, "events", &cur, path, sizeof path);
    assert_contains(path, "/glpath/stack-1/events.json");
    const nsp_gate_scenario_t *sc = nsp_gate_scenario_find("events");
    assert_non_null(sc);
    FILE *out = fopen("/dev/null", "w");
    assert_int_equal(nsp_glpath_record(path, sc, "c1", &cur, NULL, out), 0);
    fclose(out);
    bool found = false;
    assert_int_equal(nsp_glpath_load(path, "events", &back, &found), 0);
    assert_true(found);
    assert_string_equal(back.digest, "abc");
    assert_float_equal(value(&back.instructions, "raster"), 100000.0, 0);
    assert_float_equal(value(&back.functions, "glFinish"), 5.0, 0);
    char summary[256];
    assert_int_equal(judge(&back, &cur, summary), 0);
    // No file: not found, no error; a file of the wrong kind: named.
    assert_int_equal(nsp_glpath_load(tmp_path("none.json"), "events", &back, &found), 0);
    assert_false(found);
    capture_start();
    assert_int_equal(nsp_glpath_load(write_file("bad.json", "{\"schema\": 1, \"kind\": \"timing\"}"), "events", &back,
                                     &found),
                     NSP_EFORMAT);
    assert_contains(captured_log, "bad.json");
    capture_stop();
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dump_counts_the_timed_frames),
        cmocka_unit_test(test_dump_with_other_frames_is_an_error),
        cmocka_unit_test(test_annotate_reads_each_phase),
        cmocka_unit_test(test_annotate_counts_the_early_raster_as_raster),
        cmocka_unit_test(test_judge_names_the_phase_and_the_call),
        cmocka_unit_test(test_baseline_round_trip),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, tmp_dir_teardown);
}
