#include <string.h>

#include <epoxy/gl.h>

#include "platform_internal.h"

void nsp_platform_destroy(nsp_platform_t *p) {
    // Each teardown releases only what its backend made, so both are safe
    // on any half-built struct.
    nsp_platform_egl_teardown(p);
    nsp_platform_glfw_teardown(p);
    memset(p, 0, sizeof *p);
}

static const char *gl_string(const nsp_platform_t *p, GLenum name) {
    if (p->kind == NSP_PLATFORM_NONE) {
        return "none";
    }
    const GLubyte *s = glGetString(name);
    return s ? (const char *)s : "none";
}

const char *nsp_platform_gl_renderer(const nsp_platform_t *p) {
    return gl_string(p, GL_RENDERER);
}

const char *nsp_platform_gl_version(const nsp_platform_t *p) {
    return gl_string(p, GL_VERSION);
}
