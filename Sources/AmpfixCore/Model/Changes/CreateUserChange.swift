extension ChangeKind {
    public static let createUser = ChangeKind("create-user")
}

/// useradd -r -M: with `ownGroup`, also the user's own group through the in-memory override
/// `-K USERGROUPS_ENAB=yes` (login.defs is not edited); otherwise into the existing group of
/// the account's name (`-g`).
public struct CreateUserChange: HostChange {
    public static let kind = ChangeKind.createUser
    public static let journalName = "createUser"

    public var account: ServiceAccount
    public var ownGroup: Bool

    /// The names journals have always used (an unlabelled first value is `_0`).
    enum CodingKeys: String, CodingKey {
        case account = "_0"
        case ownGroup
    }

    public var target: String { "user \(account.name)" }
    public var beforeDescription: String { "absent" }
    public var afterDescription: String { "present" }
    public var summary: Message {
        ownGroup
            ? .msg("create system user \(account.name) with its own group, through useradd -K USERGROUPS_ENAB=yes (login.defs is not edited), home \(account.home), shell \(account.shell)")
            : .msg("create system user \(account.name) in the existing group \(account.name) (useradd -g), home \(account.home), shell \(account.shell)")
    }

    /// Deleted by undo only as it was made (`made`: its lines just after useradd).
    public func inverse(made: [String]?) -> Change? { .deleteUser(account, alsoGroup: ownGroup, made: made) }
}

extension Change {
    public static func createUser(_ account: ServiceAccount, ownGroup: Bool) -> Change { Change(CreateUserChange(account: account, ownGroup: ownGroup)) }
}
