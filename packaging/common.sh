# shellcheck shell=bash
# Sourced by the packaging scripts: the repository top, the version, and the binary to package.
#   release_binary TRAIT [BINARY]   prints the binary's path (the one given, else a release build)
# A release build links the Swift runtime statically (no Foundation) and carries no RUNPATH, so
# the packaged binary needs only the distribution's C libraries, each declared by the package.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's/.*static let current = "\(.*\)"/\1/p' "$top/Sources/AmpfixCore/Model/AmpfixVersion.swift")
# Hardening as distributions build C: full RELRO (-z relro -z now), fortified C calls.
release_flags=(-c release --product ampfix --static-swift-stdlib --disable-local-rpath -Xswiftc -no-toolchain-stdlib-rpath
  -Xlinker -z -Xlinker relro -Xlinker -z -Xlinker now -Xcc -D_FORTIFY_SOURCE=2 -Xcxx -D_FORTIFY_SOURCE=2)

release_binary() {
  local trait=$1 given=${2:-}
  if [ -n "$given" ]; then echo "$given"; return; fi
  local scratch
  scratch=.build-$(echo "$trait" | tr '[:upper:]' '[:lower:]')-release
  (cd "$top" && swift build "${release_flags[@]}" --traits "$trait" --scratch-path "$scratch" >&2)
  echo "$(cd "$top" && swift build "${release_flags[@]}" --traits "$trait" --scratch-path "$scratch" --show-bin-path)/ampfix"
}

# The connector's eBPF source (packaging/bpf/SOURCE): AMPFIX_EBPF_SOURCE, else the published
# snapshot in ../shared/sources beside the checkout; nothing when neither is there.
ebpf_source() {
  local name
  name=$(sed -n 's/^name=//p' "$top/packaging/bpf/SOURCE")
  if [ -n "${AMPFIX_EBPF_SOURCE:-}" ]; then echo "$AMPFIX_EBPF_SOURCE"
  elif [ -f "$top/../shared/sources/$name" ]; then echo "$top/../shared/sources/$name"
  fi
}

# Fails unless the packaging metadata carries the same version as the binary.
check_version() {
  local file=$1 found=$2
  [ "$found" = "$version" ] || { echo "$file says version $found, ampfix is $version (Sources/AmpfixCore/Model/AmpfixVersion.swift)" >&2; exit 1; }
}
