# What the VM test's guest scenarios share (sourced; installed in the guest as
# /usr/local/lib/ampfix-vm/lib.sh). Every step is checked with the system's own tools and
# reported on the serial console as "AMPFIX-VM ok|FAIL STEP: detail"; the host
# (scripts/vm-test.sh) reads those lines. A scenario ends with `finish`: "AMPFIX-VM done N",
# N the number of steps it checked, so that the host notices a step line lost on the console.
# shellcheck shell=sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8
out=/dev/ttyS0
say() { echo "AMPFIX-VM $*" > "$out"; }
checks=0
check() {  # STEP COMMAND...: ok when the command succeeds
  step=$1; shift
  checks=$((checks + 1))
  if detail=$("$@" 2>&1); then say "ok $step${detail:+: $(echo "$detail" | tail -n 1)}"; else say "FAIL $step: $(echo "$detail" | tail -n 3 | tr '\n' ' ')"; fi
}
equal() { [ "$1" = "$2" ] || { echo "expected $2, got $1"; return 1; }; echo "$1"; }
status() { jq -r ".faults[] | select(.id == $2) | .status" "$1"; }
evidence() { jq -r ".faults[] | select(.id == $2) | .evidence[]" "$1"; }
steps() { jq -r ".faults[] | select(.id == $2) | .manualSteps[]?" "$1"; }
actions() { jq -r ".faults[] | select(.id == $2) | .actions[] | \"\(.kind) \(.outcome)\"" "$1" | paste -sd,; }
send_files() {  # NAME...: files of /tmp, base64 on the console, for the host to keep
  for file in "$@"; do say "file $file $(base64 -w0 < "/tmp/$file")"; done
}
finish() { say "done $checks"; }
# shellcheck disable=SC2034 # used by the scenarios
release=$(uname -r)
