import AmpfixBPF
import AmpfixCore
import AmpfixKmod
import AmpfixPackages
import AmpfixSELinux
import AmpfixSystem
import Glibc

/// The real host: every adapter over one root, composed in this one place and handed to the
/// core's `Run`.
public struct HostAdapters {
    public let fs: RootedFileSystem
    public let facts: HostFiles
    public let selinux: SELinuxHost
    public let kmod: KmodModules
    public let changes: ChangeRouter
    public let journal: JournalDirectory
    public let lock: RootRunLock

    /// - Parameter waiting: told once when another ampfix holds the root's lock.
    public init(root: String, lockTimeout: Double, waiting: @escaping (Message) -> Void = { _ in }) throws {
        // Modes ampfix gives (0755 directories, 0600 journals) must not depend on the
        // caller's umask: a package hook may run with 077.
        umask(0o022)
        fs = try RootedFileSystem(root: root)
        facts = HostFiles(fs: fs)
        selinux = SELinuxHost(fs: fs, lockTimeout: lockTimeout)
        kmod = KmodModules(fs: fs)
        changes = try ChangeRouter([HostChanges(fs: fs), AccountChanges(fs: fs), FileMoves(fs: fs), PolicyModuleChanges(selinux), KmodChanges(kmod),
                                    DKMSChanges(fs: fs)])
        journal = JournalDirectory(fs: fs)
        lock = RootRunLock(fs: fs, timeout: lockTimeout, waiting: waiting)
    }

    /// The host as the core's run sees it.
    public var runHost: RunHost {
        RunHost(facts: facts, changes: changes, journal: journal, lock: lock, root: fs.root)
    }

    /// The facts the checks read besides files, with ampfix's own data files (read from the
    /// host, never from under --root).
    public func sources(_ data: DataFiles, connector: ConnectorContext) -> FaultSources {
        FaultSources(
            selinux: selinux,
            shippedModule: ShippedModuleFile.load(data.policyModule, name: SELinuxModuleFault.moduleName),
            packages: Self.packageSource(root: fs.root),
            kernelModules: kmod,
            kernelSupport: KernelSupportFile.load(data.kernelSupport),
            connector: connector,
            definitions: DefinitionFiles(fs: fs),
            units: fs.root == "/" ? SystemdUnits() : NoServiceUnits(reason: .msg("no service manager runs under --root \(fs.root)")),
            sampler: fs.root == "/" ? LiveEventSampler() : NoEventSampler(reason: .msg("no events to sample under --root \(fs.root)")),
            bpf: LibBPFPrograms(directory: data.bpfObjects)
        )
    }

    /// A run on this host with the checks of `faults` (every fault's when nil), built from only
    /// the data they read (a `--fault 7` run reads neither fault 19's module nor fault 16's table).
    public func run(_ options: RepairOptions, data: DataFiles, connector access: ConnectorAccess = ConnectorAccess(), language: Language,
                    faults: [FaultID]? = nil, id run: String = newRunID(), note: @escaping (Message) -> Void = { _ in }) -> Run {
        let connector = ConnectorContext(runtime: access.runtime(root: fs.root))
        // One id for the run's journal and its quarantine directory, known before the plan.
        var made = Run(checks: FaultRegistry.standard.checks(options, sources: sources(data, connector: connector), run: run, only: faults), host: runHost,
                       language: language, note: note,
                       checkpoint: CrashSwitch.hook(root: fs.root), newRunID: { run }, connector: connector)
        let kernel = KernelContext(options: options)
        made.kernel = { [facts] in kernel.facts(facts).release }
        made.today = SystemClock.now().date
        return made
    }

    /// A run that only reverts or lists what the journal holds: it needs no checks.
    public func journalRun(note: @escaping (Message) -> Void = { _ in }) -> Run {
        Run(checks: [], host: runHost, language: .en, note: note, checkpoint: CrashSwitch.hook(root: fs.root), newRunID: Self.newRunID)
    }

    /// A new run id: this moment and this process.
    public static func newRunID() -> String { RunID.make(at: SystemClock.now(), pid: getpid()) }

    /// The root's package database: apt where dpkg keeps its state, else rpm — each only when
    /// this build has its trait.
    public static func packageSource(root: String) -> PackageSource {
        PackageSource {
            let prefix = root == "/" ? "" : root
            if access(prefix + "/var/lib/dpkg/status", F_OK) == 0 { return open(.apt, root: root) }
            if access(prefix + "/var/lib/rpm", F_OK) == 0 { return open(.rpm, root: root) }
            return PackageSource.unavailable(.msg("\(root) has no package database (no /var/lib/dpkg/status, no /var/lib/rpm)")).database
        }
    }

    static func open(_ backend: PackageBackend, root: String) -> Result<any PackageDatabase, any Error> {
        var opened: Result<any PackageDatabase, any Error>?
        let databasePath: String
        do { databasePath = try confine(backend, root: root) } catch { return .failure(error) }
        switch backend {
        case .apt:
            #if Apt
            opened = Result { try AptDatabase(root: root) }
            #else
            break
            #endif
        case .rpm:
            #if RPM
            opened = Result { try RPMDatabase(root: root, databasePath: databasePath) }
            #else
            _ = databasePath
            #endif
        }
        let trait = backend == .apt ? "Apt" : "RPM"
        return opened ?? PackageSource.unavailable(.msg("this ampfix was built without the \(trait) trait")).database
    }
}

extension HostAdapters {
    /// libapt-pkg and librpm open their files under the root themselves, on the host: under
    /// --root what they read is checked first to be real directories and regular files (no
    /// link to lead them out, no FIFO to hang them). rpm's database is handed by the path it
    /// resolves to inside the root (Fedora's /var/lib/rpm is a link to ../../usr/lib/sysimage/rpm).
    /// Returns the database path for librpm.
    static func confine(_ backend: PackageBackend, root: String) throws -> String {
        guard root != "/" else { return "/var/lib/rpm" }
        let fs = try RootedFileSystem(root: root)
        switch backend {
        case .apt:
            // What building the cache reads: its configuration, sources and pins, the lists and
            // dpkg's status (not the keyrings, which may be links to /usr/share/keyrings).
            let configuration: Set<String> = ["apt.conf", "preferences", "sources.list"]
            try fs.requireRealTrees([
                .init("/var/lib/dpkg/status"), .init("/var/lib/apt/lists"),
                .init("/etc/apt", recursive: false, reads: { configuration.contains($0) }),
                .init("/etc/apt/apt.conf.d", recursive: false), .init("/etc/apt/preferences.d", recursive: false),
                .init("/etc/apt/sources.list.d", recursive: false),
            ], for: "libapt-pkg", maximumFileSize: 1 << 30)
            return "/var/lib/rpm"
        case .rpm:
            let physical = try fs.resolve("/var/lib/rpm") ?? "/var/lib/rpm"
            try fs.requireRealTrees([.init(physical)], for: "librpm", maximumFileSize: 4 << 30)
            return physical
        }
    }
}
