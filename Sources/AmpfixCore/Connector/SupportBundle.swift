/// What `ampfix collect` puts in a support bundle, gathered through `HostFacts` (so it works
/// the same under --root): the JSON report, the connector's status output, bounded tails of the
/// connector's logs, os-release, kernel facts, the SELinux state and the loaded modules. It is an
/// allow-list: every file is named here (the logs by their name pattern), taken only where it is
/// named (no symbolic link on the way), as a regular file with one link, within its limit;
/// everything else is left out and listed in the manifest with why.
public struct SupportBundle {
    public struct Entry: Sendable, Equatable {
        /// The name inside the bundle's top directory.
        public var name: String
        public var bytes: [UInt8]
        /// Where it came from ("/var/log/cisco/ampdaemon.log (its last 1 MiB)"): English in the
        /// manifest, the run's language on the terminal.
        public var source: Message
    }

    public struct LeftOut: Sendable, Equatable {
        public var source: Message
        public var why: Message

        init(source: String, why: Message) {
            self.init(source: .verbatim(source), why: why)
        }

        init(source: Message, why: Message) {
            self.source = source
            self.why = why
        }
    }

    public static let logDirectory = "/var/log/cisco"
    /// How much of each log's end is taken.
    public static let logTailLimit = 1 << 20
    /// At most this many logs are taken (the newest by name order is not known; the first by name).
    public static let maxLogs = 32
    /// The connector's own support tool, which collects far more (and what Cisco asks for).
    public static let connectorSupportTool = "/opt/cisco/amp/bin/ampsupport"

    /// How an allowed file's bytes go in.
    enum Content {
        case whole
        /// Setting lines only: comments and blank lines stay on the host.
        case settings
        /// Only the lines of the keys ampfix reads (`OSRelease.usedKeys`).
        case osRelease
    }

    /// Everything a bundle takes besides the report, the status, the kernel facts and the logs:
    /// each file at its own path, nothing found by a walk. The kernel's files (/proc, /sys) only
    /// on the live host: under --root no kernel runs the tree.
    static let files: [(path: String, what: Message, content: Content)] = [
        ("/etc/os-release", .msg("the distribution"), .osRelease),
        ("/usr/lib/os-release", .msg("the distribution"), .osRelease),
        ("/etc/login.defs", .msg("USERGROUPS_ENAB, fault 5"), .settings),
        (SELinuxConfig.path, .msg("the SELinux mode at boot"), .settings),
        ("/sys/fs/selinux/enforce", .msg("the SELinux mode now"), .whole),
        ("/sys/fs/selinux/policyvers", .msg("the loaded policy's version"), .whole),
        ("/sys/kernel/security/lsm", .msg("the active security modules"), .whole),
        ("/proc/version", .msg("the running kernel"), .whole),
        ("/proc/cmdline", .msg("the kernel command line"), .whole),
        ("/proc/modules", .msg("the loaded kernel modules"), .whole),
        ("/proc/meminfo", .msg("memory, fault 7"), .whole),
    ]
    /// The most a bundle takes of one of `files`; a larger one is left out.
    static let fileLimit = 256 << 10

    public var entries: [Entry] = []
    public var leftOut: [LeftOut] = []

    public init() {}

    /// Whether `name` in the log directory is one of the connector's logs: `amp…​.log`, with its
    /// rotations (`.1`, `.2.gz`). Nothing else there is taken, whatever it holds.
    public static func isConnectorLog(_ name: String) -> Bool {
        var rest = Substring(name)
        if rest.hasSuffix(".gz") { rest = rest.dropLast(3) }
        if let dot = rest.lastIndex(of: ".") {
            let number = rest[rest.index(after: dot)...]
            if !number.isEmpty, number.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { rest = rest[..<dot] }
        }
        guard rest.hasPrefix("amp"), rest.hasSuffix(".log"), rest.count > 7 else { return false }
        return rest.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    /// Gathers the bundle's entries.
    /// - Parameters:
    ///   - report: the JSON report of a diagnosis of this host.
    ///   - status: what asking the connector gave (nil: it was not asked).
    public static func gather(_ host: any HostFacts, report: [UInt8], status: ConnectorStatusReading?) -> SupportBundle {
        var bundle = SupportBundle()
        bundle.entries.append(Entry(name: "report.json", bytes: report, source: .msg("ampfix's diagnosis of every fault (--json)")))
        bundle.addStatus(status)
        bundle.addKernel(host)
        let live = host.runningKernel() != nil
        for (path, what, content) in files {
            if !live && (path.hasPrefix("/proc/") || path.hasPrefix("/sys/")) {
                bundle.leftOut.append(LeftOut(source: path, why: .msg("under --root no kernel runs the tree: its /proc and /sys are not a kernel's")))
                continue
            }
            bundle.addFile(host, path, what: what, limit: fileLimit, tail: false, content: content)
        }
        bundle.addLogs(host)
        return bundle
    }

    mutating func addStatus(_ status: ConnectorStatusReading?) {
        let source: Message = .msg("the connector's status")
        switch status {
        case nil: leftOut.append(LeftOut(source: source, why: .msg("the connector was not asked")))
        case .unavailable(let why): leftOut.append(LeftOut(source: source, why: why))
        case .failed(let why): entries.append(Entry(name: "connector-status.txt", bytes: Array((why.description + "\n").utf8), source: .msg("the connector's status (why there is none)")))
        case .read(let parsed, let command, let note):
            let header = "$ \(command)\n" + (note.map { "# \($0)\n" } ?? "")
            entries.append(Entry(name: "connector-status.txt", bytes: Array((header + parsed.output).utf8), source: .verbatim("`\(command)`")))
        }
    }

    mutating func addKernel(_ host: any HostFacts) {
        var lines = ["running: " + (host.runningKernel() ?? "(none: no kernel runs a tree under --root)")]
        let trees = (host.list("/lib/modules") ?? host.list("/usr/lib/modules") ?? []).sorted()
        lines.append("module trees: " + (trees.isEmpty ? "(none)" : trees.map { $0.escapingControlCharacters() }.joined(separator: " ")))
        for release in trees {
            let extra = ["ampfsm", "ampnetworkflow"].filter { name in
                ["extra", "updates", "kernel/extra"].contains { host.exists("/lib/modules/\(release)/\($0)/\(name).ko") }
            }
            if !extra.isEmpty { lines.append("  \(release.escapingControlCharacters()): \(extra.joined(separator: ", "))") }
        }
        entries.append(Entry(name: "kernel.txt", bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: .msg("uname and /lib/modules")))
    }

    /// Takes one allowed file, only where it is named: a link on the way (to the root's shadow,
    /// an SSH key, the host's /etc) is not followed, a file with another name (a hard link) is
    /// not taken, nor one past `limit` unless `tail`. What is read is checked once more for a
    /// private key or password hashes.
    mutating func addFile(_ host: any HostFacts, _ path: String, what: Message, limit: Int, tail: Bool, content: Content = .whole,
                          as name: String? = nil) {
        let read: [UInt8]?
        do {
            read = try host.readExactly(path, limit: limit, tail: tail)
        } catch {
            if let target = try? host.resolve(path), target != path {
                leftOut.append(LeftOut(source: path, why: .msg("it leads to \(target) through a symbolic link: a bundle takes a file only where it is named")))
            } else {
                leftOut.append(LeftOut(source: path, why: .of(error)))
            }
            return
        }
        guard var bytes = read else {
            leftOut.append(LeftOut(source: path, why: .msg("not present")))
            return
        }
        if let why = Self.secretContent(bytes) {
            leftOut.append(LeftOut(source: path, why: why))
            return
        }
        var notes: [Message] = [what]
        switch content {
        case .whole: break
        case .settings:
            bytes = Self.keptLines(bytes) { line in
                let text = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                return !text.isEmpty && text.first != UInt8(ascii: "#")
            }
            notes.append(.msg("settings only, no comments"))
        case .osRelease:
            // As ampfix reads it: the used keys' values only, written out again.
            bytes = Array(OSRelease(path: path, text: String(decoding: bytes, as: UTF8.self)).usedLines.utf8)
            notes.append(.msg("only \(OSRelease.usedKeys.joined(separator: ", ")), as ampfix reads them"))
        }
        if tail && bytes.count >= limit {
            notes.append(.msg("no line starts in its last \(limit >> 10) KiB: cut at a byte, mid-line"))
        }
        // TRANSLATORS: a file of the support bundle and what it is ("/etc/login.defs (USERGROUPS_ENAB, fault 5; settings only, no comments)").
        entries.append(Entry(name: name ?? "files" + path, bytes: bytes, source: .msg("\(path) (\(Message.joined(notes, separator: "; ")))")))
    }

    /// The lines of `bytes` that `keep` accepts, each ending in a line break.
    static func keptLines(_ bytes: [UInt8], _ keep: (ArraySlice<UInt8>) -> Bool) -> [UInt8] {
        var kept: [UInt8] = []
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) where keep(line) {
            kept += line
            kept.append(UInt8(ascii: "\n"))
        }
        return kept
    }

    /// Why these bytes must stay on the host whatever their name: a PEM private key, or lines
    /// shaped like shadow's (`name:$id$salt$hash:`).
    public static func secretContent(_ bytes: [UInt8]) -> Message? {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("PRIVATE KEY-----") || text.contains("OPENSSH PRIVATE KEY") {
            return .msg("its content is a private key")
        }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count >= 3, fields[1].hasPrefix("$"), fields[1].dropFirst().contains("$") {
                return .msg("its content holds password hashes")
            }
        }
        return nil
    }

    /// The connector's logs by name, only from the log directory itself: when it (or
    /// /var/log) is a link, nothing is taken from where it leads.
    mutating func addLogs(_ host: any HostFacts) {
        let directory = Self.logDirectory
        do {
            guard let target = try host.resolve(directory) else {
                leftOut.append(LeftOut(source: directory, why: .msg("not present")))
                return
            }
            guard target == directory else {
                leftOut.append(LeftOut(source: directory, why: .msg("it leads to \(target) through a symbolic link: not followed, no log is taken")))
                return
            }
        } catch {
            leftOut.append(LeftOut(source: directory, why: .of(error)))
            return
        }
        var taken = 0
        for name in (host.list(directory) ?? []).sorted() {
            let path = "\(directory)/\(name)"
            guard Self.isConnectorLog(name) else {
                leftOut.append(LeftOut(source: path, why: .msg("not one of the connector's logs by its name (amp*.log and its rotations)")))
                continue
            }
            guard taken < Self.maxLogs else {
                leftOut.append(LeftOut(source: path, why: .msg("more than \(Self.maxLogs) logs in \(directory)")))
                continue
            }
            taken += 1
            // A rotated .gz is inflated as a stream; its end goes in uncompressed (the bundle is gzip'd).
            let stored = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
            addFile(host, path, what: .msg("its last \(Self.logTailLimit >> 20) MiB"), limit: Self.logTailLimit, tail: true,
                    as: "files\(directory)/\(stored)")
        }
    }

    /// MANIFEST.txt: what was taken (name, size, source) and what was not, with why.
    public func manifest(root: String, connectorSupportTool: Bool) -> String {
        var lines = ["ampfix support bundle of \(root)", "", "taken:"]
        // Names come from the host: a control character could forge a line of the manifest.
        for entry in entries {
            lines.append("  \(entry.name.escapingControlCharacters())  \(entry.bytes.count) bytes  \(entry.source.description.escapingControlCharacters())")
        }
        lines.append("")
        lines.append("left out:")
        for item in leftOut { lines.append("  \(item.source.description.escapingControlCharacters()): \(item.why.description.escapingControlCharacters())") }
        lines.append("  anything else: a bundle takes only the files named above, each where it is named, as a regular file with one name")
        if connectorSupportTool {
            lines.append("")
            lines.append("The connector's own support tool is installed: `\(Self.connectorSupportTool) -o DIR` collects what Cisco asks for; run it yourself.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
