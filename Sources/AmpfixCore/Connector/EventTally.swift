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
