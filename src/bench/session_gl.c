// Attaches the OpenGL backend to a session: opens the platform (headless
// EGL or a window sized to the canvas) and sets the renderer up.
#include <stdio.h>
#include <stdlib.h>

#include "session.h"
#include "core/error.h"
#include "core/timing.h"
#include "platform/platform.h"
#include "render/render_gl.h"

static void gl_destroy(void *state) {
    nsp_render_gl_destroy(state);
    free(state);
}

static void poll_window(void *user) {
    nsp_platform_poll(user);
}

int nsp_session_attach_gl(nsp_session_t *s, nsp_platform_t *platform, bool headless) {
    int w = s->scene.layout.canvas_w, h = s->scene.layout.canvas_h;
    snprintf(s->shader_cache, sizeof s->shader_cache, "%s", nsp_session_shader_cache_state());
    uint64_t t0 = nsp_timing_now_ns();
    NSP_ZONE(zc, "create_context", "setup");
    int err = headless ? nsp_platform_init_headless(platform, w, h)
                       : nsp_platform_init_window(platform, w, h, "nsplay");
    nsp_zone_end(&zc);
    s->context_s = (double)(nsp_timing_now_ns() - t0) / 1e9;
    if (err) {
        return err;
    }
    s->platform = platform;
    t0 = nsp_timing_now_ns();
    NSP_ZONE(zi, "init_renderer", "setup");
    nsp_render_gl_t *r = calloc(1, sizeof *r);
    err = r ? nsp_render_gl_init(r, &s->scene) : NSP_ENOMEM;
    nsp_zone_end(&zi);
    s->renderer_s = (double)(nsp_timing_now_ns() - t0) / 1e9;
    if (err) {
        if (r) {
            gl_destroy(r);
        }
        return err;
    }
    if (!headless) {
        // A window's framebuffer may differ from its size in screen units.
        int fw, fh;
        nsp_platform_framebuffer_size(platform, &fw, &fh);
        if (fw > 0 && fh > 0) {
            nsp_render_gl_set_target(r, fw, fh);
        }
        s->poll_events = poll_window;
        s->poll_user = platform;
    }
    s->backend = nsp_render_gl_backend(r);
    s->backend_state = r;
    s->backend_destroy = gl_destroy;
    return nsp_fault_attach(&s->fault, &s->backend);
}
