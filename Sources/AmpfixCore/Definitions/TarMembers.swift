/// Walks the tar archive inside a ClamAV database, fed in pieces, with libclamav's rules: 512-byte
/// blocks, regular files only, no '/' in a name, a block starting with NUL (or the end) ends it.
public struct TarMembers: Sendable {
    public enum Malformed: Error, Equatable, CustomStringConvertible {
        case incompleteBlock(offset: Int)
        case slashInName(String)
        case unsupportedType(name: String, flag: UInt8)
        case badSize(name: String)
        case truncatedMember(String)

        public var description: String {
            switch self {
            case .incompleteBlock(let offset): "its tar archive ends inside a 512-byte block at byte \(offset)"
            case .slashInName(let name): "its tar member '\(name.escapingControlCharacters())' has a '/' in its name"
            case .unsupportedType(let name, let flag): "its tar member '\(name.escapingControlCharacters())' is not a regular file (type flag \(flag))"
            case .badSize(let name): "its tar member '\(name.escapingControlCharacters())' has no valid size"
            case .truncatedMember(let name): "its tar archive ends inside the member '\(name.escapingControlCharacters())'"
            }
        }
    }

    public private(set) var names: [String] = []
    /// Bytes of tar seen.
    public private(set) var offset = 0
    private var block: [UInt8] = []
    /// Bytes of the current member's data (with padding) still to skip.
    private var skipping = 0
    private var ended = false

    public init() {}

    public mutating func feed(_ bytes: some Collection<UInt8>) throws(Malformed) {
        var rest = bytes[...]
        while !rest.isEmpty, !ended {
            if skipping > 0 {
                let count = min(skipping, rest.count)
                skipping -= count
                offset += count
                rest = rest.dropFirst(count)
                continue
            }
            let need = 512 - block.count
            block.append(contentsOf: rest.prefix(need))
            rest = rest.dropFirst(need)
            guard block.count == 512 else { return }
            offset += 512
            try header(block)
            block.removeAll(keepingCapacity: true)
        }
    }

    private mutating func header(_ block: [UInt8]) throws(Malformed) {
        if block[0] == 0 {
            ended = true
            return
        }
        let name = String(decoding: block[0..<100].prefix { $0 != 0 }, as: UTF8.self)
        if name.contains("/") { throw .slashInName(name) }
        let flag = block[156]
        guard flag == UInt8(ascii: "0") || flag == 0 else { throw .unsupportedType(name: name, flag: flag) }
        let field = block[124..<136].drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        guard !field.isEmpty, field.count <= 11, field.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }),
              let size = Int(String(decoding: field, as: UTF8.self), radix: 8) else { throw .badSize(name: name) }
        names.append(name)
        skipping = (size + 511) / 512 * 512
    }

    /// Called at the end of the data: a partial block or member is an error.
    public func finish() throws(Malformed) {
        if ended { return }
        if !block.isEmpty { throw .incompleteBlock(offset: offset) }
        if skipping > 0, let name = names.last { throw .truncatedMember(name) }
    }
}
