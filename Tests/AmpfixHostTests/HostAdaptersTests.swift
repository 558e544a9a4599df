import AmpfixCore
import AmpfixHost
import AmpfixTestSupport
import Foundation
import Testing

/// The real adapters as the command line composes them.
@Suite struct HostAdaptersTests {
    @Test func everyKindOfChangeHasItsAdapter() throws {
        let root = TempRoot("adapters")
        let adapters = try HostAdapters(root: root.path, lockTimeout: 1)
        #expect(adapters.changes.unclaimed.isEmpty, "a change of these kinds could be planned but never applied: \(adapters.changes.unclaimed)")
        #expect(adapters.changes.kinds == Set(ChangeKind.allCases))
    }

    @Test func aRunHasEveryFaultsCheckAndDiagnosesWithoutCreatingTheLock() throws {
        let root = TempRoot("adapters-run")
        try root.write("etc/os-release", "ID=debian\n")
        let adapters = try HostAdapters(root: root.path, lockTimeout: 1)
        let run = adapters.run(RepairOptions(), data: DataFiles(policyModule: PackageLayout.policyModule, kernelSupport: PackageLayout.root + "/data/kernel-support.tsv"), language: .en)
        #expect(run.checks.map(\.id) == FaultID.allCases)
        let before = TreeSnapshot.take(root.path)
        let report = try run.diagnose(FaultID.allCases)
        #expect(report.faults.map(\.id) == FaultID.allCases.map(\.rawValue))
        #expect(TreeSnapshot.take(root.path) == before, "a diagnosis creates nothing, not even run/ampfix.lock")
    }

    /// systemd's adapter on this machine: where no systemd runs, it says so and runs nothing;
    /// where one runs, a real unit's properties come back parsed.
    @Test func systemdUnitsAnswerOrSayWhyNot() {
        let reading = SystemdUnits().properties(of: "systemd-journald.service", ["LoadState", "NRestarts"])
        if FileManager.default.fileExists(atPath: "/run/systemd/system") {
            guard case .read(let values, let command) = reading else {
                Issue.record("systemd runs here but gave no properties: \(reading)")
                return
            }
            #expect(command == "systemctl show systemd-journald.service --property=LoadState,NRestarts")
            #expect(values["LoadState"] != nil && values["NRestarts"].flatMap { Int($0) } != nil, "\(values)")
        } else {
            print("systemd does not run here: only the adapter's refusal is checked")
            #expect(reading == .unavailable("systemd is not running here"))
        }
    }
}
