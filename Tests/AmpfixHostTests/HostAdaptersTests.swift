import AmpfixCore
@testable import AmpfixHost
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
        let run = adapters.run(RepairOptions(), data: DataFiles(policyModule: PackageLayout.policyModule,
                                                                kernelSupport: PackageLayout.root + "/data/kernel-support.tsv"), language: .en)
        #expect(run.checks.map(\.id) == FaultID.allCases)
        let before = TreeSnapshot.take(root.path)
        let report = try run.diagnose(FaultID.allCases)
        #expect(report.faults.map(\.id) == FaultID.allCases.map(\.rawValue))
        #expect(TreeSnapshot.take(root.path) == before, "a diagnosis creates nothing, not even run/ampfix.lock")
    }

    /// The request decides what the run covers: the named faults in order (every fault when
    /// none is named), and fault 18's event sample only when fault 18 is named.
    @Test func aRequestNamesItsFaultsAndSamplesOnlyForFault18() throws {
        func request(_ named: [FaultID]) -> RunRequest {
            RunRequest(mode: .diagnose, named: named, options: RepairOptions(), data: DataFiles(), connector: ConnectorAccess(), language: .en)
        }
        #expect(request([.selinuxPolicyMissing, .scanUserUnavailable, .selinuxPolicyMissing]).faults == [.scanUserUnavailable, .selinuxPolicyMissing])
        #expect(request([]).faults == FaultID.allCases)
        #expect(request([.eventMonitoringOverloaded]).sampleSeconds == 5)
        #expect(request([]).sampleSeconds == 0 && request([.scanUserUnavailable]).sampleSeconds == 0)

        let root = TempRoot("adapters-request")
        try root.write("etc/os-release", "ID=debian\n")
        let adapters = try HostAdapters(root: root.path, lockTimeout: 1)
        var asked = request([.scanUserUnavailable, .kernelHeadersMissing])
        asked.data = DataFiles(policyModule: PackageLayout.policyModule, kernelSupport: PackageLayout.root + "/data/kernel-support.tsv")
        let report = try adapters.perform(asked)
        #expect(report.faults.map(\.id) == [5, 11])
    }

    /// One invocation, one run id: the request's is the one a repair journals under (and fault
    /// 7's quarantine is named by, and the systemd journal's entries carry). Before, a
    /// diagnosis minted a second one for its journal entries.
    @Test func aRepairJournalsUnderTheRequestsRunID() throws {
        let root = try SampleHost.build()
        let adapters = try HostAdapters(root: root.path, lockTimeout: 1)
        var request = RunRequest(mode: .repair, named: [.scanUserUnavailable], options: RepairOptions(restartConnector: false), data: DataFiles(),
                                 connector: ConnectorAccess(), language: .en)
        let minted = request.run
        #expect(RunID.isValid(minted))
        request.run = "20260101T000000000Z-4242"
        let report = try adapters.perform(request)
        #expect(report.run == "20260101T000000000Z-4242", "\(String(describing: report.run))")
        #expect(try adapters.journal.runs() == ["20260101T000000000Z-4242"])
    }

    /// What the checks are given can only read: no fact source, nor anything inside one, is an
    /// applier a check could cast to and use. The appliers are separate types the router holds.
    @Test func noFactSourceIsAnApplier() throws {
        let root = TempRoot("adapters-sealed")
        try root.write("etc/os-release", "ID=debian\n")
        let adapters = try HostAdapters(root: root.path, lockTimeout: 1)
        let data = DataFiles(policyModule: PackageLayout.policyModule, kernelSupport: PackageLayout.root + "/data/kernel-support.tsv")
        let sources = adapters.sources(data, connector: ConnectorContext(runtime: NoConnectorRuntime(reason: .msg("test"))))
        var appliers: [String] = []
        func visit(_ value: Any, path: String, depth: Int) {
            if value is any ChangeApplier || value is any ChangeInspector { appliers.append("\(path): \(type(of: value))") }
            guard depth < 4 else { return }
            for child in Mirror(reflecting: value).children {
                visit(child.value, path: path + "." + (child.label ?? "?"), depth: depth + 1)
            }
        }
        visit(sources, path: "sources", depth: 0)
        visit(adapters.runHost.facts, path: "facts", depth: 0)
        #expect(appliers.isEmpty, "\(appliers)")
        let seen = Mirror(reflecting: sources).children.compactMap(\.label)
        #expect(seen.contains("selinux") && seen.contains("kernelModules"), "the walk saw the adapters: \(seen)")
        // The router does hold appliers for those kinds: the split lost none.
        #expect(adapters.changes.unclaimed.isEmpty, "\(adapters.changes.unclaimed)")
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
            #expect(reading == .unavailable(.msg("systemd is not running here")))
        }
    }
}
