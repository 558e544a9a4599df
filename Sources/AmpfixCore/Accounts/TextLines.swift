/// Splits text at "\n" bytes. String's own split works on characters, and "\r\n" is one
/// character, so a CRLF file would come back as one line; this keeps each "\r" on its line so that
/// joining with "\n" gives back the same bytes.
func textLines(_ text: String) -> [Substring] {
    text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
}
