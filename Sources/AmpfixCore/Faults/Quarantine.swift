/// Files ampfix takes out of the connector's way are moved here, one directory per run, and
/// never deleted: `ampfix undo RUN-ID` moves them back.
public enum Quarantine {
    public static let path = "/var/lib/ampfix/quarantine"
    public static func directory(run: String) -> String { "\(path)/\(run)" }
    /// What a dry run names the run that would apply its plan: that run's id is made when it
    /// starts, so a plan (and Ansible's check-mode diff) shows this word rather than an id of
    /// its own that the real run would not have.
    public static let plannedRun = "RUN-ID"
}
