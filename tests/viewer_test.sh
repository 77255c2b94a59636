#!/bin/sh
# The interactive viewer, driven as a user would: `nsplay view --all-overlays`
# runs in a virtual X server (xvfb-run) and xdotool presses keys in its
# window. Run 1: h (help), End, Left, Left and q; the title must say
# "frame 497/499 ... [paused]" with no rate before q, and the screenshot's
# status and help overlays, read back with OVERLAY_TEXT, must give the frame,
# time, speed, play state and every key. Run 2 (--play): after a second the
# title gives the shown rate (1..30 fps); o hides the status, End, Left,
# Left, q, and the screenshot must match a headless `nsplay render` of frame
# 497 within the golden-frame tolerance (docs/golden.md): the overlays are
# the viewer's only. Each run must exit 0 reporting frame 497 shown. Both
# draw with Mesa llvmpipe here (GLX in Xvfb, EGL headless).
#
# usage: viewer_test.sh NSPLAY TEST_GOLDEN OVERLAY_TEXT
# Exit status: 0 pass, 1 fail, 77 skipped (reason printed): no xvfb-run,
# Xvfb or xdotool, or no GL context.
#
# Every wait polls a condition (window mapped, title text, process gone)
# against a deadline, so nothing depends on a sleep being long enough.
set -u

nsplay=${1:?usage: viewer_test.sh NSPLAY TEST_GOLDEN OVERLAY_TEXT}
golden_tool=${2:?usage: viewer_test.sh NSPLAY TEST_GOLDEN OVERLAY_TEXT}
text_tool=${3:?usage: viewer_test.sh NSPLAY TEST_GOLDEN OVERLAY_TEXT}
WAIT_S=${NSP_VIEWER_WAIT_S:-30}
LAST=499
EXPECT=$((LAST - 2))

skip() { echo "skipped: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# Outside the X server: check the tools, then run this script again inside
# xvfb-run. Two races of xvfb-run are handled here:
# - It stops its Xvfb with a signal and does not wait: the server removes
#   its lock file and then exits, so the next `xvfb-run -a` can pick the same
#   display while the old server still holds its socket, and a client
#   reaches the dying server. So each run starts looking for a free display
#   at a random number, and this script waits until its own server (found by
#   its unique auth file) has exited before returning.
# - An X server resets when its last client disconnects, and refuses
#   connections meanwhile: the probe below would make the viewer's connection
#   fail now and then. Hence -noreset.
# - Two X servers starting at once can collide on a display. A run whose X
#   server did not start (no "started" marker) or was not usable (exit 99)
#   is retried, up to three times.
UNUSABLE=99
if [ -z "${NSP_VIEWER_INNER:-}" ]; then
    for tool in xvfb-run Xvfb xauth xdotool; do
        command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (scripts/install-deps installs it)"
    done
    dir=$(mktemp -d) || fail "mktemp"
    trap 'rm -rf "$dir"' EXIT
    attempt=1
    while [ "$attempt" -le 3 ]; do
        rm -f "$dir/started" "$dir/Xauthority"
        first=$((100 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 800))
        NSP_VIEWER_INNER=1 NSP_VIEWER_MARKER=$dir/started \
            xvfb-run -n "$first" -a -f "$dir/Xauthority" -e "$dir/xvfb.log" \
            -s "-screen 0 1280x1024x24 -noreset" "$0" "$@"
        rc=$?
        # Wait for our server to be gone (xvfb-run only signalled it).
        deadline=$(($(date +%s) + 10))
        while server=$(pgrep -f -- "-auth $dir/Xauthority"); do
            if [ "$(date +%s)" -ge "$deadline" ]; then
                # shellcheck disable=SC2086
                kill -KILL $server 2>/dev/null
                break
            fi
            sleep 0.05
        done
        if [ -e "$dir/started" ] && [ "$rc" -ne "$UNUSABLE" ]; then
            exit "$rc"
        fi
        echo "viewer_test: attempt $attempt: the X server did not start or could not be used (exit $rc)"
        cat "$dir/xvfb.log" 2>/dev/null
        attempt=$((attempt + 1))
    done
    fail "no usable X server from xvfb-run in three attempts"
fi

: >"$NSP_VIEWER_MARKER"
# The server is ours and answers (its screen is the size asked for).
geometry=$(xdotool getdisplaygeometry 2>&1)
if [ "$geometry" != "1280 1024" ]; then
    echo "viewer_test: display $DISPLAY: '$geometry', expected '1280 1024'"
    exit "$UNUSABLE"
fi
tmp=$(mktemp -d) || fail "mktemp"
viewer_pid=""
cleanup() {
    if [ -n "$viewer_pid" ] && kill -0 "$viewer_pid" 2>/dev/null; then
        kill "$viewer_pid" 2>/dev/null
        wait "$viewer_pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now_ms() { date +%s%3N; }

# wait_until DESCRIPTION COMMAND...: polls COMMAND every 20 ms until it
# succeeds; fails after WAIT_S seconds, or at once if the viewer has exited.
wait_until() {
    what=$1
    shift
    deadline=$(($(now_ms) + WAIT_S * 1000))
    while ! "$@"; do
        if ! kill -0 "$viewer_pid" 2>/dev/null; then
            wait "$viewer_pid"
            rc=$?
            viewer_pid=""
            cat "$tmp/view.out" "$tmp/view.err"
            if [ "$rc" -eq 3 ]; then
                # The display vanished under us (retried), or there is no GL.
                grep -q "Failed to open display" "$tmp/view.err" && exit "$UNUSABLE"
                skip "nsplay view found no GL context on the X server (see above)"
            fi
            fail "the viewer exited (status $rc) while waiting for $what"
        fi
        [ "$(now_ms)" -lt "$deadline" ] || fail "timed out after ${WAIT_S}s waiting for $what (title: '$(title)')"
        sleep 0.02
    done
}

window=""
find_window() {
    window=$(xdotool search --onlyvisible --name '^nsplay' 2>/dev/null | head -n 1)
    [ -n "$window" ]
}
title() { [ -n "$window" ] && xdotool getwindowname "$window" 2>/dev/null; }
title_has() { title | grep -qF -- "$1"; }
title_has_frame() { title_has "frame $1/$LAST,"; }

# start_viewer SHOT ARGS...: starts `nsplay view --all-overlays` writing its
# screenshot to SHOT, and waits for its window and first frame.
start_viewer() {
    shot=$1
    shift
    window=""
    # Under AddressSanitizer (the debug preset) leak checking is off for the
    # viewer alone: Mesa's GLX software driver (swrast_dri.so) leaks 240 bytes
    # and is unloaded before LeakSanitizer reports, so no suppression can name
    # it. The renderer's own code is leak-checked by the headless tests.
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        "$nsplay" view --all-overlays --screenshot "$shot" "$@" >"$tmp/view.out" 2>"$tmp/view.err" &
    viewer_pid=$!
    wait_until "the viewer's window" find_window
    # The title is set after the first frame is drawn: the loop is running.
    wait_until "the first frame" title_has "frame "
    xdotool windowfocus --sync "$window" || fail "cannot focus window $window"
}

# One key at a time, each followed by the title it must produce.
press() {
    key=$1
    frame=$2
    xdotool key --window "$window" "$key" || fail "xdotool key $key failed"
    wait_until "frame $frame after $key" title_has_frame "$frame"
}

# quit_viewer SHOT: q, then the viewer must exit 0 reporting frame EXPECT
# shown and leave its screenshot.
quit_viewer() {
    xdotool key --window "$window" q || fail "xdotool key q failed"
    deadline=$(($(now_ms) + WAIT_S * 1000))
    while kill -0 "$viewer_pid" 2>/dev/null; do
        [ "$(now_ms)" -lt "$deadline" ] || fail "the viewer did not exit within ${WAIT_S}s of q"
        sleep 0.02
    done
    wait "$viewer_pid"
    status=$?
    viewer_pid=""
    cat "$tmp/view.out"
    [ "$status" -eq 0 ] || { cat "$tmp/view.err"; fail "nsplay view exited with status $status"; }
    grep -qx "viewer: frame $EXPECT shown at exit" "$tmp/view.out" ||
        fail "expected 'viewer: frame $EXPECT shown at exit' on its output"
    [ -s "$1" ] || fail "no screenshot written"
    # For looking at: NSP_VIEWER_KEEP_DIR keeps the screenshots.
    if [ -n "${NSP_VIEWER_KEEP_DIR:-}" ]; then
        cp "$1" "$NSP_VIEWER_KEEP_DIR/" || fail "cannot keep $1 in $NSP_VIEWER_KEEP_DIR"
    fi
}

# Run 1, paused, with the overlays: h shows the help (the keys are handled in
# order, so End's frame in the title means h was handled too), then End, Left,
# Left.
start_viewer "$tmp/overlay.png"
xdotool key --window "$window" h || fail "xdotool key h failed"
press End "$LAST"
press Left $((LAST - 1))
press Left "$EXPECT"
shown=$(title)
echo "title before q: $shown"
case $shown in
*"frame $EXPECT/$LAST,"*"[paused]"*) ;;
*) fail "expected 'frame $EXPECT/$LAST, ... [paused]' in the title, got '$shown'" ;;
esac
# Frame 497 at 30 frames a second.
title_has "t = 16.57 s" || fail "expected 't = 16.57 s' in the title, got '$shown'"
# Paused, nothing is being shown at a rate.
title_has "fps" && fail "a paused viewer's title gives a rate: '$shown'"
quit_viewer "$tmp/overlay.png"

# The overlays as drawn, read back from the screenshot (src/cli/viewer.c
# places them: status at (8, 8), help at (8, 84), 3-pixel padding and 10-pixel
# lines at scale 2).
"$text_tool" "$tmp/overlay.png" 14 14 2 3 40 >"$tmp/status.txt" || fail "cannot read the status overlay"
"$text_tool" "$tmp/overlay.png" 14 90 2 8 40 >"$tmp/help.txt" || fail "cannot read the help overlay"
echo "status overlay:"; cat "$tmp/status.txt"
echo "help overlay:"; cat "$tmp/help.txt"
expect_line() {  # expect_line FILE LINE WHAT
    grep -qxF -- "$2" "$1" || fail "expected the line '$2' in the $3 overlay"
}
expect_line "$tmp/status.txt" "frame $EXPECT/$LAST  t = 16.57 s" status
expect_line "$tmp/status.txt" "speed 1x  paused" status
expect_line "$tmp/status.txt" "h: help  o: hide" status
expect_line "$tmp/help.txt" "space      play / pause" help
expect_line "$tmp/help.txt" "left right step one frame" help
expect_line "$tmp/help.txt" "Home End   first / last frame" help
expect_line "$tmp/help.txt" "[ ]        halve / double speed" help
expect_line "$tmp/help.txt" "o          status on / off" help
expect_line "$tmp/help.txt" "h ?        this help on / off" help
expect_line "$tmp/help.txt" "q Esc      quit" help

# Run 2, playing: after a second of playing the title gives the rate frames
# are shown at, at most the data's 30 a second at speed 1x. Then o hides the
# status, End, Left, Left, and the screenshot must be the headless render.
start_viewer "$tmp/shot.png" --play
wait_until "the shown rate in the title" title_has " fps"
shown=$(title)
echo "title while playing: $shown"
fps=$(printf '%s\n' "$shown" | sed -n 's/.*, \([0-9][0-9]*\) fps$/\1/p')
[ -n "$fps" ] || fail "expected '..., N fps' at the end of the title, got '$shown'"
[ "$fps" -ge 1 ] && [ "$fps" -le 31 ] || fail "shown rate $fps fps is not in 1..31 (the data runs at 30)"
xdotool key --window "$window" o || fail "xdotool key o failed"
press End "$LAST"
press Left $((LAST - 1))
press Left "$EXPECT"
quit_viewer "$tmp/shot.png"

"$nsplay" render --all-overlays --frame "$EXPECT" --out "$tmp/ref.png" >"$tmp/render.out" 2>&1
rc=$?
[ "$rc" -eq 3 ] && { cat "$tmp/render.out"; skip "nsplay render found no headless GL context"; }
[ "$rc" -eq 0 ] || { cat "$tmp/render.out"; fail "nsplay render exited with status $rc"; }

echo "screenshot (status hidden) vs headless render of frame $EXPECT:"
"$golden_tool" --compare "$tmp/ref.png" "$tmp/shot.png" || fail "the screenshot differs from the headless render"
echo "PASS"
