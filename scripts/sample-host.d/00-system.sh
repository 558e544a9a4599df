# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

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
