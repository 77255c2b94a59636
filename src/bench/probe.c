#define _GNU_SOURCE  // MAP_ANONYMOUS, MADV_NOHUGEPAGE
#include "probe.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/stats.h"
#include "core/timing.h"

// The CPU probe's buffers: a 100x100 RGB frame of bytes and its RGBA image,
// the size of the video step's (about 26 us here, an eighth of a floor frame,
// so the probes add little to a run).
#define PROBE_PIXELS (100 * 100)
// The page-fault probe: rounds, and the bytes mapped in each.
#define FAULT_ROUNDS 9
#define FAULT_BYTES ((size_t)1 << 20)

// Results are stored here so the compiler cannot drop the work.
static volatile uint64_t probe_sink;

double nsp_probe_cpu_ms(void) {
    static uint8_t rgb[PROBE_PIXELS * 3];
    static uint8_t rgba[PROBE_PIXELS * 4];
    static uint8_t table[256];
    uint64_t t0 = nsp_timing_now_ns();
    for (int v = 0; v < 256; v++) {
        table[v] = (uint8_t)(v * 3 / 4);
    }
    // SplitMix64 steps, four bytes scaled into 50..199 from each: integer
    // multiplies and byte stores.
    uint64_t h = 0x2545f4914f6cdd1dull;
    for (size_t i = 0; i < sizeof rgb; i += 4) {
        h += 0x9e3779b97f4a7c15ull;
        uint64_t z = h;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        for (size_t k = 0; k < 4 && i + k < sizeof rgb; k++) {
            rgb[i + k] = (uint8_t)(50 + ((((z >> (16 * k)) & 0xffffu) * 150u) >> 16));
        }
    }
    // Byte loads through the table into the RGBA image.
    for (int p = 0; p < PROBE_PIXELS; p++) {
        const uint8_t *s = rgb + p * 3;
        uint8_t *d = rgba + p * 4;
        d[0] = table[s[0]];
        d[1] = table[s[1]];
        d[2] = table[s[2]];
        d[3] = 255;
    }
    probe_sink ^= rgba[h % sizeof rgba];
    return (double)(nsp_timing_now_ns() - t0) / 1e6;
}

double nsp_probe_faults_ms(void) {
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    double ms[FAULT_ROUNDS], scratch[FAULT_ROUNDS];
    for (int r = 0; r < FAULT_ROUNDS; r++) {
        uint64_t t0 = nsp_timing_now_ns();
        uint8_t *p = mmap(NULL, FAULT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            return NAN;
        }
        // Huge pages would make it two faults, or one, as the kernel
        // pleases: one fault per base page, every round.
        (void)madvise(p, FAULT_BYTES, MADV_NOHUGEPAGE);
        for (size_t o = 0; o < FAULT_BYTES; o += page) {
            ((volatile uint8_t *)p)[o] = (uint8_t)o;
        }
        probe_sink ^= p[FAULT_BYTES / 2];
        munmap(p, FAULT_BYTES);
        ms[r] = (double)(nsp_timing_now_ns() - t0) / 1e6;
    }
    return nsp_stats_median(ms, FAULT_ROUNDS, scratch);
}
