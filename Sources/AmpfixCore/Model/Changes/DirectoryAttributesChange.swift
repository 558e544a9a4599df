extension ChangeKind {
    public static let directoryAttributes = ChangeKind("directory-attributes")
}

/// Set a directory's mode and owner. Applied through a descriptor opened without following
/// symbolic links.
public struct DirectoryAttributesChange: HostChange {
    public static let kind = ChangeKind.directoryAttributes
    public static let journalName = "directoryAttributes"

    public var path: String
    public var before: DirectoryAttributes
    public var after: DirectoryAttributes

    public var target: String { path }
    public var beforeDescription: String { before.description }
    public var afterDescription: String { after.description }
    public var summary: Message {
        var parts: [Message] = []
        if before.mode != after.mode { parts.append(.msg("mode \(before.octalMode) -> \(after.octalMode)")) }
        if before.uid != after.uid { parts.append(.msg("owner uid \(before.uid) -> \(after.uid)")) }
        if before.gid != after.gid { parts.append(.msg("group gid \(before.gid) -> \(after.gid)")) }
        return parts.isEmpty ? .msg("set \(path): no difference") : .msg("set \(path): \(Message.joined(parts, separator: ", "))")
    }

    public func inverse(made: [String]?) -> Change? { .directoryAttributes(path: path, before: after, after: before) }
}

extension Change {
    public static func directoryAttributes(path: String, before: DirectoryAttributes,
                                           after: DirectoryAttributes) -> Change { Change(DirectoryAttributesChange(path: path, before: before, after: after)) }
}
