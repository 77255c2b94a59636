#!/bin/sh
# Command-line behaviour a user sees: exit codes and messages for bad input,
# --help (and what it lists), --version, exact long options, the order of
# notices and usage errors, and the clamp notice. Usage: cli_test.sh NSPLAY
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
expect 0 "clamped to 50" -- bench --backend null --frames 50 --playback-frames 100
expect 0 "position only" -- scenario
expect 0 "Overlays: position, bodyparts, head_direction, events, timeseries, video" -- scenario --all-overlays
expect 0 "Overlays: events, video" -- scenario --video --events

# --version and -V: the version, the commit and the build type.
expect 0 "^nsplay [0-9]+\.[0-9]+\.[0-9]+, commit ([0-9a-f]{7,}(-dirty)?|unknown), [A-Za-z]+ build$" -- --version
expect 0 "^nsplay [0-9]+\.[0-9]+\.[0-9]+, commit .*, [A-Za-z]+ build$" -- -V
# The top-level help names the environment variables, the test-only one as such.
for var in NEUROSPATIAL_TIMING NEUROSPATIAL_PERFMON NAPARI_PERFMON "NSPLAY_TEST_SLOWDOWN=LIST +test-only"; do
    expect 0 "$var" -- --help
done
expect 0 "--version" -- --help

# Each command's help lists only the options it uses: --playback-frames
# ("for timing") is the benchmark's alone.
expect 0 "--playback-frames N +frames stepped through for timing" -- bench --help
for cmd in view render scenario; do
    if "$nsplay" "$cmd" --help 2>&1 | grep -q -- '--playback-frames\|for timing'; then
        echo "FAIL: nsplay $cmd --help lists --playback-frames, which $cmd does not use"
        fails=$((fails + 1))
    else
        passes=$((passes + 1))
    fi
    expect 2 "unrecognized option '--playback-frames'" -- "$cmd" --playback-frames 5
done
# The scenario summary does not speak of timed frames: nothing is timed.
expect 0 "^Scenario: seed 42, 500 frames, grid 50, 30 samples/s$" -- scenario
if "$nsplay" scenario 2>&1 | grep -q 'timed'; then
    echo "FAIL: nsplay scenario speaks of timed frames"
    fails=$((fails + 1))
else
    passes=$((passes + 1))
fi
# A short scenario does not raise the clamp notice of the 100 timed frames
# that only the benchmark has.
if "$nsplay" scenario --frames 50 2>&1 | grep -q 'clamped'; then
    echo "FAIL: nsplay scenario --frames 50 warns about clamped playback frames"
    fails=$((fails + 1))
else
    passes=$((passes + 1))
fi

# Long options are exact: abbreviations are refused, naming the full option
# (one place for every command: the getopt_long wrapper of src/cli/options.c).
expect 2 "unrecognized option '--headles': long options are not abbreviated \(did you mean --headless\?\)" -- bench --headles
expect 2 "unrecognized option '--pos'.*did you mean --position\?" -- scenario --pos
expect 2 "unrecognized option '--pos'.*did you mean --position\?" -- render --pos --out /dev/null
expect 2 "unrecognized option '--play'.*did you mean --playback-frames\\?" -- bench --play 5
expect 2 "unrecognized option '--scen'.*did you mean --scenario\?" -- gate --scen all6
expect 2 "unrecognized option '--di'.*did you mean --dir\?" -- history show --di x
expect 2 "unrecognized option '--to'.*did you mean --top\?" -- trace-summary --to 3 x
expect 2 "Try 'nsplay scenario --help'" -- scenario --all
# An option's value may look like an abbreviation: it is not an option.
expect 0 "Scenario: seed 42" -- scenario --frames=50 --all-overlays

# Notices come after the command line is known to be valid: render's usage
# error is the only message, without "no overlay flag given" before it.
out=$("$nsplay" render 2>&1)
if [ "$(printf '%s\n' "$out" | head -1)" = "nsplay: error: --out FILE is required" ] &&
   ! printf '%s\n' "$out" | grep -q 'no overlay flag'; then
    passes=$((passes + 1))
else
    echo "FAIL: nsplay render (no --out): wanted only the usage error, got:"
    printf '%s\n' "$out" | sed 's/^/    /'
    fails=$((fails + 1))
fi
out=$("$nsplay" scenario --grid-size 1 2>&1)
if printf '%s\n' "$out" | grep -q 'no overlay flag'; then
    echo "FAIL: nsplay scenario --grid-size 1: the overlay notice came with a usage error"
    fails=$((fails + 1))
else
    passes=$((passes + 1))
fi

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
expect 1 "other.json: schema 'nsplay-bench/9', expected nsplay-bench/2 or nsplay-bench/1" -- result "$rdir/other.json"
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
