#!/usr/bin/env bash
# Builds the connector's CO-RE eBPF programs (the probes under src/bpf/probes/ of the tarball that
# packaging/bpf/SOURCE pins) into OUTDIR, as ampfix ships them in /usr/lib/ampfix/bpf/:
#   build-objects.sh TARBALL OUTDIR [ARCH]
# ARCH is x86 or arm64 (the source's own vmlinux.h for each); the machine's by default. OUTDIR gets
# one NAME.bpf.o per probe file (BTF kept, DWARF stripped), LICENSE (the source's LGPL-2.1 text)
# and ORIGIN (where the source comes from, its sha256, the compiler). A tarball whose sha256 is
# not the pinned one is refused. Needs clang (Debian clang, EL clang) and libbpf's headers
# (libbpf-dev, libbpf-devel). Exit 0 built, 1 failed, 64 usage.
set -euo pipefail
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: $0 TARBALL OUTDIR [x86|arm64]" >&2; exit 64; }
tarball=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
pinned() { sed -n "s/^$1=//p" "$here/SOURCE"; }
case "${3:-$(uname -m)}" in
  x86|x86_64) arch=x86 ;;
  arm64|aarch64) arch=arm64 ;;
  *) echo "$0: no vmlinux.h in the source for architecture ${3:-$(uname -m)} (x86, arm64)" >&2; exit 1 ;;
esac
[ -f "$tarball" ] || { echo "$0: $tarball: no such file (the source is $(pinned url))" >&2; exit 1; }
sum=$(sha256sum "$tarball" | cut -d' ' -f1)
[ "$sum" = "$(pinned sha256)" ] || {
  echo "$0: $tarball: sha256 $sum is not the pinned $(pinned sha256) (packaging/bpf/SOURCE)" >&2; exit 1; }
# Debian's clang (the Swift toolchain's clang, first on PATH in development, may lack the BPF target).
clang=${CLANG:-}
if [ -z "$clang" ]; then
  for candidate in /usr/bin/clang clang; do
    if command -v "$candidate" >/dev/null && "$candidate" -print-targets 2>/dev/null | grep -qw bpf; then clang=$candidate; break; fi
  done
fi
[ -n "$clang" ] || { echo "$0: no clang with the bpf target (install clang)" >&2; exit 1; }
strip_tool=$(command -v llvm-strip || ls /usr/bin/llvm-strip-* 2>/dev/null | head -n 1 || true)
[ -f /usr/include/bpf/bpf_helpers.h ] || { echo "$0: libbpf's headers are missing (install libbpf-dev)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -d "$src/src/bpf/probes" ] || { echo "$0: $tarball has no src/bpf/probes" >&2; exit 1; }
mkdir -p "$work/out"
# Each probe on its own (they are independent); as many at once as there are processors.
find "$src/src/bpf/probes" -maxdepth 1 -name '*.c' -print0 | sort -z |
  xargs -0 -P "$(nproc)" -I{} sh -c '
    name=$(basename "$1" .c)
    "$2" -g -O2 -target bpf -D__TARGET_ARCH_$3 -I "$4/src/bpf/$3" -I "$4/src/bpf" -I "$4/include" -c "$1" -o "$5/$name.bpf.o" ||
      { echo "build-objects.sh: $1 did not compile" >&2; exit 255; }
    # BTF and its relocations stay (CO-RE needs them); DWARF is most of the size.
    if [ -n "$6" ]; then "$6" -g "$5/$name.bpf.o"; fi' sh {} "$clang" "$arch" "$src" "$work/out" "$strip_tool"
cp "$src/LICENSE" "$work/out/LICENSE"
{
  echo "The connector's eBPF programs, built from Cisco's published source (LGPL-2.1-or-later, LICENSE):"
  echo "source $(pinned url) commit $(pinned commit)"
  echo "tarball $(pinned name) sha256 $sum"
  echo "architecture $arch"
  echo "compiler $("$clang" --version | head -n 1)"
} > "$work/out/ORIGIN"
chmod 0644 "$work/out"/*
mkdir -p "$out"
cp "$work/out"/* "$out"/
echo "built $(find "$work/out" -name '*.bpf.o' | wc -l) programs' objects into $out"
