import AmpfixCore
import AmpfixTestSupport
import Foundation
import Testing

/// `ampfix check`: the monitoring plugin's line, perfdata and exit codes on the sample hosts.
@Suite struct PluginCheckTests {
    static func check(_ arguments: [String]) throws -> CommandResult { try AmpfixBinary.run(["check"] + arguments) }
    /// The repository's data files, as the package installs them.
    static let data = ["--kernel-support", PackageLayout.root + "/data/kernel-support.tsv", "--policy-module", PackageLayout.policyModule]

    @Test func theBrokenSampleWarnsAndTheHealthyOneIsOK() throws {
        let broken = try SampleHost.build()
        let before = TreeSnapshot.take(broken.path)
        let warning = try Self.check(["--root", broken.path])
        #expect(warning.status == 1, "\(warning.stdout)\(warning.stderr)")
        let first = try #require(warning.stdout.split(separator: "\n").first.map(String.init))
        #expect(first.hasPrefix("AMPFIX WARNING - faults present: 5, 6, 7, 8, 9, 11, 19"), "\(first)")
        let all = FaultID.allCases.count
        // Fault 16 is ok by the sample kernel's configuration alone (no support table given).
        #expect(first.hasSuffix(" | present=7;1;;0;\(all) unknown=0;;1;0;\(all)"), "\(first)")
        #expect(warning.stdout.contains("\nfault 5 present: "), "\(warning.stdout)")
        #expect(TreeSnapshot.take(broken.path) == before, "a check changes nothing, not even a lock file")

        let healthy = try SampleHost.build(healthy: true)
        let ok = try Self.check(["--root", healthy.path] + Self.data)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout == "AMPFIX OK - no fault present (\(all) checked) | present=0;1;;0;\(all) unknown=0;;1;0;\(all)\n", "\(ok.stdout)")
    }

    /// Metrics asked for and not written: before, the check said OK and exited 0, and only a
    /// stale file would have told. An OK becomes UNKNOWN with the reason; a WARNING stays.
    @Test func metricsThatCannotBeWrittenAreNeverOK() throws {
        let healthy = try SampleHost.build(healthy: true)
        let nowhere = TempRoot("metrics").at("missing-directory/ampfix.prom")
        let ok = try Self.check(["--root", healthy.path, "--prometheus", nowhere] + Self.data)
        #expect(ok.status == 3, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("AMPFIX UNKNOWN - the faults are ok, but the metrics were not written: ") && ok.stdout.contains(nowhere), "\(ok.stdout)")
        let broken = try SampleHost.build()
        let warning = try Self.check(["--root", broken.path, "--prometheus", nowhere] + Self.data)
        #expect(warning.status == 1, "\(warning.stdout)")
    }

    @Test func aFaultTheConnectorRaisesIsCriticalAndNamedFaultsNarrowTheCheck() throws {
        let root = try SampleHost.build()
        let critical = try Self.check(["--root", root.path, "--ampcli", root.at("opt/cisco/amp/bin/ampcli")])
        #expect(critical.status == 2, "\(critical.stdout)\(critical.stderr)")
        #expect(critical.stdout.hasPrefix("AMPFIX CRITICAL - raised by the connector: 7, 18; "), "\(critical.stdout)")

        // A kernel with neither a configuration nor a support table to read: 16 is unknown.
        try FileManager.default.removeItem(atPath: root.at("boot/config-6.1.0-sample-amd64"))
        let two = try Self.check(["--root", root.path, "16", "5"])
        #expect(two.status == 1)
        #expect(two.stdout.hasPrefix("AMPFIX WARNING - faults present: 5; could not evaluate: 16 | present=1;1;;0;2 unknown=1;;1;0;2\n"), "\(two.stdout)")

        let unknown = try Self.check(["--root", root.path, "16"])
        #expect(unknown.status == 3 && unknown.stdout.hasPrefix("AMPFIX UNKNOWN - could not evaluate: 16 | "), "\(unknown.stdout)")
    }

    @Test func whatKeepsItFromCheckingIsUnknownInOneLineNeverAmpfixsOwnCodes() throws {
        for arguments in [["--root", "relative"], ["--bogus"], ["20"], ["--root", "/nonexistent-ampfix-root"]] {
            let result = try Self.check(arguments)
            #expect(result.status == 3, "\(arguments): \(result.status) \(result.stdout)\(result.stderr)")
            #expect(result.stdout.hasPrefix("AMPFIX UNKNOWN - ") && result.stdout.filter { $0 == "\n" }.count == 1, "\(arguments): \(result.stdout)")
        }
        let help = try Self.check(["--help"])
        #expect(help.status == 0 && help.stdout.contains("EXIT STATUS (the monitoring plugin codes"), "\(help.stdout)")
    }
}
