#!/bin/sh
# Command-line behaviour a user sees: exit codes and messages for bad input,
# --help, and the clamp notice. Usage: cli_test.sh NSPLAY
set -u
nsplay=$1

. "$(dirname "$0")/lib/expect.sh"

expect 2 "usage: nsplay <command>" -- 
expect 0 "scenario" -- --help
expect 2 "unknown command 'nope'" -- nope
expect 0 "--grid-size N" -- scenario --help
expect 2 "--frames: expected an integer in 1..10000000, got '0'" -- scenario --frames 0
expect 2 "--frames: expected an integer in 1..10000000, got '-3'" -- scenario --frames -3
expect 2 "--frames: expected an integer in 1..10000000, got '12x'" -- scenario --frames 12x
expect 2 "--grid-size: expected an integer in 2..1024, got '1'" -- scenario --grid-size 1
expect 2 "--grid-size: expected an integer in 2..1024, got '5000'" -- scenario --grid-size 5000
expect 2 "--seed: expected an integer" -- scenario --seed -1
expect 2 "--sample-rate: expected a number" -- scenario --sample-rate nan
expect 2 "unrecognized option" -- scenario --bogus
expect 2 "unexpected argument 'extra'" -- scenario extra
expect 0 "clamped to 50" -- scenario --frames 50 --playback-frames 100
expect 0 "position only" -- scenario
expect 0 "Overlays: position, bodyparts, head_direction, events, timeseries, video" -- scenario --all-overlays
expect 0 "Overlays: events, video" -- scenario --video --events

# The benchmark command without GL (the null backend counts the work).
expect 2 "--backend: expected gl or null, got 'vulkan'" -- bench --backend vulkan
expect 2 "--fps: expected a number in 0.1..1000, got '0'" -- bench --fps 0
expect 2 "--frames: expected an integer" -- bench --frames 0
expect 2 "unexpected argument 'x'" -- bench x
expect 0 "--random-seek" -- bench --help
expect 0 "Frame timing \(5 frames\)" -- bench --backend null --playback-frames 5
expect 0 "NSPLAY PLAYBACK BENCHMARK RESULTS" -- bench --backend null --all-overlays --playback-frames 5

# nsplay result: a bench JSON's figures under the gate's metric names (TSV).
rdir=$(mktemp -d /tmp/nsplay-cli-result-XXXXXX)
"$nsplay" bench --backend null --all-overlays --playback-frames 5 --json "$rdir/r.json" >/dev/null 2>&1
tab=$(printf '\t')
expect 2 "expected at least one bench result FILE" -- result
expect 0 "^file${tab}tier${tab}metric${tab}value$" -- result "$rdir/r.json"
expect 0 "${tab}a${tab}draw_calls${tab}53$" -- result "$rdir/r.json"
expect 0 "${tab}c${tab}render_event_overlay_ms${tab}[0-9.e-]+$" -- result "$rdir/r.json"
expect 0 "${tab}info${tab}digest${tab}ed90de3a256e4322$" -- result "$rdir/r.json"
printf '{"schema": "nsplay-bench/9"}' >"$rdir/other.json"
expect 1 "other.json: schema 'nsplay-bench/9', expected nsplay-bench/1" -- result "$rdir/other.json"
rm -rf "$rdir"
expect 0 "Heap allocations during playback: 0" -- bench --backend null --all-overlays --playback-frames 20
expect 0 "Setup time: " -- bench --backend null --no-playback

# [TIMING] lines on stderr when NEUROSPATIAL_TIMING=1.
out=$(NEUROSPATIAL_TIMING=1 "$nsplay" bench --backend null --events --playback-frames 3 2>&1 >/dev/null)
if printf '%s\n' "$out" | grep -Eq '^\[TIMING\] render_event_overlay: [0-9]+\.[0-9]{3} ms$' &&
   printf '%s\n' "$out" | grep -Eq '^\[TIMING\] generate_scenario: [0-9]+\.[0-9]{3} ms$'; then
    passes=$((passes + 1))
else
    echo "FAIL: NEUROSPATIAL_TIMING=1 gave no [TIMING] lines for the event callback and set-up:"
    printf '%s\n' "$out" | head -5 | sed 's/^/    /'
    fails=$((fails + 1))
fi
out=$("$nsplay" bench --backend null --events --playback-frames 3 2>&1)
if printf '%s\n' "$out" | grep -q '\[TIMING\]'; then
    echo "FAIL: [TIMING] lines printed without NEUROSPATIAL_TIMING"
    fails=$((fails + 1))
else
    passes=$((passes + 1))
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
