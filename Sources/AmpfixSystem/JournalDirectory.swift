import AmpfixCore
import Glibc
import SystemPackage

/// Run journals as files `<root>/var/lib/ampfix/journal/RUN.jsonl`, mode 0600, appended with
/// O_APPEND and fsync'd after every record.
public struct JournalDirectory: JournalStore {
    public static let path = "/var/lib/ampfix/journal"
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    public func now() -> UTCTimestamp { SystemClock.now() }

    public func location(of run: String) -> String {
        fs.hostPath("\(Self.path)/\(run).jsonl")
    }

    public func runs() throws -> [String] {
        guard try fs.resolve(Self.path) != nil else { return [] }
        let (fd, physical) = try fs.open(Self.path, flags: O_RDONLY | O_DIRECTORY)
        defer { try? fd.close() }
        do {
            // Only regular files can be journals ampfix wrote; a FIFO or a link planted under a
            // journal's name is not read (it would block, or lead elsewhere).
            return try fd.directoryEntries()
                .filter { entry in
                    entry.type == UInt8(DT_REG) || (entry.type == UInt8(DT_UNKNOWN) && (try? fd.statNoFollow(entry.name))?.type == .regular)
                }
                .map(\.name)
                .filter { $0.hasSuffix(".jsonl") && !$0.hasPrefix(".") }
                .map { String($0.dropLast(".jsonl".count)) }
                .filter(RunID.isValid)
                .sorted()
        } catch {
            throw HostError(.msg("list journal directory"), fs.hostPath(physical), error)
        }
    }

    public func lines(of run: String) throws -> [String] {
        guard RunID.isValid(run), let bytes = try fs.readFile("\(Self.path)/\(run).jsonl", follow: .never) else {
            throw HostError(.msg("read journal"), location(of: run), Errno.noSuchFileOrDirectory)
        }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Renames `RUN.jsonl` to `RUN.jsonl.broken` (`.broken.2` … when taken; never over a file),
    /// then syncs the directory. The bytes stay for a look.
    public func setAside(_ run: String) throws -> String {
        precondition(RunID.isValid(run))
        let (directory, physical) = try fs.open(Self.path, flags: O_RDONLY | O_DIRECTORY, follow: .never)
        defer { try? directory.close() }
        for attempt in 1...100 {
            let name = "\(run).jsonl.broken" + (attempt == 1 ? "" : ".\(attempt)")
            do {
                try directory.renameNoReplace("\(run).jsonl", to: name, in: directory)
                try directory.sync()
                return fs.hostPath("\(physical)/\(name)")
            } catch Errno.fileExists {
                continue
            } catch {
                throw HostError(.msg("set aside journal"), location(of: run), error)
            }
        }
        throw HostError(.msg("set aside journal"), location(of: run), .tooManySetAsideCopies(count: 100))
    }

    /// An open descriptor on the run's journal with an exclusive flock: the kernel drops it when
    /// the process dies, however it dies.
    final class Claim: InheritableClaim {
        let fd: FileDescriptor
        init(fd: FileDescriptor) { self.fd = fd }
        deinit { try? fd.close() }
        var descriptor: Int32 { fd.rawValue }
    }

    public func claim(_ run: String) throws -> AnyObject {
        let (fd, physical) = try fs.open("\(Self.path)/\(run).jsonl", flags: O_RDONLY, follow: .never)
        let claim = Claim(fd: fd)
        let taken: Bool
        do { taken = try fd.tryLockExclusive() } catch { throw HostError(.msg("lock journal"), fs.hostPath(physical), error) }
        guard taken else { throw HostError(.msg("lock journal"), fs.hostPath(physical), .journalLocked) }
        return claim
    }

    public func isClaimed(_ run: String) -> Bool {
        guard let (fd, _) = try? fs.open("\(Self.path)/\(run).jsonl", flags: O_RDONLY, follow: .never) else { return false }
        defer { try? fd.close() }
        return (try? fd.tryLockExclusive()) == false
    }

    public func append(_ line: String, to run: String) throws {
        precondition(RunID.isValid(run) && !line.contains("\n"))
        let file = "\(Self.path)/\(run).jsonl"
        let created = try fs.resolve(file) == nil
        if created {
            // Missing parents (/var/lib in a bare image) get the usual 0755; only the journal
            // directory itself is private.
            try fs.makeDirectories("/var/lib/ampfix", mode: 0o755)
            try fs.makeDirectories(Self.path, mode: 0o700)
        }
        let (fd, physical) = try fs.open(file, flags: O_RDWR | O_APPEND | O_CREAT, mode: 0o600, follow: .never)
        defer { try? fd.close() }
        do {
            if !created { try Self.dropTornTail(fd) }
            _ = try fd.writeAll(Array((line + "\n").utf8))
            try fd.sync()
            if created {
                // The new name must survive a crash too.
                let (directory, _) = try fs.open(Self.path, flags: O_RDONLY | O_DIRECTORY)
                defer { try? directory.close() }
                try directory.sync()
            }
        } catch {
            throw HostError(.msg("write journal"), fs.hostPath(physical), error)
        }
    }

    /// A crash in the middle of an append leaves a last line without its newline. It is dropped
    /// before anything is appended, as write-ahead logs do, so that it never ends up in the
    /// middle of the journal where it would make the whole run unreadable. A last line that is a
    /// whole record and lacks only its newline is kept and completed.
    static func dropTornTail(_ fd: FileDescriptor) throws {
        // Every append pays one one-byte read; only a torn journal is read whole.
        let size = try fd.seek(offset: 0, from: .end)
        guard size > 0 else { return }
        var last: UInt8 = 0
        _ = try withUnsafeMutableBytes(of: &last) { try fd.read(fromAbsoluteOffset: size - 1, into: $0) }
        guard last != UInt8(ascii: "\n") else { return }
        _ = try fd.seek(offset: 0, from: .start)
        let bytes = try fd.readToEnd()
        let keep = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        if JournalRecord.isWhole(Array(bytes[keep...])) {
            _ = try fd.writeAll(Array("\n".utf8))
        } else {
            try fd.resize(to: Int64(keep))
        }
        try fd.sync()
    }
}
