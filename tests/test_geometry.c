// Per-frame overlay builders, with cases worked out by hand.
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/geometry.h"

#include "assert_double.h"

static const nsp_space_t UNIT = {1.0f, 1.0f};
static const nsp_rgba_t RED = {255, 0, 0, 255};
static const nsp_rgba_t WHITE = {255, 255, 255, 255};

#define BUF(name, n)                                                                                                   \
    nsp_vertex_t name##_v[n];                                                                                          \
    nsp_vbuf_t name = {name##_v, n, 0, false}

static void test_segment_is_a_quad_of_the_width(void **state) {
    (void)state;
    BUF(b, 6);
    // A horizontal segment (0,0)-(10,0), 2 px wide at 1 px/unit: y = +-1.
    assert_int_equal(nsp_segment_build(&b, &UNIT, (nsp_vec2_t){0, 0}, (nsp_vec2_t){10, 0}, 2.0f, RED), 6);
    float ymin = 1e9f, ymax = -1e9f, xmin = 1e9f, xmax = -1e9f;
    for (int i = 0; i < 6; i++) {
        ymin = fminf(ymin, b_v[i].y);
        ymax = fmaxf(ymax, b_v[i].y);
        xmin = fminf(xmin, b_v[i].x);
        xmax = fmaxf(xmax, b_v[i].x);
        assert_int_equal(b_v[i].rgba[0], 255);
        assert_double_equal(b_v[i].size_px, 0.0);
    }
    assert_float_equal(ymin, -1.0f, 1e-6);
    assert_float_equal(ymax, 1.0f, 1e-6);
    assert_float_equal(xmin, 0.0f, 1e-6);
    assert_float_equal(xmax, 10.0f, 1e-6);
}

// With 16 px per unit in x and 4 in y, a vertical segment 2 px wide spans
// 2 / 16 units in x: the width is in pixels, not data units.
static void test_segment_width_in_pixels_on_anisotropic_space(void **state) {
    (void)state;
    BUF(b, 6);
    nsp_space_t sp = {16.0f, 4.0f};
    nsp_segment_build(&b, &sp, (nsp_vec2_t){1, 0}, (nsp_vec2_t){1, 5}, 2.0f, RED);
    float xmin = 1e9f, xmax = -1e9f;
    for (int i = 0; i < 6; i++) {
        xmin = fminf(xmin, b_v[i].x);
        xmax = fmaxf(xmax, b_v[i].x);
    }
    assert_float_equal(xmax - xmin, 2.0f / 16.0f, 1e-6);
}

static void test_segment_nan_degenerate_and_overflow(void **state) {
    (void)state;
    BUF(b, 8);
    assert_int_equal(nsp_segment_build(&b, &UNIT, (nsp_vec2_t){NAN, 0}, (nsp_vec2_t){1, 1}, 2, RED), 0);
    assert_int_equal(nsp_segment_build(&b, &UNIT, (nsp_vec2_t){1, 1}, (nsp_vec2_t){1, 1}, 2, RED), 0);
    assert_int_equal(b.len, 0);
    assert_false(b.overflow);
    assert_int_equal(nsp_segment_build(&b, &UNIT, (nsp_vec2_t){0, 0}, (nsp_vec2_t){1, 1}, 2, RED), 6);
    // Only 2 slots left: nothing written, overflow flagged.
    assert_int_equal(nsp_segment_build(&b, &UNIT, (nsp_vec2_t){0, 0}, (nsp_vec2_t){1, 1}, 2, RED), 0);
    assert_int_equal(b.len, 6);
    assert_true(b.overflow);
}

static void test_trail_window(void **state) {
    (void)state;
    int64_t first, count;
    nsp_trail_window(3, 15, &first, &count);
    assert_int_equal(first, 0);
    assert_int_equal(count, 4);  // Frames 0, 1, 2, 3.
    nsp_trail_window(0, 15, &first, &count);
    assert_int_equal(count, 1);
    nsp_trail_window(100, 15, &first, &count);
    assert_int_equal(first, 86);
    assert_int_equal(count, 15);
    assert_int_equal(nsp_trail_max_vertices(15), 84);
    assert_int_equal(nsp_trail_max_vertices(1), 0);
}

static void test_trail_build_fades(void **state) {
    (void)state;
    nsp_vec2_t traj[5] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}};
    BUF(b, 84);
    // Frame 3: 4 points, 3 segments; alpha of segment i = 255 * (i + 1) / 4.
    assert_int_equal(nsp_trail_build(&b, &UNIT, traj, 3, 15, 2.0f, RED), 18);
    assert_int_equal(b_v[0].rgba[3], 128);   // 255 * 2/4 = 127.5, rounded.
    assert_int_equal(b_v[6].rgba[3], 191);   // 255 * 3/4 = 191.25.
    assert_int_equal(b_v[12].rgba[3], 255);
    // The newest segment ends at the current position (x = 3).
    float xmax = -1;
    for (int i = 12; i < 18; i++) {
        xmax = fmaxf(xmax, b_v[i].x);
    }
    assert_float_equal(xmax, 3.0f, 1e-6);
    // Frame 0: a single point, no segment.
    b.len = 0;
    assert_int_equal(nsp_trail_build(&b, &UNIT, traj, 0, 15, 2.0f, RED), 0);
    // A NaN position (lost tracking) drops the two segments touching it.
    traj[2].x = NAN;
    b.len = 0;
    assert_int_equal(nsp_trail_build(&b, &UNIT, traj, 4, 15, 2.0f, RED), 12);
}

static void test_point_and_nan(void **state) {
    (void)state;
    BUF(b, 2);
    assert_int_equal(nsp_point_build(&b, (nsp_vec2_t){2, 3}, 12.0f, RED), 1);
    assert_float_equal(b_v[0].size_px, 12.0f, 0);
    assert_float_equal(b_v[0].x, 2.0f, 0);
    assert_int_equal(nsp_point_build(&b, (nsp_vec2_t){INFINITY, 3}, 12.0f, RED), 0);
    assert_int_equal(b.len, 1);
}

static void test_skeleton(void **state) {
    (void)state;
    nsp_vec2_t kp[5] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}};
    BUF(edges, 24);
    BUF(nodes, 5);
    // 4 edges * 6 + 5 nodes.
    assert_int_equal(nsp_skeleton_build(&edges, &nodes, &UNIT, kp, 5, 2.0f, RED, 8.0f, WHITE), 29);
    assert_int_equal(edges.len, 24);
    assert_int_equal(nodes.len, 5);
    assert_float_equal(nodes_v[4].x, 4.0f, 0);
    assert_int_equal(nodes_v[0].rgba[1], 255);
    // A missing keypoint hides its node and both edges that touch it.
    kp[1].y = NAN;
    edges.len = nodes.len = 0;
    assert_int_equal(nsp_skeleton_build(&edges, &nodes, &UNIT, kp, 5, 2.0f, RED, 8.0f, WHITE), 12 + 4);
}

static void test_arrow_tip_lies_along_heading(void **state) {
    (void)state;
    nsp_vec2_t p = {10, 10};
    nsp_vec2_t tip = nsp_arrow_tip(p, (float)(NSP_PI / 2), 3.0f);
    assert_float_equal(tip.x, 10.0f, 1e-5);
    assert_float_equal(tip.y, 13.0f, 1e-5);
    tip = nsp_arrow_tip(p, (float)(3 * NSP_PI / 4), 3.0f);
    assert_float_equal(tip.x, 10.0f - 3.0f / sqrtf(2.0f), 1e-5);
    assert_float_equal(tip.y, 10.0f + 3.0f / sqrtf(2.0f), 1e-5);

    BUF(b, NSP_ARROW_MAX_VERTICES);
    assert_int_equal(nsp_arrow_build(&b, &UNIT, p, 0.0f, 3.0f, 1.0f, RED), 9);
    // Heading 0: every vertex within x in [10, 13], the head's point at (13, 10).
    float xmax = -1;
    for (int i = 0; i < 9; i++) {
        assert_double_in_range(b_v[i].x, 10.0f - 1e-5f, 13.0f + 1e-5f);
        xmax = fmaxf(xmax, b_v[i].x);
    }
    assert_float_equal(b_v[6].x, 13.0f, 1e-5);
    assert_float_equal(b_v[6].y, 10.0f, 1e-5);
    b.len = 0;
    assert_int_equal(nsp_arrow_build(&b, &UNIT, p, NAN, 3.0f, 1.0f, RED), 0);
    assert_int_equal(nsp_arrow_build(&b, &UNIT, (nsp_vec2_t){NAN, 1}, 0.0f, 3.0f, 1.0f, RED), 0);
    assert_int_equal(b.len, 0);
}

static void test_event_alpha(void **state) {
    (void)state;
    // An event at frame 10 with decay 10.
    assert_float_equal(nsp_event_alpha(10, 9, 10), 0.0f, 0);
    assert_float_equal(nsp_event_alpha(10, 10, 10), 1.0f, 0);
    assert_float_equal(nsp_event_alpha(10, 15, 10), 0.5f, 1e-6);
    assert_float_equal(nsp_event_alpha(10, 19, 10), 0.1f, 1e-6);
    assert_float_equal(nsp_event_alpha(10, 20, 10), 0.0f, 0);
    assert_float_equal(nsp_event_alpha(10, 25, 10), 0.0f, 0);
}

static void test_events_build(void **state) {
    (void)state;
    // Frames 0..29; events: two at frame 10, one at 12, one at 25.
    nsp_vec2_t pos[4] = {{1, 1}, {2, 2}, {3, 3}, {4, 4}};
    int32_t first[31];
    for (int f = 0; f <= 30; f++) {
        first[f] = f <= 10 ? 0 : f <= 12 ? 2 : f <= 25 ? 3 : 4;
    }
    BUF(b, 8);
    assert_int_equal(nsp_events_build(&b, pos, first, 9, 10, 5.0f, RED), 0);
    assert_int_equal(nsp_events_build(&b, pos, first, 10, 10, 5.0f, RED), 2);
    assert_int_equal(b_v[0].rgba[3], 255);
    b.len = 0;
    // Frame 19: events of 10 (alpha 0.1 -> 26) and 12 (alpha 0.3 -> 77).
    assert_int_equal(nsp_events_build(&b, pos, first, 19, 10, 5.0f, RED), 3);
    assert_int_equal(b_v[0].rgba[3], 26);
    assert_int_equal(b_v[2].rgba[3], 77);
    assert_float_equal(b_v[2].x, 3.0f, 0);
    b.len = 0;
    // Frame 20: the frame-10 events are gone.
    assert_int_equal(nsp_events_build(&b, pos, first, 20, 10, 5.0f, RED), 1);
}

static void test_timeseries_window(void **state) {
    (void)state;
    assert_int_equal(nsp_timeseries_window_samples(30.0, 2.0), 61);
    assert_int_equal(nsp_timeseries_max_vertices(30.0, 2.0), 360);
    float s[100];
    for (int i = 0; i < 100; i++) {
        s[i] = (float)i * 0.01f;
    }
    nsp_space_t sp = {100.0f, 100.0f};
    BUF(b, 360);
    // Frame 5: samples 0..5, 5 segments, x from -5/30 s to 0.
    assert_int_equal(nsp_timeseries_build(&b, &sp, s, 100, 5, 30.0, 2.0, -1.0f, 1.0f, 1.0f, RED), 30);
    float xmin = 1e9f, xmax = -1e9f;
    for (size_t i = 0; i < b.len; i++) {
        xmin = fminf(xmin, b_v[i].x);
        xmax = fmaxf(xmax, b_v[i].x);
    }
    assert_float_equal(xmin, -5.0f / 30.0f, 0.006f);  // Half a line width of slack.
    assert_float_equal(xmax, 0.0f, 0.006f);
    // Frame 99: the full 61-sample window, 60 segments.
    b.len = 0;
    assert_int_equal(nsp_timeseries_build(&b, &sp, s, 100, 99, 30.0, 2.0, -1.0f, 1.0f, 1.0f, RED), 360);
    // Values beyond the y-range are clamped to it; a NaN sample breaks the line.
    s[98] = 5.0f;
    s[97] = NAN;
    b.len = 0;
    assert_int_equal(nsp_timeseries_build(&b, &sp, s, 100, 99, 30.0, 2.0, -1.0f, 1.0f, 1.0f, RED), 348);
    for (size_t i = 0; i < b.len; i++) {
        assert_double_in_range(b_v[i].y, -INFINITY, 1.0f + 0.01f);
    }
}

static void test_field_rgba(void **state) {
    (void)state;
    // A 2x2 grid with bins 0 and 3 active: values 0 and 1 over [0, 1].
    uint8_t img[16] = {0};
    const float values[2] = {0.0f, 1.0f};
    const int32_t bins[2] = {0, 3};
    nsp_field_rgba(values, bins, 2, 0.0f, 1.0f, img);
    // viridis(0) = (68, 1, 84), viridis(1) = (253, 231, 37), opaque.
    assert_int_equal(img[0], 68);
    assert_int_equal(img[1], 1);
    assert_int_equal(img[2], 84);
    assert_int_equal(img[3], 255);
    assert_int_equal(img[12], 253);
    assert_int_equal(img[13], 231);
    assert_int_equal(img[14], 37);
    // Inactive bins untouched: transparent.
    for (int i = 4; i < 12; i++) {
        assert_int_equal(img[i], 0);
    }
}

static void test_composite_size(void **state) {
    (void)state;
    assert_int_equal(nsp_composite_size(50, 100), 100);
    assert_int_equal(nsp_composite_size(100, 100), 100);
    assert_int_equal(nsp_composite_size(75, 100), 0);  // 300 > NSP_COMPOSITE_MAX.
    assert_int_equal(nsp_composite_size(40, 100), 200);
    assert_int_equal(nsp_composite_size(64, 100), 0);  // 1,600: too large.
    assert_int_equal(nsp_composite_size(0, 100), 0);
}

// A 1x1 field over a 2x2 video into 2x2, and a 2x2 field over a 1x1 video.
static void test_composite_field_video(void **state) {
    (void)state;
    // Video rows top first: top row 100, 200; bottom row 10, 20 (grey).
    const uint8_t video[2 * 2 * 3] = {100, 100, 100, 200, 200, 200, 10, 10, 10, 20, 20, 20};
    uint8_t out[2 * 2 * 4];
    // A transparent field: 0.3 x video, opaque; output row 0 is the bottom.
    const uint8_t clear[4] = {0, 0, 0, 0};
    nsp_composite_field_video(clear, 1, video, 2, 0.3f, out, 2);
    const uint8_t want_clear[16] = {3, 3, 3, 255, 6, 6, 6, 255, 30, 30, 30, 255, 60, 60, 60, 255};
    assert_memory_equal(out, want_clear, sizeof want_clear);
    // An opaque field hides the video.
    const uint8_t red[4] = {255, 0, 0, 255};
    nsp_composite_field_video(red, 1, video, 2, 0.3f, out, 2);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(out[4 * i], 255);
        assert_int_equal(out[4 * i + 1], 0);
        assert_int_equal(out[4 * i + 3], 255);
    }
    // A 2x2 field (row 0 at the bottom) over a 1x1 video of 200: the
    // half-transparent bin mixes, 0.5 x 255 + 0.5 x 60 = 157.5 -> 158 (the
    // alpha 128/255 makes it 157.8).
    const uint8_t field[2 * 2 * 4] = {0, 0, 0, 0, 255, 255, 255, 128, 0, 0, 255, 255, 0, 0, 0, 0};
    const uint8_t grey[3] = {200, 200, 200};
    nsp_composite_field_video(field, 2, grey, 1, 0.3f, out, 2);
    const uint8_t want[16] = {60, 60, 60, 255, 158, 158, 158, 255, 0, 0, 255, 255, 60, 60, 60, 255};
    assert_memory_equal(out, want, sizeof want);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_composite_size),
        cmocka_unit_test(test_composite_field_video),
        cmocka_unit_test(test_segment_is_a_quad_of_the_width),
        cmocka_unit_test(test_segment_width_in_pixels_on_anisotropic_space),
        cmocka_unit_test(test_segment_nan_degenerate_and_overflow),
        cmocka_unit_test(test_trail_window),
        cmocka_unit_test(test_trail_build_fades),
        cmocka_unit_test(test_point_and_nan),
        cmocka_unit_test(test_skeleton),
        cmocka_unit_test(test_arrow_tip_lies_along_heading),
        cmocka_unit_test(test_event_alpha),
        cmocka_unit_test(test_events_build),
        cmocka_unit_test(test_timeseries_window),
        cmocka_unit_test(test_field_rgba),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
