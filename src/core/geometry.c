#include "geometry.h"

#include <assert.h>
#include <math.h>

#include "colormap.h"

static bool finite2(nsp_vec2_t p) {
    return isfinite(p.x) && isfinite(p.y);
}

static bool room(nsp_vbuf_t *buf, size_t n) {
    if (buf->len + n > buf->cap) {
        buf->overflow = true;
        return false;
    }
    return true;
}

static void put(nsp_vbuf_t *buf, float x, float y, float size_px, nsp_rgba_t c) {
    buf->v[buf->len++] = (nsp_vertex_t){x, y, size_px, {c.r, c.g, c.b, c.a}};
}

size_t nsp_segment_build(nsp_vbuf_t *buf, const nsp_space_t *sp, nsp_vec2_t a, nsp_vec2_t b, float width_px,
                         nsp_rgba_t color) {
    if (!finite2(a) || !finite2(b)) {
        return 0;
    }
    // The perpendicular is found in pixel space, then mapped back to data
    // units, so the quad is width_px wide on screen whatever the aspect.
    float dx_px = (b.x - a.x) * sp->px_per_x, dy_px = (b.y - a.y) * sp->px_per_y;
    float len_px = sqrtf(dx_px * dx_px + dy_px * dy_px);
    if (len_px <= 0.0f || !room(buf, 6)) {
        return 0;
    }
    float half = 0.5f * width_px / len_px;
    float nx = -dy_px * half / sp->px_per_x, ny = dx_px * half / sp->px_per_y;
    put(buf, a.x + nx, a.y + ny, 0.0f, color);
    put(buf, a.x - nx, a.y - ny, 0.0f, color);
    put(buf, b.x + nx, b.y + ny, 0.0f, color);
    put(buf, b.x + nx, b.y + ny, 0.0f, color);
    put(buf, a.x - nx, a.y - ny, 0.0f, color);
    put(buf, b.x - nx, b.y - ny, 0.0f, color);
    return 6;
}

size_t nsp_point_build(nsp_vbuf_t *buf, nsp_vec2_t p, float size_px, nsp_rgba_t color) {
    if (!finite2(p) || !room(buf, 1)) {
        return 0;
    }
    put(buf, p.x, p.y, size_px, color);
    return 1;
}

void nsp_trail_window(int64_t frame, int trail_frames, int64_t *first, int64_t *count) {
    int64_t lo = frame - trail_frames + 1;
    *first = lo < 0 ? 0 : lo;
    *count = frame - *first + 1;
}

size_t nsp_trail_max_vertices(int trail_frames) {
    return trail_frames > 1 ? 6 * (size_t)(trail_frames - 1) : 0;
}

size_t nsp_trail_build(nsp_vbuf_t *buf, const nsp_space_t *sp, const nsp_vec2_t *traj, int64_t frame,
                       int trail_frames, float width_px, nsp_rgba_t color) {
    int64_t first, count;
    nsp_trail_window(frame, trail_frames, &first, &count);
    size_t start = buf->len;
    for (int64_t i = 1; i < count; i++) {
        // Segment i joins points i-1 and i and takes point i's alpha.
        nsp_rgba_t c = color;
        c.a = (uint8_t)lroundf((float)color.a * (float)(i + 1) / (float)count);
        nsp_segment_build(buf, sp, traj[first + i - 1], traj[first + i], width_px, c);
    }
    return buf->len - start;
}

size_t nsp_skeleton_build(nsp_vbuf_t *edges, nsp_vbuf_t *nodes, const nsp_space_t *sp, const nsp_vec2_t *kp,
                          int n_nodes, float edge_px, nsp_rgba_t edge_color, float node_px, nsp_rgba_t node_color) {
    size_t written = 0;
    for (int i = 1; i < n_nodes; i++) {
        written += nsp_segment_build(edges, sp, kp[i - 1], kp[i], edge_px, edge_color);
    }
    for (int i = 0; i < n_nodes; i++) {
        written += nsp_point_build(nodes, kp[i], node_px, node_color);
    }
    return written;
}

nsp_vec2_t nsp_arrow_tip(nsp_vec2_t p, float angle_rad, float length) {
    return (nsp_vec2_t){p.x + length * cosf(angle_rad), p.y + length * sinf(angle_rad)};
}

size_t nsp_arrow_build(nsp_vbuf_t *buf, const nsp_space_t *sp, nsp_vec2_t p, float angle_rad, float length,
                       float width_px, nsp_rgba_t color) {
    if (!finite2(p) || !isfinite(angle_rad) || !isfinite(length) || !room(buf, NSP_ARROW_MAX_VERTICES)) {
        return 0;
    }
    nsp_vec2_t tip = nsp_arrow_tip(p, angle_rad, length);
    // The head is a quarter of the arrow long and as wide; the shaft stops at
    // its base so the two do not overlap (no double blending).
    float head = 0.25f * length, c = cosf(angle_rad), s = sinf(angle_rad);
    nsp_vec2_t base = {tip.x - head * c, tip.y - head * s};
    size_t start = buf->len;
    if (nsp_segment_build(buf, sp, p, base, width_px, color) == 0) {
        return 0;
    }
    float hw = 0.5f * head;
    put(buf, tip.x, tip.y, 0.0f, color);
    put(buf, base.x - hw * s, base.y + hw * c, 0.0f, color);
    put(buf, base.x + hw * s, base.y - hw * c, 0.0f, color);
    return buf->len - start;
}

float nsp_event_alpha(int64_t event_frame, int64_t frame, int decay) {
    int64_t age = frame - event_frame;
    if (age < 0 || age >= decay) {
        return 0.0f;
    }
    return 1.0f - (float)age / (float)decay;
}

size_t nsp_events_build(nsp_vbuf_t *buf, const nsp_vec2_t *ev_pos, const int32_t *ev_first, int64_t frame,
                        int decay, float size_px, nsp_rgba_t color) {
    size_t start = buf->len;
    int64_t lo = frame - decay + 1 < 0 ? 0 : frame - decay + 1;
    for (int64_t e = lo; e <= frame; e++) {
        nsp_rgba_t c = color;
        c.a = (uint8_t)lroundf((float)color.a * nsp_event_alpha(e, frame, decay));
        for (int32_t i = ev_first[e]; i < ev_first[e + 1]; i++) {
            nsp_point_build(buf, ev_pos[i], size_px, c);
        }
    }
    return buf->len - start;
}

size_t nsp_timeseries_window_samples(double rate_hz, double window_s) {
    return (size_t)floor(window_s * rate_hz + 1e-9) + 1;
}

size_t nsp_timeseries_max_vertices(double rate_hz, double window_s) {
    return 6 * (nsp_timeseries_window_samples(rate_hz, window_s) - 1);
}

static float clampf(float v, float lo, float hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

size_t nsp_timeseries_build(nsp_vbuf_t *buf, const nsp_space_t *sp, const float *samples, int64_t n_samples,
                            int64_t frame, double rate_hz, double window_s, float y_lo, float y_hi,
                            float line_px, nsp_rgba_t line_color) {
    size_t start = buf->len;
    int64_t span = (int64_t)nsp_timeseries_window_samples(rate_hz, window_s) - 1;
    int64_t last = frame < n_samples ? frame : n_samples - 1;
    int64_t first = frame - span < 0 ? 0 : frame - span;
    for (int64_t i = first + 1; i <= last; i++) {
        // clampf passes NaN through, so a NaN sample still breaks the line.
        nsp_vec2_t a = {(float)((double)(i - 1 - frame) / rate_hz), clampf(samples[i - 1], y_lo, y_hi)};
        nsp_vec2_t b = {(float)((double)(i - frame) / rate_hz), clampf(samples[i], y_lo, y_hi)};
        nsp_segment_build(buf, sp, a, b, line_px, line_color);
    }
    return buf->len - start;
}

void nsp_field_rgba(const float *values, const int32_t *active_bins, int32_t n_active, float lo, float hi,
                    uint8_t *rgba) {
    for (int32_t a = 0; a < n_active; a++) {
        nsp_viridis_rgba(values[a], lo, hi, &rgba[(size_t)active_bins[a] * 4]);
    }
}

int nsp_composite_size(int grid, int video) {
    if (grid <= 0 || video <= 0) {
        return 0;
    }
    int a = grid, b = video;
    while (b != 0) {
        int t = a % b;
        a = b;
        b = t;
    }
    long long lcm = (long long)grid / a * video;
    return lcm <= NSP_COMPOSITE_MAX ? (int)lcm : 0;
}

static uint8_t unorm8(float x) {
    return (uint8_t)(x * 255.0f + 0.5f);
}

void nsp_composite_field_video(const uint8_t *field_rgba, int grid, const uint8_t *video_rgb, int video,
                               float video_alpha, uint8_t *out, int size) {
    // Where the field is transparent (inactive bins: most of them) the
    // result is the video's byte under video_alpha; where it is opaque, the
    // field's colour, rounded alike: both from tables, the very bytes of the
    // general formula (x * 1 + y * 0 and x * 0 + y * 1 are exact in floats).
    uint8_t under[256], same[256];
    for (int v = 0; v < 256; v++) {
        under[v] = unorm8(video_alpha * ((float)v / 255.0f));
        same[v] = unorm8((float)v / 255.0f);
    }
    // Each column's texel offsets, once: no division per pixel (this runs
    // every frame, on the main thread, before the frame's first draw).
    assert(size > 0 && size <= NSP_COMPOSITE_MAX);
    const int fstep = size / grid, vstep = size / video;
    int fcol[NSP_COMPOSITE_MAX], vcol[NSP_COMPOSITE_MAX];
    for (int x = 0; x < size; x++) {
        fcol[x] = x / fstep * 4;
        vcol[x] = x / vstep * 3;
    }
    for (int y = 0; y < size; y++) {
        const uint8_t *frow = field_rgba + (size_t)(y / fstep) * (size_t)grid * 4;
        // The video's first row is the top of the field: y = size - 1.
        const uint8_t *vrow = video_rgb + (size_t)(video - 1 - y / vstep) * (size_t)video * 3;
        uint8_t *o = out + (size_t)y * (size_t)size * 4;
        for (int x = 0; x < size; x++, o += 4) {
            const uint8_t *f = frow + fcol[x];
            const uint8_t *v = vrow + vcol[x];
            if (f[3] == 0) {
                o[0] = under[v[0]];
                o[1] = under[v[1]];
                o[2] = under[v[2]];
            } else if (f[3] == 255) {
                o[0] = same[f[0]];
                o[1] = same[f[1]];
                o[2] = same[f[2]];
            } else {
                const float a = (float)f[3] / 255.0f;
                for (int c = 0; c < 3; c++) {
                    const float u = video_alpha * ((float)v[c] / 255.0f);
                    o[c] = unorm8(u * (1.0f - a) + ((float)f[c] / 255.0f) * a);
                }
            }
            o[3] = 255;
        }
    }
}
