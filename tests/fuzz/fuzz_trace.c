// libFuzzer harness: Chrome traces through the one parsed model
// (nsp_trace_parse), the checker and the summary that `nsplay trace-summary`
// prints (to /dev/null).

// This harness opens its output sink as it starts: it has its own
// LLVMFuzzerInitialize.
#define FUZZ_OWN_INITIALIZE
#include "fuzz_common.h"
#include "trace/check.h"
#include "trace/model.h"
#include "trace/summary.h"

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_setup();
    sink = fopen("/dev/null", "w");
    return sink ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_text(data, size);
    nsp_trace_t t;
    if (nsp_trace_parse(&t, "trace.json", text, size) == 0) {
        nsp_trace_check_t check;
        (void)nsp_trace_check(&t, &check);
        (void)nsp_trace_summary_print(&t, sink, 10);
    }
    nsp_trace_destroy(&t);
    free(text);
    return 0;
}
