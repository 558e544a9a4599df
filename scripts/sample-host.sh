#!/usr/bin/env bash
# Builds a broken sample host root in DIR, for demos and tests: `ampfix --root DIR` diagnoses it,
# `ampfix --root DIR --all` repairs it. Nothing outside DIR is touched.
#
# What is broken (later faults add theirs here):
#   fault 5 — /opt/cisco directories with wrong modes and a wrong owner, and a symbolic link in
#             the tree that points at a directory outside it (which must stay untouched).
set -euo pipefail

usage() { echo "usage: $0 DIR   (DIR must be empty or absent)" >&2; exit 64; }
[ $# -eq 1 ] || usage
dir=$1
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "$0: $dir is not empty; refusing to build a sample host there" >&2
  exit 64
fi
mkdir -p "$dir"
cd "$dir"

# A minimal system tree.
mkdir -p etc var/log/cisco var/lib run tmp outside
chmod 1777 tmp
cat > etc/os-release <<'OS'
PRETTY_NAME="Sample Linux 1 (ampfix demo root)"
NAME="Sample Linux"
ID=debian
VERSION_ID="12"
OS
printf 'root:x:0:0:root:/root:/bin/bash\n' > etc/passwd
printf 'root:x:0:\n' > etc/group
: > var/log/cisco/ampdaemon.log

# The connector's tree, as the installer leaves it: every directory 0755, owned by root.
mkdir -p opt/cisco/amp/bin opt/cisco/amp/etc opt/cisco/amp/var/clamav opt/cisco/amp/lib
chmod 0755 opt/cisco opt/cisco/amp opt/cisco/amp/*
printf '#!/bin/sh\n' > opt/cisco/amp/bin/ampdaemon
chmod 0755 opt/cisco/amp/bin/ampdaemon

# Fault 5: something tightened and loosened directories and handed one to another user.
chmod 0700 opt/cisco/amp
chmod 0775 opt/cisco/amp/var
chmod 0750 opt/cisco/amp/var/clamav
if [ "$(id -u)" = 0 ]; then chown 1000:1000 opt/cisco/amp/etc; fi
# A link planted in the tree, pointing outside it: the repair must not follow it.
chmod 0700 outside
ln -s ../../../outside opt/cisco/amp/lib/planted

echo "sample host built in $dir"
