import AmpfixCore
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

/// `ampfix sample` on this machine's kernel: fanotify and the proc connector, as root. A program
/// of the test's own, started in a loop, must be counted with its starts and its parent.
@Suite struct EventSamplerTests {
    @Test(.enabled(if: Privileges.isRoot, "fanotify and the proc connector need root"))
    func aBusyProgramIsCountedWithItsStartsAndParent() throws {
        let tools = TempRoot("sampler")
        let busy = tools.at("ampfix-busy-program")
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: busy)
        // Starts `busy` over and over, for longer than the sample.
        let loop = try Command.start("/bin/sh", ["-c", "end=$(($(date +%s) + 6)); while [ $(date +%s) -lt $end ]; do \"$0\"; done", busy])
        defer { kill(loop.pid, SIGKILL); _ = loop.wait() }
        let run = try AmpfixBinary.run(["sample", "--seconds", "2", "--top", "100000", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try JSONDecoder().decode(EventSampleReport.self, from: Data(run.stdout.utf8))
        print("sample: \(report.total) events in \(report.seconds) s; files: \(report.fileEvents); starts: \(report.processStarts)")
        #expect(report.fileEvents.hasPrefix("fanotify"), "\(report.fileEvents)")
        #expect(report.processStarts.hasPrefix("proc connector"), "\(report.processStarts)")
        let row = try #require(report.top.first { $0.executable == busy }, "\(report.top.prefix(5))")
        #expect(row.processStarts > 10, "\(row)")
        #expect(row.fileEvents > 0, "its own open-exec, at least")
        #expect(row.parents.contains("/usr/bin/dash") || row.parents.contains("/bin/dash") || row.parents.contains { $0.hasSuffix("sh") }, "\(row.parents)")
    }

    @Test func badArgumentsAreRefused() throws {
        let run = try AmpfixBinary.run(["sample", "--seconds", "0"])
        #expect(run.status == 64 && run.stderr.contains("--seconds must be more than 0"))
    }
}
