import AmpfixCore
import Glibc

/// ampfix's messages on stderr, written with write(2) in one call each.
public enum StandardError {
    /// One line; control characters other than tab are escaped, a line break too (a name from
    /// a hostile root can neither move the cursor, hide text, nor start a line of its own that
    /// reads as ampfix's).
    public static func print(_ text: String) {
        write(raw: text.escapingControlCharacters(keeping: ["\t"]) + "\n")
    }

    /// As given, for a progress line on a terminal (no newline, control characters kept).
    public static func write(raw text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// A progress line that rewrites itself on stderr when stderr is a terminal and output is not
/// quiet; nothing otherwise (a log file gets no carriage returns).
public struct StatusLine: Sendable {
    public let shown: Bool
    /// The language of what it shows.
    public let translation: any Translating

    public init(quiet: Bool, translation: any Translating = UntranslatedText()) {
        shown = !quiet && isatty(STDERR_FILENO) == 1
        self.translation = translation
    }

    public func show(_ message: Message) {
        if shown { StandardError.write(raw: "\r\u{1B}[K" + message.rendered(translation)) }
    }

    /// Erases the line.
    public func clear() {
        if shown { StandardError.write(raw: "\r\u{1B}[K") }
    }
}
