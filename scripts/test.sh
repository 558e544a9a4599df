#!/usr/bin/env bash
# Sets up what the tests need and runs them: scripts/test.sh [--full]. Fails on a test failure
# or a compiler warning in the project's own code.
#   (default)  shellcheck, the build, the release binaries the packages ship (trait checks),
#              `swift test`, and the packaging checks: what tells a newcomer the tree works
#              (399 s on a 2-core machine from a clean clone, dependencies installed).
#   --full     also the rpm built from its source tarballs, the Ansible collection, the DKMS
#              build, the fault recipe, the kill test, fuzzing and the VM test (what CI runs,
#              .ci/run; about 40-50 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
full=false
case "${1:-}" in
  --full) full=true ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--full]" >&2; exit 64 ;;
esac
started=$SECONDS
step_started=$SECONDS
# Each step's time, so that a slow one shows: "-- NAME: N s".
step() { echo "-- $1: $((SECONDS - step_started)) s"; step_started=$SECONDS; }
scripts/deps.sh
step "dependencies (scripts/deps.sh)"
# Every shell script (warnings and errors; sourced files followed).
shellcheck -x -P SCRIPTDIR -S warning scripts/*.sh scripts/lib/*.sh scripts/sample-host.d/*.sh scripts/vm/*.sh scripts/vm/ampdaemon \
  packaging/*.sh packaging/bpf/*.sh packaging/hooks/ampfix-connector-hook packaging/hooks/ampfix-kernel-hook packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm bench/*.sh
step shellcheck
# The line limit of .swift-format, on the code (string literals, messages' ids, not counted).
python3 scripts/line-length.py
step "line length (scripts/line-length.py)"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift build --build-tests 2>&1 | tee "$log"
if grep -E "^$(pwd)/(Sources|Tests)/.*warning:" "$log"; then
  echo "compiler warnings in the project's code (above): fix them" >&2
  exit 1
fi
step "swift build --build-tests"
# The release binaries the packages ship (static Swift runtime, one package backend each),
# checked with ldd; the packaging tests in `swift test` reuse them.
scripts/check-traits.sh
step "release builds (scripts/check-traits.sh)"
# --skip-build: the build above made the test products; `swift test` alone recompiles part of the
# tree here (a minute).
swift test --skip-build
step "swift test"
# The audit timer's units (systemd-analyze verify and security), and the deb installed on a
# freshly bootstrapped minimal Debian 12 (`swift test` built and linted the deb and the rpm).
# Each says SKIP with the reason when this machine cannot run it (exit 77).
checks() {
  local check status
  for check in "$@"; do
    status=0
    bash "$check" || status=$?
    step "$check"
    if [ "$status" = 77 ]; then continue; fi
    [ "$status" = 0 ] || { echo "$check failed (exit $status)" >&2; exit 1; }
  done
}
checks packaging/test-units.sh packaging/test-install.sh
if ! $full; then
  echo "scripts/test.sh: passed in $((SECONDS - started)) s (scripts/test.sh --full adds the rpm from source, Ansible, DKMS, the kill test, fuzzing and the VM test)"
  exit 0
fi
# The rpm built the way a packager does, from its spec and source tarballs, offline (a third
# release build, about 2 minutes). The Ansible collection: built, ansible-test sanity and units, ansible-lint (ansible-core from
# PyPI in a cached virtual environment), and run against three bootstrapped Debian 12 roots
# through the chroot connection. Then faults 8 and 9 built with DKMS in a Debian 12 root with
# dkms and the 6.1 headers (scripts/dkms-test.sh).
checks packaging/test-rpm-source.sh scripts/ansible-test.sh scripts/ansible-integration.sh scripts/dkms-test.sh
# The fault recipe (CONTRIBUTING.md): in a clone, scripts/new-fault.sh adds a throwaway fault in
# four places and the whole suite passes with it (a build and a `swift test`, ~6 minutes).
checks scripts/recipe-test.sh
# kill -9 at random moments of 60 repairs and 30 undos, then at each rename(2) of a libsemanage
# commit (strace), each followed by recovery and undo and checked restored (~75 s). Needs root.
if [ "$(id -u)" = 0 ]; then
  scripts/kill-test.sh 60 30
else
  echo "SKIP scripts/kill-test.sh: needs root (useradd --root, the module store's owner)"
fi
step scripts/kill-test.sh
# A short fuzzing pass over every parser of untrusted input (scripts/fuzz.sh SECONDS for longer).
scripts/fuzz.sh "${AMPFIX_FUZZ_SECONDS:-30}"
step scripts/fuzz.sh
# The live host in a real kernel: a Debian 12 VM with SELinux enforcing, systemd and real
# kernel modules, where the deb repairs faults 5, 8, 9, 11 and 19 and builds ampfsm with DKMS
# (scripts/vm-test.sh; about 3 min for the base image the first time, then about 10 min under
# emulation); then the same image booted with UEFI Secure Boot enforcing (--secure-boot: a
# DKMS build whose key is not enrolled; about 4 min). SKIP with the reason where it cannot run
# (exit 77). One deb for both.
deb_dir=$(mktemp -d)
deb=$(packaging/build-deb.sh "$deb_dir")
for mode in "" --secure-boot; do
  status=0
  scripts/vm-test.sh $mode "$deb" || status=$?
  step "scripts/vm-test.sh${mode:+ $mode}"
  if [ "$status" != 0 ] && [ "$status" != 77 ]; then echo "scripts/vm-test.sh${mode:+ $mode} failed (exit $status)" >&2; exit 1; fi
done
rm -rf "$deb_dir"
echo "scripts/test.sh --full: passed in $((SECONDS - started)) s"
