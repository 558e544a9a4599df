extension FaultID {
    public static let selinuxPolicyMissing = FaultID(declaring: 19)
}

extension FaultDefinition {
    /// Fault 19 as ampfix knows it: its texts (ampfix's own summaries of the connector's
    /// documentation, English and Simplified Chinese), whether ampfix repairs it, its check.
    public static let selinuxPolicyMissing = FaultDefinition(
        id: .selinuxPolicyMissing,
        journalMessageID: "fb9d3e2dbd6b4008a3fafdd8d5f01c68",
        repairs: true,
        english: FaultTexts(
            title: "SELinux policy module missing or disabled",
            condition: "SELinux is enforcing and the policy does not let unconfined_service_t use bpf (map_create map_read map_write prog_load prog_run), because the connector's cisco-secure-bpf module is missing, failed to load, or is disabled.",
            resolution: [
                "Make sure the policycoreutils-python tools are installed.",
                "Reinstall or upgrade the connector so that it installs cisco-secure-bpf, or install and enable the module by hand (semodule -i, semodule -e).",
            ],
            automaticRepairs: ["install or enable the cisco-secure-bpf module through libsemanage"]
        ),
        check: { SELinuxModuleFault(selinux: $0.sources.selinux, shipped: $0.sources.shippedModule) }
    )
}

/// Fault 19: SELinux enforces and the policy lacks
/// `allow unconfined_service_t self:bpf { map_create map_read map_write prog_load prog_run }`,
/// which the connector's module cisco-secure-bpf adds. Repaired by installing or enabling that
/// module through libsemanage — and, when it is already installed, enabled and identical, by
/// doing nothing at all (no transaction, no policy rebuild).
public struct SELinuxModuleFault: FaultCheck {
    public let id = FaultID.selinuxPolicyMissing
    public let selinux: any SELinuxFacts
    /// The module to install, or why it could not be read. Read (and syntax-checked) only when
    /// the diagnosis gets that far: a host with SELinux disabled or permissive never needs it.
    public var shipped: Result<ShippedPolicyModule, ShippedModuleError> { loadShipped() }
    private let loadShipped: () -> Result<ShippedPolicyModule, ShippedModuleError>

    public static let moduleName = "cisco-secure-bpf"
    public static let sourceType = "unconfined_service_t"
    public static let permissions = ["map_create", "map_read", "map_write", "prog_load", "prog_run"]
    /// A fresh install goes to priority 200, the convention for modules shipped by packages (400
    /// is semodule's default for an administrator's own). A module already installed is replaced
    /// at the priority where it is active, so that the new content is the one in force.
    public static let packagedPriority: UInt16 = 200
    /// The semanage command line tool, which the connector's installer uses.
    public static let semanageTool = "/usr/sbin/semanage"

    public struct ShippedModuleError: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public init(selinux: any SELinuxFacts, shipped: @autoclosure @escaping () -> Result<ShippedPolicyModule, ShippedModuleError>) {
        self.selinux = selinux
        loadShipped = shipped
    }

    public func diagnose(_ host: any HostFacts, depth: DiagnosisDepth) -> Finding {
        let status: SELinuxStatus
        do {
            status = try selinux.status()
        } catch {
            return Finding(fault: id, status: .unknown, evidence: [.msg("cannot read the SELinux state: \(error)")])
        }
        var state: [Message] = [.msg("SELinux is \(status.mode.rawValue) (\(status.source))")]
        if let configured = status.configuredMode, configured != status.mode { state.append(.msg("configured \(configured.rawValue) for the next boot")) }
        if let policy = status.policyType { state.append(.msg("policy \(policy)")) }
        var evidence: [Message] = [.joined(state, separator: "; ")]
        switch status.mode {
        case .disabled:
            return Finding(fault: id, status: .notApplicable, evidence: evidence)
        case .permissive:
            evidence.append(.msg("permissive mode denies nothing, so the connector is not blocked"))
            return Finding(fault: id, status: .ok, evidence: evidence)
        case .enforcing:
            break
        }
        guard let store = status.policyType else {
            return Finding(fault: id, status: .unknown, evidence: evidence + [.msg("no policy type (SELINUXTYPE) is configured, so there is no module store to check")])
        }
        if host.exists(Self.semanageTool) {
            evidence.append(.msg("\(Self.semanageTool) (policycoreutils-python-utils) is installed"))
        } else {
            evidence.append(.msg("\(Self.semanageTool) is not installed: the connector's installer needs policycoreutils-python-utils (policycoreutils-python on EL7) to add the module itself"))
        }

        let installed: InstalledModule?
        do {
            installed = try selinux.activeModule(Self.moduleName, store: store)
        } catch {
            return Finding(fault: id, status: .unknown, evidence: evidence + [.msg("cannot read the module store \(store): \(error)")])
        }
        let access = selinux.checkAccess(sourceType: Self.sourceType, targetClass: "bpf", permissions: Self.permissions, store: store,
                                         thorough: depth == .thorough)
        evidence.append(Self.describe(access))
        // A computed denial decides: whatever the module store says, the connector is blocked.
        // (A grant does not: the connector raises the fault for a missing or disabled module.)
        let denied: [String]? = if case .denied(let missing) = access { missing } else { nil }

        let module: ShippedPolicyModule
        switch shipped {
        case .success(let m): module = m
        case .failure(let error):
            if let installed, installed.enabled {
                evidence.append(.msg("\(Self.moduleName) is installed and enabled at priority \(installed.priority); it cannot be compared with the shipped module: \(error)"))
                if let denied { return deniedAnyway(denied, evidence: evidence) }
                return Finding(fault: id, status: .ok, evidence: evidence)
            }
            let state: Message = installed == nil ? .msg("\(Self.moduleName) is not installed in store \(store)") : .msg("\(Self.moduleName) is disabled in store \(store)")
            return Finding(fault: id, status: .present, evidence: evidence + [
                state,
                .msg("cannot repair: \(error)"),
            ], manualSteps: [.msg("Give ampfix the module file: ampfix --fault 19 --policy-module /path/to/\(Self.moduleName).cil")])
        }

        guard let installed else {
            evidence.append(.msg("\(Self.moduleName) is not installed in store \(store)"))
            let after = PolicyModuleState(priority: Self.packagedPriority, content: module.content, languageExtension: module.languageExtension, enabled: true)
            let before = PolicyModuleState(priority: Self.packagedPriority, content: nil, languageExtension: module.languageExtension, enabled: true)
            return Finding(fault: id, status: .present, evidence: evidence, repairs: [.policyModule(store: store, name: Self.moduleName, before: before,
                    after: after)])
        }
        let identical = installed.content == module.content
        let enabled: Message = installed.enabled ? .msg("enabled") : .msg("disabled")
        let comparison: Message = identical ? .msg("identical to \(module.path)") : .msg("different from \(module.path)")
        evidence.append(.msg("\(Self.moduleName) is installed at priority \(installed.priority) (.\(installed.languageExtension)), \(enabled), \(comparison)"))
        if identical && installed.enabled {
            // The store has the module; the policy the kernel loads must be the store's too (a
            // commit killed half way leaves the old one in place). Asked before the policy's
            // decision: a stale policy denies, and the module is not to blame.
            if (try? selinux.builtPolicyMatchesStore(store)) == false {
                return Finding(fault: id, status: .present, evidence: evidence + [
                    .msg("the policy built for the kernel (/etc/selinux/\(store)/policy) is not the one the module store built (active/policy.kern): a commit was cut off, and \(Self.moduleName) may not be in the policy that is loaded"),
                ], manualSteps: [
                    .msg("Rebuild the policy from the store: semodule -s \(store.shellWord) -B (for an image: semodule -p ROOT -s \(store.shellWord) -B); ampfix rebuilds it itself when it finishes or undoes a run that was cut off."),
                ])
            }
            if let denied { return deniedAnyway(denied, evidence: evidence) }
            return Finding(fault: id, status: .ok, evidence: evidence)
        }
        let before = PolicyModuleState(priority: installed.priority, content: installed.content, languageExtension: installed.languageExtension,
                                       enabled: installed.enabled)
        let after = PolicyModuleState(priority: installed.priority, content: module.content, languageExtension: module.languageExtension, enabled: true)
        return Finding(fault: id, status: .present, evidence: evidence, repairs: [.policyModule(store: store, name: Self.moduleName, before: before,
                after: after)])
    }

    /// The module is in place and the policy still denies: nothing ampfix can install helps.
    private func deniedAnyway(_ missing: [String], evidence: [Message]) -> Finding {
        Finding(fault: id, status: .present, evidence: evidence + [
            .msg("\(Self.moduleName) is in place, yet the policy denies \(missing.joined(separator: " ")): the module does not grant what the connector needs"),
        ], manualSteps: [
            .msg("Compare the installed module with the connector's (semodule -E \(Self.moduleName)) and look for a higher-priority module or a deny rule overriding it (sesearch -A -s \(Self.sourceType) -c bpf)."),
            .msg("Reinstall the connector so that it installs its own \(Self.moduleName), then run ampfix --fault 19 again."),
        ])
    }

    static func describe(_ access: AccessCheck) -> Message {
        switch access {
        case .granted: return .msg("the policy grants \(sourceType) self:bpf { \(permissions.joined(separator: " ")) }")
        case .denied(let missing): return .msg("the policy does not grant \(sourceType) self:bpf { \(missing.joined(separator: " ")) }")
        case .typeUndefined(let type): return .msg("\(type) is not defined in this policy, so the rule is inert here (the module still installs: its rule is optional)")
        case .unavailable(let why): return .msg("the policy's decision could not be checked: \(why)")
        }
    }
}
