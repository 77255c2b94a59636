#include "timing.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "digest.h"
#include "error.h"

#define CAT_DEFAULT "zone"
#define HASH_SLOTS 256  // Power of two, at least twice NSP_ZONE_MAX.

typedef struct zone_entry {
    char name[NSP_ZONE_NAME_MAX];
    char cat[NSP_ZONE_NAME_MAX];
    bool traced;  // Passes the trace filter of the current configuration.
} zone_entry_t;

typedef struct open_zone {
    uint64_t start_ns;
    int id;
} open_zone_t;

bool nsp_timing_on_;

// Zone table: lives for the process, never cleared.
static zone_entry_t g_zones[NSP_ZONE_MAX];
static int g_zone_count;
static uint8_t g_hash[HASH_SLOTS];  // Zone id + 1, 0 for an empty slot.
static bool g_table_full_warned;

// The trace sink: installed once by the trace writer, kept across
// configurations.
static nsp_trace_sink_fn g_sink;
static void *g_sink_user;

// Current configuration and state.
static struct {
    bool configured;
    bool print;
    FILE *print_stream;
    nsp_zone_collector_fn collector;
    void *collector_user;

    bool trace;
    char *trace_path;
    bool trace_event_loop;
    bool filter;
    char **filter_names;
    size_t n_filter_names;
    uint64_t t0_ns;
    nsp_trace_record_t *events;
    size_t capacity;
    size_t count;
    size_t dropped;
    size_t left_out;  // Misnested, abandoned or too deep: not traced.
    uint32_t seq;
    // Per extra track (GPU, reference): whether an event was recorded on it
    // and the end of the last one.
    bool track_used[2];
    uint64_t track_end_ns[2];

    int depth;  // Open zones, including those deeper than the stack.
    open_zone_t stack[NSP_ZONE_MAX_DEPTH];
} g;

static void update_enabled(void) {
    nsp_timing_on_ = g.print || g.trace || g.collector != NULL;
}

uint64_t nsp_timing_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

bool nsp_timing_enabled(void) {
    return nsp_timing_on_;
}

size_t nsp_timing_trace_events(void) {
    return g.count;
}

size_t nsp_timing_trace_dropped(void) {
    return g.dropped;
}

// ---- zone table ----------------------------------------------------------

static bool zone_traced(const zone_entry_t *z) {
    if (strcmp(z->cat, NSP_ZONE_CAT_EVENT_LOOP) == 0) {
        return g.trace_event_loop;
    }
    if (!g.filter) {
        return true;
    }
    for (size_t i = 0; i < g.n_filter_names; i++) {
        if (strcmp(g.filter_names[i], z->name) == 0) {
            return true;
        }
    }
    return false;
}

// Finds name; returns its id, or -(slot + 1) of the empty slot it would take.
static int zone_find(const char *name) {
    uint32_t slot = (uint32_t)(nsp_fnv1a64_str(name) & (HASH_SLOTS - 1));
    for (;;) {
        int id = g_hash[slot] - 1;
        if (id < 0) {
            return -(int)slot - 1;
        }
        if (strcmp(g_zones[id].name, name) == 0) {
            return id;
        }
        slot = (slot + 1) & (HASH_SLOTS - 1);
    }
}

int nsp_zone_register(const char *name, const char *cat) {
    if (name == NULL || name[0] == '\0') {
        nsp_log(NSP_LOG_ERROR, "timing: a zone name must not be empty");
        return NSP_EINVAL;
    }
    int found = zone_find(name);
    if (found >= 0 && (cat == NULL || strcmp(g_zones[found].cat, cat) == 0)) {
        return found;
    }
    if (cat == NULL) {
        cat = CAT_DEFAULT;
    }
    if (strlen(name) >= NSP_ZONE_NAME_MAX || strlen(cat) >= NSP_ZONE_NAME_MAX) {
        nsp_log(NSP_LOG_ERROR, "timing: zone name '%.*s...' or its category is %d bytes or longer", 32, name,
                NSP_ZONE_NAME_MAX);
        return NSP_EINVAL;
    }
    if (found >= 0) {
        nsp_log(NSP_LOG_ERROR, "timing: zone '%s' is registered with category '%s', not '%s'", name,
                g_zones[found].cat, cat);
        return NSP_EINVAL;
    }
    if (g_zone_count >= NSP_ZONE_MAX) {
        if (!g_table_full_warned) {
            nsp_log(NSP_LOG_WARN, "timing: more than %d zone names; '%s' and later ones are not timed", NSP_ZONE_MAX,
                    name);
            g_table_full_warned = true;
        }
        return NSP_ENOSPC;
    }
    int id = g_zone_count++;
    zone_entry_t *z = &g_zones[id];
    memcpy(z->name, name, strlen(name) + 1);
    memcpy(z->cat, cat, strlen(cat) + 1);
    z->traced = zone_traced(z);
    g_hash[-found - 1] = (uint8_t)(id + 1);
    return id;
}

int nsp_zone_count(void) {
    return g_zone_count;
}

const char *nsp_zone_name(int id) {
    return id >= 0 && id < g_zone_count ? g_zones[id].name : NULL;
}

const char *nsp_zone_category(int id) {
    return id >= 0 && id < g_zone_count ? g_zones[id].cat : NULL;
}

// ---- configuration -------------------------------------------------------

static void free_config(void) {
    free(g.events);
    free(g.trace_path);
    for (size_t i = 0; i < g.n_filter_names; i++) {
        free(g.filter_names[i]);
    }
    free(g.filter_names);
    memset(&g, 0, sizeof g);
    update_enabled();
}

int nsp_timing_configure(const nsp_timing_config_t *cfg) {
    assert(cfg != NULL);
    if (g.configured) {
        nsp_log(NSP_LOG_ERROR, "timing: already configured; call nsp_timing_shutdown() first");
        return NSP_EINVAL;
    }
    // The collector may have been installed before configuring; keep it.
    nsp_zone_collector_fn collector = g.collector;
    void *collector_user = g.collector_user;
    memset(&g, 0, sizeof g);
    g.collector = collector;
    g.collector_user = collector_user;
    g.print = cfg->print_timing;
    g.print_stream = cfg->print_stream;
    bool want_trace = cfg->trace_path != NULL && cfg->trace_path[0] != '\0';
    if (want_trace && g_sink == NULL) {
        nsp_log(NSP_LOG_ERROR, "timing: trace '%s' asked for, but no trace sink is installed "
                "(nsp_trace_writer_install() installs the Chrome trace writer)", cfg->trace_path);
        memset(&g, 0, sizeof g);
        g.collector = collector;
        g.collector_user = collector_user;
        update_enabled();
        return NSP_EINVAL;
    }
    if (want_trace) {
        g.trace_event_loop = cfg->trace_event_loop;
        g.filter = cfg->filter_callables;
        g.capacity = cfg->trace_capacity ? cfg->trace_capacity : NSP_TRACE_DEFAULT_CAPACITY;
        // Sequence numbers are 32-bit; the size must not overflow.
        bool ok = g.capacity <= UINT32_MAX && g.capacity <= SIZE_MAX / sizeof *g.events;
        g.trace_path = strdup(cfg->trace_path);
        g.events = ok ? malloc(g.capacity * sizeof *g.events) : NULL;
        ok = ok && g.trace_path != NULL && g.events != NULL;
        if (ok && g.filter && cfg->n_callables > 0) {
            g.filter_names = calloc(cfg->n_callables, sizeof *g.filter_names);
            ok = g.filter_names != NULL;
            for (size_t i = 0; ok && i < cfg->n_callables; i++) {
                g.filter_names[i] = strdup(cfg->callables[i]);
                ok = g.filter_names[i] != NULL;
                g.n_filter_names = i + 1;
            }
        }
        if (!ok) {
            nsp_log(NSP_LOG_ERROR, "timing: cannot allocate a trace buffer of %zu events for '%s'", g.capacity,
                    cfg->trace_path);
            free_config();
            g.collector = collector;
            g.collector_user = collector_user;
            update_enabled();
            return NSP_ENOMEM;
        }
        // Touch every page now, so that tracing neither page-faults nor
        // grows the resident set while the benchmark measures.
        memset(g.events, 0, g.capacity * sizeof *g.events);
        g.trace = true;
    }
    for (int i = 0; i < g_zone_count; i++) {
        g_zones[i].traced = zone_traced(&g_zones[i]);
    }
    g.configured = true;
    g.t0_ns = nsp_timing_now_ns();
    update_enabled();
    return 0;
}

void nsp_timing_set_collector(nsp_zone_collector_fn fn, void *user) {
    g.collector = fn;
    g.collector_user = fn ? user : NULL;
    update_enabled();
}

// ---- recording -----------------------------------------------------------

static nsp_trace_record_t *push_event(void) {
    if (g.count >= g.capacity) {
        g.dropped++;
        return NULL;
    }
    nsp_trace_record_t *e = &g.events[g.count++];
    e->seq = g.seq++;
    return e;
}

nsp_zone_t nsp_zone_begin_id_slow(int id) {
    nsp_zone_t z = {0, -1, -1};
    if (!nsp_timing_on_ || id < 0 || id >= g_zone_count) {
        return z;
    }
    z.id = id;
    z.depth = g.depth++;
    // The clock is read last, so that the bookkeeping above is not timed.
    z.start_ns = nsp_timing_now_ns();
    if (z.depth < NSP_ZONE_MAX_DEPTH) {
        g.stack[z.depth] = (open_zone_t){z.start_ns, id};
    }
    return z;
}

nsp_zone_t nsp_zone_begin_site_slow(nsp_zone_site_t *site) {
    if (site->id_plus_1 == 0) {
        int id = nsp_zone_register(site->name, site->cat);
        if (id < 0) {
            return (nsp_zone_t){0, -1, -1};
        }
        site->id_plus_1 = id + 1;
    }
    return nsp_zone_begin_id_slow(site->id_plus_1 - 1);
}

nsp_zone_t nsp_zone_begin_name_slow(const char *name, const char *cat) {
    int id = nsp_zone_register(name, cat);
    return nsp_zone_begin_id_slow(id);
}

// Pops zone z off the open-zone stack. Returns whether it may be traced: it
// was the innermost open zone (zones still open inside it are abandoned and
// counted as left out) and within the recorded depth (deeper ones are
// counted too).
static bool pop_zone(const nsp_zone_t *z) {
    int top = g.depth - 1;
    if (z->depth > top) {
        return false;  // Abandoned when an enclosing zone closed: counted then.
    }
    if (z->depth < NSP_ZONE_MAX_DEPTH) {
        const open_zone_t *o = &g.stack[z->depth];
        if (o->start_ns != z->start_ns || o->id != z->id) {
            // Abandoned, and its slot reused by a later zone (or a zone from
            // an earlier configuration): leave the open zones alone.
            return false;
        }
    }
    g.left_out += (size_t)(top - z->depth);
    g.depth = z->depth;
    if (z->depth >= NSP_ZONE_MAX_DEPTH) {
        g.left_out++;
        return false;
    }
    return true;
}

static void zone_finish(nsp_zone_t *z, uint64_t end_ns) {
    uint64_t dur_ns = end_ns >= z->start_ns ? end_ns - z->start_ns : 0;
    const zone_entry_t *entry = &g_zones[z->id];
    bool nested = pop_zone(z);
    if (g.trace && nested && entry->traced && z->start_ns >= g.t0_ns) {
        nsp_trace_record_t *e = push_event();
        if (e) {
            e->ts_ns = z->start_ns - g.t0_ns;
            e->dur_ns = dur_ns;
            e->arg_key = NULL;
            e->zone_id = (uint16_t)z->id;
            e->ph = 'X';
            e->scope = 0;
        }
    }
    if (g.print) {
        fprintf(g.print_stream ? g.print_stream : stderr, "[TIMING] %s: %.3f ms\n", entry->name,
                (double)dur_ns / 1e6);
    }
    if (g.collector) {
        g.collector(z->id, entry->name, dur_ns, g.collector_user);
    }
    z->id = -1;
}

void nsp_zone_end_slow(nsp_zone_t *zone) {
    uint64_t end_ns = nsp_timing_now_ns();
    if (!nsp_timing_on_ || zone->id >= g_zone_count) {
        zone->id = -1;
        return;
    }
    zone_finish(zone, end_ns);
}

// ---- perf timer ----------------------------------------------------------

void nsp_perf_timer_start(nsp_perf_timer_t *t, const char *name, const char *cat) {
    t->zone = name ? nsp_zone_begin(name, cat) : (nsp_zone_t){0, -1, -1};
    t->start_ns = t->zone.id >= 0 ? t->zone.start_ns : nsp_timing_now_ns();
    t->elapsed_ns = 0;
    t->running = true;
}

uint64_t nsp_perf_timer_stop(nsp_perf_timer_t *t) {
    if (!t->running) {
        return 0;
    }
    uint64_t end_ns = nsp_timing_now_ns();
    t->elapsed_ns = end_ns - t->start_ns;
    t->running = false;
    if (t->zone.id >= 0 && nsp_timing_on_ && t->zone.id < g_zone_count) {
        zone_finish(&t->zone, end_ns);
    }
    t->zone.id = -1;
    return t->elapsed_ns;
}

uint64_t nsp_perf_timer_elapsed_ns(const nsp_perf_timer_t *t) {
    return t->running ? nsp_timing_now_ns() - t->start_ns : t->elapsed_ns;
}

double nsp_perf_timer_elapsed_ms(const nsp_perf_timer_t *t) {
    return (double)nsp_perf_timer_elapsed_ns(t) / 1e6;
}

// ---- instant events ------------------------------------------------------

void nsp_instant_event_ex(const char *name, const char *cat, nsp_instant_scope_t scope, const char *arg_key,
                          int64_t value) {
    if (!g.trace) {
        return;
    }
    uint64_t now_ns = nsp_timing_now_ns();
    int id = nsp_zone_register(name, cat);
    if (id < 0) {
        return;
    }
    nsp_trace_record_t *e = push_event();
    if (e) {
        e->ts_ns = now_ns - g.t0_ns;
        e->dur_ns = (uint64_t)value;
        e->arg_key = arg_key;
        e->zone_id = (uint16_t)id;
        e->ph = 'i';
        e->scope = scope == NSP_INSTANT_PROCESS ? 'p' : 't';
    }
}

void nsp_instant_event(const char *name, const char *cat) {
    nsp_instant_event_ex(name, cat, NSP_INSTANT_THREAD, NULL, 0);
}

// ---- GPU track -----------------------------------------------------------

void nsp_trace_track_event(char track, int zone_id, uint64_t start_ns, uint64_t dur_ns) {
    int t = track == NSP_TRACE_TRACK_GPU ? 0 : track == NSP_TRACE_TRACK_REFERENCE ? 1 : -1;
    if (t < 0 || !g.trace || zone_id < 0 || zone_id >= g_zone_count || !g_zones[zone_id].traced) {
        return;
    }
    if (start_ns < g.t0_ns || (g.track_used[t] && start_ns < g.track_end_ns[t])) {
        g.left_out++;
        return;
    }
    nsp_trace_record_t *e = push_event();
    if (e) {
        e->ts_ns = start_ns - g.t0_ns;
        e->dur_ns = dur_ns;
        e->arg_key = NULL;
        e->zone_id = (uint16_t)zone_id;
        e->ph = 'X';
        e->scope = track;
        g.track_used[t] = true;
        g.track_end_ns[t] = start_ns + dur_ns;
    }
}

void nsp_trace_gpu_event(int zone_id, uint64_t start_ns, uint64_t dur_ns) {
    nsp_trace_track_event(NSP_TRACE_TRACK_GPU, zone_id, start_ns, dur_ns);
}

// ---- handing the trace to the sink --------------------------------------

void nsp_timing_set_trace_sink(nsp_trace_sink_fn fn, void *user) {
    g_sink = fn;
    g_sink_user = fn ? user : NULL;
}

// Start time ascending; at equal starts complete events before instants, the
// longer (enclosing) one first, and of equal ones the later-recorded (which
// ended later, so encloses the other) first.
static int compare_events(const void *pa, const void *pb) {
    const nsp_trace_record_t *a = pa, *b = pb;
    if (a->ts_ns != b->ts_ns) {
        return a->ts_ns < b->ts_ns ? -1 : 1;
    }
    if (a->ph != b->ph) {
        return a->ph == 'X' ? -1 : 1;
    }
    if (a->ph == 'X') {
        if (a->dur_ns != b->dur_ns) {
            return a->dur_ns > b->dur_ns ? -1 : 1;
        }
        return a->seq > b->seq ? -1 : a->seq < b->seq;
    }
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void warn_unmatched_filter_names(void) {
    for (size_t i = 0; i < g.n_filter_names; i++) {
        if (zone_find(g.filter_names[i]) < 0) {
            nsp_log(NSP_LOG_WARN, "trace filter: no zone is named '%s' (nothing was traced under that name)",
                    g.filter_names[i]);
        }
    }
}

int nsp_timing_shutdown(void) {
    int err = 0;
    if (g.trace) {
        // Sinks off first: nothing records while the buffer is sorted.
        nsp_timing_on_ = false;
        if (g.count > 0) {
            qsort(g.events, g.count, sizeof *g.events, compare_events);
        }
        if (g.dropped > 0) {
            nsp_log(NSP_LOG_WARN, "trace '%s': the buffer of %zu events was full; %zu events were dropped "
                    "(raise trace_capacity)", g.trace_path, g.capacity, g.dropped);
        }
        if (g.left_out > 0) {
            nsp_log(NSP_LOG_WARN, "trace '%s': zones left out of the trace: %zu (they did not close innermost "
                    "first, or nested deeper than %d)", g.trace_path, g.left_out, NSP_ZONE_MAX_DEPTH);
        }
        if (g.filter) {
            warn_unmatched_filter_names();
        }
        nsp_trace_data_t data = {
            .path = g.trace_path,
            .events = g.events,
            .count = g.count,
            .capacity = g.capacity,
            .dropped = g.dropped,
            .left_out = g.left_out,
            .t0_ns = g.t0_ns,
            .gpu_used = g.track_used[0],
            .reference_used = g.track_used[1],
            .trace_event_loop = g.trace_event_loop,
            .filter = g.filter,
        };
        err = g_sink(&data, g_sink_user);
    }
    free_config();
    return err;
}
