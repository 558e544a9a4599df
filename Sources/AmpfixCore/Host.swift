/// A directory found by a walk, with its attributes. `path` is the physical path inside the root
/// (symbolic links on the way to the walk's start already resolved).
public struct DirectoryEntry: Codable, Sendable, Equatable {
    public var path: String
    public var attributes: DirectoryAttributes

    public init(path: String, attributes: DirectoryAttributes) {
        self.path = path
        self.attributes = attributes
    }
}

/// The directories below a starting point, found without following any symbolic link below it.
public struct DirectoryTree: Sendable, Equatable {
    /// The path that was asked for.
    public var requested: String
    /// Where it resolved inside the root; nil when it does not exist.
    public var resolved: String?
    /// The start directory first, then every directory below it.
    public var directories: [DirectoryEntry]
    /// Symbolic links found in the tree; they are reported, never followed.
    public var symlinks: [String]

    public init(requested: String, resolved: String?, directories: [DirectoryEntry], symlinks: [String]) {
        self.requested = requested
        self.resolved = resolved
        self.directories = directories
        self.symlinks = symlinks
    }
}

/// Read-only facts about the host (or the tree under `--root`). Implemented by AmpfixSystem over
/// the real files; every path is inside the root.
public protocol HostFacts {
    /// Walks the directories under `path` without following symbolic links below it.
    func directoryTree(at path: String) throws -> DirectoryTree
    /// A file's bytes, or nil when it does not exist. Binary files (efivars, the connector's
    /// definitions) are read as they are.
    func readBytes(_ path: String) throws -> [UInt8]?
    /// Whether a path exists (links followed inside the root).
    func exists(_ path: String) -> Bool
    /// Whether ampfix may manage a service unit here, and why not.
    func serviceAvailability(_ unit: String) -> ServiceAvailability
    /// The running kernel's release (uname), or nil under --root where no kernel runs the tree.
    func runningKernel() -> String?
    /// A gzip-compressed text file (/proc/config.gz), or nil when it does not exist.
    func readCompressedText(_ path: String) throws -> String?
    /// The names in a directory, or nil when it does not exist.
    func list(_ path: String) -> [String]?
    /// Why installing packages now would deadlock or break a package manager (ampfix runs inside
    /// a dpkg or rpm transaction, or under --root), or nil when it may.
    func packageInstallBlocker() -> String?
}

extension HostFacts {
    /// A text file's content, decoded as UTF-8 (invalid bytes become U+FFFD), or nil when it does
    /// not exist.
    public func readText(_ path: String) throws -> String? {
        try readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }
}

public enum ServiceAvailability: Sendable, Equatable {
    case manageable
    case unavailable(String)
}

/// Looks at where planned changes stand, without changing anything. Dry-run gets only this.
public protocol ChangeInspector {
    /// Whether this adapter is the one for `change`.
    func handles(_ change: Change) -> Bool
    /// Where the change stands now.
    func state(of change: Change) throws -> ChangeState
    /// Why applying the change would fail, or nil when it should succeed.
    func precondition(of change: Change) -> String?
}

/// Applies changes to the host. The executor, recovery and undo go through it and nothing else.
public protocol ChangeApplier: ChangeInspector {
    /// Makes the change.
    func apply(_ change: Change) throws
}

/// Durable storage of run journals: one append-only file of JSON lines per run.
public protocol JournalStore {
    /// Every run recorded, oldest first.
    func runs() throws -> [String]
    /// The lines of one run's journal.
    func lines(of run: String) throws -> [String]
    /// Appends one line and makes it durable before returning (write, fsync).
    func append(_ line: String, to run: String) throws
    /// Where the journal lives, for messages.
    func location(of run: String) -> String
    /// Marks a run as in progress for as long as the returned object lives (released by the
    /// kernel even on SIGKILL), so that another ampfix does not recover it meanwhile.
    func claim(_ run: String) throws -> AnyObject
    /// Whether a live process holds the run's claim.
    func isClaimed(_ run: String) -> Bool
}

/// Several appliers, each handling its kinds of change (files and accounts, SELinux …).
public struct ApplierSet: ChangeApplier {
    public var appliers: [any ChangeApplier]

    public init(_ appliers: [any ChangeApplier]) {
        self.appliers = appliers
    }

    struct Unhandled: Error, CustomStringConvertible {
        var change: Change
        var description: String { "no adapter applies changes of kind \(change.kind)" }
    }

    private func applier(for change: Change) throws -> any ChangeApplier {
        guard let applier = appliers.first(where: { $0.handles(change) }) else { throw Unhandled(change: change) }
        return applier
    }

    public func handles(_ change: Change) -> Bool { appliers.contains { $0.handles(change) } }
    public func state(of change: Change) throws -> ChangeState { try applier(for: change).state(of: change) }
    public func precondition(of change: Change) -> String? {
        do { return try applier(for: change).precondition(of: change) } catch { return "\(error)" }
    }
    public func apply(_ change: Change) throws { try applier(for: change).apply(change) }
}
