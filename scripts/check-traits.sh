#!/usr/bin/env bash
# Builds the release binaries the packages ship, one package backend each, and checks with ldd
# and readelf: a deb build (trait Apt) links no librpm, an rpm build (trait RPM) no libapt-pkg,
# neither links a Swift library (the runtime is static) nor carries a RUNPATH.
# The packaging tests and scripts reuse these builds (.build-apt-release, .build-rpm-release).
set -euo pipefail
cd "$(dirname "$0")/.."
source packaging/common.sh
check() {
  local trait=$1 forbidden=$2 wanted=$3 bin=$4
  local libraries; libraries=$(ldd "$bin")
  if grep -q "$forbidden" <<<"$libraries"; then
    echo "FAIL: the $trait build links $forbidden:"; grep "$forbidden" <<<"$libraries"; return 1
  fi
  grep -q "$wanted" <<<"$libraries" || { echo "FAIL: the $trait build does not link $wanted"; return 1; }
  if grep -qiE "swift|Foundation|dispatch|not found" <<<"$libraries"; then
    echo "FAIL: the $trait build needs libraries the distribution does not have:"
    grep -iE "swift|Foundation|dispatch|not found" <<<"$libraries"; return 1
  fi
  if readelf -d "$bin" | grep -qE "RPATH|RUNPATH"; then
    echo "FAIL: the $trait build carries a run path: $(readelf -d "$bin" | grep -E 'RPATH|RUNPATH')"; return 1
  fi
  if grep -q libarchive <<<"$libraries"; then
    echo "FAIL: the $trait build links libarchive at start (only \`ampfix collect\` opens it, at run time)"; return 1
  fi
  if grep -q libclamav <<<"$libraries"; then
    echo "FAIL: the $trait build links libclamav (the ClamAV trait is for development builds)"; return 1
  fi
  echo "ok: the $trait build links $wanted and not $forbidden, no libclamav or libarchive, no Swift library, no run path"
}
# Both builds at once: a release build is mostly one compiler job per module, one module after
# another, so two builds overlap (176 s against 207 s one after the other, on 2 cores).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
release_binary RPM >"$work/rpm.path" 2>"$work/rpm.log" &
rpm_build=$!
apt_bin=$(release_binary Apt 2> >(tail -n 1 >&2))
wait "$rpm_build" || { cat "$work/rpm.log"; echo "FAIL: the RPM release build" >&2; exit 1; }
tail -n 1 "$work/rpm.log"
check Apt librpm libapt-pkg "$apt_bin"
check RPM libapt-pkg librpm "$(cat "$work/rpm.path")"
