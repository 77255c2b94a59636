#!/bin/sh
# Issue 11's defects, each through the real command line with its
# reproducer: loaders that reject numbers that cannot be true, a gate that
# never passes having judged nothing and reads its baselines before it
# measures, contradictory options refused (exit 2), messages that name the
# file and the real reason. Usage: inputs_test.sh NSPLAY
set -u
nsplay=$1
tmp=$(mktemp -d /tmp/nsplay-inputs-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/lib/expect.sh"

# Item 3: a counters baseline of infinity made tier a pass for ever; it is
# reported, naming the file, before anything is measured.
mkdir -p "$tmp/inf/counters"
cat >"$tmp/inf/counters/position.json" <<'JSON'
{"schema": 1, "kind": "counters", "scenario": "position", "digest": "ed90de3a256e4322", "commit": "x",
 "date": "2026-01-01T00:00:00Z", "counters": {"draw_calls": 1e999, "vertices": 1, "bytes_uploaded": 1,
 "texture_uploads": 1, "buffer_uploads": 1, "allocations_during_playback": 0}}
JSON
expect 1 "inf/counters/position.json: counters.draw_calls: expected an integer in 0..9007199254740992, got an infinite number" \
    -- gate --scenario position --baselines "$tmp/inf" --tiers a
expect_not "gating position" -- gate --scenario position --baselines "$tmp/inf" --tiers a
mkdir -p "$tmp/inf/timing/someprofile"
printf '{"schema": 1, "kind": "timing", "scenario": "events", "digest": "d", "commit": "c", "date": "d", "metrics": {"frame_median_ms": {"samples": [1e999, 1e999, 1e999]}}}' \
    >"$tmp/inf/timing/someprofile/events.json"
expect 1 "timing/someprofile/events.json: metric frame_median_ms sample 0: ms: expected a number in 1e-09..86400000, got an infinite one" \
    -- gate --scenario events --baselines "$tmp/inf"

# Item 4: the bench result reader took a huge cores and infinite counters.
"$nsplay" bench --backend null --position --playback-frames 3 --json "$tmp/r.json" >/dev/null 2>&1
sed 's/"cores":[[:space:]]*[0-9]*/"cores": 1e300/' "$tmp/r.json" >"$tmp/cores.json"
expect 1 "cores.json: machine.cores: expected an integer in 0..65536, got 1e\+300" -- result "$tmp/cores.json"
sed 's/"draw_calls":[[:space:]]*[0-9]*/"draw_calls": 1e999/' "$tmp/r.json" >"$tmp/counters.json"
expect 1 "counters.json: work.per_frame.draw_calls: expected an integer in 0..9007199254740992, got an infinite number" \
    -- result "$tmp/counters.json"
sed 's/"vertices":[[:space:]]*[0-9]*/"vertices": -4/' "$tmp/r.json" >"$tmp/negative.json"
expect 1 "negative.json: work.per_frame.vertices: expected an integer in 0..9007199254740992, got -4" \
    -- result "$tmp/negative.json"
expect 0 "draw_calls" -- result "$tmp/r.json"

# Item 6: the gate passed having judged nothing.
expect 2 "--tiers: expected at least one of a, b, c, d, got nothing" -- gate --scenario position --tiers ''
expect 2 "--baselines: '/nonexistent/dir': No such file or directory" -- gate --scenario position --baselines /nonexistent/dir
mkdir -p "$tmp/empty"
expect 77 "SKIPPED a \(nothing judged\) — a: skipped: no baseline" -- gate --scenario position --baselines "$tmp/empty" --tiers a

# Item 8: numbers with leading blanks, contradictory options.
expect 2 "--seed: expected an integer in 0..18446744073709551615, got ' -1'" -- scenario --seed ' -1'
expect 2 "--frames: expected an integer in 1..10000000, got ' 5'" -- scenario --frames ' 5'
expect 2 "--no-playback measures set-up only: --fps" -- bench --no-playback --fps 25
expect 2 "--no-playback measures set-up only: --random-seek" -- bench --no-playback --random-seek
expect 2 "--fps paces real-time playback on a display; --backend null" -- bench --backend null --fps 25
expect 2 "--list only lists the scenarios" -- gate --list --profile
expect 2 "--all already includes every pull-request scenario" -- gate --all --scenario position
expect 2 "--all already includes every pull-request scenario" -- gate --scenario position --all
expect 2 "--all and --nightly choose different scenario sets" -- gate --all --nightly
expect 2 "--all already includes every pull-request scenario" -- baseline refresh --all --scenario position
expect 2 "--scenario: 'position' given twice" -- gate --scenario position --scenario position
expect 2 "--reps sets the timed repetitions of tiers c and d" -- gate --scenario position --tiers ab --reps 5
expect 2 "--against judges against the other binary's runs" -- gate --scenario position --against "$nsplay" --baselines baselines
# refresh --tiers a records the counters and runs no timed repetition.
expect 0 "tier c not asked" -- baseline refresh --scenario position --baselines "$tmp/fresh/base" --tiers a --work "$tmp/w"
if [ -f "$tmp/fresh/base/counters/position.json" ] && ! ls "$tmp/w" | grep -q rep; then
    passes=$((passes + 1))
else
    echo "FAIL: baseline refresh --tiers a: no counters written, or timed repetitions run:"
    ls -R "$tmp/fresh" "$tmp/w" 2>&1 | sed 's/^/    /'
    fails=$((fails + 1))
fi

# Item 9: "wrote" only after a write that worked; a directory named as such.
mkdir -p "$tmp/blocked/counters/position.json"
expect_not "wrote .*position.json" -- baseline refresh --scenario position --baselines "$tmp/blocked" --tiers a --work "$tmp/w2"
expect 1 "cannot write" -- baseline refresh --scenario position --baselines "$tmp/blocked" --tiers a --work "$tmp/w3"
expect 1 "$tmp: is a directory, expected a file" -- trace-summary "$tmp"
expect 1 "$tmp: is a directory, expected a file" -- result "$tmp"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
