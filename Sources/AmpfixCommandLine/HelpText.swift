/// Help and usage text from a `CommandSpec`: an overview, the discussion as written, usage,
/// arguments, options and subcommands, each help wrapped at 80 columns beside its label.
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
    public static func error(_ error: UsageError) -> String {
        let name = error.path.map(\.name).joined(separator: " ")
        return "Error: \(error.message)\nUsage: \(usage(error.path))\n  See '\(name) --help' for more information.\n"
    }

    public static func help(_ path: [CommandSpec]) -> String {
        let command = path[path.count - 1]
        var text = "OVERVIEW: " + wrap(command.abstract, indent: 0, first: 10).joined(separator: "\n") + "\n\n"
        if !command.discussion.isEmpty { text += command.discussion + "\n\n" }
        text += "USAGE: \(usage(path))\n\n"
        if !command.arguments.isEmpty {
            text += "ARGUMENTS:\n" + command.arguments.map { entry($0.label, $0.help) }.joined() + "\n"
        }
        text += "OPTIONS:\n"
        for option in command.options where !option.hidden {
            let names = option.names.sorted { $0.count < $1.count }.joined(separator: ", ")
            text += entry(option.valueName.map { "\(names) <\($0)>" } ?? names, option.help)
        }
        if path.count == 1, command.version != nil { text += entry("--version", "Show the version.") }
        text += entry("-h, --help", "Show help information.")
        if !command.subcommands.isEmpty {
            text += "\nSUBCOMMANDS:\n" + command.subcommands.map { entry($0.name, $0.abstract) }.joined()
            text += "\n  See '\(command.name) help <subcommand>' for detailed help.\n"
        }
        return text
    }

    /// `  LABEL                   help wrapped at the column`; a label too long for the
    /// column has its help start on the next line.
    static func entry(_ label: String, _ help: String) -> String {
        let lead = "  " + label
        let lines = wrap(help, indent: column, first: column)
        if lead.count < column {
            return lead + String(repeating: " ", count: column - lead.count) + lines.joined(separator: "\n") + "\n"
        }
        return lead + "\n" + String(repeating: " ", count: column) + lines.joined(separator: "\n") + "\n"
    }

    /// Words wrapped at `width`: the first line starts at column `first`, the others are
    /// indented by `indent` (included in the lines).
    static func wrap(_ text: String, indent: Int, first: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        var start = first
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty, start + line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
                start = indent
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        lines.append(line)
        let pad = String(repeating: " ", count: indent)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : pad + $0.element }
    }
}
