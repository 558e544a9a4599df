/// Everything one run of ampfix found and did. Its JSON form is versioned by `schema`.
public struct Report: Codable, Sendable {
    /// /2 adds each fault's `evidenceMessages` and `manualStepMessages`; every field of /1 is
    /// there with the same meaning (README, "The JSON report").
    public static let schemaVersion = "ampfix.report/2"

    public var schema = Report.schemaVersion
    public var tool = "ampfix"
    public var version = AmpfixVersion.current
    public var mode: RunMode
    public var root: String
    public var language: Language
    /// The journal run id when something was changed.
    public var run: String?
    /// Where that run's journal is.
    public var journal: String?
    /// What was done about runs interrupted earlier (or, in dry-run, what would be).
    public var recovered: [String]
    /// The connector's own view; absent when it was not asked.
    public var connector: ConnectorReport? = nil
    public var faults: [FaultReport]
    public var exitCode: Int32

    /// 0 no fault present, 1 a fault remains, 2 a fault could not be evaluated (and none is present).
    public static func exitCode(for statuses: [FindingStatus]) -> Int32 {
        if statuses.contains(.present) { return ExitStatus.faultsRemain }
        if statuses.contains(.unknown) { return ExitStatus.couldNotEvaluate }
        return ExitStatus.healthy
    }
}
