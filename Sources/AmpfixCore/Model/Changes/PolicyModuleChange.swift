extension ChangeKind {
    public static let policyModule = ChangeKind("policy-module")
}

/// Install, replace, remove, enable or disable a policy module at one priority, in one
/// libsemanage transaction (one policy rebuild).
public struct PolicyModuleChange: HostChange {
    public static let kind = ChangeKind.policyModule
    public static let journalName = "policyModule"

    public var store: String
    public var name: String
    public var before: PolicyModuleState
    public var after: PolicyModuleState

    public var target: String { "module \(name) in store \(store)" }
    public var beforeDescription: String { before.description }
    public var afterDescription: String { after.description }
    public var summary: Message {
        let (before, after) = (self.before.message, self.after.message)
        if self.before.content == nil { return .msg("install SELinux module \(name) in store \(store) (\(before) -> \(after)) through libsemanage") }
        if self.after.content == nil { return .msg("remove SELinux module \(name) in store \(store) (\(before) -> \(after)) through libsemanage") }
        if self.before.content != self.after.content {
            return .msg("replace SELinux module \(name) in store \(store) (\(before) -> \(after)) through libsemanage")
        }
        return self.after.enabled ? .msg("enable SELinux module \(name) in store \(store) (\(before) -> \(after)) through libsemanage")
            : .msg("disable SELinux module \(name) in store \(store) (\(before) -> \(after)) through libsemanage")
    }

    public func inverse(made: [String]?) -> Change? { .policyModule(store: store, name: name, before: after, after: before) }
}

extension Change {
    public static func policyModule(store: String, name: String, before: PolicyModuleState,
                                    after: PolicyModuleState) -> Change { Change(PolicyModuleChange(store: store, name: name, before: before, after: after)) }
}
