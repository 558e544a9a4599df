import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// `sample-host.sh --healthy`: the sample host with nothing broken. An audit of a healthy host
/// must be able to come back clean: every fault ok or not applicable, exit status 0, and a
/// repair of everything changes nothing.
@Suite struct HealthySampleTests {
    static func arguments(_ root: TempRoot) -> [String] {
        ["--root", root.path, "--ampcli", root.at("opt/cisco/amp/bin/ampcli"),
         "--kernel-support", PackageLayout.root + "/data/kernel-support.tsv", "--policy-module", PackageLayout.policyModule, "--json"]
    }

    @Test func aFullDiagnosisExitsZeroWithEveryFaultOkOrNotApplicable() throws {
        let root = try SampleHost.build(healthy: true)
        let result = try AmpfixBinary.run(Self.arguments(root))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.faults.map(\.id) == FaultID.allCases.map(\.rawValue))
        for fault in report.faults {
            #expect(fault.status == .ok || fault.status == .notApplicable, "fault \(fault.id): \(fault.status) \(fault.evidence)")
        }
        // Faults 8 and 9 are ok because libkmod finds both modules in the depmod index.
        for id in [8, 9] {
            #expect(report.faults.first { $0.id == id }?.status == .ok)
        }
        #expect(report.connector?.raised.isEmpty == true)
    }

    @Test func repairingEverythingOnAHealthyHostChangesNothing() throws {
        let root = try SampleHost.build(healthy: true)
        let before = TreeSnapshot.take(root.path)
        let result = try AmpfixBinary.run(Self.arguments(root) + ["--all"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.run == nil && report.faults.allSatisfy { $0.actions.isEmpty })
        // Only the run lock is new (a repair takes it); no journal, no quarantine, no file changed.
        #expect(TreeSnapshot.take(root.path, excluding: ["run"]) == before.filter { !$0.hasPrefix("run ") })
    }
}
