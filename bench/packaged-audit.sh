#!/usr/bin/env bash
# Benchmark for the packaged binary (issue: packages that run on a real host): the binary from
# the deb, as a user runs it, against what the user would otherwise run.
#   - a full audit (`ampfix`, all nine faults, on this machine) against one
#     `apt-cache policy linux-headers-amd64`: median wall time and peak RSS, as ratios (target <= 1.2x);
#   - `ampfix list` start-up: median wall time (target <= 8 ms).
# apt's binary cache is enabled as on a normal host (this image disables it): APT_CONFIG points
# at a file that sets Dir::Cache::pkgcache under a temporary directory and empties
# Dir::Etc::parts; both tools read it, and the cache is built once before timing.
#   bench/packaged-audit.sh [RUNS] [DEB]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-31}
deb=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$deb" ] || deb=$(packaging/build-deb.sh "$work/deb" 2>/dev/null)
dpkg-deb -x "$deb" "$work/pkg"
bin=$work/pkg/usr/sbin/ampfix
data=(--kernel-support "$work/pkg/usr/share/ampfix/kernel-support.tsv" --policy-module "$work/pkg/usr/share/ampfix/policy/cisco-secure-bpf.cil")

mkdir -p "$work/apt/parts" "$work/apt/cache"
cat > "$work/apt/apt.conf" <<CONF
Dir::Cache "$work/apt/cache";
Dir::Cache::pkgcache "pkgcache.bin";
Dir::Cache::srcpkgcache "srcpkgcache.bin";
Dir::Etc::parts "$work/apt/parts";
CONF
export APT_CONFIG=$work/apt/apt.conf
apt-cache policy linux-headers-amd64 >/dev/null
[ -s "$work/apt/cache/pkgcache.bin" ] || { echo "apt did not write its binary cache under $work/apt/cache" >&2; exit 1; }

# Runs the commands alternately RUNS times each (so that drift in the machine's speed hits both),
# each in a fresh process; prints per command: median wall ms and peak RSS in KiB.
python3 - "$runs" "$bin" "${data[@]}" <<'PY'
import os, statistics, subprocess, sys, time
runs, binary, data = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
commands = {
    "apt-cache": ["apt-cache", "policy", "linux-headers-amd64"],
    "audit": [binary] + data,
    "list": [binary, "list"],
}
def once(cmd):
    start = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                                                  (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, _, usage = os.wait4(pid, 0)
    return (time.perf_counter() - start) * 1000, usage.ru_maxrss
for cmd in commands.values():  # warm the page cache
    once(cmd)
samples = {name: [] for name in commands}
for _ in range(runs):
    for name, cmd in commands.items():
        samples[name].append(once(cmd))
wall = {name: statistics.median(t for t, _ in s) for name, s in samples.items()}
rss = {name: max(r for _, r in s) for name, s in samples.items()}
print(f"{runs} runs each, alternating; apt's binary cache enabled")
print(f"full audit (ampfix, nine faults)      {wall['audit']:7.1f} ms  {rss['audit']/1024:6.1f} MiB")
print(f"apt-cache policy linux-headers-amd64  {wall['apt-cache']:7.1f} ms  {rss['apt-cache']/1024:6.1f} MiB")
print(f"ratio audit / apt-cache               {wall['audit']/wall['apt-cache']:7.2f}x    {rss['audit']/rss['apt-cache']:6.2f}x   (target <= 1.2x both)")
print(f"ampfix list start-up                  {wall['list']:7.1f} ms                (target <= 8 ms)")
table = os.environ.get("BENCH_TABLE")
if table:
    with open(table, "a") as out:
        out.write(f"full audit, wall\t{wall['audit']:.1f} ms\tapt-cache policy {wall['apt-cache']:.1f} ms\t{wall['audit']/wall['apt-cache']:.2f}x\t<= 1.2x\n")
        out.write(f"full audit, peak RSS\t{rss['audit']/1024:.1f} MiB\tapt-cache policy {rss['apt-cache']/1024:.1f} MiB\t{rss['audit']/rss['apt-cache']:.2f}x\t<= 1.2x\n")
        out.write(f"ampfix list, wall\t{wall['list']:.1f} ms\t-\t-\t<= 8 ms\n")
PY
# Instructions (callgrind): steadier than wall time on a shared machine.
source bench/common.sh
list_i=$(instructions "$bin" list)
audit_i=$(instructions "$bin" "${data[@]}")
apt_i=$(instructions apt-cache policy linux-headers-amd64)
printf 'instructions: ampfix list %s, full audit %s, apt-cache policy %s\n' "$list_i" "$audit_i" "$apt_i"
if [ "$list_i" != - ] && [ "$audit_i" != - ] && [ "$apt_i" != - ]; then
  row "ampfix list, instructions" "$(printf '%.1f M' "$(echo "$list_i / 1000000" | bc -l)")" - - "<= 10 M"
  row "full audit, instructions" "$(printf '%.1f M' "$(echo "$audit_i / 1000000" | bc -l)")" "apt-cache policy $(printf '%.1f M' "$(echo "$apt_i / 1000000" | bc -l)")" \
    "$(printf '%.2fx' "$(echo "$audit_i / $apt_i" | bc -l)")" "<= 1.2x"
fi
