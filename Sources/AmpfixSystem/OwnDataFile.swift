import Glibc
import SystemPackage

/// ampfix's own data files (the SELinux module, the kernel support table), read from the host's
/// paths — never from under --root, where the tree being repaired lives.
public enum OwnDataFile {
    /// The shipped files are a few KiB; anything near this is not one of them.
    public static let limit = 4 << 20

    /// The file's bytes. It must be a regular file (a FIFO would block the run, a device feed it
    /// without end), opened without blocking, of at most `limit` bytes.
    public static func read(_ path: String) throws -> [UInt8] {
        guard !path.isEmpty else { throw HostError(.msg("read"), "''", .emptyPath) }
        let fd: FileDescriptor
        do { fd = try FileDescriptor.openChecked(FilePath(path), .readOnly, options: [.closeOnExec, .nonBlocking]) } catch {
            throw HostError(.msg("read"), path, error)
        }
        defer { try? fd.close() }
        do {
            let kind = FileKind(try fd.statChecked().type)
            guard kind == .regular else { throw HostError(.msg("read"), path, .wrongKind(kind)) }
            let bytes = try fd.readToEnd(limit: limit)
            guard bytes.count <= limit else {
                throw HostError(.msg("read"), path, .ownDataTooLarge(limit: Int64(limit)))
            }
            return bytes
        } catch let error as HostError {
            throw error
        } catch {
            throw HostError(.msg("read"), path, error)
        }
    }
}
