#!/usr/bin/env bash
# Builds ClamAV database archives for tests and the sample host: scripts/definitions-fixture.sh
# DIR [sound|broken|all|large] (default all). Made byte by byte as libclamav reads them: a 512-byte
# "ClamAV-VDB:" header (build time, version, signature count, functionality level, MD5 of the
# body, signature, builder, build seconds) and a body that is a gzip'd ustar archive (CVD) or a
# plain one starting with COPYING (CLD). The signature field is a placeholder: no Talos key
# signs these, which ampfix reports as evidence, never as a defect.
#   sound:  main.cvd (gzip'd), daily.cld (plain tar)
#   broken: bytecode.cvd (body MD5 differs), truncated.cvd (body cut short), header.cvd (header
#           cut at 100 bytes), fields.cvd (too few header fields), gzip.cvd (corrupt gzip, MD5
#           right), tar.cvd (gzip of something that is not a tar, MD5 right), foreign.cvd (not a
#           ClamAV file at all)
#   large:  large.cvd (sound) and large-flipped.cvd (one byte of the body changed near its end),
#           each a 6 MiB member of random bytes: many reads, the MD5 on its own thread
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 DIR [sound|broken|all|large]" >&2; exit 64; }
dir=$1; which=${2:-all}
# The same bytes whoever runs it: a test process's umask (which other tests change) must not
# reach the archive's member modes, nor so the bodies' MD5s.
umask 022
mkdir -p "$dir"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

archive() {  # NAME: a ustar archive of COPYING, NAME.info, NAME.hdb on stdout
  local name=$1
  mkdir -p "$work/$name"
  printf 'ClamAV sample database made by ampfix for tests; not a real signature set.\n' > "$work/$name/COPYING"
  if [ "${large:-}" ]; then head -c $((6 << 20)) /dev/urandom > "$work/$name/$name.hdb"
  else printf '44d88612fea8a8f36de82e1278abb02f:68:Eicar-Test-Signature\n' > "$work/$name/$name.hdb"; fi
  printf '%s.hdb:%s:%s\n' "$name" "$(stat -c %s "$work/$name/$name.hdb")" "$(sha256sum "$work/$name/$name.hdb" | cut -d' ' -f1)" > "$work/$name/$name.info"
  (cd "$work/$name" && tar --format=ustar --owner=0 --group=0 --mode=u=rw,go=r --mtime=@1795428000 -cf - COPYING "$name.info" "$name.hdb")
}

database() {  # FILE BODY [MD5]: header + body
  local md5=${3:-$(md5sum "$2" | cut -d' ' -f1)}
  printf '%-512s' "ClamAV-VDB:23 Nov 2026 10-00 +0000:27000:8700000:90:$md5:placeholderSignatureNotVerifiable:ampfix-fixture:1795428000" > "$1"
  cat "$2" >> "$1"
}

if [ "$which" = sound ] || [ "$which" = all ]; then
  archive main | gzip -n -9 > "$work/main.tgz"; database "$dir/main.cvd" "$work/main.tgz"
  archive daily > "$work/daily.tar"; database "$dir/daily.cld" "$work/daily.tar"
fi
if [ "$which" = broken ] || [ "$which" = all ]; then
  archive bytecode | gzip -n -9 > "$work/bytecode.tgz"
  database "$dir/bytecode.cvd" "$work/bytecode.tgz" 0123456789abcdef0123456789abcdef
  archive truncated | gzip -n -9 > "$work/truncated.tgz"
  database "$work/truncated.full" "$work/truncated.tgz"
  head -c $(( $(stat -c %s "$work/truncated.full") - 40 )) "$work/truncated.full" > "$dir/truncated.cvd"
  database "$work/header.full" "$work/bytecode.tgz"; head -c 100 "$work/header.full" > "$dir/header.cvd"
  printf '%-512s' "ClamAV-VDB:23 Nov 2026 10-00 +0000:27000" > "$dir/fields.cvd"; cat "$work/bytecode.tgz" >> "$dir/fields.cvd"
  { printf '\037\213\010\000\000\000\000\000\000\003'; head -c 300 /dev/zero | tr '\0' 'x'; } > "$work/gzip.bad"
  database "$dir/gzip.cvd" "$work/gzip.bad"
  head -c 1024 /dev/zero | tr '\0' 'x' | gzip -n > "$work/tar.bad"   # two blocks of 'x': no tar header
  database "$dir/tar.cvd" "$work/tar.bad"
  printf '\211PNG\r\n\032\n' > "$dir/foreign.cvd"; head -c 2000 /dev/zero >> "$dir/foreign.cvd"
fi
if [ "$which" = large ]; then
  large=1 archive large | gzip -n -1 > "$work/large.tgz"
  database "$dir/large.cvd" "$work/large.tgz"
  cp "$dir/large.cvd" "$dir/large-flipped.cvd"
  size=$(stat -c %s "$dir/large.cvd")
  # The byte's complement: writing a fixed byte left the file as it was when the random body
  # had that byte there already (1 run in 256).
  offset=$((size - 5000))
  byte=$(dd if="$dir/large-flipped.cvd" bs=1 skip="$offset" count=1 status=none | od -An -tu1 | tr -d ' ')
  # shellcheck disable=SC2059  # the format is the octal escape of the flipped byte
  printf "\\$(printf '%03o' $((byte ^ 255)))" | dd of="$dir/large-flipped.cvd" bs=1 seek="$offset" conv=notrunc status=none
  if cmp -s "$dir/large.cvd" "$dir/large-flipped.cvd"; then echo "$0: the flip changed nothing" >&2; exit 1; fi
fi
