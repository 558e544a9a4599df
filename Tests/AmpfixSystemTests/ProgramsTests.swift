import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
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

    /// The run lock is held while a tool runs, by a shell that waits for it, never by the tool:
    /// before, a process the tool left running (a daemon a module build starts) kept the lock's
    /// descriptor after ampfix ended, and every later run waited for it and failed.
    @Test func whatAToolLeavesRunningDoesNotHoldTheRunLock() throws {
        let directory = TempRoot("lock")
        let opened = open(directory.at("ampfix.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // A descriptor above 9, as ampfix's lock has once libraries are open: before, sh read
        // `41>&-` as the argument "41" and a closed stdout (this test passed alone, failed in
        // the full suite with "echo: I/O error").
        let fd = fcntl(opened, F_DUPFD_CLOEXEC, 40)
        close(opened)
        #expect(fd >= 40 && flock(fd, LOCK_EX | LOCK_NB) == 0)
        Programs.keepOpenInTools(fd)
        // The tool starts a background process, says how many arguments it got, and lists its own descriptors.
        let during = try Programs.run("sh", ["-c", "sleep 60 >/dev/null 2>&1 & echo $!; echo \"$#\"; ls -l /proc/self/fd/ | grep -c ampfix.lock || true", "tool", "one", "two"])
        Programs.stopKeepingOpenInTools(fd)
        close(fd)
        let lines = during.output.split(separator: "\n")
        #expect(lines.count == 3 && lines[1] == "2", "the tool gets its arguments and its output, nothing more: \(during.output)")
        let background = try #require(pid_t(lines.first ?? ""))
        defer { kill(background, SIGKILL) }
        #expect(lines.last == "0", "the tool itself has no descriptor of the lock: \(during.output)")
        let again = open(directory.at("ampfix.lock"), O_RDWR | O_CLOEXEC)
        defer { close(again) }
        // A tool another test runs in parallel meanwhile holds it too (the set of held
        // descriptors is the process's) for at most its 2 s; the background sleep here, 60 s.
        var taken = flock(again, LOCK_EX | LOCK_NB) == 0
        for _ in 0..<50 where !taken {
            usleep(100_000)
            taken = flock(again, LOCK_EX | LOCK_NB) == 0
        }
        #expect(taken, "the lock is free once the tool ended, whatever it left running")
    }

    /// The raw calls go through the failure hook too: a pipe that cannot be made is an error
    /// naming the program, nothing is started.
    @Test func aPipeThatCannotBeMadeIsAnErrorNotAHang() throws {
        let error = Syscall.$failure.withValue({ $0 == "pipe" ? .tooManyOpenFiles : nil }) {
            #expect(throws: HostError.self) { try Programs.run("sh", ["-c", "echo started"]) }
        }
        #expect(error?.errno == .tooManyOpenFiles && error?.description.contains("/sh") == true, "\(String(describing: error))")
        let existing = TempRoot("exists")
        #expect(PathCheck.newFile(existing.path) != nil)
        Syscall.$failure.withValue({ $0 == "lstat" ? .noSuchFileOrDirectory : nil }) {
            #expect(PathCheck.newFile(existing.path) == nil, "lstat is the hook's too: failed, the directory reads as absent")
        }
    }

    @Test func aProgramWithinItsDeadlineReportsItsStatusAndOutput() throws {
        let result = try Programs.run("sh", ["-c", "echo out; echo err >&2; exit 3"], deadline: .seconds(10))
        #expect(result.timedOut == nil)
        #expect(result.status == 3)
        #expect(result.output == "out\nerr\n")
    }
}
