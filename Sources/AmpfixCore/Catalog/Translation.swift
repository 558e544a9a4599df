import AmpfixText

/// The report's own words (headings, labels, status words, the summary) in the language asked
/// for. A message is its English text with numbered placeholders (`%1$s`, `%2$s` … so that a
/// translation may reorder them), looked up in a catalog (gettext: `po/LANG.po`, compiled to
/// `ampfix.mo`); what is not translated stays English. Paths, names and numbers are arguments,
/// never part of a message.
public protocol Translating: Sendable {
    /// The translation of `message`, or `message` itself.
    func text(_ message: String) -> String
    /// The form of `singular`/`plural` for the number `count`, in the language's plural rules.
    func text(_ singular: String, _ plural: String, count: Int) -> String
}

extension Translating {
    /// `message` translated, its placeholders filled from `arguments`.
    public func callAsFunction(_ message: String, _ arguments: String...) -> String {
        Self.fill(text(message), arguments)
    }

    /// The form for `count`, translated, with `%1$s` the count and `%2$s`… the other arguments.
    public func plural(_ singular: String, _ plural: String, count: Int, _ arguments: String...) -> String {
        Self.fill(text(singular, plural, count: count), [String(count)] + arguments)
    }

    /// Replaces `%N$s` with the Nth argument and `%%` with `%`; a placeholder without its
    /// argument stays as it is (a faulty translation shows, it does not crash).
    public static func fill(_ template: String, _ arguments: [String]) -> String {
        Placeholders.fill(template, arguments)
    }

    /// `template` with each `%N$s` replaced by `replacement(N)` (kept as it is where that is
    /// nil) and each `%%` by `escape`.
    static func replacingPlaceholders(_ template: String, escape: String, _ replacement: (Int) -> String?) -> String {
        Placeholders.replacing(template, escape: escape, replacement)
    }
}

/// English: every message as written.
public struct UntranslatedText: Translating {
    public init() {}
    public func text(_ message: String) -> String { message }
    public func text(_ singular: String, _ plural: String, count: Int) -> String { count == 1 ? singular : plural }
}

extension String {
    /// Columns the text takes on a terminal: East Asian wide and fullwidth characters take two
    /// (the report's table is aligned by this, so Chinese status words keep it straight).
    public var terminalWidth: Int {
        unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return width + 2
            default:
                return width + 1
            }
        }
    }
}
