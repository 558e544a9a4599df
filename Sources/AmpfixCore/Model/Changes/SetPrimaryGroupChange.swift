extension ChangeKind {
    public static let setPrimaryGroup = ChangeKind("set-primary-group")
}

/// usermod -g GROUP USER
public struct SetPrimaryGroupChange: HostChange {
    public static let kind = ChangeKind.setPrimaryGroup
    public static let journalName = "setPrimaryGroup"

    public var user: String
    public var before: GroupRef
    public var after: GroupRef

    public var target: String { "user \(user)" }
    public var beforeDescription: String { "primary \(before)" }
    public var afterDescription: String { "primary \(after)" }
    public var summary: Message { .msg("set the primary group of \(user): \(before) -> \(after) (usermod -g)") }

    public func inverse(made: [String]?) -> Change? { .setPrimaryGroup(user: user, before: after, after: before) }
}

extension Change {
    public static func setPrimaryGroup(user: String, before: GroupRef, after: GroupRef) -> Change { Change(SetPrimaryGroupChange(user: user, before: before,
            after: after)) }
}
