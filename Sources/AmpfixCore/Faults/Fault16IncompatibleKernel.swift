extension FaultID {
    public static let incompatibleKernel = FaultID(declaring: 16)
}

extension FaultDefinition {
    /// Fault 16 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let incompatibleKernel = FaultDefinition(
        id: .incompatibleKernel,
        journalMessageID: "ed856093ac124e97b2db367c846adc5a",
        repairs: false,
        english: FaultTexts(
            title: "Incompatible kernel",
            condition: "The running kernel is not supported by this connector version while file or network monitoring is enabled in its policy.",
            resolution: [
                "Boot a kernel version the connector supports, or upgrade the connector to a version that supports this kernel (see the Linux system requirements).",
            ],
            automaticRepairs: []
        ),
        check: { IncompatibleKernelFault(kernel: $0.kernel, packages: $0.sources.packages, table: $0.sources.kernelSupport, bpf: $0.sources.bpf,
                                         depth: $0.options.kernelEvidence) }
    )
}

/// Fault 16: the kernel cannot run the connector's monitoring. Decided first by the kernel's own
/// evidence (EBPFReadiness: the connector's eBPF programs loaded and attached in the running
/// kernel, else the kernel's configuration and symbols), then by the support table that ships
/// with ampfix as data, whose placeholder rows never decide "present" alone. Never repaired
/// automatically: ampfix names the installed kernels that are supported and how to check one.
public struct IncompatibleKernelFault: FaultCheck {
    public let id = FaultID.incompatibleKernel
    public let kernel: KernelContext
    public let packages: PackageSource
    public let table: Result<KernelSupportTable, KernelSupportTable.Malformed>
    public let bpf: any BPFPrograms
    public let depth: EBPFReadiness.Depth

    public init(options: RepairOptions, packages: PackageSource, table: Result<KernelSupportTable, KernelSupportTable.Malformed>,
                bpf: any BPFPrograms = NoBPFPrograms(reason: .msg("not asked"))) {
        self.init(kernel: KernelContext(options: options), packages: packages, table: table, bpf: bpf, depth: options.kernelEvidence)
    }

    public init(kernel: KernelContext, packages: PackageSource, table: Result<KernelSupportTable, KernelSupportTable.Malformed>,
                bpf: any BPFPrograms = NoBPFPrograms(reason: .msg("not asked")), depth: EBPFReadiness.Depth = .configuration) {
        self.kernel = kernel
        self.packages = packages
        self.table = table
        self.bpf = bpf
        self.depth = depth
    }

    /// The releases of the installed kernels, through exact package names: indexed lookups,
    /// never a scan of the whole package database (which would page in all of apt's cache).
    /// Debian ships a kernel as linux-image-RELEASE with /lib/modules/RELEASE, so the candidates
    /// come from that directory; rpm keeps every installed instance of kernel / kernel-core
    /// (EL), kernel-uek (Oracle) or kernel-default (SUSE) under one name, as V-R.A.
    static func installedKernels(_ family: DistroFamily, database: any PackageDatabase, host: any HostFacts) throws -> [String] {
        func installed(_ name: String) throws -> [String] { try database.lookup(name)?.installed ?? [] }
        switch family {
        case .debian:
            return try (host.list("/lib/modules") ?? []).filter(KernelRelease.isValid).filter { release in
                try !installed("linux-image-\(release)").isEmpty || !installed("linux-image-\(release)-unsigned").isEmpty
            }
        case .rhel, .oracle:
            return try Array(Set(["kernel", "kernel-core", "kernel-uek", "kernel-uek-core"].flatMap(installed)))
        case .suse:
            return try installed("kernel-default").map { $0.split(separator: ".").dropLast().joined(separator: ".") + "-default" }
        }
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        let facts = kernel.facts(host)
        var evidence = [facts.summary] + facts.notes
        guard let release = facts.release else { return Finding(fault: id, status: .unknown, evidence: evidence) }
        let table = try? self.table.get()
        if case .failure(let error) = self.table { evidence.append(.msg("cannot read the kernel support table: \(error)")) }
        let rows = facts.family.flatMap { family in table?.paths(for: release, family: family) } ?? []
        // The kernel modules' path (ampfsm, ampnetworkflow: faults 8 and 9) needs no eBPF.
        if let path = rows.first(where: { $0.path != "ebpf" && !$0.isPlaceholder }), let table {
            evidence.append(.msg("\(release) is supported through the connector's kernel modules (\(path.path), \(table.path):\(path.line)); faults 8 and 9 check them"))
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        let running = host.runningKernel() == release
        let readiness = EBPFReadiness.assess(host, release: release, running: running, depth: self.depth, programs: bpf)
        evidence += readiness.evidence
        // A table that is there and cannot be read is ampfix's own data broken: said, not passed over.
        if case .failure(let error) = self.table, !error.missing, readiness.verdict != .notReady {
            return Finding(fault: id, status: .unknown, evidence: evidence)
        }
        let secondary = tableEvidence(release: release, family: facts.family, rows: rows)
        switch readiness.verdict {
        case .ready:
            evidence.append(readiness.source == .configuration
                ? .msg("\(release) has what the connector's eBPF programs need (configuration only; ampfix --fault 16 or ampfix preflight load and attach them)")
                : .msg("\(release) runs the connector's eBPF programs"))
            if let secondary, rows.isEmpty { evidence.append(.msg("the kernel support table disagrees and is overruled by the kernel's evidence: \(secondary)")) }
            return Finding(fault: id, status: .ok, evidence: evidence)
        case .notReady:
            if !readiness.losses.isEmpty {
                evidence.append(.msg("the connector would not see: \(Message.joined(readiness.losses, separator: ", "))"))
            }
            return present(host, facts: facts, release: release, evidence: evidence, missingOptions: readiness.missingOptions)
        case .unknown:
            guard let table, let family = facts.family else {
                return Finding(fault: id, status: .unknown, evidence: evidence + (facts.family == nil && table != nil ? [.msg("\(table!.path) has no rows for this distribution")] : []))
            }
            if let supported = rows.first(where: { !$0.isPlaceholder }) {
                evidence.append(.msg("\(release) is supported on \(family.rawValue) for \(supported.path) by the kernel support table (\(table.path):\(supported.line), \(supported.source))"))
                return Finding(fault: id, status: .ok, evidence: evidence)
            }
            if !rows.isEmpty {
                evidence.append(.msg("only placeholder rows of \(table.path) put \(release) inside: not reason enough to call it supported"))
                return Finding(fault: id, status: .unknown, evidence: evidence)
            }
            if let secondary { evidence.append(secondary) }
            // The eBPF rows decide for a kernel the modules' rows do not cover: placeholders alone, nothing.
            let ebpfRows = table.rows(for: family).filter { $0.path == "ebpf" }
            if ebpfRows.allSatisfy(\.isPlaceholder) {
                evidence.append(.msg("only placeholder rows of \(table.path) put \(release) outside: not reason enough to call it incompatible"))
                return Finding(fault: id, status: .unknown, evidence: evidence)
            }
            return present(host, facts: facts, release: release, evidence: evidence, missingOptions: [])
        }
    }

    /// The table's word on `release` when it puts it outside every row, labelled as secondary.
    func tableEvidence(release: String, family: DistroFamily?, rows: [KernelSupportTable.Row]) -> Message? {
        guard rows.isEmpty, let family, let table = try? table.get() else { return nil }
        let ranges = table.rows(for: family).map {
            "\($0.path) \($0.minimum.map(String.init).joined(separator: "."))–\($0.maximum.map(String.init).joined(separator: ".")) (\($0.source))"
        }
        return ranges.isEmpty ? .msg("secondary: the kernel support table lists no kernels for \(family.rawValue)")
                              : .msg("secondary: the kernel support table (\(table.path)) puts \(release) outside \(ranges.joined(separator: ", "))")
    }

    func present(_ host: any HostFacts, facts: KernelFacts, release: String, evidence: [Message], missingOptions: [String]) -> Finding {
        var evidence = evidence
        var steps: [Message] = []
        if !missingOptions.isEmpty {
            steps.append(.msg("Boot a kernel built with \(missingOptions.map { "CONFIG_\($0)=y" }.joined(separator: ", ")) (most distributions' standard kernels are)."))
        }
        var good: [String] = []
        if let family = facts.family, let table = try? table.get() {
            switch packages.database {
            case .failure(let error):
                evidence.append(.msg("the installed kernels could not be listed: \(error)"))
            case .success(let database):
                let installed: [String]
                do { installed = try Self.installedKernels(family, database: database, host: host) } catch {
                    installed = []
                    evidence.append(.msg("the installed kernels could not be listed: \(error)"))
                }
                good = Set(installed.filter { $0 != release && !table.paths(for: $0, family: family).isEmpty }).sorted(by: KernelVersion.newer)
                evidence.append(installed.isEmpty ? .msg("installed kernels (\(database.kind)): none found")
                                                  : .msg("installed kernels (\(database.kind)): \(installed.sorted(by: KernelVersion.newer).joined(separator: ", "))"))
                if let best = good.first {
                    steps.append(.msg("Boot an installed kernel the support table lists (\(good.joined(separator: ", "))) once ampfix preflight --kernel \(best.shellWord) predicts no fault 16 for it: \(Self.bootCommand(best, family: family)), then reboot; or upgrade the connector to a version that supports \(release)."))
                }
            }
        }
        if good.isEmpty {
            steps.append(.msg("Upgrade the connector to a version that supports \(release), or install a kernel it supports and check it with ampfix preflight --kernel RELEASE before you reboot."))
        }
        let build = ModuleBuildFacts.alternative(host, facts: facts, release: release, kernel: kernel, packages: packages)
        evidence += build.evidence
        steps += build.steps
        return Finding(fault: id, status: .present, evidence: evidence, manualSteps: steps)
    }

    static func bootCommand(_ release: String, family: DistroFamily) -> String {
        switch family {
        case .rhel, .oracle: return "grubby --set-default " + "/boot/vmlinuz-\(release)".shellWord
        case .suse: return "grub2-set-default with the menu entry of \(release) (grep menuentry /boot/grub2/grub.cfg)"
        case .debian: return "grub-set-default with the menu entry of \(release) (grep menuentry /boot/grub/grub.cfg), e.g. \"Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux \(release)\""
        }
    }
}
