// Private to src/platform: each backend's teardown, called by
// nsp_platform_destroy(), and the heap reserve both inits call.
#ifndef NSP_PLATFORM_INTERNAL_H
#define NSP_PLATFORM_INTERNAL_H

#include <stddef.h>

#include "platform.h"

void nsp_platform_egl_teardown(nsp_platform_t *p);
void nsp_platform_glfw_teardown(nsp_platform_t *p);

// Populates, in one call, the heap pages that making a context and a
// target_bytes render target will fill (the driver's compiler and contexts,
// the target), instead of a page fault each; keeps the heap from being
// trimmed and fixes glibc's mmap threshold. Both inits call it first; it
// works once a process. Does nothing under another allocator.
void nsp_platform_reserve_heap(size_t target_bytes);

#endif
