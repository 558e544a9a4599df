import AmpfixCore
import Glibc
import SystemPackage

/// Applies changes to the host's files and services under the root. Directories are changed
/// through a descriptor opened with O_NOFOLLOW along a path that may contain no symbolic link
/// at all; files by atomic replace; services and packages through systemctl and the package
/// manager (live only). Accounts are `AccountChanges`.
public struct HostChanges: ChangeApplier {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    public let kinds: Set<ChangeKind> = [.directoryAttributes, .restartService, .installPackages, .replaceFile]

    public func state(of change: Change) throws -> ChangeState {
        switch change.value {
        case let change as DirectoryAttributesChange:
            let (path, before, after) = (change.path, change.before, change.after)
            let (fd, _) = try openDirectory(path)
            defer { try? fd.close() }
            let now = try attributes(fd, path)
            if now == after { return .after }
            if now == before { return .before }
            return .other(.msg("\(now)"))
        case is RestartServiceChange, is InstallPackagesChange:
            // A restart leaves nothing to compare; an install is checked by the fault's new diagnosis.
            return .before
        case let change as ReplaceFileChange:
            let (path, before, after) = (change.path, change.before, change.after)
            let now = try fs.readFile(path).map(FileContent.init)
            if now == after { return .after }
            if now == before { return .before }
            return .other(.msg("\(now?.bytes.count ?? 0) bytes of different content"))
        default:
            throw HostError(.msg("inspect"), change.target, .wrongAdapter(applies: "directories, files, services and packages"))
        }
    }

    public func precondition(of change: Change) -> Message? {
        switch change.value {
        case let change as DirectoryAttributesChange:
            let (path, before, after) = (change.path, change.before, change.after)
            do {
                let (fd, _) = try openDirectory(path)
                defer { try? fd.close() }
                let now = try attributes(fd, path)
                if now != before && now != after {
                    return .msg("\(path) is now \(now), not \(before) as planned")
                }
                if try fd.isOnReadOnlyFileSystem() {
                    return .msg("\(fs.hostPath(path)) is on a read-only file system")
                }
                let euid = geteuid()
                if euid != 0 && (before.uid != after.uid || now.uid != euid) {
                    return .msg("changing \(fs.hostPath(path)) needs root (running as uid \(euid))")
                }
                return nil
            } catch {
                return .of(error)
            }
        case is RestartServiceChange:
            return fs.root == "/" ? fs.toolProblem("systemctl") : .msg("services are not managed under --root")
        case let change as InstallPackagesChange:
            let tool = change.tool
            return HostFiles(fs: fs).packageInstallBlocker() ?? fs.toolProblem(tool)
        case let change as ReplaceFileChange:
            let path = change.path
            return fs.writableProblem(RootedFileSystem.parent(of: path))
        default:
            return .msg("handled by another adapter")
        }
    }

    public func apply(_ change: Change) throws {
        switch change.value {
        case let change as DirectoryAttributesChange:
            let (path, before, after) = (change.path, change.before, change.after)
            let (fd, physical) = try openDirectory(path)
            defer { try? fd.close() }
            let display = fs.hostPath(physical)
            if before.uid != after.uid || before.gid != after.gid {
                do { try fd.changeOwner(uid: after.uid, gid: after.gid) } catch {
                    throw HostError(.msg("change owner of"), display, error)
                }
            }
            // After fchown: changing the owner clears setuid/setgid bits, so the mode goes last.
            do { try fd.changeMode(after.mode) } catch {
                throw HostError(.msg("change mode of"), display, error)
            }
        case let change as InstallPackagesChange:
            let (tool, arguments) = (change.tool, change.arguments)
            if let blocker = HostFiles(fs: fs).packageInstallRefusal() {
                throw HostError(.msg("run"), tool, blocker)
            }
            // Downloads take their time; half an hour still ends a hung package manager.
            try Programs.check(tool, arguments, deadline: .seconds(1800))
        case let change as RestartServiceChange:
            let unit = change.unit
            guard fs.root == "/" else { throw HostError(.msg("restart"), unit, .servicesNotUnderRoot(root: fs.root)) }
            try Programs.check("systemctl", ["restart", unit])
        case let change as ReplaceFileChange:
            let (path, after) = (change.path, change.after)
            if let after {
                try fs.replaceFile(path, contents: Array(after.bytes))
            } else {
                try fs.removeFile(path)
            }
        default:
            throw HostError(.msg("apply"), change.target, .wrongAdapter(applies: "directories, files, services and packages"))
        }
    }

    private func openDirectory(_ path: String) throws -> (FileDescriptor, String) {
        try fs.open(path, flags: O_RDONLY | O_DIRECTORY, follow: .never)
    }

    private func attributes(_ fd: FileDescriptor, _ path: String) throws -> DirectoryAttributes {
        do { return DirectoryAttributes(try fd.statChecked()) } catch {
            throw HostError(.msg("stat"), fs.hostPath(path), error)
        }
    }
}
