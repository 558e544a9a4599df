#!/usr/bin/env bash
# Builds ampfix and shows it on a broken sample host root (a throwaway directory; this machine's
# own files are never touched): diagnosis, dry run, repair, the state after, and undo.
#   scripts/demo.sh [--lang LANG]   the reports in LANG (zh: Chinese), from the catalogs in po/
set -euo pipefail
cd "$(dirname "$0")/.."
lang=()
if [ $# -gt 0 ]; then
  [ "$1" = --lang ] && [ $# = 2 ] || { echo "usage: scripts/demo.sh [--lang LANG]" >&2; exit 64; }
  lang=(--lang "$2")
fi
scripts/deps.sh
if [ ${#lang[@]} -gt 0 ]; then
  # The packages install the compiled catalogs in /usr/share/locale; here, a temporary directory.
  AMPFIX_LOCALEDIR=$(mktemp -d)
  export AMPFIX_LOCALEDIR
  scripts/po.sh compile "$AMPFIX_LOCALEDIR"
fi
swift build -c release --product ampfix 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)/ampfix
sample=$(mktemp -d)/sample-host
scripts/sample-host.sh "$sample"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || echo "(exit status $?)"; }
# ampfix's data files from the repository (installed packages use /usr/share/ampfix).
# The sample's connector status is a stand-in script in the tree; ampfix runs it only when named.
data=(--policy-module policy/cisco-secure-bpf.cil --kernel-support data/kernel-support.tsv --ampcli "$sample/opt/cisco/amp/bin/ampcli")
step "$bin" --root "$sample" "${lang[@]}" "${data[@]}"
step "$bin" --root "$sample" --all --dry-run "${lang[@]}" "${data[@]}"
step "$bin" --root "$sample" --all "${lang[@]}" "${data[@]}"
step "$bin" --root "$sample" --fault 5 --fault 19 "${lang[@]}" "${data[@]}"
step "$bin" explain 5 "${lang[@]}"
step "$bin" undo --root "$sample" --list "${lang[@]}"
step "$bin" collect --root "$sample" "${data[@]}" --output "$sample.support.tar.gz"
# The same host with nothing broken: an audit comes back clean (exit 0).
healthy=$(dirname "$sample")/healthy-host
scripts/sample-host.sh --healthy "$healthy" >/dev/null
step "$bin" --root "$healthy" "${lang[@]}" "${data[@]/$sample/$healthy}"
echo
echo "The sample host stays in $sample; try: $bin undo --root $sample"
