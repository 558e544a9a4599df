/// Fault 5: the scanner cannot run as cisco-amp-scan-svc. Two causes are checked: the
/// connector's directories lost their permissions (repaired here), and the scan user or group
/// is missing or wrong (not written yet, so reported as unknown).
public struct ScanUserFault: FaultCheck {
    public let id = FaultID.scanUserUnavailable

    /// The connector's install tree. Every directory in it is expected at mode 0755, owned by
    /// uid 0; the group is left as it is, since the connector does not depend on it.
    public static let connectorTree = "/opt/cisco"
    public static let expectedMode: UInt32 = 0o755
    public static let expectedOwner: UInt32 = 0

    public init() {}

    public var stepsAfterRepair: [String] {
        ["Restart the connector so that the scanner runs with the repaired setup: systemctl restart cisco-amp"]
    }

    public func diagnose(_ host: any HostFacts) -> Finding {
        let permissions = checkPermissions(host)
        let user = Finding(
            fault: id,
            status: .unknown,
            evidence: ["not yet implemented: the check of user and group cisco-amp-scan-svc"],
            manualSteps: ["Check the scan account by hand: `getent passwd cisco-amp-scan-svc` and `getent group cisco-amp-scan-svc` must both answer, and the user's primary group must be cisco-amp-scan-svc."]
        )
        let parts = [permissions, user]
        return Finding(
            fault: id,
            status: FindingStatus.combined(parts.map(\.status)),
            evidence: parts.flatMap(\.evidence),
            repairs: parts.flatMap(\.repairs),
            manualSteps: parts.flatMap(\.manualSteps)
        )
    }

    func checkPermissions(_ host: any HostFacts) -> Finding {
        let tree: DirectoryTree
        do {
            tree = try host.directoryTree(at: Self.connectorTree)
        } catch {
            return Finding(fault: id, status: .unknown, evidence: ["cannot check \(Self.connectorTree): \(error)"])
        }
        guard let resolved = tree.resolved else {
            return Finding(fault: id, status: .notApplicable, evidence: ["\(Self.connectorTree) does not exist: the connector is not installed here"])
        }
        var evidence: [String] = []
        if resolved != Self.connectorTree {
            evidence.append("\(Self.connectorTree) resolves to \(resolved)")
        }
        var repairs: [Change] = []
        for dir in tree.directories {
            let now = dir.attributes
            guard now.mode != Self.expectedMode || now.uid != Self.expectedOwner else { continue }
            let want = DirectoryAttributes(mode: Self.expectedMode, uid: Self.expectedOwner, gid: now.gid)
            evidence.append("\(dir.path): mode \(now.octalMode) owner uid \(now.uid), expected \(want.octalMode) owned by root")
            repairs.append(.directoryAttributes(path: dir.path, before: now, after: want))
        }
        for link in tree.symlinks {
            evidence.append("\(link): symbolic link, not followed")
        }
        if repairs.isEmpty {
            evidence.insert("\(tree.directories.count) directories under \(resolved) are mode 0755 owned by root", at: 0)
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        return Finding(
            fault: id,
            status: .present,
            evidence: evidence,
            repairs: repairs,
            manualSteps: ["Find what changed the permissions of \(Self.connectorTree) and stop it; then restart the connector (systemctl restart cisco-amp)."]
        )
    }
}
