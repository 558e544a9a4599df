/// One change to the host, with the state before it so that it can be checked, journaled and
/// undone. New kinds of change are new cases; the executor and journal need no other change.
public enum Change: Codable, Sendable, Equatable {
    /// Set a directory's mode and owner. Applied through a descriptor opened without following
    /// symbolic links.
    case directoryAttributes(path: String, before: DirectoryAttributes, after: DirectoryAttributes)
    /// groupadd -r [-g GID] NAME
    case createGroup(name: String, gid: UInt32?)
    /// useradd -r -M: with `ownGroup`, also the user's own group through the in-memory override
    /// `-K USERGROUPS_ENAB=yes` (login.defs is not edited); otherwise into the existing group of
    /// the account's name (`-g`).
    case createUser(ServiceAccount, ownGroup: Bool)
    /// userdel NAME, then groupdel NAME when `alsoGroup`. Only ever the undo of `createUser`:
    /// it carries the account as the run created it — `made`, the account's lines in passwd,
    /// shadow, group and gshadow just after useradd (nil in journals older than that record) —
    /// so that an account changed since in any field, or whose group gained members or became
    /// another user's primary group, is left alone.
    case deleteUser(ServiceAccount, alsoGroup: Bool, made: [String]? = nil)
    /// groupdel NAME. Only ever the undo of `createGroup`.
    case deleteGroup(name: String)
    /// usermod -g GROUP USER
    case setPrimaryGroup(user: String, before: GroupRef, after: GroupRef)
    /// systemctl restart UNIT (on a live systemd host only).
    case restartService(unit: String)
    /// Replace a file's content atomically (mode, owner and label kept); nil content means absent.
    case replaceFile(path: String, before: FileContent?, after: FileContent?)
    /// Load a kernel module and its dependencies through libkmod, as modprobe does.
    case loadKernelModule(name: String, kernel: String)
    /// Replace the loaded build of a module (srcversion `loaded`) with the one in the kernel's
    /// index (srcversion `file`): unload, load through libkmod, verify. When the new build fails
    /// to load, `fallback` (ampfix's kept copy of the loaded build) is loaded back.
    case reloadKernelModule(name: String, kernel: String, loaded: String, file: String, fallback: String)
    /// Run the distribution's package manager to install packages (apt-get, dnf, yum, zypper).
    case installPackages(tool: String, arguments: [String], packages: [String])
    /// Install, replace, remove, enable or disable a policy module at one priority, in one
    /// libsemanage transaction (one policy rebuild).
    case policyModule(store: String, name: String, before: PolicyModuleState, after: PolicyModuleState)
    /// Move a file to another path inside the root by rename(2): never a copy, so a 100+ MB
    /// definitions file costs one directory entry and the journal holds its paths and identity
    /// only. Missing parent directories of `to` are created (mode 0700). A move that would cross
    /// file systems is refused.
    case moveFile(from: String, to: String, file: FileIdentity)

    /// The kind of change: what routes it to its adapter, and its name in reports.
    public var kind: ChangeKind {
        switch self {
        case .directoryAttributes: return .directoryAttributes
        case .createGroup: return .createGroup
        case .createUser: return .createUser
        case .deleteUser: return .deleteUser
        case .deleteGroup: return .deleteGroup
        case .setPrimaryGroup: return .setPrimaryGroup
        case .restartService: return .restartService
        case .replaceFile: return .replaceFile
        case .policyModule: return .policyModule
        case .installPackages: return .installPackages
        case .loadKernelModule: return .loadKernelModule
        case .reloadKernelModule: return .reloadKernelModule
        case .moveFile: return .moveFile
        }
    }

    /// The object the change touches: a path inside the root, an account or a unit.
    public var target: String { text.target }
    public var beforeDescription: String { text.before }
    public var afterDescription: String { text.after }
    /// One line saying what changes, where, and from what.
    public var summary: String { text.summary }

    /// How reports name the change; one place per kind.
    private var text: (target: String, before: String, after: String, summary: String) {
        switch self {
        case .directoryAttributes(let path, let before, let after):
            var parts: [String] = []
            if before.mode != after.mode { parts.append("mode \(before.octalMode) -> \(after.octalMode)") }
            if before.uid != after.uid { parts.append("owner uid \(before.uid) -> \(after.uid)") }
            if before.gid != after.gid { parts.append("group gid \(before.gid) -> \(after.gid)") }
            return (path, before.description, after.description,
                    "set \(path): " + (parts.isEmpty ? "no difference" : parts.joined(separator: ", ")))
        case .createGroup(let name, let gid):
            return ("group \(name)", "absent", "present",
                    "create system group \(name)" + (gid.map { " with gid \($0)" } ?? "") + " (groupadd -r)")
        case .createUser(let account, let ownGroup):
            let how = ownGroup
                ? "with its own group, through useradd -K USERGROUPS_ENAB=yes (login.defs is not edited)"
                : "in the existing group \(account.name) (useradd -g)"
            return ("user \(account.name)", "absent", "present",
                    "create system user \(account.name) \(how), home \(account.home), shell \(account.shell)")
        case .deleteUser(let account, let alsoGroup, _):
            return ("user \(account.name)", "present", "absent", "delete user \(account.name)" + (alsoGroup ? " and its group" : ""))
        case .deleteGroup(let name):
            return ("group \(name)", "present", "absent", "delete group \(name)")
        case .setPrimaryGroup(let user, let before, let after):
            return ("user \(user)", "primary \(before)", "primary \(after)",
                    "set the primary group of \(user): \(before) -> \(after) (usermod -g)")
        case .restartService(let unit):
            return ("unit \(unit)", "running or stopped", "restarted", "restart \(unit) (systemctl restart)")
        case .replaceFile(let path, let before, let after):
            let (was, will) = (before.map { "\($0.bytes.count) bytes" } ?? "absent", after.map { "\($0.bytes.count) bytes" } ?? "absent")
            return (path, was, will, "replace \(path) (\(was) -> \(will))")
        case .policyModule(let store, let name, let before, let after):
            let verb: String
            if before.content == nil { verb = "install" }
            else if after.content == nil { verb = "remove" }
            else if before.content != after.content { verb = "replace" }
            else { verb = after.enabled ? "enable" : "disable" }
            return ("module \(name) in store \(store)", before.description, after.description,
                    "\(verb) SELinux module \(name) in store \(store) (\(before) -> \(after)) through libsemanage")
        case .installPackages(let tool, let arguments, let packages):
            return ("packages \(packages.joined(separator: " "))", "not installed", "installed",
                    "run \(([tool] + arguments).joined(separator: " "))")
        case .loadKernelModule(let name, let kernel):
            return ("kernel module \(name)", "not loaded", "loaded",
                    "load kernel module \(name) and its dependencies for \(kernel) (libkmod, as modprobe \(name))")
        case .reloadKernelModule(let name, let kernel, let loaded, let file, let fallback):
            return ("kernel module \(name)", "build \(loaded) loaded", "build \(file) loaded",
                    "reload kernel module \(name) for \(kernel): unload the loaded build (srcversion \(loaded)), load the file's (srcversion \(file)) through libkmod; if it fails, load \(fallback) back")
        case .moveFile(let from, let to, let file):
            return (from, "at \(from)", "at \(to)", "move \(from) (\(file.size) bytes) to \(to) (rename, not a copy)")
        }
    }

    /// The inverse, knowing what the change made (the adapter's `record(of:)`, journaled with
    /// the change's done record): an account is deleted only as it was made.
    public func inverse(made: [String]?) -> Change? {
        if case .createUser(let account, let ownGroup) = self { return .deleteUser(account, alsoGroup: ownGroup, made: made) }
        return inverse
    }

    /// The change that puts the before state back, or nil when the change cannot be undone.
    public var inverse: Change? {
        switch self {
        case .directoryAttributes(let path, let before, let after):
            return .directoryAttributes(path: path, before: after, after: before)
        case .createGroup(let name, _): return .deleteGroup(name: name)
        case .createUser(let account, let ownGroup): return .deleteUser(account, alsoGroup: ownGroup)
        case .setPrimaryGroup(let user, let before, let after): return .setPrimaryGroup(user: user, before: after, after: before)
        case .replaceFile(let path, let before, let after): return .replaceFile(path: path, before: after, after: before)
        case .policyModule(let store, let name, let before, let after): return .policyModule(store: store, name: name, before: after, after: before)
        case .moveFile(let from, let to, let file): return .moveFile(from: to, to: from, file: file)
        // A module the connector uses is not unloaded by undo: that would stop its monitoring;
        // nor is an upgraded build replaced by the stale one again.
        case .deleteUser, .deleteGroup, .restartService, .installPackages, .loadKernelModule, .reloadKernelModule: return nil
        }
    }
}

/// The kinds of change, by their stable names in reports and journals. Each kind is applied by
/// exactly one adapter, which lists it in its `kinds`.
public enum ChangeKind: String, Codable, Sendable, CaseIterable {
    case directoryAttributes = "directory-attributes"
    case createGroup = "create-group"
    case createUser = "create-user"
    case deleteUser = "delete-user"
    case deleteGroup = "delete-group"
    case setPrimaryGroup = "set-primary-group"
    case restartService = "restart-service"
    case replaceFile = "replace-file"
    case policyModule = "policy-module"
    case installPackages = "install-packages"
    case loadKernelModule = "load-kernel-module"
    case reloadKernelModule = "reload-kernel-module"
    case moveFile = "move-file"
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
