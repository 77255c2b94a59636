#include "playback.h"

#include "error.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#define NS_PER_S 1000000000.0

uint64_t nsp_clock_now_ns(void *user) {
    (void)user;
    struct timespec ts;
    // CLOCK_MONOTONIC cannot fail with a valid timespec pointer, so the return
    // value carries nothing to handle.
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// The default sleep, paired with nsp_clock_now_ns: an absolute deadline on the
// same clock, so a signal that interrupts the sleep can simply retry it
// without the drift a relative sleep would accumulate.
static void sleep_until_monotonic(uint64_t t_ns, void *user) {
    (void)user;
    struct timespec ts;
    ts.tv_sec = (time_t)(t_ns / 1000000000u);
    ts.tv_nsec = (long)(t_ns % 1000000000u);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

// Offset from start_ns at which the slot of the i-th frame of the session
// (i = frame - first_frame) begins: ceil(i * 1e9 / fps) ns, the first whole
// nanosecond not before the exact slot time. i * 1e9 is exact in a double for
// i < 2^53 / 1e9 (about 9e6 frames). For an integer fps the exact quotient,
// when not an integer, is at least 1 / fps away from one, while rounding moves
// it by at most i * 1e9 / fps * 1.1e-16, under 1 / fps for those i, so the
// result is the exact ceiling. For any fps the offsets rise strictly with i,
// which is all due_index relies on.
static uint64_t slot_offset_ns(double fps, int64_t i) {
    double offset_ns = ceil((double)i * NS_PER_S / fps);
    // Saturate rather than convert an out-of-range double, which is undefined.
    if (offset_ns >= 18446744073709551616.0) {
        return UINT64_MAX;
    }
    return (uint64_t)offset_ns;
}

// The index (from first_frame) of the frame whose slot contains elapsed_ns:
// the largest i with slot_offset_ns(i) <= elapsed_ns, capped at cap since the
// controller needs nothing past the session's end.
//
// The estimate floor(elapsed_ns * fps / 1e9) is exact when fps is an integer
// and elapsed_ns * fps < 2^53: the product is then an exact integer, so the
// true quotient is either an integer or at least 1e-9 below the next one,
// while the rounded quotient q is off by at most q * 1.1e-16, under 1e-9 for
// q below about 9e6 frames. For other fps it can be one off, so the estimate
// is corrected against slot_offset_ns itself: the due frame and the sleep
// deadlines then come from one definition and cannot disagree.
static int64_t due_index(double fps, uint64_t elapsed_ns, int64_t cap) {
    double estimate = floor((double)elapsed_ns * fps / NS_PER_S);
    int64_t i = estimate < (double)cap ? (int64_t)estimate : cap;
    while (i > 0 && slot_offset_ns(fps, i) > elapsed_ns) {
        i--;
    }
    while (i < cap && slot_offset_ns(fps, i + 1) <= elapsed_ns) {
        i++;
    }
    return i;
}

int nsp_playback_init(nsp_playback_t *pb, const nsp_playback_desc_t *desc) {
    assert(pb != NULL && desc != NULL);
    // A failed init leaves a zeroed controller rather than a half-set one.
    memset(pb, 0, sizeof *pb);
    // The negated comparison also rejects NaN.
    if (!(desc->fps > 0.0 && desc->fps <= 1000.0)) {
        nsp_log(NSP_LOG_ERROR, "playback: fps is %g (expected 0 < fps <= 1000)", desc->fps);
        return NSP_EINVAL;
    }
    if (desc->first_frame < 0) {
        nsp_log(NSP_LOG_ERROR, "playback: first_frame is %lld (expected >= 0)",
                (long long)desc->first_frame);
        return NSP_EINVAL;
    }
    if (desc->frame_count <= desc->first_frame) {
        nsp_log(NSP_LOG_ERROR, "playback: frame_count is %lld (expected > first_frame, which is %lld)",
                (long long)desc->frame_count, (long long)desc->first_frame);
        return NSP_EINVAL;
    }
    // The default sleep waits on CLOCK_MONOTONIC, so pairing it with another
    // clock would sleep to a deadline read off the wrong time base.
    if (desc->clock != NULL && desc->sleep_until == NULL) {
        nsp_log(NSP_LOG_ERROR,
                "playback: sleep_until is NULL with a custom clock (expected a sleep on that clock)");
        return NSP_EINVAL;
    }

    pb->desc = *desc;
    if (pb->desc.clock == NULL) {
        pb->desc.clock = nsp_clock_now_ns;
    }
    if (pb->desc.sleep_until == NULL) {
        pb->desc.sleep_until = sleep_until_monotonic;
    }
    pb->start_ns = pb->desc.clock(pb->desc.clock_user);
    pb->last_frame = -1;
    pb->shown = 0;
    pb->dropped = 0;
    return 0;
}

bool nsp_playback_next(nsp_playback_t *pb, int64_t *frame) {
    assert(pb != NULL && frame != NULL && pb->desc.clock != NULL);
    const nsp_playback_desc_t *d = &pb->desc;
    // last_frame is -1 before the first frame, and first_frame may be later
    // than 0, so the first candidate is first_frame itself.
    int64_t next = pb->last_frame < d->first_frame ? d->first_frame : pb->last_frame + 1;
    if (next >= d->frame_count) {
        return false;
    }

    uint64_t now_ns = d->clock(d->clock_user);
    // A clock reading before start (a fake clock wound back) counts as start.
    uint64_t elapsed_ns = now_ns > pb->start_ns ? now_ns - pb->start_ns : 0;
    int64_t due = d->first_frame + due_index(d->fps, elapsed_ns, d->frame_count - d->first_frame);

    if (due < next) {
        // Early: wait for next's slot and show it. The clock is not read again,
        // as the sleep promises at least that time.
        uint64_t offset_ns = slot_offset_ns(d->fps, next - d->first_frame);
        uint64_t deadline_ns = offset_ns <= UINT64_MAX - pb->start_ns ? pb->start_ns + offset_ns
                                                                      : UINT64_MAX;
        d->sleep_until(deadline_ns, d->clock_user);
        due = next;
    } else if (due > next) {
        // Late: every frame from next up to due has had its slot pass unshown.
        // due_index stops at frame_count, so slots past the end are not
        // counted however long the caller stalled.
        pb->dropped += due - next;
        if (due >= d->frame_count) {
            // Marking the last frame as passed makes later calls return false
            // without counting these drops again.
            pb->last_frame = d->frame_count - 1;
            return false;
        }
    }

    pb->last_frame = due;
    pb->shown++;
    *frame = due;
    return true;
}

double nsp_playback_skip_rate(const nsp_playback_t *pb) {
    assert(pb != NULL);
    int64_t total = pb->shown + pb->dropped;
    if (total == 0) {
        return 0.0;
    }
    return (double)pb->dropped / (double)total;
}
