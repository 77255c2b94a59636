// Private to src/platform: each backend's teardown, called by
// nsp_platform_destroy().
#ifndef NSP_PLATFORM_INTERNAL_H
#define NSP_PLATFORM_INTERNAL_H

#include "platform.h"

void nsp_platform_egl_teardown(nsp_platform_t *p);
void nsp_platform_glfw_teardown(nsp_platform_t *p);

#endif
