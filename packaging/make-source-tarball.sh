#!/usr/bin/env bash
# Makes the rpm spec's sources in OUTDIR:
#   ampfix-VERSION.tar.gz          the source tree (the files git tracks or would track)
#   ampfix-VERSION-vendor.tar.gz   SwiftPM's resolved dependencies (.build/checkouts,
#                                  .build/repositories, workspace state, Package.resolved), so
#                                  that `swift build --disable-automatic-resolution` needs no network
# Both are reproducible: sorted, root-owned, dated by the last commit, gzip without names.
#   packaging/make-source-tarball.sh OUTDIR
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 64; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
# shellcheck source=packaging/common.sh
source "$(dirname "$0")/common.sh"
name=ampfix-$version
stamp=@$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
reproducible=(--sort=name --mtime="$stamp" --owner=0 --group=0 --numeric-owner --format=gnu)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir "$work/$name"
(cd "$top" && git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf -) | tar -xf - -C "$work/$name"
tar -C "$work" "${reproducible[@]}" -cf - "$name" | gzip -9n > "$out/$name.tar.gz"

(cd "$work/$name" && swift package resolve >&2)
tar -C "$work/$name" "${reproducible[@]}" -cf - .build/checkouts .build/repositories .build/workspace-state.json Package.resolved \
  | gzip -9n > "$out/$name-vendor.tar.gz"
echo "$out/$name.tar.gz"
echo "$out/$name-vendor.tar.gz"
# The spec's Source2: the connector's eBPF source, copied as it is (its sha256 is pinned).
ebpf=$(ebpf_source)
if [ -n "$ebpf" ]; then
  cp "$ebpf" "$out/"
  echo "$out/$(basename "$ebpf")"
else
  echo "make-source-tarball.sh: no eBPF source (AMPFIX_EBPF_SOURCE): rpmbuild will miss Source2" >&2
fi
