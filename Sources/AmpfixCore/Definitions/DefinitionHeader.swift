/// The 512-byte header of a ClamAV database archive (`.cvd`, `.cld`, `.cud`), as libclamav's
/// `cl_cvdparse` reads it: `ClamAV-VDB:time:version:signatures:functionality level:MD5:digital
/// signature:builder[:time in seconds]`, padded with spaces (or a newline) to 512 bytes.
public struct DefinitionHeader: Sendable, Equatable {
    public static let size = 512
    public static let magic = "ClamAV-VDB:"

    public var buildTime: String
    public var version: Int
    public var signatures: Int
    public var functionalityLevel: Int
    /// Hex MD5 of everything after the header (checked for `.cvd`; a `.cld` carries its
    /// integrity in the signed `.info` inside instead).
    public var md5: String
    public var digitalSignature: String
    public var builder: String
    public var buildSeconds: Int?

    public enum Malformed: Error, Equatable, CustomStringConvertible {
        case truncated(bytes: Int)
        case notADatabase
        case missingField(String)
        case badNumber(field: String, value: String)
        case badMD5(String)

        public var description: String {
            switch self {
            case .truncated(let bytes): "the file ends after \(bytes) bytes, inside its 512-byte header"
            case .notADatabase: "the header does not start with \"ClamAV-VDB:\": not a ClamAV database"
            case .missingField(let field): "the header has no \(field) field"
            case .badNumber(let field, let value): "the header's \(field) is not a number: '\(value.escapingControlCharacters())'"
            case .badMD5(let value): "the header's MD5 is not 32 hex digits: '\(value.escapingControlCharacters())'"
            }
        }
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws(Malformed) -> DefinitionHeader {
        let head = Array(bytes.prefix(size))
        guard head.count == size else { throw .truncated(bytes: head.count) }
        guard head.starts(with: Array(magic.utf8)) else { throw .notADatabase }
        // As libclamav: the header ends at the first newline; trailing spaces are padding.
        var line = head.prefix { $0 != 0x0A && $0 != 0x0D && $0 != 0 }
        while line.last == 0x20 { line.removeLast() }
        let fields = line.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        func field(_ index: Int, _ name: String) throws(Malformed) -> String {
            guard index < fields.count, !fields[index].isEmpty else { throw .missingField(name) }
            return fields[index]
        }
        func number(_ index: Int, _ name: String) throws(Malformed) -> Int {
            let text = try field(index, name)
            guard text.count <= 18, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else { throw .badNumber(field: name, value: text) }
            return value
        }
        let time = try field(1, "build time")
        let version = try number(2, "version")
        let signatures = try number(3, "signature count")
        let level = try number(4, "functionality level")
        let md5 = try field(5, "MD5")
        guard md5.count == 32, md5.allSatisfy({ $0.isHexDigit }) else { throw .badMD5(md5) }
        let signature = try field(6, "digital signature")
        let builder = try field(7, "builder")
        var seconds: Int?
        if fields.count > 8, !fields[8].isEmpty { seconds = try number(8, "build time in seconds") }
        return DefinitionHeader(buildTime: time, version: version, signatures: signatures, functionalityLevel: level,
                                md5: md5.lowercased(), digitalSignature: signature, builder: builder, buildSeconds: seconds)
    }
}

/// The kinds of database archive, by file name.
public enum DefinitionKind: String, Sendable, CaseIterable {
    /// Signed by ClamAV (Talos): the header's MD5 covers the body, its signature the MD5.
    case cvd
    /// Updated locally from a CVD and diffs: no header signature, the body is a plain or
    /// gzip'd tar whose `.info` member is signed.
    case cld
    /// An unsigned archive.
    case cud

    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return nil }
        self.init(rawValue: String(fileName[fileName.index(after: dot)...]))
    }

    /// Whether the header's MD5 must match the body (libclamav checks it for CVDs only).
    public var bodyDigestChecked: Bool { self == .cvd }
}
