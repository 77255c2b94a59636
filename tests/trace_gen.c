// Writes a small trace through core/timing and trace/writer (as the benchmark does),
// so that trace_summary_test.sh can summarize and check real output.
// Usage: trace_gen PATH. Five frames, each: the event loop around a frame
// zone holding two callbacks and a paint, and a "frame" marker.
#include <stdio.h>

#include "trace_frames.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: trace_gen PATH\n");
        return 2;
    }
    return trace_frames_write(argv[1]) == 0 ? 0 : 1;
}
