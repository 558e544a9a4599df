/// `ampfix check`: a diagnosis as a monitoring plugin's result, the Nagios/Icinga way: one
/// status line with performance data, a line per fault that is not ok, and the plugin exit
/// codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN — not ampfix's own).
public struct PluginCheck: Sendable, Equatable {
    public enum State: Int32, Sendable {
        case ok = 0, warning = 1, critical = 2, unknown = 3

        public var word: String {
            switch self {
            case .ok: return "OK"
            case .warning: return "WARNING"
            case .critical: return "CRITICAL"
            case .unknown: return "UNKNOWN"
            }
        }
    }

    /// A repair that failed in the newest run of the journal.
    public struct FailedRepair: Sendable, Equatable {
        public var run: String
        public var fault: Int
        public var reason: Message

        public init(run: String, fault: Int, reason: Message) {
            self.run = run
            self.fault = fault
            self.reason = reason
        }
    }

    public var state: State
    /// The first line (summary | perfdata), then the details.
    public var lines: [String]

    /// CRITICAL when a fault the connector raises is present, or a repair of a fault still
    /// present failed in the newest run; else WARNING when a fault is present; else UNKNOWN
    /// when a fault could not be evaluated; else OK.
    /// The words are `t`'s (the state words and the performance data stay as plugins write
    /// them); the report is rendered in that language already.
    public init(_ report: Report, failedRepairs: [FailedRepair] = [], translation t: any Translating = UntranslatedText()) {
        let present = report.faults.filter { $0.status == .present }
        let unknown = report.faults.filter { $0.status == .unknown }
        let accepted = report.faults.filter { $0.status == .accepted }
        let raised = present.filter { $0.raisedByConnector == .yes }
        let presentIDs = Set(present.map(\.id))
        let failed = failedRepairs.filter { presentIDs.contains($0.fault) }
        func ids(_ faults: [Int]) -> String { faults.map(String.init).joined(separator: ", ") }

        var parts: [String] = []
        if !raised.isEmpty { parts.append(t("raised by the connector: %1$s", ids(raised.map(\.id)))) }
        if let run = failed.first?.run { parts.append(t("repair failed in run %1$s: %2$s", run, ids(Array(Set(failed.map(\.fault))).sorted()))) }
        if !present.isEmpty { parts.append(t("faults present: %1$s", ids(present.map(\.id)))) }
        if !unknown.isEmpty { parts.append(t("could not evaluate: %1$s", ids(unknown.map(\.id)))) }
        if parts.isEmpty { parts.append(t("no fault present (%1$s checked)", String(report.faults.count))) }
        if !accepted.isEmpty { parts.append(t("accepted: %1$s", ids(accepted.map(\.id)))) }
        let problems = report.acceptanceProblems ?? []

        state = !raised.isEmpty || !failed.isEmpty ? .critical : !present.isEmpty ? .warning : !unknown.isEmpty ? .unknown : .ok
        let total = report.faults.count
        // Plugin ranges: "0" alerts above 0. Present warns, raised is critical, unknown has none
        // (its state is UNKNOWN, not a threshold's).
        let perfdata = "present=\(present.count);0;;0;\(total) raised=\(raised.count);;0;0;\(total) unknown=\(unknown.count);;;0;\(total)"
            + " accepted=\(accepted.count);;;0;\(total)"
        // TRANSLATORS: what separates the parts of the check's status line.
        lines = ["AMPFIX \(state.word) - \(Self.plain(parts.joined(separator: t("; ")))) | \(perfdata)"]
        let words = TextRenderer(translation: t)
        for fault in report.faults where fault.status == .present || fault.status == .unknown {
            // TRANSLATORS: a line of `ampfix check`: the fault's number, its status word, its title.
            var line = t("fault %1$s %2$s: %3$s", String(fault.id), words.word(fault.status), fault.title)
            // What kept an unknown fault from being evaluated (a file it could not read).
            if fault.status == .unknown, let index = fault.evidenceMessages.firstIndex(where: { $0.id.hasPrefix("cannot ") }), index < fault.evidence.count {
                line += " (" + fault.evidence[index] + ")"
            }
            lines.append(Self.plain(line))
        }
        for fault in accepted {
            // TRANSLATORS: a line of `ampfix check`: the fault's number, "accepted", its title, the acceptance (until when, by whom, why).
            let acceptance = fault.evidenceMessages.lastIndex { $0.id.hasPrefix("accepted until ") }.map { " (" + fault.evidence[$0] + ")" } ?? ""
            lines.append(Self.plain(t("fault %1$s %2$s: %3$s", String(fault.id), words.word(fault.status), fault.title) + acceptance))
        }
        for problem in problems {
            lines.append(Self.plain(t("accepted findings: %1$s", problem)))
        }
        for repair in failed {
            lines.append(Self.plain(t("fault %1$s repair failed: %2$s", String(repair.fault), repair.reason.rendered(t))))
        }
    }

    /// What kept ampfix from checking at all (a usage or runtime error), as UNKNOWN's one line.
    public static func unknown(_ message: String) -> PluginCheck {
        let oneLine = message.split(whereSeparator: \.isNewline).map { String($0).trimming() }.filter { !$0.isEmpty }.joined(separator: " ")
        return PluginCheck(state: .unknown, lines: ["AMPFIX UNKNOWN - " + plain(oneLine)])
    }

    init(state: State, lines: [String]) {
        self.state = state
        self.lines = lines
    }

    public var text: String { lines.joined(separator: "\n") + "\n" }

    /// One line, no "|" (it starts the performance data): words from the host cannot split it.
    static func plain(_ text: String) -> String {
        text.escapingControlCharacters(keeping: []).split(separator: "|", omittingEmptySubsequences: false).joined(separator: "/")
    }
}
