/// Mode and ownership of a directory. `mode` holds the permission bits only (07777).
public struct DirectoryAttributes: Codable, Sendable, Equatable, CustomStringConvertible {
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32

    public init(mode: UInt32, uid: UInt32, gid: UInt32) {
        self.mode = mode & 0o7777
        self.uid = uid
        self.gid = gid
    }

    public var octalMode: String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    public var description: String { "mode \(octalMode) owner \(uid):\(gid)" }
}

/// One change to the host, with the state before it so that it can be checked, journaled and
/// undone. New kinds of change are new cases; the executor and journal need no other change.
public enum Change: Codable, Sendable, Equatable {
    /// Set a directory's mode and owner. Applied through a descriptor opened without following
    /// symbolic links.
    case directoryAttributes(path: String, before: DirectoryAttributes, after: DirectoryAttributes)

    /// The stable name of the kind of change, used in reports.
    public var kind: String {
        switch self {
        case .directoryAttributes: return "directory-attributes"
        }
    }

    /// The object the change touches, as a path inside the root.
    public var target: String {
        switch self {
        case .directoryAttributes(let path, _, _): return path
        }
    }

    public var beforeDescription: String {
        switch self {
        case .directoryAttributes(_, let before, _): return before.description
        }
    }

    public var afterDescription: String {
        switch self {
        case .directoryAttributes(_, _, let after): return after.description
        }
    }

    /// One line saying what changes, where, and from what.
    public var summary: String {
        switch self {
        case .directoryAttributes(let path, let before, let after):
            var parts: [String] = []
            if before.mode != after.mode { parts.append("mode \(before.octalMode) -> \(after.octalMode)") }
            if before.uid != after.uid { parts.append("owner uid \(before.uid) -> \(after.uid)") }
            if before.gid != after.gid { parts.append("group gid \(before.gid) -> \(after.gid)") }
            return "set \(path): " + (parts.isEmpty ? "no difference" : parts.joined(separator: ", "))
        }
    }

    /// The change that puts the before state back, or nil when the change cannot be undone.
    public var inverse: Change? {
        switch self {
        case .directoryAttributes(let path, let before, let after):
            return .directoryAttributes(path: path, before: after, after: before)
        }
    }
}

/// A planned change, attributed to the fault it repairs.
public struct Action: Codable, Sendable, Equatable {
    public var fault: FaultID
    public var change: Change

    public init(fault: FaultID, change: Change) {
        self.fault = fault
        self.change = change
    }
}

/// Where a change stands on the host right now, compared with its before and after states.
public enum ChangeState: Sendable, Equatable {
    case before
    case after
    /// Neither: something else changed the object. The text says what is there now.
    case other(String)
}
