// nsplay bench: the benchmark command of requirements §R2, with the original script's
// options and report, then the per-phase breakdown, the floor frame, the
// documented targets, and optionally a JSON file of every figure.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_count.h"
#include "bench/bench.h"
#include "bench/probe.h"
#include "bench/report.h"
#include "bench/targets.h"
#include "commands.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/timing.h"
#include "options.h"
#include "trace/perfmon.h"
#include "platform/platform.h"
#include "viewer.h"

enum {
    OPT_HEADLESS = 1,
    OPT_NO_PLAYBACK,
    OPT_AUTO_CLOSE,
    OPT_JSON,
    OPT_WIDTH,
    OPT_HEIGHT,
    OPT_FPS,
    OPT_BACKEND,
    OPT_NO_FLOOR,
    OPT_RANDOM_SEEK,
    OPT_NO_BREAKDOWN,
};

static const struct option own_options[] = {
    {"headless", no_argument, NULL, OPT_HEADLESS},
    {"no-playback", no_argument, NULL, OPT_NO_PLAYBACK},
    {"auto-close", no_argument, NULL, OPT_AUTO_CLOSE},
    {"json", required_argument, NULL, OPT_JSON},
    {"width", required_argument, NULL, OPT_WIDTH},
    {"height", required_argument, NULL, OPT_HEIGHT},
    {"fps", required_argument, NULL, OPT_FPS},
    {"backend", required_argument, NULL, OPT_BACKEND},
    {"no-floor", no_argument, NULL, OPT_NO_FLOOR},
    {"random-seek", no_argument, NULL, OPT_RANDOM_SEEK},
    {"no-breakdown", no_argument, NULL, OPT_NO_BREAKDOWN},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void help(FILE *out) {
    fprintf(out,
            "usage: nsplay bench [options]\n\n"
            "Replays the seeded scenario and times every frame: step to frame i, run each\n"
            "overlay's per-frame update, upload, draw, and wait until the GPU has finished.\n"
            "Prints the report (frame timing, assessment against 30 fps), the per-phase\n"
            "breakdown, the floor frame (clear + one quad over the canvas sampling a texture\n"
            "of the field's size + finish, interleaved with the timed frames) and the\n"
            "documented targets.\n\n");
    nsp_scenario_options_help(out);
    fprintf(out,
            "Run:\n"
            "  --headless            render offscreen through EGL (no window, no display needed)\n"
            "  --no-playback         measure set-up only\n"
            "  --auto-close          close the window after timing (otherwise it stays open\n"
            "                        as an interactive viewer until closed)\n"
            "  --width N --height N  field size in pixels (default 800 x 800; the dock adds 300)\n"
            "  --fps N               real-time playback at N fps through the playback\n"
            "                        controller: frames that fall behind are dropped, and the\n"
            "                        skip rate is reported\n"
            "  --json FILE           write every figure, the raw per-frame samples and the\n"
            "                        machine to FILE (atomically)\n"
            "  --backend gl|null     gl (default) renders; null counts the work without GL\n"
            "  --no-floor            do not interleave the floor frame\n"
            "  --random-seek         timed frames jump to seeded random frames of the session\n"
            "                        (the random-seek cost) instead of stepping 0, 1, 2, ...\n"
            "  --no-breakdown        do not collect per-phase times (measures their cost)\n"
            "  -h, --help            this text\n\n"
            "Environment:\n"
            "  NEUROSPATIAL_TIMING=1       print [TIMING] <name>: <ms> ms lines to stderr\n"
            "  NEUROSPATIAL_PERFMON=FILE   write a Chrome trace (or read a JSON config from FILE);\n"
            "                              NAPARI_PERFMON is the old name\n\n"
            "Exit status: 0 done, 1 failure, 2 bad options, 3 no display or GL context.\n");
}

typedef struct bench_args {
    nsp_session_opts_t session;
    nsp_bench_opts_t opts;
    bool headless, no_playback;
    bool auto_close;
    const char *json_path;
    const char *backend;
} bench_args_t;

// Refuses options that contradict each other or mean nothing together, each
// with a message naming both. Returns 0 or NSP_EINVAL. (--auto-close with
// --headless is only redundant: the original script took it, so it stays.)
static int check_combinations(const bench_args_t *a) {
    bool null_backend = strcmp(a->backend, "null") == 0;
    const char *timed_only = a->opts.fps > 0.0     ? "--fps"
                             : a->opts.random_seek ? "--random-seek"
                             : !a->opts.floor      ? "--no-floor"
                             : a->opts.no_breakdown ? "--no-breakdown"
                                                    : NULL;
    const char *why = NULL;
    char msg[160];
    if (a->no_playback && timed_only) {
        snprintf(msg, sizeof msg, "--no-playback measures set-up only: %s shapes a playback that would not run",
                 timed_only);
        why = msg;
    } else if (null_backend && a->opts.fps > 0.0) {
        why = "--fps paces real-time playback on a display; --backend null only counts the work, so no frame "
              "could be late";
    }
    if (why) {
        nsp_log(NSP_LOG_ERROR, "%s", why);
        return NSP_EINVAL;
    }
    return 0;
}

static int parse(int argc, char **argv, bench_args_t *a) {
    struct option all[64];
    nsp_options_concat(all, 64, own_options);
    nsp_scenario_desc_default(&a->session.scenario);
    a->session.scenario.overlays = 0;
    a->opts.floor = true;
    a->backend = "gl";
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", all, NULL)) != -1) {
        int err = 0;
        switch (opt) {
        case 'h':
            help(stdout);
            return 1;
        case OPT_HEADLESS: a->headless = true; break;
        case OPT_NO_PLAYBACK: a->no_playback = true; break;
        case OPT_AUTO_CLOSE: a->auto_close = true; break;
        case OPT_NO_FLOOR: a->opts.floor = false; break;
        case OPT_RANDOM_SEEK: a->opts.random_seek = true; break;
        case OPT_NO_BREAKDOWN: a->opts.no_breakdown = true; break;
        case OPT_JSON: a->json_path = optarg; break;
        case OPT_WIDTH: err = nsp_parse_field_px("--width", optarg, &a->session.field_w); break;
        case OPT_HEIGHT: err = nsp_parse_field_px("--height", optarg, &a->session.field_h); break;
        case OPT_FPS: err = nsp_parse_double("--fps", optarg, 0.1, 1000.0, &a->opts.fps); break;
        case OPT_BACKEND:
            a->backend = optarg;
            if (strcmp(optarg, "gl") != 0 && strcmp(optarg, "null") != 0) {
                nsp_log(NSP_LOG_ERROR, "--backend: expected gl or null, got '%s'", optarg);
                err = NSP_EINVAL;
            }
            break;
        default:
            err = nsp_scenario_option_or_usage(&a->session.scenario, opt, optarg, "bench");
        }
        if (err) {
            return -1;
        }
    }
    if (check_combinations(a) != 0) {
        return -1;
    }
    return nsp_scenario_options_end(argc, argv, &a->session.scenario) == 0 ? 0 : -1;
}

int nsp_cmd_bench(int argc, char **argv) {
    bench_args_t a = {0};
    int p = parse(argc, argv, &a);
    if (p != 0) {
        return p > 0 ? 0 : NSP_EXIT_USAGE;
    }
    bool use_gl = strcmp(a.backend, "gl") == 0;
    nsp_perfmon_t pm = {0};
    if (nsp_perfmon_start(&pm) != 0) {
        return 1;
    }
    nsp_bench_result_t r;
    static nsp_platform_t platform;
    nsp_session_t b;
    memset(&b, 0, sizeof b);
    a.opts.alloc_count = nsp_alloc_count;
    int status = 1;
    if (nsp_bench_result_init(&r, (size_t)a.session.scenario.playback_frames) != 0) {
        nsp_log(NSP_LOG_ERROR, "out of memory sizing %lld timed frames", (long long)a.session.scenario.playback_frames);
        goto done;
    }
    r.scenario = a.session.scenario;
    r.headless = a.headless || !use_gl;
    nsp_machine_detect(&r.machine);

    // The set-up's machine measures (bench/probe.h), taken with the floor
    // frame (--no-floor: none): the page-fault probe just before set-up, for
    // context creation, which starts on the core the probe ran on; and again
    // just after it, for nsplay's own part, which ends on the core the
    // second one runs on.
    r.fault_probe_ms = a.opts.floor ? nsp_probe_faults_ms() : NAN;
    uint64_t t0 = nsp_timing_now_ns();
    int err = nsp_session_init(&b, &a.session);
    if (err == 0 && use_gl) {
        err = nsp_session_attach_gl(&b, &platform, a.headless);
        if (err == NSP_ENODISPLAY) {
            status = 3;
            goto done;
        }
    } else if (err == 0) {
        err = nsp_session_attach_null(&b);
    }
    r.setup_s = (double)(nsp_timing_now_ns() - t0) / 1e9;
    r.setup_scenario_s = b.scenario_s;
    r.setup_context_s = b.context_s;
    r.setup_renderer_s = b.renderer_s;
    snprintf(r.shader_cache, sizeof r.shader_cache, "%s", b.shader_cache);
    if (err) {
        nsp_log(NSP_LOG_ERROR, "set-up failed: %s", nsp_strerror(err));
        goto done;
    }
    r.fault_probe_after_ms = a.opts.floor ? nsp_probe_faults_ms() : NAN;
    r.scenario = b.sc.desc;  // Clamped playback frames included.
    r.canvas_w = b.scene.layout.canvas_w;
    r.canvas_h = b.scene.layout.canvas_h;
    snprintf(r.machine.gl_renderer, sizeof r.machine.gl_renderer, "%s",
             use_gl ? nsp_platform_gl_renderer(&platform) : "none (null backend)");
    snprintf(r.machine.gl_version, sizeof r.machine.gl_version, "%s",
             use_gl ? nsp_platform_gl_version(&platform) : "none");
    if (!a.no_playback && (err = nsp_bench_run(&b, &a.opts, &r)) != 0) {
        nsp_log(NSP_LOG_ERROR, "playback failed: %s", nsp_strerror(err));
        goto done;
    }
    // The trace says which clock measured the paint time (targets.h).
    if (!a.no_playback && nsp_paint_source(&r) != NSP_PAINT_NONE) {
        nsp_instant_event_ex(nsp_paint_source(&r) == NSP_PAINT_TIMER_QUERY ? "paint measured by: GL timer query"
                                                                         : "paint measured by: first draw call to glFinish",
                             "paint", NSP_INSTANT_PROCESS, NULL, 0);
    }
    if (a.json_path) {
        // The digest identifies the scenario in results and baselines.
        if (nsp_scenario_digest(&b.sc, &r.digest) != 0 || nsp_report_write_json(a.json_path, &r) != 0) {
            goto done;
        }
    }
    nsp_report_print(stdout, &r);
    fflush(stdout);
    status = 0;
    if (use_gl && !a.headless && !a.auto_close) {
        status = nsp_viewer_run(&b, &(nsp_viewer_opts_t){.start_playing = false}) == 0 ? 0 : 1;
    }
done:
    nsp_session_destroy(&b);
    nsp_platform_destroy(&platform);
    nsp_bench_result_destroy(&r);
    // Writes the trace, if one was asked for; a trace that cannot be written
    // fails the run (the user asked for it).
    if (nsp_perfmon_finish(&pm) != 0 && status == 0) {
        status = 1;
    }
    return status;
}
