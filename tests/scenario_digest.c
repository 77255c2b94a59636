// Prints the digests of two scenarios: the default seed-42 all-overlay one and
// a larger one. check_determinism.sh builds this with several compilers and
// optimisation levels and requires the same output from each.
#include <inttypes.h>
#include <stdio.h>

#include "core/digest.h"

static int print_digest(int64_t frames, int grid, uint64_t seed) {
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    d.overlays = NSP_OVERLAY_ALL;
    d.frames = frames;
    d.grid_size = grid;
    d.seed = seed;
    nsp_scenario_t sc;
    uint64_t h = 0;
    if (nsp_scenario_init(&sc, &d) != 0 || nsp_scenario_digest(&sc, &h) != 0) {
        return 1;
    }
    printf("frames %lld grid %d seed %" PRIu64 ": fnv1a64:%016" PRIx64 "\n", (long long)frames, grid, seed, h);
    nsp_scenario_destroy(&sc);
    return 0;
}

int main(void) {
    return print_digest(500, 50, 42) | print_digest(3000, 100, 7);
}
