// What a render backend does with a frame, and the exact work it counts.
//
// Both backends execute the same plan for a frame (nsp_frame_t from the
// scene): upload the video frame (when on) and the field image as textures,
// draw the video quad below and the field quad above it, upload each
// non-empty batch's vertex range and draw it, then the dock's static
// decoration and its text. The GL backend counts the calls it really makes;
// the null backend counts the same plan without GL. The counts are exact and
// machine-independent, so the gate compares them with zero tolerance.
#ifndef NSP_RENDER_H
#define NSP_RENDER_H

#include <stdint.h>

#include "core/scene.h"

typedef struct nsp_render_counters {
    uint64_t frames;
    uint64_t draw_calls;
    uint64_t vertices;          // Vertices submitted in draw calls (static ones too).
    uint64_t bytes_uploaded;    // Texture and vertex bytes sent per frame.
    uint64_t texture_uploads;
    uint64_t buffer_uploads;    // Vertex-buffer range updates.
} nsp_render_counters_t;

// Vertices of a textured quad (two triangles).
#define NSP_QUAD_VERTICES 6

// Glyph quads the dock's labels need: 6 vertices per non-space character.
uint32_t nsp_label_vertices(const nsp_scene_t *scene);

// The null backend: executes the plan by counting, touching no GL.
typedef struct nsp_render_null {
    const nsp_scene_t *scene;
    nsp_render_counters_t total;
    nsp_render_counters_t last;   // The most recent frame alone.
} nsp_render_null_t;

void nsp_render_null_init(nsp_render_null_t *r, const nsp_scene_t *scene);
void nsp_render_null_draw(nsp_render_null_t *r, const nsp_frame_t *frame);

// Adds b's counts to a.
void nsp_render_counters_add(nsp_render_counters_t *a, const nsp_render_counters_t *b);

#endif
