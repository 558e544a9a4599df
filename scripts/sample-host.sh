#!/usr/bin/env bash
# Builds a broken sample host root in DIR, for demos and tests: `ampfix --root DIR` diagnoses it,
# `ampfix --root DIR --all` repairs it. Nothing outside DIR is touched.
#
# What is broken (one fragment per fault in scripts/sample-host.d/; a new fault adds its own):
#   fault 11 — kernel 6.1.0-sample-amd64 without BTF and without its headers;
#   faults 8, 9 — no ampfsm or ampnetworkflow module for that kernel;
#   fault 19 — SELinux enforcing, and the cisco-secure-bpf module missing from its store;
#   fault 7 — a ClamAV database (bytecode.cvd) whose body does not match its header's MD5;
#   fault 6 — three scanner crashes in var/log/cisco/ampscansvc.log, two on one file;
#   faults 7, 18 — raised by the connector's status stand-in, opt/cisco/amp/bin/ampcli (7 while
#             the broken database is in place);
#   fault 5 — USERGROUPS_ENAB no in etc/login.defs and no cisco-amp-scan-svc user or group;
#             /opt/cisco directories with wrong modes and a wrong owner, and a symbolic link in
#             the tree that points at etc/shadow (which the repair must not chmod through it).
#
# With --healthy, the same host with nothing broken (a full diagnosis exits 0): the scan account
# exists, /opt/cisco is as installed, only sound databases, no crash lines, a kernel with BTF and
# the two connector modules in its depmod index, SELinux disabled, and the status stand-in
# raising no fault.
# shellcheck disable=SC2034  # $healthy is read by the fragments in scripts/sample-host.d
set -euo pipefail
# The modes below are the sample's, whatever umask the caller runs with (a test process's is 077
# while libsemanage commits in it).
umask 022

usage() { echo "usage: $0 [--healthy] DIR   (DIR must be empty or absent)" >&2; exit 64; }
healthy=false
if [ "${1:-}" = --healthy ]; then healthy=true; shift; fi
[ $# -eq 1 ] || usage
dir=$1
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "$0: $dir is not empty; refusing to build a sample host there" >&2
  exit 64
fi
mkdir -p "$dir"
here=$(cd "$(dirname "$0")" && pwd)
cd "$dir"

# One fragment per fault (scripts/sample-host.d/NN-*.sh, NN the fault they break), in order.
for fragment in "$here"/sample-host.d/*.sh; do
  # shellcheck source=/dev/null
  source "$fragment"
done

echo "sample host built in $dir"
