#include "report.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
#include "json/json.h"
#include "targets.h"

static const char RULE[] = "============================================================";

static void print_overlays(FILE *out, unsigned overlays) {
    fprintf(out, "Overlays enabled:");
    const char *sep = " ";
    for (int i = 0; i < NSP_OVERLAY_COUNT; i++) {
        if (overlays & (1u << i)) {
            fprintf(out, "%s%s", sep, nsp_overlay_name(i));
            sep = ", ";
        }
    }
    fprintf(out, "\n");
}

static void print_frame_timing(FILE *out, const nsp_bench_result_t *r) {
    nsp_summary_t s = nsp_bench_summary(r->frame_ms, r->frames);
    double target_ms = 1000.0 / NSP_TARGET_FPS;
    fprintf(out, "Frame timing (%zu frames):\n", r->frames);
    fprintf(out, "  Mean:   %.2f ms\n  Median: %.2f ms\n  P95:    %.2f ms\n  Min:    %.2f ms\n  Max:    %.2f ms\n\n",
            s.mean, s.median, s.p95, s.min, s.max);
    fprintf(out, "Performance assessment (target: %.0f fps = %.1f ms/frame):\n", NSP_TARGET_FPS, target_ms);
    if (s.mean <= target_ms) {
        fprintf(out, "  ✓ Target met: Mean frame time allows ~%.1f fps\n", 1000.0 / s.mean);
    } else {
        fprintf(out, "  ✗ Target missed: Mean frame time allows only ~%.1f fps\n", 1000.0 / s.mean);
    }
    size_t over = nsp_stats_count_above(r->frame_ms, r->frames, target_ms);
    fprintf(out, "  Frames exceeding target: %zu/%zu (%.1f%%)\n", over, r->frames,
            r->frames ? 100.0 * (double)over / (double)r->frames : 0.0);
}

static void print_phase_row(FILE *out, const char *indent, const nsp_phase_t *p, size_t frames) {
    nsp_summary_t s = nsp_bench_summary(p->ms, frames);
    int width = 36 - (int)strlen(indent);
    if (s.count == 0) {
        fprintf(out, "%s%-*s %9s\n", indent, width, p->name, "n/a");
    } else {
        fprintf(out, "%s%-*s %9.4f %9.4f %9.4f\n", indent, width, p->name, s.mean, s.median, s.p95);
    }
}

static void print_phases(FILE *out, const nsp_bench_result_t *r) {
    fprintf(out, "\nPer-phase breakdown (ms per frame):  %9s %9s %9s\n", "mean", "median", "p95");
    for (int i = 0; i < NSP_PHASE_FIXED_COUNT; i++) {
        print_phase_row(out, "  ", &r->phases[i], r->frames);
        if (i == NSP_PHASE_CALLBACKS) {
            // The field update and overlay callbacks, parts of the total above.
            for (int k = NSP_PHASE_FIXED_COUNT; k < r->phase_count; k++) {
                print_phase_row(out, "    ", &r->phases[k], r->frames);
            }
        }
    }
}

static void print_floor(FILE *out, const nsp_bench_result_t *r) {
    nsp_summary_t f = nsp_bench_summary(r->floor_ms, r->frames);
    nsp_summary_t s = nsp_bench_summary(r->frame_ms, r->frames);
    if (f.count == 0) {
        return;
    }
    fprintf(out,
            "\nFloor frame (clear, one quad over %dx%d sampling a field-sized texture, finish; interleaved, %zu "
            "frames):\n",
            r->canvas_w, r->canvas_h, f.count);
    fprintf(out, "  Mean %.2f ms, median %.2f ms, p95 %.2f ms\n", f.mean, f.median, f.p95);
    double ratio = s.median / f.median;
    fprintf(out, "  %s Median frame / floor frame: %.2fx (aim: at most %.2fx); means: %.2fx\n",
            ratio <= NSP_FLOOR_RATIO_TARGET ? "✓" : "✗", ratio, NSP_FLOOR_RATIO_TARGET, s.mean / f.mean);
}

static void print_targets(FILE *out, const nsp_bench_result_t *r) {
    fprintf(out, "\nDocumented targets (requirements §R3):  %12s %10s %10s\n", "value", "target", "acceptable");
    for (int i = 0; i < NSP_TARGET_COUNT; i++) {
        const nsp_target_t *t = &nsp_targets[i];
        double v = nsp_target_value(r, (nsp_target_id_t)i);
        nsp_verdict_t verdict = nsp_target_judge(t, v);
        char acc[32];
        if (isinf(t->acceptable)) {
            snprintf(acc, sizeof acc, "-");
        } else {
            snprintf(acc, sizeof acc, "< %g", t->acceptable);
        }
        char tgt[32];
        snprintf(tgt, sizeof tgt, "< %g", t->target);
        if (verdict == NSP_VERDICT_NA) {
            const char *why = i == NSP_TARGET_SKIP_RATE ? "not measured: run with --fps 25"
                                                        : "not measured in this run";
            fprintf(out, "  - %-36s %s\n", t->label, why);
        } else {
            fprintf(out, "  %s %-36s %8.3f %-3s %10s %10s\n", nsp_verdict_mark(verdict), t->label, v, t->unit,
                    tgt, acc);
            if (i == NSP_TARGET_PAINT) {
                fprintf(out, "      (paint measured by: %s)\n", nsp_paint_source_name(nsp_paint_source(r)));
            }
        }
    }
    if (r->fps > 0.0) {
        fprintf(out, "  Real-time playback at %g fps: %" PRId64 " shown, %" PRId64 " dropped\n", r->fps, r->shown,
                r->dropped);
    }
}

static void print_work(FILE *out, const nsp_bench_result_t *r) {
    const nsp_render_counters_t *c = &r->counters_frame;
    fprintf(out, "\nWork per frame (last timed frame): %" PRIu64 " draw calls, %" PRIu64 " vertices, %" PRIu64
                 " bytes uploaded, %" PRIu64 " texture uploads, %" PRIu64 " buffer uploads\n",
            c->draw_calls, c->vertices, c->bytes_uploaded, c->texture_uploads, c->buffer_uploads);
    if (r->allocations_during_playback != UINT64_MAX) {
        fprintf(out, "Heap allocations during playback: %" PRIu64 "\n", r->allocations_during_playback);
    }
    fprintf(out, "Machine: %s; %s; %s (%d cores); %s build, %s, commit %s\n", r->machine.gl_renderer,
            r->machine.gl_version, r->machine.cpu, r->machine.cores, r->machine.build_type, r->machine.compiler,
            r->machine.commit);
}

void nsp_report_print(FILE *out, const nsp_bench_result_t *r) {
    fprintf(out, "\n%s\nNSPLAY PLAYBACK BENCHMARK RESULTS\n%s\n\n", RULE, RULE);
    print_overlays(out, r->scenario.overlays);
    fprintf(out, "\nSetup time: %.3fs\n", r->setup_s);
    if (!isnan(r->setup_scenario_s)) {
        fprintf(out, "  scenario generation %.1f ms", 1000.0 * r->setup_scenario_s);
        if (!isnan(r->setup_context_s)) {
            fprintf(out, ", context creation %.1f ms", 1000.0 * r->setup_context_s);
        }
        if (!isnan(r->setup_renderer_s)) {
            fprintf(out, ", renderer initialisation (shader compilation) %.1f ms; Mesa shader cache %s",
                    1000.0 * r->setup_renderer_s, r->shader_cache);
        }
        fprintf(out, "\n");
    }
    fprintf(out, "\n");
    if (r->playback && r->frames > 0) {
        print_frame_timing(out, r);
    } else {
        fprintf(out, "Playback not measured (--no-playback).\n");
    }
    fprintf(out, "%s\n", RULE);
    if (r->playback && r->frames > 0) {
        print_phases(out, r);
        print_floor(out, r);
    }
    print_targets(out, r);
    if (r->playback && r->frames > 0) {
        print_work(out, r);
    }
}

// JSON: summary + raw samples for one series.
static cJSON *series_json(const double *ms, size_t n) {
    cJSON *o = cJSON_CreateObject();
    nsp_summary_t s = nsp_bench_summary(ms, n);
    cJSON_AddNumberToObject(o, "count", (double)s.count);
    if (s.count > 0) {
        cJSON_AddNumberToObject(o, "mean", s.mean);
        cJSON_AddNumberToObject(o, "median", s.median);
        cJSON_AddNumberToObject(o, "p95", s.p95);
        cJSON_AddNumberToObject(o, "min", s.min);
        cJSON_AddNumberToObject(o, "max", s.max);
        cJSON_AddNumberToObject(o, "mad", s.mad);
        cJSON_AddNumberToObject(o, "median_ci_lo", s.median_lo);
        cJSON_AddNumberToObject(o, "median_ci_hi", s.median_hi);
    }
    cJSON *raw = cJSON_AddArrayToObject(o, "samples");
    for (size_t i = 0; i < n; i++) {
        // JSON has no NaN: unmeasured samples are null.
        cJSON_AddItemToArray(raw, isnan(ms[i]) ? cJSON_CreateNull() : cJSON_CreateNumber(ms[i]));
    }
    return o;
}

static cJSON *counters_json(const nsp_render_counters_t *c) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "frames", (double)c->frames);
    cJSON_AddNumberToObject(o, "draw_calls", (double)c->draw_calls);
    cJSON_AddNumberToObject(o, "vertices", (double)c->vertices);
    cJSON_AddNumberToObject(o, "bytes_uploaded", (double)c->bytes_uploaded);
    cJSON_AddNumberToObject(o, "texture_uploads", (double)c->texture_uploads);
    cJSON_AddNumberToObject(o, "buffer_uploads", (double)c->buffer_uploads);
    return o;
}

static cJSON *result_json(const nsp_bench_result_t *r) {
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", NSP_BENCH_SCHEMA);
    cJSON *sc = cJSON_AddObjectToObject(root, "scenario");
    cJSON_AddNumberToObject(sc, "frames", (double)r->scenario.frames);
    cJSON_AddNumberToObject(sc, "playback_frames", (double)r->scenario.playback_frames);
    cJSON_AddNumberToObject(sc, "grid_size", r->scenario.grid_size);
    char seed[24], digest[24];
    snprintf(seed, sizeof seed, "%" PRIu64, r->scenario.seed);
    snprintf(digest, sizeof digest, "%016" PRIx64, r->digest);
    cJSON_AddStringToObject(sc, "seed", seed);  // A string: JSON numbers lose 64-bit integers.
    cJSON_AddNumberToObject(sc, "sample_rate_hz", r->scenario.sample_rate_hz);
    cJSON_AddNumberToObject(sc, "bodyparts", r->scenario.bodyparts);
    cJSON_AddNumberToObject(sc, "trail_frames", r->scenario.trail_frames);
    cJSON *ov = cJSON_AddArrayToObject(sc, "overlays");
    for (int i = 0; i < NSP_OVERLAY_COUNT; i++) {
        if (r->scenario.overlays & (1u << i)) {
            cJSON_AddItemToArray(ov, cJSON_CreateString(nsp_overlay_name(i)));
        }
    }
    cJSON_AddStringToObject(sc, "digest", digest);
    cJSON *canvas = cJSON_AddObjectToObject(root, "canvas");
    cJSON_AddNumberToObject(canvas, "width", r->canvas_w);
    cJSON_AddNumberToObject(canvas, "height", r->canvas_h);
    cJSON_AddBoolToObject(canvas, "headless", r->headless);
    cJSON_AddNumberToObject(root, "setup_s", r->setup_s);
    // Parts not measured (the null backend has no context) are null.
    cJSON *setup = cJSON_AddObjectToObject(root, "setup");
    const double parts[3] = {r->setup_scenario_s, r->setup_context_s, r->setup_renderer_s};
    const char *const part_names[3] = {"scenario_s", "context_s", "renderer_s"};
    for (int i = 0; i < 3; i++) {
        if (isnan(parts[i])) {
            cJSON_AddNullToObject(setup, part_names[i]);
        } else {
            cJSON_AddNumberToObject(setup, part_names[i], parts[i]);
        }
    }
    cJSON_AddStringToObject(setup, "shader_cache", r->shader_cache);
    cJSON_AddBoolToObject(root, "playback", r->playback);
    cJSON_AddItemToObject(root, "frame_ms", series_json(r->frame_ms, r->frames));
    cJSON_AddItemToObject(root, "floor_ms", series_json(r->floor_ms, r->frames));
    // The probes (probe.h): optional in a file, so results written before
    // them still read (the gate then has no probe to judge by; the probes'
    // former names, probe_ms and setup_probe_ms, timed other work and are
    // not read as these).
    cJSON_AddItemToObject(root, "cpu_probe_ms", series_json(r->cpu_probe_ms, r->frames));
    if (!isnan(r->fault_probe_ms)) {
        cJSON_AddNumberToObject(root, "fault_probe_ms", r->fault_probe_ms);
    }
    if (!isnan(r->fault_probe_after_ms)) {
        cJSON_AddNumberToObject(root, "fault_probe_after_ms", r->fault_probe_after_ms);
    }
    cJSON *phases = cJSON_AddObjectToObject(root, "phases_ms");
    for (int i = 0; i < r->phase_count; i++) {
        cJSON_AddItemToObject(phases, r->phases[i].name, series_json(r->phases[i].ms, r->frames));
    }
    cJSON *targets = cJSON_AddObjectToObject(root, "targets");
    for (int i = 0; i < NSP_TARGET_COUNT; i++) {
        const nsp_target_t *t = &nsp_targets[i];
        double v = nsp_target_value(r, (nsp_target_id_t)i);
        cJSON *o = cJSON_AddObjectToObject(targets, t->key);
        cJSON_AddItemToObject(o, "value", isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(v));
        cJSON_AddNumberToObject(o, "target", t->target);
        cJSON_AddItemToObject(o, "acceptable",
                              isinf(t->acceptable) ? cJSON_CreateNull() : cJSON_CreateNumber(t->acceptable));
        cJSON_AddStringToObject(o, "verdict", nsp_verdict_name(nsp_target_judge(t, v)));
        if (i == NSP_TARGET_PAINT) {
            cJSON_AddStringToObject(o, "source", nsp_paint_source_name(nsp_paint_source(r)));
        }
    }
    if (r->fps > 0.0) {
        cJSON *rt = cJSON_AddObjectToObject(root, "realtime");
        cJSON_AddNumberToObject(rt, "fps", r->fps);
        cJSON_AddNumberToObject(rt, "shown", (double)r->shown);
        cJSON_AddNumberToObject(rt, "dropped", (double)r->dropped);
    }
    cJSON *mem = cJSON_AddObjectToObject(root, "memory");
    cJSON_AddNumberToObject(mem, "rss_first_kib", (double)r->rss_first_kib);
    cJSON_AddNumberToObject(mem, "rss_last_kib", (double)r->rss_last_kib);
    cJSON *work = cJSON_AddObjectToObject(root, "work");
    cJSON_AddItemToObject(work, "per_frame", counters_json(&r->counters_frame));
    cJSON_AddItemToObject(work, "total", counters_json(&r->counters_total));
    if (r->allocations_during_playback != UINT64_MAX) {
        cJSON_AddNumberToObject(work, "allocations_during_playback", (double)r->allocations_during_playback);
    }
    cJSON *m = cJSON_AddObjectToObject(root, "machine");
    cJSON_AddStringToObject(m, "gl_renderer", r->machine.gl_renderer);
    cJSON_AddStringToObject(m, "gl_version", r->machine.gl_version);
    cJSON_AddStringToObject(m, "cpu", r->machine.cpu);
    cJSON_AddNumberToObject(m, "cores", r->machine.cores);
    cJSON_AddStringToObject(m, "build_type", r->machine.build_type);
    cJSON_AddStringToObject(m, "compiler", r->machine.compiler);
    cJSON_AddStringToObject(m, "commit", r->machine.commit);
    return root;
}

int nsp_report_write_json(const char *path, const nsp_bench_result_t *r) {
    cJSON *root = result_json(r);
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        nsp_log(NSP_LOG_ERROR, "%s: out of memory building the JSON report", path);
        return NSP_ENOMEM;
    }
    size_t len = strlen(text);
    text[len] = '\n';  // cJSON_Print's buffer ends in a NUL we may overwrite.
    int err = nsp_file_write_atomic(path, text, len + 1);
    free(text);
    return err;
}

// Reading back: every number through the shared JSON getters, checked here
// for what it can be (finite, in range, the right sign and integer-ness),
// so no caller converts an unchecked double. Each getter logs what it
// expected where the file differs; the first problem is the one reported.
#define COUNT_MAX 9007199254740992LL  // 2^53: counts exact in a double.
#define MS_MAX 86400000.0             // A sample of a day is not a frame.
#define SECONDS_MAX 86400.0
#define PIXELS_MAX 65536
#define CORES_MAX 65536

typedef struct reader {
    const char *path;
    int err;
} reader_t;

static const cJSON *field(reader_t *rd, const cJSON *o, const char *key, const char *where) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v && rd->err == 0) {
        nsp_log(NSP_LOG_ERROR, "%s: %s: expected a field '%s'", rd->path, where, key);
        rd->err = NSP_EFORMAT;
    }
    return v;
}

// "scenario" -> at "scenario." for messages such as
// "r.json: scenario.frames: expected an integer in 1..10000000, got 0".
static nsp_json_at_t at_of(const reader_t *rd, const char *where, char *buf, size_t cap) {
    snprintf(buf, cap, "%s.", where);
    return (nsp_json_at_t){rd->path, buf, -1};
}

static double number(reader_t *rd, const cJSON *o, const char *key, const char *where, double lo, double hi) {
    char buf[96];
    nsp_json_at_t at = at_of(rd, where, buf, sizeof buf);
    double v = NAN;
    if (rd->err == 0 && nsp_json_get_number(o, key, lo, hi, &at, &v) != 0) {
        rd->err = NSP_EFORMAT;
    }
    return v;
}

static int64_t integer(reader_t *rd, const cJSON *o, const char *key, const char *where, int64_t lo, int64_t hi) {
    char buf[96];
    nsp_json_at_t at = at_of(rd, where, buf, sizeof buf);
    int64_t v = lo;
    if (rd->err == 0 && nsp_json_get_int(o, key, lo, hi, &at, &v) != 0) {
        rd->err = NSP_EFORMAT;
    }
    return rd->err ? lo : v;
}

static const char *string(reader_t *rd, const cJSON *o, const char *key, const char *where) {
    const cJSON *v = field(rd, o, key, where);
    if (v && !cJSON_IsString(v)) {
        if (rd->err == 0) {
            nsp_log(NSP_LOG_ERROR, "%s: %s.%s: expected a string, got %s", rd->path, where, key,
                    nsp_json_type_name(v));
            rd->err = NSP_EFORMAT;
        }
        return "";
    }
    return v ? v->valuestring : "";
}

static bool boolean(reader_t *rd, const cJSON *o, const char *key, const char *where) {
    char buf[96];
    nsp_json_at_t at = at_of(rd, where, buf, sizeof buf);
    bool v = false;
    if (rd->err == 0 && nsp_json_get_bool(o, key, &at, &v) != 0) {
        rd->err = NSP_EFORMAT;
    }
    return v;
}

static void copy_string(reader_t *rd, const cJSON *o, const char *key, const char *where, char *out, size_t cap) {
    snprintf(out, cap, "%s", string(rd, o, key, where));
}

// A whole string of digits in base (10 or 16) that fits 64 bits, at most
// max_digits long (0: any).
static uint64_t digits(reader_t *rd, const cJSON *o, const char *key, const char *where, int base,
                       size_t max_digits) {
    const char *text = string(rd, o, key, where);
    if (rd->err) {
        return 0;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, base);
    bool ok = text[0] != '\0' && isxdigit((unsigned char)text[0]) && *end == '\0' && errno == 0 &&
              (max_digits == 0 || strlen(text) <= max_digits);
    if (!ok) {
        nsp_log(NSP_LOG_ERROR, "%s: %s.%s: expected %s, got '%.40s'", rd->path, where, key,
                base == 16 ? "16 hexadecimal digits" : "a decimal integer in 0..18446744073709551615", text);
        rd->err = NSP_EFORMAT;
        return 0;
    }
    return v;
}

static void read_counters(reader_t *rd, const cJSON *o, const char *where, nsp_render_counters_t *c) {
    c->frames = (uint64_t)integer(rd, o, "frames", where, 0, COUNT_MAX);
    c->draw_calls = (uint64_t)integer(rd, o, "draw_calls", where, 0, COUNT_MAX);
    c->vertices = (uint64_t)integer(rd, o, "vertices", where, 0, COUNT_MAX);
    c->bytes_uploaded = (uint64_t)integer(rd, o, "bytes_uploaded", where, 0, COUNT_MAX);
    c->texture_uploads = (uint64_t)integer(rd, o, "texture_uploads", where, 0, COUNT_MAX);
    c->buffer_uploads = (uint64_t)integer(rd, o, "buffer_uploads", where, 0, COUNT_MAX);
}

// A series' raw samples into out (n of them): milliseconds in 0..MS_MAX, or
// null for a frame with no sample (NaN).
static void read_samples(reader_t *rd, const cJSON *series, const char *where, double *out, size_t n) {
    const cJSON *raw = field(rd, series, "samples", where);
    if (rd->err) {
        return;
    }
    if (!cJSON_IsArray(raw) || (size_t)cJSON_GetArraySize(raw) != n) {
        nsp_log(NSP_LOG_ERROR, "%s: %s.samples: expected an array of %zu samples", rd->path, where, n);
        rd->err = NSP_EFORMAT;
        return;
    }
    char buf[96];
    snprintf(buf, sizeof buf, "%s sample ", where);
    size_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, raw) {
        const nsp_json_at_t at = {rd->path, buf, (long)i};
        if (cJSON_IsNull(x)) {
            out[i++] = NAN;
        } else if (nsp_json_check_number(x, "ms", 0.0, MS_MAX, &at, &out[i++]) != 0) {
            rd->err = NSP_EFORMAT;
            return;
        }
    }
}

static void read_scenario(reader_t *rd, const cJSON *sc, nsp_bench_result_t *r) {
    r->scenario.frames = integer(rd, sc, "frames", "scenario", 1, NSP_FRAMES_MAX);
    r->scenario.playback_frames = integer(rd, sc, "playback_frames", "scenario", 1, NSP_FRAMES_MAX);
    r->scenario.grid_size = (int)integer(rd, sc, "grid_size", "scenario", NSP_GRID_MIN, NSP_GRID_MAX);
    r->scenario.seed = digits(rd, sc, "seed", "scenario", 10, 0);
    r->scenario.sample_rate_hz = number(rd, sc, "sample_rate_hz", "scenario", 1e-3, NSP_RATE_MAX_HZ);
    r->scenario.bodyparts = (int)integer(rd, sc, "bodyparts", "scenario", 2, NSP_BODYPARTS_MAX);
    r->scenario.trail_frames = (int)integer(rd, sc, "trail_frames", "scenario", 1, NSP_TRAIL_MAX);
    r->digest = digits(rd, sc, "digest", "scenario", 16, 16);
    const cJSON *ov = field(rd, sc, "overlays", "scenario");
    if (rd->err == 0 && !cJSON_IsArray(ov)) {
        nsp_log(NSP_LOG_ERROR, "%s: scenario.overlays: expected an array of overlay names, got %s", rd->path,
                nsp_json_type_name(ov));
        rd->err = NSP_EFORMAT;
        return;
    }
    const cJSON *name;
    cJSON_ArrayForEach(name, ov) {
        int found = -1;
        for (int i = 0; i < NSP_OVERLAY_COUNT; i++) {
            if (cJSON_IsString(name) && strcmp(name->valuestring, nsp_overlay_name(i)) == 0) {
                found = i;
            }
        }
        if (found < 0) {
            if (rd->err == 0) {
                nsp_log(NSP_LOG_ERROR, "%s: scenario.overlays: expected overlay names, got %s%s%s", rd->path,
                        cJSON_IsString(name) ? "'" : nsp_json_type_name(name),
                        cJSON_IsString(name) ? name->valuestring : "", cJSON_IsString(name) ? "'" : "");
                rd->err = NSP_EFORMAT;
            }
            return;
        }
        r->scenario.overlays |= 1u << found;
    }
}

// Set-up's parts: a number, or null when not measured.
static void read_setup(reader_t *rd, const cJSON *setup, nsp_bench_result_t *r) {
    if (rd->err) {
        return;
    }
    double *parts[3] = {&r->setup_scenario_s, &r->setup_context_s, &r->setup_renderer_s};
    const char *const part_names[3] = {"scenario_s", "context_s", "renderer_s"};
    for (int i = 0; i < 3; i++) {
        const cJSON *v = field(rd, setup, part_names[i], "setup");
        *parts[i] = cJSON_IsNull(v) ? NAN : number(rd, setup, part_names[i], "setup", 0.0, SECONDS_MAX);
    }
    copy_string(rd, setup, "shader_cache", "setup", r->shader_cache, sizeof r->shader_cache);
}

static void read_result(reader_t *rd, const cJSON *root, nsp_bench_result_t *r) {
    const char *schema = string(rd, root, "schema", "the file");
    const bool v1 = rd->err == 0 && strcmp(schema, NSP_BENCH_SCHEMA_V1) == 0;
    if (rd->err == 0 && !v1 && strcmp(schema, NSP_BENCH_SCHEMA) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: schema '%s', expected %s or %s (written by another version of nsplay?)",
                rd->path, schema, NSP_BENCH_SCHEMA, NSP_BENCH_SCHEMA_V1);
        rd->err = NSP_EFORMAT;
    }
    const cJSON *frame = field(rd, root, "frame_ms", "the file");
    const cJSON *floor = field(rd, root, "floor_ms", "the file");
    const cJSON *phases = field(rd, root, "phases_ms", "the file");
    if (rd->err) {
        return;
    }
    // Every series has one sample per timed frame.
    const cJSON *raw = cJSON_GetObjectItemCaseSensitive(frame, "samples");
    size_t n = cJSON_IsArray(raw) ? (size_t)cJSON_GetArraySize(raw) : 0;
    if (n > (size_t)NSP_FRAMES_MAX) {
        nsp_log(NSP_LOG_ERROR, "%s: frame_ms.samples: expected at most %d samples, got %zu", rd->path,
                NSP_FRAMES_MAX, n);
        rd->err = NSP_EFORMAT;
        return;
    }
    if (nsp_bench_result_init(r, n) != 0) {
        rd->err = NSP_ENOMEM;
        return;
    }
    read_scenario(rd, field(rd, root, "scenario", "the file"), r);
    const cJSON *canvas = field(rd, root, "canvas", "the file");
    r->canvas_w = (int)integer(rd, canvas, "width", "canvas", 1, PIXELS_MAX);
    r->canvas_h = (int)integer(rd, canvas, "height", "canvas", 1, PIXELS_MAX);
    r->headless = boolean(rd, canvas, "headless", "canvas");
    r->setup_s = number(rd, root, "setup_s", "the file", 0.0, SECONDS_MAX);
    if (!v1) {
        read_setup(rd, field(rd, root, "setup", "the file"), r);
    }
    r->playback = boolean(rd, root, "playback", "the file");
    r->frames = n;
    read_samples(rd, frame, "frame_ms", r->frame_ms, n);
    read_samples(rd, floor, "floor_ms", r->floor_ms, n);
    if (rd->err == 0 && !cJSON_IsObject(phases)) {
        nsp_log(NSP_LOG_ERROR, "%s: phases_ms: expected an object of series, got %s", rd->path,
                nsp_json_type_name(phases));
        rd->err = NSP_EFORMAT;
        return;
    }
    const cJSON *probe = cJSON_GetObjectItemCaseSensitive(root, "cpu_probe_ms");
    if (probe) {
        read_samples(rd, probe, "cpu_probe_ms", r->cpu_probe_ms, n);
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "fault_probe_ms")) {
        r->fault_probe_ms = number(rd, root, "fault_probe_ms", "the file", 0.0, SECONDS_MAX * 1000.0);
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "fault_probe_after_ms")) {
        r->fault_probe_after_ms = number(rd, root, "fault_probe_after_ms", "the file", 0.0, SECONDS_MAX * 1000.0);
    }
    const cJSON *p;
    int i = 0;
    cJSON_ArrayForEach(p, phases) {
        // The fixed phases come first, in their order; the steps follow.
        int k = i < NSP_PHASE_FIXED_COUNT ? i : nsp_bench_result_add_phase(r, p->string);
        if (k < 0 || strcmp(r->phases[k].name, p->string) != 0) {
            if (rd->err == 0) {
                nsp_log(NSP_LOG_ERROR, "%s: phases_ms: expected phase %d to be '%s', got '%s'", rd->path, i,
                        k >= 0 ? r->phases[k].name : "(table full)", p->string);
                rd->err = NSP_EFORMAT;
            }
            return;
        }
        char where[64];
        snprintf(where, sizeof where, "phases_ms.%s", p->string);
        read_samples(rd, p, where, r->phases[k].ms, n);
        i++;
    }
    const cJSON *rt = cJSON_GetObjectItemCaseSensitive(root, "realtime");
    if (rt) {
        r->fps = number(rd, rt, "fps", "realtime", 0.1, 1000.0);
        r->shown = integer(rd, rt, "shown", "realtime", 0, COUNT_MAX);
        r->dropped = integer(rd, rt, "dropped", "realtime", 0, COUNT_MAX);
    }
    const cJSON *mem = field(rd, root, "memory", "the file");
    // -1: the resident size could not be read.
    r->rss_first_kib = (long)integer(rd, mem, "rss_first_kib", "memory", -1, COUNT_MAX);
    r->rss_last_kib = (long)integer(rd, mem, "rss_last_kib", "memory", -1, COUNT_MAX);
    const cJSON *work = field(rd, root, "work", "the file");
    read_counters(rd, field(rd, work, "per_frame", "work"), "work.per_frame", &r->counters_frame);
    read_counters(rd, field(rd, work, "total", "work"), "work.total", &r->counters_total);
    r->allocations_during_playback = UINT64_MAX;
    if (cJSON_GetObjectItemCaseSensitive(work, "allocations_during_playback")) {
        r->allocations_during_playback =
            (uint64_t)integer(rd, work, "allocations_during_playback", "work", 0, COUNT_MAX);
    }
    const cJSON *m = field(rd, root, "machine", "the file");
    copy_string(rd, m, "gl_renderer", "machine", r->machine.gl_renderer, sizeof r->machine.gl_renderer);
    copy_string(rd, m, "gl_version", "machine", r->machine.gl_version, sizeof r->machine.gl_version);
    copy_string(rd, m, "cpu", "machine", r->machine.cpu, sizeof r->machine.cpu);
    // 0: the core count could not be read.
    r->machine.cores = (int)integer(rd, m, "cores", "machine", 0, CORES_MAX);
    copy_string(rd, m, "build_type", "machine", r->machine.build_type, sizeof r->machine.build_type);
    copy_string(rd, m, "compiler", "machine", r->machine.compiler, sizeof r->machine.compiler);
    copy_string(rd, m, "commit", "machine", r->machine.commit, sizeof r->machine.commit);
}

int nsp_report_read_json(const char *path, nsp_bench_result_t *r) {
    memset(r, 0, sizeof *r);
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    if (!root) {
        return err;
    }
    reader_t rd = {.path = path};
    if (!cJSON_IsObject(root)) {
        nsp_log(NSP_LOG_ERROR, "%s: expected a JSON object (a bench result, schema %s)", path, NSP_BENCH_SCHEMA);
        rd.err = NSP_EFORMAT;
    } else {
        read_result(&rd, root, r);
    }
    cJSON_Delete(root);
    return rd.err;
}
