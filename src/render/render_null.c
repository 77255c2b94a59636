#include "render.h"

#include <string.h>

#include "core/error.h"

uint32_t nsp_label_vertices(const nsp_scene_t *scene) {
    uint32_t n = 0;
    for (int i = 0; i < scene->label_count; i++) {
        for (const char *c = scene->labels[i].text; *c; c++) {
            n += *c != ' ' ? NSP_QUAD_VERTICES : 0;
        }
    }
    return n;
}

void nsp_render_null_init(nsp_render_null_t *r, const nsp_scene_t *scene) {
    memset(r, 0, sizeof *r);
    r->scene = scene;
    r->target_w = scene->layout.canvas_w;
    r->target_h = scene->layout.canvas_h;
}

int nsp_render_unknown_test(const char *backend, const char *name, const char *known) {
    nsp_log(NSP_LOG_ERROR, "%s backend: no test variant named '%s' (known: %s)", backend, name, known);
    return NSP_EINVAL;
}

bool nsp_render_is_software(const char *gl_renderer) {
    return strstr(gl_renderer, "llvmpipe") != NULL || strstr(gl_renderer, "softpipe") != NULL;
}

void nsp_render_counters_add(nsp_render_counters_t *a, const nsp_render_counters_t *b) {
    a->frames += b->frames;
    a->draw_calls += b->draw_calls;
    a->vertices += b->vertices;
    a->bytes_uploaded += b->bytes_uploaded;
    a->texture_uploads += b->texture_uploads;
    a->buffer_uploads += b->buffer_uploads;
}

static void draw(nsp_render_counters_t *c, uint64_t vertices) {
    c->draw_calls++;
    c->vertices += vertices;
}

static void upload_texture(nsp_render_counters_t *c, uint64_t bytes) {
    c->texture_uploads++;
    c->bytes_uploaded += bytes;
}

void nsp_render_null_upload(nsp_render_null_t *r, const nsp_frame_t *f) {
    nsp_render_counters_t *c = &r->last;
    *c = (nsp_render_counters_t){.frames = 1};
    if (f->video_rgb) {
        upload_texture(c, NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
    }
    upload_texture(c, (uint64_t)f->image_size * (uint64_t)f->image_size * 4);
    for (int b = 0; b < NSP_BATCH_COUNT; b++) {
        if (f->batches[b].count > 0) {
            c->buffer_uploads++;
            c->bytes_uploaded += (uint64_t)f->batches[b].count * sizeof(nsp_vertex_t);
        }
    }
}

void nsp_render_null_draw(nsp_render_null_t *r, const nsp_frame_t *f) {
    nsp_render_counters_t *c = &r->last;
    draw(c, NSP_BACKGROUND_VERTICES);  // The background: video and field in one pass (the panel is cleared).
    // The dock's decoration (frame and ticks) lies under the batches; its
    // text goes on top of everything.
    if (r->scene->decor_count > 0) {
        draw(c, r->scene->decor_count);
    }
    for (int b = 0; b < NSP_BATCH_COUNT; b++) {
        if (f->batches[b].count > 0) {
            draw(c, f->batches[b].count);
        }
    }
    if (r->scene->decor_count > 0) {
        draw(c, nsp_label_vertices(r->scene));
    }
    // Test-only extra draw calls (set_test "extra_draws"): empty ones.
    for (uint32_t i = 0; i < r->extra_draws; i++) {
        draw(c, 0);
    }
    nsp_render_counters_add(&r->total, c);
}

static void backend_upload(void *self, const nsp_frame_t *f) {
    nsp_render_null_upload(self, f);
}

static void backend_draw(void *self, const nsp_frame_t *f) {
    nsp_render_null_draw(self, f);
}

static void backend_finish(void *self) {
    (void)self;
}

static const nsp_render_counters_t *backend_counters(void *self, int total) {
    nsp_render_null_t *r = self;
    return total ? &r->total : &r->last;
}

static void backend_target_size(void *self, int *w, int *h) {
    const nsp_render_null_t *r = self;
    *w = r->target_w;
    *h = r->target_h;
}

static void backend_resize(void *self, int w, int h) {
    nsp_render_null_t *r = self;
    r->target_w = w;
    r->target_h = h;
}

static int backend_set_test(void *self, const char *name, uint64_t value) {
    nsp_render_null_t *r = self;
    if (strncmp(name, NSP_RENDER_GL_VARIANT_PREFIX, strlen(NSP_RENDER_GL_VARIANT_PREFIX)) == 0) {
        return 0;  // GL-side only: the plan is the same.
    }
    if (strcmp(name, "extra_draws") != 0) {
        return nsp_render_unknown_test("null", name, "extra_draws");
    }
    r->extra_draws = (uint32_t)value;
    return 0;
}

nsp_backend_t nsp_render_null_backend(nsp_render_null_t *r) {
    return (nsp_backend_t){
        .name = "null",
        .self = r,
        .upload = backend_upload,
        .draw = backend_draw,
        .finish = backend_finish,
        .counters = backend_counters,
        .target_size = backend_target_size,
        .resize = backend_resize,
        .set_test = backend_set_test,
    };
}
