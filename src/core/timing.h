// Timed zones and instant events: nsplay's counterpart of the Python
// project's `timing` context manager, `@timed` decorator, napari's
// `perf_timer` and `add_instant_event`.
//
// A zone measures one block of code. What happens to the measurement depends
// on the sinks, each off until configured:
//   - timing lines: "[TIMING] <name>: <ms> ms" (3 decimals) on stderr, one
//     per zone end (NEUROSPATIAL_TIMING=1 in the CLI);
//   - a trace buffer, handed by nsp_timing_shutdown() to the trace sink:
//     src/trace installs the one that writes a Chrome Trace Event Format
//     file (NEUROSPATIAL_PERFMON in the CLI); the core writes no JSON;
//   - a collector callback, which the benchmark installs to gather
//     per-phase statistics.
// Besides zones, the trace takes instant events (per-frame markers) and
// complete events measured elsewhere, on a "gpu" track (nsp_trace_gpu_event)
// or a "reference" track (nsp_trace_track_event), each its own tid.
// With every sink off a zone costs one load and one well-predicted branch on a
// global flag: no clock read, no call, no string work.
//
// Zone names (and instant-event names: one table) are interned into a fixed
// table of at most NSP_ZONE_MAX ids that lives for the whole process (ids
// stay valid across configure/shutdown cycles); a name has one category.
// Three ways to name a zone, cheapest first:
//   - an id from nsp_zone_register() at setup (nsp_zone_begin_id);
//   - a static site (NSP_ZONE, NSP_TIMED, nsp_zone_begin_site) that interns
//     its name on first use while a sink is on and caches the id;
//   - a plain string (nsp_zone_begin), looked up on every call while a sink
//     is on (a hash of a short string; fine outside the hottest paths).
//
// Invariants of the trace handed to the sink: one clock (CLOCK_MONOTONIC), timestamps in
// microseconds relative to trace start; events sorted by ts; complete ("X")
// events have dur >= 0 and nest properly (zones that end out of order, or
// zones deeper than NSP_ZONE_MAX_DEPTH, are counted and left out rather than
// written as overlapping events).
//
// Threads: the module is single-threaded. Configure, begin/end zones, emit
// events and shut down from one thread (the main thread, written with
// tid == pid). There is no locking.
#ifndef NSP_TIMING_H
#define NSP_TIMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define NSP_ZONE_MAX 128            // Distinct zone and instant-event names.
#define NSP_ZONE_NAME_MAX 64        // Bytes, including the terminating NUL.
#define NSP_ZONE_MAX_DEPTH 64       // Nesting depth recorded in the trace.
#define NSP_TRACE_DEFAULT_CAPACITY 1000000 // Events, when the config says 0.

// Category of event-loop zones (the Qt event counterpart); traced only when
// nsp_timing_config_t.trace_event_loop is set. Other categories used in
// nsplay: "setup", "callback" (overlay per-frame updates), "paint" (draw +
// wait for the GPU), "frame".
#define NSP_ZONE_CAT_EVENT_LOOP "event_loop"

typedef struct nsp_timing_config {
    // Print "[TIMING] <name>: <ms> ms" at each zone end.
    bool print_timing;
    // Where the timing lines go; NULL means stderr. Borrowed, not closed.
    FILE *print_stream;
    // Trace file to write at nsp_timing_shutdown(); NULL or "" disables the
    // trace buffer. Copied.
    const char *trace_path;
    // Record zones of category NSP_ZONE_CAT_EVENT_LOOP in the trace.
    bool trace_event_loop;
    // When filter_callables is set, only zones whose names are among the
    // n_callables names are recorded in the trace (event-loop zones are
    // governed by trace_event_loop alone; instant events and the other sinks
    // are never filtered). Copied.
    bool filter_callables;
    const char *const *callables;
    size_t n_callables;
    // Trace buffer capacity in events; 0 means NSP_TRACE_DEFAULT_CAPACITY.
    // The buffer is allocated and touched at configure time (no page faults
    // or allocations while tracing); events beyond it are counted as dropped.
    size_t trace_capacity;
} nsp_timing_config_t;

// Receives every zone that ends while it is installed (unfiltered).
typedef void (*nsp_zone_collector_fn)(int zone_id, const char *name, uint64_t dur_ns, void *user);

// A static call site: its name is interned on first use and the id cached.
// Declare it `static` with NSP_ZONE_SITE_INIT; name and cat must be string
// constants (or otherwise outlive the process).
typedef struct nsp_zone_site {
    const char *name;
    const char *cat;
    int id_plus_1;  // 0 until interned.
} nsp_zone_site_t;
#define NSP_ZONE_SITE_INIT(name, cat) {(name), (cat), 0}

// An open zone, returned by value; a zone that is not recording has id -1.
typedef struct nsp_zone {
    uint64_t start_ns;
    int id;
    int depth;
} nsp_zone_t;

// An explicit timer: it always measures (reads the clock) and, when named and
// a sink is on, also reports itself as a zone.
typedef struct nsp_perf_timer {
    nsp_zone_t zone;
    uint64_t start_ns;
    uint64_t elapsed_ns;
    bool running;
} nsp_perf_timer_t;

typedef enum nsp_instant_scope {
    NSP_INSTANT_THREAD,   // "s":"t"
    NSP_INSTANT_PROCESS,  // "s":"p"
} nsp_instant_scope_t;

// ---- configuration -------------------------------------------------------

// Applies cfg: turns the timing lines and the trace buffer on as asked and
// starts the trace clock. Returns 0, NSP_EINVAL when already configured (call
// nsp_timing_shutdown() first), a name is empty, or a trace is asked for with
// no trace sink installed; NSP_ENOMEM when the trace buffer cannot be
// allocated (nothing is enabled then).
int nsp_timing_configure(const nsp_timing_config_t *cfg);

// Sorts the trace (if enabled) and hands it to the trace sink, warns about
// dropped or left-out events and about filter names that match no zone, then
// turns every sink off (the collector too) and frees the buffer. Returns 0,
// or the trace sink's error (NSP_EIO when the writer could not write the file,
// logged with the path). Safe to call when nothing is configured. Zone ids
// stay valid.
int nsp_timing_shutdown(void);

// Installs (fn != NULL) or removes (fn == NULL) the collector.
void nsp_timing_set_collector(nsp_zone_collector_fn fn, void *user);

// Whether any sink is on.
bool nsp_timing_enabled(void);

// Nanoseconds on CLOCK_MONOTONIC: the one clock all sinks use.
uint64_t nsp_timing_now_ns(void);

// Events recorded in the trace buffer so far, and events dropped because it
// was full (0 when no trace is configured).
size_t nsp_timing_trace_events(void);
size_t nsp_timing_trace_dropped(void);

// ---- trace sink ----------------------------------------------------------

// One recorded trace event. Complete events are recorded when they end, so
// the buffer is in end order until nsp_timing_shutdown() sorts it by start.
typedef struct nsp_trace_record {
    uint64_t ts_ns;       // Relative to trace start.
    uint64_t dur_ns;      // 'X': duration; 'i': the argument value.
    const char *arg_key;  // 'i' only: argument name or NULL.
    uint32_t seq;         // Recording order: breaks ties when sorting.
    uint16_t zone_id;     // nsp_zone_name() / nsp_zone_category() of it.
    char ph;              // 'X' or 'i'.
    char scope;           // 'i': 't' or 'p'; 'X': its track (NSP_TRACE_TRACK_...), 0 on the main one.
} nsp_trace_record_t;

// The tracks besides the main thread's, for nsp_trace_track_event(): a
// frame's GPU time, and reference measurements (the floor frame) kept apart
// from the zones they are compared with.
#define NSP_TRACE_TRACK_GPU 'g'
#define NSP_TRACE_TRACK_REFERENCE 'r'

// The whole trace, as the sink receives it (valid during the call only).
typedef struct nsp_trace_data {
    const char *path;                  // nsp_timing_config_t.trace_path.
    const nsp_trace_record_t *events;  // count events, sorted by ts.
    size_t count;
    size_t capacity;
    size_t dropped;   // Events beyond the capacity.
    size_t left_out;  // Zones misnested or too deep, GPU events out of order.
    uint64_t t0_ns;   // Trace start on nsp_timing_now_ns()'s clock.
    bool gpu_used;        // Some event is on the GPU track.
    bool reference_used;  // Some event is on the reference track.
    bool trace_event_loop;
    bool filter;      // The callable filter was on.
} nsp_trace_data_t;

// Turns the trace into a file; returns 0 or a negative NSP_E... code.
typedef int (*nsp_trace_sink_fn)(const nsp_trace_data_t *data, void *user);

// Installs (fn != NULL) or removes the trace sink; it stays installed across
// configurations. Install it before configuring a trace.
void nsp_timing_set_trace_sink(nsp_trace_sink_fn fn, void *user);

// ---- zone names ----------------------------------------------------------

// Interns name with its category and returns its id in [0, NSP_ZONE_MAX).
// Registering the same name again returns the same id; a NULL cat matches
// whatever category the name has, or makes a new name's category "zone".
// Returns NSP_EINVAL for a NULL or empty name, a name of NSP_ZONE_NAME_MAX
// bytes or more, or a known name with another category; NSP_ENOSPC when the
// table is full. Works whether or not a sink is on.
int nsp_zone_register(const char *name, const char *cat);

// Number of registered zones, and a zone's name and category (NULL for an
// id out of range). The strings live as long as the process.
int nsp_zone_count(void);
const char *nsp_zone_name(int id);
const char *nsp_zone_category(int id);

// ---- zones ---------------------------------------------------------------

// The global flag the inline fast paths test. Read-only outside timing.c.
extern bool nsp_timing_on_;

#if defined(__GNUC__)
#define NSP_TIMING_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define NSP_TIMING_UNLIKELY(x) (x)
#endif

// The out-of-line halves; call the inline functions below instead.
nsp_zone_t nsp_zone_begin_id_slow(int id);
nsp_zone_t nsp_zone_begin_site_slow(nsp_zone_site_t *site);
nsp_zone_t nsp_zone_begin_name_slow(const char *name, const char *cat);
void nsp_zone_end_slow(nsp_zone_t *zone);

// Opens a zone by registered id (an invalid id gives an inactive zone).
static inline nsp_zone_t nsp_zone_begin_id(int id) {
    if (NSP_TIMING_UNLIKELY(nsp_timing_on_)) {
        return nsp_zone_begin_id_slow(id);
    }
    return (nsp_zone_t){0, -1, -1};
}

// Opens a zone at a static site (interned on first use while a sink is on).
static inline nsp_zone_t nsp_zone_begin_site(nsp_zone_site_t *site) {
    if (NSP_TIMING_UNLIKELY(nsp_timing_on_)) {
        return nsp_zone_begin_site_slow(site);
    }
    return (nsp_zone_t){0, -1, -1};
}

// Opens a zone by name, interning it on each call while a sink is on. name
// and cat are copied when first interned.
static inline nsp_zone_t nsp_zone_begin(const char *name, const char *cat) {
    if (NSP_TIMING_UNLIKELY(nsp_timing_on_)) {
        return nsp_zone_begin_name_slow(name, cat);
    }
    return (nsp_zone_t){0, -1, -1};
}

// Closes a zone: the timing line, the trace event and the collector call.
// Zones must close innermost first; one that does not is counted and left
// out of the trace (the other sinks still get it).
static inline void nsp_zone_end(nsp_zone_t *zone) {
    if (NSP_TIMING_UNLIKELY(zone->id >= 0)) {
        nsp_zone_end_slow(zone);
    }
}

// Declares `static nsp_zone_site_t var_site_` and opens `nsp_zone_t var`:
//     NSP_ZONE(z, "render_event_overlay", "callback");
//     ...
//     nsp_zone_end(&z);
#define NSP_ZONE(var, name, cat)                                              \
    static nsp_zone_site_t var##_site_ = NSP_ZONE_SITE_INIT(name, cat);      \
    nsp_zone_t var = nsp_zone_begin_site(&var##_site_)

// The decorator counterpart: times one statement or expression.
//     NSP_TIMED("upload", "paint", err = nsp_upload(&r, &list));
// The statement is variadic so that commas in it need no extra parentheses.
#define NSP_TIMED(name, cat, ...)                                               \
    do {                                                                        \
        static nsp_zone_site_t nsp_timed_site_ = NSP_ZONE_SITE_INIT(name, cat); \
        nsp_zone_t nsp_timed_zone_ = nsp_zone_begin_site(&nsp_timed_site_);     \
        __VA_ARGS__;                                                            \
        nsp_zone_end(&nsp_timed_zone_);                                         \
    } while (0)

// ---- perf timer ----------------------------------------------------------

// Starts t. name may be NULL (measure only); otherwise it is interned like
// nsp_zone_begin() and the timer reports as a zone when stopped.
void nsp_perf_timer_start(nsp_perf_timer_t *t, const char *name, const char *cat);

// Stops t and returns the elapsed nanoseconds (0 if t was not running).
uint64_t nsp_perf_timer_stop(nsp_perf_timer_t *t);

// Elapsed time of a stopped timer, or so far for a running one.
uint64_t nsp_perf_timer_elapsed_ns(const nsp_perf_timer_t *t);
double nsp_perf_timer_elapsed_ms(const nsp_perf_timer_t *t);

// ---- instant events ------------------------------------------------------

// Records an instant event ("ph":"i", thread scope) in the trace, e.g. a
// per-frame marker. No effect without a trace. Names are interned like zone
// names and never filtered.
void nsp_instant_event(const char *name, const char *cat);

// The same with a scope and one integer argument, written as
// "args":{"<arg_key>":value} (arg_key NULL for none; it must be a string
// constant: only the pointer is stored).
void nsp_instant_event_ex(const char *name, const char *cat, nsp_instant_scope_t scope, const char *arg_key,
                          int64_t value);

// ---- GPU track -----------------------------------------------------------

// Records a complete event measured elsewhere, such as a frame's GPU time from
// a timer query, on a separate track of the trace (thread "gpu", tid pid + 1).
// start_ns is on nsp_timing_now_ns()'s clock (e.g. the CPU time the frame
// finished, less dur_ns). The track is flat: an event that starts before the
// previous one on it ended, or before the trace started, is counted as left
// out. Trace only: no timing line, no collector call, no effect without a
// trace; the callable filter applies. zone_id comes from nsp_zone_register().
void nsp_trace_gpu_event(int zone_id, uint64_t start_ns, uint64_t dur_ns);

// The same on any track: NSP_TRACE_TRACK_GPU (as nsp_trace_gpu_event) or
// NSP_TRACE_TRACK_REFERENCE (thread "reference", tid pid + 2; register its
// zones with a category of their own, such as "reference"). Each track is
// flat and checked on its own. Another track value is ignored.
void nsp_trace_track_event(char track, int zone_id, uint64_t start_ns, uint64_t dur_ns);

#endif
