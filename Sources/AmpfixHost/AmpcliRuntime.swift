import AmpfixCore
import AmpfixSystem
import Glibc

/// How to reach the running connector: its status command and how long to wait for it.
public struct ConnectorAccess: Sendable {
    /// The connector's own status tool on a live host.
    public static let defaultAmpcli = "/opt/cisco/amp/bin/ampcli"
    /// `--ampcli PATH` (a path on this machine, never inside --root); nil: the default, live only.
    public var ampcli: String?
    /// `--status-timeout`: past it, ampcli and whatever it started are killed.
    public var timeout: Double

    public init(ampcli: String? = nil, timeout: Double = 5) {
        self.ampcli = ampcli
        self.timeout = timeout
    }

    /// The runtime for `root`: the given ampcli; else, live, the installed one; under --root
    /// nothing (no connector runs in a tree, and ampfix runs no program from inside one).
    public func runtime(root: String) -> any ConnectorRuntime {
        let path: String
        if let ampcli {
            path = ampcli
        } else if root != "/" {
            return NoConnectorRuntime(reason: "no connector runs under --root \(root); --ampcli PATH asks a status command")
        } else if access(Self.defaultAmpcli, X_OK) == 0 {
            path = Self.defaultAmpcli
        } else {
            return NoConnectorRuntime(reason: "the connector is not installed: no \(Self.defaultAmpcli)")
        }
        return AmpcliRuntime(path: path, deadline: .milliseconds(Int(timeout * 1000)))
    }
}

/// `ampcli status`, run with a deadline and parsed tolerantly (ConnectorStatus).
public struct AmpcliRuntime: ConnectorRuntime {
    public var path: String
    public var deadline: Duration

    public func status() -> ConnectorStatusReading {
        let command = "\(path) status"
        let result: ProgramResult
        do {
            // Its answer is complete when it exits: a child it leaves holding its output (or
            // detached with setsid) is ended then, never waited for.
            result = try Programs.run(path: path, ["status"], deadline: deadline, outputLimit: 1 << 20, endLeftovers: true)
        } catch {
            return .failed("\(command) could not be started: \(error)")
        }
        if let after = result.timedOut {
            return .failed("\(command) did not answer within \(after) and was killed")
        }
        if result.status == 126 || result.status == 127 {
            return .failed("\(command) could not be run (exit status \(result.status)): \(result.output.trimming().replacingNewlines)")
        }
        do {
            let status = try ConnectorStatus.parse(result.output)
            return .read(status, command: command, note: result.status == 0 ? nil : "\(command) exited with status \(result.status)")
        } catch {
            let exit = result.status == 0 ? "" : " and exited with status \(result.status)"
            return .failed("\(command) printed no status\(exit): \(error)")
        }
    }
}

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
