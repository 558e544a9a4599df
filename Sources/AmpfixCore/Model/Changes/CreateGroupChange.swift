extension ChangeKind {
    public static let createGroup = ChangeKind("create-group")
}

/// groupadd -r [-g GID] NAME
public struct CreateGroupChange: HostChange {
    public static let kind = ChangeKind.createGroup
    public static let journalName = "createGroup"

    public var name: String
    public var gid: UInt32?

    public var target: String { "group \(name)" }
    public var beforeDescription: String { "absent" }
    public var afterDescription: String { "present" }
    public var summary: Message {
        gid.map { .msg("create system group \(name) with gid \($0) (groupadd -r)") } ?? .msg("create system group \(name) (groupadd -r)")
    }

    public func inverse(made: [String]?) -> Change? { .deleteGroup(name: name) }
}

extension Change {
    public static func createGroup(name: String, gid: UInt32?) -> Change { Change(CreateGroupChange(name: name, gid: gid)) }
}
