#!/usr/bin/env bash
# Benchmark for fault 7 on a real-sized ClamAV set: the healthy sample host with main.cvd and
# daily.cvd replaced by databases of real size (about 160 MiB and 60 MiB compressed, bodies of
# random .hdb lines made once and cached; not a real signature set).
#   - the plain audit of that host (the connector answers without fault 7: headers only) against
#     the plain audit of the healthy sample (goal <= 1.2x);
#   - the full check (`--fault 7`: body MD5 on its own thread, inflate and tar walk on the other,
#     one read) against `md5sum` + `tar -tzf` of the same files (goal <= 0.5x);
#   - where sigtool is installed (Debian package clamav), against `sigtool --info` too.
# Medians of RUNS alternating runs. Usage: bench/definitions.sh [RUNS] [MAIN_MIB DAILY_MIB]
# (MIB: uncompressed signatures; default 360 and 135, which compress to about 160 and 60 MiB).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; main_mib=${2:-360}; daily_mib=${3:-135}
source bench/common.sh
source packaging/common.sh
# The binary the deb ships (trait Apt; the development builds' libclamav reads each file whole
# once more for its own word, which no package does).
bin=$(release_binary Apt 2>/dev/null)

cache=${AMPFIX_BENCH_CACHE:-/tmp/ampfix-bench-definitions-$main_mib-$daily_mib}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
database() {  # NAME MIB: $cache/NAME.cvd, a gzip'd ustar body of MIB MiB of .hdb lines behind a 512-byte header
  local name=$1 mib=$2 body=$work/$1
  [ -s "$cache/$name.cvd" ] && return
  mkdir -p "$cache" "$body"
  printf 'ClamAV benchmark database made by ampfix; not a real signature set.\n' > "$body/COPYING"
  python3 - "$mib" > "$body/$name.hdb" <<'PY'
import os, sys
out, n, left = sys.stdout.buffer, 0, int(sys.argv[1]) << 20
while left > 0:
    hexes = os.urandom(16 * 4096).hex()
    data = "".join(f"{hexes[i * 32:i * 32 + 32]}:{(n + i) % 100000}:Bench.Sig-{n + i}\n" for i in range(4096)).encode()
    out.write(data[:left]); left -= len(data); n += 4096
PY
  printf '%s.hdb:%s:%s\n' "$name" "$(stat -c %s "$body/$name.hdb")" "$(sha256sum "$body/$name.hdb" | cut -d' ' -f1)" > "$body/$name.info"
  (cd "$body" && tar --format=ustar --owner=0 --group=0 -cf - COPYING "$name.info" "$name.hdb") | gzip -6 > "$body.tgz"
  printf '%-512s' "ClamAV-VDB:23 Nov 2026 10-00 +0000:27000:8700000:90:$(md5sum "$body.tgz" | cut -d' ' -f1):placeholderSignatureNotVerifiable:ampfix-bench:1795428000" > "$cache/$name.cvd.part"
  cat "$body.tgz" >> "$cache/$name.cvd.part"
  mv "$cache/$name.cvd.part" "$cache/$name.cvd"
  rm -rf "$body" "$body.tgz"
}
database main "$main_mib"
database daily "$daily_mib"

scripts/sample-host.sh --healthy "$work/healthy" >/dev/null
scripts/sample-host.sh --healthy "$work/real" >/dev/null
defs=$work/real/opt/cisco/amp/var/clamav
rm -f "$defs"/*.cvd "$defs"/*.cld
ln "$cache/main.cvd" "$defs/main.cvd" 2>/dev/null || cp "$cache/main.cvd" "$defs/main.cvd"
ln "$cache/daily.cvd" "$defs/daily.cvd" 2>/dev/null || cp "$cache/daily.cvd" "$defs/daily.cvd"
echo "real-sized set: main.cvd $(( $(stat -c %s "$defs/main.cvd") >> 20 )) MiB, daily.cvd $(( $(stat -c %s "$defs/daily.cvd") >> 20 )) MiB compressed ($main_mib + $daily_mib MiB of signatures)"
data=(--policy-module policy/cisco-secure-bpf.cil --kernel-support data/kernel-support.tsv)
audit() { echo "$bin" --root "$1" --ampcli "$1/opt/cisco/amp/bin/ampcli" "${data[@]}"; }
# shellcheck disable=SC2046 # word splitting of the command is meant
$(audit "$work/real") --fault 7 --dry-run | grep -q "^7 *ok" || { echo "FAIL: ampfix does not find the real-sized set sound" >&2; exit 1; }
# shellcheck disable=SC2046
$(audit "$work/real") --verbose | grep -q "header sound, body not read" && { echo "FAIL: --verbose did not read the bodies" >&2; exit 1; }

# shellcheck disable=SC2046
compare "plain audit, real-sized set" "<= 1.2x" "the same, healthy sample" $(audit "$work/real") -- $(audit "$work/healthy")
# shellcheck disable=SC2046
compare "fault 7 full check" "<= 0.5x" "md5sum + tar -tzf" $(audit "$work/real") --fault 7 --dry-run -- \
  sh -c "md5sum $defs/main.cvd $defs/daily.cvd && tail -c +513 $defs/main.cvd | tar -tzf - && tail -c +513 $defs/daily.cvd | tar -tzf -"
if command -v sigtool >/dev/null; then
  # shellcheck disable=SC2046
  compare "fault 7 full check" "" "sigtool --info" $(audit "$work/real") --fault 7 --dry-run -- sh -c "sigtool --info $defs/main.cvd && sigtool --info $defs/daily.cvd"
fi
