extension FaultID {
    public static let scanServiceFailedToStart = FaultID(declaring: 7)
}

extension FaultDefinition {
    /// Fault 7 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let scanServiceFailedToStart = FaultDefinition(
        id: .scanServiceFailedToStart,
        journalMessageID: "1ed6459eb8794a08a16938b41f2dfaed",
        repairs: true,
        english: FaultTexts(
            title: "Scan service failed to start",
            condition: "The file scanner did not start and the connector restarted to recover. No files are scanned while this fault is raised.",
            resolution: [
                "A newly installed virus definition (.cvd) file may be broken; the connector drops invalid .cvd files when it restarts. If the fault survives a restart, or returns with every definition update, contact support.",
                "Check free memory: the scanner may not start on a host that is short of it (see the connector's system requirements).",
                "Read /var/log/cisco/ampdaemon.log and /var/log/cisco/ampscansvc.log.",
            ],
            automaticRepairs: ["move broken ClamAV definition files to ampfix's quarantine (never deleted; undo moves them back)", "then restart the connector once (live host under systemd only)"]
        ),
        check: { ScanServiceFailedToStartFault(connector: $0.sources.connector, definitions: $0.sources.definitions, options: $0.options,
                                               quarantine: Quarantine.directory(run: $0.run)) }
    )
}

/// Fault 7: the scan service failed to start. Beside the connector's own word: its virus
/// definitions checked structurally (a broken archive stops the scanner from loading), memory
/// (`MemAvailable` in /proc/meminfo, live only) and free disk space where the connector lives.
/// Memory and disk are causes shown with numbers, never "repaired".
public struct ScanServiceFailedToStartFault: FaultCheck {
    public let id = FaultID.scanServiceFailedToStart
    public let connector: ConnectorContext
    public let definitions: any DefinitionsReader
    public let options: RepairOptions
    /// Where broken files are moved (inside the root): the run's own quarantine directory.
    public let quarantine: String

    /// The connector's installation guide asks for 1.5 GB free.
    public static let minimumFreeDisk = 1_500_000_000
    /// Below this much available memory the scanner may fail to load its signatures.
    public static let minimumAvailableMemory = 512 << 20
    static let connectorHome = ConnectorVerdict.installedPath

    public init(connector: ConnectorContext, definitions: any DefinitionsReader, options: RepairOptions, quarantine: String) {
        self.quarantine = quarantine
        self.connector = connector
        self.definitions = definitions
        self.options = options
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        var finding = ConnectorVerdict.finding(id, connector: connector, host: host) {
            [checkDefinitions(depth), checkMemory(host), checkDisk(host), checkLogs(host)]
        }
        ConnectorRestart.add(to: &finding, options: options, host: host)
        return finding
    }

    public func stepsAfterRepair(_ host: any HostFacts) -> [Message] {
        ConnectorRestart.stepsAfterRepair(options: options, host: host)
    }

    /// Whether each database is read whole: where that can change the finding. The connector
    /// raises fault 7 (which file to move), it cannot be asked (ampfix's check is all there
    /// is), or `--fault 7` / `--verbose` asked. A connector that answers and does not raise it
    /// has loaded its signatures: the headers suffice, and an hourly audit of a real set (over
    /// 200 MB) does not pay seconds of CPU.
    var readsBodies: Bool { options.checkDefinitionBodies || connector.raised(id) != .no }

    func checkDefinitions(_ depth: DiagnosisDepth) -> Finding {
        let directory = options.definitionsDirectory
        let checks: [DefinitionFileCheck]
        let bodies = readsBodies
        do {
            guard let found = try definitions.inspect(directory: directory, bodies: bodies, depth: depth) else {
                // Not "ok": the connector is installed, and its signatures were not seen.
                return Finding(fault: id, status: .unknown, evidence: [.msg("no definitions directory \(directory): the scanner's signatures could not be checked")],
                               manualSteps: [.msg("Name the connector's ClamAV directory with --definitions DIR (the default \(RepairOptions().definitionsDirectory) is an assumption no public document confirms).")])
            }
            checks = found
        } catch {
            return Finding(fault: id, status: .unknown, evidence: [.msg("cannot check the definitions in \(directory): \(error)")])
        }
        if checks.isEmpty {
            return Finding(fault: id, status: .present, evidence: [.msg("\(directory) holds no .cvd, .cld or .cud file: the scanner has no signatures to load")],
                           manualSteps: [.msg("Let the connector download its definitions again (restart it, or run its update from the management console).")])
        }
        let broken = checks.filter { $0.problem != nil }
        var evidence = checks.map(\.summary)
        if !bodies {
            evidence.append(.msg("checked: each database's header and size only, as the connector answers and does not raise fault 7; `--fault 7` or `--verbose` reads each body whole (MD5, archive)"))
        }
        if checks.contains(where: { $0.library != nil }) {
            evidence.append(.msg("libclamav's word on each file is evidence only: a file signed by a key this libclamav does not hold fails its verification as a broken one would, and that is no reason to move a file"))
        } else {
            evidence.append(.msg("signatures are not verified: ampfix holds no ClamAV signing key, and a signature it cannot verify is no reason to move a file"))
        }
        guard !broken.isEmpty else {
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        // Broken files are moved to the run's quarantine (undo moves them back); a link, which
        // was not followed, is left for the operator.
        let movable = broken.compactMap { check in
            check.identity.map { Change.moveFile(from: check.path, to: quarantine + "/" + Self.fileName(check.path), file: $0) }
        }
        var steps = broken.filter { $0.identity == nil }.map { check -> Message in
            .msg("Move \(check.path) out of \(directory) (it is broken: \(check.problem ?? .verbatim(""))) and let the connector download it again.")
        }
        if !movable.isEmpty {
            evidence.append(.plural(movable.count,
                                    "a repair moves the broken file to \(Quarantine.path)/RUN-ID/ (never deleted; `ampfix undo RUN-ID` moves them back); the connector then downloads them again",
                                    "a repair moves the \(movable.count) broken files to \(Quarantine.path)/RUN-ID/ (never deleted; `ampfix undo RUN-ID` moves them back); the connector then downloads them again"))
        }
        if movable.isEmpty { steps.append(.msg("Then restart the connector: systemctl restart \(ConnectorRestart.unit)")) }
        return Finding(fault: id, status: .present, evidence: evidence, repairs: movable, manualSteps: steps)
    }

    static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The scanner's start errors, as evidence only: an old error line is no proof of a present fault.
    func checkLogs(_ host: any HostFacts) -> Finding {
        Finding(fault: id, status: .notApplicable, evidence: connector.logs(host).evidence(errorsShown: true, crashesShown: false))
    }

    func checkMemory(_ host: any HostFacts) -> Finding { Self.checkMemory(host) }

    func checkDisk(_ host: any HostFacts) -> Finding { Self.checkDisk(host, at: Self.connectorHome) }

    /// Available memory against what the scanner needs to load its signatures (live only).
    static func checkMemory(_ host: any HostFacts) -> Finding {
        let id = FaultID.scanServiceFailedToStart
        guard host.runningKernel() != nil, let text = try? host.readText("/proc/meminfo"), let meminfo = MemInfo(text) else {
            return Finding(fault: id, status: .notApplicable)
        }
        let available = meminfo.availableBytes
        let line: Message = .msg("memory: \(MemInfo.mebibytes(available)) available of \(MemInfo.mebibytes(meminfo.totalBytes)), swap \(MemInfo.mebibytes(meminfo.swapFreeBytes)) free of \(MemInfo.mebibytes(meminfo.swapTotalBytes)) (/proc/meminfo)")
        guard available < Self.minimumAvailableMemory else {
            return Finding(fault: id, status: .ok, evidence: [line])
        }
        return Finding(fault: id, status: .present, evidence: [.msg("\(line); below \(MemInfo.mebibytes(Self.minimumAvailableMemory)), the scanner may not load its signatures")], manualSteps: [.msg("Free memory or add swap; ampfix does not change memory settings.")])
    }

    /// Free space on the filesystem of `path` against the installation guide's 1.5 GB.
    static func checkDisk(_ host: any HostFacts, at path: String) -> Finding {
        let id = FaultID.scanServiceFailedToStart
        guard let free = host.availableBytes(at: path) else { return Finding(fault: id, status: .notApplicable) }
        let line: Message = .msg("disk: \(MemInfo.mebibytes(free)) free on the filesystem of \(path)")
        guard free < Self.minimumFreeDisk else { return Finding(fault: id, status: .ok, evidence: [line]) }
        return Finding(fault: id, status: .present, evidence: [.msg("\(line); the connector asks for 1.5 GB")],
                       manualSteps: [.msg("Free space on the filesystem of \(path) (at least 1.5 GB); ampfix deletes nothing to make room.")])
    }
}
