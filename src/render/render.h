// What a render backend does with a frame, and the exact work it counts.
//
// Both backends execute the same plan for a frame (nsp_frame_t from the
// scene): upload the video frame (when on) and the field image as textures,
// upload each non-empty batch's vertex range, then draw the background (the
// dock's panel as the clear colour and one triangle, clipped to the field,
// compositing field over video over black), the dock's static decoration, each non-empty batch in index order,
// and last the dock's text. The GL backend counts the calls it really makes;
// the null backend counts the same plan without GL. The counts are exact and
// machine-independent, so the gate compares them with zero tolerance.
#ifndef NSP_RENDER_H
#define NSP_RENDER_H

#include <stdbool.h>
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

// A render backend as the benchmark and viewer drive it: a table of
// functions over the backend's own state (as GLFW's platforms and sokol's
// backends are). upload then draw execute one frame's plan; finish waits
// until the device has really finished it.
typedef struct nsp_backend {
    const char *name;
    void *self;
    void (*upload)(void *self, const nsp_frame_t *frame);
    void (*draw)(void *self, const nsp_frame_t *frame);
    void (*finish)(void *self);
    // The floor frame (clear, one textured quad over the canvas); NULL when
    // the backend has none.
    void (*draw_floor)(void *self);
    // GPU time of finished frames, oldest first: writes up to cap (frame
    // sequence number, ms) pairs and returns how many. wait: block until every
    // submitted frame's time is known. NULL when the backend cannot measure.
    size_t (*take_paint_ms)(void *self, uint64_t *seq, double *ms, size_t cap, int wait);
    // Counts of the most recent frame and of all frames so far.
    const nsp_render_counters_t *(*counters)(void *self, int total);
    // The pixels the canvas is drawn onto (the canvas's size until resized).
    void (*target_size)(void *self, int *w, int *h);
    // Maps the canvas onto a w x h pixel target (a resized window's
    // framebuffer); w, h >= 1.
    void (*resize)(void *self, int w, int h);
    // Reads the canvas back after the frame drawn last: canvas_w * canvas_h
    // * 4 bytes, RGBA, rows top first; waits for the device. Returns 0 or a
    // negative NSP_E... code (logged). NULL when the backend has no pixels.
    int (*read_rgba)(void *self, uint8_t *rgba);
    // Test-only variants, for proving the gate catches regressions: sets the
    // variant named name to value. Every backend knows "extra_draws" (that
    // many extra empty draw calls a frame, counted as any other). NSP_EINVAL
    // (logged, naming the known ones) for a name the backend does not know.
    int (*set_test)(void *self, const char *name, uint64_t value);
} nsp_backend_t;

// Vertices of a textured quad (two triangles).
#define NSP_QUAD_VERTICES 6
// Vertices of the background: one triangle twice the field's size, clipped to
// it, so that no tile along a quad's diagonal is shaded twice.
#define NSP_BACKGROUND_VERTICES 3

// Glyph quads the dock's labels need: 6 vertices per non-space character.
uint32_t nsp_label_vertices(const nsp_scene_t *scene);

// The null backend: executes the plan by counting, touching no GL.
typedef struct nsp_render_null {
    const nsp_scene_t *scene;
    nsp_render_counters_t total;
    nsp_render_counters_t last;   // The most recent frame alone.
    int target_w, target_h;       // What resize() asked for (the canvas at init).
    uint32_t extra_draws;         // Test-only (set_test "extra_draws"): empty draws a frame.
} nsp_render_null_t;

void nsp_render_null_init(nsp_render_null_t *r, const nsp_scene_t *scene);
// Counts the uploads of a frame (starting the frame's counts), then its draws.
void nsp_render_null_upload(nsp_render_null_t *r, const nsp_frame_t *frame);
void nsp_render_null_draw(nsp_render_null_t *r, const nsp_frame_t *frame);
// The null backend as an nsp_backend_t (no floor frame, no paint times, no
// pixels to read back).
nsp_backend_t nsp_render_null_backend(nsp_render_null_t *r);

// Test variants named "gl:NAME" are GL-side regressions (render_gl.h): they
// change the GL calls, never the render plan, so the null backend, which
// counts the plan, accepts and ignores them.
#define NSP_RENDER_GL_VARIANT_PREFIX "gl:"

// What a backend's set_test says of a variant it does not know (known: the
// names it does, comma-separated); returns NSP_EINVAL.
int nsp_render_unknown_test(const char *backend, const char *name, const char *known);

// Whether a GL_RENDERER string names a software rasteriser (llvmpipe,
// softpipe): its raster runs on the CPU at glFinish, out of a timer
// query's sight.
bool nsp_render_is_software(const char *gl_renderer);

// Adds b's counts to a.
void nsp_render_counters_add(nsp_render_counters_t *a, const nsp_render_counters_t *b);

#endif
