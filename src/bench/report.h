// The benchmark report: the original script's shape (requirements §R2), then the
// per-phase breakdown, the floor frame and its ratio, the documented targets
// and the exact work per frame. And the same figures as JSON: the one writer
// and the one reader of the bench JSON schema (NSP_BENCH_SCHEMA), which the
// gate and `nsplay result` read results through.
#ifndef NSP_BENCH_REPORT_H
#define NSP_BENCH_REPORT_H

#include <stdio.h>

#include "result.h"

#define NSP_TARGET_FPS 30.0
// nsplay's own aim (requirements: zero above the floor): the median frame at
// most the floor frame's median of the same run.
#define NSP_FLOOR_RATIO_TARGET 1.0

// The bench JSON's schema and version, its "schema" field. Version 2 adds
// set-up's parts ("setup": scenario, context, renderer, shader cache); the
// reader takes version 1 too (the parts then NAN, the cache "unknown") and
// refuses any other.
#define NSP_BENCH_SCHEMA "nsplay-bench/2"
#define NSP_BENCH_SCHEMA_V1 "nsplay-bench/1"

void nsp_report_print(FILE *out, const nsp_bench_result_t *r);

// Writes every figure, the raw per-frame samples and the machine to path,
// atomically. Returns 0, NSP_ENOMEM or NSP_EIO (logged).
int nsp_report_write_json(const char *path, const nsp_bench_result_t *r);

// Reads a file nsp_report_write_json wrote back into r (every figure and
// sample the file holds; r is initialised here and destroyed by the caller,
// also after a failure). Returns 0, NSP_EIO, NSP_ENOMEM or NSP_EFORMAT
// (logged, naming the file and what was expected: malformed JSON with its
// line and column, another schema, a missing or ill-typed field).
int nsp_report_read_json(const char *path, nsp_bench_result_t *r);

#endif
