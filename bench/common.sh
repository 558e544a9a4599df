# Shared by the benchmarks: `measure CMD...` prints the median wall ms and the peak child RSS
# (KiB) over $runs runs; `compare LABEL OURS... -- THEIRS...` prints both medians and the ratio.
# Expects $runs.
# One python helper for timing: median wall ms and peak child RSS over RUNS runs of a command.
measure() {
  python3 - "$runs" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - start) * 1000)
print(f"{statistics.median(times):.1f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}
compare() {  # label, ours..., --, theirs...
  local label=$1; shift
  local ours=() theirs=()
  while [ "$1" != "--" ]; do ours+=("$1"); shift; done; shift; theirs=("$@")
  read -r a _ < <(measure "${ours[@]}")
  read -r b _ < <(measure "${theirs[@]}")
  printf '%-34s ampfix %8.1f ms   %-28s %8.1f ms   ratio %.2fx\n' "$label" "$a" "${theirs[0]##*/} ${theirs[1]}" "$b" "$(echo "$a / $b" | bc -l)"
}

