/// What a run needs of the host: the core's view of the adapters, composed by the caller.
public struct RunHost {
    /// Read-only facts: all a diagnosis sees.
    public var facts: any HostFacts
    /// Every change kind's adapter; dry-run gets only its `inspector`.
    public var changes: ChangeRouter
    public var journal: any JournalStore
    public var lock: any RunLockPlace
    /// The root, for reports.
    public var root: String

    public init(facts: any HostFacts, changes: ChangeRouter, journal: any JournalStore, lock: any RunLockPlace, root: String) {
        self.facts = facts
        self.changes = changes
        self.journal = journal
        self.lock = lock
        self.root = root
    }
}
