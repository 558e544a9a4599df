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
    func packageInstallBlocker() -> Message?
    /// Bytes available to unprivileged users on the filesystem holding `path` (statvfs), or nil
    /// when it cannot be told.
    func availableBytes(at path: String) -> Int?
    /// At most the last `limit` bytes of a log, read from its end (a file of any size costs
    /// `limit`), starting after a line break when cut; a `.gz` file is inflated as a stream of
    /// which only the last `limit` bytes are kept. Nil when the file does not exist.
    func readTail(_ path: String, limit: Int) throws -> [UInt8]?
    /// Where `path` leads inside the root, links resolved (as in a chroot: never out of it), or
    /// nil when it does not exist.
    func resolve(_ path: String) throws -> String?
    /// A file as it may leave the host (a support bundle): only when `path` reaches it with no
    /// symbolic link on the way, it is a regular file with one link (a hard link has no other
    /// name to tell it by), and it holds at most `limit` bytes. With `tail`, a larger file gives
    /// its last `limit` bytes as `readTail` does. Nil when nothing is there; an error that says
    /// why when something else is.
    func readExactly(_ path: String, limit: Int, tail: Bool) throws -> [UInt8]?
}

extension HostFacts {
    public func availableBytes(at path: String) -> Int? { nil }

    /// A host with no links: a path leads to itself.
    public func resolve(_ path: String) throws -> String? { exists(path) ? path : nil }

    public func readTail(_ path: String, limit: Int) throws -> [UInt8]? {
        try readBytes(path).map { Array($0.suffix(limit)) }
    }

    /// A host with no links: every file is where it is named and has one name.
    public func readExactly(_ path: String, limit: Int, tail: Bool) throws -> [UInt8]? {
        guard let bytes = try readBytes(path) else { return nil }
        guard tail || bytes.count <= limit else { throw BundleFileTooLarge(path: path, limit: limit) }
        return Array(bytes.suffix(limit))
    }

    /// A text file's content, decoded as UTF-8 (invalid bytes become U+FFFD), or nil when it does
    /// not exist.
    public func readText(_ path: String) throws -> String? {
        try readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }
}

public enum ServiceAvailability: Sendable, Equatable {
    case manageable
    case unavailable(Message)
}

/// A file larger than a support bundle takes whole.
public struct BundleFileTooLarge: Error, CustomStringConvertible {
    public var path: String
    public var limit: Int
    public init(path: String, limit: Int) {
        self.path = path
        self.limit = limit
    }
    public var description: String { Message.msg("\(path): it is larger than \(limit >> 10) KiB, the most a support bundle takes of a file like it").description }
}
