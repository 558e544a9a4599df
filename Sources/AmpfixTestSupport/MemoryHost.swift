import AmpfixCore

/// An in-memory journal store, for tests of the core's replay, executor and undo logic. The real
/// store (`JournalDirectory`) is tested against files separately.
public final class MemoryJournal: JournalStore {
    public var files: [String: [String]] = [:]
    /// Journals moved out of the way by `setAside`.
    public var setAsideFiles: [String: [String]] = [:]

    /// The clock records are stamped with: starts at `start` and moves one second a record,
    /// so that journals written in a test are the same bytes every time.
    public var clock: Double

    public init(start: Double = 1_795_000_000) {
        clock = start
    }

    public func now() -> UTCTimestamp {
        defer { clock += 1 }
        return UTCTimestamp(secondsSince1970: clock)
    }

    public func runs() throws -> [String] { files.keys.sorted() }

    public func lines(of run: String) throws -> [String] {
        guard let lines = files[run] else { throw JournalError(.msg("no run \(run)")) }
        return lines
    }

    public func append(_ line: String, to run: String) throws { files[run, default: []].append(line) }

    public func checkAppendable(_ run: String) throws {}

    public func location(of run: String) -> String { "memory:\(run)" }

    public var claimed: Set<String> = []

    final class Claim {
        let release: () -> Void
        init(_ release: @escaping () -> Void) { self.release = release }
        deinit { release() }
    }

    public func claim(_ run: String) throws -> AnyObject {
        claimed.insert(run)
        return Claim { [weak self] in self?.claimed.remove(run) }
    }

    public func isClaimed(_ run: String) -> Bool { claimed.contains(run) }

    public func setAside(_ run: String) throws -> String {
        guard let lines = files.removeValue(forKey: run) else { throw JournalError(.msg("no run \(run)")) }
        setAsideFiles[run] = lines
        return location(of: run) + ".broken"
    }
}

/// Directories as a dictionary, for the core's tests. `apply` fails for a path it does not hold.
public final class MemoryDirectories: ChangeApplier {
    public var directories: [String: DirectoryAttributes]
    public var applied: [Change] = []
    public var onApply: (Change) -> Void = { _ in }
    /// An error `apply` throws for a change, before touching anything (a read-only mount, a full disk).
    public var failure: (Change) -> (any Error)? = { _ in nil }

    public init(_ directories: [String: DirectoryAttributes]) {
        self.directories = directories
    }

    struct Missing: Error, CustomStringConvertible {
        var path: String
        var description: String { "cannot open \(path): No such file or directory" }
    }

    public let kinds: Set<ChangeKind> = [.directoryAttributes]

    public func state(of change: Change) throws -> ChangeState {
        guard let change = change.as(DirectoryAttributesChange.self) else { throw Missing(path: change.target) }
        guard let now = directories[change.path] else { throw Missing(path: change.path) }
        return now == change.after ? .after : now == change.before ? .before : .other(.msg("\(now)"))
    }

    public func precondition(of change: Change) -> Message? {
        directories[change.target] == nil ? .msg("\(change.target) does not exist") : nil
    }

    public func apply(_ change: Change) throws {
        guard let attributes = change.as(DirectoryAttributesChange.self) else { return }
        guard directories[attributes.path] != nil else { throw Missing(path: attributes.path) }
        if let error = failure(change) { throw error }
        onApply(change)
        directories[attributes.path] = attributes.after
        applied.append(change)
    }
}

/// Host facts from dictionaries, for the core's diagnosis tests. The real facts (`HostFiles`)
/// are exercised on fixture roots by the command-line tests.
public struct MemoryFacts: HostFacts, Sendable {
    public var files: [String: String]
    public var trees: [String: DirectoryTree]
    public var services: [String: ServiceAvailability]

    public init(files: [String: String] = [:], trees: [String: DirectoryTree] = [:], services: [String: ServiceAvailability] = [:]) {
        self.files = files
        self.trees = trees
        self.services = services
    }

    public func directoryTree(at path: String) throws -> DirectoryTree {
        trees[path] ?? DirectoryTree(requested: path, resolved: nil, directories: [], symlinks: [])
    }

    /// Paths whose reads fail, as with a permission error.
    public var unreadable: Set<String> = []

    public struct Denied: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "cannot open \(path): Permission denied" }
    }

    /// Files whose content is not text.
    public var binaryFiles: [String: [UInt8]] = [:]

    /// Free bytes per mount point, as statvfs tells them: a path's figure is its nearest
    /// listed ancestor's (none listed: not known, as where statvfs fails).
    public var freeSpace: [String: Int] = [:]

    public func availableBytes(at path: String) -> Int? {
        var candidate = path
        while true {
            if let bytes = freeSpace[candidate] { return bytes }
            if candidate == "/" || candidate.isEmpty { return nil }
            candidate = candidate.lastIndex(of: "/").map { $0 == candidate.startIndex ? "/" : String(candidate[..<$0]) } ?? "/"
        }
    }

    public func readBytes(_ path: String) throws -> [UInt8]? {
        if unreadable.contains(path) { throw Denied(path: path) }
        return binaryFiles[path] ?? files[path].map { Array($0.utf8) }
    }

    public func exists(_ path: String) -> Bool { files[path] != nil || binaryFiles[path] != nil || trees[path] != nil }

    public func serviceAvailability(_ unit: String) -> ServiceAvailability {
        services[unit] ?? .unavailable(.msg("no such unit"))
    }

    public var kernel: String?
    public var installBlocker: String?

    public func runningKernel() -> String? { kernel }
    public func readCompressedText(_ path: String) throws -> String? { files[path] }
    public func list(_ path: String) -> [String]? {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let names = Set(files.keys.filter { $0.hasPrefix(prefix) }.compactMap { $0.dropFirst(prefix.count).split(separator: "/").first.map(String.init) })
        return names.isEmpty ? nil : names.sorted()
    }
    public func packageInstallBlocker() -> Message? { installBlocker.map(Message.verbatim) }
}

/// A package database from a dictionary, for the core's tests of faults 11 and 16. The real
/// backends are tested against apt's cache and an rpmbuild database.
public struct MemoryPackages: PackageDatabase {
    public var kind: PackageBackend
    public var packages: [String: PackageVersions]

    public init(kind: PackageBackend, _ packages: [String: PackageVersions]) {
        self.kind = kind
        self.packages = packages
    }

    public func lookup(_ name: String) throws -> PackageVersions? { packages[name] }
    public func compare(_ a: String, _ b: String) -> Int { a == b ? 0 : (a < b ? -1 : 1) }
}

/// A run lock that counts what it is asked, for tests of `Run`. The real lock (`RootRunLock`)
/// is an flock on a file under the root, tested there.
public final class MemoryRunLock: RunLockPlace {
    /// Whether the lock file exists.
    public var exists: Bool
    public var isReadOnly = false
    /// How many times the lock file was created.
    public private(set) var creations = 0
    /// How many times the lock was taken.
    public private(set) var acquisitions = 0

    public init(exists: Bool = false) {
        self.exists = exists
    }

    final class Held {}

    public func acquire(create: Bool) throws -> AnyObject? {
        if !exists {
            guard create else { return nil }
            exists = true
            creations += 1
        }
        acquisitions += 1
        return Held()
    }
}
