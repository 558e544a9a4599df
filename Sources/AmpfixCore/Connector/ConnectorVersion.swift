/// The connector's version from its global.xml. Its schema is not published: the first element
/// or attribute whose name ends in "version" and whose value looks like a version (digits and
/// dots) is taken; nil when there is none.
public enum ConnectorVersion {
    public static func parse(_ xml: String) -> String? {
        let bytes = Array(xml.utf8.prefix(1 << 20))
        let word = Array("version".utf8)
        var index = 0
        // The XML declaration's version="1.0" is the XML's, not the connector's.
        if bytes.starts(with: Array("<?xml".utf8)) {
            while index + 1 < bytes.count, !(bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: ">")) { index += 1 }
        }
        while index + word.count < bytes.count {
            guard bytes[index..<index + word.count].elementsEqual(word) else { index += 1; continue }
            index += word.count
            // <...version>1.2.3</...>  or  ...version="1.2.3"
            var start = index
            if bytes[index] == UInt8(ascii: ">") {
                start += 1
            } else if bytes[index] == UInt8(ascii: "="), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "'") {
                start += 2
            } else {
                continue
            }
            let value = bytes[min(start, bytes.count)...].prefix { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }
            if value.contains(UInt8(ascii: ".")), value.first != UInt8(ascii: "."), value.count <= 32 {
                return String(decoding: value, as: UTF8.self)
            }
        }
        return nil
    }
}
