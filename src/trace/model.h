// A Chrome Trace Event Format file, parsed once into memory: the model that
// the checker (check.h) and the summary (summary.h) both work on.
//
// Accepted: the JSON Object Format {"traceEvents":[...], ...} and the JSON
// Array Format [...]. Every number is checked here, in one place, as it is
// read: pid and tid integers with |v| <= 2^53; ts (every event but metadata)
// and dur (complete events, "X") finite, >= 0 and at most
// NSP_TRACE_TIME_MAX_US microseconds, so that ts + dur in integer
// nanoseconds cannot overflow; otherData.dropped_events, when present, an
// integer >= 0. A file that breaks these, or whose events are
// not objects with a string "name" and a one-character string "ph", is
// rejected with a message naming the file, the event index and what was
// expected: "t.json: event 3: ts: expected a number in 0..4.6e+15, got -1".
// What the format's rules say beyond that (known phases, sorted timestamps,
// nesting, names of processes and threads) is the checker's business.
#ifndef NSP_TRACE_MODEL_H
#define NSP_TRACE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

// The largest ts or dur accepted, in microseconds (about 146 years).
#define NSP_TRACE_TIME_MAX_US 4.6e15

typedef struct nsp_trace_event {
    const char *name;    // Never NULL (points into the parsed tree).
    const char *cat;     // NULL when the event has none.
    char ph;             // The phase letter, as written.
    char scope;          // Instant events' "s" when a one-letter string, else 0.
    bool bad_scope;      // "s" is present but not a one-letter string.
    int64_t ts_ns;       // 0 for metadata events without ts.
    int64_t dur_ns;      // Complete events; 0 for the others.
    int64_t pid, tid;
    const cJSON *args;   // NULL when absent.
} nsp_trace_event_t;

typedef struct nsp_trace {
    char *path;                 // Owned copy; names the file in messages.
    cJSON *root;                // The parsed tree (owned).
    nsp_trace_event_t *events;  // In file order.
    size_t n_events;
    bool array_format;          // The file is a bare array of events.
    const cJSON *display_time_unit;  // NULL when absent.
    const cJSON *other_data;    // NULL when absent.
    int64_t dropped_events;     // otherData.dropped_events (nsplay's), 0 when absent.
} nsp_trace_t;

// Builds the model of root (which the model takes over: it is freed by
// nsp_trace_destroy(), also on error) read from path. Returns 0,
// NSP_EFORMAT (logged as above) or NSP_ENOMEM.
int nsp_trace_from_json(nsp_trace_t *t, const char *path, cJSON *root);

// Reads and parses the file at path, then nsp_trace_from_json(). Returns 0,
// NSP_EIO, NSP_EFORMAT (malformed JSON as "<file>:<line>:<col>: ...") or
// NSP_ENOMEM, all logged.
int nsp_trace_load(nsp_trace_t *t, const char *path);

// The same from text (len bytes, NUL-terminated), for tests.
int nsp_trace_parse(nsp_trace_t *t, const char *path, const char *text, size_t len);

// Frees what t holds; safe on a zeroed or failed t.
void nsp_trace_destroy(nsp_trace_t *t);

#endif
