#!/usr/bin/env bash
# Builds an SELinux module store under a root directory, for the sample host and the tests:
#   selinux-store.sh ROOT tiny      a store from scripts/fixtures/tiny-base.cil (defines
#                                   unconfined_service_t), store name "tiny"
#   selinux-store.sh ROOT default   a copy of this machine's Debian refpolicy store
#                                   (selinux-policy-default), which has no unconfined_service_t
# Either way ROOT/etc/selinux/config says SELINUX=enforcing and names the store.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 ROOT tiny|default" >&2; exit 64; }
root=$1 kind=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$root/etc/selinux" "$root/var/lib/selinux"
printf 'module-store = direct\nexpand-check = 0\n' > "$root/etc/selinux/semanage.conf"
case $kind in
  tiny)
    printf 'SELINUX=enforcing\nSELINUXTYPE=tiny\n' > "$root/etc/selinux/config"
    semodule -p "$root" -s tiny -N -i "$here/fixtures/tiny-base.cil"
    ;;
  default)
    [ -d /var/lib/selinux/default/active ] || { echo "$0: install selinux-policy-default first" >&2; exit 1; }
    printf 'SELINUX=enforcing\nSELINUXTYPE=default\n' > "$root/etc/selinux/config"
    cp -a /var/lib/selinux/default "$root/var/lib/selinux/"
    mkdir -p "$root/etc/selinux/default"
    cp -a /etc/selinux/default/. "$root/etc/selinux/default/"
    ;;
  *) echo "$0: unknown store kind '$kind'" >&2; exit 64 ;;
esac
