# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

# The connector's own status command, a stand-in printing what ampcli prints: fault 18 raised,
# and fault 7 while the broken database is in its place (as the connector, restarted after the
# file is moved away, would download it again and clear the fault). And its global.xml. ampfix
# never runs a program from a root by itself: the demo names this one with --ampcli.
cat > opt/cisco/amp/bin/ampcli <<'AMPCLI'
#!/bin/sh
[ "$1" = status ] || { echo "usage: ampcli status" >&2; exit 64; }
home=$(cd "$(dirname "$0")/.." && pwd)
echo '[logger] Set minimum reported log level to notice'
cat <<'STATUS'
Status: Connected
Mode: Degraded
Scan: Ready for scan
Last Scan: 2026-11-20 02:02:03 PM
Policy: Sample Policy for Linux (#1)
Command-line: Enabled
Orbital: Disabled
Behavioural Protection: Protect
STATUS
if [ -e "$home/var/clamav/bytecode.cvd" ]; then
  printf 'Faults: 2 Major\nFault IDs: 7, 18\nID 7 - Major: Scan service failed to start.\n'
else
  printf 'Faults: 1 Major\nFault IDs: 18\n'
fi
echo 'ID 18 - Major: Connector event monitoring is overloaded. Investigate the most active processes.'
AMPCLI
if $healthy; then
  printf '#!/bin/sh\n[ "$1" = status ] || exit 64\nprintf "Status: Connected\\nMode: Normal\\nScan: Ready for scan\\nFaults: None\\n"\n' > opt/cisco/amp/bin/ampcli
fi
chmod 0755 opt/cisco/amp/bin/ampcli
printf '<?xml version="1.0"?>\n<config><agent><version>1.24.2.1058</version></agent></config>\n' > opt/cisco/amp/etc/global.xml
