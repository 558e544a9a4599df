import AmpfixCore
import CZlib
import Glibc
import SystemPackage

/// The connector's ClamAV databases under the root, streamed through MD5 and zlib (see
/// `DefinitionsReader`). A link is not followed to a file; the directory itself may be reached
/// through links inside the root.
public struct DefinitionFiles: DefinitionsReader {
    public let fs: RootedFileSystem
    static let chunk = 256 << 10
    /// Larger than this is no ClamAV database: it is not read (a 10 GB sparse file took 85 s).
    static let largestDatabase: Int64 = 1 << 30

    public init(fs: RootedFileSystem) { self.fs = fs }

    public func inspect(directory: String, bodies: Bool, depth: DiagnosisDepth) throws -> [DefinitionFileCheck]? {
        guard let resolved = try fs.resolve(directory) else { return nil }
        let (dir, physical) = try fs.open(resolved, flags: O_RDONLY | O_DIRECTORY)
        defer { try? dir.close() }
        let entries: [(name: String, type: UInt8, utf8: Bool)]
        do { entries = try dir.directoryEntries() } catch { throw HostError(.msg("list directory"), fs.hostPath(physical), error) }
        return entries.filter(\.utf8).map(\.name).sorted().compactMap { name in
            guard let kind = DefinitionKind(fileName: name) else { return nil }
            let path = physical == "/" ? "/" + name : physical + "/" + name
            let unreadable = { (why: Message) in DefinitionFileCheck(path: path, kind: kind, size: 0, header: nil, problem: why, members: 0) }
            // Looked at before it is opened: a FIFO would block, a device could act; either
            // under a database's name stops the scanner as a broken file does.
            if let stat = try? dir.statNoFollow(name) {
                let kind = FileKind(stat.type)
                if kind == .symbolicLink { return unreadable(.msg("a symbolic link, not followed")) }
                if kind != .regular { return unreadable(.msg("\(kind.nameMessage), not a regular file")) }
                if Int64(stat.size) > Self.largestDatabase {
                    return unreadable(.msg("\(Int64(stat.size) >> 20) MiB, more than any ClamAV database (\(Self.largestDatabase >> 20) MiB; main.cvd is about 170 MiB): not read"))
                }
            }
            let file: FileDescriptor
            do {
                file = try dir.openAt(name, flags: O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
            } catch Errno.tooManySymbolicLinkLevels {
                return unreadable(.msg("a symbolic link, not followed"))
            } catch {
                return unreadable(.msg("cannot open: \(error)"))
            }
            defer { try? file.close() }
            guard let stat = try? file.statChecked(), stat.type == .regular else { return unreadable(.msg("not a regular file (swapped while it was looked at)")) }
            var result = Self.check(file, path: path, kind: kind, size: Int(stat.size), bodies: bodies)
            result.identity = FileIdentity(stat)
            // Not with the headers only: libclamav's cl_cvdhead reads the whole file (1.4).
            if bodies { result.library = Self.libraryWord(file, verify: depth == .thorough) }
            return result
        }
    }

    /// Header, digest and archive of one open file; with `bodies` false, the header only.
    static func check(_ file: FileDescriptor, path: String, kind: DefinitionKind, size: Int, bodies: Bool = true) -> DefinitionFileCheck {
        var result = DefinitionFileCheck(path: path, kind: kind, size: size, header: nil, problem: nil, members: 0)
        var head = [UInt8](repeating: 0, count: DefinitionHeader.size)
        var headCount = 0
        do {
            while headCount < head.count {
                let count = try head.withUnsafeMutableBytes { try file.readChecked(into: UnsafeMutableRawBufferPointer(rebasing: $0[headCount...])) }
                if count == 0 { break }
                headCount += count
            }
        } catch {
            result.problem = .msg("cannot read: \(error)")
            return result
        }
        do {
            result.header = try DefinitionHeader.parse(head[0..<headCount])
        } catch {
            result.problem = .msg("\(error)")
            return result
        }
        guard bodies else {
            result.bodyRead = false
            if size <= DefinitionHeader.size { result.problem = .msg("it has a header and no body") }
            return result
        }
        // One read of the body feeds the inflate here and the MD5 on a second thread.
        let digest = kind.bodyDigestChecked ? DigestThread(chunk: chunk) : nil
        defer { digest?.stop() }
        let plain = digest == nil ? UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64) : nil
        defer { plain?.deallocate() }
        var body = BodyArchive()
        do {
            while true {
                let piece: UnsafeRawBufferPointer
                if let digest {
                    piece = try digest.fill { try file.readChecked(into: $0) }
                } else if let plain {
                    piece = UnsafeRawBufferPointer(rebasing: plain[0..<(try file.readChecked(into: plain))])
                } else {
                    break
                }
                if piece.isEmpty { break }
                digest?.hand()
                try body.feed(piece)
            }
            try body.finish()
        } catch let error as BodyArchive.Unreadable {
            result.problem = .verbatim(error.description)
        } catch {
            result.problem = .msg("cannot read: \(error)")
        }
        result.members = body.tar.names.count
        if let digest, let header = result.header {
            let actual = digest.finish()
            // A digest mismatch is the more precise reason when both apply (a truncated body).
            if actual != header.md5 { result.problem = .msg("the body's MD5 is \(actual), the header says \(header.md5)") }
        } else {
            result.notes.append(.msg("a .\(kind.rawValue) carries no digest of its body in the header (libclamav checks its signed .info member instead)"))
        }
        if result.problem == nil, !body.tar.names.contains(where: { $0.hasSuffix(".info") }) {
            result.problem = .msg("its archive has no .info member (\(body.tar.names.count) members)")
        }
        return result
    }
}

/// The body after the header: a plain tar (it starts with the COPYING member, as libclamav
/// tells them apart) or a gzip'd one, inflated in pieces into `TarMembers`.
struct BodyArchive {
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    var tar = TarMembers()
    private var start: [UInt8] = []
    private var gzip: Inflater?
    private var decided = false

    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        if !decided {
            start += bytes
            guard start.count >= 7 else { return }
            decided = true
            let pending = start
            start = []
            if pending.starts(with: Array("COPYING".utf8)) {
                try feedTar(pending)
            } else if pending.starts(with: [0x1f, 0x8b]) {
                gzip = try Inflater()
                try pending.withUnsafeBytes { try inflate($0) }
            } else {
                throw Unreadable(description: "its body is neither a tar nor a gzip'd tar archive")
            }
            return
        }
        if gzip != nil { try inflate(bytes) } else { try feedTar(bytes) }
    }

    private mutating func feedTar(_ bytes: some Collection<UInt8>) throws {
        do { try tar.feed(bytes) } catch { throw Unreadable(description: error.description) }
    }

    private mutating func inflate(_ bytes: UnsafeRawBufferPointer) throws {
        try gzip?.inflate(bytes) { try feedTar($0) }
    }

    mutating func finish() throws {
        if !decided {
            if start.isEmpty { throw Unreadable(description: "it has a header and no body") }
            throw Unreadable(description: "its body is \(start.count) bytes: not an archive")
        }
        if let gzip, !gzip.ended { throw Unreadable(description: "its gzip stream is cut short (\(tar.offset) bytes of tar inflated)") }
        do { try tar.finish() } catch { throw Unreadable(description: error.description) }
    }
}
