# shellcheck shell=bash
# Sourced by the Ansible tests: ansible-core and ansible-lint, pinned, from PyPI into a virtual
# environment cached under $TMPDIR; HOME is that cache (ansible-test keeps its own test
# environments there), PATH starts with the environment's bin. Skips (exit 77) when python3
# cannot make a virtual environment or PyPI cannot be reached. Needs scripts/lib/common.sh and $top.
#   ansible_venv [CORE]           sets $ansible_cache, $python (the interpreter's X.Y); CORE: an
#                                 ansible-core version (default $ansible_core, with ansible-lint;
#                                 another one without it)
#   community_general DIR         unpacks community.general from PyPI's ansible bundle into
#                                 DIR/ansible_collections (the chroot connection)
ansible_core=2.17.7 ansible_lint=24.12.2 ansible_bundle=10.7.0
# The newest ansible-core that runs on Debian 12's Python 3.11 (2.20 needs 3.12): the
# collection's sanity tests and units run with it too (scripts/ansible-test.sh).
# shellcheck disable=SC2034 # for the sourcing script
ansible_core_newest=2.19.14
# shellcheck disable=SC2154 # top is the sourcing script's
ansible_venv() {
  local core=${1:-$ansible_core} lint=""
  if [ "$core" = "$ansible_core" ]; then lint=ansible-lint==$ansible_lint; fi
  ansible_cache=${TMPDIR:-/tmp}/ampfix-ansible-core-$core${lint:+-lint-$ansible_lint}
  local venv=$ansible_cache/venv
  python3 -c 'import ensurepip, venv' 2>/dev/null || skip "python3 cannot make virtual environments (Debian package python3-venv)"
  if [ ! -e "$venv/.complete" ]; then
    rm -rf "$venv"
    mkdir -p "$ansible_cache"
    python3 -m venv "$venv"
    # shellcheck disable=SC2086 # $lint is one word or none
    if ! "$venv/bin/pip" install -q "ansible-core==$core" $lint pytest pytest-xdist pytest-mock \
        >"$ansible_cache/pip.log" 2>&1; then
      tail -n 5 "$ansible_cache/pip.log"
      skip "cannot install ansible-core $core from PyPI (log: $ansible_cache/pip.log)"
    fi
    touch "$venv/.complete"
  fi
  # ansible-test fetches a pip bootstrap script from a host we cannot reach: ours stands in,
  # under the name of the pip version this ansible-test bootstraps.
  local pip_version
  pip_version=$(grep -ohE "pip='[0-9.]+'" "$venv"/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py | head -n 1 | tr -dc '0-9.')
  if [ -z "$pip_version" ]; then echo "ansible-test $core: cannot find the pip version it bootstraps (python_requirements.py)"; return 1; fi
  mkdir -p "$ansible_cache/home/.ansible/test/cache"
  cp "$top/scripts/ansible/get_pip.py" "$ansible_cache/home/.ansible/test/cache/get_pip_${pip_version//./_}.py"
  export HOME=$ansible_cache/home PATH=$venv/bin:$PATH
  # shellcheck disable=SC2034 # for the sourcing script
  python=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
}

community_general() {
  local into=$1 wheels=$ansible_cache/wheels
  if [ ! -d "$ansible_cache/community/ansible_collections/community/general" ]; then
    mkdir -p "$wheels" "$ansible_cache/community.partial"
    pip download -q --no-deps -d "$wheels" "ansible==$ansible_bundle" >"$ansible_cache/bundle.log" 2>&1 ||
      skip "cannot download ansible $ansible_bundle (community.general) from PyPI (log: $ansible_cache/bundle.log)"
    python -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith("ansible_collections/community/general/")])' \
      "$wheels/ansible-$ansible_bundle-py3-none-any.whl" "$ansible_cache/community.partial"
    rm -rf "$ansible_cache/community"
    mv "$ansible_cache/community.partial" "$ansible_cache/community"
  fi
  mkdir -p "$into/ansible_collections"
  cp -r "$ansible_cache/community/ansible_collections/community" "$into/ansible_collections/"
}
