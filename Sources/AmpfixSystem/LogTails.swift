import AmpfixCore
import Glibc
import SystemPackage

extension HostFiles {
    /// A compressed log larger than this is not inflated for its tail.
    static let compressedTailLimit = 256 << 20
    /// A compressed log that inflates to more than this is not read for its tail.
    static let inflatedTailLimit = 256 << 20

    public func readTail(_ path: String, limit: Int) throws -> [UInt8]? {
        let fd: FileDescriptor, physical: String
        do {
            (fd, physical) = try fs.open(path, flags: O_RDONLY | O_NONBLOCK)
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            return nil
        }
        defer { try? fd.close() }
        let display = fs.hostPath(physical)
        return try Self.tail(fd, size: Int(Self.regularStat(fd, display).size), compressed: path.hasSuffix(".gz"), limit: limit, display: display)
    }

    public func readExactly(_ path: String, limit: Int, tail: Bool) throws -> [UInt8]? {
        let fd: FileDescriptor, physical: String
        do {
            (fd, physical) = try fs.open(path, flags: O_RDONLY | O_NONBLOCK, follow: .never)
        } catch let error as HostError where error.errno == .noSuchFileOrDirectory {
            return nil
        }
        defer { try? fd.close() }
        let display = fs.hostPath(physical)
        let stat = try Self.regularStat(fd, display)
        guard stat.linkCount == 1 else { throw HostError(.msg("take"), display, .sharedFileNotTaken(links: Int(stat.linkCount))) }
        if tail {
            return try Self.tail(fd, size: Int(stat.size), compressed: path.hasSuffix(".gz"), limit: limit, display: display)
        }
        // Kernel files (/proc, /sys) report no size: the read itself is what is bounded.
        let bytes: [UInt8]
        do { bytes = try fd.readToEnd(limit: limit) } catch { throw HostError(.msg("read"), display, error) }
        guard bytes.count <= limit else { throw HostError(.msg("take"), display, .tooLargeToTake(limit: Int64(limit))) }
        return bytes
    }

    private static func regularStat(_ fd: FileDescriptor, _ display: String) throws -> Stat {
        do {
            let stat = try fd.statChecked()
            guard stat.type == .regular else { throw HostError(.msg("read"), display, .wrongKind(FileKind(stat.type))) }
            return stat
        } catch let error as Errno {
            throw HostError(.msg("stat"), display, error)
        }
    }

    /// At most the last `limit` bytes of an open log of `size` bytes (inflated when compressed).
    private static func tail(_ fd: FileDescriptor, size: Int, compressed: Bool, limit: Int, display: String) throws -> [UInt8] {
        if compressed {
            guard size <= Self.compressedTailLimit else {
                throw HostError(.msg("read"), display, .compressedLogTooLarge(size: Int64(size), limit: Int64(Self.compressedTailLimit)))
            }
            return try Self.inflatedTail(fd, limit: limit, display: display)
        }
        let start = max(0, size - limit)
        var bytes = [UInt8](repeating: 0, count: size - start)
        var filled = 0
        do {
            while filled < bytes.count {
                let count = try bytes.withUnsafeMutableBytes {
                    try fd.readChecked(fromAbsoluteOffset: Int64(start + filled), into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
                }
                if count == 0 { break }  // truncated while reading
                filled += count
            }
        } catch {
            throw HostError(.msg("read"), display, error)
        }
        return Self.fromLineStart(bytes[..<filled], cut: start > 0)
    }

    /// The gzip stream inflated piece by piece; only the last `limit` bytes are kept.
    static func inflatedTail(_ fd: FileDescriptor, limit: Int, display: String) throws -> [UInt8] {
        let inflater = try Inflater()
        var kept: [UInt8] = []
        var dropped = false
        var inflated = 0
        var input = [UInt8](repeating: 0, count: DefinitionFiles.chunk)
        do {
            while !inflater.ended {
                let count = try input.withUnsafeMutableBytes { try fd.readChecked(into: $0) }
                if count == 0 { break }
                try input.withUnsafeBytes { bytes in
                    try inflater.inflate(UnsafeRawBufferPointer(rebasing: bytes[..<count])) { piece in
                        inflated += piece.count
                        // A rotated log is tens of MiB; a gzip bomb (1000:1) is stopped here.
                        if inflated > Self.inflatedTailLimit {
                            throw HostError(.msg("inflate"), display, .inflatesTooMuch(limit: Int64(Self.inflatedTailLimit)))
                        }
                        kept += piece
                        if kept.count > 2 * limit {
                            kept.removeFirst(kept.count - limit)
                            dropped = true
                        }
                    }
                }
            }
        } catch let error as HostError {
            throw error
        } catch let error as BodyArchive.Unreadable {
            throw HostError(.msg("inflate"), display, error)
        } catch {
            throw HostError(.msg("read"), display, error)
        }
        if kept.count > limit {
            kept.removeFirst(kept.count - limit)
            dropped = true
        }
        return fromLineStart(kept[...], cut: dropped)
    }

    /// Drops the partial first line of a cut tail. A tail in which no line starts (one line
    /// longer than the limit, or a sparse file whose last line began before it) is kept whole,
    /// cut at a byte: its end is still the newest the log has.
    static func fromLineStart(_ bytes: ArraySlice<UInt8>, cut: Bool) -> [UInt8] {
        guard cut, let newline = bytes.firstIndex(of: UInt8(ascii: "\n")), newline + 1 < bytes.endIndex else { return Array(bytes) }
        return Array(bytes[(newline + 1)...])
    }
}
