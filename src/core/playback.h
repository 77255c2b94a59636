// Real-time playback: which frame to show now, and how many were dropped.
//
// The controller maps time since start to a target frame at a fixed fps. The
// caller asks for the next frame when it is ready to render; if rendering fell
// behind, frames whose time has already passed are skipped (counted as
// dropped) so that playback keeps time, exactly as a video player does. The
// clock is injected so tests can drive it with a fake one.
#ifndef NSP_PLAYBACK_H
#define NSP_PLAYBACK_H

#include <stdbool.h>
#include <stdint.h>

// Returns monotonic time in nanoseconds; user is the clock's own state.
typedef uint64_t (*nsp_clock_fn)(void *user);
// Blocks until the clock reads at least t_ns; user is the clock's state.
typedef void (*nsp_sleep_until_fn)(uint64_t t_ns, void *user);

typedef struct nsp_playback_desc {
    double fps;             // Frames per second, > 0 and <= 1000.
    int64_t first_frame;    // Frame shown at start (>= 0).
    int64_t frame_count;    // Frames in the session (> first_frame).
    nsp_clock_fn clock;     // NULL: the process's monotonic clock.
    nsp_sleep_until_fn sleep_until; // NULL: clock_nanosleep on that clock.
    void *clock_user;       // Passed to both.
} nsp_playback_desc_t;

typedef struct nsp_playback {
    nsp_playback_desc_t desc;
    uint64_t start_ns;
    int64_t last_frame;     // Last frame handed out, -1 before the first;
                            // frame_count - 1 once the session has ended.
    int64_t shown;          // Frames handed out for rendering.
    int64_t dropped;        // Frames skipped because their time had passed.
} nsp_playback_t;

// Validates desc (NSP_EINVAL with a logged message naming the field) and
// starts the clock.
int nsp_playback_init(nsp_playback_t *pb, const nsp_playback_desc_t *desc);

// The frame to render now. Waits (sleeps) until the next frame's time if the
// caller is early; when the caller is late, returns the frame due now and
// counts the skipped ones as dropped. Returns false once the session has
// ended (the last frame's slot has passed or been shown).
bool nsp_playback_next(nsp_playback_t *pb, int64_t *frame);

// Dropped / (shown + dropped), in [0, 1]; 0 before any frame.
double nsp_playback_skip_rate(const nsp_playback_t *pb);

// The process's monotonic clock (CLOCK_MONOTONIC), in ns.
uint64_t nsp_clock_now_ns(void *user);

#endif
