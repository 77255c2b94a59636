// The OpenGL 3.3 core backend: executes a frame's render plan (render.h)
// with real GL calls and counts them exactly as the null backend counts the
// same plan, so the two agree call for call.
//
// Invariants: everything is sized and uploaded at set-up; a frame allocates
// nothing, uploads only the frame's field (and video) texture with
// glTexSubImage2D and each non-empty batch's vertex range with
// glBufferSubData, and draws into whatever framebuffer is bound (the
// platform's offscreen target or a window's back buffer). Layer order: the
// background (the dock's panel as the clear colour, and one unblended
// triangle clipped to the field: field over video at alpha 0.3 over black),
// the dock's decoration, the batches in index order (field overlays clipped
// to the field, then the dock's trace and cursor), the dock's text.
//
// Paint time: a GL_TIME_ELAPSED query around each frame's upload and draw
// work, read back a few frames later without stalling, taken by the caller;
// none on a software rasteriser, whose raster the query cannot see.
#ifndef NSP_RENDER_GL_H
#define NSP_RENDER_GL_H

#include <stdbool.h>
#include <stdint.h>

#include "render.h"

// Timer queries in flight; a result is read when its query is this many
// frames old at the latest (earlier when it is already available).
#define NSP_RENDER_GL_QUERY_RING 8
// Finished paint times kept until nsp_render_gl_take_paint_ms() takes them.
#define NSP_RENDER_GL_PAINT_KEEP (2 * NSP_RENDER_GL_QUERY_RING)

typedef struct nsp_render_gl_query {
    unsigned id;
    bool pending;
    uint64_t draw_seq;
} nsp_render_gl_query_t;

typedef struct nsp_render_gl_paint {
    uint64_t draw_seq;
    double ms;
} nsp_render_gl_paint_t;

typedef struct nsp_render_gl {
    const nsp_scene_t *scene;         // Borrowed; must outlive the renderer.
    nsp_render_counters_t total;
    nsp_render_counters_t last;       // The most recent frame alone.
    bool timer_queries;               // GL_TIME_ELAPSED timed here (not on a software rasteriser).
    bool clipping;                    // GL_SCISSOR_TEST on, within a frame's draw.
    void (*frame_terminator)(void);   // GL_GREMEDY_frame_terminator's (a tracer's: apitrace's), or NULL.
    uint64_t paint_lost;              // Paint times dropped because nobody took them.
    int target_w, target_h;           // Pixels the canvas is drawn onto (default: the canvas).
    uint32_t extra_draws;             // Test-only (set_test "extra_draws"): empty draws a frame.
    int test_variant;                 // Test-only (set_test "gl:NAME"): 0 none.
    // Private to the backend.
    uint64_t draw_seq;                // Frames drawn so far.
    bool uploaded;                    // upload() ran for the frame draw() will draw.
    unsigned prog_color, prog_tex, prog_bg, prog_floor;
    int loc_color_xform, loc_tex_xform, loc_tex_color, loc_tex_mode, loc_tex_sampler;
    unsigned vao_dynamic, vbo_dynamic, vao_decor, vbo_decor, vao_static, vbo_static;
    unsigned tex_field, tex_video, tex_font, tex_floor;
    uint32_t text_vertices;
    bool decor_opaque;
    float panel_rgba[3];              // The dock's panel colour: the clear colour.
    float xform[3][4];                // Per nsp_space_id_t: NDC = data * xy + zw.
    nsp_render_gl_query_t queries[NSP_RENDER_GL_QUERY_RING];
    int query_next;
    nsp_render_gl_paint_t paint[NSP_RENDER_GL_PAINT_KEEP];
    int paint_first, paint_count;
} nsp_render_gl_t;

// Sets up every GL object for scene's layout: shaders, one vertex buffer of
// scene->vertex_cap vertices, the field (grid x grid RGBA8, nearest) and
// video (100x100 RGB8, linear) textures, the static quads, the dock's
// decoration and label glyphs, the font atlas and the floor texture. Needs a
// current OpenGL 3.3 core context (nsp_platform_init_*). Returns 0,
// NSP_ENOMEM, or NSP_EGL (logged: the compile or link log, or the GL error)
// when the context is older than 3.3 or set-up fails. On error r is safe to
// destroy.
int nsp_render_gl_init(nsp_render_gl_t *r, const nsp_scene_t *scene);

// Releases every GL object (with the context still current). Safe on a
// zeroed or half-built struct, where it makes no GL call; leaves it zeroed.
void nsp_render_gl_destroy(nsp_render_gl_t *r);

// Maps the canvas onto a w x h pixel target (a resized window's
// framebuffer); w, h >= 1, asserted. Points and line widths stay in pixels.
void nsp_render_gl_set_target(nsp_render_gl_t *r, int w, int h);

// A frame is upload() then draw() of the same plan (from nsp_scene_update()
// of r's scene), into the bound framebuffer.
// upload: starts the frame's counts and its timer query, then sends the
// video and field textures and each non-empty batch's vertex range.
void nsp_render_gl_upload(nsp_render_gl_t *r, const nsp_frame_t *frame);
// draw: clears, draws every layer, ends the timer query, fills r->last and
// adds it to r->total. Returns 0; in debug builds (NDEBUG undefined) NSP_EGL
// when glGetError reports an error afterwards (logged). Does not wait for
// the GPU: follow with nsp_render_gl_finish() to time a whole frame.
int nsp_render_gl_draw(nsp_render_gl_t *r, const nsp_frame_t *frame);

// Waits until the GPU has finished every command issued so far (glFinish).
void nsp_render_gl_finish(nsp_render_gl_t *r);

// GPU paint times of drawn frames, oldest first: writes up to cap pairs
// (seq[i]: the frame's draw sequence number, counting draws from 0; ms[i]:
// its GPU time in milliseconds, NaN when timer queries are unavailable) and
// returns how many. Without wait it never stalls: it returns the times
// already known; with wait it waits for every drawn frame's time. Call until
// it returns less than cap to take everything. Times not taken for
// NSP_RENDER_GL_PAINT_KEEP frames are dropped (counted in paint_lost).
size_t nsp_render_gl_take_paint_ms(nsp_render_gl_t *r, uint64_t *seq, double *ms, size_t cap, bool wait);

// Times paint with GL timer queries even on a software rasteriser, where
// init leaves them off (the tests run the query ring where no GPU is).
// Before the first frame; a context without GL_TIME_ELAPSED keeps them off.
void nsp_render_gl_use_timer_queries(nsp_render_gl_t *r);

// The floor frame, the cheapest faithful frame: clears the target and draws
// one opaque quad over all of it with a program of its own whose fragment
// shader only samples a texture of the field image's size (image_size^2
// RGBA8, nearest, uploaded at init); nothing
// else is bound, computed or blended. Counted in no counter and not timed by
// queries; follow with nsp_render_gl_finish(). The standalone floor program
// (tools/floor.c) draws the same floor without nsplay, to check it.
void nsp_render_gl_draw_floor(nsp_render_gl_t *r);

// Reads the canvas back into rgba (canvas_w * canvas_h * 4 bytes, RGBA,
// rows top first); waits for the GPU. Returns 0, or NSP_EINVAL (logged)
// when the target size differs from the canvas, or NSP_EGL on a GL error.
int nsp_render_gl_read_rgba(nsp_render_gl_t *r, uint8_t *rgba);

// The renderer as the benchmark's nsp_backend_t (render.h); self is r.
nsp_backend_t nsp_render_gl_backend(nsp_render_gl_t *r);

// Test only, through the backend table's set_test (render.h) with the name
// "gl:NAME" (NSPLAY_TEST_SLOWDOWN's gl:NAME item): makes the GL backend commit
// one GL-side regression that its own counters do not see, for the gate's
// self-test of tier e: second_pass (the background drawn twice),
// blend_background (blending left on for it), costly_background (a costlier
// shader for the same pixels), mid_frame_finish (a glFinish mid-frame),
// respecify_texture (glTexImage2D instead of glTexSubImage2D); value 0 undoes
// it. Every variant draws the same pixels.

// For the GL backend's own modules (text_gl.c): compiles vs and fs and links
// them, logging the compile or link log under name (warnings too). Returns
// the program, or 0 (logged) when it does not build. Needs a current context.
unsigned nsp_render_gl_link_program(const char *vs_src, const char *fs_src, const char *name);
// The vertex shader of textured quads: a_pos mapped by u_xform (NDC = pos *
// xy + zw), a_uv passed on as v_uv.
extern const char *const nsp_render_gl_textured_vs;

// Ownership, units and errors, in one place:
// - The caller allocates nsp_render_gl_t; init fills it; destroy releases.
//   The scene is borrowed and must outlive the renderer; frames passed to
//   draw must come from that scene. Every GL object belongs to the context
//   current at init, which must be current for every call here.
// - Units: positions per batch space (environment units, y up, over the
//   field; seconds in [-2, 0] and mV over the dock plot; canvas pixels, y
//   down); point sizes and line widths in pixels; paint times in
//   milliseconds; byte counts in bytes.
// - Counters follow render.h exactly: one texture upload per
//   glTexSubImage2D, one buffer upload per glBufferSubData, one draw call
//   per glDrawArrays with its vertex count. Set-up uploads are not counted.
// - Errors: 0 on success, negative NSP_E... codes (core/error.h) with
//   details through nsp_log(); no function here aborts on bad GL state.
//   Precondition violations (a frame from another scene, a zero target
//   size) are asserted.

#endif
