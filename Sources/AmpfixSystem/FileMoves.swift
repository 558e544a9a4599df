import AmpfixCore
import Glibc
import SystemPackage

/// Moves files inside the root (fault 7's quarantine, and its undo) by `renameat(2)` between two
/// directories reached without following any symbolic link. The file is identified by device,
/// inode, size and modification time, so a file replaced since the plan is never moved, and a
/// destination that exists is never overwritten. A move across file systems is refused, never
/// turned into a copy.
public struct FileMoves: ChangeApplier {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) { self.fs = fs }

    public let kinds: Set<ChangeKind> = [.moveFile]

    public func state(of change: Change) throws -> ChangeState {
        guard let move = change.as(MoveFileChange.self) else { throw wrongKind(change) }
        let (from, to, file) = (move.from, move.to, move.file)
        let (source, target) = (try identity(from), try identity(to))
        switch (source, target) {
        case (file?, nil): return .before
        case (nil, file?): return .after
        case (nil, nil): return .other(.msg("neither \(from) nor \(to) exists"))
        case (file?, let other?):
            // The file is still where it was, and its destination name was taken meanwhile (a
            // definition downloaded again, for an undo).
            return .other(.msg("a new file now has the name \(to) (\(other)); the file stays at \(from)"))
        default:
            return .other(.msg("\(from) is \(source?.description ?? "absent"), \(to) is \(target?.description ?? "absent"); the moved file was \(file)"))
        }
    }

    public func precondition(of change: Change) -> Message? {
        guard let move = change.as(MoveFileChange.self) else { return .msg("\(wrongKind(change))") }
        let (from, to, file) = (move.from, move.to, move.file)
        do {
            guard let now = try identity(from) else { return .msg("\(fs.hostPath(from)) does not exist") }
            guard now == file else { return .msg("\(fs.hostPath(from)) changed since the diagnosis (now \(now), was \(file))") }
            if try identity(to) != nil { return .msg("\(fs.hostPath(to)) exists already; ampfix never overwrites it") }
            let (directory, existing) = try nearestDirectory(of: to)
            defer { try? directory.close() }
            let device = UInt64(try directory.statChecked().deviceID.rawValue)
            if device != file.device {
                return .msg("\(fs.hostPath(existing)) is on another file system than \(fs.hostPath(from)); ampfix moves the file, it never copies it — move it by hand")
            }
            if try directory.isOnReadOnlyFileSystem() { return .msg("\(fs.hostPath(existing)) is on a read-only file system") }
            return nil
        } catch {
            return .of(error)
        }
    }

    public func apply(_ change: Change) throws {
        guard let move = change.as(MoveFileChange.self) else { throw wrongKind(change) }
        let (from, to, file) = (move.from, move.to, move.file)
        let target = RootedFileSystem.parent(of: to)
        try fs.makeDirectories(target, mode: 0o700)
        let (sourceParent, sourceName, sourcePhysical) = try fs.resolveParent(from, follow: .never)
        defer { try? sourceParent.close() }
        let (targetParent, targetName, _) = try fs.resolveParent(to, follow: .never)
        defer { try? targetParent.close() }
        let display = fs.hostPath(sourcePhysical)
        // Checked again right before the rename, on an open descriptor: the plan's file, and
        // nothing at the destination. The name is looked at first: a FIFO would block the open.
        let opened: FileDescriptor
        do {
            let kind = FileKind(try sourceParent.statNoFollow(sourceName).type)
            guard kind == .regular else { throw HostError(.msg("move"), display, .wrongKind(kind)) }
            opened = try sourceParent.openAt(sourceName, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
        } catch let error as HostError {
            throw error
        } catch {
            throw HostError(.msg("open"), display, error)
        }
        defer { try? opened.close() }
        let now: FileIdentity
        do { now = FileIdentity(try opened.statChecked()) } catch { throw HostError(.msg("stat"), display, error) }
        guard now == file else { throw HostError(.msg("move"), display, .changedSinceDiagnosis(now: now, was: file)) }
        do {
            try sourceParent.renameNoReplace(sourceName, to: targetName, in: targetParent)
        } catch Errno.improperLink {
            throw HostError(.msg("move"), display, .otherFileSystem(destination: fs.hostPath(to)))
        } catch Errno.fileExists {
            throw HostError(.msg("move"), display, .destinationExists(destination: fs.hostPath(to)))
        } catch {
            throw HostError(.msg("move \(display) to"), fs.hostPath(to), error)
        }
        // The name may have been swapped between the check and the rename: what was moved must
        // be the file that was checked (same inode), else it goes back under its name.
        let moved = try? FileIdentity(targetParent.statNoFollow(targetName))
        if moved.map({ $0.device != now.device || $0.inode != now.inode }) ?? true {
            let back = Result { try targetParent.renameNoReplace(targetName, to: sourceName, in: sourceParent) }
            let what = moved.map { "another file (\($0))" } ?? "nothing"
            switch back {
            case .success:
                throw HostError(.msg("move"), display, .nameSwapped(arrived: what, destination: fs.hostPath(to), putBackFailure: nil))
            case .failure(let error):
                throw HostError(.msg("move"), display, .nameSwapped(arrived: what, destination: fs.hostPath(to), putBackFailure: "\(error)"))
            }
        }
        // Both directories synced, so that the move survives a crash as one.
        for path in [RootedFileSystem.parent(of: from), target] {
            let (directory, physical) = try fs.open(path, flags: O_RDONLY | O_DIRECTORY, follow: .never)
            defer { try? directory.close() }
            do { try directory.sync() } catch { throw HostError(.msg("sync directory"), fs.hostPath(physical), error) }
        }
    }

    /// The identity of the file at `path` (the last component not followed), or nil when
    /// nothing is there. A directory or a link there is not the moved file.
    private func identity(_ path: String) throws -> FileIdentity? {
        let parent: FileDescriptor, name: String, physical: String
        do {
            (parent, name, physical) = try fs.resolveParent(path, follow: .never)
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            return nil
        }
        defer { try? parent.close() }
        do {
            return FileIdentity(try parent.statNoFollow(name))
        } catch Errno.noSuchFileOrDirectory {
            return nil
        } catch {
            throw HostError(.msg("stat"), fs.hostPath(physical), error)
        }
    }

    /// The deepest directory of `path`'s parents that exists, opened, and its path.
    private func nearestDirectory(of path: String) throws -> (FileDescriptor, String) {
        var directory = RootedFileSystem.parent(of: path)
        while true {
            do {
                return try fs.open(directory, flags: O_RDONLY | O_DIRECTORY, follow: .never)
            } catch let error as HostError where error.errno == .noSuchFileOrDirectory && directory != "/" {
                directory = RootedFileSystem.parent(of: directory)
            }
        }
    }

    private func wrongKind(_ change: Change) -> HostError {
        HostError(.msg("apply"), change.target, .wrongAdapter(applies: "file moves"))
    }
}

extension FileIdentity {
    init(_ stat: Stat) {
        let modified = stat.st_mtim
        self.init(device: UInt64(stat.deviceID.rawValue), inode: UInt64(stat.inode.rawValue), size: stat.size,
                  modified: Int64(modified.tv_sec) * 1_000_000_000 + Int64(modified.tv_nsec))
    }
}
