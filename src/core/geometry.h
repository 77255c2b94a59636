// Per-frame overlay geometry: pure functions from scenario data to vertices.
//
// Builders never allocate. They append to a caller-owned nsp_vbuf_t sized at
// set-up (the *_max_vertices() functions say how much room) and, like
// sokol_shape, flag overflow instead of writing past the end: an overflowing
// builder writes nothing and sets buf->overflow.
//
// Lines are expanded on the CPU into quads (two triangles, 6 vertices a
// segment) of a width in pixels, so any GL 3.3 core context draws them the
// same; points carry their diameter in pixels and are drawn as round sprites.
// Positions are in the batch's data space (environment units for the field,
// seconds and mV for the dock); nsp_space_t gives pixels per unit on each axis
// so widths in pixels come out right on non-square mappings.
//
// Missing data is NaN: a NaN position hides its marker, node or event; a
// segment or arrow with a NaN end is skipped. Nothing else is checked per
// frame: positions outside the environment are drawn where they are.
#ifndef NSP_GEOMETRY_H
#define NSP_GEOMETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

typedef struct nsp_vertex {
    float x, y;       // Data-space position.
    float size_px;    // Point diameter in pixels (0 for triangle vertices).
    uint8_t rgba[4];  // Straight (not premultiplied) alpha.
} nsp_vertex_t;

typedef struct nsp_vbuf {
    nsp_vertex_t *v;
    size_t cap;
    size_t len;
    bool overflow;
} nsp_vbuf_t;

// Pixels per data unit along x and y (both > 0).
typedef struct nsp_space {
    float px_per_x, px_per_y;
} nsp_space_t;

typedef struct nsp_rgba {
    uint8_t r, g, b, a;
} nsp_rgba_t;

// Appends one segment as a quad of width_px. Returns vertices written (6), or
// 0 when an end is NaN, the ends coincide, or it would overflow.
size_t nsp_segment_build(nsp_vbuf_t *buf, const nsp_space_t *sp, nsp_vec2_t a, nsp_vec2_t b,
                         float width_px, nsp_rgba_t color);

// Appends one point sprite. Returns 1, or 0 for a NaN position or overflow.
size_t nsp_point_build(nsp_vbuf_t *buf, nsp_vec2_t p, float size_px, nsp_rgba_t color);

// Trail: the frames [first, frame] with first = max(0, frame - trail_frames + 1),
// so frame 3 with a 15-frame trail has 4 points.
void nsp_trail_window(int64_t frame, int trail_frames, int64_t *first, int64_t *count);
size_t nsp_trail_max_vertices(int trail_frames);
// Segments between consecutive trail points, alpha rising linearly from the
// oldest (1 / count) to the newest (1). frame must be in [0, n_frames).
size_t nsp_trail_build(nsp_vbuf_t *buf, const nsp_space_t *sp, const nsp_vec2_t *traj, int64_t frame,
                       int trail_frames, float width_px, nsp_rgba_t color);

// Skeleton: a chain bp0-bp1-...-bp(n-1) of edges into edges (6 * (n - 1)
// vertices at most) and the n nodes into nodes (drawn on top). Returns the
// vertices written to both.
size_t nsp_skeleton_build(nsp_vbuf_t *edges, nsp_vbuf_t *nodes, const nsp_space_t *sp, const nsp_vec2_t *kp,
                          int n_nodes, float edge_px, nsp_rgba_t edge_color, float node_px, nsp_rgba_t node_color);

// Head-direction arrow: a shaft from p to the tip p + length * (cos, sin)
// (length in data units), then a filled head triangle whose point is the tip.
// A NaN angle or position draws nothing.
#define NSP_ARROW_MAX_VERTICES 9
size_t nsp_arrow_build(nsp_vbuf_t *buf, const nsp_space_t *sp, nsp_vec2_t p, float angle_rad, float length,
                       float width_px, nsp_rgba_t color);
// The tip of that arrow.
nsp_vec2_t nsp_arrow_tip(nsp_vec2_t p, float angle_rad, float length);

// Event decay: an event of frame e seen at frame f has alpha 1 - (f - e) / decay
// for e <= f < e + decay, and 0 (hidden) otherwise: alpha 1 at its own frame,
// gone from frame e + decay on, hidden before it happens. decay >= 1.
float nsp_event_alpha(int64_t event_frame, int64_t frame, int decay);
// The events visible at a frame, from the scenario's frame-sorted arrays, as
// point sprites with the colour's alpha scaled by nsp_event_alpha().
size_t nsp_events_build(nsp_vbuf_t *buf, const nsp_vec2_t *ev_pos, const int32_t *ev_first, int64_t frame,
                        int decay, float size_px, nsp_rgba_t color);

// Time series window: samples at rate_hz, frame f shown at t = f / rate_hz.
// The window covers [t - window_s, t]; x is time relative to now (seconds, in
// [-window_s, 0]) and y the sample clamped to [y_lo, y_hi]. The polyline has
// one point per sample in the window; NaN samples break it. The cursor at the
// current time is a vertical nsp_segment_build() from (0, y_lo) to (0, y_hi).
size_t nsp_timeseries_window_samples(double rate_hz, double window_s);
size_t nsp_timeseries_max_vertices(double rate_hz, double window_s);
size_t nsp_timeseries_build(nsp_vbuf_t *buf, const nsp_space_t *sp, const float *samples, int64_t n_samples,
                            int64_t frame, double rate_hz, double window_s, float y_lo, float y_hi,
                            float line_px, nsp_rgba_t line_color);

// The largest composite nsp_composite_size() allows: 256 x 256 texels
// (256 KiB a frame to upload).
#define NSP_COMPOSITE_MAX 256

// The size of the image that holds the field (grid x grid) over the video
// (video x video) texel for texel: their least common multiple, so that
// sampling it nearest anywhere gives what sampling each of the two nearest
// gives; 0 when that is above NSP_COMPOSITE_MAX (or a size is not positive).
int nsp_composite_size(int grid, int video);

// The field's colours (grid x grid RGBA, straight alpha, row 0 at y = 0)
// over the video frame (video x video RGB, first row at the top) at alpha
// video_alpha, over black, into an opaque size x size RGBA image, row 0 at
// y = 0 (size from nsp_composite_size()). Per texel, as the renderer's
// shader would per pixel: under = video_alpha * video, out = under * (1 - a)
// + field * a, rounded to bytes. Doing this once per frame on the CPU, at
// texel resolution, leaves the GPU one texture fetch per pixel, as for the
// floor frame.
void nsp_composite_field_video(const uint8_t *field_rgba, int grid, const uint8_t *video_rgb, int video,
                               float video_alpha, uint8_t *out, int size);

// Field colours: writes viridis RGBA over [lo, hi] for each active bin into
// rgba (grid * grid * 4 bytes, row 0 first). Inactive bins are not written:
// the caller clears the image to transparent once at set-up.
void nsp_field_rgba(const float *values, const int32_t *active_bins, int32_t n_active, float lo, float hi,
                    uint8_t *rgba);

#endif
