import AmpfixCore
import AmpfixSystem
import Glibc

/// `systemctl show UNIT --property=...`, with a deadline, on a host systemd runs.
public struct SystemdUnits: ServiceUnits {
    public var deadline: Duration = .seconds(5)

    public init() {}

    public func properties(of unit: String, _ names: [String]) -> ServiceUnitReading {
        guard access("/run/systemd/system", F_OK) == 0 else { return .unavailable(.msg("systemd is not running here")) }
        guard Programs.locate("systemctl") != nil else { return .unavailable(.msg("systemctl is not installed")) }
        let arguments = ["show", unit, "--property=" + names.joined(separator: ",")]
        let command = (["systemctl"] + arguments).joined(separator: " ")
        let result: ProgramResult
        do { result = try Programs.run("systemctl", arguments, deadline: deadline) } catch {
            return .unavailable(.msg("\(command) could not be started: \(error)"))
        }
        if let after = result.timedOut { return .unavailable(.msg("\(command) did not answer within \(after)")) }
        guard result.status == 0 else { return .unavailable(.msg("\(command) exited with status \(result.status): \(verbatim: result.output.trimming().replacingNewlines)")) }
        return .parse(result.output, command: command)
    }
}
