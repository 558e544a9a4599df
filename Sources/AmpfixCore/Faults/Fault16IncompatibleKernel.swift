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
        check: { IncompatibleKernelFault(kernel: $0.kernel, packages: $0.sources.packages, table: $0.sources.kernelSupport) }
    )
}

/// Fault 16: the running kernel is outside what the connector supports, by a support table that
/// ships with ampfix as data. Never repaired automatically: ampfix names the installed kernels
/// that are supported and the command that boots one.
public struct IncompatibleKernelFault: FaultCheck {
    public let id = FaultID.incompatibleKernel
    public let kernel: KernelContext
    public let packages: PackageSource
    public let table: Result<KernelSupportTable, KernelSupportTable.Malformed>

    public init(options: RepairOptions, packages: PackageSource, table: Result<KernelSupportTable, KernelSupportTable.Malformed>) {
        self.init(kernel: KernelContext(options: options), packages: packages, table: table)
    }

    public init(kernel: KernelContext, packages: PackageSource, table: Result<KernelSupportTable, KernelSupportTable.Malformed>) {
        self.kernel = kernel
        self.packages = packages
        self.table = table
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
        let table: KernelSupportTable
        switch self.table {
        case .success(let t): table = t
        case .failure(let error): return Finding(fault: id, status: .unknown, evidence: evidence + [.msg("cannot read the kernel support table: \(error)")])
        }
        guard let release = facts.release else { return Finding(fault: id, status: .unknown, evidence: evidence) }
        guard let family = facts.family else {
            return Finding(fault: id, status: .unknown, evidence: evidence + [.msg("\(table.path) has no rows for this distribution")])
        }
        let supported = table.paths(for: release, family: family)
        if !supported.isEmpty {
            evidence.append(.msg("\(release) is supported on \(family.rawValue) for \(supported.map { "\($0.path) (\(table.path):\($0.line))" }.joined(separator: ", "))"))
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        let ranges = table.rows(for: family).map { "\($0.path) \($0.minimum.map(String.init).joined(separator: "."))–\($0.maximum.map(String.init).joined(separator: "."))" }
        evidence.append(ranges.isEmpty ? .msg("\(release) is outside the supported kernels for \(family.rawValue): none listed")
                                       : .msg("\(release) is outside the supported kernels for \(family.rawValue): \(ranges.joined(separator: ", "))"))

        var steps: [Message] = []
        switch packages.database {
        case .failure(let error):
            evidence.append(.msg("the installed kernels could not be listed: \(error)"))
        case .success(let database):
            let installed: [String]
            do { installed = try Self.installedKernels(family, database: database, host: host) } catch {
                installed = []
                evidence.append(.msg("the installed kernels could not be listed: \(error)"))
            }
            let good = Set(installed.filter { $0 != release && !table.paths(for: $0, family: family).isEmpty }).sorted(by: KernelVersion.newer)
            evidence.append(installed.isEmpty ? .msg("installed kernels (\(database.kind)): none found")
                                              : .msg("installed kernels (\(database.kind)): \(installed.sorted(by: KernelVersion.newer).joined(separator: ", "))"))
            if let best = good.first {
                steps.append(.msg("Boot a supported installed kernel (\(good.joined(separator: ", "))): \(Self.bootCommand(best, family: family)), then reboot."))
            }
        }
        steps.append(.msg("Or upgrade the connector to a version that supports \(release)."))
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
