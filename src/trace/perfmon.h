// Perfmon: turns the environment (and an optional napari-style JSON config)
// into an nsp_timing_config_t for core/timing.
//
//   NEUROSPATIAL_TIMING=1       "[TIMING] <name>: <ms> ms" lines on stderr
//                               (also true/yes/on; 0/false/no/off/empty: off).
//   NEUROSPATIAL_PERFMON=<path> a Chrome trace is written to <path>; if <path>
//                               is an existing JSON config it is read instead.
//   NAPARI_PERFMON=<path>       the old name; NEUROSPATIAL_PERFMON wins when
//                               both are set (a notice says so).
//
// Which existing files are configs: a JSON object without "traceEvents". An
// empty file or an earlier trace (an object with "traceEvents", or an array)
// is an output path and is overwritten. Malformed JSON is an error naming
// the file, line and column.
//
// Config keys (napari's, plus one of nsplay's):
//   trace_file_on_start  string  trace output path (relative to the working
//                                directory); without it no trace is written
//   trace_qt_events      bool    trace event-loop zones (default false)
//   trace_callables      [str]   names of lists in callable_lists; when given,
//                                only zones named in those lists are traced
//   callable_lists       {str: [str]}  list name -> zone names
//   trace_capacity       int     trace buffer size in events (nsplay's own;
//                                default 1,000,000)
// Unknown keys are warned about by name. With a plain output path, every zone
// including event-loop ones is traced.
#ifndef NSP_TRACE_PERFMON_H
#define NSP_TRACE_PERFMON_H

#include <stdbool.h>
#include <stddef.h>

#include "core/timing.h"

typedef struct nsp_perfmon {
    // Ready for nsp_timing_configure(); its strings point into this struct.
    nsp_timing_config_t config;
    char *trace_path;       // Owned; NULL when no trace.
    char *config_path;      // The JSON config read, or NULL.
    char **callables;       // Owned: the zone names of the selected lists.
    size_t n_callables;
    bool started;           // nsp_perfmon_start() configured core/timing.
} nsp_perfmon_t;

// The three variables' values (NULL: unset), so tests need no setenv().
typedef struct nsp_perfmon_env {
    const char *timing;          // NEUROSPATIAL_TIMING
    const char *perfmon;         // NEUROSPATIAL_PERFMON
    const char *napari_perfmon;  // NAPARI_PERFMON
} nsp_perfmon_env_t;

// Fills pm from env. Returns 0 (pm->config may have every sink off),
// NSP_EFORMAT for a malformed or ill-typed config (logged with the file and
// what is wrong), NSP_EIO for an unreadable config or an unwritable trace
// directory, NSP_EINVAL for a directory or a trace path that is the config
// itself, NSP_ENOMEM. On error pm is
// left destroyed (zeroed).
int nsp_perfmon_init(nsp_perfmon_t *pm, const nsp_perfmon_env_t *env);

// nsp_perfmon_init() with the process environment.
int nsp_perfmon_from_env(nsp_perfmon_t *pm);

// Reads a JSON config (text of len bytes, NUL-terminated, from path) into pm,
// which must be zeroed. Returns 0, NSP_EFORMAT (logged) or NSP_ENOMEM; on
// error pm may hold part of the config: nsp_perfmon_destroy() it.
int nsp_perfmon_parse_config(nsp_perfmon_t *pm, const char *path, const char *text, size_t len);

// Frees what pm owns; safe on a zeroed struct.
void nsp_perfmon_destroy(nsp_perfmon_t *pm);

// The usual wiring for a command: nsp_perfmon_from_env(), the Chrome trace
// writer installed as core/timing's trace sink (trace/writer.h), then
// nsp_timing_configure(). Returns 0 or the first error (logged).
int nsp_perfmon_start(nsp_perfmon_t *pm);

// nsp_timing_shutdown() (writes the trace) then nsp_perfmon_destroy().
// Returns 0 or NSP_EIO when the trace could not be written (logged).
int nsp_perfmon_finish(nsp_perfmon_t *pm);

#endif
