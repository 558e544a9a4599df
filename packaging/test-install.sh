#!/usr/bin/env bash
# Installs the ampfix deb on a freshly bootstrapped minimal Debian 12 (no Swift toolchain) and
# runs it there, as a new user would:
#   packaging/test-install.sh [DEB]
# Without DEB, builds one with packaging/build-deb.sh. The minimal system is bootstrapped once
# with mmdebstrap and cached under $TMPDIR (ampfix-bookworm-minbase-*.tar, keyed by what it is
# built from); each run unpacks a fresh copy. Exit status: 0 all steps passed, 1 a step failed,
# 77 skipped (the reason is printed: not root, no mmdebstrap, or the mirror cannot be reached).
set -euo pipefail
# shellcheck source=packaging/common.sh
source "$(dirname "$0")/common.sh"   # top, version

test_name=packaging/test-install.sh
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
# shellcheck source=scripts/lib/debian-base.sh
source "$top/scripts/lib/debian-base.sh"
debian_base minbase

deb=${1:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$deb" ]; then deb=$("$top/packaging/build-deb.sh" "$work/deb"); fi

chroot=$work/root
mkdir "$chroot"
tar -C "$chroot" -xf "$base"
cp "$deb" "$chroot/tmp/ampfix.deb"
# The sample host root is made on this machine (its SELinux store needs semodule), then used
# by the installed ampfix inside the minimal system.
"$top/scripts/sample-host.sh" "$chroot/tmp/sample" >/dev/null


# Runs a command in the minimal system, in a private mount namespace: with /proc, /dev and
# /sys mounted, or (first argument --no-proc) with nothing mounted at all. The system's
# directory is made a mount point first, as on a real machine (ampfix confines the tools it
# hands --root to with mounts of their own, which it cannot make under a chroot's plain
# directory).
in_chroot() {
  local mounts='mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && mount -t sysfs sysfs "$0/sys" &&'
  if [ "$1" = --no-proc ]; then shift; mounts=''; fi
  unshare --mount --fork sh -c 'mount --bind "$0" "$0" && '"$mounts"' exec chroot "$0" "$@"' "$chroot" "$@"
}

if in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/ampfix.deb >"$work/install.log" 2>&1; then
  pass "apt-get install ./$(basename "$deb") on minimal Debian $suite"
else
  tail -n 20 "$work/install.log"
  fail "apt-get install ./$(basename "$deb")"
  echo "1 step failed; nothing more can run"; exit 1
fi
if in_chroot sh -c 'command -v swift || ls /usr/lib/swift /opt/swift' >/dev/null 2>&1; then
  fail "the minimal system has a Swift toolchain: the test proves nothing"
fi
missing=$(in_chroot ldd /usr/sbin/ampfix | grep "not found" || true)
[ -z "$missing" ] && pass "ldd /usr/sbin/ampfix: every library found" || fail "ldd /usr/sbin/ampfix: $missing"
[ "$(in_chroot ampfix --version 2>&1)" = "$version" ] && pass "ampfix --version: $version" || fail "ampfix --version"

list=$(in_chroot ampfix list 2>&1) || true
# The faults ampfix knows, from where each declares its number (Sources/AmpfixCore/Faults/).
known=$(grep -ho 'FaultID(declaring: [0-9]*)' "$top"/Sources/AmpfixCore/Faults/*.swift | grep -o '[0-9]*' | sort -n | paste -sd' ')
if [ -n "$known" ] && [ "$(printf '%s\n' "$list" | grep -oE '^[0-9]+ ' | tr -d ' ' | paste -sd' ')" = "$known" ]; then
  pass "ampfix list: every fault ($known)"
else
  fail "ampfix list: $list"
fi
explain=$(in_chroot ampfix explain 19 --lang zh 2>&1) || true
case $explain in
  *"SELinux 策略模块缺失或被禁用"*) pass "ampfix explain 19 --lang zh" ;;
  *) fail "ampfix explain 19 --lang zh: $explain" ;;
esac
[ ! -e "$chroot/proc/self" ] || fail "/proc is mounted in the chroot outside in_chroot"
noproc=$(in_chroot --no-proc ampfix list 2>&1) || true
[ "$noproc" = "$list" ] && pass "ampfix list without /proc: the same list" || fail "ampfix list without /proc: $noproc"
noproc_usage=0
in_chroot --no-proc ampfix --fault 99 >/dev/null 2>&1 || noproc_usage=$?
[ "$noproc_usage" = 64 ] && pass "ampfix --fault 99 without /proc: usage error (64)" || fail "ampfix --fault 99 without /proc: exit $noproc_usage"

hook=0
in_chroot env DPKG_MAINTSCRIPT_NAME=postinst /usr/share/ampfix/hooks/ampfix-connector-hook --root /tmp/sample || hook=$?
log=$chroot/var/log/cisco/ampfix-hook.log
if [ "$hook" = 0 ] && grep -q "repair of faults 5 and 19: exit status 0" "$log"; then
  pass "the connector hook on the sample root: exit 0, faults 5 and 19 repaired"
else
  cat "$log" 2>/dev/null | tail -n 20
  fail "the connector hook on the sample root: exit $hook"
fi
grep -q '^cisco-amp-scan-svc:' "$chroot/tmp/sample/etc/passwd" && pass "the sample root has the scan user" || fail "no scan user in the sample root"
fault5=0
in_chroot ampfix --root /tmp/sample --fault 5 --no-restart >"$work/fault5.log" 2>&1 || fault5=$?
[ "$fault5" = 0 ] && pass "ampfix --root /tmp/sample --fault 5 --no-restart: exit 0" || { cat "$work/fault5.log"; fail "ampfix --root /tmp/sample --fault 5: exit $fault5"; }

for unit in ampfix-audit.service ampfix-audit.timer; do
  [ -f "$chroot/lib/systemd/system/$unit" ] && pass "installed: /lib/systemd/system/$unit" || fail "not installed: $unit"
done
if in_chroot sh -c 'apt-get remove -y -q ampfix && apt-get purge -y -q ampfix' >"$work/remove.log" 2>&1 &&
   [ ! -e "$chroot/usr/sbin/ampfix" ] && [ ! -e "$chroot/lib/systemd/system/ampfix-audit.timer" ]; then
  pass "apt-get remove, then purge: the maintainer scripts pass and the files are gone"
else
  tail -n 20 "$work/remove.log"
  fail "apt-get remove/purge ampfix"
fi

if [ "$failures" = 0 ]; then echo "all install steps passed"; else echo "$failures install steps failed"; exit 1; fi
