// Attaches the OpenGL backend to a session: opens the platform (headless
// EGL or a window sized to the canvas) and sets the renderer up.
#include <stdlib.h>

#include "session.h"
#include "core/error.h"
#include "core/timing.h"
#include "platform/platform.h"
#include "render/render_gl.h"

typedef struct gl_state {
    nsp_render_gl_t r;
} gl_state_t;

static void gl_destroy(void *state) {
    gl_state_t *s = state;
    nsp_render_gl_destroy(&s->r);
    free(s);
}

static void poll_window(void *user) {
    nsp_platform_poll(user);
}

int nsp_session_attach_gl(nsp_session_t *b, nsp_platform_t *platform, bool headless) {
    int w = b->scene.layout.canvas_w, h = b->scene.layout.canvas_h;
    NSP_ZONE(zc, "create_context", "setup");
    int err = headless ? nsp_platform_init_headless(platform, w, h)
                       : nsp_platform_init_window(platform, w, h, "nsplay");
    nsp_zone_end(&zc);
    if (err) {
        return err;
    }
    b->platform = platform;
    NSP_ZONE(zi, "init_renderer", "setup");
    gl_state_t *s = calloc(1, sizeof *s);
    err = s ? nsp_render_gl_init(&s->r, &b->scene) : NSP_ENOMEM;
    nsp_zone_end(&zi);
    if (err) {
        if (s) {
            gl_destroy(s);
        }
        return err;
    }
    if (!headless) {
        // A window's framebuffer may differ from its size in screen units.
        int fw, fh;
        nsp_platform_framebuffer_size(platform, &fw, &fh);
        if (fw > 0 && fh > 0) {
            nsp_render_gl_set_target(&s->r, fw, fh);
        }
        b->poll_events = poll_window;
        b->poll_user = platform;
    }
    b->backend = nsp_render_gl_backend(&s->r);
    b->backend_state = s;
    b->backend_destroy = gl_destroy;
    return nsp_fault_attach(&b->fault, &b->backend);
}
