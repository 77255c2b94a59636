#!/bin/sh
# The nightly report (scripts/nightly-report, docs/nightly.md) from a small
# synthetic history: 12 fabricated nights appended with `nsplay history
# append` (E-divisive needs 5 runs on each side of a change), frame median of
# all6 30% slower from the 7th night on, one night of another machine
# profile, and a latest night whose gate failed one scenario and whose values
# cross SPEC §3's bounds. Checks the pages, that every plot they name exists,
# the table, the change markers and the links; with --browser, also that
# Chromium renders the pages (a screenshot that is not blank, and plots that
# show: the scenario page differs from the same page with its images gone).
#
#   nightly_report_test.sh NSPLAY REPO_DIR [--browser TEST_GOLDEN]
#
# Exit status: 0 pass, 1 fail, 77 skipped (a tool is missing; the reason is
# printed).
set -u
nsplay=$1
repo=$2
browser=0
test_golden=""
if [ "${3:-}" = "--browser" ]; then
    browser=1
    test_golden=${4:-}
fi

skip() { echo "SKIP: $*"; exit 77; }
for tool in jq gnuplot; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (scripts/install-deps installs it)"
done
"$nsplay" history --help >/dev/null 2>&1 || skip "this nsplay has no 'history' command"
chromium=""
if [ "$browser" -eq 1 ]; then
    for c in chromium chromium-browser; do
        command -v "$c" >/dev/null 2>&1 && { chromium=$c; break; }
    done
    [ -n "$chromium" ] || skip "chromium is not installed (apt-get install chromium): the browser check needs it"
    [ -x "$test_golden" ] || skip "no test_golden to compare screenshots with"
fi

tmp=$(mktemp -d /tmp/nsplay-nightly-report-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
check() {  # check DESC COMMAND...: passes when the command does.
    desc=$1
    shift
    if "$@" >/dev/null 2>&1; then ok; else bad "$desc"; fi
}

# 1. The synthetic history.
profile=llvmpipe-test_amd-epyc_2c
hist=$tmp/history
i=1
while [ "$i" -le 12 ]; do
    jq -n --argjson i "$i" --arg profile "$profile" '
        ($i | tostring | if length < 2 then "0" + . else . end) as $dd
        | (if $i >= 7 then 1.3 else 1 end) as $step
        | ([0.01, -0.02, 0.015, -0.005, 0.02, 0][$i % 6]) as $noise
        | ($i == 12) as $last
        | {schema: 1, kind: "nsplay-night", date: "2031-03-\($dd)T03:00:00Z", commit: "abc\($dd)ef",
           profile: $profile, toolchain: "gcc-12.2.0-release-x86-64",
           machine: {gl_renderer: "llvmpipe (test)", cpu: "AMD EPYC", cores: 2},
           records: [
             {scenario: "position",
              metrics: {frame_median_ms: (0.75 + $noise), frame_p95_ms: (0.8 + $noise), frame_mean_ms: 0.77,
                        callbacks_total_ms: 0.006, callbacks_total_mean_ms: (if $last then 12 else 0.007 end),
                        paint_gpu_ms: 0.004, paint_gpu_mean_ms: (if $last then 12 else 0.005 end),
                        setup_ms: 30, rss_growth_kib: 0, "frame_median/floor": 0.8},
              spread: {frame_median_ms: 0.01, frame_p95_ms: 0.02, setup_ms: 1}},
             {scenario: "all6",
              metrics: {frame_median_ms: ((1.77 + $noise) * $step), frame_p95_ms: (2.0 + $noise), frame_mean_ms: 1.8,
                        callbacks_total_ms: 0.04, callbacks_total_mean_ms: 0.04, paint_gpu_ms: 0.2,
                        paint_gpu_mean_ms: 1.0, setup_ms: 130, rss_growth_kib: 0, skip_rate_pct: 0,
                        rss_growth_10000f_kib: 992, floor_median_ms: (1.28 + $noise)},
              spread: {frame_median_ms: 0.02, frame_p95_ms: 0.05, skip_rate_pct: 0}},
             {scenario: "odd \"name\"/<x>", metrics: {frame_median_ms: (1 * $step), floor_median_ms: (1.2 * $step)}},
             {scenario: "startup", metrics: {process_setup_ms: 40, process_setup_100k_ms: 86},
              spread: {process_setup_ms: 1, process_setup_100k_ms: 2}}],
           extra: {repetitions: 5, quick: false, seconds: 300,
                   gate: {
                     position: {status: "pass", summary: "position: PASS", tiers: {a_counters: "pass", b_instructions: "pass", c_timing: "pass", d_targets: "pass"},
                                rows: [{tier: "c", metric: "frame_median_ms", baseline: 0.75, current: 0.76, verdict: "pass"}]},
                     all6: {status: (if $last then "fail" else "pass" end), summary: "all6: FAIL",
                            tiers: {a_counters: "pass", b_instructions: "pass", c_timing: (if $last then "FAIL: frame_median_ms +30%" else "pass" end), d_targets: "pass"},
                            rows: [{tier: "c", metric: "frame_median_ms", baseline: 1.77, current: 2.3, verdict: (if $last then "fail" else "pass" end)}]}},
                   hyperfine: [{command: "nsplay bench --headless --no-playback --all-overlays", mean_s: 0.04, stddev_s: 0.001,
                                median_s: 0.04, min_s: 0.039, max_s: 0.042, runs: 10}],
                   targets: {callbacks_total_ms: {target: 5, acceptable: 10}, paint_gpu_ms: {target: 10, acceptable: 15},
                             frame_latency_ms: {target: 16, acceptable: 40}, skip_rate_pct: {target: 5, acceptable: 15},
                             setup_s: {target: 5, acceptable: null}, rss_growth_kib: {target: 256, acceptable: null}}}}' \
        >"$tmp/night.json"
    "$nsplay" history append --dir "$hist" --run "$tmp/night.json" >"$tmp/append.log" 2>&1 ||
        { cat "$tmp/append.log"; bad "history append of night $i"; }
    i=$((i + 1))
done
# Another machine's night: counted, not plotted.
jq '.profile = "other-machine_4c" | .date = "2031-03-20T03:00:00Z"' "$tmp/night.json" >"$tmp/other.json"
"$nsplay" history append --dir "$hist" --run "$tmp/other.json" >/dev/null 2>&1 || bad "history append of another profile"
# The other profile's night is the newest file: the report follows the
# latest night's profile, so make ours the latest again.
jq '.date = "2031-03-21T03:00:00Z" | .commit = "abc13ef"' "$tmp/night.json" >"$tmp/night13.json"
"$nsplay" history append --dir "$hist" --run "$tmp/night13.json" >/dev/null 2>&1 || bad "history append of night 13"

# 2. The report.
out=$tmp/report
if ! NSPLAY=$nsplay "$repo/scripts/nightly-report" "$hist" "$out" >"$tmp/report.log" 2>&1; then
    cat "$tmp/report.log"
    bad "scripts/nightly-report failed"
    echo "$passes passed, $fails failed"
    exit 1
fi
idx=$out/index.html
page=$out/scenario-all6.html
check "index.html written" test -s "$idx"
check "a page for all6" test -s "$page"
check "a page for position" test -s "$out/scenario-position.html"
check "the latest-night table" grep -q '<table id="latest">' "$idx"
check "an odd scenario name gets a safe page name" test -s "$out/scenario-odd__name___x_.html"
check "an odd scenario name is escaped" grep -q 'odd &quot;name&quot;/&lt;x&gt;' "$idx"
check "a row per scenario (all6)" grep -q '<tr id="row-all6">' "$idx"
check "a row per scenario (position)" grep -q '<tr id="row-position">' "$idx"
check "rows link to the scenario's plots" grep -q 'href="scenario-all6.html#plots"' "$idx"
check "the gate's failure is shown" grep -q 'v-fail' "$idx"
check "callback total beyond acceptable is a failure mark" grep -q '12 <span class="bad">✗' "$idx"
check "memory growth beyond target is a warning mark" grep -q '992 <span class="warn">⚠' "$idx"
check "against the baseline" grep -q 'baseline 1.77' "$idx"
check "the other profile is named, not mixed in" grep -q 'other-machine_4c (1 runs)' "$idx"
check "13 nights of this profile" grep -q '13 nights of this profile' "$idx"
check "the change point is listed" grep -Eq 'class="change".*all6.*frame_median_ms.*\+[0-9.]+% slower' "$idx"
check "the change names its commits" grep -q 'abc06ef..abc07ef' "$idx"
check "a change without the floor frame's says it was steady" \
    grep -Eq 'all6</a></td><td class="name">frame_median_ms</td>.*<td>steady</td>' "$idx"
check "a change with the floor frame's is marked as the machine's" \
    grep -Eq 'name.*/&lt;x&gt;</a></td><td class="name">frame_median_ms</td>.*<td>changed too: the machine\?</td>' "$idx"
check "the change links to its plot" grep -q 'href="scenario-all6.html#plot-frame_median_ms"' "$idx"
check "the scenario page lists the change" grep -q '<li class="change slower">' "$page"
check "plots link back to the table" grep -q 'href="index.html#row-all6"' "$page"
check "the plot has an anchor" grep -q 'id="plot-frame_median_ms"' "$page"
for m in frame_median_ms frame_p95_ms callbacks_total_ms setup_ms; do
    check "a plot of all6 $m" grep -q "src=\"plots/all6--$m.svg\"" "$page"
done
check "the skip rate is plotted for all6" grep -q 'src="plots/all6--skip_rate_pct.svg"' "$page"
check "the change is drawn in its plot" grep -q 'slower' "$out/plots/all6--frame_median_ms.svg"
check "the change's commits label it" grep -q 'abc06ef..abc07ef' "$out/plots/all6--frame_median_ms.svg"
check "no change drawn where there is none" sh -c "! grep -q 'slower' '$out/plots/position--frame_median_ms.svg'"
# Every image and every local link names a file that is there.
# shellcheck disable=SC2013  # file names without spaces, one per word.
n_img=0
for f in "$out"/*.html; do
    for img in $(sed -n 's/.*<img src="\([^"]*\)".*/\1/p' "$f"); do
        n_img=$((n_img + 1))
        if [ -s "$out/$img" ] && grep -q '<svg' "$out/$img"; then ok; else bad "$(basename "$f") names $img: missing or not SVG"; fi
    done
    for link in $(grep -o 'href="[^"#]*\.html' "$f" | sed 's/^href="//'); do
        [ -f "$out/$link" ] || bad "$(basename "$f") links to $link, which is missing"
    done
done
if [ "$n_img" -ge 10 ]; then ok; else bad "only $n_img images in the pages"; fi
check "no staging folder left" sh -c "! ls -d '$out'/.staging-* 2>/dev/null | grep -q ."
check "no script, no remote resource" sh -c "! grep -Eiq '<script|https?://' '$out'/*.html"
# A second run over the same folder replaces the files.
NSPLAY=$nsplay "$repo/scripts/nightly-report" "$hist" "$out" >/dev/null 2>&1 || bad "a second report over the first failed"
check "index.html still there after the second run" test -s "$idx"
# Missing history: an error naming it, not a crash.
NSPLAY=$nsplay "$repo/scripts/nightly-report" "$tmp/nothing" "$tmp/r2" >"$tmp/err.log" 2>&1
if [ $? -eq 1 ] && grep -q "$tmp/nothing" "$tmp/err.log"; then ok; else bad "an empty history is an error naming it"; fi

# 3. In a real browser.
if [ "$browser" -eq 1 ]; then
    shot() {  # shot FILE.html OUT.png
        profile_dir=$(mktemp -d "$tmp/chromium-XXXXXX")
        timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$profile_dir" --hide-scrollbars --window-size=1280,1600 \
            --screenshot="$2" "file://$1" >"$tmp/chromium.log" 2>&1
    }
    printf '<!DOCTYPE html><html><body></body></html>\n' >"$tmp/blank.html"
    shot "$tmp/blank.html" "$tmp/blank.png"
    shot "$idx" "$tmp/index.png"
    shot "$page" "$tmp/all6.png"
    # The same page with its plots gone (same layout: the boxes stay).
    sed -e 's|<img src="plots/[^"]*"|<img src="none.svg"|' -e 's| alt="[^"]*"| alt=""|' "$page" >"$out/noplots.html"
    shot "$out/noplots.html" "$tmp/noplots.png"
    for f in blank index all6 noplots; do
        if [ -s "$tmp/$f.png" ]; then ok; else bad "chromium wrote no screenshot of $f"; tail -5 "$tmp/chromium.log"; fi
    done
    if [ -s "$tmp/blank.png" ] && [ -s "$tmp/index.png" ]; then
        if "$test_golden" --compare "$tmp/blank.png" "$tmp/index.png" >"$tmp/cmp.txt"; then
            bad "the index screenshot is blank: $(cat "$tmp/cmp.txt")"
        else
            ok
        fi
    fi
    if [ -s "$tmp/noplots.png" ] && [ -s "$tmp/all6.png" ]; then
        if "$test_golden" --compare "$tmp/noplots.png" "$tmp/all6.png" >"$tmp/cmp.txt"; then
            bad "the plots do not show in Chromium: $(cat "$tmp/cmp.txt")"
        else
            ok
        fi
    fi
    if [ -n "${NSPLAY_KEEP_SCREENSHOTS:-}" ]; then
        mkdir -p "$NSPLAY_KEEP_SCREENSHOTS" && cp "$tmp"/*.png "$NSPLAY_KEEP_SCREENSHOTS"/
    fi
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
