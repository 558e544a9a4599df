/// A command's command line, declared as data: its options, its positional arguments and its
/// subcommands. The parser (`CommandLineParser`) and the help text (`HelpText`) read it; nothing
/// is found by reflection, so parsing costs what the arguments cost (no conformance scans over
/// the binary's metadata at start).
public struct CommandSpec: Sendable {
    public var name: String
    public var abstract: String
    /// Written as a template: `%1$s` is the first of `discussionArguments` (`%%` a percent sign).
    public var discussion: String
    public var discussionArguments: [String]
    public var options: [OptionSpec]
    public var arguments: [ArgumentSpec]
    public var subcommands: [CommandSpec]
    /// Printed by `--version` (the root command only).
    public var version: String?
    /// Said of an option this command does not take (`--root: NOTE`), in place of "Unknown option".
    public var unknownOptionNote: String?

    public init(name: String, abstract: String, discussion: String = "", discussionArguments: [String] = [], options: [OptionSpec] = [],
                arguments: [ArgumentSpec] = [], subcommands: [CommandSpec] = [], version: String? = nil,
                unknownOptionNote: String? = nil) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.discussionArguments = discussionArguments
        self.options = options
        self.arguments = arguments
        self.subcommands = subcommands
        self.version = version
        self.unknownOptionNote = unknownOptionNote
    }

    /// The option called `name` (`--root`, `-o`), if this command has it.
    public func option(named name: String) -> OptionSpec? {
        options.first { $0.names.contains(name) }
    }

    public func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }
}

/// An option: a flag (`--all`, `-v`) or an option with a value (`--root DIR`, `--root=DIR`).
public struct OptionSpec: Sendable {
    /// Every name, long (`--output`) and short (`-o`); the first long one is its key.
    public var names: [String]
    /// The value's name in help (`DIR`); nil for a flag.
    public var valueName: String?
    /// Written as a template: `%1$s` is the first of `helpArguments` (`%%` a percent sign).
    public var help: String
    public var helpArguments: [String]
    /// A value is taken as given even when it starts with `-` (`--fault -5` is a bad fault id to
    /// name, not a missing value).
    public var takesAnyValue: Bool
    public var hidden: Bool
    /// Given more than once, each value counts (`--fault 5 --fault 19`); otherwise the last wins.
    public var repeats: Bool
    /// What a shell offers for the value.
    public var completion: Completion

    public init(_ names: String..., value valueName: String? = nil, help: String, helpArguments: [String] = [], takesAnyValue: Bool = false,
                repeats: Bool = false, completion: Completion? = nil, hidden: Bool = false) {
        self.names = names
        self.valueName = valueName
        self.help = help
        self.helpArguments = helpArguments
        self.takesAnyValue = takesAnyValue
        self.repeats = repeats
        self.completion = completion ?? Completion(valueName: valueName)
        self.hidden = hidden
    }

    /// The key values are kept under: the first long name (`--output`).
    public var key: String { names.first { $0.hasPrefix("--") } ?? names[0] }

    public var isFlag: Bool { valueName == nil }

    /// As help and errors name it: `--root <DIR>`.
    public var label: String { valueName.map { "\(key) <\($0)>" } ?? key }
}

/// A positional argument.
public struct ArgumentSpec: Sendable {
    public enum Count: Sendable {
        /// Exactly one.
        case one
        /// One or none.
        case optional
        /// Any number.
        case many
        /// Everything after `--`, untouched.
        case afterTerminator
    }

    public var valueName: String
    /// Written as a template, as an option's help.
    public var help: String
    public var helpArguments: [String]
    public var count: Count
    public var completion: Completion

    public init(_ valueName: String, count: Count = .one, completion: Completion? = nil, help: String, helpArguments: [String] = []) {
        self.valueName = valueName
        self.help = help
        self.helpArguments = helpArguments
        self.count = count
        self.completion = completion ?? Completion(valueName: valueName)
    }

    public var label: String { "<\(valueName)>" }
}

/// What a shell's completion offers for a value.
public enum Completion: Sendable, Equatable {
    case nothing
    case files
    case directories
    case commands
    case words([String])

    /// By the value's name: FILE and PATH are files, DIR a directory, COMMAND a command.
    init(valueName: String?) {
        switch valueName {
        case "FILE", "PATH": self = .files
        case "DIR": self = .directories
        case "COMMAND": self = .commands
        default: self = .nothing
        }
    }
}
