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
    /// `reasonMessage` in the report's language.
    public var reason: String?
    /// ampfix.report/2: `summary` as a message (it is rendered in the report's language).
    public var summaryMessage: Message?
    /// ampfix.report/3: `reason` as a message.
    public var reasonMessage: Message?

    public init(_ action: Action, outcome: ActionOutcome) {
        fault = action.fault.rawValue
        kind = action.change.kind
        target = action.change.target
        before = action.change.beforeDescription
        after = action.change.afterDescription
        summary = action.change.summary.description
        summaryMessage = action.change.summary
        reversible = action.change.inverse != nil
        self.outcome = outcome.label
        reason = outcome.reason?.description
        reasonMessage = outcome.reason
    }
}
