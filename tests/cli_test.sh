#!/bin/sh
# Command-line behaviour a user sees: exit codes and messages for bad input,
# --help, and the clamp notice. Usage: cli_test.sh NSPLAY
set -u
nsplay=$1
fails=0
passes=0

# expect STATUS PATTERN -- ARGS...: runs nsplay ARGS, checks the exit status
# and that stdout+stderr match PATTERN (grep -E).
expect() {
    want=$1 pattern=$2
    shift 3
    out=$("$nsplay" "$@" 2>&1)
    got=$?
    if [ "$got" -ne "$want" ] || ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
        echo "FAIL: nsplay $*: status $got (want $want), output:"
        printf '%s\n' "$out" | sed 's/^/    /'
        echo "    (wanted /$pattern/)"
        fails=$((fails + 1))
    else
        passes=$((passes + 1))
    fi
}

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

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
