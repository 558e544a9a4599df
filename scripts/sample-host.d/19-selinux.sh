# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

# Fault 19: SELinux enforcing, with a module store (a tiny self-written base policy that defines
# unconfined_service_t) that lacks cisco-secure-bpf.
if $healthy; then
  mkdir -p etc/selinux
  printf 'SELINUX=disabled\nSELINUXTYPE=default\n' > etc/selinux/config
elif command -v semodule >/dev/null; then
  "$here/selinux-store.sh" "$PWD" tiny
else
  echo "$0: semodule not found (Debian: policycoreutils); the sample has no SELinux store" >&2
fi
