/// `/etc/login.defs` as shadow-utils reads it: one `KEY VALUE` per line, `#` comments, keys
/// case-sensitive (shadow rejects `usergroups_enab` as an unknown item), the last occurrence of a
/// key wins, values may be quoted, and boolean values compare case-insensitively with "yes".
public struct LoginDefs: Sendable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        /// 1-based line number.
        public var line: Int
    }

    public let path: String
    /// The file's bytes as text; nil when the file does not exist.
    public let text: String?
    public private(set) var entries: [Entry] = []
    public private(set) var warnings: [Message] = []

    public init(path: String, text: String?) {
        self.path = path
        self.text = text
        guard let text else { return }
        for (index, raw) in textLines(text).enumerated() {
            // Blank lines and comments (most of a distribution's file) are passed over by byte,
            // without reading characters.
            guard let start = raw.utf8.firstIndex(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }),
                  raw.utf8[start] != UInt8(ascii: "#") else { continue }
            let line = raw[start...]
            let key = String(line.prefix { $0 != " " && $0 != "\t" })
            var value = line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" || $0 == "\"" }
            if let quote = value.firstIndex(of: "\"") { value = value[..<quote] }
            while let last = value.last, last == " " || last == "\t" || last == "\r" { value = value.dropLast() }
            entries.append(Entry(key: key, value: String(value), line: index + 1))
            if key != key.uppercased() && Self.knownKeys.contains(key.uppercased()) {
                warnings.append(.msg("\(path):\(index + 1): '\(key)' is not read by shadow-utils (keys are case-sensitive; it means \(key.uppercased()))"))
            }
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

    /// USERGROUPS_ENAB as useradd sees it: unset means no.
    public var userGroupsEnabled: Bool {
        entry("USERGROUPS_ENAB")?.value.lowercased() == "yes"
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
        if text == nil { return .msg("\(path) does not exist, so \(key) is unset") }
        guard let entry = entry(key) else { return .msg("\(key) is not set in \(path)") }
        return .msg("\(key) \(entry.value) at \(path):\(entry.line)")
    }

    /// The file with USERGROUPS_ENAB set to `value`, changing nothing else: the value of the
    /// effective line is replaced in place (its spacing kept), or, when there is none, a line is
    /// appended. Returns nil when the setting is already effective.
    public func settingUserGroups(_ value: String) -> String? {
        let key = "USERGROUPS_ENAB"
        if entry(key)?.value.lowercased() == value.lowercased() { return nil }
        guard let text else { return "\(key) \(value)\n" }
        guard let effective = entry(key) else {
            let separator = text.isEmpty || text.hasSuffix("\n") ? "" : "\n"
            return text + separator + "\(key) \(value)\n"
        }
        var lines = textLines(text).map(String.init)
        let old = lines[effective.line - 1]
        let lead = old.prefix { $0 == " " || $0 == "\t" }
        let afterKey = old.dropFirst(lead.count + key.count)
        let gap = afterKey.prefix { $0 == " " || $0 == "\t" }
        // The value as shadow's getdef reads it (and `init` does): after blanks and quotes, up
        // to a quote, without trailing blanks. All of it is replaced — not only its first word,
        // which would leave "yes 50", still not yes (found by fuzzing).
        let opening = afterKey.dropFirst(gap.count).prefix { $0 == " " || $0 == "\t" || $0 == "\"" }
        let body = afterKey.dropFirst(gap.count + opening.count)
        var oldValue = body[..<(body.firstIndex(of: "\"") ?? body.endIndex)]
        while let last = oldValue.last, last == " " || last == "\t" || last == "\r" { oldValue = oldValue.dropLast() }
        let tail = body[oldValue.endIndex...]
        // A key written without a value ("USERGROUPS_ENAB" alone) has no gap to keep: without
        // one, key and value would run together into another key.
        let separator = gap.isEmpty ? " " : String(gap)
        lines[effective.line - 1] = String(lead) + key + separator + String(opening) + value + String(tail)
        return lines.joined(separator: "\n")
    }
}
