import Glibc

/// Linux names are bytes, not text. ampfix carries them as Swift strings in which a byte that
/// is not part of valid UTF-8, and the backslash itself, is written `\xNN` (so `\x5c` is a
/// backslash): valid UTF-8 names read as they are, any name survives a trip through a change,
/// the journal's JSON and a report, and every call below turns the escapes back into the bytes.
public enum PathBytes {
    public static func escaped(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self), !text.contains("\\") { return text }
        var out = ""
        var index = 0
        while index < bytes.count {
            // The longest valid UTF-8 sequence starting here (1-4 bytes), else one escaped byte.
            var taken = false
            for length in (1...min(4, bytes.count - index)).reversed() {
                let piece = Array(bytes[index..<index + length])
                if let text = String(validating: piece, as: UTF8.self), text.unicodeScalars.count == 1, piece != [0x5c] {
                    out += text
                    index += length
                    taken = true
                    break
                }
            }
            if !taken {
                let hex = String(bytes[index], radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                index += 1
            }
        }
        return out
    }

    /// The bytes an escaped name stands for.
    public static func bytes(_ name: String) -> [UInt8] {
        let utf8 = Array(name.utf8)
        guard utf8.contains(0x5c) else { return utf8 }
        var out: [UInt8] = []
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x5c, index + 3 < utf8.count, utf8[index + 1] == UInt8(ascii: "x"),
               let byte = UInt8(String(decoding: utf8[index + 2...index + 3], as: UTF8.self), radix: 16) {
                out.append(byte)
                index += 4
            } else {
                out.append(utf8[index])
                index += 1
            }
        }
        return out
    }
}

/// Calls `body` with the C string of the bytes `name` stands for (see `PathBytes`).
func withPathBytes<R>(_ name: String, _ body: (UnsafePointer<CChar>) -> R) -> R {
    guard name.utf8.contains(0x5c) else { return name.withCString(body) }
    let bytes = PathBytes.bytes(name).map { CChar(bitPattern: $0) } + [0]
    return bytes.withUnsafeBufferPointer { body($0.baseAddress!) }
}
