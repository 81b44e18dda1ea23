#!/usr/bin/env bash
# The first step of the GitHub Action (action.yml): find the `cowork-policy` binary to run. When
# the action is used at a version tag (`uses: OWNER/cowork-policy@v0.1.0`) that is its own
# version (the workspace's in Cargo.toml), it downloads that release's archive for the runner's
# platform and its SHA-256 checksum, verifies the archive against it and unpacks the binary. A
# checksum that does not match fails the step. When there is no such release (the action is used
# at a branch or a commit, the release is not published yet, or the platform has no archive), it
# says so and leaves the binary to the build step, which action.yml runs with a cargo cache. The
# test suite runs it with the releases under a `file://` URL
# (crates/cowork-policy-cli/tests/it/ci.rs).
#
# It reads these variables, which action.yml sets:
#   INPUT_BINARY              the action's `binary` input: when set, it is the binary, nothing
#                             is downloaded
#   COWORK_POLICY_RELEASES    where the releases are (default
#                             `$GITHUB_SERVER_URL/$GITHUB_ACTION_REPOSITORY/releases/download`);
#                             the archive of tag T is `$COWORK_POLICY_RELEASES/T/NAME`
# and these, which the runner sets: GITHUB_ACTION_PATH (the action's files), GITHUB_ACTION_REF
# and GITHUB_ACTION_REPOSITORY (the tag or commit and repository it is used at; taken from
# GITHUB_ACTION_PATH, `.../_actions/OWNER/REPO/REF`, when empty, as they are in some composite
# actions), GITHUB_SERVER_URL, RUNNER_OS, RUNNER_ARCH, RUNNER_TEMP, GITHUB_OUTPUT.
#
# Outputs: `binary` (the path of the binary, empty when it must be built), `cache-key` (a key
# for the build's cache: the platform and a hash of the sources the build step compiles).
set -euo pipefail

action=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
temp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}

output() {
    echo "$1=$2"
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        echo "$1=$2" >>"$GITHUB_OUTPUT"
    fi
}
say() {
    echo "cowork-policy: $*" >&2
}

# The build's cache key: the platform and everything the build step compiles.
sources=$(cd "$action" && find Cargo.toml Cargo.lock crates/cowork-policy/Cargo.toml crates/cowork-policy/src \
    crates/cowork-policy-cli/Cargo.toml crates/cowork-policy-cli/src -type f -print0 |
    LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
output cache-key "cowork-policy-${RUNNER_OS:-unknown}-${RUNNER_ARCH:-unknown}-$sources"

if [ -n "${INPUT_BINARY:-}" ]; then
    output binary "$INPUT_BINARY"
    exit 0
fi

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action/Cargo.toml" | head -n 1)
tag=v$version
ref=${GITHUB_ACTION_REF:-$(basename "$action")}
repository=${GITHUB_ACTION_REPOSITORY:-$(basename "$(dirname "$(dirname "$action")")")/$(basename "$(dirname "$action")")}
if [ "$ref" != "$tag" ]; then
    say "used at \`$ref\`, not at the release tag \`$tag\` of its version: building it"
    output binary ""
    exit 0
fi

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64) target=aarch64-unknown-linux-musl ;;
    macOS/X64) target=x86_64-apple-darwin ;;
    macOS/ARM64) target=aarch64-apple-darwin ;;
    Windows/X64) target=x86_64-pc-windows-msvc ;;
    *) target="" ;;
esac
if [ -z "$target" ]; then
    say "no release archive for ${RUNNER_OS:-this OS} on ${RUNNER_ARCH:-this architecture}: building it"
    output binary ""
    exit 0
fi
case $target in
    *windows*) archive=cowork-policy-$target.zip exe=cowork-policy.exe ;;
    *) archive=cowork-policy-$target.tar.gz exe=cowork-policy ;;
esac

releases=${COWORK_POLICY_RELEASES:-${GITHUB_SERVER_URL:-https://github.com}/$repository/releases/download}
dir=$(mktemp -d "$temp/cowork-policy-release.XXXXXX")
if ! curl --fail --silent --show-error --location --retry 3 --output "$dir/SHA256SUMS" "$releases/$tag/SHA256SUMS" ||
    ! curl --fail --silent --show-error --location --retry 3 --output "$dir/$archive" "$releases/$tag/$archive"; then
    say "no release $tag with $archive at $releases: building it"
    output binary ""
    exit 0
fi

expected=$(awk -v name="$archive" '$2 == name || $2 == "*" name { print $1 }' "$dir/SHA256SUMS")
if [ -z "$expected" ]; then
    say "error: the SHA256SUMS of release $tag has no line for $archive"
    exit 1
fi
if command -v sha256sum >/dev/null 2>&1; then
    actual=$(sha256sum "$dir/$archive" | cut -d' ' -f1)
else
    actual=$(shasum -a 256 "$dir/$archive" | cut -d' ' -f1)
fi
if [ "$actual" != "$expected" ]; then
    say "error: $archive of release $tag has SHA-256 $actual, but its SHA256SUMS says $expected: not running it"
    exit 1
fi

case $archive in
    *.zip) unzip -q "$dir/$archive" -d "$dir" 2>/dev/null || 7z x -y -o"$dir" "$dir/$archive" >/dev/null ;;
    *) tar -xzf "$dir/$archive" -C "$dir" ;;
esac
binary=$dir/cowork-policy/$exe
[ -f "$binary" ] || { say "error: $archive has no cowork-policy/$exe"; exit 1; }
chmod +x "$binary"
say "downloaded $archive of release $tag (SHA-256 $actual, verified)"
output binary "$binary"
