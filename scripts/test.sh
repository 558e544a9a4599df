#!/usr/bin/env bash
# Sets up what the tests need and runs them. Fails on a test failure or a compiler warning in
# the project's own code.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log"; then
  echo "compiler warnings in the project's code (above): fix them" >&2
  exit 1
fi
swift test
# The package traits: a deb build links no librpm, an rpm build no libapt-pkg (ldd).
scripts/check-traits.sh
