#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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

/// The scan service account ampfix creates: a system user with a group of its own name.
public struct ServiceAccount: Codable, Sendable, Equatable {
    public var name: String
    public var home: String
    public var shell: String
    public var comment: String

    public init(name: String, home: String, shell: String, comment: String) {
        self.name = name
        self.home = home
        self.shell = shell
        self.comment = comment
    }
}

/// A group named or numbered.
public enum GroupRef: Codable, Sendable, Equatable, CustomStringConvertible {
    case id(UInt32)
    case name(String)

    public var description: String {
        switch self {
        case .id(let gid): return "gid \(gid)"
        case .name(let name): return "group \(name)"
        }
    }
}

/// A file's whole content, or its absence, as recorded in the journal for byte-exact restores.
public struct FileContent: Codable, Sendable, Equatable {
    public var bytes: Data

    public init(_ bytes: [UInt8]) { self.bytes = Data(bytes) }
    public init(_ text: String) { self.bytes = Data(text.utf8) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

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
    /// userdel NAME, then groupdel NAME when `alsoGroup`. Only ever the undo of `createUser`.
    case deleteUser(name: String, alsoGroup: Bool)
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
    /// Run the distribution's package manager to install packages (apt-get, dnf, yum, zypper).
    case installPackages(tool: String, arguments: [String], packages: [String])
    /// Install, replace, remove, enable or disable a policy module at one priority, in one
    /// libsemanage transaction (one policy rebuild).
    case policyModule(store: String, name: String, before: PolicyModuleState, after: PolicyModuleState)

    /// The stable name of the kind of change, used in reports.
    public var kind: String {
        switch self {
        case .directoryAttributes: return "directory-attributes"
        case .createGroup: return "create-group"
        case .createUser: return "create-user"
        case .deleteUser: return "delete-user"
        case .deleteGroup: return "delete-group"
        case .setPrimaryGroup: return "set-primary-group"
        case .restartService: return "restart-service"
        case .replaceFile: return "replace-file"
        case .policyModule: return "policy-module"
        case .installPackages: return "install-packages"
        case .loadKernelModule: return "load-kernel-module"
        }
    }

    /// The object the change touches: a path inside the root, an account or a unit.
    public var target: String {
        switch self {
        case .directoryAttributes(let path, _, _), .replaceFile(let path, _, _): return path
        case .createGroup(let name, _), .deleteGroup(let name): return "group \(name)"
        case .createUser(let account, _): return "user \(account.name)"
        case .deleteUser(let name, _): return "user \(name)"
        case .setPrimaryGroup(let user, _, _): return "user \(user)"
        case .restartService(let unit): return "unit \(unit)"
        case .policyModule(let store, let name, _, _): return "module \(name) in store \(store)"
        case .installPackages(_, _, let packages): return "packages \(packages.joined(separator: " "))"
        case .loadKernelModule(let name, _): return "kernel module \(name)"
        }
    }

    public var beforeDescription: String {
        switch self {
        case .directoryAttributes(_, let before, _): return before.description
        case .createGroup, .createUser: return "absent"
        case .deleteUser, .deleteGroup: return "present"
        case .setPrimaryGroup(_, let before, _): return "primary \(before)"
        case .restartService: return "running or stopped"
        case .replaceFile(_, let before, _): return before.map { "\($0.bytes.count) bytes" } ?? "absent"
        case .policyModule(_, _, let before, _): return before.description
        case .installPackages: return "not installed"
        case .loadKernelModule: return "not loaded"
        }
    }

    public var afterDescription: String {
        switch self {
        case .directoryAttributes(_, _, let after): return after.description
        case .createGroup, .createUser: return "present"
        case .deleteUser, .deleteGroup: return "absent"
        case .setPrimaryGroup(_, _, let after): return "primary \(after)"
        case .restartService: return "restarted"
        case .replaceFile(_, _, let after): return after.map { "\($0.bytes.count) bytes" } ?? "absent"
        case .policyModule(_, _, _, let after): return after.description
        case .installPackages: return "installed"
        case .loadKernelModule: return "loaded"
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
        case .createGroup(let name, let gid):
            return "create system group \(name)" + (gid.map { " with gid \($0)" } ?? "") + " (groupadd -r)"
        case .createUser(let account, let ownGroup):
            let how = ownGroup
                ? "with its own group, through useradd -K USERGROUPS_ENAB=yes (login.defs is not edited)"
                : "in the existing group \(account.name) (useradd -g)"
            return "create system user \(account.name) \(how), home \(account.home), shell \(account.shell)"
        case .deleteUser(let name, let alsoGroup):
            return "delete user \(name)" + (alsoGroup ? " and its group" : "")
        case .deleteGroup(let name):
            return "delete group \(name)"
        case .setPrimaryGroup(let user, let before, let after):
            return "set the primary group of \(user): \(before) -> \(after) (usermod -g)"
        case .restartService(let unit):
            return "restart \(unit) (systemctl restart)"
        case .replaceFile(let path, let before, let after):
            return "replace \(path) (\(before.map { "\($0.bytes.count) bytes" } ?? "absent") -> \(after.map { "\($0.bytes.count) bytes" } ?? "absent"))"
        case .policyModule(let store, let name, let before, let after):
            let verb: String
            if before.content == nil { verb = "install" }
            else if after.content == nil { verb = "remove" }
            else if before.content != after.content { verb = "replace" }
            else { verb = after.enabled ? "enable" : "disable" }
            return "\(verb) SELinux module \(name) in store \(store) (\(before) -> \(after)) through libsemanage"
        case .installPackages(let tool, let arguments, _):
            return "run \(([tool] + arguments).joined(separator: " "))"
        case .loadKernelModule(let name, let kernel):
            return "load kernel module \(name) and its dependencies for \(kernel) (libkmod, as modprobe \(name))"
        }
    }

    /// The change that puts the before state back, or nil when the change cannot be undone.
    public var inverse: Change? {
        switch self {
        case .directoryAttributes(let path, let before, let after):
            return .directoryAttributes(path: path, before: after, after: before)
        case .createGroup(let name, _): return .deleteGroup(name: name)
        case .createUser(let account, let ownGroup): return .deleteUser(name: account.name, alsoGroup: ownGroup)
        case .setPrimaryGroup(let user, let before, let after): return .setPrimaryGroup(user: user, before: after, after: before)
        case .replaceFile(let path, let before, let after): return .replaceFile(path: path, before: after, after: before)
        case .policyModule(let store, let name, let before, let after): return .policyModule(store: store, name: name, before: after, after: before)
        // A module the connector uses is not unloaded by undo: that would stop its monitoring.
        case .deleteUser, .deleteGroup, .restartService, .installPackages, .loadKernelModule: return nil
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
