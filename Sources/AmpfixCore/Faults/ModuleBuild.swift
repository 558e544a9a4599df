/// Faults 8 and 9 on a kernel the connector ships no module for: the module is built from its
/// source with DKMS (which also rebuilds it for every later kernel), after the kernel's header
/// package, then loaded. DKMS is a command, as useradd is: ampfix plans it and reads its tree.
extension KernelModuleFault {
    /// Cisco's guide to building the modules: its title, named as it is (not translated).
    public static let buildingGuide = "Building Cisco Secure Endpoint Linux Connector Kernel Modules"

    func buildFinding(_ host: any HostFacts, facts: KernelFacts, release: String, secureBoot: SecureBoot, evidence: [Message]) -> Finding {
        var finding = Finding(fault: id, status: .present, evidence: evidence)
        let shipped: Message = .msg("Boot a kernel the connector ships \(moduleName) for (see fault 16: ampfix --fault 16)")
        let (found, notes) = ModuleSource.find(moduleName, given: kernel.options.moduleSources, host: host)
        finding.evidence += notes
        guard let source = found else {
            finding.manualSteps = [
                .msg("\(shipped), or build \(moduleName) for \(release) from its published source with DKMS: ampfix --fault \(id) --module-source DIR (see \(verbatim: Self.buildingGuide))."),
            ]
            return finding
        }
        finding.evidence.append(.msg("source of \(moduleName): \(source.message)"))
        if let commands = source.conf?.commands, !commands.isEmpty {
            finding.evidence.append(.msg("DKMS sources \(source.directory)/dkms.conf with bash as root and runs what it says: \(verbatim: commands.joined(separator: " | "))"))
        }
        let state = DKMSState.read(host, module: source.module, version: source.version, kernel: release)
        finding.evidence.append(.msg("DKMS: \(source.module) \(source.version) is \(state.description(kernel: release))"))
        guard let running = host.runningKernel() else {
            finding.manualSteps = [
                .msg("A DKMS build runs the system's own compiler and make, so ampfix builds only on the live host: inside the image (chroot), run ampfix --fault \(id) --module-source \(source.directory.shellWord)."),
                .msg("\(shipped)."),
            ]
            return finding
        }
        guard let dkms = DKMSConf.programs.first(where: host.exists) else {
            finding.evidence.append(.msg("DKMS is not installed (no /usr/sbin/dkms)"))
            finding.manualSteps = [.msg("Install DKMS (apt-get install dkms; dnf install dkms, from EPEL; zypper install dkms), then run ampfix --fault \(id) again."), .msg("\(shipped).")]
            return finding
        }
        if source.directory != source.dkmsDirectory && host.exists(source.dkmsDirectory) {
            finding.evidence.append(.msg("\(source.dkmsDirectory) exists already and is not \(source.directory): DKMS would build that one"))
            finding.manualSteps = [.msg("Build from \(source.dkmsDirectory) (ampfix --fault \(id) without --module-source), or move it away and run ampfix --fault \(id) --module-source \(source.directory.shellWord) again.")]
            return finding
        }
        if state.installed {
            finding.evidence.append(.msg("\(dkms) installed \(source.module) \(source.version) for \(release), yet the kernel's module index does not list it"))
            finding.manualSteps = [.msg("Rebuild the index (depmod \(release)), then run ampfix --fault \(id) again.")]
            return finding
        }
        let build = "/lib/modules/\(release)/build"
        if !host.exists(build + "/Makefile") {
            let headers: Finding
            if let packages {
                headers = KernelHeadersFault(kernel: kernel, packages: packages).headersFinding(host, facts: facts, release: release, evidence: [])
            } else {
                headers = Finding(fault: id, status: .unknown, evidence: [.msg("the package databases were not opened")])
            }
            finding.evidence.append(.msg("DKMS needs the headers of \(release), which are not at \(build): \(Message.joined(headers.evidence, separator: "; "))"))
            guard !headers.repairs.isEmpty else {
                finding.manualSteps = headers.manualSteps + [.msg("Then run ampfix --fault \(id) again to build \(moduleName) with DKMS."), .msg("\(shipped).")]
                return finding
            }
            finding.repairs += headers.repairs
        }
        finding.repairs.append(.dkmsInstall(source, kernel: release, state: state))
        if source.conf?.autoinstall ?? true {
            finding.evidence.append(.msg("AUTOINSTALL: DKMS builds \(source.module) again for every kernel installed later"))
        }
        // Under Secure Boot the build loads only with DKMS's key in the MOK list: for another
        // kernel too (a kernel hook's check before the reboot), where the key is the same.
        var enrolled = true
        if secureBoot == .enabled {
            let key = DKMSSigningKey.locate(host, os: facts.os)
            let enrollment = key.enrollment(host)
            finding.evidence.append(Self.describe(enrollment, key))
            enrolled = enrollment == .enrolled
            if !enrolled { finding.manualSteps += enrollSteps(key) }
        }
        if release != running {
            // Never loaded into the running kernel: the build is for the one booted next.
            finding.manualSteps.append(.msg("\(release) is not the running kernel (\(running)): boot it, then run ampfix --fault \(id) to load \(moduleName)."))
        } else if enrolled {
            finding.repairs.append(.loadKernelModule(name: moduleName, kernel: release, built: true))
        }
        return finding
    }

    /// "UEFI Secure Boot: DKMS signs with /var/lib/dkms/mok.pub (DKMS's default), which is not
    /// among the 2 certificates of the MOK list"
    static func describe(_ enrollment: DKMSSigningKey.Enrollment, _ key: DKMSSigningKey) -> Message {
        let configured: Message = key.configuredIn.map { .msg("mok_certificate in \($0)") } ?? .msg("DKMS's default here")
        let signer: Message = .msg("UEFI Secure Boot: DKMS signs with \(key.certificate) (\(configured))")
        switch enrollment {
        case .enrolled: return .msg("\(signer), which is enrolled in the MOK list (MokListRT): the kernel trusts its builds")
        case .notEnrolled(let count): return .msg("\(signer), which is not among the \(count) certificates of the MOK list (MokListRT): the kernel refuses its builds")
        case .noCertificate: return .msg("\(signer), which does not exist yet (DKMS makes the key at its first build): it cannot be enrolled yet")
        case .unknown(let why): return .msg("\(signer); whether it is enrolled is not known: \(why)")
        }
    }

    /// The exact steps that enroll DKMS's key; the last one is a console only an operator reaches.
    func enrollSteps(_ key: DKMSSigningKey) -> [Message] {
        [
            .msg("Enroll DKMS's key: mokutil --import \(key.certificate.shellWord) (it asks for a one-time password; DKMS makes the key at its first build, which this run makes)."),
            .msg("Reboot; on the console the MOK manager asks: choose Enroll MOK, Continue, Yes, and give that password."),
            .msg("Then run ampfix --fault \(id): the kernel trusts DKMS's builds and \(moduleName) loads."),
        ]
    }
}

/// What fault 16 says of DKMS builds of the connector's modules, for a kernel the connector
/// monitors through them (up to 4.14; later ones through eBPF): where they can be built for
/// the kernel (a source is present, the headers are there or installable), the build is the
/// alternative to changing the kernel; where DKMS already rebuilds them for every kernel
/// (AUTOINSTALL), the next kernel update is covered.
enum ModuleBuildFacts {
    static let modules: [(name: String, fault: FaultID)] = [("ampfsm", .filesystemMonitor), ("ampnetworkflow", .networkMonitor)]

    static func alternative(_ host: any HostFacts, facts: KernelFacts, release: String, kernel: KernelContext,
                            packages: PackageSource) -> (evidence: [Message], steps: [Message]) {
        // A kernel the connector monitors through eBPF has no use for its modules.
        guard Preflight.runsModules(release) else { return ([], []) }
        var evidence: [Message] = []
        var buildable: [(name: String, fault: FaultID, option: String)] = []
        for (name, fault) in modules {
            guard let source = ModuleSource.find(name, given: kernel.options.moduleSources, host: host).0 else { continue }
            let state = DKMSState.read(host, module: name, version: source.version, kernel: release)
            if state.installed {
                evidence.append(.msg("DKMS built \(name) \(source.version) for \(release)"))
            }
            if state.added && (source.conf?.autoinstall ?? false) {
                evidence.append(.msg("DKMS rebuilds \(name) \(source.version) for every kernel installed (AUTOINSTALL in \(source.dkmsDirectory)/dkms.conf): the next kernel update is covered"))
            }
            if !state.installed {
                buildable.append((name, fault, source.origin == .option ? " --module-source \(source.directory)" : ""))
            }
        }
        guard !buildable.isEmpty else { return (evidence, []) }
        let headers = host.exists("/lib/modules/\(release)/build/Makefile")
            || !KernelHeadersFault(kernel: kernel, packages: packages).headersFinding(host, facts: facts, release: release, evidence: []).repairs.isEmpty
        guard headers else {
            evidence.append(.msg("a source of \(buildable.map(\.name).joined(separator: " and ")) is here, but no header package of \(release) is installed or installable, so DKMS cannot build for it"))
            return (evidence, [])
        }
        let command = "ampfix" + buildable.map { " --fault \($0.fault)" + $0.option }.joined()
        return (evidence, [.msg("Or build \(buildable.map(\.name).joined(separator: " and ")) for \(release) with DKMS, which also rebuilds them for every later kernel: \(command).")])
    }
}
