import AmpfixCore
import AmpfixSystem
import CSELinux
import CSepol
import Glibc
import SystemPackage

/// SELinux on the host or under --root: the facts fault 19 reads, and the store machinery that
/// `PolicyModuleChanges` (the applier, a separate type so that no check can reach it) uses. Live
/// (root /) it asks the kernel and reloads the policy on commit; under --root it
/// reads `<root>/etc/selinux/config`, builds the policy without loading it, and answers access
/// questions from the built policy file.
public struct SELinuxHost: SELinuxFacts {
    public let fs: RootedFileSystem
    /// How long to wait for another tool (semodule, rpm) holding the store's transaction lock.
    public var lockTimeout: Double

    public init(fs: RootedFileSystem, lockTimeout: Double = 30) {
        self.fs = fs
        self.lockTimeout = lockTimeout
    }

    var live: Bool { fs.root == "/" }
    public static let configPath = SELinuxConfig.path
    public static let semanageConfigPath = "/etc/selinux/semanage.conf"

    // MARK: Facts

    public func status() throws -> SELinuxStatus {
        let config = try configuration()
        if live {
            guard is_selinux_enabled() == 1 else {
                return SELinuxStatus(mode: .disabled, configuredMode: config.mode, policyType: config.type, source: .msg("the kernel"))
            }
            let mode: SELinuxMode = security_getenforce() == 1 ? .enforcing : .permissive
            var type: UnsafeMutablePointer<CChar>?
            let policyType = selinux_getpolicytype(&type) == 0 ? type.map { String(cString: $0) } : config.type
            free(type)
            return SELinuxStatus(mode: mode, configuredMode: config.mode, policyType: policyType, source: .msg("the kernel"))
        }
        guard let mode = config.mode else {
            return SELinuxStatus(mode: .disabled, configuredMode: nil, policyType: config.type, source: .msg("no SELINUX= in \(Self.configPath)"))
        }
        return SELinuxStatus(mode: mode, configuredMode: mode, policyType: config.type, source: .msg("configured in \(Self.configPath)"))
    }

    /// SELINUX= and SELINUXTYPE= of the root's config; both nil when the file is absent.
    func configuration() throws -> (mode: SELinuxMode?, type: String?) {
        guard let bytes = try fs.readFile(Self.configPath, limit: HostFiles.smallFileLimit) else { return (nil, nil) }
        let config = SELinuxConfig(text: String(decoding: bytes, as: UTF8.self))
        if let type = config.type, !PolicyTypeName.isValid(type) {
            // It becomes a path under /etc/selinux and /var/lib/selinux: never let it leave them.
            throw HostError(.msg("read"), Self.configPath, .notAPolicyName(selinuxType: type))
        }
        return (config.mode, config.type)
    }

    public func activeModule(_ name: String, store: String) throws -> InstalledModule? {
        let connection = try connect(store)
        guard let entry = try connection.modules().filter({ $0.name == name }).max(by: { $0.priority < $1.priority }) else {
            return nil
        }
        let extracted = try connection.extract(name, priority: entry.priority)
        return InstalledModule(name: name, priority: entry.priority, enabled: entry.enabled,
                               languageExtension: extracted.languageExtension, content: FileContent(extracted.bytes))
    }

    public func checkAccess(sourceType: String, targetClass: String, permissions: [String], store: String, thorough: Bool) -> AccessCheck {
        if live {
            guard is_selinux_enabled() == 1 else { return .unavailable(.msg("SELinux is not enabled in the kernel")) }
            return PolicyDecisions.kernel(type: sourceType, targetClass: targetClass, permissions: permissions)
        }
        guard thorough else {
            return .unavailable(.msg("not computed from the policy file on a quick check (--verbose computes it)"))
        }
        do {
            guard let policy = try builtPolicy(store: store) else {
                return .unavailable(.msg("no built policy under /etc/selinux/\(store)/policy"))
            }
            let (fd, _) = try fs.open(policy, flags: O_RDONLY)
            guard let file = fdopen(fd.rawValue, "r") else {
                try? fd.close()
                return .unavailable(.msg("cannot read \(fs.hostPath(policy))"))
            }
            defer { fclose(file) }
            return PolicyDecisions.policyFile(file, type: sourceType, targetClass: targetClass, permissions: permissions)
        } catch {
            return .unavailable(.msg("\(error)"))
        }
    }

    public func builtPolicyMatchesStore(_ store: String) throws -> Bool? {
        guard PolicyTypeName.isValid(store), !commitCutOff(store), let installed = try builtPolicy(store: store) else { return nil }
        let limit = Int(Self.largestPolicyFile)
        guard let kernel = try fs.readFile(SemanageStore.directory(store: store) + "/active/policy.kern", limit: limit),
              let built = try fs.readFile(installed, limit: limit) else { return nil }
        return kernel == built
    }

    /// Rebuilds the policy from the store (`semanage_set_rebuild`, one commit) when the built
    /// policy is not the store's; what it did, for the journal, or nil when they agreed.
    func rebuildIfStale(_ store: String) throws -> Message? {
        guard try builtPolicyMatchesStore(store) == false else { return nil }
        let connection = try connect(store, reload: live)
        connection.rebuildOnCommit()
        try connection.beginTransaction()
        try connection.commit()
        guard try builtPolicyMatchesStore(store) != false else {
            throw HostError(.msg("rebuild the policy of"), store, .policyStillDiffers)
        }
        return .msg("the policy built for the kernel was not the store's (a commit cut off); it was rebuilt from the store")
    }

    /// The newest `policy.NN` the store has built.
    func builtPolicy(store: String) throws -> String? {
        let directory = "/etc/selinux/\(store)/policy"
        guard try fs.resolve(directory) != nil else { return nil }
        let (fd, _) = try fs.open(directory, flags: O_RDONLY | O_DIRECTORY)
        defer { try? fd.close() }
        let versions = try fd.directoryEntries().compactMap { entry -> Int? in
            guard entry.name.hasPrefix("policy.") else { return nil }
            return Int(entry.name.dropFirst("policy.".count))
        }
        return versions.max().map { "\(directory)/policy.\($0)" }
    }

    /// Whether a commit of the store was cut off between its two renames: no `active`, and
    /// `previous` there (false also when that cannot be told).
    func commitCutOff(_ store: String) -> Bool {
        let directory = SemanageStore.directory(store: store)
        do { return try fs.resolve(directory + "/active") == nil && fs.resolve(directory + "/previous") != nil } catch { return false }
    }

    /// Opens the store; a store whose commit was cut off between its two renames is refused
    /// with what happened and how it is put back (libsemanage would fail with a scan error).
    func connect(_ store: String, reload: Bool = false) throws -> SemanageStore {
        if commitCutOff(store) {
            let directory = fs.hostPath(SemanageStore.directory(store: store))
            throw HostError(.msg("open the module store"), store, .commitCutOff(directory: directory))
        }
        try confine(store)
        return try SemanageStore(root: fs.root, store: store, reload: reload)
    }

    /// Under --root, libsemanage is handed the root and builds its paths under it: the host's
    /// kernel follows any link there, so a link planted in the image (the store's `active`, or
    /// `/var/lib/selinux` itself) would have it read, rebuild or delete another store. Every
    /// directory it works in must be real, with only directories and regular files below.
    func confine(_ store: String) throws {
        guard !live else { return }
        if let config = try fs.readFile(Self.semanageConfigPath, limit: HostFiles.smallFileLimit) {
            let refused = ImageSemanageConfig.refusals(String(decoding: config, as: UTF8.self))
            if !refused.isEmpty {
                throw HostError(.msg("hand the module store to libsemanage under"), fs.root, .imageSemanageSettings(file: fs.hostPath(Self.semanageConfigPath), settings: refused))
            }
        }
        try fs.requireRealTrees([
            .init("/etc/selinux/semanage.conf"),
            .init("/etc/selinux/\(store)"),
            .init(SemanageStore.directory(store: store)),
            .init(RootedFileSystem.parent(of: SemanageStore.directory(store: store)) + "/final"),
        ], for: "libsemanage", maximumFileSize: Self.largestPolicyFile, writes: libsemanageWrites(store))
    }

    /// libsemanage writes a store's files as NAME.tmp (policy.33.tmp, file_contexts.tmp …) with
    /// O_TRUNC and renames them over NAME: in the store's policy directory no file may be there
    /// at such a name (ampfix's recovery removes what a commit it cut off left there). Its own
    /// scratch directories, the sandbox (the store's tmp) and final, hold what a killed
    /// libsemanage left at those names; a file of one link there is the root's own and is
    /// overwritten harmlessly (a second name is refused there as everywhere).
    func libsemanageWrites(_ store: String) -> RootedFileSystem.LibraryWrites {
        let scratch = [SemanageStore.sandbox(store: store), RootedFileSystem.parent(of: SemanageStore.directory(store: store)) + "/final"].map(fs.hostPath)
        return RootedFileSystem.LibraryWrites { name, directory in
            name.hasSuffix(".tmp") && !scratch.contains { directory == $0 || directory.hasPrefix($0 + "/") }
        }
    }

    /// The most libsemanage is let read of one file of a store: Fedora's whole built policy is
    /// about 4 MiB, its largest module a few.
    static let largestPolicyFile: Int64 = 256 << 20

    // MARK: The store's transaction lock

    var transactionLock: (String) -> String { { SemanageStore.directory(store: $0) + "/semanage.trans.LOCK" } }

    /// Whether another process holds the store's transaction lock right now.
    func storeLockHolder(_ store: String) throws -> Bool {
        guard try fs.resolve(transactionLock(store)) != nil else { return false }
        let (fd, _) = try fs.open(transactionLock(store), flags: O_RDONLY)
        defer { try? fd.close() }
        return try !fd.tryLockExclusive()
    }

    /// libsemanage waits for the lock without limit; ampfix waits with back-off up to
    /// `lockTimeout`, then reports who to blame instead of hanging.
    func waitForStore(_ store: String) throws {
        var delay = 0.05
        var waited = 0.0
        while try storeLockHolder(store) {
            if waited >= lockTimeout {
                throw HostError(.msg("change store"), store, .storeLockHeld(lock: fs.hostPath(transactionLock(store)), seconds: Int(waited)))
            }
            usleep(useconds_t(delay * 1_000_000))
            waited += delay
            delay = min(delay * 2, 1)
        }
    }
}
