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
            return NoConnectorRuntime(reason: .msg("no connector runs under --root \(root); --ampcli PATH asks a status command"))
        } else if access(Self.defaultAmpcli, X_OK) == 0 {
            path = Self.defaultAmpcli
        } else {
            return NoConnectorRuntime(reason: .msg("the connector is not installed: no \(Self.defaultAmpcli)"))
        }
        return AmpcliRuntime(path: path, deadline: .milliseconds(Int(timeout * 1000)))
    }
}
