// Baseline files: reading them with messages that name the file and the
// problem, and writing them atomically.
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "gate.h"
#include "tier_glpath.h"
#include "json/json.h"

static bool exists(const char *path) {
    return access(path, F_OK) == 0;
}

static int bad(const char *path, const char *what) {
    nsp_log(NSP_LOG_ERROR, "%s: %s", path, what);
    return NSP_EFORMAT;
}

// What a number in a baseline can be. Counters and instructions are counts
// (integers, exact in a double); timing samples are milliseconds, positive
// and below a day; the header's counts are small.
#define COUNT_MAX 9007199254740992LL  // 2^53
#define SAMPLE_MS_MIN 1e-9
#define SAMPLE_MS_MAX 86400000.0
#define CORES_MAX 65536

// The header every kind shares; checks schema, kind and scenario.
static int read_meta(const char *path, const cJSON *root, const char *kind, const char *scenario,
                     nsp_gate_meta_t *m) {
    if (!cJSON_IsObject(root)) {
        return bad(path, "expected a JSON object");
    }
    const nsp_json_at_t at = {path, NULL, -1};
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsNumber(schema)) {
        return bad(path, "no \"schema\" number: not an nsplay baseline");
    }
    if (schema->valuedouble != NSP_GATE_SCHEMA) {
        nsp_log(NSP_LOG_ERROR, "%s: schema %.15g, this nsplay reads schema %d: refresh the baselines", path,
                schema->valuedouble, NSP_GATE_SCHEMA);
        return NSP_EFORMAT;
    }
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(root, "kind");
    if (!cJSON_IsString(k) || strcmp(k->valuestring, kind) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: \"kind\" should be \"%s\"", path, kind);
        return NSP_EFORMAT;
    }
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scenario");
    if (!cJSON_IsString(sc) || strcmp(sc->valuestring, scenario) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: \"scenario\" should be \"%s\"", path, scenario);
        return NSP_EFORMAT;
    }
    struct {
        const char *key;
        char *out;
        size_t cap;
        bool required;
    } fields[] = {
        {"digest", m->digest, sizeof m->digest, true},   {"commit", m->commit, sizeof m->commit, true},
        {"date", m->date, sizeof m->date, true},         {"toolchain", m->toolchain, sizeof m->toolchain, false},
        {"gl_renderer", m->gl_renderer, sizeof m->gl_renderer, false}, {"cpu", m->cpu, sizeof m->cpu, false},
        {"profile", m->profile, sizeof m->profile, false},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, fields[i].key);
        if (cJSON_IsString(v)) {
            snprintf(fields[i].out, fields[i].cap, "%s", v->valuestring);
        } else if (fields[i].required || v) {
            nsp_log(NSP_LOG_ERROR, "%s: \"%s\" should be a string, got %s", path, fields[i].key,
                    nsp_json_type_name(v));
            return NSP_EFORMAT;
        }
    }
    int64_t v = 0;
    m->cores = 0;
    m->repetitions = 0;
    if (cJSON_GetObjectItemCaseSensitive(root, "cores")) {
        if (nsp_json_get_int(root, "cores", 1, CORES_MAX, &at, &v) != 0) {
            return NSP_EFORMAT;
        }
        m->cores = (int)v;
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "repetitions")) {
        if (nsp_json_get_int(root, "repetitions", 1, NSP_GATE_MAX_SAMPLES, &at, &v) != 0) {
            return NSP_EFORMAT;
        }
        m->repetitions = (int)v;
    }
    return 0;
}

// Reads name -> count pairs of an object into m: integers in 0..2^53.
static int read_numbers(const char *path, const cJSON *obj, const char *key, nsp_gate_metrics_t *m) {
    if (!cJSON_IsObject(obj)) {
        nsp_log(NSP_LOG_ERROR, "%s: \"%s\" should be an object, got %s", path, key, nsp_json_type_name(obj));
        return NSP_EFORMAT;
    }
    memset(m, 0, sizeof *m);
    char where[64];
    snprintf(where, sizeof where, "%s.", key);
    const nsp_json_at_t at = {path, where, -1};
    const cJSON *v;
    cJSON_ArrayForEach(v, obj) {
        int64_t count;
        if (nsp_json_check_int(v, v->string, 0, COUNT_MAX, &at, &count) != 0) {
            return NSP_EFORMAT;
        }
        if (m->n < NSP_GATE_MAX_METRICS) {
            snprintf(m->name[m->n], NSP_GATE_NAME_MAX, "%s", v->string);
            m->v[m->n++] = (double)count;
        }
    }
    return 0;
}

static int load_counters(const char *path, const char *scenario, nsp_gate_baselines_t *b) {
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    if (!root) {
        return err;
    }
    nsp_gate_metrics_t m;
    err = read_meta(path, root, "counters", scenario, &b->counters_meta);
    if (!err) {
        err = read_numbers(path, cJSON_GetObjectItemCaseSensitive(root, "counters"), "counters", &m);
    }
    for (int i = 0; !err && i < NSP_COUNTER_COUNT; i++) {
        int k = 0;
        while (k < m.n && strcmp(m.name[k], nsp_counter_names[i]) != 0) {
            k++;
        }
        if (k == m.n) {
            nsp_log(NSP_LOG_ERROR, "%s: counter \"%s\" is missing", path, nsp_counter_names[i]);
            err = NSP_EFORMAT;
        } else {
            b->counters[i] = m.v[k];
        }
    }
    cJSON_Delete(root);
    b->has_counters = err == 0;
    return err;
}

static int load_instructions(const char *path, const char *scenario, nsp_gate_baselines_t *b) {
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    if (!root) {
        return err;
    }
    err = read_meta(path, root, "instructions", scenario, &b->instructions_meta);
    if (!err) {
        err = read_numbers(path, cJSON_GetObjectItemCaseSensitive(root, "zones"), "zones", &b->instructions);
    }
    cJSON_Delete(root);
    b->has_instructions = err == 0;
    return err;
}

static int load_timing(const char *path, const char *scenario, nsp_gate_baselines_t *b) {
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    if (!root) {
        return err;
    }
    err = read_meta(path, root, "timing", scenario, &b->timing_meta);
    const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(root, "metrics");
    if (!err && !cJSON_IsObject(metrics)) {
        err = bad(path, "\"metrics\" should be an object");
    }
    nsp_gate_series_t *s = &b->timing;
    memset(s, 0, sizeof *s);
    const cJSON *m;
    if (!err) {
        cJSON_ArrayForEach(m, metrics) {
            const cJSON *samples = cJSON_GetObjectItemCaseSensitive(m, "samples");
            int n = cJSON_GetArraySize(samples);
            if (!cJSON_IsArray(samples) || n < 3 || n > NSP_GATE_MAX_SAMPLES) {
                nsp_log(NSP_LOG_ERROR, "%s: metric \"%s\" needs a \"samples\" array of 3..%d numbers", path,
                        m->string, NSP_GATE_MAX_SAMPLES);
                err = NSP_EFORMAT;
                break;
            }
            if (s->n_metrics == NSP_GATE_MAX_METRICS) {
                break;
            }
            if (s->n_samples != 0 && s->n_samples != n) {
                nsp_log(NSP_LOG_ERROR, "%s: metric \"%s\" has %d samples, the others %d", path, m->string, n,
                        s->n_samples);
                err = NSP_EFORMAT;
                break;
            }
            s->n_samples = n;
            snprintf(s->name[s->n_metrics], NSP_GATE_NAME_MAX, "%s", m->string);
            char where[NSP_GATE_NAME_MAX + 32];
            snprintf(where, sizeof where, "metric %s sample ", m->string);
            for (int i = 0; i < n && !err; i++) {
                // Positive: a zero or negative time cannot have been measured.
                const nsp_json_at_t at = {path, where, i};
                double ms;
                const cJSON *v = cJSON_GetArrayItem(samples, i);
                if (nsp_json_check_number(v, "ms", SAMPLE_MS_MIN, SAMPLE_MS_MAX, &at, &ms) != 0) {
                    err = NSP_EFORMAT;
                } else {
                    s->v[s->n_metrics][i] = ms;
                }
            }
            if (err) {
                break;
            }
            s->n_metrics++;
        }
    }
    cJSON_Delete(root);
    b->has_timing = err == 0;
    return err;
}

int nsp_gate_load_baselines(const char *dir, const char *scenario, const char *profile, const char *toolchain,
                            nsp_gate_baselines_t *b) {
    memset(b, 0, sizeof *b);
    snprintf(b->counters_path, sizeof b->counters_path, "%s/counters/%s.json", dir, scenario);
    snprintf(b->instructions_path, sizeof b->instructions_path, "%s/instructions/%s/%s.json", dir, toolchain,
             scenario);
    snprintf(b->timing_path, sizeof b->timing_path, "%s/timing/%s/%s.json", dir, profile, scenario);
    int err = 0, e;
    if (exists(b->counters_path) && (e = load_counters(b->counters_path, scenario, b)) != 0) {
        err = e;
    }
    if (exists(b->instructions_path) && (e = load_instructions(b->instructions_path, scenario, b)) != 0) {
        err = e;
    }
    if (profile[0] && exists(b->timing_path) && (e = load_timing(b->timing_path, scenario, b)) != 0) {
        err = e;
    }
    return err;
}

// Loads every file of one kind for scenario under dir/<kind>/*/ (each
// toolchain or machine profile): the gate knows its profile only after its
// first timed run, and a malformed file must be reported before any run.
// Tier e's baseline of one software stack, read as tier e reads it.
static int load_glpath(const char *path, const char *scenario, nsp_gate_baselines_t *scratch) {
    (void)scratch;
    nsp_glpath_t *g = malloc(sizeof *g);
    bool found = false;
    int err = g ? nsp_glpath_load(path, scenario, g, &found) : NSP_ENOMEM;
    free(g);
    return err;
}

static int check_kind_dirs(const char *dir, const char *kind, const char *scenario, nsp_gate_baselines_t *scratch,
                           int (*load)(const char *, const char *, nsp_gate_baselines_t *)) {
    char root[1024];
    snprintf(root, sizeof root, "%s/%s", dir, kind);
    DIR *d = opendir(root);
    if (!d) {
        return 0;
    }
    int err = 0;
    const struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char path[1400];
        snprintf(path, sizeof path, "%s/%s/%s.json", root, de->d_name, scenario);
        int e = exists(path) ? load(path, scenario, scratch) : 0;
        err = err ? err : e;
    }
    closedir(d);
    return err;
}

int nsp_gate_check_baselines(const char *dir, const char *scenario) {
    struct stat st;
    int why = stat(dir, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    if (why != 0) {
        nsp_log(NSP_LOG_ERROR, "--baselines: '%s': %s (expected the baselines directory; a gate that finds no "
                "baseline there would judge nothing)", dir, strerror(why));
        return NSP_EINVAL;
    }
    nsp_gate_baselines_t *scratch = calloc(1, sizeof *scratch);
    if (!scratch) {
        return NSP_ENOMEM;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/counters/%s.json", dir, scenario);
    int err = exists(path) ? load_counters(path, scenario, scratch) : 0;
    int e = check_kind_dirs(dir, "instructions", scenario, scratch, load_instructions);
    err = err ? err : e;
    e = check_kind_dirs(dir, "timing", scenario, scratch, load_timing);
    err = err ? err : e;
    e = check_kind_dirs(dir, "glpath", scenario, scratch, load_glpath);
    err = err ? err : e;
    free(scratch);
    return err;
}
