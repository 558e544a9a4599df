#!/usr/bin/env bash
# Builds a broken sample host root in DIR, for demos and tests: `ampfix --root DIR` diagnoses it,
# `ampfix --root DIR --all` repairs it. Nothing outside DIR is touched.
#
# What is broken (later faults add theirs here):
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
set -euo pipefail

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

# A minimal system tree.
mkdir -p etc var/log/cisco var/lib run tmp
chmod 1777 tmp
cat > etc/os-release <<'OS'
PRETTY_NAME="Sample Linux 1 (ampfix demo root)"
NAME="Sample Linux"
ID=debian
VERSION_ID="12"
OS
mkdir -p usr/sbin
printf '#!/bin/sh\necho "This account is currently not available."\nexit 1\n' > usr/sbin/nologin
chmod 0755 usr/sbin/nologin
: > var/log/cisco/ampdaemon.log

# Accounts: root, nobody, the users group (gid 100) — and no cisco-amp-scan-svc.
printf 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > etc/passwd
printf 'root:x:0:\nusers:x:100:\nnogroup:x:65534:\n' > etc/group
printf 'root:*:20000:0:99999:7:::\nnobody:*:20000:0:99999:7:::\n' > etc/shadow
printf 'root:*::\nusers:*::\nnogroup:*::\n' > etc/gshadow
chmod 0640 etc/shadow etc/gshadow
if $healthy; then
  # The account as the connector's installer makes it: a system user with its own group.
  echo 'cisco-amp-scan-svc:x:998:998:Cisco Secure Endpoint scan service:/nonexistent:/usr/sbin/nologin' >> etc/passwd
  echo 'cisco-amp-scan-svc:x:998:' >> etc/group
  echo 'cisco-amp-scan-svc:!:20000::::::' >> etc/shadow
  echo 'cisco-amp-scan-svc:!::' >> etc/gshadow
fi
# Fault 5, first cause: a hardened login.defs where useradd creates no user groups.
cat > etc/login.defs <<'DEFS'
# /etc/login.defs - shadow password suite configuration (sample host)
MAIL_DIR        /var/mail
UID_MIN                  1000
UID_MAX                 60000
SYS_UID_MIN               101
SYS_UID_MAX               999
GID_MIN                  1000
GID_MAX                 60000
SYS_GID_MIN               101
SYS_GID_MAX               999
# Hardening: no per-user groups.
USERGROUPS_ENAB no
ENCRYPT_METHOD SHA512
DEFS

# The connector's tree, as the installer leaves it: every directory 0755, owned by root.
mkdir -p opt/cisco/amp/bin opt/cisco/amp/etc opt/cisco/amp/var/clamav opt/cisco/amp/lib
chmod 0755 opt/cisco opt/cisco/amp opt/cisco/amp/*
printf '#!/bin/sh\n' > opt/cisco/amp/bin/ampdaemon
chmod 0755 opt/cisco/amp/bin/ampdaemon

# Fault 5, second cause: something tightened and loosened directories and handed one to another user.
if ! $healthy; then
chmod 0700 opt/cisco/amp
chmod 0775 opt/cisco/amp/var
chmod 0750 opt/cisco/amp/var/clamav
if [ "$(id -u)" = 0 ]; then chown 1000:1000 opt/cisco/amp/etc; fi
# A link planted in the tree, pointing out of it at a file: the repair must not follow it.
# (A link to a directory would leave a tree unchecked: fault 5 would be unknown, not repaired.)
ln -s ../../../../etc/shadow opt/cisco/amp/lib/planted
fi

# Fault 7: the connector's ClamAV databases, two sound and one whose body no longer matches
# the MD5 in its header (as a cut-off download leaves it).
"$here/definitions-fixture.sh" opt/cisco/amp/var/clamav sound
if ! $healthy; then
  "$here/definitions-fixture.sh" "$PWD/tmp/broken-definitions" broken
  mv tmp/broken-definitions/bytecode.cvd opt/cisco/amp/var/clamav/
  rm -rf tmp/broken-definitions
fi

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

# Fault 11: a kernel without BTF whose headers are not installed.
kernel=6.1.0-sample-amd64
mkdir -p "boot" "lib/modules/$kernel/kernel"
printf 'CONFIG_LOCALVERSION=""\nCONFIG_BPF=y\n# CONFIG_DEBUG_INFO_BTF is not set\n' > "boot/config-$kernel"
if $healthy; then
  # BTF (fault 11), and ampfsm and ampnetworkflow built for the kernel and in its depmod index
  # (faults 8, 9): ELF objects whose .modinfo says what a module's would; nothing can load them.
  printf 'CONFIG_LOCALVERSION=""\nCONFIG_BPF=y\nCONFIG_DEBUG_INFO_BTF=y\n' > "boot/config-$kernel"
  mkdir -p "lib/modules/$kernel/extra"
  for module in ampfsm ampnetworkflow; do
    printf 'static const char a[] __attribute__((section(".modinfo"), used, aligned(1))) = "license=GPL";\n' > tmp/m.c
    printf 'static const char b[] __attribute__((section(".modinfo"), used, aligned(1))) = "name=%s";\n' "$module" >> tmp/m.c
    printf 'static const char c[] __attribute__((section(".modinfo"), used, aligned(1))) = "vermagic=%s SMP mod_unload ";\n' "$kernel" >> tmp/m.c
    gcc -c tmp/m.c -o "lib/modules/$kernel/extra/$module.ko"
  done
  rm -f tmp/m.c
  touch "lib/modules/$kernel/modules.order" "lib/modules/$kernel/modules.builtin" "lib/modules/$kernel/modules.builtin.modinfo"
  depmod -b "$PWD" "$kernel"
fi

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

echo "sample host built in $dir"
