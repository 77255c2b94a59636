// The null backend's exact per-frame counts, overlay by overlay: these are
// the numbers the gate compares with zero tolerance.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render/render.h"

typedef struct fixture {
    nsp_scenario_t sc;
    nsp_scene_t scene;
    nsp_render_null_t r;
} fixture_t;

static fixture_t fx;

static void setup_grid(unsigned overlays, int grid) {
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    d.overlays = overlays;
    d.grid_size = grid;
    assert_int_equal(nsp_scenario_init(&fx.sc, &d), 0);
    assert_int_equal(nsp_scene_init(&fx.scene, &(nsp_scene_desc_t){.scenario = &fx.sc}), 0);
    nsp_render_null_init(&fx.r, &fx.scene);
}

static void setup_overlays(unsigned overlays) {
    setup_grid(overlays, 50);
}

static int teardown(void **state) {
    (void)state;
    nsp_scene_destroy(&fx.scene);
    nsp_scenario_destroy(&fx.sc);
    return 0;
}

static const nsp_render_counters_t *draw_frame(int64_t frame) {
    const nsp_frame_t *f = nsp_scene_update(&fx.scene, frame);
    nsp_render_null_upload(&fx.r, f);
    nsp_render_null_draw(&fx.r, f);
    return &fx.r.last;
}

// The field alone is always drawn: one 50x50 RGBA upload and one triangle
// (the background, clipped to the field).
#define FIELD_BYTES (50 * 50 * 4)
#define BG NSP_BACKGROUND_VERTICES

static void test_position(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_POSITION);
    // Frame 20: a 15-point trail = 14 segments * 6 = 84 vertices, plus 1 marker.
    const nsp_render_counters_t *c = draw_frame(20);
    assert_int_equal(c->texture_uploads, 1);
    assert_int_equal(c->draw_calls, 3);  // Background, trail, marker.
    assert_int_equal(c->vertices, BG + 84 + 1);
    assert_int_equal(c->buffer_uploads, 2);
    assert_int_equal(c->bytes_uploaded, FIELD_BYTES + (84 + 1) * 16);
    // Frame 0: no trail segment, so no trail draw at all.
    c = draw_frame(0);
    assert_int_equal(c->draw_calls, 2);
    assert_int_equal(c->vertices, BG + 1);
}

static void test_bodyparts(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_BODYPARTS);
    const nsp_render_counters_t *c = draw_frame(100);
    // 4 edges * 6 = 24 (keypoints never coincide), 5 nodes.
    assert_int_equal(c->draw_calls, 3);
    assert_int_equal(c->vertices, BG + 24 + 5);
    assert_int_equal(c->bytes_uploaded, FIELD_BYTES + 29 * 16);
}

static void test_head_direction(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_HEAD_DIRECTION);
    const nsp_render_counters_t *c = draw_frame(100);
    assert_int_equal(c->draw_calls, 2);
    assert_int_equal(c->vertices, BG + 9);
}

static void test_events(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_EVENTS);
    int64_t f = 200;
    uint32_t visible = (uint32_t)(fx.sc.ev_first[f + 1] - fx.sc.ev_first[f - 9]);
    assert_true(visible > 0);
    const nsp_render_counters_t *c = draw_frame(f);
    assert_int_equal(c->draw_calls, 2);
    assert_int_equal(c->vertices, BG + visible);
    assert_int_equal(c->bytes_uploaded, FIELD_BYTES + visible * 16);
}

static void test_timeseries(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_TIMESERIES);
    const nsp_render_counters_t *c = draw_frame(100);
    uint32_t text = nsp_label_vertices(&fx.scene);
    // Labels "1.3" "0.0" "-1.3" "-2 s" "0 s" "LFP (mV)": 3+3+4+3+2+7 glyphs.
    assert_int_equal(text, 22 * 6);
    // Background, trace (60 segments), cursor, decoration, text.
    assert_int_equal(c->draw_calls, 5);
    assert_int_equal(c->vertices, BG + 360 + 6 + fx.scene.decor_count + text);
    assert_int_equal(c->bytes_uploaded, FIELD_BYTES + (360 + 6) * 16);
}

static void test_video(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_VIDEO);
    const nsp_render_counters_t *c = draw_frame(100);
    // The core composites the 50x50 field over the 100x100 video: one
    // 100x100 RGBA image, drawn by the one background triangle.
    assert_int_equal(c->texture_uploads, 1);
    assert_int_equal(c->draw_calls, 1);
    assert_int_equal(c->vertices, BG);
    assert_int_equal(c->bytes_uploaded, 100 * 100 * 4);
}

// Grid 64 and video 100 have no common multiple up to NSP_COMPOSITE_MAX
// (1,600): field and video go up as they are, the shader composites.
static void test_video_uncomposited(void **state) {
    (void)state;
    setup_grid(NSP_OVERLAY_VIDEO, 64);
    const nsp_render_counters_t *c = draw_frame(100);
    assert_int_equal(c->texture_uploads, 2);
    assert_int_equal(c->draw_calls, 1);
    assert_int_equal(c->bytes_uploaded, 64 * 64 * 4 + 100 * 100 * 3);
}

static void test_totals_accumulate(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_ALL);
    uint64_t draws = 0;
    for (int64_t f = 0; f < 100; f++) {
        draws += draw_frame(f)->draw_calls;
    }
    assert_int_equal(fx.r.total.frames, 100);
    assert_int_equal(fx.r.total.draw_calls, draws);
    assert_int_equal(fx.r.total.texture_uploads, 100);  // The composite, each frame.
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_position, teardown),
        cmocka_unit_test_teardown(test_bodyparts, teardown),
        cmocka_unit_test_teardown(test_head_direction, teardown),
        cmocka_unit_test_teardown(test_events, teardown),
        cmocka_unit_test_teardown(test_timeseries, teardown),
        cmocka_unit_test_teardown(test_video, teardown),
        cmocka_unit_test_teardown(test_video_uncomposited, teardown),
        cmocka_unit_test_teardown(test_totals_accumulate, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
