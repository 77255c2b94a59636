// A 64-bit FNV-1a digest of generated data: a fingerprint that changes when
// any byte of the scenario changes (not a cryptographic hash).
#ifndef NSP_DIGEST_H
#define NSP_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

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
