extension ChangeKind {
    public static let deleteUser = ChangeKind("delete-user")
}

/// userdel NAME, then groupdel NAME when `alsoGroup`. Only ever the undo of `createUser`:
/// it carries the account as the run created it — `made`, the account's lines in passwd,
/// shadow, group and gshadow just after useradd (nil in journals older than that record) —
/// so that an account changed since in any field, or whose group gained members or became
/// another user's primary group, is left alone.
public struct DeleteUserChange: HostChange {
    public static let kind = ChangeKind.deleteUser
    public static let journalName = "deleteUser"

    public var account: ServiceAccount
    public var alsoGroup: Bool
    public var made: [String]?

    /// The names journals have always used (an unlabelled first value is `_0`).
    enum CodingKeys: String, CodingKey {
        case account = "_0"
        case alsoGroup
        case made
    }

    public var target: String { "user \(account.name)" }
    public var beforeDescription: String { "present" }
    public var afterDescription: String { "absent" }
    public var summary: Message { alsoGroup ? .msg("delete user \(account.name) and its group") : .msg("delete user \(account.name)") }
}

extension Change {
    public static func deleteUser(_ account: ServiceAccount, alsoGroup: Bool, made: [String]? = nil) -> Change { Change(DeleteUserChange(account: account,
            alsoGroup: alsoGroup, made: made)) }
}
