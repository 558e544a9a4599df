/// A report in the Prometheus text exposition format (version 0.0.4), for node_exporter's
/// textfile collector: one file per host, rewritten by every run.
public enum PrometheusText {
    /// When the run ended and how long it took: the core reads no clock, the caller measures.
    public struct Timing: Sendable {
        /// Seconds since the epoch.
        public var ended: Double
        public var seconds: Double

        public init(ended: Double, seconds: Double) {
            self.ended = ended
            self.seconds = seconds
        }
    }

    /// The metrics, each family with HELP and TYPE, in a fixed order.
    /// One gauge family with its HELP and TYPE lines (nothing for no samples).
    static func family(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) -> String {
        guard !samples.isEmpty else { return "" }
        var out = "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        for sample in samples {
            let labels = sample.labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",")
            out += name + (labels.isEmpty ? "" : "{\(labels)}") + " \(sample.value)\n"
        }
        return out
    }

    public static func render(_ report: Report, timing: Timing) -> String {
        var out = ""
        func family(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) {
            out += Self.family(name, help, samples)
        }
        let faults = report.faults
        family("ampfix_info", "The ampfix that wrote this file (always 1).",
               [([("version", report.version), ("mode", report.mode.rawValue), ("root", report.root)], "1")])
        family("ampfix_fault_present", "Whether the fault's cause is present after the run (1) or not (0).",
               faults.map { ([("fault", "\($0.id)")], $0.status == .present ? "1" : "0") })
        family("ampfix_fault_status", "The fault's status after the run, as a state set: 1 for its status, 0 for the others.",
               faults.flatMap { fault in
                   FindingStatus.allCases.map { status in
                       ([("fault", "\(fault.id)"), ("status", label(status))], fault.status == status ? "1" : "0")
                   }
               })
        family("ampfix_connector_raised", "Whether the connector's own status raises the fault (1) or not (0); absent when it was not asked or did not say.",
               faults.compactMap { fault in
                   switch fault.raisedByConnector {
                   case .yes: return ([("fault", "\(fault.id)")], "1")
                   case .no: return ([("fault", "\(fault.id)")], "0")
                   case .unknown, nil: return nil
                   }
               })
        if let installed = report.connectorInstalled {
            family("ampfix_connector_installed", "Whether the connector is installed under the root (/opt/cisco/amp: 1) or not (0).",
                   [([], installed ? "1" : "0")])
            if installed {
                family("ampfix_connector_info", "The installed connector's version (from its global.xml; unknown when it names none). Always 1.",
                       [([("version", report.connectorVersion ?? "unknown")], "1")])
            }
        }
        if let preflight = report.preflight {
            family("ampfix_preflight_agreement", "The last preflight's prediction for the fault against the connector's status: predicted-raised, predicted-not-raised, raised-not-predicted or neither (1 for the fault's).",
                   preflight.entries.flatMap { entry in
                       PreflightComparison.Agreement.allCases.map { ([("fault", "\(entry.fault)"), ("agreement", $0.rawValue)], entry.agreement == $0 ? "1" : "0") }
                   })
        }
        family("ampfix_acceptance_problems", "Files of /etc/ampfix/accepted.d that are no accepted finding (the report names each).",
               [([], "\(report.acceptanceProblems?.count ?? 0)")])
        family("ampfix_actions_applied", "Actions this run applied for the fault.",
               faults.map { fault in ([("fault", "\(fault.id)")], "\(fault.actions.filter { $0.outcome == .applied }.count)") })
        family("ampfix_actions_failed", "Actions of this run that failed for the fault.",
               faults.map { fault in ([("fault", "\(fault.id)")], "\(fault.actions.filter { $0.outcome == .failed }.count)") })
        family("ampfix_exit_status", "The run's exit status (0 healthy, 1 a fault remains, 2 a fault could not be evaluated).",
               [([], "\(report.exitCode)")])
        family("ampfix_last_run_timestamp_seconds", "When the run ended, in seconds since the epoch.",
               [([], number(timing.ended))])
        family("ampfix_run_duration_seconds", "How long the run took, in seconds.", [([], number(timing.seconds))])
        return out
    }

    /// A preflight's predictions: what the kernel hook records for a newly installed kernel
    /// (`ampfix_kernel_ready`), and each check's prediction.
    public static func render(_ report: PreflightReport, timing: Timing) -> String {
        let kernel = report.kernel ?? "unknown"
        let ready = kernelReady(report)
        return family("ampfix_preflight_info", "The preflight that wrote this file (always 1).",
                      [([("version", report.version), ("root", report.root), ("kernel", kernel), ("running", report.kernelRunning ? "true" : "false")], "1")])
            + family("ampfix_kernel_ready", "Whether the connector would monitor with this kernel: no blocking prediction and none unknown (1), else 0.",
                     [([("kernel", kernel)], ready ? "1" : "0")])
            + family("ampfix_preflight_predicted", "Whether the check predicts the fault or shortage (1) or not (0).",
                     report.predictions.map { ([("check", $0.check), ("kernel", kernel), ("blocks", $0.blocks ? "true" : "false")], $0.outcome == .predicted ? "1" : "0") })
            + family("ampfix_preflight_unknown", "Whether the check could not predict (1) or could (0).",
                     report.predictions.map { ([("check", $0.check), ("kernel", kernel)], $0.outcome == .unknown ? "1" : "0") })
            + family("ampfix_preflight_timestamp_seconds", "When the preflight ended, in seconds since the epoch.", [([], number(timing.ended))])
            + family("ampfix_preflight_duration_seconds", "How long the preflight took, in seconds.", [([], number(timing.seconds))])
    }

    /// Whether the connector would monitor with the report's kernel: no blocking prediction, and
    /// none of the blocking checks unknown.
    public static func kernelReady(_ report: PreflightReport) -> Bool {
        !report.blocking && !report.predictions.contains { $0.outcome == .unknown && $0.blocks }
    }

    /// Label values use "_" where the report's words use "-" ("not-applicable" → "not_applicable").
    static func label(_ status: FindingStatus) -> String {
        status.rawValue.split(separator: "-").joined(separator: "_")
    }

    /// A label value as the format quotes it: backslash, double quote and newline escaped.
    static func escaped(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Milliseconds are enough for a run; the format reads any float.
    static func number(_ value: Double) -> String {
        let thousandths = (value * 1000).rounded()
        let whole = Int64(thousandths / 1000)
        let fraction = Int64(thousandths) - whole * 1000
        return "\(whole).\(String(repeating: "0", count: 3 - "\(fraction)".count))\(fraction)"
    }
}
