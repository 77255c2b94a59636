// The interactive viewer: plays the scene in a window at the data's rate.
// Keys: space play/pause, left/right step one frame (pausing), Home/End first
// and last frame, [ and ] halve and double the speed, o the status overlay
// on/off, h or ? the help overlay on/off, q or Esc quit. The status overlay
// (top-left, on at start) and the window title show the frame, the time, the
// speed and the play state: paused, or playing at the rate frames were shown
// at over the last second (none before a second has been measured). The
// overlays are drawn over the frame in the window only (render/text_gl.h);
// the screenshot includes them as shown.
#ifndef NSP_CLI_VIEWER_H
#define NSP_CLI_VIEWER_H

#include <stdbool.h>

#include "bench/session.h"

typedef struct nsp_viewer_opts {
    bool start_playing;
    const char *screenshot_path;   // PNG of the last frame shown (overlays as shown), written at exit.
} nsp_viewer_opts_t;

// Runs until the window is closed. s must have the GL backend attached in a
// window (nsp_session_attach_gl, not headless). Returns 0, or a negative
// NSP_E... code.
int nsp_viewer_run(nsp_session_t *s, const nsp_viewer_opts_t *opts);

#endif
