// The gate's scenarios: the 8 configurations of requirements §R5 (label perf, every pull
// request) and the medium and large scale configurations (label nightly),
// each a set of `nsplay bench` arguments.
#ifndef NSP_GATE_SCENARIOS_H
#define NSP_GATE_SCENARIOS_H

#include <stdbool.h>

#define NSP_SCENARIO_MAX_ARGS 16

typedef struct nsp_gate_scenario {
    const char *name;          // Test and baseline file name.
    const char *summary;       // What it runs, for --list.
    bool nightly;              // Scale configuration: nightly, not per PR.
    const char *args[NSP_SCENARIO_MAX_ARGS];  // bench arguments, NULL-terminated.
} nsp_gate_scenario_t;

extern const nsp_gate_scenario_t nsp_gate_scenarios[];
extern const int nsp_gate_scenario_count;

// The scenario of that name, or NULL.
const nsp_gate_scenario_t *nsp_gate_scenario_find(const char *name);

#endif
