// libFuzzer harness: the perfmon JSON config (NEUROSPATIAL_PERFMON=FILE)
// through nsp_perfmon_parse_config.
#include "fuzz_common.h"
#include "trace/perfmon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_text(data, size);
    nsp_perfmon_t pm;
    memset(&pm, 0, sizeof pm);
    (void)nsp_perfmon_parse_config(&pm, "config.json", text, size);
    nsp_perfmon_destroy(&pm);
    free(text);
    return 0;
}
