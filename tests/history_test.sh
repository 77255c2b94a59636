#!/bin/sh
# `nsplay history` as a user meets it: append twelve nights with a 10% step
# after the sixth, show them, list the change (and another that the floor
# frame shows too, marked as the machine's), export CSV; bad options exit 2
# and bad files exit 1 with a message naming them. Usage: history_test.sh NSPLAY
set -u
nsplay=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nsp-history-cli-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
hist=$tmp/history
tab=$(printf '\t')

. "$(dirname "$0")/lib/expect.sh"

# run_json FILE DAY COMMIT MEDIAN [SCHEMA]: a night's run record. all6's
# frame median is MEDIAN, its floor frame steady; from the seventh night the
# events scenario draws 20% slower, and so does its floor frame: the machine.
run_json() {
    if [ "$2" -ge 7 ]; then ev=0.6 ev_floor=1.2; else ev=0.5 ev_floor=1.0; fi
    cat >"$1" <<EOF
{
  "schema": ${5:-1},
  "kind": "nsplay-night",
  "date": "2025-01-$2T02:00:00Z",
  "commit": "$3",
  "profile": "vm-test",
  "toolchain": "gcc-12.2.0-Release-x86_64",
  "machine": {"cores": 2},
  "records": [
    {"scenario": "all6", "metrics": {"frame_median_ms": $4, "draw_calls": 42, "floor_median_ms": 1.3},
     "spread": {"frame_median_ms": 0.01}},
    {"scenario": "events", "metrics": {"frame_median_ms": $ev, "floor_median_ms": $ev_floor}}
  ],
  "extra": {"hyperfine": {"mean": 1.0}}
}
EOF
}

expect 0 "append +--run FILE.json" -- history --help
expect 2 "usage: nsplay history" -- history
expect 2 "unknown subcommand 'nope'" -- history nope
expect 0 "--run FILE.json" -- history append --help
expect 0 "--min-size N" -- history show --help
expect 0 "--min-change F" -- history changes --help
expect 0 "gnuplot" -- history export --help
expect 2 "history show: --dir DIR is required" -- history show
expect 2 "history append: --run FILE.json is required" -- history append --dir "$hist"
expect 2 "history export: --csv FILE is required" -- history export --dir "$hist"
expect 2 "--pvalue: expected a number in" -- history changes --dir "$hist" --pvalue 2
expect 2 "--permutations: 19 cannot reach --pvalue 0.01" -- history changes --dir "$hist" --permutations 19 --pvalue 0.01
expect 2 "unrecognized option" -- history append --dir "$hist" --csv x
expect 2 "unexpected argument 'extra'" -- history show --dir "$hist" extra
expect 1 "$tmp/none/runs: cannot open" -- history show --dir "$tmp/none"

# Twelve nights: 1.77 ms for six, then 1.95 (+10%).
day=1
for v in 1.76 1.78 1.77 1.775 1.765 1.772 1.95 1.96 1.94 1.955 1.945 1.952; do
    d=$(printf '%02d' "$day")
    run_json "$tmp/night$d.json" "$d" "c$d" "$v"
    expect 0 "stored $hist/runs/202501${d}T020000Z-c$d-[0-9]+-[0-9a-f]{16}\.json" -- \
        history append --dir "$hist" --run "$tmp/night$d.json"
    day=$((day + 1))
done
if [ "$(ls "$hist/runs" | wc -l)" -ne 12 ]; then
    echo "FAIL: 12 appends left $(ls "$hist/runs" | wc -l) files"
    fails=$((fails + 1))
fi

# Bad records are refused, named, and not stored.
printf '{\n  "schema": 1,\n  "kind": \n' >"$tmp/cut.json"
expect 1 "$tmp/cut.json:[0-9]+:[0-9]+: malformed JSON" -- history append --dir "$hist" --run "$tmp/cut.json"
run_json "$tmp/future.json" 13 c13 1.9 2
expect 1 "$tmp/future.json: schema 2, this nsplay reads schema 1" -- history append --dir "$hist" --run "$tmp/future.json"
expect 1 "$tmp/missing.json: cannot open" -- history append --dir "$hist" --run "$tmp/missing.json"

expect 0 "c07 +1.95 +0.01 +<- change \+10\.[0-9]% slower" -- \
    history show --dir "$hist" --scenario all6 --metric frame_median_ms
expect 0 "all6 / draw_calls: 12 runs" -- history show --dir "$hist" --profile vm-test
expect 1 "no runs of profile 'nope'" -- history show --dir "$hist" --profile nope
expect 1 "no series with scenario 'nope'" -- history show --dir "$hist" --scenario nope
expect 0 "^vm-test +all6 +frame_median_ms +6 +2025-01-07T02:00:00Z +c06\.\.c07 +\+10\.[0-9]% +slower +1\.77[0-9]* -> 1\.95[0-9]* +0\.005$" -- \
    history changes --dir "$hist"
expect 0 "^vm-test${tab}all6${tab}frame_median_ms${tab}6${tab}2025-01-07T02:00:00Z${tab}c06${tab}c07${tab}0\.10[0-9]*${tab}slower${tab}1\.77[0-9]*${tab}1\.95[0-9]*${tab}0\.005${tab}no$" -- \
    history changes --dir "$hist" --tsv
# The events scenario's step came with its floor frame's: marked as the machine's.
expect 0 "^vm-test +events +frame_median_ms +6 .* +\+20\.0% +slower .*  the floor frame changed too: the machine\?$" -- \
    history changes --dir "$hist"
expect 0 "^vm-test${tab}events${tab}frame_median_ms${tab}6${tab}.*${tab}yes$" -- history changes --dir "$hist" --tsv
expect 0 "c07 +0\.6 +<- change \+20\.0% slower .*; the floor frame changed too: the machine\?$" -- \
    history show --dir "$hist" --scenario events --metric frame_median_ms
expect 0 "^3 change points in 5 series over 12 runs" -- history changes --dir "$hist"
expect 0 "0 of at least 50\.0% listed" -- history changes --dir "$hist" --min-change 0.5
expect 0 "^no change points$" -- history changes --dir "$hist" --scenario all6 --metric draw_calls

expect 0 "wrote $tmp/h.csv: 60 rows from 12 runs" -- history export --dir "$hist" --csv "$tmp/h.csv"
if [ "$(wc -l <"$tmp/h.csv")" -ne 61 ] ||
   [ "$(head -n 1 "$tmp/h.csv")" != "date,commit,profile,scenario,metric,value,spread" ] ||
   ! grep -qx "2025-01-01T02:00:00Z,c01,vm-test,all6,frame_median_ms,1.76,0.01" "$tmp/h.csv" ||
   ! grep -qx "2025-01-12T02:00:00Z,c12,vm-test,events,frame_median_ms,0.6," "$tmp/h.csv"; then
    echo "FAIL: export: unexpected CSV:"
    sed 's/^/    /' "$tmp/h.csv"
    fails=$((fails + 1))
fi
expect 0 "^2025-01-07T02:00:00Z,c07,vm-test,all6,frame_median_ms,1.95,0.01$" -- \
    history export --dir "$hist" --csv - --scenario all6 --metric frame_median_ms
expect 1 "no values of profile '\*', scenario 'all6' and metric 'nope'" -- \
    history export --dir "$hist" --csv - --scenario all6 --metric nope

# The index is a cache: gone or garbage, the answer is the same.
rm -f "$hist/index.json"
expect 0 "^3 change points in 5 series" -- history changes --dir "$hist"
echo garbage >"$hist/index.json"
expect 0 "^3 change points in 5 series" -- history changes --dir "$hist"

# An empty history says so; a broken run file in the history is named.
mkdir -p "$tmp/empty/runs"
expect 0 "no runs recorded yet" -- history changes --dir "$tmp/empty"
cp "$tmp/cut.json" "$hist/runs/20250113T020000Z-broken.json"
expect 1 "$hist/runs/20250113T020000Z-broken.json:[0-9]+:[0-9]+: malformed JSON" -- history show --dir "$hist"

echo "history_test: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
