#!/usr/bin/env bash
# Installs the Debian packages ampfix's build, sample host and tests need, when missing.
# Swift itself is expected on PATH (a Debian machine with the Swift toolchain).
set -euo pipefail

packages=(
  bash coreutils findutils   # sample-host.sh and the tests' fixture roots
  passwd                     # useradd/groupadd/usermod/userdel --root (fault 5)
  pkg-config libselinux1-dev libsemanage-dev libsepol-dev   # the SELinux libraries (fault 19)
  policycoreutils semodule-utils checkpolicy setools         # fixture stores, policy/Makefile, sesearch
  selinux-policy-default     # a real refpolicy store to copy into test roots (never used in place)
  libapt-pkg-dev librpm-dev rpm zlib1g-dev   # package backends (faults 11, 16); rpmbuild for test databases
  libarchive13               # ampfix collect: the support bundle (.tar.gz; opened at run time)
  libclamav-dev              # the ClamAV trait (on by default): libclamav's view of fault 7's databases
  libkmod-dev kmod gcc make  # kernel modules (faults 8, 9): libkmod; depmod and gcc for fixture modules; make for policy/
  libbpf-dev libbpf1 clang llvm bpftool   # the connector's eBPF programs: libbpf's headers (CBPFProbe), clang -target bpf and llvm-strip (packaging/bpf), bpftool (tests)
  python3 bc gzip hyperfine valgrind   # benchmarks (valgrind: instruction counts) and fixtures
  time                       # GNU time: a child's own peak RSS in the tests (LogTailTests)
  dpkg-dev lintian           # the deb: dpkg-shlibdeps, dpkg-gencontrol, lintian
  rpmlint                    # the rpm spec and package
  mmdebstrap util-linux      # packaging/test-install.sh: a minimal Debian 12 to install the deb on
  jq                         # scripts/dkms-test.sh reads ampfix's JSON reports
  gettext                    # scripts/po.sh: msgfmt, msgcmp, msgcat, msgmerge (the report's translations)
  po4a                       # scripts/po.sh: the man page's paragraphs in po/ampfix.pot, and the translated pages
  zsh fish                   # the packaged shell completions: each shell reads ampfix's script (syntax and offers)
  strace                     # scripts/kill-test.sh: a kill at each rename of libsemanage's commit
  shellcheck                 # scripts/test.sh: every shell script of the repository
  prometheus prometheus-node-exporter curl   # --prometheus: promtool checks the file and the shipped rules, node_exporter serves it
  sudo                       # visudo checks the shipped sudo rule for ampfix check (packaging/monitoring)
  python3-venv               # scripts/ansible-test.sh: ansible-core from PyPI in a virtual environment
  chromium                   # scripts/ansible-integration.sh: the fleet report's page opened headless (its DOM checked)
  libsystemd-dev systemd     # the journal (sd_journal_sendv); systemd-analyze and journalctl check the units and catalog
  qemu-system-x86 e2fsprogs  # scripts/vm-test.sh: the Debian VM (mkfs.ext4 -d makes its disk)
  ovmf                       # scripts/vm-test.sh --secure-boot: UEFI firmware with Secure Boot
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift toolchain first" >&2; exit 1; }
