#!/bin/sh
# The nightly workflow publishes a bad night and keeps its history
# (ci/github/workflows/nightly.yml, ci/README.md): the steps after
# scripts/nightly run on a failed night too, the deploy job is not skipped
# when the night failed, a history the cache lost is restored from the last
# artifact (scripts/nightly-last-artifact, checked here on saved API
# answers), and the header says what scripts/nightly's exit status is.
# workflows_test.sh checks that the files are valid; this one what they do.
# Usage: nightly_ci_test.sh SOURCE_DIR. Skips (77) without jq.
set -u
root=$1
wf=$root/ci/github/workflows/nightly.yml
find_last=$root/scripts/nightly-last-artifact
command -v jq >/dev/null 2>&1 || { echo "SKIP: jq is not installed (scripts/install-deps installs it)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

# step NAME: the lines of the step whose name starts with NAME.
step() {
    awk -v want="$1" '
        /^      - / { inside = index($0, "- name: " want) > 0 }
        /^  [a-z]/ { inside = 0 }
        inside' "$wf"
}
job() {  # job NAME: the lines of that job.
    awk -v want="$1" '/^  [a-z]/ { inside = ($0 == "  " want ":") } inside' "$wf"
}
has() {  # has DESC TEXT PATTERN: TEXT matches the grep -E PATTERN.
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok; else bad "$1 (wanted /$3/ in:)"; printf '%s\n' "$2" | sed 's/^/    /'; fi
}

# 1. The workflow.
has "the header tells scripts/nightly's exit status" "$(sed -n '1,/^name:/p' "$wf")" 'exits 1 when the gate failed'
if sed -n '1,/^name:/p' "$wf" | grep -q 'exits 0 whenever'; then bad "the header still says the night exits 0"; else ok; fi
has "the history is saved on a failed night" "$(step 'keep the history')" 'if: \$\{\{ !cancelled\(\) \}\}'
has "history and report are uploaded on a failed night" "$(step 'upload the history')" 'if: \$\{\{ !cancelled\(\) \}\}'
has "the report is packaged on a failed night" "$(step 'package the report')" "if: \\$\\{\\{ !cancelled\\(\\) && hashFiles\\('report/index.html'\\) != '' \\}\\}"
has "the deploy job runs when the night failed" "$(job deploy)" "if: \\$\\{\\{ !cancelled\\(\\) && needs.nightly.outputs.pages_artifact != '' \\}\\}"
has "the nightly job hands the pages artifact to deploy" "$(job nightly)" 'pages_artifact: \$\{\{ steps.pages.outputs.artifact_id \}\}'
has "the last artifact is looked for when the cache had no history" "$(step 'find the last night')" \
    "if: \\$\\{\\{ steps.cache.outputs.cache-matched-key == '' \\}\\}"
has "it is looked for by the project script" "$(step 'find the last night')" 'run: scripts/nightly-last-artifact$'
has "the history is downloaded from that run" "$(step 'restore the history from the last')" \
    'run-id: \$\{\{ steps.last.outputs.run_id \}\}'
has "the download needs the job to read actions" "$(sed -n '/^permissions:/,/^[a-z]/p' "$wf")" 'actions: read'
# The restore steps come before the night, the save after it.
order=$(grep -n -e '- name: restore the history from the last' -e '- name: measure tonight' -e '- name: keep the history' "$wf" | cut -d: -f1 | tr '\n' ' ')
# shellcheck disable=SC2086  # line numbers, split on purpose.
set -- $order
if [ $# -eq 3 ] && [ "$1" -lt "$2" ] && [ "$2" -lt "$3" ]; then ok; else bad "restore, measure, keep: wrong order (lines $order)"; fi

# 2. scripts/nightly-last-artifact on saved answers of the API.
cat >"$tmp/listing.json" <<'JSON'
{"total_count": 5, "artifacts": [
 {"id": 15, "name": "gate-reports", "expired": false, "created_at": "2031-03-22T10:00:00Z", "workflow_run": {"id": 905}},
 {"id": 14, "name": "nightly-903", "expired": false, "created_at": "2031-03-21T03:40:00Z", "workflow_run": {"id": 903}},
 {"id": 13, "name": "nightly-904", "expired": false, "created_at": "2031-03-22T03:40:00Z", "workflow_run": {"id": 904}},
 {"id": 12, "name": "nightly-910", "expired": true, "created_at": "2031-03-23T03:40:00Z", "workflow_run": {"id": 910}},
 {"id": 11, "name": "nightly-report-old", "expired": false, "created_at": "2031-03-24T03:40:00Z", "workflow_run": {"id": 911}}]}
JSON
out=$(GITHUB_OUTPUT="$tmp/gh-output" "$find_last" --listing "$tmp/listing.json" 2>&1)
has "the newest unexpired nightly artifact is found" "$out" '^found=true$'
has "its run" "$out" '^run_id=904$'
has "its name" "$out" '^name=nightly-904$'
has "the step's outputs are written" "$(cat "$tmp/gh-output" 2>/dev/null)" '^run_id=904$'
printf '{"total_count": 0, "artifacts": []}\n' >"$tmp/none.json"
has "none: found=false" "$("$find_last" --listing "$tmp/none.json" 2>&1)" '^found=false$'
printf 'not json\n' >"$tmp/junk.json"
"$find_last" --listing "$tmp/junk.json" >"$tmp/junk.out" 2>&1
status=$?
if [ "$status" -eq 1 ] && grep -q "junk.json is not an artifact listing" "$tmp/junk.out"; then ok; else bad "a bad answer: status $status (want 1) and a message naming it: $(cat "$tmp/junk.out")"; fi
out=$(env -u GITHUB_TOKEN GITHUB_API_URL=https://api.github.com GITHUB_REPOSITORY=o/r "$find_last" 2>&1)
status=$?
if [ "$status" -eq 1 ] && printf '%s\n' "$out" | grep -q 'GITHUB_TOKEN is not set'; then ok; else bad "no token: status $status (want 1), output: $out"; fi
"$find_last" --bogus >/dev/null 2>&1
status=$?
if [ "$status" -eq 2 ]; then ok; else bad "a bad argument: status $status (want 2)"; fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
