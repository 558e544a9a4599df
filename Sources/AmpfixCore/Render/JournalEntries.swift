/// What a run tells the systemd journal: one structured entry per fault status and one per
/// applied, failed or reverted action, each a list of journal fields (`KEY=value`). The
/// MESSAGE_IDs are documented (README, packaging/ampfix.catalog) and never change.
public enum JournalEntries {
    public typealias Entry = [(name: String, value: String)]

    /// MESSAGE_IDs of action entries; a fault's status entries carry the fault's own
    /// (`FaultDefinition.journalMessageID`).
    public static let actionApplied = "cb09a59b7cdc4f74b0ec519247ee7866"
    public static let actionFailed = "b9c99e43650c464693e90eb36ac1073d"
    public static let actionReverted = "e9dd9fe0afe8473fb3a91e36f19c3afa"
    /// A preflight's prediction for a kernel (the kernel hook's record of a new kernel).
    public static let kernelPrediction = "bba0b08af15c40c6b99453c171bb982a"

    /// syslog priorities
    static let error = "3", warning = "4", notice = "5", info = "6"

    /// The entries of a diagnosis, dry run or repair. `run` identifies the invocation (the
    /// journal run id when something was changed).
    public static func entries(of report: Report, run: String, registry: FaultRegistry = .standard) -> [Entry] {
        var entries: [Entry] = []
        for fault in report.faults {
            guard let id = FaultID(rawValue: fault.id), let definition = registry.definition(id) else { continue }
            let priority = fault.status == .present ? warning : fault.status == .unknown ? notice : info
            entries.append(common(run: run, fault: fault.id, priority: priority, messageID: definition.journalMessageID,
                                  message: "fault \(fault.id) \(fault.status.rawValue): \(fault.title)")
                           + [("AMPFIX_STATUS", fault.status.rawValue), ("AMPFIX_MODE", report.mode.rawValue)])
            for action in fault.actions where action.outcome == .applied || action.outcome == .failed {
                let failed = action.outcome == .failed
                entries.append(common(run: run, fault: fault.id, priority: failed ? error : notice,
                                      messageID: failed ? actionFailed : actionApplied,
                                      message: "fault \(fault.id): \(failed ? "failed" : "applied"): \(action.summary)"
                                          + (action.reason.map { " (\($0))" } ?? ""))
                               + [("AMPFIX_ACTION", action.kind.rawValue), ("AMPFIX_TARGET", action.target),
                                  ("AMPFIX_OUTCOME", action.outcome.rawValue)])
            }
        }
        return entries
    }

    /// The entries of an undo: one per action reverted, or that failed to be.
    public static func entries(of undo: UndoResult) -> [Entry] {
        undo.items.compactMap { item in
            let (fault, change) = (item.action.fault.rawValue, item.action.change)
            let (priority, messageID, said): (String, String, String)
            switch item.outcome {
            case .reverted: (priority, messageID, said) = (notice, actionReverted, "reverted: \(change.summary)")
            case .failed(let reason): (priority, messageID, said) = (error, actionFailed, "revert failed: \(change.summary) (\(reason))")
            default: return nil
            }
            return common(run: undo.run, fault: fault, priority: priority, messageID: messageID, message: "fault \(fault): \(said)")
                + [("AMPFIX_ACTION", change.kind.rawValue), ("AMPFIX_TARGET", change.target), ("AMPFIX_OUTCOME", item.outcome.label)]
        }
    }

    /// A preflight's one entry: the kernel, whether the connector would monitor with it, and
    /// what is predicted (blocking first).
    public static func entries(of report: PreflightReport, run: String) -> [Entry] {
        let kernel = report.kernel ?? "unknown"
        let predicted = report.predictions.filter { $0.outcome == .predicted }
        let blocking = predicted.filter(\.blocks).map(\.check)
        let other = predicted.filter { !$0.blocks }.map(\.check)
        let ready = PrometheusText.kernelReady(report)
        var said = ready ? "kernel \(kernel): the connector would monitor" : "kernel \(kernel): the connector would not monitor"
        if !blocking.isEmpty { said += "; blocking: \(blocking.joined(separator: ", "))" }
        if !other.isEmpty { said += "; also predicted: \(other.joined(separator: ", "))" }
        let unknown = report.predictions.filter { $0.outcome == .unknown }.map(\.check)
        if !unknown.isEmpty { said += "; unknown: \(unknown.joined(separator: ", "))" }
        return [[("MESSAGE", said), ("MESSAGE_ID", kernelPrediction), ("PRIORITY", ready ? info : warning), ("SYSLOG_IDENTIFIER", "ampfix"),
                 ("AMPFIX_RUN_ID", run), ("AMPFIX_KERNEL", kernel), ("AMPFIX_KERNEL_READY", ready ? "1" : "0"),
                 ("AMPFIX_PREDICTED", predicted.map(\.check).joined(separator: " ")), ("AMPFIX_BLOCKING", blocking.joined(separator: " "))]]
    }

    static func common(run: String, fault: Int, priority: String, messageID: String, message: String) -> Entry {
        [("MESSAGE", message), ("MESSAGE_ID", messageID), ("PRIORITY", priority), ("SYSLOG_IDENTIFIER", "ampfix"),
         ("AMPFIX_FAULT", "\(fault)"), ("AMPFIX_RUN_ID", run)]
    }
}
