/// The language a report was rendered in, as its JSON's `language` says it: `en`, `zh`
/// (Simplified Chinese), or the name of another catalog's language (`de`, `pt_BR`).
public struct Language: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let en = Language(rawValue: "en")
    public static let zh = Language(rawValue: "zh")

    /// The language a user's locale (LC_ALL, then LC_MESSAGES, then LANG) asks for: any `zh…`
    /// locale (zh_CN.UTF-8, zh_TW, zh) is Chinese.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        ReportLanguage.fromEnvironment(environment).language
    }
}

/// The language a report is asked in: a gettext language name (`zh_CN`, `de`, `pt_BR`) for
/// every word of ampfix's, the fault catalog's texts included. Any language with a
/// `po/LANG.po` catalog works without a change to the code.
public struct ReportLanguage: Sendable, Equatable {
    /// The gettext catalog to ask for, nil for English as written.
    public let catalog: String?
    /// What the report's `language` says when it was rendered with that catalog.
    public let language: Language

    /// `--lang`'s value: `en`, `zh` (Simplified Chinese, catalog zh_CN) or a gettext language
    /// name; nil when it is not one (letters first; letters, digits, `_`, `@`, `-` after).
    public init?(name: String) {
        let scalars = name.unicodeScalars
        guard let first = scalars.first, Self.isLetter(first), scalars.count <= 32,
              scalars.allSatisfy({ Self.isLetter($0) || ("0"..."9").contains($0) || "_@-".unicodeScalars.contains($0) }) else { return nil }
        self.init(catalogName: name)
    }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private init(catalogName name: String) {
        let lowered = name.lowercased()
        switch lowered {
        case "en", "c", "posix": catalog = nil
        case "zh", "zh_cn": catalog = "zh_CN"
        // Other Chinese: its own catalog where there is one, else Simplified Chinese (gettext
        // tries a LANGUAGE list in order).
        case _ where lowered.hasPrefix("zh"): catalog = name + ":zh_CN"
        default: catalog = lowered.hasPrefix("en_") ? nil : name
        }
        language = catalog == nil ? .en : lowered.hasPrefix("zh") ? .zh : Language(rawValue: name)
    }

    public static let english = ReportLanguage(catalogName: "en")

    /// The language a user's locale asks for, in glibc's order (LC_ALL, LC_MESSAGES, LANG; the
    /// first set one decides): its language part (`zh_CN.UTF-8` → zh_CN); C, POSIX and anything
    /// unreadable are English.
    public static func fromEnvironment(_ environment: [String: String]) -> ReportLanguage {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[key], !value.isEmpty else { continue }
            let name = String(value.prefix { $0 != "." && $0 != "@" })
            return ReportLanguage(name: name) ?? .english
        }
        return .english
    }
}
