#!/usr/bin/env bash
# kill -9 at random moments: scripts/kill-test.sh [REPAIRS] [UNDOS] (default 60 and 30).
# Each round builds the broken sample root, kills a repair (or an undo) 0-130 ms after it
# starts, lets the next runs recover and undo, and checks that the original state is back:
# accounts (passwd, group, shadow, gshadow), the modes of /opt/cisco, the SELinux module store.
# Then, where strace is installed, a deterministic sweep: a repair of fault 19 (and an undo of
# it) killed at each rename(2) libsemanage makes in its commit, one round per rename — the
# moments a random kill hits about once in a hundred rounds.
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
    && find var/lib/selinux -path '*/active/modules/*/*' -prune -printf '%P\n' | sort)
  # (module PRIORITY/NAME directories only: libsemanage leaves an empty priority directory)
}

killed_at() {  # ARGS... : runs ampfix, kills it after a random 0-130 ms
  "$bin" "$@" >/dev/null 2>&1 &
  local pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 131)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

killed_at_rename() {  # N ARGS... : runs ampfix, killed as it enters its Nth rename(2)
  local n=$1; shift
  strace -o /dev/null -e trace=rename -e inject=rename:signal=SIGKILL:when="$n" "$bin" "$@" >/dev/null 2>&1 &
  wait $! 2>/dev/null || true   # (waited for in the background: the shell does not report the kill)
}

round() {  # KIND NUMBER
  local root="$work/$1-$2"
  cp -a "$work/template" "$root"
  local before; before=$(state "$root")
  case $1 in
    repair) killed_at --root "$root" --all "${data[@]}" ;;
    undo)
      "$bin" --root "$root" --all "${data[@]}" >/dev/null 2>&1 || true
      killed_at undo --root "$root" ;;
    commit) killed_at_rename "$2" --root "$root" --fault 19 "${data[@]}" ;;
    uncommit)
      "$bin" --root "$root" --fault 19 "${data[@]}" >/dev/null 2>&1 || true
      killed_at_rename "$2" undo --root "$root" ;;
  esac
  "$bin" --root "$root" "${data[@]}" >/dev/null 2>&1 || true   # recovers first
  "$bin" undo --root "$root" >/dev/null 2>&1 || true            # nothing to undo is fine
  if [ "$(state "$root")" != "$before" ]; then
    failures=$((failures + 1))
    echo "FAIL $1 round $2: the original state is not back ($root kept)"
    diff <(echo "$before") <(state "$root") | head -n 6 | sed 's/^/    /' || true
    return
  fi
  rm -rf "$root"
}
for i in $(seq "$repairs"); do round repair "$i"; done
for i in $(seq "$undos"); do round undo "$i"; done
swept=0
if command -v strace >/dev/null && [ -d "$work/template/var/lib/selinux" ]; then
  # How many renames a commit makes here (libsemanage's version decides), counted once.
  cp -a "$work/template" "$work/count"
  renames=$(strace -f -e trace=rename "$bin" --root "$work/count" --fault 19 "${data[@]}" 2>&1 >/dev/null | grep -c '^rename(\|^\[pid .*rename(' || true)
  rm -rf "$work/count"
  for i in $(seq "$renames"); do round commit "$i"; round uncommit "$i"; done
  swept=$((renames * 2))
else
  echo "SKIP the rename sweep: strace or the sample's SELinux store is missing"
fi
echo "kill -9: $repairs repairs and $undos undos killed at random, $swept at each rename of a commit; $failures not restored"
[ "$failures" = 0 ]
