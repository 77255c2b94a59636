#include "probe.h"

#include <stdint.h>

#include "core/stats.h"
#include "core/timing.h"

// Rounds of the probe's work: about 20 us on this machine kind, a tenth of
// a frame's floor, so the probes add little to a run.
#define PROBE_ROUNDS 8192
#define PROBE_TABLE 2048

// The probe's result is stored here so the compiler cannot drop the work.
static volatile uint64_t probe_sink;

double nsp_probe_ms(void) {
    static uint64_t table[PROBE_TABLE];
    uint64_t t0 = nsp_timing_now_ns();
    uint64_t h = 0x9e3779b97f4a7c15ull;
    double x = 1.0;
    for (int i = 0; i < PROBE_ROUNDS; i++) {
        // SplitMix64 steps, indexing the table: integer work and L1 loads
        // and stores, as the per-frame steps do.
        h += 0x9e3779b97f4a7c15ull;
        uint64_t z = h;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        uint64_t *slot = &table[z % PROBE_TABLE];
        *slot += z;
        // A dependent floating-point chain: latency, not throughput.
        x = x * 0.9999999 + (double)(*slot & 0xff) * 1e-9;
    }
    probe_sink = h ^ (uint64_t)(x * 1e6);
    return (double)(nsp_timing_now_ns() - t0) / 1e6;
}

double nsp_probe_median_ms(int n) {
    double v[64], scratch[64];
    n = n < 1 ? 1 : n > 64 ? 64 : n;
    for (int i = 0; i < n; i++) {
        v[i] = nsp_probe_ms();
    }
    return nsp_stats_median(v, (size_t)n, scratch);
}
