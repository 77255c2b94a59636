// The benchmark's frame loop behind `nsplay bench` (requirements §R2): the timed
// frames of a session, the interleaved floor frame, real-time playback at a
// given fps, into a result (result.h).
//
// A timed frame is: process window events, run every per-frame step of the
// scene (field + overlay callbacks), upload, draw, and wait until the device
// has really finished (the backend's finish). Each phase is a timing zone, so
// the same run feeds the report's breakdown, the [TIMING] lines and the trace.
#ifndef NSP_BENCH_BENCH_H
#define NSP_BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "result.h"
#include "session.h"

typedef struct nsp_bench_opts {
    double fps;                     // > 0: real-time playback through the controller.
    bool floor;                     // Interleave the floor frame (backends that have one).
    bool random_seek;               // Timed frames visit seeded random frames.
    bool no_breakdown;              // Do not collect per-phase times (no collector).
    // Heap allocations made so far (the executable's own count); NULL: the
    // result says they were not counted.
    uint64_t (*alloc_count)(void);
} nsp_bench_opts_t;

// Runs s's timed frames (or real-time playback) into r, which the caller
// initialised for s's playback frames (nsp_bench_result_init).
int nsp_bench_run(nsp_session_t *s, const nsp_bench_opts_t *opts, nsp_bench_result_t *r);

#endif
