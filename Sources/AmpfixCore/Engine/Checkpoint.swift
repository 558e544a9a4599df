/// Points in a run where the test-only crash switch can end the process (SIGKILL), to prove that
/// recovery and undo hold whatever the moment. Counted per run (or per undo), from 1.
public enum Checkpoint: Sendable, Equatable {
    /// The Nth change is made and its result not yet journaled: a crash inside the action.
    case made(Int)
    /// The Nth change is made and journaled.
    case recorded(Int)
}
