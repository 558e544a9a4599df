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
            return Finding(fault: id, status: .unknown, evidence: evidence, manualSteps: ["Name the kernel: ampfix --kernel RELEASE --fault 11"])
        }
        let (btf, btfEvidence) = Self.btf(host, release: release, running: facts.releaseSource == .running)
        evidence += btfEvidence
        if btf {
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        let build = "/lib/modules/\(release)/build"
        if host.exists(build + "/Makefile") || host.exists(build + "/include") {
            evidence.append("the headers of \(release) are on disk at \(build)")
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        evidence.append("no headers for \(release) at \(build)")
        guard let family = facts.family else {
            evidence.append("ampfix knows no header package for this distribution (\(facts.os?.summary ?? "no os-release"))")
            return Finding(fault: id, status: .unknown, evidence: evidence, manualSteps: ["Install the kernel header (development) package of \(release) with the distribution's package manager."])
        }
        let package = HeaderPackage.forKernel(release, family: family)
        evidence.append("the header package of \(release) is \(package.name)" + (package.match == .any ? "" : " \(package.installSpec)"))

        var candidate: String?
        switch packages.database {
        case .failure(let error):
            evidence.append("whether \(package.name) is installed or installable could not be looked up: \(error)")
        case .success(let database):
            do {
                if let found = try database.lookup(package.name) {
                    if package.isSatisfied(by: found.installed) {
                        evidence.append("\(package.name) is installed (\(database.kind): \(found.installed.joined(separator: ", ")))")
                        return Finding(fault: id, status: .ok, evidence: evidence)
                    }
                    candidate = found.candidate
                    let installed = found.installed.isEmpty ? "not installed" : "installed only as \(found.installed.joined(separator: ", "))"
                    evidence.append("\(package.name) is \(installed); " + (found.candidate.map { "candidate \($0) (\(database.kind))" }
                        ?? (database.kind.knowsCandidates ? "no candidate: no repository offers it" : "librpm cannot see repositories, so the candidate is not known")))
                } else {
                    evidence.append("\(database.kind) knows no package \(package.name)")
                }
            } catch {
                evidence.append("whether \(package.name) is installed could not be looked up: \(error)")
            }
        }

        let install = Self.installCommand(package, family: family, host: host)
        let command = ([install.tool] + install.arguments).joined(separator: " ")
        var finding = Finding(fault: id, status: .present, evidence: evidence)
        if let blocker = host.packageInstallBlocker() {
            finding.evidence.append("not installing now: \(blocker)")
            finding.manualSteps.append("Install it when no package transaction is running (for an image: chroot into it): \(command)")
        } else if candidate != nil || family != .debian {
            finding.repairs.append(.installPackages(tool: install.tool, arguments: install.arguments, packages: [package.installSpec]))
        } else {
            finding.manualSteps.append("No installable \(package.name) was found: refresh the package lists, or upgrade to a kernel the distribution still ships headers for (the preferred fix), then run ampfix --fault 11 again.")
        }
        finding.manualSteps.append("Preferably, upgrade to a kernel with BTF (CONFIG_DEBUG_INFO_BTF=y) and restart the connector.")
        return finding
    }

    /// BTF in the running kernel (/sys/kernel/btf/vmlinux), else CONFIG_DEBUG_INFO_BTF=y in
    /// /boot/config-RELEASE, else in /proc/config.gz (running kernel only).
    static func btf(_ host: any HostFacts, release: String, running: Bool) -> (Bool, [String]) {
        var notes: [String] = []
        if running && host.exists("/sys/kernel/btf/vmlinux") {
            return (true, ["BTF: /sys/kernel/btf/vmlinux exists, so the connector needs no headers"])
        }
        let config = "/boot/config-\(release)"
        do {
            if let text = try host.readText(config) {
                if Self.enablesBTF(text) { return (true, ["BTF: CONFIG_DEBUG_INFO_BTF=y in \(config), so the connector needs no headers"]) }
                notes.append("CONFIG_DEBUG_INFO_BTF is not set in \(config)")
            } else {
                notes.append("no \(config)")
            }
            if running && !host.exists("/proc/self") {
                // A chroot or image build without /proc: say so rather than read its absence as "not set".
                notes.append("/proc is not mounted: /proc/config.gz was not read")
            } else if running, let text = try host.readCompressedText("/proc/config.gz") {
                if Self.enablesBTF(text) { return (true, ["BTF: CONFIG_DEBUG_INFO_BTF=y in /proc/config.gz"]) }
                notes.append("CONFIG_DEBUG_INFO_BTF is not set in /proc/config.gz")
            }
        } catch {
            notes.append("cannot read the kernel configuration: \(error)")
        }
        if running { notes.insert("no /sys/kernel/btf/vmlinux", at: 0) }
        return (false, notes)
    }

    static func enablesBTF(_ config: String) -> Bool {
        textLines(config).contains { $0.hasPrefix("CONFIG_DEBUG_INFO_BTF=y") }
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
