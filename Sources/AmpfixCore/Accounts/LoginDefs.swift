/// `/etc/login.defs` read the way shadow-utils' getdef reads it, byte for byte: `fgets` into a
/// 1024-byte buffer, so a line longer than 1023 bytes is read as more than one (its bytes after
/// the 1023rd are a line of their own to useradd — a long comment can end in a setting); a NUL
/// ends what is read of a piece; trailing white space (isspace) is dropped; `#` comments; a key
/// with no value is ignored; the value starts after blanks and quotes and ends at a quote; keys
/// are case-sensitive (shadow rejects `usergroups_enab` as an unknown item); the last occurrence
/// of a key wins; boolean values compare case-insensitively with "yes".
public struct LoginDefs: Sendable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        /// 1-based line number.
        public var line: Int
        /// Where the value's bytes are in the file.
        public var valueRange: Range<Int>
        /// Read from the middle of a line longer than shadow's buffer (not from its start).
        public var continuation: Bool
    }

    /// What shadow's `fgets` reads at most at once (a 1024-byte buffer with its NUL).
    public static let pieceLength = 1023

    public let path: String
    /// The file's bytes; nil when the file does not exist.
    public let bytes: [UInt8]?
    public private(set) var entries: [Entry] = []
    public private(set) var warnings: [Message] = []

    public init(path: String, text: String?) {
        self.init(path: path, bytes: text.map { Array($0.utf8) })
    }

    public init(path: String, bytes: [UInt8]?) {
        self.path = path
        self.bytes = bytes
        guard let bytes else { return }
        var line = 1
        var lineStart = 0
        var start = 0
        while start < bytes.count {
            let limit = min(bytes.count, start + Self.pieceLength)
            let end = bytes[start..<limit].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? limit
            read(bytes, start..<end, line: line, continuation: start != lineStart)
            if bytes[end - 1] == UInt8(ascii: "\n") {
                line += 1
                lineStart = end
            }
            start = end
        }
    }

    private mutating func read(_ bytes: [UInt8], _ piece: Range<Int>, line: Int, continuation: Bool) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }
        func isBlank(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }
        // strlen: a NUL ends the piece.
        var end = bytes[piece].firstIndex(of: 0) ?? piece.upperBound
        while end > piece.lowerBound && isSpace(bytes[end - 1]) { end -= 1 }
        var name = piece.lowerBound
        while name < end && isBlank(bytes[name]) { name += 1 }
        guard name < end, bytes[name] != UInt8(ascii: "#") else { return }
        var nameEnd = name
        while nameEnd < end && !isBlank(bytes[nameEnd]) { nameEnd += 1 }
        guard nameEnd < end else { return }  // one field only: shadow ignores it
        var value = nameEnd + 1
        while value < end && (isBlank(bytes[value]) || bytes[value] == UInt8(ascii: "\"")) { value += 1 }
        var valueEnd = value
        while valueEnd < end && bytes[valueEnd] != UInt8(ascii: "\"") { valueEnd += 1 }
        let key = String(decoding: bytes[name..<nameEnd], as: UTF8.self)
        entries.append(Entry(key: key, value: String(decoding: bytes[value..<valueEnd], as: UTF8.self), line: line,
                             valueRange: value..<valueEnd, continuation: continuation))
        if continuation && Self.knownKeys.contains(key) {
            warnings.append(.msg("\(path):\(line): a line longer than \(Self.pieceLength) bytes, whose bytes after the \(Self.pieceLength)th shadow-utils reads as a line of their own: it sets \(key)"))
        }
        if key != key.uppercased() && Self.knownKeys.contains(key.uppercased()) {
            warnings.append(.msg("\(path):\(line): '\(key)' is not read by shadow-utils (keys are case-sensitive; it means \(key.uppercased()))"))
        }
    }

    static let knownKeys: Set<String> = ["USERGROUPS_ENAB", "SYS_UID_MIN", "SYS_UID_MAX", "SYS_GID_MIN", "SYS_GID_MAX", "UID_MIN", "UID_MAX", "GID_MIN", "GID_MAX"]

    /// The effective entry of a key: its last occurrence.
    public func entry(_ key: String) -> Entry? {
        entries.last { $0.key == key }
    }

    public func number(_ key: String) -> UInt32? {
        entry(key).flatMap { UInt32($0.value) }
    }

    /// USERGROUPS_ENAB as useradd sees it (strcasecmp with "yes"): unset means no.
    public var userGroupsEnabled: Bool {
        entry("USERGROUPS_ENAB").map { Self.isYes($0.value) } ?? false
    }

    static func isYes(_ value: String) -> Bool {
        Array(value.utf8).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } == Array("yes".utf8)
    }

    /// The system id ranges useradd -r / groupadd -r pick from, with shadow's defaults.
    public var systemUIDs: ClosedRange<UInt32> {
        Self.range(min: number("SYS_UID_MIN") ?? 101, max: number("SYS_UID_MAX") ?? Self.below(number("UID_MIN") ?? 1000))
    }

    public var systemGIDs: ClosedRange<UInt32> {
        Self.range(min: number("SYS_GID_MIN") ?? 101, max: number("SYS_GID_MAX") ?? Self.below(number("GID_MIN") ?? 1000))
    }

    /// The id below the first regular one; "UID_MIN 0" (found by fuzzing) has none.
    private static func below(_ first: UInt32) -> UInt32 {
        first > 0 ? first - 1 : 0
    }

    private static func range(min: UInt32, max: UInt32) -> ClosedRange<UInt32> {
        min <= max ? min...max : min...min
    }

    /// "USERGROUPS_ENAB no at /etc/login.defs:12"
    public func describe(_ key: String) -> Message {
        if bytes == nil { return .msg("\(path) does not exist, so \(key) is unset") }
        guard let entry = entry(key) else { return .msg("\(key) is not set in \(path)") }
        return .msg("\(key) \(entry.value) at \(path):\(entry.line)")
    }

    /// The file with USERGROUPS_ENAB set to `value` (yes or no), changing nothing else: the
    /// value of the effective line is replaced in place, or, when there is none (or the edit
    /// would change how shadow reads the rest of a long line), a line is appended. Each
    /// candidate is read back as shadow reads it: the setting must take and every other
    /// setting stay as it was. Returns nil when the setting is already effective.
    public func settingUserGroups(bytes value: String) -> [UInt8]? {
        let key = "USERGROUPS_ENAB"
        let wanted = Self.isYes(value)
        if let effective = entry(key), Self.isYes(effective.value) == wanted { return nil }
        guard let bytes else { return Array("\(key) \(value)\n".utf8) }
        var candidates: [[UInt8]] = []
        if let effective = entry(key), !effective.continuation {
            candidates.append(Array(bytes[..<effective.valueRange.lowerBound]) + Array(value.utf8) + Array(bytes[effective.valueRange.upperBound...]))
        }
        let separator: [UInt8] = bytes.isEmpty || bytes.last == UInt8(ascii: "\n") ? [] : [UInt8(ascii: "\n")]
        candidates.append(bytes + separator + Array("\(key) \(value)\n".utf8))
        let others = entries.filter { $0.key != key }.map { [$0.key, $0.value] }
        return candidates.first { candidate in
            let again = LoginDefs(path: path, bytes: candidate)
            return again.entry(key).map { Self.isYes($0.value) == wanted } == true
                && again.entries.filter { $0.key != key }.map { [$0.key, $0.value] } == others
        }
    }

    /// `settingUserGroups(bytes:)` as text (tests and tools that hold the file as UTF-8).
    public func settingUserGroups(_ value: String) -> String? {
        settingUserGroups(bytes: value).map { String(decoding: $0, as: UTF8.self) }
    }
}
