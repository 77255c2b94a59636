// Platform: where OpenGL runs. Either a headless EGL context that renders
// into an offscreen framebuffer (no display needed: Mesa's surfaceless EGL
// platform, else the default EGL display with a pbuffer), or a GLFW window.
//
// Invariants: after a successful init the context is current on the calling
// thread and the render target is bound as GL_FRAMEBUFFER (the offscreen
// framebuffer object when headless, the window's back buffer otherwise), so
// a renderer draws without binding framebuffers itself. Only this module
// creates contexts; besides context creation it makes the few GL calls the
// headless target and the renderer/version strings need.
//
// Ownership: the caller allocates nsp_platform_t (zeroed or not), an init
// fills it, nsp_platform_destroy() releases everything. While a window is
// open the struct must not move: GLFW callbacks find it by address.
#ifndef NSP_PLATFORM_H
#define NSP_PLATFORM_H

#include <stdbool.h>

typedef enum nsp_platform_kind {
    NSP_PLATFORM_NONE,      // Not initialised (or destroyed).
    NSP_PLATFORM_HEADLESS,  // EGL context, offscreen framebuffer object.
    NSP_PLATFORM_WINDOW,    // GLFW window.
} nsp_platform_kind_t;

// Key actions and a few key codes; the values are GLFW's (GLFW_PRESS,
// GLFW_KEY_*), and letter and digit keys are their upper-case ASCII codes.
enum {
    NSP_KEY_RELEASE = 0,
    NSP_KEY_PRESS = 1,
    NSP_KEY_REPEAT = 2,
};
enum {
    NSP_KEY_SPACE = 32,
    NSP_KEY_ESCAPE = 256,
    NSP_KEY_RIGHT = 262,
    NSP_KEY_LEFT = 263,
    NSP_KEY_DOWN = 264,
    NSP_KEY_UP = 265,
};

// Called from nsp_platform_poll() for each key event of the window.
typedef void (*nsp_key_fn)(void *user, int key, int action, int mods);

typedef struct nsp_platform {
    nsp_platform_kind_t kind;
    int width, height;     // Headless: target size in pixels. Window: requested size.
    nsp_key_fn on_key;     // Optional; set after init, with key_user.
    void *key_user;
    // Private to the platform.
    void *egl_display, *egl_context, *egl_surface;
    unsigned fbo, color_rb;
    const char *egl_path;  // Which EGL path made the context (static string).
    void *window;
    bool glfw_initialised;
} nsp_platform_t;

// Creates a headless OpenGL 3.3 core context, makes it current and binds a
// w x h RGBA8 framebuffer object (no depth) as the render target. Tries
// Mesa's surfaceless EGL platform (EGL_MESA_platform_surfaceless), then the
// default EGL display with a pbuffer. w and h in 1..16384 (asserted).
// Returns 0; NSP_ENODISPLAY (logged: what was tried and what to install)
// when no context can be made; NSP_EGL (logged) when the context works but
// the framebuffer object cannot be made. On error p is safe to destroy.
int nsp_platform_init_headless(nsp_platform_t *p, int w, int h);

// Opens a resizable GLFW window of w x h screen units with an OpenGL 3.3
// core, forward-compatible context, current and with vsync off. title is
// copied. GLFW errors are logged through nsp_log(). Returns 0, or
// NSP_ENODISPLAY (logged, with what to do) when no window can be opened,
// e.g. DISPLAY unset. On error p is safe to destroy.
int nsp_platform_init_window(nsp_platform_t *p, int w, int h, const char *title);

// Releases the context, framebuffer, window and display. Safe on a zeroed,
// half-built or destroyed struct; leaves it zeroed.
void nsp_platform_destroy(nsp_platform_t *p);

// The render target's size in pixels: the framebuffer object's when
// headless, the window's framebuffer (which may differ from its size in
// screen units, and changes on resize). 0 x 0 when not initialised.
void nsp_platform_framebuffer_size(const nsp_platform_t *p, int *w, int *h);

// Window-only operations; each is a no-op when headless.
void nsp_platform_set_title(nsp_platform_t *p, const char *title);
void nsp_platform_poll(nsp_platform_t *p);             // Handles events, calls on_key.
bool nsp_platform_should_close(const nsp_platform_t *p);  // Always false headless.
void nsp_platform_set_should_close(nsp_platform_t *p, bool close);
void nsp_platform_swap(nsp_platform_t *p);

// GL_RENDERER and GL_VERSION of the current context (static strings owned
// by the driver), or "none" when p holds no context.
const char *nsp_platform_gl_renderer(const nsp_platform_t *p);
const char *nsp_platform_gl_version(const nsp_platform_t *p);

#endif
