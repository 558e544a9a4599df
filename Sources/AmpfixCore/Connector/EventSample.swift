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
    public var lines: [String] { messages.map(\.description) }

    /// The name a row has when its process ended before its executable could be read.
    public static let unnamed = "(a process that exited before it was named)"

    /// The report's lines as messages (fault 18's evidence).
    public var messages: [Message] {
        var lines: [Message] = [
            .msg("sampled \(Self.format(seconds)) s: \(total) events (\(Self.format(Double(total) / max(seconds, 0.001)))/s)"),
            .msg("file events: \(verbatim: fileEvents)"),
            .msg("process starts: \(verbatim: processStarts)"),
        ]
        if top.isEmpty { return lines + [.msg("no events were seen")] }
        func name(_ executable: String) -> Message {
            executable == Self.unnamed ? .msg("(a process that exited before it was named)") : .verbatim(executable)
        }
        lines.append(.msg("busiest executables (process-exclusion candidates for the management console; ampfix changes no policy):"))
        for row in top {
            let rate = Self.format(row.perSecond)
            let files: Message = .plural(row.fileEvents, "\(row.fileEvents) file event", "\(row.fileEvents) file events")
            let starts: Message = .plural(row.processStarts, "\(row.processStarts) process start", "\(row.processStarts) process starts")
            let executable = name(row.executable)
            lines.append(row.parents.isEmpty ? .msg("  \(rate)/s  \(executable)  (\(files), \(starts))")
                : .msg("  \(rate)/s  \(executable)  (\(files), \(starts), started by \(Message.joined(row.parents.map(name), separator: ", ")))"))
        }
        return lines
    }

    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
