#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "json/json.h"

// pid and tid: integers a double holds exactly.
#define ID_MAX 9007199254740992LL

void nsp_trace_destroy(nsp_trace_t *t) {
    cJSON_Delete(t->root);
    free(t->events);
    free(t->path);
    memset(t, 0, sizeof *t);
}

// Microseconds (range-checked) to integer nanoseconds: with both ts and dur
// at most NSP_TRACE_TIME_MAX_US, ts + dur stays far inside int64_t.
static int64_t us_to_ns(double us) {
    return (int64_t)llround(us * 1000.0);
}

static int read_event(nsp_trace_event_t *e, const cJSON *ev, const nsp_json_at_t *at) {
    if (!cJSON_IsObject(ev)) {
        nsp_log(NSP_LOG_ERROR, "%s: event %ld: expected an object, got %s", at->file, at->index,
                nsp_json_type_name(ev));
        return NSP_EFORMAT;
    }
    const char *ph;
    if (nsp_json_get_string(ev, "name", 0, at, &e->name) != 0 || nsp_json_get_string(ev, "ph", 0, at, &ph) != 0) {
        return NSP_EFORMAT;
    }
    if (ph[1] != '\0') {
        nsp_log(NSP_LOG_ERROR, "%s: event %ld: ph: expected one phase letter, got '%.16s'", at->file, at->index, ph);
        return NSP_EFORMAT;
    }
    e->ph = ph[0];
    if (nsp_json_get_int(ev, "pid", -ID_MAX, ID_MAX, at, &e->pid) != 0 ||
        nsp_json_get_int(ev, "tid", -ID_MAX, ID_MAX, at, &e->tid) != 0) {
        return NSP_EFORMAT;
    }
    const cJSON *cat = cJSON_GetObjectItemCaseSensitive(ev, "cat");
    e->cat = cJSON_IsString(cat) ? cat->valuestring : NULL;
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
    e->args = args;
    double ts = 0, dur = 0;
    // Metadata events need no time; when they carry one it is checked too.
    if (e->ph != 'M' || cJSON_GetObjectItemCaseSensitive(ev, "ts") != NULL) {
        if (nsp_json_get_number(ev, "ts", 0.0, NSP_TRACE_TIME_MAX_US, at, &ts) != 0) {
            return NSP_EFORMAT;
        }
    }
    if (e->ph == 'X' && nsp_json_get_number(ev, "dur", 0.0, NSP_TRACE_TIME_MAX_US, at, &dur) != 0) {
        return NSP_EFORMAT;
    }
    e->ts_ns = us_to_ns(ts);
    e->dur_ns = us_to_ns(dur);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(ev, "s");
    if (s != NULL) {
        bool one_letter = cJSON_IsString(s) && s->valuestring[0] != '\0' && s->valuestring[1] == '\0';
        e->scope = one_letter ? s->valuestring[0] : 0;
        e->bad_scope = !one_letter;
    }
    return 0;
}

int nsp_trace_from_json(nsp_trace_t *t, const char *path, cJSON *root) {
    memset(t, 0, sizeof *t);
    t->root = root;
    t->path = strdup(path);
    if (t->path == NULL) {
        nsp_trace_destroy(t);
        return NSP_ENOMEM;
    }
    const cJSON *events = root;
    if (cJSON_IsArray(root)) {
        t->array_format = true;
    } else {
        events = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "traceEvents") : NULL;
        if (!cJSON_IsArray(events)) {
            nsp_log(NSP_LOG_ERROR, "%s: not a Chrome trace: expected a \"traceEvents\" array or a top-level array, "
                    "got %s", path, cJSON_IsObject(root) ? "an object without one" : nsp_json_type_name(root));
            nsp_trace_destroy(t);
            return NSP_EFORMAT;
        }
        t->display_time_unit = cJSON_GetObjectItemCaseSensitive(root, "displayTimeUnit");
        t->other_data = cJSON_GetObjectItemCaseSensitive(root, "otherData");
        const nsp_json_at_t at = {t->path, "otherData.", -1};
        if (cJSON_GetObjectItemCaseSensitive(t->other_data, "dropped_events") != NULL &&
            nsp_json_get_int(t->other_data, "dropped_events", 0, ID_MAX, &at, &t->dropped_events) != 0) {
            nsp_trace_destroy(t);
            return NSP_EFORMAT;
        }
    }
    size_t n = (size_t)cJSON_GetArraySize(events);
    t->events = calloc(n ? n : 1, sizeof *t->events);
    if (t->events == NULL) {
        nsp_log(NSP_LOG_ERROR, "%s: out of memory for %zu trace events", path, n);
        nsp_trace_destroy(t);
        return NSP_ENOMEM;
    }
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events) {
        nsp_json_at_t at = {t->path, "event ", (long)t->n_events};
        if (read_event(&t->events[t->n_events], ev, &at) != 0) {
            nsp_trace_destroy(t);
            return NSP_EFORMAT;
        }
        t->n_events++;
    }
    return 0;
}

int nsp_trace_parse(nsp_trace_t *t, const char *path, const char *text, size_t len) {
    memset(t, 0, sizeof *t);
    int err = 0;
    cJSON *root = nsp_json_parse(path, text, len, &err);
    return root ? nsp_trace_from_json(t, path, root) : err;
}

int nsp_trace_load(nsp_trace_t *t, const char *path) {
    memset(t, 0, sizeof *t);
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    return root ? nsp_trace_from_json(t, path, root) : err;
}
