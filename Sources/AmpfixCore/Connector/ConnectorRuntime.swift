/// What asking the running connector for its status gave.
public enum ConnectorStatusReading: Sendable, Equatable {
    /// Nobody to ask: the connector is not installed, or no connector runs under --root and no
    /// --ampcli was given. The reason.
    case unavailable(String)
    /// ampcli ran but gave no usable status: timed out, failed to start, printed no status.
    case failed(String)
    /// The parsed status; `note` says what was odd but not fatal (a non-zero exit status).
    case read(ConnectorStatus, command: String, note: String?)
}

/// The running connector, read beside the host's files: its status command (run with a
/// deadline). Implemented in AmpfixHost over the real `ampcli`; tests use stand-in scripts.
public protocol ConnectorRuntime {
    func status() -> ConnectorStatusReading
}

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
    public var disagreement: String? {
        guard case .read(let status, _, _) = reading else { return nil }
        return status.disagreement
    }

    /// One evidence line on what the connector says of `fault`.
    public func evidence(_ fault: FaultID) -> String {
        switch reading {
        case .unavailable(let why), .failed(let why):
            return "raised by the connector: unknown (\(why))"
        case .read(let status, let command, _):
            guard status.reportsFaults else { return "raised by the connector: unknown (\(command) lists no faults)" }
            guard let raised = status.raised.first(where: { $0.id == fault.rawValue }) else {
                if let why = status.disagreement { return "raised by the connector: unknown (\(command): its fault list does not add up: \(why))" }
                return "raised by the connector: no (\(command))"
            }
            let detail = [raised.severity, raised.text].compactMap { $0 }.joined(separator: ": ")
            return "raised by the connector: yes (\(command)\(detail.isEmpty ? "" : ": " + detail))"
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
            let reason = [note, status.disagreement.map { "its fault list does not add up: \($0)" }].compactMap { $0 }.joined(separator: "; ")
            return ConnectorReport(reading: .read, command: command, reason: reason.isEmpty ? nil : reason, status: status.value("Status"), mode: status.value("Mode"),
                                   version: version, raised: status.raised.map { ConnectorReport.Raised(id: $0.id, severity: $0.severity, text: $0.text) })
        }
    }
}

/// The connector's version from its global.xml. Its schema is not published: the first element
/// or attribute whose name ends in "version" and whose value looks like a version (digits and
/// dots) is taken; nil when there is none.
public enum ConnectorVersion {
    public static func parse(_ xml: String) -> String? {
        let bytes = Array(xml.utf8.prefix(1 << 20))
        let word = Array("version".utf8)
        var index = 0
        // The XML declaration's version="1.0" is the XML's, not the connector's.
        if bytes.starts(with: Array("<?xml".utf8)) {
            while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: ">")) { index += 1 }
        }
        while index + word.count < bytes.count {
            guard bytes[index..<index + word.count].elementsEqual(word) else { index += 1; continue }
            index += word.count
            // <...version>1.2.3</...>  or  ...version="1.2.3"
            var start = index
            if bytes[index] == UInt8(ascii: ">") {
                start += 1
            } else if bytes[index] == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "'") {
                start += 2
            } else {
                continue
            }
            let value = bytes[min(start, bytes.count)...].prefix { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }
            if value.contains(UInt8(ascii: ".")), value.first != UInt8(ascii: "."), value.count <= 32 {
                return String(decoding: value, as: UTF8.self)
            }
        }
        return nil
    }
}

/// A stand-in for where no connector can be asked (tests of other faults, images).
public struct NoConnectorRuntime: ConnectorRuntime {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public func status() -> ConnectorStatusReading { .unavailable(reason) }
}
