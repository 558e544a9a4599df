#if RPM
import AmpfixCore
import AmpfixSystem
import CRPM
import Glibc

/// librpm: the installed-package database of a root. `_dbpath` is pushed to /var/lib/rpm first:
/// Debian's rpm defaults to ~/.rpmdb and would silently create an empty database there.
public final class RPMDatabase: PackageDatabase {
    public let kind = PackageBackend.rpm
    public let root: String
    private let ts: OpaquePointer

    nonisolated(unsafe) static var configured = false
    nonisolated(unsafe) static var messages: [String] = []

    /// - Parameter databasePath: where the database is inside the root (links already resolved
    ///   there, so that librpm, which opens root + path on the host, follows none).
    /// Where rpm keeps its database, inside a root.
    public static let defaultDatabasePath = "/var/lib/rpm"

    public init(root: String, databasePath: String = defaultDatabasePath) throws {
        self.root = root
        if !Self.configured {
            // rpm's log goes to stderr by default; keep it for the error instead.
            _ = rpmlogSetCallback({ record, _ in
                if let text = rpmlogRecMessage(record) { RPMDatabase.messages.append(String(cString: text).trimming("\n ")) }
                return 0
            }, nil)
            guard rpmReadConfigFiles(nil, nil) == 0 else {
                throw HostError(.msg("read"), "rpm's configuration (rpmrc, macros)", .said(Self.messages))
            }
            Self.configured = true
        }
        // Checked first: librpm would create an empty database where there is none.
        guard access(root == "/" ? databasePath : root + databasePath, R_OK) == 0 else {
            throw HostError(.msg("open the rpm database under"), root, .noPackageDatabase(path: databasePath))
        }
        rpmPushMacro(nil, "_dbpath", nil, databasePath, RMIL_CMDLINE)
        guard let ts = rpmtsCreate() else { throw HostError(.msg("open the rpm database under"), root, .said(["rpmtsCreate failed"])) }
        self.ts = ts
        _ = rpmtsSetRootDir(ts, root == "/" ? nil : root)
    }

    deinit { rpmtsFree(ts) }

    /// Installed instances of `name` as "VERSION-RELEASE.ARCH" (epoch left out: uname -r has none).
    public func lookup(_ name: String) throws -> PackageVersions? {
        let found = try headers(matching: name).map(\.vra)
        return found.isEmpty ? nil : PackageVersions(installed: found, candidate: nil)
    }

    struct Installed {
        var name: String
        var vra: String
    }

    private func headers(matching name: String?) throws -> [Installed] {
        Self.messages.removeAll()
        guard let iterator = rpmtsInitIterator(ts, rpmDbiTagVal(RPMDBI_NAME.rawValue), name, 0) else {
            if !Self.messages.isEmpty { throw HostError(.msg("read the rpm database under"), root, .said(Self.messages)) }
            return []
        }
        defer { rpmdbFreeIterator(iterator) }
        var result: [Installed] = []
        while let header = rpmdbNextIterator(iterator) {
            func tag(_ t: rpmTagVal) -> String { headerGetString(header, t).map { String(cString: $0) } ?? "" }
            let arch = tag(rpmTagVal(RPMTAG_ARCH.rawValue))
            let vr = tag(rpmTagVal(RPMTAG_VERSION.rawValue)) + "-" + tag(rpmTagVal(RPMTAG_RELEASE.rawValue))
            result.append(Installed(name: tag(rpmTagVal(RPMTAG_NAME.rawValue)), vra: arch.isEmpty || arch == "noarch" ? vr : vr + "." + arch))
        }
        return result.sorted { Self.compare($0.vra, $1.vra) < 0 }
    }

    public func compare(_ a: String, _ b: String) -> Int { Self.compare(a, b) }

    /// rpm's own ordering of [EPOCH:]VERSION[-RELEASE] strings (rpmverCmp).
    public static func compare(_ a: String, _ b: String) -> Int {
        guard let left = rpmverParse(a), let right = rpmverParse(b) else { return a == b ? 0 : (a < b ? -1 : 1) }
        defer { rpmverFree(left); rpmverFree(right) }
        return Int(rpmverCmp(left, right))
    }
}
#endif
