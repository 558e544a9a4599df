import AmpfixCore
import CZlib
import Glibc
import SystemPackage

/// zlib's streaming inflate for a gzip member (inflateInit2 with 16 + MAX_WBITS), with one
/// output buffer for the whole stream.
final class Inflater {
    private var stream = z_stream()
    private var out = [UInt8](repeating: 0, count: 256 << 10)
    private(set) var ended = false

    init() throws {
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw BodyArchive.Unreadable(description: "zlib could not start")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates `input`, handing each piece of output to `emit` (valid only during the call).
    func inflate(_ input: UnsafeRawBufferPointer, _ emit: (ArraySlice<UInt8>) throws -> Void) throws {
        guard !ended, !input.isEmpty else { return }
        try input.withMemoryRebound(to: UInt8.self) { inBuffer in
            // zlib reads next_in only; it is declared without const.
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
            stream.avail_in = UInt32(inBuffer.count)
            defer { stream.next_in = nil }
            repeat {
                let (status, produced) = out.withUnsafeMutableBufferPointer { outBuffer -> (Int32, Int) in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, outBuffer.count - Int(stream.avail_out))
                }
                if produced > 0 { try emit(out[0..<produced]) }
                if status == Z_STREAM_END { ended = true; break }
                guard status == Z_OK || status == Z_BUF_ERROR else {
                    let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                    throw BodyArchive.Unreadable(description: "its gzip data is corrupt (\(reason))")
                }
                if status == Z_BUF_ERROR, stream.avail_in == 0 { break }
            } while stream.avail_in > 0 || stream.avail_out == 0
        }
    }
}
