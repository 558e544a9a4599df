import AmpfixCore
import AmpfixTestSupport
import Testing

@Suite struct JournalTests {
    let change = Change.directoryAttributes(
        path: "/opt/cisco/a",
        before: DirectoryAttributes(mode: 0o700, uid: 0, gid: 0),
        after: DirectoryAttributes(mode: 0o755, uid: 0, gid: 0)
    )

    @Test func replayFollowsTheRecords() throws {
        let store = MemoryJournal()
        let writer = JournalWriter(store: store, run: "r1")
        try writer.write(.begin, actions: [Action(fault: .scanUserUnavailable, change: change), Action(fault: .scanUserUnavailable, change: change)],
                         command: ["ampfix"])
        try writer.write(.intent, seq: 0)
        try writer.write(.done, seq: 0)
        try writer.write(.intent, seq: 1)
        var journal = try store.journal(of: "r1")
        #expect(journal.progress == [.done, .intended])
        #expect(journal.interrupted)
        try writer.write(.failed, seq: 1, message: .verbatim("EROFS"))
        try writer.write(.end)
        journal = try store.journal(of: "r1")
        #expect(journal.progress == [.done, .failed(.verbatim("EROFS"))])
        #expect(!journal.interrupted)
    }

    /// Records carry the store's time, not one the core read: with the test clock a journal is
    /// the same bytes every time, and its times run forward.
    @Test func recordsAreStampedWithTheStoresClock() throws {
        func journal() throws -> [String] {
            let store = MemoryJournal(start: 1_795_000_000)
            let writer = JournalWriter(store: store, run: "r")
            try writer.write(.begin, actions: [Action(fault: .scanUserUnavailable, change: change)], command: ["ampfix"])
            try writer.write(.intent, seq: 0)
            return store.files["r"] ?? []
        }
        let lines = try journal()
        #expect(try journal() == lines)
        #expect(lines[0].contains(#""time":"2026-11-18T11:06:40.000Z""#), "\(lines[0])")
        #expect(lines[1].contains(#""time":"2026-11-18T11:06:41.000Z""#), "\(lines[1])")
    }

    /// Found by fuzzing (Fuzz/corpus/Journal/second-begin-after-reverts): a second begin replaced
    /// the plan, leaving progress and reverts that named actions of the first.
    @Test func aSecondBeginIsAnErrorNotANewPlan() throws {
        let store = MemoryJournal()
        let writer = JournalWriter(store: store, run: "r3")
        try writer.write(.begin, actions: [Action(fault: .scanUserUnavailable, change: change)])
        try writer.write(.revertIntent, seq: 0)
        #expect(try store.journal(of: "r3").reverts.count == 1)
        try writer.write(.begin, actions: [])
        do {
            _ = try store.journal(of: "r3")
            Issue.record("a journal with two begin records was read")
        } catch {
            #expect("\(error)" == "cannot read journal memory:r3:3: a second 'begin' record; a journal holds one run. Inspect the file, then move it out of the journal directory to go on without that run")
        }
    }

    @Test func tornLastLineIsIgnoredButAMalformedMiddleLineNamesTheLine() throws {
        let store = MemoryJournal()
        let writer = JournalWriter(store: store, run: "r2")
        try writer.write(.begin, actions: [Action(fault: .scanUserUnavailable, change: change)])
        store.files["r2"]!.append("{\"type\":\"inte")
        let journal = try store.journal(of: "r2")
        #expect(journal.tornTail)
        store.files["r2"]!.append("{\"type\":\"end\",\"time\":\"x\"}")
        #expect(throws: JournalError.self) { try store.journal(of: "r2") }
        do {
            _ = try store.journal(of: "r2")
        } catch {
            #expect("\(error)" == "cannot read journal memory:r2:2: not a journal record; ampfix cannot tell what that run changed. Inspect the file, then move it out of the journal directory to go on without that run")
        }
    }

    @Test func executorJournalsEachActionBeforeApplyingIt() throws {
        let store = MemoryJournal()
        let host = MemoryDirectories(["/opt/cisco/a": DirectoryAttributes(mode: 0o700, uid: 0, gid: 0)])
        host.onApply = { _ in
            // Rule 1: when a change is made, its intent is already durable in the journal.
            #expect(store.files["run"]?.last?.contains("\"type\":\"intent\"") == true)
        }
        let outcomes = try Executor(store: store, applier: host).execute([Action(fault: .scanUserUnavailable, change: change)], run: "run", command: [])
        #expect(outcomes == [.applied])
        #expect(host.applied.count == 1)
        #expect(host.directories["/opt/cisco/a"]?.mode == 0o755)
    }

    @Test func aFailedChangeSkipsTheRestOfItsFault() throws {
        let store = MemoryJournal()
        let host = MemoryDirectories(["/opt/cisco/b": DirectoryAttributes(mode: 0o700, uid: 0, gid: 0)])
        let missing = Action(fault: .scanUserUnavailable, change: change)
        let second = Action(fault: .scanUserUnavailable, change: .directoryAttributes(
            path: "/opt/cisco/b", before: DirectoryAttributes(mode: 0o700, uid: 0, gid: 0), after: DirectoryAttributes(mode: 0o755, uid: 0, gid: 0)))
        let outcomes = try Executor(store: store, applier: host).execute([missing, second], run: "run", command: [])
        #expect(outcomes.map(\.label) == [.failed, .skipped])
        #expect(host.directories["/opt/cisco/b"]?.mode == 0o700)
        let journal = try store.journal(of: "run")
        #expect(!journal.interrupted)
        #expect(!journal.hasChanges)
    }

    /// Run "run" changed /opt/cisco/a and then /opt/cisco/c, which someone else edited afterwards.
    func twoChangesTheSecondEditedSince() throws -> (MemoryJournal, MemoryDirectories) {
        let store = MemoryJournal()
        let host = MemoryDirectories([
            "/opt/cisco/a": DirectoryAttributes(mode: 0o700, uid: 0, gid: 0),
            "/opt/cisco/c": DirectoryAttributes(mode: 0o711, uid: 0, gid: 0),
        ])
        let c = Change.directoryAttributes(path: "/opt/cisco/c", before: DirectoryAttributes(mode: 0o711, uid: 0, gid: 0),
                                           after: DirectoryAttributes(mode: 0o755, uid: 0, gid: 0))
        _ = try Executor(store: store, applier: host).execute([Action(fault: .scanUserUnavailable, change: change), Action(fault: .scanUserUnavailable,
                change: c)], run: "run", command: [])
        host.directories["/opt/cisco/c"]?.mode = 0o750
        return (store, host)
    }

    @Test func undoRevertsNewestFirstAndLeavesLaterEditsAlone() throws {
        let (store, host) = try twoChangesTheSecondEditedSince()
        let undo = Undo(store: store, applier: host)
        #expect(try undo.latestUndoableRun() == "run")
        let result = try undo.undo(run: nil)
        #expect(result.items.map(\.outcome.label) == ["skipped", "reverted"])
        #expect(host.directories["/opt/cisco/a"]?.mode == 0o700)
        #expect(host.directories["/opt/cisco/c"]?.mode == 0o750)
        #expect(try undo.latestUndoableRun() == nil)
        #expect(throws: JournalError.self) { try undo.undo(run: "run") }
    }

    /// A revert that fails (a read-only mount, a full disk) stays pending: before, the undo was
    /// final — `undo` said "nothing to undo", `undo RUN` "already undone", and the change was
    /// stranded on the host. The next undo retries it; one skipped because it changed meanwhile
    /// is not retried.
    @Test func aFailedRevertIsRetriedByTheNextUndo() throws {
        struct ReadOnly: Error, CustomStringConvertible { var description: String { "Read-only file system" } }
        let (store, host) = try twoChangesTheSecondEditedSince()  // the second: skipped, for good
        host.failure = { _ in ReadOnly() }
        let undo = Undo(store: store, applier: host)
        let first = try undo.undo(run: nil)
        #expect(first.items.map(\.outcome.label) == ["skipped", "failed"])
        #expect(host.directories["/opt/cisco/a"]?.mode == 0o755, "still changed")
        #expect(try store.journal(of: "run").failedReverts == [0])
        #expect(try undo.latestUndoableRun() == "run", "the run is still to undo")

        host.failure = { _ in nil }  // remounted read-write
        let second = try undo.undo(run: "run")
        #expect(second.items.map(\.outcome.label) == ["reverted"], "only the failed revert is tried again")
        #expect(host.directories["/opt/cisco/a"]?.mode == 0o700)
        #expect(host.directories["/opt/cisco/c"]?.mode == 0o750)
        #expect(try store.journal(of: "run").undoComplete)
        #expect(try undo.latestUndoableRun() == nil)
        #expect(throws: JournalError.self) { try undo.undo(run: "run") }
    }

    @Test func recoveryCompletesAnInterruptedRepair() throws {
        let store = MemoryJournal()
        let host = MemoryDirectories(["/opt/cisco/a": DirectoryAttributes(mode: 0o700, uid: 0, gid: 0)])
        let writer = JournalWriter(store: store, run: "crashed")
        try writer.write(.begin, actions: [Action(fault: .scanUserUnavailable, change: change)], onInterrupt: .complete)
        try writer.write(.intent, seq: 0)
        let recovery = Recovery(store: store, applier: host)
        #expect(try store.interruptedRuns().map(\.run) == ["crashed"])
        let notes = try recovery.recover()
        #expect(notes.count == 1)
        #expect(host.directories["/opt/cisco/a"]?.mode == 0o755)
        #expect(try store.interruptedRuns().isEmpty)
    }

    @Test func recoveryRollsBackWhenThePolicySaysSo() throws {
        let store = MemoryJournal()
        let host = MemoryDirectories(["/opt/cisco/a": DirectoryAttributes(mode: 0o755, uid: 0, gid: 0)])
        let writer = JournalWriter(store: store, run: "temporary")
        try writer.write(.begin, actions: [Action(fault: .scanUserUnavailable, change: change)], onInterrupt: .rollback)
        try writer.write(.intent, seq: 0)
        try writer.write(.done, seq: 0)
        _ = try Recovery(store: store, applier: host).recover()
        #expect(host.directories["/opt/cisco/a"]?.mode == 0o700)
        let journal = try store.journal(of: "temporary")
        #expect(journal.undoEnded && !journal.interrupted)
    }
}
