// The headless GL context a GL test runs in, made the same way by every GL
// test: where none can be made the test is skipped (77) with the reason,
// never passed.
#ifndef NSP_TESTS_HEADLESS_GL_H
#define NSP_TESTS_HEADLESS_GL_H

#include <stdio.h>

#include "core/error.h"
#include "platform/platform.h"

// Makes a w x h headless context current on p. Returns 0, or the status
// main() returns: 77 (skipped: no OpenGL 3.3 context here, said why) or 1
// (the platform failed).
static inline int headless_gl_or_status(nsp_platform_t *p, int w, int h) {
    int err = nsp_platform_init_headless(p, w, h);
    if (err == NSP_ENODISPLAY) {
        printf("skipped: no OpenGL 3.3 context can be made here (%s; see the message above)\n", nsp_strerror(err));
        return 77;
    }
    if (err) {
        printf("headless platform failed: %s\n", nsp_strerror(err));
        return 1;
    }
    return 0;
}

#endif
