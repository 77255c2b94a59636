// Growing heap arrays: the one way the modules that build lists of unknown
// length (the trace checker and summary) make room for more elements,
// doubling the capacity.
#ifndef NSP_CORE_ARRAY_H
#define NSP_CORE_ARRAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

// Returns items (an array with room for *cap elements of size bytes, or NULL
// with *cap 0) with room for need elements, need >= 1: as it is when it has
// it, else reallocated to first, or the capacity it had, doubled until it
// holds need, and *cap updated. Returns NULL when out of memory (or the size
// would not fit a size_t); items and *cap are then untouched.
static inline void *nsp_array_reserve(void *items, size_t *cap, size_t need, size_t size, size_t first) {
    if (need <= *cap) {
        return items;
    }
    size_t n = *cap ? *cap : first;
    while (n < need) {
        n *= 2;
    }
    if (n > SIZE_MAX / size) {
        return NULL;
    }
    void *bigger = realloc(items, n * size);
    if (bigger) {
        *cap = n;
    }
    return bigger;
}

#endif
