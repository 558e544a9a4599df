#!/usr/bin/env bash
# Every benchmark in the repository, then one table: figure, ampfix, yardstick, ratio, goal.
# The numbers in README.md are re-made with this one command. Each benchmark's own output is
# shown as it runs.  Usage: bench/all.sh [RUNS]   (RUNS for each benchmark; each has its default)
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_TABLE=$(mktemp)
export BENCH_TABLE
trap 'rm -f "$BENCH_TABLE"' EXIT
failed=()
for bench in bench/packaged-audit.sh bench/definitions.sh bench/package-lookup.sh bench/selinux-noop.sh bench/ebpf-probe.sh bench/kernel-hook.sh; do
  echo "== $bench"
  bash "$bench" ${1:+"$1"} || failed+=("$bench")
done
echo
{ printf 'FIGURE\tAMPFIX\tYARDSTICK\tRATIO\tGOAL\n'; cat "$BENCH_TABLE"; } | column -t -s $'\t'
[ ${#failed[@]} = 0 ] || { echo "failed: ${failed[*]}" >&2; exit 1; }
