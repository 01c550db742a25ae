#!/usr/bin/env bash
# Installs actionlint (pinned, built from the Go module proxy) for the test that lints the CI
# workflows `siemc init` writes, and shellcheck (Debian) so actionlint also checks their scripts.
set -euo pipefail
version=v1.7.7
bin="${GOPATH:-$HOME/go}/bin/actionlint"
if [ -x "$bin" ] && "$bin" -version | head -n 1 | grep -qx "$version"; then
  echo "actionlint $version in $bin"
else
  command -v go >/dev/null || { echo "actionlint: go not found (apt-get install golang)" >&2; exit 1; }
  go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
  echo "actionlint $version installed in $bin"
fi
if ! command -v shellcheck >/dev/null; then
  if [ "$(id -u)" = 0 ]; then (apt-get install -y -qq shellcheck >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null; }) || echo "shellcheck not installed; actionlint runs without it"; fi
fi
