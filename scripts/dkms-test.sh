#!/usr/bin/env bash
# Faults 8 and 9 built with DKMS, for real: the ampfix deb in a bootstrapped Debian 12 with
# dkms and the headers of its 6.1 kernel, run there as on a live host (a chroot in a private
# mount namespace with /proc; no /sys, and this machine's kernel is not 6.1, so ampfix is told
# the release with --kernel and loads nothing: loading is proven in the VM test).
#   scripts/dkms-test.sh [DEB]
# Steps: the dry run plans the build and changes nothing; the repair copies the stand-in source
# (scripts/fixtures/module-source) to /usr/src, writes its dkms.conf, and DKMS adds, builds and
# installs it in updates/dkms; a second run changes nothing; undo leaves no DKMS entry and no
# copy; the published ampfsm source (../shared/sources), which does not compile on 6.1, fails
# with make's first error and leaves nothing behind. Exit 0 passed, 1 failed, 77 skipped.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
test_name=scripts/dkms-test.sh
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
# shellcheck source=scripts/lib/debian-base.sh
source "$top/scripts/lib/debian-base.sh"
command -v jq >/dev/null || skip "jq is not installed (scripts/deps.sh installs it)"
debian_base dkms --include=dkms,linux-headers-amd64

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deb=${1:-}
if [ -z "$deb" ]; then deb=$("$top/packaging/build-deb.sh" "$work/deb"); fi
root=$work/root
mkdir "$root"
tar -C "$root" -xf "$base"
# Only /proc: no /sys, so nothing here can reach this machine's kernel modules.
in_root() { unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" "$@"; }
cp "$deb" "$root/tmp/ampfix.deb"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/ampfix.deb >"$work/install.log" 2>&1 \
  || { tail -n 20 "$work/install.log"; fail "apt-get install ./$(basename "$deb")"; exit 1; }
release=$(ls "$root/lib/modules")
mkdir -p "$root/opt/cisco/amp/bin"
cp -r "$top/scripts/fixtures/module-source" "$root/srv/ampfsm-1.0.0"
published=$(ls "$top"/../shared/sources/ampfsm-*.tar.gz 2>/dev/null | head -n 1 || true)
ampfix() { in_root ampfix --kernel "$release" --fault 8 "$@"; }
status() { jq -r '.faults[] | select(.id == 8) | .status' "$1"; }
dkms_entries() { find "$root/var/lib/dkms" -mindepth 1 -maxdepth 1 -name 'ampfsm*' | wc -l; }

ampfix --json >"$work/diagnosis.json" 2>"$work/diagnosis.err" || true
[ "$(status "$work/diagnosis.json")" = present ] && pass "diagnosis: fault 8 present on $release (no ampfsm in its index)" || fail "diagnosis: fault 8 is $(status "$work/diagnosis.json")"

before=$(cd "$root" && find usr/src var/lib/dkms lib/modules -printf '%p %s\n' | sort | sha256sum)
ampfix --module-source /srv/ampfsm-1.0.0 --dry-run --json >"$work/dry.json" 2>"$work/dry.err" || true
planned=$(jq -r '.faults[] | select(.id == 8) | .actions[] | "\(.kind) \(.outcome)"' "$work/dry.json" | paste -sd,)
[ "$planned" = "dkms-install planned" ] && pass "dry run: the DKMS build is planned ($planned)" || fail "dry run planned: '$planned' $(cat "$work/dry.err")"
jq -r '.faults[] | select(.id == 8) | .actions[0].summary' "$work/dry.json" | grep -q "dkms add -m ampfsm -v 1.0.0; dkms build -m ampfsm -v 1.0.0 -k $release; dkms install" \
  && pass "dry run: each DKMS step is shown" || fail "dry run summary: $(jq -r '.faults[] | select(.id == 8) | .actions[0].summary' "$work/dry.json")"
[ "$(cd "$root" && find usr/src var/lib/dkms lib/modules -printf '%p %s\n' | sort | sha256sum)" = "$before" ] && pass "dry run: /usr/src, /var/lib/dkms and /lib/modules unchanged" || fail "the dry run changed files"

started=$(date +%s)
ampfix --module-source /srv/ampfsm-1.0.0 --json >"$work/repair.json" 2>"$work/repair.err" && code=0 || code=$?
took=$(( $(date +%s) - started ))
outcome=$(jq -r '.faults[] | select(.id == 8) | .actions[] | "\(.kind) \(.outcome)"' "$work/repair.json" | paste -sd,)
[ "$outcome" = "dkms-install applied" ] && pass "repair: built and installed with DKMS in $took s (exit $code)" || fail "repair: '$outcome' (exit $code) $(jq -r '.faults[] | select(.id == 8) | .actions[]?.reason // empty' "$work/repair.json") $(cat "$work/repair.err")"
ko=$root/lib/modules/$release/updates/dkms/ampfsm.ko
[ -f "$ko" ] && pass "the module is in /lib/modules/$release/updates/dkms" || fail "no $ko: $(find "$root/lib/modules" -name 'ampfsm*')"
[ "$(modinfo -F description "$ko" 2>/dev/null)" = "Cisco AMP Filesystem Module (user-built)" ] && pass "modinfo: user-built" || fail "modinfo description: $(modinfo -F description "$ko" 2>&1)"
grep -q '^AUTOINSTALL="yes"' "$root/usr/src/ampfsm-1.0.0/dkms.conf" && pass "ampfix wrote /usr/src/ampfsm-1.0.0/dkms.conf (AUTOINSTALL)" || fail "no dkms.conf of ampfix's"
dkms_status=$(in_root dkms status 2>&1)
printf '%s\n' "$dkms_status" | grep -q "^ampfsm/1.0.0, $release, .*: installed" && pass "dkms status: $dkms_status" || fail "dkms status: $dkms_status"
jq -r '.faults[] | select(.id == 8) | .evidence[]' "$work/repair.json" | grep -q "updates/dkms/ampfsm.ko, user-built (modinfo: 'Cisco AMP Filesystem Module (user-built)')" \
  && pass "the evidence tells the user-built module from the connector's" || fail "evidence: $(jq -r '.faults[] | select(.id == 8) | .evidence[]' "$work/repair.json" | paste -sd'|')"
[ "$(status "$work/repair.json")" = ok ] && pass "after the repair: fault 8 ok" || fail "after the repair: fault 8 $(status "$work/repair.json")"

ampfix --module-source /srv/ampfsm-1.0.0 --json >"$work/second.json" 2>&1 || true
[ "$(jq -r '.run // "none"' "$work/second.json")" = none ] && [ "$(status "$work/second.json")" = ok ] \
  && pass "a second run changes nothing" || fail "second run: run $(jq -r '.run // "none"' "$work/second.json"), fault 8 $(status "$work/second.json")"

in_root ampfix undo >"$work/undo.txt" 2>&1 && code=0 || code=$?
[ "$code" = 0 ] && [ -z "$(in_root dkms status 2>&1)" ] && [ ! -e "$root/usr/src/ampfsm-1.0.0" ] && [ ! -e "$ko" ] \
  && pass "undo: dkms status empty, the copy and the module gone" || fail "undo (exit $code): $(tail -n 3 "$work/undo.txt") / dkms status: $(in_root dkms status 2>&1)"

if [ -n "$published" ]; then
  tar -C "$root/srv" -xzf "$published"
  src=/srv/$(basename "$published" .tar.gz)
  ampfix --module-source "$src" --json >"$work/published.json" 2>"$work/published.err" && code=0 || code=$?
  reason=$(jq -r '.faults[] | select(.id == 8) | .actions[] | select(.outcome == "failed") | .reason' "$work/published.json")
  [ "$code" = 1 ] && printf '%s' "$reason" | grep -q "make's first error: .*access_ok" \
    && pass "the published source fails on $release and the report names make's first error: $(printf '%s' "$reason" | grep -o "make's first error: [^;]*" | cut -c1-160)" \
    || fail "published source (exit $code): $reason $(cat "$work/published.err")"
  [ "$(dkms_entries)" = 0 ] && [ ! -e "$root/usr/src/$(basename "$src")" ] && pass "the failed build left no DKMS entry and no copy" \
    || fail "the failed build left: $(find "$root/var/lib/dkms" "$root/usr/src" -maxdepth 1 -name 'ampfsm*')"
else
  echo "SKIP the published source: no ../shared/sources/ampfsm-*.tar.gz beside the checkout"
fi

# A source unpacked under /usr/src is found without --module-source; ampfix writes its dkms.conf
# in place, and undo deletes that file again and leaves the tree as it found it.
cp -r "$top/scripts/fixtures/module-source" "$root/usr/src/ampfsm-3.0.0"
tree_before=$(cd "$root/usr/src/ampfsm-3.0.0" && find . -printf '%p %s %m\n' | sort)
ampfix --json >"$work/usrsrc.json" 2>"$work/usrsrc.err" && code=0 || code=$?
outcome=$(jq -r '.faults[] | select(.id == 8) | .actions[] | "\(.kind) \(.outcome)"' "$work/usrsrc.json" | paste -sd,)
[ "$outcome" = "dkms-install applied" ] && [ -f "$root/usr/src/ampfsm-3.0.0/dkms.conf" ] \
  && pass "/usr/src/ampfsm-3.0.0 found without --module-source, built, its dkms.conf written in place" || fail "/usr/src source: '$outcome' (exit $code) $(cat "$work/usrsrc.err")"
in_root ampfix undo >"$work/undo2.txt" 2>&1 && code=0 || code=$?
[ "$code" = 0 ] && [ -z "$(in_root dkms status 2>&1)" ] && [ "$(cd "$root/usr/src/ampfsm-3.0.0" && find . -printf '%p %s %m\n' | sort)" = "$tree_before" ] \
  && pass "undo: no DKMS entry, /usr/src/ampfsm-3.0.0 as it was (no dkms.conf)" || fail "undo of the /usr/src build (exit $code): $(tail -n 3 "$work/undo2.txt")"

[ "$failures" = 0 ] && echo "all DKMS steps passed" || { echo "$failures DKMS steps failed"; exit 1; }
