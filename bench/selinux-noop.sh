#!/usr/bin/env bash
# Benchmark for fault 19: on a copy of this machine's refpolicy store with cisco-secure-bpf
# installed, `ampfix --fault 19` (a no-op: one store listing, one module read) against what
# installers run on every upgrade, `semodule -i cisco-secure-bpf.cil` (a full policy rebuild).
# Prints both medians and the ratio. Usage: bench/selinux-noop.sh [RUNS]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
swift build -c release --product ampfix >/dev/null
bin=$(swift build -c release --show-bin-path)/ampfix
module=$PWD/policy/cisco-secure-bpf.cil
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
scripts/selinux-store.sh "$root" default
"$bin" --root "$root" --fault 19 --policy-module "$module" --quiet

source bench/common.sh
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }

ampfix_us=$(for _ in $(seq "$runs"); do time_ms "$bin" --root "$root" --fault 19 --policy-module "$module" --quiet; done | median)
semodule_us=$(for _ in $(seq "$runs"); do time_ms semodule -p "$root" -s default -N -i "$module"; done | median)
printf 'ampfix --fault 19 (no-op)      median %10.1f ms\n' "$(echo "$ampfix_us / 1000" | bc -l)"
printf 'semodule -i cisco-secure-bpf  median %10.1f ms\n' "$(echo "$semodule_us / 1000" | bc -l)"
printf 'ratio: ampfix is %.0fx faster (target >= 100x)\n' "$(echo "$semodule_us / $ampfix_us" | bc -l)"
row "fault 19 no-op" "$(printf '%.1f ms' "$(echo "$ampfix_us / 1000" | bc -l)")" "$(printf 'semodule -i %.1f ms' "$(echo "$semodule_us / 1000" | bc -l)")" \
  "$(printf '%.3fx' "$(echo "$ampfix_us / $semodule_us" | bc -l)")" "<= 0.01x"
