#!/bin/sh
# The benchmark's trace as a real consumer reads it: Chrome DevTools' trace
# engine (npm @paulirish/trace_engine, pinned in scripts/install-deps, under
# tools/npm) parses a 20-frame `nsplay bench --headless` trace (floor frame on), and
# tests/trace_consumer.mjs checks the process and thread names it reads, one
# complete "frame" event per frame holding its phases and steps, and the floor
# frame on the "reference" track. nsplay's own checker is in bench_trace.
#
# usage: trace_consumer_test.sh NSPLAY ROOT
# Exit status: 0 pass, 1 fail, 77 skipped (reason printed): no node, the
# engine not installed, or no GL context.
set -u
nsplay=${1:?usage: trace_consumer_test.sh NSPLAY ROOT}
root=${2:?usage: trace_consumer_test.sh NSPLAY ROOT}
engine=$root/tools/npm/node_modules/@paulirish/trace_engine
command -v node >/dev/null 2>&1 || { echo "SKIP: node is not installed (scripts/install-deps installs it)"; exit 77; }
[ -f "$engine/analyze-trace.mjs" ] ||
    { echo "SKIP: Chrome's trace engine is not installed: no $engine (run scripts/install-deps)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

NEUROSPATIAL_PERFMON="$tmp/trace.json" "$nsplay" bench --headless --all-overlays \
    --playback-frames 20 >"$tmp/out" 2>&1
status=$?
if [ "$status" -eq 3 ]; then
    echo "SKIP: no GL context here:"; cat "$tmp/out"
    exit 77
fi
[ "$status" -eq 0 ] || { cat "$tmp/out"; echo "FAIL: nsplay bench exited with status $status"; exit 1; }
# 20 timed frames and the warm-up frame, each with every overlay's step.
node "$root/tests/trace_consumer.mjs" "$engine" "$tmp/trace.json" 21 \
    update_field render_video_overlay render_position_overlay render_bodypart_overlay \
    render_head_direction_overlay render_event_overlay render_timeseries_overlay
