#!/usr/bin/env bash
# Benchmark for fault 7: ampfix's check of a large ClamAV database (header, body MD5 streamed,
# gzip inflated and its tar walked; libclamav reads the header in development builds) against
# what a user would run on the same file: `sigtool --info` (header, MD5 and signature; no
# archive walk), and `md5sum` + `tar -tzf` (the same structural check by hand). Medians, ratios.
# Usage: bench/definitions.sh [RUNS] [MIB]   (default 5 runs, a 150 MiB body of .hdb lines)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}; mib=${2:-150}
source bench/common.sh
command -v sigtool >/dev/null || { echo "sigtool is missing (Debian package clamav)"; exit 1; }
swift build -c release --product ampfix >/dev/null
bin=$(swift build -c release --show-bin-path)/ampfix

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
defs=$work/root/opt/cisco/amp/var/clamav; mkdir -p "$defs" "$work/body"
cd "$work/body"
printf 'ClamAV benchmark database made by ampfix; not a real signature set.\n' > COPYING
python3 - "$mib" > big.hdb <<'PY'
import hashlib, sys
out, n, total = sys.stdout, 0, int(sys.argv[1]) << 20
while total > 0:
    line = f"{hashlib.md5(str(n).encode()).hexdigest()}:{n % 100000}:Bench.Sig-{n}\n"
    out.write(line); total -= len(line); n += 1
PY
printf 'big.hdb:%s:%s\n' "$(stat -c %s big.hdb)" "$(sha256sum big.hdb | cut -d' ' -f1)" > big.info
tar --format=ustar --owner=0 --group=0 -cf - COPYING big.info big.hdb | gzip -6 > "$work/body.tgz"
md5=$(md5sum "$work/body.tgz" | cut -d' ' -f1)
printf '%-512s' "ClamAV-VDB:23 Nov 2026 10-00 +0000:27000:8700000:90:$md5:placeholderSignatureNotVerifiable:ampfix-bench:1795428000" > "$defs/main.cvd"
cat "$work/body.tgz" >> "$defs/main.cvd"
cd - >/dev/null
echo "main.cvd: $(( $(stat -c %s "$defs/main.cvd") >> 20 )) MiB compressed, $mib MiB of signatures"
"$bin" --root "$work/root" --fault 7 --dry-run --verbose | grep -q "main.cvd.*sound" || { echo "FAIL: ampfix does not find the database sound"; exit 1; }

compare "fault 7 vs sigtool --info" "$bin" --root "$work/root" --fault 7 --dry-run -- sigtool --info "$defs/main.cvd"
compare "fault 7 vs md5sum + tar -tzf" "$bin" --root "$work/root" --fault 7 --dry-run -- sh -c "md5sum $defs/main.cvd && tail -c +513 $defs/main.cvd | tar -tzf -"
