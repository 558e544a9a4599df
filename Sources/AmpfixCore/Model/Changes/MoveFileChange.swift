extension ChangeKind {
    public static let moveFile = ChangeKind("move-file")
}

/// Move a file to another path inside the root by rename(2): never a copy, so a 100+ MB
/// definitions file costs one directory entry and the journal holds its paths and identity
/// only. Missing parent directories of `to` are created (mode 0700). A move that would cross
/// file systems is refused.
public struct MoveFileChange: HostChange {
    public static let kind = ChangeKind.moveFile
    public static let journalName = "moveFile"

    public var from: String
    public var to: String
    public var file: FileIdentity

    public var target: String { from }
    public var beforeDescription: String { "at \(from)" }
    public var afterDescription: String { "at \(to)" }
    public var summary: Message { .msg("move \(from) (\(file.size) bytes) to \(to) (rename, not a copy)") }

    public func inverse(made: [String]?) -> Change? { .moveFile(from: to, to: from, file: file) }
}

extension Change {
    public static func moveFile(from: String, to: String, file: FileIdentity) -> Change { Change(MoveFileChange(from: from, to: to, file: file)) }
}
