/// `ampfix with-user-groups -- COMMAND`: USERGROUPS_ENAB yes in login.defs for exactly the life of
/// COMMAND (a vendor installer that runs plain `useradd`), then the file's original bytes back.
///
/// The edit is an ordinary journaled change with the rollback policy, and the run stays open
/// (claimed by this process) while COMMAND runs. If ampfix is killed, the claim dies with it and
/// the next ampfix rolls the file back before doing anything else.
public struct TemporaryUserGroups {
    public static let loginDefsPath = ScanUserFault.loginDefsPath

    public enum Outcome: Sendable, Equatable {
        /// USERGROUPS_ENAB was already yes: COMMAND ran with login.defs untouched.
        case unchanged(status: Int32, setting: Message)
        /// login.defs was changed for COMMAND and is back, byte for byte.
        case restored(status: Int32)
        /// login.defs was changed for COMMAND and could not be put back; the reason says why and
        /// the journal keeps the original bytes.
        case notRestored(status: Int32, reason: Message)
        /// COMMAND edited login.defs itself: its edit is kept (putting ampfix's copy back would
        /// undo it), and the reason says what is there now; the journal keeps the original bytes.
        case changedByCommand(status: Int32, reason: Message)
    }

    public let store: any JournalStore
    public let applier: any ChangeApplier
    public let facts: any HostFacts

    public init(store: any JournalStore, applier: any ChangeApplier, facts: any HostFacts) {
        self.store = store
        self.applier = applier
        self.facts = facts
    }

    /// - Parameters:
    ///   - releaseLock: called once the change is made and claimed, so that ampfix runs started
    ///     by COMMAND (package hooks) are not blocked by this one.
    ///   - runCommand: runs COMMAND and returns its exit status; it gets the run's claim, for the
    ///     command to inherit (`InheritableClaim`): while the command lives, no later ampfix rolls
    ///     login.defs back, even if this one is killed.
    public func run(run: String, command: [String], releaseLock: () -> Void, runCommand: (AnyObject?) -> Int32) throws -> Outcome {
        let original = try facts.readBytes(Self.loginDefsPath)
        let defs = LoginDefs(path: Self.loginDefsPath, bytes: original)
        guard let edited = defs.settingUserGroups(bytes: "yes") else {
            releaseLock()
            return .unchanged(status: runCommand(nil), setting: defs.describe("USERGROUPS_ENAB"))
        }
        let change = Change.replaceFile(path: Self.loginDefsPath, before: original.map(FileContent.init), after: FileContent(edited))
        let executor = Executor(store: store, applier: applier)
        let outcomes = try executor.start([Action(fault: .scanUserUnavailable, change: change)], run: run, command: command, onInterrupt: .rollback)
        guard outcomes == [.applied] else {
            try executor.finish(run, message: .msg("login.defs not changed; command not run"))
            releaseLock()
            throw JournalError(.msg("cannot set USERGROUPS_ENAB yes in \(Self.loginDefsPath): \(outcomes.first?.reason ?? .msg("unknown reason")); the command was not run"))
        }
        let claim = try store.claim(run)
        releaseLock()

        let status = runCommand(claim)

        let result = try Undo(store: store, applier: applier).revert(try store.journal(of: run))
        try executor.finish(run)
        withExtendedLifetime(claim) {}
        if let item = result.items.first, !item.outcome.restored {
            if case .skipped(let reason) = item.outcome { return .changedByCommand(status: status, reason: reason) }
            return .notRestored(status: status, reason: item.outcome.reason ?? .msg("\(item.outcome.label)"))
        }
        return .restored(status: status)
    }
}
