/// Everything one run of ampfix found and did. Its JSON form is versioned by `schema`.
public struct Report: Codable, Sendable {
    /// /2 adds each fault's `evidenceMessages` and `manualStepMessages`; /3 the message of every
    /// other line (`recoveredMessages`, each action's `reasonMessage`), the connector's
    /// `faultListDisagrees` and `preflight`. Every field of /1 and /2 is there with the same meaning (README,
    /// "The JSON report").
    public static let schemaVersion = "ampfix.report/3"

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
    /// What was done about runs interrupted earlier (or, in dry-run, what would be):
    /// `recoveredMessages` in the report's language.
    public var recovered: [String]
    /// ampfix.report/3: each `recovered` line as a message.
    public var recoveredMessages: [Message]
    /// The connector's own view; absent when it was not asked.
    public var connector: ConnectorReport? = nil
    /// The last preflight's predictions for this kernel against what the connector raises;
    /// absent when the connector was not read or no preflight was kept.
    public var preflight: PreflightComparison? = nil
    /// Why the kept preflight record was not compared (it is not a record: damaged, planted, of
    /// another schema), in the report's language; absent when it was, or there is none.
    public var preflightRecordProblem: String? = nil
    /// The connector's installation under the root (/opt/cisco/amp) and its version
    /// (global.xml), whether or not its status was asked; absent in reports before them.
    public var connectorInstalled: Bool? = nil
    /// The files of /etc/ampfix/accepted.d that are no accepted finding, and why, in the
    /// report's language; absent when there are none.
    public var acceptanceProblems: [String]? = nil
    public var acceptanceProblemMessages: [Message]? = nil {
        didSet { acceptanceProblems = acceptanceProblemMessages?.map(\.description) }
    }
    public var connectorVersion: String? = nil
    /// `preflightRecordProblem` as a message.
    public var preflightRecordProblemMessage: Message? = nil {
        didSet { preflightRecordProblem = preflightRecordProblemMessage?.description }
    }
    public var faults: [FaultReport]
    public var exitCode: Int32

    public init(mode: RunMode, root: String, language: Language, run: String? = nil, journal: String? = nil, recovered: [Message],
                connector: ConnectorReport? = nil, faults: [FaultReport], exitCode: Int32) {
        self.mode = mode
        self.root = root
        self.language = language
        self.run = run
        self.journal = journal
        self.recovered = recovered.map(\.description)
        recoveredMessages = recovered
        self.connector = connector
        self.faults = faults
        self.exitCode = exitCode
    }

    /// A report of an earlier schema has no `recoveredMessages`: its lines read as verbatim.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schema = try container.decode(String.self, forKey: .schema)
        tool = try container.decode(String.self, forKey: .tool)
        version = try container.decode(String.self, forKey: .version)
        mode = try container.decode(RunMode.self, forKey: .mode)
        root = try container.decode(String.self, forKey: .root)
        language = try container.decode(Language.self, forKey: .language)
        run = try container.decodeIfPresent(String.self, forKey: .run)
        journal = try container.decodeIfPresent(String.self, forKey: .journal)
        recovered = try container.decode([String].self, forKey: .recovered)
        recoveredMessages = try container.decodeIfPresent([Message].self, forKey: .recoveredMessages) ?? recovered.map(Message.verbatim)
        connector = try container.decodeIfPresent(ConnectorReport.self, forKey: .connector)
        preflight = try container.decodeIfPresent(PreflightComparison.self, forKey: .preflight)
        preflightRecordProblem = try container.decodeIfPresent(String.self, forKey: .preflightRecordProblem)
        connectorInstalled = try container.decodeIfPresent(Bool.self, forKey: .connectorInstalled)
        acceptanceProblems = try container.decodeIfPresent([String].self, forKey: .acceptanceProblems)
        acceptanceProblemMessages = try container.decodeIfPresent([Message].self, forKey: .acceptanceProblemMessages)
        connectorVersion = try container.decodeIfPresent(String.self, forKey: .connectorVersion)
        preflightRecordProblemMessage = try container.decodeIfPresent(Message.self, forKey: .preflightRecordProblemMessage)
        faults = try container.decode([FaultReport].self, forKey: .faults)
        exitCode = try container.decode(Int32.self, forKey: .exitCode)
    }

    /// 0 no fault present, 1 a fault remains, 2 a fault could not be evaluated (and none is present).
    public static func exitCode(for statuses: [FindingStatus]) -> Int32 {
        if statuses.contains(.present) { return ExitStatus.faultsRemain }
        if statuses.contains(.unknown) { return ExitStatus.couldNotEvaluate }
        return ExitStatus.healthy
    }
}
