/// Renders reports and catalog entries for a terminal. The JSON form is the report's own Codable.
/// The report's own words (headings, labels, status words, the summary) are messages in `t`'s
/// language; the evidence and steps are rendered in it before (Report.render).
public struct TextRenderer {
    public var verbose: Bool
    public var t: any Translating

    public init(verbose: Bool = false, translation: any Translating = UntranslatedText()) {
        self.verbose = verbose
        self.t = translation
    }

    public func render(_ report: Report) -> String {
        var out: [String] = []
        let heading: String
        switch report.mode {
        case .diagnose: heading = t("Diagnosis")
        case .dryRun: heading = t("Dry run (nothing is changed)")
        case .repair: heading = t("Repair")
        }
        out.append(t("ampfix %1$s — %2$s of %3$s", report.version, heading, report.root))
        for note in report.recovered {
            out.append(t("recovery: %1$s", note))
        }
        if let connector = report.connector, let line = connectorLine(connector) {
            out.append(line)
        }
        if let preflight = report.preflight { out.append(preflightLine(preflight)) }
        if let problem = report.preflightRecordProblem { out.append(t("preflight: %1$s", problem)) }
        for problem in report.acceptanceProblems ?? [] { out.append(t("accepted findings: %1$s", problem)) }
        out.append("")
        out.append(pad(t("FAULT"), 6) + pad(t("STATUS"), 28) + t("TITLE"))
        for fault in report.faults {
            var status = word(fault.status)
            if let initial = fault.initialStatus, initial != fault.status {
                status = "\(word(initial)) -> \(word(fault.status))"
            }
            out.append(pad(String(fault.id), 6) + pad(status, 28) + fault.title)
            let quiet = (fault.status == .ok || fault.status == .notApplicable) && fault.actions.isEmpty
            if !quiet || verbose {
                for line in fault.evidence { out.append("      - \(line)") }
            }
            if fault.raisedByConnector == .yes, !fault.evidenceMessages.contains(where: { $0.id.hasPrefix("raised by the connector") }) {
                out.append("      - " + t("raised by the connector (its status lists fault %1$s)", String(fault.id)))
            }
            for action in fault.actions {
                out.append("      " + outcomeLine(word(action.outcome), action.summary, action.reason))
            }
            // Faults ampfix only explains would repeat the catalog here; point at it instead.
            if verbose || fault.status == .present || !fault.actions.isEmpty {
                for step in fault.manualSteps { out.append("      " + t("next: %1$s", step)) }
            } else if !quiet {
                out.append("      " + t("next: %1$s", "ampfix explain \(fault.id)"))
            }
        }
        out.append("")
        out.append(summary(report))
        if let journal = report.journal, let run = report.run {
            out.append(t("Journal: %1$s (undo with: %2$s)", journal, "ampfix undo \(run)" + (report.root == "/" ? "" : " --root \(report.root.shellWord)")))
        }
        return Self.lines(out)
    }

    /// What the connector said of itself: always when it was asked, the reason it was not only
    /// with --verbose.
    func connectorLine(_ connector: ConnectorReport) -> String? {
        let version = connector.version.map { t("version %1$s", $0) }
        switch connector.reading {
        case .read:
            let raised = connector.raised.isEmpty ? (connector.faultListDisagrees == true ? t("raises faults ampfix cannot name") : t("raises no fault"))
                : t("raises %1$s", connector.raised.map { fault in fault.severity.map { "\(fault.id) (\($0))" } ?? "\(fault.id)" }.joined(separator: ", "))
            let parts = [connector.status.map { t("Status %1$s", $0) }, connector.mode.map { t("Mode %1$s", $0) }, version].compactMap { $0 }
            return t("connector: %1$s", (parts + [raised]).joined(separator: ", ") + (connector.reason.map { " (\($0))" } ?? ""))
        case .failed:
            return t("connector: %1$s", ([version].compactMap { $0 } + [t("no status: %1$s", connector.reason ?? "")]).joined(separator: ", "))
        case .unavailable:
            return verbose ? t("connector: %1$s", ([version].compactMap { $0 } + [t("not asked: %1$s", connector.reason ?? "")]).joined(separator: ", ")) : nil
        }
    }

    /// The last preflight's predictions against what the connector raises.
    func preflightLine(_ comparison: PreflightComparison) -> String {
        let comma = t(", ")
        func faults(_ agreement: PreflightComparison.Agreement) -> String? {
            let faults = comparison.faults(agreement)
            return faults.isEmpty ? nil : faults.map(String.init).joined(separator: comma)
        }
        var parts = [
            faults(.predictedRaised).map { t("predicted and raised: %1$s", $0) },
            faults(.predictedNotRaised).map { t("predicted, not raised: %1$s", $0) },
            faults(.raisedNotPredicted).map { t("raised, not predicted: %1$s", $0) },
        ].compactMap { $0 }
        if parts.isEmpty { parts = [t("nothing predicted, nothing raised")] }
        if !comparison.complete { parts.append(t("the connector counts faults it does not name")) }
        // TRANSLATORS: %1$s is when the preflight ran, %2$s the kernel, %3$s what agreed and what did not.
        return t("preflight of %1$s for kernel %2$s: %3$s", comparison.recorded, comparison.kernel, parts.joined(separator: "; "))
    }

    func summary(_ report: Report) -> String {
        var counts: [String] = []
        for status in FindingStatus.allCases {
            let n = report.faults.filter { $0.status == status }.count
            // TRANSLATORS: a count of faults and their status word, as in "7 present".
            if n > 0 { counts.append(t("%1$s %2$s", String(n), word(status))) }
        }
        // TRANSLATORS: what separates the items of a list ("1 ok, 7 present").
        let comma = t(", ")
        var line = t("Summary: %1$s; exit %2$s.", counts.joined(separator: comma), String(report.exitCode))
        let repairable = report.faults.filter { $0.status == .present && $0.repairable }.map { String($0.id) }
        if report.mode == .diagnose, !repairable.isEmpty {
            let root = report.root == "/" ? "" : " --root \(report.root.shellWord)"
            // TRANSLATORS: %1$s is the summary sentence before it, %2$s the command.
            line = t("%1$s Repair with: %2$s (preview with --dry-run)", line, "ampfix\(root) " + repairable.map { "--fault \($0)" }.joined(separator: " "))
        }
        return line
    }

    public func render(_ entry: CatalogEntry) -> String {
        var out = [t("Fault %1$s: %2$s", "\(entry.id)", entry.title), "", entry.condition, ""]
        out += entry.resolution.map { "  - \($0)" }
        if !entry.automaticRepairs.isEmpty {
            out.append("")
            out.append(t("ampfix repairs:"))
            out += entry.automaticRepairs.map { "  - \($0)" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func renderList(_ entries: [CatalogEntry]) -> String {
        entries.map { entry in
            pad(String(entry.id.rawValue), 6) + pad(entry.automaticRepairs.isEmpty ? t("explain") : t("repair"), 9) + entry.title
        }.joined(separator: "\n") + "\n"
    }

    public func render(_ result: UndoResult) -> String {
        var out = [result.dryRun ? t("Undo of run %1$s, planned (nothing is changed):", result.run) : t("Undo of run %1$s:", result.run)]
        if result.items.isEmpty { out.append("  " + t("nothing of this run is on the host")) }
        for item in result.items {
            let summary = (item.action.change.inverse?.summary ?? item.action.change.summary).rendered(t)
            out.append("  " + outcomeLine(word(item.outcome), summary, item.outcome.reason?.rendered(t)))
        }
        return Self.lines(out)
    }

    /// "applied: SUMMARY" or "failed: SUMMARY (REASON)": one message, so that a language puts
    /// its own punctuation around the reason.
    func outcomeLine(_ outcome: String, _ summary: String, _ reason: String?) -> String {
        // TRANSLATORS: %1$s is an outcome word ("failed"), %2$s what was done, %3$s why.
        reason.map { t("%1$s: %2$s (%3$s)", outcome, summary, $0) } ?? t("%1$s: %2$s", outcome, summary)
    }

    /// One report line each: what came from the host is escaped, so that it stays on its line
    /// and cannot drive the terminal (the JSON form escapes by itself).
    static func lines(_ lines: [String]) -> String {
        lines.map { $0.escapingControlCharacters() }.joined(separator: "\n") + "\n"
    }

    /// Padded to `width` terminal columns (a wide character takes two).
    func pad(_ s: String, _ width: Int) -> String {
        let columns = s.terminalWidth
        return columns >= width ? s + " " : s + String(repeating: " ", count: width - columns)
    }

    /// The status word in the report's language (JSON keeps the raw value).
    func word(_ status: FindingStatus) -> String {
        switch status {
        case .ok: return t("ok")
        case .present: return t("present")
        case .unknown: return t("unknown")
        case .notApplicable: return t("not-applicable")
        case .accepted: return t("accepted")
        }
    }

    func word(_ outcome: ActionOutcome.Label) -> String {
        switch outcome {
        case .planned: return t("planned")
        case .wouldFail: return t("would-fail")
        case .applied: return t("applied")
        case .alreadyInPlace: return t("already-in-place")
        case .failed: return t("failed")
        case .skipped: return t("skipped")
        }
    }

    func word(_ outcome: RevertOutcome) -> String {
        switch outcome {
        case .planned: return t("planned")
        case .wouldFail: return t("would-fail")
        case .reverted: return t("reverted")
        case .alreadyReverted: return t("already-reverted")
        case .notReversible: return t("not-reversible")
        case .skipped: return t("skipped")
        case .failed: return t("failed")
        }
    }
}
