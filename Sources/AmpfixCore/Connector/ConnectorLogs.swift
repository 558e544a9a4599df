/// The connector's logs, read from their ends (a log of any size costs `tailLimit` bytes), and
/// what faults 6 and 7 look for in them. The connector's log format is not published: lines are
/// classified by words (README "Connector logs" lists them), and a path is any token starting
/// with "/".
public enum ConnectorLogs {
    public static let scanService = "/var/log/cisco/ampscansvc.log"
    public static let daemon = "/var/log/cisco/ampdaemon.log"
    /// How much of each log's end is read.
    public static let tailLimit = 1 << 20

    /// A crash of the scanner: "segfault", "SIGSEGV", "core dumped"...
    static let crashWords = ["segfault", "segmentation fault", "sigsegv", "sigabrt", "sigbus", "sigill", "core dumped",
                             "crash", "aborted", "signal 11", "signal 6", "terminated unexpectedly", "exited unexpectedly"]
    /// A failure to start or load: "error", "failed"...
    static let errorWords = ["error", "fail", "unable to", "cannot", "could not", "denied"]
    /// A line naming what the scanner was at: "scanning /path".
    static let scanWords = ["scan"]
    /// How many lines before a crash line may name the file being scanned.
    static let lookBack = 5

    /// Reads `logs` (each with its rotated `.1` or `.1.gz` before it, oldest first) and
    /// classifies their lines.
    public static func read(_ host: any HostFacts, logs: [String] = [scanService, daemon]) -> LogFindings {
        var findings = LogFindings()
        for log in logs {
            var lines: [Substring] = []
            for path in [log + ".1.gz", log + ".1", log] {
                do {
                    guard let bytes = try host.readTail(path, limit: tailLimit) else {
                        // Not there, or a name that leads nowhere inside the root (a link out
                        // of it, or dangling): the second is a log that could not be read.
                        let components = path.split(separator: "/"), name = String(components.last ?? "")
                        let parent = "/" + components.dropLast().joined(separator: "/")
                        if host.list(parent)?.contains(name) == true {
                            findings.problems.append(.msg("\(path): a name that leads to no file inside the root (a symbolic link out of it, or dangling)"))
                        }
                        continue
                    }
                    let text = String(decoding: bytes, as: UTF8.self)
                    lines += text.split(whereSeparator: \.isNewline)
                    findings.read.append(path)
                } catch {
                    findings.problems.append(.msg("\(error)"))
                }
            }
            findings.scan(log: log, lines: lines)
        }
        return findings
    }
}

/// What the logs' tails say.
public struct LogFindings: Sendable, Equatable {
    /// The files read, oldest first per log.
    public var read: [String] = []
    /// Logs that exist but could not be read, with why.
    public var problems: [Message] = []
    /// Error lines ("log: line"), the newest last, at most `kept` per log.
    public var errors: [String] = []
    /// Crash lines counted, and the newest ("log: line").
    public var crashes = 0
    public var lastCrash: String?
    /// The files named at crashes, most often first.
    public var suspects: [Suspect] = []

    public struct Suspect: Sendable, Equatable {
        public var path: String
        public var crashes: Int

        public init(path: String, crashes: Int) {
            self.path = path
            self.crashes = crashes
        }
    }

    static let kept = 5

    public init() {}

    mutating func scan(log: String, lines: [Substring]) {
        var logErrors: [String] = []
        var counts: [String: Int] = [:]
        for (index, line) in lines.enumerated() {
            let lower = line.lowercased()
            if ConnectorLogs.crashWords.contains(where: lower.contains) {
                crashes += 1
                lastCrash = "\(log): \(line)"
                if let path = Self.suspect(at: index, in: lines) { counts[path, default: 0] += 1 }
            } else if ConnectorLogs.errorWords.contains(where: lower.contains) {
                logErrors.append("\(log): \(line)")
            }
        }
        errors += logErrors.suffix(Self.kept)
        let merged = suspects.reduce(into: counts) { $0[$1.path, default: 0] += $1.crashes }
        suspects = merged.map { Suspect(path: $0.key, crashes: $0.value) }
            .sorted { $0.crashes != $1.crashes ? $0.crashes > $1.crashes : $0.path < $1.path }
    }

    /// The file the crash line names, else the one a recent "scan" line names.
    static func suspect(at index: Int, in lines: [Substring]) -> String? {
        if let path = path(in: lines[index]) { return path }
        for earlier in lines[max(0, index - ConnectorLogs.lookBack)..<index].reversed() {
            let lower = earlier.lowercased()
            if ConnectorLogs.scanWords.contains(where: lower.contains), let path = path(in: earlier) { return path }
        }
        return nil
    }

    /// The first token that is an absolute path (quotes and trailing punctuation removed).
    static func path(in line: Substring) -> String? {
        let separators: Set<Character> = [" ", "\t", "\"", "'", "=", "(", ")", "[", "]", "<", ">"]
        for token in line.split(whereSeparator: separators.contains) {
            var path = token
            while let last = path.last, ",;:.".contains(last) { path = path.dropLast() }
            if path.count > 1, path.first == "/" { return String(path) }
        }
        return nil
    }

    /// Evidence lines: what was read, the newest error lines, crashes and suspects.
    public func evidence(errorsShown: Bool, crashesShown: Bool) -> [Message] {
        var lines: [Message] = []
        if read.isEmpty && problems.isEmpty {
            lines.append(.msg("logs: none of \(ConnectorLogs.scanService), \(ConnectorLogs.daemon) exists"))
        } else if !read.isEmpty {
            lines.append(.msg("logs read (the last \(ConnectorLogs.tailLimit >> 20) MiB of each): \(read.joined(separator: ", "))"))
        }
        lines += problems.map { .msg("log not read: \($0)") }
        if errorsShown {
            lines += errors.isEmpty ? [.msg("logs: no error lines")] : errors.map { .msg("log error: \(verbatim: $0)") }
        }
        if crashesShown {
            let count = Message.plural(crashes, "logs: \(crashes) crash line", "logs: \(crashes) crash lines")
            lines.append(lastCrash.map { .msg("\(count); the newest: \(verbatim: $0)") } ?? count)
            lines += suspects.prefix(10).map { suspect -> Message in
                .plural(suspect.crashes, "suspect file: \(suspect.path) (named at \(suspect.crashes) crash)",
                        "suspect file: \(suspect.path) (named at \(suspect.crashes) crashes)")
            }
        }
        return lines
    }
}
