import Glibc
import SystemPackage

/// ampfix's own data files (the SELinux module, the kernel support table), read from the host's
/// paths — never from under --root, where the tree being repaired lives.
public enum OwnDataFile {
    public static func read(_ path: String) throws -> [UInt8] {
        let fd: FileDescriptor
        do { fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec]) } catch {
            throw SystemError("read", path, error)
        }
        defer { try? fd.close() }
        do { return try fd.readToEnd() } catch { throw SystemError("read", path, error) }
    }
}
