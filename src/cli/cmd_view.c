// nsplay view: the interactive viewer on the seeded scenario.
#include <stdio.h>
#include <string.h>

#include "bench/session.h"
#include "commands.h"
#include "core/error.h"
#include "options.h"
#include "platform/platform.h"
#include "trace/perfmon.h"
#include "viewer.h"

enum { OPT_SCREENSHOT = 1, OPT_PLAY };

static const struct option own_options[] = {
    {"screenshot", required_argument, NULL, OPT_SCREENSHOT},
    {"play", no_argument, NULL, OPT_PLAY},
    {NULL, 0, NULL, 0},
};

static int own_option(void *user, int opt, const char *arg) {
    nsp_viewer_opts_t *vo = user;
    if (opt == OPT_SCREENSHOT) {
        vo->screenshot_path = arg;
    } else {
        vo->start_playing = true;
    }
    return 0;
}

static void help(FILE *out) {
    fprintf(out, "usage: nsplay view [options]\n\n"
                 "Opens a window on the seeded scenario (needs a display; under no display run it\n"
                 "with xvfb-run). Keys: space play/pause, left/right step one frame, Home/End\n"
                 "first/last frame, [ and ] halve/double the speed, o status overlay on/off,\n"
                 "h or ? help overlay on/off, q or Esc quit. The status overlay (top-left) and\n"
                 "the title show the frame, the time, the speed and the play state: paused, or\n"
                 "playing at the rate frames were shown at over the last second.\n\n");
    nsp_scenario_options_help_untimed(out);
    fprintf(out, "Viewer:\n"
                 "  --width N --height N  field size in pixels (default 800 x 800)\n"
                 "  --play                start playing\n"
                 "  --screenshot FILE     at exit, write the frame shown (with overlays) as a PNG\n"
                 "  -h, --help            this text\n\n"
                 "Environment:\n"
                 "  NEUROSPATIAL_TIMING=1       print [TIMING] <name>: <ms> ms lines to stderr\n"
                 "  NEUROSPATIAL_PERFMON=FILE   write a Chrome trace of the frames shown (or read a\n"
                 "                              JSON config from FILE); NAPARI_PERFMON is the old name\n\n"
                 "Exit status: 0 done, 1 failure, 2 bad options, 3 no display or GL context.\n");
}

int nsp_cmd_view(int argc, char **argv) {
    nsp_session_opts_t o = {0};
    nsp_viewer_opts_t vo = {0};
    const nsp_untimed_command_t cmd = {"view", help, own_options, own_option, &vo};
    int p = nsp_untimed_options_parse(&cmd, argc, argv, &o.scenario, &o.field_w, &o.field_h);
    if (p != 0) {
        return p == 1 ? 0 : NSP_EXIT_USAGE;  // 1: the help was asked for.
    }
    if (nsp_scenario_options_end_untimed(argc, argv, &o.scenario) != 0) {
        return NSP_EXIT_USAGE;
    }
    // NEUROSPATIAL_PERFMON traces the viewer as it does the benchmark: each
    // frame shown is a complete "frame" event holding its steps.
    nsp_perfmon_t pm = {0};
    if (nsp_perfmon_start(&pm) != 0) {
        return 1;
    }
    static nsp_platform_t platform;
    nsp_session_t b;
    int status = 1;
    int err = nsp_session_init(&b, &o);
    if (err == 0) {
        err = nsp_session_attach_gl(&b, &platform, false);
    }
    if (err == NSP_ENODISPLAY) {
        status = 3;
    } else if (err) {
        nsp_log(NSP_LOG_ERROR, "set-up failed: %s", nsp_strerror(err));
    } else {
        status = nsp_viewer_run(&b, &vo) == 0 ? 0 : 1;
    }
    nsp_session_destroy(&b);
    nsp_platform_destroy(&platform);
    // A trace asked for and not written fails the run.
    if (nsp_perfmon_finish(&pm) != 0 && status == 0) {
        status = 1;
    }
    return status;
}
