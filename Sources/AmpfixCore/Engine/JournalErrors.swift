/// A journal ampfix cannot read or use as asked (no such run, nothing to undo, a damaged file).
public struct JournalError: Error, CustomStringConvertible, Equatable, MessageConvertible {
    public var message: Message
    public init(_ message: Message) { self.message = message }
    public var description: String { message.description }
}

/// A journal with no whole `begin` record: the process died at its first write (or the disk was
/// full), or the file is not ampfix's. The begin record is made durable before any change, so
/// such a run changed nothing; it is set aside, never allowed to block later runs.
public struct JournalWithoutBegin: Error, CustomStringConvertible, MessageConvertible {
    public var run: String
    public var location: String
    public var message: Message { .msg("journal \(location) has no whole 'begin' record (that run changed nothing)") }
    public var description: String { message.description }
}
