import AmpfixCore
import AmpfixHost
import AmpfixCommandLine

/// Where a run's metrics go besides the report: node_exporter's textfile collector.
struct MetricsOptions {
    static let prometheusOption = OptionSpec("--prometheus", value: "FILE", help: "Also write the run's metrics in the Prometheus text format to FILE (a path on this machine, replaced atomically, mode 0644), for node_exporter's textfile collector (e.g. /var/lib/prometheus/node-exporter/ampfix.prom).")
    static let options = [
        prometheusOption,
    ]

    var prometheus: String?

    init(_ parsed: ParsedArguments) {
        prometheus = parsed.string(Self.prometheusOption)
    }

    func validate() throws {
        if let prometheus {
            if prometheus.isEmpty || prometheus.hasSuffix("/") {
                throw ValidationError(.msg("--prometheus '\(prometheus)': name a file, not a directory or an empty string"))
            }
            if !prometheus.hasSuffix(".prom") {
                throw ValidationError(.msg("--prometheus \(prometheus): node_exporter reads only files ending in .prom"))
            }
        }
    }

    /// Writes the metrics when asked; a failure is said on stderr and makes the run's exit
    /// status 2 (the report is still printed). Returns the failure, for `check`, whose status
    /// is its own.
    @discardableResult
    func record(_ report: inout Report, started: ContinuousClock.Instant) -> Message? {
        guard let prometheus else { return nil }
        do {
            try RunOutputs.writeMetrics(report, to: prometheus, seconds: started.duration(to: .now).inSeconds)
        } catch {
            Speech.error(.of(error))
            report.exitCode = max(report.exitCode, ExitStatus.couldNotEvaluate)
            return .of(error)
        }
        return nil
    }

    /// A preflight's metrics, as `record` writes a run's.
    func record(preflight report: inout PreflightReport, started: ContinuousClock.Instant) {
        guard let prometheus else { return }
        do {
            try RunOutputs.writeMetrics(report, to: prometheus, seconds: started.duration(to: .now).inSeconds)
        } catch {
            Speech.error(.of(error))
            report.exitCode = max(report.exitCode, ExitStatus.couldNotEvaluate)
        }
    }
}
