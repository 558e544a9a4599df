#!/usr/bin/env bash
# The local test path for the rpm: packages a release build made on this machine with
# packaging/rpm/ampfix.spec (its staged_binary mode). Without BINARY, builds ampfix in release
# mode with only the RPM trait (an rpm links no libapt-pkg) and the Swift runtime static.
# rpmbuild's own dependency generator adds a requirement for every shared library the binary
# needs. (Debian's brp-compress needs bash, not dash: the man page is compressed when staged.)
# An rpm for EL 8/9 must be built on EL from the source tarball (see packaging/README).
#   packaging/build-rpm.sh OUTDIR [BINARY]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [BINARY]" >&2; exit 64; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
# shellcheck source=packaging/common.sh
source "$(dirname "$0")/common.sh"
spec=$top/packaging/rpm/ampfix.spec
check_version packaging/rpm/ampfix.spec "$(sed -n 's/^Version: *//p' "$spec")"
bin=$(release_binary RPM "${2:-}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build/SOURCES"
ebpf=$(ebpf_source)
if [ -n "$ebpf" ]; then cp "$ebpf" "$work/build/SOURCES/"; fi
rpmbuild -bb --quiet --define "_topdir $work/build" --define "_rpmdir $out" --define "top $top" \
  --define "staged_binary $bin" --define "_build_id_links none" \
  --define "__brp_compress true" "$spec" >&2
find "$out" -name "ampfix-$version-1*.rpm" | head -n 1
