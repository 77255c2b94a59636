// The benchmark report: the original script's shape (requirements §R2), then the
// per-phase breakdown, the floor frame and its ratio, the documented targets
// and the exact work per frame. And the same figures as JSON.
#ifndef NSP_GATE_REPORT_H
#define NSP_GATE_REPORT_H

#include <stdio.h>

#include "bench_result.h"

#define NSP_TARGET_FPS 30.0
// nsplay's own aim: the mean frame within this factor of the floor frame.
#define NSP_FLOOR_RATIO_TARGET 1.25

void nsp_report_print(FILE *out, const nsp_bench_result_t *r);

// Writes every figure, the raw per-frame samples and the machine to path,
// atomically. Returns 0, NSP_ENOMEM or NSP_EIO (logged).
int nsp_report_write_json(const char *path, const nsp_bench_result_t *r);

#endif
