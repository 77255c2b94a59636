// libFuzzer harness: the bench JSON (nsplay-bench/1) through the one reader,
// nsp_report_read_json, which the gate and `nsplay result` read results by,
// and the gate's metric names over what it read.
#include <math.h>

#include "bench/metrics.h"
#include "bench/report.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_write("r.json", data, size);
    nsp_bench_result_t r;
    if (nsp_report_read_json(fuzz_path("r.json"), &r) == 0) {
        double counters[NSP_COUNTER_COUNT];
        nsp_metrics_counters(&r, counters);
        for (int i = 0; i < NSP_COUNTER_COUNT; i++) {
            // Read back, a counter is a count: finite and not negative (NaN:
            // allocations not counted).
            if (!isnan(counters[i]) && (!(counters[i] >= 0.0) || isinf(counters[i]))) {
                abort();
            }
        }
    }
    nsp_bench_result_destroy(&r);
    return 0;
}
