#include "check.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/error.h"
#include "json/json.h"

#define MAX_LOGGED 10

// The phases of the Trace Event Format (complete list from its spec).
static const char known_phases[] = "BEXiICbnestfPONDMVvRc()";

// One thread's open complete events, as end times in nanoseconds.
typedef struct thread_state {
    int64_t pid, tid;
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
    int64_t *named_pids;
    size_t n_named_pids, cap_named_pids;
    int64_t *seen_pids;
    size_t n_seen_pids, cap_seen_pids;
    bool oom;
} checker_t;

NSP_PRINTF(2, 3)
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

// Capacity for need entries: at least 8, doubling.
static size_t grown_capacity(size_t cap, size_t need) {
    size_t n = cap ? cap : 8;
    while (n < need) {
        n *= 2;
    }
    return n;
}

static thread_state_t *thread_for(checker_t *c, int64_t pid, int64_t tid) {
    for (size_t i = 0; i < c->n_threads; i++) {
        if (c->threads[i].pid == pid && c->threads[i].tid == tid) {
            return &c->threads[i];
        }
    }
    thread_state_t *threads = nsp_array_reserve(c->threads, &c->cap_threads, c->n_threads + 1, sizeof *threads, 8);
    if (threads == NULL) {
        c->oom = true;
        return NULL;
    }
    c->threads = threads;
    thread_state_t *t = &c->threads[c->n_threads++];
    memset(t, 0, sizeof *t);
    t->pid = pid;
    t->tid = tid;
    return t;
}

static void add_pid(checker_t *c, int64_t **list, size_t *n, size_t *cap, int64_t pid) {
    for (size_t i = 0; i < *n; i++) {
        if ((*list)[i] == pid) {
            return;
        }
    }
    int64_t *bigger = nsp_array_reserve(*list, cap, *n + 1, sizeof *bigger, 8);
    if (bigger == NULL) {
        c->oom = true;
        return;
    }
    *list = bigger;
    (*list)[(*n)++] = pid;
}

// Checks a complete event's nesting on its thread, then opens it there.
static void check_nesting(checker_t *c, thread_state_t *t, size_t index, const nsp_trace_event_t *e) {
    int64_t start = e->ts_ns, end = e->ts_ns + e->dur_ns;
    while (t->depth > 0 && t->ends[t->depth - 1] <= start) {
        t->depth--;
    }
    if (t->depth > 0 && end > t->ends[t->depth - 1]) {
        problem(c, "event %zu '%s' (ts %.3f, dur %.3f us) ends %.3f us after the enclosing '%s' on tid %" PRId64,
                index, e->name, (double)e->ts_ns / 1000.0, (double)e->dur_ns / 1000.0,
                (double)(end - t->ends[t->depth - 1]) / 1000.0, t->names[t->depth - 1], t->tid);
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
    t->names[t->depth] = e->name;
    t->depth++;
}

static void check_metadata(checker_t *c, size_t index, const nsp_trace_event_t *e) {
    if (!cJSON_IsObject(e->args)) {
        problem(c, "event %zu: metadata '%s' has no args object", index, e->name);
        return;
    }
    if (strcmp(e->name, "process_name") == 0 || strcmp(e->name, "thread_name") == 0) {
        const cJSON *value = cJSON_GetObjectItemCaseSensitive(e->args, "name");
        if (!cJSON_IsString(value)) {
            problem(c, "event %zu: metadata '%s' needs args.name (a string), got %s", index, e->name,
                    nsp_json_type_name(value));
            return;
        }
        if (e->name[0] == 'p') {
            add_pid(c, &c->named_pids, &c->n_named_pids, &c->cap_named_pids, e->pid);
        } else {
            thread_state_t *t = thread_for(c, e->pid, e->tid);
            if (t) {
                t->has_name = true;
            }
        }
    }
}

static void check_event(checker_t *c, size_t index, const nsp_trace_event_t *e, int64_t *last_ts, bool *any) {
    if (strchr(known_phases, e->ph) == NULL) {
        problem(c, "event %zu '%s': \"ph\" must be one of the format's phase letters, got %c", index, e->name,
                e->ph);
        return;
    }
    if (e->ph == 'M') {
        c->out->metadata++;
        check_metadata(c, index, e);
        return;
    }
    if (*any && e->ts_ns < *last_ts) {
        problem(c, "event %zu '%s': ts %.3f is before the previous event's %.3f (events must be sorted by ts)",
                index, e->name, (double)e->ts_ns / 1000.0, (double)*last_ts / 1000.0);
    }
    *last_ts = e->ts_ns;
    *any = true;
    add_pid(c, &c->seen_pids, &c->n_seen_pids, &c->cap_seen_pids, e->pid);
    thread_state_t *t = thread_for(c, e->pid, e->tid);
    if (t == NULL) {
        return;
    }
    if (e->ph == 'X') {
        c->out->complete++;
        check_nesting(c, t, index, e);
    } else if (e->ph == 'i' || e->ph == 'I') {
        c->out->instant++;
        if (e->bad_scope || (e->scope != 0 && strchr("tpg", e->scope) == NULL)) {
            problem(c, "event %zu '%s': instant scope \"s\" must be \"t\", \"p\" or \"g\"", index, e->name);
        }
    }
}

int nsp_trace_check(const nsp_trace_t *trace, nsp_trace_check_t *out) {
    memset(out, 0, sizeof *out);
    checker_t c = {.what = trace->path, .out = out};
    if (trace->array_format) {
        problem(&c, "expected a top-level object with a \"traceEvents\" array, got an array");
    }
    const cJSON *unit = trace->display_time_unit;
    if (unit != NULL && (!cJSON_IsString(unit) || (strcmp(unit->valuestring, "ms") != 0 &&
                                                   strcmp(unit->valuestring, "ns") != 0))) {
        problem(&c, "\"displayTimeUnit\" must be \"ms\" or \"ns\"");
    }
    int64_t last_ts = 0;
    bool any = false;
    for (size_t i = 0; i < trace->n_events && !c.oom; i++) {
        check_event(&c, i, &trace->events[i], &last_ts, &any);
        out->events++;
    }
    for (size_t i = 0; i < c.n_seen_pids && !c.oom; i++) {
        bool named = false;
        for (size_t j = 0; j < c.n_named_pids; j++) {
            named = named || c.named_pids[j] == c.seen_pids[i];
        }
        if (!named) {
            problem(&c, "pid %" PRId64 " has events but no process_name metadata", c.seen_pids[i]);
        }
    }
    for (size_t i = 0; i < c.n_threads && !c.oom; i++) {
        if (!c.threads[i].has_name) {
            problem(&c, "tid %" PRId64 " (pid %" PRId64 ") has events but no thread_name metadata", c.threads[i].tid,
                    c.threads[i].pid);
        }
    }
    if (out->problems > MAX_LOGGED) {
        nsp_log(NSP_LOG_WARN, "%s: ... and %zu more problems", trace->path, out->problems - MAX_LOGGED);
    }
    for (size_t i = 0; i < c.n_threads; i++) {
        free(c.threads[i].ends);
        free(c.threads[i].names);
    }
    free(c.threads);
    free(c.named_pids);
    free(c.seen_pids);
    if (c.oom) {
        nsp_log(NSP_LOG_ERROR, "%s: out of memory while checking the trace", trace->path);
        return NSP_ENOMEM;
    }
    return out->problems ? NSP_EFORMAT : 0;
}

int nsp_trace_check_file(const char *path, nsp_trace_check_t *out) {
    memset(out, 0, sizeof *out);
    nsp_trace_t trace;
    int err = nsp_trace_load(&trace, path);
    if (err == 0) {
        err = nsp_trace_check(&trace, out);
    } else if (err == NSP_EFORMAT) {
        snprintf(out->first_problem, sizeof out->first_problem, "%s: rejected when read (see the log)", path);
        out->problems = 1;
    }
    nsp_trace_destroy(&trace);
    return err;
}
