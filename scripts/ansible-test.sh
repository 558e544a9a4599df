#!/usr/bin/env bash
# The Ansible collection (ansible/ampfix): built with ansible-galaxy, installed, and checked
# where it was installed with ansible-test sanity (every sanity test, on this machine's Python)
# and units (the modules' pure functions: argv from options, report -> changed/diff/failed),
# and the role with ansible-lint (production profile). ansible-core and ansible-lint, pinned,
# come from PyPI into a virtual environment cached under $TMPDIR (scripts/lib/ansible-venv.sh).
#   scripts/ansible-test.sh
# Exit status: 0 passed, 1 failed, 77 skipped (no python3 venv, or PyPI cannot be reached).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
test_name=scripts/ansible-test.sh
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
# shellcheck source=scripts/lib/ansible-venv.sh
source "$top/scripts/lib/ansible-venv.sh"
ansible_venv

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
  pass "ansible-test units: $(grep -oE '[0-9]+ passed' "$work/units.log" | awk '{n += $1} END {print n}') passed (modules, action and plugin utilities)"
else
  tail -n 30 "$work/units.log"
  fail "ansible-test units"
fi
if ANSIBLE_COLLECTIONS_PATH=$work/collections ansible-lint --offline roles/ampfix roles/report >"$work/lint.log" 2>&1; then
  pass "ansible-lint roles/ampfix roles/report: $(sed 's/\x1b\[[0-9;]*m//g' "$work/lint.log" | grep -o "profile that met the validation criteria was '[a-z]*'" | tail -n 1)"
else
  sed 's/\x1b\[[0-9;]*m//g' "$work/lint.log" | tail -n 30
  fail "ansible-lint roles/ampfix roles/report"
fi
# The newest ansible-core too (its ansible-test bootstraps another pip, with --no-setuptools):
# sanity and units, in a subshell with that environment's PATH and HOME.
if (ansible_venv "$ansible_core_newest" &&
    ansible-test sanity --local --requirements --python "$python" >"$work/sanity-newest.log" 2>&1 &&
    ansible-test units --local --requirements --python "$python" >"$work/units-newest.log" 2>&1); then
  pass "ansible-core $ansible_core_newest: ansible-test sanity ($(grep -c '^Running sanity test' "$work/sanity-newest.log") tests) and units ($(grep -oE '[0-9]+ passed' "$work/units-newest.log" | awk '{n += $1} END {print n}') passed)"
else
  grep -hE "^(ERROR|FATAL)" "$work/sanity-newest.log" "$work/units-newest.log" 2>/dev/null | head -n 20
  tail -n 5 "$work/units-newest.log" 2>/dev/null
  fail "ansible-core $ansible_core_newest: sanity and units"
fi
# The role documents its variables (meta/argument_specs.yml), and the modules their results
# with samples: what ansible-doc shows an operator.
role_doc=$(ANSIBLE_COLLECTIONS_PATH=$work/collections ansible-doc -t role ampfix.ampfix.ampfix 2>&1 || true)
module_doc=$(ANSIBLE_COLLECTIONS_PATH=$work/collections ansible-doc ampfix.ampfix.ampfix 2>&1 || true)
report_doc=$(ANSIBLE_COLLECTIONS_PATH=$work/collections ansible-doc -t role ampfix.ampfix.report 2>&1 || true)
report_module_doc=$(ANSIBLE_COLLECTIONS_PATH=$work/collections ansible-doc ampfix.ampfix.ampfix_report 2>&1 || true)
if printf '%s' "$role_doc" | grep -q "ampfix_accepted" && printf '%s' "$role_doc" | grep -q "ampfix_preflight_accept" &&
   printf '%s' "$module_doc" | grep -q "sample:" && printf '%s' "$module_doc" | grep -q "SEE ALSO" && printf '%s' "$module_doc" | grep -q "become: true" &&
   printf '%s' "$module_doc" | grep -q "run_id" && printf '%s' "$report_doc" | grep -q "ampfix_report_dir" &&
   printf '%s' "$report_module_doc" | grep -q "ansible_play_hosts_all"; then
  pass "ansible-doc: the roles' variables (argument_specs), the modules' results, samples, requirements and examples with become"
else
  printf '%s\n' "$role_doc" "$report_doc" "$report_module_doc" | head -n 30
  fail "ansible-doc of the role and the module"
fi
if [ "$failures" = 0 ]; then echo "all Ansible checks passed"; else echo "$failures Ansible checks failed"; exit 1; fi
