/// `ampfix undo --json` (and `--dry-run --json`): what the undo reverted or would revert, each
/// item as the change it makes now (before and after are the run's after and before), in the
/// language asked for, with the messages beside the text as in `ampfix.report/3`.
public struct UndoJSON: Codable, Sendable {
    public static let schemaVersion = "ampfix.undo/1"

    public struct Item: Codable, Sendable {
        public var fault: Int
        public var kind: ChangeKind
        public var target: String
        /// What is there now (the run's after).
        public var before: String
        /// What the revert puts back (the run's before).
        public var after: String
        public var summary: String
        public var summaryMessage: Message
        /// planned, would-fail, reverted, already-reverted, not-reversible, skipped, failed
        public var outcome: String
        public var reason: String?
        public var reasonMessage: Message?
    }

    public var schema = UndoJSON.schemaVersion
    public var tool = "ampfix"
    public var dryRun: Bool
    /// The run undone; nil when no run had changes left to undo.
    public var run: String?
    /// Every reversible change is (or would be) back in its before state.
    public var complete: Bool
    public var items: [Item]
    public var recovered: [String]
    public var recoveredMessages: [Message]

    public init(_ report: Run.UndoReport, dryRun: Bool, translation: any Translating) {
        self.dryRun = dryRun
        run = report.result?.run
        complete = report.complete
        recoveredMessages = report.recovered
        recovered = report.recovered.map { $0.rendered(translation) }
        items = (report.result?.items ?? []).map { item in
            let change = item.action.change
            let summary = change.inverse?.summary ?? change.summary
            return Item(fault: item.action.fault.rawValue, kind: change.kind, target: change.target,
                        before: change.afterDescription, after: change.beforeDescription,
                        summary: summary.rendered(translation), summaryMessage: summary, outcome: item.outcome.label,
                        reason: item.outcome.reason?.rendered(translation), reasonMessage: item.outcome.reason)
        }
    }
}
