/// One thing `ampfix preflight` predicts: whether the connector would raise a fault (or run
/// short of something it needs) if it were installed now, or after booting a kernel.
public struct Prediction: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// The connector would raise it.
        case predicted
        /// It would not.
        case clear
        /// Cannot be told here (evidence names why).
        case unknown
    }

    /// A fault number ("16"), or a named requirement ("disk-space", "memory", "fanotify").
    public var check: String
    /// The fault it predicts, when it predicts one.
    public var fault: Int?
    public var outcome: Outcome
    /// Whether it keeps the connector from monitoring at all when predicted (Leapp's inhibitors,
    /// MDE's failed prerequisites), as against degrading it or being a warning. A property of
    /// the check: also said of a clear prediction.
    public var blocks: Bool
    /// `titleMessage` in the report's language.
    public var title: String
    public var titleMessage: Message
    public var evidence: [String]
    public var evidenceMessages: [Message]
    /// What prevents it: ampfix's own repair where one exists, else the steps.
    public var prevention: [String]
    public var preventionMessages: [Message]
    /// `ampfix preflight --fix` prevents it (with the fault's own repair, journaled and undoable).
    public var fixable: Bool

    public init(check: String, fault: FaultID?, outcome: Outcome, blocks: Bool, title: Message, evidence: [Message], prevention: [Message],
                fixable: Bool) {
        self.check = check
        self.fault = fault?.rawValue
        self.outcome = outcome
        self.blocks = blocks
        titleMessage = title
        evidenceMessages = evidence
        preventionMessages = prevention
        self.fixable = fixable
        self.title = ""
        self.evidence = []
        self.prevention = []
        render(UntranslatedText())
    }

    public mutating func render(_ translation: any Translating) {
        title = titleMessage.rendered(translation)
        evidence = evidenceMessages.map { $0.rendered(translation) }
        prevention = preventionMessages.map { $0.rendered(translation) }
    }
}

/// What `ampfix preflight` found: its JSON form is versioned by `schema`.
public struct PreflightReport: Codable, Sendable {
    public static let schemaVersion = "ampfix.preflight/1"

    public var schema = PreflightReport.schemaVersion
    public var tool = "ampfix"
    public var version = AmpfixVersion.current
    public var root: String
    public var language: Language
    /// The kernel the predictions are for, and whether it is the running one (then the
    /// connector's programs were loaded and attached in it).
    public var kernel: String?
    public var kernelRunning: Bool
    /// Whether the connector is installed already (preflight works with or without it).
    public var connectorInstalled: Bool
    public var predictions: [Prediction]
    /// With `--fix`: the repair (or its dry run) of what was predicted, as `ampfix.report/3`;
    /// the predictions above are those made after it.
    public var fix: Report?
    /// Where the predictions were kept for a later diagnosis to compare with what the connector
    /// raises (PreflightRecord); absent when they were not (a dry run, no kernel).
    public var recorded: String?
    /// Whether any prediction blocks monitoring.
    public var blocking: Bool
    public var exitCode: Int32

    public init(root: String, kernel: String?, kernelRunning: Bool, connectorInstalled: Bool, predictions: [Prediction], language: Language = .en) {
        self.root = root
        self.kernel = kernel
        self.kernelRunning = kernelRunning
        self.connectorInstalled = connectorInstalled
        self.predictions = predictions
        self.language = language
        blocking = predictions.contains { $0.outcome == .predicted && $0.blocks }
        // As the main command's: 0 nothing predicted, 1 something predicted, 2 something unknown.
        exitCode = predictions.contains { $0.outcome == .predicted } ? ExitStatus.faultsRemain
            : predictions.contains { $0.outcome == .unknown } ? ExitStatus.couldNotEvaluate : ExitStatus.healthy
    }

    public mutating func render(_ translation: any Translating, language rendered: Language? = nil) {
        if let rendered { language = rendered }
        for index in predictions.indices { predictions[index].render(translation) }
        fix?.render(translation, language: rendered)
    }

    /// The faults `--fix` would repair: predicted, with a repair of their own.
    public var fixableFaults: [FaultID] {
        predictions.filter { $0.outcome == .predicted && $0.fixable }.compactMap { $0.fault.flatMap(FaultID.init(rawValue:)) }
    }
}
