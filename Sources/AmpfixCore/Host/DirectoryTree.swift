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
    /// The links among `symlinks` that lead (inside the root) to a directory, with that
    /// directory: a tree the connector would enter that the walk did not.
    public var directoryLinks: [DirectoryLink] = []
    /// The links among `symlinks` that lead nowhere inside the root (dangling, a loop, or a
    /// `..` out of it), with why: a part of the tree that cannot be checked.
    public var brokenLinks: [String: String] = [:]

    public init(requested: String, resolved: String?, directories: [DirectoryEntry], symlinks: [String]) {
        self.requested = requested
        self.resolved = resolved
        self.directories = directories
        self.symlinks = symlinks
    }
}

/// A symbolic link in a walked tree that leads to a directory: where it is, and that directory.
public struct DirectoryLink: Sendable, Equatable {
    public var path: String
    public var target: DirectoryEntry

    public init(path: String, target: DirectoryEntry) {
        self.path = path
        self.target = target
    }
}
