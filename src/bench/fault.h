// Test-only fault injection, in one place: NSPLAY_TEST_SLOWDOWN, read once
// when a session is set up, a comma-separated list of
//   STEP:loops=N   N extra loop iterations inside a per-frame step's zone
//                  (e.g. render_event_overlay:loops=2000; instructions)
//   STEP:us=N      N extra microseconds, spun, inside a step's zone
//   paint:us=N     N extra microseconds spun in the paint phase, before the
//                  frame's first draw call (wall time that instruction counts
//                  cannot see, in series with the raster, not beside it)
//   floor:us=N     N extra microseconds spun inside the floor frame (with
//                  paint:us, a machine slower than at baseline time)
//   setup:us=N     N extra microseconds spun inside the set-up (after the
//                  scene is built; wall time that instruction counts cannot see)
//   NAME=N         the backend's test variant NAME set to N (its set_test,
//                  render.h); every backend knows extra_draws=N, N extra
//                  (empty) draw calls a frame, counted as any other
//   gl:NAME        the GL-side regression NAME of the GL backend (render_gl.h:
//                  second_pass, blend_background, costly_background,
//                  mid_frame_finish, respecify_texture), invisible to its own
//                  counters; the null backend's plan is the same
// It exists so the gate's own tests can show that each tier catches a
// regression; it is never set in normal use.
//
// How it is applied: the steps' work through the scene's one test hook
// (nsp_scene_set_step_hook, called inside each step's own function and
// zone); the paint and floor-frame time by wrapping the backend's table
// (draw spins, then runs the backend's; draw_floor runs the backend's, then
// spins); backend variants through the backend's set_test. Without a spec
// nothing is wrapped or hooked.
#ifndef NSP_BENCH_FAULT_H
#define NSP_BENCH_FAULT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/scene.h"
#include "render/render.h"

#define NSP_TEST_SLOWDOWN_ENV "NSPLAY_TEST_SLOWDOWN"

#define NSP_FAULT_MAX_VARIANTS 4

typedef struct nsp_fault {
    bool active;                               // Any item applied.
    uint64_t step_loops[NSP_SCENE_MAX_STEPS];  // Per step index of the scene.
    uint64_t step_ns[NSP_SCENE_MAX_STEPS];
    uint64_t paint_ns, floor_ns, setup_ns;
    int variant_count;
    char variant_name[NSP_FAULT_MAX_VARIANTS][64];
    uint64_t variant_value[NSP_FAULT_MAX_VARIANTS];
    nsp_backend_t inner;                       // The wrapped backend, when wrapped.
} nsp_fault_t;

// Reads spec (the syntax above; NULL or "" is none) for scene: zeroes f, and
// hooks the scene's steps when a step item names one. NSP_EINVAL (logged,
// naming the item or the valid steps) when spec is malformed.
int nsp_fault_parse(nsp_fault_t *f, nsp_scene_t *scene, const char *spec);

// Spins f's set-up time (setup:us=N), if any; the session calls it inside
// its set-up.
void nsp_fault_spin_setup(const nsp_fault_t *f);

// Applies f's backend items to a freshly made backend: sets its variants
// and, for paint or floor time, replaces *backend with a table that runs
// the original's functions, then spins (f must outlive the backend).
// NSP_EINVAL (logged) when the backend does not know a variant.
int nsp_fault_attach(nsp_fault_t *f, nsp_backend_t *backend);

#endif
