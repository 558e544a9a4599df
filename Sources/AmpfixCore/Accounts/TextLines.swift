/// Splits text at "\n" bytes. String's own split works on characters, and "\r\n" is one
/// character, so a CRLF file would come back as one line; this keeps each "\r" on its line so that
/// joining with "\n" gives back the same bytes. The newlines are found in the string's own
/// UTF-8 buffer: every file a diagnosis reads goes through here.
func textLines(_ text: String) -> [Substring] {
    let bytes = text.utf8
    let newlines: [Int] = bytes.withContiguousStorageIfAvailable { buffer in
        var found: [Int] = []
        for offset in buffer.indices where buffer[offset] == UInt8(ascii: "\n") { found.append(offset) }
        return found
    } ?? bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { bytes.distance(from: bytes.startIndex, to: $0) }
    var lines: [Substring] = []
    lines.reserveCapacity(newlines.count + 1)
    var start = bytes.startIndex
    for offset in newlines {
        let newline = bytes.index(bytes.startIndex, offsetBy: offset)
        lines.append(text[start..<newline])
        start = bytes.index(after: newline)
    }
    lines.append(text[start...])
    return lines
}
