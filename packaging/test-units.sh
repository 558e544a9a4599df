#!/usr/bin/env bash
# Checks the audit timer's units and the kernel hook's prepare unit as systemd reads them: stages the package tree (with BINARY,
# default the debug build) under a throwaway root that also holds this machine's own unit
# files (systemd-analyze resolves sysinit.target and the like there), then
#   systemd-analyze verify   must pass and print nothing (a bad value is only a warning there),
#   systemd-analyze security --offline   prints the service's exposure score (at most 3.0).
#   packaging/test-units.sh [BINARY]
# Exit status: 0 passed, 1 failed, 77 skipped (no systemd-analyze).
set -euo pipefail
# shellcheck source=packaging/common.sh
source "$(dirname "$0")/common.sh"   # top
test_name=packaging/test-units.sh
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed (Debian package systemd)"
[ -d /lib/systemd/system ] || skip "this machine has no systemd unit files to resolve targets against"
bin=${1:-$top/.build/debug/ampfix}
[ -x "$bin" ] || { echo "test-units.sh: no binary at $bin (swift build first)" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
"$top/packaging/stage.sh" "$root" "$bin" >/dev/null
mkdir -p "$root/usr/bin"
cp /usr/bin/mkdir /usr/bin/sh "$root/usr/bin/"       # ExecStartPre's, checked to exist
[ -e "$root/bin" ] || ln -s usr/bin "$root/bin"    # the prepare unit runs /bin/sh, as on a merged /usr
cp -an /lib/systemd/system/. "$root/lib/systemd/system/"
units=(ampfix-audit.service ampfix-audit.timer ampfix-kernel-prepare@.service)
for unit in "${units[@]}"; do
  [ -f "$root/lib/systemd/system/$unit" ] && pass "staged: /lib/systemd/system/$unit" || fail "stage.sh did not install $unit"
done
# The template is verified as the kernel hook starts it: one instance per kernel release.
units[2]=$(systemd-escape --template=ampfix-kernel-prepare@.service -- 6.1.0-28-amd64)

said=$(systemd-analyze verify --man=no --root="$root" "${units[@]}" 2>&1) && status=0 || status=$?
if [ "$status" = 0 ] && [ -z "$said" ]; then
  pass "systemd-analyze verify ${units[*]}"
else
  printf '%s\n' "$said"
  fail "systemd-analyze verify ${units[*]}: exit $status"
fi

exposure=$(systemd-analyze security --offline=yes --root="$root" "$root/lib/systemd/system/ampfix-audit.service" 2>&1 |
  sed -n 's/.*Overall exposure level for ampfix-audit.service: \([0-9.]*\).*/\1/p')
if [ -n "$exposure" ] && awk -v e="$exposure" 'BEGIN { exit !(e <= 3.0) }'; then
  pass "systemd-analyze security: exposure $exposure (at most 3.0)"
else
  fail "systemd-analyze security: exposure '${exposure:-none}' (at most 3.0)"
fi

if [ "$failures" = 0 ]; then echo "all unit checks passed"; else echo "$failures unit checks failed"; exit 1; fi
