import CArchive
import CLinux
import Glibc
import SystemPackage

/// A new `.tar.gz` written through libarchive (pax format, gzip filter): every entry a regular
/// file under one top directory. The file is written under a temporary name in its directory
/// (mode 0600: a bundle holds logs), synced, and renamed into place only when complete, never
/// over an existing file; on any failure the temporary file is removed.
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
        try OutputFile.write(to: path, mode: 0o600, existing: .refuse) { fd in
            try archive(members, directory: directory, into: fd.rawValue, modified: modified)
        }
    }

    /// The archive written to an open file.
    static func archive(_ members: [Member], directory: String, into fd: Int32, modified: Int) throws {
        guard let archive = archive_write_new() else { throw HostError("write", "the archive", .said(["libarchive could not start a writer"])) }
        defer { archive_write_free(archive) }
        func check(_ result: Int32) throws {
            if result < ARCHIVE_WARN {
                throw HostError("write", "the archive", .said([archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error \(result)"]))
            }
        }
        try check(archive_write_add_filter_gzip(archive))
        try check(archive_write_set_format_pax_restricted(archive))
        try check(archive_write_open_fd(archive, fd))
        for member in members {
            guard let entry = archive_entry_new() else { throw HostError("write", "the archive", .said(["libarchive could not make an entry"])) }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname_utf8(entry, Self.memberName("\(directory)/\(member.name)"))
            archive_entry_set_filetype(entry, 0o100000)  // AE_IFREG (a cast macro Swift does not import)
            archive_entry_set_perm(entry, 0o644)
            archive_entry_set_size(entry, la_int64_t(member.bytes.count))
            archive_entry_set_mtime(entry, time_t(modified), 0)
            archive_entry_set_uname(entry, "root")
            archive_entry_set_gname(entry, "root")
            try check(archive_write_header(archive, entry))
            try member.bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = archive_write_data(archive, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 { try check(Int32(written)) }
                    if written == 0 { throw HostError("write", "the archive", .said(["libarchive wrote nothing of \(member.name)"])) }
                    offset += written
                }
            }
        }
        try check(archive_write_close(archive))
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
