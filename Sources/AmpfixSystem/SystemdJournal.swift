import AmpfixCore
import CSystemd
import Glibc

/// Sends structured entries to the systemd journal (sd_journal_sendv: a datagram to
/// /run/systemd/journal/socket). Where there is no journal (a container, a chroot, a host
/// without systemd) the library fails and ampfix goes on without a word: the journal is a
/// copy of the report, never a reason to fail a run.
public enum SystemdJournal {
    /// Sends each entry; returns how many the journal took.
    @discardableResult
    public static func send(_ entries: [JournalEntries.Entry]) -> Int {
        var sent = 0
        for entry in entries {
            // "NAME=value" each, as bytes: a value may hold a newline (the native protocol
            // carries any bytes; libsystemd frames them).
            let fields = entry.map { Array("\($0.name)=\($0.value)".utf8) }
            let result = withIOVectors(fields) { ampfix_journal_sendv($0, Int32(fields.count)) }
            if result >= 0 { sent += 1 } else if result == -ENOENT || result == -ECONNREFUSED { break }
        }
        return sent
    }

    private static func withIOVectors<R>(_ fields: [[UInt8]], _ body: (UnsafePointer<iovec>) -> R) -> R {
        let buffers = fields.map { bytes -> UnsafeMutableRawBufferPointer in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        let vectors = zip(buffers.indices, fields).map { index, bytes in iovec(iov_base: buffers[index].baseAddress, iov_len: bytes.count) }
        return vectors.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
