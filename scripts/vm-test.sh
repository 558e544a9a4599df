#!/usr/bin/env bash
# The live host, proven in a real kernel: a Debian 12 VM with SELinux enforcing, systemd and
# real kernel modules, in which the ampfix deb built from this checkout repairs faults 5, 8, 9,
# 11 and 19 for real, and builds ampfsm with DKMS for a kernel without it (scripts/vm/scenario.sh
# lists the steps).
#   scripts/vm-test.sh [--secure-boot] [DEB]
# With --secure-boot the same image boots as a Secure Boot machine does: OVMF with Microsoft's
# keys enrolled and Secure Boot enforcing, Debian's signed shim and GRUB on an EFI system
# partition (a directory QEMU serves as a FAT disk), Debian's signed kernel; the kernel is locked
# down and MokListRT is shim's. scripts/vm/secure-boot-scenario.sh then proves the path of a DKMS
# build whose key is not enrolled.
# The base image (mmdebstrap of bookworm with its kernel, systemd, the default SELinux policy,
# the kernel's headers and gcc, shaped by scripts/vm/customize.sh) is cached under $TMPDIR,
# keyed by its inputs; a later run only installs the deb, labels the files (setfiles), makes the
# disk (mkfs.ext4 -d) and boots it with QEMU (KVM where /dev/kvm works). The guest has no
# network; its apt source is a file: repository inside it. Exit status 0 every step passed, 1 a
# step failed or the guest did not finish, 77 skipped (the reason is printed).
# Environment: AMPFIX_VM_TIMEOUT (seconds the guest may take, default 1200), AMPFIX_VM_KEEP (a
# directory to keep the results and console in), AMPFIX_VM_BENCH=1 (also measure the kernel
# hook's cost in a kernel install, bench/kernel-hook.sh: over 20 minutes more under emulation,
# so raise AMPFIX_VM_TIMEOUT to 3600).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mirror=${AMPFIX_TEST_MIRROR:-http://deb.debian.org/debian}
timeout=${AMPFIX_VM_TIMEOUT:-1200}
test_name=scripts/vm-test.sh
secure_boot=
if [ "${1:-}" = --secure-boot ]; then secure_boot=1; test_name="scripts/vm-test.sh --secure-boot"; shift; fi
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
[ "$(id -u)" = 0 ] || skip "needs root (mmdebstrap into a directory, chroot, file labels)"
for tool in mmdebstrap qemu-system-x86_64 mkfs.ext4 setfiles dpkg-scanpackages; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/deps.sh installs it)"
done
# The firmware: Debian's ovmf, its 4 MiB build with Secure Boot (SMM) and Microsoft's keys.
firmware=/usr/share/OVMF/OVMF_CODE_4M.ms.fd
firmware_vars=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
if [ -n "$secure_boot" ]; then
  for file in "$firmware" "$firmware_vars"; do
    [ -f "$file" ] || skip "$file is missing (the ovmf package; scripts/deps.sh installs it)"
  done
fi

cache=${TMPDIR:-/tmp}
packages=linux-image-amd64,linux-headers-amd64,gcc,make,libc6-dev,dkms,systemd-sysv,udev,kmod,selinux-policy-default,policycoreutils,semodule-utils,selinux-utils,jq,procps,strace,openssl,mokutil,libarchive13,libapt-pkg6.0,libsemanage2,libkmod2,libbpf1,bpftool,libselinux1,passwd,prometheus-node-exporter
aptopts=(--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Check-Date "false"')
key=$( (printf '%s\n' bookworm "$mirror" "$packages" "${aptopts[@]}" keep-lists; cat "$top"/scripts/vm/customize.sh "$top"/scripts/vm/stand-in-module.c "$top"/scripts/vm/*.service "$top"/scripts/vm/ampdaemon \
  "$top"/scripts/fixtures/module-source/*; cat "$top"/../shared/sources/ampfsm-*.tar.gz 2>/dev/null || true) | sha256sum | cut -c1-12)
base=$cache/ampfix-vm-base-$key.tar
started=$(date +%s)
if [ ! -s "$base" ]; then
  echo "building the base image $base (cached for later runs)"
  # The lists of the guest's file: repository are kept: the guest's apt needs them offline.
  if ! mmdebstrap --quiet --variant=minbase --include="$packages" "${aptopts[@]}" --skip=cleanup/apt/lists \
      --customize-hook="$top/scripts/vm/customize.sh \"\$1\"" --format=tar \
      bookworm "$base.partial" "$mirror" >"$cache/ampfix-vm-mmdebstrap.log" 2>&1; then
    rm -f "$base.partial"
    tail -n 15 "$cache/ampfix-vm-mmdebstrap.log" >&2
    echo "FAIL the base image could not be built (log: $cache/ampfix-vm-mmdebstrap.log)"; exit 1
  fi
  mv "$base.partial" "$base"
  # Earlier images (other inputs) are a gigabyte each: only the current one is kept.
  find "$cache" -maxdepth 1 -name 'ampfix-vm-base-*.tar' ! -name "$(basename "$base")" -delete
  echo "base image built in $(( $(date +%s) - started )) s"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb=${1:-}
if [ -z "$deb" ]; then deb=$("$top/packaging/build-deb.sh" "$work/deb"); fi
tree=$work/tree
mkdir "$tree"
tar -C "$tree" -xf "$base"
# The deb's dependencies are in the image already (the guest has no network): dpkg alone.
cp "$deb" "$tree/tmp/ampfix.deb"
chroot "$tree" dpkg -i /tmp/ampfix.deb >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; echo "FAIL dpkg -i $(basename "$deb") in the image"; exit 1; }
rm "$tree/tmp/ampfix.deb"
install -D -m 0644 "$top/scripts/vm/lib.sh" "$tree/usr/local/lib/ampfix-vm/lib.sh"
# The kernel hook's benchmark (bench/kernel-hook.sh) only when asked: two kernel installs take
# minutes under emulation.
if [ "${AMPFIX_VM_BENCH:-}" = 1 ]; then
  install -D -m 0644 "$top/bench/kernel-hook.sh" "$tree/usr/local/lib/ampfix-vm/kernel-hook-bench.sh"
fi
scenario=$top/scripts/vm/scenario.sh
[ -z "$secure_boot" ] || scenario=$top/scripts/vm/secure-boot-scenario.sh
install -m 0755 "$scenario" "$tree/usr/local/sbin/ampfix-vm-scenario"

# Labels from the guest's own policy, set here so the guest needs no relabelling boot; the
# scenario and the connector's stand-in run as init scripts do (initrc_t, unconfined).
setfiles -r "$tree" "$tree/etc/selinux/default/contexts/files/file_contexts" "$tree" >"$work/setfiles.log" 2>&1 \
  || { tail "$work/setfiles.log"; echo "FAIL setfiles"; exit 1; }
for file in usr/local/sbin/ampfix-vm-scenario opt/cisco/amp/bin/ampdaemon; do
  python3 -c 'import os, sys; os.setxattr(sys.argv[1], "security.selinux", b"system_u:object_r:initrc_exec_t:s0\0", follow_symlinks=False)' "$tree/$file"
done

disk=$work/disk.img
truncate -s 6G "$disk"
mkfs.ext4 -q -L ampfix-vm -d "$tree" "$disk"
kernel=$(ls "$tree"/boot/vmlinuz-* | head -n 1); initrd=$(ls "$tree"/boot/initrd.img-* | head -n 1)
# KVM where it boots a kernel (nested KVM can be far slower than emulation): the guest's kernel
# must print its banner within 10 s, else QEMU emulates (TCG, one thread per virtual CPU).
# shellcheck disable=SC2054 # tcg,thread=multi is one option
accel=(-accel tcg,thread=multi)
why="TCG: /dev/kvm is not usable here"
if [ -w /dev/kvm ]; then
  # SIGTERM first (QEMU ends on it), SIGKILL 5 s later only if it does not.
  timeout --kill-after=5 10 qemu-system-x86_64 -accel kvm -m 512 -nodefaults -no-reboot -display none \
    -serial "file:$work/probe.log" -nic none -kernel "$kernel" -append "console=ttyS0 panic=-1" >/dev/null 2>&1 || true
  if grep -aq 'Linux version' "$work/probe.log" 2>/dev/null; then
    accel=(-accel kvm); why="KVM"
  else
    why="TCG: under KVM the guest's kernel printed nothing within 10 s (nested virtualization)"
  fi
fi
cmdline="root=LABEL=ampfix-vm rw console=ttyS0 selinux=1 security=selinux enforcing=1 panic=-1 quiet"
if [ -n "$secure_boot" ]; then
  # Debian's signed shim, MOK manager and GRUB, from the mirror the host's apt knows (cached).
  efi=$cache/ampfix-vm-efi
  if [ ! -s "$efi/shimx64.efi.signed" ] || [ ! -s "$efi/grubx64.efi.signed" ]; then
    mkdir -p "$efi.partial" && rm -rf "${efi:?}.partial"/*
    (cd "$efi.partial" && apt-get download shim-signed shim-helpers-amd64-signed grub-efi-amd64-signed >"$work/efi.log" 2>&1) \
      || { rm -rf "$efi.partial"; tail -n 3 "$work/efi.log"; skip "apt-get download of shim-signed and grub-efi-amd64-signed failed (apt-get update first)"; }
    for package in "$efi.partial"/*.deb; do dpkg-deb -x "$package" "$efi.partial/x"; done
    cp "$efi.partial"/x/usr/lib/shim/shimx64.efi.signed "$efi.partial"/x/usr/lib/shim/mmx64.efi.signed \
      "$efi.partial"/x/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed "$efi.partial/"
    rm -rf "$efi.partial"/x "$efi.partial"/*.deb && rm -rf "$efi" && mv "$efi.partial" "$efi"
  fi
  # The EFI system partition: shim as the removable-media loader, GRUB and the MOK manager
  # beside it, the kernel and initrd; GRUB's config wherever Debian's signed GRUB looks.
  esp=$work/esp
  mkdir -p "$esp/EFI/BOOT" "$esp/EFI/debian"
  cp "$efi/shimx64.efi.signed" "$esp/EFI/BOOT/BOOTX64.EFI"
  cp "$efi/grubx64.efi.signed" "$esp/EFI/BOOT/grubx64.efi"
  cp "$efi/mmx64.efi.signed" "$esp/EFI/BOOT/mmx64.efi"
  cp "$kernel" "$esp/vmlinuz"; cp "$initrd" "$esp/initrd.img"
  printf 'set timeout=0\nsearch --no-floppy --file --set=root /vmlinuz\nlinux /vmlinuz %s\ninitrd /initrd.img\nboot\n' "$cmdline" \
    | tee "$esp/EFI/BOOT/grub.cfg" > "$esp/EFI/debian/grub.cfg"
  cp "$firmware_vars" "$work/vars.fd"
  # shellcheck disable=SC2054 # the commas are QEMU's
  boot_options=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
    -drive "if=pflash,format=raw,unit=0,readonly=on,file=$firmware" -drive "if=pflash,format=raw,unit=1,file=$work/vars.fd"
    -drive "if=none,id=esp,format=raw,readonly=on,file=fat:$esp" -device virtio-blk-pci,drive=esp,bootindex=0
    -drive "if=none,id=root,format=raw,file=$disk" -device virtio-blk-pci,drive=root)
  why="$why; OVMF with Secure Boot, shim, GRUB"
else
  boot_options=(-kernel "$kernel" -initrd "$initrd" -append "$cmdline" -drive "file=$disk,format=raw,if=virtio")
fi
echo "booting the guest ($why; at most $timeout s)"
boot=$(date +%s)
timeout --signal=KILL "$timeout" qemu-system-x86_64 "${accel[@]}" -m 2048 -smp 2 -nodefaults -no-reboot \
  -display none -serial "file:$work/serial.log" -nic none "${boot_options[@]}" || true
echo "guest ran $(( $(date +%s) - boot )) s; whole test $(( $(date +%s) - started )) s"

# The console as text: the firmware and GRUB leave terminal escapes (colours) that would hide a
# line's "AMPFIX-VM" start from the checks below.
sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r//g' "$work/serial.log" > "$work/console.log"
results=$work/results
mkdir -p "$results"
grep -a '^AMPFIX-VM file ' "$work/console.log" | while read -r _ _ name content; do
  printf '%s' "$content" | base64 -d > "$results/$name" 2>/dev/null || true
done
if [ -n "${AMPFIX_VM_KEEP:-}" ]; then mkdir -p "$AMPFIX_VM_KEEP" && cp -r "$results" "$work/serial.log" "$AMPFIX_VM_KEEP/"; fi
grep -a -E '^AMPFIX-VM (ok|FAIL) ' "$work/console.log" | sed 's/^AMPFIX-VM //'
failures=$(grep -a -c '^AMPFIX-VM FAIL ' "$work/console.log" || true)
if ! grep -a -q '^AMPFIX-VM done' "$work/console.log"; then
  echo "FAIL the guest did not finish the scenario; the end of its console:"
  tail -n 30 "$work/console.log"
  exit 1
fi
checked=$(sed -n 's/^AMPFIX-VM done \([0-9]*\)$/\1/p' "$work/console.log")
reported=$(grep -a -c -E '^AMPFIX-VM (ok|FAIL) ' "$work/console.log" || true)
if [ "${checked:-0}" != "$reported" ]; then
  echo "FAIL the guest checked ${checked:-?} steps, the console shows $reported of them"; exit 1
fi
if [ "$failures" = 0 ]; then echo "all $reported VM steps passed"; else echo "$failures of $reported VM steps failed"; exit 1; fi
