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
    public static func forLanguage(_ language: ReportLanguage, environment: [String: String], missing: (Message) -> Void = { _ in }) -> any Translating {
        guard let catalog = language.catalog else { return UntranslatedText() }
        let names = catalog.split(separator: ":").map(String.init)
        let directories = names.map { localeDirectory(catalog: $0, environment: environment) }
        // (Each name as glibc reduces it: de_DE finds de.) Without one, English as written:
        // the report then says it was rendered in English.
        let found = zip(names, directories).contains { name, directory in
            lookupNames(name).contains { access("\(directory)/\($0)/LC_MESSAGES/\(domain).mo", R_OK) == 0 }
        }
        if !found {
            missing(.msg("no \(names[0]) catalog of ampfix's own words (\(directories[0])/\(names[0])/LC_MESSAGES/\(domain).mo): they stay English"))
            return UntranslatedText()
        }
        // glibc looks every name of the list up in the one bound directory, each also reduced
        // (zh_CN.UTF-8@x, zh_CN, zh): every file it could open is checked.
        for name in names {
            for variant in Self.lookupNames(name) {
                let path = "\(directories[0])/\(variant)/LC_MESSAGES/\(domain).mo"
                if let problem = catalogProblem(path) {
                    missing(.msg("\(path): \(problem); ampfix's own words stay English"))
                    return UntranslatedText()
                }
            }
        }
        return GettextTranslation(catalog: catalog, directory: directories[0])
    }

    /// The names glibc tries for one entry of LANGUAGE: it as given, then without its
    /// modifier, codeset and territory (language[_territory][.codeset][@modifier]).
    static func lookupNames(_ name: String) -> [String] {
        let language = String(name.prefix { $0 != "_" && $0 != "." && $0 != "@" })
        let withoutModifier = String(name.prefix { $0 != "@" })
        let territory = String(withoutModifier.prefix { $0 != "." })
        var names: [String] = []
        for candidate in [name, withoutModifier, territory, language] where !candidate.isEmpty && !names.contains(candidate) {
            names.append(candidate)
        }
        return names
    }

    /// The most a catalog may be (ampfix's is about 150 KiB).
    static let largestCatalog = 16 << 20

    /// Why glibc must not be handed the catalog at `path`, or nil when it may (or none is
    /// there). glibc opens and maps the file itself — a FIFO there would block every run — and
    /// evaluates the header's Plural-Forms expression for every plural message: a division by
    /// a value that can be zero kills the process with SIGFPE, in the middle of a repair too.
    static func catalogProblem(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else { return "not a regular file (glibc would block on it or read it without end)" }
        guard Int(info.st_size) <= largestCatalog else { return "larger than \(largestCatalog >> 20) MiB, more than a catalog holds" }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            guard count > 0 else { return count < 0 ? String(cString: strerror(errno)) : "it shrank while read" }
            filled += count
        }
        guard let headers = MOCatalog.headers(bytes) else { return "not a gettext catalog (no header, or offsets outside the file)" }
        // Any header entry may be the one glibc finds (there should be one).
        for header in headers {
            if let plural = MOCatalog.pluralExpression(header), let why = MOCatalog.unsafeDivision(plural) {
                return "its Plural-Forms expression '\(plural)' \(why)"
            }
        }
        return nil
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

/// What ampfix reads of a compiled catalog (GNU .mo) before glibc maps it: the header entry
/// (the translation of "") and its Plural-Forms expression.
enum MOCatalog {
    /// Every translation of the empty message (the header); nil when the file is no catalog.
    static func headers(_ bytes: [UInt8]) -> [String]? {
        guard bytes.count >= 28 else { return nil }
        func word(_ offset: Int, bigEndian: Bool) -> Int? {
            guard offset >= 0, offset + 4 <= bytes.count else { return nil }
            let value = bytes[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return Int(bigEndian ? value : value.byteSwapped)
        }
        guard let magic = word(0, bigEndian: true), magic == 0x950412de || magic == 0xde120495 else { return nil }
        let bigEndian = magic == 0x950412de
        guard let count = word(8, bigEndian: bigEndian), let originals = word(12, bigEndian: bigEndian),
              let translations = word(16, bigEndian: bigEndian) else { return nil }
        var headers: [String] = []
        for index in 0..<min(count, bytes.count / 8) {
            guard let length = word(originals + 8 * index, bigEndian: bigEndian) else { return nil }
            guard length == 0 else { continue }
            guard let headerLength = word(translations + 8 * index, bigEndian: bigEndian),
                  let headerOffset = word(translations + 8 * index + 4, bigEndian: bigEndian),
                  headerOffset + headerLength <= bytes.count else { return nil }
            headers.append(String(decoding: bytes[headerOffset..<headerOffset + headerLength], as: UTF8.self))
        }
        return headers
    }

    /// The expression glibc evaluates: after the header's first "plural=" (glibc's strstr,
    /// wherever it is), up to a ';', a line break or the end.
    static func pluralExpression(_ header: String) -> String? {
        let bytes = Array(header.utf8), key = Array("plural=".utf8)
        guard bytes.count >= key.count,
              let start = (0...(bytes.count - key.count)).first(where: { bytes[$0..<$0 + key.count].elementsEqual(key) }) else { return nil }
        let expression = bytes[(start + key.count)...].prefix { $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: "\n") && $0 != 0 }
        return String(decoding: expression, as: UTF8.self).trimming(" \t")
    }

    /// Why the expression may divide by zero, or nil: every `/` and `%` must divide by a
    /// number written out that is not zero as glibc reads it (an unsigned long, so
    /// 18446744073709551616 is 0) — what every real language's rule does: `n%10`, `n%100`.
    static func unsafeDivision(_ expression: String) -> String? {
        let bytes = Array(expression.utf8)
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "/") || byte == UInt8(ascii: "%") {
            let rest = bytes[(index + 1)...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            let value = digits.reduce(UInt64(0)) { $0 &* 10 &+ UInt64($1 - UInt8(ascii: "0")) }
            guard !digits.isEmpty, value != 0 else {
                return "divides by something other than a non-zero number (glibc would stop ampfix with SIGFPE)"
            }
        }
        return nil
    }
}
