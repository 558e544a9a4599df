import AmpfixText

/// How help and usage errors are worded: English as written, or a translation the caller
/// provides (ampfix's gettext catalogs). Every text of a `CommandSpec` (abstracts, discussions,
/// option and argument help, notes) and every word of `HelpText` and the parser's errors is a
/// message id of the catalogs (`scripts/po.sh extract` finds them).
public struct Wording: Sendable {
    /// A template with numbered placeholders (`Unknown option '%1$s'`; a spec's texts are
    /// templates too, `%%` for a percent sign) in the language, its placeholders kept.
    public var template: @Sendable (String) -> String

    public init(template: @escaping @Sendable (String) -> String) {
        self.template = template
    }

    public static let english = Wording(template: { $0 })

    /// `template` translated, each `%N$s` replaced by the Nth argument (and `%%` by `%`).
    public func callAsFunction(_ template: String, _ arguments: String...) -> String {
        Self.fill(self.template(template), arguments)
    }

    static func fill(_ template: String, _ arguments: [String]) -> String {
        Placeholders.fill(template, arguments)
    }
}
