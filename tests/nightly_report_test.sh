#!/bin/sh
# The nightly report (scripts/nightly-report, docs/nightly.md) from a small
# synthetic history: 12 fabricated nights appended with `nsplay history
# append` (E-divisive needs 5 runs on each side of a change), frame median of
# all6 30% slower from the 7th night on, one night of another machine
# profile, and a latest night whose gate failed one scenario and whose values
# cross requirements §R3's bounds. Checks the pages, that every plot they name exists,
# the table, the number formats and units, the colours of the gate's
# verdicts, the axis labels, the change markers, and follows every link and
# anchor; then a three-night history whose latest night is a quick one on the
# day of a full one, with a paint source (the quick banners and marks, x
# labels that tell the nights apart, the paint label). With --browser, also
# that Chromium renders the pages (a screenshot that is not blank, and plots
# that show: the scenario page differs from the same page with its images
# gone); NSPLAY_KEEP_SCREENSHOTS=DIR keeps the screenshots there.
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
                                rows: [{tier: "c", metric: "frame_median_ms", baseline: 0.75, current: 0.76, verdict: "pass"},
                                       {tier: "c", metric: "frame_p95_ms", baseline: 0.16, current: 0.81, verdict: "inconclusive"}]},
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
check "the latest-night table" grep -q '<table id="latest"' "$idx"
check "an odd scenario name gets a safe page name" test -s "$out/scenario-odd__name___x_.html"
check "an odd scenario name is escaped" grep -q 'odd &quot;name&quot;/&lt;x&gt;' "$idx"
check "a row per scenario (all6)" grep -q '<tr id="row-all6">' "$idx"
check "a row per scenario (position)" grep -q '<tr id="row-position">' "$idx"
check "rows link to the scenario's plots" grep -q 'href="scenario-all6.html#plots"' "$idx"
check "the gate's failure is shown" grep -q 'v-fail' "$idx"
check "callback total beyond acceptable is a failure mark" grep -q '12.000 <span class="bad">✗' "$idx"
check "memory growth beyond target is a warning mark" grep -q '992 <span class="warn">⚠' "$idx"
check "against the baseline" grep -q 'baseline 1.770' "$idx"
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
# One number format per metric, with its unit, the same on every page: the
# frame median with 3 decimals in ms, set-up in ms (not s on one page and ms
# on another), the whole-process timings in ms, the change with one decimal.
check "frame median: 3 decimals on the index" grep -q '<td class="g-fail">2.314<' "$idx"
check "frame median: the same on the scenario page, with its unit" grep -q 'latest 2.314 ms ± 0.020 ms' "$page"
check "frame median: the same in the table of every metric" \
    grep -q '<td class="name">frame_median_ms</td><td class="name">frame time, median</td><td>2.314</td><td>0.020</td><td class="name">ms</td>' "$page"
check "set-up in ms on the index" grep -q '<td>130.0 <span class="ok">✓' "$idx"
check "set-up's bound in ms too" grep -q 'ms, &lt; 5000' "$idx"
check "set-up in ms on the scenario page" grep -q 'set-up (ms): latest 130.0 ms' "$page"
check "the whole-process timings in ms, one decimal" grep -q '<td>40.0</td><td>1.0</td><td>40.0</td><td>39.0</td><td>42.0</td>' "$idx"
check "changes with one decimal" grep -q '+30.7% · gate: fail' "$idx"
check "mean before and after with their unit" grep -q '1.773 ms → 2.307 ms' "$idx"
# Changes against the baseline are coloured by the gate's verdict, not by
# their size: position's p95 is 406% above its baseline, and inconclusive.
check "a gate failure colours its cell red" grep -q '<td class="g-fail">2.314' "$idx"
check "a large change the gate found inconclusive is amber, not red" \
    grep -q '<td class="g-inconclusive">0.810<span class="sub">baseline 0.160</span><span class="chg chg-inconclusive">+406.3% · gate: inconclusive' "$idx"
check "a passing change is not coloured" grep -q '<td class="g-pass">0.760' "$idx"
check "the gate's verdicts are counted and explained" grep -q 'The gate: .*inconclusive</i>: the gate could not decide' "$idx"
# The paint column says what measured it.
check "paint is labelled by its source" grep -q 'paint (GPU timer query), mean' "$idx"
check "on llvmpipe the timer query is command submission only" grep -q 'submit the commands only' "$idx"
# Plots: a y-axis label with the unit, an x axis naming the nights.
check "y-axis label ms" grep -q '>ms</tspan>' "$out/plots/all6--frame_median_ms.svg"
check "y-axis label KiB" grep -q '>KiB</tspan>' "$out/plots/all6--rss_growth_10000f_kib.svg"
check "y-axis label %" grep -q '>%</tspan>' "$out/plots/all6--skip_rate_pct.svg"
check "y-axis label of a ratio" grep -q '>ratio</tspan>' "$out/plots/position--frame_median_floor.svg"
check "x axis: what the ticks are" grep -q 'night (UTC date and time, commit)' "$out/plots/all6--frame_median_ms.svg"
check "x ticks: date and time" grep -q '>03-21 03:00</tspan>' "$out/plots/all6--frame_median_ms.svg"
check "the page uses its width: plots in a grid" grep -q '<div class="plots">' "$page"
check "the page uses its width: no fixed maximum" sh -c "! grep -q 'body{[^}]*max-width' '$idx'"
check "the latest run record is there" jq -e '.kind == "nsplay-night"' "$out/latest-run.json"
check "startup's page links back to the whole-process section" grep -q 'href="index.html#process"' "$out/scenario-startup.html"
check "a full night has no quick banner" sh -c "! grep -q 'Quick night' '$idx'"

# Every image and every local link names a file that is there.
# shellcheck disable=SC2013  # file names without spaces, one per word.
n_img=0
for f in "$out"/*.html; do
    for img in $(sed -n 's/.*<img src="\([^"]*\)".*/\1/p' "$f"); do
        n_img=$((n_img + 1))
        if [ -s "$out/$img" ] && grep -q '<svg' "$out/$img"; then ok; else bad "$(basename "$f") names $img: missing or not SVG"; fi
    done
done
if [ "$n_img" -ge 10 ]; then ok; else bad "only $n_img images in the pages"; fi
# Every link of every page, followed: the file is there and, for FILE#ID, so
# is an element with that id in it.
follow_links() {  # follow_links REPORT_DIR
    n_links=0
    for f in "$1"/*.html; do
        # shellcheck disable=SC2013  # links without spaces, one per word.
        for link in $(grep -o 'href="[^"]*"' "$f" | sed -e 's/^href="//' -e 's/"$//'); do
            n_links=$((n_links + 1))
            target=${link%%#*}
            [ -n "$target" ] || target=$(basename "$f")
            if [ ! -f "$1/$target" ]; then
                bad "$(basename "$f") links to $link: no $target"
                continue
            fi
            case $link in
            *'#'*)
                if grep -q "id=\"${link#*#}\"" "$1/$target"; then ok; else bad "$(basename "$f") links to $link: no id ${link#*#} in $target"; fi
                ;;
            *) ok ;;
            esac
        done
    done
    if [ "$n_links" -ge 30 ]; then ok; else bad "only $n_links links in the pages of $1"; fi
}
follow_links "$out"
check "no staging folder left" sh -c "! ls -d '$out'/.staging-* 2>/dev/null | grep -q ."
check "no script, no remote resource" sh -c "! grep -Eiq '<script|https?://' '$out'/*.html"
# A second run over the same folder replaces the files.
NSPLAY=$nsplay "$repo/scripts/nightly-report" "$hist" "$out" >/dev/null 2>&1 || bad "a second report over the first failed"
check "index.html still there after the second run" test -s "$idx"
# Missing history: an error naming it, not a crash.
NSPLAY=$nsplay "$repo/scripts/nightly-report" "$tmp/nothing" "$tmp/r2" >"$tmp/err.log" 2>&1
if [ $? -eq 1 ] && grep -q "$tmp/nothing" "$tmp/err.log"; then ok; else bad "an empty history is an error naming it"; fi

# 3. A quick night on the same day as a full one, in a short history of its
# own (every night a tick): stated where its numbers are, circled in the
# plots, and the two nights of one day told apart. Its bench runs name what
# measured paint.
qhist=$tmp/quick-history
qout=$tmp/quick-report
for n in 1 2 3; do
    jq --argjson n "$n" '.date = (["2031-03-20T03:00:00Z", "2031-03-21T03:00:00Z", "2031-03-21T15:30:00Z"][$n - 1])
        | .commit = "q\($n)" | if $n == 3 then .extra.quick = true | .extra.repetitions = 2
          | .machine.paint_source = "first_draw_to_device_finished" else . end' "$tmp/night.json" >"$tmp/q.json"
    "$nsplay" history append --dir "$qhist" --run "$tmp/q.json" >/dev/null 2>&1 || bad "history append of quick night $n"
done
if NSPLAY=$nsplay "$repo/scripts/nightly-report" "$qhist" "$qout" >"$tmp/quick.log" 2>&1; then
    qidx=$qout/index.html
    check "a quick night says so at the top" grep -q '<p class="banner"><b>Quick night</b>.*timed 20 frames' "$qidx"
    check "a quick night says so on the scenario pages" grep -q '<b>Quick night</b>' "$qout/scenario-position.html"
    check "a quick night says so beside its changes against the baseline" grep -q 'quick: 20 frames' "$qidx"
    check "quick nights are marked in the plots" grep -q 'quick night' "$qout/plots/all6--frame_median_ms.svg"
    check "two nights of one day: different x labels (03:00)" grep -q '>03-21 03:00</tspan>' "$qout/plots/all6--frame_median_ms.svg"
    check "two nights of one day: different x labels (15:30)" grep -q '>03-21 15:30</tspan>' "$qout/plots/all6--frame_median_ms.svg"
    check "paint labelled by the source its record names" grep -q 'paint (first draw to device finished), mean' "$qidx"
    check "no timer-query caveat when paint is not a timer query" sh -c "! grep -q 'submit the commands only' '$qidx'"
    follow_links "$qout"
else
    cat "$tmp/quick.log"
    bad "scripts/nightly-report failed on the quick history"
fi

# 4. In a real browser.
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
    shot "$out/scenario-startup.html" "$tmp/startup.png"
    [ -f "$qout/index.html" ] && shot "$qout/index.html" "$tmp/quick-index.png"
    [ -f "$qout/scenario-all6.html" ] && shot "$qout/scenario-all6.html" "$tmp/quick-all6.png"
    # The same page with its plots gone (same layout: the boxes stay).
    sed -e 's|<img src="plots/[^"]*"|<img src="none.svg"|' -e 's| alt="[^"]*"| alt=""|' "$page" >"$out/noplots.html"
    shot "$out/noplots.html" "$tmp/noplots.png"
    for f in blank index all6 noplots startup quick-index quick-all6; do
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
