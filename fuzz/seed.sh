#!/usr/bin/env bash
# Build the seed corpus and the dictionary of the `policy` fuzz target (docs/fuzzing.md) from
# the repository's example policies, rule fixtures and config examples:
#
#   fuzz/corpus/policy/   one seed per policy repo, policy file, fixture, fixture pair (a diff)
#                         and config example, in the input format of fuzz/src/lib.rs
#   fuzz/policy.dict      the format's keys and values, rule codes and the input's markers
#
# Both are rebuilt from scratch, so they follow the format as it changes; neither is committed.
# Needs jq. Seeds over MAX_SEED bytes are left out (their files are seeds on their own).
set -euo pipefail
cd "$(dirname "$0")/.."

out=fuzz/corpus/policy
dict=fuzz/policy.dict
MAX_SEED=65536
rm -rf "$out"
mkdir -p "$out"

# Print the YAML files under $1, and the identity-provider exports (`.json`, `.csv`) that a
# `directoryExports:` may name, as one input, each after a `%% NAME` line (NAME relative to $1,
# prefixed with $2).
bundle() {
    local dir=$1 prefix=${2:-} file
    while IFS= read -r file; do
        printf '%%%% %s%s\n' "$prefix" "${file#"$dir"/}"
        cat "$file"
        [ -z "$(tail -c1 "$file")" ] || echo
    done < <(find "$dir" -type f \( -name '*.yaml' -o -name '*.json' -o -name '*.csv' \) | LC_ALL=C sort)
}

# Save stdin as the seed $1 (a name made of the source path), unless it is too large.
seed() {
    local name=${1//\//-} tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if [ "$(wc -c <"$tmp")" -le "$MAX_SEED" ]; then
        mv "$tmp" "$out/$name"
    else
        rm -f "$tmp"
    fi
}

# Example repos: whole, then each file alone.
for repo in policies/*/; do
    repo=${repo%/}
    bundle "$repo" | seed "$repo"
    while IFS= read -r file; do
        seed "$file" <"$file"
    done < <(find "$repo" -name '*.yaml' -type f | LC_ALL=C sort)
done

# Rule fixtures: each file alone; a failing case with its near-miss as the head of a diff.
for case in fixtures/*/; do
    case=${case%/}
    if [ -d "$case/base" ] && [ -d "$case/head" ]; then
        { bundle "$case/base"; bundle "$case/head" head/; } | seed "$case"
        continue
    fi
    while IFS= read -r file; do
        seed "$file" <"$file"
    done < <(find "$case" -name '*.yaml' -type f | LC_ALL=C sort)
    # A case whose policy names exports: the whole folder, so the exports are there to read.
    if [ -n "$(find "$case" -type f \( -name '*.json' -o -name '*.csv' \) -print -quit)" ]; then
        bundle "$case" | seed "$case-with-exports"
    fi
    if [ -f "$case/fail.yaml" ] && [ -f "$case/pass.yaml" ]; then
        { echo '%% fail.yaml'; cat "$case/fail.yaml"; echo '%% head/fail.yaml'; cat "$case/pass.yaml"; } |
            seed "$case-diff"
    fi
done
[ -d fixtures/render ] && bundle fixtures/render | seed fixtures/render-all

# Config examples of docs/config.md, each with a policy that has findings to select and waive.
awk -v dir="$out" '
    /^```toml/ { n++; file = sprintf("%s/config-%02d", dir, n); print "%% cowork-policy.toml" >file; inside = 1; next }
    /^```/ && inside { inside = 0; close(file); next }
    inside { print >>file }
' docs/config.md
for config in "$out"/config-*; do
    { echo '%% groups.yaml'; cat fixtures/IDP001-nested-idp-group/fail.yaml; } >>"$config"
done

# The dictionary: every key and enum value of the format, the rule codes, the input's markers.
{
    jq -r '.. | objects | (.properties // {} | keys[]), (.enum // [] | .[] | strings), (.const // empty | strings)' \
        docs/policy.schema.json docs/config.schema.json
    grep -o '^## [A-Z]*[0-9]*' docs/rules.md | cut -c4-
    printf '%s\n' 'apiVersion: cowork-policy/v1' '%% ' '%% head/' '%% cowork-policy.toml' '---' \
        '\e' 'sk-ant-api03-' '${' '!!null' '&a' '*a' '<<: *a'
} | LC_ALL=C sort -u | jq -R -r 'select(length > 0) | tojson' >"$dict"

echo "$(find "$out" -type f | wc -l) seeds ($(du -sh "$out" | cut -f1)) in $out, $(wc -l <"$dict") entries in $dict"
