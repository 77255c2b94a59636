// The benchmark engine behind `nsplay bench` (SPEC §2): set-up, the timed
// frames, the interleaved floor frame, real-time playback at a given fps.
//
// A timed frame is: process window events, run every per-frame step of the
// scene (field + overlay callbacks), upload, draw, and wait until the device
// has really finished (glFinish). Each phase is a timing zone, so the same
// run feeds the report's breakdown, the [TIMING] lines and the trace.
#ifndef NSP_CLI_BENCH_H
#define NSP_CLI_BENCH_H

#include <stdbool.h>

#include "core/scene.h"
#include "gate/bench_result.h"
#include "render/render.h"

typedef struct nsp_bench_opts {
    nsp_scenario_desc_t scenario;
    int field_w, field_h, dock_w;   // 0: defaults (800 x 800, dock 300).
    bool headless;
    bool no_playback;
    double fps;                     // > 0: real-time playback through the controller.
    bool floor;                     // Interleave the floor frame (GL only).
    bool random_seek;               // Timed frames visit seeded random frames.
    bool no_breakdown;              // Do not collect per-phase times (no collector).
} nsp_bench_opts_t;

// The test-only slowdown hook: NSPLAY_TEST_SLOWDOWN, read once at set-up, a
// comma-separated list of
//   STEP:loops=N   N extra loop iterations inside a per-frame step's zone
//                  (e.g. render_event_overlay:loops=2000; instructions)
//   STEP:us=N      N extra microseconds, spun, inside a step's zone
//   paint:us=N     N extra microseconds spun inside the draw phase (wall
//                  time that instruction counts cannot see)
//   floor:us=N     N extra microseconds spun inside the floor frame (with
//                  paint:us, a machine slower than at baseline time)
//   extra_draws=N  N extra (empty) draw calls a frame
//   gl:VARIANT     a GL-side regression of the GL backend, invisible to its
//                  own counters (nsp_render_gl_set_test_variant())
// It exists so the gate's own tests can show that each tier catches a
// regression; it is never set in normal use.
#define NSP_TEST_SLOWDOWN_ENV "NSPLAY_TEST_SLOWDOWN"

// Everything a run holds; the viewer takes it over after timing.
typedef struct nsp_bench {
    nsp_bench_opts_t opts;
    nsp_scenario_t sc;
    nsp_scene_t scene;
    nsp_backend_t backend;
    void *backend_state;            // Owned, freed by nsp_bench_destroy.
    void (*backend_destroy)(void *state);
    void (*poll_events)(void *user); // Window event processing; NULL headless.
    void *poll_user;
    uint64_t paint_burn_ns;          // Test-only slowdown of the draw phase.
    uint64_t floor_burn_ns;          // Test-only slowdown of the floor frame.
} nsp_bench_t;

// Generates the scenario and the scene (timed as set-up zones) and applies
// the test-only slowdown from the environment (NSP_EINVAL, logged, when it
// is malformed). The caller then attaches a backend (nsp_bench_attach_*) and
// calls nsp_bench_run.
int nsp_bench_setup(nsp_bench_t *b, const nsp_bench_opts_t *opts);

// Runs the timed frames (or real-time playback) into r, which
// nsp_bench_setup's caller initialised for opts.scenario.playback_frames.
int nsp_bench_run(nsp_bench_t *b, nsp_bench_result_t *r);

void nsp_bench_destroy(nsp_bench_t *b);

// Applies a slowdown spec (the NSPLAY_TEST_SLOWDOWN syntax above) to b.
int nsp_bench_apply_slowdown(nsp_bench_t *b, const char *spec);

// Attaches the null backend (counts the work, no GL).
int nsp_bench_attach_null(nsp_bench_t *b);

// Opens the platform (headless EGL or a GLFW window sized to the scene's
// canvas) and attaches the OpenGL backend; window event processing becomes
// the frames' event phase. Zoned as set-up ("create_context",
// "init_renderer"). NSP_ENODISPLAY (logged) when no context can be made.
typedef struct nsp_platform nsp_platform_t;
int nsp_bench_attach_gl(nsp_bench_t *b, nsp_platform_t *platform, bool headless);

#endif
