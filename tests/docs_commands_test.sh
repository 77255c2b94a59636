#!/bin/bash
# Every command in the docs is run or checked, so the docs cannot drift.
# Usage: docs_commands_test.sh SOURCE_DIR NSPLAY
#
# Reads each line of the ```sh (or ```bash) blocks of README.md, docs/*.md and
# ci/README.md (continuation lines joined; blank and comment lines skipped)
# and, per line:
#   nsplay commands (build/<any>/nsplay or nsplay) and other programs: RUN,
#     from a scratch folder per page (lines of a page run in order there, so
#     a trace written by one line can be read by the next) in which
#     build/release/nsplay and `nsplay` on PATH are the binary under test and
#     baselines/ a copy; each must exit 0 (in a pipeline every command 0, or
#     141 for the writer that `head` cut off) within 120 s. An nsplay command
#     that finds no GL context here (exit 3) is option-checked instead.
#   a line whose trailing comment says `not run by the docs test: <reason>`
#     (alone, or after the comment's own text): not run; each nsplay command
#     in it is OPTION-CHECKED (the subcommand exists and every --option
#     appears in that subcommand's --help); whether other programs are
#     installed is only noted. The reason is required.
#   scripts/NAME ...: never run (scripts install packages and build); the
#     script must exist and be executable, and the options it forwards are
#     checked: bench against `nsplay bench --help`, ab-compare against
#     `nsplay gate --help`, refresh-baselines against `nsplay baseline refresh
#     --help`, nightly and lint-workflows against their own --help; ctest
#     labels (-L) given to scripts/test must exist.
#   cmake / ctest: never run (they rebuild, or run the suite this test is
#     in): every --preset must be in CMakePresets.json, every -L label in
#     tests/CMakeLists.txt.
#   git: never run (it works on your checkout): git must be installed.
#   valgrind and callgrind_annotate lines, when the binary is a sanitizer
#     build (the debug preset): option-checked, since valgrind cannot run it.
# First, a fixture page with a broken command of each kind must fail, so the
# test cannot pass by checking nothing. The output says, line by line, what
# ran and what was only checked, then "N passed, N failed".
set -u
root=$(cd "$1" && pwd)
nsplay=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
marker='not run by the docs test:'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset NEUROSPATIAL_TIMING NEUROSPATIAL_PERFMON NAPARI_PERFMON
# A sanitizer build (the debug preset) cannot run under valgrind.
sanitized=0
ldd "$nsplay" 2>/dev/null | grep -Eq 'lib(a|ub|t|l)san' && sanitized=1

passes=0 fails=0 n_ran=0 n_optchecked=0 n_checked=0
problems=()   # the current line's problems

# Splits LINE into the command and its trailing comment: the first # that
# starts a word outside quotes.
split_comment() {
    local line=$1 i c q="" prev=" "
    for ((i = 0; i < ${#line}; i++)); do
        c=${line:i:1}
        if [ -n "$q" ]; then
            [ "$c" = "$q" ] && q=""
        elif [ "$c" = "'" ] || [ "$c" = '"' ]; then
            q=$c
        elif [ "$c" = "#" ] && [[ $prev == [[:space:]] ]]; then
            cmd=${line:0:i}
            comment=${line:i}
            cmd=${cmd%"${cmd##*[![:space:]]}"}
            return
        fi
        prev=$c
    done
    cmd=${line%"${line##*[![:space:]]}"}
    comment=""
}

# Prints the simple commands of CMD, one a line (split on && || ; |).
segments() {
    printf '%s\n' "$1" | sed -e 's/&&/\n/g' -e 's/||/\n/g' -e 's/[;|]/\n/g'
}

# The words of a segment, environment assignments (VAR=value) dropped.
words_of() {
    local w
    words=()
    read -ra all <<<"$1"
    for w in "${all[@]}"; do
        if [ ${#words[@]} -eq 0 ] && [[ $w =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
            continue
        fi
        words+=("$w")
    done
}

is_nsplay() { [[ $1 == nsplay || $1 =~ ^(\./)?build/[^/]+/nsplay$ ]]; }

# check_options HELP_TEXT WHAT WORD...: every option among WORDs appears in
# HELP_TEXT as a whole word.
check_options() {
    local help=$1 what=$2 w opt
    shift 2
    for w in "$@"; do
        opt=${w#[}
        opt=${opt%]}
        opt=${opt%%=*}
        [[ $opt =~ ^--?[A-Za-z][A-Za-z0-9-]*$ ]] || continue
        if ! printf '%s\n' "$help" | grep -Eq -- "(^|[^[:alnum:]-])${opt}([^[:alnum:]-]|$)"; then
            problems+=("option $opt is not in '$what --help'")
        fi
    done
}

# Option-checks one nsplay invocation (the words from the nsplay word on).
check_nsplay() {
    local sub="" help rest
    if [ $# -gt 1 ] && [[ $2 != -* ]]; then
        sub=$2
        rest=("${@:3}")
        if [ "$sub" = baseline ] && [ "${3:-}" = refresh ]; then
            sub="baseline refresh"
            rest=("${@:4}")
        fi
    else
        rest=("${@:2}")
    fi
    # shellcheck disable=SC2086  # "baseline refresh" is two words on purpose.
    if ! help=$("$nsplay" $sub --help 2>&1); then
        problems+=("'nsplay $sub --help' fails: no such command?")
        return
    fi
    check_options "$help" "nsplay${sub:+ $sub}" "${rest[@]}"
}

check_labels() {
    local prev="" w
    for w in "$@"; do
        if [ "$prev" = -L ] || [ "$prev" = -LE ]; then
            grep -Eq "LABELS[^)]*([\"; ]|^)${w}([\"; )]|$)|set\\(label ${w}\\)" "$root/tests/CMakeLists.txt" ||
                problems+=("ctest label '$w' is not used in tests/CMakeLists.txt")
        fi
        prev=$w
    done
}

check_presets() {
    local prev="" w
    for w in "$@"; do
        if [ "$prev" = --preset ]; then
            grep -q "\"name\": \"$w\"" "$root/CMakePresets.json" ||
                problems+=("preset '$w' is not in CMakePresets.json")
        fi
        prev=$w
    done
}

# The reason a line is not run, when the docs give none.
not_run_because() { [ -n "$reason" ] || reason=$1; }

# Checks one simple command without running it; sets how=... for the report.
check_segment() {
    words_of "$1"
    [ ${#words[@]} -eq 0 ] && return
    local prog=${words[0]} i
    case $prog in
    scripts/*)
        local name=${prog#scripts/} forward=""
        if [ ! -x "$root/$prog" ] || [ ! -f "$root/$prog" ]; then
            problems+=("$prog does not exist or is not executable")
            return
        fi
        case $name in
        bench) forward="bench" ;;
        ab-compare) forward="gate" ;;
        refresh-baselines) forward="baseline refresh" ;;
        esac
        if [ -n "$forward" ]; then
            # shellcheck disable=SC2086
            check_options "$("$nsplay" $forward --help 2>&1)" "nsplay $forward" "${words[@]:1}"
            how="$how; $prog exists, its options checked against 'nsplay $forward --help'"
        elif [ "$name" = nightly ] || [ "$name" = lint-workflows ]; then
            local help
            if help=$("$root/$prog" --help 2>&1); then
                check_options "$help" "$prog" "${words[@]:1}"
                how="$how; $prog exists, its options checked against its --help"
            else
                how="$how; $prog exists ('$prog --help' does not run here: options unchecked)"
            fi
        else
            [ "$name" = test ] && check_labels "${words[@]:1}"
            how="$how; $prog exists"
        fi
        not_run_because "project scripts are checked, not run: most install packages and build"
        ;;
    cmake | ctest)
        command -v "$prog" >/dev/null || problems+=("$prog is not installed")
        check_presets "${words[@]:1}"
        [ "$prog" = ctest ] && check_labels "${words[@]:1}"
        case $how in *"$prog: presets and labels checked"*) ;; *) how="$how; $prog: presets and labels checked" ;; esac
        not_run_because "cmake and ctest rebuild, or run the suite this test is in"
        ;;
    git)
        command -v git >/dev/null || problems+=("git is not installed")
        how="$how; git installed"
        not_run_because "git works on your checkout, and this test runs in a scratch folder"
        ;;
    *)
        if is_nsplay "$prog"; then
            check_nsplay "${words[@]}"
            how="$how; nsplay options checked"
        else
            # Not run (marked): the program may well be missing here (the
            # mark's reason says why it is not run), so this is only noted.
            # An nsplay command run by another program (valgrind ...) is
            # option-checked.
            for ((i = 1; i < ${#words[@]}; i++)); do
                if is_nsplay "${words[$i]}"; then
                    check_nsplay "${words[@]:i}"
                    how="$how; nsplay options checked"
                    break
                fi
            done
            if command -v "$prog" >/dev/null; then
                how="$how; $prog installed"
            else
                how="$how; $prog not installed here"
            fi
        fi
        ;;
    esac
}

# A scratch folder in which the docs' relative paths mean the build under test.
make_scratch() {
    local dir=$1
    mkdir -p "$dir/build/release" "$dir/bin"
    ln -s "$nsplay" "$dir/build/release/nsplay"
    ln -s "$nsplay" "$dir/bin/nsplay"
    cp -R "$root/baselines" "$dir/baselines"
}

# Runs LINE in DIR; in a pipeline every command must succeed (or die of
# SIGPIPE, 141, when a reader such as head stops early).
run_line() {
    local dir=$1 line=$2 log=$3
    # shellcheck disable=SC2016  # PIPESTATUS is expanded by the inner bash.
    (cd "$dir" && PATH="$dir/bin:$PATH" timeout 120 bash -c "$line"$'\n''st=("${PIPESTATUS[@]}")
for s in "${st[@]}"; do case $s in 0 | 141) ;; *) exit "$s" ;; esac; done') >"$log" 2>&1
}

# process PAGE FILE: every command line of FILE's sh blocks; counts into
# passes/fails and prints a line for each.
process() {
    local page=$1 file=$2 dir=$tmp/scratch/${1//\//_} in_block=0 raw line="" seg t0 t1 status log
    make_scratch "$dir"
    log=$tmp/cmd.log
    while IFS= read -r raw || [ -n "$raw" ]; do
        local stripped=${raw#"${raw%%[![:space:]]*}"}
        if [[ $stripped == '```'* ]]; then
            if [ "$in_block" -eq 1 ]; then
                in_block=0
            elif [[ $stripped =~ ^\`\`\`(sh|bash)[[:space:]]*$ ]]; then
                in_block=1
            fi
            continue
        fi
        [ "$in_block" -eq 1 ] || continue
        if [[ $stripped == *\\ ]]; then
            line+="${stripped%\\} "
            continue
        fi
        line+=$stripped
        [ -z "$line" ] || [[ $line == \#* ]] && { line=""; continue; }
        split_comment "$line"
        line=""
        problems=()
        local how="" verdict reason="" runnable=1 shown=$cmd
        [ ${#shown} -gt 110 ] && shown="${shown:0:107}..."
        if [[ $comment == *"$marker"* ]]; then
            reason=${comment#*"$marker"}
            reason=${reason#"${reason%%[![:space:]]*}"}
            [ -n "$reason" ] || problems+=("the '# $marker' mark gives no reason")
            runnable=0
        fi
        while IFS= read -r seg; do
            words_of "$seg"
            [ ${#words[@]} -gt 0 ] || continue
            case ${words[0]} in scripts/* | cmake | ctest | git) runnable=0 ;; esac
            if [ "$sanitized" -eq 1 ] && [[ ${words[0]} == valgrind || ${words[0]} == callgrind_annotate ]]; then
                runnable=0
                not_run_because "valgrind cannot run a sanitizer build, and this binary is one"
            fi
        done < <(segments "$cmd")
        if [ "$runnable" -eq 1 ]; then
            t0=$(date +%s.%N)
            run_line "$dir" "$cmd" "$log"
            status=$?
            t1=$(date +%s.%N)
            if [ "$status" -eq 3 ] && [[ $cmd =~ (^|[[:space:]/])nsplay([[:space:]]|$) ]]; then
                runnable=0
                reason="no GL context here (exit 3)"
            elif [ "$status" -ne 0 ]; then
                problems+=("exit status $status; its output ends:")
                problems+=("$(tail -n 15 "$log" | sed 's/^/    /')")
            else
                how=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f s", b - a }')
            fi
        fi
        if [ "$runnable" -eq 0 ]; then
            while IFS= read -r seg; do
                check_segment "$seg"
            done < <(segments "$cmd")
            how=${how#; }
        fi
        if [ ${#problems[@]} -gt 0 ]; then
            verdict=FAIL
            fails=$((fails + 1))
        else
            passes=$((passes + 1))
            if [ "$runnable" -eq 1 ]; then
                verdict="ran"
                n_ran=$((n_ran + 1))
            elif [[ $how == *"nsplay options checked"* ]]; then
                verdict="option-checked"
                n_optchecked=$((n_optchecked + 1))
            else
                verdict="checked"
                n_checked=$((n_checked + 1))
            fi
        fi
        printf '%-15s %s: %s\n' "$verdict" "$page" "$shown"
        if [ "$runnable" -eq 0 ]; then
            how="$how${reason:+; not run: $reason}"
        fi
        [ -n "$how" ] && printf '%16s(%s)\n' "" "${how#; }"
        local p
        for p in "${problems[@]}"; do
            printf '%s\n' "$p" | sed 's/^/                /'
        done
    done <"$file"
}

# --- The test must fail on broken commands: a fixture page. ---------------
fixture=$tmp/fixture.md
cat >"$fixture" <<'EOF'
```sh
build/release/nsplay bench --backend null --playback-frames 2 --no-such-option
build/release/nsplay gate --scenario all6 --no-such-option   # not run by the docs test: fixture
build/release/nsplay frobnicate   # not run by the docs test: fixture
build/release/nsplay scenario --frames 10   # not run by the docs test:
scripts/no-such-script
scripts/bench --no-such-option
cmake --preset no-such-preset
ctest --preset release -L no-such-label
definitely-not-a-program-here --flag
build/release/nsplay scenario --frames 10 --grid-size 20
build/release/nsplay bench --frames 10 --headless   # not run by the docs test: fixture, a good line
not-installed-profiler record build/release/nsplay bench --events   # not run by the docs test: fixture, a good line
```
EOF
echo "== fixture: 9 broken commands, each must fail with its message; 3 good ones must pass"
process fixture "$fixture" >"$tmp/fixture.out"
fixture_fails=$fails fixture_passes=$passes
passes=0 fails=0 n_ran=0 n_optchecked=0 n_checked=0
sed 's/^/  | /' "$tmp/fixture.out"
fixture_ok=1
if [ "$fixture_fails" -ne 9 ] || [ "$fixture_passes" -ne 3 ]; then
    echo "FAIL: the fixture: $fixture_fails failed (want 9), $fixture_passes passed (want 3)"
    fixture_ok=0
fi
for want in "unrecognized option '--no-such-option'" \
            "option --no-such-option is not in 'nsplay gate --help'" \
            "'nsplay frobnicate --help' fails" \
            "mark gives no reason" \
            "scripts/no-such-script does not exist" \
            "option --no-such-option is not in 'nsplay bench --help'" \
            "preset 'no-such-preset' is not in CMakePresets.json" \
            "ctest label 'no-such-label' is not used" \
            "exit status 127"; do
    if ! grep -Fq -- "$want" "$tmp/fixture.out"; then
        echo "FAIL: the fixture's output lacks: $want"
        fixture_ok=0
    fi
done
[ "$fixture_ok" -eq 1 ] && echo "ok: the fixture's broken commands failed, each naming its problem; the good ones passed"

# --- The docs. ---------------------------------------------------------------
echo "== the docs (binary under test: $nsplay)"
pages=(README.md)
for f in "$root"/docs/*.md "$root"/ci/README.md; do
    [ -f "$f" ] && pages+=("${f#"$root"/}")
done
for page in "${pages[@]}"; do
    process "$page" "$root/$page"
done
total=$((passes + fails))
if [ "$total" -lt 20 ]; then
    echo "FAIL: only $total command lines found in ${pages[*]}: is the extraction broken?"
    fails=$((fails + 1))
fi
[ "$fixture_ok" -eq 1 ] && passes=$((passes + 1)) || fails=$((fails + 1))
echo "docs commands: $n_ran ran, $n_optchecked option-checked without running, $n_checked checked" \
     "(scripts, cmake/ctest presets and labels, programs) without running; $fails failed"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
