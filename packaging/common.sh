# Sourced by build-deb.sh and build-rpm.sh: the repository top, the version, and the binary to
# package (the one given, else a release build with only the named trait).
#   release_binary TRAIT [BINARY]   prints the binary's path
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's/.*static let current = "\(.*\)"/\1/p' "$top/Sources/AmpfixCore/Model/Report.swift")

release_binary() {
  local trait=$1 given=${2:-}
  if [ -n "$given" ]; then echo "$given"; return; fi
  local scratch=.build-$(echo "$trait" | tr '[:upper:]' '[:lower:]')-release
  (cd "$top" && swift build -c release --product ampfix --traits "$trait" --scratch-path "$scratch" >&2)
  echo "$(cd "$top" && swift build -c release --product ampfix --traits "$trait" --scratch-path "$scratch" --show-bin-path)/ampfix"
}
