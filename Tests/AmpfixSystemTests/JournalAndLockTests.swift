import AmpfixCore
import AmpfixSystem
import AmpfixTestSupport
import Foundation
import Glibc
import Testing

@Suite struct JournalAndLockTests {
    @Test func journalFilesAreAppendOnlyAndPrivate() throws {
        let root = TempRoot()
        let store = JournalDirectory(fs: try RootedFileSystem(root: root.path))
        #expect(try store.runs().isEmpty)
        try store.append("{\"a\":1}", to: "20260101T000000000Z-1")
        try store.append("{\"b\":2}", to: "20260101T000000000Z-1")
        try store.append("{\"c\":3}", to: "20250101T000000000Z-9")
        #expect(try store.runs() == ["20250101T000000000Z-9", "20260101T000000000Z-1"])
        // The final empty element: the file ends with a newline (its last record is whole).
        #expect(try store.lines(of: "20260101T000000000Z-1") == ["{\"a\":1}", "{\"b\":2}", ""])
        #expect(root.attributes("var/lib/ampfix/journal")?.mode == 0o700)
        #expect(root.attributes("var/lib")?.mode == 0o755, "created parents are not private")
        #expect(root.attributes("var/lib/ampfix")?.mode == 0o755)
        #expect(root.attributes("var/lib/ampfix/journal/20260101T000000000Z-1.jsonl")?.mode == 0o600)
    }

    @Test func aSecondLockWaitsThenGivesUpWithAMessage() throws {
        let root = TempRoot()
        let fs = try RootedFileSystem(root: root.path)
        let first = try RunLock.acquire(fs, timeout: 1, create: true)
        #expect(first != nil)
        var waited: [String] = []
        let start = Date()
        do {
            _ = try RunLock.acquire(fs, timeout: 0.3, create: true) { waited.append($0.description) }
            Issue.record("a second lock was granted while the first is held")
        } catch let error as HostError {
            #expect(error.description.contains("pid \(getpid())"))
            #expect(error.description.contains("--lock-timeout"))
        }
        #expect(Date().timeIntervalSince(start) >= 0.3)
        #expect(waited.count == 1)
        withExtendedLifetime(first) {}
    }

    /// A tool ampfix started can outlive it (ampfix killed while useradd writes): the lock stays
    /// taken until the tool ends, so the next run never recovers under a running useradd.
    @Test func theLockStaysWithAToolThatOutlivesTheRun() throws {
        let root = TempRoot()
        let fs = try RootedFileSystem(root: root.path)
        var first = try RunLock.acquire(fs, timeout: 1, create: true)
        #expect(first != nil)
        // The tool runs for 2 s and the run lets go of its own descriptor meanwhile (as a killed
        // ampfix would, with useradd still writing). What a tool leaves running after it ended
        // holds nothing (ProgramsTests.whatAToolLeavesRunningDoesNotHoldTheRunLock).
        let tool = Thread { _ = try? Programs.run("sh", ["-c", "sleep 2"]) }
        tool.start()
        usleep(300_000)
        first = nil
        do {
            _ = try RunLock.acquire(fs, timeout: 0.2, create: true)
            Issue.record("the lock was granted while a tool the first run started still runs")
        } catch let error as HostError {
            #expect(error.description.contains("--lock-timeout"))
        }
        // Once the tool is gone, the lock is free (waits for the sleep to end).
        let later = try RunLock.acquire(fs, timeout: 30, create: true)
        #expect(later != nil)
    }

    @Test func dryRunLockCreatesNothing() throws {
        let root = TempRoot()
        let before = TreeSnapshot.take(root.path)
        let lock = try RunLock.acquire(try RootedFileSystem(root: root.path), timeout: 1, create: false)
        #expect(lock == nil)
        #expect(TreeSnapshot.take(root.path) == before)
    }
}
