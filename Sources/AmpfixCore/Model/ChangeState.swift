/// Where a change stands on the host right now, compared with its before and after states.
public enum ChangeState: Sendable, Equatable {
    case before
    case after
    /// Neither: something else changed the object. The text says what is there now.
    case other(Message)
}
