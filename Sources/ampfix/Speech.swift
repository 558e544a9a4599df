import AmpfixCommandLine
import AmpfixCore
import AmpfixHost
import AmpfixSystem

/// The language ampfix speaks in this run, on stdout and stderr alike: `--lang` wherever it is
/// on the command line (before `--`), else the locale (LC_ALL, LC_MESSAGES, LANG). Chosen once,
/// before the command line is parsed, so that a usage error is said in it too.
enum Speech {
    /// The variables the language and catalogs are chosen by, read once.
    static let environment = ProcessEnvironment.subset(["LC_ALL", "LC_MESSAGES", "LANG", "AMPFIX_LOCALEDIR"])

    /// `--lang`'s value as given, when it was.
    static let asked: String? = langArgument(processArguments())

    static let language: ReportLanguage = asked.flatMap(ReportLanguage.init(name:)) ?? ReportLanguage.fromEnvironment(environment)

    /// The catalog of ampfix's words in `language`. Only an explicit --lang without its catalog
    /// is worth a note; a locale is often set for other programs.
    static let translation: any Translating = RunOutputs.translation(language, environment: environment) { missing in
        if asked != nil { StandardError.print("ampfix: " + missing.rendered(UntranslatedText())) }
    }

    /// Help and usage errors in the run's language.
    static let wording = Wording(template: { translation.text($0) })

    /// `message` in the run's language.
    static func say(_ message: Message) -> String { message.rendered(translation) }

    /// An error in the run's language when it is one of ampfix's own, else in its own words.
    static func say(_ error: any Error) -> String { say(Message.of(error)) }

    /// `ampfix: error: …` on stderr.
    static func error(_ message: Message) {
        StandardError.print("ampfix: " + say(.msg("error: \(message)")))
    }

    /// `ampfix: warning: …` on stderr.
    static func warning(_ message: Message) {
        StandardError.print("ampfix: " + say(.msg("warning: \(message)")))
    }

    /// The value of the last `--lang X` or `--lang=X` before `--`.
    static func langArgument(_ arguments: [String]) -> String? {
        var found: String?
        var index = arguments.startIndex
        while index < arguments.endIndex, arguments[index] != "--" {
            let argument = arguments[index]
            if argument == "--lang", index + 1 < arguments.endIndex {
                // `--lang --`: no value (a usage error); what follows `--` is the command's.
                if arguments[index + 1] == "--" { break }
                found = arguments[index + 1]
                index += 1
            } else if argument.hasPrefix("--lang=") {
                found = String(argument.dropFirst("--lang=".count))
            }
            index += 1
        }
        return found
    }
}
