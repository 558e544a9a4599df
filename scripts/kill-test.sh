#!/usr/bin/env bash
# kill -9 at random moments: scripts/kill-test.sh [REPAIRS] [UNDOS] (default 60 and 30).
# Each round builds the broken sample root, kills a repair (or an undo) 0-130 ms after it
# starts, lets the next runs recover and undo, and checks that the original state is back:
# accounts (passwd, group, shadow, gshadow), the modes of /opt/cisco, the SELinux module store.
# Then, where strace is installed, a deterministic sweep: a repair of fault 19 (and an undo of
# it) killed at each write(2), fsync(2) and rename(2) it makes (ampfix's journal and
# libsemanage's commit), one round per call — the moments a random kill hits about once in a
# hundred rounds. The built policy is checked as well as the store: the policy the kernel would
# load must be the store's (policy.33 = active/policy.kern), with the module's rule or without.
# Last, the tools ampfix runs (useradd, userdel) outlive a killed ampfix: ampfix is killed while
# the tool's Nth rename(2) of an account file is held back for a second, and the next run starts
# at once — it must wait for the tool (the run lock stays with it) and then recover.
# KILL_TEST_ORPHANS_ONLY=1 runs only these last rounds.
# Needs root (useradd --root). Prints one line per failing round and a count; exit 1 on any.
set -euo pipefail
cd "$(dirname "$0")/.."
repairs=${1:-60}
undos=${2:-30}
bin=${AMPFIX_BIN:-$(swift build --show-bin-path)/ampfix}
[ -x "$bin" ] || swift build --product ampfix >/dev/null
data=(--policy-module policy/cisco-secure-bpf.cil --kernel-support data/kernel-support.tsv)
work=$(mktemp -d)
failures=0
# Failing rounds are kept for a look; the rest is removed.
trap '[ "$failures" = 0 ] && rm -rf "$work"' EXIT
scripts/sample-host.sh "$work/template" >/dev/null

state() {
  (cd "$1" && cat etc/passwd etc/group etc/shadow etc/gshadow && find opt/cisco -printf '%p %m %u\n' | sort \
    && find var/lib/selinux -path '*/active/modules/*/*' -prune -printf '%P\n' | sort \
    && for policy in etc/selinux/*/policy/policy.*; do
         store=${policy#etc/selinux/}; store=${store%%/*}
         if cmp -s "$policy" "var/lib/selinux/$store/active/policy.kern"; then echo "$policy: the store's"; else echo "$policy: NOT the store's"; fi
         echo "$policy: $(sesearch -A -c bpf "$policy" 2>/dev/null | wc -l) bpf rules"
       done)
  # (module PRIORITY/NAME directories only: libsemanage leaves an empty priority directory)
}

killed_at() {  # ARGS... : runs ampfix, kills it after a random 0-130 ms
  "$bin" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 131)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

killed_at_call() {  # SYSCALL N ARGS... : runs ampfix, killed as it enters its Nth SYSCALL
  local call=$1 n=$2; shift 2
  strace -f -o /dev/null -e trace="$call" -e inject="$call":signal=SIGKILL:when="$n" "$bin" "$@" >/dev/null 2>&1 &
  wait $! 2>/dev/null || true   # (waited for in the background: the shell does not report the kill)
}

killed_during_tool() {  # N ARGS... : kills ampfix while a tool's Nth rename(2) is held back 1 s
  local n=$1; shift
  local trace; trace=$(mktemp -p "$work")
  # rename(2) itself, with the tool's own (chrooted) names: ampfix's atomic writes use renameat.
  # (In a subshell, so that the shell does not report strace's death by the tracee's signal.)
  (strace -f -qq -o "$trace" -e trace=execve,rename -e inject=rename:delay_enter=1000000:when="$n" "$bin" "$@" >/dev/null || true) 2>/dev/null &
  local strace_pid=$! lines=0 ampfix_pid
  # The held-back call is the trace's Nth rename line, written as it is entered.
  for _ in $(seq 250); do
    lines=$(grep -c '^[0-9]* rename(' "$trace" || true)
    [ "$lines" -ge "$n" ] && break
    sleep 0.02
  done
  # ampfix is the first process the trace names (its execve).
  ampfix_pid=$(head -n 1 "$trace" | cut -d ' ' -f 1)
  kill -KILL "$ampfix_pid" 2>/dev/null || true
  "$bin" --root "$root" "${data[@]}" >/dev/null 2>&1 || true   # at once: must wait for the tool
  wait "$strace_pid" 2>/dev/null || true
  rm -f "$trace"
}

round() {  # KIND NUMBER [SYSCALL]
  local root="$work/$1-${3:-}$2"
  cp -a "$work/template" "$root"
  local before; before=$(state "$root")
  case $1 in
    repair) killed_at --root "$root" --all "${data[@]}" ;;
    undo)
      "$bin" --root "$root" --all "${data[@]}" >/dev/null 2>&1 || true
      killed_at undo --root "$root" ;;
    commit) killed_at_call "$3" "$2" --root "$root" --fault 19 "${data[@]}" ;;
    uncommit)
      "$bin" --root "$root" --fault 19 "${data[@]}" >/dev/null 2>&1 || true
      killed_at_call "$3" "$2" undo --root "$root" ;;
    orphan) killed_during_tool "$2" --root "$root" --fault 5 "${data[@]}" ;;
    unorphan)
      "$bin" --root "$root" --fault 5 "${data[@]}" >/dev/null 2>&1 || true
      killed_during_tool "$2" undo --root "$root" ;;
  esac
  "$bin" --root "$root" "${data[@]}" >/dev/null 2>&1 || true   # reports the pending run, changes nothing
  "$bin" undo --root "$root" >/dev/null 2>&1 || true            # nothing to undo is fine
  if [ "$(state "$root")" != "$before" ]; then
    failures=$((failures + 1))
    echo "FAIL $1 round $2${3:+ at $3 #$2}: the original state is not back ($root kept)"
    diff <(echo "$before") <(state "$root") | head -n 6 | sed 's/^/    /' || true
    return
  fi
  rm -rf "$root"
}
[ -n "${KILL_TEST_ORPHANS_ONLY:-}" ] && { repairs=0; undos=0; }
for i in $(seq "$repairs"); do round repair "$i"; done
for i in $(seq "$undos"); do round undo "$i"; done
swept=0
calls=(write fsync rename)
if [ -n "${KILL_TEST_ORPHANS_ONLY:-}" ]; then
  :
elif command -v strace >/dev/null && command -v sesearch >/dev/null && [ -d "$work/template/var/lib/selinux" ]; then
  # How many of each call a repair and its undo make here (libsemanage's version decides),
  # counted once.
  cp -a "$work/template" "$work/count"
  count() { strace -f -qq -o "$work/count.trace" -e trace="$1" "$bin" "${@:2}" >/dev/null 2>&1 || true; grep -c "$1(" "$work/count.trace" || true; }
  declare -A repair_calls undo_calls
  for call in "${calls[@]}"; do repair_calls[$call]=$(count "$call" --root "$work/count" --fault 19 "${data[@]}"); "$bin" undo --root "$work/count" >/dev/null 2>&1 || true; done
  "$bin" --root "$work/count" --fault 19 "${data[@]}" >/dev/null 2>&1 || true
  for call in "${calls[@]}"; do undo_calls[$call]=$(count "$call" undo --root "$work/count"); "$bin" --root "$work/count" --fault 19 "${data[@]}" >/dev/null 2>&1 || true; done
  rm -rf "$work/count" "$work/count.trace"
  for call in "${calls[@]}"; do
    for i in $(seq "${repair_calls[$call]}"); do round commit "$i" "$call"; swept=$((swept + 1)); done
    for i in $(seq "${undo_calls[$call]}"); do round uncommit "$i" "$call"; swept=$((swept + 1)); done
  done
else
  echo "SKIP the write/fsync/rename sweep: strace, sesearch or the sample's SELinux store is missing"
fi
orphans=0
if command -v strace >/dev/null; then
  # useradd and userdel rename passwd, shadow, group and gshadow: one round at each.
  for i in 1 2 3 4; do round orphan "$i"; round unorphan "$i"; orphans=$((orphans + 2)); done
else
  echo "SKIP the rounds with a tool outliving ampfix: strace is missing"
fi
echo "kill -9: $repairs repairs and $undos undos killed at random, $swept at each write, fsync and rename of a fault 19 repair and undo, $orphans while useradd or userdel renames an account file; $failures not restored"
[ "$failures" = 0 ]
