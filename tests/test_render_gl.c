// The OpenGL backend, offscreen: its counts equal the null backend's for
// every configuration, and its pixels land where the layout says, in the
// colours the scenario says. Exits 77 (skipped) when no context can be made.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/colormap.h"
#include "core/error.h"
#include "platform/platform.h"
#include "render/font.h"
#include "render/render_gl.h"
#include "headless_gl.h"

// Large enough for every canvas here (field 800 + dock 300, 800 high).
#define TARGET_W 1100
#define TARGET_H 800

typedef struct fixture {
    nsp_scenario_t sc;
    nsp_scene_t scene;
    nsp_render_null_t null;
    nsp_render_gl_t gl;
    uint8_t *rgba;
} fixture_t;

static nsp_platform_t platform;
static fixture_t fx;

static void setup_grid(unsigned overlays, int grid) {
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    d.overlays = overlays;
    d.grid_size = grid;
    assert_int_equal(nsp_scenario_init(&fx.sc, &d), 0);
    assert_int_equal(nsp_scene_init(&fx.scene, &(nsp_scene_desc_t){.scenario = &fx.sc}), 0);
    nsp_render_null_init(&fx.null, &fx.scene);
    assert_int_equal(nsp_render_gl_init(&fx.gl, &fx.scene), 0);
    fx.rgba = malloc((size_t)fx.scene.layout.canvas_w * (size_t)fx.scene.layout.canvas_h * 4);
    assert_non_null(fx.rgba);
}

static void setup_overlays(unsigned overlays) {
    setup_grid(overlays, 50);
}

static int teardown(void **state) {
    (void)state;
    nsp_render_gl_destroy(&fx.gl);
    nsp_scene_destroy(&fx.scene);
    nsp_scenario_destroy(&fx.sc);
    free(fx.rgba);
    fx.rgba = NULL;
    return 0;
}

// Draws frame with both backends; the GL one finished and read back.
static void draw_frame(int64_t frame) {
    const nsp_frame_t *f = nsp_scene_update(&fx.scene, frame);
    nsp_render_null_upload(&fx.null, f);
    nsp_render_null_draw(&fx.null, f);
    nsp_render_gl_upload(&fx.gl, f);
    assert_int_equal(nsp_render_gl_draw(&fx.gl, f), 0);
    nsp_render_gl_finish(&fx.gl);
}

static void read_back(void) {
    assert_int_equal(nsp_render_gl_read_rgba(&fx.gl, fx.rgba), 0);
}

static const uint8_t *pixel(int x, int y) {
    assert_true(x >= 0 && x < fx.scene.layout.canvas_w && y >= 0 && y < fx.scene.layout.canvas_h);
    return fx.rgba + ((size_t)y * (size_t)fx.scene.layout.canvas_w + (size_t)x) * 4;
}

static void assert_pixel_near(int x, int y, int r, int g, int b, int tol) {
    const uint8_t *p = pixel(x, y);
    if (abs(p[0] - r) > tol || abs(p[1] - g) > tol || abs(p[2] - b) > tol) {
        fail_msg("pixel (%d, %d) is (%d, %d, %d), expected (%d, %d, %d) +-%d", x, y, p[0], p[1], p[2], r, g, b, tol);
    }
}

static void assert_counters_equal(const nsp_render_counters_t *gl, const nsp_render_counters_t *null) {
    assert_int_equal(gl->frames, null->frames);
    assert_int_equal(gl->draw_calls, null->draw_calls);
    assert_int_equal(gl->vertices, null->vertices);
    assert_int_equal(gl->bytes_uploaded, null->bytes_uploaded);
    assert_int_equal(gl->texture_uploads, null->texture_uploads);
    assert_int_equal(gl->buffer_uploads, null->buffer_uploads);
}

// the eight configurations of requirements §R5.
static const unsigned CONFIGS[8] = {
    NSP_OVERLAY_POSITION,   NSP_OVERLAY_BODYPARTS,
    NSP_OVERLAY_HEAD_DIRECTION, NSP_OVERLAY_EVENTS,
    NSP_OVERLAY_TIMESERIES, NSP_OVERLAY_VIDEO,
    NSP_OVERLAY_ALL & ~(unsigned)NSP_OVERLAY_VIDEO, NSP_OVERLAY_ALL,
};

static void test_counters_match_null(void **state) {
    (void)state;
    // Frame 0 has no trail; 14 and 15 straddle the full 15-frame trail.
    static const int64_t frames[] = {0, 1, 14, 15, 100, 250, 499};
    for (int i = 0; i < 8; i++) {
        setup_overlays(CONFIGS[i]);
        for (size_t k = 0; k < sizeof frames / sizeof frames[0]; k++) {
            draw_frame(frames[k]);
            assert_counters_equal(&fx.gl.last, &fx.null.last);
        }
        assert_counters_equal(&fx.gl.total, &fx.null.total);
        // At least the background every frame.
        assert_true(fx.gl.total.draw_calls >= sizeof frames / sizeof frames[0]);
        teardown(NULL);
    }
}

// Environment point to canvas pixel (y up in the environment, down on the canvas).
static void env_to_px(const nsp_scene_t *s, double x, double y, int *px, int *py) {
    const nsp_rect_t f = s->layout.field;
    *px = f.x + (int)floor(x * f.w / s->sc->grid);
    *py = f.y + f.h - 1 - (int)floor(y * f.h / s->sc->grid);
}

// A bin at least min_dist environment units from every trail point of frame.
static int32_t bin_far_from_trail(int64_t frame, int want_active, double min_dist) {
    const nsp_scenario_t *sc = &fx.sc;
    for (int32_t bin = 0; bin < sc->grid * sc->grid; bin++) {
        if ((sc->active[bin] != 0) != (want_active != 0)) {
            continue;
        }
        double cx = bin % sc->grid + 0.5, cy = bin / sc->grid + 0.5;
        int far = 1;
        for (int64_t f = frame - sc->desc.trail_frames; f <= frame && far; f++) {
            if (f >= 0) {
                far = hypot(sc->trajectory[f].x - cx, sc->trajectory[f].y - cy) >= min_dist;
            }
        }
        if (far) {
            return bin;
        }
    }
    fail_msg("no %s bin %.1f units from the trail", want_active ? "active" : "inactive", min_dist);
    return -1;
}

static void test_field_and_position_pixels(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_POSITION);
    const int64_t frame = 100;
    draw_frame(frame);
    read_back();
    const nsp_scenario_t *sc = &fx.sc;
    float *values = malloc((size_t)sc->n_active * sizeof *values);
    assert_non_null(values);
    assert_int_equal(nsp_scenario_field(sc, frame, values), 0);
    // An active bin's centre shows its viridis colour.
    int32_t bin = bin_far_from_trail(frame, 1, 4.0);
    int32_t idx = 0;
    while (sc->active_bins[idx] != bin) {
        idx++;
    }
    uint8_t want[4];
    nsp_viridis_rgba(values[idx], sc->field_lo, sc->field_hi, want);
    int px, py;
    env_to_px(&fx.scene, bin % sc->grid + 0.5, bin / sc->grid + 0.5, &px, &py);
    assert_pixel_near(px, py, want[0], want[1], want[2], 2);
    free(values);
    // An inactive bin, without video, is black.
    bin = bin_far_from_trail(frame, 0, 4.0);
    env_to_px(&fx.scene, bin % sc->grid + 0.5, bin / sc->grid + 0.5, &px, &py);
    assert_pixel_near(px, py, 0, 0, 0, 0);
    // The marker: red at the animal's position.
    env_to_px(&fx.scene, sc->trajectory[frame].x, sc->trajectory[frame].y, &px, &py);
    assert_pixel_near(px, py, 255, 0, 0, 2);
    teardown(NULL);
}

// The video shows through inactive bins at alpha 0.3, its first row at the
// top, sampled nearest (as napari shows images): compare with the texel under
// the pixel's centre, computed here. At grid 50 the core composites field
// and video into one image; at grid 64 (no small common multiple with the
// video's 100) the shader does: the same pixels either way.
static void check_video_under_inactive_bins(int grid) {
    setup_grid(NSP_OVERLAY_VIDEO, grid);
    assert_true((fx.scene.frame.video_rgb == NULL) == (grid == 50));
    const int64_t frame = 42;
    draw_frame(frame);
    read_back();
    uint8_t *video = malloc(NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
    assert_non_null(video);
    assert_int_equal(nsp_scenario_video(&fx.sc, frame, video), 0);
    const nsp_rect_t f = fx.scene.layout.field;
    int checked = 0;
    for (int32_t bin = 0; bin < fx.sc.grid * fx.sc.grid && checked < 20; bin++) {
        if (fx.sc.active[bin]) {
            continue;
        }
        int px, py;
        env_to_px(&fx.scene, bin % fx.sc.grid + 0.5, bin / fx.sc.grid + 0.5, &px, &py);
        // The pixel's centre picks the texel, as nearest sampling does.
        int x = (int)floor((px - f.x + 0.5) * NSP_VIDEO_SIZE / f.w);
        int y = (int)floor((py - f.y + 0.5) * NSP_VIDEO_SIZE / f.h);
        int want[3];
        for (int c = 0; c < 3; c++) {
            want[c] = (int)lround(0.3 * video[(y * NSP_VIDEO_SIZE + x) * 3 + c]);
        }
        assert_pixel_near(px, py, want[0], want[1], want[2], 3);
        checked++;
    }
    assert_int_equal(checked, 20);
    free(video);
    teardown(NULL);
}

static void test_video_under_inactive_bins(void **state) {
    (void)state;
    check_video_under_inactive_bins(50);
    check_video_under_inactive_bins(64);
}

// Lit texels of a string's glyphs in the font.
static int font_lit_texels(const char *text) {
    int n = 0;
    for (const char *c = text; *c; c++) {
        for (int row = 0; row < NSP_FONT_CELL_H; row++) {
            for (int col = 0; col < NSP_FONT_CELL_W; col++) {
                n += *c != ' ' && nsp_font_lit(*c, col, row);
            }
        }
    }
    return n;
}

static void test_dock_text_and_trace(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_TIMESERIES);
    draw_frame(100);
    read_back();
    const nsp_rect_t d = fx.scene.layout.dock, p = fx.scene.layout.dock_plot;
    // Above the plot (right of the tick labels) only the title is drawn: at
    // 2x each lit texel of "LFP (mV)" is 4 lit pixels, the rest is panel.
    int lit = 0, panel = 0, other = 0;
    for (int y = d.y; y < p.y - 1; y++) {
        for (int x = p.x; x < d.x + d.w; x++) {
            const uint8_t *px = pixel(x, y);
            if (px[0] > 200 && px[1] > 200 && px[2] > 200) {
                lit++;
            } else if (px[0] == 24 && px[1] == 24 && px[2] == 28) {
                panel++;
            } else {
                other++;
            }
        }
    }
    assert_int_equal(lit, 4 * font_lit_texels("LFP (mV)"));
    assert_int_equal(other, 0);
    assert_true(panel > 0);
    // The trace is visible over the panel: cyan pixels inside the plot.
    int cyan = 0;
    for (int y = p.y + 1; y < p.y + p.h - 1; y++) {
        for (int x = p.x + 1; x < p.x + p.w - 2; x++) {
            const uint8_t *px = pixel(x, y);
            cyan += px[0] < 60 && px[1] > 200 && px[2] > 200;
        }
    }
    assert_true(cyan > 100);
    teardown(NULL);
}

static void test_floor_frame(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_ALL);
    draw_frame(3);
    const nsp_render_counters_t before = fx.gl.total;
    nsp_render_gl_draw_floor(&fx.gl);
    nsp_render_gl_finish(&fx.gl);
    read_back();
    // The floor's texture is the field image's size, stretched over the
    // canvas (nearest): pixel (x, y) shows texel (x * size / w, y * size / h),
    // whose colour is (its x, its y, 128).
    const int size = fx.scene.frame.image_size, w = fx.scene.layout.canvas_w, h = fx.scene.layout.canvas_h;
    static const int pts[][2] = {{0, 0}, {300, 17}, {799, 400}, {1099, 799}, {555, 256}};
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        int x = pts[i][0], y = pts[i][1];
        assert_pixel_near(x, y, (int)((2 * x + 1) * size / (2 * w)), (int)((2 * y + 1) * size / (2 * h)), 128, 0);
    }
    // The floor frame is no frame of the plan: no counter moves.
    assert_int_equal(fx.gl.total.frames, before.frames);
    assert_int_equal(fx.gl.total.draw_calls, before.draw_calls);
    teardown(NULL);
}

// One time per frame, in order, from the ring of timer queries or (where
// init leaves them off: a software rasteriser) NaN.
static void check_paint_times(void) {
    enum { FRAMES = 20 };
    uint64_t seq[FRAMES + 4];
    double ms[FRAMES + 4];
    size_t got = 0;
    for (int64_t f = 0; f < FRAMES; f++) {
        draw_frame(f);
        // Without waiting: whatever is ready, never more than was drawn.
        got += nsp_render_gl_take_paint_ms(&fx.gl, seq + got, ms + got, FRAMES + 4 - got, false);
        assert_true(got <= (size_t)f + 1);
    }
    got += nsp_render_gl_take_paint_ms(&fx.gl, seq + got, ms + got, FRAMES + 4 - got, true);
    assert_int_equal(got, FRAMES);
    for (size_t i = 0; i < got; i++) {
        assert_int_equal(seq[i], i);
        if (fx.gl.timer_queries) {
            if (!(isfinite(ms[i]) && ms[i] > 0.0 && ms[i] < 10000.0)) {
                fail_msg("paint time %zu is %g ms", i, ms[i]);
            }
        } else {
            assert_true(isnan(ms[i]));
        }
    }
    assert_int_equal(nsp_render_gl_take_paint_ms(&fx.gl, seq, ms, FRAMES, true), 0);
    assert_int_equal(fx.gl.paint_lost, 0);
    // Nobody taking times for long loses the oldest, counted.
    for (int64_t f = 0; f < 3 * NSP_RENDER_GL_QUERY_RING + 5; f++) {
        draw_frame(f);
    }
    got = 0;
    size_t n;
    while ((n = nsp_render_gl_take_paint_ms(&fx.gl, seq, ms, 4, true)) > 0) {
        got += n;
    }
    assert_int_equal(got + fx.gl.paint_lost, 3 * NSP_RENDER_GL_QUERY_RING + 5);
}

static void test_paint_times(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_ALL);
    check_paint_times();
    teardown(NULL);
}

// The ring of timer queries, run even here: on a GPU it is what times paint.
static void test_paint_times_from_timer_queries(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_ALL);
    nsp_render_gl_use_timer_queries(&fx.gl);
    if (!fx.gl.timer_queries) {
        skip();  // No GL_TIME_ELAPSED in this context: said, not passed.
    }
    check_paint_times();
    teardown(NULL);
}

static void test_backend_table(void **state) {
    (void)state;
    setup_overlays(NSP_OVERLAY_POSITION | NSP_OVERLAY_TIMESERIES);
    nsp_backend_t be = nsp_render_gl_backend(&fx.gl);
    const nsp_frame_t *f = nsp_scene_update(&fx.scene, 10);
    be.upload(be.self, f);
    be.draw(be.self, f);
    be.finish(be.self);
    nsp_render_null_upload(&fx.null, f);
    nsp_render_null_draw(&fx.null, f);
    assert_counters_equal(be.counters(be.self, 0), &fx.null.last);
    assert_ptr_equal(be.counters(be.self, 1), &fx.gl.total);
    assert_non_null(be.draw_floor);
    assert_int_equal(be.take_paint_ms != NULL, fx.gl.timer_queries);
    // Target size and resize, read-back: what the viewer and `nsplay render`
    // use instead of the renderer's own struct.
    int w = 0, h = 0;
    be.target_size(be.self, &w, &h);
    assert_int_equal(w, fx.scene.layout.canvas_w);
    assert_int_equal(h, fx.scene.layout.canvas_h);
    be.resize(be.self, 300, 200);
    be.target_size(be.self, &w, &h);
    assert_int_equal(w, 300);
    assert_int_equal(h, 200);
    be.resize(be.self, fx.scene.layout.canvas_w, fx.scene.layout.canvas_h);
    be.upload(be.self, f);
    be.draw(be.self, f);
    assert_int_equal(be.read_rgba(be.self, fx.rgba), 0);
    // The test variant both backends know: extra empty draws, counted alike.
    nsp_backend_t nb = nsp_render_null_backend(&fx.null);
    assert_int_equal(be.set_test(be.self, "extra_draws", 2), 0);
    assert_int_equal(nb.set_test(nb.self, "extra_draws", 2), 0);
    draw_frame(11);
    assert_counters_equal(&fx.gl.last, &fx.null.last);
    assert_int_equal(be.set_test(be.self, "no_such_variant", 1), NSP_EINVAL);
    teardown(NULL);
}

// Every GL-side test variant (tier e's regressions, "gl:NAME") draws the
// same pixels as the normal path: with the core's composite (all six, grid
// 50) and with the shader compositing the video (grid 64: no common size).
static void test_gl_variants_same_pixels(void **state) {
    (void)state;
    static const char *const variants[] = {"gl:second_pass", "gl:blend_background", "gl:costly_background",
                                           "gl:mid_frame_finish", "gl:respecify_texture"};
    static const struct {
        unsigned overlays;
        int grid;
    } scenes[] = {{NSP_OVERLAY_ALL, 50}, {NSP_OVERLAY_VIDEO | NSP_OVERLAY_POSITION, 64}};
    for (size_t k = 0; k < sizeof scenes / sizeof scenes[0]; k++) {
        setup_grid(scenes[k].overlays, scenes[k].grid);
        const size_t bytes = (size_t)fx.scene.layout.canvas_w * (size_t)fx.scene.layout.canvas_h * 4;
        uint8_t *normal = malloc(bytes);
        assert_non_null(normal);
        // Two frames each, so blending state left by a frame meets the next.
        draw_frame(6);
        draw_frame(7);
        read_back();
        memcpy(normal, fx.rgba, bytes);
        nsp_backend_t be = nsp_render_gl_backend(&fx.gl);
        for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
            assert_int_equal(be.set_test(be.self, variants[i], 1), 0);
            draw_frame(6);
            draw_frame(7);
            read_back();
            assert_int_equal(be.set_test(be.self, variants[i], 0), 0);
            size_t first_diff = bytes;
            for (size_t j = 0; j < bytes && first_diff == bytes; j++) {
                first_diff = fx.rgba[j] != normal[j] ? j : bytes;
            }
            if (first_diff != bytes) {
                fail_msg("%s (grid %d): byte %zu is %d, the normal path's %d", variants[i], scenes[k].grid, first_diff,
                         fx.rgba[first_diff], normal[first_diff]);
            }
        }
        free(normal);
        teardown(NULL);
    }
}

static void test_destroy_zeroed(void **state) {
    (void)state;
    nsp_render_gl_t r = {0};
    nsp_render_gl_destroy(&r);
    nsp_render_gl_destroy(&r);
    assert_int_equal(r.target_w, 0);
}

int main(void) {
    int status = headless_gl_or_status(&platform, TARGET_W, TARGET_H);
    if (status) {
        return status;
    }
    printf("GL: %s, %s\n", nsp_platform_gl_renderer(&platform), nsp_platform_gl_version(&platform));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_counters_match_null, teardown),
        cmocka_unit_test_teardown(test_field_and_position_pixels, teardown),
        cmocka_unit_test_teardown(test_video_under_inactive_bins, teardown),
        cmocka_unit_test_teardown(test_dock_text_and_trace, teardown),
        cmocka_unit_test_teardown(test_floor_frame, teardown),
        cmocka_unit_test_teardown(test_paint_times, teardown),
        cmocka_unit_test_teardown(test_paint_times_from_timer_queries, teardown),
        cmocka_unit_test_teardown(test_backend_table, teardown),
        cmocka_unit_test_teardown(test_gl_variants_same_pixels, teardown),
        cmocka_unit_test_teardown(test_destroy_zeroed, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    nsp_platform_destroy(&platform);
    return failed;
}
