/// Numbered placeholders (`%1$s`, `%2$s`, gettext's c-format with positions) in a template:
/// what every sentence of ampfix's is filled through, the report's (AmpfixCore) and the command
/// line's (AmpfixCommandLine) alike.
public enum Placeholders {
    /// `template` with each `%N$s` replaced by `replacement(N)` (kept as it is where that is
    /// nil) and each `%%` by `escape`.
    public static func replacing(_ template: String, escape: String, _ replacement: (Int) -> String?) -> String {
        var out = ""
        var rest = Substring(template)
        while let percent = rest.firstIndex(of: "%") {
            out += rest[..<percent]
            let after = rest[rest.index(after: percent)...]
            if after.first == "%" {
                out += escape
                rest = after.dropFirst()
                continue
            }
            let digits = after.prefix(while: \.isASCII).prefix(while: \.isNumber)
            let tail = after.dropFirst(digits.count)
            if let number = Int(digits), tail.hasPrefix("$s"), let replaced = replacement(number) {
                out += replaced
                rest = tail.dropFirst(2)
            } else {
                out += "%"
                rest = after
            }
        }
        return out + rest
    }

    /// Each `%N$s` replaced by the Nth argument and `%%` by `%`; a placeholder without its
    /// argument stays as it is (a faulty translation shows, it does not crash).
    public static func fill(_ template: String, _ arguments: [String]) -> String {
        guard template.contains("%") else { return template }
        return replacing(template, escape: "%") { $0 >= 1 && $0 <= arguments.count ? arguments[$0 - 1] : nil }
    }
}
