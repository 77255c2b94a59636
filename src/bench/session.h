// The session: one seeded scenario, its scene, a render backend and the
// platform it draws on. `nsplay bench`, `nsplay view`, `nsplay render` and
// the gate's measured runs all start one; the frame loop (bench.h) and the
// viewer drive it through the backend's table (render.h) alone.
//
// init generates the scenario and the scene (timed as set-up zones) and reads
// the test-only NSPLAY_TEST_SLOWDOWN (fault.h); attach_null or attach_gl
// then makes the backend; destroy releases everything.
#ifndef NSP_BENCH_SESSION_H
#define NSP_BENCH_SESSION_H

#include <stdbool.h>

#include "core/scene.h"
#include "fault.h"
#include "render/render.h"

typedef struct nsp_session_opts {
    nsp_scenario_desc_t scenario;
    int field_w, field_h, dock_w;   // 0: defaults (800 x 800, dock 300).
} nsp_session_opts_t;

typedef struct nsp_platform nsp_platform_t;

typedef struct nsp_session {
    nsp_session_opts_t opts;
    nsp_scenario_t sc;
    nsp_scene_t scene;
    nsp_backend_t backend;           // Drive the backend through this table only.
    nsp_platform_t *platform;        // Borrowed (attach_gl); NULL with the null backend.
    void (*poll_events)(void *user); // Window event processing; NULL headless.
    void *poll_user;
    nsp_fault_t fault;               // Test-only faults (fault.h).
    // Set-up's parts in seconds (NAN until measured): the scenario and scene
    // (init), the context and the renderer (attach_gl); and the Mesa shader
    // cache's state before the context was made (result.h's shader_cache).
    double scenario_s, context_s, renderer_s;
    char shader_cache[16];
    // Private: the backend's own state and how to release it.
    void *backend_state;
    void (*backend_destroy)(void *state);
} nsp_session_t;

// Generates the scenario and the scene ("generate_scenario", "build_scene"
// set-up zones) and reads NSPLAY_TEST_SLOWDOWN. Returns 0, NSP_EINVAL
// (logged: bad sizes or a malformed slowdown) or NSP_ENOMEM; destroy is safe
// after a failure.
int nsp_session_init(nsp_session_t *s, const nsp_session_opts_t *opts);

// Attaches the null backend (counts the work, no GL).
int nsp_session_attach_null(nsp_session_t *s);

// The Mesa shader cache's state as the environment and its directory say
// (MESA_SHADER_CACHE_DISABLE, MESA_SHADER_CACHE_DIR, XDG_CACHE_HOME, HOME):
// "disabled", "cold" (no directory, or no entry in it) or "warm".
const char *nsp_session_shader_cache_state(void);

// Opens the platform (headless EGL or a GLFW window sized to the scene's
// canvas) and attaches the OpenGL backend; window event processing becomes
// the frames' event phase. Zoned as set-up ("create_context",
// "init_renderer"). NSP_ENODISPLAY (logged) when no context can be made.
int nsp_session_attach_gl(nsp_session_t *s, nsp_platform_t *platform, bool headless);

// Steps the scene to frame and executes its plan on the backend (upload,
// draw); returns the plan. What the viewer and `nsplay render` draw with.
const nsp_frame_t *nsp_session_draw(nsp_session_t *s, int64_t frame);

void nsp_session_destroy(nsp_session_t *s);

#endif
