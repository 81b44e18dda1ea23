#!/usr/bin/env bash
# The step of the GitHub Action (action.yml) that runs the check: one `cowork-policy check` that
# prints annotations, writes SARIF for `upload-sarif` and a Markdown summary, then appends the
# summary to the job summary, sets the step's outputs, and fails the step by the check's exit
# code, after everything is written. The test suite runs it with the GitHub environment set to
# temporary files (crates/cowork-policy-cli/tests/it/action.rs).
#
# It reads the action's inputs from these variables, which action.yml sets:
#   COWORK_POLICY      the command to run (default `cowork-policy`, found on PATH)
#   INPUT_PATH         the policy folder or file (default `.`)
#   INPUT_ARGS         extra arguments for `check`, split at white space (no quotes, no
#                      expansion), such as `--select IDP,SEAT --today 2026-11-24`
#   INPUT_FAIL_LEVEL   `error`, `warning` or `info`; empty: the config's, else `error`
#   INPUT_SARIF_FILE   where to write the SARIF log (default `cowork-policy.sarif`)
#   INPUT_SUMMARY      `true` (default) to append the Markdown summary to the job summary
#   LINK_BASE_SHA      the commit the summary's links point at (default GITHUB_SHA)
# and these, which the runner sets: GITHUB_WORKSPACE (the folder to run in), GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, RUNNER_TEMP, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA.
#
# Outputs: `exit-code` (0 clean, 1 findings that fail, 2 the policy did not load or a file
# could not be written), `sarif-file` and `summary-file` (the Markdown, for a pull-request
# comment).
set -euo pipefail

if [ -n "${GITHUB_WORKSPACE:-}" ]; then
    cd "$GITHUB_WORKSPACE"
fi

cli=${COWORK_POLICY:-cowork-policy}
path=${INPUT_PATH:-.}
sarif=${INPUT_SARIF_FILE:-cowork-policy.sarif}
summary=$(mktemp "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/cowork-policy-summary.XXXXXX")
mkdir -p "$(dirname "$sarif")"

args=(check "$path"
    --format github
    --format sarif --output-file "$sarif"
    --format markdown --output-file "$summary")
if [ -n "${INPUT_FAIL_LEVEL:-}" ]; then
    args+=(--fail-level "$INPUT_FAIL_LEVEL")
fi
sha=${LINK_BASE_SHA:-${GITHUB_SHA:-}}
if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "$sha" ]; then
    args+=(--link-base "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$sha")
fi
# `read -d ''` reads every line; white space separates the words, and nothing is expanded.
read -r -a extra -d '' <<<"${INPUT_ARGS:-}" || true
args+=("${extra[@]}")

status=0
"$cli" "${args[@]}" || status=$?

if [ "${INPUT_SUMMARY:-true}" = true ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -s "$summary" ]; then
    cat "$summary" >>"$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        echo "exit-code=$status"
        echo "sarif-file=$sarif"
        echo "summary-file=$summary"
    } >>"$GITHUB_OUTPUT"
fi
case $status in
    0) ;;
    1) echo "cowork-policy: findings at or above the fail level: the check fails" >&2 ;;
    *) echo "cowork-policy: the check could not run (exit code $status): see the errors above" >&2 ;;
esac
exit "$status"
