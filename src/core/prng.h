// The project's one source of randomness: PCG32 (XSH-RR 64/32, O'Neill 2014,
// https://www.pcg-random.org), and the deviates built on it.
//
// Every scenario value comes from here, never from rand(), so a seed gives the
// same data on every machine and compiler. Deviates use only integer
// arithmetic, IEEE double +,-,*,/ and libm's log/sqrt/cos/sin, and the project
// compiles with -ffp-contract=off, so results do not depend on -O level.
//
// Streams: nsp_rng_derive(seed, tag, index) gives an independent generator for
// one (purpose, index) pair, e.g. (NSP_STREAM_VIDEO, frame 731), so per-frame
// data can be produced on demand, in any order, without replaying the past.
#ifndef NSP_PRNG_H
#define NSP_PRNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct nsp_rng {
    uint64_t state;
    uint64_t inc;  // Always odd: selects one of 2^63 streams.
} nsp_rng_t;

// Seeds exactly as the reference pcg32_srandom_r(rng, initstate, initseq):
// (42, 54) yields 0xa15c02b7 0x7b47f409 0xba1d3330 ...
void nsp_rng_seed(nsp_rng_t *rng, uint64_t initstate, uint64_t initseq);

// A generator for one purpose tag and index under a scenario seed. The key is
// mixed with SplitMix64 so that neighbouring indices give unrelated streams.
nsp_rng_t nsp_rng_derive(uint64_t seed, uint32_t tag, uint64_t index);

// The next 32 uniform bits (pcg32_random_r).
uint32_t nsp_rng_u32(nsp_rng_t *rng);

// Uniform integer in [0, bound), unbiased (pcg32_boundedrand_r); bound >= 1.
uint32_t nsp_rng_bounded(nsp_rng_t *rng, uint32_t bound);

// Fills out[0..n) with lo + a uniform integer in [0, span), 1 <= span <= 256,
// lo + span <= 256. Unbiased: each value takes 16 bits of a draw and is
// mapped by Lemire's multiply-shift, rejecting the 65536 mod span low
// products that would bias it (0.2% of draws for span 150). Two values per
// draw: a 100x100 RGB noise frame costs 15,000 draws, not 30,000 divisions.
void nsp_rng_fill_u8(nsp_rng_t *rng, uint8_t *out, size_t n, uint32_t lo, uint32_t span);

// Uniform double in [0, 1) with 53 random bits (two draws).
double nsp_rng_uniform(nsp_rng_t *rng);

// Uniform double in [lo, hi).
double nsp_rng_range(nsp_rng_t *rng, double lo, double hi);

// Normal deviate N(mean, sd) by the Box-Muller transform (two uniform draws,
// one deviate returned: no hidden cached state, so streams stay independent of
// how many deviates were taken before).
double nsp_rng_normal(nsp_rng_t *rng, double mean, double sd);

// SplitMix64 finaliser: a bijective 64-bit mix (Steele et al. 2014).
uint64_t nsp_mix64(uint64_t x);

#endif
