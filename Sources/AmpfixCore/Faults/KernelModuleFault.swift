/// The check of faults 8 and 9 (declared in Fault08FilesystemMonitor.swift and
/// Fault09NetworkMonitor.swift): the connector could not load its filesystem (ampfsm) or network
/// (ampnetworkflow) monitor module. Checked through libkmod: is the module in the running
/// kernel's depmod index, is it signed when Secure Boot is on, is it loaded. Repaired by loading
/// it (live host only); a module missing for this kernel or blocked by Secure Boot is explained.
public struct KernelModuleFault: FaultCheck {
    public let id: FaultID
    public let moduleName: String
    public let kernel: KernelContext
    public let modules: any KernelModules
    /// The package databases, for the header package a DKMS build needs (fault 11's change).
    public let packages: PackageSource?

    public static func filesystemMonitor(kernel: KernelContext, modules: any KernelModules, packages: PackageSource? = nil) -> KernelModuleFault {
        KernelModuleFault(id: .filesystemMonitor, moduleName: "ampfsm", kernel: kernel, modules: modules, packages: packages)
    }

    public static func networkMonitor(kernel: KernelContext, modules: any KernelModules, packages: PackageSource? = nil) -> KernelModuleFault {
        KernelModuleFault(id: .networkMonitor, moduleName: "ampnetworkflow", kernel: kernel, modules: modules, packages: packages)
    }

    public static func filesystemMonitor(options: RepairOptions, modules: any KernelModules) -> KernelModuleFault {
        filesystemMonitor(kernel: KernelContext(options: options), modules: modules)
    }

    public init(id: FaultID, moduleName: String, kernel: KernelContext, modules: any KernelModules, packages: PackageSource? = nil) {
        self.id = id
        self.moduleName = moduleName
        self.kernel = kernel
        self.modules = modules
        self.packages = packages
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        guard host.exists(ScanUserFault.connectorTree) else {
            return Finding(fault: id, status: .notApplicable, evidence: [.msg("\(ScanUserFault.connectorTree) does not exist: the connector is not installed here")])
        }
        let facts = kernel.facts(host)
        var evidence = [facts.summary]
        guard let release = facts.release else {
            return Finding(fault: id, status: .unknown, evidence: evidence, manualSteps: [.msg("Name the kernel: ampfix --kernel RELEASE --fault \(id)")])
        }
        let secureBoot = SecureBoot.read(host)
        switch secureBoot {
        case .enabled: evidence.append(.msg("UEFI Secure Boot is enabled (\(SecureBoot.variable))"))
        case .disabled: evidence.append(.msg("UEFI Secure Boot is disabled"))
        case .legacy: evidence.append(.msg("no /sys/firmware/efi: legacy boot, no Secure Boot"))
        case .unknown(let why): evidence.append(.msg("Secure Boot state unknown: \(why)"))
        }
        let signing = host.runningKernel() == nil ? ModuleSigning() : ModuleSigning.read(host)
        if signing.lockdown != nil || signing.sigEnforce != nil { evidence.append(signing.message) }
        let module: KernelModuleInfo?
        do {
            module = try modules.module(moduleName, kernel: release)
        } catch {
            return Finding(fault: id, status: .unknown, evidence: evidence + [.msg("cannot look \(moduleName) up: \(error)")])
        }
        guard let module else {
            evidence.append(.msg("\(moduleName) is not in the module index of \(release) (/lib/modules/\(release)/modules.dep)"))
            return buildFinding(host, facts: facts, release: release, secureBoot: secureBoot, evidence: evidence)
        }
        var found: [Message] = [.msg("\(moduleName) for \(release): \(module.path)")]
        if module.userBuilt { found.append(.msg("user-built (modinfo: '\(verbatim: module.description ?? "")')")) }
        found.append(module.signed ? .msg("signed") : .msg("not signed"))
        if let vermagic = module.vermagic { found.append(.msg("vermagic '\(verbatim: vermagic)'")) }
        evidence.append(.joined(found, separator: ", "))
        if secureBoot == .enabled && !module.signed {
            evidence.append(.msg("Secure Boot refuses unsigned modules, so \(moduleName) cannot load"))
            return Finding(fault: id, status: .present, evidence: evidence, manualSteps: [
                .msg("Disable UEFI Secure Boot in the firmware setup (or enroll a key and sign \(moduleName)), then restart the connector."),
            ])
        }
        if !module.signed && signing.refusesUnsigned {
            evidence.append(.msg("the kernel refuses unsigned modules (\(signing.message)), so \(moduleName) cannot load"))
            return Finding(fault: id, status: .present, evidence: evidence, manualSteps: [
                .msg("Sign \(moduleName) with a key the kernel trusts (DKMS does so for the builds it makes: ampfix --fault \(id) --module-source DIR), or boot without module.sig_enforce and lockdown."),
            ])
        }
        if module.signed && module.userBuilt && secureBoot == .enabled {
            let key = DKMSSigningKey.locate(host, os: facts.os)
            let enrollment = key.enrollment(host)
            evidence.append(Self.describe(enrollment, key))
            if enrollment != .enrolled {
                return Finding(fault: id, status: .present, evidence: evidence, manualSteps: enrollSteps(key))
            }
        }
        switch modules.loadState(moduleName) {
        case .loaded:
            if facts.releaseSource == .running, let stale = StaleBuild.read(host, module) {
                evidence.append(stale.evidence)
                return staleFinding(stale, release: release, host: host, evidence: evidence)
            }
            evidence.append(module.srcversion.map { .msg("\(moduleName) is loaded (srcversion \($0), the file's)") } ?? .msg("\(moduleName) is loaded"))
            return Finding(fault: id, status: .ok, evidence: evidence)
        case .builtin:
            evidence.append(.msg("\(moduleName) is built into the kernel"))
            return Finding(fault: id, status: .ok, evidence: evidence)
        case .unknown(let why):
            evidence.append(.msg("whether \(moduleName) loads is not checked: \(why)"))
            return Finding(fault: id, status: .ok, evidence: evidence)
        case .lookupFailed(let why):
            evidence.append(.msg("cannot tell whether \(moduleName) is loaded: \(why)"))
            return Finding(fault: id, status: .unknown, evidence: evidence)
        case .notLoaded:
            if let running = host.runningKernel(), running != release {
                // --kernel names another kernel: its modules are not the running kernel's to load.
                evidence.append(.msg("whether \(moduleName) loads is not checked: \(release) is not the running kernel (\(running))"))
                return Finding(fault: id, status: .ok, evidence: evidence)
            }
            evidence.append(.msg("\(moduleName) is not loaded"))
            return Finding(fault: id, status: .present, evidence: evidence,
                           repairs: [.loadKernelModule(name: moduleName, kernel: release)],
                           manualSteps: [.msg("If it still does not load, look for the kernel's reason in the journal (journalctl -k) or /var/log/messages.")])
        }
    }
}

/// A loaded module whose build is not the file's: their srcversions differ, as after a connector
/// upgrade replaced the file while the old build stayed loaded.
struct StaleBuild {
    var module: KernelModuleInfo
    /// The loaded build's srcversion (/sys/module/NAME/srcversion) and the file's (modinfo).
    var loaded: String
    var file: String

    /// The stale build of `module`, or nil when the two agree or cannot be told.
    static func read(_ host: any HostFacts, _ module: KernelModuleInfo) -> StaleBuild? {
        guard let file = module.srcversion,
              let text = try? host.readText("/sys/module/\(module.name)/srcversion") else { return nil }
        let loaded = text.trimming()
        guard !loaded.isEmpty, loaded != file else { return nil }
        return StaleBuild(module: module, loaded: loaded, file: file)
    }

    var evidence: Message {
        .msg("\(module.name) is loaded but stale: the loaded build's srcversion is \(loaded), the file's is \(file) (\(module.path) was replaced since it was loaded, as a connector upgrade does)")
    }
}

extension KernelModuleFault {
    /// A stale build is reloaded only when ampfix holds a copy of it (it keeps one of each build
    /// it loads), so that a new build that fails to load never leaves the connector without one.
    func staleFinding(_ stale: StaleBuild, release: String, host: any HostFacts, evidence: [Message]) -> Finding {
        var evidence = evidence
        guard let kept = KeptModuleBuilds.find(host, name: moduleName, srcversion: stale.loaded) else {
            evidence.append(.msg("ampfix holds no copy of the loaded build (it keeps one of each build it loads, under \(KeptModuleBuilds.directory)), so it does not unload it: if the new build failed, nothing could be loaded back"))
            return Finding(fault: id, status: .present, evidence: evidence, manualSteps: [
                .msg("Load the build on disk: restart the connector (systemctl restart cisco-amp), or stop it and run modprobe -r \(moduleName) && modprobe \(moduleName)."),
            ])
        }
        evidence.append(.msg("ampfix kept a copy of the loaded build when it loaded it: \(kept)"))
        return Finding(fault: id, status: .present, evidence: evidence,
                       repairs: [.reloadKernelModule(name: moduleName, kernel: release, loaded: stale.loaded, file: stale.file, fallback: kept)],
                       manualSteps: [
                           .msg("A module in use cannot be unloaded: if ampfix says \(moduleName) is in use, stop the connector (systemctl stop cisco-amp), run ampfix --fault \(id) again, then start it."),
                           .msg("If the new build fails to load, ampfix loads the kept build back and the fault stays present; the kernel's reason is in the report and in journalctl -k."),
                       ])
    }
}
