import CLinux
import Glibc
import SystemPackage

/// A new `.tar.gz` written through libarchive (pax format, gzip filter): every entry a regular
/// file under one top directory. The file is written under a temporary name in its directory
/// (mode 0600: a bundle holds logs), synced, and renamed into place only when complete, never
/// over an existing file; on any failure the temporary file is removed. libarchive is opened
/// only here (`SharedLibrary`): the commands that write no bundle never load it and the
/// libraries it brings (libcrypto, libxml2, ICU).
public enum TarGzFile {
    public struct Member: Sendable {
        public var name: String
        public var bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// Writes `members` under `directory/` into a new file at `path` (a path on this machine).
    public static func write(_ members: [Member], directory: String, to path: String, modified: Int) throws {
        // Loaded before the file is created: a missing libarchive leaves nothing behind.
        let library = try LibArchive()
        try OutputFile.write(to: path, mode: 0o600, existing: .refuse) { fd in
            try archive(members, directory: directory, into: fd.rawValue, modified: modified, library: library)
        }
    }

    /// The archive written to an open file.
    static func archive(_ members: [Member], directory: String, into fd: Int32, modified: Int, library: LibArchive) throws {
        let la = library
        guard let archive = la.writeNew() else { throw HostError(.msg("write"), "the archive", .said(["libarchive could not start a writer"])) }
        defer { _ = la.writeFree(archive) }
        func check(_ result: Int32) throws {
            if result < LibArchive.warn {
                throw HostError(.msg("write"), "the archive", .said([la.errorString(archive).map { String(cString: $0) } ?? "libarchive error \(result)"]))
            }
        }
        try check(la.addFilterGzip(archive))
        try check(la.setFormatPaxRestricted(archive))
        try check(la.openFD(archive, fd))
        for member in members {
            guard let entry = la.entryNew() else { throw HostError(.msg("write"), "the archive", .said(["libarchive could not make an entry"])) }
            defer { la.entryFree(entry) }
            la.setPathnameUTF8(entry, Self.memberName("\(directory)/\(member.name)"))
            la.setFiletype(entry, 0o100000)  // AE_IFREG
            la.setPerm(entry, 0o644)
            la.setSize(entry, Int64(member.bytes.count))
            la.setMtime(entry, time_t(modified), 0)
            la.setUname(entry, "root")
            la.setGname(entry, "root")
            try check(la.writeHeader(archive, entry))
            try member.bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = la.writeData(archive, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 { try check(Int32(written)) }
                    if written == 0 { throw HostError(.msg("write"), "the archive", .said(["libarchive wrote nothing of \(member.name)"])) }
                    offset += written
                }
            }
        }
        try check(la.writeClose(archive))
    }

    /// A member's name in ASCII: control characters and every other non-ASCII character are
    /// written as escapes (`\x1b`, `\u{e9}`). Names come from the host (a log's name), and
    /// libarchive turns a UTF-8 name into the locale's charset, failing on it under LANG=C.
    static func memberName(_ name: String) -> String {
        var out = ""
        for scalar in name.escapingControlCharacters().unicodeScalars {
            out += scalar.isASCII ? String(scalar) : "\\u{\(String(scalar.value, radix: 16))}"
        }
        return out
    }
}

/// The functions of libarchive 3 (soname 13, Debian's libarchive13 and EL's libarchive) that
/// the bundle writer calls, with their C types from archive.h and archive_entry.h.
public struct LibArchive {
    typealias Archive = OpaquePointer
    typealias Entry = OpaquePointer
    /// ARCHIVE_WARN: results below it are failures.
    static let warn: Int32 = -20

    let writeNew: @convention(c) () -> Archive?
    let writeFree: @convention(c) (Archive) -> Int32
    let errorString: @convention(c) (Archive) -> UnsafePointer<CChar>?
    let addFilterGzip: @convention(c) (Archive) -> Int32
    let setFormatPaxRestricted: @convention(c) (Archive) -> Int32
    let openFD: @convention(c) (Archive, Int32) -> Int32
    let writeHeader: @convention(c) (Archive, Entry) -> Int32
    let writeData: @convention(c) (Archive, UnsafeRawPointer, Int) -> Int
    let writeClose: @convention(c) (Archive) -> Int32
    let entryNew: @convention(c) () -> Entry?
    let entryFree: @convention(c) (Entry) -> Void
    let setPathnameUTF8: @convention(c) (Entry, UnsafePointer<CChar>) -> Void
    let setFiletype: @convention(c) (Entry, UInt32) -> Void
    let setPerm: @convention(c) (Entry, mode_t) -> Void
    let setSize: @convention(c) (Entry, Int64) -> Void
    let setMtime: @convention(c) (Entry, time_t, Int) -> Void
    let setUname: @convention(c) (Entry, UnsafePointer<CChar>) -> Void
    let setGname: @convention(c) (Entry, UnsafePointer<CChar>) -> Void

    public init(soname: String = "libarchive.so.13") throws {
        let library = try SharedLibrary.open(soname, package: "libarchive13 (Debian) or libarchive (EL)")
        writeNew = try library.function("archive_write_new")
        writeFree = try library.function("archive_write_free")
        errorString = try library.function("archive_error_string")
        addFilterGzip = try library.function("archive_write_add_filter_gzip")
        setFormatPaxRestricted = try library.function("archive_write_set_format_pax_restricted")
        openFD = try library.function("archive_write_open_fd")
        writeHeader = try library.function("archive_write_header")
        writeData = try library.function("archive_write_data")
        writeClose = try library.function("archive_write_close")
        entryNew = try library.function("archive_entry_new")
        entryFree = try library.function("archive_entry_free")
        setPathnameUTF8 = try library.function("archive_entry_set_pathname_utf8", as: type(of: setPathnameUTF8))
        setFiletype = try library.function("archive_entry_set_filetype")
        setPerm = try library.function("archive_entry_set_perm")
        setSize = try library.function("archive_entry_set_size")
        setMtime = try library.function("archive_entry_set_mtime")
        setUname = try library.function("archive_entry_set_uname")
        setGname = try library.function("archive_entry_set_gname")
    }
}
