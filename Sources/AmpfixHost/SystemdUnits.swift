import AmpfixCore
import AmpfixSystem
import Glibc

/// `systemctl show UNIT --property=...`, with a deadline, on a host systemd runs.
public struct SystemdUnits: ServiceUnits {
    public var deadline: Duration = .seconds(5)

    public init() {}

    public func properties(of unit: String, _ names: [String]) -> ServiceUnitReading {
        guard access("/run/systemd/system", F_OK) == 0 else { return .unavailable("systemd is not running here") }
        guard Programs.locate("systemctl") != nil else { return .unavailable("systemctl is not installed") }
        let arguments = ["show", unit, "--property=" + names.joined(separator: ",")]
        let command = (["systemctl"] + arguments).joined(separator: " ")
        let result: ProgramResult
        do { result = try Programs.run("systemctl", arguments, deadline: deadline) } catch {
            return .unavailable("\(command) could not be started: \(error)")
        }
        if let after = result.timedOut { return .unavailable("\(command) did not answer within \(after)") }
        guard result.status == 0 else { return .unavailable("\(command) exited with status \(result.status): \(result.output.trimming().replacingNewlines)") }
        return .parse(result.output, command: command)
    }
}
