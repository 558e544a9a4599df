import Foundation
import Glibc

/// Every entry of a tree: path, type, mode, owner, size, content hash, link target and mtime —
/// enough to prove that a run changed nothing, byte for byte.
public enum TreeSnapshot {
    public static func take(_ root: String, excluding: Set<String> = []) -> [String] {
        var lines: [String] = []
        visit(root, relative: "", excluding: excluding, into: &lines)
        return lines
    }

    private static func visit(_ root: String, relative: String, excluding: Set<String>, into lines: inout [String]) {
        let full = relative.isEmpty ? root : root + "/" + relative
        var info = stat()
        guard lstat(full, &info) == 0 else { lines.append("\(relative) missing"); return }
        let type = info.st_mode & S_IFMT
        var line = "\(relative.isEmpty ? "." : relative) mode=\(String(info.st_mode, radix: 8)) uid=\(info.st_uid) gid=\(info.st_gid) mtime=\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        if type == S_IFREG {
            let data = FileManager.default.contents(atPath: full) ?? Data()
            line += " size=\(data.count) fnv=\(fnv1a(data))"
        } else if type == S_IFLNK {
            line += " -> " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?")
        }
        lines.append(line)
        guard type == S_IFDIR else { return }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: full)) ?? []).sorted()
        for name in names {
            let child = relative.isEmpty ? name : relative + "/" + name
            if excluding.contains(child) { continue }
            visit(root, relative: child, excluding: excluding, into: &lines)
        }
    }

    static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
