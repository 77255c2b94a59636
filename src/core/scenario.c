#include "scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "prng.h"
#include "signal.h"

// Purpose tags for derived PRNG streams. Changing one changes the data (and
// the pinned digest), so they are fixed forever.
enum {
    TAG_ENV = 1,
    TAG_BLOBS = 2,
    TAG_TRAJECTORY = 3,
    TAG_BP_OFFSETS = 4,
    TAG_BP_JITTER = 5,
    TAG_HEADING = 6,
    TAG_EVENTS = 7,
    TAG_LFP = 8,
    TAG_VIDEO = 9,
};

#define HEADING_NOISE_SD 0.1
#define HEADING_SMOOTH_SIGMA 5.0
#define TRAJ_STEP_SD 0.5
#define BP_OFFSET_MAX 2.0
#define BP_JITTER_SD 0.5
#define EVENT_POS_SD 2.0
#define LFP_CUTOFF 0.1
#define LFP_MIN_SAMPLES 64
#define VIDEO_LEVEL_LO 50
#define VIDEO_LEVEL_SPAN 150

static const char *const overlay_names[NSP_OVERLAY_COUNT] = {
    "position", "bodyparts", "head_direction", "events", "timeseries", "video",
};

const char *nsp_overlay_name(int bit_index) {
    return (bit_index >= 0 && bit_index < NSP_OVERLAY_COUNT) ? overlay_names[bit_index] : "?";
}

void nsp_scenario_desc_default(nsp_scenario_desc_t *desc) {
    *desc = (nsp_scenario_desc_t){
        .frames = 500,
        .playback_frames = 100,
        .grid_size = 50,
        .seed = 42,
        .sample_rate_hz = 30.0,
        .overlays = NSP_OVERLAY_POSITION,
        .bodyparts = 5,
        .trail_frames = 15,
    };
}

int nsp_scenario_validate(nsp_scenario_desc_t *d) {
    if (d->frames < 1 || d->frames > NSP_FRAMES_MAX) {
        nsp_log(NSP_LOG_ERROR, "frames must be in 1..%d, got %lld", NSP_FRAMES_MAX, (long long)d->frames);
        return NSP_EINVAL;
    }
    if (d->playback_frames < 1) {
        nsp_log(NSP_LOG_ERROR, "playback frames must be in 1..frames (%lld), got %lld",
                (long long)d->frames, (long long)d->playback_frames);
        return NSP_EINVAL;
    }
    if (d->grid_size < NSP_GRID_MIN || d->grid_size > NSP_GRID_MAX) {
        nsp_log(NSP_LOG_ERROR, "grid size must be in %d..%d, got %d", NSP_GRID_MIN, NSP_GRID_MAX,
                d->grid_size);
        return NSP_EINVAL;
    }
    if (!(d->sample_rate_hz > 0.0 && d->sample_rate_hz <= NSP_RATE_MAX_HZ)) {
        nsp_log(NSP_LOG_ERROR, "sample rate must be in (0, %g] samples/s, got %g", NSP_RATE_MAX_HZ,
                d->sample_rate_hz);
        return NSP_EINVAL;
    }
    if (d->overlays & ~(unsigned)NSP_OVERLAY_ALL) {
        nsp_log(NSP_LOG_ERROR, "overlays must be a combination of the %d overlay bits, got 0x%x",
                NSP_OVERLAY_COUNT, d->overlays);
        return NSP_EINVAL;
    }
    if (d->bodyparts < 2 || d->bodyparts > NSP_BODYPARTS_MAX) {
        nsp_log(NSP_LOG_ERROR, "bodyparts must be in 2..%d, got %d", NSP_BODYPARTS_MAX, d->bodyparts);
        return NSP_EINVAL;
    }
    if (d->trail_frames < 1 || d->trail_frames > NSP_TRAIL_MAX) {
        nsp_log(NSP_LOG_ERROR, "trail frames must be in 1..%d, got %d", NSP_TRAIL_MAX, d->trail_frames);
        return NSP_EINVAL;
    }
    if (d->playback_frames > d->frames) {
        // The original benchmark clamped rather than refused; keep that, but say so.
        nsp_log(NSP_LOG_WARN, "playback frames (%lld) exceed frames (%lld); clamped to %lld",
                (long long)d->playback_frames, (long long)d->frames, (long long)d->frames);
        d->playback_frames = d->frames;
    }
    return 0;
}

static double clampd(double v, double lo, double hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

// Reflects v into [0, size] (a walk that steps past a wall bounces back).
static double reflect(double v, double size) {
    for (;;) {
        if (v < 0.0) {
            v = -v;
        } else if (v > size) {
            v = 2.0 * size - v;
        } else {
            return v;
        }
    }
}

static double wrap(double v, double size) {
    v = fmod(v, size);
    return v < 0.0 ? v + size : v;
}

static int gen_environment(nsp_scenario_t *sc) {
    int g = sc->grid;
    int64_t samples = 10 * (int64_t)g > 1000 ? 10 * (int64_t)g : 1000;
    sc->active = calloc((size_t)g * (size_t)g, 1);
    if (!sc->active) {
        return NSP_ENOMEM;
    }
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_ENV, 0);
    for (int64_t i = 0; i < samples; i++) {
        // A uniform point in [0, g)^2 falls in bin (floor x, floor y): a
        // uniform column and row.
        uint32_t col = nsp_rng_bounded(&rng, (uint32_t)g);
        uint32_t row = nsp_rng_bounded(&rng, (uint32_t)g);
        sc->active[(size_t)row * (size_t)g + col] = 1;
    }
    int32_t n = 0;
    for (int i = 0; i < g * g; i++) {
        n += sc->active[i];
    }
    sc->n_active = n;
    sc->active_bins = malloc((size_t)n * sizeof *sc->active_bins);
    if (!sc->active_bins) {
        return NSP_ENOMEM;
    }
    n = 0;
    for (int i = 0; i < g * g; i++) {
        if (sc->active[i]) {
            sc->active_bins[n++] = i;
        }
    }
    return 0;
}

static void gen_blobs(nsp_scenario_t *sc) {
    double g = sc->grid;
    double step_sd = g / (double)sc->frames;
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_BLOBS, 0);
    double cx[NSP_BLOBS], cy[NSP_BLOBS];
    for (int k = 0; k < NSP_BLOBS; k++) {
        cx[k] = nsp_rng_range(&rng, 0.0, g);
        cy[k] = nsp_rng_range(&rng, 0.0, g);
    }
    for (int64_t f = 0; f < sc->frames; f++) {
        for (int k = 0; k < NSP_BLOBS; k++) {
            if (f > 0) {
                cx[k] = wrap(cx[k] + nsp_rng_normal(&rng, 0.0, step_sd), g);
                cy[k] = wrap(cy[k] + nsp_rng_normal(&rng, 0.0, step_sd), g);
            }
            sc->blob_centres[f * NSP_BLOBS + k] = (nsp_vec2_t){(float)cx[k], (float)cy[k]};
        }
    }
}

static void gen_trajectory(nsp_scenario_t *sc) {
    double g = sc->grid;
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_TRAJECTORY, 0);
    double x = g / 2.0, y = g / 2.0;
    for (int64_t f = 0; f < sc->frames; f++) {
        if (f > 0) {
            x = reflect(x + nsp_rng_normal(&rng, 0.0, TRAJ_STEP_SD), g);
            y = reflect(y + nsp_rng_normal(&rng, 0.0, TRAJ_STEP_SD), g);
        }
        sc->trajectory[f] = (nsp_vec2_t){(float)x, (float)y};
    }
}

// Heading: the velocity's angle plus noise, smoothed as unit vectors with a
// Gaussian (sigma 5 frames, truncated at 4 sigma, 'reflect' edges as
// scipy.ndimage.gaussian_filter1d), so smoothing never averages across the
// -pi/pi seam. scratch holds 2 * frames doubles.
static void gen_heading(nsp_scenario_t *sc, double *scratch) {
    int64_t n = sc->frames;
    double *ux = scratch, *uy = scratch + n;
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_HEADING, 0);
    for (int64_t f = 0; f < n; f++) {
        // Central differences inside, one-sided at the ends (numpy.gradient).
        int64_t a = f > 0 ? f - 1 : 0, b = f + 1 < n ? f + 1 : n - 1;
        double vx = (double)sc->trajectory[b].x - (double)sc->trajectory[a].x;
        double vy = (double)sc->trajectory[b].y - (double)sc->trajectory[a].y;
        double ang = atan2(vy, vx) + nsp_rng_normal(&rng, 0.0, HEADING_NOISE_SD);
        ux[f] = cos(ang);
        uy[f] = sin(ang);
    }
    enum { RADIUS = 20 };  // 4 * sigma
    double w[2 * RADIUS + 1], wsum = 0.0;
    for (int k = -RADIUS; k <= RADIUS; k++) {
        w[k + RADIUS] = exp(-0.5 * (k / HEADING_SMOOTH_SIGMA) * (k / HEADING_SMOOTH_SIGMA));
        wsum += w[k + RADIUS];
    }
    for (int64_t f = 0; f < n; f++) {
        double sx = 0.0, sy = 0.0;
        for (int k = -RADIUS; k <= RADIUS; k++) {
            int64_t j = f + k;
            // 'reflect': d c b a | a b c d | d c b a, repeated for short series.
            while (j < 0 || j >= n) {
                j = j < 0 ? -j - 1 : 2 * n - j - 1;
            }
            sx += w[k + RADIUS] * ux[j];
            sy += w[k + RADIUS] * uy[j];
        }
        double ang = atan2(sy / wsum, sx / wsum);
        sc->heading[f] = (float)(ang <= -NSP_PI ? NSP_PI : ang);
    }
}

static int gen_events(nsp_scenario_t *sc) {
    int64_t n = 2 * sc->frames;
    double g = sc->grid;
    int32_t *frame_of = malloc((size_t)n * sizeof *frame_of);
    nsp_vec2_t *pos = malloc((size_t)n * sizeof *pos);
    sc->ev_pos = malloc((size_t)n * sizeof *sc->ev_pos);
    sc->ev_first = calloc((size_t)sc->frames + 1, sizeof *sc->ev_first);
    if (!frame_of || !pos || !sc->ev_pos || !sc->ev_first) {
        free(frame_of);
        free(pos);
        return NSP_ENOMEM;
    }
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_EVENTS, 0);
    for (int64_t i = 0; i < n; i++) {
        int32_t f = (int32_t)nsp_rng_bounded(&rng, (uint32_t)sc->frames);
        nsp_vec2_t p = sc->trajectory[f];
        double x = clampd(p.x + nsp_rng_normal(&rng, 0.0, EVENT_POS_SD), 0.0, g);
        double y = clampd(p.y + nsp_rng_normal(&rng, 0.0, EVENT_POS_SD), 0.0, g);
        frame_of[i] = f;
        pos[i] = (nsp_vec2_t){(float)x, (float)y};
        sc->ev_first[f + 1]++;
    }
    for (int64_t f = 0; f < sc->frames; f++) {
        sc->ev_first[f + 1] += sc->ev_first[f];
    }
    // Stable counting sort by frame: events of one frame keep generation order.
    for (int64_t i = 0; i < n; i++) {
        sc->ev_pos[sc->ev_first[frame_of[i]]++] = pos[i];
    }
    for (int64_t f = sc->frames; f > 0; f--) {
        sc->ev_first[f] = sc->ev_first[f - 1];
    }
    sc->ev_first[0] = 0;
    sc->n_events = n;
    // Visible at frame f: events of frames f - decay + 1 .. f (a sliding window).
    int32_t most = 0;
    for (int64_t f = 0; f < sc->frames; f++) {
        int64_t lo = f - NSP_EVENT_DECAY_FRAMES + 1 < 0 ? 0 : f - NSP_EVENT_DECAY_FRAMES + 1;
        int32_t visible = sc->ev_first[f + 1] - sc->ev_first[lo];
        most = visible > most ? visible : most;
    }
    sc->ev_max_visible = most;
    free(frame_of);
    free(pos);
    return 0;
}

static int gen_lfp(nsp_scenario_t *sc) {
    size_t n = (size_t)(sc->frames > LFP_MIN_SAMPLES ? sc->frames : LFP_MIN_SAMPLES);
    nsp_iir_t filt;
    if (nsp_butter_lowpass(3, LFP_CUTOFF, &filt) != 0) {
        return NSP_EINVAL;
    }
    size_t scratch_n = nsp_filtfilt_scratch(&filt, n);
    double *x = malloc((n + scratch_n) * sizeof *x);
    if (!x) {
        return NSP_ENOMEM;
    }
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_LFP, 0);
    for (size_t i = 0; i < n; i++) {
        x[i] = nsp_rng_normal(&rng, 0.0, 1.0);
    }
    int err = nsp_filtfilt(&filt, x, x, n, x + n);
    if (err == 0) {
        double peak = 0.0;
        for (int64_t i = 0; i < sc->frames; i++) {
            sc->lfp[i] = (float)x[i];
            peak = fabs(x[i]) > peak ? fabs(x[i]) : peak;
        }
        // A fixed, slightly padded symmetric y-range, so the trace never jumps.
        float half = (float)(ceil(peak * 1.1 * 10.0) / 10.0);
        sc->lfp_lo = -half;
        sc->lfp_hi = half;
    }
    free(x);
    return err;
}

// Separable Gaussian blobs: exp(-(dx^2 + dy^2) / 2s^2) = gx(col) * gy(row), so
// a frame costs 2 * NSP_BLOBS * grid exponentials plus 3 multiply-adds a bin.
static void eval_field(const nsp_scenario_t *sc, int64_t frame, double *gx, double *gy, float *out) {
    int g = sc->grid;
    double inv2s2 = 1.0 / (2.0 * sc->field_sigma * sc->field_sigma);
    const nsp_vec2_t *c = &sc->blob_centres[frame * NSP_BLOBS];
    for (int k = 0; k < NSP_BLOBS; k++) {
        for (int i = 0; i < g; i++) {
            double dx = i + 0.5 - (double)c[k].x, dy = i + 0.5 - (double)c[k].y;
            gx[k * g + i] = exp(-dx * dx * inv2s2);
            gy[k * g + i] = exp(-dy * dy * inv2s2);
        }
    }
    float peak = 0.0f;
    for (int32_t a = 0; a < sc->n_active; a++) {
        int bin = sc->active_bins[a], row = bin / g, col = bin % g;
        double v = 0.0;
        for (int k = 0; k < NSP_BLOBS; k++) {
            v += gx[k * g + col] * gy[k * g + row];
        }
        out[a] = (float)v;
        peak = out[a] > peak ? out[a] : peak;
    }
    // Dividing by the stored peak makes the peak bin exactly 1.
    if (peak > 0.0f) {
        for (int32_t a = 0; a < sc->n_active; a++) {
            out[a] /= peak;
        }
    }
}

int nsp_scenario_field(const nsp_scenario_t *sc, int64_t frame, float *values) {
    if (frame < 0 || frame >= sc->frames) {
        return NSP_ERANGE;
    }
    // gx, gy live on the stack: at most 2 * 3 * 1024 doubles (48 KiB).
    double gx[NSP_BLOBS * NSP_GRID_MAX], gy[NSP_BLOBS * NSP_GRID_MAX];
    eval_field(sc, frame, gx, gy, values);
    return 0;
}

static int gen_field_range(nsp_scenario_t *sc) {
    sc->field_lo = 0.0f;
    sc->field_hi = 1.0f;
    sc->field_range_exact = 0;
    if (sc->frames > NSP_FIELD_EXACT_RANGE_MAX_FRAMES || sc->n_active == 0) {
        return 0;
    }
    float *v = malloc((size_t)sc->n_active * sizeof *v);
    if (!v) {
        return NSP_ENOMEM;
    }
    float lo = 1.0f, hi = 0.0f;
    for (int64_t f = 0; f < sc->frames; f++) {
        nsp_scenario_field(sc, f, v);
        for (int32_t a = 0; a < sc->n_active; a++) {
            lo = v[a] < lo ? v[a] : lo;
            hi = v[a] > hi ? v[a] : hi;
        }
    }
    free(v);
    sc->field_lo = lo;
    sc->field_hi = hi;
    sc->field_range_exact = 1;
    return 0;
}

int nsp_scenario_bodyparts(const nsp_scenario_t *sc, int64_t frame, nsp_vec2_t *out) {
    if (frame < 0 || frame >= sc->frames) {
        return NSP_ERANGE;
    }
    double g = sc->grid;
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_BP_JITTER, (uint64_t)frame);
    nsp_vec2_t p = sc->trajectory[frame];
    for (int b = 0; b < sc->desc.bodyparts; b++) {
        double x = (double)p.x + (double)sc->bp_offsets[b].x + nsp_rng_normal(&rng, 0.0, BP_JITTER_SD);
        double y = (double)p.y + (double)sc->bp_offsets[b].y + nsp_rng_normal(&rng, 0.0, BP_JITTER_SD);
        out[b] = (nsp_vec2_t){(float)clampd(x, 0.0, g), (float)clampd(y, 0.0, g)};
    }
    return 0;
}

int nsp_scenario_video(const nsp_scenario_t *sc, int64_t frame, uint8_t *rgb) {
    if (frame < 0 || frame >= sc->frames) {
        return NSP_ERANGE;
    }
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_VIDEO, (uint64_t)frame);
    nsp_rng_fill_u8(&rng, rgb, NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3, VIDEO_LEVEL_LO, VIDEO_LEVEL_SPAN);
    return 0;
}

void nsp_scenario_destroy(nsp_scenario_t *sc) {
    free(sc->active);
    free(sc->active_bins);
    free(sc->blob_centres);
    free(sc->trajectory);
    free(sc->heading);
    free(sc->bp_offsets);
    free(sc->ev_pos);
    free(sc->ev_first);
    free(sc->lfp);
    memset(sc, 0, sizeof *sc);
}

size_t nsp_scenario_bytes(const nsp_scenario_t *sc) {
    size_t f = (size_t)sc->frames, g = (size_t)sc->grid;
    size_t bytes = g * g + (size_t)sc->n_active * sizeof(int32_t);
    bytes += f * NSP_BLOBS * sizeof(nsp_vec2_t) + f * sizeof(nsp_vec2_t) + f * sizeof(float);
    bytes += (size_t)sc->desc.bodyparts * sizeof(nsp_vec2_t);
    bytes += (size_t)sc->n_events * sizeof(nsp_vec2_t) + (f + 1) * sizeof(int32_t);
    bytes += f * sizeof(float);
    return bytes;
}

int nsp_scenario_init(nsp_scenario_t *sc, const nsp_scenario_desc_t *desc) {
    memset(sc, 0, sizeof *sc);
    sc->desc = *desc;
    int err = nsp_scenario_validate(&sc->desc);
    if (err) {
        return err;
    }
    sc->grid = sc->desc.grid_size;
    sc->frames = sc->desc.frames;
    sc->field_sigma = sc->grid / 4.0;
    size_t f = (size_t)sc->frames;
    sc->blob_centres = malloc(f * NSP_BLOBS * sizeof *sc->blob_centres);
    sc->trajectory = malloc(f * sizeof *sc->trajectory);
    sc->heading = malloc(f * sizeof *sc->heading);
    sc->bp_offsets = malloc((size_t)sc->desc.bodyparts * sizeof *sc->bp_offsets);
    sc->lfp = malloc(f * sizeof *sc->lfp);
    double *scratch = malloc(2 * f * sizeof *scratch);
    if (!sc->blob_centres || !sc->trajectory || !sc->heading || !sc->bp_offsets || !sc->lfp || !scratch) {
        err = NSP_ENOMEM;
        goto fail;
    }
    if ((err = gen_environment(sc)) != 0) {
        goto fail;
    }
    gen_blobs(sc);
    gen_trajectory(sc);
    gen_heading(sc, scratch);
    nsp_rng_t rng = nsp_rng_derive(sc->desc.seed, TAG_BP_OFFSETS, 0);
    for (int b = 0; b < sc->desc.bodyparts; b++) {
        double ox = nsp_rng_range(&rng, -BP_OFFSET_MAX, BP_OFFSET_MAX);
        double oy = nsp_rng_range(&rng, -BP_OFFSET_MAX, BP_OFFSET_MAX);
        sc->bp_offsets[b] = (nsp_vec2_t){(float)ox, (float)oy};
    }
    if ((err = gen_events(sc)) != 0 || (err = gen_lfp(sc)) != 0 || (err = gen_field_range(sc)) != 0) {
        goto fail;
    }
    free(scratch);
    return 0;
fail:
    free(scratch);
    nsp_scenario_destroy(sc);
    if (err == NSP_ENOMEM) {
        nsp_log(NSP_LOG_ERROR, "out of memory generating a %lld-frame scenario", (long long)f);
    }
    return err;
}
