# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

# Fault 7: the connector's ClamAV databases, two sound and one whose body no longer matches
# the MD5 in its header (as a cut-off download leaves it).
"$here/definitions-fixture.sh" opt/cisco/amp/var/clamav sound
if ! $healthy; then
  "$here/definitions-fixture.sh" "$PWD/tmp/broken-definitions" broken
  mv tmp/broken-definitions/bytecode.cvd opt/cisco/amp/var/clamav/
  rm -rf tmp/broken-definitions
fi
