#!/usr/bin/env bash
# Builds ampfix_VERSION_ARCH.deb into OUTDIR with dpkg-deb. Without BINARY, builds ampfix in
# release mode with only the Apt trait (a deb links no librpm).
#   packaging/build-deb.sh OUTDIR [BINARY]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [BINARY]" >&2; exit 64; }
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${2:-}
if [ -z "$bin" ]; then
  (cd "$top" && swift build -c release --product ampfix --traits Apt --scratch-path .build-deb >&2)
  bin=$(cd "$top" && swift build -c release --product ampfix --traits Apt --scratch-path .build-deb --show-bin-path)/ampfix
fi
version=$(sed -n 's/.*static let current = "\(.*\)"/\1/p' "$top/Sources/AmpfixCore/Model/Report.swift")
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"
"$top/packaging/stage.sh" "$stage" "$bin"
mkdir -p "$stage/DEBIAN" "$out"
sed "s/@VERSION@/$version/; s/@ARCH@/$arch/" "$top/packaging/deb/control" > "$stage/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz -b "$stage" "$out/ampfix_${version}_${arch}.deb" >&2
echo "$out/ampfix_${version}_${arch}.deb"
