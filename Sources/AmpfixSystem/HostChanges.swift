import AmpfixCore
import Glibc
import SystemPackage

/// Applies changes to the files under the root. Directories are changed through a descriptor
/// opened with O_NOFOLLOW along a path that may contain no symbolic link at all.
public struct HostChanges: ChangeApplier {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) {
        self.fs = fs
    }

    public func state(of change: Change) throws -> ChangeState {
        switch change {
        case .directoryAttributes(let path, let before, let after):
            let (fd, _) = try openDirectory(path)
            defer { try? fd.close() }
            let now = try attributes(fd, path)
            if now == after { return .after }
            if now == before { return .before }
            return .other(now.description)
        }
    }

    public func precondition(of change: Change) -> String? {
        switch change {
        case .directoryAttributes(let path, let before, let after):
            do {
                let (fd, _) = try openDirectory(path)
                defer { try? fd.close() }
                let now = try attributes(fd, path)
                if now != before && now != after {
                    return "\(path) is now \(now), not \(before) as planned"
                }
                if try fd.isOnReadOnlyFileSystem() {
                    return "\(fs.hostPath(path)) is on a read-only file system"
                }
                let euid = geteuid()
                if euid != 0 && (before.uid != after.uid || now.uid != euid) {
                    return "changing \(fs.hostPath(path)) needs root (running as uid \(euid))"
                }
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    public func apply(_ change: Change) throws {
        switch change {
        case .directoryAttributes(let path, let before, let after):
            let (fd, physical) = try openDirectory(path)
            defer { try? fd.close() }
            let display = fs.hostPath(physical)
            if before.uid != after.uid || before.gid != after.gid {
                do { try fd.changeOwner(uid: after.uid, gid: after.gid) } catch {
                    throw SystemError("change owner of", display, error)
                }
            }
            // After fchown: changing the owner clears setuid/setgid bits, so the mode goes last.
            do { try fd.changeMode(after.mode) } catch {
                throw SystemError("change mode of", display, error)
            }
        }
    }

    private func openDirectory(_ path: String) throws -> (FileDescriptor, String) {
        try fs.open(path, flags: O_RDONLY | O_DIRECTORY, follow: .never)
    }

    private func attributes(_ fd: FileDescriptor, _ path: String) throws -> DirectoryAttributes {
        do { return DirectoryAttributes(try fd.stat()) } catch {
            throw SystemError("stat", fs.hostPath(path), error)
        }
    }
}
