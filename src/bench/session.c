#include "session.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/timing.h"

int nsp_session_init(nsp_session_t *s, const nsp_session_opts_t *opts) {
    memset(s, 0, sizeof *s);
    s->opts = *opts;
    s->scenario_s = s->context_s = s->renderer_s = NAN;
    snprintf(s->shader_cache, sizeof s->shader_cache, "unknown");
    const uint64_t t0 = nsp_timing_now_ns();
    NSP_ZONE(zs, "generate_scenario", "setup");
    int err = nsp_scenario_init(&s->sc, &opts->scenario);
    nsp_zone_end(&zs);
    if (err) {
        return err;
    }
    NSP_ZONE(zb, "build_scene", "setup");
    err = nsp_scene_init(&s->scene, &(nsp_scene_desc_t){.scenario = &s->sc,
                                                          .field_w = opts->field_w,
                                                          .field_h = opts->field_h,
                                                          .dock_w = opts->dock_w});
    nsp_zone_end(&zb);
    s->scenario_s = (double)(nsp_timing_now_ns() - t0) / 1e9;
    if (err == 0) {
        err = nsp_fault_parse(&s->fault, &s->scene, getenv(NSP_TEST_SLOWDOWN_ENV));
    }
    if (err == 0) {
        nsp_fault_spin_setup(&s->fault);
    }
    return err;
}

// Whether dir holds any entry but . and .. (recursively not needed: Mesa's
// cache keeps its entries in subdirectories, which are entries here).
static bool dir_has_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) {
        return false;
    }
    bool any = false;
    for (struct dirent *e; !any && (e = readdir(d)) != NULL;) {
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(d);
    return any;
}

const char *nsp_session_shader_cache_state(void) {
    const char *off = getenv("MESA_SHADER_CACHE_DISABLE");
    if (off && (strcmp(off, "true") == 0 || strcmp(off, "1") == 0 || strcmp(off, "yes") == 0)) {
        return "disabled";
    }
    // Mesa's own order: MESA_SHADER_CACHE_DIR, else $XDG_CACHE_HOME, else
    // $HOME/.cache, each with mesa_shader_cache below it.
    char dir[4096];
    const char *set = getenv("MESA_SHADER_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (set && set[0]) {
        snprintf(dir, sizeof dir, "%s/mesa_shader_cache", set);
    } else if (xdg && xdg[0]) {
        snprintf(dir, sizeof dir, "%s/mesa_shader_cache", xdg);
    } else if (home && home[0]) {
        snprintf(dir, sizeof dir, "%s/.cache/mesa_shader_cache", home);
    } else {
        return "cold";
    }
    return dir_has_entries(dir) ? "warm" : "cold";
}

void nsp_session_destroy(nsp_session_t *s) {
    if (s->backend_destroy) {
        s->backend_destroy(s->backend_state);
    }
    nsp_scene_destroy(&s->scene);
    nsp_scenario_destroy(&s->sc);
    memset(s, 0, sizeof *s);
}

static void null_destroy(void *state) {
    free(state);
}

int nsp_session_attach_null(nsp_session_t *s) {
    nsp_render_null_t *r = malloc(sizeof *r);
    if (!r) {
        return NSP_ENOMEM;
    }
    nsp_render_null_init(r, &s->scene);
    s->backend = nsp_render_null_backend(r);
    s->backend_state = r;
    s->backend_destroy = null_destroy;
    return nsp_fault_attach(&s->fault, &s->backend);
}

const nsp_frame_t *nsp_session_draw(nsp_session_t *s, int64_t frame) {
    const nsp_frame_t *f = nsp_scene_update(&s->scene, frame);
    s->backend.upload(s->backend.self, f);
    s->backend.draw(s->backend.self, f);
    return f;
}
