// Tests for core/playback: which frame is shown and which are dropped when a
// fake clock says how long each frame took to render, plus init validation
// and a short run on the real clock.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/error.h"
#include "core/playback.h"
#include "assert_double.h"
#include "log_capture.h"

// A start far from 0, so a controller that forgot start_ns would be caught.
#define T0_NS 5000000000u

// The fake clock reads `now_ns`; the fake sleep jumps it to the deadline and
// records what it was asked, including deadlines already passed (which the
// controller should never ask for).
typedef struct fake_clock {
    uint64_t now_ns;
    int sleeps;
    int needless_sleeps;
    uint64_t last_deadline_ns;
} fake_clock_t;

static uint64_t fake_now(void *user) {
    return ((fake_clock_t *)user)->now_ns;
}

static void fake_sleep_until(uint64_t t_ns, void *user) {
    fake_clock_t *fc = user;
    fc->sleeps++;
    fc->last_deadline_ns = t_ns;
    if (t_ns <= fc->now_ns) {
        fc->needless_sleeps++;
    } else {
        fc->now_ns = t_ns;
    }
}

static nsp_playback_desc_t fake_desc(fake_clock_t *fc, double fps, int64_t first, int64_t count) {
    nsp_playback_desc_t d = {
        .fps = fps,
        .first_frame = first,
        .frame_count = count,
        .clock = fake_now,
        .sleep_until = fake_sleep_until,
        .clock_user = fc,
    };
    return d;
}

// A controller on the fake clock, started at T0_NS.
typedef struct session {
    fake_clock_t fc;
    nsp_playback_t pb;
} session_t;

static void start(session_t *s, double fps, int64_t first, int64_t count) {
    s->fc = (fake_clock_t){.now_ns = T0_NS};
    nsp_playback_desc_t d = fake_desc(&s->fc, fps, first, count);
    assert_int_equal(nsp_playback_init(&s->pb, &d), 0);
}

// The next call shows frame want.
static void expect_frame(session_t *s, int64_t want) {
    int64_t frame = -1;
    assert_true(nsp_playback_next(&s->pb, &frame));
    assert_int_equal(frame, want);
}

// So far the session showed shown frames and dropped dropped.
static void assert_counts(const session_t *s, int64_t shown, int64_t dropped) {
    assert_int_equal(s->pb.shown, shown);
    assert_int_equal(s->pb.dropped, dropped);
}

static void test_init_starts_clock_and_resets(void **state) {
    (void)state;
    fake_clock_t fc = {.now_ns = T0_NS};
    nsp_playback_desc_t d = fake_desc(&fc, 30.0, 0, 10);
    nsp_playback_t pb;
    memset(&pb, 0x5A, sizeof pb);
    assert_int_equal(nsp_playback_init(&pb, &d), 0);
    assert_int_equal(pb.start_ns, T0_NS);
    assert_int_equal(pb.last_frame, -1);
    assert_int_equal(pb.shown, 0);
    assert_int_equal(pb.dropped, 0);
    // 0 / 0 frames: defined as 0.
    assert_double_equal(nsp_playback_skip_rate(&pb), 0.0);
}

// Renders that take exactly 1.5 periods at 30 fps: period 100/3 ms, render
// 50 ms. The m-th call (from 0) reads t = 50 m ms and frame floor(1.5 m) is
// due, so the frames shown are 0, 1, 3, 4, 6, 7, ... and those = 2 (mod 3)
// are dropped. Call 199 shows floor(298.5) = 298; call 200 reads t = 10 s,
// frame 300 is due, so 299 is dropped and the session ends. Shown: calls
// 0..199 = 200; dropped: 2, 5, ..., 299 = 100; skip rate 100 / 300 = 1/3.
// elapsed_ns * 30 / 1e9 = 1.5 m is exact, so no boundary is in doubt.
static void test_render_one_and_a_half_periods(void **state) {
    (void)state;
    session_t s;
    start(&s, 30.0, 0, 300);

    int64_t frame = -1;
    int64_t calls = 0;
    while (nsp_playback_next(&s.pb, &frame)) {
        // floor(1.5 m) = (3 m) / 2 in integers.
        assert_int_equal(frame, (3 * calls) / 2);
        assert_int_not_equal(frame % 3, 2);
        calls++;
        s.fc.now_ns += 50000000u;
    }
    assert_int_equal(calls, 200);
    assert_counts(&s, 200, 100);
    assert_int_equal(s.pb.shown + s.pb.dropped, 300);
    assert_near(nsp_playback_skip_rate(&s.pb), 1.0 / 3.0, 1e-15);
    // Always late or on time: never asked to wait.
    assert_int_equal(s.fc.sleeps, 0);

    // The session stays ended and the end's drops are not counted twice.
    s.fc.now_ns += 1000000000u;
    assert_false(nsp_playback_next(&s.pb, &frame));
    assert_counts(&s, 200, 100);
}

// Renders of 2.5 periods at 25 fps: period 40 ms, render 100 ms (a whole
// number of ns, which 2.5 periods at 30 fps would not be). Call m reads
// t = 100 m ms and shows floor(2.5 m): 0, 2, 5, 7, 10, ... Call 119 shows
// floor(297.5) = 297; call 120 reads t = 12 s, frame 300 is due, 298 and 299
// are dropped and the session ends. Shown 120, dropped 180, rate 0.6.
static void test_render_two_and_a_half_periods(void **state) {
    (void)state;
    session_t s;
    start(&s, 25.0, 0, 300);

    int64_t frame = -1;
    int64_t calls = 0;
    int64_t dropped_before = 0;
    while (nsp_playback_next(&s.pb, &frame)) {
        assert_int_equal(frame, (5 * calls) / 2);
        // Between two shows 1 or 2 frames are dropped (the gap alternates
        // 2, 3, 2, 3 frames); the first show drops none.
        int64_t step = s.pb.dropped - dropped_before;
        if (calls == 0) {
            assert_int_equal(step, 0);
        } else {
            assert_int_equal(step, calls % 2 == 1 ? 1 : 2);
        }
        dropped_before = s.pb.dropped;
        calls++;
        s.fc.now_ns += 100000000u;
    }
    assert_int_equal(calls, 120);
    assert_counts(&s, 120, 180);
    assert_near(nsp_playback_skip_rate(&s.pb), 0.6, 1e-15);
    assert_int_equal(s.fc.sleeps, 0);
}

// Renders of 10 ms at 30 fps finish early every time, so each frame after the
// first waits for its slot: frame k's deadline is T0 + ceil(k * 1e9 / 30) ns.
// Frame 0 is due at once. Nothing is dropped; 299 sleeps, none needless.
static void test_render_faster_than_period_waits(void **state) {
    (void)state;
    session_t s;
    start(&s, 30.0, 0, 300);

    int64_t frame = -1;
    int64_t expected = 0;
    while (nsp_playback_next(&s.pb, &frame)) {
        assert_int_equal(frame, expected);
        if (expected == 1) {
            // ceil(33333333.3) = 33333334 ns after start.
            assert_int_equal(s.fc.last_deadline_ns, T0_NS + 33333334u);
        } else if (expected == 3) {
            // 3 periods are exactly 100 ms: no rounding up.
            assert_int_equal(s.fc.last_deadline_ns, T0_NS + 100000000u);
        }
        // The controller returns at the slot it slept to.
        if (expected > 0) {
            assert_int_equal(s.fc.now_ns, s.fc.last_deadline_ns);
        }
        expected++;
        s.fc.now_ns += 10000000u;
    }
    assert_int_equal(expected, 300);
    assert_counts(&s, 300, 0);
    assert_double_equal(nsp_playback_skip_rate(&s.pb), 0.0);
    assert_int_equal(s.fc.sleeps, 299);
    assert_int_equal(s.fc.needless_sleeps, 0);
    // Frame 299: 299e9 / 30 = 9966666666.7, rounded up.
    assert_int_equal(s.fc.last_deadline_ns, T0_NS + 9966666667u);
}

// A render that ends exactly on a slot boundary shows that slot's frame: at
// t = 2 periods (fps 10: 200 ms) frame 2 is due, frame 1 dropped.
static void test_slot_boundary_is_inclusive(void **state) {
    (void)state;
    session_t s;
    start(&s, 10.0, 0, 10);
    expect_frame(&s, 0);
    s.fc.now_ns = T0_NS + 200000000u;
    expect_frame(&s, 2);
    assert_int_equal(s.pb.dropped, 1);
    // One ns before slot 4 (400 ms): frame 3 is due, exactly next, no sleep.
    s.fc.now_ns = T0_NS + 399999999u;
    expect_frame(&s, 3);
    assert_int_equal(s.pb.dropped, 1);
    assert_int_equal(s.fc.sleeps, 0);
}

// first_frame = 10 of 20 at 10 fps: frame k's slot starts (k - 10) * 100 ms
// after start. A first call 250 ms late finds frame 12 due: 10 and 11 are
// dropped. An early call then sleeps until frame 13's slot at 300 ms.
static void test_first_frame_offsets_slots(void **state) {
    (void)state;
    session_t s;
    start(&s, 10.0, 10, 20);

    s.fc.now_ns = T0_NS + 250000000u;
    expect_frame(&s, 12);
    assert_int_equal(s.pb.dropped, 2);
    assert_int_equal(s.pb.last_frame, 12);

    expect_frame(&s, 13);
    assert_int_equal(s.fc.sleeps, 1);
    assert_int_equal(s.fc.last_deadline_ns, T0_NS + 300000000u);
    assert_counts(&s, 2, 2);
}

// A caller that stalls past the end: frames 0 and 1 of 5 are shown, then the
// clock jumps 10 s. Frames 2, 3, 4 are dropped (not the thousands of slots
// past the end) and next returns false.
static void test_stall_past_end_drops_only_remaining(void **state) {
    (void)state;
    session_t s;
    start(&s, 100.0, 0, 5);
    int64_t frame = -1;
    expect_frame(&s, 0);
    expect_frame(&s, 1);
    s.fc.now_ns += 10000000000u;
    frame = -7;
    assert_false(nsp_playback_next(&s.pb, &frame));
    // frame is not written when the session has ended.
    assert_int_equal(frame, -7);
    assert_counts(&s, 2, 3);
    assert_near(nsp_playback_skip_rate(&s.pb), 0.6, 1e-15);
    assert_int_equal(s.pb.last_frame, 4);
}

// The last frame shown ends the session without another clock read mattering.
static void test_ends_after_last_frame_shown(void **state) {
    (void)state;
    session_t s;
    start(&s, 10.0, 3, 4);
    int64_t frame = -1;
    expect_frame(&s, 3);
    assert_false(nsp_playback_next(&s.pb, &frame));
    assert_counts(&s, 1, 0);
    assert_int_equal(s.fc.sleeps, 0);
}

// For fps that are not whole numbers, floor(elapsed * fps / 1e9) can land
// one frame off the deadlines the controller sleeps to (at fps = 1000/3, a
// hair under 1000/3 as a double, frame 11's deadline rounds up to 33000001 ns
// while the estimate at 33000000 already says 11; frame 17's is 51000000 ns
// where the estimate says 16.99999...). Whatever the rounding, the two must
// agree: a fresh controller first called exactly at frame k's deadline shows
// k, and called 1 ns before it shows k - 1.
static void test_due_frame_agrees_with_sleep_deadlines(void **state) {
    (void)state;
    const double fps_list[] = {1000.0 / 3.0, 29.97, 0.7, 59.94};
    enum { FRAMES = 2000 };
    for (size_t f = 0; f < sizeof fps_list / sizeof fps_list[0]; f++) {
        double fps = fps_list[f];
        // Rendering in no time makes every call early, so the controller
        // sleeps to each frame's deadline in turn; record them.
        static uint64_t deadline_ns[FRAMES];
        fake_clock_t fc = {.now_ns = T0_NS};
        nsp_playback_desc_t d = fake_desc(&fc, fps, 0, FRAMES);
        nsp_playback_t pb;
        assert_int_equal(nsp_playback_init(&pb, &d), 0);
        int64_t frame = -1;
        assert_true(nsp_playback_next(&pb, &frame));
        for (int64_t k = 1; k < FRAMES; k++) {
            assert_true(nsp_playback_next(&pb, &frame));
            assert_int_equal(frame, k);
            deadline_ns[k] = fc.last_deadline_ns;
            // Deadlines rise strictly and stay within 1 ns of k / fps.
            assert_in_range(deadline_ns[k], (k > 1 ? deadline_ns[k - 1] : T0_NS) + 1, UINT64_MAX);
            assert_near((double)(deadline_ns[k] - T0_NS), (double)k * 1e9 / fps, 1.0);
        }
        assert_int_equal(fc.needless_sleeps, 0);

        for (int64_t k = 1; k < FRAMES; k++) {
            fake_clock_t at = {.now_ns = T0_NS};
            nsp_playback_desc_t da = fake_desc(&at, fps, 0, FRAMES);
            assert_int_equal(nsp_playback_init(&pb, &da), 0);
            at.now_ns = deadline_ns[k];
            assert_true(nsp_playback_next(&pb, &frame));
            if (frame != k) {
                print_error("fps %.17g: at frame %lld's deadline got %lld\n", fps, (long long)k,
                            (long long)frame);
            }
            assert_int_equal(frame, k);
            assert_int_equal(at.sleeps, 0);

            at.now_ns = T0_NS;
            assert_int_equal(nsp_playback_init(&pb, &da), 0);
            at.now_ns = deadline_ns[k] - 1;
            assert_true(nsp_playback_next(&pb, &frame));
            if (frame != k - 1) {
                print_error("fps %.17g: 1 ns before frame %lld's deadline got %lld\n", fps,
                            (long long)k, (long long)frame);
            }
            assert_int_equal(frame, k - 1);
            assert_int_equal(at.sleeps, 0);
        }
    }
}

static void expect_init_error(const nsp_playback_desc_t *d, const char *field) {
    capture_start();
    nsp_playback_t pb;
    assert_int_equal(nsp_playback_init(&pb, d), NSP_EINVAL);
    capture_stop();
    assert_int_equal(captured_count, 1);
    assert_only_errors_logged();
    if (strstr(captured_log, field) == NULL) {
        print_error("message \"%s\" does not name %s\n", captured_log, field);
    }
    assert_non_null(strstr(captured_log, field));
}

static void test_init_rejects_bad_fps(void **state) {
    (void)state;
    fake_clock_t fc = {.now_ns = T0_NS};
    const double bad[] = {0.0, -30.0, 1000.5, 1e9, NAN, INFINITY};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        nsp_playback_desc_t d = fake_desc(&fc, bad[i], 0, 10);
        expect_init_error(&d, "fps");
    }
    // The message states the accepted range.
    capture_start();
    nsp_playback_desc_t d = fake_desc(&fc, 0.0, 0, 10);
    nsp_playback_t pb;
    assert_int_equal(nsp_playback_init(&pb, &d), NSP_EINVAL);
    assert_non_null(strstr(captured_log, "1000"));
}

static void test_init_accepts_fps_bounds(void **state) {
    (void)state;
    fake_clock_t fc = {.now_ns = T0_NS};
    nsp_playback_t pb;
    nsp_playback_desc_t d = fake_desc(&fc, 1000.0, 0, 10);
    assert_int_equal(nsp_playback_init(&pb, &d), 0);
    d = fake_desc(&fc, 0.5, 0, 10);
    assert_int_equal(nsp_playback_init(&pb, &d), 0);
}

static void test_init_rejects_bad_frames(void **state) {
    (void)state;
    fake_clock_t fc = {.now_ns = T0_NS};
    nsp_playback_desc_t d = fake_desc(&fc, 30.0, -1, 10);
    expect_init_error(&d, "first_frame");
    // frame_count equal to first_frame is an empty session.
    d = fake_desc(&fc, 30.0, 5, 5);
    expect_init_error(&d, "frame_count");
    d = fake_desc(&fc, 30.0, 5, 4);
    expect_init_error(&d, "frame_count");
    d = fake_desc(&fc, 30.0, 0, 0);
    expect_init_error(&d, "frame_count");
}

static void test_init_rejects_custom_clock_without_sleep(void **state) {
    (void)state;
    fake_clock_t fc = {.now_ns = T0_NS};
    nsp_playback_desc_t d = fake_desc(&fc, 30.0, 0, 10);
    d.sleep_until = NULL;
    expect_init_error(&d, "sleep_until");
}

// The real clock and sleep, briefly: 5 frames at 1000 fps. Whatever the
// machine's load, every frame is shown or dropped exactly once, and the clock
// has reached the last shown frame's slot when next hands it out.
static void test_real_clock(void **state) {
    (void)state;
    nsp_playback_desc_t d = {.fps = 1000.0, .first_frame = 0, .frame_count = 5};
    nsp_playback_t pb;
    assert_int_equal(nsp_playback_init(&pb, &d), 0);
    int64_t frame = -1;
    int64_t prev = -1;
    while (nsp_playback_next(&pb, &frame)) {
        assert_in_range(frame, prev + 1, INT64_MAX);
        uint64_t now_ns = nsp_clock_now_ns(NULL);
        // Slot of frame k: k ms after start.
        assert_in_range(now_ns, pb.start_ns + (uint64_t)frame * 1000000u, UINT64_MAX);
        prev = frame;
    }
    assert_int_equal(pb.shown + pb.dropped, 5);
    uint64_t a = nsp_clock_now_ns(NULL);
    uint64_t b = nsp_clock_now_ns(NULL);
    assert_in_range(b, a, UINT64_MAX);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_starts_clock_and_resets),
        cmocka_unit_test(test_render_one_and_a_half_periods),
        cmocka_unit_test(test_render_two_and_a_half_periods),
        cmocka_unit_test(test_render_faster_than_period_waits),
        cmocka_unit_test(test_slot_boundary_is_inclusive),
        cmocka_unit_test(test_first_frame_offsets_slots),
        cmocka_unit_test(test_stall_past_end_drops_only_remaining),
        cmocka_unit_test(test_ends_after_last_frame_shown),
        cmocka_unit_test(test_due_frame_agrees_with_sleep_deadlines),
        cmocka_unit_test_teardown(test_init_rejects_bad_fps, capture_teardown),
        cmocka_unit_test(test_init_accepts_fps_bounds),
        cmocka_unit_test_teardown(test_init_rejects_bad_frames, capture_teardown),
        cmocka_unit_test_teardown(test_init_rejects_custom_clock_without_sleep, capture_teardown),
        cmocka_unit_test(test_real_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
