extension ChangeKind {
    public static let dkmsInstall = ChangeKind("dkms-install")
}

/// Build a module from its source with DKMS and install it for one kernel (in
/// /lib/modules/KERNEL/updates/dkms, where modprobe finds it): the source is first copied to
/// /usr/src/MODULE-VERSION when it is elsewhere (with a dkms.conf ampfix writes when it has
/// none), then `dkms add`, `dkms build`, `dkms install`. One change, because its parts are
/// one outcome: a build that fails leaves no DKMS entry and no copy behind.
public struct DKMSInstallChange: HostChange {
    public static let kind = ChangeKind.dkmsInstall
    public static let journalName = "dkmsInstall"

    public var module: String
    public var version: String
    public var kernel: String
    /// The directory copied to /usr/src/MODULE-VERSION first, or nil when the source is there.
    public var copyFrom: String?
    /// Whether ampfix writes the dkms.conf (the source has none).
    public var writesConf: Bool
    /// Whether the version is added to DKMS here (it was not registered when planned).
    public var adds: Bool

    public init(module: String, version: String, kernel: String, copyFrom: String?, writesConf: Bool, adds: Bool) {
        (self.module, self.version, self.kernel, self.copyFrom, self.writesConf, self.adds) = (module, version, kernel, copyFrom, writesConf, adds)
    }

    public var source: String { "/usr/src/\(module)-\(version)" }
    public var target: String { "DKMS module \(module)/\(version)" }
    public var beforeDescription: String { "not installed for \(kernel)" }
    public var afterDescription: String { "built and installed for \(kernel)" }

    /// The commands, in order, as the report shows them.
    public var steps: [Message] {
        var steps: [Message] = []
        if let copyFrom {
            steps.append(writesConf ? .msg("copy \(copyFrom) to \(source) with a dkms.conf written by ampfix") : .msg("copy \(copyFrom) to \(source)"))
        } else if writesConf {
            steps.append(.msg("write \(source)/dkms.conf"))
        }
        if adds { steps.append(.verbatim(ShellCommand.line(["dkms", "add", "-m", module, "-v", version]))) }
        steps.append(.verbatim(ShellCommand.line(["dkms", "build", "-m", module, "-v", version, "-k", kernel])))
        steps.append(.verbatim(ShellCommand.line(["dkms", "install", "-m", module, "-v", version, "-k", kernel])))
        return steps
    }

    public var summary: Message {
        .msg("build kernel module \(module) \(version) for \(kernel) with DKMS: \(Message.joined(steps, separator: "; "))")
    }

    /// Takes back what the change added: the whole version when it added it (and the copy it
    /// made), else only the install for this kernel. `made` lists the module files DKMS
    /// installed ("MD5 PATH", read back after the install): what undo deletes if DKMS leaves them.
    public func inverse(made: [String]?) -> Change? {
        Change(DKMSRemoveChange(module: module, version: version, kernel: kernel, all: adds, deleteSource: copyFrom != nil ? source : nil,
                                deleteConf: copyFrom == nil && writesConf ? source + "/dkms.conf" : nil, installed: made))
    }
}

extension ChangeKind {
    public static let dkmsRemove = ChangeKind("dkms-remove")
}

/// `dkms remove -m MODULE -v VERSION --all` (and delete the source copy, or the dkms.conf,
/// ampfix made), or, for a version that was registered before, `dkms uninstall` and `dkms
/// unbuild` for one kernel.
public struct DKMSRemoveChange: HostChange {
    public static let kind = ChangeKind.dkmsRemove
    public static let journalName = "dkmsRemove"

    public var module: String
    public var version: String
    public var kernel: String
    public var all: Bool
    public var deleteSource: String?
    /// The dkms.conf ampfix wrote into a source that had none, in place.
    public var deleteConf: String?
    /// The module files the install put in the kernel's tree, as "MD5 PATH": deleted (with a
    /// depmod) when `dkms remove` leaves them, as it does where SELinux keeps its modinfo from
    /// reading DKMS's own tree. A file whose bytes changed since is left alone.
    public var installed: [String]?

    public init(module: String, version: String, kernel: String, all: Bool, deleteSource: String?, deleteConf: String? = nil, installed: [String]? = nil) {
        (self.module, self.version, self.kernel, self.all, self.deleteSource, self.deleteConf, self.installed) = (module, version, kernel, all, deleteSource,
                deleteConf, installed)
    }

    public var target: String { "DKMS module \(module)/\(version)" }
    public var beforeDescription: String { all ? "added" : "installed for \(kernel)" }
    public var afterDescription: String { all ? "not added" : "not built for \(kernel)" }
    public var summary: Message {
        var steps: [Message] = all ? [.verbatim(ShellCommand.line(["dkms", "remove", "-m", module, "-v", version, "--all"]))]
            : [.verbatim(ShellCommand.line(["dkms", "uninstall", "-m", module, "-v", version, "-k", kernel])), .verbatim(ShellCommand.line(["dkms",
                    "unbuild", "-m", module, "-v", version, "-k", kernel]))]
        if all, let deleteSource { steps.append(.msg("delete \(deleteSource) (ampfix's copy)")) }
        if let deleteConf { steps.append(.msg("delete \(deleteConf) (ampfix wrote it)")) }
        return .joined(steps, separator: "; ")
    }
}

extension Change {
    public static func dkmsInstall(_ source: ModuleSource, kernel: String, state: DKMSState) -> Change {
        Change(DKMSInstallChange(module: source.module, version: source.version, kernel: kernel,
                                 copyFrom: source.directory == source.dkmsDirectory ? nil : source.directory,
                                 writesConf: source.conf == nil, adds: !state.added))
    }
}
