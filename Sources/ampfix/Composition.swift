import AmpfixCore
import AmpfixSystem
import ArgumentParser
import Glibc

/// The one place where adapters are built and handed to the core.
enum Composition {
    /// Test-only crash switch: with a root other than /, `AMPFIX_TEST_CRASH_AFTER_ACTIONS=N`
    /// makes the process SIGKILL itself after N actions, to prove journal recovery.
    static let crashSwitch = "AMPFIX_TEST_CRASH_AFTER_ACTIONS"

    static func run(mode: RunMode, faults: [FaultID], options: RepairOptions, host: HostOptions, output: OutputOptions) throws -> Report {
        try runtime {
            let fs = try RootedFileSystem(root: host.root)
            let facts = HostFiles(fs: fs)
            let changes = HostChanges(fs: fs)
            let journal = JournalDirectory(fs: fs)
            let workflow = Workflow(checks: FaultRegistry.standard(options), facts: facts, language: output.language, root: fs.root)

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
            return try workflow.repairReport(faults, executor: executor, run: run, command: CommandLine.arguments, recovered: recovered)
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
