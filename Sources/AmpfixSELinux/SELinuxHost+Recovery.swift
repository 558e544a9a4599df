import AmpfixCore
import AmpfixSystem
import Glibc
import SystemPackage

/// What a commit cut off leaves in a store, put back under the store's transaction lock (used
/// by `PolicyModuleChanges.finishInterrupted`).
extension SELinuxHost {
    /// Runs `body` holding the store's transaction lock, as libsemanage's own transactions do.
    func withTransactionLock<R>(_ store: String, doing what: Message, _ body: () throws -> R) throws -> R {
        try waitForStore(store)
        let (lock, _) = try fs.open(transactionLock(store), flags: O_RDWR | O_CREAT, mode: 0o600)
        defer { try? lock.close() }
        guard try lock.tryLockExclusive() else {
            throw HostError(what, store, .storeLockTaken(lock: fs.hostPath(transactionLock(store))))
        }
        return try body()
    }

    func restoreCutOffCommit(_ store: String) throws -> Message? {
        guard commitCutOff(store) else { return nil }
        return try withTransactionLock(store, doing: .msg("restore the store")) {
            // Checked again under the lock: another tool may have restored it meanwhile.
            guard commitCutOff(store) else { return nil }
            let directory = SemanageStore.directory(store: store)
            try fs.rename(in: directory, "previous", to: "active")
            return .msg("the module store \(store) was left in the middle of a commit (\(fs.hostPath(directory))/active missing); its previous state was put back as active")
        }
    }

    /// libsemanage installs the policy and its contexts under /etc/selinux/STORE by writing
    /// `NAME.tmp` beside each and renaming it into place; a kill between leaves the `.tmp` file.
    /// Removed under the transaction lock, while no libsemanage writes them (at most three
    /// levels down: policy/, contexts/files/).
    func removeLeftovers(_ store: String) throws -> Message? {
        let base = "/etc/selinux/\(store)"
        func leftovers(_ path: String, depth: Int) throws -> [String] {
            guard depth <= 3, try fs.resolve(path) == path else { return [] }
            let (fd, _) = try fs.open(path, flags: O_RDONLY | O_DIRECTORY, follow: .never)
            defer { try? fd.close() }
            return try fd.directoryEntries().flatMap { entry -> [String] in
                let child = path + "/" + entry.name
                if entry.type == UInt8(DT_DIR) { return try leftovers(child, depth: depth + 1) }
                return entry.type == UInt8(DT_REG) && entry.name.hasSuffix(".tmp") ? [child] : []
            }
        }
        guard try !leftovers(base, depth: 0).isEmpty else { return nil }
        return try withTransactionLock(store, doing: .msg("clean up after a commit of")) {
            let found = try leftovers(base, depth: 0)
            for file in found { try fs.removeFile(file) }
            return found.isEmpty ? nil : .msg("removed what a commit cut off left: \(found.map { fs.hostPath($0) }.joined(separator: ", "))")
        }
    }
}
