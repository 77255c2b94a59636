// The CPU speed probe: a fixed piece of CPU work, timed in the measured
// process, that tells how fast this CPU runs scalar code right now.
//
// The floor frame (render.h) tracks the GL path's speed; work that
// llvmpipe's threads do not share (set-up, the per-frame callbacks) keeps its
// own pace when the floor frame speeds up or slows down. The gate judges that
// work by its ratio to this probe, timed in the same process: before set-up
// (setup_probe_ms) and after each timed frame's floor frame (probe_ms).
// The work is integer hashing and a dependent floating-point chain over a
// 16 KiB table that stays in the first-level cache: the same instructions
// on every run, no allocation, no system call.
#ifndef NSP_BENCH_PROBE_H
#define NSP_BENCH_PROBE_H

// Runs the probe once; returns its wall time in milliseconds.
double nsp_probe_ms(void);

// The median of n probes (n >= 1, at most 64): the set-up's reference, taken
// where one probe's interruption must not decide.
double nsp_probe_median_ms(int n);

#endif
