/// Looks at where planned changes stand, without changing anything. Dry-run gets only this.
public protocol ChangeInspector {
    /// Where the change stands now.
    func state(of change: Change) throws -> ChangeState
    /// Why applying the change would fail, or nil when it should succeed.
    func precondition(of change: Change) -> Message?
}

/// Applies changes to the host. The executor, recovery and undo go through it and nothing else.
public protocol ChangeApplier: ChangeInspector {
    /// The kinds of change this adapter applies. A `ChangeRouter` hands it these and no others,
    /// and refuses two adapters that claim the same kind.
    var kinds: Set<ChangeKind> { get }
    /// Makes the change.
    func apply(_ change: Change) throws
    /// Puts back what the adapter's own tool leaves half-done when a process is killed inside
    /// `change` (libsemanage between its two renames of the store), so that the change's state
    /// can be read again. Called only for a step resumed after an interruption, before its
    /// state is read; returns what it did, for the journal, or nil when there was nothing.
    func finishInterrupted(_ change: Change) throws -> Message?
    /// What a change made, read back just after it was made, for the journal: what its undo
    /// compares the object with (an account's lines), or nil when the change's own values say
    /// it all.
    func record(of change: Change) -> [String]?
}

extension ChangeApplier {
    public func finishInterrupted(_ change: Change) throws -> Message? { nil }
    public func record(of change: Change) -> [String]? { nil }
}
