/// The distribution families whose kernel header packages ampfix knows.
public enum DistroFamily: String, Sendable, Codable {
    case debian, rhel, oracle, suse

    /// From ID and ID_LIKE; nil when none matches.
    public static func of(_ os: OSRelease) -> DistroFamily? {
        let ids = [os.id] + os.idLike
        if os.id == "ol" { return .oracle }
        if ids.contains(where: { ["debian", "ubuntu"].contains($0) }) { return .debian }
        if ids.contains(where: { ["suse", "opensuse", "sles", "sled", "opensuse-leap", "opensuse-tumbleweed"].contains($0) }) { return .suse }
        if ids.contains(where: { ["rhel", "fedora", "centos", "almalinux", "rocky", "amzn"].contains($0) }) { return .rhel }
        return nil
    }
}

/// The package that holds the headers of one kernel release, and which installed versions of it
/// count as that kernel's.
public struct HeaderPackage: Sendable, Equatable, CustomStringConvertible {
    public enum VersionMatch: Sendable, Equatable {
        /// Any installed version (the release is in the package name).
        case any
        /// Installed VERSION-RELEASE.ARCH equal to this.
        case exact(String)
        /// Installed VERSION-RELEASE starting with this (SUSE adds a rebuild counter).
        case prefix(String)
    }

    public var name: String
    public var match: VersionMatch
    public var family: DistroFamily

    public init(name: String, match: VersionMatch, family: DistroFamily) {
        self.name = name
        self.match = match
        self.family = family
    }

    /// What a user would type to install exactly this package.
    public var installSpec: String {
        switch match {
        case .any: return name
        case .exact(let vra): return "\(name)-\(vra)"
        case .prefix(let vr): return "\(name)-\(vr)"
        }
    }

    public var description: String { installSpec }

    /// Whether one of `installed` is the kernel's own.
    public func isSatisfied(by installed: [String]) -> Bool {
        switch match {
        case .any: return !installed.isEmpty
        case .exact(let vra): return installed.contains(vra)
        case .prefix(let vr):
            return installed.contains { $0 == vr || ($0.hasPrefix(vr) && $0.dropFirst(vr.count).first == ".") }
        }
    }

    /// The rules, table-driven by family and kernel flavour:
    /// Debian/Ubuntu `linux-headers-RELEASE`; RHEL family `kernel-devel` (`kernel-debug-devel`,
    /// `kernel-rt-devel` for debug and realtime kernels); Oracle UEK `kernel-uek-devel`;
    /// SUSE `kernel-default-devel` whose version-release starts with the release minus `-default`.
    public static func forKernel(_ release: String, family: DistroFamily) -> HeaderPackage {
        switch family {
        case .debian:
            return HeaderPackage(name: "linux-headers-\(release)", match: .any, family: family)
        case .suse:
            let flavour = release.split(separator: "-").last.map(String.init) ?? "default"
            let base = release.hasSuffix("-\(flavour)") ? String(release.dropLast(flavour.count + 1)) : release
            return HeaderPackage(name: "kernel-\(flavour)-devel", match: .prefix(base), family: family)
        case .oracle where release.contains("uek"):
            return HeaderPackage(name: "kernel-uek-devel", match: .exact(release), family: family)
        case .rhel, .oracle:
            if release.hasSuffix("+debug") {
                return HeaderPackage(name: "kernel-debug-devel", match: .exact(String(release.dropLast("+debug".count))), family: family)
            }
            if release.hasSuffix(".debug") {
                return HeaderPackage(name: "kernel-debug-devel", match: .exact(String(release.dropLast(".debug".count))), family: family)
            }
            if release.hasSuffix("+rt") {
                return HeaderPackage(name: "kernel-rt-devel", match: .exact(String(release.dropLast("+rt".count))), family: family)
            }
            if release.contains(".rt") {
                return HeaderPackage(name: "kernel-rt-devel", match: .exact(release), family: family)
            }
            return HeaderPackage(name: "kernel-devel", match: .exact(release), family: family)
        }
    }
}
