/// What the command line asked for: a command to run with its arguments, help, or the version.
public enum CommandLineRequest: Sendable {
    case run(ParsedArguments)
    /// `--help`, `-h` or `help [SUBCOMMAND]`: help for the command at this path.
    case help([CommandSpec])
    case version(String)
}

/// A usage error: what is wrong (a template with numbered placeholders and its arguments, so
/// that it is said in the run's language), and the command whose usage to show (exit status 64).
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var template: String
    public var arguments: [String]
    /// The arguments that are texts of the spec (a command's note), worded too.
    public var wordedArguments: Set<Int> = []
    /// The command the error is about, root first.
    public var path: [CommandSpec]

    public init(_ template: String, _ arguments: String..., path: [CommandSpec]) {
        self.template = template
        self.arguments = arguments
        self.path = path
    }

    /// A message said already (in the run's language) by the caller.
    public init(said: String, path: [CommandSpec]) {
        self.init("%1$s", said, path: path)
    }

    /// The message in `wording`'s language.
    public func message(_ wording: Wording = .english) -> String {
        Wording.fill(wording.template(template), arguments.enumerated().map { wordedArguments.contains($0.offset) ? wording($0.element) : $0.element })
    }

    public var description: String { message() }
}

/// Parses a command line against a `CommandSpec`:
/// - long options as `--name VALUE` or `--name=VALUE`, short ones as `-o VALUE`, `-oVALUE`, and
///   flags bundled (`-vq`); an option's value may not start with `-` unless the option takes
///   any value;
/// - `--` ends the options: what follows is positional;
/// - a subcommand is the first positional word; options given before it are the subcommand's
///   (`ampfix --json list` is `ampfix list --json`);
/// - `-h`/`--help` anywhere before `--`, and `help [SUBCOMMAND]`, ask for help; `--version` at
///   the root asks for the version.
public enum CommandLineParser {
    public static func parse(_ arguments: [String], root: CommandSpec) throws(UsageError) -> CommandLineRequest {
        if arguments.first == "help", root.subcommand(named: "help") == nil {
            var path = [root]
            for name in arguments.dropFirst() {
                guard let next = path.last?.subcommand(named: name) else {
                    throw UsageError("Unknown subcommand '%1$s'", name, path: path)
                }
                path.append(next)
            }
            return .help(path)
        }
        var path = [root]
        var tokens = arguments
        // The subcommand: the first word that is neither an option nor an option's value.
        while let command = path.last, !command.subcommands.isEmpty,
              let (index, sub) = subcommandPosition(in: tokens, of: path) {
            tokens.remove(at: index)
            path.append(sub)
        }
        return try parseOptions(tokens, path: path)
    }

    /// Where the first positional word is, if it names a subcommand of the path's last command.
    private static func subcommandPosition(in tokens: [String], of path: [CommandSpec]) -> (Int, CommandSpec)? {
        let command = path[path.count - 1]
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token == "--" { return nil }
            if token.hasPrefix("--") && !token.contains("=") || token.count == 2 && looksLikeOption(token) {
                // An option of this command or of any subcommand (`--root`, `-o`): a value
                // follows it when it takes one (checked again when the command is known).
                if let option = command.option(named: token) ?? command.subcommands.lazy.compactMap({ $0.option(named: token) }).first,
                   !option.isFlag {
                    index += 1
                }
            } else if !token.hasPrefix("-") || token == "-" {
                return command.subcommand(named: token).map { (index, $0) }
            }
            index += 1
        }
        return nil
    }

    private static func parseOptions(_ tokens: [String], path: [CommandSpec]) throws(UsageError) -> CommandLineRequest {
        let command = path[path.count - 1]
        var parsed = ParsedArguments(path: path)
        var positionals: [String] = []
        var index = 0

        func unknown(_ name: String) -> UsageError {
            command.unknownOptionNote.map { note in
                var error = UsageError("%1$s: %2$s", name, note, path: path)
                error.wordedArguments = [1]
                return error
            } ?? UsageError("Unknown option '%1$s'", name, path: path)
        }
        func value(for option: OptionSpec, inline: String?) throws(UsageError) -> String {
            if let inline { return inline }
            index += 1
            guard index < tokens.count, option.takesAnyValue || !looksLikeOption(tokens[index]) else {
                throw UsageError("Missing value for '%1$s'", option.label, path: path)
            }
            return tokens[index]
        }
        while index < tokens.count {
            let token = tokens[index]
            if token == "--" {
                let rest = tokens[(index + 1)...]
                if command.arguments.contains(where: { $0.count == .afterTerminator }) {
                    parsed.afterTerminator = Array(rest)
                } else {
                    positionals += rest
                }
                break
            }
            if token == "--help" || token == "-h" { return .help(path) }
            if token == "--version", path.count == 1, let version = command.version { return .version(version) }
            if token.hasPrefix("--") {
                let name = token.prefix { $0 != "=" }
                let inline = name.count < token.count ? String(token.dropFirst(name.count + 1)) : nil
                guard let option = command.option(named: String(name)) else { throw unknown(String(name)) }
                if option.isFlag {
                    if inline != nil { throw UsageError("'%1$s' takes no value", option.key, path: path) }
                    parsed.flags[option.key, default: 0] += 1
                } else {
                    parsed.values[option.key, default: []].append(try value(for: option, inline: inline))
                }
            } else if looksLikeOption(token) {
                // Short options, possibly bundled: -vq, -o FILE, -oFILE.
                var rest = Substring(token.dropFirst())
                while let letter = rest.first {
                    rest = rest.dropFirst()
                    guard let option = command.option(named: "-\(letter)") else { throw unknown("-\(letter)") }
                    if option.isFlag {
                        parsed.flags[option.key, default: 0] += 1
                    } else {
                        parsed.values[option.key, default: []].append(try value(for: option, inline: rest.isEmpty ? nil : String(rest)))
                        break
                    }
                }
            } else {
                positionals.append(token)
            }
            index += 1
        }
        try assign(positionals, to: &parsed, of: command, path: path)
        return .run(parsed)
    }

    /// `-x`, `--x`; not `-` alone (standard input, by custom) and not a negative number.
    static func looksLikeOption(_ token: String) -> Bool {
        token.hasPrefix("-") && token.count > 1 && Double(token) == nil
    }

    private static func assign(_ positionals: [String], to parsed: inout ParsedArguments, of command: CommandSpec, path: [CommandSpec]) throws(UsageError) {
        var remaining = positionals[...]
        for argument in command.arguments {
            switch argument.count {
            case .one:
                guard let first = remaining.popFirst() else {
                    throw UsageError("Missing expected argument '%1$s'", argument.label, path: path)
                }
                parsed.positionals[argument.valueName] = [first]
            case .optional:
                if let first = remaining.popFirst() { parsed.positionals[argument.valueName] = [first] }
            case .many:
                parsed.positionals[argument.valueName] = Array(remaining)
                remaining = []
            case .afterTerminator:
                parsed.positionals[argument.valueName] = parsed.afterTerminator
            }
        }
        if let extra = remaining.first {
            throw UsageError("Unexpected argument '%1$s'", extra, path: path)
        }
    }
}

/// A parsed command line: the command's path, its options' values, its arguments.
public struct ParsedArguments: Sendable {
    /// The command that runs, root first.
    public let path: [CommandSpec]
    var values: [String: [String]] = [:]
    var flags: [String: Int] = [:]
    var positionals: [String: [String]] = [:]
    var afterTerminator: [String] = []

    init(path: [CommandSpec]) { self.path = path }

    public var command: CommandSpec { path[path.count - 1] }

    /// The subcommand's name (`undo`), or nil for the root command.
    public var subcommand: String? { path.count > 1 ? command.name : nil }

    // Options are read by their declaration (the `OptionSpec` the command lists), never by a
    // name typed again: a reader cannot ask for an option under a misspelt name and read
    // false, and one the command does not declare is a programming error, caught the first
    // time the command runs.

    /// The option's key, after checking that this command declares it.
    func key(_ option: OptionSpec) -> String {
        precondition(command.options.contains { $0.key == option.key }, "\(command.name) reads \(option.key), which it does not declare")
        return option.key
    }

    /// Whether this command declares the option: shared option groups read a repair's options
    /// only where the command has them (`check` has no --policy-module).
    public func declares(_ option: OptionSpec) -> Bool { command.options.contains { $0.key == option.key } }

    public func flag(_ option: OptionSpec) -> Bool { flags[key(option), default: 0] > 0 }

    /// Every value given to the option, in order.
    public func strings(_ option: OptionSpec) -> [String] { values[key(option)] ?? [] }

    /// The option's value (the last, when given more than once).
    public func string(_ option: OptionSpec) -> String? { strings(option).last }

    /// The option's values converted; a value `convert` refuses is a usage error naming the
    /// option, and the valid values when there is a short list of them.
    public func values<T>(_ option: OptionSpec, valid: [String] = [], _ convert: (String) -> T?) throws(UsageError) -> [T] {
        var converted: [T] = []
        for text in strings(option) {
            guard let value = convert(text) else { throw invalid(text, for: option.label, valid: valid) }
            converted.append(value)
        }
        return converted
    }

    public func value<T>(_ option: OptionSpec, valid: [String] = [], _ convert: (String) -> T?) throws(UsageError) -> T? {
        try values(option, valid: valid, convert).last
    }

    /// A positional argument's words (one, none, or many by its count), read by its
    /// declaration as options are.
    public func arguments(_ argument: ArgumentSpec) -> [String] {
        precondition(command.arguments.contains { $0.valueName == argument.valueName }, "\(command.name) reads \(argument.label), which it does not declare")
        return positionals[argument.valueName] ?? []
    }

    public func argument(_ argument: ArgumentSpec) -> String? { arguments(argument).first }

    /// The positional argument's words converted, as `values` does.
    public func arguments<T>(_ argument: ArgumentSpec, valid: [String] = [], _ convert: (String) -> T?) throws(UsageError) -> [T] {
        var converted: [T] = []
        for text in arguments(argument) {
            guard let value = convert(text) else { throw invalid(text, for: argument.label, valid: valid) }
            converted.append(value)
        }
        return converted
    }

    public func invalid(_ text: String, for label: String, valid: [String]) -> UsageError {
        guard !valid.isEmpty else { return UsageError("The value '%1$s' is invalid for '%2$s'", text, label, path: path) }
        return UsageError("The value '%1$s' is invalid for '%2$s'. Please provide one of the following:%3$s", text, label,
                          valid.map { "\n  - \($0)" }.joined(), path: path)
    }
}
