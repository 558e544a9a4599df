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
        // Opened, not resolved first: a link in the journal's place, wherever it leads (out of
        // the root, nowhere), is refused as the repair that writes there refuses it, never read
        // as "no journal".
        let fd: FileDescriptor, physical: String
        do {
            (fd, physical) = try fs.open(Self.path, flags: O_RDONLY | O_DIRECTORY, follow: .parentsInRoot)
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            return []
        }
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

    /// The most one record may be. A begin record holds the plan (login.defs before and after
    /// among it, in base64): a few KiB on a real host.
    public static let recordLimit = 16 << 20
    /// The most a journal file may be: a run writes a few records per change.
    public static let fileLimit = 64 << 20

    /// The journal's lines, read record by record: a journal past `fileLimit` (a sparse file of
    /// gigabytes) is refused from its size, a record past `recordLimit` as soon as it is seen,
    /// so that no command stalls or fills memory on it. Lines are split at the byte "\n" only;
    /// the last element is what follows the last "\n" (empty when the file ends with one).
    public func lines(of run: String) throws -> [String] {
        let fd: FileDescriptor, physical: String
        do {
            guard RunID.isValid(run) else { throw Errno.noSuchFileOrDirectory }
            (fd, physical) = try fs.open("\(Self.path)/\(run).jsonl", flags: O_RDONLY, follow: .never)
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            throw HostError(.msg("read journal"), location(of: run), Errno.noSuchFileOrDirectory)
        } catch let error as Errno {
            throw HostError(.msg("read journal"), location(of: run), error)
        }
        defer { try? fd.close() }
        let display = fs.hostPath(physical)
        var lines: [String] = []
        var pending: [UInt8] = []
        do {
            let size = try fd.statChecked().size
            guard size <= Self.fileLimit else {
                throw HostError(.msg("read journal"), display, .journalTooLarge(size: Int64(size), limit: Int64(Self.fileLimit)))
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            var total = 0
            while true {
                let count = try chunk.withUnsafeMutableBytes { try fd.readChecked(into: $0) }
                if count == 0 { break }
                total += count
                guard total <= Self.fileLimit else {
                    throw HostError(.msg("read journal"), display, .journalTooLarge(size: Int64(total), limit: Int64(Self.fileLimit)))
                }
                var start = 0
                while let newline = chunk[start..<count].firstIndex(of: UInt8(ascii: "\n")) {
                    pending += chunk[start..<newline]
                    lines.append(String(decoding: pending, as: UTF8.self))
                    pending.removeAll(keepingCapacity: true)
                    start = newline + 1
                }
                pending += chunk[start..<count]
                guard pending.count <= Self.recordLimit else {
                    throw HostError(.msg("read journal"), "\(display):\(lines.count + 1)", .journalRecordTooLarge(limit: Int64(Self.recordLimit)))
                }
            }
        } catch let error as Errno {
            throw HostError(.msg("read journal"), display, error)
        }
        // A last line without its newline is what a crash mid-write leaves; a final empty line
        // says the last record was whole (RunJournal tells the two apart by it).
        if !pending.isEmpty || !lines.isEmpty { lines.append(String(decoding: pending, as: UTF8.self)) }
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

    public func checkAppendable(_ run: String) throws {
        precondition(RunID.isValid(run))
        // Opened as append opens it, without O_CREAT: the same refusals, and nothing written.
        let (fd, _) = try fs.open("\(Self.path)/\(run).jsonl", flags: O_RDWR | O_APPEND, follow: .never)
        try? fd.close()
    }

    public func append(_ line: String, to run: String) throws {
        precondition(RunID.isValid(run) && !line.contains("\n"))
        let file = "\(Self.path)/\(run).jsonl"
        // Never write what could not be read back: the begin record is refused before any change.
        guard line.utf8.count < Self.recordLimit else {
            throw HostError(.msg("write journal"), location(of: run), .journalRecordTooLarge(limit: Int64(Self.recordLimit)))
        }
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
            _ = try fd.writeAllChecked(Array((line + "\n").utf8))
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
        // Every append pays one one-byte read; a torn journal is read back from its end to its
        // last line break only.
        let size = try fd.seekChecked(offset: 0, from: .end)
        guard size > 0 else { return }
        var last: UInt8 = 0
        _ = try withUnsafeMutableBytes(of: &last) { try fd.readChecked(fromAbsoluteOffset: size - 1, into: $0) }
        guard last != UInt8(ascii: "\n") else { return }
        var tail: [UInt8] = []
        var keep: Int64 = 0
        var offset = size
        while offset > 0 {
            let start = max(0, offset - 65_536)
            var piece = [UInt8](repeating: 0, count: Int(offset - start))
            _ = try piece.withUnsafeMutableBytes { try fd.readChecked(fromAbsoluteOffset: start, into: $0) }
            if let newline = piece.lastIndex(of: UInt8(ascii: "\n")) {
                keep = start + Int64(newline) + 1
                tail = Array(piece[(newline + 1)...]) + tail
                break
            }
            tail = piece + tail
            offset = start
        }
        if tail.count <= Self.recordLimit && JournalRecord.isWhole(tail) {
            _ = try fd.writeAllChecked(Array("\n".utf8))
        } else {
            try fd.resizeChecked(to: keep)
        }
        try fd.sync()
    }
}
