// What a Chrome trace says, without opening a viewer (`nsplay trace-summary`):
// total duration, self time by category, the top zones by total time and by
// count (count, total, mean, p95, self), and the instant-event markers. It
// works on the parsed model (model.h), whose times are integer nanoseconds.
#ifndef NSP_TRACE_SUMMARY_H
#define NSP_TRACE_SUMMARY_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

// Prints the summary of t to out, listing top zones in each table (top >= 1).
// A trace without complete events says "Complete events: none" and has no
// zone tables. Returns 0 or NSP_ENOMEM (logged).
int nsp_trace_summary_print(const nsp_trace_t *t, FILE *out, size_t top);

#endif
