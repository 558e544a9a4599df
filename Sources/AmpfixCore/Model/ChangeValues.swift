/// Mode and ownership of a directory. `mode` holds the permission bits only (07777).
public struct DirectoryAttributes: Codable, Sendable, Equatable, CustomStringConvertible {
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32

    public init(mode: UInt32, uid: UInt32, gid: UInt32) {
        self.mode = mode & 0o7777
        self.uid = uid
        self.gid = gid
    }

    public var octalMode: String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    public var description: String { "mode \(octalMode) owner \(uid):\(gid)" }
}

/// The scan service account ampfix creates: a system user with a group of its own name.
public struct ServiceAccount: Codable, Sendable, Equatable {
    public var name: String
    public var home: String
    public var shell: String
    public var comment: String

    public init(name: String, home: String, shell: String, comment: String) {
        self.name = name
        self.home = home
        self.shell = shell
        self.comment = comment
    }
}

/// A group named or numbered.
public enum GroupRef: Codable, Sendable, Equatable, CustomStringConvertible {
    case id(UInt32)
    case name(String)

    public var description: String {
        switch self {
        case .id(let gid): return "gid \(gid)"
        case .name(let name): return "group \(name)"
        }
    }
}

/// A file's whole content, or its absence, as recorded in the journal for byte-exact restores.
public struct FileContent: Codable, Sendable, Equatable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    enum CodingKeys: String, CodingKey { case bytes }

    /// `{"bytes": "BASE64"}`, as Foundation wrote `Data`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Base64.encode(bytes), forKey: .bytes)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let bytes = Base64.decode(try container.decode(String.self, forKey: .bytes)) else {
            throw DecodingError.dataCorruptedError(forKey: .bytes, in: container, debugDescription: "not base64")
        }
        self.bytes = bytes
    }
}

/// Which file a move concerns: a rename keeps all four, so the same values at the destination
/// mean the same, unchanged file (byte-identical without reading it), and other values mean
/// someone else replaced or changed it since.
public struct FileIdentity: Codable, Sendable, Equatable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Last modification, in nanoseconds since the epoch.
    public var modified: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modified: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
    }

    public var description: String { "\(size) bytes, inode \(inode) on device \(device)" }
}
