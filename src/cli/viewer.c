#include "viewer.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/error.h"
#include "core/timing.h"
#include "platform/platform.h"
#include "render/image.h"

#define KEY_Q 81
#define KEY_HOME 268
#define KEY_END 269
#define KEY_LEFT_BRACKET 91
#define KEY_RIGHT_BRACKET 93
#define SPEED_MIN (1.0 / 64.0)
#define SPEED_MAX 64.0

typedef struct viewer {
    nsp_session_t *b;
    nsp_platform_t *platform;
    bool playing;
    double speed;
    double pos_s;        // Playback position in data seconds.
    int64_t frame;       // Frame shown.
    bool dirty;          // Needs a redraw.
} viewer_t;

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
            v->dirty = true;
        }
        break;
    case NSP_KEY_RIGHT: v->playing = false; seek(v, v->frame + 1); break;
    case NSP_KEY_LEFT: v->playing = false; seek(v, v->frame - 1); break;
    case KEY_HOME: seek(v, 0); break;
    case KEY_END: seek(v, v->b->sc.frames - 1); break;
    case KEY_LEFT_BRACKET: v->speed = v->speed / 2 < SPEED_MIN ? SPEED_MIN : v->speed / 2; v->dirty = true; break;
    case KEY_RIGHT_BRACKET: v->speed = v->speed * 2 > SPEED_MAX ? SPEED_MAX : v->speed * 2; v->dirty = true; break;
    case KEY_Q:
    case NSP_KEY_ESCAPE: nsp_platform_set_should_close(v->platform, true); break;
    default: break;
    }
}

static void sleep_ms(double ms) {
    struct timespec ts = {(time_t)(ms / 1000.0), (long)((ms - (double)(time_t)(ms / 1000.0) * 1000.0) * 1e6)};
    nanosleep(&ts, NULL);
}

static void draw(viewer_t *v, double fps_drawn) {
    nsp_session_t *b = v->b;
    nsp_session_draw(b, v->frame);
    nsp_platform_swap(v->platform);
    char title[160];
    snprintf(title, sizeof title, "nsplay — frame %lld/%lld, t = %.2f s, speed %gx, %.0f fps%s",
             (long long)v->frame, (long long)(b->sc.frames - 1), v->pos_s, v->speed, fps_drawn,
             v->playing ? "" : " [paused]");
    nsp_platform_set_title(v->platform, title);
}

int nsp_viewer_run(nsp_session_t *b, const nsp_viewer_opts_t *opts) {
    nsp_platform_t *platform = b->platform;
    viewer_t v = {.b = b, .platform = platform, .playing = opts->start_playing, .speed = 1.0, .dirty = true};
    platform->on_key = on_key;
    platform->key_user = &v;
    uint64_t last_ns = nsp_timing_now_ns(), fps_t0 = last_ns;
    int drawn = 0;
    double fps_drawn = 0.0;
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
            }
            if (v.frame >= b->sc.frames - 1) {
                v.playing = false;  // Stop at the end.
                v.dirty = true;
            }
        }
        if (v.dirty) {
            draw(&v, fps_drawn);
            v.dirty = false;
            drawn++;
        } else {
            sleep_ms(v.playing ? 1.0 : 10.0);
        }
        if (now - fps_t0 >= 1000000000ull) {
            fps_drawn = drawn * 1e9 / (double)(now - fps_t0);
            drawn = 0;
            fps_t0 = now;
        }
    }
    int err = 0;
    if (opts->screenshot_path) {
        int w = b->scene.layout.canvas_w, h = b->scene.layout.canvas_h;
        // The screenshot is of the canvas at its own size.
        b->backend.resize(b->backend.self, w, h);
        uint8_t *rgba = malloc((size_t)w * (size_t)h * 4);
        // Redraw the frame shown into the back buffer and read it back.
        nsp_session_draw(b, v.frame);
        err = rgba ? b->backend.read_rgba(b->backend.self, rgba) : NSP_ENOMEM;
        if (err == 0) {
            err = nsp_image_write_png(opts->screenshot_path, rgba, w, h);
        }
        free(rgba);
        printf("viewer: frame %lld shown at exit\n", (long long)v.frame);
    }
    platform->on_key = NULL;
    return err;
}
