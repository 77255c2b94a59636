// The Chrome Trace Event Format writer: the trace sink that turns what
// core/timing recorded into a file that opens in chrome://tracing, Perfetto
// and speedscope, and that src/trace/check.h accepts.
//
// The file: {"traceEvents":[...], "displayTimeUnit":"ms", "otherData":{...}}.
// Metadata events first: process_name "nsplay" for pid (the process id) and
// thread_name "main" for tid == pid, "gpu" for tid pid + 1 when the GPU
// track was used and "reference" for tid pid + 2 when the reference track
// was (args.name, as Chrome's trace engine reads them); then every event in
// ts order, complete events ("X") with
// ts and dur in microseconds with exactly three decimals (integer
// nanoseconds: nesting survives the round trip), instant events ("i") with
// their scope and optional integer argument. otherData says the producer,
// the clock, the trace start and the counts (events, capacity, dropped,
// left out) and the configuration (event loop, callable filter).
#ifndef NSP_TRACE_WRITER_H
#define NSP_TRACE_WRITER_H

#include <stdio.h>

#include "core/timing.h"

// Installs the writer as core/timing's trace sink (idempotent). Call before
// nsp_timing_configure() with a trace path.
void nsp_trace_writer_install(void);

// Writes data to f as above, with pid as the process id. Returns 0 or
// NSP_EIO when f reports a write error.
int nsp_trace_write(FILE *f, const nsp_trace_data_t *data, long pid);

// The sink itself: writes data atomically to data->path (a reader never sees
// a half-written trace). Returns 0 or NSP_EIO (logged with the path).
int nsp_trace_write_file(const nsp_trace_data_t *data, void *user);

#endif
