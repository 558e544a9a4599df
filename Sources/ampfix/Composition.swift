import AmpfixCore
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
        var changes: ApplierSet
        var journal: JournalDirectory

        init(_ host: HostOptions) throws {
            fs = try RootedFileSystem(root: host.root)
            facts = HostFiles(fs: fs)
            selinux = SELinuxHost(fs: fs, lockTimeout: host.lockTimeout)
            changes = ApplierSet([HostChanges(fs: fs), selinux])
            journal = JournalDirectory(fs: fs)
        }
    }

    static func run(mode: RunMode, faults: [FaultID], options: RepairOptions, policyModule: String?, host: HostOptions, output: OutputOptions) throws -> Report {
        try runtime {
            let adapters = try Adapters(host)
            let (fs, facts, changes, journal) = (adapters.fs, adapters.facts, adapters.changes, adapters.journal)
            let shipped = ShippedModuleFile.load(policyModule ?? ShippedModuleFile.defaultPath, name: SELinuxModuleFault.moduleName)
            let checks = FaultRegistry.standard(options, with: [SELinuxModuleFault(selinux: adapters.selinux, shipped: shipped)])
            let workflow = Workflow(checks: checks, facts: facts, language: output.language, root: fs.root)

            if mode == .dryRun {
                // Dry-run creates nothing, not even the lock file; it waits only if a lock exists.
                let lock = try RunLock.acquire(fs, timeout: host.lockTimeout, create: false, waiting: output.note)
                defer { withExtendedLifetime(lock) {} }
                let pending = try Recovery(store: journal, applier: changes).pending().map {
                    "run \($0.run) was interrupted; the next ampfix run will \($0.policy == .rollback || $0.undoStarted ? "roll it back" : "complete it") first"
                }
                return workflow.dryRunReport(faults, inspector: changes, pendingRecovery: pending)
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
