import AmpfixCore
import Glibc
import SystemPackage

/// Applies account changes through the system's own groupadd/useradd/usermod/userdel (with
/// `--root` when the root is not /), which keep their own locks, backups and nscd handling.
public struct AccountChanges: ChangeApplier {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    public let kinds: Set<ChangeKind> = [.createGroup, .createUser, .deleteUser, .deleteGroup, .setPrimaryGroup]

    public func state(of change: Change) throws -> ChangeState {
        switch change.value {
        case let change as CreateGroupChange:
            let name = change.name
            return try accounts().group(name) != nil ? .after : .before
        case let change as DeleteGroupChange:
            let name = change.name
            guard let group = try accounts().group(name) else { return .after }
            if let members = Optional(group.members.filter { !$0.isEmpty }), !members.isEmpty {
                return .other(.msg("group \(name) has members: \(members.joined(separator: ", "))"))
            }
            return .before
        case let change as CreateUserChange:
            let (account, ownGroup) = (change.account, change.ownGroup)
            return try accountState(account.name, ownGroup: ownGroup)
        case let change as DeleteUserChange:
            let (account, alsoGroup, made) = (change.account, change.alsoGroup, change.made)
            return try deletionState(account, alsoGroup: alsoGroup, made: made)
        case let change as SetPrimaryGroupChange:
            let (user, before, after) = (change.user, change.before, change.after)
            let db = try accounts()
            guard let account = db.user(user) else { return .other(.msg("user \(user) does not exist")) }
            if gid(after, in: db) == account.gid { return .after }
            if gid(before, in: db) == account.gid { return .before }
            return .other(.msg("primary gid \(account.gid)"))
        default:
            throw HostError(.msg("inspect"), change.target, .wrongAdapter(applies: "accounts"))
        }
    }

    public func precondition(of change: Change) -> Message? {
        switch change.value {
        case is CreateGroupChange, is DeleteGroupChange:
            return fs.toolProblem("groupadd") ?? fs.writableProblem("/etc") ?? fs.shadowFilesProblem(for: "groupadd")
        case is CreateUserChange, is DeleteUserChange:
            return fs.toolProblem("useradd") ?? fs.writableProblem("/etc") ?? fs.shadowFilesProblem(for: "useradd")
        case is SetPrimaryGroupChange:
            return fs.toolProblem("usermod") ?? fs.writableProblem("/etc") ?? fs.shadowFilesProblem(for: "usermod")
        default:
            return .msg("not an account change")
        }
    }

    public func apply(_ change: Change) throws {
        switch change.value {
        case let change as CreateGroupChange:
            let (name, gid) = (change.name, change.gid)
            try fs.runShadowTool("groupadd", ["-r"] + (gid.map { ["-g", String($0)] } ?? []) + [name])
        case let change as CreateUserChange:
            let (account, ownGroup) = (change.account, change.ownGroup)
            let group = ownGroup ? ["-K", "USERGROUPS_ENAB=yes"] : ["-g", account.name]
            try fs.runShadowTool("useradd", ["-r", "-M", "-d", account.home, "-s", account.shell, "-c", account.comment] + group + [account.name])
        case let change as DeleteUserChange:
            let (account, alsoGroup) = (change.account, change.alsoGroup)
            let name = account.name
            if !alsoGroup {
                // userdel also deletes a group named like the user when it is the user's primary
                // group and USERGROUPS_ENAB is yes — but this group was there before the run. Move
                // the user to another group first so that userdel leaves it alone.
                let db = try accounts()
                if let user = db.user(name), let group = db.group(name), user.gid == group.gid,
                   let parking = ["nogroup", "users"].compactMap(db.group).first ?? db.groups.first(where: { $0.name != name }) {
                    try fs.runShadowTool("usermod", ["-g", String(parking.gid), name])
                }
            }
            // An undo a crash interrupted between userdel and groupdel resumes with the group.
            if try accounts().user(name) != nil {
                try fs.runShadowTool("userdel", [name])
            }
            // userdel removes the user's group only when USERGROUPS_ENAB is yes; do not depend on it.
            if alsoGroup, try accounts().group(name) != nil {
                try fs.runShadowTool("groupdel", [name])
            }
        case let change as DeleteGroupChange:
            let name = change.name
            // A group the run made for a user that had lost its own (useradd left the user's
            // gid, groupdel removed the group): the start had the user with a gid that names
            // no group, and groupdel refuses a primary group without --force.
            let db = try accounts()
            let primary = db.group(name).map { group in db.users.contains { $0.gid == group.gid } } ?? false
            try fs.runShadowTool("groupdel", (primary ? ["--force"] : []) + [name])
        case let change as SetPrimaryGroupChange:
            let (user, after) = (change.user, change.after)
            let group: String
            switch after {
            case .id(let gid): group = String(gid)
            case .name(let name): group = name
            }
            try fs.runShadowTool("usermod", ["-g", group, user])
        default:
            throw HostError(.msg("apply"), change.target, .wrongAdapter(applies: "accounts"))
        }
    }

    /// The account's lines as useradd made them, for the journal (its undo compares them).
    public func record(of change: Change) -> [String]? {
        guard let created = change.as(CreateUserChange.self) else { return nil }
        return try? accountLines(created.account.name)
    }

    /// Where the account createUser makes stands: before (absent), after (present), or half made.
    private func accountState(_ name: String, ownGroup: Bool) throws -> ChangeState {
        let db = try accounts()
        switch (db.user(name) != nil, db.group(name) != nil) {
        case (true, true): return .after
        case (true, false): return ownGroup ? .other(.msg("user \(name) exists without its group")) : .after
        case (false, true): return ownGroup ? .other(.msg("group \(name) exists without the user")) : .before
        case (false, false): return ownGroup ? .before : .other(.msg("group \(name) is missing"))
        }
    }

    /// Where the undo of createUser stands. Before: the account is as the run created it. After:
    /// gone. Anything the account gained since the run (any field of its passwd, shadow, group
    /// or gshadow lines; members in its group; its group as another user's primary group) is
    /// someone else's change, and undo leaves the account alone — both user and group, checked
    /// before either is removed.
    private func deletionState(_ account: ServiceAccount, alsoGroup: Bool, made: [String]?) throws -> ChangeState {
        let db = try accounts()
        let name = account.name
        let group = alsoGroup ? db.group(name) : nil
        if let members = group?.members.filter({ !$0.isEmpty }), !members.isEmpty {
            return .other(.msg("group \(name) has members: \(members.joined(separator: ", "))"))
        }
        if let group, let other = db.users.first(where: { $0.gid == group.gid && $0.name != name }) {
            return .other(.msg("group \(name) is the primary group of user \(other.name)"))
        }
        if let made {
            let now = try accountLines(name)
            // Entries gone are the way back (an undo cut short between userdel and groupdel);
            // a field changed or an entry added is someone else's change.
            let changed = AccountLines.differences(made: made, now: now).filter { !$0.hasSuffix(" entry removed") }
            if !changed.isEmpty {
                return .other(.msg("\(changed.joined(separator: ", "))"))
            }
            // As the run left it, whole or half made (a useradd that failed part way), or part undone.
            return now.isEmpty ? .after : .before
        }
        guard let user = db.user(name) else {
            // The user gone and the group left is an undo cut short between userdel and groupdel.
            return group == nil ? .after : .before
        }
        var changed: [String] = []
        if user.shell != account.shell { changed.append("shell \(user.shell)") }
        if user.home != account.home { changed.append("home \(user.home)") }
        if !changed.isEmpty {
            return .other(.msg("\(changed.joined(separator: ", "))"))
        }
        if alsoGroup && group == nil { return .other(.msg("group \(name) is gone but user \(name) is not")) }
        return .before
    }

    private func accountLines(_ name: String) throws -> [String] {
        var texts: [String: String?] = [:]
        for file in AccountLines.files {
            texts[file.name] = try fs.readFile(file.path).map { String(decoding: $0, as: UTF8.self) }
        }
        return AccountLines.of(name, in: texts)
    }

    private func accounts() throws -> AccountDatabase {
        func text(_ path: String) throws -> String? { try fs.readFile(path).map { String(decoding: $0, as: UTF8.self) } }
        return AccountDatabase(passwd: try text(AccountDatabase.passwdPath), group: try text(AccountDatabase.groupPath), shadow: nil)
    }

    private func gid(_ ref: GroupRef, in db: AccountDatabase) -> UInt32? {
        switch ref {
        case .id(let gid): return gid
        case .name(let name): return db.group(name)?.gid
        }
    }
}
