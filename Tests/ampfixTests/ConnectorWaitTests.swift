import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// `--wait DURATION` (fault 6): the binary asks a stand-in ampcli again and again; the stand-in
/// counts its calls in a file and raises fault 6 for the first N of them.
@Suite struct ConnectorWaitTests {
    /// A stand-in raising fault 6 on its first `raisedFor` calls, then none.
    static func standIn(_ tools: TempRoot, raisedFor: Int) throws -> String {
        try ConnectorStatusCommandTests.standIn(tools, """
            count=$(( $(cat "\(tools.at("calls"))" 2>/dev/null || echo 0) + 1 ))
            echo $count > "\(tools.at("calls"))"
            echo 'Status: Connected'
            if [ $count -le \(raisedFor) ]; then
              printf 'Faults: 1 Major\\nFault IDs: 6\\nID 6 - Major: Scan service restarting frequently.\\n'
            else
              echo 'Faults: None'
            fi
            """)
    }

    static func calls(_ tools: TempRoot) throws -> Int {
        Int(try String(contentsOfFile: tools.at("calls"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// `--fault 6 --wait WAIT` on the sample host, its connector raising 6 on its first `raisedFor` asks.
    static func repair(raisedFor: Int, wait: String) throws -> (tools: TempRoot, result: CommandResult) {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let ampcli = try standIn(tools, raisedFor: raisedFor)
        return (tools, try AmpfixBinary.run(["--root", sample.path, "--ampcli", ampcli, "--fault", "6", "--wait", wait, "--json"]))
    }

    static func fault6(_ result: CommandResult) throws -> FaultReport {
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        return try #require(report.faults.first { $0.id == 6 })
    }

    @Test func theWaitEndsWhenTheConnectorClearsTheFault() throws {
        let (tools, result) = try Self.repair(raisedFor: 3, wait: "20s")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let fault = try Self.fault6(result)
        #expect(fault.initialStatus == .present && fault.status == .ok && fault.raisedByConnector == RaisedByConnector.no)
        // One ask before the repair, then 3 while waiting (2 raised, 1 cleared): the wait stops there.
        #expect(try Self.calls(tools) == 4)
        #expect(fault.evidence.contains { $0.contains("the connector cleared fault 6 (asked 3 times)") }, "\(fault.evidence)")
    }

    @Test func theWaitEndsAtItsLimitWhenTheFaultStays() throws {
        let started = ContinuousClock.now
        let (tools, result) = try Self.repair(raisedFor: 1000, wait: "1.5")
        let took = started.duration(to: .now)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(took >= .milliseconds(1500) && took < .seconds(6), "\(took)")
        let fault = try Self.fault6(result)
        #expect(fault.status == .present && fault.evidence.contains { $0.contains("the connector still raises fault 6") }, "\(fault.evidence)")
        // Every 0.15 s (a tenth of the limit) over 1.5 s.
        let asks = try Self.calls(tools)
        #expect((5...14).contains(asks), "\(asks) asks")
    }

    @Test func noWaitWhenTheConnectorDidNotRaiseTheFault() throws {
        let (tools, result) = try Self.repair(raisedFor: 0, wait: "10m")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.calls(tools) == 1, "asked once, not waited for")
    }

    /// --wait only with a repair of fault 6, --package-lock-wait only before a repair, each with
    /// a duration written as the help says; the option refused is the one named.
    @Test(arguments: [["--wait", "10m"], ["--fault", "5", "--wait", "10m"], ["--fault", "6", "--wait", "0"], ["--fault", "6", "--wait", "ten"],
                      ["--fault", "6", "--wait", "25h"], ["--all", "--dry-run", "--wait", "1m"],
                      ["--package-lock-wait", "10m"], ["--fault", "11", "--dry-run", "--package-lock-wait", "10m"],
                      ["--fault", "11", "--package-lock-wait", "0"], ["--fault", "11", "--package-lock-wait", "0x10s"],
                      ["--fault", "11", "--package-lock-wait", "1e2s"], ["--fault", "11", "--package-lock-wait", "+10s"],
                      ["--fault", "11", "--package-lock-wait", "0.0004s"], ["--fault", "11", "--package-lock-wait", "25h"]])
    func aWaitWithoutItsRepairOrABadDurationIsRefused(_ arguments: [String]) throws {
        let sample = try SampleHost.build()
        let before = TreeSnapshot.take(sample.path)
        let result = try AmpfixBinary.run(["--root", sample.path] + arguments)
        let option = arguments.first { $0.hasSuffix("wait") } ?? "--wait"
        #expect(result.status == 64 && result.stderr.contains(option), "\(arguments): \(result.stderr)")
        #expect(TreeSnapshot.take(sample.path) == before)
    }
}
