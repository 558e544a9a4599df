# shellcheck shell=bash
# Shared by the benchmarks (sourced). Expects $runs.
#   measure CMD...            median wall ms and peak RSS (KiB) of CMD over $runs runs
#   compare FIGURE GOAL YARDSTICK OURS... -- THEIRS...
#                             both commands alternately, $runs runs each: medians and the ratio
#   instructions CMD...       instructions CMD executes (valgrind's callgrind; steadier than
#                             time on a noisy machine); "-" where valgrind is missing or fails
#   row FIGURE AMPFIX YARDSTICK RATIO GOAL
#                             one line of bench/all.sh's table (appended to $BENCH_TABLE if set)

measure() {  # uses $runs
  : "${runs:?}"
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

# Alternating runs, so that drift in the machine's speed hits both commands alike.
compare() {
  local figure=$1 goal=$2 yardstick=$3; shift 3
  local ours=() theirs=()
  while [ "$1" != "--" ]; do ours+=("$1"); shift; done; shift; theirs=("$@")
  local a b
  read -r a b < <(python3 - "$runs" "${#ours[@]}" "${ours[@]}" "${theirs[@]}" <<'PY'
import os, statistics, subprocess, sys, time
runs, count = int(sys.argv[1]), int(sys.argv[2])
ours, theirs = sys.argv[3:3 + count], sys.argv[3 + count:]
def once(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000
once(ours); once(theirs)  # the page cache warmed for both
a, b = [], []
for _ in range(runs):
    a.append(once(ours)); b.append(once(theirs))
print(f"{statistics.median(a):.1f} {statistics.median(b):.1f}")
PY
)
  local ratio; ratio=$(echo "$a / $b" | bc -l)
  printf '%-32s ampfix %8.1f ms   %-30s %8.1f ms   ratio %.2fx  (goal %s)\n' "$figure" "$a" "$yardstick" "$b" "$ratio" "${goal:-none}"
  row "$figure" "$(printf '%.1f ms' "$a")" "$(printf '%s %.1f ms' "$yardstick" "$b")" "$(printf '%.2fx' "$ratio")" "$goal"
}

instructions() {  # a stripped binary: valgrind 3.19 cannot read the debug information of Swift 6.3's
  command -v valgrind >/dev/null || { echo -; return; }
  local count
  count=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : *//p' | tail -n 1)
  echo "${count:--}"
}

row() {
  [ -n "${BENCH_TABLE:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:--}" >> "$BENCH_TABLE"
}
