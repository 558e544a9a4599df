/// Whether the connector itself reports a fault.
public enum RaisedByConnector: String, Codable, Sendable {
    case yes, no, unknown
}

/// The connector's status, read once per run and shared by every fault's report.
public final class ConnectorContext {
    let runtime: any ConnectorRuntime
    private var cached: ConnectorStatusReading?
    private var cachedLogs: LogFindings?
    private var cachedSample: Result<EventSampleReport, SampleUnavailable>?

    public init(runtime: any ConnectorRuntime) {
        self.runtime = runtime
    }

    /// Drops the status read so far: the next question asks the connector again (after a repair).
    public func forget() { cached = nil }

    /// `--wait`: after a repair, watch the connector until it clears this fault.
    public var wait: ConnectorWait?
    /// What waiting gave, by fault, for that fault's evidence.
    public private(set) var waited: [FaultID: ConnectorWait.Outcome] = [:]

    /// After a repair of `ids` (`changed`: ampfix changed something): forgets the status read
    /// before it and, when a wait was asked for a fault among them that the connector raised
    /// before, waits. Whether it waited.
    @discardableResult
    public func settle(_ ids: [FaultID], changed: Bool) -> Bool {
        // The cached reading is still the one from before the repair.
        let raisedBefore = wait.map { ids.contains($0.fault) && raised($0.fault) == .yes } ?? false
        if changed { forget() }
        guard let wait, raisedBefore else { return false }
        waited[wait.fault] = wait.run(self)
        return true
    }

    /// The connector's logs, read once per run for faults 6 and 7 (a repair does not write them).
    public func logs(_ host: any HostFacts) -> LogFindings {
        if let cachedLogs { return cachedLogs }
        let logs = ConnectorLogs.read(host)
        cachedLogs = logs
        return logs
    }

    /// One event sample per run (fault 18): a repair's second diagnosis does not sample again.
    public func sample(_ sampler: any EventSampler, seconds: Double) -> Result<EventSampleReport, SampleUnavailable> {
        if let cachedSample { return cachedSample }
        let sample = sampler.sample(seconds: seconds, top: 10, progress: { _, _ in })
        cachedSample = sample
        return sample
    }

    /// Whether the status has been asked for already (by a check that reads it).
    public var wasRead: Bool { cached != nil }

    public var reading: ConnectorStatusReading {
        if let cached { return cached }
        let reading = runtime.status()
        cached = reading
        return reading
    }

    /// Whether the connector raises `fault`: unknown unless a status that speaks of faults was read.
    public func raised(_ fault: FaultID) -> RaisedByConnector {
        guard case .read(let status, _, _) = reading, status.reportsFaults else { return .unknown }
        if status.raised.contains(where: { $0.id == fault.rawValue }) { return .yes }
        return status.disagreement == nil ? .no : .unknown
    }

    /// Why the connector's fault list was not taken at its word, when it was read but does not
    /// add up (faults it does not name are then unknown, not "not raised").
    public var disagreement: Message? {
        guard case .read(let status, _, _) = reading else { return nil }
        return status.disagreement
    }

    /// One evidence line on what the connector says of `fault`.
    public func evidence(_ fault: FaultID) -> Message {
        switch reading {
        case .unavailable(let why), .failed(let why):
            return .msg("raised by the connector: unknown (\(why))")
        case .read(let status, let command, _):
            guard status.reportsFaults else { return .msg("raised by the connector: unknown (\(command) lists no faults)") }
            guard let raised = status.raised.first(where: { $0.id == fault.rawValue }) else {
                if let why = status.disagreement { return .msg("raised by the connector: unknown (\(command): its fault list does not add up: \(why))") }
                return .msg("raised by the connector: no (\(command))")
            }
            let detail = [raised.severity, raised.text].compactMap { $0 }.joined(separator: ": ")
            return detail.isEmpty ? .msg("raised by the connector: yes (\(command))") : .msg("raised by the connector: yes (\(command): \(verbatim: detail))")
        }
    }
}

extension ConnectorContext {
    public static let globalConfigPath = "/opt/cisco/amp/etc/global.xml"

    /// The report's connector section; the version is read from the host's global.xml.
    public func report(_ host: any HostFacts) -> ConnectorReport {
        let version = (try? host.readText(Self.globalConfigPath)).flatMap(ConnectorVersion.parse)
        switch reading {
        case .unavailable(let why):
            return ConnectorReport(reading: .unavailable, reason: why, version: version, raised: [])
        case .failed(let why):
            return ConnectorReport(reading: .failed, reason: why, version: version, raised: [])
        case .read(let status, let command, let note):
            let reasons = [note, status.disagreement.map { .msg("its fault list does not add up: \($0)") }].compactMap { $0 }
            return ConnectorReport(reading: .read, command: command, reason: reasons.isEmpty ? nil : .joined(reasons, separator: "; "),
                                   status: status.value("Status"), mode: status.value("Mode"),
                                   version: version, raised: status.raised.map { ConnectorReport.Raised(id: $0.id, severity: $0.severity, text: $0.text) },
                                   faultListDisagrees: status.disagreement != nil)
        }
    }
}
