#!/bin/sh
# The benchmark's Chrome trace: NEUROSPATIAL_PERFMON=FILE (and the old name
# NAPARI_PERFMON) writes a trace that follows the format's rules (checked by
# `nsplay trace-summary --check`) with every overlay callback, paint and
# event processing as complete events, each frame a complete "frame" event
# holding them with its instant marker, the floor frame on the "reference"
# track; a JSON config selects zones. Chrome's trace engine reads the same
# trace in trace_consumer_test.sh. Usage: bench_trace_test.sh NSPLAY
set -u
nsplay=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
check() {  # check DESCRIPTION COMMAND...
    desc=$1
    shift
    if "$@"; then passes=$((passes + 1)); else echo "FAIL: $desc"; fails=$((fails + 1)); fi
}

NEUROSPATIAL_PERFMON="$tmp/trace.json" "$nsplay" bench --headless --all-overlays --playback-frames 20 >"$tmp/out" 2>&1
status=$?
if [ "$status" -eq 3 ]; then
    echo "SKIP: no GL context here:"; cat "$tmp/out"
    exit 77
fi
check "bench with a trace exits 0 (got $status)" [ "$status" -eq 0 ]
check "trace passes the format check" "$nsplay" trace-summary --check "$tmp/trace.json" >"$tmp/summary" 2>&1
for zone in render_position_overlay render_bodypart_overlay render_head_direction_overlay \
            render_event_overlay render_timeseries_overlay render_video_overlay update_field \
            process_events draw finish generate_scenario; do
    check "zone $zone in the trace" grep -q "\"name\":\"$zone\",\"cat\":\"[a-z_]*\",\"ph\":\"X\"" "$tmp/trace.json"
done
frames=$(grep -o '"name":"frame","cat":"frame","ph":"i"' "$tmp/trace.json" | wc -l)
# 20 timed frames plus the untimed warm-up frame.
check "one instant event per frame (got $frames)" [ "$frames" -eq 21 ]
complete=$(grep -o '"name":"frame","cat":"frame","ph":"X"' "$tmp/trace.json" | wc -l)
check "one complete frame event per frame (got $complete)" [ "$complete" -eq 21 ]
floors=$(grep -c '"name":"floor_frame","cat":"reference","ph":"X"' "$tmp/trace.json")
check "the floor frames in category reference (got $floors)" [ "$floors" -eq 21 ]
check "the reference track is named" grep -q '"thread_name".*"args":{"name":"reference"}' "$tmp/trace.json"
check "process and thread names" grep -q '"process_name"' "$tmp/trace.json"

# The old variable name still works.
NAPARI_PERFMON="$tmp/old.json" "$nsplay" bench --headless --playback-frames 3 >/dev/null 2>&1
check "NAPARI_PERFMON writes a trace" "$nsplay" trace-summary --check "$tmp/old.json" >/dev/null 2>&1

# A config file selects which callables are traced.
cat >"$tmp/config.json" <<JSON
{"trace_file_on_start": "$tmp/selected.json", "trace_qt_events": false,
 "trace_callables": ["overlays"], "callable_lists": {"overlays": ["render_event_overlay"]}}
JSON
NEUROSPATIAL_PERFMON="$tmp/config.json" "$nsplay" bench --headless --events --playback-frames 5 >/dev/null 2>&1
check "config: trace written where trace_file_on_start says" "$nsplay" trace-summary --check "$tmp/selected.json" >/dev/null 2>&1
check "config: selected zone traced" grep -q '"name":"render_event_overlay"' "$tmp/selected.json"
check "config: other zones left out" sh -c "! grep -q '\"name\":\"update_field\"' '$tmp/selected.json'"
check "config: event loop not traced" sh -c "! grep -q '\"name\":\"process_events\"' '$tmp/selected.json'"

# A malformed config is an error naming the file and the line.
printf '{\n  "trace_qt_events": tru\n}\n' >"$tmp/bad.json"
out=$(NEUROSPATIAL_PERFMON="$tmp/bad.json" "$nsplay" bench --headless --playback-frames 2 2>&1)
status=$?
check "malformed config fails (got $status)" [ "$status" -ne 0 ]
check "malformed config message names file and line: $out" sh -c "printf '%s' \"\$1\" | grep -q 'bad.json:2'" _ "$out"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
