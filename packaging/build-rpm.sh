#!/usr/bin/env bash
# Builds ampfix-VERSION-1.ARCH.rpm into OUTDIR with rpmbuild. Without BINARY, builds ampfix in
# release mode with only the RPM trait (an rpm links no libapt-pkg).
#   packaging/build-rpm.sh OUTDIR [BINARY]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [BINARY]" >&2; exit 64; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
source "$(dirname "$0")/common.sh"
bin=$(release_binary RPM "${2:-}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$top/packaging/stage.sh" "$work/stage" "$bin"
rpmbuild -bb --quiet --define "_topdir $work/build" --define "stage $work/stage" --define "version_ $version" \
  --define "_rpmdir $out" --define "__os_install_post %{nil}" --define "_build_id_links none" \
  --define "debug_package %{nil}" "$top/packaging/rpm/ampfix.spec" >&2
find "$out" -name "ampfix-$version-1.*.rpm" | head -n 1
