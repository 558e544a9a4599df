extension ChangeKind {
    public static let deleteGroup = ChangeKind("delete-group")
}

/// groupdel NAME. Only ever the undo of `createGroup`.
public struct DeleteGroupChange: HostChange {
    public static let kind = ChangeKind.deleteGroup
    public static let journalName = "deleteGroup"

    public var name: String

    public var target: String { "group \(name)" }
    public var beforeDescription: String { "present" }
    public var afterDescription: String { "absent" }
    public var summary: Message { .msg("delete group \(name)") }
}

extension Change {
    public static func deleteGroup(name: String) -> Change { Change(DeleteGroupChange(name: name)) }
}
