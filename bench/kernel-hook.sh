#!/usr/bin/env bash
# Benchmark for the kernel hook (/etc/kernel/postinst.d/zz-ampfix): what it adds to a kernel
# package's installation. The same kernel package is installed with `dpkg -i` and purged again,
# alternately with AMPFIX_KERNEL_HOOK=off and =report (the default: `ampfix preflight --kernel
# NEW`), RUNS times each; the ratio of the medians is the hook's cost. Target <= 1.1x.
#
# It installs and removes a kernel, so it runs only on a disposable Debian machine with ampfix's
# package installed: the VM test's guest runs it when asked (AMPFIX_VM_BENCH=1
# scripts/vm-test.sh: two kernel installs take minutes under emulation), with a copy of the
# guest's own kernel package under another release, so that the kernel checked is not the
# running one: the hook's usual case. Its output is in the VM test's results
# (kernel-hook-bench.txt).  Usage: bench/kernel-hook.sh KERNEL.deb [RUNS]   (RUNS default 1)
set -euo pipefail
deb=${1:?usage: bench/kernel-hook.sh KERNEL.deb [RUNS]}
runs=${2:-1}
[ "$(id -u)" = 0 ] || { echo "SKIP kernel-hook: installing a kernel package needs root"; exit 0; }
[ "${AMPFIX_BENCH_DISPOSABLE:-}" = yes ] || {
  echo "SKIP kernel-hook: it installs and purges $deb; run it on a disposable machine with AMPFIX_BENCH_DISPOSABLE=yes (the VM test's guest does)"
  exit 0
}
hook=/etc/kernel/postinst.d/zz-ampfix
[ -x "$hook" ] || { echo "FAIL kernel-hook: $hook is not installed (ampfix's package installs it)" >&2; exit 1; }
package=$(dpkg-deb -f "$deb" Package)
settings=/etc/default/ampfix
log=/var/log/ampfix/kernel-hook.log
saved=$(mktemp)
had_settings=no
if [ -f "$settings" ]; then cp -p "$settings" "$saved"; had_settings=yes; fi
restore() {
  if [ "$had_settings" = yes ]; then cp -p "$saved" "$settings"; else rm -f "$settings"; fi
  rm -f "$saved"
}
trap restore EXIT
cat "$deb" > /dev/null  # the package read once before timing, for both alike

# One install with the hook in MODE, then the purge (not timed): milliseconds on stdout.
install_once() {
  printf 'AMPFIX_KERNEL_HOOK=%s\n' "$1" > "$settings"
  local before start end
  before=$(wc -l < "$log" 2>/dev/null || echo 0)
  start=$(date +%s%N)
  DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" > /dev/null 2>&1 || { echo "FAIL kernel-hook: dpkg -i $deb failed (hook $1)" >&2; return 1; }
  end=$(date +%s%N)
  # The hook ran as set: report predicted, off checked nothing.
  case $1 in
    report) tail -n +"$((before + 1))" "$log" | grep -q "ampfix preflight --kernel" ;;
    off) tail -n +"$((before + 1))" "$log" | grep -q "AMPFIX_KERNEL_HOOK=off: nothing checked" ;;
  esac || { echo "FAIL kernel-hook: the hook's log ($log) does not show a run in mode $1" >&2; return 1; }
  DEBIAN_FRONTEND=noninteractive dpkg --purge "$package" > /dev/null 2>&1 || { echo "FAIL kernel-hook: dpkg --purge $package failed" >&2; return 1; }
  echo $(( (end - start) / 1000000 ))
}
off=() report=()
for _ in $(seq "$runs"); do
  took=$(install_once off); off+=("$took")
  took=$(install_once report); report+=("$took")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
with=$(median "${report[@]}")
without=$(median "${off[@]}")
ratio=$(awk -v a="$with" -v b="$without" 'BEGIN { printf "%.3f", a / b }')
printf 'kernel hook in a kernel install   dpkg -i with the hook %s ms   without %s ms   ratio %sx  (goal <= 1.1x; %s run(s) each, %s)\n' \
  "$with" "$without" "$ratio" "$runs" "$package"
if [ -n "${BENCH_TABLE:-}" ]; then
  printf '%s\t%s\t%s\t%s\t%s\n' "kernel hook in a kernel install" "$with ms" "dpkg -i without it $without ms" "${ratio}x" "<= 1.1x" >> "$BENCH_TABLE"
fi
