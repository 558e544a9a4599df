#if Apt
import AmpfixCore
import AmpfixSystem
import CAptShim
import Glibc

/// libapt-pkg through the CAptShim C API: dpkg's status and apt's policy for the root.
public final class AptDatabase: PackageDatabase {
    private let handle: OpaquePointer
    public let kind = PackageBackend.apt

    /// Opens apt's cache for `root` (apt's Dir under an alternate root, built in memory).
    public init(root: String) throws {
        // apt would open an empty cache for a root without dpkg's state; say it cannot look up.
        let status = (root == "/" ? "" : root) + "/var/lib/dpkg/status"
        guard access(status, R_OK) == 0 else {
            throw HostError(.msg("open the apt cache under"), root, .noPackageDatabase(path: status))
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let handle = ampfix_apt_open(root, &error) else {
            defer { free(error) }
            throw HostError(.msg("open the apt cache"), root, .said([error.map { String(cString: $0) } ?? "unknown error"]))
        }
        self.handle = handle
    }

    deinit { ampfix_apt_close(handle) }

    public func lookup(_ name: String) throws -> PackageVersions? {
        var installed: UnsafeMutablePointer<CChar>?
        var candidate: UnsafeMutablePointer<CChar>?
        defer { free(installed); free(candidate) }
        guard ampfix_apt_lookup(handle, name, &installed, &candidate) == 1 else { return nil }
        return PackageVersions(installed: installed.map { [String(cString: $0)] } ?? [], candidate: candidate.map { String(cString: $0) })
    }

    public func compare(_ a: String, _ b: String) -> Int {
        Int(ampfix_apt_compare(a, b))
    }

    /// apt's comparison without opening a cache.
    public static func compare(_ a: String, _ b: String) -> Int {
        Int(ampfix_apt_compare(a, b))
    }
}
#endif
