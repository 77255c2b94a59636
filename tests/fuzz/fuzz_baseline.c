// libFuzzer harness: baseline files (counters, instructions, timing) through
// the gate's up-front check and its loader. The input is written as each
// kind's file of the scenario it names (position when it names none that
// could be a file name), so one input reaches all three readers.
#include <cjson/cJSON.h>
#include <ctype.h>

#include "fuzz_common.h"
#include "gate/gate.h"

// The scenario the input names, when it is a plain word.
static void scenario_of(const uint8_t *data, size_t size, char *out, size_t cap) {
    snprintf(out, cap, "position");
    char *text = fuzz_text(data, size);
    cJSON *root = cJSON_Parse(text);
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(root, "scenario");
    if (cJSON_IsString(sc) && sc->valuestring[0] && strlen(sc->valuestring) < cap) {
        bool plain = true;
        for (const char *c = sc->valuestring; *c; c++) {
            plain = plain && (isalnum((unsigned char)*c) || *c == '_');
        }
        if (plain) {
            snprintf(out, cap, "%s", sc->valuestring);
        }
    }
    cJSON_Delete(root);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char scenario[32], rel[128];
    scenario_of(data, size, scenario, sizeof scenario);
    snprintf(rel, sizeof rel, "b/counters/%s.json", scenario);
    fuzz_write(rel, data, size);
    snprintf(rel, sizeof rel, "b/instructions/tool/%s.json", scenario);
    fuzz_write(rel, data, size);
    snprintf(rel, sizeof rel, "b/timing/prof/%s.json", scenario);
    fuzz_write(rel, data, size);
    (void)nsp_gate_check_baselines(fuzz_path("b"), scenario);
    nsp_gate_baselines_t *b = malloc(sizeof *b);
    if (!b) {
        abort();
    }
    (void)nsp_gate_load_baselines(fuzz_path("b"), scenario, "prof", "tool", b);
    // What a successful load says must be usable as it is: finite, >= 0.
    for (int i = 0; b->has_counters && i < NSP_COUNTER_COUNT; i++) {
        if (!(b->counters[i] >= 0.0 && b->counters[i] <= 9007199254740992.0)) {
            abort();
        }
    }
    for (int m = 0; b->has_timing && m < b->timing.n_metrics; m++) {
        for (int i = 0; i < b->timing.n_samples; i++) {
            if (!(b->timing.v[m][i] > 0.0 && b->timing.v[m][i] < 1e9)) {
                abort();
            }
        }
    }
    free(b);
    snprintf(rel, sizeof rel, "b/counters/%s.json", scenario);
    unlink(fuzz_path(rel));
    snprintf(rel, sizeof rel, "b/instructions/tool/%s.json", scenario);
    unlink(fuzz_path(rel));
    snprintf(rel, sizeof rel, "b/timing/prof/%s.json", scenario);
    unlink(fuzz_path(rel));
    return 0;
}
