/// What `ampfix collect` puts in a support bundle, gathered through `HostFacts` (so it works
/// the same under --root): the JSON report, the connector's status output, bounded tails of the
/// connector's logs, os-release, kernel facts, the SELinux state and the loaded modules. Every
/// source is named here; nothing is found by a walk but the log directory, and every name is
/// checked against `refusal` first — keys, password files and the connector's caches are never
/// taken.
public struct SupportBundle {
    public struct Entry: Sendable, Equatable {
        /// The name inside the bundle's top directory.
        public var name: String
        public var bytes: [UInt8]
        /// Where it came from, for the manifest ("/var/log/cisco/ampdaemon.log, last 1 MiB").
        public var source: String
    }

    public struct LeftOut: Sendable, Equatable {
        public var source: String
        public var why: String
    }

    public static let logDirectory = "/var/log/cisco"
    /// How much of each log's end is taken.
    public static let logTailLimit = 1 << 20
    /// At most this many logs are taken (the newest by name order is not known; the first by name).
    public static let maxLogs = 32
    /// The connector's own support tool, which collects far more (and what Cisco asks for).
    public static let connectorSupportTool = "/opt/cisco/amp/bin/ampsupport"

    /// The host's own files taken whole (each small; a larger one is cut to its end).
    static let files: [(path: String, what: String)] = [
        ("/etc/os-release", "the distribution"),
        ("/usr/lib/os-release", "the distribution"),
        ("/etc/login.defs", "USERGROUPS_ENAB, fault 5"),
        ("/etc/selinux/config", "the SELinux mode at boot"),
        ("/sys/fs/selinux/enforce", "the SELinux mode now"),
        ("/sys/fs/selinux/policyvers", "the loaded policy's version"),
        ("/sys/kernel/security/lsm", "the active security modules"),
        ("/proc/version", "the running kernel"),
        ("/proc/cmdline", "the kernel command line"),
        ("/proc/modules", "the loaded kernel modules"),
        ("/proc/meminfo", "memory, fault 7"),
    ]
    static let fileLimit = 256 << 10

    public var entries: [Entry] = []
    public var leftOut: [LeftOut] = []

    public init() {}

    /// Why `path` must never go into a bundle, or nil when it may.
    public static func refusal(_ path: String) -> String? {
        let name = path.split(separator: "/").last.map { String($0).lowercased() } ?? ""
        if name.contains("shadow") || name.hasPrefix("passwd") || name.hasPrefix("group") {
            return "an account or password file"
        }
        let keyExtensions = [".key", ".pem", ".p12", ".pfx", ".jks", ".keystore", ".der", ".crt", ".csr"]
        let keyWords = ["private", "secret", "token", "credential", "id_rsa", "id_ecdsa", "id_ed25519"]
        if keyExtensions.contains(where: name.hasSuffix) || keyWords.contains(where: name.contains) {
            return "it may hold a key or a credential"
        }
        if path.hasPrefix("/opt/cisco/amp/var/") || path.contains("/cache/") || name.hasSuffix(".db") || name.hasSuffix(".cache") {
            return "the connector's caches and databases stay on the host"
        }
        return nil
    }

    /// Gathers the bundle's entries.
    /// - Parameters:
    ///   - report: the JSON report of a diagnosis of this host.
    ///   - status: what asking the connector gave (nil: it was not asked).
    public static func gather(_ host: any HostFacts, report: [UInt8], status: ConnectorStatusReading?) -> SupportBundle {
        var bundle = SupportBundle()
        bundle.entries.append(Entry(name: "report.json", bytes: report, source: "ampfix's diagnosis of every fault (--json)"))
        bundle.addStatus(status)
        bundle.addKernel(host)
        for (path, what) in files { bundle.addFile(host, path, what: what, limit: fileLimit) }
        bundle.addLogs(host)
        return bundle
    }

    mutating func addStatus(_ status: ConnectorStatusReading?) {
        let source = "the connector's status"
        switch status {
        case nil: leftOut.append(LeftOut(source: source, why: "the connector was not asked"))
        case .unavailable(let why): leftOut.append(LeftOut(source: source, why: why.description))
        case .failed(let why): entries.append(Entry(name: "connector-status.txt", bytes: Array((why.description + "\n").utf8), source: source + " (why there is none)"))
        case .read(let parsed, let command, let note):
            let header = "$ \(command)\n" + (note.map { "# \($0)\n" } ?? "")
            entries.append(Entry(name: "connector-status.txt", bytes: Array((header + parsed.output).utf8), source: "`\(command)`"))
        }
    }

    mutating func addKernel(_ host: any HostFacts) {
        var lines = ["running: " + (host.runningKernel() ?? "(none: no kernel runs a tree under --root)")]
        let trees = (host.list("/lib/modules") ?? host.list("/usr/lib/modules") ?? []).sorted()
        lines.append("module trees: " + (trees.isEmpty ? "(none)" : trees.joined(separator: " ")))
        for release in trees {
            let extra = ["ampfsm", "ampnetworkflow"].filter { name in
                ["extra", "updates", "kernel/extra"].contains { host.exists("/lib/modules/\(release)/\($0)/\(name).ko") }
            }
            if !extra.isEmpty { lines.append("  \(release): \(extra.joined(separator: ", "))") }
        }
        entries.append(Entry(name: "kernel.txt", bytes: Array((lines.joined(separator: "\n") + "\n").utf8), source: "uname and /lib/modules"))
    }

    /// A file is chosen by what it is, not by its name: the name is resolved first (inside the
    /// root), the refusal applies to the name and to where it leads, and what is read is checked
    /// once more for a private key or password hashes (a hard link has no other name to tell).
    mutating func addFile(_ host: any HostFacts, _ path: String, what: String, limit: Int, as name: String? = nil) {
        if let why = Self.refusal(path) {
            leftOut.append(LeftOut(source: path, why: why))
            return
        }
        do {
            guard let target = try host.resolve(path) else {
                leftOut.append(LeftOut(source: path, why: "not present"))
                return
            }
            if target != path, let why = Self.refusal(target) {
                leftOut.append(LeftOut(source: path, why: "it leads to \(target): \(why)"))
                return
            }
            // Kernel files (/proc, /sys) report no size: read whole (they are small), then cut.
            let kernelFile = target.hasPrefix("/proc/") || target.hasPrefix("/sys/")
            let read = try kernelFile ? host.readBytes(target).map({ Array($0.suffix(limit)) }) : host.readTail(target, limit: limit)
            guard let bytes = read else {
                leftOut.append(LeftOut(source: path, why: "not present"))
                return
            }
            if let why = Self.secretContent(bytes) {
                leftOut.append(LeftOut(source: path, why: why))
                return
            }
            var source = target == path ? "\(path) (\(what))" : "\(path) -> \(target) (\(what))"
            if bytes.count >= limit && !kernelFile {
                source += "; no line starts in its last \(limit >> 10) KiB: cut at a byte, mid-line"
            }
            entries.append(Entry(name: name ?? "files" + path, bytes: bytes, source: source))
        } catch {
            leftOut.append(LeftOut(source: path, why: "\(error)"))
        }
    }

    /// Why these bytes must stay on the host whatever their name: a PEM private key, or lines
    /// shaped like shadow's (`name:$id$salt$hash:`).
    public static func secretContent(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        if text.contains("PRIVATE KEY-----") || text.contains("OPENSSH PRIVATE KEY") {
            return "its content is a private key"
        }
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count >= 3, fields[1].hasPrefix("$"), fields[1].dropFirst().contains("$") {
                return "its content holds password hashes"
            }
        }
        return nil
    }

    mutating func addLogs(_ host: any HostFacts) {
        guard let names = host.list(Self.logDirectory) else {
            leftOut.append(LeftOut(source: Self.logDirectory, why: "not present"))
            return
        }
        // Links in the log directory are never followed: one could lead to /etc/shadow.
        let tree = try? host.directoryTree(at: Self.logDirectory)
        let prefix = (tree?.resolved ?? Self.logDirectory) + "/"
        let linked = Set((tree?.symlinks ?? []).filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
        let sorted = names.sorted()
        for (index, name) in sorted.enumerated() {
            let path = "\(Self.logDirectory)/\(name)"
            if tree == nil || linked.contains(name) {
                leftOut.append(LeftOut(source: path, why: tree == nil ? "the directory could not be walked without following links" : "a symbolic link, not followed"))
                continue
            }
            guard index < Self.maxLogs else {
                leftOut.append(LeftOut(source: path, why: "more than \(Self.maxLogs) files in \(Self.logDirectory)"))
                continue
            }
            // A rotated .gz is inflated as a stream; its end goes in uncompressed (the bundle is gzip'd).
            let stored = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
            addFile(host, path, what: "its last \(Self.logTailLimit >> 20) MiB", limit: Self.logTailLimit,
                    as: "files\(Self.logDirectory)/\(stored)")
        }
    }

    /// MANIFEST.txt: what was taken (name, size, source) and what was not, with why.
    public func manifest(root: String, connectorSupportTool: Bool) -> String {
        var lines = ["ampfix support bundle of \(root)", "", "taken:"]
        // Names come from the host: a control character could forge a line of the manifest.
        for entry in entries {
            lines.append("  \(entry.name.escapingControlCharacters())  \(entry.bytes.count) bytes  \(entry.source.escapingControlCharacters())")
        }
        lines.append("")
        lines.append("left out:")
        for item in leftOut { lines.append("  \(item.source.escapingControlCharacters()): \(item.why.escapingControlCharacters())") }
        lines.append("  never taken: keys and certificates, password and account files, the connector's caches")
        if connectorSupportTool {
            lines.append("")
            lines.append("The connector's own support tool is installed: `\(Self.connectorSupportTool) -o DIR` collects what Cisco asks for; run it yourself.")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
