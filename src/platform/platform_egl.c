// Headless contexts through EGL: Mesa's surfaceless platform first (no
// display server, no window system at all), then the default display with a
// small pbuffer. Either way the render target is a framebuffer object, so the
// pixels never depend on a window system's surface.
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <epoxy/egl.h>
#include <epoxy/gl.h>

#include "core/error.h"
#include "platform_internal.h"

#define TARGET_MAX_PX 16384

static const EGLint CONTEXT_ATTRIBS[] = {
    EGL_CONTEXT_MAJOR_VERSION_KHR, 3,
    EGL_CONTEXT_MINOR_VERSION_KHR, 3,
    EGL_CONTEXT_OPENGL_PROFILE_MASK_KHR, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT_KHR,
    EGL_NONE,
};

static const char *egl_error_name(EGLint e) {
    switch (e) {
    case EGL_SUCCESS: return "EGL_SUCCESS";
    case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
    case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
    case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
    case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
    case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT";
    case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
    case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
    case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
    case EGL_BAD_SURFACE: return "EGL_BAD_SURFACE";
    default: return "EGL error";
    }
}

// Releases what a failed or finished attempt made on p's display. The
// display itself stays initialised: an EGL display is one per process and
// platform, shared with anything else in the process that opens it, so
// eglTerminate() would pull it from under them (and Mesa's drivers leak on
// terminate). A later init finds it initialised and reuses it.
static void release_display(nsp_platform_t *p) {
    if (!p->egl_display) {
        return;
    }
    EGLDisplay dpy = p->egl_display;
    eglMakeCurrent(dpy, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (p->egl_context) {
        eglDestroyContext(dpy, p->egl_context);
    }
    if (p->egl_surface) {
        eglDestroySurface(dpy, p->egl_surface);
    }
    p->egl_display = p->egl_context = p->egl_surface = NULL;
}

// Initialises dpy and makes a GL 3.3 core context current on it, with a 1x1
// pbuffer when with_pbuffer. On failure writes why into why and releases.
static bool make_context(nsp_platform_t *p, EGLDisplay dpy, bool with_pbuffer, char *why, size_t why_len) {
    EGLint major = 0, minor = 0;
    if (!eglInitialize(dpy, &major, &minor)) {
        snprintf(why, why_len, "eglInitialize failed (%s)", egl_error_name(eglGetError()));
        return false;
    }
    p->egl_display = dpy;
    if (!with_pbuffer && !epoxy_has_egl_extension(dpy, "EGL_KHR_surfaceless_context")) {
        snprintf(why, why_len, "no EGL_KHR_surfaceless_context");
        release_display(p);
        return false;
    }
    if (!eglBindAPI(EGL_OPENGL_API)) {
        snprintf(why, why_len, "no desktop OpenGL API (%s)", egl_error_name(eglGetError()));
        release_display(p);
        return false;
    }
    // With no surface the config's surface type does not matter: 0 matches
    // any config.
    const EGLint config_attribs[] = {
        EGL_SURFACE_TYPE, with_pbuffer ? EGL_PBUFFER_BIT : 0,
        EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
        EGL_NONE,
    };
    EGLConfig config;
    EGLint n_configs = 0;
    if (!eglChooseConfig(dpy, config_attribs, &config, 1, &n_configs) || n_configs < 1) {
        snprintf(why, why_len, "no OpenGL config%s", with_pbuffer ? " with pbuffers" : "");
        release_display(p);
        return false;
    }
    p->egl_context = eglCreateContext(dpy, config, EGL_NO_CONTEXT, CONTEXT_ATTRIBS);
    if (!p->egl_context) {
        snprintf(why, why_len, "no OpenGL 3.3 core context (%s)", egl_error_name(eglGetError()));
        release_display(p);
        return false;
    }
    if (with_pbuffer) {
        const EGLint pbuffer_attribs[] = {EGL_WIDTH, 1, EGL_HEIGHT, 1, EGL_NONE};
        p->egl_surface = eglCreatePbufferSurface(dpy, config, pbuffer_attribs);
        if (!p->egl_surface) {
            snprintf(why, why_len, "no pbuffer (%s)", egl_error_name(eglGetError()));
            release_display(p);
            return false;
        }
    }
    EGLSurface s = p->egl_surface ? p->egl_surface : EGL_NO_SURFACE;
    if (!eglMakeCurrent(dpy, s, s, p->egl_context)) {
        snprintf(why, why_len, "eglMakeCurrent failed (%s)", egl_error_name(eglGetError()));
        release_display(p);
        return false;
    }
    if (epoxy_gl_version() < 33) {
        snprintf(why, why_len, "context is OpenGL %d.%d, 3.3 needed", epoxy_gl_version() / 10,
                 epoxy_gl_version() % 10);
        release_display(p);
        return false;
    }
    return true;
}

static bool try_surfaceless(nsp_platform_t *p, char *why, size_t why_len) {
    // Client extensions are listed on EGL_NO_DISPLAY; without
    // EGL_EXT_client_extensions the query fails and the list is empty.
    const char *ext = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!ext || !strstr(ext, "EGL_MESA_platform_surfaceless") || !strstr(ext, "EGL_EXT_platform_base")) {
        snprintf(why, why_len, "extension not offered");
        return false;
    }
    EGLDisplay dpy = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
    if (dpy == EGL_NO_DISPLAY) {
        snprintf(why, why_len, "no display (%s)", egl_error_name(eglGetError()));
        return false;
    }
    return make_context(p, dpy, false, why, why_len);
}

static bool try_default_pbuffer(nsp_platform_t *p, char *why, size_t why_len) {
    EGLDisplay dpy = eglGetDisplay(EGL_DEFAULT_DISPLAY);
    if (dpy == EGL_NO_DISPLAY) {
        snprintf(why, why_len, "no display (%s)", egl_error_name(eglGetError()));
        return false;
    }
    return make_context(p, dpy, true, why, why_len);
}

static int make_target(nsp_platform_t *p, int w, int h) {
    GLuint fbo = 0, rb = 0;
    glGenRenderbuffers(1, &rb);
    p->color_rb = rb;
    glBindRenderbuffer(GL_RENDERBUFFER, rb);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glGenFramebuffers(1, &fbo);
    p->fbo = fbo;
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    GLenum err = glGetError();
    if (status != GL_FRAMEBUFFER_COMPLETE || err != GL_NO_ERROR) {
        nsp_log(NSP_LOG_ERROR, "EGL: cannot make a %dx%d RGBA8 framebuffer object (status 0x%x, GL error 0x%x)", w,
                h, (unsigned)status, (unsigned)err);
        return NSP_EGL;
    }
    glDrawBuffer(GL_COLOR_ATTACHMENT0);
    glReadBuffer(GL_COLOR_ATTACHMENT0);
    glViewport(0, 0, w, h);
    return 0;
}

int nsp_platform_init_headless(nsp_platform_t *p, int w, int h) {
    assert(w >= 1 && w <= TARGET_MAX_PX && h >= 1 && h <= TARGET_MAX_PX);
    memset(p, 0, sizeof *p);
    nsp_platform_reserve_heap((size_t)w * (size_t)h * 4);
    char why_surfaceless[160], why_default[160];
    if (try_surfaceless(p, why_surfaceless, sizeof why_surfaceless)) {
        p->egl_path = "EGL_MESA_platform_surfaceless";
    } else if (try_default_pbuffer(p, why_default, sizeof why_default)) {
        p->egl_path = "EGL default display + pbuffer";
    } else {
        nsp_log(NSP_LOG_ERROR,
                "EGL: no surfaceless or pbuffer context (tried EGL_MESA_platform_surfaceless: %s; "
                "default display: %s): install libegl-mesa0 and libgl1-mesa-dri",
                why_surfaceless, why_default);
        nsp_platform_destroy(p);
        return NSP_ENODISPLAY;
    }
    p->kind = NSP_PLATFORM_HEADLESS;
    p->width = w;
    p->height = h;
    int err = make_target(p, w, h);
    if (err) {
        nsp_platform_destroy(p);
    }
    return err;
}

void nsp_platform_egl_teardown(nsp_platform_t *p) {
    if (!p->egl_display) {
        return;
    }
    // The framebuffer object belongs to the context: delete it while current.
    if (p->fbo || p->color_rb) {
        GLuint fbo = p->fbo, rb = p->color_rb;
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glDeleteFramebuffers(1, &fbo);
        glDeleteRenderbuffers(1, &rb);
        p->fbo = p->color_rb = 0;
    }
    release_display(p);
    eglReleaseThread();
}
