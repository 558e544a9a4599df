#!/usr/bin/env bash
# mmdebstrap customize hook for the VM test's base image: `customize.sh ROOT` runs on this
# machine after the guest's packages are installed (mmdebstrap mounts /proc and /dev in ROOT).
# It leaves the guest as a host looks where the connector's faults happen:
#   - the stand-in ampfsm and ampnetworkflow modules built against the guest kernel's headers:
#     1.0.1 installed in /lib/modules/RELEASE/extra (depmod-indexed, not loaded), an upgraded
#     ampfsm 1.0.2, one whose init fails and 1.0.1 itself kept in /root/modules for the reload steps;
#   - a second kernel's package and its headers' (stand-ins: the kernel hook's steps);
#   - the kernel's header package in a local apt repository (file:/srv/repo, the only source),
#     then removed, and no BTF to be found (/boot/config-RELEASE removed; the scenario hides
#     /sys/kernel/btf) — fault 11;
#   - USERGROUPS_ENAB no and no scan account — fault 5;
#   - the connector's tree with wrong modes and its unit — fault 5 and the restart count;
#   - SELinux enforcing with Debian's default policy, cisco-secure-bpf not installed — fault 19.
set -euo pipefail
root=$1
here=$(cd "$(dirname "$0")" && pwd)
in_root() { chroot "$root" "$@"; }
release=$(ls "$root/lib/modules")
[ "$(printf '%s\n' "$release" | wc -l)" = 1 ] || { echo "customize.sh: expected one kernel in the image, found: $release" >&2; exit 1; }

build_modules() {  # VERSION FAIL: ampfsm and ampnetworkflow of that version in /usr/src/ampfix-VERSION-FAIL
  local dir=/usr/src/ampfix-$1-$2 name
  mkdir -p "$root$dir"
  for name in ampfsm ampnetworkflow; do
    sed -e "s/@VERSION@/$1/g" -e "s/@FAIL@/$2/g" "$here/stand-in-module.c" > "$root$dir/$name.c"
  done
  printf 'obj-m := ampfsm.o ampnetworkflow.o\n' > "$root$dir/Kbuild"
  in_root make -s -C "/lib/modules/$release/build" M="$dir" modules >/dev/null
}
build_modules 1.0.1 0
build_modules 1.0.2 0
build_modules 1.0.3 1
install -D -m 0644 -t "$root/lib/modules/$release/extra" "$root/usr/src/ampfix-1.0.1-0/ampfsm.ko" "$root/usr/src/ampfix-1.0.1-0/ampnetworkflow.ko"
install -D -m 0644 "$root/usr/src/ampfix-1.0.1-0/ampfsm.ko" "$root/root/modules/ampfsm-1.0.1.ko"
install -D -m 0644 "$root/usr/src/ampfix-1.0.2-0/ampfsm.ko" "$root/root/modules/ampfsm-1.0.2.ko"
install -D -m 0644 "$root/usr/src/ampfix-1.0.3-1/ampfsm.ko" "$root/root/modules/ampfsm-1.0.3-failing.ko"
in_root depmod "$release"
# Faults 8 and 9 built with DKMS: the stand-in ampfsm source as a published source unpacks
# (a Makefile, no dkms.conf) under /usr/src, and the published ampfsm, which does not compile
# on this kernel, in /root (when ../shared/sources is beside the checkout).
cp -r "$here/../fixtures/module-source" "$root/usr/src/ampfsm-2.0.0"
published=$(ls "$here"/../../../shared/sources/ampfsm-*.tar.gz 2>/dev/null | head -n 1 || true)
[ -z "$published" ] || tar -C "$root/root" -xzf "$published"

# The kernel hook's second kernel (issue 38): this kernel's image as another release, built
# without BTF (so the connector would need its headers), packaged as Debian packages a kernel:
# its postinst runs /etc/kernel/postinst.d (INITRD=No: it needs no initramfs); and its headers
# package, which the hook's prepare unit installs after the transaction. Both in the guest's
# repository (file:/srv/repo) only.
mkdir -p "$root/srv/repo"
second=$release-second
package=$(mktemp -d)
mkdir -p "$package/image/DEBIAN" "$package/image/boot" "$package/headers/DEBIAN" "$package/headers/usr/src/linux-headers-$second/include" \
  "$package/headers/lib/modules/$second"
cp "$root/boot/vmlinuz-$release" "$package/image/boot/vmlinuz-$second"
cp "$root/boot/System.map-$release" "$package/image/boot/System.map-$second"
sed 's/^CONFIG_DEBUG_INFO_BTF=y$/# CONFIG_DEBUG_INFO_BTF is not set/' "$root/boot/config-$release" > "$package/image/boot/config-$second"
printf 'Package: linux-image-%s\nVersion: 1\nArchitecture: amd64\nMaintainer: ampfix tests <ampfix@localhost>\nDescription: %s\n' \
  "$second" "the VM test's second kernel (its image under another release, without BTF)" > "$package/image/DEBIAN/control"
printf '#!/bin/sh\nset -e\n[ "$1" = configure ] || exit 0\nexport INITRD=No DEB_MAINT_PARAMS="$*"\nrun-parts --report --exit-on-error --arg=%s --arg=/boot/vmlinuz-%s /etc/kernel/postinst.d\n' \
  "$second" "$second" > "$package/image/DEBIAN/postinst"
chmod 0755 "$package/image/DEBIAN/postinst"
printf 'Package: linux-headers-%s\nVersion: 1\nArchitecture: amd64\nMaintainer: ampfix tests <ampfix@localhost>\nDescription: %s\n' \
  "$second" "the VM test's second kernel's headers (a stand-in tree)" > "$package/headers/DEBIAN/control"
echo "# the VM test's stand-in headers of $second" > "$package/headers/usr/src/linux-headers-$second/Makefile"
ln -s "/usr/src/linux-headers-$second" "$package/headers/lib/modules/$second/build"
dpkg-deb --build --root-owner-group "$package/image" "$root/srv/repo/linux-image-$second.deb" >/dev/null
dpkg-deb --build --root-owner-group "$package/headers" "$root/srv/repo/linux-headers-$second.deb" >/dev/null
rm -rf "$package"

# The kernel hook's benchmark (bench/kernel-hook.sh): this kernel's own Debian package under
# another release (RELEASE-bench: its files, maintainer scripts and name), so that installing it
# runs what a kernel update runs (depmod, initramfs, postinst.d) for a kernel that is not the
# running one. Built with dpkg-deb's default compression, as Debian's are.
bench=$(mktemp -d)
in_root sh -c "cd /tmp && apt-get download -q linux-image-$release" >/dev/null
dpkg-deb -R "$root"/tmp/linux-image-"$release"_*.deb "$bench/tree"
rm -f "$root"/tmp/linux-image-"$release"_*.deb
find "$bench/tree" -depth -name "*$release*" -exec sh -c 'mv "$1" "$(dirname "$1")/$(basename "$1" | sed "s/$2/$2-bench/")"' rename {} "$release" \;
sed -i "s/$release/$release-bench/g" "$bench"/tree/DEBIAN/*
dpkg-deb --build --root-owner-group "$bench/tree" "$root/srv/repo/linux-image-$release-bench.deb" >/dev/null
rm -rf "$bench"

# Fault 11: the header package into a local repository, then off the system.
in_root sh -c "cd /srv/repo && apt-get download -q linux-headers-$release" >/dev/null
(cd "$root/srv/repo" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages)
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "linux-headers-$release" linux-headers-amd64 >/dev/null
echo 'deb [trusted=yes] file:/srv/repo ./' > "$root/etc/apt/sources.list"
rm -f "$root"/etc/apt/sources.list.d/*
in_root apt-get update -q >/dev/null
rm -f "$root/boot/config-$release"

# Fault 5: no user groups from useradd, no scan account, the connector's tree with wrong modes.
sed -i 's/^USERGROUPS_ENAB.*/USERGROUPS_ENAB no/' "$root/etc/login.defs"
grep -q '^USERGROUPS_ENAB no' "$root/etc/login.defs" || echo 'USERGROUPS_ENAB no' >> "$root/etc/login.defs"
install -D -m 0755 "$here/ampdaemon" "$root/opt/cisco/amp/bin/ampdaemon"
mkdir -p "$root/opt/cisco/amp/etc" "$root/opt/cisco/amp/var" "$root/var/lib/ampfix-vm"
chmod 0700 "$root/opt/cisco/amp"
chmod 0775 "$root/opt/cisco/amp/var"
install -m 0644 "$here/cisco-amp.service" "$here/ampfix-vm-scenario.service" "$root/etc/systemd/system/"
in_root systemctl enable -q cisco-amp.service ampfix-vm-scenario.service

# A console that logs nobody in, no network to wait for.
in_root systemctl mask -q serial-getty@ttyS0.service getty@tty1.service systemd-networkd-wait-online.service 2>/dev/null || true
printf 'SELINUX=enforcing\nSELINUXTYPE=default\n' > "$root/etc/selinux/config"
echo ampfix-vm > "$root/etc/hostname"
printf '/dev/vda / ext4 rw 0 1\n' > "$root/etc/fstab"
