// nsplay scenario: generate the seeded scenario the benchmark would replay
// and print what it holds, its memory and its digest.
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "commands.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/geometry.h"
#include "core/prng.h"
#include "core/stats.h"
#include "core/scene.h"
#include "options.h"

static void help(FILE *out) {
    fprintf(out, "usage: nsplay scenario [options]\n\n"
                 "Generates the scenario that 'nsplay bench' replays with the same options and\n"
                 "prints a summary: active bins, overlay sample counts, memory, set-up time and\n"
                 "a 64-bit FNV-1a digest of the generated data (it changes when any value does).\n\n");
    nsp_scenario_options_help_untimed(out);
    fprintf(out, "Other:\n  -h, --help            this text\n");
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

#define SEEK_SAMPLES 200

// Median cost of producing one frame at random positions in the session: the
// field alone, and every step of the scene (all enabled overlays). This is
// the random-seek cost of the large configuration.
static void print_seek_cost(const nsp_scenario_t *sc, nsp_scene_t *scene) {
    static double field_us[SEEK_SAMPLES], scene_us[SEEK_SAMPLES], scratch[2 * SEEK_SAMPLES];
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, 0xffff, 0);
    for (int i = 0; i < SEEK_SAMPLES; i++) {
        int64_t f = (int64_t)nsp_rng_bounded(&rng, (uint32_t)sc->frames);
        double t0 = now_ms();
        nsp_scenario_field(sc, f, scene->field_values);
        double t1 = now_ms();
        nsp_scene_update(scene, f);
        double t2 = now_ms();
        field_us[i] = (t1 - t0) * 1e3;
        scene_us[i] = (t2 - t1) * 1e3;
    }
    nsp_summary_t fs, ss;
    nsp_stats_summarize(field_us, SEEK_SAMPLES, scratch, &fs);
    nsp_stats_summarize(scene_us, SEEK_SAMPLES, scratch, &ss);
    printf("Random frame (median of %d, p95): field %.1f us (%.1f), whole scene update %.1f us (%.1f)\n",
           SEEK_SAMPLES, fs.median, fs.p95, ss.median, ss.p95);
}

static void print_summary(const nsp_scenario_t *sc, const nsp_scene_t *scene, double setup_ms) {
    const nsp_scenario_desc_t *d = &sc->desc;
    printf("Scenario: seed %" PRIu64 ", %lld frames, grid %d, %g samples/s\n", d->seed, (long long)d->frames,
           d->grid_size, d->sample_rate_hz);
    printf("Overlays:");
    const char *sep = " ";
    for (int i = 0; i < NSP_OVERLAY_COUNT; i++) {
        if (d->overlays & (1u << i)) {
            printf("%s%s", sep, nsp_overlay_name(i));
            sep = ", ";
        }
    }
    printf("\n");
    int bins = sc->grid * sc->grid;
    printf("Environment: %dx%d bins, %d active (%.1f%%)\n", sc->grid, sc->grid, sc->n_active,
           100.0 * sc->n_active / bins);
    printf("Field: %d blobs, sigma %.2f, colour range [%.4f, %.4f] (%s)\n", NSP_BLOBS, sc->field_sigma,
           (double)sc->field_lo, (double)sc->field_hi, sc->field_range_exact ? "exact global min/max" : "nominal");
    printf("Position: %lld samples, trail %d frames\n", (long long)sc->frames, d->trail_frames);
    printf("Bodyparts: %d keypoints x %lld frames, %d skeleton edges\n", d->bodyparts, (long long)sc->frames,
           d->bodyparts - 1);
    printf("Head direction: %lld angles\n", (long long)sc->frames);
    printf("Events: %lld, at most %d visible in a frame (decay %d frames)\n", (long long)sc->n_events,
           sc->ev_max_visible, NSP_EVENT_DECAY_FRAMES);
    printf("Time series: %lld samples, y-range [%.1f, %.1f] mV, window %.0f s (%zu samples)\n",
           (long long)sc->frames, (double)sc->lfp_lo, (double)sc->lfp_hi, NSP_TS_WINDOW_S,
           nsp_timeseries_window_samples(d->sample_rate_hz, NSP_TS_WINDOW_S));
    printf("Video: %dx%d RGB x %lld frames, produced on demand\n", NSP_VIDEO_SIZE, NSP_VIDEO_SIZE,
           (long long)sc->frames);
    printf("Memory: scenario %.1f KiB, per-frame buffers %.1f KiB\n", nsp_scenario_bytes(sc) / 1024.0,
           nsp_scene_bytes(scene) / 1024.0);
    printf("Setup: %.2f ms\n", setup_ms);
}

int nsp_cmd_scenario(int argc, char **argv) {
    nsp_scenario_desc_t desc;
    const nsp_untimed_command_t cmd = {"scenario", help, NULL, NULL, NULL};
    int p = nsp_untimed_options_parse(&cmd, argc, argv, &desc, NULL, NULL);
    if (p != 0) {
        return p == 1 ? 0 : NSP_EXIT_USAGE;  // 1: the help was asked for.
    }
    if (nsp_scenario_options_end_untimed(argc, argv, &desc) != 0) {
        return NSP_EXIT_USAGE;
    }
    double t0 = now_ms();
    nsp_scenario_t sc;
    int err = nsp_scenario_init(&sc, &desc);
    double setup_ms = now_ms() - t0;
    if (err) {
        nsp_log(NSP_LOG_ERROR, "scenario generation failed: %s", nsp_strerror(err));
        return 1;
    }
    nsp_scene_t scene;
    err = nsp_scene_init(&scene, &(nsp_scene_desc_t){.scenario = &sc});
    uint64_t digest = 0;
    if (err == 0) {
        err = nsp_scenario_digest(&sc, &digest);
    }
    if (err == 0) {
        print_summary(&sc, &scene, setup_ms);
        print_seek_cost(&sc, &scene);
        printf("Digest: fnv1a64:%016" PRIx64 "\n", digest);
    } else {
        nsp_log(NSP_LOG_ERROR, "scenario summary failed: %s", nsp_strerror(err));
    }
    nsp_scene_destroy(&scene);
    nsp_scenario_destroy(&sc);
    return err ? 1 : 0;
}
