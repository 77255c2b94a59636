// A checker for Chrome Trace Event Format files: the rules a trace must meet
// to load in Perfetto, chrome://tracing and speedscope, and which nsplay's
// own traces (core/timing) always meet. Tests and `nsplay trace-summary
// --check` use it.
//
// Rules: the top level is an object with a "traceEvents" array (and
// "displayTimeUnit", when present, is "ms" or "ns"); every event is an object
// with a string "name", a one-letter "ph" of the format, and numeric "pid" and
// "tid"; complete events ("X") have numeric "ts" and "dur" >= 0; instant
// events ("i"/"I") have "ts" and a scope "s" of t, p or g when present;
// metadata events ("M") carry args; timestamps of non-metadata events never
// decrease in file order; each pid has a process_name and each thread with
// events a thread_name; on each thread every complete event lies entirely
// within the enclosing one (compared in integer nanoseconds).
#ifndef NSP_CLI_TRACE_CHECK_H
#define NSP_CLI_TRACE_CHECK_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef struct nsp_trace_check {
    size_t events;    // Entries in traceEvents.
    size_t complete;  // "X"
    size_t instant;   // "i" and "I"
    size_t metadata;  // "M"
    size_t problems;  // Rule violations found.
    char first_problem[256];  // The first one described, "" if none.
} nsp_trace_check_t;

// Checks a parsed trace. Problems are logged as warnings prefixed with what
// (a file name; at most the first 10, then a count). Returns 0 for a valid
// trace, NSP_EFORMAT when out->problems > 0.
int nsp_trace_check(const cJSON *root, const char *what, nsp_trace_check_t *out);

// Reads, parses and checks the file at path. Returns 0, NSP_EFORMAT (problems
// logged), NSP_EIO or NSP_ENOMEM.
int nsp_trace_check_file(const char *path, nsp_trace_check_t *out);

#endif
