#!/bin/sh
# nsplay trace-summary as a user meets it: the numbers for a small trace whose
# statistics are worked out by hand (tests/data/trace_small.json), and exit
# codes and messages for bad input, and a trace written by core/timing itself
# (TRACE_GEN). Usage: trace_summary_test.sh NSPLAY DATADIR TRACE_GEN
#
# trace_small.json: three frames of 10, 12 and 8 ms starting at 0, 20 and
# 40 ms (total duration 48 ms), each holding render_position_overlay (2, 4,
# 3 ms), paint (4, 4, 3 ms) and, in the first two, render_event_overlay
# (1 ms). So: frame total 30, mean 10, p95 10 + 0.9 * 2 = 11.8, self
# 3 + 3 + 2 = 8; render_position_overlay total 9, p95 3.9; paint total 11,
# mean 3.667, p95 4; callback self time 9 + 2 = 11 ms = 22.9 % of 48 ms;
# outside any zone 48 - 30 = 18 ms.
set -u
nsplay=$1
data=$2
trace_gen=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/lib/expect.sh"

small=$data/trace_small.json
expect 0 "usage: nsplay trace-summary" -- trace-summary --help
expect 0 "Events: 11 complete, 3 instant, 2 metadata, 0 other" -- trace-summary "$small"
expect 0 "Total duration: 48\.000 ms" -- trace-summary "$small"
expect 0 "callback +11\.000 ms +22\.9%" -- trace-summary "$small"
expect 0 "paint +11\.000 ms +22\.9%" -- trace-summary "$small"
expect 0 "frame +8\.000 ms +16\.7%" -- trace-summary "$small"
expect 0 "\(outside any zone\) +18\.000 ms +37\.5%" -- trace-summary "$small"
expect 0 "frame +frame +3 +30\.000 +10\.000 +11\.800 +8\.000" -- trace-summary "$small"
expect 0 "render_position_overlay +callback +3 +9\.000 +3\.000 +3\.900 +9\.000" -- trace-summary "$small"
expect 0 "paint +paint +3 +11\.000 +3\.667 +4\.000 +11\.000" -- trace-summary "$small"
expect 0 "render_event_overlay +callback +2 +2\.000 +1\.000 +1\.000 +2\.000" -- trace-summary "$small"
expect 0 "frame_start +3 +0\.000 +40\.000" -- trace-summary "$small"
expect 0 "Format check: OK \(16 events\)" -- trace-summary --check "$small"
# --top 1: the largest total, then the largest count (ties: larger total).
expect 0 "by total time:
 +zone.*
 +frame +frame +3 +30\.000" -- trace-summary --top 1 "$small"
expect_not "render_event_overlay" -- trace-summary --top 1 "$small"
expect_not "paint +paint" -- trace-summary --top 1 "$small"

# What core/timing writes passes the check and sums up as written.
if "$trace_gen" "$tmp/gen.json"; then
    expect 0 "Events: 25 complete, 5 instant, 2 metadata, 0 other" -- trace-summary --check "$tmp/gen.json"
    expect 0 "process_events +event_loop +5 " -- trace-summary --check "$tmp/gen.json"
    expect 0 "render_event_overlay +callback +5 " -- trace-summary --check "$tmp/gen.json"
    expect 0 "frame +5 +0\.000 " -- trace-summary --check "$tmp/gen.json"
    expect 0 "Format check: OK \(32 events\)" -- trace-summary --check "$tmp/gen.json"
else
    echo "FAIL: $trace_gen could not write a trace"
    fails=$((fails + 1))
fi

# A bare array is a Chrome trace too.
sed -e '1s/^{"traceEvents":\[/[/' -e '/^"displayTimeUnit"/d' -e '/^"otherData"/d' -e 's/^\],$/]/' "$small" >"$tmp/array.json"
expect 0 "Total duration: 48\.000 ms" -- trace-summary "$tmp/array.json"

# Bad files: exit 1, naming the file and the problem.
expect 1 "$tmp/missing.json: cannot open: No such file or directory" -- trace-summary "$tmp/missing.json"
printf '{"traceEvents":[\n  {"name":"a","ph":"X",}\n]}\n' >"$tmp/broken.json"
expect 1 "$tmp/broken.json:2:2[45]: malformed JSON (near|after) '.*\\}'" -- trace-summary "$tmp/broken.json"
printf '' >"$tmp/empty.json"
expect 1 "$tmp/empty.json: empty file" -- trace-summary "$tmp/empty.json"
printf '{"events":[]}' >"$tmp/other.json"
expect 1 "$tmp/other.json: not a Chrome trace" -- trace-summary "$tmp/other.json"
# A child outlasting its parent: summarized with a warning, fatal with --check.
sed 's/"ts":5000.000,"dur":4000.000/"ts":5000.000,"dur":6000.000/' "$small" >"$tmp/overlap.json"
expect 0 "Format check: 1 problem" -- trace-summary "$tmp/overlap.json"
expect 1 "overlap.json: event 6 'paint' .* ends 1000\.000 us after the enclosing 'frame'" -- trace-summary --check "$tmp/overlap.json"

# No complete events (issue 11): a clear result, exit 0, also under the
# sanitizers (no qsort() of a NULL array).
printf '{"traceEvents":[]}' >"$tmp/none.json"
expect 0 "Complete events: none" -- trace-summary "$tmp/none.json"
expect 0 "Total duration: 0\.000 ms" -- trace-summary --check "$tmp/none.json"
expect 0 "Format check: OK \(0 events\)" -- trace-summary --check "$tmp/none.json"
# Times that would overflow in nanoseconds (issue 11): exit 1, naming the file,
# the event and what was expected; no summary with a made-up duration.
printf '{"traceEvents":[{"name":"a","ph":"X","ts":9.2e15,"dur":1e15,"pid":1,"tid":1}]}' >"$tmp/huge.json"
expect 1 "$tmp/huge.json: event 0: ts: expected a number in 0\.\.4\.6e\+15, got 9\.2e\+15" -- trace-summary "$tmp/huge.json"
expect_not "Total duration" -- trace-summary "$tmp/huge.json"
printf '{"traceEvents":[{"name":"a","ph":"X","ts":0,"dur":-3,"pid":1,"tid":1}]}' >"$tmp/negative.json"
expect 1 "$tmp/negative.json: event 0: dur: expected a number in 0\.\.4\.6e\+15, got -3" -- trace-summary "$tmp/negative.json"
printf '{"traceEvents":[{"name":"a","ph":"i","ts":1,"pid":1.5,"tid":1}]}' >"$tmp/pid.json"
expect 1 "$tmp/pid.json: event 0: pid: expected an integer" -- trace-summary "$tmp/pid.json"

# Bad options: exit 2.
expect 2 "expected a trace FILE" -- trace-summary
expect 2 "--top: expected an integer in 1\.\.1000000, got '0'" -- trace-summary --top 0 "$small"
expect 2 "--top: expected an integer" -- trace-summary --top many "$small"
expect 2 "unrecognized option" -- trace-summary --bogus "$small"
expect 2 "unexpected argument 'extra'" -- trace-summary "$small" extra

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
