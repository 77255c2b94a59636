#!/bin/sh
# Generates the fuzzers' seed corpus under OUT/<kind>/ from real files: the
# committed baselines, the perfmon config documented in docs/profiling.md,
# the hand-checked test trace, the reproducers of fixed defects, and what make_seeds writes through nsplay's
# own writers (a bench result, a trace, a history run and its index).
# Usage: make_corpus.sh SRC OUT MAKE_SEEDS
set -eu
src=$1 out=$2 make_seeds=$3
rm -rf "$out"
for kind in baseline bench_result history perfmon trace; do
    mkdir -p "$out/$kind"
done
# baselines/<kind>/[<key>/]<scenario>.json, flattened into one name each.
(cd "$src/baselines" && find . -name '*.json' | sort) | while read -r f; do
    name=$(printf '%s' "${f#./}" | tr '/' '_')
    cp "$src/baselines/$f" "$out/baseline/$name"
done
# Each ```json block of docs/profiling.md is a perfmon config.
awk -v dir="$out/perfmon" '
    /^```json$/ { n++; file = sprintf("%s/profiling-%d.json", dir, n); inside = 1; next }
    /^```$/     { inside = 0; next }
    inside      { print > file }
' "$src/docs/profiling.md"
cp "$src/tests/data/trace_small.json" "$out/trace/"
# The reproducers of fixed defects (tests/fuzz/regressions/<kind>/): every
# fuzz run executes them again first.
for f in "$src"/tests/fuzz/regressions/*/*.json; do
    kind=$(basename "$(dirname "$f")")
    cp "$f" "$out/$kind/regression-$(basename "$f")"
done
"$make_seeds" "$out"
mv "$out/history/store/index.json" "$out/history/index.json"
for f in "$out"/history/store/runs/*.json; do
    mv "$f" "$out/history/stored-$(basename "$f")"
done
rm -rf "$out/history/store"
for kind in baseline bench_result history perfmon trace; do
    if [ -z "$(ls "$out/$kind")" ]; then
        echo "make_corpus: no seed for $kind" >&2
        exit 1
    fi
done
