#!/usr/bin/env bash
# Lays out an ampfix installation under DIR, for the deb and rpm builds:
#   stage.sh DIR BINARY
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIR BINARY" >&2; exit 64; }
dir=$1 bin=$2
top=$(cd "$(dirname "$0")/.." && pwd)
install -D -m 0755 "$bin" "$dir/usr/sbin/ampfix"
install -D -m 0644 "$top/policy/cisco-secure-bpf.cil" "$dir/usr/share/ampfix/policy/cisco-secure-bpf.cil"
install -D -m 0644 "$top/data/kernel-support.tsv" "$dir/usr/share/ampfix/kernel-support.tsv"
install -D -m 0755 "$top/packaging/hooks/ampfix-connector-hook" "$dir/usr/share/ampfix/hooks/ampfix-connector-hook"
install -D -m 0644 "$top/packaging/ampfix.8" "$dir/usr/share/man/man8/ampfix.8"
gzip -9n "$dir/usr/share/man/man8/ampfix.8"
