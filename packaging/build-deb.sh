#!/usr/bin/env bash
# Builds ampfix_VERSION_ARCH.deb into OUTDIR, by Debian's rules: dpkg-shlibdeps declares every
# shared library the binary needs (and fails the build when one has no package), dpkg-gencontrol
# writes the control file from packaging/deb/{control,changelog}. Without BINARY, builds ampfix
# in release mode with only the Apt trait (a deb links no librpm) and the Swift runtime static.
#   packaging/build-deb.sh OUTDIR [BINARY]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUTDIR [BINARY]" >&2; exit 64; }
out=$(mkdir -p "$1" && cd "$1" && pwd)
# shellcheck source=packaging/common.sh
source "$(dirname "$0")/common.sh"
check_version packaging/deb/changelog "$(dpkg-parsechangelog -l "$top/packaging/deb/changelog" -S Version)"
bin=$(release_binary Apt "${2:-}")
arch=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# dpkg-shlibdeps and dpkg-gencontrol work on a source tree: debian/ with the package staged in
# debian/ampfix.
mkdir -p "$work/debian"
cp "$top/packaging/deb/control" "$top/packaging/deb/changelog" "$work/debian/"
stage=$work/debian/ampfix
mkdir -m 0755 "$stage"
"$top/packaging/stage.sh" "$stage" "$bin"
doc=$stage/usr/share/doc/ampfix
install -D -m 0644 "$top/packaging/copyright" "$doc/copyright"
gzip -9nc "$top/packaging/deb/changelog" > "$doc/changelog.gz"
if [ -d "$stage/usr/lib/ampfix/bpf" ]; then
  install -D -m 0644 "$top/packaging/deb/lintian-overrides" "$stage/usr/share/lintian/overrides/ampfix"
fi
chmod 0644 "$doc/changelog.gz"

# Every kernel installed runs the kernel hook (linux-image's postinst: run-parts
# /etc/kernel/postinst.d VERSION IMAGE); its settings are a conffile.
mkdir -p "$stage/etc/kernel/postinst.d"
ln -s /usr/share/ampfix/hooks/ampfix-kernel-hook "$stage/etc/kernel/postinst.d/zz-ampfix"
install -D -m 0644 "$top/packaging/ampfix.defaults" "$stage/etc/default/ampfix"

mkdir -p "$stage/DEBIAN"
echo /etc/default/ampfix > "$stage/DEBIAN/conffiles"
(cd "$stage" && find usr lib -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
for script in postinst prerm postrm; do install -m 0755 "$top/packaging/deb/$script" "$stage/DEBIAN/$script"; done
(cd "$work" && dpkg-shlibdeps -Tdebian/substvars -edebian/ampfix/usr/sbin/ampfix)
# dpkg-shlibdeps only warns about a library it cannot name (an unversioned soname such as the
# Swift runtime's libswiftCore.so): every library the binary needs must come from a package.
while read -r soname path; do
  dpkg -S "$path" >/dev/null 2>&1 || dpkg -S "$(realpath "$path")" >/dev/null 2>&1 || {
    echo "build-deb.sh: the binary needs $soname ($path), which no Debian package provides: link it statically or package it" >&2
    exit 1
  }
done < <(ldd "$stage/usr/sbin/ampfix" | awk '$2 == "=>" { print $1, $3 } $1 ~ /^\// { print $1, $1 }')
(cd "$work" && dpkg-gencontrol -pampfix -Pdebian/ampfix -Tdebian/substvars -DArchitecture="$arch")
dpkg-deb --root-owner-group -Zxz -b "$stage" "$out/ampfix_${version}_${arch}.deb" >&2
echo "$out/ampfix_${version}_${arch}.deb"
