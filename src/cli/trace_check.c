#include "trace_check.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gate/json_file.h"

#define MAX_LOGGED 10

// The phases of the Trace Event Format (complete list from its spec).
static const char known_phases[] = "BEXiICbnestfPONDMVvRc()";

// One thread's open complete events, as end times in nanoseconds.
typedef struct thread_state {
    double pid, tid;
    bool has_name;
    int64_t *ends;
    size_t depth, cap;
    const char **names;
} thread_state_t;

typedef struct checker {
    const char *what;
    nsp_trace_check_t *out;
    thread_state_t *threads;
    size_t n_threads, cap_threads;
    double *named_pids;
    size_t n_named_pids, cap_named_pids;
    double *seen_pids;
    size_t n_seen_pids, cap_seen_pids;
    bool oom;
} checker_t;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void problem(checker_t *c, const char *fmt, ...) {
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->out->problems == 0) {
        snprintf(c->out->first_problem, sizeof c->out->first_problem, "%s", msg);
    }
    if (c->out->problems < MAX_LOGGED) {
        nsp_log(NSP_LOG_WARN, "%s: %s", c->what, msg);
    }
    c->out->problems++;
}

static int64_t to_ns(double us) {
    return (int64_t)llround(us * 1000.0);
}

// Capacity for need entries: at least 8, doubling.
static size_t grown_capacity(size_t cap, size_t need) {
    size_t n = cap ? cap : 8;
    while (n < need) {
        n *= 2;
    }
    return n;
}

static thread_state_t *thread_for(checker_t *c, double pid, double tid) {
    for (size_t i = 0; i < c->n_threads; i++) {
        if (c->threads[i].pid == pid && c->threads[i].tid == tid) {
            return &c->threads[i];
        }
    }
    if (c->n_threads == c->cap_threads) {
        size_t cap = grown_capacity(c->cap_threads, c->n_threads + 1);
        thread_state_t *threads = realloc(c->threads, cap * sizeof *threads);
        if (threads == NULL) {
            c->oom = true;
            return NULL;
        }
        c->threads = threads;
        c->cap_threads = cap;
    }
    thread_state_t *t = &c->threads[c->n_threads++];
    memset(t, 0, sizeof *t);
    t->pid = pid;
    t->tid = tid;
    return t;
}

static void add_pid(checker_t *c, double **list, size_t *n, size_t *cap, double pid) {
    for (size_t i = 0; i < *n; i++) {
        if ((*list)[i] == pid) {
            return;
        }
    }
    if (*n == *cap) {
        size_t new_cap = grown_capacity(*cap, *n + 1);
        double *bigger = realloc(*list, new_cap * sizeof *bigger);
        if (bigger == NULL) {
            c->oom = true;
            return;
        }
        *list = bigger;
        *cap = new_cap;
    }
    (*list)[(*n)++] = pid;
}

// Checks a complete event's nesting on its thread, then opens it there.
static void check_nesting(checker_t *c, thread_state_t *t, size_t index, const char *name, double ts, double dur) {
    int64_t start = to_ns(ts), end = to_ns(ts) + to_ns(dur);
    while (t->depth > 0 && t->ends[t->depth - 1] <= start) {
        t->depth--;
    }
    if (t->depth > 0 && end > t->ends[t->depth - 1]) {
        problem(c, "event %zu '%s' (ts %.3f, dur %.3f us) ends %.3f us after the enclosing '%s' on tid %.0f",
                index, name, ts, dur, (double)(end - t->ends[t->depth - 1]) / 1000.0, t->names[t->depth - 1],
                t->tid);
        return;  // Not opened: one overlap is reported once.
    }
    if (t->depth == t->cap) {
        // Both arrays always have t->cap entries.
        size_t cap = grown_capacity(t->cap, t->depth + 1);
        const char **names = realloc(t->names, cap * sizeof *names);
        if (names) {
            t->names = names;
        }
        int64_t *ends = realloc(t->ends, cap * sizeof *ends);
        if (ends) {
            t->ends = ends;
        }
        if (!names || !ends) {
            c->oom = true;
            return;
        }
        t->cap = cap;
    }
    t->ends[t->depth] = end;
    t->names[t->depth] = name;
    t->depth++;
}

static void check_metadata(checker_t *c, size_t index, const char *name, const cJSON *ev, double pid, double tid) {
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(ev, "args");
    if (!cJSON_IsObject(args)) {
        problem(c, "event %zu: metadata '%s' has no args object", index, name);
        return;
    }
    if (strcmp(name, "process_name") == 0 || strcmp(name, "thread_name") == 0) {
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(args, "name");
        if (!cJSON_IsString(value)) {
            problem(c, "event %zu: metadata '%s' needs args.name (a string), got %s", index, name,
                    nsp_json_type_name(value));
            return;
        }
        if (name[0] == 'p') {
            add_pid(c, &c->named_pids, &c->n_named_pids, &c->cap_named_pids, pid);
        } else {
            thread_state_t *t = thread_for(c, pid, tid);
            if (t) {
                t->has_name = true;
            }
        }
    }
}

static void check_event(checker_t *c, size_t index, const cJSON *ev, double *last_ts) {
    if (!cJSON_IsObject(ev)) {
        problem(c, "event %zu: expected an object, got %s", index, nsp_json_type_name(ev));
        return;
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(ev, "name");
    const cJSON *ph = cJSON_GetObjectItemCaseSensitive(ev, "ph");
    const cJSON *pid = cJSON_GetObjectItemCaseSensitive(ev, "pid");
    const cJSON *tid = cJSON_GetObjectItemCaseSensitive(ev, "tid");
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(ev, "ts");
    if (!cJSON_IsString(name)) {
        problem(c, "event %zu: \"name\" must be a string, got %s", index, nsp_json_type_name(name));
        return;
    }
    const char *nm = name->valuestring;
    if (!cJSON_IsString(ph) || strlen(ph->valuestring) != 1 || strchr(known_phases, ph->valuestring[0]) == NULL) {
        problem(c, "event %zu '%s': \"ph\" must be one of the format's phase letters, got %s", index, nm,
                cJSON_IsString(ph) ? ph->valuestring : nsp_json_type_name(ph));
        return;
    }
    if (!cJSON_IsNumber(pid) || !cJSON_IsNumber(tid)) {
        problem(c, "event %zu '%s': \"pid\" and \"tid\" must be numbers", index, nm);
        return;
    }
    char p = ph->valuestring[0];
    if (p == 'M') {
        c->out->metadata++;
        check_metadata(c, index, nm, ev, pid->valuedouble, tid->valuedouble);
        return;
    }
    if (!cJSON_IsNumber(ts) || !isfinite(ts->valuedouble)) {
        problem(c, "event %zu '%s': \"ts\" must be a number (microseconds), got %s", index, nm,
                nsp_json_type_name(ts));
        return;
    }
    if (ts->valuedouble < *last_ts) {
        problem(c, "event %zu '%s': ts %.3f is before the previous event's %.3f (events must be sorted by ts)",
                index, nm, ts->valuedouble, *last_ts);
    }
    *last_ts = ts->valuedouble;
    add_pid(c, &c->seen_pids, &c->n_seen_pids, &c->cap_seen_pids, pid->valuedouble);
    thread_state_t *t = thread_for(c, pid->valuedouble, tid->valuedouble);
    if (t == NULL) {
        return;
    }
    if (p == 'X') {
        c->out->complete++;
        const cJSON *dur = cJSON_GetObjectItemCaseSensitive(ev, "dur");
        if (!cJSON_IsNumber(dur) || !isfinite(dur->valuedouble) || dur->valuedouble < 0) {
            problem(c, "event %zu '%s': a complete event needs \"dur\" >= 0, got %s", index, nm,
                    cJSON_IsNumber(dur) ? "a negative number" : nsp_json_type_name(dur));
            return;
        }
        check_nesting(c, t, index, nm, ts->valuedouble, dur->valuedouble);
    } else if (p == 'i' || p == 'I') {
        c->out->instant++;
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(ev, "s");
        if (s != NULL && (!cJSON_IsString(s) || strlen(s->valuestring) != 1 || strchr("tpg", s->valuestring[0]) == NULL)) {
            problem(c, "event %zu '%s': instant scope \"s\" must be \"t\", \"p\" or \"g\"", index, nm);
        }
    }
}

int nsp_trace_check(const cJSON *root, const char *what, nsp_trace_check_t *out) {
    memset(out, 0, sizeof *out);
    checker_t c = {.what = what, .out = out};
    const cJSON *events = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "traceEvents") : NULL;
    if (!cJSON_IsArray(events)) {
        problem(&c, "expected a top-level object with a \"traceEvents\" array, got %s",
                cJSON_IsObject(root) ? "an object without one" : nsp_json_type_name(root));
        return NSP_EFORMAT;
    }
    const cJSON *unit = cJSON_GetObjectItemCaseSensitive(root, "displayTimeUnit");
    if (unit != NULL && (!cJSON_IsString(unit) || (strcmp(unit->valuestring, "ms") != 0 &&
                                                   strcmp(unit->valuestring, "ns") != 0))) {
        problem(&c, "\"displayTimeUnit\" must be \"ms\" or \"ns\"");
    }
    double last_ts = -INFINITY;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events) {
        check_event(&c, out->events, ev, &last_ts);
        out->events++;
        if (c.oom) {
            break;
        }
    }
    for (size_t i = 0; i < c.n_seen_pids && !c.oom; i++) {
        bool named = false;
        for (size_t j = 0; j < c.n_named_pids; j++) {
            named = named || c.named_pids[j] == c.seen_pids[i];
        }
        if (!named) {
            problem(&c, "pid %.0f has events but no process_name metadata", c.seen_pids[i]);
        }
    }
    for (size_t i = 0; i < c.n_threads && !c.oom; i++) {
        if (!c.threads[i].has_name) {
            problem(&c, "tid %.0f (pid %.0f) has events but no thread_name metadata", c.threads[i].tid,
                    c.threads[i].pid);
        }
    }
    if (out->problems > MAX_LOGGED) {
        nsp_log(NSP_LOG_WARN, "%s: ... and %zu more problems", what, out->problems - MAX_LOGGED);
    }
    for (size_t i = 0; i < c.n_threads; i++) {
        free(c.threads[i].ends);
        free(c.threads[i].names);
    }
    free(c.threads);
    free(c.named_pids);
    free(c.seen_pids);
    if (c.oom) {
        nsp_log(NSP_LOG_ERROR, "%s: out of memory while checking the trace", what);
        return NSP_ENOMEM;
    }
    return out->problems ? NSP_EFORMAT : 0;
}

int nsp_trace_check_file(const char *path, nsp_trace_check_t *out) {
    memset(out, 0, sizeof *out);
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    if (root == NULL) {
        return err;
    }
    err = nsp_trace_check(root, path, out);
    cJSON_Delete(root);
    return err;
}
