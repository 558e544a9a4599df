extension ChangeKind {
    public static let replaceFile = ChangeKind("replace-file")
}

/// Replace a file's content atomically (mode, owner and label kept); nil content means absent.
public struct ReplaceFileChange: HostChange {
    public static let kind = ChangeKind.replaceFile
    public static let journalName = "replaceFile"

    public var path: String
    public var before: FileContent?
    public var after: FileContent?

    public var target: String { path }
    public var beforeDescription: String { before.map { "\($0.bytes.count) bytes" } ?? "absent" }
    public var afterDescription: String { after.map { "\($0.bytes.count) bytes" } ?? "absent" }
    public var summary: Message {
        switch (before, after) {
        case (nil, nil): return .msg("replace \(path) (absent -> absent)")
        case (nil, let after?): return .msg("replace \(path) (absent -> \(after.bytes.count) bytes)")
        case (let before?, nil): return .msg("replace \(path) (\(before.bytes.count) bytes -> absent)")
        case (let before?, let after?): return .msg("replace \(path) (\(before.bytes.count) bytes -> \(after.bytes.count) bytes)")
        }
    }

    public func inverse(made: [String]?) -> Change? { .replaceFile(path: path, before: after, after: before) }
}

extension Change {
    public static func replaceFile(path: String, before: FileContent?, after: FileContent?) -> Change { Change(ReplaceFileChange(path: path, before: before,
            after: after)) }
}
