// The seeded synthetic scenario of requirements §R1: environment, fields, trajectory,
// bodyparts, head direction, events, LFP time series and video.
//
// One seed, through the project's PRNG (prng.h), gives the same data on every
// machine. Only small per-frame arrays are materialised at set-up (trajectory,
// blob centres, head direction, events, LFP: O(frames) floats). Fields,
// bodypart jitter and video frames are produced on demand from per-frame
// derived streams, so a frame costs the same whatever was produced before and
// a 100,000-frame session never holds its fields or video in memory.
//
// Coordinates are environment units: the grid covers [0, grid_size]^2, bin
// (col, row) spans [col, col + 1] x [row, row + 1], row 0 at y = 0.
#ifndef NSP_SCENARIO_H
#define NSP_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

enum {
    NSP_OVERLAY_POSITION = 1u << 0,
    NSP_OVERLAY_BODYPARTS = 1u << 1,
    NSP_OVERLAY_HEAD_DIRECTION = 1u << 2,
    NSP_OVERLAY_EVENTS = 1u << 3,
    NSP_OVERLAY_TIMESERIES = 1u << 4,
    NSP_OVERLAY_VIDEO = 1u << 5,
    NSP_OVERLAY_ALL = (1u << 6) - 1,
    NSP_OVERLAY_COUNT = 6,
};

// Accepted ranges (inclusive), checked by nsp_scenario_validate().
#define NSP_FRAMES_MAX 10000000
#define NSP_GRID_MIN 2
#define NSP_GRID_MAX 1024
#define NSP_BODYPARTS_MAX 32
#define NSP_TRAIL_MAX 1000
#define NSP_RATE_MAX_HZ 10000.0

// Fixed parameters of requirements §R1.
#define NSP_PI 3.14159265358979323846
#define NSP_BLOBS 3
#define NSP_EVENT_DECAY_FRAMES 10
#define NSP_VIDEO_SIZE 100
#define NSP_TS_WINDOW_S 2.0
#define NSP_ARROW_LENGTH_ENV 3.0
// Above this many frames the colour range is the nominal [0, 1] instead of
// the exact global min/max (which would need every field evaluated).
#define NSP_FIELD_EXACT_RANGE_MAX_FRAMES 5000

typedef struct nsp_vec2 {
    float x, y;
} nsp_vec2_t;

typedef struct nsp_scenario_desc {
    int64_t frames;           // Animation frames, 1..NSP_FRAMES_MAX (default 500).
    int64_t playback_frames;  // Timed frames, 1..frames (default 100); above
                              // frames it is clamped with a notice.
    int grid_size;            // NSP_GRID_MIN..NSP_GRID_MAX (default 50).
    uint64_t seed;            // Any value (default 42).
    double sample_rate_hz;    // Frames (and LFP samples) per second, (0, 10000] (default 30).
    unsigned overlays;        // NSP_OVERLAY_* bits (default NSP_OVERLAY_POSITION).
    int bodyparts;            // Keypoints, 2..NSP_BODYPARTS_MAX (default 5).
    int trail_frames;         // Trail length in frames, 1..NSP_TRAIL_MAX (default 15).
} nsp_scenario_desc_t;

typedef struct nsp_scenario {
    nsp_scenario_desc_t desc;   // Validated copy.
    int grid;                   // desc.grid_size.
    int64_t frames;             // desc.frames.
    // Environment.
    uint8_t *active;            // grid * grid, 1 where the bin is active.
    int32_t *active_bins;       // Bin indices (row * grid + col) of active bins, ascending.
    int32_t n_active;
    // Field: blob centres per frame (frames * NSP_BLOBS), sigma, colour range.
    nsp_vec2_t *blob_centres;
    double field_sigma;
    float field_lo, field_hi;
    int field_range_exact;      // 1: exact global min/max; 0: nominal [0, 1].
    // Behaviour.
    nsp_vec2_t *trajectory;     // frames positions.
    float *heading;             // frames angles in (-pi, pi], radians.
    nsp_vec2_t *bp_offsets;     // desc.bodyparts fixed offsets.
    // Events, sorted by frame: events of frame f are ev_pos[ev_first[f] ..
    // ev_first[f + 1]).
    int64_t n_events;
    nsp_vec2_t *ev_pos;
    int32_t *ev_first;          // frames + 1 offsets.
    int32_t ev_max_visible;     // Most events visible at any one frame.
    // LFP time series, one sample per frame, in mV; fixed y-range.
    float *lfp;
    float lfp_lo, lfp_hi;
} nsp_scenario_t;

// Fills desc with requirements §R1's defaults (position only).
void nsp_scenario_desc_default(nsp_scenario_desc_t *desc);

// Checks every field. Errors are logged naming the parameter and the accepted
// range, and NSP_EINVAL is returned. playback_frames > frames is not an error:
// it is clamped (in desc) with a notice.
int nsp_scenario_validate(nsp_scenario_desc_t *desc);

// Validates desc and generates the scenario. On error sc is left safe to
// destroy. Returns 0, NSP_EINVAL or NSP_ENOMEM.
int nsp_scenario_init(nsp_scenario_t *sc, const nsp_scenario_desc_t *desc);

// Frees everything; safe on a zeroed or half-built struct.
void nsp_scenario_destroy(nsp_scenario_t *sc);

// Bytes held by the scenario's arrays.
size_t nsp_scenario_bytes(const nsp_scenario_t *sc);

// The field of one frame: n_active values in [0, 1], in active_bins order.
// NSP_ERANGE for a frame outside [0, frames). Does not allocate.
int nsp_scenario_field(const nsp_scenario_t *sc, int64_t frame, float *values);

// The bodyparts of one frame: desc.bodyparts keypoints, clipped to the
// environment. NSP_ERANGE for a frame outside [0, frames).
int nsp_scenario_bodyparts(const nsp_scenario_t *sc, int64_t frame, nsp_vec2_t *out);

// The video frame: NSP_VIDEO_SIZE^2 RGB pixels, rows top to bottom, each
// channel uniform in [50, 200). NSP_ERANGE for a frame outside [0, frames).
int nsp_scenario_video(const nsp_scenario_t *sc, int64_t frame, uint8_t *rgb);

// Names of the overlay bits, in bit order ("position", ..., "video").
const char *nsp_overlay_name(int bit_index);

#endif
