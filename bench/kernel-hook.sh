#!/usr/bin/env bash
# Benchmark for the kernel hook (/etc/kernel/postinst.d/zz-ampfix): what it adds to a kernel
# package's installation. The same kernel package is installed with `dpkg -i` and purged again,
# alternately with AMPFIX_KERNEL_HOOK=off and =report (the default: `ampfix preflight --kernel
# NEW`), RUNS times each; the ratio of the medians is the hook's cost. Target <= 1.1x.
#
#   bench/kernel-hook.sh [RUNS]
#       On this machine (root): the VM test's Debian 12 guest image (scripts/vm-test.sh builds and
#       caches it under $TMPDIR) unpacked into a throwaway directory, ampfix's deb installed in it
#       (AMPFIX_DEB, else packaging/build-deb.sh builds one), then the measurement below run
#       inside it (chroot, in a mount namespace of its own: nothing of this machine changes). The
#       package is the guest's own kernel package under another release (RELEASE-bench, made by
#       scripts/vm/customize.sh), so that the kernel checked is not the running one: the hook's
#       usual case. (Inside the emulated guest itself two kernel installs take over 20 minutes:
#       the guest runs it only with AMPFIX_VM_BENCH=1.)
#   bench/kernel-hook.sh KERNEL.deb [RUNS]
#       The measurement itself, on a disposable Debian machine with ampfix's package installed
#       (AMPFIX_BENCH_DISPOSABLE=yes: it installs and purges KERNEL.deb).
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "SKIP kernel-hook: installing a kernel package needs root"; exit 0; }
if [ $# = 0 ] || [[ $1 =~ ^[0-9]+$ ]]; then
  # On this machine: the guest's image as a chroot.
  top=$(cd "$(dirname "$0")/.." && pwd)
  image=$(ls -t "${TMPDIR:-/tmp}"/ampfix-vm-base-*.tar 2>/dev/null | head -n 1 || true)
  [ -n "$image" ] || { echo "SKIP kernel-hook: no VM test image in ${TMPDIR:-/tmp} (scripts/vm-test.sh builds it)"; exit 0; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  deb=${AMPFIX_DEB:-}
  if [ -z "$deb" ]; then deb=$("$top/packaging/build-deb.sh" "$work/deb"); fi
  mkdir "$work/root"
  tar -C "$work/root" -xf "$image"
  cp "$deb" "$work/root/tmp/ampfix.deb"
  install -m 0755 "$0" "$work/root/tmp/kernel-hook-bench.sh"
  bench_deb=$(cd "$work/root" && ls srv/repo/linux-image-*-bench.deb)
  # A mount namespace of its own: /proc, /sys and /dev for the chroot vanish with it.
  unshare --mount --propagation private sh -c '
    set -e
    root=$1; shift
    mount -t proc proc "$root/proc"; mount -t sysfs sys "$root/sys"; mount --rbind /dev "$root/dev"
    chroot "$root" dpkg -i /tmp/ampfix.deb >/dev/null
    exec chroot "$root" env AMPFIX_BENCH_DISPOSABLE=yes BENCH_TABLE= bash /tmp/kernel-hook-bench.sh "$@"
  ' bench "$work/root" "/$bench_deb" "${1:-3}" | tee "$work/out"
  row=$(grep -o 'with the hook [0-9.]* ms   without [0-9.]* ms   ratio [0-9.]*x' "$work/out" || true)
  if [ -n "$row" ] && [ -n "${BENCH_TABLE:-}" ]; then
    read -r _ _ _ with _ _ without _ _ ratio <<<"$row"
    printf '%s\t%s\t%s\t%s\t%s\n' "kernel hook in a kernel install" "$with ms" "dpkg -i without it $without ms" "$ratio" "<= 1.1x" >> "$BENCH_TABLE"
  fi
  [ -n "$row" ]
  exit
fi
deb=$1
runs=${2:-1}
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
  before=0
  if [ -f "$log" ]; then before=$(wc -l < "$log"); fi
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
