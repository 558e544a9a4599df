/// The languages the catalog is written in.
public enum Language: String, CaseIterable, Codable, Sendable {
    case en
    case zh

    /// The language a user's locale asks for, with POSIX precedence: LC_ALL, then LC_MESSAGES,
    /// then LANG. Any `zh…` locale (zh_CN.UTF-8, zh_TW, zh) selects Chinese; everything else English.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[key], !value.isEmpty else { continue }
            return value.lowercased().hasPrefix("zh") ? .zh : .en
        }
        return .en
    }
}
