import AmpfixCore
import AmpfixTestSupport
import Testing

/// The core's run: lock, recovery and mode, on in-memory adapters.
@Suite struct RunTests {
    /// Claims every kind of change, finds each in its before state, and records what it is asked.
    final class SpyApplier: ChangeApplier {
        let kinds = Set(ChangeKind.allCases)
        var applied: [Change] = []
        var inspected = 0
        func state(of change: Change) throws -> ChangeState {
            inspected += 1
            return applied.contains(change) ? .after : .before
        }
        func precondition(of change: Change) -> Message? { nil }
        func apply(_ change: Change) throws { applied.append(change) }
    }

    static let brokenHost = MemoryFacts(
        files: [
            AccountDatabase.passwdPath: "root:x:0:0::/root:/bin/bash\n",
            AccountDatabase.groupPath: "root:x:0:\n",
            ScanUserFault.loginDefsPath: "USERGROUPS_ENAB no\n",
        ],
        trees: ["/opt/cisco": DirectoryTree(requested: "/opt/cisco", resolved: "/opt/cisco", directories: [
            DirectoryEntry(path: "/opt/cisco", attributes: DirectoryAttributes(mode: 0o700, uid: 0, gid: 0)),
        ], symlinks: [])]
    )

    struct Fixture {
        let spy = SpyApplier()
        let journal = MemoryJournal()
        let lock: MemoryRunLock
        let run: Run

        init(lockExists: Bool = false) throws {
            lock = MemoryRunLock(exists: lockExists)
            let host = RunHost(facts: RunTests.brokenHost, changes: try ChangeRouter([spy]), journal: journal, lock: lock, root: "/r")
            run = Run(checks: [ScanUserFault()], host: host, language: .en, newRunID: { "run-1" })
        }
    }

    @Test func aDryRunInspectsButNeverApplies() throws {
        let f = try Fixture()
        let report = try f.run.dryRun([.scanUserUnavailable])
        let actions = report.faults[0].actions
        #expect(actions.map(\.kind) == [.createUser, .directoryAttributes])
        #expect(actions.allSatisfy { $0.outcome == .planned })
        #expect(f.spy.applied.isEmpty)
        #expect(f.journal.files.isEmpty, "no journal run")
        #expect(f.lock.creations == 0)

        // The same plan through a repair does reach the spy: the dry run's silence means something.
        let repaired = try f.run.repair([.scanUserUnavailable], command: ["ampfix"])
        #expect(f.spy.applied.map(\.kind) == [.createUser, .directoryAttributes])
        #expect(repaired.run == "run-1")
        #expect(f.lock.creations == 1)
    }

    @Test func aDiagnosisCreatesNothing() throws {
        let f = try Fixture()
        let report = try f.run.diagnose([.scanUserUnavailable])
        #expect(report.faults[0].status == .present)
        #expect(report.recovered.isEmpty)
        #expect(f.lock.creations == 0 && !f.lock.exists)
        #expect(f.spy.applied.isEmpty && f.spy.inspected == 0)
        #expect(f.journal.files.isEmpty)
    }

    /// A diagnosis (an audit, `check`, the timer) changes nothing, not even to finish a run it
    /// finds interrupted in the journal: before, a planted or copied begin record had `check`
    /// create the scan account and chmod /opt/cisco with nothing in its output. It says the run
    /// is pending; a repair finishes it.
    @Test func aDiagnosisLeavesAnInterruptedRunToARepairAndSaysItIsPending() throws {
        let f = try Fixture()
        let change = Change.directoryAttributes(path: "/opt/cisco", before: DirectoryAttributes(mode: 0o700, uid: 0, gid: 0),
                                                after: DirectoryAttributes(mode: 0o755, uid: 0, gid: 0))
        let writer = JournalWriter(store: f.journal, run: "crashed")
        try writer.write(.begin, actions: [Action(fault: .scanUserUnavailable, change: change)], onInterrupt: .complete)
        try writer.write(.intent, seq: 0)

        let report = try f.run.diagnose([.scanUserUnavailable])
        #expect(f.spy.applied.isEmpty)
        #expect(report.recovered == ["run crashed was interrupted; the next repair or undo will complete it first"])
        #expect(f.lock.creations == 0)
        #expect(try f.journal.interruptedRuns().count == 1)

        // Asked as a repair, even of a fault ampfix only explains, it is finished.
        let repair = try f.run.repair([.scanServiceRestarting], command: [])
        #expect(f.spy.applied == [change])
        #expect(repair.recovered.first?.hasPrefix("run crashed was interrupted and has been completed") == true)
        #expect(f.lock.creations == 1, "recovery writes, so it takes the lock (creating the file a reboot removed)")
        #expect(try f.journal.interruptedRuns().isEmpty)
    }

    @Test func aReadOnlyRootIsDiagnosedWithoutTheLock() throws {
        let f = try Fixture(lockExists: true)
        f.lock.isReadOnly = true
        _ = try f.run.diagnose([.scanUserUnavailable])
        #expect(f.lock.acquisitions == 0)
    }
}

@Suite struct ChangeRouterTests {
    @Test func eachKindGoesToTheAdapterThatClaimsIt() throws {
        let directories = MemoryDirectories(["/a": DirectoryAttributes(mode: 0o700, uid: 0, gid: 0)])
        let router = try ChangeRouter([directories])
        let change = Change.directoryAttributes(path: "/a", before: DirectoryAttributes(mode: 0o700, uid: 0, gid: 0),
                                                after: DirectoryAttributes(mode: 0o755, uid: 0, gid: 0))
        try router.apply(change)
        #expect(directories.applied == [change])
        #expect(router.unclaimed == ChangeKind.allCases.filter { $0 != .directoryAttributes })
    }

    @Test func aChangeNoAdapterClaimsIsAnErrorNotASilentLanding() throws {
        let router = try ChangeRouter([MemoryDirectories([:])])
        let restart = Change.restartService(unit: "cisco-amp")
        let error = #expect(throws: ChangeRouter.Unrouted(kind: .restartService)) { try router.apply(restart) }
        #expect(error?.description == "no adapter applies changes of kind restart-service")
        #expect(router.precondition(of: restart)?.description == "no adapter applies changes of kind restart-service")
    }

    @Test func twoAdaptersClaimingOneKindAreRefused() {
        #expect(throws: ChangeRouter.Conflict.self) { try ChangeRouter([MemoryDirectories([:]), MemoryDirectories([:])]) }
    }
}

@Suite struct FaultRegistryTests {
    @Test func everyFaultBuildsItsOwnCheckInFaultOrder() {
        let sources = FaultSources.none
        let checks = FaultRegistry.standard.checks(RepairOptions(), sources: sources, run: "run-1")
        #expect(checks.map(\.id) == FaultID.allCases)
        #expect(Set(checks.map { "\(type(of: $0))" }).count >= checks.count - 1, "one check type per fault (8 and 9 share one)")
        let some = [FaultID.scanUserUnavailable, .selinuxPolicyMissing]
        #expect(FaultRegistry.standard.checks(RepairOptions(), sources: sources, run: "run-1", only: some).map(\.id) == some)
    }

    /// A run builds only the asked faults' checks, and reads a data file only for the check
    /// that uses it (fault 16's table when its check is built; fault 19's module not even then:
    /// only when its diagnosis needs it, see SELinuxModuleFaultTests).
    @Test func dataIsReadOnlyForTheFaultsThatUseIt() {
        final class Reads { var module = 0, table = 0 }
        let reads = Reads()
        func sources() -> FaultSources {
            FaultSources(
                selinux: NoSELinux(), shippedModule: { reads.module += 1; return .failure(.init("none")) }(), packages: .unavailable(.msg("none")),
                kernelModules: MemoryKernelModules(modules: [:], states: [:]),
                kernelSupport: { reads.table += 1; return .failure(.init(description: "none")) }())
        }
        let seven = FaultRegistry.standard.checks(RepairOptions(), sources: sources(), run: "run-1", only: [.scanServiceFailedToStart])
        #expect(seven.map(\.id) == [.scanServiceFailedToStart])
        #expect(reads.module == 0 && reads.table == 0)
        let nineteen = FaultRegistry.standard.checks(RepairOptions(), sources: sources(), run: "run-1", only: [.selinuxPolicyMissing])
        #expect(reads.module == 0 && reads.table == 0, "building fault 19's check reads no module")
        _ = nineteen[0].diagnose(MemoryFacts(), depth: .quick)
        #expect(reads.module == 0, "SELinux off (NoSELinux): the module is never needed")
        _ = FaultRegistry.standard.checks(RepairOptions(), sources: sources(), run: "run-1")
        #expect(reads.module == 0 && reads.table == 1)
    }
}
