/// Whether the connector's eBPF programs would work in a kernel, and the evidence: the programs
/// themselves loaded and attached in the running kernel (live), else the kernel's configuration
/// and symbol map against what the programs need (static). Fault 16 and `ampfix preflight`
/// decide from it.
public struct EBPFReadiness: Sendable {
    public enum Verdict: String, Sendable, Codable {
        /// Every program would attach (live: did).
        case ready
        /// Some program would not (live: did not), or the kernel lacks what all of them need.
        case notReady = "not-ready"
        /// Nothing said either way.
        case unknown
    }

    public enum Source: String, Sendable, Codable {
        /// The programs were loaded, attached and detached in the running kernel.
        case live
        /// The kernel's configuration and symbols, read from files.
        case files
        /// Only the kernel's configuration (the hourly audit: nothing more is read).
        case configuration
    }

    /// How much to find out.
    public enum Depth: Sendable {
        /// The configuration only: cheap, for a run that did not ask about the kernel.
        case configuration
        /// The configuration and every program's target in the symbol map; the programs loaded
        /// and attached where the kernel is the running one.
        case full
    }

    public var verdict: Verdict
    public var source: Source
    public var evidence: [Message]
    /// The programs that would not (did not) work, with what each lacks.
    public var failing: [BPFProgram]
    /// Per program, what the live probe did (empty when it did not run).
    public var outcomes: [BPFProgramOutcome]
    /// What the connector would not see (one line per object that fails).
    public var losses: [Message]
    /// Required options the kernel was built without (`KPROBES`).
    public var missingOptions: [String] = []

    /// Options without which no program works, and what each one's absence means.
    static let required: [(option: String, needed: Message, kprobesOnly: Bool)] = [
        ("BPF_SYSCALL", .msg("no eBPF program can be loaded"), false),
        ("BPF_EVENTS", .msg("no eBPF program can be attached to a kernel function"), true),
        ("KPROBES", .msg("no kprobe can be placed on a kernel function"), true),
        ("KPROBE_EVENTS", .msg("the kernel has no kprobe event source to attach to"), true),
    ]

    /// Options that decide other things the connector needs, reported as evidence.
    static let informative: [(option: String, meaning: Message)] = [
        ("DEBUG_INFO_BTF", .msg("BTF, which the programs' CO-RE relocations read; without it the connector needs the kernel headers (fault 11)")),
        ("FANOTIFY", .msg("fanotify, through which the connector scans files on access")),
        ("FANOTIFY_ACCESS_PERMISSIONS", .msg("fanotify's permission events, which let the connector block a file before it is opened")),
        ("PROC_EVENTS", .msg("the process events connector (proc_exec_connector, process starts)")),
        ("BSD_PROCESS_ACCT", .msg("process accounting (acct_process, process exits)")),
    ]

    /// The kernel's SELinux mode now ("1": enforcing).
    public static let selinuxEnforcePath = "/sys/fs/selinux/enforce"

    /// A kernel's build configuration, as its package installs it.
    public static func configPath(_ release: String) -> String { "/boot/config-\(release)" }

    /// libbpf's and the verifier's lines that say no more than that a load failed.
    static func generic(_ line: String) -> Bool {
        ["failed to load", "processed ", "verification time", "stack depth", "max_states_per_insn", "Error: failed to", "-- "].contains { line.hasPrefix($0) }
    }

    /// EPERM and EACCES: what the kernel answers a process it does not let use bpf or
    /// perf_event, whatever the kernel could do.
    static let permissionErrors: Set<Int32> = [1, 13]

    /// A symbol map with fewer names than this is not the kernel's (Debian's /boot/System.map-*
    /// holds one line saying the real one is in the -dbg package).
    static let fewestSymbols = 1000

    public static func assess(_ host: any HostFacts, release: String, running: Bool, depth: Depth, programs: any BPFPrograms) -> EBPFReadiness {
        var readiness = EBPFReadiness(verdict: .unknown, source: .configuration, evidence: [], failing: [], outcomes: [], losses: [])
        let config = readConfig(host, release: release, running: running, into: &readiness.evidence)
        if let config { readiness.missingOptions = missingOptions(config, programs: []).map(\.option) }
        var set: BPFObjectSet?
        if depth == .full {
            switch programs.objects() {
            case .success(let objects): set = objects
            case .failure(let unavailable): readiness.evidence.append(.msg("the connector's eBPF programs were not read: \(unavailable.reason)"))
            }
        }
        if let set, running {
            switch programs.probe(set) {
            case .success(let outcomes) where !outcomes.isEmpty:
                readiness.source = .live
                readiness.outcomes = outcomes
                readiness.evidence.append(.plural(set.objects.count,
                    "the connector's eBPF programs (\(set.programs.count) in \(set.objects.count) object from \(set.origin ?? set.directory)) were tried in the running kernel, in ampfix's own SELinux domain (fault 19 covers the connector's): each loaded and attached where the kernel let it, then detached and unloaded",
                    "the connector's eBPF programs (\(set.programs.count) in \(set.objects.count) objects from \(set.origin ?? set.directory)) were tried in the running kernel, in ampfix's own SELinux domain (fault 19 covers the connector's): each loaded and attached where the kernel let it, then detached and unloaded"))
                readiness.evidence += Self.describe(outcomes)
                let failing = outcomes.filter { $0.state != .attached }
                // Refused to ampfix's own process (SELinux, lockdown, capabilities: EPERM or
                // EACCES without a word from the verifier), not for what the kernel can do:
                // those programs are not proved either way.
                let denied = failing.filter { Self.permissionErrors.contains($0.errorNumber ?? 0) && !$0.verifierSpoke }
                let refused = failing.filter { outcome in !denied.contains { $0.program == outcome.program } }
                if !denied.isEmpty, !refused.isEmpty {
                    readiness.evidence.append(.plural(denied.count,
                        "the kernel refused ampfix's own process \(denied.count) program (permission denied: SELinux, lockdown or capabilities), which says nothing of the connector's: it is not proved here",
                        "the kernel refused ampfix's own process \(denied.count) programs (permission denied: SELinux, lockdown or capabilities), which says nothing of the connector's: they are not proved here"))
                } else if !denied.isEmpty {
                    let enforcing = (try? host.readBytes(Self.selinuxEnforcePath)).flatMap { $0 }.map { $0.first == UInt8(ascii: "1") } ?? false
                    readiness.evidence.append(enforcing
                        ? .msg("the kernel refused ampfix's own process (permission denied) with SELinux enforcing: its domain may not use bpf or perf_event, which says nothing of the connector's (fault 19); the kernel is judged from its files instead (or run the preflight where SELinux lets it: setenforce 0 for its run)")
                        : .msg("the kernel refused ampfix's own process (permission denied: lockdown, or missing capabilities), which says nothing of the connector's; the kernel is judged from its files instead"))
                }
                if !refused.isEmpty || denied.isEmpty {
                    // The kernel's own answer: what it refused counts, what it denied ampfix is
                    // only said.
                    readiness.failing = refused.map(\.program)
                    if let config { readiness.evidence += missingOptions(config, programs: set.programs).map(\.line) }
                    readiness.verdict = readiness.failing.isEmpty ? .ready : .notReady
                    readiness.losses = losses(readiness.failing)
                    return readiness
                }
                readiness.outcomes = []
                readiness.source = .configuration
            case .success:
                readiness.evidence.append(.msg("the programs were not loaded: the objects hold none"))
            case .failure(let unavailable):
                readiness.evidence.append(.msg("the programs were not loaded: \(unavailable.reason)"))
            }
        }
        // From files: the configuration, then each program's target in the symbol map.
        var failing: [BPFProgram] = []
        var symbolsRead = false
        if let config {
            for missing in missingOptions(config, programs: set?.programs ?? []) {
                readiness.evidence.append(missing.line)
                failing += missing.programs
                // Without the programs' list, a missing required option still stops them all.
                if set == nil { readiness.verdict = .notReady }
            }
            for (option, meaning) in informative where !config.enables(option) {
                readiness.evidence.append(.msg("CONFIG_\(option) is not set in \(config.path): no \(meaning)"))
            }
        }
        if let set {
            readiness.source = .files
            switch readSymbols(host, release: release, running: running) {
            case .success(let map):
                symbolsRead = true
                for program in set.programs where !program.section.symbols.isEmpty && !program.section.symbols.contains(where: map.contains) {
                    failing.append(program)
                    let target = program.section.target ?? program.section.name
                    let variants = program.section.symbols.flatMap(map.variants)
                    readiness.evidence.append(variants.isEmpty
                        ? .msg("\(program.name) (\(program.section.name)): \(target) is not in \(map.path)")
                        : .msg("\(program.name) (\(program.section.name)): \(target) is not in \(map.path), only \(variants.joined(separator: ", ")), which a kprobe on \(target) does not find"))
                }
            case .failure(let unavailable):
                readiness.evidence.append(unavailable.reason)
            }
        }
        var unique: [BPFProgram] = []
        for program in failing where !unique.contains(program) { unique.append(program) }
        readiness.failing = unique
        readiness.losses = losses(unique)
        if !unique.isEmpty {
            readiness.verdict = .notReady
        } else if readiness.verdict != .notReady && config != nil && (depth == .configuration || symbolsRead || set == nil) {
            readiness.verdict = .ready
        }
        return readiness
    }

    /// The required options that are not set, each with the programs it stops.
    static func missingOptions(_ config: KernelConfig, programs: [BPFProgram]) -> [(option: String, line: Message, programs: [BPFProgram])] {
        required.filter { !config.enables($0.option) }.map { option, needed, kprobesOnly in
            (option, .msg("CONFIG_\(option) is not set in \(config.path): \(needed)"),
             programs.filter { !kprobesOnly || $0.section.needsKprobes })
        }
    }

    static func losses(_ failing: [BPFProgram]) -> [Message] {
        var objects: [String] = []
        for program in failing where !objects.contains(program.object) { objects.append(program.object) }
        return objects.compactMap { object in failing.first { $0.object == object }?.loses }
    }

    /// One line per distinct failure (24 programs failing for one reason are one line).
    static func describe(_ outcomes: [BPFProgramOutcome]) -> [Message] {
        let attached = outcomes.filter { $0.state == .attached }
        var lines: [Message] = [.msg("\(attached.count) of \(outcomes.count) programs attached")]
        var groups: [(key: String, outcomes: [BPFProgramOutcome])] = []
        for outcome in outcomes where outcome.state != .attached {
            let key = "\(outcome.state.rawValue) \(outcome.errorNumber ?? 0)"
            if let index = groups.firstIndex(where: { $0.key == key }) { groups[index].outcomes.append(outcome) } else { groups.append((key, [outcome])) }
        }
        for group in groups {
            let first = group.outcomes[0]
            let sections = group.outcomes.map(\.program.section.name)
            let names = sections.count > 3
                ? Message.plural(sections.count - 3, "\(sections.count) programs (\(sections.prefix(3).joined(separator: ", ")) and \(sections.count - 3) more)",
                                 "\(sections.count) programs (\(sections.prefix(3).joined(separator: ", ")) and \(sections.count - 3) more)")
                : Message.verbatim(sections.joined(separator: ", "))
            let error = "\(first.errorText ?? "error") (errno \(first.errorNumber ?? 0))"
            // libbpf names the program ("prog 'x': ..."); the line above names its section. The
            // telling line is the verifier's last word, before libbpf's "failed to load" and the
            // verifier's own counts.
            let unnamed = first.libbpf.map { line in line.hasPrefix("prog '") ? String(line.drop { $0 != ":" }.dropFirst(2)) : line }
            let said = unnamed.last { !Self.generic($0) } ?? unnamed.last
            let libbpf = first.note.map { Message.msg("; \($0)") } ?? said.map { Message.msg("; libbpf: \($0)") } ?? .verbatim("")
            lines.append(first.state == .notLoaded
                ? .msg("not loaded: \(names): \(error)\(libbpf)")
                : .msg("not attached: \(names): \(error)\(libbpf)"))
        }
        return lines
    }

    /// The kernel's configuration: /boot/config-RELEASE, else (the running kernel) /proc/config.gz.
    static func readConfig(_ host: any HostFacts, release: String, running: Bool, into evidence: inout [Message]) -> KernelConfig? {
        let path = Self.configPath(release)
        do {
            // /proc/config.gz only when /boot has none (inflating it costs every audit otherwise).
            let candidates: [(place: String, read: () throws -> String?)] = [(path, { try host.readText(path) }),
                                                                            ("/proc/config.gz", { running ? try host.readCompressedText("/proc/config.gz") : nil })]
            for (place, read) in candidates {
                guard let text = try read() else { continue }
                let config = KernelConfig(path: place, text: text)
                // Every kernel's configuration sets some options: one that sets none is not one.
                if !config.values.isEmpty { return config }
                evidence.append(.msg("\(place) sets no kernel option: not a kernel's configuration"))
            }
            evidence.append(running ? .msg("no \(path) and no /proc/config.gz: the kernel's configuration is unknown")
                                    : .msg("no \(path): the kernel's configuration is unknown"))
        } catch {
            evidence.append(.msg("cannot read the kernel's configuration: \(error)"))
        }
        return nil
    }

    /// The kernel's symbols: /boot/System.map-RELEASE, else (the running kernel) /proc/kallsyms.
    static func readSymbols(_ host: any HostFacts, release: String, running: Bool) -> Result<SymbolMap, BPFUnavailable> {
        var notes: [Message] = []
        for path in ["/boot/System.map-\(release)"] + (running ? ["/proc/kallsyms"] : []) {
            do {
                guard let bytes = try host.readBytes(path) else { notes.append(.msg("no \(path)")); continue }
                let map = SymbolMap(path: path, bytes: bytes)
                if map.names.count >= fewestSymbols { return .success(map) }
                notes.append(.msg("\(path) lists \(map.names.count) symbols, not the kernel's (Debian ships the real map in the linux-image-\(release)-dbg package)"))
            } catch {
                notes.append(.msg("cannot read \(path): \(error)"))
            }
        }
        return .failure(BPFUnavailable(.msg("the programs' targets were not checked: \(Message.joined(notes, separator: "; "))")))
    }
}
