import AmpfixCore
import AmpfixSystem
import Glibc

/// What one `ampfix` invocation asks of a host: the command line builds it, `HostAdapters.perform`
/// composes the run from it (the checks and data those faults need, fault 18's sampling, the
/// wait for fault 6) and runs it.
public struct RunRequest {
    public var mode: RunMode
    /// The faults named with --fault; empty: every fault (a plain diagnosis, --all, --dry-run).
    public var named: [FaultID]
    /// Choices that shape the repairs (--no-restart, --kernel, --definitions).
    public var options: RepairOptions
    public var data: DataFiles
    public var connector: ConnectorAccess
    public var language: Language
    /// --wait: how long to ask the connector to clear fault 6 after a repair of it.
    public var wait: Duration?
    /// --verbose: every piece of evidence, also where it costs more.
    public var depth: DiagnosisDepth
    /// The whole command line, recorded in a repair's journal.
    public var command: [String]
    /// The invocation's one run id, minted with the request: a repair's journal, fault 7's
    /// quarantine directory and the systemd journal's entries (a diagnosis's too) all carry it.
    public var run: String = HostAdapters.newRunID()

    public init(mode: RunMode, named: [FaultID], options: RepairOptions, data: DataFiles, connector: ConnectorAccess, language: Language,
                wait: Duration? = nil, depth: DiagnosisDepth = .quick, command: [String] = []) {
        self.mode = mode
        self.named = named
        self.options = options
        self.data = data
        self.connector = connector
        self.language = language
        self.wait = wait
        self.depth = depth
        self.command = command
    }

    /// The faults the run covers, in fault order.
    public var faults: [FaultID] { named.isEmpty ? FaultID.allCases : Array(Set(named)).sorted() }

    /// Seconds of event sampling: named on the command line, fault 18 samples the host's events
    /// (live only) for its evidence; otherwise none.
    var sampleSeconds: Double { named.contains(.eventMonitoringOverloaded) ? 5 : options.sampleSeconds }

    /// Fault 7 named on the command line, or --verbose: each ClamAV database is read whole.
    var checksDefinitionBodies: Bool { named.contains(.scanServiceFailedToStart) || depth == .thorough }

    /// Faults 8, 9 or 16 named, or --verbose: the connector's eBPF programs are loaded and
    /// attached (the hourly audit reads the kernel's configuration only).
    var probesKernel: Bool {
        !Set(named).isDisjoint(with: [.filesystemMonitor, .networkMonitor, .incompatibleKernel]) || depth == .thorough
    }
}

extension HostAdapters {
    /// Composes the run `request` asks for on this host and performs it.
    /// - Parameter progress: shows how long a --wait has waited.
    public func perform(_ request: RunRequest, note: @escaping (Message) -> Void = { _ in }, progress: StatusLine? = nil) throws -> Report {
        var options = request.options
        options.sampleSeconds = request.sampleSeconds
        options.checkDefinitionBodies = options.checkDefinitionBodies || request.checksDefinitionBodies
        if request.probesKernel { options.kernelEvidence = .full }
        // A dry run's plan names the applying run's quarantine as RUN-ID (Quarantine.plannedRun).
        let id = request.mode == .dryRun ? Quarantine.plannedRun : request.run
        let run = run(options, data: request.data, connector: request.connector, language: request.language, faults: request.faults, id: id,
                      note: note)
        run.connector?.wait = request.wait.map { Self.liveWait($0, progress: progress) }
        defer { if request.wait != nil { progress?.clear() } }
        return try run.perform(request.mode, faults: request.faults, command: request.command, depth: request.depth)
    }

    /// --wait on a real clock: real pauses, a progress line where one is shown.
    static func liveWait(_ limit: Duration, progress: StatusLine?) -> ConnectorWait {
        ConnectorWait(
            fault: .scanServiceRestarting, limit: limit, sleep: Pause.sleep,
            progress: { waited, limit in
                progress?.show((.msg("waiting for the connector to clear fault 6: \(ConnectorWait.Outcome.words(waited)) of \(ConnectorWait.Outcome.words(limit))")))
            })
    }

    /// `ampfix collect`: diagnoses every fault (changing nothing) and writes the support bundle
    /// to `path` (mode 0600, never over another file) as one directory `ampfix-support-ID`.
    /// - Parameter translation: the language report.json is written in (its messages beside).
    public func collect(_ request: RunRequest, to path: String, id: String, translation: any Translating = UntranslatedText(),
                        note: @escaping (Message) -> Void = { _ in }) throws -> CollectedBundle {
        let run = run(request.options, data: request.data, connector: request.connector, language: request.language, note: note)
        var diagnosed = try run.perform(.diagnose, faults: FaultID.allCases)
        diagnosed.render(translation, language: request.language)
        let bundle = SupportBundle.gather(facts, report: Array(JSONText.pretty(diagnosed).utf8), status: run.connector?.reading)
        let supportTool = facts.exists(SupportBundle.connectorSupportTool)
        let manifest = bundle.manifest(root: fs.root, connectorSupportTool: supportTool)
        let members = [TarGzFile.Member(name: "MANIFEST.txt", bytes: Array(manifest.utf8))]
            + bundle.entries.map { TarGzFile.Member(name: $0.name, bytes: $0.bytes) }
        try TarGzFile.write(members, directory: "ampfix-support-\(id)", to: path, modified: Int(time(nil)))
        return CollectedBundle(bundle: bundle, connectorSupportTool: supportTool ? SupportBundle.connectorSupportTool : nil)
    }
}

/// What `collect` wrote.
public struct CollectedBundle {
    public var bundle: SupportBundle
    /// The connector's own support tool, where it is installed.
    public var connectorSupportTool: String?
}
