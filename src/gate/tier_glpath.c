// Tier e: the GL path under callgrind and apitrace (tier_glpath.h).
#include "tier_glpath.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "bench/report.h"
#include "gate_internal.h"
#include "json/json.h"


// The environment of both counted runs; printed as is in the commands that
// reproduce them. LIBGL_ALWAYS_SOFTWARE picks llvmpipe on a machine with a
// GPU too.
static const char *const PINNED_ENV[] = {
    "MESA_SHADER_CACHE_DISABLE=true",
    "LP_NUM_THREADS=0",
    "GALLIUM_OVERRIDE_CPU_CAPS=" NSP_GLPATH_CPU_CAPS,
    "LP_NATIVE_VECTOR_WIDTH=" NSP_GLPATH_VECTOR_WIDTH,
    "LIBGL_ALWAYS_SOFTWARE=true",
    NULL,
};

// The phases of a timed frame: the functions of src/cli/bench.c whose
// inclusive cost callgrind reports (gcc may add a suffix such as .isra.0).
static const char *const PHASES[][2] = {
    {"frame_step", "step"},
    {"frame_upload", "upload"},
    {"frame_submit", "submit"},
    {"frame_raster", "raster"},
};
// The GL backend's early start of the raster (render_gl.c: a flush inside
// frame_submit, where a single-threaded llvmpipe shades the field): counted
// as raster, not submit. Absent from frames that do not flush early.
static const char RASTER_BEGIN[] = "raster_begin";

static bool on_path(const char *prog) {
    const char *path = getenv("PATH");
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path ? path : "/usr/bin:/bin");
    char *save = NULL;
    for (char *dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char file[4200];
        snprintf(file, sizeof file, "%s/%s", dir, prog);
        if (access(file, X_OK) == 0) {
            return true;
        }
    }
    return false;
}

// argv of `env PINNED... <tool...> exe bench <scenario> --headless --no-floor
// --playback-frames N --json json`, and the same as one shell line.
static int counted_argv(const char **argv, int cap, const char *const *tool, const char *exe,
                        const nsp_gate_scenario_t *sc, const char *json, char *line, size_t line_cap) {
    static char frames[16];
    snprintf(frames, sizeof frames, "%d", NSP_GLPATH_FRAMES);
    int n = 0;
    argv[n++] = "env";
    for (int i = 0; PINNED_ENV[i]; i++) {
        argv[n++] = PINNED_ENV[i];
    }
    for (int i = 0; tool[i]; i++) {
        argv[n++] = tool[i];
    }
    argv[n++] = exe;
    argv[n++] = "bench";
    for (int i = 0; sc->args[i] && n < cap - 10; i++) {
        argv[n++] = sc->args[i];
    }
    const char *tail[] = {"--headless", "--no-floor", "--playback-frames", frames, "--json", json, NULL};
    for (int i = 0; tail[i]; i++) {
        argv[n++] = tail[i];
    }
    argv[n] = NULL;
    line[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t used = strlen(line);
        snprintf(line + used, line_cap - used, "%s%s", i > 0 ? " " : "", argv[i]);
    }
    return n;
}

static void add(nsp_gate_metrics_t *m, const char *name, double v) {
    for (int i = 0; i < m->n; i++) {
        if (strcmp(m->name[i], name) == 0) {
            m->v[i] += v;
            return;
        }
    }
    if (m->n < NSP_GATE_MAX_METRICS) {
        snprintf(m->name[m->n], NSP_GATE_NAME_MAX, "%s", name);
        m->v[m->n++] = v;
    }
}

static const double *find(const nsp_gate_metrics_t *m, const char *name) {
    for (int i = 0; i < m->n; i++) {
        if (strcmp(m->name[i], name) == 0) {
            return &m->v[i];
        }
    }
    return NULL;
}

// The software stack from the counted run's own report: compiler and build
// type, GL renderer (llvmpipe, its LLVM and vector width), Mesa, valgrind,
// the pinned capabilities.
static int read_stack(const char *json, const char *log, nsp_glpath_t *g) {
    nsp_bench_result_t r;
    int err = nsp_report_read_json(json, &r);
    if (err) {
        nsp_bench_result_destroy(&r);
        return err;
    }
    snprintf(g->digest, sizeof g->digest, "%016" PRIx64, r.digest);
    char renderer[128], version[128], toolchain[64];
    snprintf(renderer, sizeof renderer, "%s", r.machine.gl_renderer);
    snprintf(version, sizeof version, "%s", r.machine.gl_version);
    nsp_gate_toolchain(&r.machine, toolchain, sizeof toolchain);
    nsp_bench_result_destroy(&r);
    if (!strstr(renderer, "llvmpipe")) {
        snprintf(g->skip, sizeof g->skip, "the GL path is counted on llvmpipe; this run got '%.80s'", renderer);
        return 0;
    }
    const char *mesa = strstr(version, "Mesa ");
    char valgrind[64] = "valgrind";
    FILE *f = fopen(log, "r");
    if (f) {
        if (!fgets(valgrind, sizeof valgrind, f)) {
            snprintf(valgrind, sizeof valgrind, "valgrind");
        }
        fclose(f);
    }
    // The toolchain key of tier b (compiler, build type, architecture), then
    // the GL stack and the pin.
    char raw[512];
    snprintf(raw, sizeof raw, "%s %s mesa %s %s caps %s", toolchain, renderer, mesa ? mesa + 5 : "unknown", valgrind,
             NSP_GLPATH_CPU_CAPS);
    nsp_gate_slug(raw, g->stack, sizeof g->stack);
    return 0;
}

int nsp_glpath_read_annotate(const char *path, nsp_glpath_t *g) {
    FILE *f = fopen(path, "r");
    if (!f) {
        nsp_log(NSP_LOG_ERROR, "cannot read %s", path);
        return NSP_EIO;
    }
    char line[1024];
    double phase[4] = {NAN, NAN, NAN, NAN}, total = NAN, early = 0.0;
    while (fgets(line, sizeof line, f)) {
        double v;
        const char *p;
        if (!nsp_gate_annotate_count(line, &v, &p)) {
            continue;
        }
        if (strstr(p, "PROGRAM TOTALS")) {
            total = v;
            continue;
        }
        const char *colon = strchr(p, ':');
        if (!colon) {
            continue;
        }
        char fn[128];
        if (sscanf(colon + 1, "%127s", fn) != 1) {
            continue;
        }
        char *dot = strchr(fn, '.');
        if (dot) {
            *dot = '\0';
        }
        for (int i = 0; i < 4; i++) {
            if (strcmp(fn, PHASES[i][0]) == 0 && isnan(phase[i])) {
                phase[i] = v;
            }
        }
        if (strcmp(fn, RASTER_BEGIN) == 0 && early == 0.0) {
            early = v;
        }
    }
    fclose(f);
    if (isnan(total)) {
        nsp_log(NSP_LOG_ERROR, "%s: no PROGRAM TOTALS line from callgrind_annotate", path);
        return NSP_EFORMAT;
    }
    memset(&g->instructions, 0, sizeof g->instructions);
    if (!isnan(phase[2]) && !isnan(phase[3]) && early <= phase[2]) {
        phase[2] -= early;
        phase[3] += early;
    }
    for (int i = 0; i < 4; i++) {
        if (isnan(phase[i])) {
            nsp_log(NSP_LOG_ERROR, "%s: no function %s in callgrind's output (a stripped binary?)", path, PHASES[i][0]);
            return NSP_EFORMAT;
        }
        add(&g->instructions, PHASES[i][1], phase[i]);
    }
    add(&g->instructions, "frame", total);
    g->has_instructions = true;
    return 0;
}

static bool starts(const char *s, const char *prefix) {
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

// One GL call of a counted frame: its kind, and the bytes of its data (the
// size of apitrace's blob argument).
static void count_call(nsp_glpath_t *g, const char *fn, const char *args) {
    double bytes = 0.0;
    const char *blob = strstr(args, "blob(");
    if (blob) {
        bytes = strtod(blob + 5, NULL);
    }
    add(&g->functions, fn, 1.0);
    add(&g->calls, "gl_calls", 1.0);
    if (starts(fn, "glDraw") || starts(fn, "glMultiDraw")) {
        add(&g->calls, "draw_calls", 1.0);
    } else if (starts(fn, "glTexImage") || starts(fn, "glTexStorage") || starts(fn, "glCompressedTexImage")) {
        add(&g->calls, "texture_specifications", 1.0);
        add(&g->calls, "texture_specification_bytes", bytes);
    } else if (starts(fn, "glTexSubImage") || starts(fn, "glCompressedTexSubImage")) {
        add(&g->calls, "texture_uploads", 1.0);
        add(&g->calls, "texture_upload_bytes", bytes);
    } else if (starts(fn, "glBufferData") || starts(fn, "glBufferSubData") || starts(fn, "glMapBuffer")) {
        add(&g->calls, "buffer_uploads", 1.0);
        add(&g->calls, "buffer_upload_bytes", bytes);
    } else if (strcmp(fn, "glUseProgram") == 0) {
        add(&g->calls, "program_binds", 1.0);
    } else if (strcmp(fn, "glBindTexture") == 0) {
        add(&g->calls, "texture_binds", 1.0);
    } else if (strcmp(fn, "glFlush") == 0) {
        add(&g->calls, "flushes", 1.0);
    } else if (strcmp(fn, "glFinish") == 0) {
        add(&g->calls, "finishes", 1.0);
    } else if (starts(fn, "glClear") && !starts(fn, "glClearColor")) {
        add(&g->calls, "clears", 1.0);
    } else if (starts(fn, "glGet") || strstr(fn, "Query")) {
        add(&g->calls, "queries", 1.0);
    } else {
        add(&g->calls, "state_changes", 1.0);
    }
}

int nsp_glpath_read_dump(const char *path, nsp_glpath_t *g) {
    FILE *f = fopen(path, "r");
    if (!f) {
        nsp_log(NSP_LOG_ERROR, "cannot read %s", path);
        return NSP_EIO;
    }
    static const char *const kinds[] = {
        "draw_calls", "texture_specifications", "texture_specification_bytes", "texture_uploads",
        "texture_upload_bytes", "buffer_uploads", "buffer_upload_bytes", "program_binds", "texture_binds",
        "state_changes", "clears", "queries", "flushes", "finishes", "gl_calls",
    };
    memset(&g->calls, 0, sizeof g->calls);
    memset(&g->functions, 0, sizeof g->functions);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        add(&g->calls, kinds[i], 0.0);
    }
    char line[4096];
    int frames = 0;
    bool done = false;
    while (!done && fgets(line, sizeof line, f)) {
        // "872 glTexSubImage2D(target = GL_TEXTURE_2D, ..., pixels = blob(40000))"
        char *p = line;
        if (!isdigit((unsigned char)*p)) {
            continue;
        }
        while (isdigit((unsigned char)*p)) {
            p++;
        }
        if (*p++ != ' ' || !starts(p, "gl")) {
            continue;
        }
        char *paren = strchr(p, '(');
        if (!paren || paren - p >= NSP_GATE_NAME_MAX) {
            continue;
        }
        *paren = '\0';
        const char *fn = p, *args = paren + 1;
        // Each frame's calls end with the tracer's frame terminator (the
        // backend's, render_gl.c): those after the warm-up frame's count,
        // each frame's glFinish with the frame after it.
        if (strcmp(fn, "glFrameTerminatorGREMEDY") == 0) {
            frames++;
            continue;
        } else if (frames > 0 && starts(fn, "glDelete")) {
            done = true;
            continue;
        }
        if (frames >= 1 && frames <= NSP_GLPATH_FRAMES) {
            count_call(g, fn, args);
        }
    }
    fclose(f);
    if (frames - 1 != NSP_GLPATH_FRAMES) {
        nsp_log(NSP_LOG_ERROR, "%s: expected %d timed frames after the warm-up frame (one "
                "glFrameTerminatorGREMEDY() a frame), found %d", path, NSP_GLPATH_FRAMES, frames - 1);
        return NSP_EFORMAT;
    }
    g->has_calls = true;
    return 0;
}

int nsp_glpath_measure(const char *exe, const nsp_gate_scenario_t *sc, const char *work_dir, nsp_glpath_t *g) {
    memset(g, 0, sizeof *g);
    char out_file[1100], cg[1024], json[1024], log[1024], ann[1024], vlog[1024];
    snprintf(cg, sizeof cg, "%s/%s.glpath.callgrind", work_dir, sc->name);
    snprintf(out_file, sizeof out_file, "--callgrind-out-file=%s", cg);
    snprintf(json, sizeof json, "%s/%s.glpath.json", work_dir, sc->name);
    snprintf(log, sizeof log, "%s/%s.glpath.log", work_dir, sc->name);
    snprintf(ann, sizeof ann, "%s/%s.glpath.annotate.txt", work_dir, sc->name);
    snprintf(vlog, sizeof vlog, "%s/%s.valgrind-version.txt", work_dir, sc->name);
    if (!on_path("valgrind") || !on_path("callgrind_annotate")) {
        snprintf(g->skip, sizeof g->skip, "valgrind is not installed: the GL path's instructions are not counted");
    } else {
        const char *tool[] = {"valgrind", "--tool=callgrind", "--instr-atstart=no", out_file, NULL};
        const char *argv[64];
        counted_argv(argv, 64, tool, exe, sc, json, g->instr_cmd, sizeof g->instr_cmd);
        unlink(json);
        int status = nsp_gate_spawn(argv, log);
        if (status == 3) {
            snprintf(g->skip, sizeof g->skip, "no GL context here (the bench exited 3): tier e not run");
            return 0;
        }
        if (status != 0) {
            nsp_log(NSP_LOG_ERROR, "the GL path's callgrind run of %s exited with status %d; its output is in %s",
                    sc->name, status, log);
            return NSP_EIO;
        }
        const char *vargv[] = {"valgrind", "--version", NULL};
        nsp_gate_spawn(vargv, vlog);
        int err = read_stack(json, vlog, g);
        if (err || g->skip[0]) {
            return err;
        }
        snprintf(g->annotate_cmd, sizeof g->annotate_cmd,
                 "callgrind_annotate --inclusive=yes %s | grep -E 'frame_(step|upload|submit|raster)|%s|TOTALS'", cg,
                 RASTER_BEGIN);
        const char *aargv[] = {"callgrind_annotate", "--inclusive=yes", "--threshold=100", cg, NULL};
        if (nsp_gate_spawn(aargv, ann) != 0) {
            nsp_log(NSP_LOG_ERROR, "callgrind_annotate failed: see %s", ann);
            return NSP_EIO;
        }
        err = nsp_glpath_read_annotate(ann, g);
        if (err) {
            return err;
        }
    }
    char trace[1024], tjson[1024], tlog[1024], dump[1024], trace_out[1100];
    snprintf(trace, sizeof trace, "%s/%s.glpath.trace", work_dir, sc->name);
    snprintf(trace_out, sizeof trace_out, "%s", trace);
    snprintf(tjson, sizeof tjson, "%s/%s.glpath.trace.json", work_dir, sc->name);
    snprintf(tlog, sizeof tlog, "%s/%s.glpath.trace.log", work_dir, sc->name);
    snprintf(dump, sizeof dump, "%s/%s.glpath.calls.txt", work_dir, sc->name);
    if (!on_path("apitrace")) {
        size_t used = strlen(g->skip);
        snprintf(g->skip + used, sizeof g->skip - used, "%sapitrace is not installed: the GL calls are not counted",
                 used ? "; " : "");
        return 0;
    }
    unlink(trace);
    const char *tool[] = {"apitrace", "trace", "--api", "egl", "-o", trace_out, NULL};
    const char *argv[64];
    counted_argv(argv, 64, tool, exe, sc, tjson, g->calls_cmd, sizeof g->calls_cmd);
    int status = nsp_gate_spawn(argv, tlog);
    if (status == 3) {
        snprintf(g->skip, sizeof g->skip, "no GL context here (the bench exited 3): tier e not run");
        g->has_instructions = false;
        return 0;
    }
    if (status != 0) {
        // Most often the tracer wrappers are missing (Debian's
        // apitrace-tracers); the callgrind run above already ran the same
        // bench, so this is the tool, and the calls are skipped, not passed.
        nsp_log(NSP_LOG_WARN, "the GL path's apitrace run of %s exited with status %d; its output is in %s",
                sc->name, status, tlog);
        size_t used = strlen(g->skip);
        snprintf(g->skip + used, sizeof g->skip - used, "%sapitrace failed (see %.120s): the GL calls are not counted",
                 used ? "; " : "", tlog);
        g->calls_cmd[0] = '\0';
        return 0;
    }
    size_t used = strlen(g->calls_cmd);
    snprintf(g->calls_cmd + used, sizeof g->calls_cmd - used, " && apitrace dump --color=never %s", trace);
    const char *dargv[] = {"apitrace", "dump", "--color=never", trace, NULL};
    if (nsp_gate_spawn(dargv, dump) != 0) {
        nsp_log(NSP_LOG_ERROR, "apitrace dump failed: see %s", dump);
        return NSP_EIO;
    }
    if (!g->stack[0]) {
        // Without valgrind the key still names the GL stack.
        int err = read_stack(tjson, "/dev/null", g);
        if (err || strstr(g->skip, "counted on llvmpipe")) {
            return err;
        }
    }
    return nsp_glpath_read_dump(dump, g);
}

void nsp_glpath_path(const char *dir, const char *scenario, const nsp_glpath_t *g, char *out, size_t cap) {
    snprintf(out, cap, "%s/glpath/%s/%s.json", dir, g->stack, scenario);
}

static int read_obj(const char *path, const cJSON *root, const char *key, nsp_gate_metrics_t *m, bool *has) {
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(root, key);
    memset(m, 0, sizeof *m);
    *has = false;
    if (!obj) {
        return 0;
    }
    if (!cJSON_IsObject(obj)) {
        nsp_log(NSP_LOG_ERROR, "%s: \"%s\" should be an object, got %s", path, key, nsp_json_type_name(obj));
        return NSP_EFORMAT;
    }
    // Instructions and calls are counts: integers in 0..2^53, as the other
    // exact tiers' baselines (a 1e999 would make the tier pass for ever).
    char where[64];
    snprintf(where, sizeof where, "%s.", key);
    const nsp_json_at_t at = {.file = path, .where = where, .index = -1};
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) {
        int64_t count = 0;
        if (nsp_json_check_int(v, v->string, 0, INT64_C(9007199254740992), &at, &count) != 0) {
            return NSP_EFORMAT;
        }
        add(m, v->string, (double)count);
    }
    *has = true;
    return 0;
}

int nsp_glpath_load(const char *path, const char *scenario, nsp_glpath_t *base, bool *found) {
    memset(base, 0, sizeof *base);
    *found = access(path, F_OK) == 0;
    if (!*found) {
        return 0;
    }
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    if (!root) {
        return err;
    }
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(root, "kind");
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scenario");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsNumber(schema) || schema->valueint != NSP_GATE_SCHEMA || !cJSON_IsString(kind) ||
        strcmp(kind->valuestring, "glpath") != 0 || !cJSON_IsString(sc) || strcmp(sc->valuestring, scenario) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: expected schema %d, \"kind\": \"glpath\" and \"scenario\": \"%s\"", path,
                NSP_GATE_SCHEMA, scenario);
        err = NSP_EFORMAT;
    }
    nsp_json_copy_string(root, "digest", base->digest, sizeof base->digest);
    nsp_json_copy_string(root, "stack", base->stack, sizeof base->stack);
    bool has_functions = false;
    if (!err) {
        err = read_obj(path, root, "instructions", &base->instructions, &base->has_instructions);
    }
    if (!err) {
        err = read_obj(path, root, "calls", &base->calls, &base->has_calls);
    }
    if (!err) {
        err = read_obj(path, root, "functions", &base->functions, &has_functions);
    }
    cJSON_Delete(root);
    return err;
}

static nsp_gate_row_t *add_row(nsp_gate_result_t *r, const char *metric, const char *verdict) {
    if (r->n_rows == NSP_GATE_MAX_ROWS) {
        return &r->rows[NSP_GATE_MAX_ROWS - 1];
    }
    nsp_gate_row_t *row = &r->rows[r->n_rows++];
    memset(row, 0, sizeof *row);
    row->tier = 'e';
    snprintf(row->metric, sizeof row->metric, "%s", metric);
    row->verdict = verdict;
    return row;
}

static void append(char *buf, size_t cap, const char *text) {
    size_t used = strlen(buf);
    snprintf(buf + used, cap - used, "%s%s", used ? "; " : "", text);
}

int nsp_glpath_judge(nsp_gate_result_t *res, const nsp_glpath_t *base, const nsp_glpath_t *cur, char *summary,
                     size_t cap) {
    int fails = 0;
    char grew[256] = "";
    if (base->digest[0] && cur->digest[0] && strcmp(base->digest, cur->digest) != 0) {
        nsp_gate_row_t *row = add_row(res, "scenario digest", "fail");
        snprintf(row->note, sizeof row->note, "the scenario changed (digest %s, baseline %s): refresh the baselines",
                 cur->digest, base->digest);
        fails++;
    }
    for (int i = 0; cur->has_instructions && base->has_instructions && i < cur->instructions.n; i++) {
        const char *name = cur->instructions.name[i];
        char metric[NSP_GATE_NAME_MAX + 8];
        snprintf(metric, sizeof metric, "Ir %s", name);
        const double *b = find(&base->instructions, name);
        double c = cur->instructions.v[i];
        if (!b) {
            nsp_gate_row_t *row = add_row(res, metric, "new");
            row->current = c;
            continue;
        }
        double change = *b > 0 ? c / *b - 1.0 : 0.0;
        double limit = strcmp(name, "upload") == 0 || strcmp(name, "submit") == 0 ? NSP_GLPATH_SMALL_PHASE_LIMIT
                                                                                  : NSP_GLPATH_INSTRUCTION_LIMIT;
        bool fail = change > limit;
        nsp_gate_row_t *row = add_row(res, metric, fail ? "fail" : change < -limit ? "improvement" : "pass");
        row->has_baseline = true;
        row->baseline = *b;
        row->current = c;
        row->change = change;
        row->threshold = limit;
        snprintf(row->note, sizeof row->note, "%s, %d timed frames, llvmpipe %s/%s-bit (callgrind)",
                 strcmp(name, "frame") == 0 ? "every instruction of the timed frames" : "phase, inclusive",
                 NSP_GLPATH_FRAMES, NSP_GLPATH_CPU_CAPS, NSP_GLPATH_VECTOR_WIDTH);
        if (fail) {
            fails++;
            if (strcmp(name, "frame") != 0) {
                char t[96];
                snprintf(t, sizeof t, "%s %+.1f%% instructions", name, 100.0 * change);
                append(grew, sizeof grew, t);
            }
        }
    }
    for (int i = 0; cur->has_calls && base->has_calls && i < cur->calls.n; i++) {
        const char *name = cur->calls.name[i];
        const double *b = find(&base->calls, name);
        double c = cur->calls.v[i], bv = b ? *b : 0.0;
        const char *v = c > bv ? "fail" : c < bv ? "improvement" : "pass";
        nsp_gate_row_t *row = add_row(res, name, v);
        row->has_baseline = true;
        row->baseline = bv;
        row->current = c;
        row->change = bv > 0 ? c / bv - 1.0 : (c > 0 ? INFINITY : 0.0);
        snprintf(row->note, sizeof row->note, "GL calls of %d timed frames (apitrace); any increase fails",
                 NSP_GLPATH_FRAMES);
        fails += c > bv;
    }
    // Each GL function whose count moved, by name: the call that grew.
    for (int pass = 0; cur->has_calls && base->has_calls && pass < 2; pass++) {
        const nsp_gate_metrics_t *m = pass == 0 ? &cur->functions : &base->functions;
        for (int i = 0; i < m->n; i++) {
            const double *other = find(pass == 0 ? &base->functions : &cur->functions, m->name[i]);
            if (pass == 1 && other) {
                continue;  // Seen in the first pass.
            }
            double c = pass == 0 ? m->v[i] : 0.0, bv = pass == 0 ? (other ? *other : 0.0) : m->v[i];
            if (c == bv) {
                continue;
            }
            nsp_gate_row_t *row = add_row(res, m->name[i], c > bv ? "fail" : "improvement");
            row->has_baseline = true;
            row->baseline = bv;
            row->current = c;
            row->change = bv > 0 ? c / bv - 1.0 : INFINITY;
            snprintf(row->note, sizeof row->note, "%+.0f calls of %s over %d timed frames", c - bv, m->name[i],
                     NSP_GLPATH_FRAMES);
            if (c > bv) {
                fails++;
                char t[96];
                snprintf(t, sizeof t, "%s %+.0f", m->name[i], c - bv);
                append(grew, sizeof grew, t);
            }
        }
    }
    snprintf(summary, cap, "%s%.200s", fails ? "FAIL: " : "pass", fails ? (grew[0] ? grew : "see the rows") : "");
    return fails;
}

static cJSON *numbers(const nsp_gate_metrics_t *m) {
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < m->n; i++) {
        cJSON_AddNumberToObject(o, m->name[i], m->v[i]);
    }
    return o;
}

static void moved(FILE *out, const char *what, const nsp_gate_metrics_t *cur, const nsp_gate_metrics_t *old) {
    for (int i = 0; i < cur->n; i++) {
        const double *o = old ? find(old, cur->name[i]) : NULL;
        if (!o) {
            fprintf(out, "  %-14s %-34s (new) -> %.6g\n", what, cur->name[i], cur->v[i]);
        } else if (*o != cur->v[i]) {
            fprintf(out, "  %-14s %-34s %.6g -> %.6g (%+.2f%%)\n", what, cur->name[i], *o, cur->v[i],
                    *o != 0.0 ? 100.0 * (cur->v[i] / *o - 1.0) : 0.0);
        }
    }
}

int nsp_glpath_record(const char *path, const nsp_gate_scenario_t *sc, const char *commit, const nsp_glpath_t *cur,
                      const nsp_glpath_t *old, FILE *out) {
    cJSON *root = cJSON_CreateObject();
    char date[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddNumberToObject(root, "schema", NSP_GATE_SCHEMA);
    cJSON_AddStringToObject(root, "kind", "glpath");
    cJSON_AddStringToObject(root, "scenario", sc->name);
    cJSON_AddStringToObject(root, "summary", sc->summary);
    cJSON_AddStringToObject(root, "digest", cur->digest);
    cJSON_AddStringToObject(root, "commit", commit);
    cJSON_AddStringToObject(root, "date", date);
    cJSON_AddStringToObject(root, "stack", cur->stack);
    char env[256] = "";
    for (int i = 0; PINNED_ENV[i]; i++) {
        append(env, sizeof env, PINNED_ENV[i]);
    }
    cJSON_AddStringToObject(root, "settings", env);
    cJSON_AddNumberToObject(root, "frames", NSP_GLPATH_FRAMES);
    if (cur->has_instructions) {
        cJSON_AddItemToObject(root, "instructions", numbers(&cur->instructions));
        moved(out, "glpath Ir", &cur->instructions, old && old->has_instructions ? &old->instructions : NULL);
    }
    if (cur->has_calls) {
        cJSON_AddItemToObject(root, "calls", numbers(&cur->calls));
        cJSON_AddItemToObject(root, "functions", numbers(&cur->functions));
        moved(out, "glpath calls", &cur->calls, old && old->has_calls ? &old->calls : NULL);
        moved(out, "glpath call", &cur->functions, old && old->has_calls ? &old->functions : NULL);
    }
    int err = nsp_gate_write_json_file(path, root);
    if (!err) {
        fprintf(out, "  wrote %s\n", path);
    }
    return err;
}

void nsp_glpath_print_commands(FILE *out, const nsp_glpath_t *g) {
    if (g->instr_cmd[0]) {
        fprintf(out, "   GL path instructions: %s\n", g->instr_cmd);
    }
    if (g->annotate_cmd[0]) {
        fprintf(out, "   read them:            %s\n", g->annotate_cmd);
    }
    if (g->calls_cmd[0]) {
        fprintf(out, "   GL calls:             %s\n", g->calls_cmd);
    }
}
