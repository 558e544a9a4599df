/// Another process holding a fanotify group (`anon_inode:[fanotify]` among its descriptors).
public struct FanotifyUser: Sendable, Equatable {
    public var pid: Int32
    public var command: String
    public init(pid: Int32, command: String) {
        self.pid = pid
        self.command = command
    }
}

/// The processes that use fanotify (live only: /proc of the running system).
public protocol FanotifyUsers {
    func users() -> Result<[FanotifyUser], BPFUnavailable>
}

/// `ampfix preflight`: which faults the connector would raise if it were installed now (or after
/// booting `--kernel`), from the same checks as the diagnosis, asked the question before the
/// connector is there.
public enum Preflight {
    /// Kernels up to this one are monitored through the connector's kernel modules (ampfsm,
    /// ampnetworkflow hook the kernel through jprobes, which Linux removed in 4.15), later ones
    /// through eBPF.
    static let lastModuleKernel = [4, 14]

    /// Whether the connector monitors `release` through its kernel modules (faults 8 and 9),
    /// not through eBPF.
    static func runsModules(_ release: String) -> Bool {
        let numbers = KernelVersion.numbers(release)
        return numbers.count >= 2 && numbers[0] >= 2 && KernelVersion.compare(numbers, toBound: lastModuleKernel) <= 0
    }

    public static func predict(_ host: any HostFacts, sources: FaultSources, options: RepairOptions, fanotify: (any FanotifyUsers)?) -> [Prediction] {
        var options = options
        options.kernelEvidence = .full
        let context = FaultContext(options: options, sources: sources, run: "preflight")
        func finding(_ id: FaultID) -> Finding? {
            FaultRegistry.standard.definition(id).map { $0.check(context).diagnose(host, depth: .thorough) }
        }
        func title(_ id: FaultID) -> Message { .fromFaultCatalog(FaultRegistry.standard.definition(id)?.english.title ?? "fault \(id)") }
        let installed = host.exists(ConnectorVerdict.installedPath)
        let release = context.kernel.facts(host).release
        var predictions: [Prediction] = []

        predictions.append(scanUser(host, installed: installed, title: title(.scanUserUnavailable), finding: finding))

        // Faults 8 and 9: only kernels the connector monitors through its modules.
        let moduleKernel = release.map(runsModules) ?? false
        for id in [FaultID.filesystemMonitor, .networkMonitor] {
            guard moduleKernel, let release else {
                predictions.append(Prediction(check: "\(id)", fault: id, outcome: .clear, blocks: true, title: title(id),
                                              evidence: [.msg("the connector monitors \(release ?? "this kernel") through eBPF, not its kernel modules (fault 16 covers it)")],
                                              prevention: [], fixable: false))
                continue
            }
            guard installed, let found = finding(id) else {
                predictions.append(Prediction(check: "\(id)", fault: id, outcome: .unknown, blocks: true, title: title(id),
                                              evidence: [.msg("\(release) is monitored through the connector's kernel modules, which its package brings: checked once it is installed")],
                                              prevention: [], fixable: false))
                continue
            }
            predictions.append(from(found, title: title(id), blocks: true))
        }

        if let headers = finding(.kernelHeadersMissing) {
            predictions.append(from(headers, title: title(.kernelHeadersMissing), blocks: true))
        }
        if let kernel = finding(.incompatibleKernel) {
            predictions.append(from(kernel, title: title(.incompatibleKernel), blocks: true))
        }
        let selinux = finding(.selinuxPolicyMissing)
        if let selinux {
            // Fault 19 is present only where SELinux enforces: there it blocks the programs.
            predictions.append(from(selinux, title: title(.selinuxPolicyMissing), blocks: true))
        }
        predictions += requirements(host, sources: sources, installed: installed, fanotify: fanotify, moduleInPlace: selinux?.status == .ok)
        return predictions
    }

    /// A finding turned into a prediction: present is predicted, ok and not-applicable clear.
    static func from(_ finding: Finding, title: Message, blocks: Bool) -> Prediction {
        let outcome: Prediction.Outcome = switch finding.status {
        case .present, .accepted: .predicted
        case .ok, .notApplicable: .clear
        case .unknown: .unknown
        }
        var prevention = finding.manualSteps
        if !finding.repairs.isEmpty { prevention.insert(.msg("ampfix --fault \(finding.fault) (or ampfix preflight --fix) prevents it"), at: 0) }
        return Prediction(check: "\(finding.fault)", fault: finding.fault, outcome: outcome, blocks: blocks, title: title,
                          evidence: finding.evidence, prevention: outcome == .predicted ? prevention : [], fixable: !finding.repairs.isEmpty)
    }

    /// Fault 5 before the connector: its installer creates the scan user with useradd, which
    /// gives it a group of its own only where USERGROUPS_ENAB is yes.
    static func scanUser(_ host: any HostFacts, installed: Bool, title: Message, finding: (FaultID) -> Finding?) -> Prediction {
        let id = FaultID.scanUserUnavailable
        if installed, let found = finding(id) { return from(found, title: title, blocks: false) }
        let account = ScanUserFault().checkAccount(host)
        if account.status == .ok || account.status == .unknown { return from(account, title: title, blocks: false) }
        let defs = (try? host.readBytes(ScanUserFault.loginDefsPath)).map { LoginDefs(path: ScanUserFault.loginDefsPath, bytes: $0) }
        guard let defs, !defs.userGroupsEnabled else {
            return Prediction(check: "\(id)", fault: id, outcome: .clear, blocks: false, title: title,
                              evidence: account.evidence + [.msg("the connector's installer creates \(ScanUserFault.accountName) with a group of its own here")],
                              prevention: [], fixable: true)
        }
        return Prediction(check: "\(id)", fault: id, outcome: .predicted, blocks: false, title: title, evidence: account.evidence,
                          prevention: [.msg("ampfix --fault 5 (or ampfix preflight --fix) creates \(ScanUserFault.accountName) with its own group before the installer runs"),
                                       .msg("or run the installer through ampfix with-user-groups -- INSTALLER (USERGROUPS_ENAB yes while it runs, login.defs restored byte for byte)")],
                          fixable: true)
    }

    /// What the connector needs that is no fault of its own list: disk, memory, fanotify to
    /// itself, the SELinux tools its installer uses. None blocks monitoring.
    /// - Parameter moduleInPlace: cisco-secure-bpf is installed and enabled (fault 19 ok): the
    ///   installer need not add it, so its tools are no longer needed for it.
    static func requirements(_ host: any HostFacts, sources: FaultSources, installed: Bool, fanotify: (any FanotifyUsers)?,
                             moduleInPlace: Bool = false) -> [Prediction] {
        var predictions: [Prediction] = []
        let place = [ConnectorVerdict.installedPath, "/opt", "/"].first { host.exists($0) } ?? "/"
        let disk = ScanServiceFailedToStartFault.checkDisk(host, at: place)
        predictions.append(requirement("disk-space", fault: .scanServiceFailedToStart, .msg("Free disk space for the connector"), disk))
        // Memory and other programs are a running system's: not asked of an image.
        if host.runningKernel() != nil {
            let memory = ScanServiceFailedToStartFault.checkMemory(host)
            predictions.append(requirement("memory", fault: .scanServiceFailedToStart, .msg("Available memory for the scanner"), memory))
        }

        if let fanotify {
            switch fanotify.users() {
            case .success(let users):
                let others = users.map { "\($0.command) (pid \($0.pid))" }
                predictions.append(Prediction(
                    check: "fanotify", fault: nil, outcome: others.isEmpty ? .clear : .predicted, blocks: false,
                    title: .msg("Another program using fanotify"),
                    evidence: others.isEmpty ? [.msg("no other process holds a fanotify group (/proc/*/fd)")]
                                             : [.msg("processes holding a fanotify group (/proc/*/fd): \(others.joined(separator: ", "))")],
                    prevention: others.isEmpty ? [] : [.msg("Another on-access scanner or file monitor competes with the connector for file events; exclude the connector's processes in it, or stop it before installing the connector.")],
                    fixable: false))
            case .failure(let unavailable):
                predictions.append(Prediction(check: "fanotify", fault: nil, outcome: .unknown, blocks: false, title: .msg("Another program using fanotify"),
                                              evidence: [unavailable.reason], prevention: [], fixable: false))
            }
        }

        if let status = try? sources.selinux.status(), status.mode != .disabled {
            let present = host.exists(SELinuxModuleFault.semanageTool)
            let needed = !present && !moduleInPlace
            let evidence: Message = present ? .msg("\(SELinuxModuleFault.semanageTool) (policycoreutils-python-utils) is installed")
                : moduleInPlace ? .msg("\(SELinuxModuleFault.semanageTool) is not installed, and need not be: cisco-secure-bpf is in place, so the connector's installer has no module to add")
                : .msg("\(SELinuxModuleFault.semanageTool) is not installed: the connector's installer needs policycoreutils-python-utils (policycoreutils-python on EL7) to add the module itself")
            predictions.append(Prediction(
                check: "policycoreutils", fault: .selinuxPolicyMissing, outcome: needed ? .predicted : .clear, blocks: false,
                title: .msg("SELinux tools for the connector's installer"), evidence: [evidence],
                prevention: needed ? [.msg("Install policycoreutils-python-utils (policycoreutils-python on EL7), or let ampfix --fault 19 install the module.")] : [],
                fixable: false))
        }
        return predictions
    }

    static func requirement(_ check: String, fault: FaultID, _ title: Message, _ finding: Finding) -> Prediction {
        let outcome: Prediction.Outcome = finding.status == .present ? .predicted : finding.status == .notApplicable ? .unknown : .clear
        let evidence = finding.evidence.isEmpty ? [Message.msg("not measured: the figure could not be read here")] : finding.evidence
        return Prediction(check: check, fault: fault, outcome: outcome, blocks: false, title: title, evidence: evidence,
                          prevention: outcome == .predicted ? finding.manualSteps : [], fixable: false)
    }
}

extension Preflight {
    /// Whether the connector is installed under the root (preflight asks with or without it).
    public static func connectorInstalled(_ host: any HostFacts) -> Bool { host.exists(ConnectorVerdict.installedPath) }
}
