/// `/etc/os-release` (or `/usr/lib/os-release`): KEY=VALUE lines, values optionally quoted.
/// Only the keys ampfix reads are kept (and reported on): the rest of the file never reaches a
/// report or a bundle.
public struct OSRelease: Sendable, Equatable {
    public static let usedKeys = ["ID", "ID_LIKE", "VERSION_ID", "NAME", "PRETTY_NAME"]
    public var path: String
    public var fields: [String: String] = [:]
    /// Malformed lines, each naming file and line.
    public var warnings: [Message] = []

    public init(path: String, text: String) {
        self.path = path
        // Lines end at "\n", "\r" or NUL, as systemd reads the file; a quoted value may run
        // over several lines, and what is inside it is never read as a key of its own.
        var quote: Character?
        var number = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\0" || $0 == "\r\n" }) {
            number += 1
            if let open = quote {
                if raw.contains(open) { quote = nil }
                continue
            }
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                warnings.append(.msg("\(path):\(number): not a KEY=VALUE line; ignored"))
                continue
            }
            let key = String(line[..<equals])
            var value = String(line[line.index(after: equals)...])
            while value.hasSuffix(" ") || value.hasSuffix("\t") { value.removeLast() }
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            } else if let first = value.first, first == "\"" || first == "'" {
                // Open until a later line closes it: a multi-line value, not ampfix's to read.
                quote = first
                if Self.usedKeys.contains(key) { warnings.append(.msg("\(path):\(number): unterminated quote in \(key); ignored")) }
                continue
            }
            guard Self.usedKeys.contains(key) else { continue }
            fields[key] = value
        }
    }

    /// The keys ampfix reads, one `KEY="VALUE"` line each: what of the file a support bundle
    /// takes (nothing of another key, a comment or a multi-line value).
    public var usedLines: String {
        Self.usedKeys.compactMap { key in
            fields[key].map { value in
                let escaped = value.unicodeScalars.map { "\"\\$`".unicodeScalars.contains($0) ? "\\\($0)" : "\($0)" }.joined()
                return "\(key)=\"\(escaped)\"\n"
            }
        }.joined()
    }

    public var id: String { fields["ID"]?.lowercased() ?? "" }
    public var idLike: [String] { (fields["ID_LIKE"] ?? "").lowercased().split(separator: " ").map(String.init) }
    public var versionID: String? { fields["VERSION_ID"] }
    public var prettyName: String { fields["PRETTY_NAME"] ?? fields["NAME"] ?? id }

    /// "ID=rhel ID_LIKE='fedora' VERSION_ID=9.3"
    public var summary: String {
        "ID=\(fields["ID"] ?? "?") ID_LIKE='\(fields["ID_LIKE"] ?? "")' VERSION_ID=\(versionID ?? "?")"
    }
}
