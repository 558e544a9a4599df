import AmpfixCore
import AmpfixKmod
import AmpfixPackages
import AmpfixSELinux
import AmpfixSystem
import ArgumentParser
import Glibc

/// The one place where adapters are built and handed to the core.
enum Composition {
    /// Test-only crash switch: with a root other than /, `AMPFIX_TEST_CRASH_AFTER_ACTIONS=N`
    /// makes the process SIGKILL itself after N actions, to prove journal recovery.
    static let crashSwitch = "AMPFIX_TEST_CRASH_AFTER_ACTIONS"

    /// The adapters over one root.
    struct Adapters {
        var fs: RootedFileSystem
        var facts: HostFiles
        var selinux: SELinuxHost
        var kmod: KmodModules
        var changes: ChangeRouter
        var journal: JournalDirectory

        init(_ host: HostOptions) throws {
            // Modes ampfix gives (0755 directories, 0600 journals) must not depend on the
            // caller's umask: a package hook may run with 077.
            umask(0o022)
            fs = try RootedFileSystem(root: host.root)
            facts = HostFiles(fs: fs)
            selinux = SELinuxHost(fs: fs, lockTimeout: host.lockTimeout)
            kmod = KmodModules(fs: fs)
            changes = try ChangeRouter([HostChanges(fs: fs), selinux, kmod])
            journal = JournalDirectory(fs: fs)
        }
    }

    static func monotonicMilliseconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
    }

    static let kernelSupportPath = "/usr/share/ampfix/kernel-support.tsv"

    /// The root's package database: apt where dpkg keeps its state, else rpm — each only when
    /// this build has its trait.
    static func packageSource(root: String) -> PackageSource {
        PackageSource {
            let prefix = root == "/" ? "" : root
            if access(prefix + "/var/lib/dpkg/status", F_OK) == 0 {
                #if Apt
                return Result { try AptDatabase(root: root) }
                #else
                return PackageSource.unavailable("this ampfix was built without the Apt trait").database
                #endif
            }
            if access(prefix + "/var/lib/rpm", F_OK) == 0 {
                #if RPM
                return Result { try RPMDatabase(root: root) }
                #else
                return PackageSource.unavailable("this ampfix was built without the RPM trait").database
                #endif
            }
            return PackageSource.unavailable("\(root) has no package database (no /var/lib/dpkg/status, no /var/lib/rpm)").database
        }
    }

    static func kernelSupportTable(_ path: String?) -> Result<KernelSupportTable, KernelSupportTable.Malformed> {
        let file = path ?? kernelSupportPath
        let bytes: [UInt8]
        do { bytes = try HostFile.read(file) } catch {
            return .failure(.init(description: "\(error)"))
        }
        return Result { try KernelSupportTable(path: file, text: String(decoding: bytes, as: UTF8.self)) }
            .mapError { $0 as? KernelSupportTable.Malformed ?? .init(description: "\($0)") }
    }

    static func run(mode: RunMode, faults: [FaultID], options: RepairOptions, policyModule: String?, kernelSupport: String?,
                    host: HostOptions, output: OutputOptions) throws -> Report {
        try runtime {
            let adapters = try Adapters(host)
            let (fs, facts, changes, journal) = (adapters.fs, adapters.facts, adapters.changes, adapters.journal)
            let shipped = ShippedModuleFile.load(policyModule ?? ShippedModuleFile.defaultPath, name: SELinuxModuleFault.moduleName)
            let packages = packageSource(root: fs.root)
            let kernel = KernelContext(options: options)  // shared by faults 8, 9, 11 and 16
            let checks = FaultRegistry.standard(options, with: [
                SELinuxModuleFault(selinux: adapters.selinux, shipped: shipped),
                KernelHeadersFault(kernel: kernel, packages: packages),
                IncompatibleKernelFault(kernel: kernel, packages: packages, table: kernelSupportTable(kernelSupport)),
                KernelModuleFault.filesystemMonitor(kernel: kernel, modules: adapters.kmod),
                KernelModuleFault.networkMonitor(kernel: kernel, modules: adapters.kmod),
            ])
            let workflow = Workflow(checks: checks, facts: facts, language: output.language, root: fs.root)

            // A read-only root (a mounted image) can still be audited: nothing can have been
            // journaled there, so a diagnosis proceeds as a dry run would, without the lock file.
            let readOnly = mode == .diagnose && lockPlaceIsReadOnly(fs)

            if mode == .dryRun || readOnly {
                // Dry-run creates nothing, not even the lock file; it waits only if a lock exists.
                let lock = try RunLock.acquire(fs, timeout: host.lockTimeout, create: false, waiting: output.note)
                defer { withExtendedLifetime(lock) {} }
                let pending = try journal.interruptedRuns().map {
                    "run \($0.run) was interrupted; the next ampfix run will \($0.policy == .rollback || $0.undoStarted ? "roll it back" : "complete it") first"
                }
                if readOnly {
                    output.note("\(fs.root) is read-only: diagnosing without taking the run lock")
                    return workflow.diagnosisReport(faults, recovered: pending)
                }
                return workflow.dryRunReport(faults, inspector: changes.inspector, pendingRecovery: pending)
            }

            let lock = try RunLock.acquire(fs, timeout: host.lockTimeout, create: true, waiting: output.note)
            defer { withExtendedLifetime(lock) {} }
            let recovered = try Recovery(store: journal, applier: changes).recover()
            if mode == .diagnose {
                return workflow.diagnosisReport(faults, recovered: recovered)
            }
            let executor = Executor(store: journal, applier: changes, afterEachAction: crashHook(root: fs.root))
            let run = RunID.make(at: .now(), pid: getpid())
            return try workflow.repairReport(faults, executor: executor, run: run, command: CommandLine.arguments, recovered: recovered,
                                             depth: output.verbose ? .thorough : .quick)
        }
    }

    /// Whether the run lock's directory (`<root>/run`, or the root when it has none) is on a
    /// read-only file system.
    static func lockPlaceIsReadOnly(_ fs: RootedFileSystem) -> Bool {
        let place = (try? fs.resolve("/run")) != nil ? "/run" : "/"
        guard let (fd, _) = try? fs.open(place, flags: O_RDONLY | O_DIRECTORY) else { return false }
        defer { try? fd.close() }
        return (try? fd.isOnReadOnlyFileSystem()) == true
    }

    static func crashHook(root: String) -> (Int) -> Void {
        guard root != "/", let value = getenv(crashSwitch), let limit = Int(String(cString: value)) else {
            return { _ in }
        }
        return { count in
            if count == limit { raise(SIGKILL) }
        }
    }

    /// Runtime failures become one line on stderr and exit status 2, never a stack trace.
    static func runtime<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Stderr.print("ampfix: error: \(error)")
            throw ExitCode(ExitStatus.couldNotEvaluate)
        }
    }
}
