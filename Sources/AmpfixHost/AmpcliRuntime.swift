import AmpfixCore
import AmpfixSystem
import Glibc

/// `ampcli status`, run with a deadline and parsed tolerantly (ConnectorStatus).
public struct AmpcliRuntime: ConnectorRuntime {
    public var path: String
    public var deadline: Duration
    /// The most of `ampcli status` read (it prints a few hundred bytes).
    static let outputLimit = 1 << 20

    public func status() -> ConnectorStatusReading {
        let command = ShellCommand.line([path, "status"])
        let result: ProgramResult
        do {
            // Its answer is complete when it exits: a child it leaves holding its output (or
            // detached with setsid) is ended then, never waited for.
            result = try Programs.run(path: path, ["status"], deadline: deadline, outputLimit: Self.outputLimit, endLeftovers: true)
        } catch {
            return .failed(.msg("\(command) could not be started: \(error)"))
        }
        if let after = result.timedOut {
            return .failed(.msg("\(command) did not answer within \(after) and was killed"))
        }
        // A status cut at the limit may have lost its fault lines: no answer rather than a
        // false "no faults".
        if result.dropped > 0 {
            return .failed(.msg("\(command) printed \(result.output.utf8.count + result.dropped) bytes, more than the \(Self.outputLimit >> 20) MiB a status is; ampfix does not judge by a cut answer"))
        }
        if result.status == 126 || result.status == 127 {
            return .failed(.msg("\(command) could not be run (exit status \(result.status)): \(verbatim: result.output.trimming().replacingNewlines)"))
        }
        do {
            let status = try ConnectorStatus.parse(result.output)
            return .read(status, command: command, note: result.status == 0 ? nil : .msg("\(command) exited with status \(result.status)"))
        } catch {
            return .failed(result.status == 0 ? .msg("\(command) printed no status: \(error)")
                : .msg("\(command) printed no status and exited with status \(result.status): \(error)"))
        }
    }
}
