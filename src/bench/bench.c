#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/playback.h"
#include "core/prng.h"
#include "core/timing.h"
#include "probe.h"

// Callgrind's client requests (tier e counts only the timed frames): no-ops
// outside valgrind, and absent where valgrind's headers are not installed.
#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

// The collector: zone ends land in the current frame's slot of their phase.
typedef struct collect {
    nsp_bench_result_t *r;
    size_t slot;
    int phase_of_zone[NSP_ZONE_MAX];  // -1: not a phase.
} collect_t;

static void on_zone(int zone_id, const char *name, uint64_t dur_ns, void *user) {
    (void)name;
    collect_t *c = user;
    int p = zone_id >= 0 && zone_id < NSP_ZONE_MAX ? c->phase_of_zone[zone_id] : -1;
    if (p >= 0 && c->slot < c->r->capacity) {
        c->r->phases[p].ms[c->slot] = (double)dur_ns / 1e6;
    }
}

static void map_phase(collect_t *c, const char *zone, const char *cat, int phase) {
    int id = nsp_zone_register(zone, cat);
    if (id >= 0 && phase >= 0) {
        c->phase_of_zone[id] = phase;
    }
}

typedef struct frame_zones {
    int frame, events, callbacks, upload, draw, finish, floor;
} frame_zones_t;

// The phases of a timed frame, each a function of its own that is never
// inlined: tier e of the gate reads each phase's instructions as the
// inclusive cost of its function under callgrind.
__attribute__((noinline)) static const nsp_frame_t *frame_step(nsp_session_t *b, int64_t frame) {
    return nsp_scene_update(&b->scene, frame);
}

__attribute__((noinline)) static void frame_upload(nsp_session_t *b, const nsp_frame_t *f) {
    b->backend.upload(b->backend.self, f);
}

__attribute__((noinline)) static void frame_submit(nsp_session_t *b, const nsp_frame_t *f) {
    b->backend.draw(b->backend.self, f);
}

__attribute__((noinline)) static void frame_raster(nsp_session_t *b) {
    b->backend.finish(b->backend.self);
}

// One frame of the timed loop; returns its latency in ms. The frame is a zone
// of its own around its phases, so a trace viewer can select one frame (an
// instant event alone is invisible to speedscope); its marker, with the
// frame's number, lies inside it.
static double run_frame(nsp_session_t *b, const frame_zones_t *z, int64_t frame) {
    uint64_t t0 = nsp_timing_now_ns();
    nsp_zone_t zframe = nsp_zone_begin_id(z->frame);
    nsp_zone_t ze = nsp_zone_begin_id(z->events);
    if (b->poll_events) {
        b->poll_events(b->poll_user);
    }
    nsp_zone_end(&ze);
    nsp_zone_t zc = nsp_zone_begin_id(z->callbacks);
    const nsp_frame_t *f = frame_step(b, frame);
    nsp_zone_end(&zc);
    nsp_zone_t zu = nsp_zone_begin_id(z->upload);
    frame_upload(b, f);
    nsp_zone_end(&zu);
    nsp_zone_t zd = nsp_zone_begin_id(z->draw);
    frame_submit(b, f);
    nsp_zone_end(&zd);
    nsp_zone_t zf = nsp_zone_begin_id(z->finish);
    frame_raster(b);
    nsp_zone_end(&zf);
    nsp_instant_event_ex("frame", "frame", NSP_INSTANT_THREAD, "frame", frame);
    nsp_zone_end(&zframe);
    return (double)(nsp_timing_now_ns() - t0) / 1e6;
}

// The floor frame is a reference measurement, not part of the frame: it goes
// on the trace's reference track in a category of its own, so it neither
// nests among the frame's zones nor dominates their totals.
static double run_floor(nsp_session_t *b, int zone) {
    uint64_t t0 = nsp_timing_now_ns();
    b->backend.draw_floor(b->backend.self);
    b->backend.finish(b->backend.self);
    uint64_t dur = nsp_timing_now_ns() - t0;
    nsp_trace_track_event(NSP_TRACE_TRACK_REFERENCE, zone, t0, dur);
    return (double)dur / 1e6;
}

// Collects GPU paint times; a frame's sequence number minus the frames drawn
// before timing started is its timed slot.
static void take_paint(nsp_session_t *b, nsp_bench_result_t *r, uint64_t seq_base, int wait) {
    if (!b->backend.take_paint_ms) {
        return;
    }
    uint64_t seq[64];
    double ms[64];
    size_t n;
    do {
        n = b->backend.take_paint_ms(b->backend.self, seq, ms, 64, wait);
        for (size_t i = 0; i < n; i++) {
            if (seq[i] >= seq_base && seq[i] - seq_base < r->capacity) {
                r->phases[NSP_PHASE_PAINT_GPU].ms[seq[i] - seq_base] = ms[i];
            }
        }
    } while (n == 64);
}

int nsp_bench_run(nsp_session_t *b, const nsp_bench_opts_t *opts, nsp_bench_result_t *r) {
    static collect_t c;
    memset(&c, 0, sizeof c);
    for (int i = 0; i < NSP_ZONE_MAX; i++) {
        c.phase_of_zone[i] = -1;
    }
    c.r = r;
    frame_zones_t z = {
        .frame = nsp_zone_register("frame", "frame"),
        .events = nsp_zone_register("process_events", NSP_ZONE_CAT_EVENT_LOOP),
        .callbacks = nsp_zone_register("callbacks_total", "callback"),
        .upload = nsp_zone_register("upload", "paint"),
        .draw = nsp_zone_register("draw", "paint"),
        .finish = nsp_zone_register("finish", "paint"),
        .floor = nsp_zone_register("floor_frame", "reference"),
    };
    map_phase(&c, "process_events", NSP_ZONE_CAT_EVENT_LOOP, NSP_PHASE_EVENTS);
    map_phase(&c, "callbacks_total", "callback", NSP_PHASE_CALLBACKS);
    map_phase(&c, "upload", "paint", NSP_PHASE_UPLOAD);
    map_phase(&c, "draw", "paint", NSP_PHASE_DRAW);
    map_phase(&c, "finish", "paint", NSP_PHASE_FINISH);
    for (int i = 0; i < b->scene.step_count; i++) {
        int p = nsp_bench_result_add_phase(r, b->scene.steps[i].name);
        c.phase_of_zone[b->scene.steps[i].zone_id] = p;
    }
    nsp_timing_set_collector(on_zone, &c);

    int64_t n = b->opts.scenario.playback_frames;
    bool floor = opts->floor && b->backend.draw_floor;
    // One untimed warm-up frame (and floor frame): shaders are compiled by the
    // driver at their first draw, and the first timer query is not reliable.
    nsp_timing_set_collector(NULL, NULL);
    run_frame(b, &z, 0);
    if (floor) {
        run_floor(b, z.floor);
    }
    take_paint(b, r, UINT64_MAX, 1);
    const nsp_render_counters_t before = *b->backend.counters(b->backend.self, 1);
    uint64_t seq_base = before.frames;
    nsp_timing_set_collector(opts->no_breakdown ? NULL : on_zone, &c);
    // Random seek: a seeded sequence of frames anywhere in the session.
    nsp_rng_t seek_rng = nsp_rng_derive(b->sc.desc.seed, 0x5eec, 0);
    uint64_t allocs_before = opts->alloc_count ? opts->alloc_count() : 0;
    // Under `valgrind --instr-atstart=no` only the timed frames are counted
    // (not set-up, shader compilation or the warm-up frame).
    CALLGRIND_START_INSTRUMENTATION;
    if (opts->fps > 0.0) {
        nsp_playback_t pb;
        int err = nsp_playback_init(&pb, &(nsp_playback_desc_t){.fps = opts->fps, .frame_count = n});
        if (err) {
            nsp_timing_set_collector(NULL, NULL);
            return err;
        }
        int64_t frame;
        while (nsp_playback_next(&pb, &frame)) {
            c.slot = r->frames;
            r->frame_ms[r->frames] = run_frame(b, &z, frame % b->sc.frames);
            if (r->frames++ == 0) {
                r->rss_first_kib = nsp_rss_kib();
            }
            take_paint(b, r, seq_base, 0);
        }
        r->fps = opts->fps;
        r->shown = pb.shown;
        r->dropped = pb.dropped;
    } else {
        for (int64_t i = 0; i < n; i++) {
            c.slot = (size_t)i;
            int64_t frame = opts->random_seek ? (int64_t)nsp_rng_bounded(&seek_rng, (uint32_t)b->sc.frames)
                                                : i % b->sc.frames;
            r->frame_ms[i] = run_frame(b, &z, frame);
            r->floor_ms[i] = floor ? run_floor(b, z.floor) : NAN;
            // The CPU's speed right after the frame, for the work the floor
            // frame does not track (the callbacks; probe.h).
            r->cpu_probe_ms[i] = floor ? nsp_probe_cpu_ms() : NAN;
            if (i == 0) {
                r->rss_first_kib = nsp_rss_kib();
            }
            r->frames++;
            take_paint(b, r, seq_base, 0);
        }
    }
    CALLGRIND_STOP_INSTRUMENTATION;
    r->allocations_during_playback = opts->alloc_count ? opts->alloc_count() - allocs_before : UINT64_MAX;
    r->rss_last_kib = nsp_rss_kib();
    take_paint(b, r, seq_base, 1);
    nsp_timing_set_collector(NULL, NULL);
    r->playback = true;
    r->counters_frame = *b->backend.counters(b->backend.self, 0);
    // Totals over the timed frames alone (not the warm-up frame).
    const nsp_render_counters_t *after = b->backend.counters(b->backend.self, 1);
    r->counters_total = (nsp_render_counters_t){
        .frames = after->frames - before.frames,
        .draw_calls = after->draw_calls - before.draw_calls,
        .vertices = after->vertices - before.vertices,
        .bytes_uploaded = after->bytes_uploaded - before.bytes_uploaded,
        .texture_uploads = after->texture_uploads - before.texture_uploads,
        .buffer_uploads = after->buffer_uploads - before.buffer_uploads,
    };
    return 0;
}
