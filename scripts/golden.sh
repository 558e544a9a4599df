#!/usr/bin/env bash
# Captures every output of a built ampfix on the broken and healthy sample hosts into DIR, with
# run ids, times and temp paths normalised, so that a restructuring can be diffed byte for byte:
#   scripts/golden.sh BIN DIR      (BIN: e.g. .build/debug/ampfix)
#   diff -r before/ after/
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "$1")
out=$(realpath -m "$2")
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/sample-host.sh "$work/host" >/dev/null
scripts/sample-host.sh --healthy "$work/healthy" >/dev/null
n=0
capture() {  # capture NAME ARGS...: stdout, stderr and exit status, normalised
  local name=$1; shift
  n=$((n + 1))
  local status=0
  LANG=C.UTF-8 "$bin" "$@" >"$work/stdout" 2>"$work/stderr" </dev/null || status=$?
  {
    echo "\$ ampfix ${*//$work/ROOT}"
    echo "exit $status"
    echo "--- stdout"; cat "$work/stdout"
    echo "--- stderr"; cat "$work/stderr"
  } | sed -E -e "s#$work#ROOT#g" \
      -e 's/[0-9]{8}T[0-9]{6,9}Z?(-[0-9]+)?/RUNID/g' \
      -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z?/TIME/g' \
      -e 's/"(seconds|elapsed|duration)[A-Za-z]*" *: *[0-9.e-]+/"\1": N/g' \
      -e 's/[0-9]+(\.[0-9]+)? ?(ms|s)\b/N\2/g' \
      >"$out/$(printf %02d $n)-$name"
}
data=(--policy-module policy/cisco-secure-bpf.cil --kernel-support data/kernel-support.tsv)
amp=(--ampcli "$work/host/opt/cisco/amp/bin/ampcli")
for lang in en zh; do
  capture "list-$lang" list --lang "$lang"
  capture "list-json-$lang" list --lang "$lang" --json
  for f in 5 6 7 8 9 11 16 18 19 20; do
    capture "explain-$f-$lang" explain "$f" --lang "$lang"
    capture "explain-json-$f-$lang" explain "$f" --lang "$lang" --json
  done
done
capture help --help
capture diagnose --root "$work/host" "${data[@]}" "${amp[@]}"
capture diagnose-json --root "$work/host" "${data[@]}" "${amp[@]}" --json
capture diagnose-zh --root "$work/host" "${data[@]}" "${amp[@]}" --lang zh
capture diagnose-verbose --root "$work/host" "${data[@]}" "${amp[@]}" --verbose
capture dry-run --root "$work/host" "${data[@]}" "${amp[@]}" --all --dry-run
capture dry-run-json --root "$work/host" "${data[@]}" "${amp[@]}" --all --dry-run --json
capture dry-run-19 --root "$work/host" "${data[@]}" --fault 19 --dry-run --json
capture repair-16 --root "$work/host" "${data[@]}" --fault 16 --json
capture repair-all --root "$work/host" "${data[@]}" "${amp[@]}" --all --json
capture after --root "$work/host" "${data[@]}" --json
capture undo-list --root "$work/host" undo --list --json
capture undo --root "$work/host" undo --json
capture after-undo --root "$work/host" "${data[@]}" --json
capture healthy --root "$work/healthy" "${data[@]}" --json
capture healthy-text --root "$work/healthy" "${data[@]}"
capture bad-fault --fault 20
capture bad-root --root "$work/nonexistent"
echo "$n captures in $out"
