#include "alloc_count.h"

#include <stddef.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

// Single-threaded use; a plain counter is enough.
static uint64_t g_allocations;

void *__wrap_malloc(size_t size) {
    g_allocations++;
    return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size) {
    g_allocations++;
    return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size) {
    g_allocations++;
    return __real_realloc(p, size);
}

uint64_t nsp_alloc_count(void) {
    return g_allocations;
}
