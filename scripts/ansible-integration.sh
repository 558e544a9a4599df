#!/usr/bin/env bash
# The Ansible collection against three real Debian 12 systems: minimal bookworm roots made
# with mmdebstrap (with python3 for Ansible's modules), reached through the
# community.general.chroot connection, each holding a sample host at /srv/sample broken its
# own way — "broken" (scripts/sample-host.sh: faults 5, 19 and more), "healthy" (--healthy),
# "mode" (healthy but /opt/cisco/amp 0700: fault 5). The role installs the deb on each; then
# fault 5 and 19 are repaired in check mode (nothing may change: tree digests), with --diff
# (the plan is shown), for real, and again (changed=0 everywhere); ampfix_info must report the
# faults ampfix itself reports; the role's preflight stops the host whose prediction blocks
# monitoring unless it is accepted. Prints the wall time of each playbook.
#   scripts/ansible-integration.sh [DEB]
# Exit status: 0 passed, 1 failed, 77 skipped (not root, no mmdebstrap, no mirror or PyPI).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
test_name=scripts/ansible-integration.sh
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
# shellcheck source=scripts/lib/debian-base.sh
source "$top/scripts/lib/debian-base.sh"
debian_base python3 --include=python3
# shellcheck source=scripts/lib/ansible-venv.sh
source "$top/scripts/lib/ansible-venv.sh"
ansible_venv

work=$(mktemp -d)
trap '[ -n "${AMPFIX_KEEP:-}" ] || rm -rf "$work"' EXIT
deb=${1:-}
if [ -z "$deb" ]; then deb=$("$top/packaging/build-deb.sh" "$work/deb"); fi
ansible-galaxy collection build "$top/ansible/ampfix" --output-path "$work" >/dev/null
ansible-galaxy collection install "$work"/ampfix-ampfix-*.tar.gz -p "$work/collections" >/dev/null 2>&1
community_general "$work/collections"
export ANSIBLE_COLLECTIONS_PATH=$work/collections ANSIBLE_HOST_KEY_CHECKING=false ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=false

hosts=(broken healthy mode)
for host in "${hosts[@]}" bare; do
  mkdir "$work/$host"
  tar -C "$work/$host" -xf "$base"
done
"$top/scripts/sample-host.sh" "$work/broken/srv/sample" >/dev/null
"$top/scripts/sample-host.sh" --healthy "$work/healthy/srv/sample" >/dev/null
"$top/scripts/sample-host.sh" --healthy "$work/mode/srv/sample" >/dev/null
chmod 0700 "$work/mode/srv/sample/opt/cisco/amp"
{
  echo "[connectors]"
  for host in "${hosts[@]}"; do echo "$host ansible_host=$work/$host"; done
  echo "[connectors:vars]"
  echo "ansible_connection=community.general.chroot"
  echo "ansible_python_interpreter=/usr/bin/python3"
  # Two more rows of the fleet report: a host that is not there (no result), and a Debian root
  # without ampfix (the role fails there and keeps what failed).
  echo "[others]"
  echo "gone ansible_host=$work/gone"
  echo "bare ansible_host=$work/bare"
  echo "[others:vars]"
  echo "ansible_connection=community.general.chroot"
  echo "ansible_python_interpreter=/usr/bin/python3"
} > "$work/inventory"
cp "$top/ansible/ampfix/tests/integration/"*.yml "$work/"

# Every file of each sample root: path, mode, owner, size and content.
digest() {
  (cd "$work/$1/srv/sample" && find . -printf '%p %m %U:%G %s %l\n' | sort && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum
}
playbook() {  # NAME LOG ARGS...: runs a playbook, prints its wall time
  local name=$1 log=$2; shift 2
  local start end status=0
  start=$(date +%s.%N)
  # As on a real system, each root is a mount and has /proc mounted (libsemanage's setfiles
  # needs it; ampfix confines useradd with mounts of its own, which it cannot make under a
  # chroot's plain directory); in a mount namespace of the playbook's own, so nothing stays
  # mounted after it.
  unshare --mount sh -c 'w=$1; shift; for h in broken healthy mode; do mount --bind "$w/$h" "$w/$h" && mount -t proc proc "$w/$h/proc" || exit 1; done; exec "$@"' \
    sh "$work" ansible-playbook -i "$work/inventory" "$work/$name" "$@" >"$log" 2>&1 || status=$?
  end=$(date +%s.%N)
  printf '     %s %s: %.1f s\n' "$name" "$*" "$(echo "$end - $start" | bc)"
  return "$status"
}
changed() { sed -n "s/^$2 *: ok=[0-9]* *changed=\([0-9]*\).*/\1/p" "$1"; }

if playbook install.yml "$work/install.log" -e "ampfix_package_file=$deb"; then
  pass "the role installs the deb on three hosts and diagnoses them"
else
  tail -n 30 "$work/install.log"; fail "the role"; echo "1 step failed; nothing more can run"; exit 1
fi
# The package file is not left on the hosts (it was in /var/tmp), and a second run installs
# nothing and changes nothing.
left=$(for host in "${hosts[@]}"; do find "$work/$host/var/tmp" "$work/$host/tmp" -name "$(basename "$deb")" 2>/dev/null; done)
if [ -z "$left" ] && playbook install.yml "$work/install-again.log" -e "ampfix_package_file=$deb" &&
   [ "$(changed "$work/install-again.log" broken)$(changed "$work/install-again.log" healthy)$(changed "$work/install-again.log" mode)" = 000 ]; then
  pass "the package file is removed from the hosts after the install; a second install run is changed=0"
else
  echo "left: $left"; grep -E "^(broken|healthy|mode) " "$work/install-again.log"; fail "the install leaves nothing behind and is idempotent"
fi

# Real reports of the three roots as found (for the simulated fleet at the end).
for host in "${hosts[@]}"; do
  chroot "$work/$host" /usr/sbin/ampfix --root /srv/sample --json >"$work/real-$host-before.json" 2>/dev/null || true
done

before=$(for host in "${hosts[@]}"; do digest "$host"; done)
if playbook repair.yml "$work/check.log" --check --diff && [ "$(for host in "${hosts[@]}"; do digest "$host"; done)" = "$before" ]; then
  pass "check mode changes nothing (tree digests of the three roots)"
else
  tail -n 30 "$work/check.log"; fail "check mode"
fi
[ "$(changed "$work/check.log" broken)$(changed "$work/check.log" healthy)$(changed "$work/check.log" mode)" = 101 ] &&
  pass "check mode: changed on the broken hosts only (broken, mode)" || fail "check mode changed: $(grep -E '^(broken|healthy|mode) ' "$work/check.log")"
grep -q "^+user cisco-amp-scan-svc: present" "$work/check.log" && grep -q "^+/opt/cisco/amp: mode 0755" "$work/check.log" &&
  pass "--diff shows the plan (the scan user, /opt/cisco/amp's mode)" || fail "--diff: $(grep -c '^[-+]' "$work/check.log") diff lines"

if playbook repair.yml "$work/repair.log" && [ "$(changed "$work/repair.log" broken)$(changed "$work/repair.log" healthy)$(changed "$work/repair.log" mode)" = 101 ]; then
  pass "a real run repairs faults 5 and 19 where they are present"
else
  tail -n 30 "$work/repair.log"; fail "repair"
fi
grep -q '^cisco-amp-scan-svc:' "$work/broken/srv/sample/etc/passwd" && [ "$(stat -c %a "$work/mode/srv/sample/opt/cisco/amp")" = 755 ] &&
  pass "the roots are repaired (scan user on broken, /opt/cisco/amp 0755 on mode)" || fail "the roots are not repaired"
if playbook repair.yml "$work/again.log" && [ "$(changed "$work/again.log" broken)$(changed "$work/again.log" healthy)$(changed "$work/again.log" mode)" = 000 ]; then
  pass "a second run reports changed=0 on every host"
else
  tail -n 30 "$work/again.log"; fail "second run"
fi

playbook info.yml "$work/info.log" -e "out=$work" >/dev/null || { tail -n 30 "$work/info.log"; fail "ampfix_info"; }
for host in "${hosts[@]}"; do
  own=$(chroot "$work/$host" /usr/sbin/ampfix --root /srv/sample --json 2>/dev/null | python -c 'import json, sys; print(sorted(f["id"] for f in json.load(sys.stdin)["faults"] if f["status"] == "present"))' || true)
  info=$(python -c 'import json, sys; print(sorted(json.load(open(sys.argv[1]))))' "$work/$host.present" 2>/dev/null || true)
  [ -n "$own" ] && [ "$own" = "$info" ] && pass "ampfix_info on $host: present $info, as ampfix says" || fail "ampfix_info on $host: $info, ampfix: $own"
done

# Preflight: the broken host (no kernel headers, none installable under a root: fault 11
# blocks) stops before the stand-in connector install; the others go on; accepted, it goes on.
playbook preflight.yml "$work/preflight.log" >/dev/null || true
if [ ! -e "$work/broken/srv/sample/connector-installed" ] && [ -e "$work/healthy/srv/sample/connector-installed" ] &&
   [ -e "$work/mode/srv/sample/connector-installed" ] && grep -q "the connector would not monitor this host: 11 (Kernel headers package missing" "$work/preflight.log"; then
  pass "the role's preflight stops the host where a prediction blocks monitoring (broken: 11), the others go on"
else
  grep -E "^(broken|healthy|mode) |msg" "$work/preflight.log" | head -n 10; fail "the role's preflight"
fi
if playbook preflight.yml "$work/accepted.log" -e '{"accept": [11]}' >/dev/null &&
   [ "$(cat "$work/broken/srv/sample/connector-installed" 2>/dev/null)" = '["11"]' ] && [ -s "$work/broken/srv/sample/var/lib/ampfix/preflight.json" ]; then
  pass "accepted (ampfix_preflight_accept: [11]), the host goes on; its predictions are kept for the connector's first diagnosis"
else
  tail -n 20 "$work/accepted.log"; fail "the role's preflight with an accepted prediction"
fi

# Accepted findings: the role writes /etc/ampfix/accepted.d, the diagnosis reports 11 as accepted.
if playbook accepted.yml "$work/accepted-findings.log" -e "out=$work" >/dev/null &&
   [ "$(cat "$work/broken.accepted" 2>/dev/null)" = '[11]' ] && grep -qx 'fault=11' "$work/broken/srv/sample/etc/ampfix/accepted.d/ansible-11.conf"; then
  pass "the role's ampfix_accepted: written to accepted.d, fault 11 reported as accepted"
else
  tail -n 20 "$work/accepted-findings.log"
  echo "reported accepted: $(cat "$work/broken.accepted" 2>&1); written: $(cat "$work/broken/srv/sample/etc/ampfix/accepted.d/ansible-11.conf" 2>&1)"
  fail "the role's accepted findings"
fi

# The fleet report. "mode" is broken again (fault 5); in check mode the role plans its repair, and
# the report (written all the same, on the controller) shows 5 present there and a playbook that
# repairs it; run, that playbook repairs "mode". Then the role repairs and diagnoses for real and
# the report shows each host as its own ampfix does; "gone" is a row without a result.
prom=var/lib/prometheus/node-exporter/ampfix.prom
chmod 0700 "$work/mode/srv/sample/opt/cisco/amp"
playbook report.yml "$work/report-check.log" -e "out=$work" --check >/dev/null || true
latest=$work/reports/latest
book=$(python -c 'import json, sys
s = json.load(open(sys.argv[1]))["summary"]
print(" ".join(sorted({b for g in s["findings"] if g["fault"] == 5 for b in g.get("playbooks", [])})))' "$latest/report.json" 2>/dev/null || true)
if [ "$(stat -c %a "$work/mode/srv/sample/opt/cisco/amp")" = 700 ] && [ ! -e "$work/mode/$prom" ] && [ -n "$book" ] && [ "${book// /}" = "$book" ] &&
   grep -q '^mode,diagnosed,,present' "$latest/report.csv" && grep -qx '    - !unsafe "mode"' "$latest/$book"; then
  pass "check mode: nothing repaired, no metrics written; the report shows 5 present on mode with a playbook for it ($book)"
else
  grep -E "^(broken|healthy|mode|gone) |msg" "$work/report-check.log" | head -n 10; cat "$latest/report.csv" 2>&1 | head -n 5
  fail "the fleet report in check mode (playbook: '$book')"
fi
if [ -n "$book" ] && playbook "reports/latest/$book" "$work/report-book.log" -e ansible_become=false >/dev/null &&
   [ "$(stat -c %a "$work/mode/srv/sample/opt/cisco/amp")" = 755 ]; then
  pass "the report's playbook repairs fault 5 on the host it names"
else
  tail -n 20 "$work/report-book.log" 2>/dev/null; fail "the report's repair playbook"
fi
chmod 0700 "$work/mode/srv/sample/opt/cisco/amp"
playbook report.yml "$work/report.log" -e "out=$work" >/dev/null || true
rows_ok=true
for host in "${hosts[@]}"; do
  own=$(chroot "$work/$host" /usr/sbin/ampfix --root /srv/sample --json 2>/dev/null | python -c 'import json, sys
print(",".join(f["status"] + (" (raised)" if f.get("raisedByConnector") == "yes" and f["status"] == "present" else "") for f in json.load(sys.stdin)["faults"]))' || true)
  row=$(grep "^$host,diagnosed,," "$latest/report.csv" | cut -d, -f4-)
  [ -n "$own" ] && [ "$own" = "$row" ] || { rows_ok=false; echo "$host: report '$row', ampfix '$own'"; }
done
if $rows_ok && grep -qE '^gone,(failed|no-result),.+' "$latest/report.csv" && grep -q '^bare,failed,.*ampfix is not installed' "$latest/report.csv" &&
   [ "$(wc -l <"$latest/report.csv")" = 6 ] &&
   [ -s "$latest/report.md" ] && [ -s "$latest/report.html" ]; then
  pass "the fleet report: a row per host as its own ampfix reports it; gone and bare rows with their reasons ($(grep '^bare' "$latest/report.csv" | cut -c1-70)…)"
else
  grep -E "^(broken|healthy|mode|gone|bare) |msg" "$work/report.log" | head -n 10; cat "$latest/report.csv" 2>&1 | head -n 7; fail "the fleet report"
fi
if grep -qx 'ampfix_fault_status{fault="5",status="ok"} 1' "$work/mode/$prom" 2>/dev/null && grep -q '^mode,diagnosed,,ok' "$latest/report.csv"; then
  pass "after the repair the role's diagnosis wrote the metrics: fault 5 ok on mode ($prom)"
else
  grep 'fault="5"' "$work/mode/$prom" 2>&1 | head -n 3; fail "the metrics after a repair"
fi

# An undo through the module: the newest run on "mode" is the report's repair of fault 5. Check
# mode with --diff shows the revert and changes nothing; run, it puts 0700 back; the same run_id
# again is changed=0.
before=$(digest mode)
if playbook undo.yml "$work/undo-check.log" -e "out=$work" --check --diff && [ "$(digest mode)" = "$before" ] &&
   [ "$(changed "$work/undo-check.log" mode)" = 1 ] && grep -q '^+/opt/cisco/amp: mode 0700' "$work/undo-check.log"; then
  pass "state: undone in check mode: changed, the revert in --diff (+/opt/cisco/amp: mode 0700…), nothing changed (tree digest)"
else
  grep -E '^(mode |[-+])|msg' "$work/undo-check.log" | head -n 10; fail "state: undone in check mode"
fi
if playbook undo.yml "$work/undo.log" -e "out=$work" && [ "$(changed "$work/undo.log" mode)" = 1 ] &&
   [ "$(stat -c %a "$work/mode/srv/sample/opt/cisco/amp")" = 700 ] && run=$(python -c 'import json, sys; print(json.load(open(sys.argv[1])))' "$work/mode.undo") &&
   playbook undo.yml "$work/undo-again.log" -e "out=$work" -e "undo_run=$run" && [ "$(changed "$work/undo-again.log" mode)" = 0 ]; then
  pass "state: undone reverts the newest run ($run: /opt/cisco/amp 0700 again); run_id of an undone run again: changed=0"
else
  grep -E '^mode |msg' "$work/undo.log" "$work/undo-again.log" 2>/dev/null | head -n 10; fail "state: undone"
fi

# 2,000 hosts made from the real reports above (as found, and as left by the repairs), one in 97
# failed, one in 251 unreachable: built, timed, its numbers checked, its page opened in Chromium.
for host in "${hosts[@]}"; do
  chroot "$work/$host" /usr/sbin/ampfix --root /srv/sample --json >"$work/real-$host-after.json" 2>/dev/null || true
done
browser=$(command -v chromium || echo -)
if python "$top/scripts/ansible/fleet_report_check.py" "$top/ansible/ampfix/plugins/plugin_utils/fleet_report.py" "$browser" 2000 10 \
    "$work"/real-*.json >"$work/fleet.log" 2>"$work/fleet.err"; then
  pass "the simulated fleet: $(grep -c '^ok' "$work/fleet.log") checks ($(grep -o 'written in [0-9.]* s' "$work/fleet.log"); $(grep -o 'page.s table has [0-9]* host rows' "$work/fleet.log"))"
else
  cat "$work/fleet.log"; tail -n 5 "$work/fleet.err"; fail "the simulated fleet's report"
fi
grep '^SKIP' "$work/fleet.log" || true

if [ "$failures" = 0 ]; then echo "all Ansible integration steps passed"; else echo "$failures Ansible integration steps failed"; exit 1; fi
