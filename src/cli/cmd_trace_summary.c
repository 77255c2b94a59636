// nsplay trace-summary: what a Chrome trace (NEUROSPATIAL_PERFMON's output,
// or any Trace Event Format file) says, without opening a viewer: total
// duration, self time by category, the top zones by total time and by count
// (count, total, mean, p95, self), and the instant-event markers.
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/error.h"
#include "core/stats.h"
#include "gate/json_file.h"
#include "options.h"
#include "trace_check.h"

#define DEFAULT_TOP 10
#define NAME_WIDTH_MAX 40

typedef struct span {
    int64_t start_ns, end_ns;
    int64_t self_ns;
    double pid, tid;
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
    double first_us, last_us;
} marker_t;

typedef struct summary {
    strtab_t names, cats, markers;
    span_t *spans;
    size_t n_spans, cap_spans;
    marker_t *marker_stats;  // By markers index.
    size_t cap_markers;
    size_t n_instant, n_metadata, n_other, n_begin_end;
    double t0_us, t1_us;  // First timestamp and last end, microseconds.
} summary_t;

static void help(FILE *out) {
    fprintf(out, "usage: nsplay trace-summary [options] FILE\n\n"
                 "Summarizes a Chrome Trace Event Format file (as written under\n"
                 "NEUROSPATIAL_PERFMON): total duration, self time by category, the zones with\n"
                 "the most total time and the most calls (count, total, mean, p95 and self time\n"
                 "in ms; self time excludes nested zones), and the instant-event markers (count,\n"
                 "first and last time after the trace start). It also checks the file against\n"
                 "the format's rules and warns about what a viewer would reject.\n\n"
                 "Options:\n"
                 "  --top N               zones listed in each table (default %d)\n"
                 "  --check               exit 1 when the format check finds a problem\n"
                 "  -h, --help            this text\n",
            DEFAULT_TOP);
}

static uint64_t hash_string(const char *s) {
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) {
        h = (h ^ (uint8_t)*s) * 1099511628211u;
    }
    return h;
}

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
            size_t j = hash_string(t->strings[i]) & (n_slots - 1);
            while (slots[j]) {
                j = (j + 1) & (n_slots - 1);
            }
            slots[j] = i + 1;
        }
        free(t->slots);
        t->slots = slots;
        t->n_slots = n_slots;
    }
    size_t j = hash_string(s) & (t->n_slots - 1);
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

static double number_or(const cJSON *obj, const char *key, double fallback) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) && isfinite(v->valuedouble) ? v->valuedouble : fallback;
}

static const char *string_or(const cJSON *obj, const char *key, const char *fallback) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : fallback;
}

static void extend_range(summary_t *s, double from_us, double to_us) {
    if (from_us < s->t0_us) {
        s->t0_us = from_us;
    }
    if (to_us > s->t1_us) {
        s->t1_us = to_us;
    }
}

// Gathers complete events and markers. Returns 0 or NSP_ENOMEM.
static int collect(summary_t *s, const cJSON *events) {
    s->t0_us = INFINITY;
    s->t1_us = -INFINITY;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events) {
        const char *ph = string_or(ev, "ph", "");
        const char *name = string_or(ev, "name", "(unnamed)");
        double ts = number_or(ev, "ts", NAN);
        if (strcmp(ph, "M") == 0) {
            s->n_metadata++;
            continue;
        }
        if (isnan(ts)) {
            s->n_other++;
            continue;
        }
        if (strcmp(ph, "X") == 0) {
            double dur = number_or(ev, "dur", NAN);
            if (isnan(dur) || dur < 0) {
                s->n_other++;
                continue;
            }
            if (s->n_spans == s->cap_spans) {
                size_t cap = s->cap_spans ? 2 * s->cap_spans : 1024;
                span_t *spans = realloc(s->spans, cap * sizeof *spans);
                if (spans == NULL) {
                    return NSP_ENOMEM;
                }
                s->spans = spans;
                s->cap_spans = cap;
            }
            span_t *sp = &s->spans[s->n_spans];
            sp->start_ns = llround(ts * 1000.0);
            sp->end_ns = sp->start_ns + llround(dur * 1000.0);
            sp->self_ns = sp->end_ns - sp->start_ns;
            sp->pid = number_or(ev, "pid", 0);
            sp->tid = number_or(ev, "tid", 0);
            sp->name = strtab_intern(&s->names, name);
            sp->cat = strtab_intern(&s->cats, string_or(ev, "cat", "(none)"));
            if (sp->name == SIZE_MAX || sp->cat == SIZE_MAX) {
                return NSP_ENOMEM;
            }
            s->n_spans++;
            extend_range(s, ts, ts + dur);
        } else if (strcmp(ph, "i") == 0 || strcmp(ph, "I") == 0) {
            s->n_instant++;
            size_t known = s->markers.count;
            size_t m = strtab_intern(&s->markers, name);
            if (m == SIZE_MAX) {
                return NSP_ENOMEM;
            }
            if (m >= s->cap_markers) {
                size_t cap = s->cap_markers ? 2 * s->cap_markers : 64;
                marker_t *stats = realloc(s->marker_stats, cap * sizeof *stats);
                if (stats == NULL) {
                    return NSP_ENOMEM;
                }
                s->marker_stats = stats;
                s->cap_markers = cap;
            }
            // Absolute microseconds here; printed relative to the trace
            // start, which is known only at the end.
            marker_t *mk = &s->marker_stats[m];
            if (m == known) {
                *mk = (marker_t){0, ts, ts};
            }
            extend_range(s, ts, ts);
            mk->first_us = fmin(mk->first_us, ts);
            mk->last_us = fmax(mk->last_us, ts);
            mk->count++;
        } else {
            if (strcmp(ph, "B") == 0 || strcmp(ph, "E") == 0) {
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
    qsort(s->spans, s->n_spans, sizeof *s->spans, compare_by_name);
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

static void print_zone_table(const summary_t *s, const char *title, const zone_stat_t *z, size_t n) {
    int w = name_width(s, z, n);
    printf("\n%s:\n", title);
    printf("  %-*s  %-12s %8s %12s %10s %10s %12s\n", w, "zone", "category", "count", "total ms", "mean ms",
           "p95 ms", "self ms");
    for (size_t i = 0; i < n; i++) {
        printf("  %-*.*s  %-12s %8zu %12.3f %10.3f %10.3f %12.3f\n", w, w, s->names.strings[z[i].name],
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
    qsort(iv, s->n_spans, 2 * sizeof *iv, compare_start);
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

static void print_categories(const summary_t *s, double total_ms) {
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
    printf("\nTime by category (self time: nested zones counted once):\n");
    for (size_t k = 0; k < s->cats.count; k++) {
        size_t i = order[k];
        printf("  %-20s %12.3f ms %6.1f%%\n", s->cats.strings[i], self_ms[i],
               total_ms > 0 ? 100.0 * self_ms[i] / total_ms : 0.0);
    }
    double outside_ms = total_ms - covered_ms(s);
    if (outside_ms >= 0 && outside_ms <= total_ms) {
        printf("  %-20s %12.3f ms %6.1f%%\n", "(outside any zone)", outside_ms,
               total_ms > 0 ? 100.0 * outside_ms / total_ms : 0.0);
    }
    free(self_ms);
    free(order);
}

static void print_markers(const summary_t *s) {
    if (s->markers.count == 0) {
        printf("\nInstant events: none\n");
        return;
    }
    size_t w = 4;
    for (size_t i = 0; i < s->markers.count; i++) {
        size_t len = strlen(s->markers.strings[i]);
        w = len > w ? len : w;
    }
    w = w > NAME_WIDTH_MAX ? NAME_WIDTH_MAX : w;
    printf("\nInstant events (times after the trace start):\n");
    printf("  %-*s %8s %12s %12s\n", (int)w, "name", "count", "first ms", "last ms");
    for (size_t i = 0; i < s->markers.count; i++) {
        const marker_t *m = &s->marker_stats[i];
        printf("  %-*.*s %8zu %12.3f %12.3f\n", (int)w, (int)w, s->markers.strings[i], m->count,
               (m->first_us - s->t0_us) / 1e3, (m->last_us - s->t0_us) / 1e3);
    }
}

static int summarize(const char *path, const cJSON *root, long top) {
    const cJSON *events = cJSON_IsArray(root) ? root : cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
    if (!cJSON_IsArray(events)) {
        nsp_log(NSP_LOG_ERROR, "%s: not a Chrome trace: expected a \"traceEvents\" array or a top-level array, "
                "got %s", path, nsp_json_type_name(root));
        return 1;
    }
    summary_t s = {0};
    int err = collect(&s, events);
    if (err == 0) {
        err = compute_self_times(&s);
    }
    zone_stat_t *stats = err == 0 ? zone_stats(&s) : NULL;
    if (stats == NULL) {
        nsp_log(NSP_LOG_ERROR, "%s: out of memory while summarizing", path);
        err = NSP_ENOMEM;
    } else {
        double total_ms = s.t1_us >= s.t0_us ? (s.t1_us - s.t0_us) / 1e3 : 0.0;
        printf("Trace: %s\n", path);
        printf("Events: %zu complete, %zu instant, %zu metadata, %zu other\n", s.n_spans, s.n_instant,
               s.n_metadata, s.n_other);
        const cJSON *other = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "otherData") : NULL;
        double dropped = number_or(other, "dropped_events", 0);
        if (dropped > 0) {
            printf("Dropped events: %.0f (the trace buffer was full)\n", dropped);
        }
        if (s.n_begin_end > 0) {
            printf("Note: %zu begin/end (B/E) events are not summarized\n", s.n_begin_end);
        }
        printf("Total duration: %.3f ms\n", total_ms);
        if (s.n_spans > 0) {
            print_categories(&s, total_ms);
            size_t n = (size_t)top < s.names.count ? (size_t)top : s.names.count;
            qsort(stats, s.names.count, sizeof *stats, compare_total_desc);
            print_zone_table(&s, "Top zones by total time", stats, n);
            qsort(stats, s.names.count, sizeof *stats, compare_count_desc);
            print_zone_table(&s, "Top zones by count", stats, n);
        } else {
            printf("\nComplete events: none\n");
        }
        print_markers(&s);
    }
    free(stats);
    free(s.spans);
    free(s.marker_stats);
    strtab_free(&s.names);
    strtab_free(&s.cats);
    strtab_free(&s.markers);
    return err ? 1 : 0;
}

int nsp_cmd_trace_summary(int argc, char **argv) {
    enum { OPT_TOP = 1, OPT_CHECK };
    static const struct option opts[] = {
        {"top", required_argument, NULL, OPT_TOP},
        {"check", no_argument, NULL, OPT_CHECK},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int64_t top = DEFAULT_TOP;
    bool check = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            help(stdout);
            return 0;
        case OPT_TOP:
            if (nsp_parse_int64("--top", optarg, 1, 1000000, &top) != 0) {
                return NSP_EXIT_USAGE;
            }
            break;
        case OPT_CHECK:
            check = true;
            break;
        default:
            fprintf(stderr, "Try 'nsplay trace-summary --help'.\n");
            return NSP_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        nsp_log(NSP_LOG_ERROR, "trace-summary: expected a trace FILE");
        fprintf(stderr, "Try 'nsplay trace-summary --help'.\n");
        return NSP_EXIT_USAGE;
    }
    if (optind + 1 < argc) {
        nsp_log(NSP_LOG_ERROR, "trace-summary: unexpected argument '%s' (one FILE only)", argv[optind + 1]);
        return NSP_EXIT_USAGE;
    }
    const char *path = argv[optind];
    int err = 0;
    cJSON *root = nsp_json_read_file(path, &err);
    if (root == NULL) {
        return 1;
    }
    int status = summarize(path, root, (long)top);
    if (status == 0) {
        nsp_trace_check_t chk;
        int cerr = nsp_trace_check(root, path, &chk);
        if (cerr == 0) {
            printf("\nFormat check: OK (%zu events)\n", chk.events);
        } else {
            printf("\nFormat check: %zu problem%s (listed on stderr)\n", chk.problems, chk.problems == 1 ? "" : "s");
            if (check) {
                status = 1;
            }
        }
    }
    cJSON_Delete(root);
    return status;
}
