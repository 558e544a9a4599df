#!/usr/bin/env bash
# Builds ampfix and shows it on a broken sample host root (a throwaway directory; this machine's
# own files are never touched): diagnosis, dry run, repair, the state after, and undo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
swift build -c release --product ampfix 2>&1 | tail -n 1
bin=$(swift build -c release --show-bin-path)/ampfix
sample=$(mktemp -d)/sample-host
scripts/sample-host.sh "$sample"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@" || echo "(exit status $?)"; }
# ampfix's data files from the repository (installed packages use /usr/share/ampfix).
# The sample's connector status is a stand-in script in the tree; ampfix runs it only when named.
data=(--policy-module policy/cisco-secure-bpf.cil --kernel-support data/kernel-support.tsv --ampcli "$sample/opt/cisco/amp/bin/ampcli")
step "$bin" --root "$sample" "${data[@]}"
step "$bin" --root "$sample" --all --dry-run "${data[@]}"
step "$bin" --root "$sample" --all "${data[@]}"
step "$bin" --root "$sample" --fault 5 --fault 19 "${data[@]}"
step "$bin" --root "$sample" explain 5
step "$bin" undo --root "$sample" --list
step "$bin" collect --root "$sample" "${data[@]}" --output "$sample.support.tar.gz"
# The same host with nothing broken: an audit comes back clean (exit 0).
healthy=$(dirname "$sample")/healthy-host
scripts/sample-host.sh --healthy "$healthy" >/dev/null
step "$bin" --root "$healthy" "${data[@]/$sample/$healthy}"
echo
echo "The sample host stays in $sample; try: $bin undo --root $sample"
