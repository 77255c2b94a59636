#include "perfmon.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/fileio.h"
#include "json/json.h"
#include "writer.h"

#define MAX_TRACE_CAPACITY 50000000  // 1.6 GB of buffer; more is a typo.

static const char *const known_keys[] = {
    "trace_file_on_start", "trace_qt_events", "trace_callables", "callable_lists", "trace_capacity",
};
#define N_KNOWN_KEYS (sizeof known_keys / sizeof known_keys[0])

void nsp_perfmon_destroy(nsp_perfmon_t *pm) {
    free(pm->trace_path);
    free(pm->config_path);
    for (size_t i = 0; i < pm->n_callables; i++) {
        free(pm->callables[i]);
    }
    free(pm->callables);
    memset(pm, 0, sizeof *pm);
}

// Points the timing config at the strings pm owns.
static void link_config(nsp_perfmon_t *pm) {
    pm->config.trace_path = pm->trace_path;
    pm->config.callables = (const char *const *)pm->callables;
    pm->config.n_callables = pm->n_callables;
}

// Levenshtein distance of two short strings, for "did you mean".
static size_t edit_distance(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) {
        return 64;
    }
    size_t row[64];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) {
                best = up + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static void warn_unknown_key(const char *path, const char *key) {
    const char *closest = NULL;
    size_t best = 4;  // Suggest only near misses.
    for (size_t i = 0; i < N_KNOWN_KEYS; i++) {
        size_t d = edit_distance(key, known_keys[i]);
        if (d < best) {
            best = d;
            closest = known_keys[i];
        }
    }
    if (closest) {
        nsp_log(NSP_LOG_WARN, "perfmon config '%s': unknown key '%s' ignored (did you mean '%s'?)", path, key,
                closest);
    } else {
        nsp_log(NSP_LOG_WARN, "perfmon config '%s': unknown key '%s' ignored (known keys: trace_file_on_start, "
                "trace_qt_events, trace_callables, callable_lists, trace_capacity)", path, key);
    }
}

// Checks that the directory a trace will be written to exists and is
// writable, so that a long run does not end by losing its trace.
static int check_writable(const char *what, const char *path) {
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (slash == NULL) {
        snprintf(dir, sizeof dir, ".");
    } else {
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        nsp_log(NSP_LOG_ERROR, "%s: '%s' is a directory; expected a trace file path or a JSON config", what, path);
        return NSP_EINVAL;
    }
    if (access(dir, W_OK) != 0) {
        nsp_log(NSP_LOG_ERROR, "%s: cannot write the trace '%s': directory '%s': %s", what, path, dir,
                strerror(errno));
        return NSP_EIO;
    }
    return 0;
}

static bool contains(char *const *names, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++) {
        if (strcmp(names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

// Checks callable_lists (list name -> array of zone names).
static int check_callable_lists(const char *path, const cJSON *lists) {
    if (!cJSON_IsObject(lists)) {
        nsp_log(NSP_LOG_ERROR, "perfmon config '%s': callable_lists: expected an object of list name -> zone "
                "names, got %s", path, nsp_json_type_name(lists));
        return NSP_EFORMAT;
    }
    const cJSON *list;
    cJSON_ArrayForEach(list, lists) {
        if (!cJSON_IsArray(list)) {
            nsp_log(NSP_LOG_ERROR, "perfmon config '%s': callable_lists.%s: expected an array of zone names, "
                    "got %s", path, list->string, nsp_json_type_name(list));
            return NSP_EFORMAT;
        }
        int i = 0;
        const cJSON *name;
        cJSON_ArrayForEach(name, list) {
            if (!cJSON_IsString(name) || name->valuestring[0] == '\0') {
                nsp_log(NSP_LOG_ERROR, "perfmon config '%s': callable_lists.%s[%d]: expected a zone name (a "
                        "non-empty string), got %s", path, list->string, i, nsp_json_type_name(name));
                return NSP_EFORMAT;
            }
            i++;
        }
    }
    return 0;
}

// Flattens the lists named in trace_callables into pm->callables.
static int select_callables(nsp_perfmon_t *pm, const char *path, const cJSON *selected, const cJSON *lists) {
    if (!cJSON_IsArray(selected)) {
        nsp_log(NSP_LOG_ERROR, "perfmon config '%s': trace_callables: expected an array of list names, got %s",
                path, nsp_json_type_name(selected));
        return NSP_EFORMAT;
    }
    size_t total = 0;
    const cJSON *sel;
    int i = 0;
    cJSON_ArrayForEach(sel, selected) {
        if (!cJSON_IsString(sel)) {
            nsp_log(NSP_LOG_ERROR, "perfmon config '%s': trace_callables[%d]: expected a list name (a string), "
                    "got %s", path, i, nsp_json_type_name(sel));
            return NSP_EFORMAT;
        }
        const cJSON *list = lists ? cJSON_GetObjectItemCaseSensitive(lists, sel->valuestring) : NULL;
        if (list == NULL) {
            nsp_log(NSP_LOG_ERROR, "perfmon config '%s': trace_callables: '%s' is not a list in callable_lists",
                    path, sel->valuestring);
            return NSP_EFORMAT;
        }
        total += (size_t)cJSON_GetArraySize(list);
        i++;
    }
    pm->callables = calloc(total ? total : 1, sizeof *pm->callables);
    if (pm->callables == NULL) {
        return NSP_ENOMEM;
    }
    cJSON_ArrayForEach(sel, selected) {
        const cJSON *name;
        cJSON_ArrayForEach(name, cJSON_GetObjectItemCaseSensitive(lists, sel->valuestring)) {
            if (contains(pm->callables, pm->n_callables, name->valuestring)) {
                continue;
            }
            pm->callables[pm->n_callables] = strdup(name->valuestring);
            if (pm->callables[pm->n_callables] == NULL) {
                return NSP_ENOMEM;
            }
            pm->n_callables++;
        }
    }
    pm->config.filter_callables = true;
    return 0;
}

static int parse_config_object(nsp_perfmon_t *pm, const char *path, const cJSON *root) {
    if (!cJSON_IsObject(root)) {
        nsp_log(NSP_LOG_ERROR, "perfmon config '%s': expected a JSON object, got %s", path,
                nsp_json_type_name(root));
        return NSP_EFORMAT;
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, root) {
        bool known = false;
        for (size_t i = 0; i < N_KNOWN_KEYS; i++) {
            known = known || strcmp(item->string, known_keys[i]) == 0;
        }
        if (!known) {
            warn_unknown_key(path, item->string);
        } else if (cJSON_GetObjectItemCaseSensitive(root, item->string) != item) {
            nsp_log(NSP_LOG_WARN, "perfmon config '%s': key '%s' appears more than once; the first is used", path,
                    item->string);
        }
    }

    const cJSON *file = cJSON_GetObjectItemCaseSensitive(root, "trace_file_on_start");
    if (file != NULL && !cJSON_IsNull(file)) {
        if (!cJSON_IsString(file) || file->valuestring[0] == '\0') {
            nsp_log(NSP_LOG_ERROR, "perfmon config '%s': trace_file_on_start: expected a file path (a non-empty "
                    "string), got %s", path, nsp_json_type_name(file));
            return NSP_EFORMAT;
        }
    }
    // The shared getters' messages, prefixed as this file's own.
    char label[4200];
    snprintf(label, sizeof label, "perfmon config '%s'", path);
    const nsp_json_at_t at = {label, NULL, -1};
    bool trace_event_loop = false;
    if (cJSON_GetObjectItemCaseSensitive(root, "trace_qt_events") != NULL &&
        nsp_json_get_bool(root, "trace_qt_events", &at, &trace_event_loop) != 0) {
        return NSP_EFORMAT;
    }
    if (cJSON_GetObjectItemCaseSensitive(root, "trace_capacity") != NULL) {
        int64_t capacity;
        if (nsp_json_get_int(root, "trace_capacity", 1, MAX_TRACE_CAPACITY, &at, &capacity) != 0) {
            return NSP_EFORMAT;
        }
        pm->config.trace_capacity = (size_t)capacity;
    }
    const cJSON *lists = cJSON_GetObjectItemCaseSensitive(root, "callable_lists");
    if (lists != NULL) {
        int err = check_callable_lists(path, lists);
        if (err) {
            return err;
        }
    }
    const cJSON *selected = cJSON_GetObjectItemCaseSensitive(root, "trace_callables");
    if (selected != NULL) {
        int err = select_callables(pm, path, selected, lists);
        if (err) {
            return err;
        }
    } else if (lists != NULL) {
        nsp_log(NSP_LOG_WARN, "perfmon config '%s': callable_lists is unused without trace_callables; every zone "
                "is traced", path);
    }

    pm->config.trace_event_loop = trace_event_loop;
    if (file == NULL || cJSON_IsNull(file)) {
        nsp_log(NSP_LOG_WARN, "perfmon config '%s' has no trace_file_on_start: no trace will be written", path);
        return 0;
    }
    pm->trace_path = strdup(file->valuestring);
    return pm->trace_path ? 0 : NSP_ENOMEM;
}

int nsp_perfmon_parse_config(nsp_perfmon_t *pm, const char *path, const char *text, size_t len) {
    int err = 0;
    cJSON *root = nsp_json_parse(path, text, len, &err);
    if (root == NULL) {
        return err;
    }
    err = parse_config_object(pm, path, root);
    cJSON_Delete(root);
    if (err == 0) {
        pm->config_path = strdup(path);
        err = pm->config_path ? 0 : NSP_ENOMEM;
    }
    link_config(pm);
    return err;
}

static bool parse_flag(const char *value, bool *on) {
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"", "0", "false", "no", "off"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(value, yes[i]) == 0) {
            *on = true;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        if (strcasecmp(value, no[i]) == 0) {
            *on = false;
            return true;
        }
    }
    return false;
}

// Whether text (an existing file's contents) is an earlier trace rather than
// a config: a JSON array, or an object with a "traceEvents" key near the top.
static bool looks_like_trace(const char *text, size_t len) {
    size_t i = 0;
    while (i < len && isspace((unsigned char)text[i])) {
        i++;
    }
    if (i < len && text[i] == '[') {
        return true;
    }
    char head[513];
    size_t n = len - i < 512 ? len - i : 512;
    memcpy(head, text + i, n);
    head[n] = '\0';
    return strstr(head, "\"traceEvents\"") != NULL;
}

// Handles a PERFMON variable's value: an existing config or an output path.
static int perfmon_path(nsp_perfmon_t *pm, const char *var, const char *value) {
    if (strcmp(value, "0") == 0) {
        return 0;
    }
    if (strcmp(value, "1") == 0) {
        nsp_log(NSP_LOG_WARN, "%s=1 names no trace file; set it to an output path (e.g. trace.json) or a JSON "
                "config; no trace will be written", var);
        return 0;
    }
    struct stat st;
    if (stat(value, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        char *text = NULL;
        size_t len = 0;
        int err = nsp_file_read_all(value, &text, &len);
        if (err) {
            return err;
        }
        if (!looks_like_trace(text, len)) {
            err = nsp_perfmon_parse_config(pm, value, text, len);
            free(text);
            if (err == 0 && pm->trace_path != NULL) {
                struct stat out;
                if (stat(pm->trace_path, &out) == 0 && out.st_dev == st.st_dev && out.st_ino == st.st_ino) {
                    nsp_log(NSP_LOG_ERROR, "perfmon config '%s': trace_file_on_start names the config itself",
                            value);
                    return NSP_EINVAL;
                }
                err = check_writable(var, pm->trace_path);
            }
            return err;
        }
        free(text);
    }
    int err = check_writable(var, value);
    if (err) {
        return err;
    }
    pm->trace_path = strdup(value);
    if (pm->trace_path == NULL) {
        return NSP_ENOMEM;
    }
    // A plain path traces everything, event loop included.
    pm->config.trace_event_loop = true;
    return 0;
}

int nsp_perfmon_init(nsp_perfmon_t *pm, const nsp_perfmon_env_t *env) {
    memset(pm, 0, sizeof *pm);
    if (env->timing != NULL && !parse_flag(env->timing, &pm->config.print_timing)) {
        nsp_log(NSP_LOG_WARN, "NEUROSPATIAL_TIMING: expected 1 or 0, got '%s'; timing lines stay off", env->timing);
    }
    bool have_new = env->perfmon != NULL && env->perfmon[0] != '\0';
    bool have_old = env->napari_perfmon != NULL && env->napari_perfmon[0] != '\0';
    int err = 0;
    if (have_new && have_old) {
        nsp_log(NSP_LOG_INFO, "NEUROSPATIAL_PERFMON and NAPARI_PERFMON are both set; using NEUROSPATIAL_PERFMON "
                "('%s') and ignoring NAPARI_PERFMON ('%s')", env->perfmon, env->napari_perfmon);
    }
    if (have_new) {
        err = perfmon_path(pm, "NEUROSPATIAL_PERFMON", env->perfmon);
    } else if (have_old) {
        err = perfmon_path(pm, "NAPARI_PERFMON", env->napari_perfmon);
    }
    if (err) {
        nsp_perfmon_destroy(pm);
        return err;
    }
    link_config(pm);
    return 0;
}

int nsp_perfmon_from_env(nsp_perfmon_t *pm) {
    nsp_perfmon_env_t env = {
        .timing = getenv("NEUROSPATIAL_TIMING"),
        .perfmon = getenv("NEUROSPATIAL_PERFMON"),
        .napari_perfmon = getenv("NAPARI_PERFMON"),
    };
    return nsp_perfmon_init(pm, &env);
}

int nsp_perfmon_start(nsp_perfmon_t *pm) {
    int err = nsp_perfmon_from_env(pm);
    if (err == 0) {
        nsp_trace_writer_install();
        err = nsp_timing_configure(&pm->config);
    }
    pm->started = err == 0;
    return err;
}

int nsp_perfmon_finish(nsp_perfmon_t *pm) {
    if (!pm->started) {
        nsp_perfmon_destroy(pm);
        return 0;
    }
    size_t events = nsp_timing_trace_events();
    int err = nsp_timing_shutdown();
    if (err == 0 && pm->trace_path != NULL) {
        nsp_log(NSP_LOG_INFO, "trace written to '%s' (%zu events)", pm->trace_path, events);
    }
    nsp_perfmon_destroy(pm);
    return err;
}
