#!/bin/sh
# The same seed must give byte-identical scenario data with gcc and clang, at
# -O0 and -O2: builds the GL-free core four ways with scenario_digest.c and
# compares the digests of the default all-overlay scenario and a larger one.
# Usage: check_determinism.sh SOURCE_DIR WORK_DIR
set -eu
src=$1
work=$2
mkdir -p "$work"
status=0
ref=""
for cc in gcc clang; do
    if ! command -v "$cc" >/dev/null 2>&1; then
        echo "SKIP: $cc not installed (scripts/install-deps installs it)"
        exit 77
    fi
    for opt in -O0 -O2; do
        exe="$work/digest-$cc$opt"
        # The same flags as the build: C11, no FMA contraction.
        "$cc" -std=c11 $opt -ffp-contract=off -D_POSIX_C_SOURCE=200809L -I"$src/src" \
            "$src"/src/core/*.c "$src"/tests/scenario_digest.c -lm -o "$exe"
        got=$("$exe" | tr '\n' ' ')
        echo "$cc $opt: $got"
        if [ -z "$ref" ]; then
            ref=$got
        elif [ "$got" != "$ref" ]; then
            echo "FAIL: $cc $opt differs from the first build" >&2
            status=1
        fi
    done
done
exit $status
