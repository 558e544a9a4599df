# shellcheck shell=bash
# Sourced by the tests that need a real Debian system as a chroot (packaging/test-install.sh,
# scripts/ansible-integration.sh): a minimal Debian 12 bootstrapped once with mmdebstrap and
# cached as a tar under $TMPDIR, keyed by what it is built from.
#   debian_base NAME [MMDEBSTRAP OPTIONS...]   sets $base to the tar; skips the test (exit 77)
#                                              when it cannot use a chroot (not root, no
#                                              mmdebstrap or unshare) or reach the mirror
# Needs scripts/lib/common.sh (skip) sourced first.
mirror=${AMPFIX_TEST_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
debian_base() {
  local name=$1; shift
  [ "$(id -u)" = 0 ] || skip "needs root (chroot, mounts)"
  command -v mmdebstrap >/dev/null || skip "mmdebstrap is not installed (Debian package mmdebstrap)"
  command -v unshare >/dev/null || skip "unshare is not available (util-linux)"
  local cache_dir=${TMPDIR:-/tmp}
  # The snapshot mirrors this runs against carry expired Release files: accept them.
  local aptopts=(--aptopt='Acquire::Check-Valid-Until "false"' --aptopt='Acquire::Check-Date "false"')
  local key
  key=$(printf '%s\n' "$suite" "$mirror" minbase "${aptopts[@]}" keep-lists "$@" | sha256sum | cut -c1-12)
  base=$cache_dir/ampfix-$suite-$name-$key.tar
  [ ! -s "$base" ] || return 0
  echo "bootstrapping minimal Debian $suite ($name) into $base (cached for later runs)"
  if ! mmdebstrap --quiet --variant=minbase --format=tar "${aptopts[@]}" --skip=cleanup/apt/lists "$@" \
      "$suite" "$base.partial" "$mirror" >"$cache_dir/ampfix-mmdebstrap-$name.log" 2>&1; then
    rm -f "$base.partial"
    tail -n 5 "$cache_dir/ampfix-mmdebstrap-$name.log" >&2
    skip "mmdebstrap could not bootstrap $suite from $mirror (log: $cache_dir/ampfix-mmdebstrap-$name.log)"
  fi
  mv "$base.partial" "$base"
}
