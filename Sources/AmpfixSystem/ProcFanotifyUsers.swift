import AmpfixCore
import Glibc

/// The processes of the running system that hold a fanotify group: a descriptor whose link in
/// /proc/PID/fd reads `anon_inode:[fanotify]`. Each process is named by /proc/PID/comm.
/// Processes that end meanwhile or whose descriptors cannot be read (not root) are passed over;
/// when none could be read at all, that is said.
public struct ProcFanotifyUsers: FanotifyUsers {
    public init() {}

    public func users() -> Result<[FanotifyUser], BPFUnavailable> {
        guard let proc = opendir("/proc") else { return .failure(BPFUnavailable(.msg("/proc is not mounted: other fanotify users were not looked for"))) }
        defer { closedir(proc) }
        let own = getpid()
        var found: [FanotifyUser] = []
        var readable = 0
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), pid != own else { continue }
            guard let descriptors = opendir("/proc/\(pid)/fd") else { continue }
            defer { closedir(descriptors) }
            readable += 1
            var link = [CChar](repeating: 0, count: 64)
            while let fd = readdir(descriptors) {
                let number = withUnsafeBytes(of: fd.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard Int(number) != nil else { continue }
                let count = readlink("/proc/\(pid)/fd/\(number)", &link, link.count - 1)
                guard count > 0 else { continue }
                let target = String(decoding: link.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if target == "anon_inode:[fanotify]" {
                    // The connector's own processes share nothing with another program.
                    if !Self.isConnectors(pid) { found.append(FanotifyUser(pid: pid, command: Self.command(pid))) }
                    break
                }
            }
        }
        if readable == 0 { return .failure(BPFUnavailable(.msg("no process's descriptors could be read (/proc/PID/fd needs root)"))) }
        return .success(found.sorted { $0.pid < $1.pid })
    }

    /// Whether the process runs a program of the connector's tree (/opt/cisco/).
    static func isConnectors(_ pid: Int32) -> Bool {
        var link = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/\(pid)/exe", &link, link.count - 1)
        guard count > 0 else { return false }
        return String(decoding: link.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self).hasPrefix("/opt/cisco/")
    }

    static func command(_ pid: Int32) -> String {
        let fd = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "?" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return "?" }
        return String(decoding: buffer.prefix(count).filter { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}
