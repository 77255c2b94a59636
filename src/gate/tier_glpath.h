// Tier e of the gate: the renderer's own GL path counted exactly. The real
// GL backend runs on llvmpipe (headless EGL), single-threaded, its code
// generation pinned, under callgrind (instructions of each phase of the
// timed frames: the core's steps, the uploads, draw submission and the
// raster work until glFinish returns) and under apitrace (every GL call of
// the timed frames at the API boundary, with the bytes of its data). Any
// GL call more fails; a phase's instructions more than
// NSP_GLPATH_INSTRUCTION_LIMIT fail. Baselines are keyed by the software
// stack that determines the counts (compiler and build type, Mesa, LLVM,
// valgrind, the pinned settings), not by the machine:
// baselines/glpath/<stack>/<scenario>.json.
#ifndef NSP_GATE_TIER_GLPATH_H
#define NSP_GATE_TIER_GLPATH_H

#include <stdbool.h>
#include <stdio.h>

#include "gate.h"

// Timed frames counted (after the warm-up frame); the counts are exact, so
// a few frames say as much as many.
#define NSP_GLPATH_FRAMES 5
// A phase's instructions may grow by this fraction before it fails: repeated
// runs of one binary gave identical phase counts (docs/gate.md), so this
// leaves room only for deliberate trade-offs, not for noise.
#define NSP_GLPATH_INSTRUCTION_LIMIT 0.001
// The two small phases, upload and submit (0.4 M and 2.2 M instructions of
// all6's 288 M), move with the process's memory layout: the same binary
// from another path, with other argument strings, counted up to 0.10% more
// in upload and 0.04% in submit (memcpy's head and tail of buffers at other
// alignments). Their limit is 1%, ten times that.
#define NSP_GLPATH_SMALL_PHASE_LIMIT 0.01
// The pinned llvmpipe: single-threaded (raster on the calling thread, where
// callgrind sees it), SSE4.1 code at 128-bit vectors whatever the host CPU
// supports beyond that, no shader cache.
#define NSP_GLPATH_CPU_CAPS "sse4.1"
#define NSP_GLPATH_VECTOR_WIDTH "128"

typedef struct nsp_glpath {
    bool has_instructions, has_calls;
    char skip[200];                 // Why a part was not measured ("" when both were).
    char stack[192];                // The baseline key.
    char digest[24];
    nsp_gate_metrics_t instructions;  // step, upload, submit, raster, frame (the whole counted region).
    nsp_gate_metrics_t calls;         // Kinds of call: draw_calls, texture_upload_bytes, ...
    nsp_gate_metrics_t functions;     // Calls per GL function over the counted frames.
    char instr_cmd[1400], annotate_cmd[1200], calls_cmd[1400];
} nsp_glpath_t;

// Runs the scenario under callgrind and under apitrace (each with the
// pinned llvmpipe) and fills g. A part that cannot run here (no valgrind,
// no apitrace, no GL context) is not an error: g->skip says why. Returns 0,
// or NSP_EIO / NSP_EFORMAT (logged) when a run or its output fails.
int nsp_glpath_measure(const char *exe, const nsp_gate_scenario_t *sc, const char *work_dir, nsp_glpath_t *g);

// Each phase's inclusive instructions and PROGRAM TOTALS (as "frame") from
// `callgrind_annotate --inclusive=yes` output at path into g->instructions.
// NSP_EIO, or NSP_EFORMAT (logged) when a phase's function is missing.
int nsp_glpath_read_annotate(const char *path, nsp_glpath_t *g);

// The GL calls of the NSP_GLPATH_FRAMES timed frames from `apitrace dump`
// output at path into g->calls and g->functions: each frame's calls end
// with the backend's glFrameTerminatorGREMEDY() (the first is the warm-up
// frame's), each frame's glFinish counted with the next; tear-down (the
// first glDelete* after them) ends the count.
// NSP_EIO, or NSP_EFORMAT (logged) for another number of frames.
int nsp_glpath_read_dump(const char *path, nsp_glpath_t *g);

// The path of the scenario's baseline for g's stack.
void nsp_glpath_path(const char *dir, const char *scenario, const nsp_glpath_t *g, char *out, size_t cap);

// Loads a baseline (base->has_* say what it holds). *found is false when the
// file does not exist (not an error); NSP_EFORMAT, logged naming the file,
// when it is malformed.
int nsp_glpath_load(const char *path, const char *scenario, nsp_glpath_t *base, bool *found);

// Appends tier e's rows to res and returns the number of failures; summary
// names the phase and the call that grew.
int nsp_glpath_judge(nsp_gate_result_t *res, const nsp_glpath_t *base, const nsp_glpath_t *cur, char *summary,
                     size_t cap);

// Writes cur as the baseline at path (atomically), printing old -> new for
// every value that moved (old may be NULL).
int nsp_glpath_record(const char *path, const nsp_gate_scenario_t *sc, const char *commit, const nsp_glpath_t *cur,
                      const nsp_glpath_t *old, FILE *out);

// The commands that reproduce the counts and read them.
void nsp_glpath_print_commands(FILE *out, const nsp_glpath_t *g);

#endif
