extension FaultID {
    public static let kernelHeadersMissing = FaultID(declaring: 11)
}

extension FaultDefinition {
    /// Fault 11 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let kernelHeadersMissing = FaultDefinition(
        id: .kernelHeadersMissing,
        journalMessageID: "dbb2efd7a660487da55913773da33ef9",
        repairs: true,
        english: FaultTexts(
            title: "Kernel headers package missing",
            condition: "The running kernel has no BTF type information (CONFIG_DEBUG_INFO_BTF) and the header package for it is not installed, so filesystem and network events are monitored in a degraded mode.",
            resolution: [
                "Preferably, upgrade to a kernel with BTF and restart the connector.",
                "Otherwise install the header package of the running kernel: kernel-devel (RHEL family), kernel-uek-devel (Oracle Linux UEK), linux-headers (Debian, Ubuntu) or kernel-default-devel (SUSE).",
            ],
            automaticRepairs: ["install the header package of the running kernel with the package manager (live host, outside package transactions)"]
        ),
        check: { KernelHeadersFault(kernel: $0.kernel, packages: $0.sources.packages) }
    )
}

/// Fault 11: the connector needs BTF in the running kernel or that kernel's header package.
public struct KernelHeadersFault: FaultCheck {
    public let id = FaultID.kernelHeadersMissing
    public let kernel: KernelContext
    public let packages: PackageSource

    public init(kernel: KernelContext, packages: PackageSource) {
        self.kernel = kernel
        self.packages = packages
    }

    public init(options: RepairOptions, packages: PackageSource) {
        self.init(kernel: KernelContext(options: options), packages: packages)
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        let facts = kernel.facts(host)
        var evidence = [facts.summary] + facts.notes
        guard let release = facts.release else {
            return Finding(fault: id, status: .unknown, evidence: evidence, manualSteps: [.msg("Name the kernel: ampfix --kernel RELEASE --fault 11")])
        }
        let (btf, btfEvidence) = Self.btf(host, release: release, running: facts.releaseSource == .running)
        evidence += btfEvidence
        if btf {
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        return headersFinding(host, facts: facts, release: release, evidence: evidence)
    }

    /// Whether the header package of `release` is installed, and the install that repairs it:
    /// fault 11's finding past its BTF check, and what a DKMS build of faults 8 and 9 needs first.
    func headersFinding(_ host: any HostFacts, facts: KernelFacts, release: String, evidence: [Message]) -> Finding {
        var evidence = evidence
        let build = "/lib/modules/\(release)/build"
        if host.exists(build + "/Makefile") || host.exists(build + "/include") {
            evidence.append(.msg("the headers of \(release) are on disk at \(build)"))
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        evidence.append(.msg("no headers for \(release) at \(build)"))
        guard let family = facts.family else {
            evidence.append(facts.os.map { .msg("ampfix knows no header package for this distribution (\($0.summary))") }
                            ?? .msg("ampfix knows no header package for this distribution (no os-release)"))
            return Finding(fault: id, status: .unknown, evidence: evidence, manualSteps: [.msg("Install the kernel header (development) package of \(release) with the distribution's package manager.")])
        }
        let package = HeaderPackage.forKernel(release, family: family)
        evidence.append(package.match == .any ? .msg("the header package of \(release) is \(package.name)")
                                              : .msg("the header package of \(release) is \(package.name) \(package.installSpec)"))

        var candidate: String?
        switch packages.database {
        case .failure(let error):
            evidence.append(.msg("whether \(package.name) is installed or installable could not be looked up: \(error)"))
        case .success(let database):
            do {
                if let found = try database.lookup(package.name) {
                    if package.isSatisfied(by: found.installed) {
                        evidence.append(.msg("\(package.name) is installed (\(database.kind): \(found.installed.joined(separator: ", ")))"))
                        return Finding(fault: id, status: .ok, evidence: evidence)
                    }
                    candidate = found.candidate
                    let installed: Message = found.installed.isEmpty ? .msg("\(package.name) is not installed")
                                                                     : .msg("\(package.name) is installed only as \(found.installed.joined(separator: ", "))")
                    let offered: Message = found.candidate.map { .msg("candidate \($0) (\(database.kind))") }
                        ?? (database.kind.knowsCandidates ? .msg("no candidate: no repository offers it") : .msg("librpm cannot see repositories, so the candidate is not known"))
                    evidence.append(.joined([installed, offered], separator: "; "))
                } else {
                    evidence.append(.msg("\(database.kind) knows no package \(package.name)"))
                }
            } catch {
                evidence.append(.msg("whether \(package.name) is installed could not be looked up: \(error)"))
            }
        }

        let install = Self.installCommand(package, family: family, host: host)
        let command = ShellCommand.line([install.tool] + install.arguments)
        var finding = Finding(fault: id, status: .present, evidence: evidence)
        if let blocker = host.packageInstallBlocker() {
            finding.evidence.append(.msg("not installing now: \(blocker)"))
            finding.manualSteps.append(.msg("Install it when no package transaction is running (for an image: chroot into it): \(command)"))
        } else if candidate != nil || family != .debian {
            finding.repairs.append(.installPackages(tool: install.tool, arguments: install.arguments, packages: [package.installSpec]))
        } else {
            finding.manualSteps.append(.msg("No installable \(package.name) was found: refresh the package lists, or upgrade to a kernel the distribution still ships headers for (the preferred fix), then run ampfix --fault 11 again."))
        }
        finding.manualSteps.append(.msg("Preferably, upgrade to a kernel with BTF (CONFIG_DEBUG_INFO_BTF=y) and restart the connector."))
        return finding
    }

    /// BTF in the running kernel (/sys/kernel/btf/vmlinux), else CONFIG_DEBUG_INFO_BTF=y in
    /// /boot/config-RELEASE, else in /proc/config.gz (running kernel only).
    static func btf(_ host: any HostFacts, release: String, running: Bool) -> (Bool, [Message]) {
        var notes: [Message] = []
        if running && host.exists("/sys/kernel/btf/vmlinux") {
            return (true, [.msg("BTF: /sys/kernel/btf/vmlinux exists, so the connector needs no headers")])
        }
        let config = "/boot/config-\(release)"
        do {
            if let text = try host.readText(config) {
                if Self.enablesBTF(text) { return (true, [.msg("BTF: CONFIG_DEBUG_INFO_BTF=y in \(config), so the connector needs no headers")]) }
                notes.append(.msg("CONFIG_DEBUG_INFO_BTF is not set in \(config)"))
            } else {
                notes.append(.msg("no \(config)"))
            }
            if running && !host.exists("/proc/self") {
                // A chroot or image build without /proc: say so rather than read its absence as "not set".
                notes.append(.msg("/proc is not mounted: /proc/config.gz was not read"))
            } else if running, let text = try host.readCompressedText("/proc/config.gz") {
                if Self.enablesBTF(text) { return (true, [.msg("BTF: CONFIG_DEBUG_INFO_BTF=y in /proc/config.gz")]) }
                notes.append(.msg("CONFIG_DEBUG_INFO_BTF is not set in /proc/config.gz"))
            }
        } catch {
            notes.append(.msg("cannot read the kernel configuration: \(error)"))
        }
        if running { notes.insert(.msg("no /sys/kernel/btf/vmlinux"), at: 0) }
        return (false, notes)
    }

    static func enablesBTF(_ config: String) -> Bool {
        KernelConfig(path: "", text: config).values["DEBUG_INFO_BTF"] == "y"
    }

    /// The package manager command for the family: the first whose tool is on the host, else
    /// the family's usual one (for the manual step; the plan's precondition then says it is missing).
    static func installCommand(_ package: HeaderPackage, family: DistroFamily, host: any HostFacts) -> (tool: String, arguments: [String]) {
        let candidates: [(String, [String])]
        switch family {
        case .debian: candidates = [("apt-get", ["install", "-y", package.installSpec])]
        case .rhel, .oracle: candidates = [("dnf", ["install", "-y", package.installSpec]), ("yum", ["install", "-y", package.installSpec])]
        case .suse: candidates = [("zypper", ["-n", "install", package.name])]
        }
        return candidates.first { tool, _ in ["/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/"].contains { host.exists($0 + tool) } } ?? candidates[0]
    }
}
