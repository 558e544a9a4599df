#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with libFuzzer: scripts/fuzz.sh [SECONDS [RUNS]]
# (default 30 s each; FUZZ_TARGETS="A B" picks targets; with RUNS, a target also stops after RUNS executions, e.g. 10000000). Builds the targets of Fuzz/ with -sanitize=fuzzer,address, starts each from its seed
# corpus in Fuzz/corpus/TARGET, and prints executions and crashes per target. A crash is kept
# as Fuzz/crash-TARGET-* (reproduce: Fuzz/.build/release/FuzzTARGET -runs=1 FILE); exit 1.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"
seconds=${1:-30}
runs_limit=()
[ -z "${2:-}" ] || runs_limit=(-runs="$2")
all_targets="LoginDefs Accounts OSRelease SELinuxConfig KernelSupport Journal JSON SecureBoot MokList ConnectorStatus ConnectorFaultCount Definitions KernelEvidence"
# FUZZ_TARGETS="Journal Definitions" runs only those (a long run split over several sittings).
read -r -a targets <<<"${FUZZ_TARGETS:-$all_targets}"
for target in "${targets[@]}"; do
  [[ " $all_targets " == *" $target "* ]] || { echo "fuzz.sh: no target $target (targets: $all_targets)" >&2; exit 64; }
done
# lld: gold fails on these binaries' debug information ("internal error in format_file_lineno").
# shellcheck disable=SC2054 # -sanitize=fuzzer,address is one option
flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
swift build "${flags[@]}" 2>&1 | grep -v "asan_extra_spill_area" | tail -n 1
bin=$(swift build "${flags[@]}" --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Swift's backtracer takes seconds per crash; libFuzzer prints its own report.
export SWIFT_BACKTRACE=enable=no
failed=0
printf '%-20s %12s %8s  %s\n' target executions crashes "corpus (seeds -> now)"
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  cp corpus/"$target"/* "$work/$target/"
  seeds=$(ls corpus/"$target" | wc -l)
  status=0
  # Leak checks are off: the Swift runtime's metadata caches live for the whole process.
  "$bin/Fuzz$target" -max_total_time="$seconds" "${runs_limit[@]}" -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix="crash-$target-" "$work/$target" >"$work/$target.log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log" | tail -n 1)
  crashes=0
  if [ "$status" != 0 ]; then crashes=1; failed=1; fi
  printf '%-20s %12s %8s  %s -> %s\n' "$target" "${runs:-?}" "$crashes" "$seeds" "$(ls "$work/$target" | wc -l)"
  if [ "$status" != 0 ]; then
    grep -E "Fatal error|precondition|ERROR: |Test unit written|SUMMARY" "$work/$target.log" | head -n 8 | sed 's/^/    /'
  fi
done
exit "$failed"
