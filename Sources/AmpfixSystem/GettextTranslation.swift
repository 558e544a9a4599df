import AmpfixCore
import CLinux
import Glibc

/// The report's words through glibc's gettext, from the `ampfix` catalog (`po/LANG.po` compiled
/// to `LOCALEDIR/LANG/LC_MESSAGES/ampfix.mo`).
///
/// The language is asked for by name (`zh_CN`), not through the process locale: a host need not
/// have generated the zh_CN locale for ampfix to speak Chinese. gettext follows `LANGUAGE`
/// whenever the message locale is not plain "C", so the message category is set to C.UTF-8
/// (built into glibc since 2.35) and `LANGUAGE` to the catalog's name; the catalog's text comes
/// back as UTF-8 (bind_textdomain_codeset).
public struct GettextTranslation: Translating {
    public static let domain = "ampfix"
    /// Where the compiled catalogs are: `AMPFIX_LOCALEDIR`; else `share/locale` beside the
    /// binary's directory (`/usr/sbin/ampfix` → `/usr/share/locale`), where it holds ampfix.mo;
    /// else `/usr/share/locale`.
    public static func localeDirectory(catalog: String, environment: [String: String]) -> String {
        if let given = environment["AMPFIX_LOCALEDIR"], !given.isEmpty { return given }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            let executable = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let prefix = executable.split(separator: "/", omittingEmptySubsequences: false).dropLast(2).joined(separator: "/")
            let beside = prefix + "/share/locale"
            if access("\(beside)/\(catalog)/LC_MESSAGES/\(domain).mo", R_OK) == 0 { return beside }
        }
        return "/usr/share/locale"
    }

    public let catalog: String
    public let directory: String

    /// Sets the process up for `catalog`'s messages (once, before any text is looked up);
    /// `catalog` may be a list (`zh_TW:zh_CN`), tried in order.
    public init(catalog: String, directory: String) {
        self.catalog = catalog
        self.directory = directory
        setenv("LANGUAGE", catalog, 1)
        if setlocale(LC_MESSAGES, "C.UTF-8") == nil { _ = setlocale(LC_MESSAGES, "C.utf8") }
        // The system's own messages (strerror, libapt-pkg's errors) then come in the language
        // too, converted to the character set of LC_CTYPE: UTF-8, not the C locale's ASCII
        // ("????"). Programs ampfix runs get an environment of their own (LC_ALL=C).
        if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "C.utf8") }
        _ = ampfix_bindtextdomain(Self.domain, directory)
        _ = ampfix_bind_textdomain_codeset(Self.domain, "UTF-8")
    }

    /// The translation for `language`, or English as written when it names no catalog.
    /// - Parameter missing: told when the language has a catalog name but no catalog is installed.
    public static func forLanguage(_ language: ReportLanguage, environment: [String: String], missing: (String) -> Void = { _ in }) -> any Translating {
        guard let catalog = language.catalog else { return UntranslatedText() }
        let names = catalog.split(separator: ":").map(String.init)
        let directories = names.map { localeDirectory(catalog: $0, environment: environment) }
        if !zip(names, directories).contains(where: { access("\($1)/\($0)/LC_MESSAGES/\(domain).mo", R_OK) == 0 }) {
            missing("no \(names[0]) catalog of ampfix's own words (\(directories[0])/\(names[0])/LC_MESSAGES/\(domain).mo): they stay English")
        }
        return GettextTranslation(catalog: catalog, directory: directories[0])
    }

    // Untranslated, gettext returns the very pointer it was given: the message's C string must
    // outlive the copy made from the result.
    public func text(_ message: String) -> String {
        message.withCString { id in String(cString: ampfix_dgettext(Self.domain, id)) }
    }

    public func text(_ singular: String, _ plural: String, count: Int) -> String {
        singular.withCString { one in
            plural.withCString { many in String(cString: ampfix_dngettext(Self.domain, one, many, UInt(max(count, 0)))) }
        }
    }
}
