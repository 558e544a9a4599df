extension TextRenderer {
    /// `ampfix preflight`: one line per check (predicted, clear, unknown; blocking or not), the
    /// evidence of what is predicted or unknown (of everything with --verbose), and what prevents it.
    public func render(_ report: PreflightReport) -> String {
        var out: [String] = []
        let kernel = report.kernel.map { report.kernelRunning ? t("kernel %1$s (running)", $0) : t("kernel %1$s (not running)", $0) } ?? t("kernel unknown")
        let connector = report.connectorInstalled ? t("connector installed") : t("connector not installed")
        out.append(t("ampfix %1$s — Preflight of %2$s: %3$s, %4$s", report.version, report.root, kernel, connector))
        out.append("")
        out.append(pad(t("CHECK"), 16) + pad(t("PREDICTION"), 28) + t("TITLE"))
        for prediction in report.predictions {
            out.append(pad(prediction.check, 16) + pad(word(prediction), 28) + prediction.title)
            if verbose || prediction.outcome != .clear {
                for line in prediction.evidence { out.append("      - \(line)") }
            }
            for step in prediction.prevention { out.append("      " + t("prevent: %1$s", step)) }
        }
        out.append("")
        let predicted = report.predictions.filter { $0.outcome == .predicted }
        let blocking = predicted.filter(\.blocks).count
        let unknown = report.predictions.filter { $0.outcome == .unknown }.count
        var line = t("Summary: %1$s blocking, %2$s not blocking, %3$s unknown; exit %4$s.", String(blocking), String(predicted.count - blocking),
                     String(unknown), String(report.exitCode))
        let fixable = report.fixableFaults
        if !fixable.isEmpty {
            let root = report.root == "/" ? "" : " --root \(report.root.shellWord)"
            // TRANSLATORS: %1$s is the summary sentence before it, %2$s the command.
            line = t("%1$s Prevent with: %2$s (preview with --dry-run)", line, "ampfix preflight\(root) --fix")
        }
        out.append(line)
        return Self.lines(out)
    }

    func word(_ prediction: Prediction) -> String {
        switch prediction.outcome {
        case .predicted: prediction.blocks ? t("predicted, blocks") : t("predicted")
        case .clear: t("clear")
        case .unknown: t("unknown")
        }
    }
}
