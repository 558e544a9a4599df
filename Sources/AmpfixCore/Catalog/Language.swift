/// The languages the catalog is written in.
public enum Language: String, CaseIterable, Codable, Sendable {
    case en
    case zh

    /// The fault catalog's language for a user's locale (LC_ALL, then LC_MESSAGES, then LANG):
    /// any `zh…` locale (zh_CN.UTF-8, zh_TW, zh) selects Chinese; everything else English.
    public static func fromEnvironment(_ environment: [String: String]) -> Language {
        ReportLanguage.fromEnvironment(environment).faultCatalog
    }
}

/// The language a report is asked in: a gettext language name (`zh_CN`, `de`, `pt_BR`) for the
/// report's own words, and the fault catalog's language (Chinese for any `zh…`, else English:
/// the catalog's table exists in those two). Any language with a `po/LANG.po` catalog works
/// without a change to the code.
public struct ReportLanguage: Sendable, Equatable {
    /// The gettext catalog to ask for, nil for English as written.
    public let catalog: String?
    public let faultCatalog: Language

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
        faultCatalog = lowered.hasPrefix("zh") ? .zh : .en
        switch lowered {
        case "en", "c", "posix": catalog = nil
        case "zh", "zh_cn": catalog = "zh_CN"
        // Other Chinese: its own catalog where there is one, else the Simplified Chinese the
        // fault catalog is in (gettext tries a LANGUAGE list in order).
        case _ where lowered.hasPrefix("zh"): catalog = name + ":zh_CN"
        default: catalog = lowered.hasPrefix("en_") ? nil : name
        }
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
