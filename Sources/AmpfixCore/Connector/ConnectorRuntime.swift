/// What asking the running connector for its status gave.
public enum ConnectorStatusReading: Sendable, Equatable {
    /// Nobody to ask: the connector is not installed, or no connector runs under --root and no
    /// --ampcli was given. The reason.
    case unavailable(Message)
    /// ampcli ran but gave no usable status: timed out, failed to start, printed no status.
    case failed(Message)
    /// The parsed status; `note` says what was odd but not fatal (a non-zero exit status).
    case read(ConnectorStatus, command: String, note: Message?)
}

/// The running connector, read beside the host's files: its status command (run with a
/// deadline). Implemented in AmpfixHost over the real `ampcli`; tests use stand-in scripts.
public protocol ConnectorRuntime {
    func status() -> ConnectorStatusReading
}

/// A stand-in for where no connector can be asked (tests of other faults, images).
public struct NoConnectorRuntime: ConnectorRuntime {
    public let reason: Message
    public init(reason: Message) { self.reason = reason }
    public func status() -> ConnectorStatusReading { .unavailable(reason) }
}
