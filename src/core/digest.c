#include "digest.h"

#include <stdlib.h>

#include "error.h"

#define DIGEST_SAMPLE_FRAMES 1000

void nsp_digest_init(nsp_digest_t *d) {
    d->h = NSP_FNV1A64_INIT;
}

void nsp_digest_update(nsp_digest_t *d, const void *data, size_t n) {
    d->h = nsp_fnv1a64(d->h, data, n);
}

int nsp_scenario_digest(const nsp_scenario_t *sc, uint64_t *out) {
    size_t f = (size_t)sc->frames;
    nsp_digest_t d;
    nsp_digest_init(&d);
    nsp_digest_update(&d, sc->active, (size_t)sc->grid * (size_t)sc->grid);
    nsp_digest_update(&d, sc->blob_centres, f * NSP_BLOBS * sizeof *sc->blob_centres);
    nsp_digest_update(&d, sc->trajectory, f * sizeof *sc->trajectory);
    nsp_digest_update(&d, sc->heading, f * sizeof *sc->heading);
    nsp_digest_update(&d, sc->bp_offsets, (size_t)sc->desc.bodyparts * sizeof *sc->bp_offsets);
    nsp_digest_update(&d, sc->ev_pos, (size_t)sc->n_events * sizeof *sc->ev_pos);
    nsp_digest_update(&d, sc->ev_first, (f + 1) * sizeof *sc->ev_first);
    nsp_digest_update(&d, sc->lfp, f * sizeof *sc->lfp);
    float lims[4] = {sc->field_lo, sc->field_hi, sc->lfp_lo, sc->lfp_hi};
    nsp_digest_update(&d, lims, sizeof lims);

    float *field = malloc(((size_t)sc->n_active + 1) * sizeof *field);
    nsp_vec2_t *bp = malloc((size_t)sc->desc.bodyparts * sizeof *bp);
    uint8_t *video = malloc(NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
    if (!field || !bp || !video) {
        free(field);
        free(bp);
        free(video);
        return NSP_ENOMEM;
    }
    int64_t n = sc->frames <= DIGEST_SAMPLE_FRAMES ? sc->frames : DIGEST_SAMPLE_FRAMES;
    for (int64_t i = 0; i < n; i++) {
        int64_t frame = n == sc->frames ? i : (n > 1 ? i * (sc->frames - 1) / (n - 1) : 0);
        nsp_scenario_field(sc, frame, field);
        nsp_scenario_bodyparts(sc, frame, bp);
        nsp_scenario_video(sc, frame, video);
        nsp_digest_update(&d, field, (size_t)sc->n_active * sizeof *field);
        nsp_digest_update(&d, bp, (size_t)sc->desc.bodyparts * sizeof *bp);
        nsp_digest_update(&d, video, NSP_VIDEO_SIZE * NSP_VIDEO_SIZE * 3);
    }
    free(field);
    free(bp);
    free(video);
    *out = d.h;
    return 0;
}
