# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

# Faults 6 and 7: the connector's logs (their format is not published; these lines are made
# up in the words ampfix looks for). The scanner crashed three times on one archive, and failed
# to load the broken database; an older, rotated daemon log is gzip'd.
mkdir -p var/log/cisco
cat > var/log/cisco/ampscansvc.log <<'LOG'
2026-11-23 09:58:01 [info] scan service starting
2026-11-23 09:58:02 [error] failed to load /opt/cisco/amp/var/clamav/bytecode.cvd: Malformed database
2026-11-23 10:12:40 [info] scanning /home/build/cache/huge-archive.zip
2026-11-23 10:12:41 [crit] scan worker crashed: signal 11 (SIGSEGV)
2026-11-23 10:12:52 [info] scan service starting
2026-11-23 10:31:07 [info] scanning /home/build/cache/huge-archive.zip
2026-11-23 10:31:08 [crit] scan worker crashed: signal 11 (SIGSEGV)
2026-11-23 10:31:19 [info] scan service starting
2026-11-23 10:44:55 [crit] scan worker crashed while scanning /srv/data/odd.iso: core dumped
LOG
printf '2026-11-22 23:00:00 [info] daemon started\n2026-11-22 23:00:05 [info] policy applied\n' | gzip -n > var/log/cisco/ampdaemon.log.1.gz
printf '2026-11-23 09:58:00 [info] daemon started\n' > var/log/cisco/ampdaemon.log
if $healthy; then
  printf '2026-11-23 09:58:01 [info] scan service starting\n2026-11-23 10:12:40 [info] scanning /home/build/report.pdf\n' > var/log/cisco/ampscansvc.log
fi
