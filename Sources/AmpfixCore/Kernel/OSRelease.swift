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
        for (index, raw) in textLines(text).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                warnings.append(.msg("\(path):\(index + 1): not a KEY=VALUE line; ignored"))
                continue
            }
            let key = String(line[..<equals])
            guard Self.usedKeys.contains(key) else { continue }
            var value = String(line[line.index(after: equals)...])
            while value.hasSuffix("\r") || value.hasSuffix(" ") { value.removeLast() }
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            } else if value.hasPrefix("\"") || value.hasPrefix("'") {
                warnings.append(.msg("\(path):\(index + 1): unterminated quote in \(key); ignored"))
                continue
            }
            fields[key] = value
        }
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
