import AmpfixCore
import Glibc
import SystemPackage

/// Applies changes to the host under the root. Directories are changed through a descriptor
/// opened with O_NOFOLLOW along a path that may contain no symbolic link at all; accounts through
/// the system's own groupadd/useradd/usermod/userdel (with `--root` when the root is not /),
/// which keep their own locks, backups and nscd handling; files by atomic replace.
public struct HostChanges: ChangeApplier {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    public let kinds: Set<ChangeKind> = [
        .directoryAttributes, .createGroup, .createUser, .deleteUser, .deleteGroup, .setPrimaryGroup,
        .restartService, .installPackages, .replaceFile,
    ]

    public func state(of change: Change) throws -> ChangeState {
        switch change.value {
        case let change as DirectoryAttributesChange:
            let (path, before, after) = (change.path, change.before, change.after)
            let (fd, _) = try openDirectory(path)
            defer { try? fd.close() }
            let now = try attributes(fd, path)
            if now == after { return .after }
            if now == before { return .before }
            return .other(now.description)
        case let change as CreateGroupChange:
            let name = change.name
            return try accounts().group(name) != nil ? .after : .before
        case let change as DeleteGroupChange:
            let name = change.name
            guard let group = try accounts().group(name) else { return .after }
            if let members = Optional(group.members.filter { !$0.isEmpty }), !members.isEmpty {
                return .other("group \(name) has members since the run: \(members.joined(separator: ", "))")
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
            guard let account = db.user(user) else { return .other("user \(user) does not exist") }
            if gid(after, in: db) == account.gid { return .after }
            if gid(before, in: db) == account.gid { return .before }
            return .other("primary gid \(account.gid)")
        case is RestartServiceChange, is InstallPackagesChange:
            // A restart leaves nothing to compare; an install is checked by the fault's new diagnosis.
            return .before
        case let change as ReplaceFileChange:
            let (path, before, after) = (change.path, change.before, change.after)
            let now = try fs.readFile(path).map(FileContent.init)
            if now == after { return .after }
            if now == before { return .before }
            return .other("\(now?.bytes.count ?? 0) bytes of different content")
        default:
            throw SystemError("inspect", change.target, reason: "handled by another adapter")
        }
    }

    public func precondition(of change: Change) -> String? {
        switch change.value {
        case let change as DirectoryAttributesChange:
            let (path, before, after) = (change.path, change.before, change.after)
            do {
                let (fd, _) = try openDirectory(path)
                defer { try? fd.close() }
                let now = try attributes(fd, path)
                if now != before && now != after {
                    return "\(path) is now \(now), not \(before) as planned"
                }
                if try fd.isOnReadOnlyFileSystem() {
                    return "\(fs.hostPath(path)) is on a read-only file system"
                }
                let euid = geteuid()
                if euid != 0 && (before.uid != after.uid || now.uid != euid) {
                    return "changing \(fs.hostPath(path)) needs root (running as uid \(euid))"
                }
                return nil
            } catch {
                return "\(error)"
            }
        case is CreateGroupChange, is DeleteGroupChange:
            return toolProblem("groupadd") ?? writableProblem("/etc")
        case is CreateUserChange, is DeleteUserChange:
            return toolProblem("useradd") ?? writableProblem("/etc")
        case is SetPrimaryGroupChange:
            return toolProblem("usermod") ?? writableProblem("/etc")
        case is RestartServiceChange:
            return fs.root == "/" ? toolProblem("systemctl") : "services are not managed under --root"
        case let change as InstallPackagesChange:
            let tool = change.tool
            return HostFiles(fs: fs).packageInstallBlocker() ?? toolProblem(tool)
        case let change as ReplaceFileChange:
            let path = change.path
            return writableProblem(RootedFileSystem.parent(of: path))
        default:
            return "handled by another adapter"
        }
    }

    public func apply(_ change: Change) throws {
        switch change.value {
        case let change as DirectoryAttributesChange:
            let (path, before, after) = (change.path, change.before, change.after)
            let (fd, physical) = try openDirectory(path)
            defer { try? fd.close() }
            let display = fs.hostPath(physical)
            if before.uid != after.uid || before.gid != after.gid {
                do { try fd.changeOwner(uid: after.uid, gid: after.gid) } catch {
                    throw SystemError("change owner of", display, error)
                }
            }
            // After fchown: changing the owner clears setuid/setgid bits, so the mode goes last.
            do { try fd.changeMode(after.mode) } catch {
                throw SystemError("change mode of", display, error)
            }
        case let change as CreateGroupChange:
            let (name, gid) = (change.name, change.gid)
            try Programs.check("groupadd", rootArguments + ["-r"] + (gid.map { ["-g", String($0)] } ?? []) + [name])
        case let change as CreateUserChange:
            let (account, ownGroup) = (change.account, change.ownGroup)
            let group = ownGroup ? ["-K", "USERGROUPS_ENAB=yes"] : ["-g", account.name]
            try Programs.check("useradd", rootArguments + ["-r", "-M", "-d", account.home, "-s", account.shell, "-c", account.comment] + group + [account.name])
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
                    try Programs.check("usermod", rootArguments + ["-g", String(parking.gid), name])
                }
            }
            // An undo a crash interrupted between userdel and groupdel resumes with the group.
            if try accounts().user(name) != nil {
                try Programs.check("userdel", rootArguments + [name])
            }
            // userdel removes the user's group only when USERGROUPS_ENAB is yes; do not depend on it.
            if alsoGroup, try accounts().group(name) != nil {
                try Programs.check("groupdel", rootArguments + [name])
            }
        case let change as DeleteGroupChange:
            let name = change.name
            // A group the run made for a user that had lost its own (useradd left the user's
            // gid, groupdel removed the group): the start had the user with a gid that names
            // no group, and groupdel refuses a primary group without --force.
            let db = try accounts()
            let primary = db.group(name).map { group in db.users.contains { $0.gid == group.gid } } ?? false
            try Programs.check("groupdel", rootArguments + (primary ? ["--force"] : []) + [name])
        case let change as SetPrimaryGroupChange:
            let (user, after) = (change.user, change.after)
            let group: String
            switch after {
            case .id(let gid): group = String(gid)
            case .name(let name): group = name
            }
            try Programs.check("usermod", rootArguments + ["-g", group, user])
        case let change as InstallPackagesChange:
            let (tool, arguments) = (change.tool, change.arguments)
            if let blocker = HostFiles(fs: fs).packageInstallBlocker() {
                throw SystemError("run", tool, reason: blocker)
            }
            // Downloads take their time; half an hour still ends a hung package manager.
            try Programs.check(tool, arguments, deadline: .seconds(1800))
        case let change as RestartServiceChange:
            let unit = change.unit
            guard fs.root == "/" else { throw SystemError("restart", unit, reason: "services are not managed under --root \(fs.root)") }
            try Programs.check("systemctl", ["restart", unit])
        case let change as ReplaceFileChange:
            let (path, after) = (change.path, change.after)
            if let after {
                try fs.replaceFile(path, contents: Array(after.bytes))
            } else {
                try fs.removeFile(path)
            }
        default:
            throw SystemError("apply", change.target, reason: "handled by another adapter")
        }
    }

    /// Where the account createUser makes stands: before (absent), after (present), or half made.
    private func accountState(_ name: String, ownGroup: Bool) throws -> ChangeState {
        let db = try accounts()
        switch (db.user(name) != nil, db.group(name) != nil) {
        case (true, true): return .after
        case (true, false): return ownGroup ? .other("user \(name) exists without its group") : .after
        case (false, true): return ownGroup ? .other("group \(name) exists without the user") : .before
        case (false, false): return ownGroup ? .before : .other("group \(name) is missing")
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
            return .other("group \(name) has members since the run: \(members.joined(separator: ", "))")
        }
        if let group, let other = db.users.first(where: { $0.gid == group.gid && $0.name != name }) {
            return .other("group \(name) is the primary group of user \(other.name) since the run")
        }
        if let made {
            let now = try accountLines(name)
            // Entries gone are the way back (an undo cut short between userdel and groupdel);
            // a field changed or an entry added is someone else's change.
            let changed = AccountLines.differences(made: made, now: now).filter { !$0.hasSuffix(" entry removed") }
            if !changed.isEmpty {
                return .other("user \(name) changed since the run: \(changed.joined(separator: ", "))")
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
            return .other("user \(name) changed since the run: \(changed.joined(separator: ", "))")
        }
        if alsoGroup && group == nil { return .other("group \(name) is gone but user \(name) is not") }
        return .before
    }

    private var rootArguments: [String] { fs.root == "/" ? [] : ["--root", fs.root] }

    /// The account's lines as useradd made them, for the journal (its undo compares them).
    public func record(of change: Change) -> [String]? {
        guard let created = change.as(CreateUserChange.self) else { return nil }
        return try? accountLines(created.account.name)
    }

    private func accountLines(_ name: String) throws -> [String] {
        var texts: [String: String?] = [:]
        for file in AccountLines.files {
            texts[file.name] = try fs.readFile(file.path, limit: HostFiles.readLimit).map { String(decoding: $0, as: UTF8.self) }
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

    private func toolProblem(_ tool: String) -> String? {
        if Programs.locate(tool) == nil { return "\(tool) is not installed (looked in \(Programs.searchPath.joined(separator: ":")))" }
        if geteuid() != 0 { return "\(tool) needs root (running as uid \(geteuid()))" }
        return nil
    }

    private func writableProblem(_ directory: String) -> String? {
        do {
            let (fd, _) = try fs.open(directory, flags: O_RDONLY | O_DIRECTORY)
            defer { try? fd.close() }
            return try fd.isOnReadOnlyFileSystem() ? "\(fs.hostPath(directory)) is on a read-only file system" : nil
        } catch {
            return "\(error)"
        }
    }

    private func openDirectory(_ path: String) throws -> (FileDescriptor, String) {
        try fs.open(path, flags: O_RDONLY | O_DIRECTORY, follow: .never)
    }

    private func attributes(_ fd: FileDescriptor, _ path: String) throws -> DirectoryAttributes {
        do { return DirectoryAttributes(try fd.stat()) } catch {
            throw SystemError("stat", fs.hostPath(path), error)
        }
    }
}
