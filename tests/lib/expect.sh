# Shared by the command-line test scripts (sourced, POSIX sh). The sourcing
# script sets $nsplay and counts results in $passes and $fails: expect and
# expect_not run one nsplay command each.
passes=0
fails=0

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

# expect_not PATTERN -- ARGS...: the output must not match PATTERN.
expect_not() {
    pattern=$1
    shift 2
    if "$nsplay" "$@" 2>&1 | grep -Eq -- "$pattern"; then
        echo "FAIL: nsplay $*: output matches /$pattern/"
        fails=$((fails + 1))
    else
        passes=$((passes + 1))
    fi
}
