#!/usr/bin/env bash
# Benchmark for the eBPF probe (ampfix preflight, fault 16): the connector's programs loaded and
# attached by ampfix (every object, in parallel, then detached) against what a user would run:
# `bpftool prog loadall` of the same objects one after another (load only: bpftool attaches
# nothing), with the ring buffer `events` the objects leave unsized given as a pinned map.
# Target <= 1.0x. Then the hourly audit with and without the objects installed: the probe is not
# in it (target <= 1.05x). Needs root, bpftool and the built objects.  Usage: bench/ebpf-probe.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
[ "$(id -u)" = 0 ] || { echo "SKIP ebpf-probe: loading eBPF programs needs root"; exit 0; }
command -v bpftool >/dev/null || { echo "SKIP ebpf-probe: bpftool is not installed"; exit 0; }
source bench/common.sh
# shellcheck source=packaging/common.sh
source packaging/common.sh
tarball=$(ebpf_source)
[ -n "$tarball" ] || { echo "SKIP ebpf-probe: no eBPF source (AMPFIX_EBPF_SOURCE, or ../shared/sources)"; exit 0; }
work=$(mktemp -d)
# A bpffs of the benchmark's own for bpftool's pins, unmounted at the end.
pins=$work/bpffs
mkdir -p "$pins"
mount -t bpf bpf "$pins"
cleanup() { umount "$pins" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
packaging/bpf/build-objects.sh "$tarball" "$work/bpf" >/dev/null
swift build -c release --product ampfix >/dev/null
bin=$(swift build -c release --show-bin-path)/ampfix

bpftool map create "$pins/events" type ringbuf key 0 value 0 entries 262144 name events
# Each object loaded by bpftool, then its pinned programs removed (what keeps them loaded). The
# map is given to the objects that have one (kernel_features has none), decided before timing.
{
  echo '#!/bin/sh'
  echo 'set -e'
  for object in "$work"/bpf/*.bpf.o; do
    if bpftool btf dump file "$object" | grep "VAR 'events'" >/dev/null; then  # no -q: with pipefail, bpftool's SIGPIPE would say no
      echo "bpftool prog loadall '$object' '$pins/progs' map name events pinned '$pins/events'"
    else
      echo "bpftool prog loadall '$object' '$pins/progs'"
    fi
    echo "rm -rf '$pins/progs'"
  done
} > "$work/loadall.sh"
chmod +x "$work/loadall.sh"
"$work/loadall.sh" >"$work/loadall.log" 2>&1 || { grep -v "CO-RE\|relo\|sec '" "$work/loadall.log" | tail -n 20 >&2; echo "bpftool prog loadall failed on these objects" >&2; exit 1; }

data=(--kernel-support data/kernel-support.tsv --policy-module policy/cisco-secure-bpf.cil)
compare "eBPF probe: load and attach all" "<= 1.0x" "bpftool prog loadall, serial" "$bin" preflight --no-record --bpf-objects "$work/bpf" "${data[@]}" -- "$work/loadall.sh"
mkdir -p "$work/none"
compare "hourly audit: objects installed" "<= 1.05x" "the audit without objects" "$bin" --dry-run --bpf-objects "$work/bpf" "${data[@]}" -- \
  "$bin" --dry-run --bpf-objects "$work/none" "${data[@]}"
