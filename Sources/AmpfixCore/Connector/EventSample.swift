/// Fault 18: what the connector monitors, counted per executable over a few seconds — file
/// events (open, modify, close-write, open-exec) and process starts (exec, fork). The busiest
/// executables are the candidates for the connector's process exclusions; ampfix changes no
/// policy. The sources (fanotify, the proc connector, /proc) are in AmpfixSystem.
public struct EventTally: Sendable {
    struct Counts: Sendable {
        var files = 0
        var starts = 0
        var parents: [String: Int] = [:]
    }

    private var byExecutable: [String: Counts] = [:]
    public private(set) var total = 0

    public init() {}

    /// One event of a process running `executable`, started by a process running `parent`.
    public mutating func add(executable: String, parent: String?, file: Bool) {
        total += 1
        var counts = byExecutable[executable, default: Counts()]
        if file { counts.files += 1 } else { counts.starts += 1 }
        if let parent { counts.parents[parent, default: 0] += 1 }
        byExecutable[executable] = counts
    }

    /// The `limit` busiest executables, by events per second.
    public func top(_ limit: Int = 10, seconds: Double) -> [EventSampleReport.Row] {
        let span = max(seconds, 0.001)
        return byExecutable.map { executable, counts in
            EventSampleReport.Row(
                executable: executable,
                parents: counts.parents.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3).map(\.key),
                fileEvents: counts.files,
                processStarts: counts.starts,
                perSecond: Double(counts.files + counts.starts) / span
            )
        }
        .sorted { $0.perSecond != $1.perSecond ? $0.perSecond > $1.perSecond : $0.executable < $1.executable }
        .prefix(limit).map { $0 }
    }
}

/// `ampfix sample`'s result (and fault 18's evidence).
public struct EventSampleReport: Codable, Sendable, Equatable {
    public var seconds: Double
    /// Where file events came from ("fanotify (filesystem mark on /)"), or why there were none.
    public var fileEvents: String
    /// Where process starts came from ("proc connector", "/proc every 100 ms"), or why none.
    public var processStarts: String
    public var total: Int
    public var top: [Row]

    public struct Row: Codable, Sendable, Equatable {
        public var executable: String
        /// The executables of the processes that started it, most frequent first.
        public var parents: [String]
        public var fileEvents: Int
        public var processStarts: Int
        public var perSecond: Double

        public init(executable: String, parents: [String], fileEvents: Int, processStarts: Int, perSecond: Double) {
            self.executable = executable
            self.parents = parents
            self.fileEvents = fileEvents
            self.processStarts = processStarts
            self.perSecond = perSecond
        }
    }

    public init(seconds: Double, fileEvents: String, processStarts: String, total: Int, top: [Row]) {
        self.seconds = seconds
        self.fileEvents = fileEvents
        self.processStarts = processStarts
        self.total = total
        self.top = top
    }

    /// The text report: sources, then one line per executable.
    public var lines: [String] {
        var lines = [
            "sampled \(Self.format(seconds)) s: \(total) events (\(Self.format(Double(total) / max(seconds, 0.001)))/s)",
            "file events: \(fileEvents)",
            "process starts: \(processStarts)",
        ]
        if top.isEmpty { return lines + ["no events were seen"] }
        lines.append("busiest executables (process-exclusion candidates for the management console; ampfix changes no policy):")
        for row in top {
            let parents = row.parents.isEmpty ? "" : ", started by \(row.parents.joined(separator: ", "))"
            lines.append("  \(Self.format(row.perSecond))/s  \(row.executable)  (\(Self.count(row.fileEvents, "file event")), \(Self.count(row.processStarts, "process start"))\(parents))")
        }
        return lines
    }

    static func count(_ value: Int, _ noun: String) -> String { "\(value) \(noun)\(value == 1 ? "" : "s")" }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Samples the host's events for fault 18 (live only).
public protocol EventSampler {
    /// - Parameter top: how many executables the report ranks.
    func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable>
}

public struct SampleUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// No sampling (under --root, tests of other faults).
public struct NoEventSampler: EventSampler {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public func sample(seconds: Double, top: Int, progress: (Double, Int) -> Void) -> Result<EventSampleReport, SampleUnavailable> {
        .failure(SampleUnavailable(reason))
    }
}
