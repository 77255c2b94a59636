// A checker for Chrome Trace Event Format files: the rules a trace must meet
// to load in Perfetto, chrome://tracing and speedscope, and which nsplay's
// own traces (trace/writer) always meet. Tests and `nsplay trace-summary`
// use it. It works on the parsed model (model.h), which has already checked
// every event's fields and numbers.
//
// Rules: the top level is an object with a "traceEvents" array (and
// "displayTimeUnit", when present, is "ms" or "ns"); every "ph" is a phase
// letter of the format; instant events ("i"/"I") have a scope "s" of t, p or
// g when present; metadata events ("M") carry args, and process_name and
// thread_name an args.name string; timestamps of non-metadata events never
// decrease in file order; each pid has a process_name and each thread with
// events a thread_name; on each thread every complete event lies entirely
// within the enclosing one (compared in integer nanoseconds).
#ifndef NSP_TRACE_CHECK_H
#define NSP_TRACE_CHECK_H

#include <stddef.h>

#include "model.h"

typedef struct nsp_trace_check {
    size_t events;    // Entries in traceEvents.
    size_t complete;  // "X"
    size_t instant;   // "i" and "I"
    size_t metadata;  // "M"
    size_t problems;  // Rule violations found.
    char first_problem[256];  // The first one described, "" if none.
} nsp_trace_check_t;

// Checks a trace. Problems are logged as warnings prefixed with the trace's
// path (at most the first 10, then a count). Returns 0 for a valid trace,
// NSP_EFORMAT when out->problems > 0, NSP_ENOMEM.
int nsp_trace_check(const nsp_trace_t *t, nsp_trace_check_t *out);

// Loads (model.h) and checks the file at path. Returns 0, NSP_EFORMAT (a
// file the model rejects, or problems; logged), NSP_EIO or NSP_ENOMEM.
int nsp_trace_check_file(const char *path, nsp_trace_check_t *out);

#endif
