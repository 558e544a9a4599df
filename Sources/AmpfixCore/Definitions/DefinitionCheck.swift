/// One database archive in the connector's definitions directory, checked structurally.
public struct DefinitionFileCheck: Sendable, Equatable {
    public var path: String
    public var kind: DefinitionKind
    public var size: Int
    /// Nil when the header could not be read.
    public var header: DefinitionHeader?
    /// Why the file is broken (a malformed or truncated header, a body whose MD5 differs from the
    /// header's, a body that is not a readable archive); nil when it is sound.
    public var problem: Message?
    /// Tar members found in the body.
    public var members: Int
    /// Whether the body was read (MD5, archive); false: the header alone (see `DefinitionsReader`).
    public var bodyRead = true
    /// What was not or could not be checked (a CLD's body digest, the signature).
    public var notes: [Message]
    /// The file as it was checked, for a move that must concern this file and no other.
    public var identity: FileIdentity?
    /// What libclamav says of the file (builds with the ClamAV trait): evidence, never a verdict.
    public var library: Message?

    public init(path: String, kind: DefinitionKind, size: Int, header: DefinitionHeader?, problem: Message?, members: Int, notes: [Message] = []) {
        self.path = path
        self.kind = kind
        self.size = size
        self.header = header
        self.problem = problem
        self.members = members
        self.notes = notes
    }

    /// One evidence line.
    public var summary: Message {
        let file: Message = .msg("\(path) (\(size) bytes)")
        let start: Message = header.map { header in
            .msg("\(file): version \(header.version), built \(header.buildTime), \(header.signatures) signatures, functionality level \(header.functionalityLevel)")
        } ?? file
        var parts = [start]
        if let problem {
            parts.append(.msg("INVALID: \(problem)"))
        } else {
            parts.append(bodyRead ? .msg("\(members) archive members, sound") : .msg("header sound, body not read"))
        }
        if let library { parts.append(library) }
        return .joined(parts, separator: "; ")
    }
}

/// Reads the definitions directory (inside the root) and checks each `.cvd`/`.cld`/`.cud` in it:
/// header fields and, with `bodies`, the body's MD5 against the header (CVD) and the body as a
/// tar or gzip'd tar. The files are streamed, never held in memory. Nil when the directory does
/// not exist.
public protocol DefinitionsReader {
    /// - Parameters:
    ///   - bodies: read each body whole; false: the header and the size only.
    ///   - depth: `.thorough` also asks a library that loads each file whole (libclamav), where built in.
    func inspect(directory: String, bodies: Bool, depth: DiagnosisDepth) throws -> [DefinitionFileCheck]?
}

/// No definitions to read (tests of other faults).
public struct NoDefinitions: DefinitionsReader {
    public init() {}
    public func inspect(directory: String, bodies: Bool, depth: DiagnosisDepth) throws -> [DefinitionFileCheck]? { nil }
}
