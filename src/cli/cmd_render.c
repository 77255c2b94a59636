// nsplay render: one frame of the scenario, offscreen, to a PNG file. The
// golden-frame references under tests/golden/ are made with it.
#include <stdio.h>
#include <stdlib.h>

#include "bench/session.h"
#include "commands.h"
#include "core/error.h"
#include "options.h"
#include "platform/platform.h"
#include "render/image.h"

enum { OPT_FRAME = 1, OPT_OUT };

static const struct option own_options[] = {
    {"frame", required_argument, NULL, OPT_FRAME},
    {"out", required_argument, NULL, OPT_OUT},
    {NULL, 0, NULL, 0},
};

typedef struct render_args {
    int64_t frame;
    const char *out;
} render_args_t;

static int own_option(void *user, int opt, const char *arg) {
    render_args_t *a = user;
    if (opt == OPT_FRAME) {
        return nsp_parse_int64("--frame", arg, 0, NSP_FRAMES_MAX - 1, &a->frame);
    }
    a->out = arg;
    return 0;
}

static void help(FILE *out) {
    fprintf(out, "usage: nsplay render --out FILE [--frame N] [options]\n\n"
                 "Renders one frame of the scenario offscreen (EGL, no display needed) and writes\n"
                 "it as an RGBA PNG, atomically.\n\n");
    nsp_scenario_options_help_untimed(out);
    fprintf(out, "Render:\n"
                 "  --frame N             the frame, 0..frames-1 (default 0)\n"
                 "  --out FILE            the PNG to write (required)\n"
                 "  --width N --height N  field size in pixels (default 800 x 800)\n"
                 "  -h, --help            this text\n\n"
                 "Exit status: 0 done, 1 failure, 2 bad options, 3 no GL context.\n");
}

// Renders frame into a canvas-sized RGBA buffer (rows top first).
static int render_frame_rgba(nsp_session_t *s, int64_t frame, uint8_t *rgba) {
    nsp_session_draw(s, frame);
    s->backend.finish(s->backend.self);
    return s->backend.read_rgba(s->backend.self, rgba);
}

int nsp_cmd_render(int argc, char **argv) {
    nsp_session_opts_t o = {0};
    render_args_t a = {0};
    const nsp_untimed_command_t cmd = {"render", help, own_options, own_option, &a};
    int p = nsp_untimed_options_parse(&cmd, argc, argv, &o.scenario, &o.field_w, &o.field_h);
    if (p != 0) {
        return p == 1 ? 0 : NSP_EXIT_USAGE;  // 1: the help was asked for.
    }
    int64_t frame = a.frame;
    const char *out = a.out;
    // Render's own usage first: the scenario's notices come after it.
    if (!out) {
        nsp_log(NSP_LOG_ERROR, "--out FILE is required");
        return NSP_EXIT_USAGE;
    }
    if (frame >= o.scenario.frames) {
        nsp_log(NSP_LOG_ERROR, "--frame: expected 0..%lld, got %lld", (long long)o.scenario.frames - 1,
                (long long)frame);
        return NSP_EXIT_USAGE;
    }
    if (nsp_scenario_options_end_untimed(argc, argv, &o.scenario) != 0) {
        return NSP_EXIT_USAGE;
    }
    static nsp_platform_t platform;
    nsp_session_t b;
    int status = 1;
    int err = nsp_session_init(&b, &o);
    if (err == 0) {
        err = nsp_session_attach_gl(&b, &platform, true);
    }
    if (err == NSP_ENODISPLAY) {
        status = 3;
    } else if (err == 0) {
        int w = b.scene.layout.canvas_w, h = b.scene.layout.canvas_h;
        uint8_t *rgba = malloc((size_t)w * (size_t)h * 4);
        err = rgba ? render_frame_rgba(&b, frame, rgba) : NSP_ENOMEM;
        if (err == 0 && (err = nsp_image_write_png(out, rgba, w, h)) == 0) {
            printf("wrote %s: frame %lld, %dx%d\n", out, (long long)frame, w, h);
            status = 0;
        }
        free(rgba);
    }
    if (err && err != NSP_ENODISPLAY) {
        nsp_log(NSP_LOG_ERROR, "render failed: %s", nsp_strerror(err));
    }
    nsp_session_destroy(&b);
    nsp_platform_destroy(&platform);
    return status;
}
