#include "fault.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/timing.h"

// Burns n iterations of a loop the compiler cannot remove; ~4 instructions
// each (volatile: every iteration is a load, an add and a store it keeps).
static void burn_loops(uint64_t n) {
    volatile uint64_t acc = 0;
    for (uint64_t i = 0; i < n; i++) {
        acc = acc + i;
    }
}

// Spins until ns nanoseconds have passed on the monotonic clock.
static void burn_ns(uint64_t ns) {
    if (ns == 0) {
        return;
    }
    uint64_t end = nsp_timing_now_ns() + ns;
    while (nsp_timing_now_ns() < end) {
    }
}

static void on_step(void *user, int step) {
    const nsp_fault_t *f = user;
    burn_loops(f->step_loops[step]);
    burn_ns(f->step_ns[step]);
}

static int hook_step(nsp_fault_t *f, nsp_scene_t *scene, const char *name, uint64_t loops, uint64_t ns) {
    int i = nsp_scene_find_step(scene, name);
    if (i < 0) {
        char names[256] = "";
        for (int k = 0; k < scene->step_count; k++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "", scene->steps[k].name);
        }
        nsp_log(NSP_LOG_ERROR, "slowdown: no per-frame step named '%s' in this scenario (steps: %s)", name, names);
        return NSP_EINVAL;
    }
    f->step_loops[i] = loops;
    f->step_ns[i] = ns;
    nsp_scene_set_step_hook(scene, on_step, f);
    return 0;
}

int nsp_fault_parse(nsp_fault_t *f, nsp_scene_t *scene, const char *spec) {
    memset(f, 0, sizeof *f);
    if (!spec || !*spec) {
        return 0;
    }
    char buf[512];
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char name[64];
        unsigned long long n = 0;
        char unit[8] = "";
        int used = 0;
        // gl:NAME: the backend's GL-side variant "gl:NAME" (render.h), set to 1.
        bool gl_variant = sscanf(item, "gl:%60[a-z_]%n", name, &used) == 1 && item[used] == '\0';
        if (gl_variant) {
            snprintf(name, sizeof name, "%s", item);
            n = 1;
        }
        if (gl_variant || (sscanf(item, "%63[a-z_]=%llu%n", name, &n, &used) == 2 && item[used] == '\0')) {
            if (f->variant_count >= NSP_FAULT_MAX_VARIANTS) {
                nsp_log(NSP_LOG_ERROR, "%s: more than %d backend variants", NSP_TEST_SLOWDOWN_ENV,
                        NSP_FAULT_MAX_VARIANTS);
                return NSP_EINVAL;
            }
            snprintf(f->variant_name[f->variant_count], sizeof f->variant_name[0], "%s", name);
            f->variant_value[f->variant_count++] = n;
        } else if (sscanf(item, "%63[^:]:%7[a-z]=%llu", name, unit, &n) == 3 &&
                   (strcmp(unit, "us") == 0 || strcmp(unit, "loops") == 0)) {
            bool us = strcmp(unit, "us") == 0;
            if (strcmp(name, "paint") == 0 && us) {
                f->paint_ns = n * 1000ull;
            } else if (strcmp(name, "floor") == 0 && us) {
                f->floor_ns = n * 1000ull;
            } else if (strcmp(name, "setup") == 0 && us) {
                f->setup_ns = n * 1000ull;
            } else if (hook_step(f, scene, name, us ? 0 : n, us ? n * 1000ull : 0) != 0) {
                return NSP_EINVAL;
            }
        } else {
            nsp_log(NSP_LOG_ERROR, "%s: cannot read '%s' (expected STEP:loops=N, STEP:us=N, paint:us=N, "
                    "floor:us=N, setup:us=N, NAME=N or gl:NAME)", NSP_TEST_SLOWDOWN_ENV, item);
            return NSP_EINVAL;
        }
        f->active = true;
        nsp_log(NSP_LOG_WARN, "%s: test slowdown '%s' applied", NSP_TEST_SLOWDOWN_ENV, item);
    }
    return 0;
}

void nsp_fault_spin_setup(const nsp_fault_t *f) {
    burn_ns(f->setup_ns);
}

// The wrapped table: the backend's own functions on its own state, then the
// spin, inside the same phase's zone.
static void wrap_upload(void *self, const nsp_frame_t *frame) {
    const nsp_fault_t *f = self;
    f->inner.upload(f->inner.self, frame);
}

// The paint's spin opens the draw phase, before the frame's first GL call,
// so it adds its whole length to the frame: after a draw it would run beside
// the raster the dock's early flush has started and hide in it; after the
// finish it would leave the raster threads idle that long, and their wake-up
// would slow the floor frame drawn next (measured: +15%).
static void wrap_draw(void *self, const nsp_frame_t *frame) {
    const nsp_fault_t *f = self;
    burn_ns(f->paint_ns);
    f->inner.draw(f->inner.self, frame);
}

static void wrap_finish(void *self) {
    const nsp_fault_t *f = self;
    f->inner.finish(f->inner.self);
}

static void wrap_draw_floor(void *self) {
    const nsp_fault_t *f = self;
    f->inner.draw_floor(f->inner.self);
    burn_ns(f->floor_ns);
}

static size_t wrap_take_paint_ms(void *self, uint64_t *seq, double *ms, size_t cap, int wait) {
    const nsp_fault_t *f = self;
    return f->inner.take_paint_ms(f->inner.self, seq, ms, cap, wait);
}

static const nsp_render_counters_t *wrap_counters(void *self, int total) {
    const nsp_fault_t *f = self;
    return f->inner.counters(f->inner.self, total);
}

static void wrap_target_size(void *self, int *w, int *h) {
    const nsp_fault_t *f = self;
    f->inner.target_size(f->inner.self, w, h);
}

static void wrap_resize(void *self, int w, int h) {
    const nsp_fault_t *f = self;
    f->inner.resize(f->inner.self, w, h);
}

static int wrap_read_rgba(void *self, uint8_t *rgba) {
    const nsp_fault_t *f = self;
    return f->inner.read_rgba(f->inner.self, rgba);
}

static int wrap_set_test(void *self, const char *name, uint64_t value) {
    const nsp_fault_t *f = self;
    return f->inner.set_test(f->inner.self, name, value);
}

int nsp_fault_attach(nsp_fault_t *f, nsp_backend_t *backend) {
    for (int i = 0; i < f->variant_count; i++) {
        if (!backend->set_test) {
            nsp_log(NSP_LOG_ERROR, "%s: the %s backend has no test variants ('%s')", NSP_TEST_SLOWDOWN_ENV,
                    backend->name, f->variant_name[i]);
            return NSP_EINVAL;
        }
        int err = backend->set_test(backend->self, f->variant_name[i], f->variant_value[i]);
        if (err) {
            return err;
        }
    }
    if (f->paint_ns == 0 && f->floor_ns == 0) {
        return 0;
    }
    f->inner = *backend;
    const nsp_backend_t *in = &f->inner;
    *backend = (nsp_backend_t){
        .name = in->name,
        .self = f,
        .upload = wrap_upload,
        .draw = wrap_draw,
        .finish = wrap_finish,
        .draw_floor = in->draw_floor ? wrap_draw_floor : NULL,
        .take_paint_ms = in->take_paint_ms ? wrap_take_paint_ms : NULL,
        .counters = wrap_counters,
        .target_size = wrap_target_size,
        .resize = wrap_resize,
        .read_rgba = in->read_rgba ? wrap_read_rgba : NULL,
        .set_test = in->set_test ? wrap_set_test : NULL,
    };
    return 0;
}
