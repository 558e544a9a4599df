import AmpfixCommandLine
import AmpfixCore

/// A command of ampfix's command line: its spec, built from the parsed arguments, checked,
/// then run. `main.swift` dispatches on the spec's name.
protocol AmpfixCommand {
    static var spec: CommandSpec { get }
    init(_ parsed: ParsedArguments) throws(UsageError)
    /// Refuses what the arguments cannot mean together (a `ValidationError`, exit status 64).
    func validate() throws
    func run() throws
}

extension AmpfixCommand {
    func validate() throws {}
}

/// Input that parses but makes no sense: a usage error (64) with the command's usage, said in
/// the run's language.
struct ValidationError: Error, CustomStringConvertible {
    var message: Message
    init(_ message: Message) { self.message = message }
    var description: String { message.description }
}

/// Ends the run with this exit status; what there was to say is said.
struct ExitCode: Error {
    var rawValue: Int32
    init(_ rawValue: Int32) { self.rawValue = rawValue }
}
