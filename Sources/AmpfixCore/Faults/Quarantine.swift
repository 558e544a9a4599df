/// Files ampfix takes out of the connector's way are moved here, one directory per run, and
/// never deleted: `ampfix undo RUN-ID` moves them back.
public enum Quarantine {
    public static let path = "/var/lib/ampfix/quarantine"
    public static func directory(run: String) -> String { "\(path)/\(run)" }
}
