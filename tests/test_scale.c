// The large configuration (100,000 frames, grid 100, 7 bodyparts, trail 20)
// is set up without materialising fields or video: the scenario's memory is
// O(frames) small arrays, ~58 bytes a frame, and peak RSS stays bounded.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "core/scene.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

// Per-frame arrays: blob centres 24 B, trajectory 8 B, heading 4 B, two
// events 16 B, event offsets 4 B, LFP 4 B = 60 B; plus the grid.
#define BYTES_PER_FRAME 60
#define MEMORY_BOUND_MIB 32

static long peak_rss_kib(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void test_large_configuration_memory(void **state) {
    (void)state;
    long before_kib = peak_rss_kib();
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    d.frames = 100000;
    d.grid_size = 100;
    d.bodyparts = 7;
    d.trail_frames = 20;
    d.overlays = NSP_OVERLAY_ALL;
    nsp_scenario_t sc;
    assert_int_equal(nsp_scenario_init(&sc, &d), 0);
    nsp_scene_t scene;
    assert_int_equal(nsp_scene_init(&scene, &(nsp_scene_desc_t){.scenario = &sc}), 0);

    size_t bytes = nsp_scenario_bytes(&sc);
    assert_in_range(bytes, 0, (size_t)100000 * BYTES_PER_FRAME + 100 * 100 * 5);
    // Materialising the fields alone would take 100000 * n_active * 4 bytes.
    assert_in_range(bytes * 50, 0, (size_t)100000 * (size_t)sc.n_active * 4 - 1);

    // Random frames anywhere in the session, in any order.
    const int64_t frames[] = {99999, 0, 54321, 77, 99998};
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
        const nsp_frame_t *f = nsp_scene_update(&scene, frames[i]);
        assert_int_equal(f->index, frames[i]);
        assert_int_equal(f->batches[NSP_BATCH_POSITION].count, 1);
    }
    long grown_kib = peak_rss_kib() - before_kib;
    printf("large configuration: scenario %.1f MiB, scene %.1f KiB, peak RSS growth %.1f MiB (bound %d MiB)\n",
           bytes / 1048576.0, nsp_scene_bytes(&scene) / 1024.0, grown_kib / 1024.0, MEMORY_BOUND_MIB);
#ifdef UNDER_ASAN
    printf("peak RSS bound not checked under AddressSanitizer (its shadow memory dominates RSS)\n");
#else
    // Peak RSS never falls, so the growth is at least 0.
    assert_in_range(grown_kib, 0, MEMORY_BOUND_MIB * 1024L - 1);
#endif
    nsp_scene_destroy(&scene);
    nsp_scenario_destroy(&sc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_configuration_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
