import AmpfixCore
import AmpfixHost
import AmpfixTestSupport
import Testing

/// The real adapters as the command line composes them.
@Suite struct HostAdaptersTests {
    @Test func everyKindOfChangeHasItsAdapter() throws {
        let root = TempRoot("adapters")
        let adapters = try HostAdapters(root: root.path, lockTimeout: 1)
        #expect(adapters.changes.unclaimed.isEmpty, "a change of these kinds could be planned but never applied: \(adapters.changes.unclaimed)")
        #expect(adapters.changes.kinds == Set(ChangeKind.allCases))
    }

    @Test func aRunHasAllNineChecksAndDiagnosesWithoutCreatingTheLock() throws {
        let root = TempRoot("adapters-run")
        try root.write("etc/os-release", "ID=debian\n")
        let adapters = try HostAdapters(root: root.path, lockTimeout: 1)
        let run = adapters.run(RepairOptions(), data: DataFiles(policyModule: PackageLayout.policyModule, kernelSupport: PackageLayout.root + "/data/kernel-support.tsv"), language: .en)
        #expect(run.checks.map(\.id) == FaultID.allCases)
        let before = TreeSnapshot.take(root.path)
        let report = try run.diagnose(FaultID.allCases)
        #expect(report.faults.count == 9)
        #expect(TreeSnapshot.take(root.path) == before, "a diagnosis creates nothing, not even run/ampfix.lock")
    }
}
