import Glibc

/// The kernel's log from now on (/dev/kmsg opened at its end): what the kernel and a module's
/// init said while ampfix loaded it, for the report of a failed load. Needs root (CAP_SYSLOG).
public struct KernelMessages {
    private let fd: Int32

    /// nil when /dev/kmsg cannot be read here; a failed load is then reported by errno only.
    static func follow() -> KernelMessages? {
        let fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard lseek(fd, 0, SEEK_END) >= 0 else {
            close(fd)
            return nil
        }
        return KernelMessages(fd: fd)
    }

    /// The messages written since `follow()`, at most `limit` (the last ones), and closes the log.
    func read(limit: Int = 8) -> [String] {
        defer { close(fd) }
        var lines: [String] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = Glibc.read(fd, &buffer, buffer.count)  // one record per read
            if count < 0 && errno == EPIPE { continue }  // records overwritten meanwhile: go on
            guard count > 0 else { break }
            if let text = Self.message(of: Array(buffer[..<count])) { lines.append(text) }
        }
        return Array(lines.suffix(limit))
    }

    /// The text of one /dev/kmsg record: "PRIORITY,SEQUENCE,MICROSECONDS,FLAGS[,...];TEXT\n"
    /// followed by " KEY=VALUE" lines (dropped); non-printable bytes come escaped as \xNN.
    public static func message(of record: [UInt8]) -> String? {
        guard let semicolon = record.firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let text = record[(semicolon + 1)...].prefix { $0 != UInt8(ascii: "\n") }
        let message = String(decoding: text, as: UTF8.self)
        return message.isEmpty ? nil : message
    }
}
