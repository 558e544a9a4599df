/// Durable storage of run journals: one append-only file of JSON lines per run.
public protocol JournalStore {
    /// Every run recorded, oldest first.
    func runs() throws -> [String]
    /// The lines of one run's journal.
    func lines(of run: String) throws -> [String]
    /// Appends one line and makes it durable before returning (write, fsync).
    func append(_ line: String, to run: String) throws
    /// Throws what `append` to the run's existing journal would throw before writing (a journal
    /// with another name, a read-only file system), writing nothing: a dry run's check.
    func checkAppendable(_ run: String) throws
    /// Where the journal lives, for messages.
    func location(of run: String) -> String
    /// Marks a run as in progress for as long as the returned object lives (released by the
    /// kernel even on SIGKILL), so that another ampfix does not recover it meanwhile.
    func claim(_ run: String) throws -> AnyObject
    /// Whether a live process holds the run's claim.
    func isClaimed(_ run: String) -> Bool
    /// Moves a run's journal out of the way (a journal without a begin record), keeping its
    /// bytes; returns where it went.
    func setAside(_ run: String) throws -> String
    /// The time to stamp a record with: the store's clock (the core reads no clock itself).
    func now() -> UTCTimestamp
}

extension JournalStore {
    /// Runs a crash interrupted, which the next run finishes first; found without touching
    /// anything (dry-run lists them). A run whose process is still alive (it holds the run's
    /// claim) is not interrupted, only in progress.
    public func interruptedRuns() throws -> [RunJournal] {
        try journals().readable.filter { $0.interrupted && !isClaimed($0.run) }
    }

    /// Every run's journal, oldest first, and apart the runs whose journal has no begin record
    /// (they changed nothing, and are skipped by everything but recovery, which sets them aside).
    public func journals() throws -> (readable: [RunJournal], withoutBegin: [JournalWithoutBegin]) {
        var readable: [RunJournal] = []
        var withoutBegin: [JournalWithoutBegin] = []
        for run in try runs() {
            do { readable.append(try journal(of: run)) } catch let error as JournalWithoutBegin {
                withoutBegin.append(error)
            }
        }
        return (readable, withoutBegin)
    }
}

/// A claim held through an open descriptor (an flock). A command ampfix runs while the claim
/// holds inherits the descriptor, so that the claim lives as long as the command does, even if
/// ampfix is killed: no later run rolls back what the command still relies on.
public protocol InheritableClaim: AnyObject {
    var descriptor: Int32 { get }
}
