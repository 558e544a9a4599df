public struct FaultReport: Codable, Sendable, Equatable {
    /// The connector's fault number: the stable id.
    public var id: Int
    /// `titleMessage` in the report's language.
    public var title: String
    /// ampfix.report/3: the title as a message (its English text is its id).
    public var titleMessage: Message
    /// The status now (after the repair, when repairing).
    public var status: FindingStatus
    /// The status before the repair; present only when ampfix repaired.
    public var initialStatus: FindingStatus?
    /// Whether ampfix has changes that would repair what it found.
    public var repairable: Bool
    /// `evidenceMessages` in the report's language.
    public var evidence: [String]
    public var actions: [ActionReport]
    /// `manualStepMessages` in the report's language.
    public var manualSteps: [String]
    /// Whether the connector's own status lists this fault (absent when no status was asked for).
    public var raisedByConnector: RaisedByConnector? = nil
    /// ampfix.report/2: each evidence line as its message id (English, with numbered
    /// placeholders) and arguments, for a fleet to group hosts by cause without reading prose.
    public var evidenceMessages: [Message]
    /// ampfix.report/2: each next step as a message; a step from the fault catalog has its
    /// English text as its id and no arguments.
    public var manualStepMessages: [Message]

    public init(id: Int, title: String, status: FindingStatus, initialStatus: FindingStatus?, repairable: Bool, evidence: [Message],
                actions: [ActionReport], manualSteps: [Message], raisedByConnector: RaisedByConnector? = nil,
                translation: any Translating = UntranslatedText()) {
        self.id = id
        self.title = title
        titleMessage = .fromFaultCatalog(title)
        self.status = status
        self.initialStatus = initialStatus
        self.repairable = repairable
        self.actions = actions
        self.raisedByConnector = raisedByConnector
        evidenceMessages = evidence
        manualStepMessages = manualSteps
        self.evidence = []
        self.manualSteps = []
        render(translation)
    }

    /// One more line of evidence (its message, and its English text until the report is rendered).
    public mutating func addEvidence(_ message: Message) {
        evidenceMessages.append(message)
        evidence.append(message.description)
    }

    /// The evidence and the steps rendered again from their messages, in `translation`'s language.
    public mutating func render(_ translation: any Translating) {
        title = titleMessage.rendered(translation)
        evidence = evidenceMessages.map { $0.rendered(translation) }
        manualSteps = manualStepMessages.map { $0.rendered(translation) }
        for index in actions.indices {
            if let summary = actions[index].summaryMessage { actions[index].summary = summary.rendered(translation) }
            if let reason = actions[index].reasonMessage { actions[index].reason = reason.rendered(translation) }
        }
    }

    /// A report of schema ampfix.report/1 has no messages: they read as empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        titleMessage = try container.decodeIfPresent(Message.self, forKey: .titleMessage) ?? .verbatim(title)
        status = try container.decode(FindingStatus.self, forKey: .status)
        initialStatus = try container.decodeIfPresent(FindingStatus.self, forKey: .initialStatus)
        repairable = try container.decode(Bool.self, forKey: .repairable)
        evidence = try container.decode([String].self, forKey: .evidence)
        actions = try container.decode([ActionReport].self, forKey: .actions)
        manualSteps = try container.decode([String].self, forKey: .manualSteps)
        raisedByConnector = try container.decodeIfPresent(RaisedByConnector.self, forKey: .raisedByConnector)
        evidenceMessages = try container.decodeIfPresent([Message].self, forKey: .evidenceMessages) ?? []
        manualStepMessages = try container.decodeIfPresent([Message].self, forKey: .manualStepMessages) ?? []
    }
}
