#!/usr/bin/env bash
# Builds the rpm the way a Fedora or EL packager would, from the spec and the source tarballs
# (packaging/make-source-tarball.sh), with no network: git cannot reach any remote, so the build
# must come from the vendored dependencies. On Debian, rpmbuild cannot see the build
# requirements (no rpm database of the host's packages), so it runs with --nodeps; everything
# else is the spec's own %prep, %build and %install. Then checks the result and runs rpmlint.
#   packaging/test-rpm-source.sh
# Exit status: 0 passed, 1 a step failed, 77 skipped (no rpmbuild or rpmlint, reason printed).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
test_name=packaging/test-rpm-source.sh
# shellcheck source=scripts/lib/common.sh
source "$top/scripts/lib/common.sh"
command -v rpmbuild >/dev/null || skip "rpmbuild is not installed (Debian package rpm)"
command -v rpmlint >/dev/null || skip "rpmlint is not installed (Debian package rpmlint)"
# shellcheck source=packaging/common.sh
source "$top/packaging/common.sh"
[ -n "$(ebpf_source)" ] || skip "no eBPF source for the spec's Source2 (AMPFIX_EBPF_SOURCE, or ../shared/sources beside the checkout)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/SOURCES" "$work/home"
"$top/packaging/make-source-tarball.sh" "$work/SOURCES" >"$work/tarball.log" 2>&1 || { cat "$work/tarball.log"; exit 1; }

# No network for git: no system or user configuration (which maps github.com to local mirrors).
if HOME=$work/home GIT_CONFIG_NOSYSTEM=1 rpmbuild -ba --nodeps --define "_topdir $work" \
    --define "__brp_compress true" "$top/packaging/rpm/ampfix.spec" >"$work/rpmbuild.log" 2>&1; then
  pass "rpmbuild -ba packaging/rpm/ampfix.spec from the source tarballs, offline"
else
  tail -n 30 "$work/rpmbuild.log"
  fail "rpmbuild -ba packaging/rpm/ampfix.spec"
  exit 1
fi
rpm=$(find "$work/RPMS" -name 'ampfix-*.rpm' | head -n 1)
srpm=$(find "$work/SRPMS" -name 'ampfix-*.src.rpm' | head -n 1)
requires=$(rpm -qp --requires "$rpm")
for library in libkmod.so.2 libsemanage.so.2 libsepol.so.2 libbpf.so.1; do
  grep -q "^$library()" <<<"$requires" && pass "the rpm requires $library (named in the spec: opened at run time)" || fail "no $library requirement: $requires"
done
grep -q 'libswift\|libFoundation\|libdispatch' <<<"$requires" && fail "the rpm requires a Swift library: $(grep swift <<<"$requires")" || pass "the rpm requires no Swift library"
grep -q 'libapt-pkg' <<<"$requires" && fail "the rpm requires libapt-pkg" || pass "the rpm requires no libapt-pkg (RPM trait only)"
files=$(rpm -qlp "$rpm")
for f in /usr/sbin/ampfix /usr/share/bash-completion/completions/ampfix /usr/share/zsh/site-functions/_ampfix \
         /usr/share/fish/vendor_completions.d/ampfix.fish /usr/share/man/man8/ampfix.8.gz /usr/share/man/zh_CN/man8/ampfix.8.gz \
         /usr/share/licenses/ampfix/COPYRIGHT /usr/lib/ampfix/bpf/file_close_write.bpf.o /usr/lib/ampfix/bpf/ORIGIN /usr/lib/ampfix/bpf/LICENSE; do
  grep -qx "$f" <<<"$files" && pass "the rpm has $f" || fail "the rpm lacks $f"
done
lint=$(rpmlint -c "$top/packaging/rpm/rpmlint.toml" "$top/packaging/rpm/ampfix.spec" "$srpm" "$rpm" 2>&1 || true)
summary=$(tail -n 1 <<<"$lint")
if grep -q ' 0 errors' <<<"$summary"; then pass "rpmlint: $summary"; else echo "$lint"; fail "rpmlint: $summary"; fi

if [ "$failures" = 0 ]; then echo "all rpm source build steps passed"; else echo "$failures rpm source build steps failed"; exit 1; fi
