#!/usr/bin/env bash
# The Ansible collection (ansible/ampfix): built with ansible-galaxy, installed, and checked
# where it was installed with ansible-test sanity (every sanity test, on this machine's Python)
# and units (the modules' pure functions: argv from options, report -> changed/diff/failed),
# and the role with ansible-lint (production profile). ansible-core and ansible-lint are pinned and comes from PyPI into a virtual environment cached under $TMPDIR,
# with ansible-test's own test environments (HOME is that cache: nothing of this machine's).
#   scripts/ansible-test.sh
# Exit status: 0 passed, 1 failed, 77 skipped (no python3 venv, or PyPI cannot be reached).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
test_name=scripts/ansible-test.sh
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
ansible_core=2.17.7 ansible_lint=24.12.2
cache=${TMPDIR:-/tmp}/ampfix-ansible-core-$ansible_core-lint-$ansible_lint
venv=$cache/venv
python3 -c 'import ensurepip, venv' 2>/dev/null || skip "python3 cannot make virtual environments (Debian package python3-venv)"
if [ ! -e "$venv/.complete" ]; then
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install -q "ansible-core==$ansible_core" "ansible-lint==$ansible_lint" pytest pytest-xdist pytest-mock >"$cache/pip.log" 2>&1; then
    tail -n 5 "$cache/pip.log"
    skip "cannot install ansible-core $ansible_core from PyPI (log: $cache/pip.log)"
  fi
  touch "$venv/.complete"
fi
# ansible-test fetches a pip bootstrap script from a host we cannot reach: ours stands in.
mkdir -p "$cache/home/.ansible/test/cache"
cp "$top/scripts/ansible/get_pip.py" "$cache/home/.ansible/test/cache/get_pip_23_1_2.py"
export HOME=$cache/home PATH=$venv/bin:$PATH
python=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ansible-galaxy collection build "$top/ansible/ampfix" --output-path "$work" >"$work/build.log" 2>&1 &&
   ansible-galaxy collection install "$work"/ampfix-ampfix-*.tar.gz -p "$work/collections" >>"$work/build.log" 2>&1; then
  pass "ansible-galaxy collection build and install: $(basename "$work"/ampfix-ampfix-*.tar.gz)"
else
  cat "$work/build.log"
  fail "ansible-galaxy collection build"
  exit 1
fi
cd "$work/collections/ansible_collections/ampfix/ampfix"
if ansible-test sanity --local --requirements --python "$python" >"$work/sanity.log" 2>&1; then
  pass "ansible-test sanity: $(grep -c '^Running sanity test' "$work/sanity.log") tests"
else
  grep -E "^(ERROR|FATAL)" "$work/sanity.log" | head -n 20
  fail "ansible-test sanity"
fi
if ansible-test units --local --requirements --python "$python" >"$work/units.log" 2>&1; then
  pass "ansible-test units: $(grep -oE '[0-9]+ passed' "$work/units.log" | tail -n 1)"
else
  tail -n 30 "$work/units.log"
  fail "ansible-test units"
fi
if ANSIBLE_COLLECTIONS_PATH=$work/collections ansible-lint --offline roles/ampfix >"$work/lint.log" 2>&1; then
  pass "ansible-lint roles/ampfix: $(sed 's/\x1b\[[0-9;]*m//g' "$work/lint.log" | grep -o "profile that met the validation criteria was '[a-z]*'" | tail -n 1)"
else
  sed 's/\x1b\[[0-9;]*m//g' "$work/lint.log" | tail -n 30
  fail "ansible-lint roles/ampfix"
fi
if [ "$failures" = 0 ]; then echo "all Ansible checks passed"; else echo "$failures Ansible checks failed"; exit 1; fi
