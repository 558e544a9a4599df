/// Help and usage text from a `CommandSpec`: an overview, the discussion as written, usage,
/// arguments, options and subcommands, each help wrapped at 80 terminal columns beside its
/// label, in `wording`'s language.
public enum HelpText {
    static let width = 80
    static let column = 26

    /// `ampfix undo [<options>] [<RUN-ID>]`; the root with subcommands gets a second line.
    public static func usage(_ path: [CommandSpec]) -> String {
        let command = path[path.count - 1]
        let name = path.map(\.name).joined(separator: " ")
        var words = [name]
        if command.options.contains(where: { !$0.hidden }) { words.append("[<options>]") }
        for argument in command.arguments {
            switch argument.count {
            case .one: words.append(argument.label)
            case .optional: words.append("[\(argument.label)]")
            case .many: words.append("[\(argument.label) ...]")
            case .afterTerminator: words.append("-- \(argument.label) ...")
            }
        }
        var usage = words.joined(separator: " ")
        if !command.subcommands.isEmpty {
            usage += "\n       \(name) <subcommand> [<options>]"
        }
        return usage
    }

    /// What a usage error prints on stderr.
    public static func error(_ error: UsageError, _ wording: Wording = .english) -> String {
        let name = error.path.map(\.name).joined(separator: " ")
        return wording("Error: %1$s", error.message(wording)) + "\n" + wording("Usage: %1$s", usage(error.path)) + "\n  "
            + wording("See '%1$s' for more information.", "\(name) --help") + "\n"
    }

    public static func help(_ path: [CommandSpec], _ wording: Wording = .english) -> String {
        let command = path[path.count - 1]
        let overview = wording("OVERVIEW: %1$s", "")
        var text = overview + wrap(wording(command.abstract), indent: 0, first: overview.terminalColumns).joined(separator: "\n") + "\n\n"
        if !command.discussion.isEmpty { text += Wording.fill(wording.template(command.discussion), command.discussionArguments) + "\n\n" }
        text += wording("USAGE: %1$s", usage(path)) + "\n\n"
        if !command.arguments.isEmpty {
            text += wording("ARGUMENTS:") + "\n" + command.arguments.map { entry($0.label, Wording.fill(wording.template($0.help), $0.helpArguments)) }.joined() + "\n"
        }
        text += wording("OPTIONS:") + "\n"
        for option in command.options where !option.hidden {
            let names = option.names.sorted { $0.count < $1.count }.joined(separator: ", ")
            text += entry(option.valueName.map { "\(names) <\($0)>" } ?? names, Wording.fill(wording.template(option.help), option.helpArguments))
        }
        if path.count == 1, command.version != nil { text += entry("--version", wording("Show the version.")) }
        text += entry("-h, --help", wording("Show help information."))
        if !command.subcommands.isEmpty {
            text += "\n" + wording("SUBCOMMANDS:") + "\n" + command.subcommands.map { entry($0.name, wording($0.abstract)) }.joined()
            text += "\n  " + wording("See '%1$s' for detailed help.", "\(command.name) help <subcommand>") + "\n"
        }
        return text
    }

    /// `  LABEL                   help wrapped at the column`; a label too long for the
    /// column has its help start on the next line.
    static func entry(_ label: String, _ help: String) -> String {
        let lead = "  " + label
        let lines = wrap(help, indent: column, first: column)
        if lead.terminalColumns < column {
            return lead + String(repeating: " ", count: column - lead.terminalColumns) + lines.joined(separator: "\n") + "\n"
        }
        return lead + "\n" + String(repeating: " ", count: column) + lines.joined(separator: "\n") + "\n"
    }

    /// Words wrapped at `width` terminal columns: the first line starts at column `first`, the
    /// others are indented by `indent` (included in the lines). A run of wide characters (CJK,
    /// written without spaces) is broken between characters.
    static func wrap(_ text: String, indent: Int, first: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var start = first
        // Each piece with whether a space came before it (between words, not inside one).
        let pieces = text.split(separator: " ", omittingEmptySubsequences: true).flatMap { word in
            breakable(word).enumerated().map { (piece: $0.element, spaced: $0.offset == 0) }
        }
        for (word, spaced) in pieces {
            let joiner = line.isEmpty || !spaced ? "" : " "
            if !line.isEmpty, start + line.terminalColumns + joiner.count + word.terminalColumns > width {
                lines.append(line)
                line = ""
                start = indent
            }
            line += line.isEmpty ? String(word) : joiner + word
        }
        lines.append(line)
        let pad = String(repeating: " ", count: indent)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : pad + $0.element }
    }

    /// A word of text as the pieces a line may break between: a run of wide characters is one
    /// piece per character (with the narrow text around it kept whole).
    static func breakable(_ word: Substring) -> [Substring] {
        guard word.contains(where: \.isWide) else { return [word] }
        var pieces: [Substring] = []
        var start = word.startIndex
        for index in word.indices where word[index].isWide {
            if start < index { pieces.append(word[start..<index]) }
            pieces.append(word[index...index])
            start = word.index(after: index)
        }
        if start < word.endIndex { pieces.append(word[start...]) }
        return pieces
    }
}

extension Character {
    /// East Asian wide or fullwidth: two terminal columns.
    var isWide: Bool {
        unicodeScalars.first.map { scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD: return true
            default: return false
            }
        } ?? false
    }
}

extension StringProtocol {
    /// Columns on a terminal (a wide character takes two).
    var terminalColumns: Int { reduce(0) { $0 + ($1.isWide ? 2 : 1) } }
}
