// Writes a small trace through core/timing and trace/writer (as the benchmark does),
// so that trace_summary_test.sh can summarize and check real output.
// Usage: trace_gen PATH. Five frames, each: the event loop around a frame
// zone holding two callbacks and a paint, and a "frame" marker.
#include <stdio.h>

#include "core/timing.h"
#include "trace/writer.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: trace_gen PATH\n");
        return 2;
    }
    nsp_trace_writer_install();
    if (nsp_timing_configure(&(nsp_timing_config_t){.trace_path = argv[1], .trace_event_loop = true}) != 0) {
        return 1;
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
    return nsp_timing_shutdown() == 0 ? 0 : 1;
}
