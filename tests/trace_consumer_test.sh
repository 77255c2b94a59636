#!/bin/sh
# The benchmark's trace as real consumers read it. nsplay's own checker is in
# bench_trace; here a 20-frame `nsplay bench --headless --all-overlays` trace
# (floor frame on) goes to:
# - Chrome DevTools' trace engine (npm @paulirish/trace_engine under
#   tools/npm): tests/trace_consumer.mjs checks the process and thread names
#   it reads, one complete "frame" event per frame holding its phases and
#   steps, and the floor frame on the "reference" track;
# - with --speedscope, speedscope's own app (npm speedscope under tools/npm)
#   in headless Chromium, served from a local HTTP server: its profile list
#   must name the process and both tracks ("nsplay (pid P), main (tid P)",
#   "nsplay (pid P), reference (tid P+2)").
# Both are pinned in scripts/install-deps.
#
# usage: trace_consumer_test.sh NSPLAY ROOT [--speedscope]
# Exit status: 0 pass, 1 fail, 77 skipped (reason printed): no node, the
# consumer not installed, no chromium or python3 (--speedscope), or no GL
# context.
set -u
nsplay=${1:?usage: trace_consumer_test.sh NSPLAY ROOT [--speedscope]}
root=${2:?usage: trace_consumer_test.sh NSPLAY ROOT [--speedscope]}
mode=${3:-engine}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
npm_dir=$root/tools/npm/node_modules
if [ "$mode" = "--speedscope" ]; then
    app=$npm_dir/speedscope/dist/release
    [ -f "$app/index.html" ] || skip "speedscope is not installed: no $app (run scripts/install-deps)"
    chromium=""
    for c in chromium chromium-browser; do
        command -v "$c" >/dev/null 2>&1 && { chromium=$c; break; }
    done
    [ -n "$chromium" ] || skip "chromium is not installed (apt-get install chromium)"
    command -v python3 >/dev/null 2>&1 || skip "python3 is not installed (it serves speedscope to Chromium)"
else
    engine=$npm_dir/@paulirish/trace_engine
    command -v node >/dev/null 2>&1 || skip "node is not installed (scripts/install-deps installs it)"
    [ -f "$engine/analyze-trace.mjs" ] ||
        skip "Chrome's trace engine is not installed: no $engine (run scripts/install-deps)"
fi
tmp=$(mktemp -d)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

NEUROSPATIAL_PERFMON="$tmp/trace.json" "$nsplay" bench --headless --all-overlays \
    --playback-frames 20 >"$tmp/out" 2>&1
status=$?
if [ "$status" -eq 3 ]; then
    echo "SKIP: no GL context here:"; cat "$tmp/out"
    exit 77
fi
[ "$status" -eq 0 ] || { cat "$tmp/out"; fail "nsplay bench exited with status $status"; }

if [ "$mode" != "--speedscope" ]; then
    # 20 timed frames and the warm-up frame, each with every overlay's step.
    exec node "$root/tests/trace_consumer.mjs" "$engine" "$tmp/trace.json" 21 \
        update_field render_video_overlay render_position_overlay render_bodypart_overlay \
        render_head_direction_overlay render_event_overlay render_timeseries_overlay
fi

# speedscope fetches its profile, which Chromium allows over HTTP only: a
# server on a port the system picks, read from its first line.
mkdir "$tmp/www"
cp -R "$app/." "$tmp/www/"
cp "$tmp/trace.json" "$tmp/www/trace.json"
(cd "$tmp/www" && exec python3 -u -m http.server 0 --bind 127.0.0.1 >"$tmp/http.log" 2>&1) &
server=$!
port=""
for _ in $(seq 100); do
    port=$(sed -n 's/.*port \([0-9][0-9]*\).*/\1/p' "$tmp/http.log" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/http.log"; fail "the HTTP server did not start"; }
url="http://127.0.0.1:$port"
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
    --window-size=1400,900 --virtual-time-budget=10000 --dump-dom \
    "$url/index.html#profileURL=$url/trace.json" >"$tmp/dom.html" 2>"$tmp/chromium.log" ||
    { tail -5 "$tmp/chromium.log"; fail "chromium failed"; }
pid=$(sed -n 's/.*"process_name","cat":"__metadata","ph":"M","ts":0,"pid":\([0-9]*\).*/\1/p' "$tmp/trace.json")
[ -n "$pid" ] || fail "no process_name metadata in the trace"
fails=0
for track in "main (tid $pid)" "reference (tid $((pid + 2)))"; do
    if grep -qF "nsplay (pid $pid), $track" "$tmp/dom.html"; then
        echo "ok: speedscope lists 'nsplay (pid $pid), $track'"
    else
        echo "FAIL: speedscope does not list 'nsplay (pid $pid), $track'"
        fails=$((fails + 1))
    fi
done
[ "$fails" -eq 0 ] || { grep -o 'nsplay (pid[^<"]*' "$tmp/dom.html" | sort -u; fail "speedscope's profile list"; }
echo "speedscope: all checks passed"
