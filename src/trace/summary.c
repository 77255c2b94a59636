#include "summary.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/digest.h"
#include "core/error.h"
#include "core/stats.h"

#define NAME_WIDTH_MAX 40

typedef struct span {
    int64_t start_ns, end_ns;
    int64_t self_ns;
    int64_t pid, tid;
    size_t name;  // Index into the name table.
    size_t cat;   // Index into the category table.
} span_t;

// Distinct strings (pointing into the parsed tree) in an open-addressing
// hash table; entries are numbered in order of first appearance.
typedef struct strtab {
    const char **strings;  // By index.
    size_t count;
    size_t *slots;  // Index + 1, 0 for empty.
    size_t n_slots;
} strtab_t;

typedef struct zone_stat {
    size_t name, cat;
    size_t count;
    double total_ms, mean_ms, p95_ms, self_ms;
} zone_stat_t;

typedef struct marker {
    size_t count;
    int64_t first_ns, last_ns;
} marker_t;

typedef struct summary {
    strtab_t names, cats, markers;
    span_t *spans;
    size_t n_spans, cap_spans;
    marker_t *marker_stats;  // By markers index.
    size_t cap_markers;
    size_t n_instant, n_metadata, n_other, n_begin_end;
    int64_t t0_ns, t1_ns;  // First timestamp and last end.
} summary_t;

// Returns the index of s, adding it if new; SIZE_MAX when out of memory.
static size_t strtab_intern(strtab_t *t, const char *s) {
    if (2 * (t->count + 1) > t->n_slots) {
        size_t n_slots = t->n_slots ? 2 * t->n_slots : 64;
        size_t *slots = calloc(n_slots, sizeof *slots);
        const char **strings = realloc(t->strings, n_slots / 2 * sizeof *strings);
        if (strings) {
            t->strings = strings;
        }
        if (slots == NULL || strings == NULL) {
            free(slots);
            return SIZE_MAX;
        }
        for (size_t i = 0; i < t->count; i++) {
            size_t j = nsp_fnv1a64_str(t->strings[i]) & (n_slots - 1);
            while (slots[j]) {
                j = (j + 1) & (n_slots - 1);
            }
            slots[j] = i + 1;
        }
        free(t->slots);
        t->slots = slots;
        t->n_slots = n_slots;
    }
    size_t j = nsp_fnv1a64_str(s) & (t->n_slots - 1);
    while (t->slots[j]) {
        size_t i = t->slots[j] - 1;
        if (strcmp(t->strings[i], s) == 0) {
            return i;
        }
        j = (j + 1) & (t->n_slots - 1);
    }
    t->strings[t->count] = s;
    t->slots[j] = ++t->count;
    return t->count - 1;
}

static void strtab_free(strtab_t *t) {
    free(t->strings);
    free(t->slots);
}

static void extend_range(summary_t *s, int64_t from_ns, int64_t to_ns) {
    if (from_ns < s->t0_ns) {
        s->t0_ns = from_ns;
    }
    if (to_ns > s->t1_ns) {
        s->t1_ns = to_ns;
    }
}

// Gathers complete events and markers. Returns 0 or NSP_ENOMEM.
static int collect(summary_t *s, const nsp_trace_t *t) {
    s->t0_ns = INT64_MAX;
    s->t1_ns = INT64_MIN;
    for (size_t i = 0; i < t->n_events; i++) {
        const nsp_trace_event_t *ev = &t->events[i];
        int64_t ts = ev->ts_ns;
        if (ev->ph == 'M') {
            s->n_metadata++;
            continue;
        }
        if (ev->ph == 'X') {
            span_t *spans = nsp_array_reserve(s->spans, &s->cap_spans, s->n_spans + 1, sizeof *spans, 1024);
            if (spans == NULL) {
                return NSP_ENOMEM;
            }
            s->spans = spans;
            span_t *sp = &s->spans[s->n_spans];
            sp->start_ns = ts;
            sp->end_ns = ts + ev->dur_ns;
            sp->self_ns = ev->dur_ns;
            sp->pid = ev->pid;
            sp->tid = ev->tid;
            sp->name = strtab_intern(&s->names, ev->name);
            sp->cat = strtab_intern(&s->cats, ev->cat && ev->cat[0] ? ev->cat : "(none)");
            if (sp->name == SIZE_MAX || sp->cat == SIZE_MAX) {
                return NSP_ENOMEM;
            }
            s->n_spans++;
            extend_range(s, sp->start_ns, sp->end_ns);
        } else if (ev->ph == 'i' || ev->ph == 'I') {
            s->n_instant++;
            size_t known = s->markers.count;
            size_t m = strtab_intern(&s->markers, ev->name);
            if (m == SIZE_MAX) {
                return NSP_ENOMEM;
            }
            marker_t *stats = nsp_array_reserve(s->marker_stats, &s->cap_markers, m + 1, sizeof *stats, 64);
            if (stats == NULL) {
                return NSP_ENOMEM;
            }
            s->marker_stats = stats;
            // Absolute times here; printed relative to the trace start,
            // which is known only at the end.
            marker_t *mk = &s->marker_stats[m];
            if (m == known) {
                *mk = (marker_t){0, ts, ts};
            }
            extend_range(s, ts, ts);
            mk->first_ns = ts < mk->first_ns ? ts : mk->first_ns;
            mk->last_ns = ts > mk->last_ns ? ts : mk->last_ns;
            mk->count++;
        } else {
            if (ev->ph == 'B' || ev->ph == 'E') {
                s->n_begin_end++;
            }
            s->n_other++;
            extend_range(s, ts, ts);
        }
    }
    return 0;
}

static int compare_thread_start(const void *pa, const void *pb) {
    const span_t *a = pa, *b = pb;
    if (a->pid != b->pid) {
        return a->pid < b->pid ? -1 : 1;
    }
    if (a->tid != b->tid) {
        return a->tid < b->tid ? -1 : 1;
    }
    if (a->start_ns != b->start_ns) {
        return a->start_ns < b->start_ns ? -1 : 1;
    }
    return (a->end_ns > b->end_ns) ? -1 : (a->end_ns < b->end_ns);
}

// Self time: each span's duration less the parts of it its direct children
// cover. Sorts s->spans by thread and start. Returns 0 or NSP_ENOMEM.
static int compute_self_times(summary_t *s) {
    // qsort() must not be given a NULL array, even an empty one.
    if (s->n_spans == 0) {
        return 0;
    }
    qsort(s->spans, s->n_spans, sizeof *s->spans, compare_thread_start);
    size_t *stack = malloc((s->n_spans ? s->n_spans : 1) * sizeof *stack);
    if (stack == NULL) {
        return NSP_ENOMEM;
    }
    size_t depth = 0;
    for (size_t i = 0; i < s->n_spans; i++) {
        span_t *sp = &s->spans[i];
        if (i > 0 && (sp->pid != s->spans[i - 1].pid || sp->tid != s->spans[i - 1].tid)) {
            depth = 0;
        }
        while (depth > 0 && s->spans[stack[depth - 1]].end_ns <= sp->start_ns) {
            depth--;
        }
        if (depth > 0) {
            span_t *parent = &s->spans[stack[depth - 1]];
            int64_t end = sp->end_ns < parent->end_ns ? sp->end_ns : parent->end_ns;
            parent->self_ns -= end - sp->start_ns;
        }
        stack[depth++] = i;
    }
    free(stack);
    return 0;
}

static int compare_by_name(const void *pa, const void *pb) {
    const span_t *a = pa, *b = pb;
    return a->name < b->name ? -1 : a->name > b->name;
}

// One zone_stat_t per distinct name. Returns the array (caller frees) or NULL.
static zone_stat_t *zone_stats(summary_t *s) {
    zone_stat_t *stats = calloc(s->names.count ? s->names.count : 1, sizeof *stats);
    double *ms = malloc((s->n_spans ? s->n_spans : 1) * sizeof *ms);
    if (stats == NULL || ms == NULL) {
        free(stats);
        free(ms);
        return NULL;
    }
    if (s->n_spans > 0) {
        qsort(s->spans, s->n_spans, sizeof *s->spans, compare_by_name);
    }
    for (size_t i = 0; i < s->n_spans;) {
        size_t j = i;
        zone_stat_t *z = &stats[s->spans[i].name];
        z->name = s->spans[i].name;
        z->cat = s->spans[i].cat;
        for (; j < s->n_spans && s->spans[j].name == s->spans[i].name; j++) {
            ms[j - i] = (double)(s->spans[j].end_ns - s->spans[j].start_ns) / 1e6;
            z->self_ms += (double)s->spans[j].self_ns / 1e6;
        }
        z->count = j - i;
        nsp_stats_sort(ms, z->count);
        for (size_t k = 0; k < z->count; k++) {
            z->total_ms += ms[k];
        }
        z->mean_ms = nsp_stats_mean(ms, z->count);
        z->p95_ms = nsp_stats_percentile_sorted(ms, z->count, 95.0);
        i = j;
    }
    free(ms);
    return stats;
}

static int compare_total_desc(const void *pa, const void *pb) {
    const zone_stat_t *a = pa, *b = pb;
    if (a->total_ms != b->total_ms) {
        return a->total_ms > b->total_ms ? -1 : 1;
    }
    return a->name < b->name ? -1 : a->name > b->name;
}

static int compare_count_desc(const void *pa, const void *pb) {
    const zone_stat_t *a = pa, *b = pb;
    if (a->count != b->count) {
        return a->count > b->count ? -1 : 1;
    }
    return compare_total_desc(pa, pb);
}

static int name_width(const summary_t *s, const zone_stat_t *z, size_t n) {
    size_t w = 4;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(s->names.strings[z[i].name]);
        w = len > w ? len : w;
    }
    return (int)(w > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : w);
}

static void print_zone_table(FILE *out, const summary_t *s, const char *title, const zone_stat_t *z, size_t n) {
    int w = name_width(s, z, n);
    fprintf(out, "\n%s:\n", title);
    fprintf(out, "  %-*s  %-12s %8s %12s %10s %10s %12s\n", w, "zone", "category", "count", "total ms", "mean ms",
           "p95 ms", "self ms");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  %-*.*s  %-12s %8zu %12.3f %10.3f %10.3f %12.3f\n", w, w, s->names.strings[z[i].name],
               s->cats.strings[z[i].cat], z[i].count, z[i].total_ms, z[i].mean_ms, z[i].p95_ms, z[i].self_ms);
    }
}

static int compare_start(const void *pa, const void *pb) {
    const int64_t *a = pa, *b = pb;
    return a[0] < b[0] ? -1 : a[0] > b[0];
}

// Milliseconds of the trace covered by at least one complete event (on any
// thread), or a negative value when out of memory.
static double covered_ms(const summary_t *s) {
    int64_t *iv = malloc((s->n_spans ? s->n_spans : 1) * 2 * sizeof *iv);
    if (iv == NULL) {
        return -1.0;
    }
    for (size_t i = 0; i < s->n_spans; i++) {
        iv[2 * i] = s->spans[i].start_ns;
        iv[2 * i + 1] = s->spans[i].end_ns;
    }
    if (s->n_spans > 0) {
        qsort(iv, s->n_spans, 2 * sizeof *iv, compare_start);
    }
    int64_t covered = 0, run_start = 0, run_end = INT64_MIN;
    for (size_t i = 0; i < s->n_spans; i++) {
        if (iv[2 * i] > run_end) {
            covered += run_end > run_start ? run_end - run_start : 0;
            run_start = iv[2 * i];
            run_end = iv[2 * i + 1];
        } else if (iv[2 * i + 1] > run_end) {
            run_end = iv[2 * i + 1];
        }
    }
    covered += run_end > run_start ? run_end - run_start : 0;
    free(iv);
    return (double)covered / 1e6;
}

static void print_categories(FILE *out, const summary_t *s, double total_ms) {
    double *self_ms = calloc(s->cats.count ? s->cats.count : 1, sizeof *self_ms);
    size_t *order = malloc((s->cats.count ? s->cats.count : 1) * sizeof *order);
    if (self_ms == NULL || order == NULL) {
        free(self_ms);
        free(order);
        return;
    }
    for (size_t i = 0; i < s->n_spans; i++) {
        self_ms[s->spans[i].cat] += (double)s->spans[i].self_ns / 1e6;
    }
    // Insertion sort by self time, descending: categories are few.
    for (size_t i = 0; i < s->cats.count; i++) {
        size_t j = i;
        for (; j > 0 && self_ms[order[j - 1]] < self_ms[i]; j--) {
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
    fprintf(out, "\nTime by category (self time: nested zones counted once):\n");
    for (size_t k = 0; k < s->cats.count; k++) {
        size_t i = order[k];
        fprintf(out, "  %-20s %12.3f ms %6.1f%%\n", s->cats.strings[i], self_ms[i],
               total_ms > 0 ? 100.0 * self_ms[i] / total_ms : 0.0);
    }
    double outside_ms = total_ms - covered_ms(s);
    if (outside_ms >= 0 && outside_ms <= total_ms) {
        fprintf(out, "  %-20s %12.3f ms %6.1f%%\n", "(outside any zone)", outside_ms,
               total_ms > 0 ? 100.0 * outside_ms / total_ms : 0.0);
    }
    free(self_ms);
    free(order);
}

static void print_markers(FILE *out, const summary_t *s) {
    if (s->markers.count == 0) {
        fprintf(out, "\nInstant events: none\n");
        return;
    }
    size_t w = 4;
    for (size_t i = 0; i < s->markers.count; i++) {
        size_t len = strlen(s->markers.strings[i]);
        w = len > w ? len : w;
    }
    w = w > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : w;
    fprintf(out, "\nInstant events (times after the trace start):\n");
    fprintf(out, "  %-*s %8s %12s %12s\n", (int)w, "name", "count", "first ms", "last ms");
    for (size_t i = 0; i < s->markers.count; i++) {
        const marker_t *m = &s->marker_stats[i];
        fprintf(out, "  %-*.*s %8zu %12.3f %12.3f\n", (int)w, (int)w, s->markers.strings[i], m->count,
               (double)(m->first_ns - s->t0_ns) / 1e6,
                (double)(m->last_ns - s->t0_ns) / 1e6);
    }
}

int nsp_trace_summary_print(const nsp_trace_t *t, FILE *out, size_t top) {
    summary_t s = {0};
    int err = collect(&s, t);
    if (err == 0) {
        err = compute_self_times(&s);
    }
    zone_stat_t *stats = err == 0 ? zone_stats(&s) : NULL;
    if (stats == NULL) {
        nsp_log(NSP_LOG_ERROR, "%s: out of memory while summarizing", t->path);
        err = NSP_ENOMEM;
    } else {
        double total_ms = s.t1_ns >= s.t0_ns ? (double)(s.t1_ns - s.t0_ns) / 1e6 : 0.0;
        fprintf(out, "Trace: %s\n", t->path);
        fprintf(out, "Events: %zu complete, %zu instant, %zu metadata, %zu other\n", s.n_spans, s.n_instant,
                s.n_metadata, s.n_other);
        if (t->dropped_events > 0) {
            fprintf(out, "Dropped events: %" PRId64 " (the trace buffer was full)\n", t->dropped_events);
        }
        if (s.n_begin_end > 0) {
            fprintf(out, "Note: %zu begin/end (B/E) events are not summarized\n", s.n_begin_end);
        }
        fprintf(out, "Total duration: %.3f ms\n", total_ms);
        if (s.n_spans > 0) {
            print_categories(out, &s, total_ms);
            size_t n = top < s.names.count ? top : s.names.count;
            qsort(stats, s.names.count, sizeof *stats, compare_total_desc);
            print_zone_table(out, &s, "Top zones by total time", stats, n);
            qsort(stats, s.names.count, sizeof *stats, compare_count_desc);
            print_zone_table(out, &s, "Top zones by count", stats, n);
        } else {
            fprintf(out, "\nComplete events: none (no zones to summarize)\n");
        }
        print_markers(out, &s);
    }
    free(stats);
    free(s.spans);
    free(s.marker_stats);
    strtab_free(&s.names);
    strtab_free(&s.cats);
    strtab_free(&s.markers);
    return err;
}
