/// How ampfix was run.
public enum RunMode: String, Codable, Sendable {
    case diagnose
    case dryRun = "dry-run"
    case repair
}

/// One planned or applied action, flattened for readers of the JSON report.
public struct ActionReport: Codable, Sendable, Equatable {
    public var fault: Int
    public var kind: ChangeKind
    public var target: String
    public var before: String
    public var after: String
    public var summary: String
    public var reversible: Bool
    /// planned, would-fail, applied, already-in-place, failed, skipped
    public var outcome: ActionOutcome.Label
    public var reason: String?

    public init(_ action: Action, outcome: ActionOutcome) {
        fault = action.fault.rawValue
        kind = action.change.kind
        target = action.change.target
        before = action.change.beforeDescription
        after = action.change.afterDescription
        summary = action.change.summary
        reversible = action.change.inverse != nil
        self.outcome = outcome.label
        reason = outcome.reason
    }
}

public struct FaultReport: Codable, Sendable, Equatable {
    /// The connector's fault number: the stable id.
    public var id: Int
    public var title: String
    /// The status now (after the repair, when repairing).
    public var status: FindingStatus
    /// The status before the repair; present only when ampfix repaired.
    public var initialStatus: FindingStatus?
    /// Whether ampfix has changes that would repair what it found.
    public var repairable: Bool
    public var evidence: [String]
    public var actions: [ActionReport]
    public var manualSteps: [String]
    /// Whether the connector's own status lists this fault (absent when no status was asked for).
    public var raisedByConnector: RaisedByConnector? = nil
}

/// What the running connector said of itself (`ampcli status`) and its installed version.
public struct ConnectorReport: Codable, Sendable, Equatable {
    public struct Raised: Codable, Sendable, Equatable {
        public var id: Int
        public var severity: String?
        public var text: String?
    }

    public enum Reading: String, Codable, Sendable {
        /// A status was read.
        case read
        /// Nobody to ask.
        case unavailable
        /// Asked, no usable answer.
        case failed
    }

    public var reading: Reading
    /// The command that was run.
    public var command: String?
    /// Why it is unavailable or failed, or what was odd about a status that was read.
    public var reason: String?
    /// Its `Status:` and `Mode:` lines.
    public var status: String?
    public var mode: String?
    /// From /opt/cisco/amp/etc/global.xml.
    public var version: String?
    /// The faults it raises (empty also when it does not say; see `FaultReport.raisedByConnector`).
    public var raised: [Raised]
}

/// Everything one run of ampfix found and did. Its JSON form is versioned by `schema`.
public struct Report: Codable, Sendable {
    public static let schemaVersion = "ampfix.report/1"

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

/// The exit codes users script against.
public enum ExitStatus {
    public static let healthy: Int32 = 0
    public static let faultsRemain: Int32 = 1
    public static let couldNotEvaluate: Int32 = 2
    public static let usage: Int32 = 64
}

public enum AmpfixVersion {
    public static let current = "0.1.0"
}
