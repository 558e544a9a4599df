#!/usr/bin/env bash
# Builds ampfix with one package backend at a time and checks with ldd that the other library is
# not linked: a deb build (trait Apt) needs no librpm, an rpm build (trait RPM) no libapt-pkg.
set -euo pipefail
cd "$(dirname "$0")/.."
check() {
  local trait=$1 forbidden=$2 wanted=$3 scratch=.build-$1
  swift build --product ampfix --traits "$trait" --scratch-path "$scratch" 2>&1 | tail -n 1
  local bin; bin=$(swift build --product ampfix --traits "$trait" --scratch-path "$scratch" --show-bin-path)/ampfix
  if ldd "$bin" | grep -q "$forbidden"; then
    echo "FAIL: the $trait build links $forbidden:"; ldd "$bin" | grep "$forbidden"; return 1
  fi
  ldd "$bin" | grep -q "$wanted" || { echo "FAIL: the $trait build does not link $wanted"; return 1; }
  echo "ok: the $trait build links $wanted and not $forbidden"
}
check Apt librpm libapt-pkg
check RPM libapt-pkg librpm
