public struct JournalError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A journal with no whole `begin` record: the process died at its first write (or the disk was
/// full), or the file is not ampfix's. The begin record is made durable before any change, so
/// such a run changed nothing; it is set aside, never allowed to block later runs.
public struct JournalWithoutBegin: Error, CustomStringConvertible {
    public var run: String
    public var location: String
    public var description: String { "journal \(location) has no whole 'begin' record (that run changed nothing)" }
}
