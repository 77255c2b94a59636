// Windows through GLFW: an OpenGL 3.3 core, forward-compatible context, vsync
// off so frame times measure rendering rather than the display's refresh.
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <epoxy/gl.h>

#include "core/error.h"
#include "platform_internal.h"

_Static_assert(NSP_KEY_PRESS == GLFW_PRESS && NSP_KEY_RELEASE == GLFW_RELEASE && NSP_KEY_REPEAT == GLFW_REPEAT,
               "key actions are GLFW's");
_Static_assert(NSP_KEY_SPACE == GLFW_KEY_SPACE && NSP_KEY_ESCAPE == GLFW_KEY_ESCAPE &&
                   NSP_KEY_RIGHT == GLFW_KEY_RIGHT && NSP_KEY_LEFT == GLFW_KEY_LEFT &&
                   NSP_KEY_DOWN == GLFW_KEY_DOWN && NSP_KEY_UP == GLFW_KEY_UP && 'Q' == GLFW_KEY_Q,
               "key codes are GLFW's");

// The last GLFW error, kept so the message saying what to do can name it.
static char g_last_glfw_error[256];

static void on_glfw_error(int code, const char *description) {
    snprintf(g_last_glfw_error, sizeof g_last_glfw_error, "%s", description ? description : "unknown");
    nsp_log(NSP_LOG_WARN, "GLFW error 0x%x: %s", (unsigned)code, g_last_glfw_error);
}

static void on_key(GLFWwindow *window, int key, int scancode, int action, int mods) {
    (void)scancode;
    nsp_platform_t *p = glfwGetWindowUserPointer(window);
    if (p && p->on_key) {
        p->on_key(p->key_user, key, action, mods);
    }
}

static int no_window(nsp_platform_t *p, const char *why) {
    nsp_log(NSP_LOG_ERROR, "no display: cannot open a GLFW window (%s); use --headless, or run under xvfb-run", why);
    nsp_platform_destroy(p);
    return NSP_ENODISPLAY;
}

int nsp_platform_init_window(nsp_platform_t *p, int w, int h, const char *title) {
    assert(w >= 1 && h >= 1 && title);
    memset(p, 0, sizeof *p);
    glfwSetErrorCallback(on_glfw_error);
    const char *display = getenv("DISPLAY"), *wayland = getenv("WAYLAND_DISPLAY");
    if ((!display || !*display) && (!wayland || !*wayland)) {
        // GLFW would fail the same way; saying which variable is missing is clearer.
        return no_window(p, "DISPLAY is unset");
    }
    nsp_platform_reserve_heap((size_t)w * (size_t)h * 4);  // The back buffer, for a window of w x h pixels.
    g_last_glfw_error[0] = '\0';
    if (!glfwInit()) {
        return no_window(p, g_last_glfw_error[0] ? g_last_glfw_error : "glfwInit failed");
    }
    p->glfw_initialised = true;
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_RESIZABLE, GLFW_TRUE);
    glfwWindowHint(GLFW_DEPTH_BITS, 0);
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    GLFWwindow *window = glfwCreateWindow(w, h, title, NULL, NULL);
    if (!window) {
        return no_window(p, g_last_glfw_error[0] ? g_last_glfw_error : "glfwCreateWindow failed");
    }
    p->window = window;
    p->kind = NSP_PLATFORM_WINDOW;
    p->width = w;
    p->height = h;
    glfwSetWindowUserPointer(window, p);
    glfwSetKeyCallback(window, on_key);
    glfwMakeContextCurrent(window);
    glfwSwapInterval(0);
    if (epoxy_gl_version() < 33) {
        char why[64];
        snprintf(why, sizeof why, "its context is OpenGL %d.%d, 3.3 needed", epoxy_gl_version() / 10,
                 epoxy_gl_version() % 10);
        return no_window(p, why);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return 0;
}

void nsp_platform_glfw_teardown(nsp_platform_t *p) {
    if (p->window) {
        glfwDestroyWindow(p->window);
        p->window = NULL;
    }
    if (p->glfw_initialised) {
        glfwTerminate();
        p->glfw_initialised = false;
    }
}

void nsp_platform_framebuffer_size(const nsp_platform_t *p, int *w, int *h) {
    *w = *h = 0;
    if (p->kind == NSP_PLATFORM_HEADLESS) {
        *w = p->width;
        *h = p->height;
    } else if (p->kind == NSP_PLATFORM_WINDOW) {
        glfwGetFramebufferSize(p->window, w, h);
    }
}

void nsp_platform_set_title(nsp_platform_t *p, const char *title) {
    if (p->kind == NSP_PLATFORM_WINDOW) {
        glfwSetWindowTitle(p->window, title);
    }
}

void nsp_platform_poll(nsp_platform_t *p) {
    if (p->kind == NSP_PLATFORM_WINDOW) {
        glfwPollEvents();
    }
}

bool nsp_platform_should_close(const nsp_platform_t *p) {
    return p->kind == NSP_PLATFORM_WINDOW && glfwWindowShouldClose(p->window);
}

void nsp_platform_set_should_close(nsp_platform_t *p, bool close) {
    if (p->kind == NSP_PLATFORM_WINDOW) {
        glfwSetWindowShouldClose(p->window, close ? GLFW_TRUE : GLFW_FALSE);
    }
}

void nsp_platform_swap(nsp_platform_t *p) {
    if (p->kind == NSP_PLATFORM_WINDOW) {
        glfwSwapBuffers(p->window);
    }
}
