// libFuzzer harness: the nightly history. The input is validated as a run
// record (nsp_history_validate), stored as a run when valid and read back
// with the change-point series, and written as the history's index.json
// (a cache the loader must survive whatever it holds).
#include <cjson/cJSON.h>
#include <math.h>

#include "fuzz_common.h"
#include "gate/history.h"
#include "json/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_text(data, size);
    int err = 0;
    cJSON *run = nsp_json_parse("run.json", text, size, &err);
    bool valid = run && nsp_history_validate(run, "run.json") == 0;
    cJSON_Delete(run);
    free(text);
    unlink(fuzz_path("h/runs/20250101T000000Z-fuzz.json"));
    if (valid) {
        fuzz_write("h/runs/20250101T000000Z-fuzz.json", data, size);
    } else {
        fuzz_write("h/runs/.keep", (const uint8_t *)"", 0);
    }
    fuzz_write("h/index.json", data, size);
    nsp_history_t h;
    if (nsp_history_load(&h, fuzz_path("h"), NULL) == 0) {
        nsp_history_key_t *keys = NULL;
        int n = 0;
        if (nsp_history_keys(&h, &keys, &n) == 0) {
            for (int i = 0; i < n; i++) {
                nsp_history_series_t s;
                if (nsp_history_series(&h, keys[i].profile, keys[i].scenario, keys[i].metric, &s) == 0) {
                    for (int k = 0; k < s.n; k++) {
                        if (!isfinite(s.values[k])) {
                            abort();
                        }
                    }
                    nsp_history_series_destroy(&s);
                }
            }
            free(keys);
        }
        nsp_history_destroy(&h);
    }
    unlink(fuzz_path("h/index.json"));
    return 0;
}
