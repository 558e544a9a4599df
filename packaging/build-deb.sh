#!/usr/bin/env bash
# Builds ampfix_VERSION_ARCH.deb into OUTDIR with dpkg-deb. Without BINARY, builds ampfix in
# release mode with only the Apt trait (a deb links no librpm).
#   packaging/build-deb.sh OUTDIR [BINARY]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [BINARY]" >&2; exit 64; }
out=$1
source "$(dirname "$0")/common.sh"
bin=$(release_binary Apt "${2:-}")
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
"$top/packaging/stage.sh" "$stage" "$bin"
mkdir -p "$stage/DEBIAN" "$out"
sed "s/@VERSION@/$version/; s/@ARCH@/$arch/" "$top/packaging/deb/control" > "$stage/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz -b "$stage" "$out/ampfix_${version}_${arch}.deb" >&2
echo "$out/ampfix_${version}_${arch}.deb"
