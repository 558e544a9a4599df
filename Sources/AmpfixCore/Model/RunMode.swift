/// How ampfix was run.
public enum RunMode: String, Codable, Sendable {
    case diagnose
    case dryRun = "dry-run"
    case repair
}
