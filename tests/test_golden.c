// Golden frames: one frame of each of the eight configurations of requirements §R5, rendered
// offscreen in-process and compared with a reviewed reference PNG under
// tests/golden/ (made by scripts/refresh-golden with `nsplay render`).
//
// Tolerance (docs/golden.md): an image matches its reference when
//   max channel difference <= 48, RMS over all channels <= 1.0, and at most
//   0.5% of the pixels have some channel differing by more than 16.
// The references come from Mesa llvmpipe, which is deterministic: on the
// driver recorded in tests/golden/RENDERER.txt a re-render must match with
// max difference 0. Another driver may round or rasterise edges a little
// differently; that moves a few edge pixels by a few levels and stays well
// inside the bounds, while a wrong colour or a misplaced overlay moves far
// more (the negative tests below show that it fails).
//
// Exits 77 (skipped) when no OpenGL context can be made. The program also
// serves scripts/refresh-golden and tests/viewer_test.sh:
//   test_golden --list             one line per configuration: name and
//                                  the `nsplay render` options that make it
//   test_golden --renderer         GL_RENDERER | GL_VERSION of this machine
//   test_golden --compare OLD NEW  the difference and the verdict; exit 0
//                                  within tolerance, 1 beyond, 2 unreadable
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/scene.h"
#include "platform/platform.h"
#include "render/image.h"
#include "render/render_gl.h"
#include "headless_gl.h"

// The frame and field size every reference shows (the dock stays 300 px).
#define GOLDEN_FRAME 123
#define GOLDEN_FIELD_PX 400

// The tolerance, as stated above.
#define TOL_MAX_CHANNEL 48
#define TOL_RMS 1.0
#define TOL_PIXEL_THRESHOLD 16
#define TOL_PIXELS_OVER_FRAC 0.005

#ifndef NSP_GOLDEN_DIR
#error "NSP_GOLDEN_DIR (the reference folder) must be defined by the build"
#endif
#ifndef NSP_GOLDEN_OUT_DIR
#error "NSP_GOLDEN_OUT_DIR (where failing renders are written) must be defined by the build"
#endif

typedef struct golden_config {
    const char *name;   // Reference file tests/golden/<name>.png.
    unsigned overlays;
} golden_config_t;

// requirements §R5's table, in its order.
static const golden_config_t CONFIGS[8] = {
    {"position", NSP_OVERLAY_POSITION},
    {"bodyparts", NSP_OVERLAY_BODYPARTS},
    {"head_direction", NSP_OVERLAY_HEAD_DIRECTION},
    {"events", NSP_OVERLAY_EVENTS},
    {"timeseries", NSP_OVERLAY_TIMESERIES},
    {"video", NSP_OVERLAY_VIDEO},
    {"all_no_video", NSP_OVERLAY_ALL & ~(unsigned)NSP_OVERLAY_VIDEO},
    {"all", NSP_OVERLAY_ALL},
};
#define CONFIG_COUNT (sizeof CONFIGS / sizeof CONFIGS[0])

static nsp_platform_t platform;
static char renderer_id[256];   // "GL_RENDERER | GL_VERSION".

typedef enum verdict { VERDICT_IDENTICAL, VERDICT_WITHIN, VERDICT_BEYOND } verdict_t;

static double over_frac(const nsp_image_diff_t *d, int w, int h) {
    return (double)d->pixels_over / ((double)w * (double)h);
}

static verdict_t judge(const nsp_image_diff_t *d, int w, int h) {
    if (d->max_channel_diff == 0) {
        return VERDICT_IDENTICAL;
    }
    bool ok = d->max_channel_diff <= TOL_MAX_CHANNEL && d->rms <= TOL_RMS &&
              over_frac(d, w, h) <= TOL_PIXELS_OVER_FRAC;
    return ok ? VERDICT_WITHIN : VERDICT_BEYOND;
}

// "max channel diff 12 (<= 48), RMS 0.031 (<= 1.0), 3 pixels over 16 = 0.002% (<= 0.5%)".
static void describe(char *buf, size_t cap, const nsp_image_diff_t *d, int w, int h) {
    snprintf(buf, cap,
             "max channel diff %d (<= %d), RMS %.4f (<= %.1f), %lld pixels over %d = %.3f%% (<= %.1f%%)",
             d->max_channel_diff, TOL_MAX_CHANNEL, d->rms, TOL_RMS, (long long)d->pixels_over,
             TOL_PIXEL_THRESHOLD, 100.0 * over_frac(d, w, h), 100.0 * TOL_PIXELS_OVER_FRAC);
}

// The `nsplay render` overlay flags of a configuration ("--position --head-direction").
static void overlay_flags(unsigned overlays, char *buf, size_t cap) {
    buf[0] = '\0';
    for (int bit = 0; bit < NSP_OVERLAY_COUNT; bit++) {
        if (!(overlays & (1u << bit))) {
            continue;
        }
        char flag[64];
        snprintf(flag, sizeof flag, "%s--%s", buf[0] ? " " : "", nsp_overlay_name(bit));
        for (char *c = flag; *c; c++) {
            *c = *c == '_' ? '-' : *c;
        }
        strncat(buf, flag, cap - strlen(buf) - 1);
    }
}

// ---------------------------------------------------------------------------
// Rendering one golden frame in-process, as `nsplay render` does.

// Changes the generated scenario before the scene is built (negative tests).
typedef void (*tamper_fn)(nsp_scenario_t *sc);

// Renders frame GOLDEN_FRAME of the configuration into img (owned by the
// caller, freed with nsp_image_destroy).
static void render_golden(unsigned overlays, tamper_fn tamper, nsp_image_t *img) {
    nsp_scenario_desc_t d;
    nsp_scenario_desc_default(&d);
    d.overlays = overlays;
    nsp_scenario_t sc = {0};
    nsp_scene_t scene = {0};
    nsp_render_gl_t gl = {0};
    assert_int_equal(nsp_scenario_init(&sc, &d), 0);
    if (tamper) {
        tamper(&sc);
    }
    nsp_scene_desc_t sd = {.scenario = &sc, .field_w = GOLDEN_FIELD_PX, .field_h = GOLDEN_FIELD_PX};
    assert_int_equal(nsp_scene_init(&scene, &sd), 0);
    assert_true(scene.layout.canvas_w <= platform.width && scene.layout.canvas_h <= platform.height);
    assert_int_equal(nsp_render_gl_init(&gl, &scene), 0);
    const nsp_frame_t *f = nsp_scene_update(&scene, GOLDEN_FRAME);
    nsp_render_gl_upload(&gl, f);
    assert_int_equal(nsp_render_gl_draw(&gl, f), 0);
    nsp_render_gl_finish(&gl);
    img->w = scene.layout.canvas_w;
    img->h = scene.layout.canvas_h;
    img->rgba = malloc((size_t)img->w * (size_t)img->h * 4);
    assert_non_null(img->rgba);
    assert_int_equal(nsp_render_gl_read_rgba(&gl, img->rgba), 0);
    nsp_render_gl_destroy(&gl);
    nsp_scene_destroy(&scene);
    nsp_scenario_destroy(&sc);
}

static void reference_path(const golden_config_t *c, char *buf, size_t cap) {
    snprintf(buf, cap, "%s/%s.png", NSP_GOLDEN_DIR, c->name);
}

// Reads the configuration's reference; a missing one fails, saying how to make it.
static void read_reference(const golden_config_t *c, nsp_image_t *ref) {
    char path[1024];
    reference_path(c, path, sizeof path);
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        fail_msg("missing reference %s: run scripts/refresh-golden [BUILD_DIR], view the new images and commit them",
                 path);
    }
    fclose(probe);
    assert_int_equal(nsp_image_read_png(ref, path), 0);
}

// Compares a render with the configuration's reference; fills diff and
// returns the verdict. Sizes must agree.
static verdict_t compare_with_reference(const golden_config_t *c, const nsp_image_t *img, nsp_image_diff_t *diff) {
    nsp_image_t ref = {0};
    read_reference(c, &ref);
    if (ref.w != img->w || ref.h != img->h) {
        fail_msg("%s: the render is %dx%d but the reference is %dx%d: run scripts/refresh-golden", c->name, img->w,
                 img->h, ref.w, ref.h);
    }
    assert_int_equal(nsp_image_compare(&ref, img, TOL_PIXEL_THRESHOLD, diff), 0);
    nsp_image_destroy(&ref);
    return judge(diff, img->w, img->h);
}

static const golden_config_t *config_named(const char *name) {
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        if (strcmp(CONFIGS[i].name, name) == 0) {
            return &CONFIGS[i];
        }
    }
    fail_msg("no configuration named %s", name);
    return NULL;
}

// The driver the references were made with, from tests/golden/RENDERER.txt
// (written by scripts/refresh-golden); false when it is not recorded.
static bool same_renderer_as_references(void) {
    FILE *f = fopen(NSP_GOLDEN_DIR "/RENDERER.txt", "r");
    if (!f) {
        return false;
    }
    char line[256] = "";
    bool same = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    line[strcspn(line, "\n")] = '\0';
    return same && strcmp(line, renderer_id) == 0;
}

// ---------------------------------------------------------------------------
// The tests.

// One configuration against its reference; on a mismatch the render is
// written next to the build's tests, for viewing.
// *state is the configuration's index in CONFIGS.
static void test_golden_config(void **state) {
    const golden_config_t *c = &CONFIGS[(uintptr_t)*state];
    nsp_image_t img = {0};
    render_golden(c->overlays, NULL, &img);
    nsp_image_diff_t diff;
    verdict_t v = compare_with_reference(c, &img, &diff);
    char what[256];
    describe(what, sizeof what, &diff, img.w, img.h);
    printf("%s (%dx%d, frame %d): %s\n", c->name, img.w, img.h, GOLDEN_FRAME, what);
    bool exact = same_renderer_as_references();
    if (v == VERDICT_BEYOND || (exact && v != VERDICT_IDENTICAL)) {
        char out[1024];
        snprintf(out, sizeof out, "%s/%s.actual.png", NSP_GOLDEN_OUT_DIR, c->name);
        if (nsp_image_write_png(out, img.rgba, img.w, img.h) == 0) {
            printf("%s: this render is in %s\n", c->name, out);
        }
    }
    nsp_image_destroy(&img);
    if (v == VERDICT_BEYOND) {
        fail_msg("%s differs from its reference beyond the tolerance: %s", c->name, what);
    }
    if (exact && v != VERDICT_IDENTICAL) {
        // Same driver as the references: llvmpipe is deterministic, so any
        // difference at all is a change in what is drawn.
        fail_msg("%s: on the references' driver (%s) the match must be exact: %s", c->name, renderer_id, what);
    }
}

// An unchanged re-render in the same process is bit-identical: the
// renderer is deterministic and keeps no state between frames that shows.
static void test_rerender_identical(void **state) {
    (void)state;
    const golden_config_t *c = config_named("all");
    nsp_image_t a = {0}, b = {0};
    render_golden(c->overlays, NULL, &a);
    render_golden(c->overlays, NULL, &b);
    nsp_image_diff_t diff;
    assert_int_equal(nsp_image_compare(&a, &b, TOL_PIXEL_THRESHOLD, &diff), 0);
    assert_int_equal(diff.max_channel_diff, 0);
    assert_int_equal(diff.pixels_over, 0);
    nsp_image_destroy(&a);
    nsp_image_destroy(&b);
}

// Wrong colour: the field's colour range 25% wider at the top, so every
// active bin maps to a darker viridis colour.
static void widen_colour_range(nsp_scenario_t *sc) {
    sc->field_hi = sc->field_lo + 1.25f * (sc->field_hi - sc->field_lo);
}

static void test_wrong_colour_fails(void **state) {
    (void)state;
    const golden_config_t *c = config_named("all");
    nsp_image_t img = {0};
    render_golden(c->overlays, widen_colour_range, &img);
    nsp_image_diff_t diff;
    verdict_t v = compare_with_reference(c, &img, &diff);
    char what[256];
    describe(what, sizeof what, &diff, img.w, img.h);
    printf("all, colour range widened 25%%: %s\n", what);
    assert_int_equal(v, VERDICT_BEYOND);
    nsp_image_destroy(&img);
}

// Misplaced overlay: the animal 3 environment units (24 px at this size)
// to the side over the whole trail the frame draws, marker included.
#define SHIFT_ENV 3.0f

static void shift_trail(nsp_scenario_t *sc) {
    const int64_t first = GOLDEN_FRAME - sc->desc.trail_frames;
    const float grid = (float)sc->grid;
    // Shift right unless that would leave the environment, then left.
    float dx = sc->trajectory[GOLDEN_FRAME].x + SHIFT_ENV <= grid ? SHIFT_ENV : -SHIFT_ENV;
    for (int64_t f = first < 0 ? 0 : first; f <= GOLDEN_FRAME + 1 && f < sc->frames; f++) {
        float x = sc->trajectory[f].x + dx;
        sc->trajectory[f].x = x < 0.0f ? 0.0f : x > grid ? grid : x;
    }
}

static void test_misplaced_overlay_fails(void **state) {
    (void)state;
    const golden_config_t *c = config_named("position");
    nsp_image_t img = {0};
    render_golden(c->overlays, shift_trail, &img);
    nsp_image_diff_t diff;
    verdict_t v = compare_with_reference(c, &img, &diff);
    char what[256];
    describe(what, sizeof what, &diff, img.w, img.h);
    printf("position, trail shifted %.0f units: %s\n", (double)SHIFT_ENV, what);
    assert_int_equal(v, VERDICT_BEYOND);
    nsp_image_destroy(&img);
}

// Each bound fails on its own: the verdict is their conjunction.
static void test_each_bound_alone(void **state) {
    (void)state;
    const int w = 100, h = 100;   // 10,000 pixels: 0.5% is 50.
    nsp_image_diff_t d = {.max_channel_diff = TOL_MAX_CHANNEL, .rms = TOL_RMS, .pixels_over = 50};
    assert_int_equal(judge(&d, w, h), VERDICT_WITHIN);
    d.max_channel_diff = TOL_MAX_CHANNEL + 1;
    assert_int_equal(judge(&d, w, h), VERDICT_BEYOND);
    d.max_channel_diff = TOL_MAX_CHANNEL;
    d.rms = TOL_RMS * 1.001;
    assert_int_equal(judge(&d, w, h), VERDICT_BEYOND);
    d.rms = TOL_RMS;
    d.pixels_over = 51;
    assert_int_equal(judge(&d, w, h), VERDICT_BEYOND);
    d = (nsp_image_diff_t){0};
    assert_int_equal(judge(&d, w, h), VERDICT_IDENTICAL);
}

// ---------------------------------------------------------------------------
// The helper modes.

static int list_configs(void) {
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        char flags[256];
        overlay_flags(CONFIGS[i].overlays, flags, sizeof flags);
        printf("%s %s --frame %d --width %d --height %d\n", CONFIGS[i].name, flags, GOLDEN_FRAME, GOLDEN_FIELD_PX,
               GOLDEN_FIELD_PX);
    }
    return 0;
}

static int compare_files(const char *old_path, const char *new_path) {
    nsp_image_t a = {0}, b = {0};
    if (nsp_image_read_png(&a, old_path) != 0 || nsp_image_read_png(&b, new_path) != 0) {
        nsp_image_destroy(&a);
        nsp_image_destroy(&b);
        return 2;
    }
    nsp_image_diff_t diff;
    int status;
    if (nsp_image_compare(&a, &b, TOL_PIXEL_THRESHOLD, &diff) != 0) {
        printf("size changed: %dx%d -> %dx%d: beyond tolerance\n", a.w, a.h, b.w, b.h);
        status = 1;
    } else {
        verdict_t v = judge(&diff, a.w, a.h);
        char what[256];
        describe(what, sizeof what, &diff, a.w, a.h);
        printf("%s: %s\n", v == VERDICT_IDENTICAL ? "identical pixels" : v == VERDICT_WITHIN ? "within tolerance"
                                                                                              : "BEYOND tolerance",
               what);
        status = v == VERDICT_BEYOND ? 1 : 0;
    }
    nsp_image_destroy(&a);
    nsp_image_destroy(&b);
    return status;
}

static int usage(void) {
    fprintf(stderr, "usage: test_golden [--list | --renderer | --compare OLD.png NEW.png]\n");
    return 2;
}

// The largest canvas of the configurations: one headless target serves them all.
static void max_canvas(int *w, int *h) {
    *w = *h = 0;
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        nsp_layout_t L;
        if (nsp_layout_compute(&L, CONFIGS[i].overlays, GOLDEN_FIELD_PX, GOLDEN_FIELD_PX, 0) == 0) {
            *w = L.canvas_w > *w ? L.canvas_w : *w;
            *h = L.canvas_h > *h ? L.canvas_h : *h;
        }
    }
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        return list_configs();
    }
    if (argc == 4 && strcmp(argv[1], "--compare") == 0) {
        return compare_files(argv[2], argv[3]);
    }
    bool renderer_only = argc == 2 && strcmp(argv[1], "--renderer") == 0;
    if (argc > 1 && !renderer_only) {
        return usage();
    }
    int w, h;
    max_canvas(&w, &h);
    int status = headless_gl_or_status(&platform, w, h);
    if (status) {
        return status;
    }
    snprintf(renderer_id, sizeof renderer_id, "%s | %s", nsp_platform_gl_renderer(&platform),
             nsp_platform_gl_version(&platform));
    if (renderer_only) {
        printf("%s\n", renderer_id);
        nsp_platform_destroy(&platform);
        return 0;
    }
    printf("GL: %s; references made on: %s\n", renderer_id,
           same_renderer_as_references() ? "this driver (exact match required)" : "another driver (tolerance only)");
    struct CMUnitTest tests[CONFIG_COUNT + 4];
    char names[CONFIG_COUNT][64];
    size_t n = 0;
    for (size_t i = 0; i < CONFIG_COUNT; i++) {
        snprintf(names[i], sizeof names[i], "golden_%s", CONFIGS[i].name);
        tests[n++] = (struct CMUnitTest){.name = names[i], .test_func = test_golden_config,
                                         .initial_state = (void *)(uintptr_t)i};
    }
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_rerender_identical);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_wrong_colour_fails);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_misplaced_overlay_fails);
    tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_each_bound_alone);
    assert_int_equal(n, sizeof tests / sizeof tests[0]);
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    nsp_platform_destroy(&platform);
    return failed;
}
