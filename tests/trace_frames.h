// Test helper: the small trace that trace_gen (for trace_summary_test.sh)
// and the fuzzers' seed maker write through core/timing and trace/writer, as
// the benchmark writes one.
#ifndef NSP_TEST_TRACE_FRAMES_H
#define NSP_TEST_TRACE_FRAMES_H

#include "core/timing.h"
#include "trace/writer.h"

// Writes to path five frames, each a "frame" marker, then the event loop
// around a frame zone holding two callbacks and a paint. Returns 0, or the
// error of the configuration or of the write.
static inline int trace_frames_write(const char *path) {
    nsp_trace_writer_install();
    int err = nsp_timing_configure(&(nsp_timing_config_t){.trace_path = path, .trace_event_loop = true});
    if (err != 0) {
        return err;
    }
    for (int i = 0; i < 5; i++) {
        nsp_instant_event_ex("frame", "frame", NSP_INSTANT_THREAD, "frame", i);
        NSP_ZONE(loop, "process_events", NSP_ZONE_CAT_EVENT_LOOP);
        NSP_ZONE(frame, "frame_total", "frame");
        NSP_TIMED("render_position_overlay", "callback", (void)0);
        NSP_TIMED("render_event_overlay", "callback", (void)0);
        NSP_TIMED("paint", "paint", (void)0);
        nsp_zone_end(&frame);
        nsp_zone_end(&loop);
    }
    return nsp_timing_shutdown();
}

#endif
