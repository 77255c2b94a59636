// The machine's CPU speed, measured in the measured process: two fixed
// pieces of work, each shaped like the work it is the yardstick for.
//
// The floor frame (render.h) tracks the GL path's speed; the CPU work that
// llvmpipe's threads do not share keeps its own pace when the floor frame
// speeds up or slows down. The gate judges that work by its ratio to one of
// these probes, timed in the same process (docs/gate.md has the
// measurements that chose them):
//   the CPU probe, after each timed frame's floor frame, for the per-frame
//     callbacks: pseudo-random bytes written into a video-frame-sized
//     buffer and mapped through a table into an RGBA one, about 70 KiB
//     that the frame's raster has just pushed out of the cache;
//   the page-fault probe, right before set-up, for the set-up, which is
//     mostly loading the driver and LLVM (mapping and faulting in pages):
//     anonymous memory mapped, each page touched, unmapped.
// Both are nsplay's own code, sharing none with what they measure, so a
// slower callback or set-up cannot slow its yardstick alike.
#ifndef NSP_BENCH_PROBE_H
#define NSP_BENCH_PROBE_H

// Runs the CPU probe once; returns its wall time in milliseconds.
double nsp_probe_cpu_ms(void);

// The page-fault probe: the median of 9 rounds, each mapping 1 MiB, touching
// its 256 pages and unmapping it; milliseconds a round. NaN when the memory
// cannot be mapped.
double nsp_probe_faults_ms(void);

#endif
