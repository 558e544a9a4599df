#!/usr/bin/env bash
# The fault recipe kept true (CONTRIBUTING.md, "Adding a fault"): in a clone of the committed
# tree, scripts/new-fault.sh adds a throwaway fault. Only the fault's file, the registry, its
# test and po/ may change — four places, nothing else edited by hand or by the script — and the
# catalogs, the build and the whole test suite must pass with the fault in it.
#   scripts/recipe-test.sh [NUMBER]     (default 42: a number no fault of the connector has)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
number=${1:-42}
work=$(mktemp -d "${TMPDIR:-/tmp}/ampfix-recipe-XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q "$top" "$work/repo"
cd "$work/repo"
scripts/new-fault.sh "$number" throwawayRecipeCheck
mapfile -t changed < <(git status --porcelain --untracked-files=all | cut -c4- | LC_ALL=C sort)
places=()
for file in "${changed[@]}"; do
  case $file in
    Sources/AmpfixCore/Faults/Fault*ThrowawayRecipeCheck.swift) places+=(fault) ;;
    Sources/AmpfixCore/Faults/FaultRegistry.swift) places+=(registry) ;;
    Tests/AmpfixCoreTests/Fault*ThrowawayRecipeCheckTests.swift) places+=(test) ;;
    po/*) places+=(po) ;;
    *) echo "recipe-test: adding a fault changed $file too: the recipe is four places" >&2; exit 1 ;;
  esac
done
mapfile -t distinct < <(printf '%s\n' "${places[@]}" | sort -u)
echo "recipe-test: fault $number added in ${#distinct[@]} places (${distinct[*]}): ${changed[*]}"
for place in fault registry test; do
  printf '%s\n' "${distinct[@]}" | grep -qx "$place" || { echo "recipe-test: new-fault.sh wrote no $place" >&2; exit 1; }
done
scripts/po.sh check
build=$(mktemp)
swift build --build-tests 2>&1 | tee "$build" | tail -n 3
if grep -E "^$(pwd)/(Sources|Tests)/.*(warning|error):" "$build"; then
  echo "recipe-test: the new fault does not build cleanly (above)" >&2
  exit 1
fi
# The whole suite, fault included (its own test among them).
swift test --skip-build 2>&1 | tail -n 5
swift test --skip-build --filter ThrowawayRecipeCheckTests 2>&1 | grep -q "passed after" \
  || { echo "recipe-test: the new fault's own test did not run" >&2; exit 1; }
echo "recipe-test: passed"
