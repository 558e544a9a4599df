# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

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
