// The scene: every per-frame buffer, sized once at set-up, and the per-frame
// update that fills them for a frame (the overlay callbacks).
//
// nsp_scene_update() runs one step per enabled layer: the field, then each
// overlay. Each step writes only into buffers the scene owns, so a frame
// allocates nothing. The result, nsp_frame_t, is the render plan both render
// backends execute: which textures change, which vertex ranges to upload,
// and the batches to draw, in layer order (video and field are textured
// quads drawn first by the renderer; then trail, skeleton, head direction,
// events, position marker; then the dock's trace and cursor).
#ifndef NSP_SCENE_H
#define NSP_SCENE_H

#include <stdint.h>

#include "geometry.h"
#include "scenario.h"

typedef enum nsp_prim { NSP_PRIM_TRIANGLES, NSP_PRIM_POINTS } nsp_prim_t;

// Which mapping a batch's positions use.
typedef enum nsp_space_id {
    NSP_SPACE_FIELD,  // Environment units over the field viewport.
    NSP_SPACE_DOCK,   // Seconds (x, [-window, 0]) and mV (y) over the dock plot.
    NSP_SPACE_CANVAS, // Pixels, origin at the canvas's top-left, y down.
} nsp_space_id_t;

typedef struct nsp_batch {
    nsp_prim_t prim;
    nsp_space_id_t space;
    uint32_t first;   // First vertex of the batch's fixed region.
    uint32_t count;   // Vertices used this frame (0: nothing to draw).
    uint32_t cap;     // Size of the region.
} nsp_batch_t;

enum {
    NSP_BATCH_TRAIL,
    NSP_BATCH_SKELETON_EDGES,
    NSP_BATCH_SKELETON_NODES,
    NSP_BATCH_HEAD_DIRECTION,
    NSP_BATCH_EVENTS,
    NSP_BATCH_POSITION,
    NSP_BATCH_TS_TRACE,
    NSP_BATCH_TS_CURSOR,
    NSP_BATCH_COUNT,
};

// Pixel rectangle, origin at the canvas's top-left.
typedef struct nsp_rect {
    int x, y, w, h;
} nsp_rect_t;

typedef struct nsp_layout {
    int canvas_w, canvas_h;
    nsp_rect_t field;      // The field viewport.
    nsp_rect_t dock;       // The dock panel (w == 0 when the time series is off).
    nsp_rect_t dock_plot;  // The plot area inside the dock.
} nsp_layout_t;

// The dock panel's colour (RGB bytes): the renderer's background pass
// paints the dock with it, under the decoration.
#define NSP_DOCK_PANEL_RGB 24, 24, 28

// The video layer's opacity under the field (napari's default for it).
#define NSP_VIDEO_ALPHA 0.3f

// A text label of the dock, in canvas pixels. The renderer turns each
// non-space character into one glyph quad (6 vertices) at set-up.
#define NSP_LABEL_MAX 16
#define NSP_SCENE_MAX_LABELS 8
typedef enum nsp_align { NSP_ALIGN_LEFT, NSP_ALIGN_CENTER, NSP_ALIGN_RIGHT } nsp_align_t;
typedef struct nsp_label {
    float x_px, y_px;          // Anchor: baseline-independent vertical centre.
    nsp_align_t align;
    char text[NSP_LABEL_MAX];
} nsp_label_t;

typedef struct nsp_frame {
    int64_t index;
    const nsp_vertex_t *vertices;
    const nsp_batch_t *batches;     // NSP_BATCH_COUNT, in draw order.
    // The image under the overlays in the field, every frame: image_size^2
    // RGBA, row 0 at y = 0. The field's colours (image_size = grid), or, when
    // a video plays and nsp_composite_size() allows, the field composited
    // over it (opaque; image_size a multiple of both).
    const uint8_t *image_rgba;
    int image_size;
    // The video frame (NSP_VIDEO_SIZE^2 RGB, rows top first) when the
    // renderer must put it under the image itself (no composite); else NULL.
    const uint8_t *video_rgb;
} nsp_frame_t;

typedef struct nsp_scene_desc {
    const nsp_scenario_t *scenario;  // Borrowed; must outlive the scene.
    int field_w, field_h;            // Field viewport in pixels (default 800 x 800).
    int dock_w;                      // Dock width in pixels when the time series is on (default 300).
} nsp_scene_desc_t;

// One per-frame step: the field update or an overlay callback.
typedef struct nsp_scene nsp_scene_t;
typedef void (*nsp_step_fn)(nsp_scene_t *scene, int64_t frame);
typedef struct nsp_step {
    const char *name;   // Timing zone name, e.g. "render_event_overlay".
    nsp_step_fn fn;
    int zone_id;        // Its timing zone (timing.h), category "callback".
} nsp_step_t;

// The test hook: called at the end of every step, inside the step's own
// function and zone, with the step's index in steps[] (so that callgrind,
// which counts per function, and the zone's time both charge what it does to
// that step). Only tests set it (src/bench/fault.h); NULL otherwise.
typedef void (*nsp_step_hook_fn)(void *user, int step);

#define NSP_SCENE_MAX_STEPS 8

struct nsp_scene {
    const nsp_scenario_t *sc;
    nsp_layout_t layout;
    nsp_space_t field_space, dock_space;
    nsp_vertex_t *vertices;
    uint32_t vertex_cap;
    nsp_batch_t batches[NSP_BATCH_COUNT];
    float *field_values;
    uint8_t *field_rgba;
    nsp_vec2_t *bodyparts;
    uint8_t *video_rgb;
    uint8_t *composite_rgba;         // Field over video (nsp_composite_field_video), or NULL.
    int composite_size;
    nsp_step_t steps[NSP_SCENE_MAX_STEPS];
    int step_count;
    const nsp_step_t *running_step;  // The step nsp_scene_update() is running.
    nsp_step_hook_fn step_hook;      // Test-only (nsp_scene_set_step_hook); NULL in normal use.
    void *step_hook_user;
    // Static dock decoration, built once: plot frame and ticks as
    // canvas-space triangles, and the labels ("LFP (mV)", y-range, time).
    nsp_vertex_t *decor;
    uint32_t decor_count;
    nsp_label_t labels[NSP_SCENE_MAX_LABELS];
    int label_count;
    nsp_frame_t frame;
};

// Computes the canvas layout for a scenario's overlays and the requested
// sizes (0 = default). NSP_EINVAL (logged) for sizes outside 16..8192.
int nsp_layout_compute(nsp_layout_t *layout, unsigned overlays, int field_w, int field_h, int dock_w);

// Sizes every buffer for the worst frame. Returns 0, NSP_EINVAL or NSP_ENOMEM.
int nsp_scene_init(nsp_scene_t *scene, const nsp_scene_desc_t *desc);

// Frees everything; safe on a zeroed or half-built struct.
void nsp_scene_destroy(nsp_scene_t *scene);

// Runs every step for frame (in [0, frames), asserted), each inside its
// timing zone, and returns the plan.
const nsp_frame_t *nsp_scene_update(nsp_scene_t *scene, int64_t frame);

// The index in steps[] of the step named name, or -1.
int nsp_scene_find_step(const nsp_scene_t *scene, const char *name);

// Sets the test hook every step calls last (nsp_step_hook_fn); NULL removes it.
void nsp_scene_set_step_hook(nsp_scene_t *scene, nsp_step_hook_fn hook, void *user);

// Bytes the scene holds.
size_t nsp_scene_bytes(const nsp_scene_t *scene);

#endif
