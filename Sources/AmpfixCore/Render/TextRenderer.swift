/// Renders reports and catalog entries for a terminal. The JSON form is the report's own Codable.
public struct TextRenderer {
    public var verbose: Bool

    public init(verbose: Bool = false) {
        self.verbose = verbose
    }

    public func render(_ report: Report) -> String {
        var out: [String] = []
        let heading: String
        switch report.mode {
        case .diagnose: heading = "Diagnosis"
        case .dryRun: heading = "Dry run (nothing is changed)"
        case .repair: heading = "Repair"
        }
        out.append("ampfix \(report.version) — \(heading) of \(report.root)")
        for note in report.recovered {
            out.append("recovery: \(note)")
        }
        if let connector = report.connector, let line = connectorLine(connector) {
            out.append(line)
        }
        out.append("")
        out.append(pad("FAULT", 6) + pad("STATUS", 28) + "TITLE")
        for fault in report.faults {
            var status = fault.status.rawValue
            if let initial = fault.initialStatus, initial != fault.status {
                status = "\(initial.rawValue) -> \(fault.status.rawValue)"
            }
            out.append(pad(String(fault.id), 6) + pad(status, 28) + fault.title)
            let quiet = (fault.status == .ok || fault.status == .notApplicable) && fault.actions.isEmpty
            if !quiet || verbose {
                for line in fault.evidence { out.append("      - \(line)") }
            }
            if fault.raisedByConnector == .yes, !fault.evidence.contains(where: { $0.hasPrefix("raised by the connector") }) {
                out.append("      - raised by the connector (its status lists fault \(fault.id))")
            }
            for action in fault.actions {
                var line = "      \(action.outcome.rawValue): \(action.summary)"
                if let reason = action.reason { line += " (\(reason))" }
                out.append(line)
            }
            // Faults ampfix only explains would repeat the catalog here; point at it instead.
            if verbose || fault.status == .present || !fault.actions.isEmpty {
                for step in fault.manualSteps { out.append("      next: \(step)") }
            } else if !quiet {
                out.append("      next: ampfix explain \(fault.id)")
            }
        }
        out.append("")
        out.append(summary(report))
        if let journal = report.journal, let run = report.run {
            out.append("Journal: \(journal) (undo with: ampfix undo \(run)\(report.root == "/" ? "" : " --root \(report.root)"))")
        }
        return Self.lines(out)
    }

    /// What the connector said of itself: always when it was asked, the reason it was not only
    /// with --verbose.
    func connectorLine(_ connector: ConnectorReport) -> String? {
        let version = connector.version.map { "version \($0)" }
        switch connector.reading {
        case .read:
            let raised = connector.raised.isEmpty ? (connector.reason?.contains("does not add up") == true ? "raises faults ampfix cannot name" : "raises no fault")
                : "raises " + connector.raised.map { fault in fault.severity.map { "\(fault.id) (\($0))" } ?? "\(fault.id)" }.joined(separator: ", ")
            let parts = [connector.status.map { "Status \($0)" }, connector.mode.map { "Mode \($0)" }, version].compactMap { $0 }
            return "connector: " + (parts + [raised]).joined(separator: ", ") + (connector.reason.map { " (\($0))" } ?? "")
        case .failed:
            return "connector: " + ([version].compactMap { $0 } + ["no status: \(connector.reason ?? "")"]).joined(separator: ", ")
        case .unavailable:
            return verbose ? "connector: " + ([version].compactMap { $0 } + ["not asked: \(connector.reason ?? "")"]).joined(separator: ", ") : nil
        }
    }

    func summary(_ report: Report) -> String {
        var counts: [String] = []
        for status in FindingStatus.allCases {
            let n = report.faults.filter { $0.status == status }.count
            if n > 0 { counts.append("\(n) \(status.rawValue)") }
        }
        var line = "Summary: " + counts.joined(separator: ", ") + "; exit \(report.exitCode)."
        let repairable = report.faults.filter { $0.status == .present && $0.repairable }.map { String($0.id) }
        if report.mode == .diagnose, !repairable.isEmpty {
            let root = report.root == "/" ? "" : " --root \(report.root)"
            line += " Repair with: ampfix\(root) " + repairable.map { "--fault \($0)" }.joined(separator: " ")
                + " (preview with --dry-run)"
        }
        return line
    }

    public func render(_ entry: CatalogEntry) -> String {
        var out = ["Fault \(entry.id): \(entry.title)", "", entry.condition, ""]
        out += entry.resolution.map { "  - \($0)" }
        if !entry.automaticRepairs.isEmpty {
            out.append("")
            out.append("ampfix repairs:")
            out += entry.automaticRepairs.map { "  - \($0)" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func renderList(_ entries: [CatalogEntry]) -> String {
        entries.map { entry in
            pad(String(entry.id.rawValue), 6) + pad(entry.automaticRepairs.isEmpty ? "explain" : "repair", 9) + entry.title
        }.joined(separator: "\n") + "\n"
    }

    public func render(_ result: UndoResult) -> String {
        var out = ["Undo of run \(result.run):"]
        if result.items.isEmpty { out.append("  nothing of this run is on the host") }
        for item in result.items {
            var line = "  \(item.outcome.label): \(item.action.change.inverse?.summary ?? item.action.change.summary)"
            if let reason = item.outcome.reason { line += " (\(reason))" }
            out.append(line)
        }
        return Self.lines(out)
    }

    /// One report line each: what came from the host is escaped, so that it stays on its line
    /// and cannot drive the terminal (the JSON form escapes by itself).
    static func lines(_ lines: [String]) -> String {
        lines.map { $0.escapingControlCharacters() }.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
