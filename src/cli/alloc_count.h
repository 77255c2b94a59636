// Counts heap allocations made by nsplay's own code (the objects linked into
// the executable) by wrapping malloc, calloc and realloc at link time
// (-Wl,--wrap=...). Libraries loaded dynamically (Mesa, GLFW) call malloc
// directly and are not counted: the count is what nsplay itself controls.
#ifndef NSP_CLI_ALLOC_COUNT_H
#define NSP_CLI_ALLOC_COUNT_H

#include <stdint.h>

// Allocations so far; 0 forever when the build did not wrap malloc.
uint64_t nsp_alloc_count(void);

#endif
