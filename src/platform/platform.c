#define _DEFAULT_SOURCE  // MADV_POPULATE_WRITE
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <epoxy/gl.h>

#include "platform_internal.h"

// What the driver's set-up takes from the heap besides the render target
// (Mesa's GLSL compiler and its built-in functions, llvmpipe's screen and
// context), with the heap's own slack: measured in docs/floor.md, "Set-up at
// a glance".
#define DRIVER_HEAP_BYTES ((size_t)18 << 20)
// glibc's largest mmap threshold on 64-bit (mallopt(3)): blocks under it can
// come from the heap.
#define MMAP_THRESHOLD_MAX ((size_t)32 << 20)

void nsp_platform_reserve_heap(size_t target_bytes) {
    // The driver fills its heap and the render target a page fault at a
    // time, and a page fault is dear on a virtual machine; one madvise()
    // populates the same pages for a small part of that (docs/floor.md).
    // Blocks under the threshold come from the heap, and the heap is kept,
    // so the driver's set-up and the target land in the populated pages.
    // Fixing both thresholds also ends glibc's dynamic mmap threshold, whose
    // rise after a large free made the resident set creep (docs/floor.md,
    // "Memory flat with the dock").
    static bool reserved;  // The heap is kept: a second context reuses it.
    if (reserved) {
        return;
    }
    reserved = true;
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t bytes = DRIVER_HEAP_BYTES;
    if (target_bytes < MMAP_THRESHOLD_MAX - DRIVER_HEAP_BYTES - page) {
        bytes += target_bytes;  // A larger target is mapped on its own.
    }
    if (!mallopt(M_MMAP_THRESHOLD, (int)MMAP_THRESHOLD_MAX) || !mallopt(M_TRIM_THRESHOLD, (int)(2 * bytes))) {
        return;  // Not glibc's allocator (a sanitizer's): nothing to reserve.
    }
    char *block = malloc(bytes);
    if (!block) {
        return;
    }
#ifdef MADV_POPULATE_WRITE
    uintptr_t lo = ((uintptr_t)block + page - 1) & ~(uintptr_t)(page - 1);
    uintptr_t hi = ((uintptr_t)block + bytes) & ~(uintptr_t)(page - 1);
    (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);  // Linux 5.14; before it, faults as before.
#endif
    free(block);
}

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
