import Glibc
import SystemPackage

/// A file ampfix writes on this machine at a path the operator named (a support bundle, a
/// metrics file): written under a temporary name in the same directory, given its mode, synced,
/// and renamed into place only when complete; on any failure the temporary file is removed and
/// the old file, if any, is left as it was.
public enum OutputFile {
    public enum Existing: Sendable {
        /// An existing file at the path is an error (nothing is overwritten).
        case refuse
        /// An existing regular file is replaced in one rename; anything else there is refused.
        case replace
    }

    public static func write(to path: String, mode: mode_t, existing: Existing, _ body: (FileDescriptor) throws -> Void) throws {
        let (parentPath, name) = split(path)
        let parent: FileDescriptor
        do {
            parent = try FileDescriptor.openChecked(FilePath(parentPath), .readOnly, options: [.directory])
        } catch {
            throw HostError(.msg("open the directory of"), path, error)
        }
        defer { try? parent.close() }
        if let there = try? parent.statNoFollow(name) {
            guard existing == .replace else { throw HostError(.msg("write"), path, .outputExists) }
            let kind = FileKind(there.type)
            guard kind == .regular else { throw HostError(.msg("replace"), path, .wrongKind(kind)) }
        }
        let temporary = ".\(name).\(getpid()).partial"
        let fd: FileDescriptor
        do {
            fd = try parent.openAt(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode: mode)
        } catch {
            throw HostError(.msg("create"), parentPath + "/" + temporary, error)
        }
        var placed = false
        defer {
            try? fd.close()
            if !placed { try? parent.unlink(temporary) }
        }
        do {
            try body(fd)
            try fd.changeMode(UInt32(mode))  // whatever the process umask is
            try fd.sync()
        } catch {
            throw HostError(.msg("write"), path, error)
        }
        do {
            switch existing {
            case .refuse: try parent.renameNoReplace(temporary, to: name, in: parent)
            case .replace: try parent.rename(temporary, to: name, in: parent)
            }
            placed = true
            try parent.sync()
        } catch {
            throw HostError(.msg("create"), path, error)
        }
    }

    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let parent = String(path[..<slash])
        return (parent.isEmpty ? "/" : parent, String(path[path.index(after: slash)...]))
    }
}
