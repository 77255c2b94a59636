#include "prng.h"

#include <assert.h>
#include <math.h>

#define PCG_MULT 6364136223846793005ULL

uint32_t nsp_rng_u32(nsp_rng_t *rng) {
    uint64_t old = rng->state;
    rng->state = old * PCG_MULT + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

void nsp_rng_seed(nsp_rng_t *rng, uint64_t initstate, uint64_t initseq) {
    rng->state = 0u;
    rng->inc = (initseq << 1u) | 1u;
    nsp_rng_u32(rng);
    rng->state += initstate;
    nsp_rng_u32(rng);
}

uint64_t nsp_mix64(uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

nsp_rng_t nsp_rng_derive(uint64_t seed, uint32_t tag, uint64_t index) {
    nsp_rng_t rng;
    uint64_t key = nsp_mix64(seed ^ nsp_mix64(((uint64_t)tag << 40) ^ index));
    nsp_rng_seed(&rng, key, nsp_mix64(key ^ tag));
    return rng;
}

uint32_t nsp_rng_bounded(nsp_rng_t *rng, uint32_t bound) {
    assert(bound >= 1);
    // Reject the lowest 2^32 mod bound values so every residue is equally likely.
    uint32_t threshold = (-bound) % bound;
    for (;;) {
        uint32_t r = nsp_rng_u32(rng);
        if (r >= threshold) {
            return r % bound;
        }
    }
}

void nsp_rng_fill_u8(nsp_rng_t *rng, uint8_t *out, size_t n, uint32_t lo, uint32_t span) {
    assert(span >= 1 && span <= 256 && lo + span <= 256);
    uint32_t threshold = 65536u % span;
    size_t i = 0;
    while (i < n) {
        uint32_t r = nsp_rng_u32(rng);
        for (int half = 0; half < 2 && i < n; half++, r >>= 16) {
            uint32_t m = (r & 0xffffu) * span;
            if ((m & 0xffffu) >= threshold) {
                out[i++] = (uint8_t)(lo + (m >> 16));
            }
        }
    }
}

double nsp_rng_uniform(nsp_rng_t *rng) {
    uint64_t hi = nsp_rng_u32(rng) >> 5;  // 27 bits
    uint64_t lo = nsp_rng_u32(rng) >> 6;  // 26 bits
    return (double)((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

double nsp_rng_range(nsp_rng_t *rng, double lo, double hi) {
    return lo + (hi - lo) * nsp_rng_uniform(rng);
}

double nsp_rng_normal(nsp_rng_t *rng, double mean, double sd) {
    // 1 - u lies in (0, 1], so the log is finite.
    double u1 = 1.0 - nsp_rng_uniform(rng);
    double u2 = nsp_rng_uniform(rng);
    double r = sqrt(-2.0 * log(u1));
    return mean + sd * r * cos(6.283185307179586 * u2);
}
