#include "viewer.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/error.h"
#include "core/timing.h"
#include "platform/platform.h"
#include "render/image.h"
#include "render/text_gl.h"

#define KEY_Q 81
#define KEY_H 72
#define KEY_O 79
#define KEY_SLASH 47  // '?' is shift and this key on US layouts; either shows the help.
#define KEY_HOME 268
#define KEY_END 269
#define KEY_LEFT_BRACKET 91
#define KEY_RIGHT_BRACKET 93
#define SPEED_MIN (1.0 / 64.0)
#define SPEED_MAX 64.0
// The overlays' place and size in target pixels: the status panel at the
// top-left corner, the help panel under it; each font texel 2 x 2 pixels.
// tests/viewer_test.sh reads the text back at these places.
#define OVERLAY_X 8
#define OVERLAY_Y 8
#define OVERLAY_SCALE 2
#define STATUS_LINES 3
#define HELP_Y (OVERLAY_Y + 2 * NSP_TEXT_GL_PAD * OVERLAY_SCALE + \
                (STATUS_LINES * NSP_TEXT_GL_LINE_H - 2) * OVERLAY_SCALE + 8)

static const char HELP_TEXT[] =
    "keys\n"
    "space      play / pause\n"
    "left right step one frame\n"
    "Home End   first / last frame\n"
    "[ ]        halve / double speed\n"
    "o          status on / off\n"
    "h ?        this help on / off\n"
    "q Esc      quit";

typedef struct viewer {
    nsp_session_t *b;
    nsp_platform_t *platform;
    bool playing;
    double speed;
    double pos_s;        // Playback position in data seconds.
    int64_t frame;       // Frame shown.
    bool dirty;          // Needs a redraw.
    bool show_status;    // The status overlay (o).
    bool show_help;      // The help overlay (h, ?).
    bool text_ok;        // The overlays' text renderer is set up.
    nsp_text_gl_t text;
    // The rate frames are shown at while playing: new frames drawn since
    // fps_t0; fps < 0 until a second of playing has been measured.
    uint64_t fps_t0;
    int fps_shown;
    double fps;
} viewer_t;

// Starts measuring the shown rate afresh (playing starts, or the speed changes).
static void fps_restart(viewer_t *v) {
    v->fps_t0 = nsp_timing_now_ns();
    v->fps_shown = 0;
    v->fps = -1.0;
}

static int64_t frame_at(const viewer_t *v, double pos_s) {
    int64_t f = (int64_t)(pos_s * v->b->sc.desc.sample_rate_hz);
    int64_t last = v->b->sc.frames - 1;
    return f < 0 ? 0 : f > last ? last : f;
}

static void seek(viewer_t *v, int64_t frame) {
    int64_t last = v->b->sc.frames - 1;
    v->frame = frame < 0 ? 0 : frame > last ? last : frame;
    v->pos_s = (double)v->frame / v->b->sc.desc.sample_rate_hz;
    v->dirty = true;
}

static void on_key(void *user, int key, int action, int mods) {
    (void)mods;
    viewer_t *v = user;
    if (action == NSP_KEY_RELEASE) {
        return;
    }
    switch (key) {
    case NSP_KEY_SPACE:
        if (action == NSP_KEY_PRESS) {
            v->playing = !v->playing;
            if (v->playing && v->frame >= v->b->sc.frames - 1) {
                seek(v, 0);  // Play from the start once at the end.
            }
            fps_restart(v);
            v->dirty = true;
        }
        break;
    case NSP_KEY_RIGHT: v->playing = false; seek(v, v->frame + 1); break;
    case NSP_KEY_LEFT: v->playing = false; seek(v, v->frame - 1); break;
    case KEY_HOME: seek(v, 0); break;
    case KEY_END: seek(v, v->b->sc.frames - 1); break;
    case KEY_LEFT_BRACKET:
        v->speed = v->speed / 2 < SPEED_MIN ? SPEED_MIN : v->speed / 2;
        fps_restart(v);
        v->dirty = true;
        break;
    case KEY_RIGHT_BRACKET:
        v->speed = v->speed * 2 > SPEED_MAX ? SPEED_MAX : v->speed * 2;
        fps_restart(v);
        v->dirty = true;
        break;
    case KEY_O:
        if (action == NSP_KEY_PRESS) {
            v->show_status = !v->show_status;
            v->dirty = true;
        }
        break;
    case KEY_H:
    case KEY_SLASH:
        if (action == NSP_KEY_PRESS) {
            v->show_help = !v->show_help;
            v->dirty = true;
        }
        break;
    case KEY_Q:
    case NSP_KEY_ESCAPE: nsp_platform_set_should_close(v->platform, true); break;
    default: break;
    }
}

static void sleep_ms(double ms) {
    struct timespec ts = {(time_t)(ms / 1000.0), (long)((ms - (double)(time_t)(ms / 1000.0) * 1000.0) * 1e6)};
    nanosleep(&ts, NULL);
}

// The play state as the title and the status overlay say it: "30 fps" is
// the rate frames were shown at over the last second of playing; paused,
// there is no rate to show.
static void play_state(const viewer_t *v, char *out, size_t cap) {
    if (!v->playing) {
        snprintf(out, cap, "paused");
    } else if (v->fps < 0.0) {
        snprintf(out, cap, "playing");
    } else {
        snprintf(out, cap, "playing, %.0f fps", v->fps);
    }
}

// The overlays, drawn over the frame into a target_w x target_h target.
static void draw_overlays(viewer_t *v, int target_w, int target_h) {
    if (!v->text_ok || (!v->show_status && !v->show_help)) {
        return;
    }
    NSP_ZONE(zo, "viewer_overlay", "paint");
    if (v->show_status) {
        char state[64], status[256];
        play_state(v, state, sizeof state);
        snprintf(status, sizeof status, "frame %lld/%lld  t = %.2f s\nspeed %gx  %s\nh: help  o: hide",
                 (long long)v->frame, (long long)(v->b->sc.frames - 1), v->pos_s, v->speed, state);
        nsp_text_gl_draw(&v->text, target_w, target_h, OVERLAY_X, OVERLAY_Y, OVERLAY_SCALE, status);
    }
    if (v->show_help) {
        nsp_text_gl_draw(&v->text, target_w, target_h, OVERLAY_X, HELP_Y, OVERLAY_SCALE, HELP_TEXT);
    }
    nsp_zone_end(&zo);
}

static void draw(viewer_t *v) {
    nsp_session_t *b = v->b;
    // A shown frame is one complete trace event holding its steps and the
    // overlays, as the benchmark's frames are.
    NSP_ZONE(zf, "frame", "frame");
    nsp_session_draw(b, v->frame);
    int tw, th;
    b->backend.target_size(b->backend.self, &tw, &th);
    draw_overlays(v, tw, th);
    NSP_ZONE(zs, "swap", "paint");
    nsp_platform_swap(v->platform);
    nsp_zone_end(&zs);
    nsp_instant_event_ex("frame", "frame", NSP_INSTANT_THREAD, "frame", v->frame);
    nsp_zone_end(&zf);
    char title[160], rate[32] = "";
    if (!v->playing) {
        snprintf(rate, sizeof rate, " [paused]");
    } else if (v->fps >= 0.0) {
        snprintf(rate, sizeof rate, ", %.0f fps", v->fps);
    }
    snprintf(title, sizeof title, "nsplay — frame %lld/%lld, t = %.2f s, speed %gx%s", (long long)v->frame,
             (long long)(b->sc.frames - 1), v->pos_s, v->speed, rate);
    nsp_platform_set_title(v->platform, title);
}

int nsp_viewer_run(nsp_session_t *b, const nsp_viewer_opts_t *opts) {
    nsp_platform_t *platform = b->platform;
    viewer_t v = {.b = b, .platform = platform, .playing = opts->start_playing, .speed = 1.0, .dirty = true,
                  .show_status = true};
    // Without the overlays the viewer still works: the title shows the state.
    v.text_ok = nsp_text_gl_init(&v.text) == 0;
    platform->on_key = on_key;
    platform->key_user = &v;
    fps_restart(&v);
    uint64_t last_ns = nsp_timing_now_ns();
    while (!nsp_platform_should_close(platform)) {
        nsp_platform_poll(platform);
        // A resized window: draw the canvas scaled onto its new framebuffer.
        int fw, fh;
        nsp_platform_framebuffer_size(platform, &fw, &fh);
        int tw, th;
        b->backend.target_size(b->backend.self, &tw, &th);
        if (fw > 0 && fh > 0 && (fw != tw || fh != th)) {
            b->backend.resize(b->backend.self, fw, fh);
            v.dirty = true;
        }
        uint64_t now = nsp_timing_now_ns();
        double dt_s = (double)(now - last_ns) / 1e9;
        last_ns = now;
        if (v.playing) {
            v.pos_s += dt_s * v.speed;
            int64_t f = frame_at(&v, v.pos_s);
            if (f != v.frame) {
                v.frame = f;
                v.dirty = true;
                v.fps_shown++;
            }
            if (v.frame >= b->sc.frames - 1) {
                v.playing = false;  // Stop at the end.
                v.dirty = true;
            }
        }
        if (v.playing && now - v.fps_t0 >= 1000000000ull) {
            v.fps = v.fps_shown * 1e9 / (double)(now - v.fps_t0);
            v.fps_shown = 0;
            v.fps_t0 = now;
            v.dirty = true;
        }
        if (v.dirty) {
            draw(&v);
            v.dirty = false;
        } else {
            sleep_ms(v.playing ? 1.0 : 10.0);
        }
    }
    int err = 0;
    if (opts->screenshot_path) {
        int w = b->scene.layout.canvas_w, h = b->scene.layout.canvas_h;
        // The screenshot is of the canvas at its own size.
        b->backend.resize(b->backend.self, w, h);
        uint8_t *rgba = malloc((size_t)w * (size_t)h * 4);
        // Redraw the frame shown, with the overlays shown, into the back
        // buffer and read it back.
        nsp_session_draw(b, v.frame);
        draw_overlays(&v, w, h);
        err = rgba ? b->backend.read_rgba(b->backend.self, rgba) : NSP_ENOMEM;
        if (err == 0) {
            err = nsp_image_write_png(opts->screenshot_path, rgba, w, h);
        }
        free(rgba);
        printf("viewer: frame %lld shown at exit\n", (long long)v.frame);
    }
    platform->on_key = NULL;
    nsp_text_gl_destroy(&v.text);
    return err;
}
