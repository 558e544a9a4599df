#!/usr/bin/env bash
# Benchmark for faults 11 and 16: a package lookup through the library (`ampfix package NAME`,
# libapt-pkg / librpm) against the tool a user would run on the same root (`apt-cache policy
# NAME`, `rpm -q NAME`), medians and ratios (target <= 1.0x); then a full `ampfix --dry-run`
# audit of this machine: median wall time and peak RSS.  Usage: bench/package-lookup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
swift build -c release --product ampfix >/dev/null
bin=$(swift build -c release --show-bin-path)/ampfix

source bench/common.sh

inprocess() {  # label, tool's median ms, ampfix arguments...
  local label=$1 tool=$2; shift 2
  local ours; ours=$("$bin" "$@" --repeat "$runs")
  local ratio; ratio=$(echo "$ours / $tool" | bc -l)
  printf '%-34s library call %8.3f ms in-process vs the tool %8.1f ms   ratio %.3fx\n' "$label" "$ours" "$tool" "$ratio"
  row "library call: $label" "$(printf '%.3f ms' "$ours")" "$(printf 'the tool %.1f ms' "$tool")" "$(printf '%.3fx' "$ratio")" "<= 1.0x"
}

echo "Whole processes (ampfix package NAME vs the tool):"
compare "package lookup: apt" "<= 1.0x" "apt-cache policy apt" "$bin" package apt -- apt-cache policy apt
compare "package lookup: linux-headers" "<= 1.0x" "apt-cache policy" "$bin" package linux-headers-amd64 -- apt-cache policy linux-headers-amd64

rpmroot=$(mktemp -d)
trap 'rm -rf "$rpmroot"' EXIT
mkdir -p "$rpmroot/SPECS"
for v in 362.8.1.el9_3 70.13.1.el9_0; do
  printf 'Name: kernel-devel\nVersion: 5.14.0\nRelease: %s\nSummary: b\nLicense: MIT\nBuildArch: x86_64\n%%description\nb\n%%files\n' "$v" > "$rpmroot/SPECS/k$v.spec"
  rpmbuild -bb --quiet --define "_topdir $rpmroot/build" --target x86_64 "$rpmroot/SPECS/k$v.spec" >/dev/null 2>&1
done
rpm --root "$rpmroot/root" --dbpath /var/lib/rpm --initdb
rpm --root "$rpmroot/root" --dbpath /var/lib/rpm -i --nodeps --justdb --ignorearch "$rpmroot"/build/RPMS/x86_64/*.rpm >/dev/null 2>&1
compare "package lookup: kernel-devel" "<= 1.0x" "rpm -q (rpmbuild root)" "$bin" --root "$rpmroot/root" package kernel-devel -- rpm --root "$rpmroot/root" --dbpath /var/lib/rpm -q kernel-devel

echo "The library call alone (open + lookup, median of $runs in one process) vs the tool's whole run:"
read -r apt_tool _ < <(measure apt-cache policy linux-headers-amd64)
inprocess "apt: linux-headers-amd64" "$apt_tool" package linux-headers-amd64
read -r rpm_tool _ < <(measure rpm --root "$rpmroot/root" --dbpath /var/lib/rpm -q kernel-devel)
inprocess "rpm: kernel-devel" "$rpm_tool" --root "$rpmroot/root" package kernel-devel

read -r audit rss < <(measure "$bin" --dry-run --kernel-support data/kernel-support.tsv --policy-module policy/cisco-secure-bpf.cil)
printf 'full audit (ampfix --dry-run, all faults, this machine): median %.1f ms, peak RSS %d KiB\n' "$audit" "$rss"
