#include "render.h"

#include <string.h>

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

void nsp_render_null_draw(nsp_render_null_t *r, const nsp_frame_t *f) {
    nsp_render_counters_t c = {.frames = 1};
    if (f->video_rgb) {
        upload_texture(&c, NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
        draw(&c, NSP_QUAD_VERTICES);
    }
    upload_texture(&c, (uint64_t)f->field_grid * (uint64_t)f->field_grid * 4);
    draw(&c, NSP_QUAD_VERTICES);
    for (int b = 0; b < NSP_BATCH_COUNT; b++) {
        if (f->batches[b].count > 0) {
            c.buffer_uploads++;
            c.bytes_uploaded += (uint64_t)f->batches[b].count * sizeof(nsp_vertex_t);
            draw(&c, f->batches[b].count);
        }
    }
    if (r->scene->decor_count > 0) {
        draw(&c, r->scene->decor_count);
        draw(&c, nsp_label_vertices(r->scene));
    }
    r->last = c;
    nsp_render_counters_add(&r->total, &c);
}
