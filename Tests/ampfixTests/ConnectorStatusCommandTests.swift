import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// `--ampcli PATH`: real stand-in programs in place of the connector's ampcli, run by the binary
/// with its deadline.
@Suite struct ConnectorStatusCommandTests {
    static func standIn(_ root: TempRoot, _ body: String) throws -> String {
        try root.write("bin/ampcli", "#!/bin/sh\n[ \"$1\" = status ] || exit 64\n" + body + "\n", mode: 0o755)
        return root.at("bin/ampcli")
    }

    static func report(_ sample: TempRoot, _ ampcli: String, _ extra: [String] = []) throws -> (CommandResult, Report) {
        let result = try AmpfixBinary.run(["--root", sample.path, "--ampcli", ampcli, "--json"] + extra)
        return (result, try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8)))
    }

    static func raised(_ report: Report) -> [Int: RaisedByConnector] {
        Dictionary(uniqueKeysWithValues: report.faults.map { ($0.id, $0.raisedByConnector ?? .unknown) })
    }

    @Test func aStatusWithOneFaultIsReadAndShownPerFault() throws {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let ampcli = try Self.standIn(tools, """
            echo '[logger] Set minimum reported log level to notice'
            printf 'Status: Connected\\nMode: Degraded\\nFaults: 1 Major\\nFault IDs: 18\\nID 18 - Major: Connector event monitoring is overloaded.\\n'
            """)
        try sample.write("opt/cisco/amp/etc/global.xml", "<config><agent><version>1.24.2.1058</version></agent></config>\n")
        let (_, report) = try Self.report(sample, ampcli)
        let connector = try #require(report.connector)
        #expect(connector.reading == .read && connector.mode == "Degraded" && connector.version == "1.24.2.1058")
        #expect(connector.raised.map(\.id) == [18] && connector.raised.first?.severity == "Major" && connector.raised.first?.text == "Connector event monitoring is overloaded.")
        #expect(Self.raised(report)[18] == .yes && Self.raised(report)[6] == .no && Self.raised(report)[5] == .no)
        #expect(report.faults.first { $0.id == 18 }?.status == .present)
        #expect(report.faults.first { $0.id == 6 }?.status == .ok)
        let text = try AmpfixBinary.run(["--root", sample.path, "--ampcli", ampcli]).stdout
        #expect(text.contains("connector: Status Connected, Mode Degraded, version 1.24.2.1058, raises 18 (Major)"), "\(text)")
    }

    @Test func noFaultsAndSeveralFaults() throws {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let none = try Self.standIn(tools, "printf 'Status: Connected\\nMode: Normal\\nFaults: None\\n'")
        #expect(Self.raised(try Self.report(sample, none).1).values.allSatisfy { $0 == .no })
        let several = try Self.standIn(tools, "printf 'Status: Connected\\nFaults: 3 Major\\nFault IDs: 5, 6, 19\\n'")
        let raised = Self.raised(try Self.report(sample, several).1)
        #expect(raised.filter { $0.value == .yes }.keys.sorted() == [5, 6, 19])
    }

    @Test func garbageEmptyAndAFailingExitAreSaidSo() throws {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let garbage = try Self.standIn(tools, "echo 'cannot connect to /var/run/ampd.sock'; exit 1")
        let (_, broken) = try Self.report(sample, garbage)
        #expect(broken.connector?.reading == .failed)
        #expect(broken.connector?.reason?.contains("printed no status and exited with status 1") == true, "\(String(describing: broken.connector))")
        #expect(broken.faults.first { $0.id == 6 }?.status == .present, "no word from the connector: the sample's crash lines decide")
        #expect(Self.raised(broken).values.allSatisfy { $0 == .unknown })

        let empty = try Self.standIn(tools, "exit 0")
        #expect(try Self.report(sample, empty).1.connector?.reason?.contains("it printed nothing") == true)

        let nonZero = try Self.standIn(tools, "printf 'Status: Connected\\nFault IDs: 6\\n'; exit 3")
        let (_, odd) = try Self.report(sample, nonZero)
        #expect(odd.connector?.reading == .read && odd.connector?.reason?.contains("exited with status 3") == true)
        #expect(Self.raised(odd)[6] == .yes)
    }

    /// A status past the 1 MiB ampfix reads was cut without a word, and a fault line after the
    /// cut was lost (a false "no faults"): now the answer is no answer, and says why.
    @Test func aStatusPastItsLimitIsNoAnswer() throws {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let chatty = try Self.standIn(tools, "echo 'Status: Connected'; head -c 2000000 /dev/zero | tr '\\0' x; printf '\\nFault IDs: 6\\n'")
        let (_, report) = try Self.report(sample, chatty, ["--fault", "6"])
        #expect(report.connector?.reading != .read, "\(String(describing: report.connector))")
        #expect(report.connector?.reason?.contains("printed 2000032 bytes, more than the 1 MiB a status is") == true, "\(String(describing: report.connector))")
        #expect(Self.raised(report)[6] == .unknown)
    }

    @Test func aHangingStatusIsKilledAtTheDeadline() throws {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let hanging = try Self.standIn(tools, "echo 'Status: Connected'; sleep 60")
        let clock = ContinuousClock()
        let start = clock.now
        let (_, report) = try Self.report(sample, hanging, ["--status-timeout", "1", "--fault", "6"])
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(10), "\(elapsed)")
        #expect(elapsed >= .seconds(1), "\(elapsed)")
        #expect(report.connector?.reason?.contains("did not answer within 1.0 seconds and was killed") == true, "\(String(describing: report.connector))")
        #expect(report.faults[0].status == .present, "no word from the connector: the sample's crash lines decide")
    }

    @Test func aRunOfOtherFaultsDoesNotAskTheConnector() throws {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let ampcli = try Self.standIn(tools, "touch \(tools.at("asked")); printf 'Status: Connected\\nFault IDs: 5\\n'")
        let (_, report) = try Self.report(sample, ampcli, ["--fault", "5", "--dry-run"])
        #expect(!FileManager.default.fileExists(atPath: tools.at("asked")), "ampcli was run for a fault that does not read it")
        #expect(report.connector == nil && report.faults[0].raisedByConnector == nil)
        _ = try Self.report(sample, ampcli, ["--fault", "6", "--dry-run"])
        #expect(FileManager.default.fileExists(atPath: tools.at("asked")), "fault 6 reads it")
    }

    @Test func aMissingAmpcliIsAUsageError() throws {
        let sample = try SampleHost.build()
        for arguments in [["--ampcli", sample.at("no/such/ampcli")], ["--status-timeout", "0"], ["--status-timeout", "nan"]] {
            let result = try AmpfixBinary.run(["--root", sample.path] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
        // Without --ampcli nothing is run under --root, and that is said (in JSON; text with -v).
        let result = try AmpfixBinary.run(["--root", sample.path, "--json"])
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.connector?.reading == .unavailable)
        #expect(report.connector?.reason?.contains("no connector runs under --root") == true)
    }
    /// The healthy sample with a connector that counts three faults and names none: before,
    /// "raises no fault" and a healthy exit 0. Faults 6, 7 and 18 are unknown now.
    @Test func aCountWithoutIdsIsNotAHealthyConnector() throws {
        let sample = try SampleHost.build(healthy: true)
        let tools = TempRoot("ampcli")
        let ampcli = try Self.standIn(tools, "printf 'Status: Connected\\nMode: Degraded\\nFaults: 3 Critical\\nFault IDs:\\n'")
        let (result, report) = try Self.report(sample, ampcli)
        #expect(result.status == 2, "\(result.stdout)")
        for id in [6, 7, 18] {
            #expect(report.faults.first { $0.id == id }?.status == .unknown, "fault \(id)")
            #expect(Self.raised(report)[id] == .unknown)
        }
        #expect(report.connector?.reason?.contains("Faults says 3, yet no fault id is listed") == true, "\(String(describing: report.connector))")
        #expect(report.connector?.faultListDisagrees == true)
        let text = try AmpfixBinary.run(["--root", sample.path, "--ampcli", ampcli]).stdout
        #expect(text.contains("raises faults ampfix cannot name"), "\(text)")
        // In Chinese too: before, the renderer looked for English words in the translated
        // reason and said "raises no fault" (未报告故障).
        if Programs.locate("msgfmt") != nil {
            let locale = try TranslationTests.compiledCatalogs()
            let chinese = try AmpfixBinary.run(["--root", sample.path, "--ampcli", ampcli, "--lang", "zh"], environment: ["AMPFIX_LOCALEDIR": locale.path]).stdout
            #expect(chinese.contains("报告了 ampfix 无法识别的故障") && !chinese.contains("未报告故障"), "\(chinese)")
        } else {
            print("skipped: the Chinese half (no msgfmt to compile the catalog)")
        }
    }
    /// A status command that prints its status and leaves a background child holding its
    /// output, and another detached with setsid: before, the valid status was thrown away as a
    /// time-out and the setsid child outlived ampfix. Now the answer ends at the command's exit,
    /// and both children are ended with it.
    @Test func aStatusCommandsLeftoverChildrenNeitherHideItsAnswerNorOutliveIt() throws {
        let sample = try SampleHost.build()
        let tools = TempRoot("ampcli")
        let ampcli = try Self.standIn(tools, """
            printf 'Status: Connected\\nFaults: 1 Major\\nFault IDs: 18\\n'
            sh -c 'echo $$ > \(tools.at("background.pid")); exec sleep 60' &
            setsid sh -c 'echo $$ > \(tools.at("detached.pid")); exec sleep 60' > /dev/null 2>&1 < /dev/null &
            sleep 0.3
            """)
        let started = ContinuousClock.now
        let (result, report) = try Self.report(sample, ampcli, ["--status-timeout", "10"])
        let elapsed = ContinuousClock.now - started
        #expect(report.connector?.reading == .read, "\(String(describing: report.connector)) \(result.stderr)")
        #expect(Self.raised(report)[18] == .yes)
        #expect(elapsed < .seconds(8), "the answer was taken at the command's exit, not at the deadline: \(elapsed)")
        for file in ["background.pid", "detached.pid"] {
            let text = try String(contentsOfFile: tools.at(file), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let pid = try #require(pid_t(text))
            var gone = false
            for _ in 0..<50 where !gone {
                // Gone, or a zombie waiting for init to reap it.
                let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
                gone = state == nil || state == "Z"
                if !gone { usleep(100_000) }
            }
            if !gone { kill(pid, SIGKILL) }
            #expect(gone, "\(file): the child \(pid) outlived ampfix")
        }
    }
}
