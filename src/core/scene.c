#include "scene.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "timing.h"

#define SIZE_MIN_PX 16
#define SIZE_MAX_PX 8192
// Dock plot margins: room for the label above and the tick labels at left.
#define DOCK_MARGIN_LEFT 60
#define DOCK_MARGIN_RIGHT 12
#define DOCK_MARGIN_TOP 36
#define DOCK_MARGIN_BOTTOM 40

// Styles of requirements §R1.
static const nsp_rgba_t RED = {255, 0, 0, 255};
static const nsp_rgba_t WHITE = {255, 255, 255, 255};
static const nsp_rgba_t GRAY = {128, 128, 128, 255};
static const nsp_rgba_t YELLOW = {255, 255, 0, 255};
static const nsp_rgba_t CYAN = {0, 255, 255, 255};
static const nsp_rgba_t CURSOR = {255, 255, 255, 200};
#define MARKER_PX 12.0f
#define TRAIL_PX 3.0f
#define NODE_PX 8.0f
#define EDGE_PX 2.0f
#define ARROW_PX 3.0f
#define EVENT_PX 5.0f
#define TRACE_PX 1.5f
#define CURSOR_PX 1.0f

static bool size_ok(const char *what, int v) {
    if (v < SIZE_MIN_PX || v > SIZE_MAX_PX) {
        nsp_log(NSP_LOG_ERROR, "%s must be in %d..%d pixels, got %d", what, SIZE_MIN_PX, SIZE_MAX_PX, v);
        return false;
    }
    return true;
}

int nsp_layout_compute(nsp_layout_t *layout, unsigned overlays, int field_w, int field_h, int dock_w) {
    field_w = field_w ? field_w : 800;
    field_h = field_h ? field_h : 800;
    dock_w = dock_w ? dock_w : 300;
    if (!size_ok("field width", field_w) || !size_ok("field height", field_h) || !size_ok("dock width", dock_w)) {
        return NSP_EINVAL;
    }
    bool dock = (overlays & NSP_OVERLAY_TIMESERIES) != 0;
    if (dock && dock_w <= DOCK_MARGIN_LEFT + DOCK_MARGIN_RIGHT + 8) {
        nsp_log(NSP_LOG_ERROR, "dock width must exceed %d pixels to hold a plot, got %d",
                DOCK_MARGIN_LEFT + DOCK_MARGIN_RIGHT + 8, dock_w);
        return NSP_EINVAL;
    }
    *layout = (nsp_layout_t){
        .canvas_w = field_w + (dock ? dock_w : 0),
        .canvas_h = field_h,
        .field = {0, 0, field_w, field_h},
    };
    if (dock) {
        layout->dock = (nsp_rect_t){field_w, 0, dock_w, field_h};
        layout->dock_plot = (nsp_rect_t){field_w + DOCK_MARGIN_LEFT, DOCK_MARGIN_TOP,
                                         dock_w - DOCK_MARGIN_LEFT - DOCK_MARGIN_RIGHT,
                                         field_h - DOCK_MARGIN_TOP - DOCK_MARGIN_BOTTOM};
    }
    return 0;
}

static nsp_vbuf_t batch_buf(nsp_scene_t *s, int b) {
    return (nsp_vbuf_t){s->vertices + s->batches[b].first, s->batches[b].cap, 0, false};
}

static void batch_done(nsp_scene_t *s, int b, const nsp_vbuf_t *buf) {
    // Regions are sized for the worst frame, so overflow is a sizing bug.
    assert(!buf->overflow);
    s->batches[b].count = (uint32_t)buf->len;
}

// Every step ends with this: the test hook, when one is set. It runs inside
// the step's own function so that callgrind, which counts instructions per
// function, charges what the hook does to that step.
static void step_hook(const nsp_scene_t *s) {
    if (s->step_hook) {
        s->step_hook(s->step_hook_user, (int)(s->running_step - s->steps));
    }
}

static void step_field(nsp_scene_t *s, int64_t frame) {
    const nsp_scenario_t *sc = s->sc;
    nsp_scenario_field(sc, frame, s->field_values);
    nsp_field_rgba(s->field_values, sc->active_bins, sc->n_active, sc->field_lo, sc->field_hi, s->field_rgba);
    step_hook(s);
}

static void step_position(nsp_scene_t *s, int64_t frame) {
    const nsp_scenario_t *sc = s->sc;
    nsp_vbuf_t trail = batch_buf(s, NSP_BATCH_TRAIL);
    nsp_trail_build(&trail, &s->field_space, sc->trajectory, frame, sc->desc.trail_frames, TRAIL_PX, RED);
    batch_done(s, NSP_BATCH_TRAIL, &trail);
    nsp_vbuf_t marker = batch_buf(s, NSP_BATCH_POSITION);
    nsp_point_build(&marker, sc->trajectory[frame], MARKER_PX, RED);
    batch_done(s, NSP_BATCH_POSITION, &marker);
    step_hook(s);
}

static void step_bodyparts(nsp_scene_t *s, int64_t frame) {
    const nsp_scenario_t *sc = s->sc;
    nsp_scenario_bodyparts(sc, frame, s->bodyparts);
    nsp_vbuf_t edges = batch_buf(s, NSP_BATCH_SKELETON_EDGES);
    nsp_vbuf_t nodes = batch_buf(s, NSP_BATCH_SKELETON_NODES);
    nsp_skeleton_build(&edges, &nodes, &s->field_space, s->bodyparts, sc->desc.bodyparts, EDGE_PX, GRAY, NODE_PX,
                       WHITE);
    batch_done(s, NSP_BATCH_SKELETON_EDGES, &edges);
    batch_done(s, NSP_BATCH_SKELETON_NODES, &nodes);
    step_hook(s);
}

static void step_head_direction(nsp_scene_t *s, int64_t frame) {
    const nsp_scenario_t *sc = s->sc;
    nsp_vbuf_t buf = batch_buf(s, NSP_BATCH_HEAD_DIRECTION);
    nsp_arrow_build(&buf, &s->field_space, sc->trajectory[frame], sc->heading[frame], (float)NSP_ARROW_LENGTH_ENV,
                    ARROW_PX, YELLOW);
    batch_done(s, NSP_BATCH_HEAD_DIRECTION, &buf);
    step_hook(s);
}

static void step_events(nsp_scene_t *s, int64_t frame) {
    const nsp_scenario_t *sc = s->sc;
    nsp_vbuf_t buf = batch_buf(s, NSP_BATCH_EVENTS);
    nsp_events_build(&buf, sc->ev_pos, sc->ev_first, frame, NSP_EVENT_DECAY_FRAMES, EVENT_PX, CYAN);
    batch_done(s, NSP_BATCH_EVENTS, &buf);
    step_hook(s);
}

static void step_timeseries(nsp_scene_t *s, int64_t frame) {
    const nsp_scenario_t *sc = s->sc;
    nsp_vbuf_t trace = batch_buf(s, NSP_BATCH_TS_TRACE);
    nsp_timeseries_build(&trace, &s->dock_space, sc->lfp, sc->frames, frame, sc->desc.sample_rate_hz,
                         NSP_TS_WINDOW_S, sc->lfp_lo, sc->lfp_hi, TRACE_PX, CYAN);
    batch_done(s, NSP_BATCH_TS_TRACE, &trace);
    nsp_vbuf_t cursor = batch_buf(s, NSP_BATCH_TS_CURSOR);
    nsp_segment_build(&cursor, &s->dock_space, (nsp_vec2_t){0.0f, sc->lfp_lo}, (nsp_vec2_t){0.0f, sc->lfp_hi},
                      CURSOR_PX, CURSOR);
    batch_done(s, NSP_BATCH_TS_CURSOR, &cursor);
    step_hook(s);
}

// The video frame, and the field composited over it (the field step ran
// first) when the two have a small common texel size.
static void step_video(nsp_scene_t *s, int64_t frame) {
    nsp_scenario_video(s->sc, frame, s->video_rgb);
    if (s->composite_rgba) {
        nsp_composite_field_video(s->field_rgba, s->sc->grid, s->video_rgb, NSP_VIDEO_SIZE, NSP_VIDEO_ALPHA,
                                  s->composite_rgba, s->composite_size);
    }
    step_hook(s);
}

#define DECOR_MAX_VERTICES (6 * 12)

static nsp_label_t *add_label(nsp_scene_t *s, float x, float y, nsp_align_t align) {
    assert(s->label_count < NSP_SCENE_MAX_LABELS);
    nsp_label_t *l = &s->labels[s->label_count++];
    *l = (nsp_label_t){.x_px = x, .y_px = y, .align = align};
    return l;
}

// The dock's static parts in canvas pixels: the plot frame, ticks at the
// y-range ends and zero, and ticks at each second of the window. (The panel
// under them is the renderer's background, NSP_DOCK_PANEL_RGB.)
static void build_decor(nsp_scene_t *s) {
    static const nsp_rgba_t AXIS = {160, 160, 160, 255};
    const nsp_rect_t d = s->layout.dock, p = s->layout.dock_plot;
    const nsp_space_t px = {1.0f, 1.0f};
    nsp_vbuf_t buf = {s->decor, DECOR_MAX_VERTICES, 0, false};
    float x0 = (float)p.x, x1 = (float)(p.x + p.w), y0 = (float)p.y, y1 = (float)(p.y + p.h);
    nsp_segment_build(&buf, &px, (nsp_vec2_t){x0, y0}, (nsp_vec2_t){x1, y0}, 1.0f, AXIS);
    nsp_segment_build(&buf, &px, (nsp_vec2_t){x0, y1}, (nsp_vec2_t){x1, y1}, 1.0f, AXIS);
    nsp_segment_build(&buf, &px, (nsp_vec2_t){x0, y0}, (nsp_vec2_t){x0, y1}, 1.0f, AXIS);
    nsp_segment_build(&buf, &px, (nsp_vec2_t){x1, y0}, (nsp_vec2_t){x1, y1}, 1.0f, AXIS);
    const float ys[3] = {y0, 0.5f * (y0 + y1), y1};
    const double yv[3] = {s->sc->lfp_hi, 0.0, s->sc->lfp_lo};
    for (int i = 0; i < 3; i++) {
        nsp_segment_build(&buf, &px, (nsp_vec2_t){x0 - 5.0f, ys[i]}, (nsp_vec2_t){x0, ys[i]}, 1.0f, AXIS);
        snprintf(add_label(s, x0 - 8.0f, ys[i], NSP_ALIGN_RIGHT)->text, NSP_LABEL_MAX, "%.1f", yv[i]);
    }
    for (int i = 0; i <= (int)NSP_TS_WINDOW_S; i++) {
        float x = x0 + (x1 - x0) * (float)i / (float)NSP_TS_WINDOW_S;
        nsp_segment_build(&buf, &px, (nsp_vec2_t){x, y1}, (nsp_vec2_t){x, y1 + 5.0f}, 1.0f, AXIS);
    }
    // The time labels start and end at the plot's edges, below the ticks.
    snprintf(add_label(s, x0, y1 + 22.0f, NSP_ALIGN_LEFT)->text, NSP_LABEL_MAX, "%.0f s", -NSP_TS_WINDOW_S);
    snprintf(add_label(s, x1, y1 + 22.0f, NSP_ALIGN_RIGHT)->text, NSP_LABEL_MAX, "0 s");
    snprintf(add_label(s, 0.5f * (x0 + x1), (float)d.y + 18.0f, NSP_ALIGN_CENTER)->text, NSP_LABEL_MAX, "LFP (mV)");
    assert(!buf.overflow);
    s->decor_count = (uint32_t)buf.len;
}

static void add_step(nsp_scene_t *s, const char *name, nsp_step_fn fn) {
    assert(s->step_count < NSP_SCENE_MAX_STEPS);
    // Registering is idempotent and cannot fail for these few fixed names.
    s->steps[s->step_count++] = (nsp_step_t){.name = name, .fn = fn, .zone_id = nsp_zone_register(name, "callback")};
}

int nsp_scene_init(nsp_scene_t *s, const nsp_scene_desc_t *desc) {
    memset(s, 0, sizeof *s);
    const nsp_scenario_t *sc = desc->scenario;
    unsigned ov = sc->desc.overlays;
    int err = nsp_layout_compute(&s->layout, ov, desc->field_w, desc->field_h, desc->dock_w);
    if (err) {
        return err;
    }
    s->sc = sc;
    s->field_space = (nsp_space_t){(float)s->layout.field.w / (float)sc->grid,
                                   (float)s->layout.field.h / (float)sc->grid};
    if (ov & NSP_OVERLAY_TIMESERIES) {
        s->dock_space = (nsp_space_t){(float)(s->layout.dock_plot.w / NSP_TS_WINDOW_S),
                                      (float)s->layout.dock_plot.h / (sc->lfp_hi - sc->lfp_lo)};
    }
    // Worst-case vertex counts per batch; a disabled overlay gets no room.
    uint32_t cap[NSP_BATCH_COUNT] = {0};
    if (ov & NSP_OVERLAY_POSITION) {
        cap[NSP_BATCH_TRAIL] = (uint32_t)nsp_trail_max_vertices(sc->desc.trail_frames);
        cap[NSP_BATCH_POSITION] = 1;
    }
    if (ov & NSP_OVERLAY_BODYPARTS) {
        cap[NSP_BATCH_SKELETON_EDGES] = 6 * (uint32_t)(sc->desc.bodyparts - 1);
        cap[NSP_BATCH_SKELETON_NODES] = (uint32_t)sc->desc.bodyparts;
    }
    if (ov & NSP_OVERLAY_HEAD_DIRECTION) {
        cap[NSP_BATCH_HEAD_DIRECTION] = NSP_ARROW_MAX_VERTICES;
    }
    if (ov & NSP_OVERLAY_EVENTS) {
        cap[NSP_BATCH_EVENTS] = (uint32_t)sc->ev_max_visible;
    }
    if (ov & NSP_OVERLAY_TIMESERIES) {
        cap[NSP_BATCH_TS_CURSOR] = 6;
        cap[NSP_BATCH_TS_TRACE] = (uint32_t)nsp_timeseries_max_vertices(sc->desc.sample_rate_hz, NSP_TS_WINDOW_S);
    }
    uint32_t total = 0;
    for (int b = 0; b < NSP_BATCH_COUNT; b++) {
        bool points = b == NSP_BATCH_SKELETON_NODES || b == NSP_BATCH_EVENTS || b == NSP_BATCH_POSITION;
        bool dock = b == NSP_BATCH_TS_TRACE || b == NSP_BATCH_TS_CURSOR;
        s->batches[b] = (nsp_batch_t){points ? NSP_PRIM_POINTS : NSP_PRIM_TRIANGLES,
                                      dock ? NSP_SPACE_DOCK : NSP_SPACE_FIELD, total, 0, cap[b]};
        total += cap[b];
    }
    s->vertex_cap = total;
    size_t g = (size_t)sc->grid;
    s->vertices = malloc((total ? total : 1) * sizeof *s->vertices);
    s->field_values = malloc(((size_t)sc->n_active + 1) * sizeof *s->field_values);
    s->field_rgba = calloc(g * g, 4);  // Transparent: inactive bins stay so.
    s->bodyparts = malloc((size_t)sc->desc.bodyparts * sizeof *s->bodyparts);
    if (ov & NSP_OVERLAY_VIDEO) {
        s->video_rgb = malloc(NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
        s->composite_size = nsp_composite_size(sc->grid, NSP_VIDEO_SIZE);
        if (s->composite_size > 0) {
            // Black until the first frame composites into it.
            s->composite_rgba = calloc((size_t)s->composite_size * (size_t)s->composite_size, 4);
        }
    }
    if (ov & NSP_OVERLAY_TIMESERIES) {
        s->decor = malloc(DECOR_MAX_VERTICES * sizeof *s->decor);
    }
    if (!s->vertices || !s->field_values || !s->field_rgba || !s->bodyparts ||
        ((ov & NSP_OVERLAY_VIDEO) && !s->video_rgb) || (s->composite_size > 0 && !s->composite_rgba) ||
        ((ov & NSP_OVERLAY_TIMESERIES) && !s->decor)) {
        nsp_scene_destroy(s);
        return NSP_ENOMEM;
    }
    if (ov & NSP_OVERLAY_TIMESERIES) {
        NSP_ZONE(zd, "add_timeseries_dock", "setup");
        build_decor(s);
        nsp_zone_end(&zd);
    }
    add_step(s, "update_field", step_field);
    if (ov & NSP_OVERLAY_VIDEO) {
        add_step(s, "render_video_overlay", step_video);
    }
    if (ov & NSP_OVERLAY_POSITION) {
        add_step(s, "render_position_overlay", step_position);
    }
    if (ov & NSP_OVERLAY_BODYPARTS) {
        add_step(s, "render_bodypart_overlay", step_bodyparts);
    }
    if (ov & NSP_OVERLAY_HEAD_DIRECTION) {
        add_step(s, "render_head_direction_overlay", step_head_direction);
    }
    if (ov & NSP_OVERLAY_EVENTS) {
        add_step(s, "render_event_overlay", step_events);
    }
    if (ov & NSP_OVERLAY_TIMESERIES) {
        add_step(s, "render_timeseries_overlay", step_timeseries);
    }
    s->frame = (nsp_frame_t){
        .index = -1,
        .vertices = s->vertices,
        .batches = s->batches,
        .image_rgba = s->composite_rgba ? s->composite_rgba : s->field_rgba,
        .image_size = s->composite_rgba ? s->composite_size : sc->grid,
        .video_rgb = s->composite_rgba ? NULL : s->video_rgb,
    };
    return 0;
}

void nsp_scene_destroy(nsp_scene_t *s) {
    free(s->vertices);
    free(s->field_values);
    free(s->field_rgba);
    free(s->bodyparts);
    free(s->video_rgb);
    free(s->composite_rgba);
    free(s->decor);
    memset(s, 0, sizeof *s);
}

const nsp_frame_t *nsp_scene_update(nsp_scene_t *s, int64_t frame) {
    assert(frame >= 0 && frame < s->sc->frames);
    for (int i = 0; i < s->step_count; i++) {
        nsp_zone_t z = nsp_zone_begin_id(s->steps[i].zone_id);
        s->running_step = &s->steps[i];
        s->steps[i].fn(s, frame);
        nsp_zone_end(&z);
    }
    s->frame.index = frame;
    return &s->frame;
}

int nsp_scene_find_step(const nsp_scene_t *s, const char *name) {
    for (int i = 0; i < s->step_count; i++) {
        if (strcmp(s->steps[i].name, name) == 0) {
            return i;
        }
    }
    return -1;
}

void nsp_scene_set_step_hook(nsp_scene_t *s, nsp_step_hook_fn hook, void *user) {
    s->step_hook = hook;
    s->step_hook_user = user;
}

size_t nsp_scene_bytes(const nsp_scene_t *s) {
    size_t g = (size_t)s->sc->grid;
    size_t bytes = (size_t)s->vertex_cap * sizeof(nsp_vertex_t) + (size_t)s->sc->n_active * sizeof(float);
    bytes += g * g * 4 + (size_t)s->sc->desc.bodyparts * sizeof(nsp_vec2_t);
    bytes += s->video_rgb ? NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3 : 0;
    bytes += (size_t)s->composite_size * (size_t)s->composite_size * 4;
    bytes += s->decor ? DECOR_MAX_VERTICES * sizeof(nsp_vertex_t) : 0;
    return bytes;
}
