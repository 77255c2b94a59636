#include "report.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/fileio.h"
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
    fprintf(out, "\nFloor frame (clear, one textured quad over %dx%d, finish; interleaved, %zu frames):\n",
            r->canvas_w, r->canvas_h, f.count);
    fprintf(out, "  Mean %.2f ms, median %.2f ms, p95 %.2f ms\n", f.mean, f.median, f.p95);
    double ratio = s.mean / f.mean;
    fprintf(out, "  %s Mean frame / floor frame: %.2fx (aim: at most %.2fx); medians: %.2fx\n",
            ratio <= NSP_FLOOR_RATIO_TARGET ? "✓" : "✗", ratio, NSP_FLOOR_RATIO_TARGET, s.median / f.median);
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
    fprintf(out, "\nSetup time: %.3fs\n\n", r->setup_s);
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
    cJSON_AddBoolToObject(root, "playback", r->playback);
    cJSON_AddItemToObject(root, "frame_ms", series_json(r->frame_ms, r->frames));
    cJSON_AddItemToObject(root, "floor_ms", series_json(r->floor_ms, r->frames));
    // The CPU speed probe (probe.h): optional in a file, so results written
    // before it existed still read (the gate then has no probe to judge by).
    cJSON_AddItemToObject(root, "probe_ms", series_json(r->probe_ms, r->frames));
    if (!isnan(r->setup_probe_ms)) {
        cJSON_AddNumberToObject(root, "setup_probe_ms", r->setup_probe_ms);
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

// Reading back. Each getter logs what it expected where the file differs.
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

static double number(reader_t *rd, const cJSON *o, const char *key, const char *where) {
    const cJSON *v = field(rd, o, key, where);
    if (v && !cJSON_IsNumber(v)) {
        if (rd->err == 0) {
            nsp_log(NSP_LOG_ERROR, "%s: %s.%s: expected a number", rd->path, where, key);
            rd->err = NSP_EFORMAT;
        }
        return NAN;
    }
    return v ? v->valuedouble : NAN;
}

static const char *string(reader_t *rd, const cJSON *o, const char *key, const char *where) {
    const cJSON *v = field(rd, o, key, where);
    if (v && !cJSON_IsString(v)) {
        if (rd->err == 0) {
            nsp_log(NSP_LOG_ERROR, "%s: %s.%s: expected a string", rd->path, where, key);
            rd->err = NSP_EFORMAT;
        }
        return "";
    }
    return v ? v->valuestring : "";
}

static void copy_string(reader_t *rd, const cJSON *o, const char *key, const char *where, char *out, size_t cap) {
    snprintf(out, cap, "%s", string(rd, o, key, where));
}

static void read_counters(reader_t *rd, const cJSON *o, const char *where, nsp_render_counters_t *c) {
    c->frames = (uint64_t)number(rd, o, "frames", where);
    c->draw_calls = (uint64_t)number(rd, o, "draw_calls", where);
    c->vertices = (uint64_t)number(rd, o, "vertices", where);
    c->bytes_uploaded = (uint64_t)number(rd, o, "bytes_uploaded", where);
    c->texture_uploads = (uint64_t)number(rd, o, "texture_uploads", where);
    c->buffer_uploads = (uint64_t)number(rd, o, "buffer_uploads", where);
}

// A series' raw samples into out (r->frames of them; null is NaN).
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
    size_t i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, raw) {
        out[i++] = cJSON_IsNumber(x) ? x->valuedouble : NAN;
    }
}

static void read_scenario(reader_t *rd, const cJSON *sc, nsp_bench_result_t *r) {
    r->scenario.frames = (int64_t)number(rd, sc, "frames", "scenario");
    r->scenario.playback_frames = (int64_t)number(rd, sc, "playback_frames", "scenario");
    r->scenario.grid_size = (int)number(rd, sc, "grid_size", "scenario");
    r->scenario.seed = strtoull(string(rd, sc, "seed", "scenario"), NULL, 10);
    r->scenario.sample_rate_hz = number(rd, sc, "sample_rate_hz", "scenario");
    r->scenario.bodyparts = (int)number(rd, sc, "bodyparts", "scenario");
    r->scenario.trail_frames = (int)number(rd, sc, "trail_frames", "scenario");
    r->digest = strtoull(string(rd, sc, "digest", "scenario"), NULL, 16);
    const cJSON *ov = field(rd, sc, "overlays", "scenario");
    const cJSON *name;
    cJSON_ArrayForEach(name, ov) {
        for (int i = 0; i < NSP_OVERLAY_COUNT; i++) {
            if (cJSON_IsString(name) && strcmp(name->valuestring, nsp_overlay_name(i)) == 0) {
                r->scenario.overlays |= 1u << i;
            }
        }
    }
}

static void read_result(reader_t *rd, const cJSON *root, nsp_bench_result_t *r) {
    const char *schema = string(rd, root, "schema", "the file");
    if (rd->err == 0 && strcmp(schema, NSP_BENCH_SCHEMA) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: schema '%s', expected %s (written by another version of nsplay?)", rd->path,
                schema, NSP_BENCH_SCHEMA);
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
    if (nsp_bench_result_init(r, n) != 0) {
        rd->err = NSP_ENOMEM;
        return;
    }
    read_scenario(rd, field(rd, root, "scenario", "the file"), r);
    const cJSON *canvas = field(rd, root, "canvas", "the file");
    r->canvas_w = (int)number(rd, canvas, "width", "canvas");
    r->canvas_h = (int)number(rd, canvas, "height", "canvas");
    r->headless = cJSON_IsTrue(field(rd, canvas, "headless", "canvas"));
    r->setup_s = number(rd, root, "setup_s", "the file");
    r->playback = cJSON_IsTrue(field(rd, root, "playback", "the file"));
    r->frames = n;
    read_samples(rd, frame, "frame_ms", r->frame_ms, n);
    read_samples(rd, floor, "floor_ms", r->floor_ms, n);
    const cJSON *probe = cJSON_GetObjectItemCaseSensitive(root, "probe_ms");
    if (probe) {
        read_samples(rd, probe, "probe_ms", r->probe_ms, n);
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "setup_probe_ms")) {
        r->setup_probe_ms = number(rd, root, "setup_probe_ms", "the file");
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
        r->fps = number(rd, rt, "fps", "realtime");
        r->shown = (int64_t)number(rd, rt, "shown", "realtime");
        r->dropped = (int64_t)number(rd, rt, "dropped", "realtime");
    }
    const cJSON *mem = field(rd, root, "memory", "the file");
    r->rss_first_kib = (long)number(rd, mem, "rss_first_kib", "memory");
    r->rss_last_kib = (long)number(rd, mem, "rss_last_kib", "memory");
    const cJSON *work = field(rd, root, "work", "the file");
    read_counters(rd, field(rd, work, "per_frame", "work"), "work.per_frame", &r->counters_frame);
    read_counters(rd, field(rd, work, "total", "work"), "work.total", &r->counters_total);
    const cJSON *allocs = cJSON_GetObjectItemCaseSensitive(work, "allocations_during_playback");
    r->allocations_during_playback = cJSON_IsNumber(allocs) ? (uint64_t)allocs->valuedouble : UINT64_MAX;
    const cJSON *m = field(rd, root, "machine", "the file");
    copy_string(rd, m, "gl_renderer", "machine", r->machine.gl_renderer, sizeof r->machine.gl_renderer);
    copy_string(rd, m, "gl_version", "machine", r->machine.gl_version, sizeof r->machine.gl_version);
    copy_string(rd, m, "cpu", "machine", r->machine.cpu, sizeof r->machine.cpu);
    r->machine.cores = (int)number(rd, m, "cores", "machine");
    copy_string(rd, m, "build_type", "machine", r->machine.build_type, sizeof r->machine.build_type);
    copy_string(rd, m, "compiler", "machine", r->machine.compiler, sizeof r->machine.compiler);
    copy_string(rd, m, "commit", "machine", r->machine.commit, sizeof r->machine.commit);
}

int nsp_report_read_json(const char *path, nsp_bench_result_t *r) {
    memset(r, 0, sizeof *r);
    char *text = NULL;
    size_t len = 0;
    int err = nsp_file_read_all(path, &text, &len);
    if (err) {
        return err;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        int line = 1, column = 1;
        for (const char *c = text; end && c < end && *c; c++) {
            line += *c == '\n';
            column = *c == '\n' ? 1 : column + 1;
        }
        nsp_log(NSP_LOG_ERROR, "%s:%d:%d: malformed JSON (expected a bench result, schema %s)", path, line, column,
                NSP_BENCH_SCHEMA);
        free(text);
        return NSP_EFORMAT;
    }
    free(text);
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
