/// What a package database knows of one package name.
public struct PackageVersions: Sendable, Equatable {
    /// Installed versions (apt: at most one; rpm: every installed instance, as V-R.A).
    public var installed: [String]
    /// The version the package manager would install (apt's policy); nil when none, or when the
    /// backend cannot see repositories (librpm reads only the installed database).
    public var candidate: String?

    public init(installed: [String], candidate: String?) {
        self.installed = installed
        self.candidate = candidate
    }
}

/// Which library reads the package database; the raw value is how reports name it.
public enum PackageBackend: String, Sendable, CustomStringConvertible {
    case apt, rpm

    public var description: String { rawValue }

    /// Whether the backend sees repositories, and so knows candidate versions (librpm reads only
    /// the installed database).
    public var knowsCandidates: Bool { self == .apt }
}

/// A package database read through its library (libapt-pkg or librpm), never through the
/// output of apt-cache or rpm.
public protocol PackageDatabase {
    var kind: PackageBackend { get }
    /// nil when the database knows no such package.
    func lookup(_ name: String) throws -> PackageVersions?
    /// The database's own version order: <0, 0, >0.
    func compare(_ a: String, _ b: String) -> Int
}
