// A 64-bit FNV-1a digest of generated data: a fingerprint that changes when
// any byte of the scenario changes (not a cryptographic hash). The one FNV-1a
// of the project: the timing zone table and the trace summary hash names
// with it too.
#ifndef NSP_DIGEST_H
#define NSP_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

#define NSP_FNV1A64_INIT 0xcbf29ce484222325ULL

// Folds n bytes into the FNV-1a state h (start from NSP_FNV1A64_INIT).
// Inline: the scenario digest hashes megabytes through it.
static inline uint64_t nsp_fnv1a64(uint64_t h, const void *data, size_t n) {
    const uint8_t *p = data;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

// The FNV-1a hash of a NUL-terminated string.
static inline uint64_t nsp_fnv1a64_str(const char *s) {
    uint64_t h = NSP_FNV1A64_INIT;
    for (; *s; s++) {
        h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
    }
    return h;
}

typedef struct nsp_digest {
    uint64_t h;
} nsp_digest_t;

void nsp_digest_init(nsp_digest_t *d);
void nsp_digest_update(nsp_digest_t *d, const void *data, size_t n);

// The digest of a scenario: its precomputed arrays, then the on-demand data
// (field, bodyparts, video) of every frame when frames <= 1000, otherwise of
// 1000 evenly spaced frames, first and last included. Floats are hashed as
// their IEEE-754 little-endian bytes. Returns 0 or NSP_ENOMEM.
int nsp_scenario_digest(const nsp_scenario_t *sc, uint64_t *out);

#endif
