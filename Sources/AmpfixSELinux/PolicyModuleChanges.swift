import AmpfixCore
import AmpfixSystem
import Glibc

/// Applies policy-module changes through libsemanage, one transaction (one policy rebuild) per
/// change. A separate type from the facts (`SELinuxHost`), so that what the checks hold cannot
/// be cast to an applier.
public struct PolicyModuleChanges: ChangeApplier {
    let selinux: SELinuxHost

    public init(_ selinux: SELinuxHost) {
        self.selinux = selinux
    }

    public let kinds: Set<ChangeKind> = [.policyModule]

    /// The module's state at one priority.
    func current(_ name: String, priority: UInt16, in connection: SemanageStore) throws -> PolicyModuleState? {
        let entries = try connection.modules().filter { $0.name == name }
        let enabled = entries.first?.enabled ?? true
        guard let entry = entries.first(where: { $0.priority == priority }) else {
            return PolicyModuleState(priority: priority, content: nil, languageExtension: "", enabled: enabled)
        }
        let extracted = try connection.extract(name, priority: priority)
        return PolicyModuleState(priority: priority, content: FileContent(extracted.bytes), languageExtension: entry.languageExtension, enabled: entry.enabled)
    }

    static func matches(_ now: PolicyModuleState?, _ state: PolicyModuleState) -> Bool {
        guard let now else { return false }
        if state.content == nil { return now.content == nil }
        return now.content == state.content && now.enabled == state.enabled
    }

    public func state(of change: Change) throws -> ChangeState {
        guard let module = change.as(PolicyModuleChange.self) else {
            throw HostError(.msg("inspect"), change.target, .wrongAdapter(applies: "SELinux policy modules"))
        }
        let (store, name, before, after) = (module.store, module.name, module.before, module.after)
        let connection = try selinux.connect(store)
        let now = try current(name, priority: after.priority, in: connection)
        if Self.matches(now, after) { return .after }
        if Self.matches(now, before) { return .before }
        return .other(now?.message ?? .msg("unknown"))
    }

    public func precondition(of change: Change) -> Message? {
        guard let store = change.as(PolicyModuleChange.self)?.store else { return .msg("not a policy module change") }
        if geteuid() != 0 { return .msg("changing the module store needs root (running as uid \(geteuid()))") }
        do {
            _ = try selinux.connect(store)
            if try selinux.storeLockHolder(store) { return .msg("the store \(store) is locked by another tool right now (semodule, rpm); ampfix would wait up to \(Int(selinux.lockTimeout)) s") }
        } catch {
            return .of(error)
        }
        return nil
    }

    public func apply(_ change: Change) throws {
        guard let module = change.as(PolicyModuleChange.self) else {
            throw HostError(.msg("apply"), change.target, .wrongAdapter(applies: "SELinux policy modules"))
        }
        let (store, name, after) = (module.store, module.name, module.after)
        try selinux.waitForStore(store)
        let connection = try selinux.connect(store, reload: selinux.live)
        try connection.beginTransaction()
        let now = try current(name, priority: after.priority, in: connection)
        if let content = after.content {
            if now?.content != content {
                try connection.install(name, priority: after.priority, languageExtension: after.languageExtension, enabled: after.enabled,
                                       data: Array(content.bytes))
            }
            try connection.setEnabled(name, after.enabled)
        } else if now?.content != nil {
            try connection.remove(name, priority: after.priority)
        }
        do {
            try connection.commit()
        } catch {
            // Still holding the transaction lock: nobody else is building in the sandbox.
            try? selinux.fs.removeTree(SemanageStore.sandbox(store: store))
            throw error
        }
        // A commit that left an older policy in place (libsemanage found the leftovers of one
        // that was cut off) is not a change made: the policy is rebuilt from the store.
        _ = try selinux.rebuildIfStale(store)
    }

    /// libsemanage commits by renaming the store's `active` directory to `previous` and the
    /// sandbox to `active`; a process killed between the two renames leaves no `active`, and
    /// every later libsemanage call fails. Under the transaction lock, `previous` (the store
    /// before the interrupted commit, complete) is renamed back, as libsemanage's own rollback
    /// would have done; the half-built sandbox is left for libsemanage, which removes it at the
    /// next transaction.
    public func finishInterrupted(_ change: Change) throws -> Message? {
        guard let store = change.as(PolicyModuleChange.self)?.store, PolicyTypeName.isValid(store) else { return nil }
        let restored = try selinux.restoreCutOffCommit(store)
        // The cut-off commit's NAME.tmp files go before libsemanage is handed the store again
        // (it is handed none with a file at one of its temporary names).
        let cleaned = try selinux.removeLeftovers(store)
        // Either way the built policy may be older than the store (killed after the store's
        // renames, before the policy's): rebuilt, so that "done" means in the policy too.
        let rebuilt = try selinux.rebuildIfStale(store)
        let notes = [restored, cleaned, rebuilt].compactMap { $0 }
        return notes.isEmpty ? nil : .joined(notes, separator: "; ")
    }
}
