/// Looks at where planned changes stand, without changing anything. Dry-run gets only this.
public protocol ChangeInspector {
    /// Where the change stands now.
    func state(of change: Change) throws -> ChangeState
    /// Why applying the change would fail, or nil when it should succeed.
    func precondition(of change: Change) -> String?
}

/// Applies changes to the host. The executor, recovery and undo go through it and nothing else.
public protocol ChangeApplier: ChangeInspector {
    /// The kinds of change this adapter applies. A `ChangeRouter` hands it these and no others,
    /// and refuses two adapters that claim the same kind.
    var kinds: Set<ChangeKind> { get }
    /// Makes the change.
    func apply(_ change: Change) throws
}
