import AmpfixSystem
import Foundation
import Testing

/// The system's tools run with a deadline: a hung helper must not hang ampfix (or dpkg, when
/// ampfix runs from a package hook).
@Suite struct ProgramsTests {
    @Test func aProgramPastItsDeadlineIsKilledWithWhatItStarted() throws {
        let clock = ContinuousClock()
        let start = clock.now
        // The shell starts a background sleep that holds the output pipe open as well.
        let result = try Programs.run("sh", ["-c", "sleep 30 & echo $!; sleep 30"], deadline: .milliseconds(500))
        let elapsed = start.duration(to: clock.now)
        #expect(elapsed < .seconds(5), "returned after \(elapsed)")
        #expect(elapsed >= .milliseconds(500))
        #expect(result.timedOut == .milliseconds(500))
        #expect(result.status == 128 + SIGKILL)
        let background = try #require(Int32(result.output.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Gone, or a zombie waiting for its reaper: not running. SIGKILL is delivered
        // asynchronously, so a loaded machine may take a moment to end it.
        func state() -> Substring? {
            (try? String(contentsOfFile: "/proc/\(background)/stat", encoding: .utf8))?.split(separator: " ")[2]
        }
        let patience = clock.now.advanced(by: .seconds(2))
        while let now = state(), now != "Z", clock.now < patience { usleep(10_000) }
        #expect(state() == nil || state() == "Z", "the background sleep \(background) is \(state() ?? "?")")
        let error = #expect(throws: HostError.self) { try Programs.check("sh", ["-c", "sleep 30"], deadline: .milliseconds(200)) }
        guard case .program(let killed)? = error?.cause else { Issue.record("not a program's failure: \(String(describing: error))"); return }
        #expect(killed.timedOut == .milliseconds(200) && killed.argv.last == "sleep 30")
        let said = error?.description ?? ""
        #expect(said.hasPrefix("cannot run /") && said.hasSuffix("/sh -c sleep 30: was killed after 0.2 seconds without finishing"), "\(said)")
    }

    @Test func aProgramWithinItsDeadlineReportsItsStatusAndOutput() throws {
        let result = try Programs.run("sh", ["-c", "echo out; echo err >&2; exit 3"], deadline: .seconds(10))
        #expect(result.timedOut == nil)
        #expect(result.status == 3)
        #expect(result.output == "out\nerr\n")
    }
}
