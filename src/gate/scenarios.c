#include "scenarios.h"

#include <string.h>

const nsp_gate_scenario_t nsp_gate_scenarios[] = {
    {"position", "position only", false, {"--position"}},
    {"bodyparts", "bodyparts + skeleton", false, {"--bodyparts"}},
    {"head_direction", "head direction", false, {"--head-direction"}},
    {"events", "events (decay)", false, {"--events"}},
    {"timeseries", "time series dock", false, {"--timeseries"}},
    {"video", "video overlay", false, {"--video"}},
    {"all5", "all 5 (no video)", false,
     {"--position", "--bodyparts", "--head-direction", "--events", "--timeseries"}},
    {"all6", "all 6", false, {"--all-overlays"}},
    {"medium", "5,000 frames, grid 100, position + skeleton + head direction", true,
     {"--frames", "5000", "--grid-size", "100", "--position", "--bodyparts", "--head-direction"}},
    {"large", "100,000 frames, grid 100, 7 bodyparts, trail 20, random seek", true,
     {"--frames", "100000", "--grid-size", "100", "--n-bodyparts", "7", "--trail", "20", "--position",
      "--bodyparts", "--head-direction", "--random-seek"}},
};

const int nsp_gate_scenario_count = (int)(sizeof nsp_gate_scenarios / sizeof nsp_gate_scenarios[0]);

const nsp_gate_scenario_t *nsp_gate_scenario_find(const char *name) {
    for (int i = 0; i < nsp_gate_scenario_count; i++) {
        if (strcmp(nsp_gate_scenarios[i].name, name) == 0) {
            return &nsp_gate_scenarios[i];
        }
    }
    return NULL;
}
